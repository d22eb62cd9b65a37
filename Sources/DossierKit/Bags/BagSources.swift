import DossierModel
/// A path inside a bag, compared byte for byte.
///
/// Swift's `String` equality is Unicode canonical equivalence, under which a file named in
/// NFC and one named in NFD are "equal"; a bag may hold both (Linux allows it), and a
/// validator must tell them apart, so paths are keyed by their UTF-8 bytes.
struct BagPath: Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    let text: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    init(stringLiteral value: String) { self.init(value) }

    static func == (lhs: BagPath, rhs: BagPath) -> Bool { lhs.bytes == rhs.bytes }
    func hash(into hasher: inout Swift.Hasher) { hasher.combine(bytes) }
    static func < (lhs: BagPath, rhs: BagPath) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
    var description: String { text }

    var isPayload: Bool { bytes.starts(with: Array("data/".utf8)) }

    /// The path without a leading `prefix` (compared as bytes), or `nil`.
    func dropping(_ prefix: [UInt8]) -> BagPath? {
        guard bytes.starts(with: prefix) else { return nil }
        return BagPath(String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self))
    }
}

/// One regular file of a bag as found, before any rule is applied.
struct ListedFile {
    var size: Int64
    /// The bytes, for tag files small enough to keep.
    var contents: [UInt8]?
    /// Algorithm → lowercase hex, for files hashed while they streamed past.
    var digests: [String: String] = [:]
}

/// What a bag holds: its regular files and folders, relative to the bag's root, and the
/// entries that cannot be part of any bag (links, unsafe names).
struct BagListing {
    var files: [BagPath: ListedFile] = [:]
    var directories: Set<BagPath> = []
    var problems: [BagProblem] = []
    /// The bag's top folder inside an archive ("" when the bag is the archive's root).
    var root = ""

    var payloadPaths: [BagPath] { files.keys.filter(\.isPayload).sorted() }
    var tagPaths: [BagPath] { files.keys.filter { !$0.isPayload }.sorted() }
}

/// Where a bag's bytes come from: a folder, or an archive read in place.
protocol BagSource {
    /// Lists the bag, keeping small tag files and hashing payload files as they pass if that
    /// is cheaper than reading them again (archives).
    func list(progress: (Int64) -> Void) throws -> BagListing
    /// Adds what the rules still need: contents of tag files and digests of any file.
    func complete(_ listing: inout BagListing, contents: Set<BagPath>, digests: [BagPath: Set<String>], progress: (Int64) -> Void) throws
}

/// Tag files larger than this are hashed, not kept, and cannot be parsed.
let tagFileLimit = 64 << 20

/// Hashes the files `digests` names with a ``DigestPipeline``, reading each once.
private func hashFiles(
    _ digests: [BagPath: Set<String>], into listing: inout BagListing, progress: (Int64) -> Void,
    open: (BagPath) throws -> ((UnsafeMutableRawBufferPointer) throws -> Int)
) throws {
    let pipeline = DigestPipeline()
    var jobs: [(BagPath, DigestJob)] = []
    var done: Int64 = 0
    for path in digests.keys.sorted() {
        guard let algorithms = digests[path], !algorithms.isEmpty else { continue }
        let read = try open(path)
        let job = try pipeline.begin(path.text, algorithms: algorithms.sorted())
        try pipeline.pumpToEnd(job, read: read, progress: { count in
            done += Int64(count)
            progress(done)
        })
        jobs.append((path, job))
    }
    pipeline.wait()
    for (path, job) in jobs {
        listing.files[path]?.digests.merge(job.digests) { $1 }
    }
}

/// A bag on disk, read where it is and never written to.
struct FolderBagSource: BagSource {
    let root: String

    func list(progress: (Int64) -> Void) throws -> BagListing {
        var listing = BagListing()
        try walk("", into: &listing)
        return listing
    }

    private func walk(_ relative: String, into listing: inout BagListing) throws {
        let directory = relative.isEmpty ? root : "\(root)/\(relative)"
        for raw in try FileSystem.rawContents(of: directory) {
            let rawPath = (relative.isEmpty ? [] : Array(relative.utf8) + [0x2F]) + raw
            guard let name = String(validating: raw, as: UTF8.self) else {
                let display = ArchiveEntry(rawPath: rawPath, kind: .regular, size: nil, isEncrypted: false).displayPath
                listing.problems.append(BagProblem(file: display, problem: "name is not valid UTF-8; manifests cannot name it"))
                continue
            }
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            let key = BagPath(path)
            switch FileSystem.kind(of: "\(root)/\(path)") {
            case .directory:
                listing.directories.insert(key)
                try walk(path, into: &listing)
            case .regular:
                let size = FileSystem.size(ofRegularFile: "\(root)/\(path)") ?? 0
                var file = ListedFile(size: size)
                if !key.isPayload, size <= tagFileLimit { file.contents = try FileSystem.readFile("\(root)/\(path)", limit: tagFileLimit) }
                listing.files[key] = file
            case .symbolicLink:
                listing.problems.append(BagProblem(file: path, problem: "is a symbolic link; a bag holds regular files, and links are not followed"))
            case .other(let what):
                listing.problems.append(BagProblem(file: path, problem: "is \(what); a bag holds regular files"))
            case .missing:
                listing.problems.append(BagProblem(file: path, problem: "disappeared while the bag was read"))
            }
        }
    }

