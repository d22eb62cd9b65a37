import DossierModel
import Foundation

/// DOCX: a zip whose `word/document.xml` holds the body. Read through ``ArchiveReader``
/// (libarchive); ``WordXML`` keeps the text runs, a line per paragraph.
enum DOCXText {
    /// The XML parts whose text is the document's: the body, then headers, footers and notes.
    static func isTextPart(_ name: String) -> Bool {
        name == "word/document.xml" || (name.hasPrefix("word/") && name.hasSuffix(".xml")
            && ["word/header", "word/footer", "word/footnotes", "word/endnotes"].contains { name.hasPrefix($0) })
    }

    static let maximumPartBytes = 64 << 20

    static func read(_ path: String) -> ExtractedText {
        var parts: [(String, [UInt8])] = []
        do {
            try ArchiveReader.read(path, displayName: FileSystem.lastComponent(of: path)) { reader in
                while let entry = try reader.nextEntry() {
                    guard entry.kind == .regular, let name = entry.path, isTextPart(name) else { continue }
                    if entry.isEncrypted { throw ArchiveError(archive: reader.name, problem: "\(name) is encrypted") }
                    var bytes: [UInt8] = []
                    var chunk = [UInt8](repeating: 0, count: 1 << 16)
                    while true {
                        let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                        if count == 0 { break }
                        bytes.append(contentsOf: chunk[0..<count])
                        if bytes.count > maximumPartBytes { throw ArchiveError(archive: reader.name, problem: "\(name) is larger than 64 MiB") }
                    }
                    parts.append((name, bytes))
                }
            }
        } catch {
            return ExtractedText(text: "", source: .failed, problem: "\(error)")
        }
        // The body first, then the rest in a stable order.
        parts.sort { lhs, rhs in
            let lhsBody = lhs.0 == "word/document.xml", rhsBody = rhs.0 == "word/document.xml"
            return lhsBody != rhsBody ? lhsBody : lhs.0 < rhs.0
        }
        guard parts.first?.0 == "word/document.xml" else {
            return ExtractedText(text: "", source: .failed, problem: "no word/document.xml: not a Word document")
        }
        let text = parts.map { WordXML.text(of: $0.1) }.joined(separator: "\n")
        return ExtractedText(text: text.trimmingCharacters(in: .whitespacesAndNewlines), source: .docx)
    }
}

/// The text of a WordprocessingML part, by one pass over its bytes: the text of `<w:t>` runs,
/// a line per paragraph (`</w:p>`), a tab for `<w:tab/>`, a line for `<w:br/>` and `<w:cr/>`.
/// The part is machine-written XML whose text sits only in `<w:t>`; a full XML parser would
/// build what this throws away.
enum WordXML {
    static func text(of xml: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(xml.count / 4)
        var index = 0
        var inText = false
        let count = xml.count
        while index < count {
            let byte = xml[index]
            if byte == UInt8(ascii: "<") {
                guard let close = xml[index...].firstIndex(of: UInt8(ascii: ">")) else { break }
                let tag = xml[(index + 1)..<close]
                let name = tagName(tag)
                let closing = tag.first == UInt8(ascii: "/")
                let selfClosing = tag.last == UInt8(ascii: "/")
                switch name {
                case "w:t": inText = !closing && !selfClosing
                case "w:p" where closing: output.append(0x0A)
                case "w:tab" where !closing: output.append(0x09)
                case "w:br", "w:cr": if !closing { output.append(0x0A) }
                default: break
                }
                index = close + 1
            } else if inText {
                if byte == UInt8(ascii: "&"), let end = xml[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                    output.append(contentsOf: entity(xml[(index + 1)..<end]) ?? Array(xml[index...end]))
                    index = end + 1
                } else {
                    output.append(byte)
                    index += 1
                }
            } else {
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The element name of a tag's inside (`w:t xml:space="preserve"` → `w:t`; `/w:p` → `w:p`).
    static func tagName(_ tag: ArraySlice<UInt8>) -> String {
        var body = tag
        if body.first == UInt8(ascii: "/") { body = body.dropFirst() }
        let name = body.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != UInt8(ascii: "/") }
        return String(decoding: name, as: UTF8.self)
    }

    /// The UTF-8 of an entity reference's name (`amp`, `#20013`, `#x4E2D`), or `nil` when unknown.
    static func entity(_ name: ArraySlice<UInt8>) -> [UInt8]? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        case let text where text.hasPrefix("#x") || text.hasPrefix("#X"):
            return UInt32(text.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
        case let text where text.hasPrefix("#"):
            return UInt32(text.dropFirst()).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
        default: return nil
        }
    }
}
