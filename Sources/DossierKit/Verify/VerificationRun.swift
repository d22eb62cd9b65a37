import DossierModel
import Foundation

/// Runs the object checks and the content hashing on worker threads, one per core.
///
/// One queue holds two kinds of work: objects still to check, and files to hash that checked
/// objects handed back. Workers take files first, so at most one object's files wait at a time:
/// memory stays bounded by a 256 KiB buffer per worker and the file list of the objects in hand,
/// whatever the size of the store. Small objects spread over the workers object by object;
/// big files spread file by file; and a big file hashed when nothing else is left gets its
/// sha512 on a second thread (``StreamDigester``) so the last file does not leave a core idle.
///
/// Objects are added while the workers run (the storage-root walk on the calling thread feeds
/// them as it finds them), so checking starts with the first object found.
final class VerificationRun: @unchecked Sendable {
    // `@unchecked Sendable`: every mutable property below is read and written only while
    // `condition` is locked, except `finishedWorkers`, kept under `ended`; `options` is immutable.
    private let condition = NSCondition()
    /// Signalled only when a worker ends, so that the calling thread, which wakes ten times a
    /// second for progress, is not also woken by every object finished: with two workers on
    /// two cores, a third thread woken thousands of times took CPU from them.
    private let ended = NSCondition()
    private var tasks: [ObjectTask] = []
    private var addingFinished = false
    private let options: VerifyOptions

    private var nextObject = 0
    private var jobs: [HashJob] = []
    private var busyWorkers = 0
    private var finishedWorkers = 0
    private var structureFindings: [[OCFLFinding]] = []
    private var hashFindings: [[OCFLFinding]] = []
    private var ids: [String?] = []
    private var observations: [DossierObservation?] = []
    private var versions: [ObjectVersions?] = []
    private var pendingJobs: [Int] = []
    private var objectsDone = 0
    private var filesHashed = 0
    private var bytesHashed: Int64 = 0

    /// Each worker reads files in chunks of this size. Smaller than ``StreamDigester``'s 1 MiB
    /// because every chunk goes through two digests in turn (sha512, then the sha256 fixity):
    /// a chunk that stays in the core's 512 KiB L2 cache for the second pass cost about 7%
    /// less CPU here than a 1 MiB one.
    static let chunkSize = 256 << 10
    /// Files at least this big, hashed when no other work is left, use two threads.
    static let splitThreshold: Int64 = 8 << 20
    /// An object whose files add up to less than this is hashed by the worker that checked
    /// it: handing thousands of small files through the queue would cost more than hashing them.
    static let inlineLimit: Int64 = 4 << 20

    init(options: VerifyOptions) {
        self.options = options
    }

    /// Adds objects to check; their indexes follow those added before.
    func add(_ newTasks: [ObjectTask]) {
        guard !newTasks.isEmpty else { return }
        condition.lock()
        tasks += newTasks
        structureFindings += Array(repeating: [], count: newTasks.count)
        hashFindings += Array(repeating: [], count: newTasks.count)
        ids += Array(repeating: nil, count: newTasks.count)
        observations += Array(repeating: nil, count: newTasks.count)
        versions += Array(repeating: nil, count: newTasks.count)
        pendingJobs += Array(repeating: 0, count: newTasks.count)
        condition.broadcast()
        condition.unlock()
    }

