import CDossierTesseract
import Foundation

/// The kinds of file OCR reads, told apart by their first bytes.
enum ScanFormat: String, Sendable, Equatable {
    case pdf = "PDF"
    case png = "PNG"
    case jpeg = "JPEG"
    case tiff = "TIFF"

    /// The format whose signature `head` starts with.
    static func detect(_ head: [UInt8]) -> ScanFormat? {
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        // Classic TIFF (42) and BigTIFF (43), either byte order.
        for magic: [UInt8] in [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A], [0x49, 0x49, 0x2B, 0x00], [0x4D, 0x4D, 0x00, 0x2B]] where head.starts(with: magic) {
            return .tiff
        }
        return nil
    }

    /// The format of the file at `path`.
    /// - Throws: ``OCRError/unreadableFile(path:reason:)``, ``OCRError/unsupportedFormat(path:head:)``.
    static func of(fileAt path: String) throws(OCRError) -> ScanFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let head: [UInt8]
        do {
            head = Array(try handle.read(upToCount: 8) ?? Data())
        } catch {
            throw .unreadableFile(path: path, reason: "\(error)")
        }
        guard let format = detect(head) else {
            let shown = head.isEmpty ? "none (empty file)" : head.map { String(format: "%02x", $0) }.joined(separator: " ")
            throw .unsupportedFormat(path: path, head: shown)
        }
        return format
    }
}

/// Image files (PNG, JPEG, TIFF) read page by page into 8-bit grey, each page's header checked
/// against ``OCRLimits`` before its pixels are decoded.
///
/// PNG goes through libpng's simplified API and JPEG through TurboJPEG, which report errors as
/// values; TIFF goes through Leptonica, which silences libtiff. (Leptonica's own PNG and JPEG
/// readers let libpng and libjpeg print on stderr.)
enum ImageFile {
    /// The number of pages of an image file: 1, or a TIFF's directories.
    /// - Throws: ``OCRError/tooManyPages(path:pages:limit:)`` and decoding errors.
    static func pageCount(path: String, format: ScanFormat, limits: OCRLimits) throws(OCRError) -> Int {
        guard format == .tiff else { return 1 }
        let file = try openFile(path)
        defer { fclose(file) }
        var count: Int32 = 0
        guard tiffGetCount(file, &count) == 0, count > 0 else {
            throw .undecodableImage(path: path, page: nil, format: "TIFF", reason: "no readable image directory")
        }
        guard Int(count) <= limits.maximumPages else { throw .tooManyPages(path: path, pages: Int(count), limit: limits.maximumPages) }
        return Int(count)
    }

    /// Page `page` (from 1) of the image at `path`, as 8-bit grey.
    /// - Throws: ``OCRError/imageTooLarge(path:page:width:height:limits:)`` before decoding when
    ///   the header claims too many pixels; ``OCRError/undecodableImage(path:page:format:reason:)``.
    static func readPage(path: String, format: ScanFormat, page: Int, pageCount: Int, limits: OCRLimits) throws(OCRError) -> LeptonicaImage {
        let label = pageCount > 1 ? page : nil
        switch format {
        case .png: return try readPNG(path: path, limits: limits)
        case .jpeg: return try readJPEG(path: path, limits: limits)
        case .tiff: return try readTIFF(path: path, page: page, label: label, limits: limits)
        case .pdf: throw .unsupportedFormat(path: path, head: "%PDF-")
        }
    }

    private static func openFile(_ path: String) throws(OCRError) -> UnsafeMutablePointer<FILE> {
        guard let file = fopen(path, "rb") else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        return file
    }

    // MARK: PNG

