import DossierModel
import Foundation

/// The four-properties check of a bag as received (the archive's or auditor's side of a transfer):
/// a folder, or a tar, tar.gz or zip archive read in place, made by this vault or by any other
/// system. Nothing is unpacked to disk: an archive's payload files pass one at a time through a
/// file in memory while their content is checked.
///
/// Items that need what only this vault's exports carry (the record, the history, the rules'
/// profile) are "not applicable" to another system's bag.
public enum BagCheck {
    /// The BagIt profile this vault's exports name (bag-info's `BagIt-Profile-Identifier`).
    public static let dossierProfile = "urn:dossier:bagit-profile:1.0"

    /// Payload files inside an archive larger than this are not held in memory for the content
    /// items; unpack such a bag and check the folder.
    static let maximumArchivedPayload = MemoryFile.maximumSize

    /// Checks a bag.
    /// - Parameters:
    ///   - path: a bag folder, or a tar, tar.gz or zip archive (relative to the working folder, or absolute).
    ///   - options: the items (every item, or `transfer`'s), anchors, scanner, keys.
    ///   - profile: the rules to judge a dossier bag's record by (I3); nil takes the built-in
    ///     profile its `metadata/validation.json` names.
    /// - Throws: ``BagVerifyError`` only when the path cannot be read at all.
    public static func check(bagAt path: String, options: FourPropertiesOptions, profile: Profile? = nil) throws(BagVerifyError) -> FourPropertiesReport {
        // The readers of content (poppler) need an absolute path.
        let path = path.hasPrefix("/") ? path : "\(FileManager.default.currentDirectoryPath)/\(path)"
        let verified = try BagVerifier.verify(path)
        var bag = ReceivedBag(path: path, report: verified)
        bag.readTagFiles()
        let contentItems = Set(options.items).intersection([.A2, .U2, .U3, .U4, .S1, .S2])
        var content: [CheckItem: [CheckDetail]] = [:]
        var payloadCount = 0
        if !contentItems.isEmpty {
            bag.forEachPayloadFile(identities: options.identities) { paper in
                payloadCount += 1
                for (item, detail) in DocumentChecks.run(paper, items: contentItems, options: options) { content[item, default: []].append(detail) }
            }
        } else {
            payloadCount = verified.payloadFiles
        }
        let assembler = BagItems(bag: bag, options: options, profile: profile)
        var results: [ItemResult] = []
        for item in options.items {
            if contentItems.contains(item) {
                results.append(ContentAggregate.result(item, content[item] ?? [], documents: payloadCount, options: options))
            } else {
                results.append(assembler.result(item))
            }
        }
        return FourPropertiesReport(
            subject: bag.name, kind: bag.isDossierBag ? .dossierBag : .bag, version: bag.bagInfo("Dossier-Version"), stage: options.stage,
            checkedAt: options.checkedAt, asOf: options.asOf, items: results)
    }
}

/// A bag's tag files and payload, read where it is.
struct ReceivedBag {
    let path: String
    let report: BagReport
    /// Tag files (bag-relative path → bytes), those small enough to keep.
    var tagFiles: [String: [UInt8]] = [:]
    var bagInfoFields: [(label: String, value: String)] = []
    /// Every payload file (bag-relative) and its size.
    var payloadSizes: [String: Int64] = [:]
    let isArchive: Bool

    init(path: String, report: BagReport) {
        self.path = path
        self.report = report
        isArchive = FileSystem.kind(of: path) == .regular
    }

    /// The bag's name: its top folder in an archive, else the folder's or file's name.
    var name: String { report.root ?? FileSystem.lastComponent(of: path) }

    func bagInfo(_ label: String) -> String? {
        bagInfoFields.first { $0.label.lowercased() == label.lowercased() }?.value
    }

    var isDossierBag: Bool { bagInfo("BagIt-Profile-Identifier") == BagCheck.dossierProfile }

    /// Payload encrypted by the exporting vault for the auditor (`Payload-Encryption: age`).
    var payloadEncryption: String? { bagInfo("Payload-Encryption") }

    mutating func readTagFiles() {
        if isArchive {
            let prefix = report.root.map { Array(($0 + "/").utf8) } ?? []
            var kept: [String: [UInt8]] = [:]
            var sizes: [String: Int64] = [:]
            try? ArchiveReader.read(path, displayName: name, blockSize: 1 << 20) { reader in
                while let entry = try reader.nextEntry() {
                    guard entry.kind == .regular, let relative = Self.relative(entry, prefix: prefix) else {
                        try reader.skipData()
                        continue
                    }
                    if relative.hasPrefix("data/") {
                        sizes[relative] = entry.size ?? 0
                        try reader.skipData()
                        continue
                    }
                    if let bytes = try ArchiveBagSource.readAll(reader, limit: tagFileLimit).contents { kept[relative] = bytes }
                }
            }
            tagFiles = kept
            payloadSizes = sizes
        } else {
            for name in Self.tagFileNames(in: path) {
                if let bytes = try? FileSystem.readFile("\(path)/\(name)", limit: tagFileLimit) { tagFiles[name] = bytes }
            }
            for relative in Self.payloadFiles(in: path) { payloadSizes[relative] = FileSystem.size(ofRegularFile: "\(path)/\(relative)") ?? 0 }
        }
        if let bytes = tagFiles["bag-info.txt"], let text = String(validating: bytes, as: UTF8.self) {
            for line in BagText.lines(text).lines where !line.isEmpty {
                if line.first == " " || line.first == "\t" {
                    if !bagInfoFields.isEmpty { bagInfoFields[bagInfoFields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces) }
                } else if let colon = line.firstIndex(of: ":") {
                    bagInfoFields.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
                }
            }
        }
    }

