import DossierModel

/// An indirect object's number and generation (`12 0 R`).
struct PDFReference: Hashable, CustomStringConvertible {
    var number: Int
    var generation: Int
    var description: String { "\(number) \(generation) R" }
}

/// A PDF string with where it sits in the file (needed for a signature's `/Contents`).
struct PDFString {
    var bytes: [UInt8]
    var isHex: Bool
    /// File offset of the opening delimiter, or -1 when the string came from a decoded stream.
    var start: Int64
    /// File offset after the closing delimiter, or -1.
    var end: Int64

    /// A PDF text string (ISO 32000-1 §7.9.2.2): UTF-16BE with a byte-order mark, UTF-8 with one,
    /// else PDFDocEncoding (read as Latin-1, which it matches for printable characters).
    var text: String {
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            var units: [UInt16] = []
            var index = 2
            while index + 1 < bytes.count {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}

/// A PDF object value (ISO 32000-1 §7.3).
indirect enum PDFValue {
    case null
    case boolean(Bool)
    case integer(Int64)
    case real(Double)
    case name(String)
    case string(PDFString)
    case array([PDFValue])
    case dictionary([String: PDFValue])
    case reference(PDFReference)

    var dictionary: [String: PDFValue]? {
        if case .dictionary(let value) = self { return value }
        return nil
    }

    var array: [PDFValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var name: String? {
        if case .name(let value) = self { return value }
        return nil
    }

    var string: PDFString? {
        if case .string(let value) = self { return value }
        return nil
    }

    var reference: PDFReference? {
        if case .reference(let value) = self { return value }
        return nil
    }

    /// A short description for messages ("a dictionary", "the integer 5" …).
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .integer(let value): "the integer \(value)"
        case .real: "a real number"
        case .name(let value): "the name /\(value)"
        case .string: "a string"
        case .array: "an array"
        case .dictionary: "a dictionary"
        case .reference(let value): "a reference \(value)"
        }
    }
}

/// An indirect object as read: its value, and where its stream data starts when it is a stream.
struct PDFIndirectObject {
    var reference: PDFReference
    var value: PDFValue
    /// How many bytes of text the object took up to its value's end.
    var textLength: Int
    /// File (or decoded-buffer) offset of the first byte of stream data; nil when not a stream.
    var streamStart: Int64?
}

/// Why bytes could not be parsed as PDF syntax.
enum PDFSyntaxError: Error {
    /// The buffer ended inside the object; a longer read may succeed.
    case truncated
    /// The bytes at `offset` are not PDF syntax; `detail` says what was expected.
    case malformed(offset: Int64, detail: String)

    var message: String {
        switch self {
        case .truncated: "the data ends inside an object"
        case let .malformed(offset, detail): "byte \(offset): \(detail)"
        }
    }
}

/// A recursive-descent parser of PDF object syntax over one buffer that starts at a known file
/// offset; nesting is bounded and it never reads outside the buffer.
struct PDFObjectParser {
    private let bytes: [UInt8]
    /// File offset of `bytes[0]`; -1 when the buffer is decoded stream data (no file positions).
    private let base: Int64
    /// Whether the buffer ends where the file (or decoded data) ends: then running out is an error,
    /// not a reason to read more.
    private let reachesEnd: Bool
    private(set) var position: Int
    private var valueCount = 0

    static let maximumDepth = 64
    /// Values in one object: bounds the memory of a parsed object (each value is a small heap box).
    static let maximumValues = 500_000

    init(_ bytes: [UInt8], base: Int64, reachesEnd: Bool, position: Int = 0) {
        self.bytes = bytes
        self.base = base
        self.reachesEnd = reachesEnd
        self.position = position
    }

    private var fileOffset: Int64 { base >= 0 ? base + Int64(position) : Int64(position) }

    private func malformed(_ detail: String) -> PDFSyntaxError {
        .malformed(offset: fileOffset, detail: detail)
    }

    private func endOfData() -> PDFSyntaxError {
        reachesEnd ? malformed("the data ends inside an object") : .truncated
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }

    private static func isRegular(_ byte: UInt8) -> Bool { !isWhitespace(byte) && !isDelimiter(byte) }

    /// Skips whitespace and comments.
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// Skips spaces, then the end of the line (CR, LF or both): where a cross-reference subsection's entries start.
    mutating func skipToNextLine() {
        while position < bytes.count, bytes[position] == 0x20 { position += 1 }
        while position < bytes.count, bytes[position] == 0x0D || bytes[position] == 0x0A { position += 1 }
    }

