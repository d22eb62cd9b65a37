import DossierModel

/// Why a piece of ASN.1 could not be read; the message names the byte offset and what was expected.
struct DERError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One ASN.1 element (tag, length, value) located inside a byte buffer by indices.
///
/// Only single-byte tags are supported: CMS, X.509, RFC 3161 and the seal formats (GM/T 0031,
/// GB/T 38540) never use high tag numbers.
struct DERElement: Sendable {
    /// The identifier octet (class, constructed bit and tag number).
    let tag: UInt8
    /// Index of the identifier octet.
    let start: Int
    /// Index of the first content octet.
    let contentStart: Int
    /// Index after the last content octet (before the end-of-contents octets of an indefinite length).
    let contentEnd: Int
    /// Index after the whole element, end-of-contents octets included.
    let end: Int
    /// Whether the length was written in BER's indefinite form (never valid DER).
    let isIndefinite: Bool

    var isConstructed: Bool { tag & 0x20 != 0 }
    var contentCount: Int { contentEnd - contentStart }

    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let null: UInt8 = 0x05
    static let objectIdentifier: UInt8 = 0x06
    static let utf8String: UInt8 = 0x0C
    static let printableString: UInt8 = 0x13
    static let ia5String: UInt8 = 0x16
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18
    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31

    /// A context-specific tag `[n]`, constructed or primitive.
    static func context(_ number: UInt8, constructed: Bool) -> UInt8 {
        0x80 | (constructed ? 0x20 : 0) | number
    }
}

/// Reads consecutive ASN.1 elements from a region of a byte buffer, with bounded nesting; the one
/// reader of CMS, certificates' surroundings, timestamp tokens and electronic seals.
///
/// Definite lengths are DER's; indefinite lengths (BER, which some signers emit around the
/// content) are accepted for constructed elements, their end found by walking the children.
/// Every length is checked against its enclosing element, and nothing is copied until asked for.
struct DERReader: Sendable {
    let bytes: [UInt8]
    private(set) var position: Int
    let limit: Int
    private let depth: Int

