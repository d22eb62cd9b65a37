import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The vault's seal key: Ed25519 and SM2 through OpenSSL EVP, checked against Debian's
/// `openssl pkeyutl` both ways.
@Suite("Seal keys: sign, verify, PEM, and stock OpenSSL agreeing")
struct SealKeyTests {
    static let message = Array("6ee2c3…  bag-info.txt\n说明 tag manifest\n".utf8)

    @Test("a seal verifies with its key, and not over other bytes or with another key", arguments: SealAlgorithm.allCases)
    func signAndVerify(_ algorithm: SealAlgorithm) throws {
        // Given a key and its seal of a message
        let key = try SealKey.generate(algorithm)
        let seal = try key.sign(SealKeyTests.message)
        // Then the key's public half accepts it
        #expect(key.publicKey.verifies(seal, of: SealKeyTests.message))
        // And not over one changed byte, nor as another key's, nor a flipped seal
        var changed = SealKeyTests.message
        changed[0] ^= 1
        #expect(!key.publicKey.verifies(seal, of: changed))
        #expect(!(try SealKey.generate(algorithm)).publicKey.verifies(seal, of: SealKeyTests.message))
        var flipped = seal
        flipped[flipped.count / 2] ^= 0x40
        #expect(!key.publicKey.verifies(flipped, of: SealKeyTests.message))
        #expect(!key.publicKey.verifies([], of: SealKeyTests.message))
    }

    @Test("the key and its public half survive PEM, with the same fingerprint", arguments: SealAlgorithm.allCases)
    func pemRoundTrip(_ algorithm: SealAlgorithm) throws {
        let key = try SealKey.generate(algorithm)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let read = try SealKey(pem: Array(key.pem.utf8))
        #expect(read.algorithm == algorithm)
        #expect(read.publicKey == key.publicKey)
        #expect(try SealPublicKey(pem: Array(key.publicKey.pem.utf8)) == key.publicKey)
        // A private key file also gives its public half (an auditor handed the wrong file still checks)
        #expect(try SealPublicKey(pem: Array(key.pem.utf8)) == key.publicKey)
        #expect(key.publicKey.fingerprint.hasPrefix("sha256:"))
        #expect(key.publicKey.fingerprint.count == 7 + 64)
        // And what one key sealed, the key read back verifies
        #expect(read.publicKey.verifies(try key.sign(SealKeyTests.message), of: SealKeyTests.message))
    }

    @Test("openssl pkeyutl verifies our seals and we verify its, both ways, and both reject a changed file", arguments: SealAlgorithm.allCases)
    func opensslAgrees(_ algorithm: SealAlgorithm) throws {
        try withTemporaryDirectory { directory in
            // Given our key, its public PEM, a file and our seal of it
            let key = try SealKey.generate(algorithm)
            try writeFile("\(directory)/seal.key", key.pem)
            try writeFile("\(directory)/seal.pem", key.publicKey.pem)
            try writeFile("\(directory)/tagmanifest-sha512.txt", SealKeyTests.message)
            try writeFile("\(directory)/ours.sig", try key.sign(SealKeyTests.message))
            let sm2Options = algorithm == .sm2 ? ["-digest", "sm3", "-pkeyopt", "distid:1234567812345678"] : []
            func opensslVerifies(_ file: String, _ signature: String) throws -> Bool {
                let outcome = try runProgram(
                    opensslCommand,
                    ["pkeyutl", "-verify", "-pubin", "-inkey", "\(directory)/seal.pem", "-rawin"] + sm2Options + ["-in", "\(directory)/\(file)", "-sigfile", "\(directory)/\(signature)"])
                #expect(outcome.stdout.contains(outcome.status == 0 ? "Signature Verified Successfully" : "Signature Verification Failure"), "\(outcome.stderr)")
                return outcome.status == 0
            }
            // When openssl checks our seal, and signs the file itself with our key
            #expect(try opensslVerifies("tagmanifest-sha512.txt", "ours.sig"))
            let signed = try runProgram(
                opensslCommand,
                ["pkeyutl", "-sign", "-inkey", "\(directory)/seal.key", "-rawin"] + sm2Options + ["-in", "\(directory)/tagmanifest-sha512.txt", "-out", "\(directory)/theirs.sig"])
            #expect(signed.status == 0, "\(signed.stderr)")
            // Then we accept openssl's seal
            #expect(key.publicKey.verifies(try FileSystem.readFile("\(directory)/theirs.sig"), of: SealKeyTests.message))
            // And with one byte changed in the file, both reject both seals
            var changed = SealKeyTests.message
            changed[3] ^= 1
            try writeFile("\(directory)/changed.txt", changed)
            #expect(!(try opensslVerifies("changed.txt", "ours.sig")))
            #expect(!(try opensslVerifies("changed.txt", "theirs.sig")))
            #expect(!key.publicKey.verifies(try FileSystem.readFile("\(directory)/ours.sig"), of: changed))
            // And the fingerprint is the sha256 of the DER openssl writes for the public key
            let der = try runProgram(opensslCommand, ["pkey", "-pubin", "-in", "\(directory)/seal.pem", "-outform", "DER", "-out", "\(directory)/seal.der"])
            #expect(der.status == 0)
            #expect(key.publicKey.fingerprint == "sha256:" + (try fileSHA256("\(directory)/seal.der")))
        }
    }

