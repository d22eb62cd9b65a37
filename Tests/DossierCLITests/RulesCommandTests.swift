import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// validate, flags, due and withdraw, end to end through the built binary.
@Suite("dossier validate, flags, due, withdraw")
struct RulesCommandTests {
    static let asOf = "2026-11-28"

    /// A copy of the committed demo vault in a fresh folder (the demo is never changed in place).
    static func withDemoVault<R>(_ body: (String) throws -> R) throws -> R {
        try withTemporaryDirectory { directory in
            let vault = "\(directory)/Vault"
            try FileManager.default.copyItem(atPath: "\(packageRoot)/Vault", toPath: vault)
            return try body(vault)
        }
    }

    @Test("validate --all --json: the demo's findings, with the stable keys, exit 1")
    func validateAllJSON() throws {
        try Self.withDemoVault { vault in
            // When the whole demo vault is validated as of the README's date
            let outcome = try runDossier(["validate", "--all", "--as-of", Self.asOf, "--json", "--vault", vault])
            // Then it exits 1 (errors found) and prints only a JSON array of findings
            #expect(outcome.status == 1)
            #expect(outcome.stderr == "")
            let findings = try #require(try JSONValue.parse(outcome.stdout).arrayValue)
            for finding in findings {
                let keys = Set(finding.objectValue?.keys ?? [])
                #expect(keys.isSuperset(of: ["rule", "severity", "dossier", "version", "documents", "message"]))
            }
            let summary = findings.map { "\($0["rule"]?.stringValue ?? "") \($0["severity"]?.stringValue ?? "") \($0["dossier"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "")" }
            #expect(summary == [
                "R01 error IMAAAHS-2022-0008 v4", "R01 error IMAAAHS-2022-0008 v4",
                "R19 warning IMAAAHS-2023-0011 v5", "R20 info IMAAAHS-2023-0011 v5",
                "R25 warning IMUT-2022-0015 v7",
                "R20 info IMUT-2022-0031 v6",
                "R05 error IMUT-2023-0004 v6", "R14 error IMUT-2023-0004 v6", "R15 warning IMUT-2023-0004 v6",
            ])
            let r05 = try #require(findings.first { $0["rule"] == "R05" })
            #expect(r05["documents"] == ["documents/publicity-record/公示.pdf"])
            #expect(r05["message"] == "publicity lasted 14 days (2023-03-13 → 2023-03-27), the plan requires at least 15 (三(一))")
        }
    }

    @Test("validate in text: one line per finding with the kind's Chinese name, and a summary")
    func validateText() throws {
        try Self.withDemoVault { vault in
            let outcome = try runDossier(["validate", "IMUT-2023-0004", "IMUT-2021-0007", "--as-of", Self.asOf, "--vault", vault])
            #expect(outcome.status == 1)
            #expect(outcome.stdout.split(separator: "\n").first
                == "R05 error IMUT-2023-0004 v6 publicity-record 单位内公示记录 公示.pdf: publicity lasted 14 days (2023-03-13 → 2023-03-27), the plan requires at least 15 (三(一))")
            #expect(outcome.stdout.hasSuffix("2 dossiers checked as of 2026-11-28 with profile nmg-2020: 2 errors in 1 dossier, 1 warning, 0 info\n"))
        }
    }

    @Test("validate exit statuses: 0 clean, 64 usage, 2 for a bad or unknown id")
    func validateStatuses() throws {
        try Self.withDemoVault { vault in
            let clean = try runDossier(["validate", "IMUT-2021-0007", "--as-of", Self.asOf, "--vault", vault])
            #expect(clean.status == 0)
            #expect(clean.stdout == "1 dossier checked as of 2026-11-28 with profile nmg-2020: 0 errors in 0 dossiers, 0 warnings, 0 info\n")
            #expect(try runDossier(["validate", "--vault", vault]).status == 64)
            #expect(try runDossier(["validate", "--all", "IMUT-2021-0007", "--vault", vault]).status == 64)
            #expect(try runDossier(["validate", "--all", "--as-of", "2021-02-30", "--vault", vault]).status == 64)
            let bad = try runDossier(["validate", "imut-1", "--vault", vault])
            #expect(bad.status == 2)
            #expect(bad.errorLines == ["dossier: error: command line: ID: expected a dossier id matching [A-Z0-9][A-Z0-9._-]{0,63} (e.g. IMUT-2021-0007), got \"imut-1\""])
            let missing = try runDossier(["validate", "IMUT-1999-0001", "--json", "--vault", vault])
            #expect(missing.status == 2)
            #expect(missing.stdout == "[]\n")
        }
    }

    @Test("a vault's own profiles/<id>.json overrides the built-in profile")
    func vaultProfileOverrides() throws {
        try Self.withDemoVault { vault in
            // Given the vault carries nmg-2020 with a 14-day publicity minimum
            let text = try readText("\(packageRoot)/Schemas/profiles/nmg-2020.json").replacingOccurrences(of: "\"publicityMinimumDays\": 15", with: "\"publicityMinimumDays\": 14")
            try writeFile("\(vault)/profiles/nmg-2020.json", text)
            // When the dossier with a 14-day publicity is validated; Then R05 is gone
            let outcome = try runDossier(["validate", "IMUT-2023-0004", "--as-of", Self.asOf, "--json", "--vault", vault])
            let rules = try JSONValue.parse(outcome.stdout).arrayValue?.compactMap { $0["rule"]?.stringValue }
            #expect(rules == ["R14", "R15"])
            // Given a broken profile file; Then validate refuses, naming the field
            try writeFile("\(vault)/profiles/nmg-2020.json", text.replacingOccurrences(of: "\"publicityMinimumDays\": 14", with: "\"publicityMinimumDays\": \"14\""))
            let broken = try runDossier(["validate", "--all", "--vault", vault])
            #expect(broken.status == 2)
            #expect(broken.errorLines == ["dossier: error: \(vault)/profiles/nmg-2020.json: publicityMinimumDays: expected a number, got a string \"14\""])
        }
    }

    @Test("flags: every flag of the demo, why, and the review state")
    func flags() throws {
        try Self.withDemoVault { vault in
            let outcome = try runDossier(["flags", "--json", "--vault", vault])
            #expect(outcome.status == 0)
            let reports = try #require(try JSONValue.parse(outcome.stdout).arrayValue)
            let summary = reports.map { report in
                let flags = report["flags"]?.arrayValue?.compactMap { $0["flag"]?.stringValue }.joined(separator: ",") ?? ""
                return "\(report["dossier"]?.stringValue ?? "") \(flags) \(report["review"]?["state"]?.stringValue ?? "")"
            }
            #expect(summary == [
                "IMAAAHS-2021-0002 ETHICS approved", "IMAAAHS-2022-0008 EXCLUDED pending", "IMAAAHS-2023-0011 OUT-OF-REGION pending",
                "IMUT-2022-0015 SECRET pending", "IMUT-2022-0031 EXPORT,OUT-OF-REGION approved", "IMUT-2023-0004 LEADER-EQUITY pending",
            ])
            #expect(reports.first?["review"]?["reviewedVersion"] == "v4")
            let text = try runDossier(["flags", "--vault", vault])
            #expect(text.stdout.contains("IMUT-2022-0015 v7  稀土永磁材料的低温烧结工艺  — pending\n  SECRET         classified secret 秘密 until 2031-12-31\n"))
        }
    }

    @Test("due: missed and coming deadlines with stable keys")
    func due() throws {
        try Self.withDemoVault { vault in
            let outcome = try runDossier(["due", "--as-of", Self.asOf, "--within", "90", "--json", "--vault", vault])
            #expect(outcome.status == 0)
            let deadlines = try #require(try JSONValue.parse(outcome.stdout).arrayValue)
            #expect(deadlines.map { "\($0["date"]?.stringValue ?? "") \($0["status"]?.stringValue ?? "") \($0["kind"]?.stringValue ?? "") \($0["dossier"]?.stringValue ?? "")" } == [
                "2024-12-31 missed classification-review IMUT-2022-0015",
                "2026-03-31 missed annual-report IMAAAHS-2023-0011",
                "2026-12-31 coming classification-review IMUT-2022-0015",
            ])
            let shorter = try runDossier(["due", "--as-of", Self.asOf, "--within", "30", "--vault", vault])
            #expect(shorter.stdout.hasSuffix("0 coming within 30 days of 2026-11-28, 2 missed\n"))
            #expect(try runDossier(["due", "--within", "-1", "--vault", vault]).status == 64)
        }
    }

    static func today() -> LocalDate {
        Timestamp.localDate(of: Timestamp.rfc3339(unixSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: 8 * 3600)) ?? LocalDate(dayNumber: 0)
    }

    @Test("withdraw: an export paper within five years of the transfer is refused; another paper is withdrawn")
    func withdraw() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier transferred abroad two years ago, with its export papers
            let vault = "\(directory)/Vault"
            #expect(try runDossier(["init", "--vault", vault]).status == 0)
            let signed = Self.today().adding(years: -2).description
            let filing: JSONValue = [
                "dossier": "IMUT-2024-0100",
                "create": ["title": "测试成果", "unit": "imut", "type": "patent", "funding": "fiscal", "grant": "none"],
                "documents": [
                    ["kind": "transfer-contract", "file": "合同.txt", "facts": ["signedOn": .string(signed), "parties": ["甲", "乙"], "counterparty": ["name": "Windkraft GmbH", "kind": "non-state", "country": "DE"]]],
                    ["kind": "export-licence", "file": "许可证.txt", "facts": ["issuedOn": .string(signed), "parties": ["商务部"], "destination": "DE", "validUntil": "2099-01-01"]],
                    ["kind": "conversion-plan", "file": "方案.txt", "facts": ["signedOn": .string(signed), "parties": ["甲"]]],
                ],
            ]
            try writeFile("\(directory)/bundle/filing.json", filing.serialized())
            for name in ["合同.txt", "许可证.txt", "方案.txt"] { try writeFile("\(directory)/bundle/\(name)", name) }
            #expect(try runDossier(["file", "\(directory)/bundle", "--vault", vault]).status == 0)

            // When the export licence is withdrawn; Then it is refused with R26's reason and nothing changes
            let refused = try runDossier(["withdraw", "IMUT-2024-0100", "documents/export-licence/许可证.txt", "--reason", "误传", "--vault", vault])
            #expect(refused.status == 2)
            let keptUntil = LocalDate(signed)!.adding(years: 5)
            #expect(refused.errorLines == ["dossier: error: documents/export-licence/许可证.txt is an export-control paper, kept until \(keptUntil) (5 years after the transfer of \(signed)); it may not be withdrawn on \(Self.today()) (R26, 两用物项出口管制条例 art. 27)"])
            #expect(try runDossier(["log", "IMUT-2024-0100", "--json", "--vault", vault]).stdout.contains("\"v2\"") == false)

            // When the conversion plan is withdrawn; Then a new version takes it out, with the reason
            let done = try runDossier(["withdraw", "IMUT-2024-0100", "documents/conversion-plan/方案.txt", "--reason", "重复上传", "--vault", vault])
            #expect(done.status == 0)
            #expect(done.stdout == "IMUT-2024-0100 v2: withdrew documents/conversion-plan/方案.txt\n")
            let log = try JSONValue.parse(try runDossier(["log", "IMUT-2024-0100", "--json", "--vault", vault]).stdout)
            #expect(log.arrayValue?.last?["removed"] == ["documents/conversion-plan/方案.txt"])
            #expect(log.arrayValue?.last?["message"] == "withdraw documents/conversion-plan/方案.txt: 重复上传")
        }
    }
}
