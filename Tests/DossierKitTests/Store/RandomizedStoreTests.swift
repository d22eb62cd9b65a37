import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Hundreds of filings of every sort, checked by an independent OCFL validator and by
/// reading every document of every version back.
@Suite("randomized store history")
struct RandomizedStoreTests {
    /// The test's own model of what each version of each dossier holds.
    struct Model {
        var versions: [String: [[String: [UInt8]]]] = [:]

        mutating func record(_ id: String, _ state: [String: [UInt8]]) { versions[id, default: []].append(state) }
        func head(_ id: String) -> [String: [UInt8]] { versions[id]?.last ?? [:] }
    }

    @Test("520 filings, updates, renames and re-filings over 20 dossiers: ocfl-py finds nothing, every version reads back")
    func randomizedHistory() throws {
        try withTemporaryDirectory { root in
            let builder = try VaultBuilder(root: root)
            var generator = SeededGenerator(seed: 20_211_128)
            var model = Model()
            let ids = (1...20).map { String(format: "IMUT-2021-%04d", $0) }
            let kinds: [DocumentKind] = [.teamConsensus, .grantApplication, .unitApproval, .publicityRecord, .ownershipAgreement, .transferContract]
            // Shared bytes so that re-filings across names and dossiers exercise deduplication.
            let pool: [[UInt8]] = (0..<12).map { Array("共享文件 \($0) ".utf8) + (0..<(64 * $0)).map { UInt8(truncatingIfNeeded: $0 &* 31) } }

            for id in ids {
                try builder.create(id, documents: [(.grantApplication, "申请.txt", pool[0])])
                model.record(id, ["documents/grant-application/申请.txt": pool[0]])
            }
            var operations = ids.count
            var counts = ["file": 0, "refile": 0, "update": 0, "rename": 0, "modify": 0]
            while operations < 520 {
                let id = ids[Int.random(in: 0..<ids.count, using: &generator)]
                var state = model.head(id)
                let choice = Int.random(in: 0..<100, using: &generator)
                do {
                    if choice < 35 || state.isEmpty {
                        // A new paper, fresh bytes
                        let kind = kinds.randomElement(using: &generator)!
                        let name = "文件\(operations).txt"
                        let bytes = Array("第\(operations)号 \(UUID().uuidString)".utf8)
                        try builder.file(id, [(kind, name, bytes)])
                        state[DocumentEntry.logicalPath(kind: kind, fileName: name)] = bytes
                        counts["file"]! += 1
                    } else if choice < 55 {
                        // Re-filing bytes the vault already has, under a new name
                        let kind = kinds.randomElement(using: &generator)!
                        let bytes = pool.randomElement(using: &generator)!
                        let name = "重复\(operations).bin"
                        try builder.file(id, [(kind, name, bytes)])
                        state[DocumentEntry.logicalPath(kind: kind, fileName: name)] = bytes
                        counts["refile"]! += 1
                    } else if choice < 70 {
                        // A record update only
                        try builder.file(id, [], update: ["title": .string("更新标题 \(operations)"), "classification": "none"])
                        counts["update"]! += 1
                    } else if choice < 85 {
                        // A rename within the same kind
                        let path = state.keys.sorted().randomElement(using: &generator)!
                        let newName = "改名\(operations).txt"
                        try builder.rename(id, path, to: newName)
                        let kindFolder = FileSystem.parent(of: path)
                        state["\(kindFolder)/\(newName)"] = state.removeValue(forKey: path)
                        counts["rename"]! += 1
                    } else {
                        // A corrected paper replacing one at the same path
                        let path = state.keys.sorted().randomElement(using: &generator)!
                        let kind = DocumentKind(rawValue: FileSystem.lastComponent(of: FileSystem.parent(of: path)))!
                        let bytes = Array("更正版 \(operations)".utf8)
                        try builder.file(id, [(kind, FileSystem.lastComponent(of: path), bytes)])
                        state[path] = bytes
                        counts["modify"]! += 1
                    }
                }
                model.record(id, state)
                operations += 1
            }
            #expect(counts.values.allSatisfy { $0 >= 30 }, "every kind of operation ran often: \(counts)")

            // Then the independent validator reports no error and no warning on any object
            let objects = ids.map { builder.vault.store.objectRoot(for: DossierID($0)!) }
            let outcome = try runOCFLValidate(objects)
            let problems = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("[E") || $0.hasPrefix("[W") }
            #expect(outcome.status == 0, "ocfl-validate.py: \(outcome.stdout) \(outcome.stderr)")
            #expect(problems.isEmpty, "ocfl-validate.py reported: \(problems)")
            #expect(outcome.stdout.split(separator: "\n").filter { $0.hasSuffix("is VALID") }.count == ids.count)

            // And every document of every version reads back as filed, through the vault's checks
            var reads = 0
            for id in ids {
                let versions = model.versions[id]!
                let inventory = try builder.vault.snapshot(of: DossierID(id)!).inventory
                #expect(inventory.head == VersionNumber(versions.count))
                for (index, state) in versions.enumerated() {
                    let record = try builder.vault.snapshot(of: DossierID(id)!, version: VersionNumber(index + 1)).record
                    #expect(Set(record.documents.map(\.path)) == Set(state.keys), "\(id) v\(index + 1) dossier.json lists its state")
                    for (path, bytes) in state {
                        #expect(try builder.bytes(id, path, version: index + 1) == bytes, "\(id) v\(index + 1) \(path)")
                        reads += 1
                    }
                }
            }
            #expect(reads > 1000)
        }
    }
}
