import Glibc

/// A whole file mapped read-only into memory, unmapped at `deinit`.
///
/// Reading a mapped file costs no copy out of the page cache: a large classified paper is
/// decrypted straight from the mapped pages while another core hashes the same pages, where
/// `read(2)` would copy every byte into a buffer first (a third of the kernel's time in a
/// 1 GiB `get`). Only for files nobody truncates while they are mapped — the store's content
/// files, which are never changed in place; a truncation under the mapping would end the
/// process with SIGBUS.
final class MappedFile {
    /// The file's bytes (empty for an empty file, which is not mapped).
    let bytes: UnsafeRawBufferPointer

    /// Maps the file open at `descriptor` from its first byte to its current end.
    /// - Throws: ``FileSystemError`` from `fstat` or `mmap`.
    init(_ descriptor: FileDescriptor, path: String) throws(FileSystemError) {
        var status = stat()
        guard fstat(descriptor.rawValue, &status) == 0 else { throw FileSystemError(operation: "fstat", path: path, code: errno) }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor.rawValue, 0)
        guard let address, address != MAP_FAILED else { throw FileSystemError(operation: "mmap", path: path, code: errno) }
        // Read front to back, once: the kernel may read ahead and drop pages behind.
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Asks the kernel to start reading `range` from disk now (a file written past the page
    /// cache, as the store's are, is not in memory when first read).
    func prefetch(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let start = range.lowerBound / Int(getpagesize()) * Int(getpagesize())
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), range.upperBound - start, MADV_WILLNEED)
    }

    /// Gives back the pages of `range` (offsets into ``bytes``, the start a multiple of the page
    /// size): they stay in the page cache, but no longer count in this process's memory. Read
    /// again, they are mapped again.
    func drop(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + range.lowerBound), range.count, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
