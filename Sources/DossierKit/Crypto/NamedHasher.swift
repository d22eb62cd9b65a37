import CDossierCrypto

/// A digest computation chosen by name, for formats whose algorithm set is open: a BagIt
/// bag may carry `manifest-sha224.txt` or `manifest-sha3-256.txt` as well as the four
/// algorithms the store itself uses (``DigestAlgorithm``).
///
/// Non-copyable for the same reason as ``Hasher``: one owner per `EVP_MD_CTX`. The
/// corresponding C function is `EVP_get_digestbyname`
/// (https://www.openssl.org/docs/man3.0/man3/EVP_get_digestbyname.html).
public struct NamedHasher: ~Copyable {
    private let context: OpaquePointer
    public let name: String

    /// The names BagIt uses (lowercase, as in `manifest-<name>.txt`) that this build can compute.
    public static let supportedNames: [String] = [
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
    ]

    public static func isSupported(_ name: String) -> Bool { supportedNames.contains(name) }

    /// The hexadecimal length of a digest, or `nil` for a name this build does not know.
    public static func hexLength(of name: String) -> Int? {
        switch name {
        case "md5": 32
        case "sha1": 40
        case "sha224", "sha3-224": 56
        case "sha256", "sha3-256": 64
        case "sha384", "sha3-384": 96
        case "sha512", "sha3-512": 128
        default: nil
        }
    }

    /// - Throws: ``CryptoError`` for a name outside ``supportedNames`` or when OpenSSL refuses it.
    public init(_ name: String) throws(CryptoError) {
        guard NamedHasher.isSupported(name), let method = EVP_get_digestbyname(name) else {
            throw CryptoError(operation: "EVP_get_digestbyname(\(name))", detail: "unsupported digest algorithm")
        }
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.fromQueue("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, method, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.fromQueue("EVP_DigestInit_ex(\(name))")
        }
        self.context = context
        self.name = name
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Finishes and returns the digest as lowercase hexadecimal; the hasher is consumed.
    public consuming func finalize() -> String {
        var output = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        let table = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(Int(length) * 2)
        for byte in output.prefix(Int(length)) {
            hex.append(table[Int(byte >> 4)])
            hex.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The hexadecimal digest of a whole buffer.
    public static func hex(_ name: String, of bytes: [UInt8]) throws(CryptoError) -> String {
        var hasher = try NamedHasher(name)
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
