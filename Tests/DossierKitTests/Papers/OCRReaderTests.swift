import DossierKit
import Foundation
import Testing

/// Reading scans: the "scanned agreement" (Chinese contract text, a red seal over part of it,
/// dust and grain, turned 1.5°, greyscale 300 dpi) as an image-only PDF, PNG, JPEG and a
/// two-page TIFF must each be found by at least 8 of its 10 words; pages with a text layer are
/// not read; bad and hostile files give one-line errors.
@Suite("OCR reader")
struct OCRReaderTests {
    @Test("An image-only PDF is rendered and read; the file is not changed", arguments: ["agreement.pdf"])
    func imageOnlyPDF(name: String) throws {
        try OCRFixtures.withCopies([name]) { folder in
            // Given a PDF whose page is a scan, with no text layer (pdftotext, an independent
            // reader, finds no text on it)
            let path = "\(folder)/\(name)"
            let oracle = try OCRFixtures.run("/usr/bin/pdftotext", [path, "-"])
            #expect(oracle.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            let before = try OCRFixtures.snapshot(path)

            // When it is read by OCR
            let engine = try OCREngine()
            let scan = try OCRReader.read(fileAt: path, using: engine)

            // Then its one page was read, at least 8 of the 10 words are found, the confidence
            // is plausible, and the file's bytes and time are unchanged
            #expect(scan.pageCount == 1)
            #expect(scan.pagesRead == 1)
            #expect(scan.pagesWithTextLayer.isEmpty)
            #expect(scan.failures.isEmpty)
            let found = OCRFixtures.found(OCRFixtures.agreementWords, in: scan.textForIndex)
            #expect(found.count >= 8, "found \(found) in \(scan.textForIndex)")
            let confidence = try #require(scan.meanConfidence)
            #expect(confidence > 50 && confidence <= 100)
            let after = try OCRFixtures.snapshot(path)
            #expect(before.0 == after.0)
            #expect(before.1 == after.1)
        }
    }

    @Test("PNG and JPEG scans are read", arguments: ["agreement.png", "agreement.jpg"])
    func singleImage(name: String) throws {
        try OCRFixtures.withCopies([name]) { folder in
            // Given the scan as a single image
            let path = "\(folder)/\(name)"
            let before = try OCRFixtures.snapshot(path)

            // When it is read
            let scan = try OCRReader.read(fileAt: path, using: try OCREngine())

            // Then at least 8 of the 10 words are found after normalisation, and the file is unchanged
            #expect(scan.pagesRead == 1)
            let found = OCRFixtures.found(OCRFixtures.agreementWords, in: scan.textForIndex)
            #expect(found.count >= 8, "found \(found) in \(scan.textForIndex)")
            #expect(try OCRFixtures.snapshot(path).0 == before.0)
        }
    }

    @Test("A scan whose file states 72 dpi, or no resolution, is read as 300 dpi", arguments: [(1, 72), (0, 0)])
    func misleadingResolution(units: UInt8, density: UInt8) throws {
        try OCRFixtures.withCopies(["agreement.jpg"]) { folder in
            // Given the 300-dpi scan whose JFIF header is rewritten to say 72 dots per inch
            // (the default of many programs: a 34-inch page) or to give no unit
            var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/agreement.jpg"))
            bytes.replaceSubrange(13..<18, with: [units, 0, density, 0, density])
            let path = "\(folder)/stated.jpg"
            try bytes.write(to: URL(fileURLWithPath: path))

            // When it is read
            let scan = try OCRReader.read(fileAt: path, using: try OCREngine())

            // Then the words are found as in the original (told 72 dpi, Tesseract found 6 of 10)
            let found = OCRFixtures.found(OCRFixtures.agreementWords, in: scan.textForIndex)
            #expect(found.count >= 8, "found \(found) in \(scan.textForIndex)")
        }
    }

    @Test("A page shown upright through /Rotate is read upright")
    func rotatedPage() throws {
        try OCRFixtures.withCopies(["rotated.pdf"]) { folder in
            // Given a landscape page whose scan lies sideways and /Rotate 90 turns upright
            // (as pdfinfo, an independent reader, reports)
            let path = "\(folder)/rotated.pdf"
            let info = try OCRFixtures.run("/usr/bin/pdfinfo", [path]).split(separator: "\n")
            #expect(info.contains { $0.hasPrefix("Page rot:") && $0.hasSuffix(" 90") })

            // When it is read
            let scan = try OCRReader.read(fileAt: path, using: try OCREngine())

            // Then the annex's words are found, as on the upright page
            #expect(OCRFixtures.found(OCRFixtures.annexWords, in: scan.textForIndex) == OCRFixtures.annexWords, "\(scan.textForIndex)")
        }
    }

