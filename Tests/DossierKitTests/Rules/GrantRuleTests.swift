import DossierKit
import Testing

@testable import DossierKit

private typealias F = RuleFixtures

@Suite("Rules R01–R10: the grant, its papers, order, shares, clauses, term and window")
struct GrantRuleTests {
    @Test("the complete ownership and use-right dossiers report nothing")
    func cleanDossiersPass() {
        // Given complete dossiers of both grant kinds; When checked; Then nothing is reported
        #expect(F.verdict(F.ownership()) == [])
        #expect(F.verdict(F.useRight()) == [])
        #expect(F.verdict(F.licensed()) == [])
    }

    @Test("R01: a national-interest achievement may have no grant; with none it passes")
    func r01() {
        // Given an achievement that may affect national interests, granted ownership with an agreement filed
        var record = F.ownership()
        record.nationalInterest = true
        // Then the grant and the agreement are both errors
        #expect(F.verdict(record) == ["R01 error", "R01 error"])
        // Given the same achievement with no grant and no agreement
        record.grant = .none
        F.remove(&record, .ownershipAgreement)
        #expect(F.verdict(record) == [])
    }

    @Test("R02: ownership needs fiscal or entrusted funding and a listed type")
    func r02() {
        var record = F.ownership()
        record.funding = .entrusted
        #expect(F.verdict(record) == [])
        record.funding = .other
        #expect(F.verdict(record) == ["R02 error"])
        record.funding = .fiscal
        record.type = AchievementType(rawValue: "mineral-rights")!
        #expect(F.verdict(record) == ["R02 error"])
        #expect(F.messages(record) == ["R02 error IMUT-2021-0007 v4: ownership may be granted only for the plan's achievement types, and mineral-rights is not one of them (三(一))"])
    }

    @Test("R03: every paper of an ownership grant, one finding per missing kind")
    func r03() {
        var record = F.ownership()
        F.remove(&record, .ownershipChangeRecord)
        #expect(F.messages(record) == ["R03 error IMUT-2021-0007 v4: no ownership-change-record 权属变更登记 is filed; a grant of ownership 所有权 requires one (三(一))"])
        F.remove(&record, .teamConsensus)
        #expect(F.verdict(record) == ["R03 error", "R03 error"])
    }

    @Test("R03: a unit-approval that rejects does not approve the grant")
    func r03RejectedApproval() {
        var record = F.ownership()
        F.setFact(&record, .unitApproval, "decision", "rejected")
        #expect(F.verdict(record) == ["R03 error"])
    }

    @Test("R04: every paper of a long-term use right")
    func r04() {
        var record = F.useRight()
        F.remove(&record, .conversionPlan)
        #expect(F.messages(record) == ["R04 error IMAAAHS-2021-0002 v4: no conversion-plan 成果转化实施方案 is filed; a grant of long-term-use 长期使用权 requires one (三(二))"])
    }

    @Test("R06: the application comes no later than the publicity's first day")
    func r06Application() {
        var record = F.ownership()
        F.setFact(&record, .grantApplication, "appliedOn", "2021-03-01")
        #expect(F.verdict(record) == [])
        F.setFact(&record, .grantApplication, "appliedOn", "2021-03-02")
        #expect(F.verdict(record) == ["R06 error"])
    }

    @Test("R06: the agreement is signed after the publicity's last day, not on it")
    func r06Agreement() {
        var record = F.ownership()
        F.setFact(&record, .ownershipAgreement, "signedOn", "2021-03-16")
        #expect(F.messages(record) == ["R06 error IMUT-2021-0007 v4 ownership-agreement 赋权（共有）协议 赋权协议.pdf, publicity-record 单位内公示记录 公示.pdf: the agreement was signed on 2021-03-16, before the publicity ended on 2021-03-16; it may be signed from 2021-03-17 (三(一))"])
        F.setFact(&record, .ownershipAgreement, "signedOn", "2021-03-17")
        #expect(F.verdict(record) == [])
    }

    @Test("R06: no agreement while objections are pending, unless a resolution came first")
    func r06Objections() {
        var record = F.ownership()
        F.setFact(&record, .publicityRecord, "objections", "pending")
        #expect(F.verdict(record) == ["R06 error"])
        record.documents.append(F.document(.objectionResolution, "异议处置.pdf", ["signedOn": "2021-03-25", "parties": F.parties, "resolvedOn": "2021-03-25"]))
        #expect(F.verdict(record) == ["R06 error"])
        F.setFact(&record, .objectionResolution, "resolvedOn", "2021-03-20")
        #expect(F.verdict(record) == [])
    }

