@testable import DossierKit
import Foundation
import Testing

/// Every way a file can be bad, each with its exact message, the plaintext the streaming
/// decrypt releases before it (authenticated chunks only), and nothing at all from the path
/// meant for pipes.
@Suite("age: damaged and hostile files")
struct AgeTamperTests {
    static let chunk = 65_536
    static let sealed = 65_552
    /// One recipient: a 168-byte header, then the 16-byte nonce; chunk k starts at 184 + k × 65,552.
    static let firstChunk = 184

    /// A file for `identity` (and `others`) of `size` deterministic bytes.
    static func make(_ size: Int, for identity: AgeIdentity, others: [AgeIdentity] = []) throws -> (plaintext: [UInt8], file: [UInt8]) {
        let plaintext = AgeTesting.bytes(size, seed: UInt64(size))
        return (plaintext, try AgeTesting.encrypt(plaintext, to: [identity.recipient] + others.map(\.recipient)))
    }

    /// Decrypts `file` through all three paths and checks each against the expectations.
    static func expectRefused(
        _ file: [UInt8], with identities: [AgeIdentity], message: String, released: ArraySlice<UInt8>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        // The streaming decrypt: the exact error, and only chunks that authenticated
        let (output, error) = AgeTesting.decrypt(file, with: identities, steps: [65_536 + 99, 4096])
        #expect(AgeTesting.message(error) == message, sourceLocation: sourceLocation)
        AgeTesting.expectSameBytes(output, released, "(released before the error)", sourceLocation: sourceLocation)
        // The in-memory decrypt (a mapped stored file): the same error and the same bytes
        let inMemory = AgeTesting.decryptInMemory(file, with: identities)
        #expect(AgeTesting.message(inMemory.error) == message, "in memory", sourceLocation: sourceLocation)
        AgeTesting.expectSameBytes(inMemory.output, released, "(released in memory before the error)", sourceLocation: sourceLocation)
        // The authenticate-only pass: the same error, and it has no way to write
        let checked = Result { try AgeFile.authenticate(with: identities, read: AgeTesting.Reader(file).read) }
        if case .failure(let checkError) = checked {
            #expect("\(checkError)" == message, sourceLocation: sourceLocation)
        } else {
            Issue.record("authenticate accepted the file", sourceLocation: sourceLocation)
        }
        // The path for pipes: the same error and not one byte written
        let piped = AgeTesting.decryptForPipe(file, with: identities)
        #expect(AgeTesting.message(piped.error) == message, sourceLocation: sourceLocation)
        #expect(piped.output.isEmpty, sourceLocation: sourceLocation)
    }

    /// Flips one bit of a base64 character so that it stays a base64 character (else the
    /// header would fail as malformed rather than reach the MAC).
    static func flipInsideBase64(_ file: inout [UInt8], in range: Range<Int>) {
        for index in range {
            let flipped = file[index] ^ 0x01
            if AgeBase64.isAlphabet(file[index]) && AgeBase64.isAlphabet(flipped) {
                file[index] = flipped
                return
            }
        }
        Issue.record("no flippable character in \(range)")
    }

    @Test("a file for someone else: no identity matches")
    func wrongIdentity() throws {
        let (_, file) = try Self.make(1000, for: try AgeIdentity.generate())
        Self.expectRefused(
            file, with: [try AgeIdentity.generate()],
            message: "age header: expected a stanza for the identity, got 1 stanza (X25519), none of which it opens", released: [])
        Self.expectRefused(
            file, with: [try AgeIdentity.generate(), try AgeIdentity.generate()],
            message: "age header: expected a stanza for one of the 2 identities, got 1 stanza (X25519), none of which they open", released: [])
    }

