@testable import DossierKit
import Foundation
import Testing

@Suite("age keys: recipients, identities, identity files")
struct AgeKeyTests {
    /// The key pair printed in the age spec (c2sp.org/age, "The X25519 recipient type").
    static let specIdentity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
    static let specRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

    @Test("the spec's identity derives the spec's recipient, and both encode back to the same text")
    func specKeyPair() throws {
        // Given the example identity of the spec
        let identity = try AgeIdentity(Self.specIdentity)
        // Then its recipient is the spec's, and both round-trip through Bech32
        #expect(identity.recipient.encoded == Self.specRecipient)
        #expect(identity.encoded == Self.specIdentity)
        #expect(try AgeRecipient(Self.specRecipient).encoded == Self.specRecipient)
        #expect(try AgeRecipient(Self.specRecipient) == identity.recipient)
    }

    @Test("an identity's description shows its recipient, never the secret")
    func identityDescriptionHidesSecret() throws {
        let identity = try AgeIdentity(Self.specIdentity)
        #expect("\(identity)" == "AgeIdentity(\(Self.specRecipient))")
        #expect(!"\(identity)".contains("SECRET"))
    }

    static let badRecipients: [(String, String)] = [
        (specRecipient.uppercased(),
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got uppercase letters"),
        ("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got mixed upper and lower case"),
        ("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwk",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): the checksum does not match (a mistyped character?)"),
        ("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwb",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got \"b\", which is not a Bech32 character"),
        ("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj ",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got a character outside printable ASCII (a space or line break?)"),
        ("",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got an empty string"),
        ("ssh-ed25519",
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got no \"1\" separator followed by a 6-character checksum"),
        (AgeBech32.encode(hrp: "age1pq", [UInt8](repeating: 7, count: 32)),
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got the prefix \"age1pq1\""),
        (AgeBech32.encode(hrp: "age", [UInt8](repeating: 7, count: 31)),
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got 31 bytes of key"),
        (AgeBech32.encode(hrp: "age", [UInt8](repeating: 7, count: 33)),
         "age recipient: expected \"age1…\" (lowercase Bech32 of a 32-byte X25519 key): got 33 bytes of key"),
    ]

    @Test("recipients are parsed strictly: case, checksum, alphabet, prefix, key length", arguments: badRecipients)
    func badRecipient(text: String, message: String) {
        // When a malformed recipient is parsed
        // Then it is refused with a message naming what was wrong
        #expect(throws: AgeError.self) { try AgeRecipient(text) }
        do {
            _ = try AgeRecipient(text)
        } catch {
            #expect(error.description == message)
        }
    }

    static let badIdentities: [(String, String)] = [
        (specIdentity.lowercased(),
         "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): got lowercase letters"),
        (String(specIdentity.dropLast()) + "Y",
         "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): the checksum does not match (a mistyped character?)"),
        ("AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG",
         "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): got another prefix"),
        (String(specIdentity.dropLast()) + "B",
         "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): got a character that is not in Bech32's alphabet"),
        (AgeBech32.encode(hrp: "AGE-SECRET-KEY-", [UInt8](repeating: 9, count: 16)),
         "age identity: expected \"AGE-SECRET-KEY-1…\" (uppercase Bech32 of a 32-byte X25519 key): got 16 bytes of key"),
    ]

    @Test("secret keys are parsed strictly, and the messages never quote them", arguments: badIdentities)
    func badIdentity(text: String, message: String) {
        do {
            _ = try AgeIdentity(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("an identity file as age-keygen writes it, with several keys, comments, blank lines and CRLF")
    func identityFile() throws {
        // Given two keys with the comments age-keygen writes, a blank line, and a CRLF line end
        let first = try AgeIdentity.generate()
        let text = first.fileText(created: "2024-05-01T10:00:00+08:00") + "\n"
            + "# created: 2024-05-02T10:00:00+08:00\r\n# public key: \(AgeKeyTests.specRecipient)\r\n\(AgeKeyTests.specIdentity)\r\n"
        // When the file is parsed
        let identities = try AgeIdentity.parseFile(text)
        // Then both keys are there, in order
        #expect(identities.map(\.recipient.encoded) == [first.recipient.encoded, AgeKeyTests.specRecipient])
    }

    static let badFiles: [(String, String)] = [
        ("# created: 2024-05-01\n# public key: age1xyz\nAGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEY\n",
         "age identity file: line 3: expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": the checksum does not match (a mistyped character?)"),
        ("\(specIdentity)\n garbage\n",
         "age identity file: line 2: expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": got a character outside printable ASCII (a space or line break?)"),
        ("\(specIdentity)\n\u{1}\u{2}binary\n",
         "age identity file: line 2: expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": got a character outside printable ASCII (a space or line break?)"),
        (" \(specIdentity)\n",
         "age identity file: line 1: expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": got a character outside printable ASCII (a space or line break?)"),
        ("\(specRecipient)\n",
         "age identity file: line 1: expected a \"#\" comment, a blank line or \"AGE-SECRET-KEY-1…\": got lowercase letters"),
        ("# only comments\n\n",
         "age identity file: expected at least one \"AGE-SECRET-KEY-1…\" line, found none"),
        ("",
         "age identity file: expected at least one \"AGE-SECRET-KEY-1…\" line, found none"),
    ]

    @Test("an identity file with garbage is refused, naming the line but not quoting it", arguments: badFiles)
    func badIdentityFile(text: String, message: String) {
        do {
            _ = try AgeIdentity.parseFile(text)
            Issue.record("accepted the file")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a key made by age-keygen parses here, and ours is read by age-keygen -y")
    func keygenInterop() throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given a key pair made by Debian's age-keygen
            let (path, recipient) = try AgeTesting.ageKeygen(in: directory)
            // When its file is parsed here
            let identities = try AgeIdentity.parseFile(String(decoding: try AgeTesting.read(path), as: UTF8.self))
            // Then the recipient derived here is the one age-keygen prints
            #expect(identities.count == 1)
            #expect(identities.first?.recipient.encoded == recipient)
            #expect(try AgeRecipient(recipient).encoded == recipient)

            // Given a key generated here, written as age-keygen writes it
            let ours = try AgeIdentity.generate()
            try AgeTesting.write("\(directory)/ours.txt", ours.fileText(created: "2024-05-01T10:00:00Z"))
            // Then age-keygen -y derives the same recipient
            let shown = try AgeTesting.run(AgeTesting.keygenBinary, ["-y", "\(directory)/ours.txt"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(String(decoding: shown.stdout, as: UTF8.self) == ours.recipient.encoded + "\n")
        }
    }

    @Test("encrypting to a low-order point is refused before anything is written")
    func weakRecipient() throws {
        // Given a "recipient" that is the all-zero point (X25519 with it is all zero)
        let zero = AgeRecipient(publicKey: [UInt8](repeating: 0, count: 32))
        var written = 0
        // Then encryption refuses it and writes nothing
        do {
            try AgeFile.encrypt(to: [zero], read: { _ in 0 }, write: { written += $0.count })
            Issue.record("encrypted to a low-order point")
        } catch {
            #expect("\(error)" == "age recipient \(zero.encoded): expected an X25519 public key, got a low-order point (all-zero shared secret)")
        }
        #expect(written == 0)
    }
}
