import DossierModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CDossierSystem
import Foundation

/// A failed system call on a path, with the system's reason.
public struct FileSystemError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The system's message for ``code`` ("No such file or directory").
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(path): \(operation) failed: \(reason)" }
}

/// A thin owner of an open file descriptor. The store needs `fsync` and exact control over
/// creation flags, which `FileHandle` does not expose on Linux.
public struct FileDescriptor: Sendable {
    public let rawValue: Int32
    public let path: String

    /// Wraps a descriptor opened elsewhere (standard output, say); `path` names it in messages.
    public init(rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
    }

    public enum Mode: Sendable {
        case readOnly
        /// Create a new file; fail if it exists (never overwrite something by accident).
        case createNew
        /// Create or truncate, for writing (and reading back: zip's entry times are set after it is written).
        case replace
        case directory
    }

    /// Files the vault creates: its owner writes, its group reads (confidentiality officers and
    /// auditors share a group), others nothing — set with `fchmod`, whatever the umask.
    public static let filePermissions: mode_t = 0o640
    /// Folders the vault creates, likewise.
    public static let folderPermissions: mode_t = 0o750

    public static func open(_ path: String, _ mode: Mode, permissions: mode_t = FileDescriptor.filePermissions) throws(FileSystemError) -> FileDescriptor {
        let flags: Int32
        switch mode {
        case .readOnly: flags = O_RDONLY
        case .createNew: flags = O_RDWR | O_CREAT | O_EXCL
        case .replace: flags = O_RDWR | O_CREAT | O_TRUNC
        case .directory: flags = O_RDONLY | O_DIRECTORY
        }
        let fd = Glibc.open(path, flags | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw FileSystemError(operation: "open", path: path, code: errno) }
        // A file this call created gets exactly `permissions`, not what the umask left of them.
        if mode == .createNew || mode == .replace, fchmod(fd, permissions) != 0 {
            let code = errno
            Glibc.close(fd)
            throw FileSystemError(operation: "chmod", path: path, code: code)
        }
        return FileDescriptor(rawValue: fd, path: path)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileSystemError) -> Int {
        while true {
            let count = Glibc.read(rawValue, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw FileSystemError(operation: "read", path: path, code: errno)
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws(FileSystemError) {
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.write(rawValue, buffer.baseAddress! + offset, buffer.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "write", path: path, code: errno)
            }
            offset += count
        }
    }

    public func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let outcome: Result<Void, FileSystemError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(FileSystemError) in try write(buffer) }
        }
        try outcome.get()
    }

    /// The size of the open file (`fstat`).
    public func size() throws(FileSystemError) -> Int64 {
        var status = stat()
        guard fstat(rawValue, &status) == 0 else { throw FileSystemError(operation: "stat", path: path, code: errno) }
        return Int64(status.st_size)
    }

    /// Reads exactly `buffer.count` bytes at `offset`, or fewer at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(rawValue, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "read", path: path, code: errno)
            }
            done += count
        }
        return done
    }

    /// Writes all of `bytes` at `offset`, without moving the file's position.
    public func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { pwrite(rawValue, $0.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "write", path: path, code: errno)
            }
            done += count
        }
    }

    public func sync() throws(FileSystemError) {
        guard fsync(rawValue) == 0 else { throw FileSystemError(operation: "fsync", path: path, code: errno) }
    }

    public func close() throws(FileSystemError) {
        guard Glibc.close(rawValue) == 0 else { throw FileSystemError(operation: "close", path: path, code: errno) }
    }

    public func closeQuietly() { _ = Glibc.close(rawValue) }
}

/// What kind of thing a path or a folder's entry is.
public enum FileKind: Sendable, Equatable {
    case regular
    case directory
    case symbolicLink
    /// A device, FIFO or socket, named for messages ("a FIFO").
    case other(String)
    case missing
}

/// One entry of a folder: its name as stored and what kind of file it is.
public struct DirectoryEntry: Sendable {
    /// The name's bytes, which need not be UTF-8.
    let rawName: [UInt8]
    public let kind: FileKind
    /// The name as text (invalid UTF-8 replaced).
    public var name: String { String(decoding: rawName, as: UTF8.self) }
}

/// File system operations the vault uses, each failing with a ``FileSystemError`` that names the path.
public enum FileSystem {
    /// What is at `path` (the link itself unless `followingLinks`).
    public static func kind(of path: String, followingLinks: Bool = false) -> FileKind {
        status(of: path, followingLinks: followingLinks).kind
    }

    /// The permission bits of `path`, or `nil` when there is nothing there.
    public static func permissions(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// The size of the regular file at `path`, or `nil` when there is none.
    public static func size(ofRegularFile path: String, followingLinks: Bool = false) -> Int64? {
        let (kind, size) = status(of: path, followingLinks: followingLinks)
        return kind == .regular ? size : nil
    }

    private static func status(of path: String, followingLinks: Bool) -> (kind: FileKind, size: Int64) {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return (.missing, 0) }
        return (kind(mode: info.st_mode), Int64(info.st_size))
    }

