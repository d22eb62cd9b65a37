@testable import DossierKit
import DossierModel
import Foundation
import Testing
import _DossierTestSupport

/// A command reading the same dossier several times decodes its inventory and record once; new
/// bytes are always decoded, and only a few dossiers are kept.
@Suite("Decoded inventories and records kept within one command")
struct DecodedObjectsTests {
    static let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")

    static func open(_ vault: Vault, _ id: String) throws -> DossierID {
        // swift-format-ignore: NeverForceUnwrap
        let record = DossierRecord(
            id: DossierID(id)!, title: "卷宗\(id)", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            completers: [Completer(name: "王芳", share: 100, representative: true)])
        _ = try vault.filer.open(record, user: agent, message: nil, source: "test")
        return record.id
    }

    static func file(_ vault: Vault, _ id: DossierID, _ name: String, in directory: String) throws {
        let path = "\(directory)/papers/\(UUID().uuidString)/\(name)"
        try writeFile(path, "\(name) \(UUID().uuidString)\n")
        _ = try vault.filer.file([path], kind: .annualReport, facts: ["signedOn": "2024-01-02", "parties": ["甲方"]], into: id, user: agent, message: nil)
    }

    @Test("the second snapshot of an unchanged dossier decodes nothing; after a filing the new version is decoded and read")
    func decodedOnceAndNeverStale() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let id = try Self.open(vault, "IMUT-2024-0001")
            for number in 1...3 { try Self.file(vault, id, "报告\(number).txt", in: directory) }
            let store = try StorageRoot.open(at: vault.store.path)

            // When one store reads the dossier twice
            var first: DossierSnapshot?
            let cold = WorkMeter.measuring { first = try? store.snapshot(of: id) }
            let warm = WorkMeter.measuring { _ = try? store.snapshot(of: id) }
            // Then the first read decoded the inventory and the record, the second neither
            #expect((cold[.inventoryPathDecoded] ?? 0) > 0)
            #expect((cold[.documentDecoded] ?? 0) == 3)
            #expect((warm[.inventoryPathDecoded] ?? 0) == 0)
            #expect((warm[.documentDecoded] ?? 0) == 0)
            #expect(first?.version.description == "v4")

            // When another paper is filed (through another store value), the same store reads the new version
            try Self.file(vault, id, "报告4.txt", in: directory)
            let after = try store.snapshot(of: id)
            #expect(after.version.description == "v5")
            #expect(after.record.documents.count == 4)
            #expect(after.inventory.head.description == "v5")
            // And an older version's record, read by version, is that version's
            #expect(try store.snapshot(of: id, version: VersionNumber(2)).record.documents.count == 1)
        }
    }

    @Test("an inventory rewritten in place with a matching sidecar is decoded from its new bytes, not served from memory")
    func forgedInventoryIsReadAnew() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let id = try Self.open(vault, "IMUT-2024-0002")
            try Self.file(vault, id, "报告.txt", in: directory)
            let store = try StorageRoot.open(at: vault.store.path)
            let before = try store.snapshot(of: id)
            #expect(before.inventory.versions[VersionNumber(2)]?.message != "forged")

            // When the root inventory's v2 message is changed and its sidecar made to match
            let root = store.objectRoot(for: id)
            var inventory = before.inventory
            inventory.versions[VersionNumber(2)]?.message = "forged"
            let bytes = inventory.serialized()
            try FileSystem.replaceFile("\(root)/inventory.json", bytes)
            let digest = try Hasher.digest(.sha512, of: bytes).hex
            try FileSystem.replaceFile("\(root)/inventory.json.sha512", Array("\(digest)  inventory.json\n".utf8))

            // Then the same store reads the forged message: what it keeps is keyed by the bytes' digest
            #expect(try store.snapshot(of: id).inventory.versions[VersionNumber(2)]?.message == "forged")
        }
    }

    @Test("no more than four dossiers are kept: reading six, the first is decoded again")
    func bounded() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            var ids: [DossierID] = []
            for number in 1...6 { ids.append(try Self.open(vault, "IMUT-2024-00\(10 + number)")) }
            let store = try StorageRoot.open(at: vault.store.path)
            for id in ids { _ = try store.snapshot(of: id) }
            let last = WorkMeter.measuring { _ = try? store.snapshot(of: ids[5]) }
            let first = WorkMeter.measuring { _ = try? store.snapshot(of: ids[0]) }
            #expect((last[.inventoryPathDecoded] ?? 0) == 0)
            #expect((first[.inventoryPathDecoded] ?? 0) > 0)
            #expect(DecodedObjects.capacity == 4)
        }
    }
}
