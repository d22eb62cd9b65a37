/// Everything that can go wrong with age keys, identity files and age files, each case with a
/// one-line description naming what was wrong and what was expected.
///
/// Errors thrown by the caller's `read`/`write` closures pass through unchanged.
public enum AgeError: Error, Sendable, CustomStringConvertible {
    // MARK: Keys

    /// A recipient string is not a lowercase `age1…` Bech32 encoding of a 32-byte X25519 key.
    case invalidRecipient(reason: String)
    /// A secret key string is not an uppercase `AGE-SECRET-KEY-1…` Bech32 encoding of 32 bytes.
    case invalidIdentity(reason: String)
    /// A line of an identity file is neither a comment, a blank line nor a secret key.
    /// The line itself is never quoted: it may hold a secret.
    case invalidIdentityFile(line: Int, reason: String)
    /// An identity file holds no secret key at all.
    case noIdentityInFile
    /// Encryption was asked for with no recipient.
    case noRecipients
    /// Decryption was asked for with no identity.
    case noIdentities
    /// A recipient's key is a low-order point: X25519 with it gives the all-zero secret.
    case weakRecipient(String)

    // MARK: Header

    /// The input does not start with an age version line.
    case notAnAgeFile(got: String)
    /// The input is an ASCII-armored (PEM) age file, which this implementation does not read.
    case armoredFile
    /// The version line names a version other than v1.
    case unsupportedVersion(String)
    /// A header line breaks the v1 grammar; `line` counts from 1 (the version line).
    case malformedHeader(line: Int, expected: String, got: String)
    /// The input ends inside the header.
    case headerTruncated(line: Int)
    /// No MAC line within the first `limit` bytes.
    case headerTooLarge(limit: Int)
    /// A stanza of a type this implementation reads has bad arguments or body; `line` is its
    /// argument line.
    case invalidStanza(line: Int, type: String, reason: String)
    /// None of the identities unwraps any stanza.
    case noIdentityMatched(identities: Int, stanzaTypes: [String])
    /// The file key was unwrapped but the header MAC does not match: the header was altered.
    case headerMACMismatch

    // MARK: Payload

    /// The input ends before the payload's 16-byte nonce is complete.
    case nonceTruncated(got: Int)
    /// A chunk's Poly1305 tag does not verify; `chunk` is the STREAM counter (from 0) and
    /// `offset` where the chunk starts in the file.
    case chunkAuthenticationFailed(chunk: Int, offset: Int64)
    /// The input ends after `chunks` chunks, none of them marked final.
    case missingFinalChunk(chunks: Int)
    /// Bytes follow the chunk marked final.
    case trailingData(afterChunk: Int)
    /// The final chunk is empty although it is not the only chunk (age writers never do that).
    case emptyFinalChunk(chunk: Int)

    // MARK: Other

    /// OpenSSL failed where it should not (allocation, provider missing).
    case crypto(CryptoError)
    /// The source gave a different plaintext size on the second pass of a two-pass decryption.
    case sourceChanged(first: Int64, second: Int64)
    /// The caller's `read` closure returned a count outside `0...capacity`.
    case invalidRead(returned: Int, capacity: Int)

    /// One line: what was wrong and what was expected.
    public var description: String {
        switch self {
        case .invalidRecipient(let reason):
            "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): \(reason)"
        case .invalidIdentity(let reason):
            "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): \(reason)"
        case .invalidIdentityFile(let line, let reason):
            "age identity file: line \(line): expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": \(reason)"
        case .noIdentityInFile:
            "age identity file: expected at least one \"AGE-SECRET-KEY-1…\" line, found none"
        case .noRecipients:
            "age encryption: expected at least one recipient, got none"
        case .noIdentities:
            "age decryption: expected at least one identity, got none"
        case .weakRecipient(let recipient):
            "age recipient \(recipient): expected an X25519 public key, got a low-order point (all-zero shared secret)"
        case .notAnAgeFile(let got):
            "age header: line 1: expected \"age-encryption.org/v1\", got \(got) (not an age file)"
        case .armoredFile:
            "age header: line 1: expected binary \"age-encryption.org/v1\", got an ASCII-armored file (\"-----BEGIN AGE ENCRYPTED FILE-----\"), which is not supported"
        case .unsupportedVersion(let version):
            "age header: line 1: expected version \"v1\", got \(version)"
        case .malformedHeader(let line, let expected, let got):
            "age header: line \(line): expected \(expected), got \(got)"
        case .headerTruncated(let line):
            "age header: line \(line): expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file"
        case .headerTooLarge(let limit):
            "age header: expected the MAC line (\"--- …\") within the first \(limit) bytes, got none"
        case .invalidStanza(let line, let type, let reason):
            "age header: line \(line): \(type) stanza: \(reason)"
        case .noIdentityMatched(let identities, let types):
            "age header: expected a stanza for \(identities == 1 ? "the identity" : "one of the \(identities) identities"), "
                + "got \(types.count) \(types.count == 1 ? "stanza" : "stanzas") (\(AgeError.summary(of: types))), "
                + "none of which \(identities == 1 ? "it opens" : "they open")"
        case .headerMACMismatch:
            "age header: the MAC does not match the header: expected an unaltered header (the file was modified after it was written)"
        case .nonceTruncated(let got):
            "age payload: expected a 16-byte nonce after the header, got \(got) \(got == 1 ? "byte" : "bytes") and the end of the file"
        case .chunkAuthenticationFailed(let chunk, let offset):
            "age payload: chunk \(chunk) (at byte \(offset) of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data"
        case .missingFinalChunk(let chunks):
            "age payload: expected a final chunk, got the end of the file after \(chunks) \(chunks == 1 ? "chunk" : "chunks") (the file is truncated)"
        case .trailingData(let chunk):
            "age payload: expected the end of the file after the final chunk \(chunk), got more bytes"
        case .emptyFinalChunk(let chunk):
            "age payload: expected a non-empty final chunk, got an empty chunk \(chunk) after full ones"
        case .crypto(let error):
            "age: \(error.description)"
        case .sourceChanged(let first, let second):
            "age: expected the same file on both passes, got \(first) plaintext bytes then \(second) (the file changed)"
        case .invalidRead(let returned, let capacity):
            "age: expected the read closure to return 0…\(capacity) bytes, got \(returned)"
        }
    }

    /// "X25519 ×2, scrypt": stanza types in order of first appearance, with counts.
    private static func summary(of types: [String]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for type in types {
            if counts[type] == nil { order.append(type) }
            counts[type, default: 0] += 1
        }
        return order.map { type in
            let count = counts[type] ?? 1
            return count == 1 ? type : "\(type) ×\(count)"
        }.joined(separator: ", ")
    }
}

extension AgeError {
    /// Quotes untrusted bytes for a one-line message: printable ASCII as is, anything else as
    /// `\xNN`, cut after `limit` bytes.
    static func quote(_ bytes: some Collection<UInt8>, limit: Int = 48) -> String {
        var text = "\""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            default: text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        text += "\""
        if bytes.count > limit { text += "…" }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
