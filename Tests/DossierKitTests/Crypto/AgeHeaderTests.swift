@testable import DossierKit
import Testing

@Suite("age header: the strict, pure parser")
struct AgeHeaderTests {
    /// The header printed in the spec.
    static let share = "-> X25519 XEl0dJ6y3C7KZkgmgWUicg63EyXJiwBJW8PdYJ/cYBE\n"
    static let body = "qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1E\n"
    static let mac = "--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\n"
    static let version = "age-encryption.org/v1\n"
    static let specHeader = version + share + body + mac
    static let full64 = String(repeating: "A", count: 64) + "\n"

    @Test("the spec's header parses into one X25519 stanza, and encodes back byte for byte")
    func specHeaderRoundTrip() throws {
        // Given the spec's header followed by payload bytes
        let bytes = Array(Self.specHeader.utf8) + [1, 2, 3]
        // When it is parsed
        let header = try AgeHeader.parse(bytes)
        // Then it has one stanza with the share and a 32-byte body, and ends where the payload starts
        #expect(header.stanzas.map(\.type) == ["X25519"])
        #expect(header.stanzas.first?.arguments == ["XEl0dJ6y3C7KZkgmgWUicg63EyXJiwBJW8PdYJ/cYBE"])
        #expect(header.stanzas.first?.body.count == 32)
        #expect(header.mac.count == 32)
        #expect(header.length == Self.specHeader.utf8.count)
        // And the MAC covers everything up to and including "---"
        #expect(header.authenticatedBytes == Array(Self.specHeader.utf8.dropLast(45)))
        #expect(AgeHeader.encodeAuthenticatedPart(header.stanzas) == header.authenticatedBytes)
        #expect(AgeHeader.encode(authenticatedPart: header.authenticatedBytes, mac: header.mac) == Array(Self.specHeader.utf8))
    }

    @Test("unknown stanzas are kept (to be ignored): grease-like types, many arguments, empty and multi-line bodies")
    func greaseStanzas() throws {
        // Given stanzas of unknown types: no body, a body of exactly 48 bytes (a full line then an
        // empty one), and every printable character in arguments
        let text = Self.version
            + "-> grease-42 !\"#$%&'()*+,-./ ~\n\n"
            + Self.share + Self.body
            + "-> x.example.com/enigma a b c\n" + Self.full64 + "\n"
            + Self.mac
        // When parsed
        let header = try AgeHeader.parse(Array(text.utf8))
        // Then the three stanzas are there, and the encoding is canonical
        #expect(header.stanzas.map(\.type) == ["grease-42", "X25519", "x.example.com/enigma"])
        #expect(header.stanzas[0].arguments == ["!\"#$%&'()*+,-./", "~"])
        #expect(header.stanzas[0].body.isEmpty)
        #expect(header.stanzas[2].body.count == 48)
        #expect(header.stanzas.map(\.line) == [2, 4, 6])
        #expect(AgeHeader.encodeAuthenticatedPart(header.stanzas) == header.authenticatedBytes)
    }

    static let malformed: [(String, String)] = [
        ("",
         "age header: line 1: expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file"),
        ("%PDF-1.7\n",
         "age header: line 1: expected \"age-encryption.org/v1\", got \"%PDF-1.7\" (not an age file)"),
        ("\u{0}\u{1}\u{2}",
         "age header: line 1: expected \"age-encryption.org/v1\", got \"\\x00\\x01\\x02\" (not an age file)"),
        ("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n",
         "age header: line 1: expected binary \"age-encryption.org/v1\", got an ASCII-armored file (\"-----BEGIN AGE ENCRYPTED FILE-----\"), which is not supported"),
        ("age-encryption.org/v2\n" + share + body + mac,
         "age header: line 1: expected version \"v1\", got \"v2\""),
        ("age-encryption.org/v1\r\n" + share + body + mac,
         "age header: line 1: expected \"age-encryption.org/v1\" ending in LF, got a CR LF line end"),
        (version + mac,
         "age header: line 2: expected a recipient stanza (\"-> TYPE …\") before the MAC line, got \"--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\""),
        (version + "-> \n\n" + mac,
         "age header: line 2: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza), got no arguments"),
        (version + "->  X25519 abc\n" + body + mac,
         "age header: line 2: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza), got an empty argument (two spaces in a row, or a space at an end) in \"->  X25519 abc\""),
        (version + "-> X25519 abc \n" + body + mac,
         "age header: line 2: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza), got an empty argument (two spaces in a row, or a space at an end) in \"-> X25519 abc \""),
        (version + "-> X25519 a\u{7F}c\n" + body + mac,
         "age header: line 2: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza), got the byte \"\\x7F\" in an argument (arguments are printable ASCII)"),
        (version + "->X25519 abc\n" + body + mac,
         "age header: line 2: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza), got \"->X25519 abc\""),
        (version + share + body + "+ X25519 abc\n",
         "age header: line 4: expected \"-> TYPE [ARGUMENT…]\" (a recipient stanza) or \"--- MAC\" (the end of the header), got \"+ X25519 abc\""),
        (version + share + String(repeating: "A", count: 65) + "\n" + mac,
         "age header: line 3: expected a stanza body line of at most 64 base64 characters, got a line longer than 64 characters"),
        (version + share + full64 + mac,
         "age header: line 4: expected the stanza body to end with a line shorter than 64 characters, got \"--- HK2NmOBN9Dpq0Gw6xMCu\"…"),
        (version + share + mac,
         "age header: line 3: expected the stanza body to end with a line shorter than 64 characters, got \"--- HK2NmOBN9Dpq0Gw6xMCu\"…"),
        (version + share + "qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1E=\n" + mac,
         "age header: line 3: expected a stanza body line of at most 64 base64 characters, got the character \"=\""),
        (version + share + "qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1F\n" + mac,
         "age header: line 3: expected canonical base64 (unused bits zero), got \"qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1F\""),
        (version + share + "qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1E\r\n" + mac,
         "age header: line 3: expected a stanza body line of at most 64 base64 characters, got the character \"\\r\""),
        (version + share + "qRS0A\n" + mac,
         "age header: line 3: expected a stanza body line of at most 64 base64 characters, got 5 characters, a length no base64 encoding has"),
        (version + share + body + "---  HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got \" \" in \"---  HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\""),
        (version + share + body + "---HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got \"---HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\""),
        (version + share + body + "--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s \n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got \" \" in \"--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s \""),
        (version + share + body + "--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75\n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got 42 characters after \"--- \""),
        (version + share + body + "--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75t\n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got non-canonical base64 \"HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75t\""),
        (version + share + body + "---\n",
         "age header: line 4: expected \"--- \" and 43 base64 characters (the header MAC), got \"---\""),
        (version + share + "qRS0AMjdjPvZ/WT08U2KL4G+PIoo",
         "age header: line 3: expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file"),
        (version + share + body + "--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s",
         "age header: line 4: expected the rest of the header up to the MAC line (\"--- …\"), got the end of the file"),
    ]

