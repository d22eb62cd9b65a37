import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Export through the library: the bag's contents, determinism, compression choices,
/// refusals, and what happens when the store is damaged.
@Suite("Exporting a dossier version as a BagIt bag")
struct ExportTests {
    static let id = DossierID("IMUT-2021-0007")!
    static let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")

    /// A vault whose clock stands at 2021-04-21T09:30:00+08:00, with one dossier.
    static func vault(_ directory: String, classification: Classification = .none) throws -> Vault {
        var vault = try Vault.initialize(at: "\(directory)/Vault")
        vault.clock.now = { Date(timeIntervalSince1970: 1_618_968_600) }
        try vault.installTestSealKey()
        let record = DossierRecord(
            id: id, title: "一种风光互补储能系统的控制方法", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            classification: classification, secrecy: classification == .none ? nil : Secrecy(level: classification, readers: ["王芳"]))
        _ = try vault.withStaging { staging in
            try vault.apply(DossierChange(target: .create(record), user: agent, source: "test"), to: id, staging: staging)
        }
        return vault
    }

    /// Files documents (name → bytes) of one kind as one new version.
    @discardableResult
    static func file(_ vault: Vault, _ documents: [(String, [UInt8])], kind: DocumentKind = .ownershipAgreement, in directory: String) throws -> FilingResult {
        // Through the filer, as `dossier file` files: a classified dossier's papers are encrypted.
        let folder = "\(directory)/source-\(UUID().uuidString)"
        var paths: [String] = []
        for (name, bytes) in documents {
            try writeFile("\(folder)/\(name)", bytes)
            paths.append("\(folder)/\(name)")
        }
        return try vault.filer.file(paths, kind: kind, facts: ["signedOn": "2021-04-20"], into: id, user: agent, message: nil)
    }

    static func export(_ vault: Vault, _ format: ArchiveFormat, to output: String, version: VersionNumber? = nil, clearance: Classification? = nil, reason: String? = nil) throws -> ExportResult {
        try vault.exporter.export(
            ExportRequest(id: id, version: version, format: format, output: output, clearance: clearance, reason: reason, user: agent))
    }

    static let text = Array(String(repeating: "赋权协议第一条：成果完成人团队享有百分之七十的所有权。\n", count: 3000).utf8)

    @Test("the same version exports to the same bytes, even after later filings", arguments: ArchiveFormat.allCases)
    func deterministic(_ format: ArchiveFormat) throws {
        try withTemporaryDirectory { directory in
            // Given a dossier at v2 with a PDF and a text
            let vault = try ExportTests.vault(directory)
            try ExportTests.file(vault, [("协议.pdf", randomBytes(200_000)), ("说明.txt", ExportTests.text)], in: directory)
            // When v2 is exported twice, and again after v3 is filed
            _ = try ExportTests.export(vault, format, to: "\(directory)/a.\(format.rawValue)")
            _ = try ExportTests.export(vault, format, to: "\(directory)/b.\(format.rawValue)")
            try ExportTests.file(vault, [("补充.txt", Array("补充".utf8))], in: directory)
            _ = try ExportTests.export(vault, format, to: "\(directory)/c.\(format.rawValue)", version: VersionNumber(2))
            // Then all three archives are byte for byte the same
            let first = try fileSHA256("\(directory)/a.\(format.rawValue)")
            #expect(try fileSHA256("\(directory)/b.\(format.rawValue)") == first)
            #expect(try fileSHA256("\(directory)/c.\(format.rawValue)") == first)
        }
    }

