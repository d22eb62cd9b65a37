import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Sealed exports end to end: a forgery that BagIt accepts and the seal does not, the audit
/// log's sealed head, a unit's year exported and verified as a set, and the refusals.
@Suite("Sealed exports, sets and the sealed audit log")
struct SealCommandTests {
    static let asOf = "2026-11-28"

    /// A copy of the demo vault (Vault/) with a seal key made by stock OpenSSL in `directory`
    /// (`seal.key`, and `seal.pem` beside it), and the environment that uses both.
    static func demoVault(_ directory: String) throws -> [String: String] {
        let copied = try runProgram("/bin/cp", ["-r", "\(packageRoot)/Vault", "\(directory)/Vault"])
        #expect(copied.status == 0, "\(copied.stderr)")
        for leftover in ["index.sqlite", "locks", "tmp", "keys"] { try? FileSystem.removeTree("\(directory)/Vault/\(leftover)") }
        return ["DOSSIER_VAULT": "\(directory)/Vault", "DOSSIER_SEAL_KEY": try opensslSealKey(in: directory), "DOSSIER_USER": "审计员"]
    }

    /// Re-bags a folder the way a new user would with bagit-python: every manifest, Payload-Oxum
    /// and tag manifest recomputed over what the folder now holds.
    static func rebag(_ bag: String) throws {
        let python = try validatorPython()
        let outcome = try runProgram(python, ["-c", "import bagit, sys; bagit.Bag(sys.argv[1]).save(manifests=True)", bag])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    static func openssl(verify file: String, seal: String, key: String) throws -> Bool {
        try runProgram(opensslCommand, ["pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", file, "-sigfile", seal]).status == 0
    }

    @Test("a paper edited and every manifest recomputed is a valid bag, but its seal fails verify-bundle --key and openssl; the untouched bag passes both")
    func forgedBag() throws {
        _ = try ExportCommandTests.validators()
        try withTemporaryDirectory { directory in
            // Given an export of IMUT-2022-0031 v6, and the tag manifest's sha256 it printed
            let environment = try SealCommandTests.demoVault(directory)
            let exported = try runDossier(["export", "IMUT-2022-0031", "-o", "\(directory)/bag.tar", "--as-of", SealCommandTests.asOf], environment: environment)
            #expect(exported.status == 0, "\(exported.stderr)")
            let printed = try #require(exported.stdout.split(separator: "\n").first { $0.hasPrefix("tag manifest sha256: ") })
            let tagManifest = String(printed.dropFirst("tag manifest sha256: ".count).prefix(64))
            let fingerprint = try SealPublicKey(pem: try FileSystem.readFile("\(directory)/seal.pem")).fingerprint
            #expect(exported.stdout.contains("sealed: ed25519 key \(fingerprint)"))
            try unpackArchive("\(directory)/bag.tar", into: "\(directory)/untouched")
            try unpackArchive("\(directory)/bag.tar", into: "\(directory)/forged")
            let untouched = "\(directory)/untouched/IMUT-2022-0031-v6"
            let forged = "\(directory)/forged/IMUT-2022-0031-v6"
            #expect(try fileSHA256("\(untouched)/tagmanifest-sha512.txt") == tagManifest)
            // When a paper is edited in one copy and the bag remade with bagit-python
            let paper = "\(forged)/data/documents/transfer-contract/技术转让合同.txt"
            try writeFile(paper, try readText(paper).replacingOccurrences(of: "Rheinkat", with: "Fälschung"))
            try SealCommandTests.rebag(forged)
            // Then without a key the forgery is a valid bag — which is why the seal exists
            let plain = try runDossier(["verify-bundle", forged])
            #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
            #expect(plain.stdout.hasPrefix("\(forged): valid BagIt 1.0 bag"))
            // And with the unit's key it fails, naming the seal (exit 1)
            let sealed = try runDossier(["verify-bundle", "--key", "\(directory)/seal.pem", forged])
            #expect(sealed.status == 1)
            #expect(sealed.stdout.contains("error: tagmanifest-sha512.txt.sig: is not the seal of tagmanifest-sha512.txt by the key \(fingerprint) (bag-info.txt names this key): the bag was changed after it was sealed and its manifests recomputed, or it was sealed with another key"))
            #expect(sealed.stdout.contains("seal: NOT the seal of the key given"))
            #expect(sealed.stderr.hasPrefix("dossier: error: \(forged) is not a valid bag: tagmanifest-sha512.txt.sig: is not the seal"))
            // And --expect with the printed sha256 fails it too
            let expected = try runDossier(["verify-bundle", "--expect", tagManifest, forged])
            #expect(expected.status == 1)
            #expect(expected.stdout.contains("error: tagmanifest-sha512.txt: is not the tag manifest expected"))
            // And stock OpenSSL agrees: the forged bag's seal fails, the untouched one's holds
            #expect(!(try SealCommandTests.openssl(verify: "\(forged)/tagmanifest-sha512.txt", seal: "\(forged)/tagmanifest-sha512.txt.sig", key: "\(directory)/seal.pem")))
            #expect(try SealCommandTests.openssl(verify: "\(untouched)/tagmanifest-sha512.txt", seal: "\(untouched)/tagmanifest-sha512.txt.sig", key: "\(directory)/seal.pem"))
            // And the untouched bag passes with the key and the expected tag manifest, folder and archive alike
            for bag in [untouched, "\(directory)/bag.tar"] {
                let good = try runDossier(["verify-bundle", "--key", "\(directory)/seal.pem", "--expect", tagManifest, bag])
                #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
                #expect(good.stdout.contains("seal: verified with the key given (\(fingerprint))"))
                #expect(good.stdout.contains("tag manifest sha256: \(tagManifest)"))
            }
            // And a key that is not the unit's fails the untouched bag
            _ = try opensslSealKey(in: "\(directory)/forged", name: "other.key")
            let other = try runDossier(["verify-bundle", "--key", "\(directory)/forged/seal.pem", "\(directory)/bag.tar"])
            #expect(other.status == 1)
            #expect(other.stdout.contains("(bag-info.txt names the key \(fingerprint))"))
            // And the audit log recorded the tag manifest and the seal's key
            let log = try JSONValue.parse(try runDossier(["audit", "--json"], environment: environment).stdoutBytes)
            let export = try #require(log.arrayValue?.last { $0["action"] == "export" })
            #expect(export["tagmanifestSHA256"] == .string(tagManifest))
            #expect(export["seal"]?["key"] == .string(fingerprint))
        }
    }

    @Test("an export without a seal key is refused in one line (exit 2) and recorded; nothing is written")
    func noSealKey() throws {
        try withTemporaryDirectory { directory in
            // Given the demo vault without a seal key
            var environment = try SealCommandTests.demoVault(directory)
            environment["DOSSIER_SEAL_KEY"] = nil
            // When a dossier is exported
            let refused = try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/out.zip"], environment: environment)
            // Then one line says where the key was looked for and how to make one
            #expect(refused.status == 2)
            #expect(refused.stderr == "dossier: error: \(directory)/Vault/keys/seal.key: no seal key (create one with `dossier seal init`, or give --seal-key FILE or DOSSIER_SEAL_KEY)\n")
            #expect(!FileSystem.exists("\(directory)/out.zip"))
            let log = try JSONValue.parse(try runDossier(["audit", "--json"], environment: environment).stdoutBytes)
            #expect(log.arrayValue?.last?["action"] == "refused")
            #expect(log.arrayValue?.last?["attempt"] == "export")
            // And after `seal init` (key 600 in keys/, an audit line with its fingerprint) the export goes through
            let initialised = try runDossier(["seal", "init"], environment: environment)
            #expect(initialised.status == 0, "\(initialised.stderr)")
            #expect(FileSystem.permissions(of: "\(directory)/Vault/keys/seal.key") == 0o600)
            #expect(FileSystem.permissions(of: "\(directory)/Vault/keys") == 0o700)
            let shown = try runDossier(["seal", "show", "--json"], environment: environment)
            let fingerprint = try #require(try JSONValue.parse(shown.stdoutBytes)["fingerprint"]?.stringValue)
            #expect(initialised.stdout.contains("fingerprint: \(fingerprint)"))
            let after = try JSONValue.parse(try runDossier(["audit", "--json"], environment: environment).stdoutBytes)
            #expect(after.arrayValue?.last?["action"] == "seal")
            #expect(after.arrayValue?.last?["key"] == .string(fingerprint))
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/out.zip"], environment: environment).status == 0)
            // And a second seal init is refused: a vault keeps one seal
            let again = try runDossier(["seal", "init"], environment: environment)
            #expect(again.status == 2)
            #expect(again.stderr == "dossier: error: \(directory)/Vault/keys/seal.key: the vault already has a seal key; a vault keeps one seal, whose public key its unit publishes (dossier seal show)\n")
        }
    }

    @Test("a log rewritten whole passes the chain but not audit verify --key; the sealed head passes, and openssl agrees")
    func auditLogRewritten() throws {
        try withTemporaryDirectory { directory in
            // Given the demo vault sealed by its key, after one more audit line (an export)
            let environment = try SealCommandTests.demoVault(directory)
            #expect(try runDossier(["export", "IMUT-2021-0007", "-o", "\(directory)/out.zip"], environment: environment).status == 0)
            let key = "\(directory)/seal.pem"
            let intact = try runDossier(["audit", "verify", "--key", key], environment: environment)
            #expect(intact.status == 0, "\(intact.stdout)\(intact.stderr)")
            #expect(intact.stdout.contains("hash chain intact, head sealed by sha256:"))
            #expect(try SealCommandTests.openssl(verify: "\(directory)/Vault/audit.log.head", seal: "\(directory)/Vault/audit.log.head.sig", key: key))
            // When someone without the key rewrites the whole log: line 1 edited, every prev and the head recomputed
            let log = "\(directory)/Vault/audit.log"
            var lines = try readText(log).split(separator: "\n").map(String.init)
            lines[0] = lines[0].replacingOccurrences(of: "演示档案员", with: "伪造者")
            var previous = String(repeating: "0", count: 64)
            for index in lines.indices {
                var fields = try #require(try JSONValue.parse(Array(lines[index].utf8)).objectValue)
                fields["prev"] = .string(previous)
                lines[index] = JSONValue.object(fields).serialized(.compact)
                previous = try Hasher.digest(.sha256, of: Array(lines[index].utf8)).hex
            }
            try writeFile(log, lines.joined(separator: "\n") + "\n")
            try writeFile("\(log).head", "{\"n\":\(lines.count),\"sha256\":\"\(previous)\"}\n")
            // Then the chain alone finds nothing
            #expect(try runDossier(["audit", "verify"], environment: environment).status == 0)
            // And with the key the rewrite is found (exit 1), naming the head's seal
            let checked = try runDossier(["audit", "verify", "--key", key], environment: environment)
            #expect(checked.status == 1)
            #expect(checked.stdout == "audit.log line \(lines.count): is the last line, but audit.log.head.sig is not the seal of audit.log.head by the key \(try SealPublicKey(pem: try FileSystem.readFile(key)).fingerprint): the log and its head were written by someone without the vault's seal key, or sealed with another key\n")
            #expect(!(try SealCommandTests.openssl(verify: "\(log).head", seal: "\(log).head.sig", key: key)))
            // And removing the seal does not help
            try FileSystem.removeFile("\(log).head.sig")
            let unsealed = try runDossier(["audit", "verify", "--key", key, "--json"], environment: environment)
            #expect(unsealed.status == 1)
            let verdict = try JSONValue.parse(unsealed.stdoutBytes)
            #expect(verdict["sealVerified"] == false)
            #expect(verdict["problems"]?.arrayValue?.first?["problem"] == "is the last line, but the head is not sealed: audit.log.head.sig is missing (every write seals the head when the vault's seal key is reachable)")
            // And neither does removing the log and its head
            try FileSystem.removeFile(log)
            try FileSystem.removeFile("\(log).head")
            let deleted = try runDossier(["audit", "verify", "--key", key], environment: environment)
            #expect(deleted.status == 1)
            #expect(deleted.stdout.hasPrefix("audit.log line 1: no sealed head: audit.log.head is missing or unreadable"))
        }
    }

    @Test("a unit's year exports as one sealed set, refused whole without clearance; verify-bundle names the one bag altered in it")
    func unitYearSet() throws {
        _ = try ExportCommandTests.validators()
        try withTemporaryDirectory { directory in
            // Given the demo vault, whose imut 2022 report lists a secret dossier, and the demo officer's identity
            var environment = try SealCommandTests.demoVault(directory)
            try writeFile("\(directory)/officer.key", try FileSystem.readFile("\(packageRoot)/Demo/keys/demo-officer.key"))
            chmod("\(directory)/officer.key", 0o600)
            let auditor = try TestIdentity(at: "\(directory)/auditor.key")
            let set = "\(directory)/imut-2022"
            // When the year is exported without a cleared identity
            let refused = try runDossier(["export", "--unit", "imut", "--year", "2022", "-o", set, "--format", "tar"], environment: environment)
            // Then it is refused whole, naming the classified dossier, and no folder is left
            #expect(refused.status == 2)
            #expect(refused.errorLines.last == "dossier: error: IMUT-2022-0015 v7 is classified secret (秘密): give --identity FILE (or DOSSIER_IDENTITY) of a reader cleared for secret, and --reason")
            #expect(!FileSystem.exists(set))
            #expect(try FileSystem.contents(of: directory).allSatisfy { !$0.contains("partial") })
            // When it is exported with the officer's identity, for the auditor
            environment["DOSSIER_IDENTITY"] = "\(directory)/officer.key"
            let exported = try runDossier(
                ["export", "--unit", "imut", "--year", "2022", "-o", set, "--format", "tar", "--reason", "年度审计", "--to", auditor.recipient, "--as-of", SealCommandTests.asOf],
                environment: environment)
            #expect(exported.status == 0, "\(exported.stderr)")
            // Then the set holds one bag per dossier on the report, and its sealed index
            #expect(try FileSystem.contents(of: set).sorted() == [
                "IMUT-2021-0007-v6.tar", "IMUT-2022-0015-v7.tar", "IMUT-2022-0031-v6.tar", "export-index.json", "export-index.json.sig",
            ])
            #expect(exported.stdout.contains("\(set): 3 sealed bags and export-index.json (sha256 "))
            let index = try JSONValue.parse(try FileSystem.readFile("\(set)/export-index.json"))
            #expect(index["selection"] == ["unit": "imut", "year": 2022])
            #expect(index["bags"]?.arrayValue?.map { $0["dossier"] } == ["IMUT-2022-0015", "IMUT-2022-0031", "IMUT-2021-0007"])
            #expect(try SealCommandTests.openssl(verify: "\(set)/export-index.json", seal: "\(set)/export-index.json.sig", key: "\(directory)/seal.pem"))
            // And the index meets its schema (check-jsonschema)
            let schema = try runProgram("\(try ExportCommandTests.validators())/check-jsonschema", ["--schemafile", "\(packageRoot)/Schemas/export-index.schema.json", "\(set)/export-index.json"])
            #expect(schema.status == 0, "\(schema.stdout)\(schema.stderr)")
            // And the set verifies whole with the unit's key
            let verified = try runDossier(["verify-bundle", "--key", "\(directory)/seal.pem", set])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("ok    IMUT-2022-0015-v7.tar  IMUT-2022-0015 v7, seal verified"))
            #expect(verified.stdout.hasSuffix("\(set): 3 of 3 bags valid; the index's seal verified\n"))
            // And bdbag accepts each bag against the profile
            try FileSystem.makeDirectories("\(directory)/home")
            for bag in ["IMUT-2021-0007-v6.tar", "IMUT-2022-0015-v7.tar", "IMUT-2022-0031-v6.tar"] {
                let bdbag = try runProgram(
                    "\(try ExportCommandTests.validators())/bdbag",
                    ["--validate", "full", "--validate-profile", "--profile-path", "\(packageRoot)/Schemas/bagit-profile.json", "\(set)/\(bag)"],
                    environment: ["HOME": "\(directory)/home"])
                #expect(bdbag.status == 0, "\(bag): \(bdbag.stderr)")
                #expect(bdbag.stderr.contains("Bag structure conforms to specified profile"))
            }
            // When one bag is altered: a paper edited, the bag remade with bagit-python and packed again
            try unpackArchive("\(set)/IMUT-2021-0007-v6.tar", into: "\(directory)/alter")
            let bag = "\(directory)/alter/IMUT-2021-0007-v6"
            let paper = "\(bag)/data/documents/annual-report/2022年度报告.txt"
            try writeFile(paper, try readText(paper) + "补充。")
            try SealCommandTests.rebag(bag)
            try FileSystem.removeFile("\(set)/IMUT-2021-0007-v6.tar")
            try archiveFolder(bag, format: .tar, to: "\(set)/IMUT-2021-0007-v6.tar", topFolder: "IMUT-2021-0007-v6")
            // Then verify-bundle names that bag and only it (exit 1)
            let failed = try runDossier(["verify-bundle", "--key", "\(directory)/seal.pem", set])
            #expect(failed.status == 1)
            #expect(failed.stdout.contains("FAIL  IMUT-2021-0007-v6.tar  IMUT-2021-0007 v6: tagmanifest-sha512.txt: is not the tag manifest expected"))
            #expect(failed.stdout.contains("ok    IMUT-2022-0031-v6.tar"))
            #expect(failed.stdout.contains("ok    IMUT-2022-0015-v7.tar"))
            #expect(failed.stderr.hasPrefix("dossier: error: \(set) is not a valid set: 1 of 3 bags fails: IMUT-2021-0007-v6.tar ("))
            // And a bag added to the set, or one taken away, is named too
            try writeFile("\(set)/extra.tar", "not from the export")
            try FileSystem.removeFile("\(set)/IMUT-2022-0031-v6.tar")
            let changed = try runDossier(["verify-bundle", "--key", "\(directory)/seal.pem", "--json", set])
            #expect(changed.status == 1)
            let report = try JSONValue.parse(changed.stdoutBytes)
            let failing = report["bags"]?.arrayValue?.filter { $0["valid"] == false }.compactMap { $0["file"]?.stringValue }
            #expect(failing?.sorted() == ["IMUT-2021-0007-v6.tar", "IMUT-2022-0031-v6.tar", "extra.tar"])
        }
    }

    @Test("export refuses a set without -o, ids with --unit, --year alone, and a non-empty folder")
    func setUsage() throws {
        try withTemporaryDirectory { directory in
            let environment = try SealCommandTests.demoVault(directory)
            let noOutput = try runDossier(["export", "IMUT-2021-0007", "IMUT-2023-0019"], environment: environment)
            #expect(noOutput.status == 64)
            #expect(noOutput.stderr.contains("a set of bags needs -o DIR, the new folder to write them in"))
            let both = try runDossier(["export", "IMUT-2021-0007", "--unit", "imut", "-o", "\(directory)/set"], environment: environment)
            #expect(both.status == 64)
            #expect(both.stderr.contains("give dossier ids or --unit, not both"))
            let year = try runDossier(["export", "--year", "2022", "-o", "\(directory)/set"], environment: environment)
            #expect(year.status == 64)
            try writeFile("\(directory)/full/something", "x")
            let full = try runDossier(["export", "IMUT-2021-0007", "IMUT-2023-0019", "-o", "\(directory)/full"], environment: environment)
            #expect(full.status == 2)
            #expect(full.stderr == "dossier: error: \(directory)/full: the folder is not empty; a set is written into a new or empty folder\n")
            // And two ids into a new folder work, with the ids in the index
            let two = try runDossier(["export", "IMUT-2021-0007", "IMUT-2023-0019", "-o", "\(directory)/two"], environment: environment)
            #expect(two.status == 0, "\(two.stderr)")
            #expect(try JSONValue.parse(try FileSystem.readFile("\(directory)/two/export-index.json"))["selection"] == ["dossiers": ["IMUT-2021-0007", "IMUT-2023-0019"]])
        }
    }
}
