/// An age X25519 recipient: the public key a file is encrypted to, written `age1…`.
///
/// ```swift
/// let recipient = try AgeRecipient("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
/// recipient.encoded   // the same string
/// ```
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    /// The 32-byte X25519 public key.
    let publicKey: [UInt8]

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    /// Parses a recipient strictly: lowercase Bech32, human-readable part "age", a valid
    /// checksum and exactly 32 bytes of key.
    /// - Throws: ``AgeError/invalidRecipient(reason:)`` naming what was wrong.
    public init(_ text: String) throws(AgeError) {
        switch AgeBech32.decode(text, hrp: "age", uppercase: false) {
        case .failure(let reason):
            throw .invalidRecipient(reason: reason.description)
        case .success(let key):
            guard key.count == AgeCrypto.keySize else {
                throw .invalidRecipient(reason: "got \(key.count) bytes of key")
            }
            publicKey = key
        }
    }

    /// The `age1…` text of this recipient.
    public var encoded: String { AgeBech32.encode(hrp: "age", publicKey) }

    /// The `age1…` text, as ``encoded``.
    public var description: String { encoded }
}

/// An age X25519 identity: the secret key that opens files encrypted to its ``recipient``,
/// written `AGE-SECRET-KEY-1…`.
///
/// Its `description` shows only the recipient, so that logging an identity never leaks it.
///
/// ```swift
/// let identities = try AgeIdentity.parseFile(String(decoding: keyFileBytes, as: UTF8.self))
/// ```
public struct AgeIdentity: Sendable, CustomStringConvertible {
    /// The 32-byte X25519 scalar.
    let secretKey: [UInt8]
    /// The public key derived from it.
    public let recipient: AgeRecipient

    init(secretKey: [UInt8]) throws(AgeError) {
        self.secretKey = secretKey
        recipient = AgeRecipient(publicKey: try AgeCrypto.x25519PublicKey(secret: secretKey))
    }

    /// Parses one secret key strictly: uppercase Bech32, human-readable part "AGE-SECRET-KEY-",
    /// a valid checksum and exactly 32 bytes.
    /// - Throws: ``AgeError/invalidIdentity(reason:)`` naming what was wrong (never the key).
    public init(_ text: String) throws(AgeError) {
        switch AgeBech32.decode(text, hrp: "AGE-SECRET-KEY-", uppercase: true) {
        case .failure(let reason):
            throw .invalidIdentity(reason: reason.description)
        case .success(let key):
            guard key.count == AgeCrypto.keySize else {
                throw .invalidIdentity(reason: "got \(key.count) bytes of key")
            }
            try self.init(secretKey: key)
        }
    }

    /// A new random identity (for tests and tools; people make theirs with `age-keygen`).
    /// - Throws: ``AgeError/crypto(_:)`` when OpenSSL's random generator fails.
    public static func generate() throws(AgeError) -> AgeIdentity {
        try AgeIdentity(secretKey: AgeCrypto.randomBytes(AgeCrypto.keySize))
    }

    /// The `AGE-SECRET-KEY-1…` text of this identity.
    /// - warning: This is the secret; write it only where the key belongs.
    public var encoded: String { AgeBech32.encode(hrp: "AGE-SECRET-KEY-", secretKey) }

    /// An identity file's text as `age-keygen` writes it: creation time and public key as
    /// comments, then the key.
    /// - warning: This is the secret.
    public func fileText(created: String) -> String {
        "# created: \(created)\n# public key: \(recipient.encoded)\n\(encoded)\n"
    }

    /// `AgeIdentity(age1…)`: the public half only.
    public var description: String { "AgeIdentity(\(recipient.encoded))" }

    /// The largest identity file read (as age does): 16 MiB.
    public static let fileSizeLimit = 1 << 24

    /// Parses an identity file as `age-keygen` writes them and `age -i` reads them: one key a
    /// line, lines starting with "#" and empty lines ignored, LF or CRLF line ends.
    /// - Returns: the identities in file order (at least one).
    /// - Throws: ``AgeError/invalidIdentityFile(line:reason:)`` for the first bad line (without
    ///   quoting it), ``AgeError/noIdentityInFile`` when there is no key.
    public static func parseFile(_ text: String) throws(AgeError) -> [AgeIdentity] {
        guard text.utf8.count <= fileSizeLimit else {
            throw .invalidIdentityFile(line: 1, reason: "the file is larger than \(fileSizeLimit) bytes")
        }
        var identities: [AgeIdentity] = []
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                identities.append(try AgeIdentity(String(line)))
            } catch {
                if case .invalidIdentity(let reason) = error {
                    throw .invalidIdentityFile(line: lineNumber, reason: reason)
                }
                throw error
            }
        }
        guard !identities.isEmpty else { throw .noIdentityInFile }
        return identities
    }
}