    /// Reads a run of regular characters (a keyword or number) without interpreting it.
    private mutating func token() throws(PDFSyntaxError) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, Self.isRegular(bytes[position]) { position += 1 }
        // A token touching the end of a partial buffer may continue in the next bytes.
        if position == bytes.count, !reachesEnd { throw .truncated }
        return bytes[start..<position]
    }

    /// Whether the next token is `keyword` (consumed if so).
    mutating func consumeKeyword(_ keyword: String) throws(PDFSyntaxError) -> Bool {
        skipWhitespace()
        let saved = position
        guard position < bytes.count else { throw endOfData() }
        let word = try token()
        if word.elementsEqual(keyword.utf8) { return true }
        position = saved
        return false
    }

    /// Reads an unsigned integer token (object numbers, offsets).
    mutating func readInteger() throws(PDFSyntaxError) -> Int64 {
        skipWhitespace()
        guard position < bytes.count else { throw endOfData() }
        let start = position
        let word = try token()
        guard !word.isEmpty, word.count <= 18, word.allSatisfy({ (48...57).contains($0) }) else {
            position = start
            throw malformed("expected an integer")
        }
        return word.reduce(0) { $0 * 10 + Int64($1 - 48) }
    }

    /// Parses `N G obj value [stream]`; the stream's data is not read.
    mutating func parseIndirectObject() throws(PDFSyntaxError) -> PDFIndirectObject {
        let start = position
        let number = try readInteger()
        let generation = try readInteger()
        guard number <= Int64(Int32.max), generation <= 65_535 else { throw malformed("object number out of range") }
        guard try consumeKeyword("obj") else { throw malformed("expected \"obj\" after \(number) \(generation)") }
        let value = try parseValue(depth: 0)
        var streamStart: Int64?
        if try consumeKeyword("stream") {
            guard value.dictionary != nil else { throw malformed("a stream without a dictionary") }
            // The keyword is followed by CRLF or LF (a lone CR is tolerated).
            guard position < bytes.count else { throw endOfData() }
            if bytes[position] == 0x0D {
                position += 1
                guard position < bytes.count else { throw endOfData() }
                if bytes[position] == 0x0A { position += 1 }
            } else if bytes[position] == 0x0A {
                position += 1
            }
            streamStart = fileOffset
        }
        return PDFIndirectObject(reference: PDFReference(number: Int(number), generation: Int(generation)),
                                 value: value, textLength: position - start, streamStart: streamStart)
    }

