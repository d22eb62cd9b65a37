@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// A plain-text paper is identified with one pass over libmagic's patterns, not two: the MIME
/// type `text/plain` is inferred from a description in the form libmagic's plain-text reader
/// writes. The inference must agree with libmagic's own answer for every file.
@Suite("libmagic: plain text identified in one pass")
struct MagicTextTests {
    /// Text of every encoding and line ending libmagic names, and texts a pattern claims.
    static let samples: [(name: String, bytes: [UInt8])] = {
        let text = "第一条 本合同由甲乙双方签订。\n第二条 收益分配。\n"
        var gb18030: [UInt8] = []
        if let converted = Iconv.convert(Array(text.utf8), from: "UTF-8", to: "GB18030") { gb18030 = converted }
        return [
            ("utf8.txt", Array(text.utf8)),
            ("bom.txt", [0xEF, 0xBB, 0xBF] + Array(text.utf8)),
            ("gb18030.txt", gb18030),
            ("utf16le.txt", [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("utf16be.txt", [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
            ("crlf.txt", Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
            ("cr.txt", Array(text.replacingOccurrences(of: "\n", with: "\r").utf8)),
            ("mixed.txt", Array("a\r\nb\nc\rd\n".utf8)),
            ("long.txt", Array((String(repeating: "x", count: 400) + "\n").utf8)),
            ("escape.txt", Array("hello \u{1B}[1mbold\u{1B}[0m\n".utf8)),
            ("overstrike.txt", Array("h\u{08}hello\n".utf8)),
            ("latin1.txt", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x0A]),
            ("no-newline.txt", Array("收益分配".utf8)),
            ("script.txt", Array("#!/bin/sh\necho hello\n".utf8)),
            ("python.txt", Array("#!/usr/bin/env python3\nimport sys\nprint(sys.argv)\n".utf8)),
            ("table.csv", Array("a,b,c\n1,2,3\n4,5,6\n".utf8)),
            ("data.json", Array("{\"a\": [1, 2, 3]}\n".utf8)),
            ("key.pem", Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)),
            ("page.html", Array("<!DOCTYPE html>\n<html><body>合同</body></html>\n".utf8)),
        ]
    }()

    @Test("every sample and every file under Tests/Fixtures gets libmagic's own MIME type and description")
    func agreesWithLibmagic() throws {
        try withTemporaryDirectory { directory in
            var paths: [String] = []
            for sample in Self.samples {
                try writeFile("\(directory)/\(sample.name)", sample.bytes)
                paths.append("\(directory)/\(sample.name)")
            }
            let fixtures = FileManager.default.enumerator(atPath: "\(packageRoot)/Tests/Fixtures")
            while let relative = fixtures?.nextObject() as? String {
                let path = "\(packageRoot)/Tests/Fixtures/\(relative)"
                if case .regular = FileSystem.kind(of: path) { paths.append(path) }
            }
            var inferred = 0
            for path in paths {
                let identified = try MagicIdentification.identify(fileAt: path)
                #expect(identified.mimeType == (try MagicIdentification.libmagicMimeType(fileAt: path)), "\(path): \(identified.description)")
                if MagicIdentification.isPlainTextDescription(identified.description) { inferred += 1 }
            }
            // The samples' plain texts (13) and the fixtures' were identified in one pass.
            #expect(inferred >= 13, "\(inferred) of \(paths.count) inferred")
            #expect(paths.count > 300)
        }
    }

    @Test("the plain-text reader's forms are recognised; a pattern's match is not", arguments: [
        ("ASCII text", true),
        ("Unicode text, UTF-8 text, with CRLF line terminators", true),
        ("Unicode text, UTF-8 (with BOM) text, with very long lines (1451), with CRLF, LF line terminators", true),
        ("ISO-8859 text, with no line terminators", true),
        ("Unicode text, UTF-16, little-endian text", true),
        ("Python script, ASCII text executable", false),
        ("a /bin/foo script, ASCII text executable", false),
        ("CSV text", false),
        ("PEM RSA private key", false),
        ("exported SGML document, ASCII text", false),
        ("ASCII text, with very long lines (many)", false),
        ("Unicode text, UTF-32, little-endian", false),
        ("EBCDIC text", false),
        ("", false),
    ])
    func plainTextForms(description: String, plain: Bool) {
        #expect(MagicIdentification.isPlainTextDescription(description) == plain)
    }
}
