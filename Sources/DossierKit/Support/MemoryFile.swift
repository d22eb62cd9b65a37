import CDossierSystem
import Glibc

/// A file that lives in memory only (`memfd_create`): bytes that must never reach a disk — a
/// classified paper decrypted to be checked — are written here, and libraries that open files by
/// name reach them through ``path`` (`/proc/self/fd/N`). The memory is released when the last
/// descriptor closes (at `deinit`).
final class MemoryFile {
    private let descriptor: FileDescriptor
    /// Opens the same bytes by name, for this process only.
    let path: String
    private(set) var size: Int64 = 0

    /// Files larger than this are not held in memory.
    static let maximumSize: Int64 = 512 << 20

    /// - Throws: ``FileSystemError`` when the system gives no memory file.
    init(name: String) throws(FileSystemError) {
        let raw = CDossierSystem_memoryFile(name)
        guard raw >= 0 else { throw FileSystemError(operation: "memfd_create", path: name, code: errno) }
        path = "/proc/self/fd/\(raw)"
        descriptor = FileDescriptor(rawValue: raw, path: path)
    }

    deinit { descriptor.closeQuietly() }

    /// Appends bytes.
    /// - Throws: ``FileSystemError`` on a failed write, or when the file would pass ``maximumSize``.
    func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        guard size + Int64(bytes.count) <= Self.maximumSize else {
            throw FileSystemError(operation: "write", path: path, code: EFBIG)
        }
        try descriptor.write(bytes)
        size += Int64(bytes.count)
    }
}
