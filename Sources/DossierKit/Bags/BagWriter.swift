import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// A payload file of a bag: where its bytes come from and what they must hash to.
struct BagPayloadFile: Sendable {
    /// The path inside the bag, `data/…`.
    public var bagPath: String
    public var size: Int64
    /// The digests the bytes must have (lowercase hex). sha512 is required; sha256 is
    /// computed in a first pass when not known.
    public var sha512: String
    public var sha256: String?
    /// Whether compression is worth trying (false for PDF, JPEG, DOCX, ZIP …).
    var compressible: Bool
    /// Opens the bytes (a store content file) for reading, from the start.
    public var open: @Sendable () throws -> FileDescriptor

    public init(bagPath: String, size: Int64, sha512: String, sha256: String?, compressible: Bool, open: @escaping @Sendable () throws -> FileDescriptor) {
        self.bagPath = bagPath
        self.open = open
        self.size = size
        self.sha512 = sha512
        self.sha256 = sha256
        self.compressible = compressible
    }
}

/// Everything a bag holds, decided before a byte is written.
struct BagPlan: Sendable {
    /// The bag's single top folder in the archive, e.g. `IMUT-2021-0007-v7`.
    public var name: String
    /// bag-info.txt, in order. `Payload-Oxum` is added by the writer.
    var bagInfo: [(label: String, value: String)]
    /// Tag files other than the BagIt ones (e.g. `metadata/dossier.json`), relative to the bag.
    var tagFiles: [(path: String, contents: [UInt8])]
    public var payload: [BagPayloadFile]
    /// Seconds since 1970 given to every archive entry.
    public var modificationTime: Int64
    /// The key that seals the bag: its signature of `tagmanifest-sha512.txt` becomes the tag
    /// file `tagmanifest-sha512.txt.sig`; `nil` writes no seal.
    var seal: SealKey?

    public init(name: String, bagInfo: [(label: String, value: String)], tagFiles: [(path: String, contents: [UInt8])], payload: [BagPayloadFile], modificationTime: Int64) {
        self.name = name
        self.bagInfo = bagInfo
        self.tagFiles = tagFiles
        self.payload = payload
        self.modificationTime = modificationTime
    }
}

/// What was written.
public struct BagWriteResult: Sendable {
    public var path: String
    public var archiveBytes: Int64
    public var payloadFiles: Int
    public var payloadBytes: Int64
    /// The sha512 of tagmanifest-sha512.txt: one value that pins every tag file and, through
    /// the manifests, every payload byte of the bag.
    public var tagManifestSHA512: String
    /// The sha256 of the same file: shorter to print and compare (`sha256sum` gives it too).
    public var tagManifestSHA256: String
}

/// Why a bag could not be written. Nothing is left at the output path in any case.
enum BagWriteError: Error, Sendable, CustomStringConvertible {
    /// A payload source does not hash to (or is not the size of) what the plan says.
    case corrupt(file: BagPayloadFile, problem: String)
    case archive(ArchiveError)
    case io(FileSystemError)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .corrupt(let file, let problem): "\(file.bagPath): \(problem)"
        case .archive(let error): error.description
        case .io(let error): error.description
        case .crypto(let error): error.description
        }
    }
}

/// Writes a BagIt 1.0 bag (RFC 8493) straight into a tar, tar.gz or zip archive.
///
/// Tag files come first (bagit.txt, bag-info.txt, both manifests, both tag manifests, then
/// the other tag files), payload last: the manifests are known before the payload is read
/// (from the store's digests), so a streaming verifier knows every algorithm before the
/// first payload byte. Every payload byte is hashed as it is copied (``DigestPipeline``) and
/// compared with the plan's sha256 (see ``copyCheck``); the archive is written to a temporary sibling of the
/// output and renamed into place only when every digest matched.
enum BagWriter {
    static let manifestAlgorithms = ["sha256", "sha512"]

    /// The digest every payload byte is checked with while it is copied: the store's sha256
    /// fixity. It pins the bytes as firmly as the inventory's sha512 (both were computed from
    /// the same bytes at filing, and the inventory is checked against its sidecar), and with
    /// the CPU's SHA instructions it runs at about 1.3 GB/s against sha512's 550 MB/s here, so
    /// checking costs no time next to the copy. Files whose inventory lacks the sha256 are
    /// checked against sha512 in a first pass (``completeDigests(_:)``).
    static let copyCheck = "sha256"
    static let softwareAgent = "dossier 0.1.0"
    /// The seal's tag file: a detached signature of `tagmanifest-sha512.txt`, named as detached
    /// signatures are (`FILE.sig`). Not listed in any tag manifest (it signs one of them), and
    /// outside the `tagmanifest-*.txt` pattern, so BagIt tools take it for an ordinary tag file.
    static let sealFile = "tagmanifest-sha512.txt.sig"
    /// The tag manifest the seal signs.
    static let sealedManifest = "tagmanifest-sha512.txt"

