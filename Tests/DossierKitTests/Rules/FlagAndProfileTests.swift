import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

private typealias F = RuleFixtures
private typealias S = SecrecyExportRuleTests

@Suite("Flags, review state, history, profiles and deadlines")
struct FlagAndProfileTests {
    static func flags(_ record: DossierRecord, history: DossierHistory = DossierHistory(head: VersionNumber(4)), profile: Profile = .nmg2020) -> [String] {
        RuleEngine.flags(record: record, history: history, profile: profile)?.flags.map(\.flag.rawValue) ?? []
    }

    @Test("each flag is raised by its condition, and a clean dossier has none")
    func eachFlag() {
        #expect(Self.flags(F.licensed()) == [])
        #expect(Self.flags(S.classified()) == ["SECRET"])
        #expect(Self.flags(S.abroad()) == ["EXPORT", "OUT-OF-REGION"])
        var record = F.ownership()
        record.nationalInterest = true
        record.ethicsSensitive = true
        #expect(Self.flags(record) == ["EXCLUDED", "ETHICS"])
        record = F.licensed()
        record.documents.append(TransferRuleTests.leaderReward)
        #expect(Self.flags(record) == ["LEADER-EQUITY"])
    }

    @Test("a flag whose rule the profile turns off is not raised")
    func flagFollowsRule() {
        var profile = Profile.nmg2020
        profile.rules[.r20]?.severity = nil
        #expect(Self.flags(S.abroad(), profile: profile) == ["EXPORT"])
    }

