import DossierModel
import Foundation

/// The text conventions of BagIt tag files (RFC 8493 §2.1–2.2): line endings, encodings,
/// percent-encoded paths, `label: value` metadata.
enum BagText {
    /// One value on one line: line breaks become spaces (bag-info.txt has no escaping).
    static func singleLine(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            if scalar == "\r" || (scalar == "\n" && !previousWasCR) {
                out += " "
            } else if scalar != "\n" {
                out.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return out
    }

    /// A path as a BagIt 1.0 manifest writes it: `%`, CR and LF (and only those) percent-encoded.
    static func encodePath(_ path: String) -> String {
        replacingReserved(path, percent: "%25", carriageReturn: "%0D", lineFeed: "%0A")
    }

    /// `text` with the three characters BagIt 1.0 treats specially in paths replaced.
    static func replacingReserved(_ text: String, percent: String, carriageReturn: String, lineFeed: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += percent
            case "\r": out += carriageReturn
            case "\n": out += lineFeed
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Decodes a BagIt 1.0 manifest path. Only `%25`, `%0D` and `%0A` are escapes (either
    /// case of hex); any other `%` is an error, since 1.0 requires a literal `%` to be written `%25`.
    /// - Returns: the path, or `nil` and the offending text.
    static func decodePath(_ path: String) -> (path: String?, stray: String?) {
        guard path.contains("%") else { return (path, nil) }
        var out = ""
        var scalars = Array(path.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "%" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            let code = String(String.UnicodeScalarView(scalars.prefix(2))).uppercased()
            switch code {
            case "25": out += "%"
            case "0D": out += "\r"
            case "0A": out += "\n"
            default: return (nil, "%" + String(String.UnicodeScalarView(scalars.prefix(2))))
            }
            scalars = scalars.dropFirst(2)
        }
        return (out, nil)
    }

    /// Splits text into lines at LF, CR or CRLF.
    /// - Returns: the lines, and whether the last one was terminated.
    static func lines(_ text: String) -> (lines: [String], terminated: Bool) {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pendingCR = false
        var terminated = true
        while let scalar = scalars.next() {
            if pendingCR {
                pendingCR = false
                if scalar == "\n" { continue }
            }
            if scalar == "\r" || scalar == "\n" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                pendingCR = scalar == "\r"
                terminated = true
                continue
            }
            current.append(scalar)
            terminated = false
        }
        if !current.isEmpty { lines.append(String(current)) }
        return (lines, terminated || text.isEmpty)
    }

    /// A tag file character encoding that this validator decodes.
    enum Encoding: Equatable {
        case utf8, utf16, latin1, ascii

        init?(label: String) {
            switch label.uppercased() {
            case "UTF-8", "UTF8": self = .utf8
            case "UTF-16", "UTF-16BE", "UTF-16LE", "UTF16": self = .utf16
            case "ISO-8859-1", "ISO8859-1", "LATIN1", "ISO_8859-1", "L1": self = .latin1
            case "US-ASCII", "ASCII": self = .ascii
            default: return nil
            }
        }
    }

    /// Decodes a tag file.
    /// - Returns: the text, whether it began with a UTF-8 byte-order mark, or `nil` when
    ///   the bytes are not valid in the encoding.
    static func decode(_ bytes: [UInt8], as encoding: Encoding) -> (text: String, utf8BOM: Bool)? {
        switch encoding {
        case .utf8, .ascii:
            let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            guard let text = String(validating: hasBOM ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) else { return nil }
            if encoding == .ascii, !text.unicodeScalars.allSatisfy(\.isASCII) { return nil }
            return (text, hasBOM)
        case .utf16:
            guard let text = String(bytes: bytes, encoding: .utf16) else { return nil }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, false)
        case .latin1:
            var text = String.UnicodeScalarView()
            for byte in bytes { text.append(Unicode.Scalar(byte)) }
            return (String(text), false)
        }
    }

    /// Operating-system metadata files: never content, routinely created by file managers
    /// and dropped by copy tools, Git and zip programs.
    static func isSystemMetadata(_ path: String) -> Bool {
        let name = FileSystem.lastComponent(of: path)
        return [".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini", "Desktop.ini", "Icon\r", ".Spotlight-V100", ".Trashes", ".fseventsd"].contains(name)
            || name.hasPrefix("._")
    }
}
