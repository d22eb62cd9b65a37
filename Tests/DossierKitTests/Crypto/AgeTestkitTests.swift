@testable import DossierKit
import Foundation
import Testing

/// The C2SP/CCTV age test vectors that apply here (binary files, X25519 identities), copied
/// unchanged into Tests/Fixtures/age-testkit/testdata by import-testkit.py.
@Suite("age: the C2SP/CCTV testkit vectors")
struct AgeTestkitTests {
    static let folder = "\(AgeTesting.packageRoot)/Tests/Fixtures/age-testkit/testdata"

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    struct Vector {
        var expect = ""
        var payload: String?
        var identities: [String] = []
        var compressed = false
        var file: [UInt8] = []

        /// The textual header ("key: value" lines), an empty line, then the age file.
        init(_ bytes: [UInt8]) throws {
            let separator = Array("\n\n".utf8)
            guard let split = (0..<bytes.count - 1).first(where: { bytes[$0] == separator[0] && bytes[$0 + 1] == separator[1] }) else {
                throw AgeError.malformedHeader(line: 0, expected: "a testkit header", got: "none")
            }
            for line in String(decoding: bytes[..<split], as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                switch parts[0] {
                case "expect": expect = parts[1]
                case "payload": payload = parts[1]
                case "identity": identities.append(parts[1])
                case "compressed": compressed = parts[1] == "zlib"
                default: break
                }
            }
            file = Array(bytes[(split + 2)...])
        }
    }

    /// Inflates a zlib stream with Python (Foundation on Linux has no zlib).
    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        let outcome = try AgeTesting.run("/usr/bin/python3", ["\(AgeTesting.packageRoot)/Tests/Fixtures/age-testkit/inflate.py"], stdin: bytes)
        #expect(outcome.status == 0, "inflate.py: \(outcome.stderr)")
        return outcome.stdout
    }

    /// The testkit's failure classes, as this module's errors fall into them.
    static func category(of error: (any Error)?) -> String {
        guard let error else { return "success" }
        guard let error = error as? AgeError else { return "unexpected \(error)" }
        switch error {
        case .notAnAgeFile, .armoredFile, .unsupportedVersion, .malformedHeader, .headerTruncated, .headerTooLarge,
            .invalidStanza, .nonceTruncated:
            return "header failure"
        case .noIdentityMatched: return "no match"
        case .headerMACMismatch: return "HMAC failure"
        case .chunkAuthenticationFailed, .missingFinalChunk, .trailingData, .emptyFinalChunk: return "payload failure"
        default: return "unexpected \(error)"
        }
    }

    @Test("the vector folder holds the 68 applicable vectors")
    func vectorsArePresent() {
        #expect(Self.names.count == 68)
    }

    @Test("each vector decrypts, or fails in its class, releasing exactly the expected plaintext", arguments: names)
    func vector(name: String) throws {
        // Given a testkit vector and its X25519 identities
        var vector = try Vector(try AgeTesting.read("\(Self.folder)/\(name)"))
        if vector.compressed { vector.file = try Self.inflate(vector.file) }
        let identities = try vector.identities.filter { $0.hasPrefix("AGE-SECRET-KEY-1") }.map { try AgeIdentity($0) }
        #expect(!identities.isEmpty)

        // When it is decrypted
        let (output, error) = AgeTesting.decrypt(vector.file, with: identities, steps: [4096, 65_536 + 17, 1 << 20])

        // Then it fails (or not) in the expected class
        #expect(Self.category(of: error) == vector.expect, "\(name): \(AgeTesting.message(error))")
        // And what reached `write` is the plaintext age releases: all of it on success, the
        // chunks before the failing one on a payload failure, nothing before the payload
        if vector.expect == "success" || vector.expect == "payload failure", let payload = vector.payload {
            #expect(AgeTesting.sha256Hex(output) == payload, "\(name): \(output.count) bytes released")
        } else {
            #expect(output.isEmpty)
        }
        // And the authenticate-only pass reaches the same verdict, and the two-pass path for
        // pipes writes nothing at all from a bad file
        let reader = AgeTesting.Reader(vector.file)
        let checked = Result { try AgeFile.authenticate(with: identities, read: reader.read) }
        switch (checked, error) {
        case (.success(let size), nil): #expect(Int(size) == output.count)
        case (.failure(let checkError), let error?): #expect("\(checkError)" == "\(error)")
        default: Issue.record("\(name): authenticate and decrypt disagree")
        }
        let inMemory = AgeTesting.decryptInMemory(vector.file, with: identities)
        #expect(AgeTesting.message(inMemory.error) == AgeTesting.message(error), "\(name): in memory")
        AgeTesting.expectSameBytes(inMemory.output, output, "\(name): released in memory")
        let piped = AgeTesting.decryptForPipe(vector.file, with: identities)
        AgeTesting.expectSameBytes(piped.output, error == nil ? output : [])

        // And a header that parses encodes back to its own bytes (canonical parsing)
        if let header = try? AgeHeader.parse(vector.file) {
            #expect(AgeHeader.encodeAuthenticatedPart(header.stanzas) == header.authenticatedBytes)
        }
    }
}