    @Test("pending review until an approving review names the current version or one only reviews followed")
    func reviewState() throws {
        // Given a classified dossier whose reviews approve v3
        let record = S.classified()
        let review = try #require(record.documents(of: .confidentialityReview).last).ref
        // When the head is v3; Then it is approved
        #expect(RuleEngine.flags(record: record, history: DossierHistory(head: VersionNumber(3)), profile: .nmg2020)?.review == .approved(version: VersionNumber(3), review: review))
        // When v4 changed something else; Then it is pending
        #expect(RuleEngine.flags(record: record, history: DossierHistory(head: VersionNumber(4)), profile: .nmg2020)?.review == .pending)
        // When v4 only filed the review itself; Then v3's approval still covers it
        #expect(RuleEngine.flags(record: record, history: DossierHistory(head: VersionNumber(4), lastSubstantive: VersionNumber(3)), profile: .nmg2020)?.review
            == .approved(version: VersionNumber(3), review: review))
    }

    static func inventory(_ versions: [(String, [String: String])]) -> Inventory {
        var inventory = Inventory(id: "urn:dossier:IMUT-2021-0007")
        for (index, (created, files)) in versions.enumerated() {
            inventory.versions[VersionNumber(index + 1)] = DossierVersion(number: VersionNumber(index + 1), created: created, message: nil, user: nil, files: files)
        }
        inventory.head = VersionNumber(versions.count)
        return inventory
    }

    @Test("history: a document gone from the head is a withdrawal; a rename is not; review-only versions are skipped")
    func historyFromInventory() throws {
        // Given v1 with a licence and a contract, v2 renaming the contract and dropping the licence, v3 adding a review
        let inventory = Self.inventory([
            ("2023-01-01T09:00:00+08:00", ["dossier.json": "r1", "documents/export-licence/许可证.pdf": "a", "documents/transfer-contract/合同.pdf": "b"]),
            ("2024-03-05T23:30:00+08:00", ["dossier.json": "r2", "documents/transfer-contract/合同-签字版.pdf": "b"]),
            ("2024-04-01T09:00:00+08:00", ["dossier.json": "r3", "documents/transfer-contract/合同-签字版.pdf": "b", "documents/confidentiality-review/审查.pdf": "c"]),
        ])
        // When the history is derived, the record fields being the same in v2 and v3
        let history = DossierHistory.derive(versions: inventory.versions, head: inventory.head, needsReviewBaseline: true) { (_: VersionNumber) -> JSONObject in ["title": "同一"] }
        // Then the licence was withdrawn in v2 on its local date, and v2 is the last substantive version
        #expect(history.withdrawals == [Withdrawal(document: DocumentRef(path: "documents/export-licence/许可证.pdf", kind: .exportLicence), version: VersionNumber(2), on: F.date("2024-03-05"))])
        #expect(history.head == VersionNumber(3))
        #expect(history.lastSubstantive == VersionNumber(2))
        // When v3 also changed a record field; Then v3 is substantive
        let changed = DossierHistory.derive(versions: inventory.versions, head: inventory.head, needsReviewBaseline: true) { (version: VersionNumber) -> JSONObject in ["title": .string(version.number == 3 ? "改" : "同一")] }
        #expect(changed.lastSubstantive == VersionNumber(3))
    }

    @Test("history: one copy withdrawn of bytes filed under two kinds is a withdrawal, as dossier log shows it")
    func withdrawnCopyOfSharedBytes() {
        // Given v1 holding the same PDF as an export licence and as the export-control approval,
        // and v2 without the licence
        let inventory = Self.inventory([
            ("2023-01-01T09:00:00+08:00", ["dossier.json": "r1", "documents/export-licence/许可证.pdf": "a", "documents/export-control-approval/许可证.pdf": "a"]),
            ("2024-03-05T10:00:00+08:00", ["dossier.json": "r2", "documents/export-control-approval/许可证.pdf": "a"]),
        ])
        // Then the rules see the licence withdrawn in v2, which is what the version diff says
        let history = DossierHistory.derive(versions: inventory.versions, head: inventory.head, needsReviewBaseline: false) { (_: VersionNumber) -> JSONObject in [:] }
        #expect(history.withdrawals.map(\.document.path) == ["documents/export-licence/许可证.pdf"])
        let changes = StateChanges(
            before: ["documents/export-licence/许可证.pdf": "a", "documents/export-control-approval/许可证.pdf": "a"],
            after: ["documents/export-control-approval/许可证.pdf": "a"])
        #expect(changes.removed == ["documents/export-licence/许可证.pdf"])
        #expect(changes.renamed == [])
    }

    @Test("the embedded profile is the checked-in Schemas/profiles/nmg-2020.json, byte for byte")
    func embeddedProfileMatchesFile() throws {
        let file = try readText("\(packageRoot)/Schemas/profiles/nmg-2020.json")
        #expect(BuiltInProfiles.texts["nmg-2020"] == file, "run scripts/embed-profiles.sh after editing the profile")
        let profile = Profile.nmg2020
        #expect(profile.publicityMinimumDays == 15)
        #expect(profile.useRightMinimumYears == 10)
        #expect(profile.pilotFrom == F.date("2020-12-01"))
        #expect(profile.pilotUntil == F.date("2023-12-31"))
        #expect(profile.secrecyMaximumYears == [.secret: 10, .confidential: 20, .topSecret: 30])
        #expect(profile.rules.count == 28)
    }

    @Test("a tweaked profile changes the verdict: the number, the severity, a rule turned off")
    func profileDrivesTheRules() {
        // Given a 14-day publicity, which the plan's profile rejects
        let record = PublicityRuleTests.publicity("2021-03-01", "2021-03-15")
        #expect(F.verdict(record) == ["R05 error"])
        // When a profile asks for 14 days; Then it passes
        var profile = Profile.nmg2020
        profile.publicityMinimumDays = 14
        #expect(F.verdict(record, profile: profile) == [])
        // When a profile makes R05 a warning, or turns it off
        profile = .nmg2020
        profile.rules[.r05]?.severity = .warning
        #expect(F.verdict(record, profile: profile) == ["R05 warning"])
        profile.rules[.r05]?.severity = nil
        #expect(F.verdict(record, profile: profile) == [])
    }

    @Test("a profile file is read from JSON: a changed number changes the verdict; a bad field is named")
    func profileFromJSON() throws {
        let text = try readText("\(packageRoot)/Schemas/profiles/nmg-2020.json")
        let longer = try Profile.parse(file: "longer.json", text: text.replacingOccurrences(of: "\"useRightMinimumYears\": 10", with: "\"useRightMinimumYears\": 12"))
        #expect(F.verdict(F.useRight(), profile: longer) == ["R09 error"])
        #expect(throws: FieldError(file: "bad.json", field: "rules.R05.severity", problem: "expected error, warning, info or off, got \"fatal\"")) {
            try Profile.parse(file: "bad.json", text: text.replacingOccurrences(of: "\"name\": \"publicity-15\", \"severity\": \"error\"", with: "\"name\": \"publicity-15\", \"severity\": \"fatal\""))
        }
    }

    @Test("due: coming within the window, missed before the as-of date, done ones left out")
    func deadlines() {
        // Given the classified dossier without its 2025 report and review, with unpaid income
        var record = S.classified()
        record.documents.removeAll { $0.fileName == "2025年度报告.pdf" || $0.fileName == "2025保密审查.pdf" }
        F.setFact(&record, .transferContract, "incomeReceivedOn", "2026-10-15")
        // When deadlines are computed on 2026-11-28 for 60 days
        let deadlines = Deadlines.compute(record: record, history: DossierHistory(head: VersionNumber(4)), profile: .nmg2020, asOf: F.asOf, within: 60)
        // Then the missed report and review, and the coming reward and 2026 review, are listed by date
        #expect(deadlines.map { "\($0.date) \($0.status.rawValue) \($0.kind.rawValue)" } == [
            "2025-12-31 missed classification-review",
            "2026-03-31 missed annual-report",
            "2026-12-31 coming classification-review",
            "2027-01-13 coming reward",
        ])
    }

    @Test("due: a use right ending soon, noting an extension that leaves it under ten years from its start")
    func useRightDeadline() {
        // Given a use right from 2021-04-01 (ten years end no earlier than 2031-03-31), extended
        func extended(until: String) -> DossierRecord {
            var record = F.useRight()
            record.documents.append(F.document(.useRightExtension, "延期.pdf", ["signedOn": "2026-01-10", "parties": F.parties, "newEffectiveUntil": .string(until)]))
            return record
        }
        func useRightMessages(_ record: DossierRecord, asOf: String) -> [String] {
            Deadlines.compute(record: record, history: DossierHistory(head: VersionNumber(5)), profile: .nmg2020, asOf: F.date(asOf), within: 365)
                .filter { $0.kind == .useRightEnds }.map(\.message)
        }
        // Then nothing is listed while the end is far off
        #expect(useRightMessages(extended(until: "2031-12-31"), asOf: "2026-11-28") == [])
        // And an extension to 2031-12-31 ends plainly
        #expect(useRightMessages(extended(until: "2031-12-31"), asOf: "2031-10-01") == ["the long-term use right 长期使用权 ends"])
        // But one to 2031-03-30, a day short of ten years, says so
        #expect(useRightMessages(extended(until: "2031-03-30"), asOf: "2030-10-01") == [
            "the long-term use right 长期使用权 ends; after the extension it runs under 10 years from 2021-04-01 (R09)"
        ])
    }

    @Test("LocalDate arithmetic: days between, years with leap days clamped")
    func dateArithmetic() {
        #expect(F.date("2024-03-01").days(since: F.date("2024-02-28")) == 2)
        #expect(F.date("2023-03-01").days(since: F.date("2023-02-28")) == 1)
        #expect(F.date("2020-02-29").adding(years: 10) == F.date("2030-02-28"))
        #expect(F.date("2020-02-29").adding(years: 4) == F.date("2024-02-29"))
        #expect(F.date("2024-02-29").adding(days: 1) == F.date("2024-03-01"))
        #expect(LocalDate("2021-02-29") == nil)
    }
}
