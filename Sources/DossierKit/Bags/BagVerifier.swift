import DossierModel
import Foundation

/// One finding about a bag: the file it concerns (relative to the bag; empty for the bag as
/// a whole) and what is wrong.
public struct BagProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    /// What the problem is about: the four-properties check reports fixity under A1,
    /// completeness under I1 and the rest under U1.
    public var aspect: Aspect

    /// What a problem is about.
    public enum Aspect: String, Sendable, Equatable {
        /// A file's bytes do not match a manifest's checksum, or cannot be hashed.
        case fixity
        /// Files listed but missing, present but unlisted, Payload-Oxum disagreeing.
        case completeness
        /// Anything else: the bag's form, its tag files' syntax and names.
        case structure
    }

    public init(file: String, problem: String, aspect: Aspect = .structure) {
        self.file = file
        self.problem = problem
        self.aspect = aspect
    }

    public var description: String { file.isEmpty ? problem : "\(file): \(problem)" }
}

/// The verdict on one bag.
public struct BagReport: Sendable {
    /// The bag as given (folder or archive path).
    public var bag: String
    /// `BagIt-Version` as declared, when bagit.txt could be read.
    public var version: String?
    /// The bag's top folder inside an archive.
    public var root: String?
    public var payloadFiles = 0
    public var payloadBytes: Int64 = 0
    /// Algorithms of the payload manifests.
    public var manifests: [String] = []
    public var errors: [BagProblem] = []
    public var warnings: [BagProblem] = []
    /// The sha256 of `tagmanifest-sha512.txt`, when the bag has one: what `dossier export`
    /// prints and the audit log keeps, to compare with (`verify-bundle --expect`).
    public var tagManifestSHA256: String?
    /// Whether the bag carries a seal (`tagmanifest-sha512.txt.sig`).
    public var isSealed = false
    /// The seal key's fingerprint as bag-info.txt names it (`Seal-Key-Fingerprint`): what the
    /// bag claims, not a proof.
    public var sealKeyNamed: String?
    /// Whether the seal verified with the key given; `nil` when no key was given.
    public var sealVerified: Bool?

    public var isValid: Bool { errors.isEmpty }
}

/// What a bag must match beyond BagIt: the seal of a published key, a recorded tag manifest.
public struct BagExpectation: Sendable {
    /// The unit's published seal key: the bag's seal must be its signature of `tagmanifest-sha512.txt`.
    public var key: SealPublicKey?
    /// The sha256 (64 hex digits) or sha512 (128) of `tagmanifest-sha512.txt` as recorded at export.
    public var tagManifest: String?

    public init(key: SealPublicKey? = nil, tagManifest: String? = nil) {
        self.key = key
        self.tagManifest = tagManifest
    }
}

/// Why a bag could not be checked at all (as opposed to being checked and found invalid).
public struct BagVerifyError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A strict BagIt validator (RFC 8493) for folders and for tar, tar.gz and zip archives,
/// which it reads in place through libarchive. It never writes anything.
///
/// Bags declaring BagIt 1.0 are held to RFC 8493. Bags declaring 0.93–0.97 are checked by
/// the rules of their own version where those differ (as the Library of Congress
/// conformance suite expects): no percent-encoding of paths, `package-info.txt` up to
/// 0.95, lenient `label : value` spacing, and a file listed twice with the same checksum is
/// a warning rather than an error. A bag made on a case-insensitive or normalizing file
/// system (two manifest lines for one file, differing only in case or Unicode
/// normalization) is accepted with a warning, as are operating-system metadata files
/// (`.DS_Store`, `Thumbs.db`) present, or listed but dropped by a copy tool.
public enum BagVerifier {
    /// Known versions; anything else is refused.
    static let knownVersions = ["0.93", "0.94", "0.95", "0.96", "0.97", "1.0"]

