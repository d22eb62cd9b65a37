import DossierModel
import CDossierPoppler
import Foundation

/// A PDF's text layer, read with poppler-glib (`poppler_page_get_text`), page by page; pages
/// are separated by a form feed as `pdftotext` does. A PDF with a page that has no text (a scan)
/// is marked `awaiting-ocr` with the text its other pages have:
/// OCR (``OCRBatch``) reads such pages in the index step, not here. Related poppler documentation:
/// <https://poppler.freedesktop.org/api/glib/PopplerDocument.html>.
enum PDFText {
    private static let silenced: Bool = {
        CDossierPoppler_silenceWarnings()
        return true
    }()

    static func read(_ path: String) -> ExtractedText {
        _ = silenced
        var error: UnsafeMutablePointer<GError>?
        func failure(_ what: String) -> ExtractedText {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            return ExtractedText(text: "", source: .failed, problem: "\(what): \(message)")
        }
        // A file URI (g_filename_to_uri escapes any name) rather than a descriptor: poppler's
        // descriptor API owns the descriptor on some paths and not on others.
        guard let uri = g_filename_to_uri(path, nil, &error) else { return failure("cannot name the file for poppler") }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, nil, &error) else { return failure("not a readable PDF") }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }
        var pages: [String] = []
        var total = 0
        var pagesWithoutText = 0
        for index in 0..<poppler_document_get_n_pages(document) {
            guard let page = poppler_document_get_page(document, index) else { continue }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            let pageText = poppler_page_get_text(page).map { text in
                defer { g_free(text) }
                return String(cString: text)
            } ?? ""
            // As OCR decides which pages to read: no non-space character on the page.
            if pageText.allSatisfy(\.isWhitespace) { pagesWithoutText += 1 }
            pages.append(pageText)
            total += pageText.utf8.count
            if total > TextExtractor.maximumTextBytes { break }
        }
        let text = pages.joined(separator: "\u{0C}").trimmingCharacters(in: .whitespacesAndNewlines)
        return ExtractedText(text: text, source: pagesWithoutText > 0 ? .awaitingOCR : .pdf)
    }
}
