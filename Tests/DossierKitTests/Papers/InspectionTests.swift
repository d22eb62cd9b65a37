import CDossierZlib
import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// The fixtures of Tests/Fixtures/four-properties (made by its make-fixtures.py).
enum FourPropertiesFixtures {
    static let directory = "\(packageRoot)/Tests/Fixtures/four-properties"
    static func path(_ name: String) -> String { "\(directory)/\(name)" }
    static func bytes(_ name: String) throws -> [UInt8] { try FileSystem.readFile(path(name)) }

    /// A 1×1 RGB PNG.
    static let png: [UInt8] = {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            var length = UInt32(data.count).bigEndian
            let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
            var crc = UInt32(truncatingIfNeeded: crc32(0, body, UInt32(body.count))).bigEndian
            return lengthBytes + body + withUnsafeBytes(of: &crc) { Array($0) }
        }
        // IDAT: zlib stream of one filter byte and one RGB pixel, stored (no compression).
        let raw: [UInt8] = [0, 0xFF, 0, 0]
        var adler = UInt32(truncatingIfNeeded: adler32(1, raw, UInt32(raw.count))).bigEndian
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF] + raw + withUnsafeBytes(of: &adler) { Array($0) }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]) + chunk("IDAT", idat) + chunk("IEND", [])
    }()

    /// The EICAR anti-virus test file (68 bytes): harmless, and every scanner's test signature.
    static let eicar = Array(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)

    /// A ClamAV hash-signature database (`.hdb`: md5:size:name) that knows the EICAR file, written
    /// into `folder/test.hdb`; returns the folder.
    @discardableResult
    static func eicarDatabase(in folder: String) throws -> String {
        let md5 = try NamedHasher.hex("md5", of: eicar)
        try writeFile("\(folder)/test.hdb", "\(md5):\(eicar.count):Eicar-Test-Signature\n")
        return folder
    }
}

@Suite("Format identification by content (U2, U4, S1)")
struct InspectionTests {
    typealias F = FourPropertiesFixtures

    static func inspect(_ path: String, name: String? = nil) throws -> DocumentInspection {
        try DocumentInspection.inspect(fileAt: path, fileName: name ?? FileSystem.lastComponent(of: path))
    }

    @Test("a clean PDF: version, nothing active, not encrypted, no PDF/A claim")
    func cleanPDF() throws {
        let inspection = try Self.inspect(F.path("clean.pdf"))
        #expect(inspection.content == .pdf)
        #expect(inspection.mimeType == "application/pdf")
        #expect(!inspection.nameContradictsContent)
        let pdf = try #require(inspection.pdf)
        #expect(pdf.version == "1.4")
        #expect(pdf.conformance == nil)
        #expect(!pdf.isEncrypted && !pdf.needsPassword)
        #expect(pdf.javaScript.isEmpty && pdf.launchActions.isEmpty && pdf.embeddedFiles.isEmpty)
        #expect(pdf.walkProblem == nil)
    }

    @Test("JavaScript, a launch action, an embedded program and an embedded XML file are each found where they are")
    func activeContent() throws {
        let script = try #require(try Self.inspect(F.path("javascript.pdf")).pdf)
        #expect(script.javaScript == ["object 9 (an action /S /JavaScript)"])
        #expect(script.launchActions.isEmpty && script.embeddedFiles.isEmpty)

        let launch = try #require(try Self.inspect(F.path("launch.pdf")).pdf)
        #expect(launch.launchActions == ["object 9 (an action /S /Launch)"])
        #expect(launch.javaScript.isEmpty)

        let program = try #require(try Self.inspect(F.path("embedded-exe.pdf")).pdf)
        #expect(program.embeddedFiles.map(\.name) == ["tool.exe"])
        #expect(program.embeddedFiles.first?.executable?.hasPrefix("ELF 64-bit") == true, "\(program.embeddedFiles)")

        let xml = try #require(try Self.inspect(F.path("embedded-xml.pdf")).pdf)
        #expect(xml.embeddedFiles == [PDFFacts.EmbeddedFile(name: "invoice.xml", executable: nil)])
        #expect(xml.javaScript.isEmpty && xml.launchActions.isEmpty)
    }

