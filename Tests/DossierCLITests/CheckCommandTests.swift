import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// `dossier check` end to end: exit codes, `--json`, `--html`, `--bag`, the storage run's audit
/// line, and the filing-stage warnings `dossier file` prints.
@Suite("check command (四性检测)")
struct CheckCommandTests {
    static let id = "IMUT-2021-0007"

    /// A vault with one dossier at v2 holding one text paper (the ownership grant lacks the rest).
    static func makeVault(_ directory: String) throws -> [String: String] {
        let environment = [
            "DOSSIER_VAULT": "\(directory)/Vault", "DOSSIER_USER": "档案员", "DOSSIER_EMAIL": "archivist@example.org",
            "DOSSIER_SEAL_KEY": try opensslSealKey(in: directory),
        ]
        #expect(try runDossier(["init"], environment: environment).status == 0)
        let opened = try runDossier(
            ["new", id, "--title", "风光互补储能", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "fiscal"], environment: environment)
        #expect(opened.status == 0, "\(opened.stderr)")
        try writeFile("\(directory)/in/团队协商一致书.txt", "团队内部协商一致：王芳 60%，李强 40%。\n")
        let filed = try runDossier(
            ["file", id, "--kind", "team-consensus", "--incomplete", "--fact", "signedOn=2021-03-01", "--fact", "parties=[\"王芳\", \"李强\"]",
             "\(directory)/in/团队协商一致书.txt"],
            environment: environment)
        #expect(filed.status == 0, "\(filed.stderr)")
        return environment
    }

    @Test("every item is listed; a failed item (I2, I3) exits 1; the storage stage passes and exits 0")
    func exitCodes() throws {
        try withTemporaryDirectory { directory in
            let environment = try Self.makeVault(directory)
            let all = try runDossier(["check", Self.id], environment: environment)
            #expect(all.status == 1, "\(all.stdout)\(all.stderr)")
            let lines = all.stdout.split(separator: "\n").map(String.init)
            // I2: no completers recorded (`new` does not ask for them); I3: the grant's other papers.
            #expect(lines.first == "\(Self.id) v2: failed (I2, I3)")
            for item in CheckItem.allCases {
                #expect(lines.contains { $0.hasPrefix("  \(item.rawValue) \(item.property.chineseName) ") }, "\(item)")
            }
            #expect(lines.contains { $0.hasPrefix("  S2 安全性 not run        no virus signature database was given (--clamav-db DIR)") })
            #expect(lines.last?.hasPrefix("1 dossier checked (every item, as of ") == true)
            let storage = try runDossier(["check", Self.id, "--stage", "storage"], environment: environment)
            #expect(storage.status == 0, "\(storage.stdout)\(storage.stderr)")
            #expect(storage.stdout.hasPrefix("\(Self.id) v2: passed\n"))
        }
    }

    @Test("--json keeps its keys; --all --stage storage is an audit line, and the JSON names it")
    func json() throws {
        try withTemporaryDirectory { directory in
            let environment = try Self.makeVault(directory)
            let outcome = try runDossier(["check", "--all", "--stage", "storage", "--json"], environment: environment)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let json = try JSONValue.parse(outcome.stdout)
            #expect(json["stage"] == "storage")
            #expect(json["standard"] == "DA/T 70-2018")
            #expect(json["summary"]?["dossiers"]?["passed"] == 1)
            let report = try #require(json["reports"]?.arrayValue?.first)
            #expect(report["subject"] == .string(Self.id))
            #expect(report["items"]?.arrayValue?.compactMap { $0["item"]?.stringValue } == CheckStage.storage.items.map(\.rawValue))
            let line = try #require(json["auditLine"]?.numberValue)
            let log = try runDossier(["audit", "list", "--json"], environment: environment)
            let audit = try JSONValue.parse(log.stdout)
            let entry = try #require(audit.arrayValue?.first { $0["n"]?.numberValue == line }, "\(log.stdout)")
            #expect(entry["action"] == "check", "\(entry)")
            #expect(entry["stage"] == "storage")
            #expect(entry["dossiers"] == 1)
            #expect(entry["passed"] == 1, "\(entry)")
            // A check of named dossiers is no periodic run: no audit line.
            let named = try JSONValue.parse(try runDossier(["check", Self.id, "--stage", "storage", "--json"], environment: environment).stdout)
            #expect(named["auditLine"] == .null)
        }
    }

    @Test("--html writes the report to sign, in Chinese with English; usage errors exit 64")
    func htmlAndUsage() throws {
        try withTemporaryDirectory { directory in
            let environment = try Self.makeVault(directory)
            let html = try runDossier(["check", Self.id, "--html", "-o", "\(directory)/报告.html"], environment: environment)
            #expect(html.status == 1, "\(html.stderr)")
            #expect(html.stdout.contains("report written to \(directory)/报告.html"))
            let page = try readText("\(directory)/报告.html")
            #expect(page.contains("电子档案四性检测报告"))
            for property in ["真实性 authenticity", "完整性 integrity", "可用性 usability", "安全性 security"] {
                #expect(page.contains("<h3>\(property)</h3>"), "\(property)")
            }
            #expect(page.contains("不通过<br><small>failed</small>"))
            #expect(page.contains("检测人 Checked by"))
            let none = try runDossier(["check"], environment: environment)
            #expect(none.status == 64)
            #expect(none.stderr.contains("give dossier ids, --all, or --bag FILE|DIR"))
            let both = try runDossier(["check", Self.id, "--json", "--html", "-o", "x.html"], environment: environment)
            #expect(both.status == 64)
            #expect(both.stderr.contains("give --json or --html, not both"))
            let missing = try runDossier(["check", "IMUT-2021-0099"], environment: environment)
            #expect(missing.status == 2, "\(missing.stderr)")
        }
    }

