import CDossierZlib
@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

/// Writes small PDFs object by object, with a correct classic cross-reference table.
struct TestPDFBuilder {
    private var objects: [Int: [UInt8]] = [:]

    mutating func add(_ number: Int, _ body: String) { objects[number] = Array(body.utf8) }
    mutating func add(_ number: Int, bytes: [UInt8]) { objects[number] = bytes }

    /// The file: header, objects, xref table, trailer (/Root 1 0 R plus `trailer`), startxref, %%EOF.
    func build(trailer: String = "") -> [UInt8] {
        var out = Array("%PDF-1.7\n%\u{e2}\u{e3}\n".utf8)
        var offsets: [Int: Int] = [:]
        for number in objects.keys.sorted() {
            offsets[number] = out.count
            out += Array("\(number) 0 obj\n".utf8) + (objects[number] ?? []) + Array("\nendobj\n".utf8)
        }
        let size = (objects.keys.max() ?? 0) + 1
        let xref = out.count
        out += Array("xref\n0 \(size)\n".utf8)
        for number in 0..<size {
            if let at = offsets[number] {
                out += Array(String(format: "%010d 00000 n \n", at).utf8)
            } else {
                out += Array("0000000000 65535 f \n".utf8)
            }
        }
        out += Array("trailer\n<< /Size \(size) /Root 1 0 R \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    /// A catalog (1), pages (2), AcroForm (3) whose /Fields are `fields`.
    static func form(fields: String) -> TestPDFBuilder {
        var builder = TestPDFBuilder()
        builder.add(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>")
        builder.add(2, "<< /Type /Pages /Kids [] /Count 0 >>")
        builder.add(3, "<< /Fields \(fields) >>")
        return builder
    }

    /// Fills a `/ByteRange [0 0000000000 0000000000 0000000000]` placeholder with the real gap
    /// around the first `/Contents <…>`, keeping the length.
    static func fixByteRange(_ bytes: [UInt8]) -> [UInt8] {
        let placeholder = "[0 0000000000 0000000000 0000000000]"
        guard let contents = TestBytes.offset(of: "/Contents <", in: bytes) else { return bytes }
        let start = contents + "/Contents ".utf8.count
        guard let close = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else { return bytes }
        let end = close + 1
        let real = String(format: "[0 %010d %010d %010d]", start, end, bytes.count - end)
        return TestBytes.replacing(placeholder, with: real, in: bytes)
    }
}

@Suite("Hostile and broken PDFs: errors or non-valid verdicts, bounded work")
struct HostilePDFTests {
    func verify(_ bytes: [UInt8], limits: SignatureLimits = SignatureLimits()) throws -> [SignatureVerdict] {
        try located(bytes, limits: limits).map(\.verdict)
    }

    func located(_ bytes: [UInt8], limits: SignatureLimits = SignatureLimits()) throws -> [CheckedSignature] {
        try withTemporaryDirectory { folder in
            try Checking.pdf(TestBytes.write(bytes, to: "hostile.pdf", in: folder), limits: limits)
        }
    }

    /// The error verifying `bytes` throws, with the file's name replaced by "FILE".
    func error(_ bytes: [UInt8], limits: SignatureLimits = SignatureLimits()) throws -> String {
        try withTemporaryDirectory { folder in
            let path = try TestBytes.write(bytes, to: "hostile.pdf", in: folder)
            do {
                _ = try Checking.pdf(path, limits: limits)
                return "no error"
            } catch {
                return "\(error)".replacingOccurrences(of: "hostile.pdf", with: "FILE")
            }
        }
    }

    @Test("A /ByteRange reaching past the end of the file is invalid")
    func byteRangePastEOF() throws {
        // Given rsa-pades.pdf with the ByteRange's last length replaced by nines (same width)
        let original = try SignatureFixtures.bytes("rsa-pades.pdf")
        let at = try #require(TestBytes.offset(of: "/ByteRange [", in: original))
        let close = try #require(original[at...].firstIndex(of: UInt8(ascii: "]")))
        let text = String(decoding: original[at...close], as: UTF8.self)
        let numbers = text.dropFirst("/ByteRange [".count).dropLast().split(separator: " ")
        let last = try #require(numbers.last)
        let forged = "/ByteRange [" + numbers.dropLast().joined(separator: " ") + " " + String(repeating: "9", count: last.count) + "]"
        // When it is verified
        let verdicts = try verify(TestBytes.replacing(text, with: forged, in: original))
        // Then the signature is invalid, saying so
        #expect(verdicts.count == 1)
        #expect(verdicts[0].status == .invalid)
        #expect(verdicts[0].reason?.hasSuffix("reaches past the end of the file (\(original.count) bytes)") == true)
    }

    @Test("A /ByteRange whose gap is not exactly /Contents is invalid")
    func byteRangeGap() throws {
        // Given rsa-pades.pdf with the gap's start moved by one byte (same width)
        let original = try SignatureFixtures.bytes("rsa-pades.pdf")
        let contents = try #require(TestBytes.offset(of: "/Contents <", in: original)) + "/Contents ".utf8.count
        let forged = TestBytes.replacing("/ByteRange [0 \(contents) ", with: "/ByteRange [0 \(contents - 1) ", in: original)
        // When it is verified
        let verdicts = try verify(forged)
        // Then it is invalid, the reason naming the ranges
        #expect(verdicts.map(\.status) == [.invalid])
        #expect(try #require(verdicts[0].reason).firstMatch(of: /^\/ByteRange \[0 \d+ \d+ \d+\] does not cover everything but the \/Contents string \(bytes \d+–\d+\)$/) != nil)
    }

    @Test("A 20 MB /Contents stops at the object limit: indeterminate, memory bounded")
    func hugeContents() throws {
        // Given a signature dictionary whose /Contents is 20 MB of hex digits
        var builder = TestPDFBuilder.form(fields: "[4 0 R]")
        builder.add(4, "<< /FT /Sig /T (Big) /V 5 0 R >>")
        builder.add(5, bytes: Array("<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 0 0 0] /Contents <".utf8)
            + [UInt8](repeating: UInt8(ascii: "0"), count: 20_000_000) + Array("> >>".utf8))
        // When it is verified
        let found = try located(builder.build())
        // Then that signature is indeterminate, naming the limit
        #expect(found.count == 1)
        #expect(found[0].verdict.status == .indeterminate)
        #expect(found[0].location == "Big")
        #expect(found[0].verdict.reason == "the signature dictionary (object 5) exceeds the limit of 8388608 bytes for one object")
    }

    @Test("A /Contents over the signature-size limit is indeterminate; garbage /Contents is malformed CMS")
    func contentsLimitAndGarbage() throws {
        // Given a well-placed ByteRange around a /Contents of 4,000 zero bytes
        var builder = TestPDFBuilder.form(fields: "[4 0 R]")
        builder.add(4, "<< /FT /Sig /T (Zeros) /V 5 0 R >>")
        builder.add(5, "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 0000000000 0000000000 0000000000] /Contents <"
            + String(repeating: "00", count: 4_000) + "> >>")
        let bytes = TestPDFBuilder.fixByteRange(builder.build())
        // When verified with a 1,000-byte signature limit, then with the default
        var small = SignatureLimits()
        small.maximumSignatureBytes = 1_000
        let limited = try verify(bytes, limits: small)
        let normal = try verify(bytes)
        // Then the first is indeterminate and the second invalid (zeros are no CMS)
        #expect(limited.map(\.status) == [.indeterminate])
        #expect(limited[0].reason == "/Contents holds 4000 bytes, over the limit of 1000")
        #expect(normal.map(\.status) == [.invalid])
        #expect(normal[0].reason == "malformed CMS in /Contents: byte 0: expected ContentInfo SEQUENCE (tag 0x30), got tag 0x00")
    }

    @Test("Truncated and empty files are errors naming what is missing")
    func truncated() throws {
        let original = try SignatureFixtures.bytes("rsa-pades.pdf")
        // Cut in the signed revision: the unsigned revision's %%EOF is followed by half a revision.
        let half = try error(Array(original.prefix(original.count / 2)))
        #expect(half.firstMatch(of: /^FILE: not a readable PDF: \d+ bytes after the %%EOF that ends the last revision are not whitespace \(the file was appended to or truncated\)$/) != nil, "\(half)")
        #expect(try error(Array(original.prefix(300))) == "FILE: not a readable PDF: no startxref in the last 4096 bytes (truncated file?)")
        #expect(try error([]) == "FILE: not a readable PDF: no %PDF- header in the first 1024 bytes")
        // Cut inside the last trailer: startxref and %%EOF are gone; whatever revision is found first, the
        // file is refused (which message depends on where earlier revisions end).
        #expect(try error(Array(original.dropLast(40))).hasPrefix("FILE: not a readable PDF: "))
    }

    @Test("100,000 signature fields with /ByteRange stop at the signature limit")
    func manySignatureFields() throws {
        // Given an AcroForm listing 100,000 signature fields, each with a signature dictionary
        let count = 100_000
        var builder = TestPDFBuilder.form(fields: "[" + (0..<count).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ") + "]")
        for index in 0..<count {
            builder.add(4 + 2 * index, "<< /FT /Sig /T (f\(index)) /V \(5 + 2 * index) 0 R >>")
            builder.add(5 + 2 * index, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>")
        }
        // When it is verified
        // Then the 101st signature is refused with the limit
        #expect(try error(builder.build()) == "FILE: signatures exceeds the limit of 100")
    }

    @Test("100,000 /ByteRange strings outside any signature field are not signatures")
    func manyDecoys() throws {
        // Given an unsigned form and 100,000 unreferenced signature-like objects
        var builder = TestPDFBuilder.form(fields: "[]")
        for index in 0..<100_000 {
            builder.add(4 + index, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>")
        }
        // When it is verified
        // Then there is no signature to report
        #expect(try verify(builder.build()).isEmpty)
    }

    @Test("A looping /Prev chain and a lying offset are rebuilt; a startxref past the end or a file with no objects is an error")
    func brokenCrossReferences() throws {
        // A second xref section whose /Prev points at itself: the table is rebuilt by scanning.
        let base = TestPDFBuilder.form(fields: "[]").build()
        let looped = base + Array("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev \(base.count) >>\nstartxref\n\(base.count)\n%%EOF\n".utf8)
        #expect(try verify(looped).isEmpty)

        // Object 1's xref entry pointing at object 2: found on lookup, then rebuilt.
        let text = String(decoding: base, as: UTF8.self)
        let entries = text.components(separatedBy: "\n").filter { $0.hasSuffix(" 00000 n ") }
        #expect(try verify(TestBytes.replacing(entries[0], with: entries[1], in: base)).isEmpty)

        // A startxref past the end of the file.
        let startxref = try #require(text.firstMatch(of: /startxref\n(\d+)/)).1
        let pastEnd = TestBytes.replacing("startxref\n\(startxref)", with: "startxref\n" + String(repeating: "9", count: startxref.count), in: base)
        #expect(try error(pastEnd).hasPrefix("FILE: not a readable PDF: startxref points to byte 9"))

        // Nothing to rebuild from: the original problem is reported.
        let hopeless = Array("%PDF-1.7\nnothing here\nstartxref\n9\n%%EOF\n".utf8)
        #expect(try error(hopeless) == "FILE: not a readable PDF: byte 9: expected \"xref\" or a cross-reference stream object")
    }

    @Test("Broken cross-reference data is rebuilt by scanning, as readers do: signatures are still found")
    func rebuiltCrossReferences() throws {
        // Given rsa-pades.pdf with its last startxref off by one (same width): the startxref is inside
        // the signed range, so the signature must break, but it must still be found
        let original = try SignatureFixtures.bytes("rsa-pades.pdf")
        let text = String(decoding: original, as: UTF8.self)
        let last = try #require(text.matches(of: /startxref\n(\d+)/).last)
        let value = try #require(Int(last.1))
        let moved = String(value + 1).count == last.1.count ? String(value + 1) : String(value - 1)
        let shifted = TestBytes.replacing("startxref\n\(last.1)\n%%EOF", with: "startxref\n\(moved)\n%%EOF", in: original)
        let anchors = try SignatureFixtures.anchors("rsa-ca")
        // When it is verified
        let verdicts = try withTemporaryDirectory { folder in
            try Checking.pdf(TestBytes.write(shifted, to: "shifted.pdf", in: folder), anchors: anchors).map(\.verdict)
        }
        // Then the rebuilt table leads to the signature, whose digest no longer matches
        #expect(verdicts.map(\.status) == [.invalid])
        #expect(verdicts.first?.reason?.hasPrefix("the signed bytes hash to SHA256 ") == true)

        // Space-padded offsets ("        15 00000 n") are read as numbers.
        let form = TestPDFBuilder.form(fields: "[]").build()
        let padded = String(decoding: form, as: UTF8.self).replacing(/(?m)^0000000(\d{3}) 00000 n/) { "       \($0.1) 00000 n" }
        #expect(try verify(Array(padded.utf8)).isEmpty)
        // Entry lines of uneven length are caught and the table rebuilt.
        let uneven = String(decoding: form, as: UTF8.self).replacing(" 00000 n \n", with: " 00000 n\n", maxReplacements: 1)
        #expect(try verify(Array(uneven.utf8)).isEmpty)
    }

    @Test("Cyclic and oversized field trees end: cycles are skipped, a huge tree stops at the limit")
    func fieldTrees() throws {
        // A field that is its own kid.
        var cyclic = TestPDFBuilder.form(fields: "[4 0 R]")
        cyclic.add(4, "<< /FT /Sig /T (loop) /Kids [4 0 R] >>")
        #expect(try verify(cyclic.build()).isEmpty)

        // A chain of 30,000 nested fields.
        var deep = TestPDFBuilder.form(fields: "[4 0 R]")
        for index in 0..<30_000 { deep.add(4 + index, "<< /T (n) /Kids [\(5 + index) 0 R] >>") }
        #expect(try error(deep.build()) == "FILE: form field nodes exceeds the limit of 20000")
    }

    @Test("Nesting deeper than 64 levels is refused, not recursed into")
    func deepNesting() throws {
        var builder = TestPDFBuilder.form(fields: "[]")
        builder.add(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R /Deep " + String(repeating: "[", count: 5_000)
            + String(repeating: "]", count: 5_000) + " >>")
        let message = try error(builder.build())
        #expect(message.firstMatch(of: /^FILE: not a readable PDF: object 1 at byte \d+: byte \d+: objects nested deeper than 64 levels$/) != nil, "\(message)")
    }

    @Test("A cross-reference stream that inflates past the stream limit is refused at the limit")
    func deflateBomb() throws {
        // Given a PDF whose only cross-reference data is a FlateDecode stream of 70 MB of zeros (≈70 KB)
        let zeros = [UInt8](repeating: 0, count: 70_000_000)
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(UInt(zeros.count))))
        var compressedSize = UInt(compressed.count)
        #expect(compress2(&compressed, &compressedSize, zeros, UInt(zeros.count), 9) == Z_OK)
        compressed.removeLast(compressed.count - Int(compressedSize))
        var bytes = Array("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8)
        let xref = bytes.count
        bytes += Array("2 0 obj\n<< /Type /XRef /Size 3 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length \(compressed.count) >>\nstream\n".utf8)
        bytes += compressed + Array("\nendstream\nendobj\nstartxref\n\(xref)\n%%EOF\n".utf8)
        // When it is verified
        // Then decoding stops at 64 MiB with the limit named
        #expect(try error(bytes) == "FILE: the cross-reference stream at byte \(xref): decoded stream bytes exceeds the limit of 67108864")
    }

    @Test("Work budgets: total decoded bytes, parsed bytes and values per object stop hostile documents")
    func budgets() throws {
        // Two object streams of ~1 MB each (whitespace after their objects), reached from the catalog;
        // a total decode budget of 1.5 MB stops at the second.
        func deflate(_ bytes: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: Int(compressBound(UInt(bytes.count))))
            var size = UInt(out.count)
            _ = compress2(&out, &size, bytes, UInt(bytes.count), 6)
            return Array(out.prefix(Int(size)))
        }
        var file = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        for (number, object) in [(10, "<< /Type /Catalog /AcroForm 3 0 R >>"), (11, "<< /Fields [] >>")] {
            let body = Array("\(number == 10 ? 1 : 3) 0 ".utf8)
            let data = deflate(body + Array(object.utf8) + [UInt8](repeating: 0x20, count: 1_000_000))
            offsets[number] = file.count
            file += Array("\(number) 0 obj\n<< /Type /ObjStm /N 1 /First \(body.count) /Filter /FlateDecode /Length \(data.count) >>\nstream\n".utf8)
            file += data + Array("\nendstream\nendobj\n".utf8)
        }
        let xref = file.count
        func row(_ type: UInt8, _ field: Int, _ index: Int) -> [UInt8] {
            [type, UInt8(field >> 24 & 0xFF), UInt8(field >> 16 & 0xFF), UInt8(field >> 8 & 0xFF), UInt8(field & 0xFF),
             UInt8(index >> 8), UInt8(index & 0xFF)]
        }
        var rows: [UInt8] = []
        for number in 0...12 {
            switch number {
            case 1: rows += row(2, 10, 0)
            case 3: rows += row(2, 11, 0)
            case 10, 11: rows += row(1, offsets[number] ?? 0, 0)
            case 12: rows += row(1, xref, 0)
            default: rows += row(0, 0, 0)
            }
        }
        file += Array("12 0 obj\n<< /Type /XRef /Size 13 /W [1 4 2] /Root 1 0 R /Length \(rows.count) >>\nstream\n".utf8)
        file += rows + Array("\nendstream\nendobj\nstartxref\n\(xref)\n%%EOF\n".utf8)
        #expect(try verify(file).isEmpty, "within the default budgets the form is read and has no signature")
        var tight = SignatureLimits()
        tight.maximumDecodedBytes = 1_500_000
        #expect(try error(file, limits: tight) == "FILE: decoded stream bytes in total exceeds the limit of 1500000")

        // 200 small fields with a parse budget of 64 KiB (each field read costs a 4 KiB window).
        var fields = TestPDFBuilder.form(fields: "[" + (0..<200).map { "\(4 + $0) 0 R" }.joined(separator: " ") + "]")
        for index in 0..<200 { fields.add(4 + index, "<< /FT /Tx /T (t\(index)) >>") }
        var parsing = SignatureLimits()
        parsing.maximumParsedBytes = 64 * 1024
        #expect(try error(fields.build(), limits: parsing) == "FILE: bytes of object text parsed exceeds the limit of 65536")

        // One object of 600,000 values.
        var wide = TestPDFBuilder.form(fields: "[]")
        wide.add(1, "<< /Type /Catalog /AcroForm 3 0 R /Wide [" + String(repeating: "1 ", count: 600_000) + "] >>")
        let message = try error(wide.build())
        #expect(message.firstMatch(of: /^FILE: not a readable PDF: object 1 at byte \d+: byte \d+: more than 500000 values in one object$/) != nil, "\(message)")
    }

    @Test("An encrypted PDF is refused as such")
    func encrypted() throws {
        let builder = TestPDFBuilder.form(fields: "[]")
        #expect(try error(builder.build(trailer: "/Encrypt << /Filter /Standard >>"))
            == "FILE: the PDF is encrypted (/Encrypt in its trailer); expected an unencrypted PDF to verify signatures in")
    }
}
