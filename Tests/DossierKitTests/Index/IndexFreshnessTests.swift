@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The freshness check (`Vault.refreshIndex`) against changes made behind the index's back with
/// ordinary file operations, and its cost when nothing changed.
@Suite("Index freshness")
struct IndexFreshnessTests {
    static let enricher = VaultIndexTests.enricher

    /// A vault with two filed dossiers whose index was checked once more than
    /// ``FileFingerprint/settlingNanoseconds`` after the last change: every fingerprint it
    /// holds has settled.
    static func settledVault(_ directory: String) throws -> (Vault, DossierIndex) {
        var vault = try VaultIndexTests.filedVault(directory)
        vault.keepsIndexCurrent = false
        let index = try vault.index.open { _ in }
        Thread.sleep(forTimeInterval: Double(FileFingerprint.settlingNanoseconds) / 1e9 + 0.1)
        let settling = try vault.index.refresh(index)
        // The filings' inventories were recorded too soon after they were written: hashed, not read again
        #expect(settling.dossiersRead == 0)
        #expect(settling.inventoriesVerified == 2)
        #expect(settling.repair == nil)
        return (vault, index)
    }

    /// A dossier filed in another vault beside `vault`: its object's folder there, and where
    /// the same object belongs in `vault`'s store.
    static func objectFiledElsewhere(_ vault: Vault, _ directory: String) throws -> (id: DossierID, source: String, destination: String) {
        let other = try Vault.initialize(at: "\(directory)/Other")
        try VaultFiling(vault: other, directory: directory).create("IMUT-2023-0100", title: "向日葵育种方法")
        // swift-format-ignore: NeverForceUnwrap
        let id = DossierID("IMUT-2023-0100")!
        return (id, other.store.objectRoot(for: id), vault.store.objectRoot(for: id))
    }

