@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

/// The one entry point the vault calls at filing: dispatch on content, the time of the check in
/// every verdict, errors naming the document, verdicts that round-trip through the record's JSON.
@Suite("SignatureCheck: one entry point for PDF, OFD and detached CMS")
struct SignatureCheckTests {
    static let checkedAt = "2026-12-06T10:00:00+08:00"

    func verdicts(_ path: String, fileName: String, detached: String? = nil, anchors: [TrustAnchor],
                  checkedAt: String = checkedAt) -> Result<[SignatureVerdict], SignatureCheckError> {
        SignatureCheck.verdicts(ofFileAt: path, fileName: fileName, detachedSignature: detached, anchors: anchors, checkedAt: checkedAt)
    }

    @Test("a PDF, an OFD and a file with a .p7s each get their verdicts, stamped with the time of the check")
    func dispatch() throws {
        try withTemporaryDirectory { folder in
            // Given a signed PDF and a sealed OFD copied to staged names without extensions, a text
            // file with its detached signature, and the anchors of all three
            let anchors = try SignatureFixtures.anchors("rsa-ca") + OFDFixtures.anchors("ca.pem")
            let pdf = try TestBytes.write(try SignatureFixtures.bytes("rsa-pades.pdf"), to: "staged-1", in: folder)
            let ofd = try TestBytes.write(try OFDFixtures.bytes("sealed.ofd"), to: "staged-2", in: folder)
            let text = SignatureFixtures.path("agreement.txt")
            // When each is checked
            let fromPDF = try verdicts(pdf, fileName: "赋权协议.pdf", anchors: anchors).get()
            let fromOFD = try verdicts(ofd, fileName: "合同.ofd", anchors: anchors).get()
            let fromCMS = try verdicts(text, fileName: "agreement.txt", detached: text + ".p7s", anchors: anchors).get()
            // Then each is found by its content and valid, and every verdict carries the time given
            #expect(fromPDF.map(\.format) == [.pades])
            #expect(fromOFD.map(\.format) == [.ofdSeal])
            #expect(fromCMS.map(\.format) == [.cms])
            for verdict in fromPDF + fromOFD + fromCMS {
                #expect(verdict.status == .valid, "\(verdict.format): \(verdict.reason ?? "")")
                #expect(verdict.checkedAt == Self.checkedAt)
                #expect(anchors.map(\.fingerprint).contains(verdict.trustAnchor ?? ""))
            }
            // And each verdict reads back from the record's JSON as it was written
            for verdict in fromPDF + fromOFD + fromCMS {
                #expect(try SignatureVerdict(json: FieldReader(file: "dossier.json", value: verdict.json)) == verdict)
            }
        }
    }

    @Test("a PDF with a detached signature too gets both verdicts, embedded first")
    func pdfAndDetached() throws {
        try withTemporaryDirectory { folder in
            // Given rsa-pades.pdf and a .p7s that openssl made over its bytes
            let pdf = SignatureFixtures.path("rsa-pades.pdf")
            let signature = "\(folder)/rsa-pades.pdf.p7s"
            let made = try Oracle.run(Oracle.openssl, ["cms", "-sign", "-binary", "-in", pdf, "-signer", SignatureFixtures.path("pki/rsa-signer.pem"),
                                                       "-inkey", SignatureFixtures.path("pki/rsa-signer.key"), "-outform", "DER", "-out", signature])
            #expect(made.status == 0, "\(made.stderr)")
            // When it is checked with the detached signature
            let found = try SignatureCheck.signatures(ofFileAt: pdf, fileName: "rsa-pades.pdf", detachedSignature: signature,
                                                      anchors: SignatureFixtures.anchors("rsa-ca"), checkedAt: Self.checkedAt).get()
            // Then the embedded signature comes first, then the detached one, both valid
            #expect(found.map(\.verdict.format) == [.pades, .cms])
            #expect(found.map(\.location) == ["Signature1", "rsa-pades.pdf.p7s"])
            #expect(found.map(\.verdict.status) == [.valid, .valid])
        }
    }

