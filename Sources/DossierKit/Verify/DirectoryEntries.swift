import DossierModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum DirectoryListing {
    /// The entries of a folder with their kinds, sorted by name bytes (``FileSystem/entries(of:)``).
    static func entries(of path: String) throws(FileSystemError) -> [DirectoryEntry] {
        try FileSystem.entries(of: path)
    }
}

/// Whole small files (inventories, sidecars, records), read into a buffer of their own size.
///
/// `FileSystem.readFile` reads through a fresh 64 KiB buffer, which is right for a file of
/// unknown size but, for the five small files of each of thousands of objects, spends more
/// time clearing buffers than reading.
enum SmallFile {
    static func read(_ path: String, limit: Int = 1 << 30) throws(FileSystemError) -> [UInt8] {
        let descriptor = try FileDescriptor.open(path, .readOnly)
        defer { descriptor.closeQuietly() }
        var info = stat()
        guard fstat(descriptor.rawValue, &info) == 0 else { throw FileSystemError(operation: "fstat", path: path, code: errno) }
        guard Int(info.st_size) <= limit else {
            throw FileSystemError(operation: "read (larger than \(limit) bytes)", path: path, code: EFBIG)
        }
        // One byte more than the size, so that a file that grew meanwhile is seen to. A read
        // that returns exactly the size is taken as the end: asking again only to hear "end of
        // file" would be one more system call for each of thousands of small files.
        let size = Int(info.st_size)
        let capacity = size + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while count < capacity, let base = buffer.baseAddress {
                let read = Glibc.read(descriptor.rawValue, base + count, capacity - count)
                if read > 0 {
                    count += read
                    if count == size { return }
                } else if read == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw FileSystemError(operation: "read", path: path, code: failure) }
        if bytes.count == capacity {
            // The file grew while being read: read the rest the slow way.
            bytes = try FileSystem.readFile(path, limit: limit)
        }
        return bytes
    }
}
