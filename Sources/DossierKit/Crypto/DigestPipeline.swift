import DossierModel
import Dispatch
import Synchronization

/// Hashes the chunks of many files on background threads while the calling thread keeps
/// reading and writing: what export and bag verification need to run at copy speed.
///
/// One thread per stream cannot go faster than its slowest digest (sha512: about 550 MB/s
/// here). This pipeline gives every (file, algorithm) pair its own serial lane, so sha256
/// and sha512 of one file, and the digests of consecutive files, run on different cores
/// at the same time. Chunks come from a fixed pool, so memory stays flat (`bufferCount` ×
/// 1 MiB) however large the files: when every chunk is still being hashed, the reader waits.
///
/// ```swift
/// let pipeline = DigestPipeline()
/// let job = try pipeline.begin("a.pdf", algorithms: ["sha256", "sha512"])
/// while try pipeline.pump(job, read: { try file.read(into: $0) }, consume: { try archive.write($0) }) > 0 {}
/// pipeline.end(job)
/// pipeline.wait()
/// job.digests["sha512"]
/// ```
public final class DigestPipeline {
    static let chunkSize = 1 << 20

    private let pool: ChunkPool
    private let group = DispatchGroup()
    private let mismatch = MismatchFlag()

    public init(bufferCount: Int = 12) {
        pool = ChunkPool(count: max(bufferCount, 2), size: DigestPipeline.chunkSize)
    }

    // Hashing blocks hold chunks of the pool; they must finish before anything is freed.
    deinit { group.wait() }

    /// Whether a finished digest differed from the value given to ``begin(_:algorithms:expected:)``.
    /// Checked while copying, so that a corrupt file stops the work early.
    public var hasMismatch: Bool { mismatch.isSet }

    /// Starts a file.
    /// - Parameters:
    ///   - name: names the file in the job, for the caller's messages.
    ///   - algorithms: the digests to compute, by OpenSSL name.
    ///   - expected: algorithm → hex digest the file must have; a difference sets ``hasMismatch``.
    public func begin(_ name: String, algorithms: [String], expected: [String: String] = [:]) throws(CryptoError) -> DigestJob {
        var lanes: [HashLane] = []
        for algorithm in algorithms {
            lanes.append(try HashLane(algorithm, expected: expected[algorithm], mismatch: mismatch))
        }
        return DigestJob(name: name, lanes: lanes)
    }

    /// Reads the next chunk of `job`'s file, hands it to `consume` (on this thread), then
    /// queues it for hashing.
    /// - Returns: the chunk's size; 0 at the end of the file.
    @discardableResult
    public func pump(
        _ job: DigestJob, read: (UnsafeMutableRawBufferPointer) throws -> Int, consume: (UnsafeRawBufferPointer) throws -> Void = { _ in }
    ) throws -> Int {
        let index = pool.take()
        var queued = false
        defer { if !queued { pool.give(index) } }
        let buffer = pool.buffer(index)
        var count = 0
        while count < buffer.count {
            let got = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            if got == 0 { break }
            count += got
        }
        if count == 0 { return 0 }
        let chunk = SharedChunk(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        try consume(chunk.bytes)
        job.size += Int64(count)
        guard !job.lanes.isEmpty else { return count }
        let holders = ReleaseCounter(job.lanes.count)
        queued = true
        for lane in job.lanes {
            lane.queue.async(group: group) { [pool] in
                lane.update(chunk.bytes)
                if holders.release() { pool.give(index) }
            }
        }
        return count
    }

    /// Pumps `job`'s whole file (stopping early once ``hasMismatch`` is set), then ends it.
    /// - Parameter progress: called with each chunk's size.
    func pumpToEnd(
        _ job: DigestJob, read: (UnsafeMutableRawBufferPointer) throws -> Int, consume: (UnsafeRawBufferPointer) throws -> Void = { _ in },
        progress: (Int) -> Void = { _ in }
    ) throws {
        while true {
            let count = try pump(job, read: read, consume: consume)
            if count == 0 || hasMismatch { break }
            progress(count)
        }
        end(job)
    }

    /// Queues the end of `job`'s file; its digests are ready after ``wait()``.
    public func end(_ job: DigestJob) {
        for lane in job.lanes {
            lane.queue.async(group: group) { lane.finish() }
        }
    }

    /// Waits until every queued chunk is hashed and every ended job has its digests.
    public func wait() { group.wait() }
}

/// One file in a ``DigestPipeline``.
public final class DigestJob {
    public let name: String
    fileprivate let lanes: [HashLane]
    /// Bytes pumped so far.
    public fileprivate(set) var size: Int64 = 0

