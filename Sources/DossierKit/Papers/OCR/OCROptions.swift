/// Bounds on what OCR accepts from a file, so that a hostile or broken document is refused with
/// an error before anything large is allocated.
///
/// Image headers and PDF page sizes are checked before decoding or rendering: an image that
/// claims 100000 × 100000 pixels is refused after reading its header.
public struct OCRLimits: Sendable, Equatable {
    /// Pixels in one page (image or rendered PDF page). 50 million holds an A2 scan at 300 dpi
    /// (35 Mpx); a page is held once as 8-bit grey plus Tesseract's working copies, on each thread.
    public var maximumPixels: Int
    /// Pixels along one side: Tesseract itself refuses images wider or taller than 32,767.
    public var maximumSide: Int
    /// Pages in one document (PDF or multi-page TIFF): 1,000 pages take about ten minutes on
    /// two cores.
    public var maximumPages: Int
    /// Bytes in one image file (a JPEG is decoded from memory): 256 MiB.
    public var maximumImageFileBytes: Int64
    /// A PDF page too large for ``maximumPixels`` at the reading resolution is rendered at a
    /// lower one, but not below this (small print is unreadable under 100 dpi).
    public var minimumDPI: Int

    /// Creates limits; the defaults are the values documented on each property.
    public init(
        maximumPixels: Int = 50_000_000, maximumSide: Int = 32_767, maximumPages: Int = 1_000,
        maximumImageFileBytes: Int64 = 256 << 20, minimumDPI: Int = 100
    ) {
        self.maximumPixels = maximumPixels
        self.maximumSide = maximumSide
        self.maximumPages = maximumPages
        self.maximumImageFileBytes = maximumImageFileBytes
        self.minimumDPI = minimumDPI
    }

    /// Whether a page of `width` × `height` pixels is within the limits (no overflow for any `Int`s).
    func allows(width: Int, height: Int) -> Bool {
        guard width > 0, height > 0, width <= maximumSide, height <= maximumSide else { return false }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return !overflow && pixels <= maximumPixels
    }
}

/// How scans are read: languages, where their data is, the resolution PDF pages are rendered
/// at, clean-up, limits and threads.
public struct OCROptions: Sendable, Equatable {
    /// Tesseract's languages, `+`-separated: simplified Chinese first, then English for the
    /// Latin words, numbers and names in Chinese contracts.
    public var languages: String
    /// The folder holding `<language>.traineddata`; `nil` for Debian's
    /// (`/usr/share/tesseract-ocr/5/tessdata`).
    public var tessdataDirectory: String?
    /// The resolution PDF pages without a text layer are rendered at.
    public var dpi: Int
    /// Removes specks of dust (isolated dots smaller than about 0.6 mm) before recognition:
    /// Tesseract misreads whole lines of a dusty scan (measured in scripts/bench-ocr.sh).
    public var removesDust: Bool
    /// Threads (one Tesseract engine each) that ``OCRBatch`` spreads pages over.
    public var threads: Int
    /// Lets Tesseract's own OpenMP threads run inside each engine. Off: with one engine per core
    /// they only compete for the same cores, and were measured slower (scripts/bench-ocr.sh).
    public var tesseractOpenMP: Bool
    /// Bounds on the input.
    public var limits: OCRLimits

    /// The options the vault uses: `chi_sim+eng`, Debian's tessdata, 300 dpi, dust removal, two threads.
    public init(
        languages: String = "chi_sim+eng", tessdataDirectory: String? = nil, dpi: Int = 300, removesDust: Bool = true,
        threads: Int = 2, tesseractOpenMP: Bool = false, limits: OCRLimits = OCRLimits()
    ) {
        self.languages = languages
        self.tessdataDirectory = tessdataDirectory
        self.dpi = dpi
        self.removesDust = removesDust
        self.threads = threads
        self.tesseractOpenMP = tesseractOpenMP
        self.limits = limits
    }

    /// Debian's tessdata folder for Tesseract 5 (packages `tesseract-ocr-*`).
    public static let debianTessdataDirectory = "/usr/share/tesseract-ocr/5/tessdata"
}
