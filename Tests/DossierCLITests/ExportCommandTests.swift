import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// `dossier export`, `verify-bundle` and `audit` end to end, with the independent
/// validators (bagit.py, bdbag) from the test virtual environment.
@Suite("export, verify-bundle and audit commands")
struct ExportCommandTests {
    /// A vault with IMUT-2021-0007 at v2: a PDF, a DOCX-like zip and texts, one named with %.
    static func makeVault(_ directory: String, classification: String = "none", initialised: Bool = false) throws -> [String: String] {
        var environment = ["DOSSIER_VAULT": "\(directory)/Vault"]
        if !initialised { #expect(try runDossier(["init"], environment: environment).status == 0) }
        // The seal key made by stock OpenSSL (no audit line): dossier reads what openssl genpkey writes.
        environment["DOSSIER_SEAL_KEY"] = try opensslSealKey(in: directory)
        let opened = try runDossier(
            ["new", "IMUT-2021-0007", "--title", "风光互补储能", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "other", "--classification", classification],
            environment: environment)
        #expect(opened.status == 0, "\(opened.stderr)")
        try writeFile("\(directory)/in/赋权协议.pdf", randomBytes(400_000))
        try writeFile("\(directory)/in/公示 100%.txt", String(repeating: "公示期间无异议。\n", count: 2000))
        try writeFile("\(directory)/word/document.xml", "<w:document>单位同意赋权</w:document>")
        try archiveFolder("\(directory)/word", format: .zip, to: "\(directory)/in/决定.docx", topFolder: "word")
        let filed = try runDossier(
            ["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "--incomplete", "--fact", "signedOn=2021-04-20",
             "--fact", "parties=[\"内蒙古工业大学\", \"王芳团队\"]", "--fact", "unitShare=30", "--fact", "teamShare=70",
             "--fact", "clauses=[\"revenue-split\"]",
             "\(directory)/in/赋权协议.pdf", "\(directory)/in/公示 100%.txt", "\(directory)/in/决定.docx"],
            environment: environment)
        #expect(filed.status == 0, "\(filed.stderr)")
        return environment
    }

    static func validators() throws -> String {
        try #require(validatorsDirectory, "no validators: run `bash scripts/setup.sh --validators` (scripts/test.sh does)")
    }

    @Test("bagit.py (unpacked) and bdbag --validate full with the profile (archive) accept every export", arguments: ArchiveFormat.allCases)
    func independentValidators(_ format: ArchiveFormat) throws {
        let validators = try ExportCommandTests.validators()
        try withTemporaryDirectory { directory in
            // Given an export of v2
            let environment = try ExportCommandTests.makeVault(directory)
            let archive = "\(directory)/IMUT-2021-0007-v2.\(format.rawValue)"
            let exported = try runDossier(["export", "IMUT-2021-0007", "-o", archive], environment: environment)
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.hasPrefix("IMUT-2021-0007 v2: exported 3 documents"))
            #expect(exported.stderr == "dossier: note: documents/ownership-agreement/公示 100%.txt is named data/documents/ownership-agreement/公示 100％.txt in the bag (%, CR and LF are renamed; metadata/payload-names.json maps them)\n")
            // When bdbag validates the archive itself, fully and against the profile
            try FileSystem.makeDirectories("\(directory)/home")
            let bdbag = try runProgram(
                "\(validators)/bdbag",
                ["--validate", "full", "--validate-profile", "--profile-path", "\(packageRoot)/Schemas/bagit-profile.json", archive],
                environment: ["HOME": "\(directory)/home"])
            // Then it accepts the bag, its profile and its serialization
            #expect(bdbag.status == 0, "\(bdbag.stdout)\(bdbag.stderr)")
            #expect(bdbag.stderr.contains("Bag structure conforms to specified profile"))
            #expect(bdbag.stderr.contains("Bag serialization conforms to specified profile"))
            // And bagit.py accepts the unpacked bag
            try unpackArchive(archive, into: "\(directory)/unpacked")
            let bagit = try runProgram("\(validators)/bagit.py", ["--validate", "\(directory)/unpacked/IMUT-2021-0007-v2"])
            #expect(bagit.status == 0, "\(bagit.stderr)")
            #expect(bagit.stderr.contains("IMUT-2021-0007-v2 is valid"))
            // And verify-bundle accepts the archive
            let verified = try runDossier(["verify-bundle", archive])
            #expect(verified.status == 0)
            let lines = verified.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("\(archive): valid BagIt 1.0 bag (3 payload files, ") == true)
            #expect(lines.first?.hasSuffix(" KiB; manifests sha256, sha512)") == true)
            // And it says the bag is sealed, the seal not checked without a key
            #expect(lines.dropFirst().first?.hasPrefix("seal: present, not checked (bag-info.txt names the key sha256:") == true)
        }
    }

    @Test("bdbag rejects a bag whose profile is not ours: the profile is really checked")
    func profileIsChecked() throws {
        let validators = try ExportCommandTests.validators()
        try withTemporaryDirectory { directory in
            // Given an export and a profile that also demands md5 manifests
            let environment = try ExportCommandTests.makeVault(directory)
            let archive = "\(directory)/out.zip"
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", archive], environment: environment).status == 0)
            var profile = try JSONValue.parse(try FileSystem.readFile("\(packageRoot)/Schemas/bagit-profile.json")).objectValue ?? JSONObject()
            profile["Manifests-Required"] = ["md5", "sha256", "sha512"]
            profile["Manifests-Allowed"] = ["md5", "sha256", "sha512"]
            try writeFile("\(directory)/strict.json", JSONValue.object(profile).serialized())
            try FileSystem.makeDirectories("\(directory)/home")
            // When bdbag checks the export against it
            let bdbag = try runProgram(
                "\(validators)/bdbag", ["--validate-profile", "--profile-path", "\(directory)/strict.json", archive],
                environment: ["HOME": "\(directory)/home"])
            // Then it refuses, naming the missing manifest
            #expect(bdbag.status == 1)
            #expect(bdbag.stdout.contains("Bag structure does not conform to specified profile"))
            #expect(bdbag.stdout.contains("Required manifest type \\'md5\\' is not present in Bag"))
        }
    }

    @Test("a zip export holds the vault's local time, so machines in different time zones write the same bytes")
    func zipTimesFollowTheVault() throws {
        try withTemporaryDirectory { directory in
            let environment = try ExportCommandTests.makeVault(directory)
            var archives: [[UInt8]] = []
            // POSIX zone strings, which glibc reads without tzdata.
            for zone in ["UTC0", "XYZ5:30", "ABC-14"] {
                let archive = "\(directory)/\(archives.count).zip"
                let exported = try runDossier(["export", "IMUT-2021-0007", "-o", archive, "--as-of", "2026-01-01"], environment: environment.merging(["TZ": zone]) { $1 })
                #expect(exported.status == 0, "\(exported.stderr)")
                archives.append(try FileSystem.readFile(archive))
            }
            let digests = try archives.map { try Hasher.digest(.sha256, of: $0).hex }
            #expect(digests[1] == digests[0])
            #expect(digests[2] == digests[0])

            // The first entry's DOS time is the head version's creation in the vault's zone (+08:00).
            let log = try JSONValue.parse(try runDossier(["log", "IMUT-2021-0007", "--json"], environment: environment).stdout)
            let created = try #require(log.arrayValue?.last?.objectValue?["created"]?.stringValue)
            let instant = try #require(ISO8601DateFormatter().date(from: created))
            var calendar = Calendar(identifier: .gregorian)
            // swift-format-ignore: NeverForceUnwrap
            calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
            let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            let zip = archives[0]
            #expect(Array(zip[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
            let time = Int(zip[10]) | Int(zip[11]) << 8
            let date = Int(zip[12]) | Int(zip[13]) << 8
            #expect([date >> 9 + 1980, date >> 5 & 15, date & 31, time >> 11, time >> 5 & 63, (time & 31) * 2]
                == [local.year, local.month, local.day, local.hour, local.minute, (local.second ?? 0) / 2 * 2])
        }
    }

    @Test("verify-bundle names a changed payload byte in an archive, exit 1")
    func tamperedArchive() throws {
        try withTemporaryDirectory { directory in
            // Given a tar export with one byte of the PDF flipped inside the archive
            let environment = try ExportCommandTests.makeVault(directory)
            let archive = "\(directory)/out.tar"
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", archive], environment: environment).status == 0)
            var bytes = try FileSystem.readFile(archive)
            let pdf = try FileSystem.readFile("\(directory)/in/赋权协议.pdf")
            let start = try #require(bytes.firstRange(of: pdf[0..<4096])).lowerBound
            bytes[start + 200_000] ^= 0x01
            try FileSystem.removeFile(archive)
            try FileSystem.writeNewFile(archive, bytes)
            // When it is verified
            let outcome = try runDossier(["verify-bundle", archive])
            // Then both manifests' checks fail for that file, and the exit status is 1
            #expect(outcome.status == 1)
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            #expect(lines.filter { $0.hasPrefix("error: data/documents/ownership-agreement/赋权协议.pdf: sha256 mismatch: manifest-sha256.txt line ") }.count == 1)
            #expect(lines.filter { $0.hasPrefix("error: data/documents/ownership-agreement/赋权协议.pdf: sha512 mismatch: manifest-sha512.txt line ") }.count == 1)
            #expect(outcome.stderr.hasPrefix("dossier: error: \(archive) is not a valid bag: data/documents/ownership-agreement/赋权协议.pdf: sha"))
            #expect(outcome.errorLines.count == 1)
        }
    }

    /// Every bag of the conformance suite, as `v0.97/valid/basic-bag`.
    static let conformanceBags: [String] = {
        guard let fixtures = sharedFixtures else { return [] }
        let suite = "\(fixtures)/bagit-conformance"
        return ((try? FileSystem.contents(of: suite)) ?? []).filter { $0.hasPrefix("v") }.flatMap { version in
            ((try? FileSystem.contents(of: "\(suite)/\(version)")) ?? []).flatMap { category in
                ((try? FileSystem.contents(of: "\(suite)/\(version)/\(category)")) ?? [])
                    .filter { FileSystem.isDirectory("\(suite)/\(version)/\(category)/\($0)") }
                    .map { "\(version)/\(category)/\($0)" }
            }
        }
    }()

    @Test("verify-bundle's exit status follows the conformance suite: valid 0, warning 0 with warnings, invalid 1 naming a file", arguments: ExportCommandTests.conformanceBags)
    func conformanceExitStatus(_ bag: String) throws {
        let fixtures = try #require(sharedFixtures, "DOSSIER_FIXTURES is not set; run scripts/test.sh")
        // Given one bag of the suite
        let path = "\(fixtures)/bagit-conformance/\(bag)"
        // When the binary checks it
        let outcome = try runDossier(["verify-bundle", path])
        // Then the exit status and output are the suite's verdict
        if bag.contains("/valid/") || bag.contains("/warning/") {
            #expect(outcome.status == 0, "\(outcome.stdout)")
            #expect(outcome.stdout.hasSuffix(")\n"))
            #expect(outcome.stdout.split(separator: "\n").last?.hasPrefix("\(path): valid BagIt ") == true)
            if bag.contains("/warning/") { #expect(outcome.stdout.hasPrefix("warning: ")) }
        } else {
            #expect(outcome.status == 1)
            #expect(outcome.stdout.hasPrefix("error: "))
            #expect(outcome.stderr.hasPrefix("dossier: error: \(path) is not a valid bag: "))
            #expect(outcome.errorLines.count == 1)
        }
    }

    @Test("verify-bundle --json reports warnings; a missing path is refused with exit 2")
    func jsonAndMissing() throws {
        let fixtures = try #require(sharedFixtures, "DOSSIER_FIXTURES is not set; run scripts/test.sh")
        // Given a conformance bag that must validate with a warning
        let outcome = try runDossier(["verify-bundle", "--json", "\(fixtures)/bagit-conformance/v0.97/warning/relative-path"])
        // Then the JSON says valid, with the warning naming the manifest line
        #expect(outcome.status == 0)
        let report = try JSONValue.parse(outcome.stdout)
        #expect(report["valid"] == true)
        #expect(report["bagitVersion"] == "0.97")
        #expect(report["errors"] == [])
        #expect(report["warnings"]?.arrayValue?.map { $0["file"] } == ["manifest-sha512.txt"])
        #expect(report["payload"]?["files"] == 1)
        // And a path that does not exist is refused
        let missing = try runDossier(["verify-bundle", "/nonexistent/bag.zip"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "dossier: error: /nonexistent/bag.zip: no such file or folder\n")
    }

    @Test("a classified dossier is refused without a cleared identity (exit 2, one line, audit line); with it the export is recorded")
    func clearance() throws {
        try withTemporaryDirectory { directory in
            // Given a vault where 保密办公室 is cleared for secret, and a dossier classified secret with three papers
            let home = ["DOSSIER_VAULT": "\(directory)/Vault"]
            let officer = try TestIdentity(at: "\(directory)/officer.key")
            let auditor = try TestIdentity(at: "\(directory)/auditor.key")
            #expect(try runDossier(["init"], environment: home).status == 0)
            #expect(try runDossier(["clearance", "add", "秘密", "保密办公室", officer.recipient], environment: home).status == 0)
            let environment = try ExportCommandTests.makeVault(directory, classification: "secret", initialised: true)
            var user = environment
            user["DOSSIER_USER"] = "审计员"
            // When it is exported without an identity
            let refused = try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/out.zip"], environment: user)
            // Then one line explains the refusal, exit 2, and no file is written
            #expect(refused.status == 2)
            #expect(refused.stderr == "dossier: error: IMUT-2021-0007 v2 is classified secret (秘密): give --identity FILE (or DOSSIER_IDENTITY) of a reader cleared for secret, and --reason\n")
            #expect(!FileSystem.exists("\(directory)/out.zip"))
            // And the attempt is in the audit log, once
            let log = try runDossier(["audit", "--json"], environment: environment)
            let lines = try #require(try JSONValue.parse(log.stdout).arrayValue)
            let last = try #require(lines.last)
            #expect(last["action"] == "refused")
            #expect(last["attempt"] == "export")
            #expect(last["dossier"] == "IMUT-2021-0007")
            #expect(last["by"]?["name"] == "审计员")
            #expect(last["refusal"] == "IMUT-2021-0007 v2 is classified secret (秘密): give --identity FILE (or DOSSIER_IDENTITY) of a reader cleared for secret, and --reason")
            #expect(lines.filter { $0["action"] == "refused" }.count == 1)
            // When it is exported with the officer's identity, a reason and the auditor's key
            let exported = try runDossier(
                ["export", "IMUT-2021-0007", "-o", "\(directory)/out.zip", "--identity", officer.path, "--reason", "年度审计", "--to", auditor.recipient, "--clearance", "secret"],
                environment: user)
            #expect(exported.status == 0, "\(exported.stderr)")
            // Then the export line records who, what and why
            let after = try #require(try JSONValue.parse(try runDossier(["audit", "--json"], environment: environment).stdout).arrayValue?.last)
            #expect(after["action"] == "export")
            #expect(after["by"]?["name"] == "审计员")
            #expect(after["version"] == "v2")
            #expect(after["clearance"] == "secret")
            #expect(after["reason"] == "年度审计")
            #expect(after["classification"] == "secret")
            #expect(after["payloadEncryption"] == "age")
            // And a version that does not exist is refused (exit 2), not reported as damage
            let missing = try runDossier(["export", "IMUT-2021-0007", "--version", "v9", "-o", "\(directory)/v9.zip"], environment: environment)
            #expect(missing.status == 2)
            #expect(missing.stderr == "dossier: error: IMUT-2021-0007: no version v9; versions are v1 to v2\n")
            // And --clearance without --reason is a usage error
            #expect(try runDossier(["export", "IMUT-2021-0007", "--clearance", "secret"], environment: environment).status == 64)
        }
    }

    @Test("an -o in a missing folder, a folder, or under a file is refused before any work, naming -o (exit 2)")
    func badOutputPath() throws {
        try withTemporaryDirectory { directory in
            let environment = try ExportCommandTests.makeVault(directory)
            try writeFile("\(directory)/plain", "x")
            let cases = [
                ("\(directory)/missing/out.tar", "No such file or directory"),
                ("\(directory)/in", "Is a directory"),
                ("\(directory)/plain/out.tar", "Not a directory"),
            ]
            for (output, reason) in cases {
                let refused = try runDossier(["export", "IMUT-2021-0007", "--format", "tar", "-o", output], environment: environment)
                #expect(refused.status == 2)
                #expect(refused.stderr == "dossier: error: \(output): create failed: \(reason)\n")
            }
            // And nothing was left beside them
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["Vault", "in", "plain", "seal.key", "seal.pem", "word"])
        }
    }

    @Test("audit verify passes an intact log and names an edited line (exit 1)")
    func auditVerify() throws {
        try withTemporaryDirectory { directory in
            // Given a vault with three logged actions (two filings, one export)
            let environment = try ExportCommandTests.makeVault(directory)
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/out.tar"], environment: environment).status == 0)
            let intact = try runDossier(["audit", "verify"], environment: environment)
            #expect(intact.status == 0)
            let third = try readText("\(directory)/Vault/audit.log").split(separator: "\n")[2]
            let head = "3:" + (try Hasher.digest(.sha256, of: Array(third.utf8)).hex)
            #expect(intact.stdout == "audit.log: 3 lines, hash chain intact\nhead: \(head)  (keep it; --anchor it later to show the log was not rewritten)\n")
            // And the head, given back as an anchor, is found
            let anchored = try runDossier(["audit", "verify", "--anchor", head], environment: environment)
            #expect(anchored.status == 0)
            #expect(anchored.stdout.hasPrefix("audit.log: 3 lines, hash chain intact, and holds the anchored line\n"))
            // When line 2 (the filing of v2) is edited by hand
            let path = "\(directory)/Vault/audit.log"
            let edited = try readText(path).replacingOccurrences(of: "\"version\":\"v2\",\"created\":false", with: "\"version\":\"v3\",\"created\":false")
            #expect(edited != (try readText(path)))
            try FileSystem.removeFile(path)
            try writeFile(path, edited)
            // Then verify names line 2, exit 1
            let broken = try runDossier(["audit", "verify"], environment: environment)
            #expect(broken.status == 1)
            #expect(broken.stdout.hasPrefix("audit.log line 2: was changed after it was written: line 3 records sha256 "))
            #expect(broken.stderr.hasPrefix("dossier: error: the audit log is not intact: audit.log line 2: was changed after it was written"))
            // And --json gives the same verdict as an object, with the same exit status
            let json = try runDossier(["audit", "verify", "--json"], environment: environment)
            #expect(json.status == 1)
            let verdict = try JSONValue.parse(json.stdout)
            #expect(verdict["intact"] == .bool(false))
            #expect(verdict["lines"] == .number(3))
            #expect(verdict["problems"]?.arrayValue?.first?["line"] == .number(2))
            #expect(verdict["problems"]?.arrayValue?.first?["problem"]?.stringValue?.hasPrefix("was changed after it was written") == true)
        }
    }

    @Test("a log rewritten whole passes the chain, but not an anchor kept from before (exit 1)")
    func auditAnchor() throws {
        try withTemporaryDirectory { directory in
            // Given two vaults with three logged actions each, and the head of the first kept by an auditor
            let first = try ExportCommandTests.makeVault("\(directory)/a")
            let second = try ExportCommandTests.makeVault("\(directory)/b")
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/a/out.tar"], environment: first).status == 0)
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/b/out.tar"], environment: second).status == 0)
            let kept = try #require(try JSONValue.parse(try runDossier(["audit", "verify", "--json"], environment: first).stdout)["head"]?.stringValue)
            // When the first log and its head file are replaced whole by another consistent log
            for name in ["audit.log", "audit.log.head"] {
                try FileSystem.removeFile("\(directory)/a/Vault/\(name)")
                try writeFile("\(directory)/a/Vault/\(name)", try FileSystem.readFile("\(directory)/b/Vault/\(name)"))
            }
            // Then the chain alone finds nothing wrong (the cross-check with the store may: the
            // other vault's inventories differ whenever its filings fell in another second)
            let chain = try JSONValue.parse(try runDossier(["audit", "verify", "--json"], environment: first).stdout)
            #expect(chain["intact"] == .bool(true))
            // But the kept anchor names line 3, exit 1
            let checked = try runDossier(["audit", "verify", "--anchor", kept], environment: first)
            #expect(checked.status == 1)
            #expect(checked.stdout.hasPrefix("audit.log line 3: is not the line the anchor was taken from: the anchor records sha256 \(kept.dropFirst(2).prefix(12))…"))
            // And an anchor past the end of the log names the missing line
            let beyond = try runDossier(["audit", "verify", "--anchor", "9:" + kept.dropFirst(2)], environment: first)
            #expect(beyond.status == 1)
            #expect(beyond.stdout.hasPrefix("audit.log line 9: missing: the anchor 9:\(kept.dropFirst(2).prefix(12))… names it, and the log ends after line 3"))
            // And an anchor that is not N:SHA256 is a usage error
            #expect(try runDossier(["audit", "verify", "--anchor", "3:abc"], environment: first).status == 64)
        }
    }

    @Test("audit lists lines, --since filters by date, and a refused filing is recorded")
    func auditList() throws {
        try withTemporaryDirectory { directory in
            // Given a vault, and a bundle refused because it files nothing
            let environment = try ExportCommandTests.makeVault(directory)
            try writeFile("\(directory)/bundle/filing.json", "{\"dossier\": \"IMUT-2021-0007\", \"documents\": []}")
            let refused = try runDossier(["file", "\(directory)/bundle"], environment: environment)
            #expect(refused.status == 2)
            // Then the log lists both filings and the refusal, the refusal naming the bundle
            let all = try runDossier(["audit"], environment: environment)
            #expect(all.status == 0)
            let lines = all.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].contains("  filing  IMUT-2021-0007 v1  by 测试员  message: open dossier"))
            #expect(lines[2].contains("  refused  by 测试员  attempt: filing  refusal: bundle: filing.json: nothing to file: give documents, create or update"))
            let json = try #require(try JSONValue.parse(try runDossier(["audit", "--json"], environment: environment).stdout).arrayValue)
            #expect(json[2]["bundle"] == .string("\(directory)/bundle"))
            // And --since a future date lists nothing, --since an old one everything
            #expect(try runDossier(["audit", "--since", "2999-01-01"], environment: environment).stdout == "")
            #expect(try runDossier(["audit", "--since", "2000-01-01"], environment: environment).stdout == all.stdout)
            // And a day that is not a date is a usage error, like every other date option's
            let badDay = try runDossier(["audit", "--since", "2021-13-01"], environment: environment)
            #expect(badDay.status == 64)
            #expect(badDay.stderr.contains("The value '2021-13-01' is invalid for '--since <date>'"))
        }
    }
}
