import CDossierCrypto

/// The primitives age is built from, on OpenSSL 3's EVP API: X25519 (`EVP_PKEY_X25519` raw keys,
/// `EVP_PKEY_derive`), HKDF-SHA-256 (`EVP_KDF` "HKDF"), HMAC-SHA-256 (`EVP_Q_mac`), randomness
/// (`RAND_bytes`). ChaCha20-Poly1305 is ``ChaChaPoly``.
///
/// Related OpenSSL documentation: https://www.openssl.org/docs/man3.0/man7/EVP_PKEY-X25519.html,
/// https://www.openssl.org/docs/man3.0/man7/EVP_KDF-HKDF.html
enum AgeCrypto {
    static let keySize = 32

    /// Bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) throws(AgeError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .crypto(.fromQueue("RAND_bytes")) }
        return bytes
    }

    /// X25519(secret, basepoint).
    static func x25519PublicKey(secret: [UInt8]) throws(AgeError) -> [UInt8] {
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, secret, secret.count) else {
            throw .crypto(.fromQueue("EVP_PKEY_new_raw_private_key(X25519)"))
        }
        defer { EVP_PKEY_free(key) }
        var publicKey = [UInt8](repeating: 0, count: keySize)
        var length = keySize
        guard EVP_PKEY_get_raw_public_key(key, &publicKey, &length) == 1, length == keySize else {
            throw .crypto(.fromQueue("EVP_PKEY_get_raw_public_key(X25519)"))
        }
        return publicKey
    }

    /// X25519(secret, peer), or `nil` when the result is all zeros (a low-order `peer`, which
    /// the spec says to refuse). OpenSSL itself refuses to return the all-zero secret, and that
    /// is the only way its derive fails once both keys are built.
    static func x25519SharedSecret(secret: [UInt8], peer: [UInt8]) throws(AgeError) -> [UInt8]? {
        guard let ours = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, secret, secret.count) else {
            throw .crypto(.fromQueue("EVP_PKEY_new_raw_private_key(X25519)"))
        }
        defer { EVP_PKEY_free(ours) }
        guard let theirs = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peer, peer.count) else {
            throw .crypto(.fromQueue("EVP_PKEY_new_raw_public_key(X25519)"))
        }
        defer { EVP_PKEY_free(theirs) }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, ours, nil) else {
            throw .crypto(.fromQueue("EVP_PKEY_CTX_new_from_pkey(X25519)"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer_ex(context, theirs, 0) == 1 else {
            throw .crypto(.fromQueue("EVP_PKEY_derive_init(X25519)"))
        }
        var shared = [UInt8](repeating: 0, count: keySize)
        var length = keySize
        guard EVP_PKEY_derive(context, &shared, &length) == 1, length == keySize else {
            ERR_clear_error()
            return nil
        }
        // Belt and braces: never hand out the all-zero secret whatever OpenSSL does.
        if shared.allSatisfy({ $0 == 0 }) { return nil }
        return shared
    }

    // OpenSSL 3 looks algorithms up by name under a lock on every implicit fetch: fetched once
    // instead, never freed (they live as long as the process). `nonisolated(unsafe)`: set once,
    // then only read; OpenSSL documents fetched algorithm objects as safe to share.
    nonisolated(unsafe) private static let hkdf = EVP_KDF_fetch(nil, "HKDF", nil)

    /// HKDF-SHA-256(ikm, salt, info) with a 32-byte output, as age uses everywhere.
    static func hkdfSHA256(key: [UInt8], salt: [UInt8], info: StaticString) throws(AgeError) -> [UInt8] {
        guard let hkdf, let context = EVP_KDF_CTX_new(hkdf) else { throw .crypto(.fromQueue("EVP_KDF_CTX_new(HKDF)")) }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: keySize)
        let derived = key.withUnsafeBytes { keyBytes in
            salt.withUnsafeBytes { saltBytes in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(cName("digest"), UnsafeMutablePointer(mutating: cName("SHA256")), 0),
                    OSSL_PARAM_construct_octet_string(cName("key"), UnsafeMutableRawPointer(mutating: keyBytes.baseAddress), keyBytes.count),
                    OSSL_PARAM_construct_octet_string(
                        cName("info"), UnsafeMutableRawPointer(mutating: UnsafeRawPointer(info.utf8Start)), info.utf8CodeUnitCount),
                ]
                // An empty salt is HKDF's default (HashLen zero bytes, the same HMAC key); OpenSSL
                // 3.0 does not take a zero-length salt parameter, so it is left out.
                if saltBytes.count > 0 {
                    parameters.append(
                        OSSL_PARAM_construct_octet_string(cName("salt"), UnsafeMutableRawPointer(mutating: saltBytes.baseAddress), saltBytes.count))
                }
                parameters.append(OSSL_PARAM_construct_end())
                return EVP_KDF_derive(context, &output, output.count, parameters) == 1
            }
        }
        guard derived else { throw .crypto(.fromQueue("EVP_KDF_derive(HKDF-SHA256)")) }
        return output
    }

    /// HMAC-SHA-256(key, message).
    static func hmacSHA256(key: [UInt8], message: UnsafeRawBufferPointer) throws(AgeError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length = 0
        let computed = key.withUnsafeBytes { keyBytes in
            EVP_Q_mac(
                nil, "HMAC", nil, "SHA256", nil, keyBytes.baseAddress, keyBytes.count,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &output, output.count, &length) != nil
        }
        guard computed, length == 32 else { throw .crypto(.fromQueue("EVP_Q_mac(HMAC-SHA256)")) }
        return output
    }

    /// HMAC-SHA-256(key, message) of bytes in an array.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) throws(AgeError) -> [UInt8] {
        let outcome: Result<[UInt8], AgeError> = message.withUnsafeBytes { bytes in
            Result { () throws(AgeError) in try hmacSHA256(key: key, message: bytes) }
        }
        return try outcome.get()
    }

    /// Constant-time equality of two byte strings of the same length.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        return CRYPTO_memcmp(left, right, left.count) == 0
    }

    /// Overwrites secret bytes before they are released (best effort: copies Swift made of
    /// the array earlier are out of reach).
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
        }
    }

    /// A parameter name with static storage: an `OSSL_PARAM` keeps the pointer, so a
    /// temporary bridged from a Swift `String` would dangle.
    private static func cName(_ name: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

/// One ChaCha20-Poly1305 key (RFC 8439) in one direction, owning its `EVP_CIPHER_CTX`: the key
/// is set once and each chunk only changes the 12-byte nonce.
///
/// The corresponding C functions are `EVP_CipherInit_ex`, `EVP_CipherUpdate`,
/// `EVP_CipherFinal_ex` and `EVP_CIPHER_CTX_ctrl` (https://www.openssl.org/docs/man3.0/man3/EVP_EncryptInit.html).
struct ChaChaPoly: ~Copyable {
    static let tagSize = 16
    static let nonceSize = 12

    private let context: OpaquePointer
    private let sealing: Bool

    nonisolated(unsafe) private static let cipher = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil)

    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - sealing: `true` to encrypt, `false` to decrypt.
    init(key: [UInt8], sealing: Bool) throws(AgeError) {
        guard let cipher = ChaChaPoly.cipher, let context = EVP_CIPHER_CTX_new() else {
            throw .crypto(.fromQueue("EVP_CIPHER_CTX_new(ChaCha20-Poly1305)"))
        }
        guard EVP_CipherInit_ex(context, cipher, nil, key, nil, sealing ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw .crypto(.fromQueue("EVP_CipherInit_ex(ChaCha20-Poly1305)"))
        }
        self.context = context
        self.sealing = sealing
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Encrypts `plaintext` into `output`: the ciphertext, then the 16-byte tag
    /// (`output` holds `plaintext.count + 16` bytes; it may not overlap `plaintext` partially).
    func seal(nonce: UnsafeRawBufferPointer, _ plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) throws(AgeError) {
        try start(nonce)
        var length: Int32 = 0
        let out = output.assumingMemoryBound(to: UInt8.self)
        if let input = plaintext.baseAddress, plaintext.count > 0 {
            guard EVP_CipherUpdate(context, out, &length, input.assumingMemoryBound(to: UInt8.self), Int32(plaintext.count)) == 1,
                Int(length) == plaintext.count
            else { throw .crypto(.fromQueue("EVP_CipherUpdate(ChaCha20-Poly1305)")) }
        }
        var final: Int32 = 0
        guard EVP_CipherFinal_ex(context, out + plaintext.count, &final) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(ChaChaPoly.tagSize), output + plaintext.count) == 1
        else { throw .crypto(.fromQueue("EVP_CipherFinal_ex(ChaCha20-Poly1305)")) }
    }

    /// Decrypts `sealed` (ciphertext then tag) into `output` (`sealed.count - 16` bytes).
    /// - Returns: whether the tag verified; when it did not, `output` holds garbage that must
    ///   not be released.
    func open(nonce: UnsafeRawBufferPointer, _ sealed: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) throws(AgeError) -> Bool {
        guard sealed.count >= ChaChaPoly.tagSize, let input = sealed.baseAddress else { return false }
        try start(nonce)
        let count = sealed.count - ChaChaPoly.tagSize
        var length: Int32 = 0
        let out = output.assumingMemoryBound(to: UInt8.self)
        if count > 0 {
            guard EVP_CipherUpdate(context, out, &length, input.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1,
                Int(length) == count
            else { throw .crypto(.fromQueue("EVP_CipherUpdate(ChaCha20-Poly1305)")) }
        }
        // The ctrl only reads the tag; its parameter is `void *` all the same.
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(ChaChaPoly.tagSize), UnsafeMutableRawPointer(mutating: input + count)) == 1
        else { throw .crypto(.fromQueue("EVP_CIPHER_CTX_ctrl(AEAD_SET_TAG)")) }
        var final: Int32 = 0
        guard EVP_CipherFinal_ex(context, out + count, &final) == 1 else {
            ERR_clear_error()
            return false
        }
        return true
    }

    /// Restarts the context on a new nonce, keeping the key (this also resets Poly1305).
    private func start(_ nonce: UnsafeRawBufferPointer) throws(AgeError) {
        guard nonce.count == ChaChaPoly.nonceSize,
            EVP_CipherInit_ex(context, nil, nil, nil, nonce.baseAddress?.assumingMemoryBound(to: UInt8.self), sealing ? 1 : 0) == 1
        else { throw .crypto(.fromQueue("EVP_CipherInit_ex(nonce)")) }
    }
}