    /// Nesting deeper than this is refused: real CMS and seal structures stay under 15 levels.
    static let maximumDepth = 40

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.init(bytes, start: start, limit: end ?? bytes.count, depth: 0)
    }

    private init(_ bytes: [UInt8], start: Int, limit: Int, depth: Int) {
        self.bytes = bytes
        self.position = start
        self.limit = limit
        self.depth = depth
    }

    var isAtEnd: Bool { position >= limit }

    /// The single element that fills the whole region.
    /// - Throws: ``DERError`` when it is malformed or bytes follow it.
    func root() throws(DERError) -> DERElement {
        let element = try Self.element(in: bytes, at: position, limit: limit, depth: depth)
        guard element.end == limit else {
            throw DERError("byte \(element.end): \(limit - element.end) bytes after the structure")
        }
        return element
    }

    /// A reader over the contents of a constructed element.
    func children(of element: DERElement) throws(DERError) -> DERReader {
        guard element.isConstructed else {
            throw DERError("byte \(element.start): expected a constructed element, got tag 0x\(Digest.hex(of: [element.tag]))")
        }
        guard depth + 1 < Self.maximumDepth else {
            throw DERError("byte \(element.start): nested deeper than \(Self.maximumDepth) levels")
        }
        return DERReader(bytes, start: element.contentStart, limit: element.contentEnd, depth: depth + 1)
    }

    /// The elements inside a constructed element, at most `maximum` of them.
    func elements(of parent: DERElement, maximum: Int = 64) throws(DERError) -> [DERElement] {
        var reader = try children(of: parent)
        var result: [DERElement] = []
        while let child = try reader.next() {
            guard result.count < maximum else { throw DERError("byte \(child.start): more than \(maximum) elements") }
            result.append(child)
        }
        return result
    }

    /// The next element, or nil at the end of the region.
    mutating func next() throws(DERError) -> DERElement? {
        guard position < limit else { return nil }
        let element = try Self.element(in: bytes, at: position, limit: limit, depth: depth)
        position = element.end
        return element
    }

    /// The next element, which must exist and carry `tag`.
    mutating func read(_ tag: UInt8, _ what: String) throws(DERError) -> DERElement {
        guard let element = try next() else {
            throw DERError("byte \(position): expected \(what), got the end of its enclosing element")
        }
        guard element.tag == tag else {
            throw DERError("byte \(element.start): expected \(what) (tag 0x\(Digest.hex(of: [tag]))), got tag 0x\(Digest.hex(of: [element.tag]))")
        }
        return element
    }

    /// The next element if it carries `tag`; otherwise nothing is consumed.
    mutating func readOptional(_ tag: UInt8) throws(DERError) -> DERElement? {
        guard position < limit, bytes[position] == tag else { return nil }
        return try next()
    }

    /// Parses the element at `start`; the region ends at `limit`.
    static func element(in bytes: [UInt8], at start: Int, limit: Int, depth: Int = 0) throws(DERError) -> DERElement {
        guard start < limit, limit <= bytes.count else {
            throw DERError("byte \(start): expected an element, got the end of the data")
        }
        let tag = bytes[start]
        guard tag & 0x1F != 0x1F else {
            throw DERError("byte \(start): multi-byte tag 0x\(Digest.hex(of: [tag])) is not used by CMS or seals")
        }
        guard start + 1 < limit else { throw DERError("byte \(start + 1): length missing, data ends") }
        let first = bytes[start + 1]
        var index = start + 2
        if first == 0x80 {
            // Indefinite length: children up to the end-of-contents octets 00 00.
            guard tag & 0x20 != 0 else {
                throw DERError("byte \(start): indefinite length on a primitive element")
            }
            guard depth + 1 < maximumDepth else {
                throw DERError("byte \(start): nested deeper than \(maximumDepth) levels")
            }
            var cursor = index
            while true {
                guard cursor + 1 < limit else {
                    throw DERError("byte \(start): indefinite-length element has no end-of-contents marker")
                }
                if bytes[cursor] == 0, bytes[cursor + 1] == 0 {
                    return DERElement(tag: tag, start: start, contentStart: index, contentEnd: cursor,
                                      end: cursor + 2, isIndefinite: true)
                }
                cursor = try element(in: bytes, at: cursor, limit: limit, depth: depth + 1).end
            }
        }
        var length = 0
        if first & 0x80 == 0 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count <= 4 else { throw DERError("byte \(start + 1): a length of \(count) octets is too long") }
            guard index + count <= limit else { throw DERError("byte \(index): length octets run past the data") }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard length <= limit - index else {
            throw DERError("byte \(start): element of \(length) bytes runs past the end of its enclosure (\(limit - index) bytes left)")
        }
        return DERElement(tag: tag, start: start, contentStart: index, contentEnd: index + length,
                          end: index + length, isIndefinite: false)
    }

    // MARK: - Values

    /// The element's content octets.
    func content(_ element: DERElement) -> [UInt8] {
        Array(bytes[element.contentStart..<element.contentEnd])
    }

    /// The whole element (identifier, length and content).
    func encoded(_ element: DERElement) -> [UInt8] {
        Array(bytes[element.start..<element.end])
    }

    /// A string type's content as UTF-8 text (IA5String, PrintableString, UTF8String, times).
    func text(_ element: DERElement) -> String {
        String(decoding: bytes[element.contentStart..<element.contentEnd], as: UTF8.self)
    }

    /// An OBJECT IDENTIFIER's content as dotted text ("1.2.840.113549.1.7.2").
    func objectIdentifier(_ element: DERElement) throws(DERError) -> String {
        guard element.tag == DERElement.objectIdentifier, element.contentCount > 0, element.contentCount <= 64 else {
            throw DERError("byte \(element.start): expected an object identifier")
        }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for index in element.contentStart..<element.contentEnd {
            let byte = bytes[index]
            guard value < (1 << 56) else { throw DERError("byte \(index): object identifier arc too large") }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        guard bytes[element.contentEnd - 1] & 0x80 == 0, let first = arcs.first else {
            throw DERError("byte \(element.start): object identifier ends inside an arc")
        }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }

    /// A small non-negative INTEGER (versions, counts).
    func smallInteger(_ element: DERElement) throws(DERError) -> Int {
        guard element.tag == DERElement.integer, (1...4).contains(element.contentCount),
              bytes[element.contentStart] & 0x80 == 0 else {
            throw DERError("byte \(element.start): expected a small non-negative integer")
        }
        return bytes[element.contentStart..<element.contentEnd].reduce(0) { $0 << 8 | Int($1) }
    }

    /// An OCTET STRING's value; a constructed (BER) octet string is the concatenation of its parts.
    func octets(_ element: DERElement) throws(DERError) -> [UInt8] {
        if element.tag == DERElement.octetString { return content(element) }
        guard element.tag == DERElement.octetString | 0x20 else {
            throw DERError("byte \(element.start): expected an octet string, got tag 0x\(Digest.hex(of: [element.tag]))")
        }
        var parts = try children(of: element)
        var result: [UInt8] = []
        while let part = try parts.next() {
            result += try parts.octets(part)
        }
        return result
    }

    /// A BIT STRING's bits as bytes; unused bits are refused (signatures and hashes use whole bytes).
    func bitString(_ element: DERElement) throws(DERError) -> [UInt8] {
        guard element.tag == DERElement.bitString else {
            throw DERError("byte \(element.start): expected a bit string, got tag 0x\(Digest.hex(of: [element.tag]))")
        }
        guard element.contentCount > 0, bytes[element.contentStart] == 0 else {
            throw DERError("byte \(element.start): a bit string with unused bits")
        }
        return Array(bytes[(element.contentStart + 1)..<element.contentEnd])
    }
}

/// The few DER encodings a verifier must build itself.
enum DERWriter {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// A positive INTEGER from big-endian magnitude bytes.
    static func unsignedInteger(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
        var trimmed = Array(magnitude.drop { $0 == 0 })
        if trimmed.isEmpty || trimmed[0] & 0x80 != 0 { trimmed.insert(0, at: 0) }
        return element(DERElement.integer, trimmed)
    }

    /// `SEQUENCE { INTEGER r, INTEGER s }`, the form OpenSSL verifies, from a bare 64-byte r‖s
    /// (what some SM2 producers write); any other value is returned as it is.
    static func signatureSequence(fromRaw signature: [UInt8]) -> [UInt8] {
        let reader = DERReader(signature)
        if let root = try? reader.root(), root.tag == DERElement.sequence,
           let parts = try? reader.elements(of: root), parts.count == 2, parts.allSatisfy({ $0.tag == DERElement.integer }) {
            return signature
        }
        guard signature.count == 64 else { return signature }
        return element(DERElement.sequence, unsignedInteger(signature[0..<32]) + unsignedInteger(signature[32..<64]))
    }
}
