@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

@Suite("OFD seals and signatures")
struct OFDSealTests {
    func signatures(_ name: String, anchors: [String] = []) throws -> [CheckedSignature] {
        try Checking.ofd(OFDFixtures.path(name), anchors: anchors.flatMap { try OFDFixtures.anchors($0) })
    }

    static let signer = "CN=内蒙古工业大学合同专用章,O=内蒙古工业大学,C=CN"

    @Test("a sealed OFD is valid with its CA as trust anchor")
    func validWithAnchor() throws {
        // Given a V4 seal (GB/T 38540) whose signer certificate the test CA issued
        // When it is checked with that CA as anchor
        let found = try #require(try signatures("sealed.ofd", anchors: ["ca.pem"]).first)
        let verdict = found.verdict
        // Then it is valid, signed by the seal's certificate holder, over the whole document
        #expect(verdict.status == .valid)
        #expect(verdict.reason == nil)
        #expect(verdict.format == .ofdSeal)
        #expect(verdict.signer == "内蒙古工业大学合同专用章")
        #expect(verdict.algorithm == "SM2-SM3")
        #expect(verdict.coversWholeDocument)
        #expect(verdict.signedAt.flatMap { SignatureTime(rfc3339: $0) } != nil)
        #expect(found.sealName == "合同专用章")
        #expect(found.provider == "dossier-fixtures (IMUT)")
        #expect(found.location == "Doc_0/Signs/Sign_0/Signature.xml (Seal 1)")
        // And the anchor is the CA, by openssl's own fingerprint
        #expect(verdict.trustAnchor == (try Oracle.fingerprint(OFDFixtures.path("ca.pem"))))
    }

    @Test("the same seal is untrusted without anchors or with an unrelated CA")
    func untrusted() throws {
        // Given the sealed OFD
        // When it is checked with no anchors, then with a CA that did not issue the signer
        let none = try #require(try signatures("sealed.ofd").first?.verdict)
        let other = try #require(try signatures("sealed.ofd", anchors: ["other-ca.pem"]).first?.verdict)
        // Then both are untrusted, with no anchor and a reason
        #expect(none.status == .untrusted)
        #expect(none.trustAnchor == nil)
        #expect(none.reason == "the vault has no trust anchors, so no chain can end at one")
        #expect(other.status == .untrusted)
        #expect(other.trustAnchor == nil)
        #expect(other.reason == "the signer's certificate does not chain to a trust anchor of the vault (OpenSSL: unable to get local issuer certificate at \"内蒙古工业大学合同专用章\")")
    }

    @Test("one content byte changed after sealing makes the seal invalid, naming the member")
    func changedContent() throws {
        // Given the sealed OFD with 30% changed to 40% in the page after sealing
        // When it is checked, even with the right anchor
        let verdict = try #require(try signatures("sealed-changed-content.ofd", anchors: ["ca.pem"]).first?.verdict)
        // Then it is invalid and says which member changed; the seal itself still chains to the CA
        #expect(verdict.status == .invalid)
        #expect(verdict.reason == "Doc_0/Pages/Page_0/Content.xml changed after signing: its SM3 digest does not match the CheckValue in Doc_0/Signs/Sign_0/Signature.xml")
        #expect(verdict.trustAnchor == (try Oracle.fingerprint(OFDFixtures.path("ca.pem"))))
    }

    @Test("a tampered SignedValue.dat makes the seal invalid")
    func changedSignature() throws {
        // Given the sealed OFD with the last bit of the SM2 signature flipped
        // When it is checked
        let verdict = try #require(try signatures("sealed-changed-signature.ofd", anchors: ["ca.pem"]).first?.verdict)
        // Then the signature does not verify
        #expect(verdict.status == .invalid)
        #expect(verdict.reason == "Doc_0/Signs/Sign_0/SignedValue.dat: the seal's SM2-SM3 signature over TBS_Sign does not verify with the signer certificate (\(Self.signer))")
    }

