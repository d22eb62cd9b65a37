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

/// The sha512 and sha256 of bytes pushed through it on the calling thread, for producers
/// that write rather than read (an encryptor's output): ``StreamDigester`` is for sources
/// that can be read.
final class PushDigester {
    private var sha512: Hasher?
    private var sha256: Hasher?
    private(set) var size: Int64 = 0

    init() throws(CryptoError) {
        sha512 = try Hasher(.sha512)
        sha256 = try Hasher(.sha256)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        sha512?.update(bytes)
        sha256?.update(bytes)
        size += Int64(bytes.count)
    }

    /// The digests of everything pushed; call once.
    func finish() -> ContentDigests? {
        guard let sha512 = sha512.take()?.finalize(), let sha256 = sha256.take()?.finalize() else { return nil }
        return ContentDigests(sha512: sha512, sha256: sha256, size: size)
    }
}