extension ChaChaPoly {
    /// Seals a short message under the all-zero nonce, as stanza bodies are.
    static func sealOnce(key: [UInt8], _ plaintext: [UInt8]) throws(AgeError) -> [UInt8] {
        let cipher = try ChaChaPoly(key: key, sealing: true)
        var output = [UInt8](repeating: 0, count: plaintext.count + tagSize)
        let zeros = [UInt8](repeating: 0, count: nonceSize)
        let outcome: Result<Void, AgeError> = output.withUnsafeMutableBytes { out in
            zeros.withUnsafeBytes { nonce in
                plaintext.withUnsafeBytes { input in
                    Result { () throws(AgeError) in
                        guard let base = out.baseAddress else { throw .crypto(CryptoError(operation: "seal", detail: "no output buffer")) }
                        try cipher.seal(nonce: nonce, input, into: base)
                    }
                }
            }
        }
        try outcome.get()
        return output
    }

    /// Opens a short message sealed under the all-zero nonce; `nil` when the tag does not verify.
    static func openOnce(key: [UInt8], _ sealed: [UInt8]) throws(AgeError) -> [UInt8]? {
        guard sealed.count >= tagSize else { return nil }
        let cipher = try ChaChaPoly(key: key, sealing: false)
        var output = [UInt8](repeating: 0, count: sealed.count - tagSize + 1)
        let zeros = [UInt8](repeating: 0, count: nonceSize)
        let outcome: Result<Bool, AgeError> = output.withUnsafeMutableBytes { out in
            zeros.withUnsafeBytes { nonce in
                sealed.withUnsafeBytes { input in
                    Result { () throws(AgeError) in
                        guard let base = out.baseAddress else { return false }
                        return try cipher.open(nonce: nonce, input, into: base)
                    }
                }
            }
        }
        guard try outcome.get() else {
            AgeCrypto.wipe(&output)
            return nil
        }
        output.removeLast()
        return output
    }
}