    func complete(_ listing: inout BagListing, contents: Set<BagPath>, digests: [BagPath: Set<String>], progress: (Int64) -> Void) throws {
        for path in contents where listing.files[path]?.contents == nil {
            listing.files[path]?.contents = try FileSystem.readFile("\(root)/\(path.text)", limit: tagFileLimit)
        }
        var descriptors: [FileDescriptor] = []
        defer { descriptors.forEach { $0.closeQuietly() } }
        try hashFiles(digests, into: &listing, progress: progress) { path in
            let descriptor = try FileDescriptor.open("\(root)/\(path.text)", .readOnly)
            descriptors.append(descriptor)
            return { try descriptor.read(into: $0) }
        }
    }
}

/// A bag inside a tar, tar.gz or zip archive, read through libarchive without unpacking.
///
/// Payload files can only be hashed while they stream past, and a manifest may come after
/// the files it lists. The first pass keeps tag files (small) and hashes every payload file
/// with the algorithms of the payload manifests seen so far — sha256 and sha512, the
/// algorithms RFC 8493 recommends, until one is seen. Our own exports put the manifests
/// first, so one pass is enough for them and for any bag using those two algorithms. A
/// second pass, only over the files that still lack a digest, covers the rest (an md5 bag
/// whose manifest comes last, say). Hashing everything with every algorithm instead would
/// triple the work on every bag to save a pass on a few.
struct ArchiveBagSource: BagSource {
    let path: String
    let displayName: String

    static let defaultAlgorithms = ["sha256", "sha512"]
    static let readBlockSize = 1 << 20

    func list(progress: (Int64) -> Void) throws -> BagListing {
        var raw = BagListing()
        var manifestAlgorithms: Set<String> = []
        let pipeline = DigestPipeline()
        var jobs: [(BagPath, DigestJob)] = []
        var done: Int64 = 0
        do {
            try ArchiveReader.read(path, displayName: displayName, blockSize: ArchiveBagSource.readBlockSize) { reader in
                while let entry = try reader.nextEntry() {
                    guard let name = ArchiveBagSource.normalize(entry, problems: &raw.problems) else { continue }
                    if name.bytes.isEmpty { continue }
                    switch entry.kind {
                    case .directory:
                        raw.directories.insert(name)
                        continue
                    case .regular:
                        break
                    case .symbolicLink, .hardLink, .other:
                        raw.problems.append(BagProblem(file: name.text, problem: "is \(ArchiveBagSource.describe(entry.kind)); a bag holds regular files"))
                        continue
                    }
                    if entry.isEncrypted {
                        raw.problems.append(BagProblem(file: name.text, problem: "is encrypted; it cannot be checked"))
                        continue
                    }
                    if raw.files[name] != nil {
                        raw.problems.append(BagProblem(file: name.text, problem: "appears twice in the archive"))
                        continue
                    }
                    if ArchiveBagSource.isPayloadLike(name) {
                        let algorithms = manifestAlgorithms.isEmpty ? ArchiveBagSource.defaultAlgorithms : manifestAlgorithms.sorted()
                        let job = try pipeline.begin(name.text, algorithms: algorithms)
                        try pipeline.pumpToEnd(job, read: { try reader.read(into: $0) }, progress: { count in
                            done += Int64(count)
                            progress(done)
                        })
                        jobs.append((name, job))
                        raw.files[name] = ListedFile(size: 0)
                    } else {
                        let bytes = try ArchiveBagSource.readAll(reader, limit: tagFileLimit)
                        raw.files[name] = ListedFile(size: bytes.size, contents: bytes.contents)
                        let base = FileSystem.lastComponent(of: name.text)
                        if name.text.split(separator: "/").count <= 2, base.hasPrefix("manifest-"), base.hasSuffix(".txt") {
                            let algorithm = String(base.dropFirst("manifest-".count).dropLast(".txt".count))
                            if NamedHasher.isSupported(algorithm) { manifestAlgorithms.insert(algorithm) }
                        }
                    }
                }
            }
        } catch let error as ArchiveError {
            raw.problems.append(BagProblem(file: "", problem: "the archive cannot be read to its end: \(error.problem)"))
        }
        pipeline.wait()
        for (name, job) in jobs {
            raw.files[name]?.size = job.size
            raw.files[name]?.digests = job.digests
        }
        return ArchiveBagSource.rooted(raw)
    }

