import CDossierCrypto
import DossierModel
import Foundation

/// The signature algorithms a vault seal may use.
public enum SealAlgorithm: String, Sendable, CaseIterable {
    /// Ed25519 (RFC 8032): 64-byte signatures over the whole message, no digest to choose;
    /// `openssl pkeyutl -verify -rawin` checks them with nothing else given.
    case ed25519
    /// SM2 with SM3 (GB/T 32918, GM/T 0009), for units that must use the Chinese algorithms:
    /// a DER `SM2Signature` over the message, hashed with the default signer ID
    /// `1234567812345678`.
    case sm2

    /// The name OpenSSL's key generation knows it by.
    var openSSLName: String {
        switch self {
        case .ed25519: "ED25519"
        case .sm2: "SM2"
        }
    }

    /// The stock OpenSSL command that checks a detached seal, as auditors type it.
    /// - Parameters:
    ///   - key: the published public key's file.
    ///   - file: the sealed file.
    ///   - signature: the seal.
    public func verifyCommand(key: String, file: String, signature: String) -> String {
        switch self {
        case .ed25519:
            "openssl pkeyutl -verify -pubin -inkey \(key) -rawin -in \(file) -sigfile \(signature)"
        case .sm2:
            "openssl pkeyutl -verify -pubin -inkey \(key) -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in \(file) -sigfile \(signature)"
        }
    }
}

/// A vault's seal: the private key that signs every export's tag manifest and the audit log's
/// head. Kept as its PKCS#8 DER (the `-----BEGIN PRIVATE KEY-----` that `openssl genpkey`
/// writes), and made into an OpenSSL key for each signature, so the value is `Sendable`.
///
/// ```swift
/// let key = try SealKey.generate(.ed25519)
/// let seal = try key.sign(Array("tag manifest".utf8))
/// key.publicKey.verifies(seal, of: Array("tag manifest".utf8))   // true
/// ```
public struct SealKey: Sendable {
    public let algorithm: SealAlgorithm
    /// PKCS#8 PrivateKeyInfo.
    let privateKeyDER: [UInt8]
    /// The key the unit publishes.
    public let publicKey: SealPublicKey

