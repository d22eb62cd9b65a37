import DossierModel
import Foundation

/// The last few inventories and records this process decoded, by the sha512 of their bytes.
///
/// One command reads the same dossier several times — a filing reads it before the commit, the
/// index update, the rules and the four-properties check after it — and each read decoded the
/// same `inventory.json` and `dossier.json` again: two seconds each at 100,000 documents. Each
/// read still reads the bytes and checks them against the sidecar or the inventory; only the
/// decoding of bytes whose sha512 was seen is skipped (decoding is a function of the bytes).
/// A few entries only: a walk over every dossier (`index --rebuild`) keeps no more than these.
final class DecodedObjects: @unchecked Sendable {
    // `@unchecked Sendable`: `inventories` and `records` are read and written only while `lock`
    // is held. (An NSLock, not Synchronization's Mutex, whose futex ThreadSanitizer does not see.)
    private let lock = NSLock()
    private var inventories = Recent<Inventory>()
    private var records = Recent<DossierRecord>()

    /// How many of each are kept, the most recently used last.
    static let capacity = 4

    /// The inventory decoded from bytes with this sha512 (hex) in `directory`, if kept.
    func inventory(_ directory: String, digest: String) -> Inventory? {
        lock.withLock { inventories.take("\(directory)\u{0}\(digest)") }
    }

    func keep(_ inventory: Inventory, _ directory: String, digest: String) {
        lock.withLock { inventories.keep(inventory, "\(directory)\u{0}\(digest)") }
    }

    /// The record decoded from the file at `file` whose bytes have this digest, if kept.
    func record(_ file: String, digest: String) -> DossierRecord? {
        lock.withLock { records.take("\(file)\u{0}\(digest)") }
    }

    func keep(_ record: DossierRecord, _ file: String, digest: String) {
        lock.withLock { records.keep(record, "\(file)\u{0}\(digest)") }
    }
}

/// The ``DecodedObjects/capacity`` most recently used values, by key.
private struct Recent<Value> {
    private var entries: [(key: String, value: Value)] = []

    /// The value kept under `key`, now the most recently used.
    mutating func take(_ key: String) -> Value? {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.value
    }

    mutating func keep(_ value: Value, _ key: String) {
        entries.removeAll { $0.key == key }
        entries.append((key, value))
        if entries.count > DecodedObjects.capacity { entries.removeFirst() }
    }
}
