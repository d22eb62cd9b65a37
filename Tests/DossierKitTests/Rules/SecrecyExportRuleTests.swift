import DossierKit
import Testing

private typealias F = RuleFixtures

@Suite("Rules R16–R19, R21–R26: secrecy, export, ethics, annual reports")
struct SecrecyExportRuleTests {
    /// The licensed dossier, classified secret on 2022-01-10 with everything a classified
    /// transfer needs and a classification review in 2023, 2024 and 2025: no findings.
    static func classified() -> DossierRecord {
        var record = F.licensed()
        record.classification = .secret
        record.secrecy = Secrecy(level: .secret, classifiedOn: F.date("2022-01-10"), until: F.date("2031-12-31"), readers: ["王芳", "保密办公室"])
        record.documents += [
            F.document(.secrecyApproval, "涉密审批.pdf", ["signedOn": "2022-05-20", "parties": ["国家保密局"], "level": "secret", "approvedBy": "自治区保密局", "approvedOn": "2022-05-20"]),
            F.document(.confidentialityPact, "保密协议.pdf", ["signedOn": "2022-05-25", "parties": ["内蒙古工业大学", "内蒙古某能源科技有限公司"], "level": "secret", "validUntil": "2031-12-31"]),
        ]
        for year in 2023...2025 {
            record.documents.append(F.document(.confidentialityReview, "\(year)保密审查.pdf", [
                "signedOn": .string("\(year)-06-30"), "parties": ["保密办公室"], "decision": "approve", "reviewer": "刘保密",
                "reviewedVersion": "v3", "classificationReviewed": true,
            ]))
        }
        return record
    }

    /// The licensed dossier converted abroad (DE) with a valid free-category approval and its
    /// registration: only the R20 note.
    static func abroad(category: String = "free") -> DossierRecord {
        var record = F.licensed()
        F.setFact(&record, .transferContract, "counterparty", ["name": "Windkraft GmbH", "kind": "non-state", "country": "DE", "inRegion": false])
        record.documents += [
            F.document(.exportControlApproval, "出口审批.pdf", ["issuedOn": "2022-05-20", "parties": ["商务部"], "category": .string(category), "destination": "DE", "licenceNo": "EX-2022-001", "validUntil": "2023-12-31"]),
            F.document(.exportContractRegistration, "登记证.pdf", ["issuedOn": "2022-06-10", "parties": ["商务厅"], "registrationNo": "DJ-2022-17"]),
        ]
        return record
    }

    @Test("the classified and the abroad fixtures report only what they must")
    func fixtures() {
        #expect(F.verdict(Self.classified()) == [])
        #expect(F.verdict(Self.abroad()) == ["R20 info"])
    }

    @Test("R16: a classified transfer needs the secrecy approval and the pact before the contract")
    func r16Papers() {
        var record = Self.classified()
        F.remove(&record, .confidentialityPact)
        #expect(F.messages(record) == ["R16 error IMUT-2021-0007 v4 transfer-contract 转让/许可/作价投资合同 许可合同.pdf: the achievement is classified secret 秘密 and is converted by contract, and no confidentiality-pact 保密协议 is filed (三(八))"])
        record = Self.classified()
        F.setFact(&record, .secrecyApproval, "approvedOn", "2022-06-01")
        #expect(F.verdict(record) == [])
        F.setFact(&record, .secrecyApproval, "approvedOn", "2022-06-02")
        #expect(F.verdict(record) == ["R16 error"])
    }

    @Test("R16: and a confidentiality review that approves")
    func r16Review() {
        var record = Self.classified()
        F.setFact(&record, .confidentialityReview, "decision", "needs-info")
        #expect(F.verdict(record) == ["R16 error"])
    }

