import DossierModel
import CDossierArchive
#if canImport(Glibc)
import Glibc
#endif

/// One entry's header, as read from an archive.
public struct ArchiveEntry: Sendable {
    public enum Kind: Sendable, Equatable {
        case regular
        case directory
        case symbolicLink
        case hardLink
        case other(String)
    }

    /// The name exactly as stored, which may not be UTF-8.
    var rawPath: [UInt8]
    public var kind: Kind
    public var size: Int64?
    var isEncrypted: Bool

    /// The name as text, or `nil` when it is not valid UTF-8.
    public var path: String? { String(validating: rawPath, as: UTF8.self) }

    /// The name for messages, with invalid bytes shown as `\xNN`.
    var displayPath: String {
        if let path { return path }
        var out = ""
        var index = 0
        while index < rawPath.count {
            let byte = rawPath[index]
            if byte < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\x" + String(byte, radix: 16, uppercase: true)
            }
            index += 1
        }
        return out
    }
}

/// Reads zip, tar (ustar, pax, gnu) and their gzip, bzip2 and xz compressions through
/// libarchive, one entry at a time and one chunk at a time: memory stays flat whatever
/// the archive's size.
///
/// Use inside `withUTF8Locale(_:)`; `read(_:body:)` does that for you. The
/// corresponding C functions are `archive_read_next_header` and `archive_read_data`
/// (https://github.com/libarchive/libarchive/wiki/ManPageArchiveRead3).
public final class ArchiveReader {
    private let handle: OpaquePointer
    public let name: String

    /// Opens `path` and runs `body` with a reader, in a UTF-8 locale, closing it afterwards.
    /// - Parameters:
    ///   - path: the archive.
    ///   - displayName: names the archive in errors (default: `path`).
    ///   - blockSize: bytes per read from the file; larger blocks mean fewer system
    ///     calls for callers streaming big archives.
    ///   - zipNameCharset: the character set of zip member names written without the UTF-8
    ///     flag (libarchive's `zip:hdrcharset`, e.g. `CP936` for GBK from Chinese Windows);
    ///     `nil` reads them as zip's default, CP437.
    ///   - body: reads the entries.
    public static func read<R>(
        _ path: String, displayName: String? = nil, blockSize: Int = 1 << 16, zipNameCharset: String? = nil, body: (ArchiveReader) throws -> R
    ) throws -> R {
        try withUTF8Locale { () throws -> R in
            let reader = try ArchiveReader(path: path, displayName: displayName ?? path, blockSize: blockSize, zipNameCharset: zipNameCharset)
            return try body(reader)
        }
    }

    private init(path: String, displayName: String, blockSize: Int, zipNameCharset: String?) throws(ArchiveError) {
        guard let handle = archive_read_new() else { throw ArchiveError(archive: displayName, problem: "libarchive could not allocate a reader") }
        archive_read_support_format_tar(handle)
        archive_read_support_format_zip(handle)
        if let zipNameCharset, archive_read_set_format_option(handle, "zip", "hdrcharset", zipNameCharset) != ARCHIVE_OK {
            let message = ArchiveReader.message(handle)
            archive_read_free(handle)
            throw ArchiveError(archive: displayName, problem: "zip names in \(zipNameCharset): \(message)")
        }
        archive_read_support_filter_gzip(handle)
        archive_read_support_filter_bzip2(handle)
        archive_read_support_filter_xz(handle)
        if archive_read_open_filename(handle, path, blockSize) != ARCHIVE_OK {
            let message = ArchiveReader.message(handle)
            archive_read_free(handle)
            throw ArchiveError(archive: displayName, problem: ArchiveReader.explain(message))
        }
        self.handle = handle
        self.name = displayName
    }

    deinit { archive_read_free(handle) }

    static func message(_ handle: OpaquePointer) -> String {
        guard let text = archive_error_string(handle) else { return "unknown libarchive error" }
        return String(cString: text)
    }

    static func explain(_ message: String) -> String {
        if message.contains("Unrecognized archive format") {
            return "not a zip, tar or tar.gz archive (libarchive: \(message))"
        }
        return "truncated or corrupt archive: \(message)"
    }

    /// The next entry's header, or `nil` at the end of the archive.
    /// Whether the archive is a zip (known once the first entry has been read): zips made on
    /// Chinese Windows carry member names in GBK without the UTF-8 flag.
    public var isZip: Bool { (archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP }

    public func nextEntry() throws(ArchiveError) -> ArchiveEntry? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw ArchiveError(archive: name, problem: ArchiveReader.explain(ArchiveReader.message(handle)))
        }
        var raw: [UInt8] = []
        if let pointer = archive_entry_pathname(entry) {
            raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        } else if let pointer = archive_entry_pathname_utf8(entry) {
            raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        }
        let kind: ArchiveEntry.Kind
        let type = UInt32(archive_entry_filetype(entry)) & CDossierArchive_AE_IFMT
        if archive_entry_hardlink(entry) != nil {
            kind = .hardLink
        } else if type == CDossierArchive_AE_IFREG {
            kind = .regular
        } else if type == CDossierArchive_AE_IFDIR {
            kind = .directory
        } else if type == CDossierArchive_AE_IFLNK {
            kind = .symbolicLink
        } else {
            kind = .other(type == 0o020000 ? "a character device" : type == 0o060000 ? "a block device" : type == 0o010000 ? "a FIFO" : type == 0o140000 ? "a socket" : "not a regular file")
        }
        return ArchiveEntry(
            rawPath: raw, kind: kind,
            size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil,
            isEncrypted: archive_entry_is_encrypted(entry) != 0)
    }

    /// Skips the current entry's data without handing it out (a compressed stream is still
    /// decompressed, so ``uncompressedBytes`` counts it).
    public func skipData() throws(ArchiveError) {
        guard archive_read_data_skip(handle) == ARCHIVE_OK else {
            throw ArchiveError(archive: name, problem: ArchiveReader.explain(ArchiveReader.message(handle)))
        }
    }

    /// Bytes read from the archive file so far (compressed, for tar.gz).
    public var fileBytesRead: Int64 { archive_filter_bytes(handle, -1) }

    /// Bytes the archive's compression filters gave out so far (the tar stream, for tar.gz).
    public var uncompressedBytes: Int64 { archive_filter_bytes(handle, 0) }

    /// Reads the current entry's data; 0 at its end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        let count = archive_read_data(handle, buffer.baseAddress, buffer.count)
        guard count >= 0 else { throw ArchiveError(archive: name, problem: ArchiveReader.explain(ArchiveReader.message(handle))) }
        return count
    }
}
