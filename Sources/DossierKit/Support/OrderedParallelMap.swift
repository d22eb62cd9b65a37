import DossierModel
import Dispatch
import Foundation

/// Runs `produce` for every index of `0..<count` on `workers` threads and hands the results to
/// `consume` on the calling thread, in index order.
///
/// At most `window` results wait for `consume` at any time: workers that get that far ahead
/// sleep, so memory stays bounded however slow `consume` is. When `consume` throws, the workers
/// stop taking new indexes, the ones running finish, and the error is rethrown once they have.
///
/// ```swift
/// try orderedParallelMap(count: ids.count, workers: 2, window: 32, produce: { read(ids[$0]) }) { index, value in
///     try write(value)
/// }
/// ```
func orderedParallelMap<T: Sendable>(
    count: Int, workers: Int, window: Int, produce: @escaping @Sendable (Int) -> T, consume: (Int, T) throws -> Void
) throws {
    let state = OrderedResults<T>(window: max(1, window))
    let group = DispatchGroup()
    let work = WorkMeter.carried {
        while let index = state.take(below: count) {
            state.put(index, produce(index))
        }
    }
    for _ in 0..<max(1, workers) {
        DispatchQueue.global().async(group: group, execute: work)
    }
    defer {
        state.cancel()
        group.wait()
    }
    for index in 0..<count {
        try consume(index, state.result(index))
    }
}

/// The shared state of ``orderedParallelMap(count:workers:window:produce:consume:)``.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is
/// locked.
private final class OrderedResults<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let window: Int
    private var next = 0
    private var consumed = 0
    private var cancelled = false
    private var ready: [Int: T] = [:]

    init(window: Int) {
        self.window = window
    }

    /// The next index to produce, once it is within the window; `nil` when none is left.
    func take(below count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, next < count, next >= consumed + window { condition.wait() }
        guard !cancelled, next < count else { return nil }
        next += 1
        return next - 1
    }

    func put(_ index: Int, _ value: T) {
        condition.lock()
        ready[index] = value
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the result of `index` and takes it.
    func result(_ index: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = ready.removeValue(forKey: index) {
                consumed = index + 1
                condition.broadcast()
                return value
            }
            condition.wait()
        }
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
