import DossierKit
import Testing

private typealias F = RuleFixtures

@Suite("R05 and R27: publicity periods and objection channels")
struct PublicityRuleTests {
    /// A dossier holding only one publicity record, so that no other rule applies.
    static func publicity(_ startsOn: String, _ endsOn: String) -> DossierRecord {
        DossierRecord(
            id: F.id("IMUT-2024-0001"), title: "测试成果", unit: "imut", type: .patent, funding: .fiscal, grant: .none,
            documents: [F.document(.publicityRecord, "公示.pdf", ["issuedOn": .string(endsOn), "parties": F.parties, "startsOn": .string(startsOn), "endsOn": .string(endsOn)])])
    }

    @Test("R05: 15 days passes and 14 fails, the first day not counted, across month ends and leap days", arguments: [
        ("2021-03-01", "2021-03-16", true), ("2021-03-01", "2021-03-15", false),
        ("2024-02-20", "2024-03-06", true), ("2024-02-20", "2024-03-05", false),
        ("2020-02-15", "2020-03-01", true), ("2020-02-15", "2020-02-29", false),
        ("2021-02-15", "2021-03-02", true), ("2021-02-15", "2021-03-01", false),
        ("2023-12-25", "2024-01-09", true), ("2023-12-25", "2024-01-08", false),
    ])
    func r05Boundaries(startsOn: String, endsOn: String, passes: Bool) {
        #expect(F.verdict(Self.publicity(startsOn, endsOn)) == (passes ? [] : ["R05 error"]))
    }

    @Test("R05: the finding names the document, the days, and the plan's section for the grant")
    func r05Message() {
        var record = F.ownership()
        F.setFact(&record, .publicityRecord, "endsOn", "2021-03-15")
        #expect(F.messages(record) == ["R05 error IMUT-2021-0007 v4 publicity-record 单位内公示记录 公示.pdf: publicity lasted 14 days (2021-03-01 → 2021-03-15), the plan requires at least 15 (三(一))"])
    }

    @Test("R05: a publicity that ends before it starts says the dates are out of order")
    func r05Reversed() {
        var record = F.ownership()
        F.setFact(&record, .publicityRecord, "endsOn", "2021-02-14")
        #expect(F.messages(record) == ["R05 error IMUT-2021-0007 v4 publicity-record 单位内公示记录 公示.pdf: publicity ends on 2021-02-14, before it starts on 2021-03-01; the dates are out of order, and the plan requires at least 15 days (三(一))"])
    }

    @Test("R05: a publicity without its dates is reported")
    func r05MissingDates() {
        var record = Self.publicity("2021-03-01", "2021-03-16")
        F.setFact(&record, .publicityRecord, "endsOn", nil)
        #expect(F.messages(record) == ["R05 error IMUT-2024-0001 v4 publicity-record 单位内公示记录 公示.pdf: does not record endsOn, so the publicity's length cannot be checked (三(一)(二)(七))"])
    }

    @Test("R05: a 14-day pricing publicity fails R05 (三(七)) and no longer supports the price (R11)")
    func r05Pricing() {
        var record = F.licensed()
        F.setFact(&record, .pricingPublicity, "endsOn", "2022-05-15")
        #expect(F.verdict(record) == ["R05 error", "R11 error"])
        #expect(F.messages(record).first == "R05 error IMUT-2021-0007 v4 pricing-publicity 协议定价公示 定价公示.pdf: pricing publicity lasted 14 days (2022-05-01 → 2022-05-15), the plan requires at least 15 (三(七))")
    }

    @Test("R27: a pricing publicity states how to object")
    func r27() {
        var record = F.licensed()
        F.setFact(&record, .pricingPublicity, "objectionChannel", nil)
        #expect(F.verdict(record) == ["R27 warning"])
    }
}
