@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

/// PDF signatures made by pyHanko, verified by the PDF checker and compared with pyHanko's own
/// `validate_pdf_signature` on the same bytes and anchors (pyHanko is in the validators' venv:
/// the suite fails when it is missing).
@Suite("PDF signatures against pyHanko")
struct PDFSignatureTests {
    static func isRFC3339(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})/) != nil
    }

    /// Our verdicts and pyHanko's, paired by field name, each pair agreeing on the status.
    @discardableResult
    func expectAgreement(_ pdf: String, anchors: [String]) throws -> [(ours: CheckedSignature, pyHanko: Oracle.PyHankoVerdict)] {
        let ours = try Checking.pdf(pdf, anchors: anchors.flatMap { try SignatureFixtures.anchors($0) })
        let theirs = try Oracle.pyHanko(pdf, anchors: anchors)
        #expect(ours.map(\.location) == theirs.map { $0.field ?? "" }, "both find the same signature fields, in order")
        let pairs = Array(zip(ours, theirs))
        for (mine, reference) in pairs {
            #expect(mine.verdict.status == reference.expectedStatus,
                    "\(mine.location): ours \(mine.verdict.status) (\(mine.verdict.reason ?? "")), pyHanko \(reference)")
            if reference.error == nil, reference.intact == true {
                #expect(mine.verdict.signer == reference.signer)
            }
        }
        return pairs
    }

    @Test("An RSA PAdES signature is valid with its CA as anchor, as pyHanko says")
    func rsaValid() throws {
        // Given a PDF signed by pyHanko with the RSA test signer, and the RSA CA as the vault's anchor
        let anchor = try SignatureFixtures.anchors("rsa-ca")[0]
        // When both verify it
        let pairs = try expectAgreement(SignatureFixtures.path("rsa-pades.pdf"), anchors: ["rsa-ca"])
        // Then it is valid, names its signer, algorithm and anchor, and covers the whole file
        let checked = try #require(pairs.first?.ours)
        let verdict = checked.verdict
        #expect(pairs.count == 1)
        #expect(verdict.status == .valid)
        #expect(verdict.reason == nil)
        #expect(verdict.format == .pades)
        #expect(verdict.signer == "张律师 (RSA test signer)")
        #expect(verdict.algorithm == "RSA-SHA256")
        #expect(verdict.coversWholeDocument)
        #expect(verdict.trustAnchor == anchor.fingerprint)
        #expect(checked.location == "Signature1")
        // PAdES forbids the signingTime attribute: the time is the signature dictionary's /M.
        #expect(Self.isRFC3339(verdict.signedAt))
        #expect(pairs[0].pyHanko.bottomLine == true)
    }

    @Test("Without its CA among the anchors the same signature is untrusted, as pyHanko says")
    func rsaUntrusted() throws {
        // Given the same PDF and only an unrelated CA as anchor
        // When both verify it
        let pairs = try expectAgreement(SignatureFixtures.path("rsa-pades.pdf"), anchors: ["other-ca"])
        // Then it is untrusted, with no anchor, and pyHanko finds it intact but not trusted
        let verdict = try #require(pairs.first?.ours.verdict)
        #expect(verdict.status == .untrusted)
        #expect(verdict.trustAnchor == nil)
        #expect(verdict.reason?.hasPrefix("the signer's certificate does not chain to a trust anchor of the vault") == true)
        #expect(pairs[0].pyHanko.intact == true && pairs[0].pyHanko.trusted == false)
    }

    @Test("No anchors at all: untrusted")
    func noAnchors() throws {
        let verdicts = try Checking.pdf(SignatureFixtures.path("rsa-pades.pdf"))
        #expect(verdicts.map(\.verdict.status) == [.untrusted])
        #expect(verdicts.first?.verdict.reason == "the vault has no trust anchors, so no chain can end at one")
    }

    @Test("One byte changed inside the signed range is invalid, and pyHanko finds it not intact")
    func tamperedContent() throws {
        try withTemporaryDirectory { folder in
            // Given the signed PDF with one letter of its page text changed (inside ByteRange's first range)
            let original = try SignatureFixtures.bytes("rsa-pades.pdf")
            let tampered = TestBytes.replacing("Ownership agreement", with: "Ownership agreemenT", in: original)
            let path = try TestBytes.write(tampered, to: "tampered.pdf", in: folder)
            // When both verify it
            let pairs = try expectAgreement(path, anchors: ["rsa-ca"])
            // Then the digest over the ByteRange no longer matches the signed messageDigest
            let verdict = try #require(pairs.first?.ours.verdict)
            #expect(verdict.status == .invalid)
            let reason = try #require(verdict.reason)
            #expect(reason.firstMatch(of: /^the signed bytes hash to SHA256 [0-9a-f]{64}, the signature's message digest is [0-9a-f]{64}$/) != nil)
            #expect(pairs[0].pyHanko.intact == false)
        }
    }

    @Test("One bit changed in the signature value is invalid, and pyHanko finds it not valid")
    func tamperedSignatureValue() throws {
        try withTemporaryDirectory { folder in
            // Given the signed PDF with a hex digit of the RSA signature value (the CMS's last bytes) changed
            var bytes = try SignatureFixtures.bytes("rsa-pades.pdf")
            let contentsStart = try #require(TestBytes.offset(of: "/Contents <", in: bytes)) + "/Contents <".utf8.count
            let hexEnd = try #require(bytes[contentsStart...].firstIndex(of: UInt8(ascii: ">")))
            let der = try #require(TestBytes.base16(bytes[contentsStart..<hexEnd]))
            let cms = try CMSSignedData(parsing: der)
            let digit = contentsStart + 2 * (cms.encodedLength - 8)
            bytes[digit] = bytes[digit] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            let path = try TestBytes.write(bytes, to: "bad-signature.pdf", in: folder)
            // When both verify it
            let pairs = try expectAgreement(path, anchors: ["rsa-ca"])
            // Then the signature over the signed attributes does not verify
            let verdict = try #require(pairs.first?.ours.verdict)
            #expect(verdict.status == .invalid)
            #expect(verdict.reason?.hasPrefix("the signature over the signed attributes does not verify with the signer's public key") == true)
            #expect(pairs[0].pyHanko.valid == false)
        }
    }

    @Test("ECDSA P-256 in a PDF with a cross-reference stream and object streams is valid")
    func ecdsaObjectStreams() throws {
        // Given pyHanko's ECDSA signature in the pre-existing field "Parties.Approval" of a PDF with a
        // cross-reference stream, where the parent field "Parties" (which gives the kid its /FT /Sig)
        // stays in an object stream (adbe.pkcs7.detached, so a signingTime attribute)
        let pairs = try expectAgreement(SignatureFixtures.path("ecdsa-objstm.pdf"), anchors: ["ec-ca"])
        // Then it is valid
        let checked = try #require(pairs.first?.ours)
        let verdict = checked.verdict
        #expect(verdict.status == .valid)
        #expect(verdict.algorithm == "ECDSA-SHA256")
        #expect(checked.location == "Parties.Approval")
        #expect(verdict.signer == "王芳 (ECDSA test signer)")
        #expect(Self.isRFC3339(verdict.signedAt))
        // And the RSA CA does not vouch for it
        try expectAgreement(SignatureFixtures.path("ecdsa-objstm.pdf"), anchors: ["rsa-ca"])
    }

    @Test("Ed25519 is verified directly (OpenSSL 3.0's CMS code refuses EdDSA), agreeing with pyHanko")
    func ed25519() throws {
        let pairs = try expectAgreement(SignatureFixtures.path("ed25519.pdf"), anchors: ["ed-ca"])
        let verdict = try #require(pairs.first?.ours.verdict)
        #expect(verdict.status == .valid)
        #expect(verdict.algorithm == "Ed25519")
        try withTemporaryDirectory { folder in
            let tampered = try TestBytes.write(TestBytes.replacing("Ownership agreement", with: "Ownership agreemenT",
                                                                   in: try SignatureFixtures.bytes("ed25519.pdf")),
                                               to: "ed-tampered.pdf", in: folder)
            try expectAgreement(tampered, anchors: ["ed-ca"])
        }
    }

    @Test("A signature timestamp token is verified and its genTime reported")
    func signatureTimestamp() throws {
        // Given an RSA signature with an RFC 3161 timestamp from the test TSA (issued by the RSA CA)
        let pairs = try expectAgreement(SignatureFixtures.path("rsa-timestamped.pdf"), anchors: ["rsa-ca"])
        // Then it is valid and carries the timestamp's time
        let checked = try #require(pairs.first?.ours)
        #expect(checked.verdict.status == .valid)
        #expect(Self.isRFC3339(checked.timestampedAt))
        // And with an unrelated anchor both the signer and the TSA are untrusted
        try expectAgreement(SignatureFixtures.path("rsa-timestamped.pdf"), anchors: ["other-ca"])
    }

    @Test("A signature followed by an incremental update does not cover the whole document")
    func incrementalUpdate() throws {
        // Given rsa-pades.pdf with a second (ECDSA) signature appended by pyHanko as an incremental update
        let pairs = try expectAgreement(SignatureFixtures.path("two-signatures.pdf"), anchors: ["rsa-ca", "ec-ca"])
        #expect(pairs.count == 2)
        // Then the first signature covers only its revision and is indeterminate (the update is not
        // analysed), while pyHanko's modification analysis accepts it as form filling
        let first = pairs[0].ours.verdict
        #expect(first.coversWholeDocument == false)
        #expect(first.status == .indeterminate)
        #expect(first.trustAnchor != nil)
        #expect(try #require(first.reason).firstMatch(of: /^bytes were added after signing \(an incremental update of \d+ bytes, 1 later revision\)/) != nil)
        #expect(pairs[0].pyHanko.coverage == "ENTIRE_REVISION")
        #expect(pairs[0].pyHanko.bottomLine == true)
        #expect(pairs[0].pyHanko.modificationLevel == "FORM_FILLING")
        // And the second covers everything and is valid
        #expect(pairs[1].ours.verdict.coversWholeDocument)
        #expect(pairs[1].ours.verdict.status == .valid)
        #expect(pairs[1].pyHanko.coverage == "ENTIRE_FILE")
    }

    @Test("A document timestamp is verified against the ByteRange and reported with the TSA as signer")
    func documentTimestamp() throws {
        // Given rsa-pades.pdf with a /DocTimeStamp added by pyHanko
        let pairs = try expectAgreement(SignatureFixtures.path("doc-timestamp.pdf"), anchors: ["rsa-ca"])
        #expect(pairs.count == 2)
        // Then the timestamp is valid, signed by the TSA, its time both signedAt and timestampedAt
        let stamp = pairs[1].ours
        #expect(stamp.verdict.status == .valid)
        #expect(stamp.verdict.signer == "Dossier Test TSA")
        #expect(stamp.verdict.signedAt != nil && stamp.verdict.signedAt == stamp.timestampedAt)
        #expect(pairs[1].pyHanko.type == "timestamp")
        // And the signature before it is indeterminate: the timestamp revision follows it
        #expect(pairs[0].ours.verdict.status == .indeterminate)
        #expect(pairs[0].ours.verdict.coversWholeDocument == false)
        #expect(pairs[0].pyHanko.modificationLevel == "LTA_UPDATES")
    }

    @Test("A signer certificate expired before the signing time is indeterminate; pyHanko does not trust it")
    func expiredSigner() throws {
        // Given a PDF signed now by a certificate that expired in 2021
        let verdicts = try Checking.pdf(SignatureFixtures.path("expired-signer.pdf"), anchors: SignatureFixtures.anchors("rsa-ca")).map(\.verdict)
        let theirs = try Oracle.pyHanko(SignatureFixtures.path("expired-signer.pdf"), anchors: ["rsa-ca"])
        // Then the chain cannot be evaluated at the signing time: indeterminate, naming the expiry
        let verdict = try #require(verdicts.first)
        #expect(verdict.status == .indeterminate)
        #expect(try #require(verdict.reason).firstMatch(of: /^certificate "Expired Test Signer" \(chain depth 0\) was not valid at .*: certificate has expired$/) != nil)
        #expect(verdict.trustAnchor == nil)
        // And pyHanko finds it intact and valid but not trusted
        #expect(theirs.first?.intact == true && theirs.first?.valid == true && theirs.first?.trusted == false)
    }

    @Test("An SM2/SM3 PDF signature with the GM/T 0009 ID is valid; tampered, invalid; the SM2 oracle agrees")
    func sm2PDF() throws {
        try withTemporaryDirectory { folder in
            // Given pyHanko's CMS signed with SM2 by openssl pkeyutl (pyHanko cannot validate SM2, so the
            // oracle is asn1crypto + SM3 + `openssl pkeyutl -verify` over the same ByteRange and CMS)
            let path = SignatureFixtures.path("sm2-pdf.pdf")
            let anchor = try SignatureFixtures.anchors("sm2-ca")[0]
            let verdict = try #require(try Checking.pdf(path, anchors: [anchor]).first?.verdict)
            #expect(verdict.status == .valid, "\(verdict.reason ?? "")")
            #expect(verdict.algorithm == "SM2-SM3")
            #expect(verdict.trustAnchor == anchor.fingerprint)
            let oracle = try Oracle.sm2(["--pdf", path])
            #expect(oracle.digestMatches && oracle.signatureVerifies)

            // When one byte of the page text changes
            let tampered = try TestBytes.write(TestBytes.replacing("Ownership agreement", with: "Ownership agreemenT",
                                                                   in: try SignatureFixtures.bytes("sm2-pdf.pdf")),
                                               to: "sm2-tampered.pdf", in: folder)
            let broken = try #require(try Checking.pdf(tampered, anchors: [anchor]).first?.verdict)
            // Then both see the SM3 digest over the ByteRange differ
            #expect(broken.status == .invalid)
            #expect(broken.reason?.hasPrefix("the signed bytes hash to SM3 ") == true)
            let brokenOracle = try Oracle.sm2(["--pdf", tampered])
            #expect(brokenOracle.digestMatches == false && brokenOracle.signatureVerifies)
        }
    }

    @Test("Unsigned PDFs have no signatures, for both")
    func unsigned() throws {
        for name in ["unsigned.pdf", "unsigned-objstm.pdf"] {
            let ours = try Checking.pdf(SignatureFixtures.path(name))
            #expect(ours.isEmpty)
            #expect(try Oracle.pyHanko(SignatureFixtures.path(name), anchors: []).isEmpty)
        }
    }

    @Test("Bytes appended after the last %%EOF make the PDF an error, not a verdict")
    func junkAppended() throws {
        try withTemporaryDirectory { folder in
            // Given a signed PDF with text appended after its %%EOF
            let path = try TestBytes.write(try SignatureFixtures.bytes("rsa-pades.pdf") + Array("appended after signing\n".utf8),
                                 to: "appended.pdf", in: folder)
            // When it is verified
            // Then the structure is refused with the reason
            #expect(throws: SignatureCheckError.corruptPDF(path: "appended.pdf", detail: "23 bytes after the %%EOF that ends the last revision are not whitespace (the file was appended to or truncated)")) {
                try Checking.pdf(path)
            }
        }
    }
}