    @Test("--bag checks an export without a vault, by a relative path; the bag's record fails I3 as the vault did")
    func bag() throws {
        try withTemporaryDirectory { directory in
            let environment = try Self.makeVault(directory)
            try FileSystem.makeDirectories("\(directory)/out")
            let exported = try runDossier(["export", Self.id, "-o", "\(directory)/out/bag.tar"], environment: environment)
            #expect(exported.status == 0, "\(exported.stderr)")
            let checked = try runDossier(["check", "--bag", "bag.tar", "--json"], environment: [:], directory: "\(directory)/out")
            #expect(checked.status == 1, "\(checked.stderr)")
            let report = try #require(try JSONValue.parse(checked.stdout)["reports"]?.arrayValue?.first)
            #expect(report["kind"] == "dossier bag")
            let outcomes = Dictionary(uniqueKeysWithValues: (report["items"]?.arrayValue ?? []).compactMap { item in
                item["item"]?.stringValue.map { ($0, item["outcome"]?.stringValue ?? "") }
            })
            #expect(outcomes["I3"] == "failed")
            #expect(outcomes["A1"] == "passed")
            #expect(outcomes["U3"] == "passed")
            #expect(outcomes["A4"] == "not run")
            // With the unit's published seal key, A4 checks the bag's seal; another key fails it
            #expect(try runDossier(["seal", "show", "-o", "\(directory)/seal.pem"], environment: environment).status == 0)
            func a4(_ key: String) throws -> String? {
                let run = try runDossier(["check", "--bag", "\(directory)/out/bag.tar", "--key", key, "--json"], environment: [:])
                let items = try JSONValue.parse(run.stdout)["reports"]?.arrayValue?.first?["items"]?.arrayValue ?? []
                return items.first { $0["item"] == "A4" }?["outcome"]?.stringValue
            }
            #expect(try a4("\(directory)/seal.pem") == "passed")
            let other = try opensslSealKey(in: directory, name: "other.key")
            let otherPublic = try runDossier(["seal", "show", "-o", "\(directory)/other.pem", "--seal-key", other], environment: environment)
            #expect(otherPublic.status == 0, "\(otherPublic.stderr)")
            #expect(try a4("\(directory)/other.pem") == "failed")
            let absent = try runDossier(["check", "--bag", "\(directory)/nothing.tar"], environment: [:])
            #expect(absent.status == 2)
            #expect(absent.stderr.hasPrefix("dossier: error: \(directory)/nothing.tar"), "\(absent.stderr)")
        }
    }

    @Test("dossier file prints a failed filing-stage item as a warning and files anyway")
    func filingWarnings() throws {
        try withTemporaryDirectory { directory in
            let environment = try Self.makeVault(directory)
            // A PNG named .pdf: U2 fails (its bytes say PNG); U3 waits for the index step's OCR.
            try writeFile("\(directory)/in/年度报告.pdf", FourPropertiesPNG.bytes)
            let filed = try runDossier(
                ["file", Self.id, "--kind", "annual-report", "--fact", "issuedOn=2025-03-01", "--fact", "parties=[\"内蒙古工业大学\"]", "--fact", "year=2024",
                 "\(directory)/in/年度报告.pdf"],
                environment: environment)
            #expect(filed.status == 0, "\(filed.stderr)")
            #expect(filed.stdout.hasPrefix("\(Self.id) v3: filed 1 document"))
            let warnings = filed.stderr.split(separator: "\n").filter { $0.contains("four-properties") }
            #expect(warnings.contains { $0.hasPrefix("dossier: warning: \(Self.id) v3: four-properties U2 可用性 failed: documents/annual-report/年度报告.pdf: its name says PDF") }, "\(filed.stderr)")
            #expect(warnings.contains { $0.hasPrefix("dossier: warning: \(Self.id) v3: four-properties U3 可用性 warning: documents/annual-report/年度报告.pdf: a scan whose text only OCR can read") }, "\(filed.stderr)")
            // `check` reads it by OCR now (Tesseract): a 1×1 image holds no text, so U3 fails there.
            let checked = try runDossier(["check", Self.id, "--stage", "filing", "--json"], environment: environment)
            let u3 = try #require(try JSONValue.parse(checked.stdout)["reports"]?.arrayValue?.first?["items"]?.arrayValue?.first { $0["item"] == "U3" })
            #expect(u3["outcome"] == "failed", "\(u3)")
            // I2/I3 (the dossier is not complete yet) are left to validate and check; the earlier paper is not read again.
            #expect(!filed.stderr.contains("four-properties I3") && !filed.stderr.contains("four-properties I2"))
            #expect(!filed.stderr.contains("团队协商一致书.txt"))
            // And the filing stands.
            #expect(try runDossier(["show", Self.id], environment: environment).stdout.contains("年度报告.pdf"))
        }
    }
}

/// A 1×1 PNG.
enum FourPropertiesPNG {
    static let bytes: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
