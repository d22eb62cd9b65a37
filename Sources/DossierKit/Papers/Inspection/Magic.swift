import CDossierMagic
import DossierModel

/// What libmagic (the library of `file(1)`, Debian's libmagic-dev) says a file is: its MIME type
/// and its description, from the file's bytes alone.
///
/// libmagic knows thousands of formats, with the details a table of leading bytes would miss: a
/// PDF's version, an image's size, an ELF or PE executable, an OLE2 container that is an encrypted
/// Office document ("CDFV2 Encrypted"), a RAR or 7-Zip archive. It does not look inside zips far
/// enough to tell an OFD from any zip, nor a DOCX written by another tool than Word; ``ZipInspection``
/// does that. Related documentation: <https://man7.org/linux/man-pages/man3/libmagic.3.html>.
///
/// A `magic_t` is not thread-safe: each identification opens its own (loading the compiled database
/// is a `mmap`, under a millisecond).
struct MagicIdentification: Sendable, Equatable {
    /// `application/pdf`, `image/png` …; `application/octet-stream` when libmagic knows nothing more.
    var mimeType: String
    /// `PDF document, version 1.7, 1 pages` …
    var description: String

    /// Flags for both calls: compressed files are not unpacked (a `.gz` is a gzip file here, not its
    /// contents), errors are real errors rather than text, and a symbolic link is followed (a
    /// document decrypted into memory is reached through `/proc/self/fd/N`).
    private static let baseFlags = MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR | MAGIC_SYMLINK

    /// Identifies the file at `path`.
    /// - Throws: ``PaperInspectionError`` when libmagic cannot start or cannot read the file.
    static func identify(fileAt path: String) throws(PaperInspectionError) -> MagicIdentification {
        guard let cookie = magic_open(baseFlags | MAGIC_MIME_TYPE) else {
            throw .magic("libmagic could not start (magic_open)")
        }
        defer { magic_close(cookie) }
        guard magic_load(cookie, nil) == 0 else {
            throw .magic("libmagic could not load its database: \(message(cookie))")
        }
        guard let mime = magic_file(cookie, path) else {
            throw .magic("libmagic could not read the file: \(message(cookie))")
        }
        let mimeType = String(cString: mime)
        guard magic_setflags(cookie, baseFlags) == 0, let text = magic_file(cookie, path) else {
            throw .magic("libmagic could not describe the file: \(message(cookie))")
        }
        return MagicIdentification(mimeType: mimeType, description: String(cString: text))
    }

    /// Identifies bytes held in memory (a file embedded in a PDF).
    static func identify(bytes: [UInt8]) throws(PaperInspectionError) -> MagicIdentification {
        guard let cookie = magic_open(baseFlags | MAGIC_MIME_TYPE) else {
            throw .magic("libmagic could not start (magic_open)")
        }
        defer { magic_close(cookie) }
        guard magic_load(cookie, nil) == 0 else {
            throw .magic("libmagic could not load its database: \(message(cookie))")
        }
        let mime = bytes.withUnsafeBytes { magic_buffer(cookie, $0.baseAddress, $0.count) }
        guard let mime else { throw .magic("libmagic could not read the bytes: \(message(cookie))") }
        let mimeType = String(cString: mime)
        let text = bytes.withUnsafeBytes { magic_setflags(cookie, baseFlags) == 0 ? magic_buffer(cookie, $0.baseAddress, $0.count) : nil }
        guard let text else { throw .magic("libmagic could not describe the bytes: \(message(cookie))") }
        return MagicIdentification(mimeType: mimeType, description: String(cString: text))
    }

    private static func message(_ cookie: magic_t) -> String {
        magic_error(cookie).map { String(cString: $0) } ?? "no reason given"
    }
}

/// Why a document could not be inspected at all.
enum PaperInspectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case magic(String)
    case io(String)

    var description: String {
        switch self {
        case .magic(let detail), .io(let detail): detail
        }
    }
}
