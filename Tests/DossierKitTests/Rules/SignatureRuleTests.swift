import Testing
@testable import DossierKit

private typealias F = RuleFixtures

@Suite("R28: signatures and seals recorded at filing")
struct SignatureRuleTests {
    static func verdict(_ status: SignatureStatus, _ format: SignatureFormat = .pades, signer: String? = "内蒙古工业大学", reason: String? = nil) -> SignatureVerdict {
        SignatureVerdict(format: format, status: status, signer: signer, algorithm: "SM2-SM3", coversWholeDocument: true, checkedAt: "2021-04-21T09:30:00+08:00", reason: reason)
    }

    /// A dossier in order with the grant agreement's signatures set to `verdicts`.
    static func signed(_ verdicts: [SignatureVerdict]) -> DossierRecord {
        var record = F.ownership()
        let index = record.documents.firstIndex { $0.kind == .ownershipAgreement }!
        record.documents[index].signatures = verdicts
        return record
    }

    @Test("a valid signature, or none, passes; invalid is an error; untrusted and indeterminate are warnings", arguments: [
        ([SignatureStatus](), [String]()), ([.valid], []), ([.valid, .valid], []),
        ([.invalid], ["R28 error"]), ([.valid, .invalid], ["R28 error"]), ([.untrusted], ["R28 warning"]),
        ([.indeterminate], ["R28 warning"]), ([.untrusted, .invalid, .indeterminate], ["R28 error"]),
    ])
    func severities(statuses: [SignatureStatus], expected: [String]) {
        #expect(F.verdict(Self.signed(statuses.map { Self.verdict($0) })) == expected)
    }

    @Test("the finding names the document, the signer and the reason, and cites the Electronic Signature Law")
    func message() {
        let record = Self.signed([Self.verdict(.invalid, reason: "the signed bytes hash to SHA256 00, the signature's message digest is 11")])
        #expect(F.messages(record) == [
            "R28 error IMUT-2021-0007 v4 ownership-agreement 赋权（共有）协议 赋权协议.pdf: a PDF signature by 内蒙古工业大学 is invalid: the signed bytes hash to SHA256 00, the signature's message digest is 11 (电子签名法 art. 13–14)",
        ])
        let untrusted = Self.signed([Self.verdict(.untrusted, .ofdSeal, signer: nil)])
        #expect(F.messages(untrusted).first?.hasPrefix("R28 warning IMUT-2021-0007 v4 ownership-agreement 赋权（共有）协议 赋权协议.pdf: an OFD seal is valid but does not chain") == true)
    }

    @Test("a profile written before R28 loads, with R28 as the built-in profile sets it; a profile may turn it off")
    func laterRule() throws {
        let text = try #require(BuiltInProfiles.texts["nmg-2020"])
        let without = text.replacingOccurrences(of: ",\n    \"R28\": {\"name\": \"signatures\", \"severity\": \"error\", \"source\": \"电子签名法 art. 13–14\"}", with: "")
        #expect(without != text)
        let profile = try Profile.parse(file: "old.json", text: without)
        #expect(profile.severity(of: .r28) == .error)
        let off = text.replacingOccurrences(of: "\"R28\": {\"name\": \"signatures\", \"severity\": \"error\"", with: "\"R28\": {\"name\": \"signatures\", \"severity\": \"off\"")
        let quiet = try Profile.parse(file: "off.json", text: off)
        #expect(quiet.severity(of: .r28) == nil)
    }
}