    @Test("the bag holds the layout of FORMATS.md §6, with the fields of bag-info.txt")
    func layout() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier at v2
            let vault = try ExportTests.vault(directory)
            let pdf = randomBytes(10_000)
            try ExportTests.file(vault, [("协议.pdf", pdf)], in: directory)
            // When it is exported and unpacked
            let result = try ExportTests.export(vault, .tar, to: "\(directory)/out.tar")
            try unpackArchive("\(directory)/out.tar", into: "\(directory)/unpacked")
            let bag = "\(directory)/unpacked/IMUT-2021-0007-v2"
            // Then the files are where FORMATS.md puts them
            #expect(try FileSystem.contents(of: bag) == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "manifest-sha512.txt", "metadata", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt", "tagmanifest-sha512.txt.sig", "说明.html"])
            #expect(try FileSystem.contents(of: "\(bag)/metadata") == ["dossier.json", "four-properties.json", "history.json", "inventory.json", "validation.json"])
            #expect(try FileSystem.readFile("\(bag)/data/documents/ownership-agreement/协议.pdf") == pdf)
            #expect(try readText("\(bag)/bagit.txt") == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
            #expect(try readText("\(bag)/bag-info.txt") == """
                Source-Organization: 内蒙古自治区赋权试点（示范）
                External-Identifier: IMUT-2021-0007
                External-Description: 一种风光互补储能系统的控制方法
                Bagging-Date: 2021-04-21
                Bag-Software-Agent: dossier 0.1.0
                BagIt-Profile-Identifier: urn:dossier:bagit-profile:1.0
                Dossier-Version: v2
                Dossier-Status: not in order
                Classification: none
                Seal-Algorithm: ed25519
                Seal-Key-Fingerprint: \(try vault.sealKey().publicKey.fingerprint)
                Payload-Oxum: 10000.1

