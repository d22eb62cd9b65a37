import DossierModel
/// Why a filing bundle was refused. Always names the bundle, and the member or field.
public enum BundleError: Error, Sendable, CustomStringConvertible {
    case member(bundle: String, member: String, problem: String)
    case archive(ArchiveError)
    case manifest(FieldError)
    case io(FileSystemError)
    case crypto(CryptoError)
    case encryption(AgeError)

    public var description: String {
        switch self {
        case .member(let bundle, let member, let problem): "\(bundle): member \(member): \(problem)"
        case .archive(let error): error.description
        case .manifest(let error): error.description
        case .io(let error): error.description
        case .crypto(let error): error.description
        case .encryption(let error): error.description
        }
    }
}

/// A filing bundle read in two passes. The first (``survey(_:limits:)``) writes nothing: it
/// checks every member's name and type, counts members and bytes against the vault's limits,
/// reads filing.json and checks that it and the members name each other. Only then does the
/// second (``stage(_:into:encryptingFor:progress:)``) stream the members filing.json names
/// into the staging area — encrypted, for a classified dossier — so that a bomb, an unlisted
/// member or a classified paper in the clear never reaches the disk.
struct FilingBundle: Sendable {
    var source: String
    var manifest: FilingManifest
    /// Member name (as filing.json names it) → its bytes in the staging area.
    var files: [String: StagedFile]
    /// Member name → the paper's own size, for members stored encrypted.
    var plaintextSizes: [String: Int64] = [:]

    /// What the first pass found.
    struct Survey: Sendable {
        var path: String
        var source: String
        var isFolder: Bool
        var manifest: FilingManifest
        /// filing.json's folder inside the bundle (`top/`), or "".
        var prefix: String
        /// Declared sizes of the members filing.json names, by their name in the bundle.
        var declaredSizes: [String: Int64]
        var limits: FilingLimits
        /// Whether member names that are not UTF-8 were read as GB18030 (a zip from Chinese
        /// Windows), so that the second pass reads them the same way.
        var decodesGB18030 = false
        /// The character set a zip's unflagged member names were read in (`CP936`), or `nil`.
        var zipNameCharset: String?
        /// What a person should know about how the bundle was read (e.g. filing.json's encoding).
        var notes: [String] = []
    }

    /// The first pass: checks the whole bundle and reads filing.json, writing nothing.
    /// - Throws: ``BundleError`` naming the bundle and the member or field at fault.
    static func survey(_ path: String, limits: FilingLimits) throws(BundleError) -> Survey {
        let display = FileSystem.lastComponent(of: path)
        var collector = MemberCollector(bundle: display, limits: limits)
        let isFolder: Bool
        switch FileSystem.kind(of: path) {
        case .directory:
            isFolder = true
            try collector.surveyFolder(path, relative: "")
        case .regular:
            isFolder = false
            do {
                try MemberCollector.archive(path, bundle: display) { reader in try collector.surveyArchive(reader) }
                return try collector.finishSurvey(path: path, isFolder: false)
            } catch {
                // A zip from Chinese Windows names its members in GBK without the UTF-8 flag,
                // which zip readers take for CP437: read them as CP936 once more, and keep that
                // reading only when filing.json then names every member.
                guard case .member = error, let survey = try? surveyAsGBK(path, display: display, limits: limits) else { throw error }
                return survey
            }
        case .missing:
            throw .io(FileSystemError(operation: "open", path: path, code: 2))
        case .symbolicLink, .other:
            throw .member(bundle: display, member: ".", problem: "a bundle is a zip, tar or tar.gz file or a folder")
        }
        return try collector.finishSurvey(path: path, isFolder: isFolder)
    }