    @Test("the PDF/A claim is read from the XMP metadata")
    func pdfA() throws {
        #expect(try Self.inspect(F.path("pdfa.pdf")).pdf?.conformance == "PDF/A-2b")
        #expect(PDFInspection.xmpValue("pdfaid:part", in: #"<rdf:Description pdfaid:part="3" pdfaid:conformance="U"/>"#) == "3")
        #expect(PDFInspection.xmpValue("pdfaid:part", in: "<x/>") == nil)
    }

    @Test("a password-protected PDF: encrypted, needs a password, its objects not walked")
    func encryptedPDF() throws {
        let inspection = try Self.inspect(F.path("encrypted.pdf"))
        #expect(inspection.content == .pdf)
        let pdf = try #require(inspection.pdf)
        #expect(pdf.isEncrypted && pdf.needsPassword)
        #expect(pdf.walkProblem == "the PDF is encrypted, so its objects were not looked at for scripts or embedded files")
        // poppler agrees: it will not open it without the password.
        let info = try runProgram("/usr/bin/pdfinfo", [F.path("encrypted.pdf")])
        #expect(info.status != 0)
        #expect(try runProgram("/usr/bin/pdfinfo", ["-upw", "user-secret", F.path("encrypted.pdf")]).status == 0)
    }

    @Test("DOCX told from a zip by its parts, and macros by vbaProject.bin")
    func wordDocuments() throws {
        let plain = try Self.inspect(F.path("plain.docx"))
        #expect(plain.content == .docx)
        #expect(plain.zip?.macros == [])
        let macro = try Self.inspect(F.path("macro.docm"))
        #expect(macro.content == .docx)
        #expect(macro.zip?.macros == ["word/vbaProject.bin"])
        #expect(macro.mimeType == "application/vnd.ms-word.document.macroEnabled.12")
        try withTemporaryDirectory { directory in
            let zip = "\(directory)/archive.docx"
            try TestBytes.zip([("readme.txt", Array("hello".utf8))], to: zip)
            let inspection = try Self.inspect(zip)
            #expect(inspection.content == .zip)
            #expect(inspection.nameClaims == .docx)
            #expect(inspection.nameContradictsContent)
        }
    }

    @Test("an OFD is a zip with OFD.xml at its root, whatever its name")
    func ofd() throws {
        let ofd = "\(packageRoot)/Tests/Fixtures/ofd/sealed.ofd"
        let inspection = try Self.inspect(ofd)
        #expect(inspection.content == .ofd)
        #expect(inspection.zip?.hasOFDRoot == true)
        try withTemporaryDirectory { directory in
            try FileSystem.link(ofd, to: "\(directory)/合同.zip")
            let renamed = try Self.inspect("\(directory)/合同.zip")
            #expect(renamed.content == .ofd)
            #expect(renamed.nameContradictsContent)
        }
    }

    @Test("a PNG named .pdf: the bytes say PNG, the name says PDF; file(1) agrees on what the bytes are")
    func mismatch() throws {
        try withTemporaryDirectory { directory in
            let path = try TestBytes.write(F.png, to: "扫描件.pdf", in: directory)
            let inspection = try Self.inspect(path)
            #expect(inspection.content == .png)
            #expect(inspection.nameClaims == .pdf)
            #expect(inspection.nameContradictsContent)
            #expect(inspection.description.hasPrefix("PNG image data, 1 x 1"))
            let file = try runProgram("/usr/bin/file", ["-b", "--mime-type", path])
            #expect(file.stdout == "image/png\n")
            let asPNG = try TestBytes.write(F.png, to: "扫描件.png", in: directory)
            #expect(try !Self.inspect(asPNG).nameContradictsContent)
        }
    }