    /// The store's tuple folders (and the root), counted by walking it with Foundation.
    static func tupleFolderCount(_ vault: Vault) throws -> Int {
        let root = vault.store.path
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        var count = 1
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/")
            let isTuple = parts.count <= 3 && parts.allSatisfy { $0.count == 3 && $0.allSatisfy(\.isHexDigit) }
            var isDirectory: ObjCBool = false
            if isTuple, FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory), isDirectory.boolValue { count += 1 }
        }
        return count
    }

    @Test("nothing changed: one stat per folder and per inventory, nothing listed, hashed or read")
    func nothingChanged() throws {
        try withTemporaryDirectory { directory in
            // Given an index whose fingerprints have settled
            let (vault, index) = try Self.settledVault(directory)
            // When the store is checked again
            let report = try vault.index.refresh(index)
            // Then every folder and inventory was compared, and nothing more done
            var expected = IndexFreshness()
            expected.foldersChecked = try Self.tupleFolderCount(vault)
            expected.objectsChecked = 2
            #expect(report == expected)
            #expect(expected.foldersChecked == 7)
        }
    }

    @Test("an inventory edited in place (with its sidecar) is noticed, and the dossier read again")
    func editedInventory() throws {
        try withTemporaryDirectory { directory in
            let (vault, index) = try Self.settledVault(directory)
            // swift-format-ignore: NeverForceUnwrap
            let id = DossierID("IMAAAHS-2022-0003")!
            let root = vault.store.objectRoot(for: id)
            // Given the head version's creation time rewritten in place, as `cp` over the file would
            var inventory = try #require(try JSONValue.parse(try FileSystem.readFile("\(root)/inventory.json")).objectValue)
            var versions = try #require(inventory["versions"]?.objectValue)
            var head = try #require(versions["v3"]?.objectValue)
            head["created"] = "2030-01-01T08:00:00+08:00"
            versions["v3"] = .object(head)
            inventory["versions"] = .object(versions)
            let bytes = Array(JSONValue.object(inventory).serialized().utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(root)/inventory.json"))
            try Data("\(try Hasher.digest(.sha512, of: bytes).hex)  inventory.json\n".utf8).write(to: URL(fileURLWithPath: "\(root)/inventory.json.sha512"))
            // When the index is checked
            let report = try vault.index.refresh(index)
            // Then that one dossier was read again, and the index shows the edit
            #expect(report.repair == .stale(changed: 1, added: 0, removed: 0))
            #expect(report.dossiersRead == 1)
            #expect(report.foldersListed == 0)
            // by its fingerprint alone: no hashing was needed to see it
            #expect(report.inventoriesVerified == 0)
            #expect(try index.list().map { "\($0.record.id) \($0.headCreated)" }.first == "IMAAAHS-2022-0003 2030-01-01T08:00:00+08:00")
            // And the next check finds nothing to do
            #expect(try vault.index.refresh(index).dossiersRead == 0)
        }
    }

    @Test("an object copied into the store is found through the folder it changed, and indexed")
    func copiedObject() throws {
        try withTemporaryDirectory { directory in
            let (vault, index) = try Self.settledVault(directory)
            // Given a dossier filed in another vault, its object copied into this store
            let (_, source, destination) = try Self.objectFiledElsewhere(vault, directory)
            try FileSystem.makeDirectories(FileSystem.parent(of: destination))
            try FileManager.default.copyItem(atPath: source, toPath: destination)
            // When the index is checked
            let report = try vault.index.refresh(index)
            // Then the new object is indexed, and the folders it changed were listed
            #expect(report.repair == .stale(changed: 0, added: 1, removed: 0))
            #expect(report.dossiersRead == 1)
            #expect(report.foldersListed >= 1)
            #expect(try index.search(SearchQuery("向日葵")).map(\.dossier.rawValue) == ["IMUT-2023-0100"])
        }
    }

    @Test("an object half copied in is indexed once the copy is complete")
    func halfCopiedObject() throws {
        try withTemporaryDirectory { directory in
            let (vault, index) = try Self.settledVault(directory)
            let (_, source, destination) = try Self.objectFiledElsewhere(vault, directory)
            // Given the object's folder copied without its inventory yet
            try FileSystem.makeDirectories(destination)
            for name in ["0=ocfl_object_1.1", "v1"] {
                try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: "\(destination)/\(name)")
            }
            // (checked once the new folders' fingerprints have settled, so that only the failed read
            // can make the next check list them again)
            Thread.sleep(forTimeInterval: Double(FileFingerprint.settlingNanoseconds) / 1e9 + 0.1)
            let first = try vault.index.refresh(index)
            #expect(first.dossiersRead == 1)
            #expect(try index.search(SearchQuery("向日葵")).isEmpty)
            // When the copy completes (which changes no tuple folder)
            for name in ["inventory.json", "inventory.json.sha512"] {
                try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: "\(destination)/\(name)")
            }
            let second = try vault.index.refresh(index)
            // Then the next check lists its folders again and indexes it
            #expect(second.repair == .stale(changed: 0, added: 1, removed: 0))
            #expect(try index.search(SearchQuery("向日葵")).map(\.dossier.rawValue) == ["IMUT-2023-0100"])
        }
    }

    @Test("an object the rebuild could not read is indexed once it is repaired in place")
    func repairedObject() throws {
        try withTemporaryDirectory { directory in
            var vault = try VaultIndexTests.filedVault(directory)
            vault.keepsIndexCurrent = false
            // Given a rebuild that left out an object whose sidecar was wrong
            // swift-format-ignore: NeverForceUnwrap
            let sidecar = "\(vault.store.objectRoot(for: DossierID("IMAAAHS-2022-0003")!))/inventory.json.sha512"
            let good = try FileSystem.readFile(sidecar)
            try Data((String(repeating: "0", count: 128) + "  inventory.json\n").utf8).write(to: URL(fileURLWithPath: sidecar))
            // (rebuilt once the store's fingerprints have settled, so that only the failed read can
            // make the checks list its folders again)
            Thread.sleep(forTimeInterval: Double(FileFingerprint.settlingNanoseconds) / 1e9 + 0.1)
            let summary = try vault.index.rebuild()
            #expect(summary.unreadable.count == 1)
            let index = try vault.index.open { _ in }
            // Each check tries it again (and fails: it stays out of the index)
            #expect(try vault.index.refresh(index).dossiersRead == 1)
            #expect(try index.list().map(\.record.id.rawValue) == ["IMUT-2021-0007"])
            // When the sidecar is written back in place (no tuple folder changes)
            try Data(good).write(to: URL(fileURLWithPath: sidecar))
            let report = try vault.index.refresh(index)
            // Then the object is found in the folders still being listed, and indexed
            #expect(report.repair == .stale(changed: 0, added: 1, removed: 0))
            #expect(try index.search(SearchQuery("燕麦")).map(\.dossier.rawValue).first == "IMAAAHS-2022-0003")
        }
    }

    @Test("a deleted object is dropped from the index")
    func deletedObject() throws {
        try withTemporaryDirectory { directory in
            let (vault, index) = try Self.settledVault(directory)
            // swift-format-ignore: NeverForceUnwrap
            try FileSystem.removeTree(vault.store.objectRoot(for: DossierID("IMAAAHS-2022-0003")!))
            let report = try vault.index.refresh(index)
            #expect(report.repair == .stale(changed: 0, added: 0, removed: 1))
            #expect(report.dossiersRead == 0)
            #expect(try index.search(SearchQuery("燕麦")).isEmpty)
            #expect(try index.list().map(\.record.id.rawValue) == ["IMUT-2021-0007"])
        }
    }

    @Test("an inventory replaced within the same second is caught by its hash, not missed")
    func unsettledChange() throws {
        try withTemporaryDirectory { directory in
            // Given an index recorded right after the filings (nothing has settled yet)
            var vault = try VaultIndexTests.filedVault(directory)
            vault.keepsIndexCurrent = false
            let index = try vault.index.open { _ in }
            // When a dossier gets a new version behind the index's back, at once
            try writeFile("\(directory)/补充.txt", "补充协议：荞麦")
            try VaultFiling(vault: vault, directory: directory).file("IMUT-2021-0007", .conversionPlan, "\(directory)/补充.txt", facts: ["signedOn": "2022-09-01", "parties": ["甲方"]])
            let report = try vault.index.refresh(index)
            // Then it is read again
            #expect(report.repair == .stale(changed: 1, added: 0, removed: 0))
            #expect(try index.search(SearchQuery("荞麦")).map(\.path) == ["documents/conversion-plan/补充.txt"])
        }
    }
}