    @Test("each break of the grammar is refused with the line and what was expected", arguments: malformed)
    func malformedHeader(text: String, message: String) {
        // When a malformed header (with a few payload bytes after it) is parsed
        // Then the first problem is reported as its one-line message
        do {
            _ = try AgeHeader.parse(Array(text.utf8) + (text.hasSuffix("\n") ? [0xFF, 0x00] : []))
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a header that does not end within the limit is refused, and so is a missing LF after the limit")
    func sizeLimit() {
        // Given a valid header
        let bytes = Array((Self.version + Self.share + Self.body + Self.mac).utf8)
        // Then it parses with a limit of its size, and not with one byte less
        #expect((try? AgeHeader.parse(bytes, limit: bytes.count)) != nil)
        #expect(throws: AgeError.self) { try AgeHeader.parse(bytes, limit: bytes.count - 1) }
        do {
            _ = try AgeHeader.parse(bytes, limit: bytes.count - 1)
        } catch {
            #expect(error.description == "age header: expected the MAC line (\"--- …\") within the first \(bytes.count - 1) bytes, got none")
        }
        // And an endless argument line stops at the default limit
        let endless = Array(Self.version.utf8) + Array("-> X25519 ".utf8) + [UInt8](repeating: UInt8(ascii: "A"), count: AgeFile.headerSizeLimit)
        do {
            _ = try AgeHeader.parse(endless)
            Issue.record("accepted an endless line")
        } catch {
            #expect(error.description == "age header: expected the MAC line (\"--- …\") within the first 262144 bytes, got none")
        }
    }

    @Test("garbage is refused as soon as it is seen, without waiting for the end of its line")
    func failsFast() throws {
        // Given the start of inputs cut off in the middle of a line (as a stream delivers them)
        let cases: [(String, Bool)] = [
            ("age-encryption.org/", true),             // could still be a header: more needed
            ("age-encryption.org/v1\n-> X25519 abc", true),
            ("age-encryption.org/v1\n" + Self.share + "qRS0", true),
            ("\u{7F}ELF\u{2}\u{1}", false),             // an executable
            ("age-encryption.org/v1\n\u{0}\u{0}", false),
            ("age-encryption.org/v1\n" + Self.share + "qRS0=", false),
            ("age-encryption.org/v1\n" + Self.share + Self.body + "---x", false),
        ]
        for (text, needsMore) in cases {
            // When the cut-off bytes are scanned
            let outcome = Result { try AgeHeader.scan(Array(text.utf8), limit: AgeFile.headerSizeLimit) }
            // Then only prefixes of valid headers ask for more bytes
            switch outcome {
            case .success(.incomplete): #expect(needsMore, "\(text.debugDescription) asked for more bytes")
            case .success(.complete): Issue.record("\(text.debugDescription) parsed")
            case .failure: #expect(!needsMore, "\(text.debugDescription) was refused")
            }
        }
    }

    @Test("headers this module writes parse back to the same bytes, for 1 to 20 recipients")
    func encodedHeadersParse() throws {
        for count in [1, 2, 20] {
            // Given a file encrypted to `count` recipients
            let recipients = try (0..<count).map { _ in try AgeIdentity.generate().recipient }
            let file = try AgeTesting.encrypt([1, 2, 3], to: recipients)
            // When its header is parsed
            let header = try AgeHeader.parse(file)
            // Then it has one X25519 stanza per recipient, its size is the documented one,
            // and re-encoding gives the same bytes
            #expect(header.stanzas.count == count)
            #expect(header.stanzas.allSatisfy { $0.type == "X25519" && $0.arguments.count == 1 && $0.body.count == 32 })
            #expect(header.length == 70 + 98 * count)
            #expect(AgeHeader.encode(authenticatedPart: AgeHeader.encodeAuthenticatedPart(header.stanzas), mac: header.mac) == Array(file[..<header.length]))
        }
    }
}