    @Test("programs, GB18030 text, images and archives by content; file(1) gives the same MIME types")
    func contentKinds() throws {
        try withTemporaryDirectory { directory in
            let cases: [(String, [UInt8], PaperContent)] = [
                ("tool.pdf", try FileSystem.readFile("/bin/true"), .executable),
                ("旧公示.txt", try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/index/旧公示.txt"), .text),
                ("eicar.txt", F.eicar, .text),
                ("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9], .jpeg),
                ("scan.tif", [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 20), .tiff),
                ("papers.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0], .archive),
            ]
            for (name, bytes, expected) in cases {
                let path = try TestBytes.write(bytes, to: name, in: directory)
                let inspection = try Self.inspect(path)
                #expect(inspection.content == expected, "\(name): \(inspection.description)")
                let file = try runProgram("/usr/bin/file", ["-b", "--mime-type", path])
                #expect(file.stdout == inspection.mimeType + "\n", "\(name)")
            }
        }
    }

    @Test("a zip's encrypted members and members compressed with other methods than stored and deflate")
    func zipProtection() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/contract.ofd"
            try TestBytes.zip([("OFD.xml", Array("<ofd:OFD/>".utf8)), ("Doc_0/Document.xml", Array("<d/>".utf8))], to: path)
            var bytes = try FileSystem.readFile(path)
            // Central directory entries: "PK\u{1}\u{2}", flags at +8, method at +10.
            var offsets: [Int] = []
            for index in 0..<(bytes.count - 4) where bytes[index] == 0x50 && bytes[index + 1] == 0x4B && bytes[index + 2] == 1 && bytes[index + 3] == 2 {
                offsets.append(index)
            }
            #expect(offsets.count == 2)
            bytes[offsets[0] + 8] |= 0x01
            bytes[offsets[1] + 10] = 12
            bytes[offsets[1] + 11] = 0
            try writeFile(path, bytes)
            let inspection = try Self.inspect(path)
            #expect(inspection.content == .ofd)
            #expect(inspection.zip?.encryptedMembers == ["OFD.xml"])
            #expect(inspection.zip?.unusualCompression.map(\.member) == ["Doc_0/Document.xml"])
            #expect(inspection.zip?.unusualCompression.map(\.method) == [12])
        }
    }

    @Test("an age file is seen as encrypted")
    func ageFile() throws {
        let inspection = try Self.inspect("\(packageRoot)/Tests/Fixtures/age-header-corpus/age-hello.age")
        #expect(inspection.isAgeEncrypted)
        #expect(inspection.content == .other)
    }

    @Test("a file that cannot be read is an error naming it")
    func unreadable() throws {
        #expect(throws: PaperInspectionError.self) { try Self.inspect("/nonexistent/x.pdf") }
    }
}

@Suite("Virus scan through libclamav (S2)")
struct VirusScannerTests {
    typealias F = FourPropertiesFixtures

    @Test("the EICAR file is found with a hash database written here; a clean file is clean; clamscan agrees both ways")
    func eicar() throws {
        try withTemporaryDirectory { directory in
            let database = try F.eicarDatabase(in: "\(directory)/db")
            let scanner = try VirusScanner(databaseAt: database)
            #expect(scanner.signatures == 1)
            let infected = try TestBytes.write(F.eicar, to: "eicar.txt", in: directory)
            let clean = F.path("clean.pdf")
            #expect(scanner.scan(fileAt: infected) == .infected("Eicar-Test-Signature.UNOFFICIAL"))
            #expect(scanner.scan(fileAt: clean) == .clean)
            let oracle = try runProgram("/usr/bin/clamscan", ["--no-summary", "--database=\(database)", infected, clean])
            #expect(oracle.status == 1)
            #expect(oracle.stdout.contains("\(infected): Eicar-Test-Signature.UNOFFICIAL FOUND"))
            #expect(oracle.stdout.contains("\(clean): OK"))
        }
    }

    @Test("the EICAR file inside a zip is found too (ClamAV unpacks archives)")
    func inArchive() throws {
        try withTemporaryDirectory { directory in
            let scanner = try VirusScanner(databaseAt: try F.eicarDatabase(in: "\(directory)/db"))
            let zip = "\(directory)/papers.docx"
            try TestBytes.zip([("word/document.xml", Array("<w/>".utf8)), ("word/media/x.bin", F.eicar)], to: zip)
            #expect(scanner.scan(fileAt: zip) == .infected("Eicar-Test-Signature.UNOFFICIAL"))
        }
    }

    @Test("a missing or empty database is refused with the path and why")
    func badDatabase() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: VirusScanError.database(path: "\(directory)/none", problem: "no such file or folder")) {
                try VirusScanner(databaseAt: "\(directory)/none")
            }
            try FileSystem.makeDirectory("\(directory)/empty")
            #expect(throws: VirusScanError.self) { try VirusScanner(databaseAt: "\(directory)/empty") }
        }
    }
}