    /// A new key pair from OpenSSL's random generator.
    /// The corresponding C functions are `EVP_PKEY_CTX_new_from_name` and `EVP_PKEY_generate`.
    public static func generate(_ algorithm: SealAlgorithm) throws(CryptoError) -> SealKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm.openSSLName, nil) else {
            throw CryptoError.fromQueue("EVP_PKEY_CTX_new_from_name(\(algorithm.openSSLName))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &generated) == 1, let key = generated else {
            throw CryptoError.fromQueue("EVP_PKEY_generate(\(algorithm.openSSLName))")
        }
        defer { EVP_PKEY_free(key) }
        return try SealKey(key: key)
    }

    /// Reads a private key in PEM (`PRIVATE KEY`, PKCS#8 — what `dossier seal init` and
    /// `openssl genpkey -algorithm ed25519` write).
    /// - Throws: ``CryptoError`` naming what is wrong: not PEM, not a private key, or an
    ///   algorithm other than Ed25519 and SM2.
    public init(pem: [UInt8]) throws(CryptoError) {
        guard let blocks = PEM.blocks(in: pem) else {
            throw CryptoError(operation: "read seal key", detail: "not a PEM file (no -----BEGIN PRIVATE KEY----- line)")
        }
        let parsed: [PEM.Block]
        switch blocks {
        case .success(let found): parsed = found
        case .failure(let error): throw CryptoError(operation: "read seal key", detail: error.description)
        }
        guard let block = parsed.first(where: { $0.label == "PRIVATE KEY" }) else {
            throw CryptoError(operation: "read seal key", detail: "no PRIVATE KEY block (PKCS#8); found \(parsed.map(\.label).joined(separator: ", "))")
        }
        let key = try Self.parsePrivate(block.der)
        defer { EVP_PKEY_free(key) }
        try self.init(key: key)
    }

    /// Reads the key from a file only its owner may read (as ssh refuses such keys).
    /// - Throws: ``SealKeyError``: missing, readable by others, unreadable, or not a seal key.
    public static func load(fromFile path: String) throws(SealKeyError) -> SealKey {
        guard FileSystem.exists(path) else { throw .missing(path) }
        if let mode = FileSystem.permissions(of: path), mode & 0o077 != 0 {
            throw .exposed(path, mode: mode)
        }
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path, limit: 64 << 10) } catch { throw .unreadable(path, error.description) }
        do { return try SealKey(pem: bytes) } catch { throw .unreadable(path, error.detail) }
    }

    private init(key: OpaquePointer) throws(CryptoError) {
        algorithm = try Self.algorithm(of: key)
        guard let info = EVP_PKEY2PKCS8(key) else { throw CryptoError.fromQueue("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PKCS8_PRIV_KEY_INFO(info, &buffer)
        guard length > 0, let buffer else { throw CryptoError.fromQueue("i2d_PKCS8_PRIV_KEY_INFO") }
        privateKeyDER = Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
        CDossierCrypto_OPENSSL_free(buffer)
        publicKey = try SealPublicKey(key: key, algorithm: algorithm)
    }

    /// The private key as PEM (PKCS#8), for the key file.
    public var pem: String { PEM.encode(privateKeyDER, label: "PRIVATE KEY") }

    /// Signs `message`: Ed25519 over the bytes themselves; SM2 over SM3 of the signer ID's
    /// hash and the bytes (a DER signature, as `openssl pkeyutl -sign -rawin -digest sm3` writes).
    /// The corresponding C functions are `EVP_DigestSignInit` and `EVP_DigestSign`.
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        let key = try Self.parsePrivate(privateKeyDER)
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.fromQueue("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        let keyContext = try SM2.context(for: key, algorithm: algorithm, into: context)
        defer { if let keyContext { EVP_PKEY_CTX_free(keyContext) } }
        guard EVP_DigestSignInit(context, nil, algorithm == .sm2 ? EVP_sm3() : nil, nil, key) == 1 else {
            throw CryptoError.fromQueue("EVP_DigestSignInit(\(algorithm.rawValue))")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw CryptoError.fromQueue("EVP_DigestSign(\(algorithm.rawValue))")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw CryptoError.fromQueue("EVP_DigestSign(\(algorithm.rawValue))")
        }
        return Array(signature.prefix(length))
    }

    static func parsePrivate(_ der: [UInt8]) throws(CryptoError) -> OpaquePointer {
        var parsed: OpaquePointer?
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            parsed = d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw CryptoError.fromQueue("d2i_AutoPrivateKey") }
        return parsed
    }

    static func algorithm(of key: OpaquePointer) throws(CryptoError) -> SealAlgorithm {
        if EVP_PKEY_is_a(key, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(key, "SM2") == 1 { return .sm2 }
        let name = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
        throw CryptoError(operation: "read seal key", detail: "the key is \(name); a seal is Ed25519 or SM2")
    }
}

/// The public half of a vault's seal: what a unit publishes and an auditor checks seals with.
public struct SealPublicKey: Sendable, Equatable {
    public let algorithm: SealAlgorithm
    /// SubjectPublicKeyInfo.
    let der: [UInt8]

    /// Reads a public key in PEM (`PUBLIC KEY`, as `dossier seal show` and `openssl pkey
    /// -pubout` write), or the public half of a `PRIVATE KEY`.
    /// - Throws: ``CryptoError`` naming what is wrong.
    public init(pem: [UInt8]) throws(CryptoError) {
        guard let blocks = PEM.blocks(in: pem) else {
            throw CryptoError(operation: "read seal public key", detail: "not a PEM file (no -----BEGIN PUBLIC KEY----- line)")
        }
        let parsed: [PEM.Block]
        switch blocks {
        case .success(let found): parsed = found
        case .failure(let error): throw CryptoError(operation: "read seal public key", detail: error.description)
        }
        if let block = parsed.first(where: { $0.label == "PUBLIC KEY" }) {
            var key: OpaquePointer?
            block.der.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                key = d2i_PUBKEY(nil, &cursor, buffer.count)
            }
            guard let key else { throw CryptoError.fromQueue("d2i_PUBKEY") }
            defer { EVP_PKEY_free(key) }
            try self.init(key: key, algorithm: try SealKey.algorithm(of: key))
        } else if parsed.contains(where: { $0.label == "PRIVATE KEY" }) {
            self = try SealKey(pem: pem).publicKey
        } else {
            throw CryptoError(operation: "read seal public key", detail: "no PUBLIC KEY block; found \(parsed.map(\.label).joined(separator: ", "))")
        }
    }

    init(key: OpaquePointer, algorithm: SealAlgorithm) throws(CryptoError) {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &buffer)
        guard length > 0, let buffer else { throw CryptoError.fromQueue("i2d_PUBKEY") }
        der = Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
        CDossierCrypto_OPENSSL_free(buffer)
        self.algorithm = algorithm
    }

    /// The key as PEM (`-----BEGIN PUBLIC KEY-----`), to publish.
    public var pem: String { PEM.encode(der, label: "PUBLIC KEY") }

    /// `sha256:` and the lowercase hex SHA-256 of the key's DER (SubjectPublicKeyInfo), which
    /// `openssl pkey -pubin -in seal.pem -outform DER | sha256sum` prints too.
    public var fingerprint: String {
        "sha256:" + ((try? Hasher.digest(.sha256, of: der).hex) ?? "")
    }

    /// Whether `signature` is this key's seal of `message`.
    /// The corresponding C functions are `EVP_DigestVerifyInit` and `EVP_DigestVerify`.
    public func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        defer { CryptoError.clearQueue() }
        var parsed: OpaquePointer?
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            parsed = d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key = parsed else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let keyContext: OpaquePointer?
        do { keyContext = try SM2.context(for: key, algorithm: algorithm, into: context) } catch { return false }
        defer { if let keyContext { EVP_PKEY_CTX_free(keyContext) } }
        guard EVP_DigestVerifyInit(context, nil, algorithm == .sm2 ? EVP_sm3() : nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }
}