    func complete(_ listing: inout BagListing, contents: Set<BagPath>, digests: [BagPath: Set<String>], progress: (Int64) -> Void) throws {
        let wanted = contents.union(digests.keys)
        guard !wanted.isEmpty else { return }
        let prefix = listing.root.isEmpty ? [] : Array((listing.root + "/").utf8)
        let pipeline = DigestPipeline()
        var jobs: [(BagPath, DigestJob)] = []
        var done: Int64 = 0
        var scratch: [BagProblem] = []
        try ArchiveReader.read(path, displayName: displayName, blockSize: ArchiveBagSource.readBlockSize) { reader in
            while let entry = try reader.nextEntry() {
                guard entry.kind == .regular, let name = ArchiveBagSource.normalize(entry, problems: &scratch),
                    let relative = name.dropping(prefix), wanted.contains(relative)
                else { continue }
                if contents.contains(relative) {
                    let bytes = try ArchiveBagSource.readAll(reader, limit: tagFileLimit)
                    listing.files[relative]?.contents = bytes.contents
                    for algorithm in digests[relative] ?? [] {
                        if let kept = bytes.contents { listing.files[relative]?.digests[algorithm] = try NamedHasher.hex(algorithm, of: kept) }
                    }
                    continue
                }
                let job = try pipeline.begin(relative.text, algorithms: (digests[relative] ?? []).sorted())
                try pipeline.pumpToEnd(job, read: { try reader.read(into: $0) }, progress: { count in
                    done += Int64(count)
                    progress(done)
                })
                jobs.append((relative, job))
            }
        }
        pipeline.wait()
        for (relative, job) in jobs { listing.files[relative]?.digests.merge(job.digests) { $1 } }
    }

    /// Whether a file would be payload with the bag at the archive's root or in a top folder.
    static func isPayloadLike(_ name: BagPath) -> Bool {
        let components = name.bytes.split(separator: 0x2F).map { Array($0) }
        let data = Array("data".utf8)
        return components.first == data || (components.count > 2 && components[1] == data)
    }

    static func describe(_ kind: ArchiveEntry.Kind) -> String {
        switch kind {
        case .symbolicLink: "a symbolic link"
        case .hardLink: "a hard link"
        case .other(let what): what
        case .regular: "a regular file"
        case .directory: "a folder"
        }
    }

    /// The entry's name without `./` and a trailing slash; `nil` (with a problem) when the
    /// name cannot be in a bag.
    static func normalize(_ entry: ArchiveEntry, problems: inout [BagProblem]) -> BagPath? {
        guard var name = entry.path else {
            problems.append(BagProblem(file: entry.displayPath, problem: "name is not valid UTF-8; manifests cannot name it"))
            return nil
        }
        while name.hasPrefix("./") { name.removeFirst(2) }
        if name == "." { return BagPath("") }
        while name.hasSuffix("/") { name.removeLast() }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.hasPrefix("/") || components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            problems.append(BagProblem(file: entry.displayPath, problem: "is not a relative path inside the archive (absolute, empty, . or .. components)"))
            return nil
        }
        return BagPath(name)
    }

    /// The whole entry in memory, up to `limit` bytes; beyond it only the size is kept.
    static func readAll(_ reader: ArchiveReader, limit: Int) throws -> (contents: [UInt8]?, size: Int64) {
        var bytes: [UInt8] = []
        var size: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var kept = true
        while true {
            let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { break }
            size += Int64(count)
            if kept {
                bytes += buffer[0..<count]
                if bytes.count > limit {
                    kept = false
                    bytes = []
                }
            }
        }
        return (kept ? bytes : nil, size)
    }

    /// Finds the bag's root: the archive's root when it holds bagit.txt, else its single
    /// top folder. Paths become relative to it; anything outside is a problem.
    static func rooted(_ raw: BagListing) -> BagListing {
        var root: [UInt8] = []
        if raw.files["bagit.txt"] == nil {
            let tops = Set((Array(raw.files.keys) + Array(raw.directories)).compactMap { $0.bytes.split(separator: 0x2F).first.map(Array.init) })
            if tops.count == 1, let top = tops.first, raw.files[BagPath(String(decoding: top, as: UTF8.self))] == nil { root = top }
        }
        guard !root.isEmpty else { return raw }
        var listing = BagListing(problems: raw.problems, root: String(decoding: root, as: UTF8.self))
        let prefix = root + [0x2F]
        for (name, file) in raw.files {
            if let relative = name.dropping(prefix) { listing.files[relative] = file }
        }
        for name in raw.directories {
            if let relative = name.dropping(prefix) { listing.directories.insert(relative) }
        }
        return listing
    }
}