    @Test("R17: an approval valid on the contract date for the destination")
    func r17() {
        var record = Self.abroad()
        F.setFact(&record, .exportControlApproval, "validUntil", "2022-05-31")
        #expect(F.messages(record).first == "R17 error IMUT-2021-0007 v4 transfer-contract 转让/许可/作价投资合同 许可合同.pdf, export-control-approval 技术出口许可/审批 出口审批.pdf: no export-control document is valid for DE on the contract date 2022-06-01: 出口审批.pdf expired on 2022-05-31 (三(八))")
        #expect(F.verdict(record) == ["R17 error", "R20 info"])
        record = Self.abroad()
        F.setFact(&record, .exportControlApproval, "destination", "FR")
        #expect(F.verdict(record) == ["R17 error", "R20 info"])
        F.setFact(&record, .exportControlApproval, "validUntil", "2022-06-01")
        F.setFact(&record, .exportControlApproval, "destination", "DE")
        #expect(F.verdict(record) == ["R20 info"])
    }

    @Test("R17: without any export paper, R21 also finds no category")
    func r17Nothing() {
        var record = Self.abroad()
        F.remove(&record, .exportControlApproval)
        F.remove(&record, .exportContractRegistration)
        #expect(F.verdict(record) == ["R17 error", "R20 info", "R21 error"])
    }

    @Test("R17: a contract must say where the counterparty is")
    func r17Country() {
        var record = F.licensed()
        F.setFact(&record, .transferContract, "counterparty", ["name": "某公司", "kind": "non-state"])
        #expect(F.verdict(record) == ["R17 error"])
    }

    @Test("R17: a classified achievement abroad is an error whatever is filed")
    func r17Classified() {
        var record = Self.classified()
        F.setFact(&record, .transferContract, "counterparty", ["name": "Windkraft GmbH", "kind": "non-state", "country": "DE", "inRegion": false])
        record.documents += Self.abroad().documents.filter(\.kind.isExportControl)
        #expect(F.verdict(record) == ["R17 error", "R20 info"])
    }

    /// An outside cooperation (对外合作) instead of the licence: partner in `country`, effective on 2022-06-01.
    static func cooperating(_ record: DossierRecord, country: String) -> DossierRecord {
        var record = record
        let contract = record.documents.firstIndex { $0.kind == .transferContract }!
        record.documents[contract] = F.document(.cooperationAgreement, "对外合作协议.pdf", [
            "signedOn": "2022-06-01", "parties": ["内蒙古工业大学", "合作方"], "effectiveOn": "2022-06-01", "scope": "joint-development",
            "partner": ["name": .string(country == "CN" ? "包头某稀土有限公司" : "Windkraft GmbH"), "kind": "non-state", "country": .string(country), "inRegion": .bool(country == "CN")],
        ])
        return record
    }

    @Test("R16: a classified achievement cooperated on with an outside party needs the same secrecy approval, pact and review as a contract")
    func r16Cooperation() {
        var record = Self.cooperating(Self.classified(), country: "CN")
        #expect(F.verdict(record).filter { $0.hasPrefix("R16") } == [])
        F.remove(&record, .confidentialityPact)
        #expect(F.messages(record).filter { $0.hasPrefix("R16") } == ["R16 error IMUT-2021-0007 v4 cooperation-agreement 对外合作协议 对外合作协议.pdf: the achievement is classified secret 秘密 and is used in an outside cooperation, and no confidentiality-pact 保密协议 is filed (三(八))"])
        record = Self.cooperating(Self.classified(), country: "CN")
        F.setFact(&record, .confidentialityReview, "decision", "needs-info")
        #expect(F.verdict(record).filter { $0.hasPrefix("R16") } == ["R16 error"])
    }

    @Test("R17: a cooperation abroad needs an export approval valid on its date, and its partner's country")
    func r17Cooperation() {
        var record = Self.cooperating(F.licensed(), country: "DE")
        #expect(F.verdict(record).contains("R17 error"))
        record.documents += Self.abroad().documents.filter(\.kind.isExportControl)
        #expect(!F.verdict(record).contains("R17 error"))
        F.setFact(&record, .cooperationAgreement, "partner", ["name": "某公司", "kind": "non-state"])
        #expect(F.messages(record).contains { $0.hasPrefix("R17 error") && $0.contains("does not record partner.country") })
    }