    /// Validates a bag: a folder, or a tar, tar.gz or zip archive read in place.
    /// - Parameters:
    ///   - path: the bag.
    ///   - expectation: the seal key the bag must be sealed with, and the tag manifest it must
    ///     hold (both optional: by default only BagIt is checked, and the seal reported).
    ///   - progress: bytes hashed so far.
    /// - Throws: ``BagVerifyError`` only when the path cannot be read at all.
    public static func verify(_ path: String, expecting expectation: BagExpectation = BagExpectation(), progress: (Int64) -> Void = { _ in }) throws(BagVerifyError) -> BagReport {
        let source: any BagSource
        switch FileSystem.kind(of: path) {
        case .directory: source = FolderBagSource(root: path)
        case .regular: source = ArchiveBagSource(path: path, displayName: FileSystem.lastComponent(of: path))
        case .missing: throw BagVerifyError(path: path, reason: "no such file or folder")
        case .symbolicLink, .other: throw BagVerifyError(path: path, reason: "give a bag folder or a tar, tar.gz or zip archive")
        }
        do {
            var listing = try source.list(progress: progress)
            var checker = BagChecker(bag: path, listing: listing)
            let structural = checker.structuralFilesToRead()
            if !structural.isEmpty {
                try source.complete(&listing, contents: structural, digests: [:], progress: progress)
                checker.listing = listing
            }
            checker.checkStructure()
            let needs = checker.digestsNeeded()
            if !needs.isEmpty {
                try source.complete(&listing, contents: [], digests: needs, progress: progress)
                checker.listing = listing
            }
            checker.checkDigests()
            checker.checkSeal(expectation)
            return checker.report
        } catch let error as BagVerifyError {
            throw error
        } catch let error as ArchiveError {
            var report = BagReport(bag: path)
            report.errors.append(BagProblem(file: "", problem: "the archive cannot be read: \(error.problem)"))
            return report
        } catch {
            throw BagVerifyError(path: path, reason: "\(error)")
        }
    }
}

/// The rules, applied to a listing.
private struct BagChecker {
    var listing: BagListing
    var report: BagReport

    /// From bagit.txt; `nil` until read.
    var version: String?
    var encoding: BagText.Encoding = .utf8
    /// BagIt 1.0 (or an unreadable version, which gets the strict rules).
    var isModern = true
    var manifests: [Manifest] = []
    var fetchPaths: Set<BagPath> = []
    /// Listed OS metadata files that are missing (tolerated with a warning).
    var toleratedMissing: Set<BagPath> = []
    var stopped = false

    struct Entry {
        var path: BagPath
        var checksum: String
        var line: Int
        /// The file it resolved to, once matched.
        var file: BagPath?
    }

    struct Manifest {
        var file: BagPath
        var algorithm: String
        var isTag: Bool
        var entries: [Entry]
    }

    init(bag: String, listing: BagListing) {
        self.listing = listing
        report = BagReport(bag: bag)
        report.root = listing.root.isEmpty ? nil : listing.root
        report.errors = listing.problems
    }

    mutating func error(_ file: String, _ problem: String, _ aspect: BagProblem.Aspect = .structure) {
        report.errors.append(BagProblem(file: file, problem: problem, aspect: aspect))
    }
    mutating func warn(_ file: String, _ problem: String, _ aspect: BagProblem.Aspect = .structure) {
        report.warnings.append(BagProblem(file: file, problem: problem, aspect: aspect))
    }
    mutating func error(_ file: BagPath, _ problem: String, _ aspect: BagProblem.Aspect = .structure) { error(file.text, problem, aspect) }
    mutating func warn(_ file: BagPath, _ problem: String, _ aspect: BagProblem.Aspect = .structure) { warn(file.text, problem, aspect) }

    static func manifestName(_ bagPath: BagPath) -> (algorithm: String, isTag: Bool)? {
        let path = bagPath.text
        guard !bagPath.bytes.contains(0x2F), path.hasSuffix(".txt") else { return nil }
        if path.hasPrefix("tagmanifest-") { return (String(path.dropFirst("tagmanifest-".count).dropLast(4)), true) }
        if path.hasPrefix("manifest-") { return (String(path.dropFirst("manifest-".count).dropLast(4)), false) }
        return nil
    }

    /// The BagIt files the rules parse, when the listing did not keep their bytes.
    func structuralFilesToRead() -> Set<BagPath> {
        var paths: Set<BagPath> = []
        for (path, file) in listing.files where file.contents == nil {
            if (["bagit.txt", "bag-info.txt", "package-info.txt", "fetch.txt"] as [BagPath]).contains(path) || BagChecker.manifestName(path) != nil {
                paths.insert(path)
            }
        }
        return paths
    }

    // MARK: Structure

