import DossierModel
import Dispatch
import Foundation

/// Reads a stream once, in fixed-size chunks, computing sha512 and sha256 while handing each
/// chunk to a sink (usually a file being written).
///
/// Memory is two chunk buffers whatever the stream's length. sha512 is the slow digest
/// (about 500 MiB/s on one core here), so it runs on a second core while this thread reads
/// the next chunk, computes sha256 and writes: the whole pass then runs at sha512's speed.
public struct StreamDigester {
    static let chunkSize = 1 << 20

    /// Runs the pass.
    /// - Parameters:
    ///   - read: fills the buffer and returns the byte count; 0 at the end.
    ///   - write: receives each chunk in order (after it was read, before the next read).
    ///   - progress: called with the running byte count after each chunk.
    /// - Returns: both digests and the total size.
    public static func digest(
        read: (UnsafeMutableRawBufferPointer) throws -> Int,
        write: (UnsafeRawBufferPointer) throws -> Void = { _ in },
        progress: (Int64) -> Void = { _ in }
    ) throws -> ContentDigests {
        let slow = try BackgroundHasher(.sha512)
        var fast = try Hasher(.sha256)
        let buffers = [
            UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096),
            UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096),
        ]
        defer { buffers.forEach { $0.deallocate() } }

        var total: Int64 = 0
        var current = 0
        var count = try readFully(into: buffers[current], read)
        while count > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffers[current][0..<count])
            slow.start(chunk)
            fast.update(chunk)
            do {
                try write(chunk)
                total += Int64(count)
                progress(total)
                current ^= 1
                count = try readFully(into: buffers[current], read)
            } catch {
                slow.wait()
                throw error
            }
            // The other buffer is only reused after sha512 has finished with it.
            slow.wait()
        }
        return ContentDigests(sha512: slow.finalize(), sha256: fast.finalize(), size: total)
    }

    /// Hashes a file on disk without writing anywhere.
    public static func digest(fileAt path: String, progress: (Int64) -> Void = { _ in }) throws -> ContentDigests {
        let descriptor = try FileDescriptor.open(path, .readOnly)
        defer { descriptor.closeQuietly() }
        return try digest(read: { try descriptor.read(into: $0) }, progress: progress)
    }

    /// Fills as much of the buffer as the source gives before reporting, so chunks are full
    /// (fewer hand-offs between threads for sources that return short reads, like pipes).
    private static func readFully(
        into buffer: UnsafeMutableRawBufferPointer, _ read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }
}

/// A hasher whose updates run on a dispatch worker, one chunk at a time.
///
/// `@unchecked Sendable` is safe because of the protocol ``StreamDigester`` follows: `start`
/// hands one chunk to exactly one worker block, and the owner calls `wait()` before touching
/// the context or reusing the chunk again; `DispatchGroup.wait` orders the worker's writes
/// before the owner's next reads.
private final class BackgroundHasher: @unchecked Sendable {
    private var hasher: Hasher?
    private var pending: UnsafeRawBufferPointer?
    private let group = DispatchGroup()

    init(_ algorithm: DigestAlgorithm) throws {
        hasher = try Hasher(algorithm)
    }

    func start(_ chunk: UnsafeRawBufferPointer) {
        pending = chunk
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            if let chunk = pending { hasher?.update(chunk) }
            group.leave()
        }
    }

    func wait() { group.wait() }

    func finalize() -> Digest {
        // swift-format-ignore: NeverForceUnwrap
        // `hasher` is set in init and only taken here, once, at the end of the pass.
        let taken = hasher.take()!
        return taken.finalize()
    }
}
