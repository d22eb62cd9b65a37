import DossierModel

/// Positioned reads (`pread`) from a file, so that big documents are never loaded whole; owns the
/// descriptor (Support's ``FileDescriptor``) and closes it when released.
final class RandomAccessFile {
    private let descriptor: FileDescriptor
    /// Names the file in errors: the document's name, not the path it is read from.
    let path: String
    let size: Int64

    /// Opens `path` read-only.
    /// - Parameter name: names the file in errors (default: `path`).
    /// - Throws: ``SignatureCheckError/io(path:operation:message:)`` with the system's message, or
    ///   when the path is not a regular file.
    init(path: String, name: String? = nil) throws(SignatureCheckError) {
        let name = name ?? path
        switch FileSystem.kind(of: path, followingLinks: true) {
        case .regular, .missing: break
        case .directory: throw .io(path: name, operation: "open", message: "a folder, not a regular file")
        case .symbolicLink: throw .io(path: name, operation: "open", message: "a dangling symbolic link, not a regular file")
        case .other(let kind): throw .io(path: name, operation: "open", message: "\(kind), not a regular file")
        }
        do {
            descriptor = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw .io(path: name, operation: error.operation, message: error.reason)
        }
        do {
            size = try descriptor.size()
        } catch {
            descriptor.closeQuietly()
            throw .io(path: name, operation: error.operation, message: error.reason)
        }
        self.path = name
    }

    deinit { descriptor.closeQuietly() }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file.
    /// - Throws: ``SignatureCheckError/io(path:operation:message:)`` when the system read fails.
    func read(at offset: Int64, count: Int) throws(SignatureCheckError) -> [UInt8] {
        let available = max(0, min(Int64(count), size - offset))
        guard offset >= 0, available > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(available))
        let outcome: Result<Int, SignatureCheckError> = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SignatureCheckError) in try read(into: buffer, at: offset) }
        }
        let filled = try outcome.get()
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return bytes
    }

    /// Fills `buffer` from `offset`, returning how many bytes were read (fewer only at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SignatureCheckError) -> Int {
        do {
            return try descriptor.read(into: buffer, at: offset)
        } catch {
            throw .io(path: path, operation: "read at byte \(offset)", message: error.reason)
        }
    }

    /// Feeds the byte ranges, in order, through `consume` in chunks of at most `chunkSize` bytes,
    /// reusing one buffer: memory stays flat whatever the ranges' sizes.
    /// - Throws: ``SignatureCheckError/io(path:operation:message:)`` on a failed read or when a range
    ///   ends past the end of the file.
    func stream(ranges: [(offset: Int64, count: Int64)], chunkSize: Int = 1 << 20,
                _ consume: (UnsafeRawBufferPointer) -> Void) throws(SignatureCheckError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for range in ranges {
            var offset = range.offset
            var remaining = range.count
            while remaining > 0 {
                let want = Int(min(Int64(chunkSize), remaining))
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want])
                let got = try read(into: slice, at: offset)
                guard got == want else {
                    throw .io(path: path, operation: "read at byte \(offset + Int64(got))", message: "the file ends early")
                }
                consume(UnsafeRawBufferPointer(slice))
                offset += Int64(got)
                remaining -= Int64(got)
            }
        }
    }

    /// The digest of the byte ranges, in order, streamed.
    /// - Throws: the errors of ``stream(ranges:chunkSize:_:)``, and ``SignatureCheckError/crypto(_:)``
    ///   when OpenSSL cannot start the digest.
    func digest(ranges: [(offset: Int64, count: Int64)], with algorithm: SignatureDigestAlgorithm) throws(SignatureCheckError) -> [UInt8] {
        let running: RunningDigest
        do {
            running = try algorithm.start()
        } catch {
            throw .crypto(error.description)
        }
        try stream(ranges: ranges) { running.update($0) }
        return running.finish()
    }
}