    @Test("openssl agrees: the seal's signature over TBS_Sign verifies, the tampered one does not")
    func opensslOracle() throws {
        // Given the SES_Signature of the sealed and of the tampered fixture
        for (name, expected) in [("sealed.ofd", true), ("sealed-changed-signature.ofd", false)] {
            try withTemporaryDirectory { folder in
                let value = try extract(name, member: "Doc_0/Signs/Sign_0/SignedValue.dat")
                let seal = try SESSignature(parsing: value)
                let tbs = try TestBytes.write(seal.toSign, to: "tbs.der", in: folder)
                let signature = try TestBytes.write(seal.signature, to: "signature.der", in: folder)
                // When openssl verifies it with the signer certificate and the default SM2 ID
                let output = try Oracle.run(Oracle.openssl, [
                    "pkeyutl", "-verify", "-certin", "-inkey", OFDFixtures.path("signer.pem"), "-rawin", "-digest", "sm3",
                    "-pkeyopt", "distid:1234567812345678", "-in", tbs, "-sigfile", signature,
                ])
                // Then openssl's answer is the checker's answer
                #expect((output.status == 0) == expected, "\(name): openssl said \(output.stderr)")
                let verdict = try #require(try signatures(name, anchors: ["ca.pem"]).first?.verdict)
                #expect((verdict.status == .valid) == expected)
            }
        }
    }

    func extract(_ name: String, member: String) throws -> [UInt8] {
        let package = try OFDPackage.scan(path: OFDFixtures.path(name), file: name, limits: .default, keep: { $0 == member })
        return try #require(package.kept[member])
    }

    @Test("a V1 seal (GM/T 0031-2014) is read and verified too")
    func versionOne() throws {
        // Given a V1 SES_Signature, its time written as local text
        // When it is checked with the CA
        let verdict = try #require(try signatures("sealed-v1.ofd", anchors: ["ca.pem"]).first?.verdict)
        // Then it is valid and its time carries China's offset
        #expect(verdict.status == .valid, "\(verdict.reason ?? "")")
        #expect(verdict.signedAt?.hasSuffix("+08:00") == true)
    }

    @Test("a member added after sealing leaves the seal valid but not covering the whole document")
    func addedMember() throws {
        // Given the sealed OFD with an attachment added afterwards
        // When it is checked
        let verdict = try #require(try signatures("sealed-added-member.ofd", anchors: ["ca.pem"]).first?.verdict)
        // Then the signed members still match, but coverage is not whole
        #expect(verdict.status == .valid)
        #expect(!verdict.coversWholeDocument)
    }

    @Test("Type=Sign: a GB/T 35275 SignedData verifies through the CMS checker; a bare signature is indeterminate")
    func digitalSignatures() throws {
        // Given a signature whose SignedValue.dat is SignedData (GM/T 0010 OIDs, no signed attributes)
        // over SM3(Signature.xml), and one whose value is 64 bare bytes
        let cms = try #require(try signatures("signed-cms.ofd", anchors: ["ca.pem"]).first)
        let raw = try #require(try signatures("signed-raw.ofd", anchors: ["ca.pem"]).first)
        // When checked
        // Then the first is valid, the second cannot be checked
        #expect(cms.location == "Doc_0/Signs/Sign_0/Signature.xml (Sign 1)")
        #expect(cms.verdict.status == .valid, "\(cms.verdict.reason ?? "")")
        #expect(cms.verdict.signer == "内蒙古工业大学合同专用章")
        #expect(cms.verdict.algorithm == "SM2-SM3")
        #expect(raw.verdict.status == .indeterminate)
        #expect(raw.verdict.reason == "Doc_0/Signs/Sign_0/SignedValue.dat: a bare signature with no certificate; the signer's key is unknown, so it cannot be checked")
    }

    @Test("Type=Sign over a changed Signature.xml is invalid: the signed content no longer stands for it")
    func digitalSignatureChanged() throws {
        try withTemporaryDirectory { folder in
            // Given signed-cms.ofd with one byte of its Signature.xml changed (the provider's company)
            let package = try OFDPackage.scan(path: OFDFixtures.path("signed-cms.ofd"), file: "signed-cms.ofd", limits: .default, keep: { _ in true })
            let members = try package.members.map { name in
                (name, name.hasSuffix("Signature.xml") ? TestBytes.replacing("IMUT", with: "IMUX", in: try #require(package.kept[name])) : try #require(package.kept[name]))
            }
            let path = "\(folder)/changed.ofd"
            try TestBytes.zip(members, to: path)
            // When it is checked
            let verdict = try #require(try Checking.ofd(path, anchors: OFDFixtures.anchors("ca.pem")).first?.verdict)
            // Then the SM3 digest inside the SignedData is not the changed file's
            #expect(verdict.status == .invalid)
            #expect(verdict.reason == "Doc_0/Signs/Sign_0/Signature.xml changed after signing: its SM3 digest is not the content signed in Doc_0/Signs/Sign_0/SignedValue.dat")
        }
    }

    @Test("an unsigned document has no seals")
    func unsigned() throws {
        // Given an unsigned document
        // When its signatures are listed
        // Then there are none
        #expect(try signatures("contract-chars.ofd", anchors: ["ca.pem"]).isEmpty)
    }
}