    mutating func checkStructure() {
        readDeclaration()
        guard !stopped else { return }
        readFetch()
        for path in listing.tagPaths {
            guard let (algorithm, isTag) = BagChecker.manifestName(path) else { continue }
            readManifest(path, algorithm: algorithm, isTag: isTag)
        }
        let payloadManifests = manifests.filter { !$0.isTag }
        if payloadManifests.isEmpty, !listing.tagPaths.contains(where: { BagChecker.manifestName($0)?.isTag == false }) {
            error("", "no payload manifest: a bag lists its payload in at least one manifest-<algorithm>.txt")
        }
        report.manifests = payloadManifests.map(\.algorithm)
        checkPayloadFolder()
        for index in manifests.indices { resolve(index) }
        readBagInfo()
        checkFetchAgainstManifests()
        for path in listing.payloadPaths where BagText.isSystemMetadata(path.text) {
            warn(path, "is an operating-system metadata file, not content")
        }
        warnAboutCollisions()
    }

    /// bagit.txt: exactly `BagIt-Version: M.N` and `Tag-File-Character-Encoding: ENCODING`,
    /// UTF-8, no byte-order mark (RFC 8493 §2.1.1).
    mutating func readDeclaration() {
        guard let bytes = listing.files["bagit.txt"]?.contents else {
            error("bagit.txt", listing.files["bagit.txt"] == nil
                ? "missing; a bag declares itself and its BagIt version in bagit.txt"
                : "larger than \(tagFileLimit >> 20) MiB; not a bag declaration")
            stopped = true
            return
        }
        var body = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            error("bagit.txt", "begins with a byte-order mark, which BagIt forbids in bagit.txt")
            body = Array(bytes.dropFirst(3))
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            error("bagit.txt", "is not valid UTF-8")
            stopped = true
            return
        }
        let (lines, terminated) = BagText.lines(text)
        let expected = ["BagIt-Version", "Tag-File-Character-Encoding"]
        var values: [String: String] = [:]
        for (index, line) in lines.enumerated() {
            guard index < 2 else {
                error("bagit.txt", "line \(index + 1): bagit.txt holds exactly two lines (BagIt-Version and Tag-File-Character-Encoding)")
                break
            }
            let label = expected[index]
            guard let colon = line.firstIndex(of: ":") else {
                error("bagit.txt", "line \(index + 1): expected \"\(label): …\", got \"\(line)\"")
                continue
            }
            let given = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            if given != label || !value.hasPrefix(" ") || value.dropFirst().first?.isWhitespace == true || value.last?.isWhitespace == true {
                error("bagit.txt", "line \(index + 1): expected \"\(label): value\" with one space after the colon and none elsewhere, got \"\(line)\"")
            }
            if given.trimmingCharacters(in: .whitespaces) == label { values[label] = value.trimmingCharacters(in: .whitespaces) }
        }
        if lines.count < 2 { error("bagit.txt", "expected two lines, BagIt-Version and Tag-File-Character-Encoding; found \(lines.count)") }
        guard let version = values["BagIt-Version"] else {
            stopped = true
            return
        }
        report.version = version
        self.version = version
        let isNumber = version.split(separator: ".", omittingEmptySubsequences: false).count == 2
            && version.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        if !isNumber {
            error("bagit.txt", "BagIt-Version \"\(version)\" is not a version number M.N")
        } else if !BagVerifier.knownVersions.contains(version) {
            error("bagit.txt", "BagIt-Version \(version) is not one this validator knows (\(BagVerifier.knownVersions.joined(separator: ", ")))")
        }
        isModern = !(isNumber && BagVerifier.knownVersions.contains(version) && version != "1.0")
        if !terminated, isModern { warn("bagit.txt", "the last line has no line ending") }
        if let label = values["Tag-File-Character-Encoding"] {
            if let known = BagText.Encoding(label: label) {
                encoding = known
            } else {
                error("bagit.txt", "Tag-File-Character-Encoding \"\(label)\" is not one this validator reads (UTF-8, UTF-16, ISO-8859-1, US-ASCII)")
            }
        }
    }

    /// The text of a tag file in the bag's declared encoding, or `nil` (with an error).
    mutating func text(of path: BagPath) -> [String]? {
        guard let bytes = listing.files[path]?.contents else {
            error(path, "larger than \(tagFileLimit >> 20) MiB; too large to read as a tag file")
            return nil
        }
        guard let (text, hasBOM) = BagText.decode(bytes, as: encoding) else {
            error(path, "is not valid text in the bag's Tag-File-Character-Encoding")
            return nil
        }
        if hasBOM { warn(path, "begins with a UTF-8 byte-order mark") }
        let (lines, terminated) = BagText.lines(text)
        if !terminated, isModern { warn(path, "the last line has no line ending") }
        return lines
    }

    /// A path from a manifest or fetch.txt, cleaned up; `nil` (with an error) when unusable.
    mutating func cleanPath(_ raw: String, file: BagPath, line: Int) -> BagPath? {
        var path = raw
        if path.hasPrefix("*") {
            path.removeFirst()
            warn(file, "line \(line): the \"*\" before \(path) is md5sum's binary-mode marker, not part of the name")
        }
        if path.hasPrefix("./") {
            while path.hasPrefix("./") { path.removeFirst(2) }
            warn(file, "line \(line): \"./\(path)\" starts with \"./\"; BagIt paths are relative to the bag without it")
        }
        if isModern {
            let decoded = BagText.decodePath(path)
            guard let plain = decoded.path else {
                error(file, "line \(line): \"\(path)\" holds \"\(decoded.stray ?? "%")\"; BagIt 1.0 encodes only %, CR and LF (as %25, %0D, %0A), so a literal % must be written %25")
                return nil
            }
            path = plain
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            error(file, "line \(line): \"\(path)\" is not a path inside the bag")
            return nil
        }
        return BagPath(path)
    }

    mutating func readManifest(_ path: BagPath, algorithm rawAlgorithm: String, isTag: Bool) {
        var algorithm = rawAlgorithm
        if !NamedHasher.isSupported(algorithm), NamedHasher.isSupported(algorithm.lowercased()) {
            warn(path, "algorithm names are lowercase in BagIt; read as \(algorithm.lowercased())")
            algorithm = algorithm.lowercased()
        }
        guard let hexLength = NamedHasher.hexLength(of: algorithm) else {
            let others = listing.tagPaths.filter { BagChecker.manifestName($0).map { $0.isTag == isTag && NamedHasher.isSupported($0.algorithm) } ?? false }
            if isTag || !others.isEmpty {
                warn(path, "\(algorithm) is not an algorithm this validator computes (\(NamedHasher.supportedNames.joined(separator: ", "))); this manifest is not checked")
            } else {
                error(path, "\(algorithm) is not an algorithm this validator computes (\(NamedHasher.supportedNames.joined(separator: ", "))), and there is no other payload manifest")
            }
            return
        }
        if isModern, !isTag, algorithm == "md5" || algorithm == "sha1" {
            warn(path, "\(algorithm) is kept by BagIt 1.0 for old bags only; new bags use sha256 or sha512")
        }
        guard let lines = text(of: path) else { return }
        var entries: [Entry] = []
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let gap = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                error(path, "line \(number): expected a checksum, whitespace and a file path, got \"\(line)\"")
                continue
            }
            let checksum = String(line[..<gap])
            let rest = String(line[gap...].drop(while: { $0 == " " || $0 == "\t" }))
            guard !rest.isEmpty else {
                error(path, "line \(number): expected a file path after the checksum")
                continue
            }
            guard checksum.utf8.count == hexLength, checksum.allSatisfy(\.isHexDigit) else {
                error(path, "line \(number): \"\(checksum)\" is not a \(algorithm) checksum (\(hexLength) hexadecimal digits)")
                continue
            }
            guard let file = cleanPath(rest, file: path, line: number) else { continue }
            if isTag, file.isPayload {
                error(path, "line \(number): lists the payload file \(file); a tag manifest lists tag files")
                continue
            }
            if !isTag, !file.isPayload {
                error(path, "line \(number): lists \(file), which is outside the payload folder data/")
                continue
            }
            entries.append(Entry(path: file, checksum: checksum.lowercased(), line: number))
        }
        manifests.append(Manifest(file: path, algorithm: algorithm, isTag: isTag, entries: entries))
    }

    mutating func checkPayloadFolder() {
        if listing.files["data"] != nil {
            error("data", "is a file; the payload folder data/ must be a folder")
        } else if !listing.directories.contains("data"), listing.payloadPaths.isEmpty {
            error("data/", "missing; every bag has a payload folder data/ (it may be empty)")
        }
        report.payloadFiles = listing.payloadPaths.count
        report.payloadBytes = listing.payloadPaths.reduce(0) { $0 + (listing.files[$1]?.size ?? 0) }
    }

    /// Matches one manifest's lines to the bag's files.
    mutating func resolve(_ index: Int) {
        let manifest = manifests[index]
        let candidates = manifest.isTag ? listing.tagPaths : listing.payloadPaths
        let present = Set(candidates)
        // String keys on purpose: canonical equivalence is exactly the comparison wanted here.
        var byNFC: [String: [BagPath]] = [:]
        var byFold: [String: [BagPath]] = [:]
        for path in candidates {
            byNFC[path.text.precomposedNFC, default: []].append(path)
            byFold[path.text.precomposedNFC.lowercased(), default: []].append(path)
        }
        var entries = manifest.entries
        var unresolved: [Int] = []
        for position in entries.indices {
            let path = entries[position].path
            if present.contains(path) {
                entries[position].file = path
            } else if let matches = byNFC[path.text.precomposedNFC], matches.count == 1 {
                entries[position].file = matches[0]
                warn(path, "listed in \(manifest.file) in Unicode form \(BagChecker.form(of: path)), while the file's name is in \(BagChecker.form(of: matches[0])); normalizing file systems (macOS) treat them as one name")
            } else {
                unresolved.append(position)
            }
        }
        let listed = Set(entries.compactMap(\.file))
        for position in unresolved {
            let path = entries[position].path
            if !manifest.isTag, let match = byFold[path.text.precomposedNFC.lowercased()]?.first(where: { listed.contains($0) }) {
                entries[position].file = match
                warn(path, "listed in \(manifest.file) beside \(match), which differs only in case; the bag was made on a case-insensitive file system, where both name one file")
            } else if !manifest.isTag, fetchPaths.contains(path) {
                error(path, "listed in fetch.txt but not fetched; fetch it before validating", .completeness)
            } else if !manifest.isTag, BagText.isSystemMetadata(path.text) {
                toleratedMissing.insert(path)
                warn(path, "listed in \(manifest.file) but missing; it is an operating-system metadata file, which copy tools and Git routinely drop", .completeness)
            } else {
                error(path, "listed in \(manifest.file) but missing from the bag", .completeness)
            }
        }
        manifests[index].entries = entries
        var byFile: [BagPath: [Entry]] = [:]
        for entry in entries { if let file = entry.file { byFile[file, default: []].append(entry) } }
        for (file, lines) in byFile.sorted(by: { $0.key < $1.key }) where lines.count > 1 {
            let where_ = "lines \(lines.map { String($0.line) }.joined(separator: ", "))"
            if Set(lines.map(\.checksum)).count > 1 {
                error(file, "listed \(lines.count) times in \(manifest.file) (\(where_)) with different checksums")
            } else if isModern {
                error(file, "listed \(lines.count) times in \(manifest.file) (\(where_)); BagIt 1.0 lists each file once")
            } else {
                warn(file, "listed \(lines.count) times in \(manifest.file) (\(where_)) with the same checksum")
            }
        }
        if !manifest.isTag {
            let covered = Set(byFile.keys)
            for path in listing.payloadPaths where !covered.contains(path) {
                error(path, "not listed in \(manifest.file); every payload file is listed in every payload manifest", .completeness)
            }
        }
    }

    static func files(_ count: Int) -> String { count == 1 ? "1 file" : "\(count) files" }

    static func form(of path: BagPath) -> String {
        if path.bytes == Array(path.text.precomposedStringWithCanonicalMapping.utf8) { return "NFC" }
        if path.bytes == Array(path.text.decomposedStringWithCanonicalMapping.utf8) { return "NFD" }
        return "neither NFC nor NFD"
    }

    /// bag-info.txt (package-info.txt before 0.96): `Label: value` lines, continuation lines
    /// indented; Payload-Oxum must match the payload.
    mutating func readBagInfo() {
        let name: BagPath = listing.files["bag-info.txt"] == nil && listing.files["package-info.txt"] != nil && !isModern ? "package-info.txt" : "bag-info.txt"
        guard listing.files[name] != nil, let lines = text(of: name) else { return }
        var elements: [(label: String, value: String, line: Int)] = []
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.first == " " || line.first == "\t" {
                if elements.isEmpty {
                    error(name, "line \(number): an indented continuation line comes before any label")
                } else {
                    elements[elements.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                error(name, "line \(number): expected \"Label: value\", got \"\(line)\"")
                continue
            }
            var label = String(line[..<colon])
            var value = String(line[line.index(after: colon)...])
            if isModern {
                if label != label.trimmingCharacters(in: .whitespaces) {
                    error(name, "line \(number): the label \"\(label)\" starts or ends with whitespace; BagIt 1.0 writes \"Label: value\"")
                }
                if let first = value.first, first != " ", first != "\t" {
                    error(name, "line \(number): expected a space or tab after the colon")
                }
            }
            label = label.trimmingCharacters(in: .whitespaces)
            value = value.trimmingCharacters(in: .whitespaces)
            elements.append((label, value, number))
        }
        let oxums = elements.filter { $0.label.lowercased() == "payload-oxum" }
        if Set(oxums.map(\.value)).count > 1 { error(name, "Payload-Oxum is given \(oxums.count) times with different values") }
        if let oxum = oxums.first { checkOxum(oxum.value, file: name, line: oxum.line) }
        for date in elements where date.label.lowercased() == "bagging-date" && LocalDate(date.value) == nil {
            warn(name, "line \(date.line): Bagging-Date \"\(date.value)\" is not a date YYYY-MM-DD")
        }
    }

    mutating func checkOxum(_ value: String, file: BagPath, line: Int) {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let octets = Int64(parts[0]), let streams = Int(parts[1]), octets >= 0, streams >= 0 else {
            error(file, "line \(line): Payload-Oxum \"\(value)\" is not octets.files")
            return
        }
        let actual = (report.payloadBytes, report.payloadFiles)
        guard octets != actual.0 || streams != actual.1 else { return }
        if !toleratedMissing.isEmpty, streams == actual.1 + toleratedMissing.count, octets >= actual.0 {
            warn(file, "Payload-Oxum \(value) counts the \(toleratedMissing.count) missing operating-system metadata file\(toleratedMissing.count == 1 ? "" : "s"); the payload holds \(actual.0) octets in \(BagChecker.files(actual.1))", .completeness)
        } else {
            error(file, "line \(line): Payload-Oxum \(value) says \(octets) octets in \(BagChecker.files(streams)); the payload holds \(actual.0) octets in \(BagChecker.files(actual.1))", .completeness)
        }
    }

    /// fetch.txt: `url length path` lines naming payload files (RFC 8493 §2.2.3).
    mutating func readFetch() {
        guard listing.files["fetch.txt"] != nil, let lines = text(of: "fetch.txt") else { return }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let isGap: (Character) -> Bool = { $0 == " " || $0 == "\t" }
            guard let first = line.firstIndex(where: isGap) else {
                error("fetch.txt", "line \(number): expected \"url length path\"")
                continue
            }
            let afterURL = line[first...].drop(while: isGap)
            guard let second = afterURL.firstIndex(where: isGap) else {
                error("fetch.txt", "line \(number): expected \"url length path\"")
                continue
            }
            let length = afterURL[..<second]
            let rawPath = String(afterURL[second...].drop(while: isGap))
            if length != "-", !length.allSatisfy({ $0.isASCII && $0.isNumber }) {
                error("fetch.txt", "line \(number): the length \"\(length)\" is neither a number of octets nor \"-\"")
            }
            guard !rawPath.isEmpty, let path = cleanPath(rawPath, file: "fetch.txt", line: number) else {
                if rawPath.isEmpty { error("fetch.txt", "line \(number): expected a file path after the length") }
                continue
            }
            guard path.isPayload else {
                error("fetch.txt", "line \(number): \"\(path)\" is outside the payload folder data/")
                continue
            }
            fetchPaths.insert(path)
        }
    }

    mutating func checkFetchAgainstManifests() {
        for manifest in manifests where !manifest.isTag {
            let listed = Set(manifest.entries.map(\.path))
            for path in fetchPaths.sorted() where !listed.contains(path) {
                error("fetch.txt", "\(path) is not listed in \(manifest.file); every fetched file is listed in every payload manifest")
            }
        }
    }

    mutating func warnAboutCollisions() {
        var seen: [String: BagPath] = [:]
        for path in listing.payloadPaths {
            let key = path.text.precomposedNFC.lowercased()
            if let other = seen[key] {
                warn(path, "differs from \(other) only in case or Unicode normalization; on macOS and Windows the two are one file")
            } else {
                seen[key] = path
            }
        }
    }

    // MARK: Seal

    /// The seal and the recorded tag manifest: reported always, checked when expected.
    ///
    /// The problems in Chinese, for the localisation layer:
    /// - `tagmanifest-sha512.txt：不是预期的标签清单（其 ALG 为 …，导出时记录的为 …）；这不是导出的那个包，或已被重新打包`
    /// - `tagmanifest-sha512.txt.sig：缺失：此包未加盖印章`
    /// - `tagmanifest-sha512.txt.sig：不是密钥 KEY 对标签清单的印章：包在加盖印章后被改动并重算了清单，或由其他密钥加盖`
    mutating func checkSeal(_ expectation: BagExpectation) {
        let manifestName = BagPath(BagWriter.sealedManifest)
        let sealName = BagPath(BagWriter.sealFile)
        let manifest = listing.files[manifestName]?.contents
        let seal = listing.files[sealName]?.contents
        report.tagManifestSHA256 = manifest.flatMap { try? NamedHasher.hex("sha256", of: $0) }
        report.isSealed = seal != nil
        if let info = listing.files["bag-info.txt"]?.contents.flatMap({ String(validating: $0, as: UTF8.self) }) {
            for line in BagText.lines(info).lines where line.hasPrefix("Seal-Key-Fingerprint:") {
                report.sealKeyNamed = line.dropFirst("Seal-Key-Fingerprint:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        if let expected = expectation.tagManifest?.lowercased() {
            let algorithm = expected.utf8.count == 128 ? "sha512" : "sha256"
            if let manifest {
                let actual = (try? NamedHasher.hex(algorithm, of: manifest)) ?? ""
                if actual != expected {
                    error(manifestName, "is not the tag manifest expected: its \(algorithm) is \(actual.prefix(16))…, the one recorded at export is \(expected.prefix(16))…; this is not the bag that was exported, or it was re-bagged")
                }
            } else {
                error(manifestName, "missing; the recorded tag manifest \(expected.prefix(16))… cannot be compared")
            }
        }
        guard let key = expectation.key else { return }
        guard let seal else {
            error(sealName, "missing: the bag is not sealed, so nothing shows it came from the key \(key.fingerprint)")
            report.sealVerified = false
            return
        }
        guard let manifest, key.verifies(seal, of: manifest) else {
            let named = report.sealKeyNamed.map { $0 == key.fingerprint ? " (bag-info.txt names this key)" : " (bag-info.txt names the key \($0))" } ?? ""
            error(sealName, "is not the seal of tagmanifest-sha512.txt by the key \(key.fingerprint)\(named): the bag was changed after it was sealed and its manifests recomputed, or it was sealed with another key")
            report.sealVerified = false
            return
        }
        report.sealVerified = true
    }

    // MARK: Digests

    /// Algorithm sets per file that the manifests need and the listing lacks.
    func digestsNeeded() -> [BagPath: Set<String>] {
        var needs: [BagPath: Set<String>] = [:]
        for manifest in manifests {
            for entry in manifest.entries {
                guard let path = entry.file, let file = listing.files[path] else { continue }
                if file.digests[manifest.algorithm] == nil, file.contents == nil { needs[path, default: []].insert(manifest.algorithm) }
            }
        }
        return needs
    }

    mutating func checkDigests() {
        for manifest in manifests {
            for entry in manifest.entries {
                guard let path = entry.file, let file = listing.files[path] else { continue }
                var actual = file.digests[manifest.algorithm]
                if actual == nil, let contents = file.contents { actual = try? NamedHasher.hex(manifest.algorithm, of: contents) }
                guard let actual else {
                    error(path, "could not be hashed with \(manifest.algorithm)", .fixity)
                    continue
                }
                if actual != entry.checksum {
                    error(path, "\(manifest.algorithm) mismatch: \(manifest.file) line \(entry.line) says \(entry.checksum.prefix(16))…, the file hashes to \(actual.prefix(16))…", .fixity)
                }
            }
        }
    }
}
