import DossierModel
import Dispatch

/// A hasher whose updates run on a dispatch worker, one chunk at a time, so that the calling
/// thread can read, copy or decrypt the next chunk meanwhile.
///
/// `@unchecked Sendable` is safe because of the protocol its users follow: ``start(_:)`` hands
/// one chunk to exactly one worker block, and the owner calls ``wait()`` before touching the
/// context or reusing the chunk; `DispatchGroup.wait` orders the worker's writes before the
/// owner's next reads. ``startCopy(_:)`` keeps that protocol itself, for callers whose buffer
/// is reused at once.
final class BackgroundHasher: @unchecked Sendable {
    private var hasher: Hasher?
    private var pending: UnsafeRawBufferPointer?
    private let group = DispatchGroup()
    private var copy: UnsafeMutableRawBufferPointer?

    init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        hasher = try Hasher(algorithm)
    }

    deinit {
        group.wait()
        copy?.deallocate()
    }

    /// Hashes `chunk` on a worker; the caller leaves it untouched until ``wait()``.
    func start(_ chunk: UnsafeRawBufferPointer) {
        pending = chunk
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            if let chunk = pending { hasher?.update(chunk) }
            group.leave()
        }
    }

    /// Waits for the previous chunk, then hashes a copy of `bytes` on a worker: the caller may
    /// reuse its buffer at once.
    func startCopy(_ bytes: UnsafeRawBufferPointer) {
        wait()
        guard bytes.count > 0 else { return }
        if (copy?.count ?? 0) < bytes.count {
            copy?.deallocate()
            copy = .allocate(byteCount: max(bytes.count, 1 << 20), alignment: 64)
        }
        guard let copy, let base = copy.baseAddress else { return }
        // swift-format-ignore: NeverForceUnwrap
        // A buffer of at least one byte has an address.
        base.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        start(UnsafeRawBufferPointer(start: base, count: bytes.count))
    }

    func wait() { group.wait() }

    /// The digest of every chunk given; call once, after the last ``wait()``.
    func finalize() -> Digest {
        wait()
        // swift-format-ignore: NeverForceUnwrap
        // `hasher` is set in init and only taken here, once, at the end of the pass.
        let taken = hasher.take()!
        return taken.finalize()
    }
}