    /// - Parameters:
    ///   - output: the archive's path; its folder must exist. An existing file is replaced.
    ///   - durable: `fsync` the archive before renaming it into place (and its folder after).
    ///     An export is a copy that can always be made again from the store, and flushing
    ///     hundreds of megabytes to disk takes longer than writing them, so this is a choice.
    ///     Without it the file still appears whole or not at all to other programs; only a
    ///     power cut in the next seconds can lose it.
    ///   - claims: a `locks/` folder; when given, the archive is written under a ``Scratch``
    ///     name claimed there, and partial archives that earlier exports to the same output
    ///     left when they were killed are removed first.
    ///   - localTimeOffset: seconds east of UTC of the zone whose local time zip entries carry
    ///     (zip's DOS times have no zone; the vault's, so that every machine writes the same bytes).
    ///   - progress: payload bytes copied so far.
    /// - Throws: ``BagWriteError``; the output path is then untouched.
    public static func write(
        _ plan: BagPlan, format: ArchiveFormat, to output: String, durable: Bool = false, claims: String? = nil, localTimeOffset: Int = 0,
        progress: (Int64) -> Void = { _ in }
    ) throws(BagWriteError) -> BagWriteResult {
        // Checked before the first byte is read: a wrong -o would otherwise be found only at
        // the end, after a dossier of gigabytes was hashed and archived.
        switch (FileSystem.kind(of: FileSystem.parent(of: output), followingLinks: true), FileSystem.kind(of: output, followingLinks: true)) {
        case (.missing, _): throw .io(FileSystemError(operation: "create", path: output, code: ENOENT))
        case (.directory, .directory): throw .io(FileSystemError(operation: "create", path: output, code: EISDIR))
        case (.directory, _): break
        default: throw .io(FileSystemError(operation: "create", path: output, code: ENOTDIR))
        }
        var plan = plan
        try completeDigests(&plan.payload)
        let tagFiles = try bagitTagFiles(plan)
        let folder = FileSystem.parent(of: output)
        let partialPrefix = ".\(FileSystem.lastComponent(of: output)).partial-"
        let scratch: Scratch?
        do {
            if let claims {
                Scratch.sweep(in: folder, prefix: partialPrefix, locks: claims)
                scratch = try Scratch(in: folder, prefix: partialPrefix, locks: claims)
            } else {
                scratch = nil
            }
        } catch {
            throw .io(error)
        }
        defer { scratch?.remove() }
        let temporary = scratch?.path ?? "\(folder)/\(partialPrefix)\(getpid())"
        do {
            let descriptor = try FileDescriptor.open(temporary, .replace)
            var archiveBytes: Int64 = 0
            do {
                try writeArchive(
                    plan, tagFiles: tagFiles, format: format, descriptor: descriptor, name: FileSystem.lastComponent(of: output),
                    localTimeOffset: localTimeOffset, progress: progress)
                archiveBytes = FileSystem.size(ofRegularFile: temporary) ?? 0
                if durable { try descriptor.sync() }
                try descriptor.close()
            } catch {
                descriptor.closeQuietly()
                throw error
            }
            try FileSystem.rename(temporary, to: output)
            if durable { try FileSystem.syncDirectory(FileSystem.parent(of: output)) }
            let tagManifest = tagFiles.first { $0.path == sealedManifest }?.contents ?? []
            return BagWriteResult(
                path: output, archiveBytes: archiveBytes, payloadFiles: plan.payload.count,
                payloadBytes: plan.payload.reduce(0) { $0 + $1.size },
                tagManifestSHA512: try NamedHasher.hex("sha512", of: tagManifest),
                tagManifestSHA256: try NamedHasher.hex("sha256", of: tagManifest))
        } catch {
            _ = unlink(temporary)
            switch error {
            case let error as BagWriteError: throw error
            case let error as ArchiveError: throw .archive(error)
            case let error as FileSystemError: throw .io(error)
            case let error as CryptoError: throw .crypto(error)
            default: throw .io(FileSystemError(operation: "write (\(error))", path: output, code: EIO))
            }
        }
    }

    /// The sha256 of payload files whose plan lacks it, in a first pass that also checks sha512.
    static func completeDigests(_ payload: inout [BagPayloadFile]) throws(BagWriteError) {
        for index in payload.indices where payload[index].sha256 == nil {
            let file = payload[index]
            let digests: ContentDigests
            do {
                let input = try file.open()
                defer { input.closeQuietly() }
                digests = try StreamDigester.digest(read: { try input.read(into: $0) })
            } catch {
                throw .corrupt(file: file, problem: "cannot be read: \(error)")
            }
            guard digests.sha512.hex == file.sha512.lowercased(), digests.size == file.size else {
                throw .corrupt(file: file, problem: "expected sha512 \(file.sha512.shortDigest) (\(file.size) bytes), the content hashes to \(digests.sha512.short) (\(digests.size) bytes)")
            }
            payload[index].sha256 = digests.sha256.hex
        }
    }

