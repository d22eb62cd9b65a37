@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Classified papers at rest: stored only encrypted, readable only with a cleared key, gone
/// from every version when a dossier is classified, out of a removed reader's reach after rekey.
@Suite("Confidentiality: classified papers encrypted at rest")
struct ConfidentialityTests {
    static let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")

    /// A vault with an officer cleared for top-secret and a clerk for secret.
    struct Setting {
        var vault: Vault
        let officer: TestIdentity
        let clerk: TestIdentity
        let auditor: TestIdentity
        let directory: String

        init(_ directory: String) throws {
            self.directory = directory
            officer = try TestIdentity(at: "\(directory)/keys/officer.key")
            clerk = try TestIdentity(at: "\(directory)/keys/clerk.key")
            auditor = try TestIdentity(at: "\(directory)/keys/auditor.key")
            vault = try Vault.initialize(at: "\(directory)/Vault").clearing("保密办公室", .topSecret, officer).clearing("李强", .secret, clerk)
            try vault.installTestSealKey()
        }

        func open(_ id: String, classification: Classification) throws {
            // swift-format-ignore: NeverForceUnwrap
            let record = DossierRecord(
                id: DossierID(id)!, title: "涉密成果\(id)", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
                classification: classification, secrecy: classification == .none ? nil : Secrecy(level: classification, until: LocalDate("2031-12-31"), readers: ["保密办公室"]))
            _ = try vault.filer.open(record, user: ConfidentialityTests.agent, message: nil, source: "test")
        }

        func file(_ id: String, _ name: String, _ bytes: [UInt8]) throws {
            let path = "\(directory)/papers/\(UUID().uuidString)/\(name)"
            try writeFile(path, bytes)
            // swift-format-ignore: NeverForceUnwrap
            _ = try vault.filer.file([path], kind: .secrecyApproval, facts: ["signedOn": "2024-01-02", "parties": ["甲方"]], into: DossierID(id)!, user: ConfidentialityTests.agent, message: nil)
        }

        func access(_ identity: TestIdentity) throws -> ReadAccess {
            try ReadAccess.load(identityFile: identity.path, reason: "审查", settings: vault.settings)
        }

        /// Every stored file of the dossier that is an age file.
        func storedPapers(_ id: String) throws -> [String] {
            // swift-format-ignore: NeverForceUnwrap
            let root = vault.store.objectRoot(for: DossierID(id)!)
            return try filesContaining(Array("age-encryption.org/v1".utf8), under: root)
        }
    }

    @Test("a marker in a classified paper is in no file under the vault home after filing, classify, index rebuild, rekey and an export with --to")
    func noPlaintextAnywhere() throws {
        try withTemporaryDirectory { directory in
            var setting = try Setting(directory)
            let filed = Array("MARKER-FILED-7f3a 涉密正文".utf8)
            let later = Array("MARKER-LATER-91c2 后来涉密".utf8)
            // Given a dossier classified secret from the start, with a paper filed into it
            try setting.open("IMUT-2024-0001", classification: .secret)
            try setting.file("IMUT-2024-0001", "审批.txt", filed)
            // And a dossier filed in the clear over two versions, then classified
            try setting.open("IMUT-2024-0002", classification: .none)
            try setting.file("IMUT-2024-0002", "审批一.txt", later)
            try setting.file("IMUT-2024-0002", "审批二.txt", later + Array(" 第二份".utf8))
            let home = setting.vault.home
            #expect(try filesContaining(Array("MARKER-LATER-91c2".utf8), under: home).count == 2)
            let classified = try setting.vault.classify(
                DossierID("IMUT-2024-0002")!, level: .secret, until: LocalDate("2034-12-31"), condition: nil, access: nil, by: ConfidentialityTests.agent)
            #expect(classified.filesRewritten == 2)
            // When the index is rebuilt, the clerk's clearance removed and everything rekeyed, and an export made for an auditor
            try setting.vault.index.rebuild()
            setting.vault = try setting.vault.removeClearance(named: "李强", by: ConfidentialityTests.agent)
            let officer = try setting.access(setting.officer)
            for id in try setting.vault.encryptedDossiers() { _ = try setting.vault.rekey(id, access: officer, by: ConfidentialityTests.agent) }
            var request = ExportRequest(id: DossierID("IMUT-2024-0002")!, version: VersionNumber(2), format: .tar, output: "\(home)/exports/v2.tar", clearance: nil, reason: "审计", user: ConfidentialityTests.agent)
            try FileSystem.makeDirectories("\(home)/exports")
            request.access = officer
            request.recipients = [setting.auditor.recipient]
            _ = try setting.vault.exporter.export(request)
            // Then neither marker is in any file under the vault home: store, index, audit log, export
            for marker in ["MARKER-FILED-7f3a", "MARKER-LATER-91c2"] {
                #expect(try filesContaining(Array(marker.utf8), under: home) == [], "\(marker)")
            }
            // And the papers read back as filed, through a cleared identity
            var read: [UInt8] = []
            try setting.vault.copyDocument(of: DossierID("IMUT-2024-0002")!, path: "documents/secrecy-approval/审批一.txt", version: VersionNumber(2)) { _ in }
            _ = try setting.vault.getDocument(
                of: DossierID("IMUT-2024-0002")!, path: "documents/secrecy-approval/审批一.txt", version: VersionNumber(2),
                to: .file("\(directory)/out.txt"), access: officer, by: ConfidentialityTests.agent)
            read = try FileSystem.readFile("\(directory)/out.txt")
            #expect(read == later)
        }
    }

