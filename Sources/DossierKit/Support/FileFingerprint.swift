import DossierModel
#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// What `stat` says about a file or folder, enough to tell that it changed.
///
/// Every change to an inode (writing a file in place, adding, removing or renaming an entry of
/// a folder, replacing a file by renaming another over it, chmod) sets its ctime to the current
/// time, and no ordinary file operation can set a ctime back; a file replaced by another has
/// another inode or a later ctime. The one blind spot is a change within the file system's
/// timestamp tick after the fingerprint was taken: `isSettled(at:)` says when a fingerprint
/// cannot be in that window.
public struct FileFingerprint: Sendable, Hashable {
    public var inode: UInt64
    public var size: Int64
    /// mtime, in nanoseconds since 1970.
    public var modified: Int64
    /// ctime, in nanoseconds since 1970.
    public var changed: Int64

    public init(inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    /// How long after a change a file's timestamps can no longer be those of a second change:
    /// coarser than the tick of any Linux file system that records sub-second times (ext4, XFS
    /// and btrfs tick every few milliseconds) and than the one-second ticks of older ones.
    public static let settlingNanoseconds: Int64 = 1_000_000_000

    /// Whether a later change of the file is sure to give another fingerprint, if this one was
    /// taken at `time` (nanoseconds since 1970): its ctime is at least ``settlingNanoseconds``
    /// older. Otherwise a second change within the same tick could leave every field as it is.
    func isSettled(at time: Int64) -> Bool { changed < time - Self.settlingNanoseconds }

    /// The current time in nanoseconds since 1970, on the clock file timestamps come from.
    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    init(_ status: stat) {
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
    }

    /// 32 bytes, little-endian, for storing.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for value in [inode, UInt64(bitPattern: size), UInt64(bitPattern: modified), UInt64(bitPattern: changed)] {
            withUnsafeBytes(of: value.littleEndian) { result += $0 }
        }
        return result
    }

    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        func word(_ index: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
        self.init(inode: word(0), size: Int64(bitPattern: word(1)), modified: Int64(bitPattern: word(2)), changed: Int64(bitPattern: word(3)))
    }
}

/// Relative paths in one buffer of NUL-terminated bytes, as `fstatat` takes them: the freshness
/// check reads some 35,000 of them from the index at every command, and a `String` each would
/// cost more than the check itself.
struct PathList: Sendable {
    public private(set) var bytes: [CChar] = []
    public private(set) var starts: [Int] = []

    public init() {}

    public var count: Int { starts.count }

    /// Appends `path` (UTF-8 bytes, no NUL), then `suffix`.
    public mutating func append(_ path: UnsafeBufferPointer<UInt8>, suffix: [UInt8] = []) {
        starts.append(bytes.count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(path).assumingMemoryBound(to: CChar.self))
        suffix.withUnsafeBytes { bytes.append(contentsOf: $0.assumingMemoryBound(to: CChar.self)) }
        bytes.append(0)
    }

    public mutating func append(_ path: String, suffix: [UInt8] = []) {
        var path = path
        path.withUTF8 { append($0, suffix: suffix) }
    }

    mutating func reserve(paths: Int, bytes count: Int) {
        starts.reserveCapacity(paths)
        bytes.reserveCapacity(count)
    }

    /// The path at `index`, without its last `droppingLast` bytes.
    public func path(at index: Int, droppingLast: Int = 0) -> String {
        let end = (index + 1 < starts.count ? starts[index + 1] : bytes.count) - 1 - droppingLast
        return String(decoding: bytes[starts[index]..<max(starts[index], end)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

