import DossierModel
import CDossierCrypto
import Foundation

/// One running digest computation, owning its OpenSSL `EVP_MD_CTX`.
///
/// Non-copyable so the context has exactly one owner and cannot be used after `finalize()`.
/// The corresponding C functions are `EVP_DigestInit_ex`, `EVP_DigestUpdate`, `EVP_DigestFinal_ex`
/// (https://www.openssl.org/docs/man3.0/man3/EVP_DigestInit.html).
///
/// ```swift
/// var hasher = try Hasher(.sha512)
/// hasher.update(Array("abc".utf8))
/// let digest = hasher.finalize()
/// ```
public struct Hasher: ~Copyable {
    private var context: EVPContext
    public let algorithm: DigestAlgorithm

    public init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        context = try EVPContext(method: Hasher.method(algorithm), name: algorithm.rawValue)
        self.algorithm = algorithm
    }

    private static func method(_ algorithm: DigestAlgorithm) -> OpaquePointer? {
        switch algorithm {
        case .md5: EVP_md5()
        case .sha1: EVP_sha1()
        case .sha256: fetchedSHA256 ?? EVP_sha256()
        case .sha512: fetchedSHA512 ?? EVP_sha512()
        case .blake2b512: EVP_blake2b512()
        }
    }

    // OpenSSL 3 looks a legacy `EVP_sha512()` up in its provider, under a lock, on every
    // `EVP_DigestInit_ex`: about 1.5 µs, paid twice per file when verify hashes thousands of
    // small files. Fetched once instead (never freed: they live as long as the process).
    // `nonisolated(unsafe)`: set once, then only read; OpenSSL documents a fetched EVP_MD as
    // safe to share between threads.
    nonisolated(unsafe) private static let fetchedSHA256 = EVP_MD_fetch(nil, "SHA256", nil)
    nonisolated(unsafe) private static let fetchedSHA512 = EVP_MD_fetch(nil, "SHA512", nil)

    /// Adds bytes. `EVP_DigestUpdate` cannot fail for these in-memory software digests
    /// once initialised, so its result is not surfaced.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { context.update(bytes) }

    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes and returns the digest; the hasher is consumed.
    consuming func finalize() -> Digest {
        Digest(algorithm: algorithm, bytes: context.finalize())
    }

    /// The digest of a whole buffer in one call.
    public static func digest(_ algorithm: DigestAlgorithm, of bytes: some ContiguousBytes) throws(CryptoError) -> Digest {
        var hasher = try Hasher(algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// The one owner of an OpenSSL `EVP_MD_CTX`, shared by ``Hasher`` (the store's algorithms),
/// ``NamedHasher`` (any BagIt algorithm by name) and ``RunningDigest`` (what a signature names).
struct EVPContext: ~Copyable {
    private let context: OpaquePointer

    /// - Parameter name: the algorithm, for the error when OpenSSL refuses it.
    init(method: OpaquePointer?, name: String) throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.fromQueue("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, method, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.fromQueue("EVP_DigestInit_ex(\(name))")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The digest's bytes; the context is consumed.
    consuming func finalize() -> ArraySlice<UInt8> {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return output.prefix(Int(length))
    }

    /// `length` bytes of an extendable-output function (SHAKE128, SHAKE256); the context is consumed.
    /// The corresponding C function is `EVP_DigestFinalXOF`.
    consuming func finalizeXOF(length: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        EVP_DigestFinalXOF(context, &output, length)
        return output
    }
}
