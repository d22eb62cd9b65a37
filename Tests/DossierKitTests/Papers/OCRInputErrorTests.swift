@testable import DossierKit
import Foundation
import Testing

/// Bad, damaged and hostile input: each refused with its exact one-line error, before anything
/// large is decoded, and with nothing printed by the C libraries.
@Suite("OCR input errors")
struct OCRInputErrorTests {
    /// Writes `bytes` as `name` into `folder` and returns the path.
    private func write(_ bytes: Data, _ name: String, in folder: String) throws -> String {
        let path = "\(folder)/\(name)"
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func prefix(of name: String, _ count: Int) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: "\(OCRFixtures.folder)/\(name)")).prefix(count)
    }

    /// The error `OCRReader` throws for the file at `path`.
    private func readingError(_ path: String, engine: OCREngine) -> String? {
        do {
            _ = try OCRReader.read(fileAt: path, using: engine)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("Damaged images, a damaged PDF and files of other kinds give one-line errors")
    func damagedFiles() throws {
        try OCRFixtures.withCopies(["cmyk.jpg"]) { folder in
            // Given a truncated PNG, JPEG and TIFF, a PDF with nothing after its header, a GIF,
            // an empty file, a missing one, and a CMYK JPEG (print, which TurboJPEG cannot make grey)
            let png = try write(try prefix(of: "agreement.png", 5000), "cut.png", in: folder)
            let jpeg = try write(try prefix(of: "agreement.jpg", 50_000), "cut.jpg", in: folder)
            let tiff = try write(try prefix(of: "agreement-2p.tiff", 3000), "cut.tiff", in: folder)
            let pdf = try write(Data("%PDF-1.4\ngarbage".utf8), "cut.pdf", in: folder)
            let gif = try write(Data("GIF89a\u{1}\u{0}".utf8), "seal.gif", in: folder)
            let empty = try write(Data(), "empty.png", in: folder)
            let engine = try OCREngine()

            // When each is read, Then each error names the file and what was wrong
            #expect(readingError(png, engine: engine) == "\(png): cannot decode the PNG image: Read Error")
            #expect(readingError(jpeg, engine: engine) == "\(jpeg): cannot decode the JPEG image: Premature end of JPEG file")
            #expect(readingError(tiff, engine: engine) == "\(tiff): cannot decode the TIFF image: no readable image directory")
            #expect(readingError(pdf, engine: engine) == "\(pdf): not a readable PDF: PDF document is damaged")
            #expect(readingError(gif, engine: engine) == "\(gif): not a document OCR reads: expected a PDF, PNG, JPEG or TIFF, got bytes 47 49 46 38 39 61 01 00")
            #expect(readingError(empty, engine: engine) == "\(empty): not a document OCR reads: expected a PDF, PNG, JPEG or TIFF, got bytes none (empty file)")
            #expect(readingError("\(folder)/missing.png", engine: engine) == "\(folder)/missing.png: cannot read the file: No such file or directory")
            #expect(readingError("\(folder)/cmyk.jpg", engine: engine) == "\(folder)/cmyk.jpg: cannot decode the JPEG image: CMYK colour: expected a grey or RGB scan")
        }
    }

    @Test("An image claiming 100000 × 100000 pixels is refused from its header", arguments: ["huge-claim.png", "huge-claim.tiff"])
    func hugeClaim(name: String) throws {
        try OCRFixtures.withCopies([name]) { folder in
            // Given a file of a few dozen bytes whose header claims 10^10 pixels (10 GB as grey)
            let path = "\(folder)/\(name)"
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size < 200)
            let engine = try OCREngine()

            // When it is read, Then the limit refuses it
            #expect(readingError(path, engine: engine) == "\(path): 100000 × 100000 pixels: expected at most 50000000 pixels and 32767 a side")
        }
    }

    @Test("The pixel limit is checked before decoding: a valid scan over a lower limit is refused")
    func limitBeforeDecoding() throws {
        try OCRFixtures.withCopies(["agreement.png", "agreement.jpg", "agreement-2p.tiff"]) { folder in
            // Given valid scans of 2480 × 3508 pixels and a limit of 1,000,000 pixels
            let engine = try OCREngine(options: OCROptions(limits: OCRLimits(maximumPixels: 1_000_000)))

            // When they are read, Then each is refused by its size, the TIFF naming its page
            #expect(readingError("\(folder)/agreement.png", engine: engine)
                == "\(folder)/agreement.png: 2480 × 3508 pixels: expected at most 1000000 pixels and 32767 a side")
            #expect(readingError("\(folder)/agreement.jpg", engine: engine)
                == "\(folder)/agreement.jpg: 2480 × 3508 pixels: expected at most 1000000 pixels and 32767 a side")
            #expect(readingError("\(folder)/agreement-2p.tiff", engine: engine)
                == "\(folder)/agreement-2p.tiff: page 1: 2480 × 3508 pixels: expected at most 1000000 pixels and 32767 a side")
        }
    }

    @Test("Documents with more pages than the limit are refused")
    func pageLimit() throws {
        try OCRFixtures.withCopies(["agreement-2p.tiff", "text-layer.pdf"]) { folder in
            // Given two-page documents and a limit of one page
            let engine = try OCREngine(options: OCROptions(limits: OCRLimits(maximumPages: 1)))

            // When they are read, Then both are refused by their page count
            #expect(readingError("\(folder)/agreement-2p.tiff", engine: engine) == "\(folder)/agreement-2p.tiff: 2 pages: expected at most 1")
            #expect(readingError("\(folder)/text-layer.pdf", engine: engine) == "\(folder)/text-layer.pdf: 2 pages: expected at most 1")
        }
    }

    @Test("A PDF page too large even at the lowest resolution is refused; a large one is rendered smaller")
    func pageSize() throws {
        try OCRFixtures.withCopies(["huge-page.pdf"]) { folder in
            // Given a blank 200 × 200 inch page without text
            let path = "\(folder)/huge-page.pdf"
            let engine = try OCREngine()

            // When it is read, Then it is refused by its size: at 100 dpi it would be 400 Mpx
            #expect(readingError(path, engine: engine) == "\(path): page 1 is 5080 × 5080 mm: expected a page that fits 50000000 pixels at 100 dpi")
        }
        // And A4 keeps 300 dpi, while A0 (33.1 × 46.8 in) is rendered at the resolution that fits 50 Mpx
        let limits = OCRLimits()
        #expect(PDFScan.resolution(widthPoints: 595.28, heightPoints: 841.89, dpi: 300, limits: limits) == 300)
        let a0 = try #require(PDFScan.resolution(widthPoints: 2383.94, heightPoints: 3370.39, dpi: 300, limits: limits))
        #expect(a0 == 179)
        let pixels = (2383.94 * Double(a0) / 72).rounded(.up) * (3370.39 * Double(a0) / 72).rounded(.up)
        #expect(pixels <= 50_000_000)
    }

    @Test("Missing language data names the Debian package to install")
    func missingLanguageData() throws {
        try OCRFixtures.withCopies([]) { folder in
            // Given a language Debian does not ship, and a tessdata folder with nothing in it
            let unknown = OCROptions(languages: "chi_sim+xyz_abc")
            let empty = OCROptions(tessdataDirectory: folder)

            // When engines and batches are made, Then each error names the file and the package
            #expect(throws: OCRError.missingLanguageData(language: "xyz_abc", directory: OCROptions.debianTessdataDirectory, package: "tesseract-ocr-xyz-abc")) {
                try OCREngine(options: unknown)
            }
            #expect(throws: OCRError.missingLanguageData(language: "chi_sim", directory: folder, package: "tesseract-ocr-chi-sim")) {
                try OCRBatch(options: empty)
            }
            #expect(OCRError.missingLanguageData(language: "chi_sim", directory: folder, package: "tesseract-ocr-chi-sim").description
                == "OCR: no language data for \"chi_sim\" in \(folder): expected chi_sim.traineddata (Debian package tesseract-ocr-chi-sim)")
        }
    }

    @Test("The Tesseract version is the one Debian installs, as the command reports it")
    func version() throws {
        // Given `tesseract --version`, an independent report of the installed library
        let report = try OCRFixtures.run("/usr/bin/tesseract", ["--version"])

        // Then its first line names the version the engine reports
        #expect(report.split(separator: "\n").first == "tesseract \(OCREngine.tesseractVersion)")
        #expect(OCREngine.tesseractVersion.hasPrefix("5."))
    }

    @Test("Damaged language data is refused by Tesseract with an error")
    func damagedLanguageData() throws {
        try OCRFixtures.withCopies([]) { folder in
            // Given a tessdata folder whose chi_sim.traineddata is not trained data
            try Data("not a model".utf8).write(to: URL(fileURLWithPath: "\(folder)/chi_sim.traineddata"))

            // When an engine is made, Then Tesseract's refusal is an error, not a crash
            #expect(throws: OCRError.engineFailed(languages: "chi_sim", directory: folder)) {
                try OCREngine(options: OCROptions(languages: "chi_sim", tessdataDirectory: folder))
            }
        }
    }
}
