import Synchronization

/// Counts the per-element steps of the operations whose cost grows with a dossier's size, so
/// that a test can tell linear work from quadratic work by counting rather than timing.
///
/// A dossier of 100,000 documents must file, index and verify in under a minute; a step that
/// scans the dossier's documents once per document (a lookup by path in the record's array, the
/// record or inventory decoded again for each paper) turns that into hours. Each counted step
/// is one element of such a scan or decode: a test files N documents and checks every count
/// stays within a constant times N.
///
/// A meter counts only the work done inside its own ``measuring(_:)`` call: it is bound as a
/// task-local value, so the work other tests do at the same time in the same process is not
/// added to it. Work handed to other threads is counted when the code handing it over carries
/// the meter along (``carried(_:)``). Outside a measurement a count is one task-local read.
public final class WorkMeter: Sendable {
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
        /// A paper's bytes inspected for the four-properties check (libmagic and the structure readers).
        case paperInspected
    }

    /// The meter of the measurement running on this task or thread, if any.
    @TaskLocal private static var current: WorkMeter?

    private let scanned = Atomic<Int>(0)
    private let decoded = Atomic<Int>(0)
    private let encoded = Atomic<Int>(0)
    private let inventoryPaths = Atomic<Int>(0)
    private let inspected = Atomic<Int>(0)

    private init() {}

    /// Adds `count` steps to the running measurement, if there is one.
    @inline(__always)
    public static func count(_ step: Step, _ count: Int = 1) {
        guard let meter = current else { return }
        switch step {
        case .documentScanned: meter.scanned.add(count, ordering: .relaxed)
        case .documentDecoded: meter.decoded.add(count, ordering: .relaxed)
        case .documentEncoded: meter.encoded.add(count, ordering: .relaxed)
        case .inventoryPathDecoded: meter.inventoryPaths.add(count, ordering: .relaxed)
        case .paperInspected: meter.inspected.add(count, ordering: .relaxed)
        }
    }

    /// Runs `body` and returns the steps it counted, by kind, on this thread and on the threads
    /// it carried the meter to.
    public static func measuring(_ body: () throws -> Void) rethrows -> [Step: Int] {
        let meter = WorkMeter()
        try $current.withValue(meter) { try body() }
        return [
            .documentScanned: meter.scanned.load(ordering: .relaxed),
            .documentDecoded: meter.decoded.load(ordering: .relaxed),
            .documentEncoded: meter.encoded.load(ordering: .relaxed),
            .inventoryPathDecoded: meter.inventoryPaths.load(ordering: .relaxed),
            .paperInspected: meter.inspected.load(ordering: .relaxed),
        ]
    }

    /// `work` made to count into the measurement running where `carried` is called, wherever
    /// it later runs: a worker thread does not inherit task-local values.
    public static func carried<T>(_ work: @escaping @Sendable () -> T) -> @Sendable () -> T {
        guard let meter = current else { return work }
        return { $current.withValue(meter) { work() } }
    }
}
