/// Reads the text of scans with one ``OCREngine``, page after page on the calling thread:
/// PDF pages without a text layer (rendered at ``OCROptions/dpi``), and PNG, JPEG and TIFF
/// images (every page of a multi-page TIFF), as the engine's ``OCREngine/options`` say. The
/// file is only read, never changed.
///
/// For many pages or documents, ``OCRBatch`` spreads the pages over several engines.
public enum OCRReader {
    /// The OCR text of the PDF or image at `path`, whose format is told by its first bytes.
    ///
    /// ```swift
    /// let engine = try OCREngine()
    /// let scan = try OCRReader.read(fileAt: "合同.pdf", using: engine)
    /// index(scan.textForIndex, confidence: scan.meanConfidence)
    /// ```
    /// - Returns: the pages read, with their confidences; pages that failed are in
    ///   ``OCRText/failures``.
    /// - Throws: ``OCRError`` when the document cannot be read at all: not a PDF or image,
    ///   over the limits, or every page failed.
    public static func read(fileAt path: String, using engine: OCREngine) throws(OCRError) -> OCRText {
        let plan = try ScanPlan.make(path: path, limits: engine.options.limits)
        let reader = PageReader(engine: engine)
        let results = plan.pagesToRead.map { reader.read(page: $0, of: plan) }
        return try plan.assemble(results).get()
    }
}

/// What to read in one document: its format, its pages, and which of them need OCR.
struct ScanPlan: Sendable {
    let path: String
    let format: ScanFormat
    let pageCount: Int
    let pagesWithTextLayer: [Int]
    let pagesToRead: [Int]

    /// Looks at the file: its format, its page count (within the limits) and, for a PDF, which
    /// pages have a text layer.
    static func make(path: String, limits: OCRLimits) throws(OCRError) -> ScanPlan {
        LibraryMessages.silence()
        let format = try ScanFormat.of(fileAt: path)
        if format == .pdf {
            let pdf = try PDFScan(path: path, limits: limits)
            let pages = (0..<pdf.pageCount).map { $0 + 1 }
            let withText = pages.filter { pdf.hasTextLayer(page: $0) }
            let withTextSet = Set(withText)
            return ScanPlan(path: path, format: format, pageCount: pdf.pageCount, pagesWithTextLayer: withText, pagesToRead: pages.filter { !withTextSet.contains($0) })
        }
        let count = try ImageFile.pageCount(path: path, format: format, limits: limits)
        return ScanPlan(path: path, format: format, pageCount: count, pagesWithTextLayer: [], pagesToRead: (0..<count).map { $0 + 1 })
    }

    /// The document's result from its pages' results (in ``pagesToRead`` order): the pages read
    /// and the failures; a failure when pages were to be read and none could be.
    func assemble(_ results: [Result<OCRPage, OCRError>]) -> Result<OCRText, OCRError> {
        var pages: [OCRPage] = []
        var failures: [OCRError] = []
        for result in results {
            switch result {
            case .success(let page): pages.append(page)
            case .failure(let error): failures.append(error)
            }
        }
        if pages.isEmpty, let first = failures.first { return .failure(first) }
        return .success(OCRText(pages: pages, pagesWithTextLayer: pagesWithTextLayer, pageCount: pageCount, failures: failures))
    }
}

/// Turns pages into text on one thread: decodes or renders a page, cleans it, recognises it.
/// Keeps the PDF it opened last, since a thread usually reads several pages of the same document.
final class PageReader {
    private let engine: OCREngine
    private var openPDF: PDFScan?

    init(engine: OCREngine) {
        self.engine = engine
    }

    private var options: OCROptions { engine.options }

    func read(page: Int, of plan: ScanPlan) -> Result<OCRPage, OCRError> {
        let image: LeptonicaImage
        do {
            image = try self.image(page: page, of: plan)
        } catch {
            return .failure(error)
        }
        let resolution = Self.believableResolution(width: image.width, height: image.height, stated: image.resolution)
        if options.removesDust { image.removeDust(resolution: resolution) }
        guard let (text, confidence) = engine.recognize(image, resolution: resolution) else {
            return .failure(.recognitionFailed(path: plan.path, page: page))
        }
        return .success(OCRPage(number: page, text: text, confidence: confidence))
    }

    /// The resolution Tesseract is told: the file's, when it makes the page paper-sized (at
    /// most 17.5 inches, a little over A3, on its longest side), else 300 dpi.
    ///
    /// Many programs write 72 dpi on any image: a 300-dpi A4 scan then claims to be 34 inches
    /// tall, and Tesseract read 6 of the test scan's 10 words instead of 10. Tesseract's own
    /// estimate, used when it is told nothing, is made for Latin x-heights and put the same
    /// scan at 583 dpi.
    static func believableResolution(width: Int, height: Int, stated: Int) -> Int {
        if (70...2400).contains(stated), Double(max(width, height)) / Double(stated) <= 17.5 { return stated }
        return 300
    }

    private func image(page: Int, of plan: ScanPlan) throws(OCRError) -> LeptonicaImage {
        guard plan.format == .pdf else {
            return try ImageFile.readPage(path: plan.path, format: plan.format, page: page, pageCount: plan.pageCount, limits: options.limits)
        }
        let pdf: PDFScan
        if let open = openPDF, open.path == plan.path {
            pdf = open
        } else {
            openPDF = nil
            pdf = try PDFScan(path: plan.path, limits: options.limits)
            openPDF = pdf
        }
        return try pdf.render(page: page, dpi: options.dpi, limits: options.limits)
    }
}
