import DossierKit

/// The papers of a plausible dossier for the rules benchmark: an ownership grant licensed at an
/// agreed price with its reports; every 10th classified, every 7th converted abroad, every 5th
/// with a 14-day publicity, so that validate reports a realistic mix of findings.
enum RealisticDossier {
    struct Paper {
        var kind: DocumentKind
        var fileName: String
        var facts: JSONObject
    }

    static func papers(number: Int, record: inout DossierRecord) -> [Paper] {
        let parties: JSONValue = ["内蒙古工业大学", "王芳团队"]
        let abroad = number % 7 == 3
        let counterparty: JSONValue = abroad
            ? ["name": "Windkraft GmbH", "kind": "non-state", "country": "DE", "inRegion": false]
            : ["name": "内蒙古某能源科技有限公司", "kind": "non-state", "country": "CN", "inRegion": true]
        var papers = [
            Paper(kind: .teamConsensus, fileName: "协商一致书.txt", facts: [
                "signedOn": "2021-02-20", "parties": ["王芳", "李强"],
                "members": [["name": "王芳", "share": 60], ["name": "李强", "share": 40]], "representative": "王芳"]),
            Paper(kind: .grantApplication, fileName: "赋权申请.txt", facts: ["signedOn": "2021-02-25", "parties": parties, "applicant": "王芳", "grant": "ownership", "appliedOn": "2021-02-25"]),
            Paper(kind: .unitApproval, fileName: "审批意见.txt", facts: ["signedOn": "2021-02-28", "parties": parties, "decision": "approved", "approvedOn": "2021-02-28"]),
            Paper(kind: .publicityRecord, fileName: "公示.txt", facts: [
                "issuedOn": "2021-03-17", "parties": parties, "startsOn": "2021-03-01", "endsOn": number % 5 == 1 ? "2021-03-15" : "2021-03-16", "objections": "none"]),
            Paper(kind: .ownershipAgreement, fileName: "赋权协议.txt", facts: [
                "signedOn": "2021-03-20", "parties": parties, "unitShare": 30, "teamShare": 70,
                "clauses": ["revenue-split", "decision-mechanism", "cost-sharing", "maintenance-fees"]]),
            Paper(kind: .ownershipChangeRecord, fileName: "权属变更.txt", facts: ["issuedOn": "2021-05-10", "parties": parties, "registry": "国家知识产权局", "recordedOn": "2021-05-10"]),
            Paper(kind: .appraisalWaiver, fileName: "不评估决定.txt", facts: ["signedOn": "2022-04-20", "parties": parties, "decidedOn": "2022-04-20", "decidedBy": "校长办公会"]),
            Paper(kind: .pricingPublicity, fileName: "定价公示.txt", facts: [
                "issuedOn": "2022-05-01", "parties": parties, "achievementName": .string(record.title), "price": 500000,
                "startsOn": "2022-05-01", "endsOn": "2022-05-16", "objectionChannel": "书面提出"]),
            Paper(kind: .transferContract, fileName: "许可合同.txt", facts: [
                "signedOn": "2022-06-01", "parties": parties, "mode": "license", "counterparty": counterparty,
                "pricing": "agreement", "price": 500000, "incomeReceivedOn": "2022-08-15"]),
            Paper(kind: .rewardDistribution, fileName: "奖励.txt", facts: [
                "signedOn": "2022-10-10", "parties": parties, "incomeReceivedOn": "2022-08-15", "paidOn": "2022-10-10",
                "recipients": [["name": "王芳", "amount": 210000, "form": "cash"]]]),
        ]
        for year in 2022...2025 where !(number % 11 == 4 && year == 2024) {
            papers.append(Paper(kind: .annualReport, fileName: "\(year)年度报告.txt", facts: ["issuedOn": .string("\(year + 1)-03-15"), "parties": parties, "year": .number(Double(year))]))
        }
        if abroad {
            papers.append(Paper(kind: .exportControlApproval, fileName: "出口审批.txt", facts: [
                "issuedOn": "2022-05-20", "parties": ["商务部"], "category": "free", "destination": "DE", "licenceNo": "EX-1", "validUntil": "2023-12-31"]))
            papers.append(Paper(kind: .exportContractRegistration, fileName: "登记证.txt", facts: ["issuedOn": "2022-06-10", "parties": ["商务厅"], "registrationNo": "DJ-1"]))
        }
        if number % 10 == 7 {
            record.classification = .secret
            record.secrecy = Secrecy(level: .secret, classifiedOn: LocalDate(year: 2022, month: 1, day: 10), until: LocalDate(year: 2031, month: 12, day: 31), readers: ["王芳", "保密办公室"])
            papers.append(Paper(kind: .secrecyApproval, fileName: "涉密审批.txt", facts: ["signedOn": "2022-05-20", "parties": ["自治区保密局"], "level": "secret", "approvedOn": "2022-05-20"]))
            papers.append(Paper(kind: .confidentialityPact, fileName: "保密协议.txt", facts: ["signedOn": "2022-05-25", "parties": parties, "level": "secret"]))
            for year in 2023...2025 {
                papers.append(Paper(kind: .confidentialityReview, fileName: "\(year)保密审查.txt", facts: [
                    "signedOn": .string("\(year)-06-30"), "parties": ["保密办公室"], "decision": "approve", "reviewedVersion": "v1", "classificationReviewed": true]))
            }
        }
        return papers
    }
}