    private static func kind(mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        case S_IFIFO: return .other("a FIFO")
        case S_IFSOCK: return .other("a socket")
        default: return .other("a special file")
        }
    }

    public static func exists(_ path: String) -> Bool { kind(of: path) != .missing }

    public static func isDirectory(_ path: String) -> Bool { kind(of: path) == .directory }

    public static func makeDirectory(_ path: String) throws(FileSystemError) {
        guard mkdir(path, FileDescriptor.folderPermissions) == 0 else { throw FileSystemError(operation: "mkdir", path: path, code: errno) }
        chmod(path, FileDescriptor.folderPermissions)
    }

    /// Creates missing directories along `path`; returns the ones it created, outermost first,
    /// so that a failed operation can remove exactly what it added.
    @discardableResult
    public static func makeDirectories(_ path: String) throws(FileSystemError) -> [String] {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !exists(current) {
            missing.append(current)
            current = parent(of: current)
        }
        for directory in missing.reversed() {
            if mkdir(directory, FileDescriptor.folderPermissions) != 0 {
                guard errno == EEXIST else { throw FileSystemError(operation: "mkdir", path: directory, code: errno) }
            } else {
                chmod(directory, FileDescriptor.folderPermissions)
            }
        }
        return missing.reversed()
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Atomically replaces `destination` with `source` (same file system).
    public static func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw FileSystemError(operation: "rename to \(destination)", path: source, code: errno)
        }
    }

    /// A second name for an existing file (a hard link): keeps old bytes reachable at no cost.
    /// Swaps two existing paths in one step (Linux's `renameat2` with `RENAME_EXCHANGE`).
    public static func exchange(_ first: String, _ second: String) throws(FileSystemError) {
        guard CDossierSystem_exchange(first, second) == 0 else {
            throw FileSystemError(operation: "exchange with \(second)", path: first, code: errno)
        }
    }

    public static func link(_ existing: String, to newPath: String) throws(FileSystemError) {
        guard Glibc.link(existing, newPath) == 0 else {
            throw FileSystemError(operation: "link to \(newPath)", path: existing, code: errno)
        }
    }

    /// Makes a directory's entries (creations, renames) durable.
    static func syncDirectory(_ path: String) throws(FileSystemError) {
        let descriptor = try FileDescriptor.open(path, .directory)
        defer { descriptor.closeQuietly() }
        try descriptor.sync()
    }

    public static func removeFile(_ path: String) throws(FileSystemError) {
        guard unlink(path) == 0 else { throw FileSystemError(operation: "unlink", path: path, code: errno) }
    }

    public static func removeEmptyDirectory(_ path: String) throws(FileSystemError) {
        guard rmdir(path) == 0 else { throw FileSystemError(operation: "rmdir", path: path, code: errno) }
    }

    /// Removes a file or a whole tree. Links are removed, never followed.
    public static func removeTree(_ path: String) throws(FileSystemError) {
        switch kind(of: path) {
        case .missing: return
        case .directory:
            for name in try contents(of: path) { try removeTree(path + "/" + name) }
            try removeEmptyDirectory(path)
        default:
            try removeFile(path)
        }
    }

    /// The entries of a folder (not `.` or `..`) with their kinds, sorted by their name bytes
    /// for repeatable output: the one `readdir` loop.
    ///
    /// The kind comes from `readdir`'s `d_type`, so walking a store of thousands of objects
    /// costs one `getdents` per folder rather than one `lstat` per entry; `lstat` is the
    /// fallback for file systems that do not fill `d_type`.
    public static func entries(of path: String) throws(FileSystemError) -> [DirectoryEntry] {
        guard let directory = opendir(path) else { throw FileSystemError(operation: "opendir", path: path, code: errno) }
        defer { closedir(directory) }
        var entries: [DirectoryEntry] = []
        // swift-format-ignore: NeverForceUnwrap
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            // The name is read where it lies, up to its NUL: glibc packs the entries of a
            // `getdents` buffer by their `d_reclen`, so the last one can end well before the 256
            // bytes `d_name` declares, and copying the whole field reads past the buffer
            // (AddressSanitizer: heap-buffer-overflow).
            let namePointer = UnsafeRawPointer(entry) + nameOffset
            let name = Array(UnsafeRawBufferPointer(start: namePointer, count: strlen(namePointer.assumingMemoryBound(to: CChar.self))))
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let kind: FileKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = FileSystem.kind(of: "\(path)/\(String(decoding: name, as: UTF8.self))")
            default: kind = .other("a special file")
            }
            entries.append(DirectoryEntry(rawName: name, kind: kind))
        }
        return entries.sorted { $0.rawName.lexicographicallyPrecedes($1.rawName) }
    }

    /// Names in a directory (not `.` or `..`), sorted by their UTF-8 bytes for repeatable output.
    public static func contents(of path: String) throws(FileSystemError) -> [String] {
        try entries(of: path).map(\.name)
    }

    /// Raw name bytes in a directory, for callers that must reject names that are not UTF-8.
    static func rawContents(of path: String) throws(FileSystemError) -> [[UInt8]] {
        try entries(of: path).map(\.rawName)
    }

    public static func readFile(_ path: String, limit: Int = 64 << 20) throws(FileSystemError) -> [UInt8] {
        let descriptor = try FileDescriptor.open(path, .readOnly)
        defer { descriptor.closeQuietly() }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let outcome: Result<Int, FileSystemError> = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(FileSystemError) in try descriptor.read(into: raw) }
            }
            let count = try outcome.get()
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
            if result.count > limit { throw FileSystemError(operation: "read (larger than \(limit) bytes)", path: path, code: EFBIG) }
        }
        return result
    }

    /// Writes a new file durably: data, then `fsync`. Fails if the file exists.
    /// Commits every file written on the file system holding `path` to disk (`syncfs`): the
    /// staged documents of a filing are written without an `fsync` each and made durable by
    /// this one call before the version is built (a flush per file made a filing of 100,000
    /// small documents take most of an hour).
    public static func syncFileSystem(containing path: String) throws(FileSystemError) {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: path, code: errno) }
        defer { Glibc.close(descriptor) }
        guard CDossierSystem_syncfs(descriptor) == 0 else { throw FileSystemError(operation: "syncfs", path: path, code: errno) }
    }

    public static func writeNewFile(_ path: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let descriptor = try FileDescriptor.open(path, .createNew)
        do {
            try descriptor.write(bytes)
            try descriptor.sync()
            try descriptor.close()
        } catch {
            descriptor.closeQuietly()
            throw error
        }
    }

    /// Replaces a file atomically: a temporary sibling is written and synced, renamed over the
    /// target, and the directory synced (restic's `local.Save`).
    public static func replaceFile(_ path: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let temporary = "\(parent(of: path))/.\(lastComponent(of: path)).\(getpid()).tmp"
        do {
            let descriptor = try FileDescriptor.open(temporary, .replace)
            defer { descriptor.closeQuietly() }
            try descriptor.write(bytes)
            try descriptor.sync()
            try rename(temporary, to: path)
            try syncDirectory(parent(of: path))
        } catch {
            _ = unlink(temporary)
            // The temporary is a detail of this function: name the file the caller asked for.
            throw error.path == temporary ? FileSystemError(operation: error.operation, path: path, code: error.code) : error
        }
    }

    /// A new, empty, uniquely named directory inside `parent`.
    public static func makeTemporaryDirectory(in parent: String, prefix: String) throws(FileSystemError) -> String {
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard result != nil else { throw FileSystemError(operation: "mkdtemp", path: parent, code: errno) }
        return String(cString: template.map { UInt8(bitPattern: $0) })
    }
}