    /// The survey of a zip whose unflagged member names are read as CP936 (GBK).
    static func surveyAsGBK(_ path: String, display: String, limits: FilingLimits) throws(BundleError) -> Survey {
        var collector = MemberCollector(bundle: display, limits: limits)
        var isZip = false
        try MemberCollector.archive(path, bundle: display, zipNameCharset: "CP936") { reader in
            try collector.surveyArchive(reader)
            isZip = reader.isZip
        }
        guard isZip else { throw .member(bundle: display, member: ".", problem: "not a zip") }
        var survey = try collector.finishSurvey(path: path, isFolder: false)
        survey.zipNameCharset = "CP936"
        survey.notes.append("\(display): the zip's member names are GBK (CP936), not UTF-8, as Chinese Windows writes them; they were read as GBK and match filing.json")
        return survey
    }

    /// The second pass: streams the members filing.json names into `staging`, each with the
    /// sha512 and sha256 of what is stored, encrypted to `recipients` when they are given.
    static func stage(
        _ survey: Survey, into staging: String, encryptingFor recipients: [AgeRecipient]?, progress: @escaping (Int64) -> Void = { _ in }
    ) throws(BundleError) -> FilingBundle {
        var stager = MemberStager(survey: survey, staging: staging, recipients: recipients, progress: progress)
        if survey.isFolder {
            for document in survey.manifest.documents {
                let member = survey.prefix + document.file
                let path = "\(survey.path)/\(member)"
                let descriptor: FileDescriptor
                do { descriptor = try FileDescriptor.open(path, .readOnly) } catch { throw .io(error) }
                defer { descriptor.closeQuietly() }
                try stager.store(member) { buffer throws(FileSystemError) in try descriptor.read(into: buffer) }
            }
        } else {
            try MemberCollector.archive(survey.path, bundle: survey.source, zipNameCharset: survey.zipNameCharset) { reader in
                while let entry = try reader.nextEntry() {
                    guard entry.kind == .regular, let name = MemberCollector.normalizedName(entry.rawPath, allowGB18030: survey.decodesGB18030 && reader.isZip),
                        survey.declaredSizes[name] != nil
                    else {
                        try reader.skipData()
                        continue
                    }
                    try stager.store(name) { buffer throws(ArchiveError) in try reader.read(into: buffer) }
                }
            }
        }
        var files: [String: StagedFile] = [:]
        for (member, file) in stager.files { files[String(member.dropFirst(survey.prefix.count))] = file }
        var sizes: [String: Int64] = [:]
        for (member, size) in stager.plaintextSizes { sizes[String(member.dropFirst(survey.prefix.count))] = size }
        for document in survey.manifest.documents where files[document.file] == nil {
            throw .member(bundle: survey.source, member: survey.prefix + document.file, problem: "disappeared between the bundle's two readings")
        }
        return FilingBundle(source: survey.source, manifest: survey.manifest, files: files, plaintextSizes: sizes)
    }
}

/// The first pass over a bundle's members, whatever the container.
private struct MemberCollector {
    let bundle: String
    let limits: FilingLimits
    var manifestBytes: [String: [UInt8]] = [:]
    /// Regular members (not filing.json) and their declared sizes, when known.
    var sizes: [String: Int64?] = [:]
    var seen: Set<String> = []
    var totalBytes: Int64 = 0
    /// Names read as GB18030 (not UTF-8, in a zip) → how they were shown.
    var gb18030Names: [String: String] = [:]

    init(bundle: String, limits: FilingLimits) {
        self.bundle = bundle
        self.limits = limits
    }

    func refuse(_ member: String, _ problem: String) -> BundleError {
        .member(bundle: bundle, member: member, problem: problem)
    }

    /// A member's name as filing.json would name it, or `nil` when it is not one `admit` accepts.
    static func normalizedName(_ raw: [UInt8], allowGB18030: Bool = false) -> String? {
        guard let text = String(validating: raw, as: UTF8.self) ?? (allowGB18030 ? Iconv.text(raw, from: "GB18030") : nil), !text.hasPrefix("/") else { return nil }
        var name = BundlePath.normalize(text)
        while name.hasSuffix("/") { name.removeLast() }
        return BundlePath.isSafe(name) ? name : nil
    }

