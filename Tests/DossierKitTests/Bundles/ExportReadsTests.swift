import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Counts what the store reads during one export, through its read seam
/// (``StorageRoot/readObserver``): a dossier is read once per command.
@Suite("An export reads a dossier once")
struct ExportReadsTests {
    /// Collects what the store was asked to read, from any thread.
    final class ReadLog: @unchecked Sendable {
        // Guarded by `lock`: appended to by the store's readers, read by the test afterwards.
        private let lock = NSLock()
        private var reads: [StoreRead] = []

        func add(_ read: StoreRead) {
            lock.lock()
            reads.append(read)
            lock.unlock()
        }

        func count(_ kind: StoreRead.Kind, _ suffix: String) -> Int {
            lock.lock()
            defer { lock.unlock() }
            return reads.filter { $0.kind == kind && $0.path.hasSuffix(suffix) }.count
        }

        var all: [StoreRead] {
            lock.lock()
            defer { lock.unlock() }
            return reads
        }
    }

    @Test("exporting the head reads the root inventory, its sidecar and the head's dossier.json once each")
    func head() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier at v3 whose v2 and v3 records differ, with two documents
            var vault = try ExportTests.vault(directory)
            try ExportTests.file(vault, [("协议.pdf", randomBytes(20_000))], in: directory)
            try ExportTests.file(vault, [("说明.txt", Array("说明".utf8))], kind: .conversionPlan, in: directory)
            let log = ReadLog()
            vault.store.readObserver = { log.add($0) }
            // When the head is exported
            _ = try ExportTests.export(vault, .tar, to: "\(directory)/out.tar")
            // Then each file of the dossier was read once: the inventory and sidecar at the
            // object's root, each version's dossier.json (the history needs them all), each document
            let root = try #require(vault.store.relativeObjectPath(for: ExportTests.id).split(separator: "/").last.map(String.init))
            #expect(log.count(.inventory, "\(root)/inventory.json") == 1, "\(log.all)")
            #expect(log.count(.sidecar, "\(root)/inventory.json.sha512") == 1)
            #expect(log.count(.inventory, "v3/inventory.json") == 0)
            for version in ["v1", "v2", "v3"] {
                #expect(log.count(.record, "\(version)/content/dossier.json") == 1, "\(version): \(log.all)")
            }
            // and each document twice: once by the four-properties check the bag carries
            // (format, text, scripts, signatures), once into the bag
            #expect(log.count(.content, "协议.pdf") == 2)
            #expect(log.count(.content, "说明.txt") == 2)
            #expect(log.all.count == 9)
        }
    }

    @Test("exporting an older version reads that version's own inventory once, and of later records only the head's (its classification gates the export)")
    func olderVersion() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier at v3
            var vault = try ExportTests.vault(directory)
            try ExportTests.file(vault, [("协议.pdf", randomBytes(20_000))], in: directory)
            try ExportTests.file(vault, [("说明.txt", Array("说明".utf8))], kind: .conversionPlan, in: directory)
            let log = ReadLog()
            vault.store.readObserver = { log.add($0) }
            // When v2 is exported
            _ = try ExportTests.export(vault, .tar, to: "\(directory)/out.tar", version: VersionNumber(2))
            // Then the root inventory and v2's copy (the bag's metadata/inventory.json) are read
            // once each, and of later records only the head's, once
            #expect(log.count(.inventory, "v2/inventory.json") == 1, "\(log.all)")
            #expect(log.count(.sidecar, "v2/inventory.json.sha512") == 1)
            #expect(log.count(.record, "v2/content/dossier.json") == 1)
            #expect(log.count(.record, "v1/content/dossier.json") == 1)
            #expect(log.count(.record, "v3/content/dossier.json") == 1)
            #expect(log.count(.content, "说明.txt") == 0)
        }
    }
}
