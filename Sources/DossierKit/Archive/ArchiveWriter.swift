import DossierModel
import CDossierArchive
#if canImport(Glibc)
import Glibc
#endif

/// How an export is serialized.
public enum ArchiveFormat: String, Sendable, CaseIterable {
    /// POSIX pax tar (ustar headers, pax records for UTF-8 names).
    case tar
    /// The tar stream in gzip members: already-compressed documents in stored members.
    case tarGzip = "tar.gz"
    /// Zip with the UTF-8 name flag and zip64 records.
    case zip

    /// The format a file name's extension names (`.tar`, `.tar.gz`, `.tgz`, `.zip`), if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            self = .tarGzip
        } else if lower.hasSuffix(".tar") {
            self = .tar
        } else if lower.hasSuffix(".zip") {
            self = .zip
        } else {
            return nil
        }
    }
}

/// Writes a tar, tar.gz or zip archive through libarchive, one entry at a time and one
/// chunk at a time, with fixed metadata (modification time, owner, permissions) so that the
/// same entries always give the same bytes.
///
/// Per-entry compression: zip entries are stored or deflated as asked. A gzip stream has one
/// compression level for its whole length, so tar.gz is written as a series of gzip members
/// (RFC 1952 §2.2; every gunzip reads them as one stream): stored members for entries that
/// are already compressed, deflated members for the rest.
///
/// Use `write(_:to:displayName:modificationTime:body:)`, which runs inside a UTF-8 locale
/// (see `withUTF8Locale(_:)`) and closes the archive. The corresponding C functions are
/// `archive_write_open2`, `archive_write_header` and `archive_write_data`
/// (https://github.com/libarchive/libarchive/wiki/ManPageArchiveWrite3).
public final class ArchiveWriter {
    /// Deflate level for compressible entries. Level 5 makes text within about 6% of
    /// zlib's default (6) in less than half the time: level 6 searches four times longer
    /// match chains for the last few percent.
    static let deflateLevel = 5

    /// Zero bytes written after tar's end-of-archive blocks. Tar readers ignore them; they
    /// keep the last 64 KiB of the file free of any zip signature, because zip detectors that
    /// scan the end of a file (Python's `zipfile.is_zipfile`, used by bdbag before it tries
    /// tar) otherwise take a tar ending in a DOCX for a zip archive.
    static let tarTrailerPadding = 66_560

    public let format: ArchiveFormat
    private let name: String
    private let modificationTime: Int64
    private let file: FileSink
    private let main: WriteHandle
    private let gzip: GzipMembers?
    private var closed = false

    /// Creates an archive on `descriptor`, runs `body` with the writer and finishes the archive.
    /// - Parameters:
    ///   - format: tar, tar.gz or zip.
    ///   - descriptor: where the archive is written, from its start.
    ///   - displayName: names the archive in errors.
    ///   - modificationTime: seconds since 1970, given to every entry.
    ///   - localTimeOffset: for zip, whose entry times are local times without a zone: the
    ///     zone they are written in, in seconds east of UTC (the machine's zone plays no part).
    ///   - body: adds the entries.
    /// - Throws: ``ArchiveError``, or whatever `body` throws.
    public static func write<R>(
        _ format: ArchiveFormat, to descriptor: FileDescriptor, displayName: String, modificationTime: Int64, localTimeOffset: Int = 0,
        body: (ArchiveWriter) throws -> R
    ) throws -> R {
        try withUTF8Locale { () throws -> R in
            let writer = try ArchiveWriter(format: format, descriptor: descriptor, displayName: displayName, modificationTime: modificationTime)
            let result = try body(writer)
            try writer.close()
            if format == .zip {
                try ZipLocalTime.rewrite(descriptor, name: displayName, unixSeconds: modificationTime, offsetSeconds: localTimeOffset)
            }
            return result
        }
    }

    private init(format: ArchiveFormat, descriptor: FileDescriptor, displayName: String, modificationTime: Int64) throws(ArchiveError) {
        self.format = format
        self.name = displayName
        self.modificationTime = modificationTime
        let file = FileSink(descriptor)
        self.file = file
        switch format {
        case .tar:
            gzip = nil
            main = try WriteHandle(name: displayName, sink: ByteSink { try file.write($0) }) { handle in
                archive_write_set_format_pax_restricted(handle)
            }
        case .tarGzip:
            let members = GzipMembers(name: displayName, file: file)
            gzip = members
            main = try WriteHandle(name: displayName, sink: ByteSink { try members.write($0) }) { handle in
                archive_write_set_format_pax_restricted(handle)
            }
        case .zip:
            gzip = nil
            main = try WriteHandle(name: displayName, sink: ByteSink { try file.write($0) }) { handle in
                let status = archive_write_set_format_zip(handle)
                guard status == ARCHIVE_OK else { return status }
                return archive_write_set_options(handle, "zip:zip64,zip:hdrcharset=UTF-8,zip:compression-level=\(ArchiveWriter.deflateLevel)")
            }
        }
    }

