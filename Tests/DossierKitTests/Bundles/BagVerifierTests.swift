import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// verify-bundle on bags the conformance suite does not cover: damaged archives, folders
/// that are not bags, links, BagIt 1.0 path encoding.
@Suite("Bag verification beyond the conformance suite")
struct BagVerifierTests {
    /// A small valid BagIt 1.0 bag written by hand: one payload file, sha256 manifest.
    static func writeBag(_ folder: String, payloadName: String = "hello.txt", manifestName: String? = nil) throws {
        let payload = Array("hello\n".utf8)
        try writeFile("\(folder)/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        try writeFile("\(folder)/data/\(payloadName)", payload)
        let digest = try Hasher.digest(.sha256, of: payload).hex
        try writeFile("\(folder)/manifest-sha256.txt", "\(digest)  data/\(manifestName ?? payloadName)\n")
    }

    @Test("a hand-made BagIt 1.0 bag is valid, with no warnings")
    func minimalBag() throws {
        try withTemporaryDirectory { directory in
            try BagVerifierTests.writeBag("\(directory)/bag")
            let report = try BagVerifier.verify("\(directory)/bag")
            #expect(report.isValid)
            #expect(report.warnings.isEmpty)
            #expect(report.version == "1.0")
            #expect(report.payloadFiles == 1)
            #expect(report.payloadBytes == 6)
            #expect(report.manifests == ["sha256"])
        }
    }

    @Test("a folder that is not a bag is reported as such and left exactly as it was")
    func notABag() throws {
        try withTemporaryDirectory { directory in
            // Given a folder of ordinary files (bdbag would turn it into a bag and call it valid)
            try writeFile("\(directory)/papers/协议.pdf", randomBytes(1000))
            let before = try treeFingerprint("\(directory)/papers")
            // When it is verified
            let report = try BagVerifier.verify("\(directory)/papers")
            // Then it is invalid for lack of bagit.txt, and untouched
            #expect(report.errors == [BagProblem(file: "bagit.txt", problem: "missing; a bag declares itself and its BagIt version in bagit.txt")])
            #expect(try treeFingerprint("\(directory)/papers") == before)
        }
    }

    @Test("a truncated archive is invalid, not a crash")
    func truncatedArchive() throws {
        try withTemporaryDirectory { directory in
            // Given a bag as tar.gz with its second half cut off
            try BagVerifierTests.writeBag("\(directory)/bag", payloadName: "big.bin")
            try writeFile("\(directory)/bag/data/big.bin", randomBytes(2_000_000))
            try archiveFolder("\(directory)/bag", format: .tarGzip, to: "\(directory)/bag.tar.gz", topFolder: "bag")
            let bytes = try FileSystem.readFile("\(directory)/bag.tar.gz")
            try FileSystem.writeNewFile("\(directory)/cut.tar.gz", Array(bytes.prefix(bytes.count / 2)))
            // When it is verified
            let report = try BagVerifier.verify("\(directory)/cut.tar.gz")
            // Then it is invalid, saying the archive cannot be read to its end
            #expect(!report.isValid)
            #expect(report.errors.contains { $0.file.isEmpty && $0.problem.hasPrefix("the archive cannot be read to its end: ") })
        }
    }

    @Test("links in a folder bag are refused, not followed")
    func symbolicLink() throws {
        try withTemporaryDirectory { directory in
            // Given a valid bag plus a link in its payload pointing outside
            try BagVerifierTests.writeBag("\(directory)/bag")
            try writeFile("\(directory)/secret.txt", "outside")
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/bag/data/link.txt", withDestinationPath: "\(directory)/secret.txt")
            // Then the link is named as an error
            let report = try BagVerifier.verify("\(directory)/bag")
            #expect(report.errors == [BagProblem(file: "data/link.txt", problem: "is a symbolic link; a bag holds regular files, and links are not followed")])
        }
    }

    @Test("BagIt 1.0 decodes %25 in manifests and refuses a bare %")
    func percentEncoding() throws {
        try withTemporaryDirectory { directory in
            // Given a 1.0 bag with a file named "100%.txt", listed as RFC 8493 says (100%25.txt)
            try BagVerifierTests.writeBag("\(directory)/good", payloadName: "100%.txt", manifestName: "100%25.txt")
            #expect(try BagVerifier.verify("\(directory)/good").isValid)
            // And one listing it with a bare % (as bagit-python writes it)
            try BagVerifierTests.writeBag("\(directory)/bare", payloadName: "100%.txt")
            let report = try BagVerifier.verify("\(directory)/bare")
            // Then the bare % is an error naming the line, and the file is unlisted
            #expect(report.errors == [
                BagProblem(file: "manifest-sha256.txt", problem: "line 1: \"data/100%.txt\" holds \"%.t\"; BagIt 1.0 encodes only %, CR and LF (as %25, %0D, %0A), so a literal % must be written %25"),
                BagProblem(file: "data/100%.txt", problem: "not listed in manifest-sha256.txt; every payload file is listed in every payload manifest", aspect: .completeness),
            ])
        }
    }

    @Test("an NFC and an NFD file of the same name are two files, each checked")
    func normalizationTwins() throws {
        try withTemporaryDirectory { directory in
            // Given a 1.0 bag holding "Núñez" in NFC and in NFD (Linux allows both), each listed
            let nfc = "data/N\u{FA}\u{F1}ez"
            let nfd = "data/Nu\u{301}n\u{303}ez"
            try writeFile("\(directory)/bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
            try writeFile("\(directory)/bag/\(nfc)", "one")
            try writeFile("\(directory)/bag/\(nfd)", "two")
            let one = try Hasher.digest(.sha256, of: Array("one".utf8)).hex
            let two = try Hasher.digest(.sha256, of: Array("two".utf8)).hex
            try writeFile("\(directory)/bag/manifest-sha256.txt", "\(one)  \(nfc)\n\(two)  \(nfd)\n")
            // When it is verified
            let report = try BagVerifier.verify("\(directory)/bag")
            // Then both files are matched by bytes and checked: valid, with the collision warned about
            #expect(report.errors.isEmpty)
            #expect(report.payloadFiles == 2)
            #expect(report.warnings.count == 1)
            #expect(report.warnings.first?.problem.hasPrefix("differs from ") == true)
        }
    }
}
