/// The X25519 recipient type of age v1: wrapping a file key in a stanza, and unwrapping it.
enum AgeX25519 {
    static let stanzaType = "X25519"
    static let label: StaticString = "age-encryption.org/v1/X25519"
    static let fileKeySize = 16

    /// A new stanza wrapping `fileKey` for `recipient`, with a fresh ephemeral key.
    static func wrap(_ fileKey: [UInt8], for recipient: AgeRecipient) throws(AgeError) -> AgeStanza {
        var ephemeral = try AgeCrypto.randomBytes(AgeCrypto.keySize)
        defer { AgeCrypto.wipe(&ephemeral) }
        let share = try AgeCrypto.x25519PublicKey(secret: ephemeral)
        guard var shared = try AgeCrypto.x25519SharedSecret(secret: ephemeral, peer: recipient.publicKey) else {
            throw .weakRecipient(recipient.encoded)
        }
        defer { AgeCrypto.wipe(&shared) }
        var wrapKey = try AgeCrypto.hkdfSHA256(key: shared, salt: share + recipient.publicKey, info: label)
        defer { AgeCrypto.wipe(&wrapKey) }
        let body = try ChaChaPoly.sealOnce(key: wrapKey, fileKey)
        return AgeStanza(type: stanzaType, arguments: [String(decoding: AgeBase64.encode(share), as: UTF8.self)], body: body)
    }

    /// The file key in `stanza` if it is an X25519 stanza addressed to `identity`.
    /// - Returns: `nil` for other stanza types and for X25519 stanzas of other recipients.
    /// - Throws: ``AgeError/invalidStanza(line:type:reason:)`` for an X25519 stanza that breaks
    ///   the spec (argument count, share encoding or size, body size, low-order share).
    static func unwrap(_ stanza: AgeStanza, with identity: AgeIdentity) throws(AgeError) -> [UInt8]? {
        guard stanza.type == stanzaType else { return nil }
        func invalid(_ reason: String) -> AgeError { .invalidStanza(line: stanza.line, type: stanzaType, reason: reason) }
        guard stanza.arguments.count == 1 else {
            throw invalid("expected 1 argument after the type (the ephemeral share), got \(stanza.arguments.count)")
        }
        let share: [UInt8]
        switch AgeBase64.decode(Array(stanza.arguments[0].utf8)) {
        case .success(let bytes) where bytes.count == AgeCrypto.keySize:
            share = bytes
        case .success(let bytes):
            throw invalid("expected a 32-byte ephemeral share, got \(bytes.count) bytes")
        case .failure:
            throw invalid("expected the ephemeral share in canonical unpadded base64, got \(AgeError.quote(Array(stanza.arguments[0].utf8)))")
        }
        // Checked before any decryption, as the spec asks, against partitioning oracles.
        guard stanza.body.count == fileKeySize + ChaChaPoly.tagSize else {
            throw invalid("expected a 32-byte body (a sealed 16-byte file key), got \(stanza.body.count) bytes")
        }
        guard var shared = try AgeCrypto.x25519SharedSecret(secret: identity.secretKey, peer: share) else {
            throw invalid("expected an ephemeral share that is a valid X25519 point, got a low-order point (all-zero shared secret)")
        }
        defer { AgeCrypto.wipe(&shared) }
        var wrapKey = try AgeCrypto.hkdfSHA256(key: shared, salt: share + identity.recipient.publicKey, info: label)
        defer { AgeCrypto.wipe(&wrapKey) }
        return try ChaChaPoly.openOnce(key: wrapKey, stanza.body)
    }
}
