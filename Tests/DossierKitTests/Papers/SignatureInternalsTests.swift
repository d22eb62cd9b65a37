@testable import DossierKit
import _DossierTestSupport
import Foundation
import Testing

@Suite("Signature internals: times, DER, PDF syntax, predictors")
struct SignatureInternalsTests {
    // MARK: - Times

    @Test("ASN.1 and PDF times become RFC 3339, keeping the writer's offset")
    func times() {
        #expect(SignatureTime(asn1: Array("240520093000Z".utf8), generalized: false)?.rfc3339 == "2024-05-20T09:30:00Z")
        #expect(SignatureTime(asn1: Array("491231235959Z".utf8), generalized: false)?.rfc3339 == "2049-12-31T23:59:59Z")
        #expect(SignatureTime(asn1: Array("500101000000Z".utf8), generalized: false)?.rfc3339 == "1950-01-01T00:00:00Z")
        #expect(SignatureTime(asn1: Array("20240229120000.123Z".utf8), generalized: true)?.rfc3339 == "2024-02-29T12:00:00Z")
        #expect(SignatureTime(pdfDate: Array("D:20240520173000+08'00'".utf8))?.rfc3339 == "2024-05-20T17:30:00+08:00")
        #expect(SignatureTime(pdfDate: Array("D:20240520173000+08'00'".utf8))?.secondsSinceEpoch
            == SignatureTime(asn1: Array("240520093000Z".utf8), generalized: false)?.secondsSinceEpoch)
        #expect(SignatureTime(pdfDate: Array("D:2024".utf8))?.rfc3339 == "2024-01-01T00:00:00Z")
        #expect(SignatureTime(pdfDate: Array("D:20231231230000-05'30".utf8))?.rfc3339 == "2023-12-31T23:00:00-05:30")
        // Impossible dates and garbage are nil, never a guess.
        #expect(SignatureTime(asn1: Array("20230229120000Z".utf8), generalized: true) == nil)
        #expect(SignatureTime(asn1: Array("2405200930Z00".utf8), generalized: false) == nil)
        #expect(SignatureTime(pdfDate: Array("yesterday".utf8)) == nil)
    }

    @Test("Seal and OFD signature-file times: zones kept, local times +08:00, two-digit years as UTCTime")
    func sealTimes() {
        #expect(SignatureTime(sealText: "20201010071120Z")?.rfc3339 == "2020-10-10T07:11:20Z")
        #expect(SignatureTime(sealText: "201010071120Z")?.rfc3339 == "2020-10-10T07:11:20Z")
        #expect(SignatureTime(sealText: "20201010151120")?.rfc3339 == "2020-10-10T15:11:20+08:00")
        #expect(SignatureTime(sealText: "2020-10-10 15:11:20")?.rfc3339 == "2020-10-10T15:11:20+08:00")
        #expect(SignatureTime(sealText: " 2020-10-10T15:11:20-05:30 ")?.rfc3339 == "2020-10-10T15:11:20-05:30")
        #expect(SignatureTime(sealText: "20201010151120.5+0800")?.rfc3339 == "2020-10-10T15:11:20+08:00")
        #expect(SignatureTime(sealText: "20201010151120+0800")?.secondsSinceEpoch == SignatureTime(sealText: "20201010071120Z")?.secondsSinceEpoch)
        #expect(SignatureTime(sealText: "2020-13-10 15:11:20") == nil)
        #expect(SignatureTime(sealText: "2020年10月10日") == nil)
        // And the vault's own RFC 3339 times read back to the same second
        #expect(SignatureTime(rfc3339: "2020-10-10T15:11:20+08:00")?.secondsSinceEpoch == SignatureTime(sealText: "20201010071120Z")?.secondsSinceEpoch)
        #expect(SignatureTime(rfc3339: "2020-10-10") == nil)
    }

    // MARK: - DER

    @Test("DER: object identifiers, indefinite lengths, overruns and nesting limits")
    func der() throws {
        // signedData's OID
        let oid: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
        var reader = DERReader(oid)
        let element = try #require(try reader.next())
        #expect(try reader.objectIdentifier(element) == "1.2.840.113549.1.7.2")

        // A BER indefinite-length SEQUENCE holding an INTEGER, then end-of-contents
        let indefinite: [UInt8] = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x05, 0x00]
        reader = DERReader(indefinite)
        let sequence = try #require(try reader.next())
        #expect(sequence.isIndefinite && sequence.end == 7)
        var inner = try reader.children(of: sequence)
        #expect(try inner.smallInteger(inner.read(DERElement.integer, "integer")) == 5)
        #expect(try reader.next()?.tag == DERElement.null)

        // A length past the data
        var overrun = DERReader([0x04, 0x05, 0x01])
        do {
            _ = try overrun.next()
            Issue.record("expected an overrun error")
        } catch {
            #expect(error.description == "byte 0: element of 5 bytes runs past the end of its enclosure (1 bytes left)")
        }

        // 60 nested indefinite SEQUENCEs: refused at the depth limit, not recursed into
        let deep: [UInt8] = Array(repeating: [0x30, 0x80], count: 60).flatMap { $0 } + Array(repeating: 0x00, count: 120)
        var deepReader = DERReader(deep)
        do {
            _ = try deepReader.next()
            Issue.record("expected a nesting error")
        } catch {
            #expect(error.description.hasSuffix("nested deeper than 40 levels"))
        }
    }

    @Test("A raw 64-byte SM2 signature becomes a DER SEQUENCE of two INTEGERs; a DER one stays as it is")
    func rawSignature() {
        let r = [UInt8](repeating: 0x80, count: 32)
        let s = [UInt8](repeating: 0, count: 31) + [0x01]
        let der = DERWriter.signatureSequence(fromRaw: r + s)
        #expect(der == [0x30, 0x26, 0x02, 0x21, 0x00] + r + [0x02, 0x01, 0x01])
        #expect(DERWriter.signatureSequence(fromRaw: der) == der)
        // 64 bytes that happen to start like a SEQUENCE are still read as r‖s
        let lookalike: [UInt8] = [0x30] + [UInt8](repeating: 0x11, count: 63)
        #expect(DERWriter.signatureSequence(fromRaw: lookalike).count == 70)
    }

    @Test("DER: a whole structure, bounded element lists, bit strings")
    func derWhole() throws {
        // SEQUENCE { INTEGER 1, BIT STRING 00 AB } then a stray byte
        let bytes: [UInt8] = [0x30, 0x07, 0x02, 0x01, 0x01, 0x03, 0x02, 0x00, 0xAB]
        let reader = DERReader(bytes)
        let root = try reader.root()
        let parts = try reader.elements(of: root)
        #expect(parts.map(\.tag) == [DERElement.integer, DERElement.bitString])
        #expect(try reader.bitString(parts[1]) == [0xAB])
        #expect(throws: DERError.self) { try reader.elements(of: root, maximum: 1) }
        #expect((try? DERReader(bytes + [0x00]).root()) == nil, "a byte after the structure is refused")
        let unused = DERReader([0x03, 0x02, 0x04, 0xA0])
        #expect(throws: DERError.self) { try unused.bitString(unused.root()) }
    }

    // MARK: - PDF syntax

    @Test("PDF objects: references, strings with positions, escapes, names")
    func pdfSyntax() throws {
        let text = "12 0 obj\n<< /A 5 0 R /B [1 2 R] /C (a\\(b\\)\\101\\\nc) /D <48 65 6c6C 6> /E#20x -3.5 /F true >>\nendobj"
        var parser = PDFObjectParser(Array(text.utf8), base: 1000, reachesEnd: true)
        let object = try parser.parseIndirectObject()
        #expect(object.reference == PDFReference(number: 12, generation: 0))
        let dictionary = try #require(object.value.dictionary)
        #expect(dictionary["A"]?.reference == PDFReference(number: 5, generation: 0))
        // "1 2 R" inside an array is a reference too; "[1 2" alone would be two integers.
        #expect(dictionary["B"]?.array?.first?.reference == PDFReference(number: 1, generation: 2))
        #expect(dictionary["C"]?.string?.bytes == Array("a(b)Ac".utf8))
        let hexString = try #require(dictionary["D"]?.string)
        #expect(hexString.bytes == [0x48, 0x65, 0x6C, 0x6C, 0x60])
        #expect(hexString.isHex)
        let start = try #require(text.range(of: "<48")).lowerBound.utf16Offset(in: text)
        #expect(hexString.start == Int64(1000 + start))
        #expect(hexString.end == Int64(1000 + start + "<48 65 6c6C 6>".count))
        #expect(dictionary["E x"] != nil)
        #expect(dictionary["F"].map { if case .boolean(true) = $0 { true } else { false } } == true)

        var integers = PDFObjectParser(Array("[1 2]".utf8), base: 0, reachesEnd: true)
        #expect(try integers.parseValue(depth: 0).array?.compactMap(\.integer) == [1, 2])
    }

    @Test("A parse that runs off a partial window asks for more instead of failing")
    func truncatedWindow() {
        var parser = PDFObjectParser(Array("1 0 obj << /Contents <00".utf8), base: 0, reachesEnd: false)
        #expect(throws: PDFSyntaxError.self) { try parser.parseIndirectObject() }
        var partial = PDFObjectParser(Array("1 0 obj << /Contents <00".utf8), base: 0, reachesEnd: false)
        do {
            _ = try partial.parseIndirectObject()
        } catch .truncated {
        } catch {
            Issue.record("expected .truncated, got \(error)")
        }
    }

    @Test("PDF text strings: UTF-16BE with BOM, UTF-8 with BOM, PDFDocEncoding")
    func textStrings() {
        #expect(PDFString(bytes: [0xFE, 0xFF, 0x7B, 0x7E, 0x54, 0x0D], isHex: true, start: -1, end: -1).text == "签名")
        #expect(PDFString(bytes: [0xEF, 0xBB, 0xBF] + Array("签名".utf8), isHex: false, start: -1, end: -1).text == "签名")
        #expect(PDFString(bytes: Array("Signature1".utf8), isHex: false, start: -1, end: -1).text == "Signature1")
    }

    @Test("PNG Up predictor rows decode as in ISO 32000-1 §7.4.4.4")
    func pngPredictor() throws {
        // Two rows of 3 columns: row 1 "None" [1 2 3], row 2 "Up" [1 1 1] → [2 3 4]
        let encoded: [UInt8] = [0, 1, 2, 3, 2, 1, 1, 1]
        let decoded = try StreamDecoder.unpredict(encoded, parameters: ["Predictor": .integer(12), "Columns": .integer(3)])
        #expect(decoded == [1, 2, 3, 2, 3, 4])
    }

    @Test("The object-stream fixture really is read through object streams")
    func objectStreamsExercised() throws {
        // Given ecdsa-objstm.pdf, whose parent field "Parties" pyHanko left in the first revision's object stream
        let file = try RandomAccessFile(path: SignatureFixtures.path("ecdsa-objstm.pdf"))
        let document = try PDFDocument(file: file, limits: SignatureLimits())
        let catalog = try #require(try document.resolve(document.trailerValue("Root")).dictionary)
        let form = try #require(try document.resolve(catalog["AcroForm"]).dictionary)
        let parent = try #require(form["Fields"]?.array?.first?.reference)
        // Then the cross-reference data places it in an object stream, and it resolves to the field
        guard case .compressed? = try document.location(of: parent.number) else {
            Issue.record("field \(parent) is not in an object stream")
            return
        }
        #expect(try document.resolve(.reference(parent)).dictionary?["T"]?.string?.text == "Parties")
        #expect(document.sections.count == 2)
    }
}
