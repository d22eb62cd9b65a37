@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

/// The committed signature fixtures (Tests/Fixtures/signatures, made by make-fixtures.py).
enum SignatureFixtures {
    static let directory = "\(packageRoot)/Tests/Fixtures/signatures"

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    static func bytes(_ name: String) throws -> [UInt8] { try FileSystem.readFile(path(name)) }

    /// The anchors of PKI fixtures (`pki/NAME.pem`).
    static func anchors(_ names: String...) throws -> [TrustAnchor] {
        try names.flatMap { name throws(TrustAnchorError) in try TrustAnchor.load(contentsOfFile: path("pki/\(name).pem")) }
    }
}

/// The committed OFD fixtures (Tests/Fixtures/ofd, made by scripts/make-ofd-fixtures.py).
enum OFDFixtures {
    static let directory = "\(packageRoot)/Tests/Fixtures/ofd"

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    static func bytes(_ name: String) throws -> [UInt8] { try FileSystem.readFile(path(name)) }

    static func anchors(_ names: String...) throws -> [TrustAnchor] {
        try names.flatMap { name throws(TrustAnchorError) in try TrustAnchor.load(contentsOfFile: path(name)) }
    }

    /// ofdkit's text of a file, pages separated by form feeds (scripts/ofdkit-text.py).
    static func ofdkitText(_ file: String) throws -> String {
        let output = try runProgram(try validatorPython(), ["\(packageRoot)/scripts/ofdkit-text.py", file])
        guard output.status == 0 else { throw MissingValidator(name: "ofdkit (ofdkit-text.py failed: \(output.stderr))") }
        return output.stdout
    }
}

/// The signature checks as the tests call them: at the time of the test run (what the entry point's
/// `checkedAt` is at filing), straight into the PDF, detached-CMS and OFD checkers.
enum Checking {
    static var now: String { Timestamp.rfc3339(unixSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: 0) }