    /// Adds a folder entry (`path` without a trailing slash).
    public func addDirectory(_ path: String) throws(ArchiveError) {
        try main.header(path: path, type: CDossierArchive_AE_IFDIR, permissions: 0o755, size: 0, modificationTime: modificationTime)
    }

    /// Starts a regular file of exactly `size` bytes; send them with ``writeData(_:)``.
    /// - Parameter compress: whether the bytes are worth compressing (ignored for plain tar).
    func beginFile(_ path: String, size: Int64, compress: Bool) throws(ArchiveError) {
        switch format {
        case .tar: break
        case .tarGzip: try gzip?.use(level: compress ? ArchiveWriter.deflateLevel : 0)
        case .zip:
            let status = compress ? archive_write_zip_set_compression_deflate(main.handle) : archive_write_zip_set_compression_store(main.handle)
            try main.check(status, "choose the compression of \(path)")
        }
        try main.header(path: path, type: CDossierArchive_AE_IFREG, permissions: 0o644, size: size, modificationTime: modificationTime)
    }

    func writeData(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        try main.data(bytes)
    }

    /// A whole small file at once.
    public func addFile(_ path: String, contents: [UInt8], compress: Bool) throws(ArchiveError) {
        try beginFile(path, size: Int64(contents.count), compress: compress)
        let outcome: Result<Void, ArchiveError> = contents.withUnsafeBytes { bytes in
            Result { () throws(ArchiveError) in try writeData(bytes) }
        }
        try outcome.get()
    }

    private func close() throws(ArchiveError) {
        guard !closed else { return }
        closed = true
        try main.close()
        do {
            switch format {
            case .tar:
                try file.writeZeros(ArchiveWriter.tarTrailerPadding)
            case .tarGzip:
                try gzip?.finish()
                // Only stored members carry document bytes verbatim; when none ends within
                // the last 64 KiB, compressed data already fills the end of the file.
                if let storedEnd = gzip?.storedEnd, file.total - storedEnd < Int64(ArchiveWriter.tarTrailerPadding) {
                    // Stored, so that the zeros really fill the end of the file.
                    try gzip?.use(level: 0)
                    try gzip?.writeZeros(ArchiveWriter.tarTrailerPadding)
                    try gzip?.finish()
                }
            case .zip:
                break
            }
            try file.flush()
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(archive: name, problem: "\(error)")
        }
    }
}

/// One libarchive write handle whose output goes to a ``ByteSink``.
private final class WriteHandle {
    let handle: OpaquePointer
    let name: String
    private let sink: ByteSink

    init(name: String, sink: ByteSink, configure: (OpaquePointer) -> Int32) throws(ArchiveError) {
        guard let handle = archive_write_new() else { throw ArchiveError(archive: name, problem: "libarchive could not allocate a writer") }
        self.name = name
        self.sink = sink
        // No blocking: libarchive hands each piece straight to the sink, which does its own
        // buffering (and so adds no padding at the end either).
        var status = configure(handle)
        if status == ARCHIVE_OK { status = archive_write_set_bytes_per_block(handle, 0) }
        if status == ARCHIVE_OK { status = archive_write_set_bytes_in_last_block(handle, 1) }
        if status == ARCHIVE_OK {
            status = archive_write_open2(
                handle, Unmanaged.passUnretained(sink).toOpaque(), nil,
                { _, context, buffer, length in
                    guard let context else { return -1 }
                    return Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().accept(buffer, length)
                }, nil, nil)
        }
        if status != ARCHIVE_OK {
            let message = WriteHandle.message(handle)
            archive_write_free(handle)
            throw ArchiveError(archive: name, problem: sink.failure.map { "\($0)" } ?? message)
        }
        self.handle = handle
    }

    deinit { archive_write_free(handle) }

    static func message(_ handle: OpaquePointer) -> String {
        guard let text = archive_error_string(handle) else { return "unknown libarchive error" }
        return String(cString: text)
    }

