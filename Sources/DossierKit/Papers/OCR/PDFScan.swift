import CDossierPoppler
import CDossierTesseract
import Foundation

/// One PDF opened with poppler-glib for OCR: which pages have a text layer, and the others
/// rendered to 8-bit grey through cairo. One per thread: a poppler document must not be used
/// from two threads at once; and every poppler call of every scan goes through one lock
/// (``poppler``), since two threads rendering two documents at once crashed inside libpoppler
/// (SIGSEGV, seen once in the test suite under load). Rendering is a small part of a page's OCR
/// (Tesseract's recognition, which stays parallel, is most of it). Related poppler documentation:
/// <https://poppler.freedesktop.org/api/glib/PopplerPage.html#poppler-page-render>.
final class PDFScan {
    let path: String
    private let document: OpaquePointer
    let pageCount: Int

    /// Held around every poppler call of every ``PDFScan``.
    static let poppler = NSLock()

    private static let silenced: Bool = {
        CDossierPoppler_silenceWarnings()
        return true
    }()

    /// Opens the PDF at `path`.
    /// - Throws: ``OCRError/unreadablePDF(path:reason:)``, ``OCRError/tooManyPages(path:pages:limit:)``.
    init(path: String, limits: OCRLimits) throws(OCRError) {
        _ = Self.silenced
        var error: UnsafeMutablePointer<GError>?
        func failure() -> OCRError {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            return .unreadablePDF(path: path, reason: message)
        }
        // A file URI (g_filename_to_uri escapes any name), as PDFText does; it takes absolute paths only.
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let uri = g_filename_to_uri(absolute, nil, &error) else { throw failure() }
        defer { g_free(uri) }
        Self.poppler.lock()
        guard let document = poppler_document_new_from_file(uri, nil, &error) else {
            Self.poppler.unlock()
            throw failure()
        }
        let count = Int(poppler_document_get_n_pages(document))
        guard count <= limits.maximumPages else {
            g_object_unref(UnsafeMutableRawPointer(document))
            Self.poppler.unlock()
            throw .tooManyPages(path: path, pages: count, limit: limits.maximumPages)
        }
        Self.poppler.unlock()
        self.path = path
        self.document = document
        self.pageCount = count
    }

    deinit {
        Self.poppler.withLock { g_object_unref(UnsafeMutableRawPointer(document)) }
    }

