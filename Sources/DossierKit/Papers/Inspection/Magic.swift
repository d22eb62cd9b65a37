import CDossierMagic
import DossierModel
import Foundation

/// What libmagic (the library of `file(1)`, Debian's libmagic-dev) says a file is: its MIME type
/// and its description, from the file's bytes alone.
///
/// libmagic knows thousands of formats, with the details a table of leading bytes would miss: a
/// PDF's version, an image's size, an ELF or PE executable, an OLE2 container that is an encrypted
/// Office document ("CDFV2 Encrypted"), a RAR or 7-Zip archive. It does not look inside zips far
/// enough to tell an OFD from any zip, nor a DOCX written by another tool than Word; ``ZipInspection``
/// does that. Related documentation: <https://man7.org/linux/man-pages/man3/libmagic.3.html>.
///
/// A `magic_t` is not thread-safe, and a new one compiles its patterns (regular expressions)
/// again on first use — about 5 ms a paper, most of a filing of thousands of small papers — so
/// loaded cookies are kept in a pool (``MagicCookies``), each used by one thread at a time.
struct MagicIdentification: Sendable, Equatable {
    /// `application/pdf`, `image/png` …; `application/octet-stream` when libmagic knows nothing more.
    var mimeType: String
    /// `PDF document, version 1.7, 1 pages` …
    var description: String

    /// Flags for both calls: compressed files are not unpacked (a `.gz` is a gzip file here, not its
    /// contents), errors are real errors rather than text, and a symbolic link is followed (a
    /// document decrypted into memory is reached through `/proc/self/fd/N`).
    static let baseFlags = MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR | MAGIC_SYMLINK

    /// Identifies the file at `path`.
    ///
    /// The description is asked first: when it is one of the forms libmagic's plain-text reader
    /// writes (``isPlainTextDescription(_:)``), no pattern matched and the MIME type is
    /// `text/plain`, so the second pass over libmagic's patterns — half the time of identifying
    /// a text paper — is not made.
    /// - Throws: ``PaperInspectionError`` when libmagic cannot start or cannot read the file.
    static func identify(fileAt path: String) throws(PaperInspectionError) -> MagicIdentification {
        try identify(what: "the file") { cookie in magic_file(cookie, path) }
    }

    /// libmagic's own MIME type for the file at `path`, always from its patterns (what
    /// ``identify(fileAt:)`` infers for plain text is checked against it).
    static func libmagicMimeType(fileAt path: String) throws(PaperInspectionError) -> String {
        try MagicCookies.shared.withCookie { cookie throws(PaperInspectionError) in
            try answer(cookie, flags: baseFlags | MAGIC_MIME_TYPE, failure: "libmagic could not read the file") { magic_file($0, path) }
        }
    }

    /// Identifies bytes held in memory (a file embedded in a PDF).
    static func identify(bytes: [UInt8]) throws(PaperInspectionError) -> MagicIdentification {
        try identify(what: "the bytes") { cookie in bytes.withUnsafeBytes { magic_buffer(cookie, $0.baseAddress, $0.count) } }
    }

    /// The description, then the MIME type unless the description shows it is plain text;
    /// `query` asks libmagic about the file or the bytes with the flags set on the cookie.
    private static func identify(what: String, query: (magic_t) -> UnsafePointer<CChar>?) throws(PaperInspectionError) -> MagicIdentification {
        try MagicCookies.shared.withCookie { cookie throws(PaperInspectionError) in
            let description = try answer(cookie, flags: baseFlags, failure: "libmagic could not describe \(what)", query)
            if isPlainTextDescription(description) { return MagicIdentification(mimeType: "text/plain", description: description) }
            let mimeType = try answer(cookie, flags: baseFlags | MAGIC_MIME_TYPE, failure: "libmagic could not read \(what)", query)
            return MagicIdentification(mimeType: mimeType, description: description)
        }
    }

    /// libmagic's answer to `query` with `flags`, or its error after `failure`.
    private static func answer(
        _ cookie: magic_t, flags: Int32, failure: String, _ query: (magic_t) -> UnsafePointer<CChar>?
    ) throws(PaperInspectionError) -> String {
        guard magic_setflags(cookie, flags) == 0, let text = query(cookie) else { throw .magic("\(failure): \(message(cookie))") }
        return String(cString: text)
    }

    /// The encodings libmagic's plain-text reader (`ascmagic.c`, file 5.44) names.
    private static let plainTextEncodings: Set<String> = [
        "ASCII", "ISO-8859", "Non-ISO extended-ASCII", "Unicode text, UTF-8", "Unicode text, UTF-8 (with BOM)",
        "Unicode text, UTF-16, little-endian", "Unicode text, UTF-16, big-endian",
    ]
    /// What it may add after `text`, each after ", with ".
    private static let plainTextRemarks: Set<String> = [
        "no line terminators", "CRLF line terminators", "CR line terminators", "CRLF, LF line terminators", "CRLF, CR line terminators",
        "CR, LF line terminators", "CRLF, CR, LF line terminators", "NEL line terminators", "escape sequences", "overstriking", "backspace",
    ]

    /// Whether `description` is exactly what libmagic's plain-text reader writes when none of its
    /// patterns matched (`ASCII text`, `Unicode text, UTF-8 text, with CRLF line terminators` …):
    /// then its MIME type is `text/plain`. A pattern's match (`Python script, ASCII text
    /// executable`, `CSV text`, `PEM RSA private key`) never has this form. Any other form —
    /// UTF-32, EBCDIC, a future wording — is not recognised, and the MIME type is asked for.
    static func isPlainTextDescription(_ description: String) -> Bool {
        var parts = description.components(separatedBy: ", with ")
        guard let first = parts.first, first.hasSuffix(" text"), plainTextEncodings.contains(String(first.dropLast(" text".count))) else { return false }
        parts.removeFirst()
        return parts.allSatisfy { remark in
            plainTextRemarks.contains(remark)
                || (remark.hasPrefix("very long lines (") && remark.hasSuffix(")")
                    && Int(remark.dropFirst("very long lines (".count).dropLast()) != nil)
        }
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

/// libmagic cookies, loaded once and reused, one thread at a time each: as many as identified
/// papers at once (two, on two cores).
final class MagicCookies: @unchecked Sendable {
    static let shared = MagicCookies()
    // Guarded by `lock`; a cookie taken out belongs to its taker until given back.
    private let lock = NSLock()
    private var idle: [magic_t] = []

    /// Runs `body` with a cookie nobody else is using (flags as `body` sets them).
    func withCookie<R>(_ body: (magic_t) throws(PaperInspectionError) -> R) throws(PaperInspectionError) -> R {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        let cookie: magic_t
        if let reused { cookie = reused } else { cookie = try Self.open() }
        defer {
            lock.lock()
            idle.append(cookie)
            lock.unlock()
        }
        return try body(cookie)
    }

    private static func open() throws(PaperInspectionError) -> magic_t {
        guard let cookie = magic_open(MagicIdentification.baseFlags) else {
            throw .magic("libmagic could not start (magic_open)")
        }
        guard magic_load(cookie, nil) == 0 else {
            let reason = magic_error(cookie).map { String(cString: $0) } ?? "no reason given"
            magic_close(cookie)
            throw .magic("libmagic could not load its database: \(reason)")
        }
        return cookie
    }
}