    @Test("R18: an ethics-sensitive achievement needs an approving ethics review")
    func r18() {
        var record = F.ownership()
        record.ethicsSensitive = true
        #expect(F.verdict(record) == ["R18 error"])
        record.documents.append(F.document(.ethicsReview, "伦理审查.pdf", ["signedOn": "2021-02-26", "parties": ["科技伦理委员会"], "decision": "rejected"]))
        #expect(F.verdict(record) == ["R18 error"])
        F.setFact(&record, .ethicsReview, "decision", "approved")
        #expect(F.verdict(record) == [])
    }

    @Test("R19: a report for every completed year after the approval, once due (31 March)", arguments: [("2025-03-31", true), ("2025-04-01", false)])
    func r19Due(asOf: String, passes: Bool) {
        var record = F.ownership()
        record.documents.removeAll { $0.kind == .annualReport && $0.number("year") == 2024 }
        #expect(F.verdict(record, asOf: F.date(asOf)) == (passes ? [] : ["R19 warning"]))
    }

    @Test("R19: one finding per missing year; a final report ends the duty")
    func r19Final() {
        var record = F.ownership()
        F.remove(&record, .annualReport)
        #expect(F.verdict(record) == ["R19 warning", "R19 warning", "R19 warning", "R19 warning"])
        record.documents += F.annualReports(2022...2022)
        F.setFact(&record, .annualReport, "final", true)
        #expect(F.verdict(record) == [])
    }

    @Test("R19: judging as of the last representable year ends the report years instead of crashing")
    func r19AtTheEndOfTheCalendar() {
        // Given a grant approved in 2021, judged as of 9999-06-01: the report on 9999 would be
        // due in 10000, a day no LocalDate holds
        let findings = F.verdict(F.ownership(), asOf: F.date("9999-06-01"))
        // Then every year up to 9998 is judged (reports for 2022–2025 are filed) and the run ends
        #expect(findings.filter { $0 == "R19 warning" }.count == 9998 - 2025)
    }

    @Test("R19: a use right's reports stop with the year it ends")
    func r19UseRightEnds() {
        var record = F.useRight()
        F.setFact(&record, .useRightAgreement, "effectiveUntil", "2023-06-30")
        record.documents.removeAll { $0.kind == .annualReport && ($0.number("year") ?? 0) > 2023 }
        #expect(F.verdict(record) == ["R09 error"])
    }

    @Test("R21: the category is stated, and prohibited technology never goes abroad")
    func r21() {
        var record = Self.abroad(category: "prohibited")
        #expect(F.verdict(record) == ["R20 info", "R21 error"])
        record = Self.abroad()
        F.setFact(&record, .exportControlApproval, "category", nil)
        #expect(F.verdict(record) == ["R20 info", "R21 error"])
    }

    @Test("R22: restricted technology needs an intent before the contract and a licence by its effective date")
    func r22() {
        var record = Self.abroad(category: "restricted")
        record.documents += [
            F.document(.exportLicenceIntent, "许可意向书.pdf", ["issuedOn": "2022-05-10", "parties": ["商务部"], "destination": "DE"]),
            F.document(.exportLicence, "许可证.pdf", ["issuedOn": "2022-06-01", "parties": ["商务部"], "licenceNo": "XK-2022-9", "destination": "DE", "validUntil": "2027-06-01"]),
        ]
        #expect(F.verdict(record) == ["R20 info"])
        F.setFact(&record, .exportLicence, "issuedOn", "2022-06-02")
        #expect(F.verdict(record) == ["R20 info", "R22 error"])
        F.setFact(&record, .transferContract, "effectiveOn", "2022-06-02")
        #expect(F.verdict(record) == ["R20 info"])
        F.setFact(&record, .exportLicenceIntent, "issuedOn", "2022-06-01")
        #expect(F.verdict(record) == ["R20 info", "R22 error"])
    }

    @Test("R23: freely exportable technology has its contract registered")
    func r23() {
        var record = Self.abroad()
        F.remove(&record, .exportContractRegistration)
        #expect(F.verdict(record) == ["R20 info", "R23 warning"])
    }

