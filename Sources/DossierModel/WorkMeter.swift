import Synchronization

/// Counts the per-element steps of the operations whose cost grows with a dossier's size, so
/// that a test can tell linear work from quadratic work by counting rather than timing.
///
/// A dossier of 100,000 documents must file, index and verify in under a minute; a step that
/// scans the dossier's documents once per document (a lookup by path in the record's array, the
/// record or inventory decoded again for each paper) turns that into hours. Each counted step
/// is one element of such a scan or decode: a test files N documents and checks every count
/// stays within a constant times N. The counters are relaxed atomics (a few nanoseconds each),
/// always on.
public enum WorkMeter {
    /// What is counted.
    public enum Step: Int, CaseIterable, Sendable {
        /// A document looked at by a linear search of a record's documents.
        case documentScanned
        /// A document entry decoded from a `dossier.json`.
        case documentDecoded
        /// A document entry encoded into a `dossier.json`.
        case documentEncoded
        /// A logical or content path decoded from an inventory's state, manifest or fixity.
        case inventoryPathDecoded
    }

    private static let scanned = Atomic<Int>(0)
    private static let decoded = Atomic<Int>(0)
    private static let encoded = Atomic<Int>(0)
    private static let inventoryPaths = Atomic<Int>(0)

    /// Adds `count` steps.
    @inline(__always)
    public static func count(_ step: Step, _ count: Int = 1) {
        switch step {
        case .documentScanned: scanned.add(count, ordering: .relaxed)
        case .documentDecoded: decoded.add(count, ordering: .relaxed)
        case .documentEncoded: encoded.add(count, ordering: .relaxed)
        case .inventoryPathDecoded: inventoryPaths.add(count, ordering: .relaxed)
        }
    }

    /// Every step counted since the process started, by kind.
    public static func totals() -> [Step: Int] {
        [
            .documentScanned: scanned.load(ordering: .relaxed),
            .documentDecoded: decoded.load(ordering: .relaxed),
            .documentEncoded: encoded.load(ordering: .relaxed),
            .inventoryPathDecoded: inventoryPaths.load(ordering: .relaxed),
        ]
    }
}
