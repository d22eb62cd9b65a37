import DossierModel
import Synchronization

/// The last few inventories and records this process decoded, by the sha512 of their bytes.
///
/// One command reads the same dossier several times — a filing reads it before the commit, the
/// index update, the rules and the four-properties check after it — and each read decoded the
/// same `inventory.json` and `dossier.json` again: two seconds each at 100,000 documents. Each
/// read still reads the bytes and checks them against the sidecar or the inventory; only the
/// decoding of bytes whose sha512 was seen is skipped (decoding is a function of the bytes).
/// A few entries only: a walk over every dossier (`index --rebuild`) keeps no more than these.
final class DecodedObjects: Sendable {
    /// How many of each are kept, the most recently used last.
    static let capacity = 4

    private struct Entries: ~Copyable {
        var inventories: [(key: String, value: Inventory)] = []
        var records: [(key: String, value: DossierRecord)] = []
    }

    private let entries = Mutex(Entries())

    /// The inventory decoded from bytes with this sha512 (hex) in `directory`, if kept.
    func inventory(_ directory: String, digest: String) -> Inventory? {
        let key = "\(directory)\u{0}\(digest)"
        return entries.withLock { entries in
            guard let index = entries.inventories.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.inventories.remove(at: index)
            entries.inventories.append(entry)
            return entry.value
        }
    }

    func keep(_ inventory: Inventory, _ directory: String, digest: String) {
        let key = "\(directory)\u{0}\(digest)"
        entries.withLock { entries in
            entries.inventories.removeAll { $0.key == key }
            entries.inventories.append((key, inventory))
            if entries.inventories.count > Self.capacity { entries.inventories.removeFirst() }
        }
    }

    /// The record decoded from the file at `file` whose bytes have this digest, if kept.
    func record(_ file: String, digest: String) -> DossierRecord? {
        let key = "\(file)\u{0}\(digest)"
        return entries.withLock { entries in
            guard let index = entries.records.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.records.remove(at: index)
            entries.records.append(entry)
            return entry.value
        }
    }

    func keep(_ record: DossierRecord, _ file: String, digest: String) {
        let key = "\(file)\u{0}\(digest)"
        entries.withLock { entries in
            entries.records.removeAll { $0.key == key }
            entries.records.append((key, record))
            if entries.records.count > Self.capacity { entries.records.removeFirst() }
        }
    }
}
