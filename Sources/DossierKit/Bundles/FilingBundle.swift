import DossierModel
/// Why a filing bundle was refused. Always names the bundle, and the member or field.
public enum BundleError: Error, Sendable, CustomStringConvertible {
    case member(bundle: String, member: String, problem: String)
    case archive(ArchiveError)
    case manifest(FieldError)
    case io(FileSystemError)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .member(let bundle, let member, let problem): "\(bundle): member \(member): \(problem)"
        case .archive(let error): error.description
        case .manifest(let error): error.description
        case .io(let error): error.description
        case .crypto(let error): error.description
        }
    }
}

/// A filing bundle, read and checked: its filing.json and each named file, already staged.
struct FilingBundle: Sendable {
    public var source: String
    public var manifest: FilingManifest
    /// Member name → its bytes in the staging area.
    public var files: [String: StagedFile]

    /// Reads a bundle (zip, tar, tar.gz or a folder) in one pass: every member's name and
    /// type is checked, its bytes streamed into `staging` with both digests, and filing.json
    /// decoded. Nothing outside `staging` is written.
    ///
    /// - Throws: ``BundleError`` naming the bundle and the member or field at fault.
    public static func read(_ path: String, staging: String, progress: @escaping (Int64) -> Void = { _ in }) throws(BundleError) -> FilingBundle {
        let display = FileSystem.lastComponent(of: path)
        var collector = MemberCollector(bundle: display, staging: staging, progress: progress)
        switch FileSystem.kind(of: path) {
        case .directory:
            try collector.collectFolder(path, relative: "")
        case .regular:
            do {
                try ArchiveReader.read(path, displayName: display) { reader in try collector.collectArchive(reader) }
            } catch let error as BundleError {
                throw error
            } catch let error as ArchiveError {
                throw .archive(error)
            } catch let error as FileSystemError {
                throw .io(error)
            } catch {
                throw .archive(ArchiveError(archive: display, problem: "\(error)"))
            }
        case .missing:
            throw .io(FileSystemError(operation: "open", path: path, code: 2))
        case .symbolicLink, .other:
            throw .member(bundle: display, member: ".", problem: "a bundle is a zip, tar or tar.gz file or a folder")
        }
        return try collector.finish()
    }
}

/// Gathers a bundle's members, whatever the container.
private struct MemberCollector {
    let bundle: String
    let staging: String
    let progress: (Int64) -> Void
    var files: [String: StagedFile] = [:]
    var manifestBytes: [String: [UInt8]] = [:]
    var seen: Set<String> = []
    var bytesDone: Int64 = 0

    init(bundle: String, staging: String, progress: @escaping (Int64) -> Void) {
        self.bundle = bundle
        self.staging = staging
        self.progress = progress
    }

    func refuse(_ member: String, _ problem: String) -> BundleError {
        .member(bundle: bundle, member: member, problem: problem)
    }