    /// Checks a member's name and returns it normalised.
    /// - Parameter allowGB18030: read a name that is not UTF-8 as GB18030 (a zip from Chinese
    ///   Windows, which writes GBK names without the UTF-8 flag); it must then be one filing.json
    ///   names, which ``finishSurvey(path:isFolder:)`` checks.
    mutating func admit(raw: [UInt8], display: String, allowGB18030: Bool = false) throws(BundleError) -> String {
        var decoded: String?
        if String(validating: raw, as: UTF8.self) == nil, allowGB18030 { decoded = Iconv.text(raw, from: "GB18030") }
        guard let text = String(validating: raw, as: UTF8.self) ?? decoded else {
            throw refuse(display, "name is not valid UTF-8")
        }
        if text.hasPrefix("/") { throw refuse(display, "absolute path; members must be relative to the bundle") }
        var name = BundlePath.normalize(text)
        while name.hasSuffix("/") { name.removeLast() }
        if name.split(separator: "/").contains("..") { throw refuse(display, "path leaves the bundle (..)") }
        if let problem = limits.problem(withName: name) { throw refuse(display.prefix(200) + (display.count > 200 ? "…" : ""), "name \(problem)") }
        guard BundlePath.isSafe(name) else { throw refuse(display, "not a usable file name") }
        guard seen.insert(name).inserted else {
            throw refuse(display, "appears twice (names are compared after Unicode NFC normalisation)")
        }
        if decoded != nil { gb18030Names[name] = display }
        guard seen.count <= limits.members else {
            throw refuse(display, "is member \(seen.count); a bundle may hold at most \(limits.members) (vault.json limits.members)")
        }
        return name
    }

    /// Counts a member's bytes against the bundle's limits.
    mutating func count(_ bytes: Int64, member: String, compressed: Int64?) throws(BundleError) {
        totalBytes += bytes
        if totalBytes > limits.bundleBytes {
            throw refuse(member, "the bundle unpacks to more than \(limits.bundleBytes) bytes, the vault's limit (vault.json limits.bundleBytes)")
        }
        if let compressed, totalBytes > 1 << 20, totalBytes > compressed * Int64(limits.compressionRatio) {
            throw refuse(member, "the bundle unpacks to \(totalBytes / max(compressed, 1)) times its size; the vault allows \(limits.compressionRatio) (vault.json limits.compressionRatio)")
        }
    }

    static func archive(_ path: String, bundle: String, zipNameCharset: String? = nil, _ body: (ArchiveReader) throws -> Void) throws(BundleError) {
        do {
            try ArchiveReader.read(path, displayName: bundle, zipNameCharset: zipNameCharset) { reader in try body(reader) }
        } catch let error as BundleError {
            throw error
        } catch let error as ArchiveError {
            throw .archive(error)
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .archive(ArchiveError(archive: bundle, problem: "\(error)"))
        }
    }

    mutating func surveyArchive(_ reader: ArchiveReader) throws {
        while let entry = try reader.nextEntry() {
            let display = entry.displayPath
            if entry.rawPath == Array("./".utf8) || entry.rawPath == Array(".".utf8) { continue }
            switch entry.kind {
            case .directory:
                _ = try admit(raw: entry.rawPath, display: display, allowGB18030: reader.isZip)
                continue
            case .symbolicLink: throw refuse(display, "is a symbolic link; only regular files may be filed")
            case .hardLink: throw refuse(display, "is a hard link; only regular files may be filed")
            case .other(let what): throw refuse(display, "is \(what); only regular files may be filed")
            case .regular: break
            }
            if entry.isEncrypted { throw refuse(display, "is encrypted; file the papers unencrypted") }
            let name = try admit(raw: entry.rawPath, display: display, allowGB18030: reader.isZip)
            if FileSystem.lastComponent(of: name) == FilingManifest.fileName {
                manifestBytes[name] = try readManifest(name) { buffer in try reader.read(into: buffer) }
            } else {
                sizes[name] = entry.size
                let before = reader.uncompressedBytes
                try reader.skipData()
                // Skipping a compressed stream decompresses it; a stored one is counted by its header.
                let skipped = max(reader.uncompressedBytes - before, entry.size ?? 0)
                try count(skipped, member: display, compressed: reader.fileBytesRead)
            }
        }
    }