    @Test("Debian's age decrypts a stored classified paper to the exact filed bytes")
    func debianAgeReadsTheStore() throws {
        try withTemporaryDirectory { directory in
            // Given a paper of 3 × 64 KiB + 5 bytes filed into a secret dossier
            let setting = try Setting(directory)
            try setting.open("IMUT-2024-0001", classification: .secret)
            let paper = randomBytes(3 * 65_536 + 5)
            try setting.file("IMUT-2024-0001", "合同.pdf", paper)
            // When age -d opens the stored file with the clerk's identity
            let stored = try #require(try setting.storedPapers("IMUT-2024-0001").first)
            let outcome = try runProgram("/usr/bin/age", ["-d", "-i", setting.clerk.path, "-o", "\(directory)/plain.pdf", stored])
            // Then it gives the filed bytes
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try FileSystem.readFile("\(directory)/plain.pdf", limit: 1 << 30) == paper)
        }
    }

    @Test("after a reader's clearance is removed and the vault rekeyed, their key opens nothing stored; the others' still do")
    func removedReaderOpensNothing() throws {
        try withTemporaryDirectory { directory in
            // Given two secret dossiers whose papers the clerk can open
            var setting = try Setting(directory)
            for id in ["IMUT-2024-0001", "IMUT-2024-0002"] {
                try setting.open(id, classification: .secret)
                try setting.file(id, "一.txt", Array("一 \(id)".utf8))
                try setting.file(id, "二.txt", Array("二 \(id)".utf8))
            }
            let stored = try ["IMUT-2024-0001", "IMUT-2024-0002"].flatMap { try setting.storedPapers($0) }
            #expect(stored.count == 4)
            for file in stored { #expect(throws: Never.self) { try Self.authenticate(file, with: setting.clerk) } }
            // When the clerk's clearance is removed and every dossier rekeyed
            setting.vault = try setting.vault.removeClearance(named: "李强", by: ConfidentialityTests.agent)
            let officer = try setting.access(setting.officer)
            var rekeyed = 0
            for id in try setting.vault.encryptedDossiers() where try setting.vault.rekey(id, access: officer, by: ConfidentialityTests.agent) != nil { rekeyed += 1 }
            #expect(rekeyed == 2)
            // Then no stored file, of any version, opens with the clerk's key, and every one with the officer's
            let after = try ["IMUT-2024-0001", "IMUT-2024-0002"].flatMap { try setting.storedPapers($0) }
            #expect(after.count == 4)
            for file in after {
                #expect(throws: AgeError.self) { try Self.authenticate(file, with: setting.clerk) }
                #expect(throws: Never.self) { try Self.authenticate(file, with: setting.officer) }
            }
            // And the audit log records each rekey with the inventories before and after
            let rekeys = try setting.vault.auditLog.records().filter { $0.action == .rekey }
            #expect(rekeys.count == 2)
            #expect(rekeys.allSatisfy { $0.fields["oldInventory"] != $0.fields["newInventory"] })
        }
    }

    @Test("ocfl-py finds the store valid, with no error or warning, after classify, rekey, declassify, classify again and declassify again")
    func storeStaysValid() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier filed in the clear over four versions, a paper filed twice under two names
            var setting = try Setting(directory)
            try setting.open("IMUT-2024-0003", classification: .none)
            try setting.file("IMUT-2024-0003", "一.txt", Array("第一份".utf8))
            try setting.file("IMUT-2024-0003", "二.txt", Array("第一份".utf8))
            try setting.file("IMUT-2024-0003", "三.txt", Array("第三份".utf8))
            let id = try #require(DossierID("IMUT-2024-0003"))
            let object = setting.vault.store.objectRoot(for: id)
            func expectValid(_ step: String) throws {
                let outcome = try runOCFLValidate([object])
                let problems = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("[E") || $0.hasPrefix("[W") }
                #expect(outcome.status == 0 && problems.isEmpty, "after \(step): \(outcome.stdout) \(outcome.stderr)")
                #expect(try setting.vault.verify([id]).isValid, "after \(step)")
            }
            // When it is classified, rekeyed and declassified, the store is valid after each step
            _ = try setting.vault.classify(id, level: .confidential, until: LocalDate("2040-01-01"), condition: nil, access: nil, by: ConfidentialityTests.agent)
            try expectValid("classify")
            let officer = try setting.access(setting.officer)
            _ = try setting.vault.rekey(id, access: officer, by: ConfidentialityTests.agent)
            try expectValid("rekey")
            _ = try setting.vault.declassify(id, access: officer, by: ConfidentialityTests.agent)
            try expectValid("declassify")
            // And classified again: the papers encrypted at the first classify are still in the
            // store's history, already for these readers, and are left as they are
            _ = try setting.vault.classify(id, level: .confidential, until: LocalDate("2040-01-01"), condition: nil, access: officer, by: ConfidentialityTests.agent)
            try expectValid("classify again")
            _ = try setting.vault.declassify(id, access: officer, by: ConfidentialityTests.agent)
            try expectValid("declassify again")
            // And the history is whole: v1–v4 as filed, v5 classify, v6 declassify, v7 and v8 again, their messages kept
            let history = try setting.vault.history(of: id)
            #expect(history.map(\.version.description) == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"])
            #expect(history[4].message?.hasPrefix("classify confidential") == true)
            #expect(history[6].message?.hasPrefix("classify confidential") == true)
            #expect(history[5].recordChanges == ["classification", "secrecy"])
            // And the declassified head reads without a key; v2 still needs one
            setting.vault.clock.now = { Date() }
            _ = try setting.vault.getDocument(of: id, path: "documents/secrecy-approval/一.txt", to: .file("\(directory)/head.txt"), by: ConfidentialityTests.agent)
            #expect(try readText("\(directory)/head.txt") == "第一份")
            #expect(throws: VaultError.self) {
                try setting.vault.getDocument(of: id, path: "documents/secrecy-approval/一.txt", version: VersionNumber(2), to: .file("\(directory)/v2.txt"), by: ConfidentialityTests.agent)
            }
        }
    }

    @Test("the vault's files are created owner and group only, whatever the umask")
    func permissions() throws {
        try withTemporaryDirectory { directory in
            // Given a process whose umask takes nothing away
            let previous = umask(0)
            defer { umask(previous) }
            // When a vault is made and a classified paper filed
            let setting = try Setting(directory)
            try setting.open("IMUT-2024-0001", classification: .secret)
            try setting.file("IMUT-2024-0001", "审批.txt", Array("涉密".utf8))
            _ = try setting.vault.index.open { _ in }
            // Then no file or folder under the home is open to others, files are 0640 and folders 0750
            // (the seal key and its folder keys/ the owner's only: 0600 and 0700)
            var checked = 0
            func walk(_ path: String) throws {
                var status = stat()
                guard lstat(path, &status) == 0 else { return }
                let mode = status.st_mode & 0o777
                let isKey = path.hasPrefix("\(setting.vault.home)/keys")
                if FileSystem.isDirectory(path) {
                    #expect(mode == (isKey ? 0o700 : 0o750), "\(path): \(String(mode, radix: 8))")
                    for name in try FileSystem.contents(of: path) { try walk("\(path)/\(name)") }
                } else {
                    #expect(mode == (isKey ? 0o600 : 0o640), "\(path): \(String(mode, radix: 8))")
                }
                checked += 1
            }
            try walk(setting.vault.home)
            #expect(checked > 20)
        }
    }

    @Test("the index holds no text of a classified paper; its facts stay searchable")
    func indexHoldsNoText() throws {
        try withTemporaryDirectory { directory in
            // Given a secret dossier with a paper whose text names 钕铁硼
            let setting = try Setting(directory)
            try setting.open("IMUT-2024-0001", classification: .secret)
            try setting.file("IMUT-2024-0001", "审批.txt", Array("钕铁硼烧结工艺的保密要点".utf8))
            // When the index is built
            let index = try setting.vault.index.open { _ in }
            // Then the text is not found and its source is recorded as encrypted; the record still is
            #expect(try index.search(SearchQuery("钕铁硼")).isEmpty)
            #expect(try index.search(SearchQuery("保密要点")).isEmpty)
            let hits = try index.search(SearchQuery("涉密成果"))
            #expect(hits.map(\.path).sorted() == ["documents/secrecy-approval/审批.txt", "dossier.json"])
            #expect(!hits.contains { $0.snippet.contains("钕") || $0.snippet.contains("要点") })
            #expect(try index.knownTexts(of: DossierID("IMUT-2024-0001")!).values.map(\.source) == [.encrypted])
        }
    }

    static func authenticate(_ file: String, with identity: TestIdentity) throws {
        let input = try FileDescriptor.open(file, .readOnly)
        defer { input.closeQuietly() }
        try AgeFile.authenticate(with: [identity.identity], read: { try input.read(into: $0) })
    }
}