    private static func readPNG(path: String, limits: OCRLimits) throws(OCRError) -> LeptonicaImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        func failure(_ image: inout png_image) -> OCRError {
            let message = withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .undecodableImage(path: path, page: nil, format: "PNG", reason: message.isEmpty ? "damaged data" : message)
        }
        guard png_image_begin_read_from_file(&image, path) != 0 else { throw failure(&image) }
        let width = Int(image.width), height = Int(image.height)
        guard limits.allows(width: width, height: height) else {
            throw .imageTooLarge(path: path, page: nil, width: width, height: height, limits: limits)
        }
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        var white = png_color(red: 255, green: 255, blue: 255)
        var succeeded = false
        let grey = LeptonicaImage.grey(width: width, height: height, resolution: pngResolution(path: path)) { pixels, stride in
            succeeded = png_image_finish_read(&image, &white, pixels, png_int_32(stride), nil) != 0
            return succeeded
        }
        guard let grey else { throw succeeded ? .undecodableImage(path: path, page: nil, format: "PNG", reason: "out of memory") : failure(&image) }
        return grey
    }

    /// The resolution in a PNG's `pHYs` chunk (pixels per metre), or 0 when there is none
    /// before the image data. libpng's simplified API does not report it.
    static func pngResolution(path: String) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var offset: UInt64 = 8
        for _ in 0..<64 {
            guard (try? handle.seek(toOffset: offset)) != nil,
                  let header = try? handle.read(upToCount: 8), header.count == 8
            else { return 0 }
            let length = header.prefix(4).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let type = String(decoding: header.suffix(4), as: UTF8.self)
            if type == "IDAT" || type == "IEND" { return 0 }
            if type == "pHYs", length == 9, let body = try? handle.read(upToCount: 9), body.count == 9 {
                let bytes = Array(body)
                let perMetre = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
                return bytes[8] == 1 ? Int((Double(perMetre) * 0.0254).rounded()) : 0
            }
            offset += 12 + length
        }
        return 0
    }

    // MARK: JPEG

    private static func readJPEG(path: String, limits: OCRLimits) throws(OCRError) -> LeptonicaImage {
        let bytes = try wholeFile(path: path, limit: limits.maximumImageFileBytes)
        guard let decoder = tjInitDecompress() else {
            throw .undecodableImage(path: path, page: nil, format: "JPEG", reason: "TurboJPEG could not start")
        }
        defer { tjDestroy(decoder) }
        func failure() -> OCRError {
            .undecodableImage(path: path, page: nil, format: "JPEG", reason: String(cString: tjGetErrorStr2(decoder)))
        }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourSpace: Int32 = 0
        let header = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(decoder, $0.baseAddress, UInt(bytes.count), &width, &height, &subsampling, &colourSpace)
        }
        guard header == 0 else { throw failure() }
        guard width > 0, height > 0 else { throw .undecodableImage(path: path, page: nil, format: "JPEG", reason: "no image in the data") }
        // TurboJPEG cannot turn CMYK into grey; print shops' CMYK JPEGs are not scans.
        guard colourSpace != TJCS_CMYK.rawValue && colourSpace != TJCS_YCCK.rawValue else {
            throw .undecodableImage(path: path, page: nil, format: "JPEG", reason: "CMYK colour: expected a grey or RGB scan")
        }
        guard limits.allows(width: Int(width), height: Int(height)) else {
            throw .imageTooLarge(path: path, page: nil, width: Int(width), height: Int(height), limits: limits)
        }
        // A damaged or truncated JPEG is an error, like a damaged PNG or TIFF, rather than a
        // page half grey; progressive scans are capped against files built to decode forever.
        let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        var decoded = false
        let grey = LeptonicaImage.grey(width: Int(width), height: Int(height), resolution: jfifResolution(bytes)) { pixels, stride in
            decoded = bytes.withUnsafeBufferPointer {
                tjDecompress2(decoder, $0.baseAddress, UInt(bytes.count), pixels, width, Int32(stride), height, Int32(TJPF_GRAY.rawValue), flags)
            } == 0
            return decoded
        }
        guard let grey else { throw decoded ? .undecodableImage(path: path, page: nil, format: "JPEG", reason: "out of memory") : failure() }
        return grey
    }

    /// The resolution in a JPEG's JFIF header, or 0 when it gives none.
    static func jfifResolution(_ bytes: [UInt8]) -> Int {
        // FF D8, FF E0, length (2), "JFIF\0", version (2), units, x density (2), y density (2).
        guard bytes.count >= 18, bytes[2] == 0xFF, bytes[3] == 0xE0, bytes[6..<11].elementsEqual(Array("JFIF".utf8) + [0]) else { return 0 }
        let density = Int(bytes[14]) << 8 | Int(bytes[15])
        switch bytes[13] {
        case 1: return density
        case 2: return Int((Double(density) * 2.54).rounded())
        default: return 0
        }
    }

    private static func wholeFile(path: String, limit: Int64) throws(OCRError) -> [UInt8] {
        let file = try openFile(path)
        defer { fclose(file) }
        var status = stat()
        guard fstat(fileno(file), &status) == 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        guard Int64(status.st_size) <= limit else { throw .fileTooLarge(path: path, bytes: Int64(status.st_size), limit: limit) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard count == bytes.count else { throw .unreadableFile(path: path, reason: "read \(count) of \(bytes.count) bytes") }
        return bytes
    }

    // MARK: TIFF

    private static func readTIFF(path: String, page: Int, label: Int?, limits: OCRLimits) throws(OCRError) -> LeptonicaImage {
        let file = try openFile(path)
        defer { fclose(file) }
        var width: Int32 = 0, height: Int32 = 0, bits: Int32 = 0, samples: Int32 = 0, resolution: Int32 = 0, colourMap: Int32 = 0, compression: Int32 = 0
        guard freadHeaderTiff(file, Int32(page - 1), &width, &height, &bits, &samples, &resolution, &colourMap, &compression) == 0 else {
            throw .undecodableImage(path: path, page: label, format: "TIFF", reason: "unreadable image directory")
        }
        guard width > 0, height > 0 else { throw .undecodableImage(path: path, page: label, format: "TIFF", reason: "no image in the directory") }
        guard limits.allows(width: Int(width), height: Int(height)) else {
            throw .imageTooLarge(path: path, page: label, width: Int(width), height: Int(height), limits: limits)
        }
        rewind(file)
        guard let image = LeptonicaImage(taking: pixReadStreamTiff(file, Int32(page - 1))) else {
            throw .undecodableImage(path: path, page: label, format: "TIFF", reason: "damaged or truncated image data")
        }
        guard let grey = LeptonicaImage.grey(from: image) else {
            throw .undecodableImage(path: path, page: label, format: "TIFF", reason: "cannot convert \(bits)-bit, \(samples)-sample pixels to grey")
        }
        return grey
    }
}
