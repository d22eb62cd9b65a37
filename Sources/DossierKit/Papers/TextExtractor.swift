import DossierModel
/// Reads the text of documents so that the index can search it: plain text, PDF (text
/// layer), DOCX and OFD; scans (images, PDF pages without text) are marked for OCR, which the
/// index step runs (``IndexMaintainer/readScans(in:options:progress:)``). Never throws and never prints: a document whose text cannot be read is
/// still indexed by its name, kind and facts, and its `ExtractedText.problem` is kept.
public enum TextExtractor {
    /// Text beyond this many bytes is not indexed: the first 4 MiB of a document is what people
    /// search, and it bounds the index's size per document.
    static let maximumTextBytes = 4 << 20
    /// Plain-text files larger than this are not read as text (they are data, not letters).
    static let maximumPlainFileBytes = 32 << 20

    /// The text of the file at `path`, chosen by its content (`%PDF-`, a zip with `OFD.xml`), then by its name.
    /// An OFD's pages are separated by form feeds.
    public static func text(ofFileAt path: String, fileName: String) -> ExtractedText {
        let format: PaperFormat
        do {
            format = try PaperFormat.of(fileAt: path, fileName: fileName)
        } catch {
            return ExtractedText(text: "", source: .failed, problem: "\(error)")
        }
        var result: ExtractedText
        switch format.kind {
        case .pdf: result = PDFText.read(path)
        case .docx: result = DOCXText.read(path)
        case .ofd: result = OFDText.read(path, fileName: fileName)
        case .zip: result = .empty
        case .other where ScanFormat.detect(format.head) != nil:
            // An image (PNG, JPEG, TIFF): its text is OCR's, in the index step.
            result = ExtractedText(text: "", source: .awaitingOCR)
        case .other: result = Self.looksLikeText(fileName: fileName.lowercased(), head: format.head) ? PlainText.read(path) : .empty
        }
        if result.text.utf8.count > maximumTextBytes {
            result.text = PlainText.truncated(result.text, toBytes: maximumTextBytes)
        }
        return result
    }

    private static let textExtensions = [".txt", ".text", ".md", ".csv", ".tsv", ".json", ".xml", ".html", ".htm", ".log"]
    private static let binarySignatures: [[UInt8]] = [
        [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], [0x47, 0x49, 0x46, 0x38], [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A],
        [0x1F, 0x8B], [0x37, 0x7A, 0xBC, 0xAF], [0xD0, 0xCF, 0x11, 0xE0], [0x52, 0x49, 0x46, 0x46],
    ]

    /// A file is read as text when its name says so, or when it has no name extension and no
    /// known binary signature (papers typed into a plain file without a suffix).
    static func looksLikeText(fileName: String, head: [UInt8]) -> Bool {
        if binarySignatures.contains(where: { head.starts(with: $0) }) { return false }
        if textExtensions.contains(where: { fileName.hasSuffix($0) }) { return true }
        return !FileSystem.lastComponent(of: fileName).contains(".")
    }
}