    mutating func surveyFolder(_ root: String, relative: String) throws(BundleError) {
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
                try surveyFolder(root, relative: onDisk)
            case .regular:
                if FileSystem.lastComponent(of: name) == FilingManifest.fileName {
                    let descriptor: FileDescriptor
                    do { descriptor = try FileDescriptor.open(fullPath, .readOnly) } catch { throw .io(error) }
                    defer { descriptor.closeQuietly() }
                    do {
                        manifestBytes[name] = try readManifest(name) { buffer in try descriptor.read(into: buffer) }
                    } catch let error as BundleError {
                        throw error
                    } catch {
                        throw .io(FileSystemError(operation: "read (\(error))", path: fullPath, code: 0))
                    }
                } else {
                    let size = FileSystem.size(ofRegularFile: fullPath) ?? 0
                    sizes[name] = size
                    try count(size, member: display, compressed: nil)
                }
            case .symbolicLink: throw refuse(display, "is a symbolic link; only regular files may be filed")
            case .other(let what): throw refuse(display, "is \(what); only regular files may be filed")
            case .missing: throw refuse(display, "disappeared while the bundle was read")
            }
        }
    }

    /// filing.json, kept in memory.
    func readManifest(_ name: String, read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try read($0) }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > 16 << 20 { throw refuse(name, "filing.json is larger than 16 MiB") }
        }
        return bytes
    }

    /// filing.json's bytes as UTF-8: as they are, or — for UTF-16 with a byte-order mark,
    /// which cannot be mistaken for anything else — converted, with a note naming the
    /// encoding. Text in GBK or GB18030 without a mark is refused with a hint, since bytes of
    /// another legacy encoding would also decode as GB18030, into the wrong characters.
    static func manifestText(_ bytes: [UInt8], file: String) throws(BundleError) -> ([UInt8], String?) {
        if String(validating: bytes, as: UTF8.self) != nil { return (bytes, nil) }
        let boms: [([UInt8], String)] = [([0xFF, 0xFE], "UTF-16LE"), ([0xFE, 0xFF], "UTF-16BE")]
        for (bom, encoding) in boms where bytes.starts(with: bom) {
            guard let converted = Iconv.convert(Array(bytes.dropFirst(2)), from: encoding) else { break }
            return (converted, "\(file) is \(encoding), not UTF-8; it was read as \(encoding)")
        }
        if Iconv.text(bytes, from: "GB18030") != nil {
            throw .manifest(FieldError(file: file, field: "", problem: "not valid UTF-8 (it reads as GBK/GB18030); save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)"))
        }
        return (bytes, nil)
    }

    /// Finds filing.json (at the root, or in the bundle's single top folder), decodes it and
    /// checks that it and the members name each other exactly.
    func finishSurvey(path: String, isFolder: Bool) throws(BundleError) -> FilingBundle.Survey {
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
        let manifestFile = "\(bundle): \(FilingManifest.fileName)"
        let (text, encodingNote) = try Self.manifestText(bytes, file: manifestFile)
        do {
            manifest = try FilingManifest.decode(try FieldReader.parse(file: manifestFile, data: text))
        } catch {
            throw .manifest(error)
        }
        let named = Set(manifest.documents.map(\.file))
        // A name read as GB18030 stands only when filing.json names exactly it.
        for (name, display) in gb18030Names.sorted(by: { $0.key < $1.key }) where !named.contains(String(name.dropFirst(prefix.count))) || !name.hasPrefix(prefix) {
            if manifestBytes[name] != nil { continue }
            throw refuse(display, "name is not valid UTF-8 (nor GB18030 matching filing.json)")
        }
        var byName: [String: Int64?] = [:]
        for (name, size) in sizes {
            guard name.hasPrefix(prefix) else { throw refuse(name, "is not named in filing.json") }
            byName[String(name.dropFirst(prefix.count))] = size
        }
        for name in byName.keys.sorted() where !named.contains(name) {
            throw refuse(prefix + name, "is not named in filing.json")
        }
        var declared: [String: Int64] = [:]
        for document in manifest.documents {
            guard let size = byName[document.file] else {
                throw .manifest(FieldError(
                    file: "\(bundle): \(FilingManifest.fileName)", field: "\(document.field).file",
                    problem: "names \"\(document.file)\", which is not in the bundle"))
            }
            declared[prefix + document.file] = size ?? -1
        }
        var survey = FilingBundle.Survey(
            path: path, source: bundle, isFolder: isFolder, manifest: manifest, prefix: prefix, declaredSizes: declared, limits: limits)
        survey.decodesGB18030 = !gb18030Names.isEmpty
        if let encodingNote { survey.notes.append(encodingNote) }
        if !gb18030Names.isEmpty {
            survey.notes.append("\(bundle): \(gb18030Names.count) member \(gb18030Names.count == 1 ? "name was" : "names were") not UTF-8 and read as GB18030 (a zip from Chinese Windows): \(gb18030Names.keys.sorted().joined(separator: ", "))")
        }
        return survey
    }
}