    static func check(_ anchors: [TrustAnchor]) throws -> CMSSignatureCheck {
        CMSSignatureCheck(anchors: TrustAnchor.certificates(anchors), fallbackTime: try #require(SignatureTime(rfc3339: now)))
    }

    /// The signatures embedded in the PDF at `path`.
    static func pdf(_ path: String, anchors: [TrustAnchor] = [], limits: SignatureLimits = SignatureLimits()) throws -> [CheckedSignature] {
        try PDFSignatures.check(RandomAccessFile(path: path, name: FileSystem.lastComponent(of: path)), check: check(anchors),
                                limits: limits, checkedAt: now)
    }

    /// A detached CMS signature over the whole content file.
    static func detached(_ signature: String, over content: String, anchors: [TrustAnchor] = []) throws -> [CheckedSignature] {
        try DetachedSignature.check(signatureAt: signature, contentAt: content, contentName: FileSystem.lastComponent(of: content),
                                    check: check(anchors), limits: SignatureLimits(), checkedAt: now)
    }

    /// The seals and signatures of the OFD at `path`.
    static func ofd(_ path: String, anchors: [TrustAnchor] = []) throws -> [CheckedSignature] {
        try OFDDocument.open(path: path).signatures(anchors: anchors, checkedAt: now, at: try #require(SignatureTime(rfc3339: now)))
    }
}

/// The independent tools used as oracles: openssl, and the validators' Python (pyHanko's
/// `validate_pdf_signature`, an asn1crypto + SM3 + `openssl pkeyutl` SM2 checker).
enum Oracle {
    static let openssl = "/usr/bin/openssl"

    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessOutcome {
        try runProgram(executable, arguments)
    }

    /// pyHanko's verdict on each signature of a PDF (pyhanko_oracle.py).
    struct PyHankoVerdict: Decodable {
        var field: String?
        var type: String?
        var intact: Bool?
        var valid: Bool?
        var trusted: Bool?
        var bottomLine: Bool?
        var coverage: String?
        var modificationLevel: String?
        var signer: String?
        var error: String?

        /// The status our documented policy gives for what pyHanko found: intact+valid+trusted over the
        /// whole file is valid; over an earlier revision (bytes added after) indeterminate; intact+valid
        /// but not trusted is untrusted; anything not intact or not valid (or refused) is invalid.
        var expectedStatus: SignatureStatus {
            guard error == nil, intact == true, valid == true else { return .invalid }
            guard trusted == true else { return .untrusted }
            return coverage == nil || coverage == "ENTIRE_FILE" ? .valid : .indeterminate
        }
    }

    static func pyHanko(_ pdf: String, anchors: [String]) throws -> [PyHankoVerdict] {
        let arguments = [SignatureFixtures.path("pyhanko_oracle.py"), pdf]
            + anchors.flatMap { ["--anchor", SignatureFixtures.path("pki/\($0).pem")] }
        let result = try run(try validatorPython(), arguments)
        #expect(result.status == 0, "pyhanko_oracle.py failed: \(result.stderr)")
        let data = Data(result.stdout.utf8)
        if let verdicts = try? JSONDecoder().decode([PyHankoVerdict].self, from: data) { return verdicts }
        // The whole file was refused.
        return [try JSONDecoder().decode(PyHankoVerdict.self, from: data)]
    }

    /// What sm2_oracle.py finds: the SM3 digest of the signed bytes against messageDigest, and
    /// `openssl pkeyutl -verify` with the default signer ID over the signed attributes.
    struct SM2Verdict: Decodable {
        var digestMatches: Bool
        var signatureVerifies: Bool
    }

    static func sm2(_ arguments: [String]) throws -> SM2Verdict {
        let result = try run(try validatorPython(), [SignatureFixtures.path("sm2_oracle.py")] + arguments)
        #expect(result.status == 0, "sm2_oracle.py failed: \(result.stderr)")
        return try JSONDecoder().decode(SM2Verdict.self, from: Data(result.stdout.utf8))
    }

    /// `openssl x509 -fingerprint -sha256`, as lowercase hex without colons.
    static func fingerprint(_ path: String, inform: String = "PEM") throws -> String {
        let result = try run(openssl, ["x509", "-inform", inform, "-in", path, "-noout", "-fingerprint", "-sha256"])
        #expect(result.status == 0)
        let value = try #require(result.stdout.split(separator: "=").last)
        return value.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ":", with: "").lowercased()
    }
}

/// Byte surgery on fixtures.
enum TestBytes {
    /// Writes `bytes` to `name` in `folder` and returns the path.
    @discardableResult
    static func write(_ bytes: [UInt8], to name: String, in folder: String) throws -> String {
        let path = "\(folder)/\(name)"
        try writeFile(path, bytes)
        return path
    }

    /// The first offset of `needle` in `haystack`.
    static func offset(of needle: String, in haystack: [UInt8]) -> Int? {
        ByteSearch.firstIndex(of: Array(needle.utf8), in: haystack)
    }

    /// Replaces the first occurrence of `old` with `new` (same length, so offsets stay right).
    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        precondition(old.utf8.count == new.utf8.count, "replacement must keep the length")
        guard let at = offset(of: old, in: bytes) else { preconditionFailure("\(old) not found") }
        var result = bytes
        result.replaceSubrange(at..<(at + old.utf8.count), with: Array(new.utf8))
        return result
    }

    /// Writes a zip of `members` (deflated, in order) through the library's own writer.
    static func zip(_ members: [(String, [UInt8])], to path: String) throws {
        let descriptor = try FileDescriptor.open(path, .replace)
        defer { descriptor.closeQuietly() }
        try ArchiveWriter.write(.zip, to: descriptor, displayName: path, modificationTime: 1_700_000_000) { writer in
            for (name, bytes) in members { try writer.addFile(name, contents: bytes, compress: true) }
        }
    }

    /// Decodes hex digits (no whitespace), for digging into fixtures.
    static func base16(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            guard let high = PDFObjectParser.hexValue(digits[index]),
                  let low = PDFObjectParser.hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
