@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

/// Detached CMS signatures (`NAME.p7s` beside `NAME`): RSA made by `openssl cms -sign`, checked
/// against `openssl cms -verify`; SM2 with the GM/T 0009 signer ID, checked against an independent
/// asn1crypto + SM3 + `openssl pkeyutl -verify` oracle.
@Suite("Detached CMS signatures")
struct DetachedSignatureTests {
    /// `openssl cms -verify` of a detached DER signature; true when OpenSSL accepts it.
    func opensslAccepts(signature: String, content: String, anchor: String) throws -> Bool {
        try Oracle.run(Oracle.openssl, ["cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content,
                                 "-CAfile", SignatureFixtures.path("pki/\(anchor).pem"), "-purpose", "any",
                                 "-out", "/dev/null"]).status == 0
    }

    @Test("An RSA .p7s over a plain file is valid with its CA, as openssl cms -verify says")
    func rsaValid() throws {
        // Given agreement.txt and agreement.txt.p7s made by `openssl cms -sign -binary`
        let content = SignatureFixtures.path("agreement.txt")
        let signature = content + ".p7s"
        // When both verify it with the RSA CA
        let found = try Checking.detached(signature, over: content, anchors: SignatureFixtures.anchors("rsa-ca"))
        // Then both accept it
        #expect(found.count == 1)
        let verdict = try #require(found.first?.verdict)
        #expect(verdict.status == .valid)
        #expect(verdict.format == .cms)
        #expect(verdict.algorithm == "RSA-SHA256")
        #expect(verdict.signer == "张律师 (RSA test signer)")
        #expect(verdict.coversWholeDocument)
        #expect(found.first?.location == "agreement.txt.p7s")
        #expect(verdict.signedAt != nil, "openssl cms adds a signingTime attribute")
        #expect(try opensslAccepts(signature: signature, content: content, anchor: "rsa-ca"))
    }

    @Test("The same .p7s is untrusted with an unrelated anchor; openssl cannot verify it either")
    func rsaUntrusted() throws {
        let content = SignatureFixtures.path("agreement.txt")
        let verdicts = try Checking.detached(content + ".p7s", over: content, anchors: SignatureFixtures.anchors("other-ca"))
        #expect(verdicts.map(\.verdict.status) == [.untrusted])
        #expect(try opensslAccepts(signature: content + ".p7s", content: content, anchor: "other-ca") == false)
    }

    @Test("Changing one byte of the file makes the .p7s invalid, for openssl too")
    func rsaContentChanged() throws {
        try withTemporaryDirectory { folder in
            // Given a copy of agreement.txt with one byte changed, beside the original signature
            var bytes = try SignatureFixtures.bytes("agreement.txt")
            bytes[bytes.count - 2] ^= 0x01
            let content = try TestBytes.write(bytes, to: "agreement.txt", in: folder)
            let signature = try TestBytes.write(try SignatureFixtures.bytes("agreement.txt.p7s"), to: "agreement.txt.p7s", in: folder)
            // When both verify it
            let verdicts = try Checking.detached(signature, over: content, anchors: SignatureFixtures.anchors("rsa-ca"))
            // Then ours names both digests and openssl refuses it
            let verdict = try #require(verdicts.first?.verdict)
            #expect(verdict.status == .invalid)
            #expect(try #require(verdict.reason).firstMatch(of: /^the signed bytes hash to SHA256 [0-9a-f]{64}, the signature's message digest is [0-9a-f]{64}$/) != nil)
            #expect(try opensslAccepts(signature: signature, content: content, anchor: "rsa-ca") == false)
        }
    }

