import DossierModel
import CDossierCrypto

/// One X.509 certificate, owning its OpenSSL `X509`: the signer certificates of CMS signatures and
/// seals, and the trust anchors their chains end at.
final class X509Certificate {
    let handle: OpaquePointer
    /// The certificate exactly as it was read.
    let der: [UInt8]

    /// Nil when the bytes are not exactly one DER certificate (``parse(der:)`` says why).
    convenience init?(der: [UInt8]) {
        guard case .success(let handle) = Self.parse(der: der) else { return nil }
        self.init(handle: handle, der: der)
    }

    private init(handle: OpaquePointer, der: [UInt8]) {
        self.handle = handle
        self.der = der
    }

    /// Wraps a certificate OpenSSL handed over (the wrapper frees it); nil when it cannot be encoded.
    convenience init?(taking handle: OpaquePointer) {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(handle, &buffer)
        defer { if let buffer { CDossierCrypto_OPENSSL_free(buffer) } }
        guard length > 0, let buffer else {
            X509_free(handle)
            CryptoError.clearQueue()
            return nil
        }
        self.init(handle: handle, der: Array(UnsafeBufferPointer(start: buffer, count: Int(length))))
    }

    deinit { X509_free(handle) }

    /// Parses DER; the whole input must be the certificate. The failure is OpenSSL's message, or
    /// the count of bytes after the certificate. The corresponding C function is `d2i_X509`.
    static func parse(der: [UInt8]) -> Result<OpaquePointer, CryptoError> {
        var parsed: OpaquePointer?
        let consumed: Int = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            parsed = d2i_X509(nil, &cursor, buffer.count)
            guard let cursor, let base = buffer.baseAddress else { return 0 }
            return cursor - base
        }
        guard let parsed else { return .failure(CryptoError.fromQueue("d2i_X509")) }
        guard consumed == der.count else {
            X509_free(parsed)
            return .failure(CryptoError(operation: "d2i_X509", detail: "\(der.count - consumed) bytes after the certificate"))
        }
        return .success(parsed)
    }

    /// The lowercase hex SHA-256 of the certificate's DER: the fingerprint a verdict records.
    var fingerprint: String {
        (try? Hasher.digest(.sha256, of: der).hex) ?? ""
    }

    /// The subject's common name, or its whole RFC 2253 name when it has none.
    var displayName: String {
        guard let name = X509_get_subject_name(handle) else { return "" }
        return Self.commonName(name) ?? Self.rfc2253(name)
    }

    /// The whole subject in RFC 2253 form (UTF-8 kept, not escaped).
    var subject: String {
        guard let name = X509_get_subject_name(handle) else { return "" }
        return Self.rfc2253(name)
    }

    private static func commonName(_ name: OpaquePointer) -> String? {
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let count = ASN1_STRING_to_UTF8(&utf8, data)
        guard count >= 0, let utf8 else {
            CryptoError.clearQueue()
            return nil
        }
        defer { CDossierCrypto_OPENSSL_free(utf8) }
        let text = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(count)), as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    private static func rfc2253(_ name: OpaquePointer) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        let flags = CDossierCrypto_XN_FLAG_RFC2253 & ~UInt(ASN1_STRFLGS_ESC_MSB)
        guard X509_NAME_print_ex(bio, name, 0, flags) >= 0 else {
            CryptoError.clearQueue()
            return ""
        }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while text.count < 64 * 1024 {
            let count = BIO_read(bio, &chunk, Int32(chunk.count))
            guard count > 0 else { break }
            text += chunk.prefix(Int(count))
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: - SM2

    /// Whether the certificate is signed with SM2 (its issuer's signature needs an SM2 signer ID).
    var isSignedWithSM2: Bool { X509_get_signature_nid(handle) == NID_SM2_with_SM3 }

    /// Sets the SM2 signer ID the issuer's signature on this certificate is checked with; nil is
    /// OpenSSL 3.0's own choice, the empty ID. Nothing for certificates not signed with SM2.
    /// The corresponding C function is `X509_set0_distinguishing_id`.
    func useSM2Identifier(_ identifier: [UInt8]?) {
        guard isSignedWithSM2 else { return }
        guard let identifier, let octets = ASN1_OCTET_STRING_new() else {
            X509_set0_distinguishing_id(handle, nil)
            return
        }
        guard ASN1_OCTET_STRING_set(octets, identifier, Int32(identifier.count)) == 1 else {
            ASN1_OCTET_STRING_free(octets)
            CryptoError.clearQueue()
            return
        }
        X509_set0_distinguishing_id(handle, octets)
    }

    // MARK: - Keys

    /// What kind of key the certificate carries, for choosing how to verify and naming the algorithm.
    var keyKind: PublicKeyKind {
        guard let key = X509_get0_pubkey(handle) else {
            CryptoError.clearQueue()
            return .other("unreadable")
        }
        if EVP_PKEY_is_a(key, "SM2") == 1 { return .sm2 }
        if EVP_PKEY_is_a(key, "RSA") == 1 { return .rsa }
        if EVP_PKEY_is_a(key, "RSA-PSS") == 1 { return .rsaPSS }
        if EVP_PKEY_is_a(key, "EC") == 1 {
            var group = [CChar](repeating: 0, count: 64)
            var length = 0
            if EVP_PKEY_get_group_name(key, &group, group.count, &length) == 1,
               String(decoding: group.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == "SM2" {
                return .sm2
            }
            return .ecdsa
        }
        if EVP_PKEY_is_a(key, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(key, "ED448") == 1 { return .ed448 }
        if EVP_PKEY_is_a(key, "DSA") == 1 { return .dsa }
        let type = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
        return .other(type)
    }

    /// Whether `signature` over `message` verifies with this certificate's public key.
    ///
    /// SM2 keys hash the signer ID into the message (GM/T 0009): each of `sm2Identifiers` is tried
    /// in turn (``SM2/defaultIdentifier`` is what Chinese CAs and seal software use; OpenSSL 3.0's
    /// own CMS code assumes the empty ID and so rejects them), and a bare 64-byte r‖s is accepted.
    /// A nil `digest` verifies a scheme without a separate digest (Ed25519, Ed448).
    /// The corresponding C functions are `EVP_PKEY_CTX_set1_id`, `EVP_DigestVerifyInit` and
    /// `EVP_DigestVerify` (https://www.openssl.org/docs/man3.0/man7/SM2.html).
    func verifies(signature: [UInt8], over message: [UInt8], digest: SignatureDigestAlgorithm?,
                  sm2Identifiers: [[UInt8]] = [SM2.defaultIdentifier]) -> Bool {
        guard let key = X509_get0_pubkey(handle) else {
            CryptoError.clearQueue()
            return false
        }
        guard keyKind == .sm2 else { return Self.verify(signature, message, digest: digest, key: key, sm2Identifier: nil) }
        let value = DERWriter.signatureSequence(fromRaw: signature)
        return sm2Identifiers.contains { Self.verify(value, message, digest: digest, key: key, sm2Identifier: $0) }
    }

    private static func verify(_ signature: [UInt8], _ message: [UInt8], digest: SignatureDigestAlgorithm?, key: OpaquePointer,
                               sm2Identifier: [UInt8]?) -> Bool {
        defer { CryptoError.clearQueue() }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        defer { if let keyContext { EVP_PKEY_CTX_free(keyContext) } }
        if let sm2Identifier {
            guard let created = EVP_PKEY_CTX_new(key, nil) else { return false }
            keyContext = created
            let status = sm2Identifier.withUnsafeBytes { EVP_PKEY_CTX_set1_id(created, $0.baseAddress, Int32($0.count)) }
            guard status > 0 else { return false }
            EVP_MD_CTX_set_pkey_ctx(context, created)
        }
        guard EVP_DigestVerifyInit(context, nil, digest?.method, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    /// Whether `signature` is this certificate's key's signature of an already computed digest
    /// (RSA PKCS#1 v1.5 and ECDSA: CMS without signed attributes over detached content).
    /// The corresponding C function is `EVP_PKEY_verify`.
    func verifies(signature: [UInt8], ofDigest digest: [UInt8], algorithm: SignatureDigestAlgorithm) -> Result<Bool, CryptoError> {
        guard let key = X509_get0_pubkey(handle), let context = EVP_PKEY_CTX_new(key, nil) else {
            return .failure(CryptoError.fromQueue("EVP_PKEY_CTX_new"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_init(context) == 1, EVP_PKEY_CTX_set_signature_md(context, algorithm.method) == 1 else {
            return .failure(CryptoError.fromQueue("EVP_PKEY_verify_init(\(algorithm.name))"))
        }
        let result = EVP_PKEY_verify(context, signature, signature.count, digest, digest.count)
        CryptoError.clearQueue()
        return .success(result == 1)
    }
}

/// The public-key families the verifier tells apart.
enum PublicKeyKind: Equatable {
    case rsa, rsaPSS, ecdsa, sm2, ed25519, ed448, dsa
    case other(String)
}

/// GM/T 0009 constants.
enum SM2 {
    /// The default signer ID ("1234567812345678") that GM/T 0009 prescribes and Chinese CAs use.
    static let defaultIdentifier = Array("1234567812345678".utf8)
}