/// Writes a new file sequentially, bypassing the page cache (`O_DIRECT`) for whole aligned
/// blocks when the file system allows it.
///
/// Filing copies documents into the store and then syncs them. Through the page cache, a 1 GiB
/// copy plus `fsync` cost about 4 s of mostly kernel time here; written directly, the same
/// bytes reach the disk in under 1 s, so the copy no longer dominates a filing. Tails that are
/// not a whole block, and file systems without `O_DIRECT` (tmpfs), use ordinary writes.
final class SequentialFileWriter {
    static let blockSize = 4096
    public var path: String { file.path }
    private let file: FileDescriptor
    private var direct: Bool

    public init(creating path: String) throws(FileSystemError) {
        let permissions = FileDescriptor.filePermissions
        var descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | CDossierSystem_O_DIRECT, permissions)
        direct = descriptor >= 0
        if descriptor < 0, errno == EINVAL {
            descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        }
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: path, code: errno) }
        fchmod(descriptor, permissions)
        file = FileDescriptor(rawValue: descriptor, path: path)
    }

    deinit { file.closeQuietly() }

    public func write(_ buffer: UnsafeRawBufferPointer) throws(FileSystemError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var offset = 0
        if direct, Int(bitPattern: base) % SequentialFileWriter.blockSize == 0 {
            offset = buffer.count - buffer.count % SequentialFileWriter.blockSize
            try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<offset]))
        }
        if offset < buffer.count {
            // From here on the file is no longer block-aligned: leave direct mode for good.
            if direct {
                let flags = fcntl(file.rawValue, F_GETFL)
                guard fcntl(file.rawValue, F_SETFL, flags & ~CDossierSystem_O_DIRECT) == 0 else {
                    throw FileSystemError(operation: "fcntl", path: path, code: errno)
                }
                direct = false
            }
            try file.write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }
    }

    /// Flushes the file's data and size to the disk.
    public func sync() throws(FileSystemError) { try file.sync() }
}

/// Whether two byte arrays are equal, compared with `memcmp` (the generic `==` compares element
/// by element, which showed in profiles of `verify` comparing inventory copies).
func sameBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return lhs.withUnsafeBytes { a in
        rhs.withUnsafeBytes { b in
            guard let left = a.baseAddress, let right = b.baseAddress else { return true }
            return memcmp(left, right, a.count) == 0
        }
    }
}
