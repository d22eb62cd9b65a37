@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

@Suite("Trust anchors from PEM and DER files")
struct TrustAnchorTests {
    @Test("A PEM certificate's fingerprint is the SHA-256 of its DER, as openssl says")
    func fingerprint() throws {
        for path in ["rsa-ca", "ec-ca", "sm2-ca"].map({ SignatureFixtures.path("pki/\($0).pem") }) + [OFDFixtures.path("ca.pem")] {
            let anchors = try TrustAnchor.load(contentsOfFile: path)
            #expect(anchors.count == 1)
            #expect(anchors[0].fingerprint == (try Oracle.fingerprint(path)))
        }
    }

    @Test("A bundle yields every certificate in order; DER reads too")
    func bundleAndDER() throws {
        try withTemporaryDirectory { folder in
            // Given a two-certificate PEM bundle and the DER of the first
            let bundle = try SignatureFixtures.bytes("pki/rsa-ca.pem") + SignatureFixtures.bytes("pki/ec-ca.pem")
            let bundlePath = try TestBytes.write(bundle, to: "bundle.pem", in: folder)
            let derPath = "\(folder)/rsa-ca.der"
            #expect(try Oracle.run(Oracle.openssl, ["x509", "-in", SignatureFixtures.path("pki/rsa-ca.pem"), "-outform", "DER", "-out", derPath]).status == 0)
            // When they are read
            let fromBundle = try TrustAnchor.load(contentsOfFile: bundlePath)
            let fromDER = try TrustAnchor.load(contentsOfFile: derPath)
            // Then the bundle gives both, in order, and the DER the first
            #expect(fromBundle.map(\.subject) == ["CN=Dossier Test RSA CA,O=Dossier Test,C=CN", "CN=Dossier Test ECDSA CA,O=Dossier Test,C=CN"])
            #expect(fromDER == [fromBundle[0]])
            #expect(fromDER[0].fingerprint == (try Oracle.fingerprint(derPath, inform: "DER")))
        }
    }

    @Test("Anything but certificates is refused with a one-line error naming the block")
    func refusals() throws {
        try withTemporaryDirectory { folder in
            let key = try TestBytes.write(try SignatureFixtures.bytes("pki/rsa-signer.key"), to: "signer.key", in: folder)
            #expect(throws: TrustAnchorError.notACertificate(source: key, detail: "PEM block 1 is \"PRIVATE KEY\"")) {
                try TrustAnchor.load(contentsOfFile: key)
            }
            let mixed = try TestBytes.write(try SignatureFixtures.bytes("pki/rsa-ca.pem") + SignatureFixtures.bytes("pki/rsa-signer.key"),
                                  to: "mixed.pem", in: folder)
            #expect(throws: TrustAnchorError.notACertificate(source: mixed, detail: "PEM block 2 is \"PRIVATE KEY\"")) {
                try TrustAnchor.load(contentsOfFile: mixed)
            }
            let empty = try TestBytes.write([], to: "empty.pem", in: folder)
            #expect(throws: TrustAnchorError.noCertificate(source: empty)) { try TrustAnchor.load(contentsOfFile: empty) }
            let text = try TestBytes.write(Array("not a certificate\n".utf8), to: "text.pem", in: folder)
            #expect(throws: TrustAnchorError.notACertificate(source: text, detail: "got neither a PEM block nor DER (first byte 0x6e)")) {
                try TrustAnchor.load(contentsOfFile: text)
            }
            let badBase64 = try TestBytes.write(Array("-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n".utf8), to: "bad.pem", in: folder)
            #expect(throws: TrustAnchorError.notACertificate(source: badBase64, detail: "PEM block 1 (\"CERTIFICATE\") is not valid base64")) {
                try TrustAnchor.load(contentsOfFile: badBase64)
            }
            let notDER = try TestBytes.write(Array("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n".utf8), to: "short.pem", in: folder)
            let short = #expect(throws: TrustAnchorError.self) { try TrustAnchor.load(contentsOfFile: notDER) }
            #expect(short?.description.hasPrefix("\(notDER): PEM block 1: expected X.509 certificates (PEM \"CERTIFICATE\" blocks or DER), got 5 bytes that are not one DER certificate (error:") == true, "\(String(describing: short))")
            let missing = "\(folder)/missing.pem"
            #expect(throws: TrustAnchorError.unreadable(path: missing, detail: "\(missing): open failed: No such file or directory")) {
                try TrustAnchor.load(contentsOfFile: missing)
            }
            // And a file over the size limit is refused before it is read
            let big = try TestBytes.write([UInt8](repeating: 0x20, count: TrustAnchor.maximumFileSize + 1), to: "big.pem", in: folder)
            #expect(throws: TrustAnchorError.tooLarge(path: big, size: Int64(TrustAnchor.maximumFileSize + 1), limit: TrustAnchor.maximumFileSize)) {
                try TrustAnchor.load(contentsOfFile: big)
            }
        }
    }

    @Test("Error descriptions are one line naming the file and what was expected")
    func descriptions() {
        #expect(TrustAnchorError.notACertificate(source: "CA.pem", detail: "PEM block 1 is \"PRIVATE KEY\"").description
            == "CA.pem: expected X.509 certificates (PEM \"CERTIFICATE\" blocks or DER), PEM block 1 is \"PRIVATE KEY\"")
        #expect(TrustAnchorError.noCertificate(source: "CA.pem").description
            == "CA.pem: expected at least one X.509 certificate (PEM \"CERTIFICATE\" block or DER), found none")
    }
}
