/// A digest algorithm the vault can compute through OpenSSL.
///
/// The names are OCFL's (and BagIt's manifest suffixes): `sha512`, `sha256`, `sha1`, `md5`, `blake2b-512`.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case md5
    case sha1
    case sha256
    case sha512
    case blake2b512 = "blake2b-512"

    /// Length of the hexadecimal form.
    public var hexLength: Int {
        switch self {
        case .md5: 32
        case .sha1: 40
        case .sha256: 64
        case .sha512, .blake2b512: 128
        }
    }

    public static func < (lhs: DigestAlgorithm, rhs: DigestAlgorithm) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A digest value, kept as lowercase hexadecimal (the form OCFL and BagIt write).
public struct Digest: Sendable, Hashable, CustomStringConvertible, Codable {
    public let algorithm: DigestAlgorithm
    public let hex: String

    /// Wraps a hex string; uppercase is folded to lowercase (OCFL digests are case-insensitive).
    /// Returns `nil` when the string is not hex of the algorithm's length.
    public init?(algorithm: DigestAlgorithm, hex: String) {
        let lower = hex.lowercasedDigest
        guard lower.utf8.count == algorithm.hexLength,
            lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.algorithm = algorithm
        self.hex = lower
    }

    package init(algorithm: DigestAlgorithm, bytes: some Collection<UInt8>) {
        self.algorithm = algorithm
        self.hex = Digest.hex(of: bytes)
    }

    /// Lowercase hexadecimal of digest bytes.
    package static func hex(of bytes: some Collection<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// The first characters, for messages: `3fa2c1d04b6e…`.
    public var short: String { hex.shortDigest }
}

extension String {
    /// A hex digest cut to its first 12 characters for messages (`3fa2c1d04b6e…`); a text of
    /// 16 characters or fewer, which is no digest a reader needs shortened, as it is.
    public var shortDigest: String { utf8.count > 16 ? "\(prefix(12))…" : self }

    /// The text in lower case, without copying the (usual) text that has no ASCII capitals:
    /// OCFL digests are compared case-insensitively and inventories hold thousands of them.
    package var lowercasedDigest: String {
        utf8.contains(where: { (0x41...0x5A).contains($0) }) ? lowercased() : self
    }
}

/// The sha512 and sha256 of a stream, and its length: what the store and bundles need of every file.
public struct ContentDigests: Sendable, Hashable {
    public var sha512: Digest
    public var sha256: Digest
    public var size: Int64

    public init(sha512: Digest, sha256: Digest, size: Int64) {
        self.sha512 = sha512
        self.sha256 = sha256
        self.size = size
    }
}