    /// Checks a member's name and returns it normalised.
    mutating func admit(raw: [UInt8], display: String) throws(BundleError) -> String {
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw refuse(display, "name is not valid UTF-8")
        }
        if text.hasPrefix("/") { throw refuse(display, "absolute path; members must be relative to the bundle") }
        var name = BundlePath.normalize(text)
        while name.hasSuffix("/") { name.removeLast() }
        if name.split(separator: "/").contains("..") { throw refuse(display, "path leaves the bundle (..)") }
        guard BundlePath.isSafe(name) else { throw refuse(display, "not a usable file name") }
        guard seen.insert(name).inserted else {
            throw refuse(display, "appears twice (names are compared after Unicode NFC normalisation)")
        }
        return name
    }

    mutating func collectArchive(_ reader: ArchiveReader) throws {
        while let entry = try reader.nextEntry() {
            let display = entry.displayPath
            if entry.rawPath == Array("./".utf8) || entry.rawPath == Array(".".utf8) { continue }
            switch entry.kind {
            case .directory:
                _ = try admit(raw: entry.rawPath, display: display)
                continue
            case .symbolicLink: throw refuse(display, "is a symbolic link; only regular files may be filed")
            case .hardLink: throw refuse(display, "is a hard link; only regular files may be filed")
            case .other(let what): throw refuse(display, "is \(what); only regular files may be filed")
            case .regular: break
            }
            if entry.isEncrypted { throw refuse(display, "is encrypted; file the papers unencrypted") }
            let name = try admit(raw: entry.rawPath, display: display)
            try store(name) { buffer in try reader.read(into: buffer) }
        }
    }

    mutating func collectFolder(_ root: String, relative: String) throws(BundleError) {
        let directory = relative.isEmpty ? root : "\(root)/\(relative)"
        let names: [[UInt8]]
        do { names = try FileSystem.rawContents(of: directory) } catch { throw .io(error) }
        for raw in names {
            let rawRelative = (relative.isEmpty ? [] : Array(relative.utf8) + [0x2F]) + raw
            let display = ArchiveEntry(rawPath: rawRelative, kind: .regular, size: nil, isEncrypted: false).displayPath
            // The name is checked first: one that is not UTF-8 could not even be opened by its text.
            let name = try admit(raw: rawRelative, display: display)
            let onDisk = String(decoding: rawRelative, as: UTF8.self)
            let fullPath = "\(root)/\(onDisk)"
            switch FileSystem.kind(of: fullPath) {
            case .directory:
                try collectFolder(root, relative: onDisk)
            case .regular:
                let descriptor: FileDescriptor
                do { descriptor = try FileDescriptor.open(fullPath, .readOnly) } catch { throw .io(error) }
                defer { descriptor.closeQuietly() }
                do {
                    try store(name) { buffer in try descriptor.read(into: buffer) }
                } catch let error as BundleError {
                    throw error
                } catch let error as FileSystemError {
                    throw .io(error)
                } catch {
                    throw .io(FileSystemError(operation: "read (\(error))", path: fullPath, code: 0))
                }
            case .symbolicLink: throw refuse(display, "is a symbolic link; only regular files may be filed")
            case .other(let what): throw refuse(display, "is \(what); only regular files may be filed")
            case .missing: throw refuse(display, "disappeared while the bundle was read")
            }
        }
    }

    /// Streams one member into the staging area (filing.json is kept in memory instead).
    mutating func store(_ name: String, read: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        if FileSystem.lastComponent(of: name) == FilingManifest.fileName {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try read($0) }
                if count == 0 { break }
                bytes += buffer[0..<count]
                if bytes.count > 16 << 20 { throw refuse(name, "filing.json is larger than 16 MiB") }
            }
            manifestBytes[name] = bytes
            return
        }
        let target = "\(staging)/member-\(files.count + 1)"
        let output = try SequentialFileWriter(creating: target)
        let start = bytesDone
        let digests = try StreamDigester.digest(
            read: read, write: { try output.write($0) },
            progress: { [progress] done in progress(start + done) })
        try output.sync()
        bytesDone += digests.size
        files[name] = StagedFile(path: target, digests: digests)
    }

    /// Finds filing.json (at the root, or in the bundle's single top folder), decodes it and
    /// checks that it and the members name each other exactly.
    mutating func finish() throws(BundleError) -> FilingBundle {
        var prefix = ""
        if manifestBytes[FilingManifest.fileName] == nil {
            let tops = Set(seen.map { String($0.split(separator: "/").first ?? "") })
            if tops.count == 1, let top = tops.first, manifestBytes["\(top)/\(FilingManifest.fileName)"] != nil {
                prefix = top + "/"
            }
        }
        guard let bytes = manifestBytes["\(prefix)\(FilingManifest.fileName)"] else {
            throw .manifest(FieldError(file: "\(bundle): \(FilingManifest.fileName)", field: "", problem: "missing; every bundle carries a filing.json at its root"))
        }
        for name in manifestBytes.keys where name != "\(prefix)\(FilingManifest.fileName)" {
            throw refuse(name, "is not named in filing.json")
        }
        let manifest: FilingManifest
        do {
            manifest = try FilingManifest.decode(try FieldReader.parse(file: "\(bundle): \(FilingManifest.fileName)", data: bytes))
        } catch {
            throw .manifest(error)
        }
        var byName: [String: StagedFile] = [:]
        for (name, file) in files {
            guard name.hasPrefix(prefix) else { throw refuse(name, "is not named in filing.json") }
            byName[String(name.dropFirst(prefix.count))] = file
        }
        let named = Set(manifest.documents.map(\.file))
        for name in byName.keys.sorted() where !named.contains(name) {
            throw refuse(prefix + name, "is not named in filing.json")
        }
        for document in manifest.documents where byName[document.file] == nil {
            throw .manifest(FieldError(
                file: "\(bundle): \(FilingManifest.fileName)", field: "\(document.field).file",
                problem: "names \"\(document.file)\", which is not in the bundle"))
        }
        return FilingBundle(source: bundle, manifest: manifest, files: byName)
    }
}
