import DossierKit
import Testing

/// In-memory dossiers for the rule tests: the engine is pure, so no vault is needed.
enum RuleFixtures {
    static let asOf = date("2026-11-28")
    static let title = "一种风光互补储能系统的控制方法"

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad date in a test: \(text)") }
        return date
    }

    static func id(_ text: String) -> DossierID {
        guard let id = DossierID(text) else { fatalError("bad id in a test: \(text)") }
        return id
    }

    /// A document entry as the vault would list it; the digest is a placeholder the rules never read.
    static func document(_ kind: DocumentKind, _ fileName: String, _ facts: JSONObject) -> DocumentEntry {
        DocumentEntry(
            path: DocumentEntry.logicalPath(kind: kind, fileName: fileName), kind: kind,
            sha512: Digest(algorithm: .sha512, hex: String(repeating: "ab", count: 64))!, size: 100,
            mediaType: "application/pdf", filedAt: "2021-01-01T09:00:00+08:00", filedBy: "张律师", facts: facts)
    }

    static let parties: JSONValue = ["内蒙古工业大学", "王芳团队"]

    static func annualReports(_ years: ClosedRange<Int>) -> [DocumentEntry] {
        years.map { year in document(.annualReport, "\(year)年度报告.pdf", ["issuedOn": .string("\(year + 1)-03-15"), "parties": parties, "year": .number(Double(year))]) }
    }

    /// A complete ownership grant, approved 2021-02-28, with every annual report to 2025: no findings.
    static func ownership() -> DossierRecord {
        DossierRecord(
            id: id("IMUT-2021-0007"), title: title, unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            completers: [Completer(name: "王芳", share: 60, representative: true), Completer(name: "李强", share: 40)],
            documents: [
                document(.teamConsensus, "协商一致书.pdf", [
                    "signedOn": "2021-02-20", "parties": ["王芳", "李强"],
                    "members": [["name": "王芳", "share": 60], ["name": "李强", "share": 40]], "representative": "王芳",
                ]),
                document(.grantApplication, "赋权申请.pdf", ["signedOn": "2021-02-25", "parties": parties, "applicant": "王芳", "grant": "ownership", "appliedOn": "2021-02-25"]),
                document(.unitApproval, "审批意见.pdf", ["signedOn": "2021-02-28", "parties": parties, "decision": "approved", "approvedOn": "2021-02-28"]),
                document(.publicityRecord, "公示.pdf", ["issuedOn": "2021-03-17", "parties": parties, "startsOn": "2021-03-01", "endsOn": "2021-03-16", "objections": "none"]),
                document(.ownershipAgreement, "赋权协议.pdf", [
                    "signedOn": "2021-03-20", "parties": parties, "unitShare": 30, "teamShare": 70,
                    "clauses": ["revenue-split", "decision-mechanism", "cost-sharing", "maintenance-fees"],
                ]),
                document(.ownershipChangeRecord, "权属变更.pdf", ["issuedOn": "2021-05-10", "parties": parties, "registry": "国家知识产权局", "recordedOn": "2021-05-10"]),
            ] + annualReports(2022...2025))
    }

    /// A complete long-term use right from 2021-04-01 to 2031-03-31 (exactly ten years): no findings.
    static func useRight() -> DossierRecord {
        DossierRecord(
            id: id("IMAAAHS-2021-0002"), title: "一种奶牛乳房炎快速检测试剂盒", unit: "imaaahs", type: .veterinaryDrug, funding: .other, grant: .longTermUse,
            completers: [Completer(name: "赵敏", share: 100, representative: true)],
            documents: [
                document(.grantApplication, "申请.pdf", ["signedOn": "2021-03-01", "parties": parties, "applicant": "赵敏", "grant": "long-term-use"]),
                document(.conversionPlan, "转化方案.pdf", ["signedOn": "2021-03-01", "parties": parties]),
                document(.unitApproval, "审批.pdf", ["signedOn": "2021-03-05", "parties": parties, "decision": "approved", "approvedOn": "2021-03-05"]),
                document(.publicityRecord, "公示.pdf", ["issuedOn": "2021-03-08", "parties": parties, "startsOn": "2021-03-08", "endsOn": "2021-03-23", "objections": "none"]),
                document(.useRightAgreement, "使用权协议.pdf", ["signedOn": "2021-03-30", "parties": parties, "effectiveFrom": "2021-04-01", "effectiveUntil": "2031-03-31", "revenueSplit": "7:3"]),
            ] + annualReports(2022...2025))
    }

    static let contract = document(.transferContract, "许可合同.pdf", [
        "signedOn": "2022-06-01", "parties": ["内蒙古工业大学", "内蒙古某能源科技有限公司"], "mode": "license",
        "counterparty": ["name": "内蒙古某能源科技有限公司", "kind": "non-state", "country": "CN", "inRegion": true],
        "pricing": "agreement", "price": 500000,
    ])
    static let pricingPublicity = document(.pricingPublicity, "定价公示.pdf", [
        "issuedOn": "2022-05-01", "parties": ["内蒙古工业大学"], "achievementName": .string(title), "price": 500000,
        "startsOn": "2022-05-01", "endsOn": "2022-05-16", "objectionChannel": "向成果转化办公室书面提出",
    ])
    static let waiver = document(.appraisalWaiver, "不评估决定.pdf", ["signedOn": "2022-04-20", "parties": ["内蒙古工业大学"], "decidedOn": "2022-04-20", "decidedBy": "校长办公会"])

    /// The ownership grant licensed in the region at an agreed, publicised price: no findings.
    static func licensed() -> DossierRecord {
        var record = ownership()
        record.documents += [waiver, pricingPublicity, contract]
        return record
    }

    /// Replaces (or adds, with `nil`) one fact of every document of `kind`.
    static func setFact(_ record: inout DossierRecord, _ kind: DocumentKind, _ key: String, _ value: JSONValue?) {
        for index in record.documents.indices where record.documents[index].kind == kind {
            record.documents[index].facts[key] = value
        }
    }

    static func remove(_ record: inout DossierRecord, _ kind: DocumentKind) {
        record.documents.removeAll { $0.kind == kind }
    }

    /// `["R05 error", …]`: what the tests compare, sorted.
    static func verdict(
        _ record: DossierRecord, history: DossierHistory = DossierHistory(head: VersionNumber(4)), profile: Profile = .nmg2020,
        asOf: LocalDate = asOf
    ) -> [String] {
        RuleEngine.evaluate(record: record, history: history, profile: profile, asOf: asOf).map { "\($0.rule.rawValue) \($0.severity.rawValue)" }.sorted()
    }

    static func messages(_ record: DossierRecord, history: DossierHistory = DossierHistory(head: VersionNumber(4)), asOf: LocalDate = asOf) -> [String] {
        RuleEngine.evaluate(record: record, history: history, profile: .nmg2020, asOf: asOf).map(\.line)
    }
}