    @Test("cut inside the header, inside the nonce, mid-chunk and at a chunk boundary")
    func truncations() throws {
        let identity = try AgeIdentity.generate()
        let (plaintext, file) = try Self.make(3 * Self.chunk + 100, for: identity)
        #expect(file.count == Self.firstChunk + 3 * Self.sealed + 116)
        // Inside the stanza body (line 3 spans bytes 76–119)
        Self.expectRefused(
            Array(file[..<100]), with: [identity],
            message: "age header: line 3: expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file", released: [])
        // After the header, 5 bytes into the nonce
        Self.expectRefused(
            Array(file[..<173]), with: [identity],
            message: "age payload: expected a 16-byte nonce after the header, got 5 bytes and the end of the file", released: [])
        // Right after the nonce: no chunk at all
        Self.expectRefused(
            Array(file[..<Self.firstChunk]), with: [identity],
            message: "age payload: expected a final chunk, got the end of the file after 0 chunks (the file is truncated)", released: [])
        // 1,000 bytes into chunk 1
        Self.expectRefused(
            Array(file[..<(Self.firstChunk + Self.sealed + 1000)]), with: [identity],
            message: "age payload: chunk 1 (at byte 65736 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: plaintext[..<Self.chunk])
        // Exactly after chunk 1: two good middle chunks, no final one
        Self.expectRefused(
            Array(file[..<(Self.firstChunk + 2 * Self.sealed)]), with: [identity],
            message: "age payload: expected a final chunk, got the end of the file after 2 chunks (the file is truncated)",
            released: plaintext[..<(2 * Self.chunk)])
        // One byte short of the end: the final chunk's tag is cut
        Self.expectRefused(
            Array(file.dropLast()), with: [identity],
            message: "age payload: chunk 3 (at byte 196840 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: plaintext[..<(3 * Self.chunk)])
    }

    @Test("two chunks swapped")
    func swappedChunks() throws {
        let identity = try AgeIdentity.generate()
        var (_, file) = try Self.make(3 * Self.chunk + 100, for: identity)
        let first = Array(file[Self.firstChunk..<(Self.firstChunk + Self.sealed)])
        file.replaceSubrange(Self.firstChunk..<(Self.firstChunk + Self.sealed), with: file[(Self.firstChunk + Self.sealed)..<(Self.firstChunk + 2 * Self.sealed)])
        file.replaceSubrange((Self.firstChunk + Self.sealed)..<(Self.firstChunk + 2 * Self.sealed), with: first)
        Self.expectRefused(
            file, with: [identity],
            message: "age payload: chunk 0 (at byte 184 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: [])
    }

    @Test("one bit flipped: in the version line, in another reader's stanza, in the MAC, in the nonce, in a chunk")
    func bitFlips() throws {
        let identity = try AgeIdentity.generate()
        let other = try AgeIdentity.generate()
        let (plaintext, file) = try Self.make(3 * Self.chunk + 100, for: identity)
        // The version line: "v1" becomes "v0"
        var damaged = file
        damaged[20] ^= 0x01
        Self.expectRefused(damaged, with: [identity], message: "age header: line 1: expected version \"v1\", got \"v0\"", released: [])
        // The stanza of another reader (bytes 174–217 of a two-recipient file): our stanza
        // still opens, so the file key is found, and the MAC catches the change
        let (_, shared) = try Self.make(1000, for: identity, others: [other])
        damaged = shared
        Self.flipInsideBase64(&damaged, in: 174..<210)
        Self.expectRefused(
            damaged, with: [identity],
            message: "age header: the MAC does not match the header: expected an unaltered header (the file was modified after it was written)",
            released: [])
        // The MAC itself (line 4: "--- " at 120, base64 from 124)
        damaged = file
        Self.flipInsideBase64(&damaged, in: 124..<160)
        Self.expectRefused(
            damaged, with: [identity],
            message: "age header: the MAC does not match the header: expected an unaltered header (the file was modified after it was written)",
            released: [])
        // The payload nonce: every chunk key changes, chunk 0 fails
        damaged = file
        damaged[170] ^= 0x80
        Self.expectRefused(
            damaged, with: [identity],
            message: "age payload: chunk 0 (at byte 184 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: [])
        // Chunk 2: chunks 0 and 1 are released, nothing of chunk 2
        damaged = file
        damaged[Self.firstChunk + 2 * Self.sealed + 500] ^= 0x04
        Self.expectRefused(
            damaged, with: [identity],
            message: "age payload: chunk 2 (at byte 131288 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: plaintext[..<(2 * Self.chunk)])
    }

    @Test("trailing garbage after a short final chunk, and after a full final chunk")
    func trailingGarbage() throws {
        let identity = try AgeIdentity.generate()
        // A short final chunk with 5 bytes after it reads as one longer chunk that fails
        let (plaintext, file) = try Self.make(3 * Self.chunk + 100, for: identity)
        Self.expectRefused(
            file + [1, 2, 3, 4, 5], with: [identity],
            message: "age payload: chunk 3 (at byte 196840 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data",
            released: plaintext[..<(3 * Self.chunk)])
        // A full final chunk opens as final, so the bytes after it are named as such (its
        // plaintext is released first, as age releases it)
        let (whole, full) = try Self.make(2 * Self.chunk, for: identity)
        for garbage in [[UInt8](repeating: 0, count: 5), AgeTesting.bytes(Self.sealed, seed: 3), AgeTesting.bytes(3 * Self.sealed + 1, seed: 4)] {
            Self.expectRefused(
                full + garbage, with: [identity],
                message: "age payload: expected the end of the file after the final chunk 1, got more bytes", released: whole[...])
        }
    }

    @Test("an empty final chunk after a full one is refused (age never writes one)")
    func emptyFinalChunk() throws {
        // Given a file crafted with this module's pieces: a full chunk 0, then an empty final chunk 1
        let identity = try AgeIdentity.generate()
        let fileKey = try AgeCrypto.randomBytes(16)
        let nonce = try AgeCrypto.randomBytes(16)
        let cipher = try ChaChaPoly(key: try AgeStream.payloadKey(fileKey: fileKey, nonce: nonce), sealing: true)
        let plaintext = AgeTesting.bytes(Self.chunk, seed: 5)
        var chunkNonce = [UInt8](repeating: 0, count: 12)
        var sealedFull = [UInt8](repeating: 0, count: Self.sealed)
        var sealedEmpty = [UInt8](repeating: 0, count: 16)
        AgeStream.chunkNonce(0, last: false, into: &chunkNonce)
        try chunkNonce.withUnsafeBytes { n in try plaintext.withUnsafeBytes { p in try sealedFull.withUnsafeMutableBytes { o in try cipher.seal(nonce: n, p, into: o.baseAddress!) } } }
        AgeStream.chunkNonce(1, last: true, into: &chunkNonce)
        try chunkNonce.withUnsafeBytes { n in try sealedEmpty.withUnsafeMutableBytes { o in try cipher.seal(nonce: n, UnsafeRawBufferPointer(start: nil, count: 0), into: o.baseAddress!) } }
        let file = try AgeEncryptor.header(fileKey: fileKey, recipients: [identity.recipient]) + nonce + sealedFull + sealedEmpty
        // Then it is refused; chunk 0 authenticated and is released by the streaming decrypt
        Self.expectRefused(
            file, with: [identity], message: "age payload: expected a non-empty final chunk, got an empty chunk 1 after full ones",
            released: plaintext[...])
    }

    @Test("non-canonical base64 and other header damage are refused before any key is tried")
    func nonCanonicalStanza() throws {
        let identity = try AgeIdentity.generate()
        var (_, file) = try Self.make(10, for: identity)
        // The stanza body line (bytes 76–118): its last character carries 2 unused bits
        let last = 118
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let value = alphabet.firstIndex(of: file[last]) ?? 0
        file[last] = alphabet[value | 1]
        let line = String(decoding: file[76...last], as: UTF8.self)
        Self.expectRefused(
            file, with: [identity], message: "age header: line 3: expected canonical base64 (unused bits zero), got \"\(line)\"", released: [])
        // And a whole other format
        Self.expectRefused(
            Array("-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n-----END AGE ENCRYPTED FILE-----\n".utf8), with: [identity],
            message: "age header: line 1: expected binary \"age-encryption.org/v1\", got an ASCII-armored file (\"-----BEGIN AGE ENCRYPTED FILE-----\"), which is not supported",
            released: [])
        Self.expectRefused([], with: [identity], message: "age header: line 1: expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file", released: [])
    }

    @Test("decrypting with no identity, or through a read closure that misbehaves, fails cleanly")
    func misuse() throws {
        let identity = try AgeIdentity.generate()
        let (_, file) = try Self.make(10, for: identity)
        let (_, noIdentity) = AgeTesting.decrypt(file, with: [])
        #expect(AgeTesting.message(noIdentity) == "age decryption: expected at least one identity, got none")
        do {
            try AgeFile.decrypt(with: [identity], read: { $0.count + 1 }, write: { _ in })
            Issue.record("accepted a read count larger than the buffer")
        } catch {
            #expect("\(error)" == "age: expected the read closure to return 0…65536 bytes, got 65537")
        }
        #expect(throws: AgeError.self) { try AgeFile.encrypt(to: [], read: { _ in 0 }, write: { _ in }) }
    }

    @Test("a write that fails stops decryption with the writer's own error")
    func writerErrorPassesThrough() throws {
        struct DiskFull: Error {}
        let identity = try AgeIdentity.generate()
        let (_, file) = try Self.make(3 * Self.chunk, for: identity)
        #expect(throws: DiskFull.self) {
            try AgeFile.decrypt(with: [identity], read: AgeTesting.Reader(file).read, write: { _ in throw DiskFull() })
        }
    }
}