/// The second pass: the members filing.json names, streamed into staging.
private struct MemberStager {
    let survey: FilingBundle.Survey
    let staging: String
    let recipients: [AgeRecipient]?
    let progress: (Int64) -> Void
    var files: [String: StagedFile] = [:]
    var plaintextSizes: [String: Int64] = [:]
    var bytesDone: Int64 = 0

    init(survey: FilingBundle.Survey, staging: String, recipients: [AgeRecipient]?, progress: @escaping (Int64) -> Void) {
        self.survey = survey
        self.staging = staging
        self.recipients = recipients
        self.progress = progress
    }

    func refuse(_ member: String, _ problem: String) -> BundleError {
        .member(bundle: survey.source, member: member, problem: problem)
    }

    /// Streams one member into the staging area, never more bytes than the first pass counted
    /// (an archive whose headers under-declare a member is refused, not believed).
    mutating func store<E: Error>(_ name: String, read: @escaping (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(BundleError) {
        let declared = survey.declaredSizes[name] ?? -1
        let remainingBudget = survey.limits.bundleBytes - bytesDone
        var taken: Int64 = 0
        let source = survey.source
        let limit = survey.limits.bundleBytes
        let limited: AgeRead = { buffer in
            let count = try read(buffer)
            taken += Int64(count)
            if declared >= 0, taken > declared {
                throw BundleError.member(bundle: source, member: name, problem: "holds more bytes than its header declares (\(declared))")
            }
            if taken > remainingBudget {
                throw BundleError.member(bundle: source, member: name, problem: "the bundle unpacks to more than the vault's limit of \(limit) bytes (vault.json limits.bundleBytes)")
            }
            return count
        }
        let target = "\(staging)/member-\(files.count + 1)"
        do {
            let output = try SequentialFileWriter(creating: target)
            let start = bytesDone
            let digests: ContentDigests
            if let recipients {
                let encrypting = try AgeEncryptingReader(to: recipients, read: limited)
                digests = try StreamDigester.digest(read: encrypting.read, write: { try output.write($0) }, progress: { [progress] done in progress(start + done) })
                plaintextSizes[name] = encrypting.plaintextSize
            } else {
                digests = try StreamDigester.digest(read: limited, write: { try output.write($0) }, progress: { [progress] done in progress(start + done) })
            }
            // Synced with every other staged document by one syncfs before the version is built.
            withExtendedLifetime(output) {}
            bytesDone += taken
            files[name] = StagedFile(path: target, digests: digests)
        } catch let error as BundleError {
            throw error
        } catch let error as ArchiveError {
            throw .archive(error)
        } catch let error as FileSystemError {
            throw .io(error)
        } catch let error as AgeError {
            throw .encryption(error)
        } catch let error as CryptoError {
            throw .crypto(error)
        } catch {
            throw refuse(name, "\(error)")
        }
    }
}