                """)
            #expect(try readText("\(bag)/manifest-sha512.txt") == "\(try Hasher.digest(.sha512, of: pdf).hex)  data/documents/ownership-agreement/协议.pdf\n")
            #expect(try readText("\(bag)/manifest-sha256.txt") == "\(try Hasher.digest(.sha256, of: pdf).hex)  data/documents/ownership-agreement/协议.pdf\n")
            // And the metadata ties back to the store: the version's own inventory, its record, every version
            let inventory = try vault.store.inventoryBytes(of: ExportTests.id, version: VersionNumber(2))
            #expect(try FileSystem.readFile("\(bag)/metadata/inventory.json") == inventory)
            let history = try JSONValue.parse(try FileSystem.readFile("\(bag)/metadata/history.json"))
            #expect(history.arrayValue?.map { $0["version"] } == ["v1", "v2"])
            #expect(history.arrayValue?.last?["added"] == ["documents/ownership-agreement/协议.pdf"])
            let validation = try JSONValue.parse(try FileSystem.readFile("\(bag)/metadata/validation.json"))
            // And the rules' verdict on v2: an ownership grant with only its agreement filed
            #expect(validation["status"] == "not in order")
            #expect(validation["version"] == "v2")
            #expect(validation["flags"] == [])
            let findings = validation["findings"]?.arrayValue ?? []
            #expect(findings.contains { $0["rule"] == "R03" && $0["severity"] == "error" })
            #expect(findings.allSatisfy { $0["dossier"] == "IMUT-2021-0007" && $0["version"] == "v2" })
            #expect(result.bag.payloadFiles == 1)
            // And every entry carries the version's time (2021-04-21T01:30:00Z) as its modification time
            #expect(result.bag.tagManifestSHA512 == (try Hasher.digest(.sha512, of: try FileSystem.readFile("\(bag)/tagmanifest-sha512.txt")).hex))
        }
    }

    @Test("a version without documents exports to a valid bag with an empty data/", arguments: ArchiveFormat.allCases)
    func emptyPayload(_ format: ArchiveFormat) throws {
        try withTemporaryDirectory { directory in
            // Given a dossier just opened (v1: the record only)
            let vault = try ExportTests.vault(directory)
            // When v1 is exported
            let result = try ExportTests.export(vault, format, to: "\(directory)/v1.\(format.rawValue)")
            // Then the bag is valid, with no payload file and Payload-Oxum 0.0
            let report = try BagVerifier.verify("\(directory)/v1.\(format.rawValue)")
            #expect(report.isValid, "\(report.errors)")
            #expect(report.payloadFiles == 0)
            #expect(result.bag.payloadFiles == 0)
            try unpackArchive("\(directory)/v1.\(format.rawValue)", into: "\(directory)/unpacked")
            #expect(FileSystem.isDirectory("\(directory)/unpacked/IMUT-2021-0007-v1/data"))
            #expect(try readText("\(directory)/unpacked/IMUT-2021-0007-v1/bag-info.txt").hasSuffix("Payload-Oxum: 0.0\n"))
        }
    }

    @Test("already-compressed documents are stored as they are; text is compressed", arguments: [ArchiveFormat.tarGzip, .zip])
    func compressionChoice(_ format: ArchiveFormat) throws {
        try withTemporaryDirectory { directory in
            // Given a PDF (random bytes, as compressed data looks) and a long text
            let vault = try ExportTests.vault(directory)
            let pdf = randomBytes(300_000)
            try ExportTests.file(vault, [("协议.pdf", pdf), ("说明.txt", ExportTests.text)], in: directory)
            // When the version is exported
            let result = try ExportTests.export(vault, format, to: "\(directory)/out.\(format.rawValue)")
            let archive = try FileSystem.readFile("\(directory)/out.\(format.rawValue)")
            // Then the PDF's bytes appear in the archive as they are (stored, not deflated)
            #expect(archive.firstRange(of: pdf[100_000..<100_512]) != nil)
            // And the text does not: it was compressed, to far less than its size
            #expect(archive.firstRange(of: ExportTests.text[0..<512]) == nil)
            #expect(result.bag.archiveBytes < Int64(pdf.count + ExportTests.text.count / 2))
        }
    }

    @Test("a tar ending in a zip-based document keeps zip signatures out of its last 64 KiB", arguments: [ArchiveFormat.tar, .tarGzip])
    func noZipSignatureAtTheEnd(_ format: ArchiveFormat) throws {
        try withTemporaryDirectory { directory in
            // Given a dossier whose last payload file (in byte order) is a small DOCX, itself a zip
            let vault = try ExportTests.vault(directory)
            try archiveFolder(directory, format: .zip, to: "\(directory)/word.zip", topFolder: "word")
            let docx = try FileSystem.readFile("\(directory)/word.zip")
            let endOfCentralDirectory: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
            #expect(docx.firstRange(of: endOfCentralDirectory) != nil)
            try ExportTests.file(vault, [("决定.docx", docx)], in: directory)
            // When it is exported
            _ = try ExportTests.export(vault, format, to: "\(directory)/out.\(format.rawValue)")
            let archive = try FileSystem.readFile("\(directory)/out.\(format.rawValue)")
            // Then the DOCX's end-of-central-directory record is not in the last 65,558 bytes,
            // where zip detectors (Python's zipfile.is_zipfile, used by bdbag) look for one
            #expect(archive.firstRange(of: endOfCentralDirectory) != nil)
            #expect(archive.suffix(65_558).firstRange(of: endOfCentralDirectory) == nil)
        }
    }

    @Test("a corrupted content file stops the export, and no file is left behind", arguments: ArchiveFormat.allCases)
    func corruptStore(_ format: ArchiveFormat) throws {
        try withTemporaryDirectory { directory in
            // Given a dossier whose stored PDF had one byte flipped
            let vault = try ExportTests.vault(directory)
            try ExportTests.file(vault, [("a.txt", Array("甲".utf8)), ("协议.pdf", randomBytes(3_000_000))], in: directory)
            let stored = try vault.snapshot(of: ExportTests.id).content("documents/ownership-agreement/协议.pdf").withFilePath { $0 }
            var bytes = try FileSystem.readFile(stored)
            bytes[2_500_000] ^= 0xFF
            try FileSystem.removeFile(stored)
            try FileSystem.writeNewFile(stored, bytes)
            try FileSystem.makeDirectories("\(directory)/out")
            // When it is exported
            // Then the export fails naming the document, and the output folder stays empty
            #expect {
                _ = try ExportTests.export(vault, format, to: "\(directory)/out/bag.\(format.rawValue)")
            } throws: { error in
                "\(error)".hasPrefix("IMUT-2021-0007: v2 documents/ownership-agreement/协议.pdf is damaged: expected sha256 ")
                    && "\(error)".hasSuffix("; nothing was exported")
            }
            #expect(try FileSystem.contents(of: "\(directory)/out") == [])
            // And nothing was recorded as exported
            #expect(try vault.auditLog.records().compactMap(\.action) == [.filing, .filing])
        }
    }

    // Names with CR or LF are refused at filing since issue 13 (control characters); the bag's
    // ␊ renaming stays for vaults filed before, and is no longer reachable through filing.
    @Test("names holding % are renamed in the bag; the record keeps them")
    func renamedPayload() throws {
        try withTemporaryDirectory { directory in
            // Given documents named with a percent sign
            let vault = try ExportTests.vault(directory)
            try ExportTests.file(vault, [("公示 100%.txt", Array("甲".utf8)), ("第一 第二.txt", Array("乙".utf8))], kind: .publicityRecord, in: directory)
            // When the version is exported and checked
            let result = try ExportTests.export(vault, .zip, to: "\(directory)/out.zip")
            let report = try BagVerifier.verify("\(directory)/out.zip")
            #expect(report.isValid)
            #expect(report.warnings.isEmpty)
            // Then the bag uses ％ instead
            try unpackArchive("\(directory)/out.zip", into: "\(directory)/unpacked")
            let bag = "\(directory)/unpacked/IMUT-2021-0007-v2"
            #expect(try FileSystem.contents(of: "\(bag)/data/documents/publicity-record") == ["公示 100％.txt", "第一 第二.txt"])
            #expect(result.renamed.map(\.to) == ["data/documents/publicity-record/公示 100％.txt"])
            // And metadata maps them back to the names in metadata/dossier.json
            let names = try JSONValue.parse(try FileSystem.readFile("\(bag)/metadata/payload-names.json"))
            #expect(names == [
                ["path": "documents/publicity-record/公示 100%.txt", "bagPath": "data/documents/publicity-record/公示 100％.txt"]
            ])
            let record = try JSONValue.parse(try FileSystem.readFile("\(bag)/metadata/dossier.json"))
            #expect(record["documents"]?.arrayValue?.compactMap { $0["path"]?.stringValue }.sorted() == ["documents/publicity-record/公示 100%.txt", "documents/publicity-record/第一 第二.txt"])
        }
    }

    @Test("a classified dossier is exported only with a cleared identity, a reason and the auditor's key; the export is recorded")
    func clearance() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier classified confidential (机密), a reader cleared for top-secret and one for secret only
            let officer = try TestIdentity(at: "\(directory)/keys/officer.key")
            let clerk = try TestIdentity(at: "\(directory)/keys/clerk.key")
            let auditor = try TestIdentity(at: "\(directory)/keys/auditor.key")
            var vault = try ExportTests.vault(directory, classification: .confidential)
            vault = try vault.clearing("保密办公室", .topSecret, officer).clearing("李强", .secret, clerk)
            vault.clock.now = { Date(timeIntervalSince1970: 1_618_968_600) }
            let paper = Array("涉密协议正文 SECRET-PAPER".utf8)
            try ExportTests.file(vault, [("协议.txt", paper)], in: directory)
            let output = "\(directory)/out.zip"
            func export(_ access: ReadAccess?, to recipients: [String] = [], plaintext: Bool = false) throws -> ExportResult {
                var request = ExportRequest(id: ExportTests.id, version: nil, format: .zip, output: output, clearance: nil, reason: access?.reason, user: ExportTests.agent)
                request.access = access
                request.recipients = recipients
                request.plaintext = plaintext
                return try vault.exporter.export(request)
            }
            // When it is exported without an identity, with the secret-only reader's, or without saying how the papers travel
            // Then each is refused with one line, and nothing is written
            #expect(throws: VaultError.self) { _ = try export(nil) }
            let clerkAccess = try ReadAccess.load(identityFile: clerk.path, reason: "审计", settings: vault.settings)
            #expect(throws: VaultError.self) { _ = try export(clerkAccess, to: [auditor.recipient]) }
            let access = try ReadAccess.load(identityFile: officer.path, reason: "年度审计", settings: vault.settings)
            do {
                _ = try export(access)
                Issue.record("an export saying nothing of how its papers travel was allowed")
            } catch {
                #expect("\(error)" == "IMUT-2021-0007 v2 is classified confidential (机密): give --to age1… (the receiving auditor's key), or --plaintext to export its papers in the clear")
            }
            #expect(!FileSystem.exists(output))
            // When it is exported by the officer for the auditor
            _ = try export(access, to: [auditor.recipient])
            // Then bag-info says so, the paper in the bag opens with the auditor's key only, and the audit log has who, what and why
            try unpackArchive(output, into: "\(directory)/unpacked")
            let info = try readText("\(directory)/unpacked/IMUT-2021-0007-v2/bag-info.txt")
            #expect(info.contains("\nClassification: confidential\n"))
            #expect(info.contains("\nPayload-Encryption: age\n"))
            let bagged = try FileSystem.readFile("\(directory)/unpacked/IMUT-2021-0007-v2/data/documents/ownership-agreement/协议.txt")
            var opened: [UInt8] = []
            try bagged.withUnsafeBytes { bytes in
                var offset = 0
                _ = try AgeFile.decrypt(with: [auditor.identity], read: { buffer in
                    let count = min(buffer.count, bytes.count - offset)
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                    offset += count
                    return count
                }, write: { opened += $0 })
            }
            #expect(opened == paper)
            #expect(!bagged.contains(subsequence: Array("SECRET-PAPER".utf8)))
            let last = try #require(try vault.auditLog.records().last)
            #expect(last.action == .export)
            #expect(last.fields["by"]?["name"] == "张律师")
            #expect(last.fields["version"] == "v2")
            #expect(last.fields["classification"] == "confidential")
            #expect(last.fields["readers"] == ["保密办公室"])
            #expect(last.fields["reason"] == "年度审计")
            #expect(last.fields["to"] == [.string(auditor.recipient)])
            #expect(last.fields["documents"] == ["documents/ownership-agreement/协议.txt"])
            #expect(last.fields["file"] == .string(output))
            // And the two refused reads are in the log before it (the CLI records the third, a request the exporter refused)
            let refused = try vault.auditLog.records().filter { $0.action == .refused }
            #expect(refused.count == 2)
        }
    }

    @Test("filings record themselves, and a confidentiality review also as a review")
    func filingsAreAudited() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier opened, then a confidentiality review filed
            let vault = try ExportTests.vault(directory)
            try vault.withStaging { staging in
                try writeFile("\(directory)/review.pdf", randomBytes(100))
                let staged = try vault.stage(fileAt: "\(directory)/review.pdf", into: staging)
                let facts: JSONObject = ["signedOn": "2021-04-20", "parties": ["保密办"], "decision": "approve", "reviewer": "赵主任", "reviewedVersion": "v1", "classificationReviewed": true]
                let document = IncomingDocument(kind: .confidentialityReview, fileName: "审查.pdf", facts: facts, content: staged, origin: "审查.pdf")
                _ = try vault.apply(DossierChange(target: .existing(update: nil), documents: [document], user: ExportTests.agent, source: "test"), to: ExportTests.id, staging: staging)
            }
            // Then the log holds the two filings and the review, chained
            let records = try vault.auditLog.records()
            #expect(records.compactMap(\.action) == [.filing, .filing, .review])
            #expect(records[0].fields["created"] == true)
            #expect(records[1].fields["documents"] == ["documents/confidentiality-review/审查.pdf"])
            #expect(records[2].fields["decision"] == "approve")
            #expect(records[2].fields["reviewer"] == "赵主任")
            #expect(records[2].fields["reviewedVersion"] == "v1")
            #expect(records[2].fields["version"] == "v2")
            #expect(try vault.auditLog.verify().problems.isEmpty)
        }
    }
}
