/// Why a scan, or one page of it, could not be read: each description is one line naming the
/// file (and page) and what was expected.
public enum OCRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A language's trained data is not in the tessdata folder (`package` is the Debian package
    /// that installs it).
    case missingLanguageData(language: String, directory: String, package: String)
    /// Tesseract would not start with these languages (an unreadable `.traineddata` file).
    case engineFailed(languages: String, directory: String)
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The file is neither a PDF nor a PNG, JPEG or TIFF image.
    case unsupportedFormat(path: String, head: String)
    /// The image file is larger than ``OCRLimits/maximumImageFileBytes``.
    case fileTooLarge(path: String, bytes: Int64, limit: Int64)
    /// The image (or one TIFF page) could not be decoded; `reason` is the decoder's message.
    case undecodableImage(path: String, page: Int?, format: String, reason: String)
    /// The image (or one TIFF page) claims more pixels than the limits allow; nothing was decoded.
    case imageTooLarge(path: String, page: Int?, width: Int, height: Int, limits: OCRLimits)
    /// The document has more pages than ``OCRLimits/maximumPages``.
    case tooManyPages(path: String, pages: Int, limit: Int)
    /// Poppler could not open the PDF.
    case unreadablePDF(path: String, reason: String)
    /// A PDF page so large that even at ``OCRLimits/minimumDPI`` it exceeds the pixel limit.
    case pageTooLarge(path: String, page: Int, widthPoints: Double, heightPoints: Double, limits: OCRLimits)
    /// Poppler or cairo failed to render a PDF page.
    case renderFailed(path: String, page: Int, reason: String)
    /// Tesseract failed on a page it was given.
    case recognitionFailed(path: String, page: Int)

    public var description: String {
        switch self {
        case .missingLanguageData(let language, let directory, let package):
            return "OCR: no language data for \"\(language)\" in \(directory): expected \(language).traineddata (Debian package \(package))"
        case .engineFailed(let languages, let directory):
            return "OCR: tesseract could not load \"\(languages)\" from \(directory): expected readable .traineddata files"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .unsupportedFormat(let path, let head):
            return "\(path): not a document OCR reads: expected a PDF, PNG, JPEG or TIFF, got bytes \(head)"
        case .fileTooLarge(let path, let bytes, let limit):
            return "\(path): \(bytes) bytes: expected an image of at most \(limit) bytes"
        case .undecodableImage(let path, let page, let format, let reason):
            return "\(path)\(Self.pageLabel(page)): cannot decode the \(format) image: \(reason)"
        case .imageTooLarge(let path, let page, let width, let height, let limits):
            return "\(path)\(Self.pageLabel(page)): \(width) × \(height) pixels: expected at most \(limits.maximumPixels) pixels and \(limits.maximumSide) a side"
        case .tooManyPages(let path, let pages, let limit):
            return "\(path): \(pages) pages: expected at most \(limit)"
        case .unreadablePDF(let path, let reason):
            return "\(path): not a readable PDF: \(reason)"
        case .pageTooLarge(let path, let page, let width, let height, let limits):
            let millimetres = { (points: Double) in Int((points / 72 * 25.4).rounded()) }
            return "\(path): page \(page) is \(millimetres(width)) × \(millimetres(height)) mm: expected a page that fits \(limits.maximumPixels) pixels at \(limits.minimumDPI) dpi"
        case .renderFailed(let path, let page, let reason):
            return "\(path): page \(page): cannot render the page: \(reason)"
        case .recognitionFailed(let path, let page):
            return "\(path): page \(page): tesseract could not recognise the page"
        }
    }

    private static func pageLabel(_ page: Int?) -> String {
        page.map { ": page \($0)" } ?? ""
    }
}