    /// How many objects have been added so far.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return tasks.count
    }

    struct Result {
        var tasks: [ObjectTask]
        /// Per task: structure findings, then digest findings in path order.
        var findings: [[OCFLFinding]]
        var ids: [String?]
        var observations: [DossierObservation?]
        var versions: [ObjectVersions?]
        var filesHashed: Int
        var bytesHashed: Int64
    }

    /// Starts the workers, runs `feed` on this thread (it adds the objects with ``add(_:)``),
    /// then waits for the work to end, calling `progress` on this thread about ten times a second.
    func run(feed: () -> Void, progress: (VerifyProgress) -> Void) -> Result {
        let start = Date()
        let workers = options.workers
        let working = WorkMeter.carried { [self] in work() }
        for _ in 0..<workers {
            let thread = Thread { working() }
            thread.stackSize = 4 << 20
            thread.start()
        }
        feed()
        condition.lock()
        addingFinished = true
        condition.broadcast()
        condition.unlock()
        while true {
            ended.lock()
            if finishedWorkers < workers { _ = ended.wait(until: Date().addingTimeInterval(0.1)) }
            let allEnded = finishedWorkers == workers
            ended.unlock()
            if allEnded { break }
            condition.lock()
            let snapshot = VerifyProgress(
                objectsDone: objectsDone, objectsTotal: tasks.count, filesHashed: filesHashed,
                bytesHashed: bytesHashed, elapsedSeconds: Date().timeIntervalSince(start))
            condition.unlock()
            progress(snapshot)
        }
        condition.lock()
        defer { condition.unlock() }
        let findings = (0..<tasks.count).map { index in
            structureFindings[index] + hashFindings[index].sorted { ($0.path, $0.code) < ($1.path, $1.code) }
        }
        return Result(tasks: tasks, findings: findings, ids: ids, observations: observations, versions: versions, filesHashed: filesHashed, bytesHashed: bytesHashed)
    }

    private enum Work {
        case object(Int)
        case hash(HashJob, alone: Bool)
    }

    private func work() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while let item = next() {
            switch item {
            case .object(let index):
                var check = ObjectCheck(task: task(index), index: index, checkDigests: options.checkDigests)
                check.observe = options.observeDossiers
                check.allOlderInventories = options.allOlderInventories
                var outcome = check.run()
                var inline: [OCFLFinding] = []
                if outcome.jobs.reduce(0, { $0 + $1.size }) < Self.inlineLimit {
                    for job in outcome.jobs { inline += hash(job, buffer: buffer, split: false) }
                    outcome.findings += inline.sorted { ($0.path, $0.code) < ($1.path, $1.code) }
                    finish(object: index, outcome, hashedInline: outcome.jobs.count)
                } else {
                    finish(object: index, outcome, hashedInline: 0)
                }
            case .hash(let job, let alone):
                let findings = hash(job, buffer: buffer, split: alone && job.size >= Self.splitThreshold)
                finish(job: job, findings: findings)
            }
        }
        ended.lock()
        finishedWorkers += 1
        ended.signal()
        ended.unlock()
    }

    private func task(_ index: Int) -> ObjectTask {
        condition.lock()
        defer { condition.unlock() }
        return tasks[index]
    }

    private func next() -> Work? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let job = jobs.popLast() {
                busyWorkers += 1
                return .hash(job, alone: jobs.isEmpty && nextObject == tasks.count && addingFinished)
            }
            if nextObject < tasks.count {
                nextObject += 1
                busyWorkers += 1
                return .object(nextObject - 1)
            }
            if busyWorkers == 0 && addingFinished {
                condition.broadcast()
                return nil
            }
            condition.wait()
        }
    }

    private func finish(object index: Int, _ outcome: ObjectOutcome, hashedInline: Int) {
        condition.lock()
        structureFindings[index] = outcome.findings
        ids[index] = outcome.id
        observations[index] = outcome.observation
        versions[index] = outcome.versions
        filesHashed += hashedInline
        let queued = hashedInline > 0 ? [] : outcome.jobs
        pendingJobs[index] = queued.count
        if queued.isEmpty { objectsDone += 1 }
        // Reversed so that popLast hands them out in path order.
        jobs.append(contentsOf: queued.reversed())
        busyWorkers -= 1
        wakeIfNeeded(newJobs: !queued.isEmpty)
        condition.unlock()
    }

    private func finish(job: HashJob, findings: [OCFLFinding]) {
        condition.lock()
        hashFindings[job.objectIndex].append(contentsOf: findings)
        filesHashed += 1
        pendingJobs[job.objectIndex] -= 1
        if pendingJobs[job.objectIndex] == 0 { objectsDone += 1 }
        busyWorkers -= 1
        wakeIfNeeded(newJobs: false)
        condition.unlock()
    }

    /// Wakes the waiting workers when there is something for them: new files to hash, or the
    /// end of all work (they wait while others are busy, since a busy worker may queue files).
    /// Called with `condition` locked.
    private func wakeIfNeeded(newJobs: Bool) {
        if newJobs || (busyWorkers == 0 && addingFinished) { condition.broadcast() }
    }

    private func addBytes(_ count: Int64) {
        condition.lock()
        bytesHashed += count
        condition.unlock()
    }

    // MARK: Hashing

    /// Computes every digest the job needs in one read of the file and reports the mismatches.
    private func hash(_ job: HashJob, buffer: UnsafeMutableRawBufferPointer, split: Bool) -> [OCFLFinding] {
        let algorithms = Array(Set(job.expectations.map(\.algorithm))).sorted()
        var digests: [DigestAlgorithm: String] = [:]
        var unreported: Int64 = 0
        do {
            if split && algorithms == [.sha256, .sha512] {
                var last: Int64 = 0
                let result = try StreamDigester.digest(fileAt: job.file) { total in
                    self.addBytes(total - last)
                    last = total
                }
                digests = [.sha512: result.sha512.hex, .sha256: result.sha256.hex]
            } else if let bytes = job.bytes {
                let contexts = try algorithms.map { try DigestContext($0) }
                bytes.withUnsafeBytes { chunk in for context in contexts { context.update(chunk) } }
                for context in contexts { digests[context.algorithm] = context.finalize() }
                addBytes(Int64(bytes.count))
            } else {
                let contexts = try algorithms.map { try DigestContext($0) }
                let descriptor = try FileDescriptor.open(job.file, .readOnly)
                defer { descriptor.closeQuietly() }
                var total: Int64 = 0
                while true {
                    let count = try descriptor.read(into: buffer)
                    if count == 0 { break }
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    for context in contexts { context.update(chunk) }
                    total += Int64(count)
                    unreported += Int64(count)
                    // A short read that reaches the size the folder walk saw is the end: one
                    // system call fewer per small file. (A file written to while it is being
                    // verified is checked as the walk found it.)
                    if count < buffer.count && total == job.size { break }
                    if unreported >= 8 << 20 {
                        addBytes(unreported)
                        unreported = 0
                    }
                }
                for context in contexts { digests[context.algorithm] = context.finalize() }
                addBytes(unreported)
            }
        } catch {
            let code = job.expectations.first?.code ?? .E092
            return [OCFLFinding(code, object: job.object, path: job.contentPath, version: ObjectCheck.version(of: job.contentPath),
                                message: "cannot be read, so its digests cannot be checked: \(error)")]
        }
        var findings: [OCFLFinding] = []
        for expectation in job.expectations {
            guard let actual = digests[expectation.algorithm], actual != expectation.digest else { continue }
            findings.append(OCFLFinding(
                expectation.code, object: job.object, path: job.contentPath, version: ObjectCheck.version(of: job.contentPath),
                message: "its \(expectation.algorithm.rawValue) is \(actual.shortDigest), but \(expectation.source) says \(expectation.digest.shortDigest): the file has changed"))
        }
        return findings
    }
}

/// One running digest inside a class, so that a list of them can be kept (``Hasher`` is
/// non-copyable and cannot live in an array). Used by one thread only.
private final class DigestContext {
    let algorithm: DigestAlgorithm
    private var hasher: Hasher?

    init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        self.algorithm = algorithm
        hasher = try Hasher(algorithm)
    }

    func update(_ chunk: UnsafeRawBufferPointer) { hasher?.update(chunk) }

    func finalize() -> String { hasher.take()?.finalize().hex ?? "" }
}
