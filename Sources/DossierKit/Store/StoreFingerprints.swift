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
/// timestamp tick after the fingerprint was taken: ``isSettled(at:)`` says when a fingerprint
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
    public func isSettled(at time: Int64) -> Bool { changed < time - Self.settlingNanoseconds }

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

extension StorageRoot {
    /// The storage root itself among the relative paths of ``tupleFolders(under:depth:)``.
    public static let rootFolder = "."

    /// An object's folder relative to the storage root, e.g. `a28/330/840/urn%3adossier%3a…`.
    public func relativeObjectPath(for id: DossierID) -> String {
        String(objectRoot(for: id).dropFirst(path.count + 1))
    }

    /// Fingerprints of paths relative to the storage root (`nil` where nothing is there, links
    /// not followed), taken on two threads: 10,000 objects and their folders are some 35,000
    /// `stat` calls, each a path walk.
    ///
    /// - Returns: per list, the fingerprint of each path.
    public func fingerprints(of lists: [PathList]) -> [[FileFingerprint?]] {
        let root = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return lists.map { Array(repeating: nil, count: $0.count) } }
        defer { Glibc.close(root) }
        let total = lists.reduce(0) { $0 + $1.count }
        let slots = lists.map { FingerprintSlots(count: $0.count) }
        defer { for slot in slots { slot.deallocate() } }
        let parts = total < 256 ? 1 : 2
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            // Each thread takes a contiguous share of every list (a file's path is longer than a
            // folder's, so its `stat` dearer): no two threads write in the same cache line.
            for (list, results) in zip(lists, slots) {
                let range = (list.count * part / parts)..<(list.count * (part + 1) / parts)
                list.bytes.withUnsafeBufferPointer { buffer in
                    list.starts.withUnsafeBufferPointer { starts in
                        // swift-format-ignore: NeverForceUnwrap
                        let base = buffer.baseAddress!
                        var status = stat()
                        for index in range where fstatat(root, base + starts[index], &status, AT_SYMLINK_NOFOLLOW) == 0 {
                            results.set(index, FileFingerprint(status))
                        }
                    }
                }
            }
        }
        return slots.map(\.values)
    }

    /// The fingerprint of one path relative to the storage root.
    public func fingerprint(of relative: String) -> FileFingerprint? {
        var list = PathList()
        list.append(relative)
        return fingerprints(of: [list])[0][0]
    }

    /// One folder of the layout's tuple tree (or the storage root), as listed.
    public struct TupleFolder: Sendable {
        /// Relative to the storage root; ``StorageRoot/rootFolder`` for the root.
        public var path: String
        /// Taken before the folder was listed, so that an entry added while listing changes it.
        public var fingerprint: FileFingerprint
        /// Its tuple subfolders (relative paths), or its objects' folders.
        public var subfolders: [String]
        public var objects: [(id: DossierID, path: String)]
    }

    /// Lists one tuple folder: its subfolders, or (at the deepest level) the objects in it.
    /// - Returns: `nil` when the folder is gone.
    public func tupleFolder(_ relative: String, depth: Int) -> TupleFolder? {
        let absolute = relative == Self.rootFolder ? path : "\(path)/\(relative)"
        var status = stat()
        guard lstat(absolute, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR, let names = try? FileSystem.contents(of: absolute) else { return nil }
        var folder = TupleFolder(path: relative, fingerprint: FileFingerprint(status), subfolders: [], objects: [])
        let prefix = relative == Self.rootFolder ? "" : "\(relative)/"
        if depth == layout.numberOfTuples {
            for name in names {
                guard let id = StorageRoot.decodeEncapsulation(name), relativeObjectPath(for: id) == prefix + name,
                    FileSystem.exists("\(path)/\(prefix)\(name)/\(StorageRoot.objectDeclaration)")
                else { continue }
                folder.objects.append((id, prefix + name))
            }
        } else {
            for name in names where name.utf8.count == layout.tupleSize && FileSystem.isDirectory("\(path)/\(prefix)\(name)") {
                folder.subfolders.append(prefix + name)
            }
        }
        return folder
    }

    /// Every tuple folder from `relative` down, each listed once, parents before children.
    public func tupleFolders(under relative: String = StorageRoot.rootFolder, depth: Int = 0) -> [TupleFolder] {
        var result: [TupleFolder] = []
        var pending = [(relative, depth)]
        while let (next, level) = pending.popLast() {
            guard let folder = tupleFolder(next, depth: level) else { continue }
            result.append(folder)
            pending += folder.subfolders.reversed().map { ($0, level + 1) }
        }
        return result
    }
}

/// Relative paths in one buffer of NUL-terminated bytes, as `fstatat` takes them: the freshness
/// check reads some 35,000 of them from the index at every command, and a `String` each would
/// cost more than the check itself.
public struct PathList: Sendable {
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

    public mutating func reserve(paths: Int, bytes count: Int) {
        starts.reserveCapacity(paths)
        bytes.reserveCapacity(count)
    }

    /// The path at `index`, without its last `droppingLast` bytes.
    public func path(at index: Int, droppingLast: Int = 0) -> String {
        let end = (index + 1 < starts.count ? starts[index + 1] : bytes.count) - 1 - droppingLast
        return String(decoding: bytes[starts[index]..<max(starts[index], end)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Result slots written by the threads of ``StorageRoot/fingerprints(of:)``.
///
/// `@unchecked Sendable`: each thread writes only the slots of its own index range, the ranges
/// are disjoint, and the slots are read only after `concurrentPerform` has returned.
private final class FingerprintSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<FileFingerprint?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func set(_ index: Int, _ value: FileFingerprint) { slots[index] = value }

    var values: [FileFingerprint?] { Array(slots) }

    func deallocate() { slots.deallocate() }
}