    /// Turns a libarchive status into an error, preferring the sink's own failure (a full
    /// disk says more than libarchive's "write failed").
    func check(_ status: Int32, _ what: String) throws(ArchiveError) {
        guard status != ARCHIVE_OK else { return }
        if let failure = sink.failure { throw ArchiveError(archive: name, problem: "\(what): \(failure)") }
        throw ArchiveError(archive: name, problem: "\(what): \(WriteHandle.message(handle))")
    }

    func header(path: String, type: UInt32, permissions: UInt32, size: Int64, modificationTime: Int64) throws(ArchiveError) {
        guard let entry = archive_entry_new() else { throw ArchiveError(archive: name, problem: "libarchive could not allocate an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, permissions)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, time_t(modificationTime), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        try check(archive_write_header(handle, entry), "write the header of \(path)")
    }

    func data(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(handle, base + offset, bytes.count - offset)
            if written <= 0 { try check(written == 0 ? ARCHIVE_FATAL : Int32(written), "write data") }
            offset += written
        }
    }

    func close() throws(ArchiveError) {
        try check(archive_write_close(handle), "finish the archive")
    }
}

/// The tar.gz output: a series of gzip members, a new one whenever the compression level
/// changes, each made by libarchive's gzip filter over the "raw" format.
private final class GzipMembers {
    private let name: String
    private let file: FileSink
    private var member: WriteHandle?
    private var level = -1
    /// Where the last stored member ended in the file, if there was one.
    private(set) var storedEnd: Int64?

    init(name: String, file: FileSink) {
        self.name = name
        self.file = file
    }

    func use(level newLevel: Int) throws(ArchiveError) {
        if member != nil, newLevel == level { return }
        try finish()
        let member = try WriteHandle(name: name, sink: ByteSink { [file] in try file.write($0) }) { handle in
            var status = archive_write_set_format_raw(handle)
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(handle) }
            // No timestamp in the gzip header: the same entries give the same bytes.
            if status == ARCHIVE_OK { status = archive_write_set_options(handle, "gzip:!timestamp,gzip:compression-level=\(newLevel)") }
            return status
        }
        try member.header(path: "tar", type: CDossierArchive_AE_IFREG, permissions: 0o644, size: 0, modificationTime: 0)
        self.member = member
        level = newLevel
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if member == nil { try use(level: ArchiveWriter.deflateLevel) }
        try member?.data(bytes)
    }

    func writeZeros(_ count: Int) throws {
        let zeros = [UInt8](repeating: 0, count: count)
        try zeros.withUnsafeBytes { try write($0) }
    }

    func finish() throws(ArchiveError) {
        guard let member else { return }
        self.member = nil
        try member.close()
        if level == 0 { storedEnd = file.total }
    }
}

/// The target of libarchive's write callback: forwards bytes and keeps the first failure,
/// because the callback can only answer -1.
private final class ByteSink {
    private let forward: (UnsafeRawBufferPointer) throws -> Void
    private(set) var failure: (any Error)?

    init(_ forward: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.forward = forward
    }

    func accept(_ buffer: UnsafeRawPointer?, _ length: Int) -> Int {
        guard failure == nil else { return -1 }
        do {
            try forward(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        } catch {
            failure = error
            return -1
        }
    }
}

/// Buffered writes to a file: libarchive emits many small pieces (512-byte headers, padding)
/// between large data chunks; those are gathered, and large chunks go straight through
/// (after what is pending), never copied.
private final class FileSink {
    private let descriptor: FileDescriptor
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    private var filled = 0
    private(set) var total: Int64 = 0

    init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { buffer.deallocate() }

    func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        total += Int64(bytes.count)
        if bytes.count >= buffer.count / 4 {
            try flush()
            try descriptor.write(bytes)
            return
        }
        var offset = 0
        while offset < bytes.count {
            let count = min(buffer.count - filled, bytes.count - offset)
            // swift-format-ignore: NeverForceUnwrap
            // Both pointers come from non-empty buffers (count > 0 inside this loop).
            (buffer.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            filled += count
            offset += count
            if filled == buffer.count { try flush() }
        }
    }

    func writeZeros(_ count: Int) throws(FileSystemError) {
        let zeros = [UInt8](repeating: 0, count: count)
        let outcome: Result<Void, FileSystemError> = zeros.withUnsafeBytes { bytes in
            Result { () throws(FileSystemError) in try write(bytes) }
        }
        try outcome.get()
    }

    func flush() throws(FileSystemError) {
        guard filled > 0 else { return }
        try descriptor.write(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        filled = 0
    }
}
