import Foundation

/// The text OCR read from one document: derived data for the index, never the record's truth.
///
/// Only pages without a text layer are read; ``pagesWithTextLayer`` lists the others, whose
/// text comes from the PDF itself. A page that failed (a damaged TIFF page, a page too large to
/// render) is in ``failures`` and the other pages are still read.
public struct OCRText: Sendable, Equatable {
    /// The pages read by OCR, in page order.
    public var pages: [OCRPage]
    /// Pages (1-based) that already have a text layer and were not read.
    public var pagesWithTextLayer: [Int]
    /// Pages in the document.
    public var pageCount: Int
    /// Pages that could not be read, each error naming its page.
    public var failures: [OCRError]

    /// Creates a result.
    public init(pages: [OCRPage], pagesWithTextLayer: [Int], pageCount: Int, failures: [OCRError] = []) {
        self.pages = pages
        self.pagesWithTextLayer = pagesWithTextLayer
        self.pageCount = pageCount
        self.failures = failures
    }

    /// The number of pages read by OCR.
    public var pagesRead: Int { pages.count }

    /// Tesseract's text of the read pages, as it came, separated by form feeds (as `pdftotext` does).
    public var text: String {
        pages.map(\.text).joined(separator: "\u{0C}")
    }

    /// ``text`` made searchable: see ``normalizedForIndex(_:)``.
    public var textForIndex: String {
        Self.normalizedForIndex(text)
    }

    /// The mean of the pages' confidences (0–100), each weighted by the characters read on it;
    /// `nil` when no page gave any text.
    public var meanConfidence: Double? {
        var weighted = 0.0
        var characters = 0
        for page in pages {
            let count = page.text.unicodeScalars.count { !$0.properties.isWhitespace }
            weighted += Double(page.confidence) * Double(count)
            characters += count
        }
        return characters == 0 ? nil : weighted / Double(characters)
    }

    /// Tesseract's Chinese made searchable as Chinese is written: the spaces Tesseract puts
    /// between Han characters (`保 密 义 务`), and between them and CJK punctuation
    /// (`义 务 ，`, `” 、 “`), are removed, as are line breaks inside a paragraph between two
    /// Han characters (Chinese wraps anywhere, so `专利\n权` is the word 专利权). Spaces between
    /// Latin words, between Latin and Han, paragraph breaks (blank lines) and page breaks are
    /// kept. Kangxi radicals and CJK compatibility ideographs, look-alikes that OCR output and
    /// converted PDFs can contain (`⽅` for 方), become the unified ideographs the index and
    /// queries use.
    ///
    /// ```swift
    /// OCRText.normalizedForIndex("乙 方 对 技 术 资 料 负 有 保 密 义 务 ， 见 Article 3")
    /// // "乙方对技术资料负有保密义务，见 Article 3"
    /// ```
    public static func normalizedForIndex(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = String.UnicodeScalarView()
        var newlines = 0
        var previous: Unicode.Scalar?
        for original in text.unicodeScalars {
            let scalar = unifiedIdeograph(original)
            if scalar.properties.isWhitespace {
                pendingSpace.append(scalar)
                switch scalar {
                case "\n", "\u{2028}": newlines += 1
                // A page break (form feed) or paragraph separator never joins.
                case "\u{0C}", "\u{2029}": newlines += 2
                default: break
                }
                continue
            }
            if !pendingSpace.isEmpty {
                let joins: Bool
                if let previous, newlines < 2 {
                    // A space between any two CJK characters goes; a line break only between two Han.
                    joins = newlines == 0 ? isCJK(previous) && isCJK(scalar) : isHan(previous) && isHan(scalar)
                } else {
                    joins = false
                }
                if !joins { output.append(contentsOf: pendingSpace) }
                pendingSpace.removeAll()
                newlines = 0
            }
            output.append(scalar)
            previous = scalar
        }
        output.append(contentsOf: pendingSpace)
        return String(output)
    }

    /// Han ideographs: the unified blocks, their extensions and compatibility forms, and the
    /// ideographic marks 々 〆 〇.
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF, 0x3005...0x3007: true
        default: false
        }
    }

    /// Characters written without spaces in Chinese text: Han, CJK punctuation (、。《》「」),
    /// full-width forms (，：；（）), and the general punctuation Chinese uses (“” ‘’ … — ·).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        if isHan(scalar) { return true }
        switch scalar.value {
        case 0x3000...0x303F, 0xFF00...0xFFEF, 0xFE30...0xFE4F, 0x2018...0x201F, 0x2026, 0x2014, 0x00B7: return true
        default: return false
        }
    }

    /// The unified ideograph for a Kangxi radical (U+2F00–2FDF), CJK radical supplement
    /// (U+2E80–2EFF) or compatibility ideograph (U+F900–FAFF) when Unicode gives one; any
    /// other scalar unchanged.
    static func unifiedIdeograph(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x2E80...0x2EFF, 0x2F00...0x2FDF, 0xF900...0xFAFF:
            let mapped = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
            if mapped.count == 1, let first = mapped.first, isHan(first) { return first }
            return scalar
        default:
            return scalar
        }
    }
}

/// One page read by OCR.
public struct OCRPage: Sendable, Equatable {
    /// The page's number in its document, from 1.
    public var number: Int
    /// Tesseract's text for the page, as it came.
    public var text: String
    /// Tesseract's mean word confidence for the page, 0–100.
    public var confidence: Int

    /// Creates a page result.
    public init(number: Int, text: String, confidence: Int) {
        self.number = number
        self.text = text
        self.confidence = confidence
    }
}
