@testable import DossierKit
import Foundation
import Testing

/// Changing a file's readers: a new header around the same file key (cheap, adds readers),
/// or a new file key altogether (revokes readers).
@Suite("age: rewrapping and re-encrypting for new readers")
struct AgeRekeyTests {
    /// The file key inside `file`, as `identity` unwraps it.
    static func fileKey(of file: [UInt8], with identity: AgeIdentity) throws -> [UInt8] {
        try AgeOpenedFile(identities: [identity], read: AgeTesting.Reader(file).read).fileKey
    }

    @Test("rewrapHeader: new readers open the file (here and with age -d), the payload is copied byte for byte, the file key stays")
    func rewrapKeepsPayloadAndKey() throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given a file for reader A
            let a = try AgeIdentity.generate()
            let (bPath, bRecipient) = try AgeTesting.ageKeygen(in: directory)
            let c = try AgeIdentity.generate()
            let plaintext = AgeTesting.bytes(3 * 65_536 + 5, seed: 11)
            let original = try AgeTesting.encrypt(plaintext, to: [a.recipient])
            // When A rewraps it for B and C
            var rewrapped: [UInt8] = []
            let size = try AgeFile.rewrapHeader(
                with: [a], to: [try AgeRecipient(bRecipient), c.recipient], read: AgeTesting.Reader(original, steps: [5000]).read,
                write: { rewrapped += $0 })
            // Then the new file has a two-stanza header and exactly the old payload after it
            #expect(Int64(rewrapped.count) == size)
            let oldHeader = try AgeHeader.parse(original)
            let newHeader = try AgeHeader.parse(rewrapped)
            #expect(newHeader.stanzas.count == 2)
            #expect(rewrapped[newHeader.length...] == original[oldHeader.length...])
            #expect(Int64(rewrapped.count) == AgeFile.encryptedSize(plaintextSize: Int64(plaintext.count), recipients: 2))
            // And B (through age -d) and C (here) read the plaintext, while A no longer has a stanza
            try AgeTesting.write("\(directory)/new.age", rewrapped)
            let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-d", "-i", bPath, "\(directory)/new.age"])
            #expect(outcome.status == 0, "age -d: \(outcome.stderr)")
            AgeTesting.expectSameBytes(outcome.stdout, plaintext)
            AgeTesting.expectSameBytes(AgeTesting.decrypt(rewrapped, with: [c]).output, plaintext)
            #expect(AgeTesting.message(AgeTesting.decrypt(rewrapped, with: [a]).error)
                == "age header: expected a stanza for the identity, got 2 stanzas (X25519 ×2), none of which it opens")
            // But the file key is the same: whoever kept it from the old file still reads the new one
            #expect(try Self.fileKey(of: rewrapped, with: c) == (try Self.fileKey(of: original, with: a)))
        }
    }

    @Test("reencrypt: a removed reader cannot open the new file, the file key and payload are new, the rest read it (age -d too)")
    func reencryptRevokes() throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given a file for readers A and B
            let a = try AgeIdentity.generate()
            let (bPath, bRecipient) = try AgeTesting.ageKeygen(in: directory)
            let b = try AgeIdentity.parseFile(String(decoding: try AgeTesting.read(bPath), as: UTF8.self))[0]
            let plaintext = AgeTesting.bytes(2 * 65_536 + 77, seed: 12)
            let original = try AgeTesting.encrypt(plaintext, to: [a.recipient, try AgeRecipient(bRecipient)])
            // When B re-encrypts it for B alone (A removed)
            var renewed: [UInt8] = []
            let size = try AgeFile.reencrypt(with: [b], to: [b.recipient], read: AgeTesting.Reader(original).read, write: { renewed += $0 })
            // Then the new file has the size of a one-reader file, and B reads it here and with age
            #expect(Int64(renewed.count) == size)
            #expect(size == AgeFile.encryptedSize(plaintextSize: Int64(plaintext.count), recipients: 1))
            AgeTesting.expectSameBytes(AgeTesting.decrypt(renewed, with: [b]).output, plaintext)
            try AgeTesting.write("\(directory)/new.age", renewed)
            let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-d", "-i", bPath, "\(directory)/new.age"])
            #expect(outcome.status == 0, "age -d: \(outcome.stderr)")
            AgeTesting.expectSameBytes(outcome.stdout, plaintext)
            // And A's identity and A's old file key are both useless on it
            #expect(AgeTesting.message(AgeTesting.decrypt(renewed, with: [a]).error)
                == "age header: expected a stanza for the identity, got 1 stanza (X25519), none of which it opens")
            #expect(try Self.fileKey(of: renewed, with: b) != (try Self.fileKey(of: original, with: a)))
            // And no payload byte is shared in place with the old file
            let oldPayload = original[(try AgeHeader.parse(original).length)...]
            let newPayload = renewed[(try AgeHeader.parse(renewed).length)...]
            #expect(zip(oldPayload, newPayload).filter { $0 == $1 }.count < oldPayload.count / 100)
        }
    }

    @Test("reencrypt stops at the first bad chunk with its error; rewrap refuses a header it cannot verify")
    func rekeyingDamagedFiles() throws {
        let a = try AgeIdentity.generate()
        let b = try AgeIdentity.generate()
        var file = try AgeTesting.encrypt(AgeTesting.bytes(3 * 65_536, seed: 13), to: [a.recipient])
        file[184 + 65_552 + 9] ^= 0x10
        do {
            try AgeFile.reencrypt(with: [a], to: [b.recipient], read: AgeTesting.Reader(file).read, write: { _ in })
            Issue.record("re-encrypted a damaged file")
        } catch {
            #expect("\(error)" == "age payload: chunk 1 (at byte 65736 of the file) failed authentication: expected an intact file, got corrupted, truncated or altered data")
        }
        var header = file
        AgeTamperTests.flipInsideBase64(&header, in: 124..<160)  // inside the MAC
        var written = 0
        do {
            try AgeFile.rewrapHeader(with: [a], to: [b.recipient], read: AgeTesting.Reader(header).read, write: { written += $0.count })
            Issue.record("rewrapped a file whose MAC does not match")
        } catch {
            #expect("\(error)" == "age header: the MAC does not match the header: expected an unaltered header (the file was modified after it was written)")
        }
        #expect(written == 0)
    }
}