    /// A bag's tag files in a folder: every regular file outside `data/`, a few levels deep.
    static func tagFileNames(in root: String, relative: String = "", depth: Int = 0) -> [String] {
        guard depth < 4, let names = try? FileSystem.contents(of: relative.isEmpty ? root : "\(root)/\(relative)") else { return [] }
        var found: [String] = []
        for name in names {
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            if path == "data" { continue }
            switch FileSystem.kind(of: "\(root)/\(path)") {
            case .regular: found.append(path)
            case .directory: found += tagFileNames(in: root, relative: path, depth: depth + 1)
            default: continue
            }
        }
        return found
    }

    static func relative(_ entry: ArchiveEntry, prefix: [UInt8]) -> String? {
        guard var name = entry.path else { return nil }
        while name.hasPrefix("./") { name.removeFirst(2) }
        let bytes = Array(name.utf8)
        guard bytes.starts(with: prefix) else { return nil }
        return String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self)
    }

    /// Calls `body` with each payload file made readable (bag order for a folder, archive order for
    /// an archive); an age-encrypted payload is decrypted into memory when `identities` are given.
    func forEachPayloadFile(identities: [AgeIdentity], _ body: (PaperToCheck) -> Void) {
        let encrypted = payloadEncryption?.lowercased() == "age"
        func check(_ label: String, readablePath: String?, unreadable: String?) {
            var paper = PaperToCheck(label: label, fileName: FileSystem.lastComponent(of: label), path: readablePath, unreadable: unreadable)
            guard encrypted, let readablePath else { return body(paper) }
            paper.vaultEncryption = "encrypted for the receiving auditor by the exporting vault (Payload-Encryption: age)"
            guard !identities.isEmpty else {
                paper.path = nil
                paper.unreadable = "encrypted for the receiving auditor (age): give --identity to check its content"
                return body(paper)
            }
            do {
                let memory = try MemoryFile(name: "dossier-check-bag")
                let input = try FileDescriptor.open(readablePath, .readOnly)
                defer { input.closeQuietly() }
                try AgeFile.decrypt(with: identities, read: { try input.read(into: $0) }, write: { try memory.write($0) })
                paper.path = memory.path
                withExtendedLifetime(memory) { body(paper) }
            } catch {
                paper.path = nil
                paper.unreadable = "cannot be decrypted with the identity given: \(error)"
                body(paper)
            }
        }
        if !isArchive {
            for relative in Self.payloadFiles(in: path) { check(relative, readablePath: "\(path)/\(relative)", unreadable: nil) }
            return
        }
        let prefix = report.root.map { Array(($0 + "/").utf8) } ?? []
        do {
            try ArchiveReader.read(path, displayName: name, blockSize: 1 << 20) { reader in
                while let entry = try reader.nextEntry() {
                    guard entry.kind == .regular, let relative = Self.relative(entry, prefix: prefix), relative.hasPrefix("data/") else {
                        try reader.skipData()
                        continue
                    }
                    if let size = entry.size, size > BagCheck.maximumArchivedPayload {
                        try reader.skipData()
                        check(relative, readablePath: nil, unreadable: "\(size) bytes inside an archive: larger than the \(BagCheck.maximumArchivedPayload >> 20) MiB checked in memory; unpack the bag and check the folder")
                        continue
                    }
                    let memory = try MemoryFile(name: "dossier-check-payload")
                    var buffer = [UInt8](repeating: 0, count: 1 << 20)
                    while true {
                        let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                        if count == 0 { break }
                        try buffer.withUnsafeBytes { try memory.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    }
                    withExtendedLifetime(memory) { check(relative, readablePath: memory.path, unreadable: nil) }
                }
            }
        } catch {
            check(name, readablePath: nil, unreadable: "the archive cannot be read to its end: \(error)")
        }
    }

    /// Every regular file under `data/`, bag-relative, in byte order.
    static func payloadFiles(in root: String) -> [String] {
        var found: [String] = []
        func walk(_ relative: String) {
            guard let names = try? FileSystem.contents(of: "\(root)/\(relative)") else { return }
            for name in names {
                let path = "\(relative)/\(name)"
                switch FileSystem.kind(of: "\(root)/\(path)") {
                case .regular: found.append(path)
                case .directory: walk(path)
                default: continue
                }
            }
        }
        walk("data")
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