    @Test("R24: secrecy periods at most 10 / 20 / 30 years, leap days included", arguments: [
        (Classification.secret, "2022-01-10", "2032-01-10", true), (.secret, "2022-01-10", "2032-01-11", false),
        (.confidential, "2022-01-10", "2042-01-10", true), (.confidential, "2022-01-10", "2042-01-11", false),
        (.topSecret, "2024-02-29", "2054-02-28", true), (.topSecret, "2024-02-29", "2054-03-01", false),
    ])
    func r24Limits(level: Classification, classifiedOn: String, until: String, passes: Bool) {
        var record = Self.classified()
        record.classification = level
        record.secrecy = Secrecy(level: level, classifiedOn: F.date(classifiedOn), until: F.date(until), readers: ["保密办公室"])
        let reviewed = (F.date(classifiedOn).year + 1...2025).map { year in
            F.document(.confidentialityReview, "复核\(year).pdf", ["signedOn": .string("\(year)-03-01"), "parties": ["保密办公室"], "decision": "approve", "reviewedVersion": "v2", "classificationReviewed": true])
        }
        record.documents += reviewed
        #expect(F.verdict(record) == (passes ? [] : ["R24 error"]))
    }

    @Test("R24: the period or condition, the readers and the classification date are recorded")
    func r24Fields() {
        var record = Self.classified()
        record.secrecy?.readers = []
        #expect(F.messages(record) == ["R24 error IMUT-2021-0007 v4: the record does not say who may read the dossier (secrecy.readers) (保守国家秘密法 art. 19–20)"])
        record.secrecy = nil
        #expect(F.verdict(record) == ["R24 error"])
        record = Self.classified()
        record.secrecy?.until = nil
        #expect(F.verdict(record) == ["R24 error"])
        record.secrecy?.condition = "专利公开之日解密"
        #expect(F.verdict(record) == [])
    }

    @Test("R25: a classification review in every completed calendar year", arguments: [("2026-12-31", true), ("2027-01-01", false)])
    func r25(asOf: String, passes: Bool) {
        let record = Self.classified()
        #expect(F.verdict(record, asOf: F.date(asOf)) == (passes ? [] : ["R25 warning"]))
    }

    @Test("R25: a missing year is named")
    func r25Missing() {
        var record = Self.classified()
        record.documents.removeAll { $0.fileName == "2024保密审查.pdf" }
        #expect(F.messages(record) == ["R25 warning IMUT-2021-0007 v4: no confidentiality-review 保密审查意见 with classificationReviewed is dated in 2024; the classification is reviewed every calendar year (保守国家秘密法 art. 24)"])
    }

    @Test("R26: export papers withdrawn within five years of the transfer", arguments: [("2027-05-31", false), ("2027-06-01", true)])
    func r26(withdrawnOn: String, passes: Bool) {
        let record = Self.abroad()
        let withdrawal = Withdrawal(document: DocumentRef(path: "documents/export-licence/旧许可证.pdf", kind: .exportLicence), version: VersionNumber(5), on: F.date(withdrawnOn))
        let history = DossierHistory(head: VersionNumber(6), withdrawals: [withdrawal])
        #expect(F.verdict(record, history: history) == (passes ? ["R20 info"] : ["R20 info", "R26 error"]))
    }

    @Test("R26: the vault's withdraw asks mayWithdraw, which refuses until five years after the transfer")
    func r26MayWithdraw() throws {
        let record = Self.abroad()
        let registration = try #require(record.documents(of: .exportContractRegistration).first)
        #expect(R26.mayWithdraw(registration, from: record, profile: .nmg2020, asOf: F.date("2027-05-31"))
            == "documents/export-contract-registration/登记证.pdf is an export-control paper, kept until 2027-06-01 (5 years after the transfer of 2022-06-01); it may not be withdrawn on 2027-05-31 (R26, 两用物项出口管制条例 art. 27)")
        #expect(R26.mayWithdraw(registration, from: record, profile: .nmg2020, asOf: F.date("2027-06-01")) == nil)
        let waiver = try #require(record.documents(of: .appraisalWaiver).first)
        #expect(R26.mayWithdraw(waiver, from: record, profile: .nmg2020, asOf: F.date("2023-01-01")) == nil)
    }
}