    @Test("a key openssl genpkey made is read, and its seals verify with openssl")
    func opensslMadeKey() throws {
        try withTemporaryDirectory { directory in
            // Given a key from `openssl genpkey -algorithm ed25519`
            let path = try opensslSealKey(in: directory)
            // When we load it (mode 600) and seal a file
            let key = try SealKey.load(fromFile: path)
            try writeFile("\(directory)/file", SealKeyTests.message)
            try writeFile("\(directory)/file.sig", try key.sign(SealKeyTests.message))
            // Then it is Ed25519, its public half is the one openssl derived, and openssl accepts the seal
            #expect(key.algorithm == .ed25519)
            #expect(try SealPublicKey(pem: try FileSystem.readFile("\(directory)/seal.pem")) == key.publicKey)
            let checked = try runProgram(opensslCommand, ["pkeyutl", "-verify", "-pubin", "-inkey", "\(directory)/seal.pem", "-rawin", "-in", "\(directory)/file", "-sigfile", "\(directory)/file.sig"])
            #expect(checked.status == 0, "\(checked.stderr)")
        }
    }

    @Test("a key file readable by others, a missing one, an RSA key and a public key as the private one are refused, each saying why")
    func refusals() throws {
        try withTemporaryDirectory { directory in
            let key = try SealKey.generate(.ed25519)
            try writeFile("\(directory)/open.key", key.pem)
            chmod("\(directory)/open.key", 0o644)
            #expect(throws: SealKeyError.self) { try SealKey.load(fromFile: "\(directory)/open.key") }
            do {
                _ = try SealKey.load(fromFile: "\(directory)/open.key")
            } catch {
                #expect("\(error)" == "\(directory)/open.key: the seal key is readable or writable by others (mode 644); keep it to the vault's owner: chmod 600 \(directory)/open.key")
            }
            do {
                _ = try SealKey.load(fromFile: "\(directory)/none.key")
            } catch {
                #expect("\(error)" == "\(directory)/none.key: no seal key (create one with `dossier seal init`, or give --seal-key FILE or DOSSIER_SEAL_KEY)")
            }
            let rsa = try runProgram(opensslCommand, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "\(directory)/rsa.key"])
            #expect(rsa.status == 0)
            chmod("\(directory)/rsa.key", 0o600)
            do {
                _ = try SealKey.load(fromFile: "\(directory)/rsa.key")
                Issue.record("an RSA key was taken for a seal key")
            } catch {
                #expect("\(error)" == "\(directory)/rsa.key: not a seal key: the key is RSA; a seal is Ed25519 or SM2")
            }
            try writeFile("\(directory)/public.key", key.publicKey.pem)
            chmod("\(directory)/public.key", 0o600)
            do {
                _ = try SealKey.load(fromFile: "\(directory)/public.key")
                Issue.record("a public key was taken for the private seal key")
            } catch {
                #expect("\(error)" == "\(directory)/public.key: not a seal key: no PRIVATE KEY block (PKCS#8); found PUBLIC KEY")
            }
        }
    }
}