    @Test("unsigned documents and other formats have no signatures")
    func unsigned() throws {
        // Given an unsigned PDF, an unsigned OFD, a text file and a DOCX
        let cases = [
            (SignatureFixtures.path("unsigned.pdf"), "unsigned.pdf"), (OFDFixtures.path("contract-chars.ofd"), "合同.ofd"),
            (SignatureFixtures.path("agreement.txt"), "agreement.txt"), ("\(packageRoot)/Tests/Fixtures/index/赋权协议.docx", "赋权协议.docx"),
        ]
        for (path, name) in cases {
            // When each is checked
            // Then there is no verdict and no error
            #expect(try verdicts(path, fileName: name, anchors: []).get() == [], "\(name)")
        }
    }

    @Test("what stops the check is named, with the document's name, not the staged path")
    func failures() throws {
        try withTemporaryDirectory { folder in
            // Given a missing file, an OFD zip bomb, a broken PDF, all staged under other names
            let bomb = try TestBytes.write(try OFDFixtures.bytes("bomb-ratio.ofd"), to: "staged-3", in: folder)
            let broken = try TestBytes.write(Array("%PDF-1.7\nno objects here\n".utf8), to: "staged-4", in: folder)
            // When each is checked
            // Then the failure names the document and what is wrong
            #expect(verdicts("\(folder)/missing", fileName: "协议.pdf", anchors: []) == .failure(.io(path: "协议.pdf", operation: "open", message: "No such file or directory")))
            guard case .failure(.ofd(let refusal)) = verdicts(bomb, fileName: "合同.ofd", anchors: []) else {
                Issue.record("the bomb was not refused as an OFD")
                return
            }
            #expect(refusal.description.hasPrefix("Doc_0/Res/bomb.bin: expands more than 100 times its "))
            #expect(verdicts(broken, fileName: "协议.pdf", anchors: []) == .failure(.corruptPDF(path: "协议.pdf", detail: "no startxref in the last 4096 bytes (truncated file?)")))
            // And a time of the check that is not RFC 3339 is refused before anything is read
            #expect(verdicts(broken, fileName: "协议.pdf", anchors: [], checkedAt: "2026-12-06") == .failure(.invalidCheckTime("2026-12-06")))
            #expect(SignatureCheckError.invalidCheckTime("2026-12-06").description
                == "the time of the check \"2026-12-06\" is not an RFC 3339 date-time such as 2026-12-06T10:00:00+08:00")
        }
    }

    @Test("a signature that states no time is checked at the time of the check")
    func fallbackTime() throws {
        try withTemporaryDirectory { folder in
            // Given a detached RSA signature without signed attributes (so without a signingTime)
            let content = SignatureFixtures.path("agreement.txt")
            let signature = "\(folder)/agreement.txt.p7s"
            let made = try Oracle.run(Oracle.openssl, ["cms", "-sign", "-binary", "-noattr", "-in", content, "-signer", SignatureFixtures.path("pki/rsa-signer.pem"),
                                                       "-inkey", SignatureFixtures.path("pki/rsa-signer.key"), "-outform", "DER", "-out", signature])
            #expect(made.status == 0, "\(made.stderr)")
            let anchors = try SignatureFixtures.anchors("rsa-ca")
            // When it is checked now, and as if in 1990, before the CA existed
            let now = try verdicts(content, fileName: "agreement.txt", detached: signature, anchors: anchors, checkedAt: Checking.now).get()
            let then = try verdicts(content, fileName: "agreement.txt", detached: signature, anchors: anchors, checkedAt: "1990-01-01T00:00:00Z").get()
            // Then now it is valid, and in 1990 the certificates were not yet valid
            #expect(now.map(\.status) == [.valid])
            #expect(now.first?.signedAt == nil)
            #expect(then.map(\.status) == [.indeterminate])
            #expect(then.first?.reason?.hasSuffix("was not valid at 1990-01-01T00:00:00Z: certificate is not yet valid") == true, "\(then.first?.reason ?? "")")
        }
    }
}
