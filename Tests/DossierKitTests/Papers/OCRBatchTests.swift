import DossierKit
import Foundation
import Testing

/// `OCRBatch`: pages of many documents spread over two engines on two threads, with progress,
/// giving the same text as one engine reading them in turn; and nothing printed on stderr.
@Suite("OCR batch", .serialized)
struct OCRBatchTests {
    static let documents = ["agreement.pdf", "agreement-2p.tiff", "text-layer.pdf", "mixed.pdf", "agreement.jpg", "huge-claim.png"]

    @Test("Two threads read the pages of several documents, in order, as one engine does")
    func batchMatchesReader() throws {
        try OCRFixtures.withCopies(Self.documents) { folder in
            // Given image-only, multi-page, text-layer and mixed documents, and a hostile image
            let paths = Self.documents.map { "\(folder)/\($0)" }
            let before = try paths.map { try OCRFixtures.snapshot($0).0 }
            let engine = try OCREngine()
            let oneByOne = paths.map { path in Result { () throws(OCRError) in try OCRReader.read(fileAt: path, using: engine) } }

            // When the batch reads them on two threads
            var reports: [OCRProgress] = []
            let batch = try OCRBatch(options: OCROptions(threads: 2))
            let results = batch.read(filesAt: paths) { reports.append($0) }

            // Then each document's result is the one a single engine gives, in the order given
            #expect(results.count == paths.count)
            for (index, (batched, single)) in zip(results, oneByOne).enumerated() {
                #expect(batched == single, "\(Self.documents[index])")
            }
            let texts = results.map { try? $0.get() }
            #expect(texts.map { $0?.pagesRead } == [1, 2, 0, 1, 1, nil])
            #expect(OCRFixtures.found(OCRFixtures.agreementWords, in: texts[0]?.textForIndex ?? "").count >= 8)
            guard case .failure(let error) = results[5] else {
                Issue.record("the hostile image was read")
                return
            }
            #expect(error.description == "\(paths[5]): 100000 × 100000 pixels: expected at most 50000000 pixels and 32767 a side")

            // And progress counted up to every document and page (the hostile image's one page
            // counts: its header is read when its page comes), never backwards
            let last = try #require(reports.last)
            #expect(last == OCRProgress(documentsExamined: 6, documents: 6, pagesRead: 6, pagesToRead: 6))
            #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.pagesRead <= $1.pagesRead && $0.documentsExamined <= $1.documentsExamined })
            #expect(reports.contains { $0.pagesRead > 0 && $0.pagesRead < 6 })

            // And no file was changed
            #expect(try paths.map { try OCRFixtures.snapshot($0).0 } == before)
        }
    }

    @Test("An empty batch returns at once with one progress report")
    func emptyBatch() throws {
        var reports: [OCRProgress] = []
        let results = try OCRBatch().read(filesAt: []) { reports.append($0) }
        #expect(results.isEmpty)
        #expect(reports == [OCRProgress(documentsExamined: 0, documents: 0, pagesRead: 0, pagesToRead: 0)])
    }

    @Test("Tesseract, Leptonica, libpng, libjpeg, libtiff and poppler print nothing on stderr")
    func silent() throws {
        try OCRFixtures.withCopies(["agreement.png", "huge-claim.tiff"]) { folder in
            // Given damaged files of every kind, and a scan without a resolution (Tesseract
            // warns "Invalid resolution 0 dpi" and estimates one) …
            let png = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/agreement.png"))
            let jpeg = try Data(contentsOf: URL(fileURLWithPath: "\(OCRFixtures.folder)/agreement.jpg"))
            let tiff = try Data(contentsOf: URL(fileURLWithPath: "\(OCRFixtures.folder)/agreement-2p.tiff"))
            var damagedTIFF = tiff
            damagedTIFF.replaceSubrange(300_000..<300_100, with: Data(count: 100))
            var noResolution = jpeg
            noResolution[13] = 0  // JFIF units: none
            let files: [(String, Data)] = [
                ("cut.png", png.prefix(5000)), ("cut.jpg", jpeg.prefix(50_000)), ("garbage.jpg", Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<2000).map { UInt8($0 % 251) })),
                ("damaged.tiff", damagedTIFF), ("cut.pdf", Data("%PDF-1.7\n1 0 obj << /Type /Catalog".utf8)), ("nodpi.jpg", noResolution),
            ]
            for (name, bytes) in files { try bytes.write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
            let paths = files.map { "\(folder)/\($0.0)" } + ["\(folder)/huge-claim.tiff"]

            // … When they are read with this process's stderr sent to a file
            let captured = "\(folder)/stderr.txt"
            let results = try Self.capturingStandardError(to: captured) {
                try OCRBatch().read(filesAt: paths)
            }

            // Then the reads failed or succeeded as expected, and none of the libraries wrote
            // a line (lines from Swift Testing itself, which writes on stderr, are ignored)
            #expect(results.map { (try? $0.get()) != nil } == [false, false, false, true, false, true, false])
            let lines = try String(contentsOfFile: captured, encoding: .utf8).split(separator: "\n")
            let foreign = lines.filter { line in !["Test ", "Suite ", "Test run"].contains { line.contains($0) } }
            #expect(foreign.isEmpty, "\(foreign)")
        }
    }

    /// Runs `body` with file descriptor 2 pointing at `path`, then restores it.
    private static func capturingStandardError<R>(to path: String, _ body: () throws -> R) throws -> R {
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let saved = dup(2)
        #expect(file >= 0 && saved >= 0)
        dup2(file, 2)
        defer {
            dup2(saved, 2)
            close(saved)
            close(file)
        }
        return try body()
    }
}