    /// Parses one value; references (`N G R`) are recognised, never followed.
    mutating func parseValue(depth: Int) throws(PDFSyntaxError) -> PDFValue {
        guard depth < Self.maximumDepth else { throw malformed("objects nested deeper than \(Self.maximumDepth) levels") }
        valueCount += 1
        guard valueCount <= Self.maximumValues else { throw malformed("more than \(Self.maximumValues) values in one object") }
        skipWhitespace()
        guard position < bytes.count else { throw endOfData() }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            return .name(try parseName())
        case UInt8(ascii: "("):
            return .string(try parseLiteralString())
        case UInt8(ascii: "<"):
            guard position + 1 < bytes.count else { throw endOfData() }
            if bytes[position + 1] == UInt8(ascii: "<") { return .dictionary(try parseDictionary(depth: depth)) }
            return .string(try parseHexString())
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFValue] = []
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw endOfData() }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                items.append(try parseValue(depth: depth + 1))
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumberOrReference()
        default:
            let start = position
            let word = try token()
            switch String(decoding: word, as: UTF8.self) {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            case "null": return .null
            default:
                position = start
                throw malformed(word.isEmpty ? "unexpected character 0x\(Digest.hex(of: [byte]))" : "unexpected \"\(String(decoding: word.prefix(20), as: UTF8.self))\"")
            }
        }
    }

    private mutating func parseDictionary(depth: Int) throws(PDFSyntaxError) -> [String: PDFValue] {
        position += 2
        var entries: [String: PDFValue] = [:]
        while true {
            skipWhitespace()
            guard position + 1 < bytes.count else { throw endOfData() }
            if bytes[position] == UInt8(ascii: ">"), bytes[position + 1] == UInt8(ascii: ">") {
                position += 2
                return entries
            }
            guard bytes[position] == UInt8(ascii: "/") else { throw malformed("expected a name as dictionary key") }
            let key = try parseName()
            let value = try parseValue(depth: depth + 1)
            // The first occurrence of a duplicated key wins, as in most readers.
            if entries[key] == nil { entries[key] = value }
        }
    }

    private mutating func parseName() throws(PDFSyntaxError) -> String {
        position += 1
        var name: [UInt8] = []
        while position < bytes.count, Self.isRegular(bytes[position]) {
            let byte = bytes[position]
            if byte == UInt8(ascii: "#"), position + 2 < bytes.count,
               let high = Self.hexValue(bytes[position + 1]), let low = Self.hexValue(bytes[position + 2]) {
                name.append(high << 4 | low)
                position += 3
            } else {
                name.append(byte)
                position += 1
            }
        }
        if position == bytes.count, !reachesEnd { throw .truncated }
        return String(decoding: name, as: UTF8.self)
    }

    private mutating func parseLiteralString() throws(PDFSyntaxError) -> PDFString {
        let start = fileOffset
        position += 1
        var depth = 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else { throw endOfData() }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                value.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 {
                    return PDFString(bytes: value, isHex: false, start: base >= 0 ? start : -1, end: base >= 0 ? fileOffset : -1)
                }
                value.append(byte)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw endOfData() }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "b"): value.append(0x08)
                case UInt8(ascii: "f"): value.append(0x0C)
                case 0x0D:
                    if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A:
                    break
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var code = Int(escaped - 48)
                    var digits = 1
                    while digits < 3, position < bytes.count, (48...55).contains(bytes[position]) {
                        code = code * 8 + Int(bytes[position] - 48)
                        position += 1
                        digits += 1
                    }
                    value.append(UInt8(truncatingIfNeeded: code))
                default:
                    value.append(escaped)
                }
            default:
                value.append(byte)
            }
        }
    }

    private mutating func parseHexString() throws(PDFSyntaxError) -> PDFString {
        let start = fileOffset
        position += 1
        var value: [UInt8] = []
        var pending: UInt8?
        while true {
            guard position < bytes.count else { throw endOfData() }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") { break }
            if Self.isWhitespace(byte) { continue }
            guard let digit = Self.hexValue(byte) else {
                position -= 1
                throw malformed("expected a hex digit in a hex string, got 0x\(Digest.hex(of: [byte]))")
            }
            if let high = pending {
                value.append(high << 4 | digit)
                pending = nil
            } else {
                pending = digit
            }
        }
        if let high = pending { value.append(high << 4) }
        return PDFString(bytes: value, isHex: true, start: base >= 0 ? start : -1, end: base >= 0 ? fileOffset : -1)
    }

    private mutating func parseNumberOrReference() throws(PDFSyntaxError) -> PDFValue {
        let start = position
        let word = try token()
        let text = String(decoding: word, as: UTF8.self)
        guard word.allSatisfy({ (48...57).contains($0) }) else {
            if let integer = Int64(text) { return .integer(integer) }
            if let real = Double(text), real.isFinite { return .real(real) }
            position = start
            throw malformed("expected a number, got \"\(String(text.prefix(20)))\"")
        }
        guard let number = Int64(text) else {
            // Digits beyond Int64: keep the magnitude as a real, as readers do.
            return .real(Double(text) ?? 0)
        }
        // `N G R` is a reference: look ahead without committing.
        let afterNumber = position
        skipWhitespace()
        if position < bytes.count, (48...57).contains(bytes[position]) {
            let generation = try token()
            skipWhitespace()
            if generation.allSatisfy({ (48...57).contains($0) }), generation.count <= 5,
               position < bytes.count, bytes[position] == UInt8(ascii: "R"),
               position + 1 >= bytes.count ? reachesEnd : !Self.isRegular(bytes[position + 1]) {
                position += 1
                let generationValue = generation.reduce(0) { $0 * 10 + Int($1 - 48) }
                if number <= Int64(Int32.max) {
                    return .reference(PDFReference(number: Int(number), generation: generationValue))
                }
                return .null
            }
            if position >= bytes.count, !reachesEnd { throw .truncated }
        } else if position >= bytes.count, !reachesEnd {
            throw .truncated
        }
        position = afterNumber
        return .integer(number)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
        default: nil
        }
    }
}
