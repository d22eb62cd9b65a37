import DossierModel
import CDossierCrypto

/// A digest algorithm a signature names: by object identifier (CMS, RFC 3161 tokens, seals) or,
/// for an OFD's `CheckMethod`, by name (`SM3`, `sha256`, `SHA-1`). Fetched from OpenSSL's
/// default provider; owns the `EVP_MD`.
///
/// The corresponding C functions are `OBJ_txt2nid` and `EVP_MD_fetch`
/// (https://www.openssl.org/docs/man3.0/man3/EVP_MD_fetch.html).
final class SignatureDigestAlgorithm {
    let method: OpaquePointer
    /// OpenSSL's short name ("SHA256", "SM3"), which messages and algorithm names use.
    let name: String

    /// Nil when OpenSSL does not know the identifier (an OID, or an OpenSSL object name) or offers
    /// no implementation of it.
    init?(oid: String) {
        let nid = OBJ_txt2nid(oid)
        guard nid != NID_undef, let shortName = OBJ_nid2sn(nid),
              let method = EVP_MD_fetch(nil, shortName, nil) else {
            CryptoError.clearQueue()
            return nil
        }
        self.method = method
        name = String(cString: shortName)
    }

    /// By object identifier or by the names OFD producers write (`SM3`, `sha256`, `SHA-1` …).
    convenience init?(identifier: String) {
        let folded = String(identifier.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" && $0 != "_" }).lowercased()
        let aliases = [
            "sm3": "SM3", "1.2.156.10197.1.401.1": "SM3", "sha1": "SHA1", "sha224": "SHA224", "sha256": "SHA256",
            "sha384": "SHA384", "sha512": "SHA512",
        ]
        self.init(oid: aliases[folded] ?? folded)
    }

    deinit { EVP_MD_free(method) }

    /// Digests too weak to accept as evidence (collisions are practical).
    var isWeak: Bool { ["MD2", "MD4", "MD5", "SHA1"].contains(name) }

    /// Output length for the extendable-output functions CMS uses (RFC 8419, RFC 8702): SHAKE256 gives
    /// 512 bits, SHAKE128 256 bits; nil for fixed-length digests.
    var extendableOutputLength: Int? {
        switch name {
        case "SHAKE256": 64
        case "SHAKE128": 32
        default: nil
        }
    }

    /// A fresh running digest.
    /// - Throws: ``CryptoError`` when OpenSSL cannot start it.
    func start() throws(CryptoError) -> RunningDigest {
        try RunningDigest(self)
    }

    /// The digest of an in-memory buffer.
    /// - Throws: ``CryptoError`` when OpenSSL cannot start it.
    func digest(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        let running = try start()
        bytes.withUnsafeBytes { running.update($0) }
        return running.finish()
    }
}

/// One running digest of a ``SignatureDigestAlgorithm``. A class, unlike ``Hasher``, so that a
/// checker can keep one per signed member in a dictionary while a package streams past; the
/// `EVP_MD_CTX` itself is still owned by one ``EVPContext``.
final class RunningDigest {
    let algorithm: SignatureDigestAlgorithm
    private var context: EVPContext?

    init(_ algorithm: SignatureDigestAlgorithm) throws(CryptoError) {
        context = try EVPContext(method: algorithm.method, name: algorithm.name)
        self.algorithm = algorithm
    }

    /// Adds bytes; nothing after ``finish()``.
    func update(_ bytes: UnsafeRawBufferPointer) {
        context?.update(bytes)
    }

    /// The digest; empty when called a second time.
    func finish() -> [UInt8] {
        guard let context = context.take() else { return [] }
        if let length = algorithm.extendableOutputLength { return context.finalizeXOF(length: length) }
        return Array(context.finalize())
    }
}
