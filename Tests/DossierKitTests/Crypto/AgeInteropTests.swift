@testable import DossierKit
import Foundation
import Testing

/// Debian's `age` 1.1.1 as the oracle, both ways: what we write it reads, what it writes we read.
@Suite("age: interoperability with Debian's age 1.1.1")
struct AgeInteropTests {
    /// Empty, one byte, around the 64 KiB chunk boundary, three exact chunks, a few MiB.
    static let sizes = [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 5 * 1_048_576 + 123]

    @Test("our files decrypt with age -d to the exact bytes, and have the size we predict", arguments: sizes)
    func oursDecryptWithAge(size: Int) throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given a key made by age-keygen and a plaintext of `size` bytes
            let (key, recipient) = try AgeTesting.ageKeygen(in: directory)
            let plaintext = AgeTesting.bytes(size, seed: UInt64(size))
            // When we encrypt to its recipient (reading in uneven pieces)
            let file = try AgeTesting.encrypt(plaintext, to: [try AgeRecipient(recipient)], steps: [1000, 70_000, 1 << 20])
            try AgeTesting.write("\(directory)/file.age", file)
            // Then the file has the predicted size
            #expect(Int64(file.count) == AgeFile.encryptedSize(plaintextSize: Int64(size), recipients: 1))
            // And age -d gives back the exact bytes
            // (to standard output: age -o creates no file for an empty plaintext)
            let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-d", "-i", key, "\(directory)/file.age"])
            #expect(outcome.status == 0, "age -d: \(outcome.stderr)")
            AgeTesting.expectSameBytes(outcome.stdout, plaintext)
        }
    }

    @Test("files made by age -r decrypt here to the exact bytes", arguments: sizes)
    func ageFilesDecryptHere(size: Int) throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given an identity of ours and a file age -r encrypted to its recipient
            let identity = try AgeIdentity.generate()
            let plaintext = AgeTesting.bytes(size, seed: UInt64(size) + 7)
            try AgeTesting.write("\(directory)/plain", plaintext)
            let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-r", identity.recipient.encoded, "-o", "\(directory)/file.age", "\(directory)/plain"])
            #expect(outcome.status == 0, "age -r: \(outcome.stderr)")
            let file = try AgeTesting.read("\(directory)/file.age")
            // When we decrypt it (reading in uneven pieces)
            let (output, error) = AgeTesting.decrypt(file, with: [identity], steps: [333, 65_552, 1 << 20, 17])
            // Then the bytes are the plaintext, and age's file has the size we would have written
            #expect(error == nil, "\(AgeTesting.message(error))")
            AgeTesting.expectSameBytes(output, plaintext)
            #expect(Int64(file.count) == AgeFile.encryptedSize(plaintextSize: Int64(size), recipients: 1))
            // And the authenticate-only pass agrees on the size
            #expect(try AgeFile.authenticate(with: [identity], read: AgeTesting.Reader(file).read) == Int64(size))
        }
    }

    @Test("age -R with two recipients: each identity opens the file here, alone or in an identity file")
    func ageTwoRecipients() throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given a recipients file with one key of ours and one made by age-keygen
            let ours = try AgeIdentity.generate()
            let (theirsPath, theirsRecipient) = try AgeTesting.ageKeygen(in: directory)
            try AgeTesting.write("\(directory)/recipients.txt", "# readers\n\(ours.recipient.encoded)\n\(theirsRecipient)\n")
            let plaintext = AgeTesting.bytes(200_000, seed: 42)
            try AgeTesting.write("\(directory)/plain", plaintext)
            let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-R", "\(directory)/recipients.txt", "-o", "\(directory)/file.age", "\(directory)/plain"])
            #expect(outcome.status == 0, "age -R: \(outcome.stderr)")
            let file = try AgeTesting.read("\(directory)/file.age")
            #expect(try AgeHeader.parse(file).stanzas.count == 2)
            // When each identity decrypts it, and both together from one identity file
            let theirs = try AgeIdentity.parseFile(String(decoding: try AgeTesting.read(theirsPath), as: UTF8.self))
            let both = try AgeIdentity.parseFile(theirs[0].fileText(created: "x") + ours.fileText(created: "y"))
            for identities in [[ours], theirs, both] {
                let (output, error) = AgeTesting.decrypt(file, with: identities)
                // Then each gives the plaintext
                #expect(error == nil, "\(AgeTesting.message(error))")
                AgeTesting.expectSameBytes(output, plaintext)
            }
        }
    }

    @Test("our files for two recipients decrypt with age -d under either key")
    func oursTwoRecipients() throws {
        try AgeTesting.requireAge()
        try AgeTesting.withTemporaryDirectory { directory in
            // Given two age-keygen keys and a file we encrypted to both
            let first = try AgeTesting.ageKeygen(in: directory, name: "first.txt")
            let second = try AgeTesting.ageKeygen(in: directory, name: "second.txt")
            let plaintext = AgeTesting.bytes(70_000, seed: 9)
            let file = try AgeTesting.encrypt(plaintext, to: [try AgeRecipient(first.recipient), try AgeRecipient(second.recipient)])
            try AgeTesting.write("\(directory)/file.age", file)
            #expect(Int64(file.count) == AgeFile.encryptedSize(plaintextSize: 70_000, recipients: 2))
            for key in [first.path, second.path] {
                // When age -d reads it from standard input with either key
                let outcome = try AgeTesting.run(AgeTesting.ageBinary, ["-d", "-i", key], stdin: file)
                // Then it gives the plaintext
                #expect(outcome.status == 0, "age -d: \(outcome.stderr)")
                AgeTesting.expectSameBytes(outcome.stdout, plaintext)
            }
        }
    }
}
