/// The text of one filed document, and how it was obtained.
public struct ExtractedText: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        /// Plain text in UTF-8 (with or without a byte-order mark).
        case utf8 = "utf-8"
        /// Plain text in GB18030 (which includes GBK and GB2312): older Chinese systems' files.
        case gb18030 = "gb18030"
        /// A PDF's text layer, read with poppler.
        case pdf
        /// A DOCX's `word/document.xml`, read with libarchive.
        case docx
        /// An OFD's pages (GB/T 33190), in reading order, as ofdkit lays them out.
        case ofd
        /// Read by OCR from a scan (pages without a text layer, images), in the index step;
        /// ``ExtractedText/confidence`` is Tesseract's mean confidence. Derived text, never the
        /// record's truth: the original bytes are kept as filed.
        case ocr
        /// A scan (an image, or a PDF with pages without a text layer) whose OCR has not run yet:
        /// `dossier index` reads it. Any text layer the PDF has is already in ``ExtractedText/text``.
        case awaitingOCR = "awaiting-ocr"
        /// A format with no text to read (an unknown binary).
        case none
        /// The reader failed; ``ExtractedText/problem`` says why.
        case failed
        /// A classified paper, stored encrypted: the index holds none of its text.
        case encrypted
    }

    public var text: String
    public var source: Source
    /// Why there is no text, for `failed` (a damaged PDF, an encrypted DOCX …), or for an `ocr`
    /// text that is empty.
    public var problem: String?
    /// For `ocr`: Tesseract's mean confidence over the characters read, 0–100.
    public var confidence: Double?

    public init(text: String, source: Source, problem: String? = nil, confidence: Double? = nil) {
        self.text = text
        self.source = source
        self.problem = problem
        self.confidence = confidence
    }

    package static let empty = ExtractedText(text: "", source: .none)
}