    @Test("Every page of a multi-page TIFF is read")
    func multiPageTIFF() throws {
        try OCRFixtures.withCopies(["agreement-2p.tiff"]) { folder in
            // Given a two-page TIFF: the agreement, then its annex
            // When it is read
            let scan = try OCRReader.read(fileAt: "\(folder)/agreement-2p.tiff", using: try OCREngine())

            // Then both pages are read, in order, each with its own words
            #expect(scan.pageCount == 2)
            #expect(scan.pages.map(\.number) == [1, 2])
            let first = OCRText.normalizedForIndex(scan.pages[0].text)
            let second = OCRText.normalizedForIndex(scan.pages[1].text)
            let found = OCRFixtures.found(OCRFixtures.agreementWords, in: first)
            #expect(found.count >= 8, "found \(found) in \(first)")
            #expect(OCRFixtures.found(OCRFixtures.annexWords, in: second) == OCRFixtures.annexWords, "\(second)")
            #expect(OCRFixtures.found(OCRFixtures.annexWords, in: first).isEmpty)
        }
    }

    @Test("Tesseract's spaced-out Chinese needs normalising before the words match")
    func normalisationIsNeeded() throws {
        try OCRFixtures.withCopies(["agreement.png"]) { folder in
            // Given Tesseract's text of the agreement, as it came
            let scan = try OCRReader.read(fileAt: "\(folder)/agreement.png", using: try OCREngine())

            // Then it has spaces between Han characters, which normalising removes without
            // losing a word
            #expect(Self.spacedHan(in: scan.text) > 0, "\(scan.text)")
            #expect(Self.spacedHan(in: scan.textForIndex) == 0, "\(scan.textForIndex)")
            let raw = OCRFixtures.found(OCRFixtures.agreementWords, in: scan.text)
            let normalised = OCRFixtures.found(OCRFixtures.agreementWords, in: scan.textForIndex)
            #expect(Set(raw).isSubset(of: Set(normalised)))
        }
    }

    /// How often a Han character, one space and a Han character follow each other in `text`.
    static func spacedHan(in text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        return scalars.indices.dropLast(2).count { index in
            scalars[index + 1] == " " && scalars[index].properties.isIdeographic && scalars[index + 2].properties.isIdeographic
        }
    }

    @Test("Pages that have a text layer are not read")
    func textLayerPagesAreSkipped() throws {
        try OCRFixtures.withCopies(["text-layer.pdf", "mixed.pdf"]) { folder in
            // Given a PDF whose two pages have text (pdftotext finds it on both), and one whose
            // first page has text and whose second is a scan (pdftotext finds text on page 1 only)
            let textPages = try OCRFixtures.run("/usr/bin/pdftotext", ["\(folder)/text-layer.pdf", "-"]).components(separatedBy: "\u{0C}")
            #expect(textPages.prefix(2).allSatisfy { $0.contains("Party") || $0.contains("Article") })
            let mixedPages = try OCRFixtures.run("/usr/bin/pdftotext", ["\(folder)/mixed.pdf", "-"]).components(separatedBy: "\u{0C}")
            #expect(mixedPages[0].contains("TECHNOLOGY TRANSFER AGREEMENT"))
            #expect(mixedPages[1].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            let engine = try OCREngine()

            // When both are read
            let textOnly = try OCRReader.read(fileAt: "\(folder)/text-layer.pdf", using: engine)
            let mixed = try OCRReader.read(fileAt: "\(folder)/mixed.pdf", using: engine)

            // Then no page of the first is read, and only page 2 of the second
            #expect(textOnly == OCRText(pages: [], pagesWithTextLayer: [1, 2], pageCount: 2))
            #expect(textOnly.meanConfidence == nil)
            #expect(mixed.pagesWithTextLayer == [1])
            #expect(mixed.pages.map(\.number) == [2])
            #expect(OCRFixtures.found(OCRFixtures.annexWords, in: mixed.textForIndex) == OCRFixtures.annexWords, "\(mixed.textForIndex)")
            #expect(!mixed.textForIndex.contains("TECHNOLOGY"))
        }
    }
}
