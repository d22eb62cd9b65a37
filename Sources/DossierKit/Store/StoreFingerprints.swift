import DossierModel
#if canImport(Glibc)
import Glibc
#endif
import Dispatch

extension StorageRoot {
    /// The storage root itself among the relative paths of ``tupleFolders(under:depth:)``.
    static let rootFolder = "."

    /// An object's folder relative to the storage root, e.g. `a28/330/840/urn%3adossier%3a…`.
    public func relativeObjectPath(for id: DossierID) -> String {
        String(objectRoot(for: id).dropFirst(path.count + 1))
    }

    /// Fingerprints of paths relative to the storage root (`nil` where nothing is there, links
    /// not followed), taken on two threads: 10,000 objects and their folders are some 35,000
    /// `stat` calls, each a path walk.
    ///
    /// - Returns: per list, the fingerprint of each path.
    func fingerprints(of lists: [PathList]) -> [[FileFingerprint?]] {
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
    func fingerprint(of relative: String) -> FileFingerprint? {
        var list = PathList()
        list.append(relative)
        return fingerprints(of: [list])[0][0]
    }

    /// One folder of the layout's tuple tree (or the storage root), as listed.
    struct TupleFolder: Sendable {
        /// Relative to the storage root; ``StorageRoot/rootFolder`` for the root.
        public var path: String
        /// Taken before the folder was listed, so that an entry added while listing changes it.
        var fingerprint: FileFingerprint
        /// Its tuple subfolders (relative paths), or its objects' folders.
        var subfolders: [String]
        public var objects: [(id: DossierID, path: String)]
    }

    /// Lists one tuple folder: its subfolders, or (at the deepest level) the objects in it.
    /// - Returns: `nil` when the folder is gone.
    func tupleFolder(_ relative: String, depth: Int) -> TupleFolder? {
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
    func tupleFolders(under relative: String = StorageRoot.rootFolder, depth: Int = 0) -> [TupleFolder] {
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