    /// Whether page `number` (from 1) has text of its own: poppler finds any character other
    /// than white space on it. A scan without a text layer has none.
    func hasTextLayer(page number: Int) -> Bool {
        Self.poppler.lock()
        defer { Self.poppler.unlock() }
        guard let page = poppler_document_get_page(document, Int32(number - 1)) else { return false }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        guard let text = poppler_page_get_text(page) else { return false }
        defer { g_free(text) }
        return String(cString: text).unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// Page `number` (from 1) rendered to 8-bit grey at `dpi`, or at the highest resolution
    /// within the pixel limit when the page is too large for `dpi`.
    ///
    /// The page is drawn as a viewer shows it (`poppler_page_render`, its `/Rotate` applied)
    /// on white, onto cairo RGB24 surfaces of at most ``bandPixels`` pixels, band by band,
    /// so that a large page never needs a colour copy of itself in memory.
    /// - Throws: ``OCRError/pageTooLarge(path:page:widthPoints:heightPoints:limits:)``,
    ///   ``OCRError/renderFailed(path:page:reason:)``.
    func render(page number: Int, dpi: Int, limits: OCRLimits) throws(OCRError) -> LeptonicaImage {
        Self.poppler.lock()
        defer { Self.poppler.unlock() }
        guard let page = poppler_document_get_page(document, Int32(number - 1)) else {
            throw .renderFailed(path: path, page: number, reason: "poppler cannot load the page")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var widthPoints = 0.0, heightPoints = 0.0
        poppler_page_get_size(page, &widthPoints, &heightPoints)
        guard widthPoints.isFinite, heightPoints.isFinite, widthPoints >= 1, heightPoints >= 1 else {
            throw .renderFailed(path: path, page: number, reason: "page size \(widthPoints) × \(heightPoints) points")
        }
        guard let resolution = Self.resolution(widthPoints: widthPoints, heightPoints: heightPoints, dpi: dpi, limits: limits) else {
            throw .pageTooLarge(path: path, page: number, widthPoints: widthPoints, heightPoints: heightPoints, limits: limits)
        }
        let scale = Double(resolution) / 72
        let width = Int((widthPoints * scale).rounded(.up)), height = Int((heightPoints * scale).rounded(.up))
        var failure: String?
        let grey = LeptonicaImage.grey(width: width, height: height, resolution: resolution) { pixels, stride in
            let bandHeight = max(1, min(height, Self.bandPixels / width))
            var top = 0
            while top < height {
                let rows = min(bandHeight, height - top)
                if let problem = Self.renderBand(page, scale: scale, top: top, width: width, rows: rows, into: pixels + top * stride, stride: stride) {
                    failure = problem
                    return false
                }
                top += rows
            }
            return true
        }
        guard let grey else { throw .renderFailed(path: path, page: number, reason: failure ?? "out of memory") }
        return grey
    }

    /// Pixels in one rendered band: 16 Mpx is 64 MiB of RGB24, and holds an A3 page at 300 dpi
    /// in one band (a band draws the whole page again, clipped).
    static let bandPixels = 16_000_000

    /// The resolution to render a page of this size at: `dpi`, or less so that the page fits
    /// the limits; `nil` when it would have to be less than ``OCRLimits/minimumDPI``.
    static func resolution(widthPoints: Double, heightPoints: Double, dpi: Int, limits: OCRLimits) -> Int? {
        var resolution = Double(dpi)
        let pixels = widthPoints * heightPoints * resolution * resolution / (72 * 72)
        if pixels > Double(limits.maximumPixels) {
            resolution *= (Double(limits.maximumPixels) / pixels).squareRoot()
        }
        let longest = max(widthPoints, heightPoints) * resolution / 72
        if longest > Double(limits.maximumSide) {
            resolution *= Double(limits.maximumSide) / longest
        }
        let chosen = Int(resolution.rounded(.down))
        guard chosen >= limits.minimumDPI else { return nil }
        // Rounding the sides up can add a row or a column: step down until the page fits.
        for candidate in stride(from: chosen, through: limits.minimumDPI, by: -1) {
            let width = Int((widthPoints * Double(candidate) / 72).rounded(.up)), height = Int((heightPoints * Double(candidate) / 72).rounded(.up))
            if limits.allows(width: width, height: height) { return candidate }
        }
        return nil
    }

    /// Renders rows `top..<top + rows` of the page into grey bytes; the problem, or `nil`.
    private static func renderBand(_ page: OpaquePointer, scale: Double, top: Int, width: Int, rows: Int, into grey: UnsafeMutablePointer<UInt8>, stride: Int) -> String? {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(rows)) else { return "cairo cannot create a surface" }
        defer { cairo_surface_destroy(surface) }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { return String(cString: cairo_status_to_string(surfaceStatus)) }
        guard let context = cairo_create(surface) else { return "cairo cannot create a context" }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_translate(context, 0, -Double(top))
        cairo_scale(context, scale, scale)
        poppler_page_render(page, context)
        let status = cairo_status(context)
        cairo_destroy(context)
        guard status == CAIRO_STATUS_SUCCESS else { return String(cString: cairo_status_to_string(status)) }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return "cairo gave no pixels" }
        let surfaceStride = Int(cairo_image_surface_get_stride(surface))
        for row in 0..<rows {
            // RGB24 keeps each pixel in a native-endian 32-bit word, 0x00RRGGBB.
            let source = UnsafeRawPointer(data + row * surfaceStride).assumingMemoryBound(to: UInt32.self)
            let target = grey + row * stride
            for x in 0..<width {
                let pixel = source[x]
                let red = (pixel >> 16) & 0xFF, green = (pixel >> 8) & 0xFF, blue = pixel & 0xFF
                // ITU-R BT.601 luma, as Leptonica and Tesseract convert colour to grey.
                target[x] = UInt8(truncatingIfNeeded: (red * 77 + green * 150 + blue * 29 + 128) >> 8)
            }
        }
        return nil
    }
}