extension SM2 {
    /// For an SM2 key, a key context carrying the default signer ID, set on `digestContext`
    /// (the caller frees it after the signature); nil for other algorithms.
    /// The corresponding C function is `EVP_PKEY_CTX_set1_id`.
    static func context(for key: OpaquePointer, algorithm: SealAlgorithm, into digestContext: OpaquePointer) throws(CryptoError) -> OpaquePointer? {
        guard algorithm == .sm2 else { return nil }
        guard let keyContext = EVP_PKEY_CTX_new(key, nil) else { throw CryptoError.fromQueue("EVP_PKEY_CTX_new") }
        let status = defaultIdentifier.withUnsafeBytes { EVP_PKEY_CTX_set1_id(keyContext, $0.baseAddress, Int32($0.count)) }
        guard status > 0 else {
            EVP_PKEY_CTX_free(keyContext)
            throw CryptoError.fromQueue("EVP_PKEY_CTX_set1_id")
        }
        EVP_MD_CTX_set_pkey_ctx(digestContext, keyContext)
        return keyContext
    }
}

/// Why a vault's seal key could not be used.
///
/// The messages in Chinese, for the localisation layer:
/// - missing: `PATH：没有印章密钥（用 dossier seal init 创建，或以 --seal-key FILE 或 DOSSIER_SEAL_KEY 指定）`
/// - exposed: `PATH：印章密钥可被他人读写（权限 MODE）；仅限档案库所有者：chmod 600 PATH`
/// - unreadable: `PATH：不是印章密钥：PROBLEM`
public enum SealKeyError: Error, Sendable, CustomStringConvertible {
    case missing(String)
    case exposed(String, mode: mode_t)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no seal key (create one with `dossier seal init`, or give --seal-key FILE or DOSSIER_SEAL_KEY)"
        case .exposed(let path, let mode):
            "\(path): the seal key is readable or writable by others (mode \(String(mode, radix: 8))); keep it to the vault's owner: chmod 600 \(path)"
        case .unreadable(let path, let problem): "\(path): not a seal key: \(problem)"
        }
    }
}

extension PEM {
    /// PEM armour of `der` with 64-character base64 lines (RFC 7468 §2).
    static func encode(_ der: [UInt8], label: String) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }
}
