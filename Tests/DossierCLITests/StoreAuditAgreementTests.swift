import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The tamperings an outside attack found passing every check, the crash that left a version
/// without its line, and a committed filing reported as refused (issue 13, items 1–3).
@Suite("The store and the audit log vouch for each other")
struct StoreAuditAgreementTests {
    /// A vault with IMUT-2021-0007 at v3 (opened, then two filings).
    static func vaultAtV3(_ directory: String) throws -> CLIVault {
        let vault = try CLIVault(in: directory)
        for (name, year) in [("a.txt", 2023), ("b.txt", 2024)] {
            try writeFile("\(directory)/\(name)", "annual report \(year)\n")
            try expectSuccess(vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/\(name)", "--fact", "year=\(year)",
                "--fact", "signedOn=\(year + 1)-01-15", "--fact", "parties=[\"内蒙古工业大学\"]",
            ]))
        }
        return vault
    }

    /// The object folder of the vault's only dossier.
    static func objectRoot(_ vault: CLIVault) throws -> String {
        let enumerator = try #require(FileManager.default.enumerator(atPath: vault.store))
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix("/0=ocfl_object_1.1") { return "\(vault.store)/\(FileSystem.parent(of: path))" }
        }
        throw CraftError(message: "no object in \(vault.store)")
    }

    /// Rewrites the head version's inventory, and a version's record, consistently: manifest,
    /// fixity, state, the root and version copies and both sidecars — so that OCFL's checks and
    /// the vault's D checks all pass, as in the attack.
    static func forgeHead(_ objectRoot: String, record: ((inout JSONObject) -> Void)? = nil, version: ((inout JSONObject) -> Void)? = nil) throws {
        var inventory = try #require(try JSONValue.parse(try FileSystem.readFile("\(objectRoot)/inventory.json")).objectValue)
        let head = try #require(inventory["head"]?.stringValue)
        var versions = try #require(inventory["versions"]?.objectValue)
        var block = try #require(versions[head]?.objectValue)
        var state = try #require(block["state"]?.objectValue)
        if let record {
            let old = try #require(state.first { $0.value.arrayValue?.contains(.string("dossier.json")) == true }?.key)
            var manifest = try #require(inventory["manifest"]?.objectValue)
            let contentPath = try #require(manifest[old]?.arrayValue?.first?.stringValue)
            var fields = try #require(try JSONValue.parse(try FileSystem.readFile("\(objectRoot)/\(contentPath)")).objectValue)
            record(&fields)
            let bytes = Array(JSONValue.object(fields).serialized().utf8)
            try FileSystem.removeFile("\(objectRoot)/\(contentPath)")
            try writeFile("\(objectRoot)/\(contentPath)", bytes)
            let sha512 = try DossierKit.Hasher.digest(.sha512, of: bytes).hex
            let sha256 = try DossierKit.Hasher.digest(.sha256, of: bytes).hex
            manifest[old] = nil
            manifest[sha512] = .array([.string(contentPath)])
            inventory["manifest"] = .object(manifest)
            state[old] = nil
            state[sha512] = .array([.string("dossier.json")])
            var fixity = try #require(inventory["fixity"]?["sha256"]?.objectValue)
            for (digest, paths) in fixity where paths.arrayValue?.contains(.string(contentPath)) == true { fixity[digest] = nil }
            fixity[sha256] = .array([.string(contentPath)])
            inventory["fixity"] = .object(["sha256": .object(fixity)])
            block["state"] = .object(state)
        }
        version?(&block)
        versions[head] = .object(block)
        inventory["versions"] = .object(versions)
        let bytes = Array(JSONValue.object(inventory).serialized().utf8)
        let sidecar = Array("\(try DossierKit.Hasher.digest(.sha512, of: bytes).hex)  inventory.json\n".utf8)
        for folder in [objectRoot, "\(objectRoot)/\(head)"] {
            for (name, content) in [("inventory.json", bytes), ("inventory.json.sha512", sidecar)] {
                try FileSystem.removeFile("\(folder)/\(name)")
                try writeFile("\(folder)/\(name)", content)
            }
        }
    }

    /// `verify` and `audit verify` both fail (exit 1) and name the tampering.
    static func expectCaught(_ vault: CLIVault, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try vault.dossier(["verify"])
        #expect(verify.status == 1, "verify: \(verify.stdout)", sourceLocation: sourceLocation)
        #expect(verify.stdout.contains(expected), "verify: \(verify.stdout)", sourceLocation: sourceLocation)
        let audit = try vault.dossier(["audit", "verify"])
        #expect(audit.status == 1, "audit verify: \(audit.stdout)", sourceLocation: sourceLocation)
        #expect(audit.stdout.contains(expected), "audit verify: \(audit.stdout)", sourceLocation: sourceLocation)
    }

    @Test("an intact vault: verify and audit verify agree with the log, every filing line carrying its inventory's sha512")
    func intact() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            let object = try Self.objectRoot(vault)
            let verify = try vault.dossier(["verify"])
            #expect(verify.status == 0)
            #expect(!verify.stdout.contains(" A0"))
            let audit = try vault.dossier(["audit", "verify"])
            #expect(audit.status == 0)
            #expect(audit.stdout.hasPrefix("audit.log: 3 lines, hash chain intact\nhead: 3:"))
            // Each line names the digest of its version's inventory.json and of the one it replaced
            let lines = try String(decoding: FileSystem.readFile("\(vault.vault)/audit.log"), as: UTF8.self).split(separator: "\n")
            for (number, line) in lines.enumerated() {
                let fields = try JSONValue.parse(Array(line.utf8))
                let version = "v\(number + 1)"
                #expect(fields["version"] == .string(version))
                let digest = try DossierKit.Hasher.digest(.sha512, of: try FileSystem.readFile("\(object)/\(version)/inventory.json")).hex
                #expect(fields["inventory"] == .string(digest))
                if number > 0 {
                    let before = try DossierKit.Hasher.digest(.sha512, of: try FileSystem.readFile("\(object)/v\(number)/inventory.json")).hex
                    #expect(fields["replacedInventory"] == .string(before))
                } else {
                    #expect(fields["replacedInventory"] == nil)
                }
            }
        }
    }

    @Test("a whole dossier's object deleted is named (A003)")
    func objectDeleted() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try FileSystem.removeTree(try Self.objectRoot(vault))
            try Self.expectCaught(vault, "A003 IMUT-2021-0007: audit.log line 3 records its v3, but the store has no object for it")
        }
    }

    @Test("a dossier rolled back a version (v3 removed, v2's inventory and sidecar copied to the root) is named (A003)")
    func rolledBack() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            let object = try Self.objectRoot(vault)
            try FileSystem.removeTree("\(object)/v3")
            for name in ["inventory.json", "inventory.json.sha512"] {
                try FileSystem.removeFile("\(object)/\(name)")
                try writeFile("\(object)/\(name)", try FileSystem.readFile("\(object)/v2/\(name)"))
            }
            // OCFL alone finds nothing wrong: the object is a valid v2
            let ocfl = try runDossier(["verify", "--ocfl", object])
            #expect(ocfl.status == 0)
            try Self.expectCaught(vault, "A003 IMUT-2021-0007 v3: v3 is recorded by audit.log line 3, but the store's object ends at v2")
        }
    }

    @Test("a version's record edited together with its manifest, fixity and both sidecars is named (A002)")
    func recordForged() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            let object = try Self.objectRoot(vault)
            try Self.forgeHead(object, record: { fields in fields["title"] = .string("被改过的标题") })
            let ocfl = try runDossier(["verify", "--ocfl", object])
            #expect(ocfl.status == 0, "the forgery passes OCFL: \(ocfl.stdout)")
            try Self.expectCaught(vault, "A002 IMUT-2021-0007 v3/inventory.json: hashes to sha512 ")
            let verify = try vault.dossier(["verify"])
            #expect(verify.stdout.contains("but audit.log line 3 recorded "))
            #expect(!verify.stdout.contains("D00"))
        }
    }

    @Test("a version's message and user forged the same way are named (A002)")
    func messageForged() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try Self.forgeHead(try Self.objectRoot(vault), version: { block in
                block["message"] = .string("nothing happened")
                block["user"] = .object(["name": .string("someone else"), "address": .string("mailto:x@example.org")])
            })
            try Self.expectCaught(vault, "A002 IMUT-2021-0007 v3/inventory.json: hashes to sha512 ")
        }
    }

    @Test("audit.log and audit.log.head deleted is a failure, not \"0 lines, intact\" (A004)")
    func logDeleted() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try FileSystem.removeFile("\(vault.vault)/audit.log")
            try FileSystem.removeFile("\(vault.vault)/audit.log.head")
            try Self.expectCaught(vault, "A004 audit.log: is missing, but the store holds 3 versions of 1 dossier")
            // And emptied, too
            try writeFile("\(vault.vault)/audit.log", "")
            try Self.expectCaught(vault, "A004 audit.log: is empty, but the store holds 3 versions")
        }
    }

    @Test("killed right after the version folder moved in: verify says pending (exit 0), and the next filing writes the line, marked recovery")
    func crashAfterVersionRename() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            let object = try Self.objectRoot(vault)
            try writeFile("\(directory)/c.txt", "annual report 2022\n")
            let filing = ["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/c.txt", "--fact", "year=2022", "--fact", "signedOn=2023-01-15", "--fact", "parties=[\"内蒙古工业大学\"]", "--vault", vault.vault]
            // When a filing is killed just after its v4 folder was renamed into the object
            let killed = try runDossier(filing, environment: ["DOSSIER_CRASH_AT": "commit.version-rename.after"])
            #expect(killed.status == SIGKILL)
            #expect(FileSystem.isDirectory("\(object)/v4"))
            // Then verify reports the version as pending, as warnings, not as damage
            let verify = try vault.dossier(["verify"])
            #expect(verify.status == 0, "\(verify.stdout)")
            #expect(verify.stdout.contains("A006 IMUT-2021-0007 v4: v4 is committed, but the root inventory still names v3"))
            #expect(verify.stdout.contains("A005 IMUT-2021-0007 v4/inventory.json: is committed and its audit line is pending"))
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
            // And the next writer rolls v4 forward and writes its line, marked as written by recovery
            try writeFile("\(directory)/d.txt", "annual report 2021\n")
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/d.txt", "--fact", "year=2021", "--fact", "signedOn=2022-01-15", "--fact", "parties=[\"内蒙古工业大学\"]"]))
            let lines = try String(decoding: FileSystem.readFile("\(vault.vault)/audit.log"), as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
            #expect(lines.map { $0["version"]?.stringValue } == ["v1", "v2", "v3", "v4", "v5"])
            #expect(lines[3]["recovery"] == .bool(true))
            #expect(lines[3]["inventory"] == .string(try DossierKit.Hasher.digest(.sha512, of: try FileSystem.readFile("\(object)/v4/inventory.json")).hex))
            #expect(lines[4]["recovery"] == nil)
            let after = try vault.dossier(["verify"])
            #expect(after.status == 0)
            #expect(!after.stdout.contains(" A0"))
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
            #expect(!FileSystem.exists("\(vault.vault)/locks/IMUT-2021-0007.commit.json"))
        }
    }

    @Test("found by the crash campaign: killed between the root inventory and its sidecar, the next filing rolls forward (it read the pair before settling)")
    func crashBetweenInventoryAndSidecar() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try writeFile("\(directory)/c.txt", "annual report 2022\n")
            let filing = ["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/c.txt", "--fact", "year=2022", "--fact", "signedOn=2023-01-15", "--fact", "parties=[\"内蒙古工业大学\"]", "--vault", vault.vault]
            #expect(try runDossier(filing, environment: ["DOSSIER_CRASH_AT": "commit.inventory-rename.after"]).status == SIGKILL)
            try writeFile("\(directory)/d.txt", "annual report 2021\n")
            let next = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/d.txt", "--fact", "year=2021", "--fact", "signedOn=2022-01-15", "--fact", "parties=[\"内蒙古工业大学\"]"])
            #expect(next.status == 0, "\(next.stderr)")
            #expect(next.stdout.hasPrefix("IMUT-2021-0007 v5: filed 1 document"))
            #expect(try vault.dossier(["verify"]).status == 0)
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
        }
    }

    @Test("found by the crash campaign: a new dossier killed before its object moved in leaves no empty folders once another dossier is filed")
    func crashBeforeObjectRename() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            let opening = ["new", "IMUT-2022-0001", "--title", "测试", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "fiscal", "--completer", "王芳:100:representative", "--vault", vault.vault]
            #expect(try runDossier(opening, environment: ["DOSSIER_CRASH_AT": "commit.object-rename.before"]).status == SIGKILL)
            #expect(FileSystem.exists("\(vault.vault)/locks/IMUT-2022-0001.commit.json"))
            try writeFile("\(directory)/d.txt", "annual report 2021\n")
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/d.txt", "--fact", "year=2021", "--fact", "signedOn=2022-01-15", "--fact", "parties=[\"内蒙古工业大学\"]"]))
            #expect(!FileSystem.exists("\(vault.vault)/locks/IMUT-2022-0001.commit.json"))
            let verify = try vault.dossier(["verify"])
            #expect(verify.status == 0, "\(verify.stdout)")
            #expect(!verify.stdout.contains("E073"))
            // And the dossier can be opened after all.
            try expectSuccess(runDossier(opening))
        }
    }

    @Test("killed before the version moved in: nothing is committed, and the journal is dropped without a line")
    func crashBeforeVersionRename() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try writeFile("\(directory)/c.txt", "annual report 2022\n")
            let filing = ["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/c.txt", "--fact", "year=2022", "--fact", "signedOn=2023-01-15", "--fact", "parties=[\"内蒙古工业大学\"]", "--vault", vault.vault]
            #expect(try runDossier(filing, environment: ["DOSSIER_CRASH_AT": "commit.version-rename.before"]).status == SIGKILL)
            #expect(try vault.dossier(["verify"]).stdout.contains("valid: 1 object"))
            try expectSuccess(runDossier(filing))
            let lines = try String(decoding: FileSystem.readFile("\(vault.vault)/audit.log"), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 4)
            #expect(!lines.contains { $0.contains("\"recovery\"") })
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
        }
    }

    @Test("a filing that committed but could not write its audit line exits 0 with a warning, records no refusal, and its line follows")
    func committedFilingNeverRefused() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            // Given an audit log that cannot be written (a folder in its place)
            try FileSystem.rename("\(vault.vault)/audit.log", to: "\(directory)/audit.log.saved")
            try FileSystem.makeDirectories("\(vault.vault)/audit.log")
            try writeFile("\(directory)/c.txt", "annual report 2022\n")
            // When a filing commits
            let filed = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/c.txt", "--fact", "year=2022", "--fact", "signedOn=2023-01-15", "--fact", "parties=[\"内蒙古工业大学\"]"])
            // Then it says so, exits 0, and warns that the line is left to the next writer
            #expect(filed.status == 0)
            #expect(filed.stdout.hasPrefix("IMUT-2021-0007 v4: filed 1 document; stored 1 new file (19 bytes)\n"))
            #expect(filed.stderr.hasPrefix("dossier: warning: IMUT-2021-0007 v4 is filed, but its audit line could not be written (audit log: cannot open "))
            #expect(filed.stderr.contains("the next filing, rename, withdrawal or classification of IMUT-2021-0007 writes it, marked as written by recovery"))
            // And once the log is back, the next filing writes v4's line first, then its own
            try FileSystem.removeEmptyDirectory("\(vault.vault)/audit.log")
            try FileSystem.rename("\(directory)/audit.log.saved", to: "\(vault.vault)/audit.log")
            #expect(try vault.dossier(["verify"]).stdout.contains("A005 IMUT-2021-0007 v4/inventory.json"))
            try expectSuccess(vault.dossier(["rename", "IMUT-2021-0007", "documents/annual-report/c.txt", "c-2022.txt"]))
            let lines = try String(decoding: FileSystem.readFile("\(vault.vault)/audit.log"), as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
            #expect(lines.map { $0["action"]?.stringValue } == ["filing", "filing", "filing", "filing", "filing"])
            #expect(lines.map { $0["version"]?.stringValue } == ["v1", "v2", "v3", "v4", "v5"])
            #expect(lines[3]["recovery"] == .bool(true))
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
        }
    }

    @Test("a filing whose audit.log.head cannot be replaced: the line is in, exit 0, one warning")
    func headNotWritten() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.vaultAtV3(directory)
            try FileSystem.removeFile("\(vault.vault)/audit.log.head")
            try FileSystem.makeDirectories("\(vault.vault)/audit.log.head/blocker")
            try writeFile("\(directory)/c.txt", "annual report 2022\n")
            let filed = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/c.txt", "--fact", "year=2022", "--fact", "signedOn=2023-01-15", "--fact", "parties=[\"内蒙古工业大学\"]"])
            #expect(filed.status == 0)
            #expect(filed.stderr.hasPrefix("dossier: warning: IMUT-2021-0007 v4 is filed and its audit line written, but audit log: line 4 was written, but "))
            let lines = try String(decoding: FileSystem.readFile("\(vault.vault)/audit.log"), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 4)
            #expect(!lines.joined().contains("refused"))
            #expect(!FileSystem.exists("\(vault.vault)/locks/IMUT-2021-0007.commit.json"))
        }
    }
}