    /// bagit.txt, bag-info.txt, the manifests and tag manifests, then the plan's tag files.
    static func bagitTagFiles(_ plan: BagPlan) throws(BagWriteError) -> [(path: String, contents: [UInt8])] {
        let payload = plan.payload.sorted { utf8Order($0.bagPath, $1.bagPath) }
        var files: [(path: String, contents: [UInt8])] = []
        files.append(("bagit.txt", Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)))
        let octets = payload.reduce(Int64(0)) { $0 + $1.size }
        var info = plan.bagInfo.filter { $0.label != "Payload-Oxum" }
        info.append(("Payload-Oxum", "\(octets).\(payload.count)"))
        files.append(("bag-info.txt", Array(info.map { "\($0.label): \(BagText.singleLine($0.value))\n" }.joined().utf8)))
        files.append(("manifest-sha256.txt", Array(payload.map { "\($0.sha256 ?? "")  \(BagText.encodePath($0.bagPath))\n" }.joined().utf8)))
        files.append(("manifest-sha512.txt", Array(payload.map { "\($0.sha512.lowercased())  \(BagText.encodePath($0.bagPath))\n" }.joined().utf8)))
        let listed = (files + plan.tagFiles).sorted { utf8Order($0.path, $1.path) }
        for algorithm in manifestAlgorithms {
            var lines = ""
            for file in listed {
                let digest: String
                do { digest = try NamedHasher.hex(algorithm, of: file.contents) } catch { throw .crypto(error) }
                lines += "\(digest)  \(BagText.encodePath(file.path))\n"
            }
            files.append(("tagmanifest-\(algorithm).txt", Array(lines.utf8)))
        }
        if let seal = plan.seal, let manifest = files.first(where: { $0.path == sealedManifest }) {
            do { files.append((sealFile, try seal.sign(manifest.contents))) } catch { throw .crypto(error) }
        }
        return files + plan.tagFiles.sorted { utf8Order($0.path, $1.path) }
    }

    private static func writeArchive(
        _ plan: BagPlan, tagFiles: [(path: String, contents: [UInt8])], format: ArchiveFormat, descriptor: FileDescriptor, name: String,
        localTimeOffset: Int, progress: (Int64) -> Void
    ) throws {
        try ArchiveWriter.write(format, to: descriptor, displayName: name, modificationTime: plan.modificationTime, localTimeOffset: localTimeOffset) { writer in
            var folders = FolderEntries(root: plan.name, writer: writer)
            try writer.addDirectory(plan.name)
            for file in tagFiles {
                try folders.ensureParents(of: file.path)
                try writer.addFile("\(plan.name)/\(file.path)", contents: file.contents, compress: true)
            }
            // data/ exists even for a version without documents: BagIt requires the folder.
            try folders.ensure("data")
            let pipeline = DigestPipeline()
            var jobs: [(BagPayloadFile, DigestJob)] = []
            var copied: Int64 = 0
            for file in plan.payload.sorted(by: { utf8Order($0.bagPath, $1.bagPath) }) {
                let input: FileDescriptor
                do { input = try file.open() } catch {
                    throw BagWriteError.corrupt(file: file, problem: "the content file cannot be read: \(error)")
                }
                defer { input.closeQuietly() }
                guard try input.size() == file.size else {
                    throw BagWriteError.corrupt(file: file, problem: "the content file is not \(file.size) bytes long")
                }
                try folders.ensureParents(of: file.bagPath)
                try writer.beginFile("\(plan.name)/\(file.bagPath)", size: file.size, compress: file.compressible)
                // swift-format-ignore: NeverForceUnwrap
                // completeDigests gave every file its sha256 before the archive was opened.
                let expected = file.sha256!.lowercased()
                let job = try pipeline.begin(file.bagPath, algorithms: [copyCheck], expected: [copyCheck: expected])
                jobs.append((file, job))
                try pipeline.pumpToEnd(job, read: { try input.read(into: $0) }, consume: { try writer.writeData($0) }) { count in
                    copied += Int64(count)
                    progress(copied)
                }
                if pipeline.hasMismatch { break }
            }
            pipeline.wait()
            for (file, job) in jobs {
                let expected = file.sha256?.lowercased() ?? ""
                if let actual = job.digests[copyCheck], actual != expected {
                    throw BagWriteError.corrupt(file: file, problem: "expected \(copyCheck) \(expected.shortDigest), the content hashes to \(actual.shortDigest)")
                }
            }
        }
    }
}

/// Paths in UTF-8 byte order: the same order on every machine, whatever its locale.
func utf8Order(_ lhs: String, _ rhs: String) -> Bool { Array(lhs.utf8).lexicographicallyPrecedes(Array(rhs.utf8)) }

/// Emits each folder entry once, before the first entry inside it.
private struct FolderEntries {
    let root: String
    let writer: ArchiveWriter
    var written: Set<String> = []

    init(root: String, writer: ArchiveWriter) {
        self.root = root
        self.writer = writer
    }

    mutating func ensureParents(of path: String) throws(ArchiveError) {
        try ensure(path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
    }

    /// The folder and every folder above it.
    mutating func ensure(_ folder: String) throws(ArchiveError) {
        var prefix = ""
        for component in folder.split(separator: "/") {
            prefix += prefix.isEmpty ? String(component) : "/\(component)"
            if written.insert(prefix).inserted { try writer.addDirectory("\(root)/\(prefix)") }
        }
    }
}
