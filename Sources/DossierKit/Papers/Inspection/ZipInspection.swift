import DossierModel

/// What a zip's central directory says about the document it packages: an OFD (`OFD.xml` at its
/// root), a Word document (`[Content_Types].xml` and `word/document.xml`), macros (`vbaProject.bin`,
/// the VBA project Word keeps in a `.docm`), embedded objects and ActiveX controls, and members that
/// are encrypted or compressed with a method other than stored or deflate (which readers of OFD and
/// DOCX need not read). Only the directory is read, by hand (``ZipDirectory``): nothing is
/// decompressed.
struct ZipFacts: Sendable, Equatable {
    var members: Int
    var hasOFDRoot: Bool
    var isWordDocument: Bool
    /// Members holding VBA macros (`word/vbaProject.bin`).
    var macros: [String]
    /// Embedded OLE objects and ActiveX controls (`word/embeddings/…`, `word/activeX/…`).
    var embeddedObjects: [String]
    /// Members whose data is encrypted.
    var encryptedMembers: [String]
    /// Members compressed with another method than stored (0) or deflate (8), with the method.
    var unusualCompression: [(member: String, method: UInt16)]

    static func == (lhs: ZipFacts, rhs: ZipFacts) -> Bool {
        lhs.members == rhs.members && lhs.hasOFDRoot == rhs.hasOFDRoot && lhs.isWordDocument == rhs.isWordDocument && lhs.macros == rhs.macros
            && lhs.embeddedObjects == rhs.embeddedObjects && lhs.encryptedMembers == rhs.encryptedMembers
            && lhs.unusualCompression.map(\.member) == rhs.unusualCompression.map(\.member)
            && lhs.unusualCompression.map(\.method) == rhs.unusualCompression.map(\.method)
    }
}

enum ZipInspection {
    /// Members beyond this many are not listed (the OFD reader's limit).
    static let maximumMembers = OFDLimits.default.maximumMembers

    /// Why a zip's directory cannot be read.
    struct Unreadable: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
    }

    /// - Returns: the facts, or why the directory cannot be read.
    static func inspect(fileAt path: String, fileName: String) -> Result<ZipFacts, Unreadable> {
        let entries: [ZipDirectoryEntry]
        do {
            entries = try ZipDirectory.read(path: path, file: fileName, maximumMembers: maximumMembers)
        } catch {
            return .failure(Unreadable(description: "the zip's directory cannot be read: \(error)"))
        }
        let names = entries.map { String(decoding: $0.rawName, as: UTF8.self) }
        let lower = Set(names.map { OFDMemberIndex.normalize($0).lowercased() })
        var facts = ZipFacts(
            members: entries.count, hasOFDRoot: lower.contains("ofd.xml"),
            isWordDocument: lower.contains("[content_types].xml") && lower.contains("word/document.xml"),
            macros: [], embeddedObjects: [], encryptedMembers: [], unusualCompression: [])
        for (entry, name) in zip(entries, names) {
            let key = name.lowercased()
            if FileSystem.lastComponent(of: key) == "vbaproject.bin" { facts.macros.append(name) }
            if key.contains("/embeddings/") || key.contains("/activex/") { facts.embeddedObjects.append(name) }
            if entry.isEncrypted { facts.encryptedMembers.append(name) }
            if !name.hasSuffix("/"), entry.method != 0, entry.method != 8, entry.method != 99 {
                facts.unusualCompression.append((name, entry.method))
            }
        }
        return .success(facts)
    }
}