    fileprivate init(name: String, lanes: [HashLane]) {
        self.name = name
        self.lanes = lanes
    }

    /// Algorithm → lowercase hex digest. Complete only after the pipeline's `wait()`.
    public var digests: [String: String] {
        var result: [String: String] = [:]
        for lane in lanes { if let digest = lane.result { result[lane.name] = digest } }
        return result
    }
}

/// One algorithm over one file: a serial queue and the hasher it alone touches.
///
/// `@unchecked Sendable` is safe because `hasher` and `result` are only touched by blocks on
/// `queue`, which is serial, and `result` is read by the owner only after `DispatchGroup.wait`,
/// which orders those blocks' writes before the read.
private final class HashLane: @unchecked Sendable {
    let name: String
    let queue: DispatchQueue
    let expected: String?
    let mismatch: MismatchFlag
    private var hasher: NamedHasher?
    private(set) var result: String?

    init(_ name: String, expected: String?, mismatch: MismatchFlag) throws(CryptoError) {
        self.name = name
        self.expected = expected?.lowercased()
        self.mismatch = mismatch
        hasher = try NamedHasher(name)
        queue = DispatchQueue(label: "dossier.digest.\(name)", target: .global(qos: .userInitiated))
    }

    func update(_ bytes: UnsafeRawBufferPointer) { hasher?.update(bytes) }

    func finish() {
        guard let taken = hasher.take() else { return }
        let digest = taken.finalize()
        result = digest
        if let expected, expected != digest { mismatch.set() }
    }
}

/// A chunk's bytes, shared read-only by the lanes hashing it.
///
/// `@unchecked Sendable` is safe: the bytes live in the pool and are not written again until
/// every lane has released the chunk (``ReleaseCounter``).
private struct SharedChunk: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

/// Counts the lanes still holding a chunk; the last one to release it returns it to the pool.
private final class ReleaseCounter: Sendable {
    private let holders: Atomic<Int>
    init(_ count: Int) { holders = Atomic(count) }
    /// `true` for the last holder.
    func release() -> Bool { holders.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 }
}

private final class MismatchFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}

/// A fixed set of equal buffers handed out by index; `take` waits while all are in use.
///
/// `@unchecked Sendable` is safe: the slab pointer never changes, the free list is guarded by
/// a `Mutex`, and a buffer is written only by the one holder of its index.
private final class ChunkPool: @unchecked Sendable {
    private let slab: UnsafeMutableRawBufferPointer
    private let size: Int
    private let available: DispatchSemaphore
    private let free: Mutex<[Int]>

    init(count: Int, size: Int) {
        self.size = size
        slab = UnsafeMutableRawBufferPointer.allocate(byteCount: count * size, alignment: 64)
        available = DispatchSemaphore(value: count)
        free = Mutex(Array(0..<count))
    }

    deinit { slab.deallocate() }

    func buffer(_ index: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: slab[(index * size)..<((index + 1) * size)])
    }

    func take() -> Int {
        available.wait()
        // The semaphore guarantees an index is free.
        // swift-format-ignore: NeverForceUnwrap
        return free.withLock { $0.popLast()! }
    }

    func give(_ index: Int) {
        free.withLock { $0.append(index) }
        available.signal()
    }
}
