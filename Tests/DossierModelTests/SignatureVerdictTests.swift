import DossierModel
import Testing

@Suite("Signature verdicts: the record's signatures entries, written and read back")
struct SignatureVerdictTests {
    static let anchor = String(repeating: "ab", count: 32)

    @Test("a verdict is written with the record's field names, in FORMATS.md's order, and reads back equal")
    func roundTrip() throws {
        // Given an untrusted OFD seal and a valid PAdES signature without optional fields
        let seal = SignatureVerdict(
            format: .ofdSeal, status: .untrusted, signer: "内蒙古工业大学合同专用章", signedAt: "2021-04-21T09:30:00+08:00",
            algorithm: "SM2-SM3", coversWholeDocument: true, trustAnchor: nil, checkedAt: "2026-12-06T10:00:00+08:00",
            reason: "the vault has no trust anchors")
        let bare = SignatureVerdict(format: .pades, status: .valid, coversWholeDocument: false, trustAnchor: Self.anchor,
                                    checkedAt: "2026-12-06T02:00:00Z")
        // When they are written as JSON
        // Then the keys are the record's, absent fields left out
        #expect(seal.json.serialized(.compact) == #"{"format":"ofd-seal","status":"untrusted","signer":"内蒙古工业大学合同专用章","signedAt":"2021-04-21T09:30:00+08:00","algorithm":"SM2-SM3","coversWholeDocument":true,"checkedAt":"2026-12-06T10:00:00+08:00","reason":"the vault has no trust anchors"}"#)
        #expect(bare.json.objectValue?.keys == ["format", "status", "coversWholeDocument", "trustAnchor", "checkedAt"])
        // And each reads back as it was, through the JSON text
        for verdict in [seal, bare] {
            let reader = try FieldReader.parse(file: "dossier.json", data: Array(verdict.json.serialized().utf8))
            #expect(try SignatureVerdict(json: reader) == verdict)
        }
    }

    @Test("what is wrong in an entry is named with its field", arguments: [
        (#"{"format":"xades","status":"valid","coversWholeDocument":true,"checkedAt":"2026-12-06T02:00:00Z"}"#,
         #"dossier.json: format: expected one of pades, cms, ofd-seal, got "xades""#),
        (#"{"format":"cms","status":"valid","coversWholeDocument":true}"#,
         "dossier.json: checkedAt: missing; this field is required"),
        (#"{"format":"cms","status":"ok","coversWholeDocument":true,"checkedAt":"2026-12-06T02:00:00Z"}"#,
         #"dossier.json: status: expected one of valid, invalid, untrusted, indeterminate, got "ok""#),
        (#"{"format":"cms","status":"valid","coversWholeDocument":true,"checkedAt":"2026-12-06T02:00:00Z","signedAt":"2026-12-06"}"#,
         #"dossier.json: signedAt: expected an RFC 3339 date-time, got "2026-12-06", which has no time (T hh:mm:ss after the date)"#),
        (#"{"format":"cms","status":"valid","coversWholeDocument":true,"checkedAt":"2026-12-06T02:00:00Z","trustAnchor":"AB"}"#,
         #"dossier.json: trustAnchor: expected the sha256 of the anchor's certificate (64 lowercase hexadecimal digits), got "AB""#),
        (#"{"format":"cms","status":"valid","coversWholeDocument":"yes","checkedAt":"2026-12-06T02:00:00Z"}"#,
         #"dossier.json: coversWholeDocument: expected true or false, got a string "yes""#),
        (#"{"format":"cms","status":"valid","coversWholeDocument":true,"checkedAt":"2026-12-06T02:00:00Z","field":"Signature1"}"#,
         "dossier.json: field: unknown field; expected one of: format, status, signer, signedAt, algorithm, coversWholeDocument, trustAnchor, checkedAt, reason"),
    ])
    func problems(json: String, message: String) throws {
        // Given an entry with one thing wrong
        let reader = try FieldReader.parse(file: "dossier.json", data: Array(json.utf8))
        // When it is read
        // Then the error names the field and what was expected
        let error = #expect(throws: FieldError.self) { try SignatureVerdict(json: reader) }
        #expect(error?.description == message)
    }

    @Test("statuses rank from valid to invalid")
    func severity() {
        // Given the four statuses
        // When they are ordered by severity
        // Then the order is the rule's: an invalid signature outweighs everything
        #expect(SignatureStatus.allCases.sorted { $0.severity < $1.severity } == [.valid, .untrusted, .indeterminate, .invalid])
    }
}
