import DossierModel
import CDossierCrypto

/// A digest computation chosen by name, for formats whose algorithm set is open: a BagIt
/// bag may carry `manifest-sha224.txt` or `manifest-sha3-256.txt` as well as the four
/// algorithms the store itself uses (`DigestAlgorithm`).
///
/// Non-copyable for the same reason as ``Hasher``: one owner per `EVP_MD_CTX`. The
/// corresponding C function is `EVP_get_digestbyname`
/// (https://www.openssl.org/docs/man3.0/man3/EVP_get_digestbyname.html).
public struct NamedHasher: ~Copyable {
    private var context: EVPContext
    public let name: String

    /// The names BagIt uses (lowercase, as in `manifest-<name>.txt`) that this build can compute.
    static let supportedNames: [String] = [
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
    ]

    static func isSupported(_ name: String) -> Bool { supportedNames.contains(name) }

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

    /// - Throws: ``CryptoError`` for a name outside `supportedNames` or when OpenSSL refuses it.
    public init(_ name: String) throws(CryptoError) {
        guard NamedHasher.isSupported(name), let method = EVP_get_digestbyname(name) else {
            throw CryptoError(operation: "EVP_get_digestbyname(\(name))", detail: "unsupported digest algorithm")
        }
        context = try EVPContext(method: method, name: name)
        self.name = name
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { context.update(bytes) }

    /// Finishes and returns the digest as lowercase hexadecimal; the hasher is consumed.
    consuming func finalize() -> String {
        Digest.hex(of: context.finalize())
    }

    /// The hexadecimal digest of a whole buffer.
    public static func hex(_ name: String, of bytes: [UInt8]) throws(CryptoError) -> String {
        var hasher = try NamedHasher(name)
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