    @Test("RSA-PSS, ECDSA-SHA384 and signatures without signed attributes agree with openssl cms -verify both ways")
    func variants() throws {
        try withTemporaryDirectory { folder in
            let original = SignatureFixtures.path("agreement.txt")
            var changedBytes = try SignatureFixtures.bytes("agreement.txt")
            changedBytes[0] ^= 0x01
            let changed = try TestBytes.write(changedBytes, to: "changed.txt", in: folder)
            let cases: [(name: String, signer: String, anchor: String, options: [String], algorithm: String)] = [
                ("pss", "rsa-signer", "rsa-ca", ["-keyopt", "rsa_padding_mode:pss"], "RSASSA-PSS-SHA256"),
                ("ec384", "ec-signer", "ec-ca", ["-md", "sha384"], "ECDSA-SHA384"),
                ("rsa-noattr", "rsa-signer", "rsa-ca", ["-noattr"], "RSA-SHA256"),
                ("ec-noattr", "ec-signer", "ec-ca", ["-noattr"], "ECDSA-SHA256"),
            ]
            for variant in cases {
                // Given a detached signature made by openssl with these options
                let signature = "\(folder)/\(variant.name).p7s"
                let made = try Oracle.run(Oracle.openssl, ["cms", "-sign", "-binary", "-in", original,
                                                           "-signer", SignatureFixtures.path("pki/\(variant.signer).pem"),
                                                           "-inkey", SignatureFixtures.path("pki/\(variant.signer).key"),
                                                           "-outform", "DER", "-out", signature] + variant.options)
                #expect(made.status == 0, "\(variant.name): \(made.stderr)")
                let anchors = try SignatureFixtures.anchors(variant.anchor)
                // When both verify it over the original and over a changed copy
                let good = try #require(try Checking.detached(signature, over: original, anchors: anchors).first?.verdict)
                let bad = try #require(try Checking.detached(signature, over: changed, anchors: anchors).first?.verdict)
                // Then both accept the original and refuse the copy
                #expect(good.status == .valid, "\(variant.name): \(good.reason ?? "")")
                #expect(good.algorithm == variant.algorithm)
                #expect(try opensslAccepts(signature: signature, content: original, anchor: variant.anchor))
                #expect(bad.status == .invalid, "\(variant.name)")
                #expect(try opensslAccepts(signature: signature, content: changed, anchor: variant.anchor) == false)
            }
        }
    }

    @Test("A PEM-armoured .p7s reads like its DER")
    func rsaPEM() throws {
        try withTemporaryDirectory { folder in
            let pem = "\(folder)/agreement.txt.p7s"
            let conversion = try Oracle.run(Oracle.openssl, ["cms", "-cmsout", "-inform", "DER", "-in",
                                                      SignatureFixtures.path("agreement.txt.p7s"), "-outform", "PEM", "-out", pem])
            #expect(conversion.status == 0)
            let verdicts = try Checking.detached(pem, over: SignatureFixtures.path("agreement.txt"), anchors: SignatureFixtures.anchors("rsa-ca"))
            #expect(verdicts.map(\.verdict.status) == [.valid])
        }
    }