    @Test("R07: team shares sum to 100 and name a member as representative; unit and team shares too")
    func r07() {
        var record = F.ownership()
        F.setFact(&record, .teamConsensus, "members", [["name": "王芳", "share": 33.3], ["name": "李强", "share": 66.7]])
        #expect(F.verdict(record) == [])
        F.setFact(&record, .teamConsensus, "members", [["name": "王芳", "share": 60], ["name": "李强", "share": 30]])
        #expect(F.messages(record) == ["R07 error IMUT-2021-0007 v4 team-consensus 团队内部协商一致书面约定 协商一致书.pdf: the members' shares add up to 90%, not 100% (三(一))"])
        record = F.ownership()
        F.setFact(&record, .teamConsensus, "representative", "张三")
        #expect(F.verdict(record) == ["R07 error"])
        record = F.ownership()
        F.setFact(&record, .ownershipAgreement, "teamShare", 60)
        #expect(F.verdict(record) == ["R07 error"])
    }

    @Test("R08: the ownership agreement records all four clauses")
    func r08() {
        var record = F.ownership()
        F.setFact(&record, .ownershipAgreement, "clauses", ["revenue-split", "decision-mechanism", "maintenance-fees"])
        #expect(F.messages(record) == ["R08 error IMUT-2021-0007 v4 ownership-agreement 赋权（共有）协议 赋权协议.pdf: does not record the clause cost-sharing; an ownership agreement settles revenue-split, decision-mechanism, cost-sharing and maintenance-fees (三(一))"])
    }

    @Test("R09: ten years less one day passes, one day less fails", arguments: [
        ("2021-04-01", "2031-03-31", true), ("2021-04-01", "2031-03-30", false),
        ("2020-02-29", "2030-02-27", true), ("2020-02-29", "2030-02-26", false),
        ("2024-02-29", "2034-02-27", true), ("2024-02-29", "2034-02-26", false),
        ("2020-03-01", "2030-02-28", true), ("2020-03-01", "2030-02-27", false),
    ])
    func r09Boundaries(from: String, until: String, passes: Bool) {
        var record = F.useRight()
        F.setFact(&record, .useRightAgreement, "effectiveFrom", .string(from))
        F.setFact(&record, .useRightAgreement, "effectiveUntil", .string(until))
        #expect(F.verdict(record) == (passes ? [] : ["R09 error"]))
    }

    @Test("R09: a use right that ends before it begins says the dates are out of order")
    func r09Reversed() {
        var record = F.useRight()
        F.setFact(&record, .useRightAgreement, "effectiveUntil", "2021-03-31")
        #expect(F.messages(record) == ["R09 error IMAAAHS-2021-0002 v4 use-right-agreement 长期使用权协议 使用权协议.pdf: the use right ends on 2021-03-31, before it begins on 2021-04-01; the dates are out of order, and it must run at least until 2031-03-31 (三(二))"])
    }

    @Test("R09: an extension never brings the term below ten years")
    func r09Extension() {
        var record = F.useRight()
        record.documents.append(F.document(.useRightExtension, "延期.pdf", ["signedOn": "2026-03-01", "parties": F.parties, "newEffectiveUntil": "2036-03-31"]))
        #expect(F.verdict(record) == [])
        F.setFact(&record, .useRightExtension, "newEffectiveUntil", "2031-03-30")
        #expect(F.messages(record) == ["R09 error IMAAAHS-2021-0002 v4 use-right-extension 使用权延期协议 延期.pdf: the extension ends the use right on 2031-03-30, less than 10 years after it began on 2021-04-01; it must run at least until 2031-03-31 (三(二))"])
    }

    @Test("R10: approvals from 2020-12-01 to 2023-12-31 are in the window", arguments: [
        ("2020-11-30", false), ("2020-12-01", true), ("2023-12-31", true), ("2024-01-01", false),
    ])
    func r10(approvedOn: String, inWindow: Bool) {
        var record = F.ownership()
        F.setFact(&record, .unitApproval, "approvedOn", .string(approvedOn))
        record.documents += F.annualReports(2021...2021)
        #expect(F.verdict(record) == (inWindow ? [] : ["R10 warning"]))
    }
}
