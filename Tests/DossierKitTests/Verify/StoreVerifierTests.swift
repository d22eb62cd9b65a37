import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// A finding reduced to what a test pins: code, path and version.
struct Pin: Hashable, CustomStringConvertible {
    var code: String
    var path: String
    var version: String?

    init(_ code: String, _ path: String, _ version: String? = nil) {
        self.code = code
        self.path = path
        self.version = version
    }

    init(_ finding: OCFLFinding) { self.init(finding.code.rawValue, finding.path, finding.version) }

    var description: String { "\(code) \(path) \(version ?? "-")" }
}

let sampleID = "IMUT-2021-0007"

/// The object folder of the sample dossier.
func sampleObject(_ vault: Vault) throws -> String {
    vault.store.objectRoot(for: try #require(DossierID(sampleID)))
}

@Suite("Verifying the vault's store")
struct StoreVerifierTests {
    @Test("a store written by the vault verifies with no finding at all")
    func cleanStore() throws {
        try withTemporaryDirectory { directory in
            // Given a vault with two dossiers of two versions each
            let vault = try SampleVault.create(at: "\(directory)/Vault", ids: [sampleID, "IMAAAHS-2022-0001"])
            // When the whole store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then nothing is reported and every content file was hashed once
            #expect(report.findings.map(\.description) == [])
            #expect(report.objectsChecked == 2)
            #expect(report.filesHashed == 2 * (SampleVault.documents.count + 2))
        }
    }

    @Test("a dossier seen half committed is checked again under its lock, and the second look stands")
    func recheckUnderLock() throws {
        try withTemporaryDirectory { directory in
            // Given a filing in progress: it holds the dossier's lock, and its version folder v3
            // is in place before the root inventory names it
            let vault = try SampleVault.create(at: "\(directory)/Vault", ids: [sampleID])
            let id = try #require(DossierID(sampleID))
            let object = try sampleObject(vault)
            var lock: DossierLock? = try DossierLock(id: id, directory: vault.locksPath, timeout: 1)
            try FileManager.default.copyItem(atPath: "\(object)/v2", toPath: "\(object)/v3")
            #expect(lock != nil)
            // When verify runs meanwhile, and the filing ends (here: rolls back) a second later
            let box = ReportBox()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                box.report = try? StoreVerifier.verify(vault.store, locks: vault.locks)
                done.signal()
            }
            Thread.sleep(forTimeInterval: 1)
            try FileManager.default.removeItem(atPath: "\(object)/v3")
            lock = nil
            done.wait()
            // Then the verdict is the one taken under the lock: nothing wrong
            let report = try #require(box.report)
            #expect(report.findings.map(\.description) == [])
            // And a stray version folder nobody is committing is still reported
            try FileManager.default.copyItem(atPath: "\(object)/v2", toPath: "\(object)/v3")
            #expect(!(try StoreVerifier.verify(vault.store, locks: vault.locks)).isValid)
        }
    }

    /// One flipped bit in one file, and exactly what must be reported.
    enum Damage: String, CaseIterable, CustomStringConvertible {
        case contentFile, dossierRecord, rootInventory, headInventoryCopy, olderInventory, rootSidecar, olderSidecar

        var description: String { rawValue }

        /// The file to damage, relative to the object, and where in it.
        var target: (file: String, offset: Offset) {
            switch self {
            case .contentFile: ("v1/content/documents/team-consensus/团队约定.pdf", .at(3))
            case .dossierRecord: ("v2/content/dossier.json", .inside("\"title\": \""))
            case .rootInventory: ("inventory.json", .insideLast("\"message\": \""))
            case .headInventoryCopy: ("v2/inventory.json", .insideLast("\"message\": \""))
            case .olderInventory: ("v1/inventory.json", .inside("\"message\": \""))
            case .rootSidecar: ("inventory.json.sha512", .firstDecimalDigit)
            case .olderSidecar: ("v1/inventory.json.sha512", .firstDecimalDigit)
            }
        }

        var expected: Set<Pin> {
            switch self {
            case .contentFile:
                let path = "v1/content/documents/team-consensus/团队约定.pdf"
                return [Pin("E092", path, "v1"), Pin("E093", path, "v1")]
            case .dossierRecord:
                return [Pin("E092", "v2/content/dossier.json", "v2"), Pin("E093", "v2/content/dossier.json", "v2")]
            case .rootInventory:
                return [Pin("E064", "inventory.json"), Pin("E060", "inventory.json")]
            case .headInventoryCopy:
                return [Pin("E064", "v2/inventory.json", "v2"), Pin("E060", "v2/inventory.json", "v2")]
            case .olderInventory:
                // The flipped byte is in v1's message, which the root inventory repeats: W011 too.
                return [Pin("E060", "v1/inventory.json", "v1"), Pin("W011", "v1/inventory.json", "v1")]
            case .rootSidecar:
                return [Pin("E060", "inventory.json.sha512")]
            case .olderSidecar:
                return [Pin("E060", "v1/inventory.json.sha512", "v1")]
            }
        }
    }

    enum Offset {
        case at(Int)
        /// The first byte after this text (inside a JSON string, so the JSON stays valid).
        case inside(String)
        /// The same after the text's last occurrence (in an inventory: v2's block, which
        /// only the root inventory and v2's copy hold).
        case insideLast(String)
        /// The first 0–9 of a sidecar: flipping its low bit leaves a hex digit.
        case firstDecimalDigit

        var isLast: Bool {
            if case .insideLast = self { return true }
            return false
        }
    }

    static func offset(_ offset: Offset, in bytes: [UInt8]) throws -> Int {
        switch offset {
        case .at(let index):
            return index
        case .inside(let marker), .insideLast(let marker):
            let needle = Array(marker.utf8)
            let starts = (0...(bytes.count - needle.count)).filter { Array(bytes[$0..<$0 + needle.count]) == needle }
            let start = try #require(offset.isLast ? starts.last : starts.first)
            return start + needle.count
        case .firstDecimalDigit:
            return try #require(bytes.firstIndex { (0x30...0x39).contains($0) })
        }
    }

    @Test("a flipped byte in any content file, inventory or sidecar is named with its file and version", arguments: Damage.allCases)
    func flippedByte(_ damage: Damage) throws {
        try withTemporaryDirectory { directory in
            // Given a vault whose sample dossier has v1 and v2, and one bit flipped in one file
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let file = "\(try sampleObject(vault))/\(damage.target.file)"
            let offset = try Self.offset(damage.target.offset, in: try FileSystem.readFile(file))
            try SampleVault.flipByte(in: file, at: offset)
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then exactly that file and version are reported, on the dossier, and nothing else
            #expect(Set(report.findings.map(Pin.init)) == damage.expected, "\(report.findings.map(\.description))")
            #expect(report.findings.allSatisfy { $0.object == sampleID })
            #expect(!report.isValid)
        }
    }

    @Test("verifying named dossiers checks just those objects")
    func namedDossiers() throws {
        try withTemporaryDirectory { directory in
            // Given two dossiers, one with a damaged document
            let vault = try SampleVault.create(at: "\(directory)/Vault", ids: [sampleID, "IMAAAHS-2022-0001"])
            try SampleVault.flipByte(in: "\(try sampleObject(vault))/v2/content/documents/unit-approval/单位审批意见.pdf")
            // When each is verified by id
            let damaged = try StoreVerifier.verify(vault.store, ids: [try #require(DossierID(sampleID))], locks: vault.locks)
            let intact = try StoreVerifier.verify(vault.store, ids: [try #require(DossierID("IMAAAHS-2022-0001"))], locks: vault.locks)
            // Then only the damaged one is invalid
            #expect(damaged.objectsChecked == 1 && !damaged.isValid)
            #expect(Set(damaged.findings.map(\.code.rawValue)) == ["E092", "E093"])
            #expect(intact.objectsChecked == 1 && intact.findings.isEmpty)
        }
    }

    @Test("a named dossier that is not in the store cannot be verified")
    func missingDossier() throws {
        try withTemporaryDirectory { directory in
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            #expect(throws: StoreError.self) { try StoreVerifier.verify(vault.store, ids: [try #require(DossierID("NOPE-1"))], locks: vault.locks) }
        }
    }

    @Test("--no-digests checks structure only: a changed document goes unseen, a changed inventory does not")
    func structureOnly() throws {
        try withTemporaryDirectory { directory in
            // Given a damaged document and a damaged sidecar
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = try sampleObject(vault)
            try SampleVault.flipByte(in: "\(object)/v1/content/documents/grant-application/赋权申请.pdf")
            // When verified without recomputing content digests
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks, options: VerifyOptions(checkDigests: false))
            // Then nothing is hashed and nothing reported
            #expect(report.filesHashed == 0)
            #expect(report.findings.isEmpty)
        }
    }

    @Test("one worker and two workers report the same findings in the same order")
    func workerCountDoesNotMatter() throws {
        try withTemporaryDirectory { directory in
            // Given three dossiers with damage in two of them
            let ids = [sampleID, "IMAAAHS-2022-0001", "IMUT-2022-0003"]
            let vault = try SampleVault.create(at: "\(directory)/Vault", ids: ids)
            for id in ids.prefix(2) {
                let object = vault.store.objectRoot(for: try #require(DossierID(id)))
                try SampleVault.flipByte(in: "\(object)/v1/content/documents/grant-application/赋权申请.pdf")
            }
            // When verified with one worker and with two
            let one = try StoreVerifier.verify(vault.store, locks: vault.locks, options: VerifyOptions(workers: 1))
            let two = try StoreVerifier.verify(vault.store, locks: vault.locks, options: VerifyOptions(workers: 2))
            // Then the reports are identical
            #expect(one.findings.count == 4)
            #expect(one.findings == two.findings)
        }
    }

    @Test("a big document, hashed on two threads when it is the last work, is checked like a small one")
    func bigDocument() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier with a 9 MiB document (more than the two-thread threshold)
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let id = try #require(DossierID(sampleID))
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<(9 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try SampleVault.fileDocument(bytes, kind: .ownershipAgreement, name: "赋权协议.pdf", into: vault, id: id)
            #expect(try StoreVerifier.verify(vault.store, locks: vault.locks).findings.isEmpty)
            // When one byte near its end is flipped
            let path = "v3/content/documents/ownership-agreement/赋权协议.pdf"
            try SampleVault.flipByte(in: "\(try sampleObject(vault))/\(path)", at: -5)
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then both its digests are reported wrong, and the bytes were all read
            #expect(Set(report.findings.map(Pin.init)) == [Pin("E092", path, "v3"), Pin("E093", path, "v3")])
            #expect(report.bytesHashed > Int64(bytes.count))
        }
    }
}

@Suite("The vault's own rules for dossiers (D codes)")
struct DossierRecordCheckTests {
    /// Rewrites an object's inventories (root and head copy, with sidecars) so that they record
    /// the current bytes of `contentPath`: the OCFL layer is then intact, and only what the file
    /// says can be wrong.
    static func reseal(objectRoot: String, contentPath: String) throws {
        let bytes = try FileSystem.readFile("\(objectRoot)/\(contentPath)")
        let sha512 = try Hasher.digest(.sha512, of: bytes).hex
        let sha256 = try Hasher.digest(.sha256, of: bytes).hex
        let folders = [objectRoot] + (try FileSystem.contents(of: objectRoot)).filter { $0.hasPrefix("v") }.map { "\(objectRoot)/\($0)" }
        for folder in folders {
            let data = try FileSystem.readFile("\(folder)/inventory.json")
            var inventory = try Inventory.decode(try FieldReader.parse(file: "inventory.json", data: data))
            guard let old = inventory.manifest.first(where: { $0.value.contains(contentPath) })?.key else { continue }
            inventory.manifest[old]?.removeAll { $0 == contentPath }
            if inventory.manifest[old]?.isEmpty == true { inventory.manifest[old] = nil }
            inventory.manifest[sha512, default: []].append(contentPath)
            for (number, var version) in inventory.versions {
                let paths = version.files.filter { $0.value == old }.keys
                guard !paths.isEmpty else { continue }
                for path in paths { version.files[path] = sha512 }
                inventory.versions[number] = version
            }
            let oldFixity = try #require(inventory.fixity["sha256"]?.first { $0.value.contains(contentPath) }?.key)
            inventory.fixity["sha256"]?[oldFixity] = nil
            inventory.fixity["sha256"]?[sha256] = [contentPath]
            let serialized = inventory.serialized()
            try writeFile("\(folder)/inventory.json", serialized)
            try writeFile("\(folder)/inventory.json.sha512", "\(try Hasher.digest(.sha512, of: serialized).hex)  inventory.json\n")
        }
    }

    /// A change to v2's dossier.json and the one finding it must cause.
    enum RecordEdit: String, CaseIterable, CustomStringConvertible {
        case listsAbsentDocument, omitsDocument, wrongDigest, wrongSize, otherDossier

        var description: String { rawValue }

        var expectedCode: String {
            switch self {
            case .listsAbsentDocument: "D005"
            case .omitsDocument: "D006"
            case .wrongDigest: "D007"
            case .wrongSize: "D008"
            case .otherDossier: "D004"
            }
        }

        func apply(to record: inout DossierRecord) throws {
            switch self {
            case .listsAbsentDocument:
                var ghost = record.documents[0]
                ghost.path = "documents/unit-approval/不存在.pdf"
                record.documents.append(ghost)
            case .omitsDocument:
                record.documents.removeFirst()
            case .wrongDigest:
                record.documents[0].sha512 = try Hasher.digest(.sha512, of: Array("something else".utf8))
            case .wrongSize:
                record.documents[0].size += 1
            case .otherDossier:
                record.id = try #require(DossierID("IMUT-1999-0001"))
            }
        }
    }

    @Test("a dossier.json that disagrees with its version's state is reported with its D code", arguments: RecordEdit.allCases)
    func recordDisagrees(_ edit: RecordEdit) throws {
        try withTemporaryDirectory { directory in
            // Given v2's dossier.json changed, and the inventories resealed to match its bytes
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = try sampleObject(vault)
            let path = "v2/content/dossier.json"
            var record = try RecordCodec.decodeRecord(try FieldReader.parse(file: path, data: try FileSystem.readFile("\(object)/\(path)")))
            try edit.apply(to: &record)
            try writeFile("\(object)/\(path)", RecordCodec.encode(record).serialized())
            try Self.reseal(objectRoot: object, contentPath: path)
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then OCFL is satisfied and the one finding is the record's, on v2's dossier.json
            #expect(report.findings.map(Pin.init) == [Pin(edit.expectedCode, path, "v2")], "\(report.findings.map(\.description))")
        }
    }

    @Test("a dossier.json that is not a dossier record is D003, naming the field")
    func recordDoesNotDecode() throws {
        try withTemporaryDirectory { directory in
            // Given v1's dossier.json with an unknown grant kind, resealed
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = try sampleObject(vault)
            let path = "v1/content/dossier.json"
            let text = try readText("\(object)/\(path)").replacingOccurrences(of: "\"grant\": \"ownership\"", with: "\"grant\": \"forever\"")
            try writeFile("\(object)/\(path)", text)
            try Self.reseal(objectRoot: object, contentPath: path)
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then the finding names the version, the file and the field
            let finding = try #require(report.findings.first)
            #expect(report.findings.count == 1)
            #expect(Pin(finding) == Pin("D003", path, "v1"))
            #expect(finding.message.contains("grant"))
        }
    }
}

@Suite("Verifying the vault's storage root")
struct StorageRootVerifyTests {
    @Test("an object moved away from where the layout puts its id is E083")
    func objectAtWrongPath() throws {
        try withTemporaryDirectory { directory in
            // Given the sample object moved to another tuple path (its emptied folders removed)
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = try sampleObject(vault)
            let name = FileSystem.lastComponent(of: object)
            try FileSystem.makeDirectories("\(vault.store.path)/000/000/000")
            try FileSystem.rename(object, to: "\(vault.store.path)/000/000/000/\(name)")
            var parent = FileSystem.parent(of: object)
            while parent != vault.store.path {
                try FileSystem.removeEmptyDirectory(parent)
                parent = FileSystem.parent(of: parent)
            }
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then the object is reported, by its dossier id, as misplaced, and nothing else
            #expect(report.findings.map(Pin.init) == [Pin("E083", "")])
            #expect(report.findings.first?.object == sampleID)
            #expect(report.findings.first?.message.contains("000/000/000/\(name)") == true)
        }
    }

    @Test("a copy of an object elsewhere is misplaced, and its id is no longer unique")
    func duplicatedObject() throws {
        try withTemporaryDirectory { directory in
            // Given a byte-for-byte copy of the sample object in another tuple path
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = try sampleObject(vault)
            let copy = "\(vault.store.path)/fff/fff/fff/\(FileSystem.lastComponent(of: object))"
            try FileSystem.makeDirectories(copy)
            try FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: object, toPath: copy)
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then the copy is E083 and the store E037
            #expect(Set(report.findings.map(Pin.init)) == [Pin("E083", ""), Pin("E037", "")])
        }
    }

    /// Damage to the storage root's own structure.
    enum RootDamage: String, CaseIterable, CustomStringConvertible {
        case fileInIntermediateFolder, emptyFolder, leafWithoutObject, unregisteredExtension, brokenLayoutFile, missingDeclaration, symbolicLink

        var description: String { rawValue }

        /// Damages the store and returns the finding it must cause. `object` is the sample
        /// object's folder relative to the store (`3c0/ff4/240/urn%3a…`).
        func apply(to store: String, object: String) throws -> Pin {
            switch self {
            case .fileInIntermediateFolder:
                let tuple = String(object.prefix { $0 != "/" })
                try writeFile("\(store)/\(tuple)/notes.txt", "notes")
                return Pin("E084", "\(tuple)/notes.txt")
            case .emptyFolder:
                try FileSystem.makeDirectories("\(store)/000/111")
                return Pin("E073", "000/111")
            case .leafWithoutObject:
                try writeFile("\(store)/000/222/stray.pdf", "stray")
                return Pin("E085", "000/222")
            case .unregisteredExtension:
                try writeFile("\(store)/extensions/our-notes/readme.txt", "ours")
                return Pin("W016", "extensions/our-notes")
            case .brokenLayoutFile:
                try writeFile("\(store)/ocfl_layout.json", "{\"extension\": 3}")
                return Pin("E070", "ocfl_layout.json")
            case .missingDeclaration:
                try FileSystem.removeFile("\(store)/0=ocfl_1.1")
                return Pin("E069", "")
            case .symbolicLink:
                try FileSystem.makeDirectories("\(store)/000")
                try FileManager.default.createSymbolicLink(atPath: "\(store)/000/link", withDestinationPath: "/tmp")
                return Pin("E090", "000/link")
            }
        }
    }

    @Test("damage to the storage root itself is reported with the spec's code", arguments: RootDamage.allCases)
    func rootDamage(_ damage: RootDamage) throws {
        try withTemporaryDirectory { directory in
            // Given a sound vault whose storage root is then damaged
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = String(try sampleObject(vault).dropFirst(vault.store.path.count + 1))
            let expected = try damage.apply(to: vault.store.path, object: object)
            // When the store is verified
            let report = try StoreVerifier.verify(vault.store, locks: vault.locks)
            // Then the one finding is the damage, named on the store
            #expect(report.findings.map(Pin.init) == [expected], "\(report.findings.map(\.description))")
            #expect(report.findings.first?.object == "store")
        }
    }
}

/// Carries a report from the verifying thread to the test. `@unchecked Sendable`: written
/// once before the semaphore is signalled, read after it is waited for.
private final class ReportBox: @unchecked Sendable {
    var report: VerificationReport?
}