    @Test("A .p7s that is not CMS is an invalid verdict naming the byte")
    func malformed() throws {
        try withTemporaryDirectory { folder in
            let content = try TestBytes.write(Array("text".utf8), to: "note.txt", in: folder)
            let signature = try TestBytes.write([0x30, 0x82, 0x01, 0x00, 0x06, 0x03], to: "note.txt.p7s", in: folder)
            let found = try Checking.detached(signature, over: content)
            #expect(found.map(\.location) == ["note.txt.p7s"])
            let verdict = try #require(found.first?.verdict)
            #expect(verdict == SignatureVerdict(format: .cms, status: .invalid, coversWholeDocument: false, checkedAt: verdict.checkedAt,
                                                reason: "malformed CMS: byte 0: element of 256 bytes runs past the end of its enclosure (2 bytes left)"))
        }
    }

    // MARK: - SM2

    @Test("An SM2 .p7s with the GM/T 0009 default ID is valid; the oracle agrees and the chain verifies in openssl")
    func sm2Valid() throws {
        for name in ["sm2-agreement.txt", "sm2-gm-oids.txt"] {
            // Given an SM2/SM3 detached CMS (RFC 5652 OIDs, then GM/T 0010 OIDs) and the SM2 CA as anchor
            let content = SignatureFixtures.path(name)
            let anchor = try SignatureFixtures.anchors("sm2-ca")[0]
            // When it is verified
            let verdicts = try Checking.detached(content + ".p7s", over: content, anchors: [anchor])
            // Then it is valid, chained to the SM2 CA
            let verdict = try #require(verdicts.first?.verdict)
            #expect(verdict.status == .valid, "\(name): \(verdict.reason ?? "")")
            #expect(verdict.algorithm == "SM2-SM3")
            #expect(verdict.signer == "李强 (SM2 test signer)")
            #expect(verdict.trustAnchor == anchor.fingerprint)
            #expect(verdict.signedAt != nil)
            // And the independent oracle finds the same
            let oracle = try Oracle.sm2([content + ".p7s", content])
            #expect(oracle.digestMatches && oracle.signatureVerifies)
        }
        // And openssl verifies the SM2 certificate chain when told the signer ID
        let chain = try Oracle.run(Oracle.openssl, ["verify", "-vfyopt", "distid:1234567812345678", "-CAfile",
                                             SignatureFixtures.path("pki/sm2-ca.pem"), SignatureFixtures.path("pki/sm2-signer.pem")])
        #expect(chain.status == 0)
    }

    @Test("OpenSSL 3.0's own CMS verification rejects the same SM2 signature (why the custom path exists)")
    func opensslCMSRejectsSM2() throws {
        let content = SignatureFixtures.path("sm2-agreement.txt")
        #expect(try opensslAccepts(signature: content + ".p7s", content: content, anchor: "sm2-ca") == false)
    }

    @Test("An SM2 .p7s over a changed file is invalid; the oracle's digest does not match either")
    func sm2ContentChanged() throws {
        try withTemporaryDirectory { folder in
            // Given the SM2 content with one byte flipped
            var bytes = try SignatureFixtures.bytes("sm2-agreement.txt")
            bytes[3] ^= 0x20
            let content = try TestBytes.write(bytes, to: "sm2-agreement.txt", in: folder)
            let signature = try TestBytes.write(try SignatureFixtures.bytes("sm2-agreement.txt.p7s"), to: "sm2-agreement.txt.p7s", in: folder)
            // When both check it
            let verdict = try #require(try Checking.detached(signature, over: content, anchors: SignatureFixtures.anchors("sm2-ca")).first?.verdict)
            let oracle = try Oracle.sm2([signature, content])
            // Then both see the SM3 digest differ (the signature over the attributes still holds)
            #expect(verdict.status == .invalid)
            #expect(try #require(verdict.reason).firstMatch(of: /^the signed bytes hash to SM3 [0-9a-f]{64}, the signature's message digest is [0-9a-f]{64}$/) != nil)
            #expect(oracle.digestMatches == false && oracle.signatureVerifies)
        }
    }

    @Test("An SM2 .p7s with one byte of its signature flipped is invalid; the oracle's pkeyutl refuses it too")
    func sm2SignatureFlipped() throws {
        try withTemporaryDirectory { folder in
            // Given the SM2 signature with one byte of the signature value (r) flipped
            var der = try SignatureFixtures.bytes("sm2-agreement.txt.p7s")
            let parsed = try CMSSignedData(parsing: der)
            let value = parsed.signers[0].signature
            let at = try #require(ByteSearch.firstIndex(of: value, in: der))
            der[at + 10] ^= 0x01
            let content = try TestBytes.write(try SignatureFixtures.bytes("sm2-agreement.txt"), to: "sm2-agreement.txt", in: folder)
            let signature = try TestBytes.write(der, to: "sm2-agreement.txt.p7s", in: folder)
            // When both check it
            let verdict = try #require(try Checking.detached(signature, over: content, anchors: SignatureFixtures.anchors("sm2-ca")).first?.verdict)
            let oracle = try Oracle.sm2([signature, content])
            // Then the SM2 signature fails for both
            #expect(verdict.status == .invalid)
            #expect(verdict.reason == "the SM2 signature over the signed attributes does not verify with the signer's public key (signer ID 1234567812345678 or empty)")
            #expect(oracle.digestMatches && oracle.signatureVerifies == false)
        }
    }

    @Test("An SM2 signature is untrusted when the SM2 CA is not an anchor")
    func sm2Untrusted() throws {
        let content = SignatureFixtures.path("sm2-agreement.txt")
        let verdicts = try Checking.detached(content + ".p7s", over: content, anchors: SignatureFixtures.anchors("rsa-ca"))
        #expect(verdicts.map(\.verdict.status) == [.untrusted])
    }
}
