import DossierModel

/// Zip entries carry their times as DOS local times, which libarchive computes with the
/// process's time zone (`localtime_r`): the same version zipped on machines set to different
/// zones would differ in those bytes. Setting `TZ` would change the whole process's zone, so
/// instead the finished archive's DOS times are rewritten to the vault's local time, in every
/// local file header and central directory record. The zip's CRCs and sizes do not cover
/// those fields, and its `UT` extra fields keep the true time in UTC.
enum ZipLocalTime {
    /// The DOS time and date of a moment as local time at `offsetSeconds` east of UTC, clamped
    /// to DOS's 1980–2107 as libarchive clamps.
    static func dosTimeAndDate(unixSeconds: Int64, offsetSeconds: Int) -> (time: UInt16, date: UInt16) {
        let local = unixSeconds + Int64(offsetSeconds)
        let days = local.floorDivided(by: 86400)
        let second = Int(local - days * 86400)
        let date = LocalDate(dayNumber: Timestamp.epochDay + Int(days))
        if date.year < 1980 { return (0, 0x21) }
        if date.year > 2107 { return (0xBF7D, 0xFF9F) }
        let time = UInt16(second / 3600) << 11 | UInt16(second / 60 % 60) << 5 | UInt16(second % 60 / 2)
        let day = UInt16(date.year - 1980) << 9 | UInt16(date.month) << 5 | UInt16(date.day)
        return (time, day)
    }

    /// Sets every entry's DOS time and date in the zip on `file` (which starts at offset 0).
    /// - Throws: ``ArchiveError`` when the archive's central directory cannot be followed.
    static func rewrite(_ file: FileDescriptor, name: String, unixSeconds: Int64, offsetSeconds: Int) throws(ArchiveError) {
        let (time, date) = dosTimeAndDate(unixSeconds: unixSeconds, offsetSeconds: offsetSeconds)
        let stamp = [UInt8(time & 0xFF), UInt8(time >> 8), UInt8(date & 0xFF), UInt8(date >> 8)]
        func fail(_ problem: String) -> ArchiveError { ArchiveError(archive: name, problem: "rewriting zip entry times: \(problem)") }
        do {
            let size = try file.size()
            let (directoryOffset, entries) = try centralDirectory(file, size: size, fail: fail)
            var offset = directoryOffset
            for _ in 0..<entries {
                let header = try bytes(file, at: offset, count: 46)
                guard header.starts(with: [0x50, 0x4B, 0x01, 0x02]) else { throw fail("no central directory record at \(offset)") }
                let nameLength = Int64(le16(header, 28)), extraLength = Int64(le16(header, 30)), commentLength = Int64(le16(header, 32))
                var localOffset = Int64(le32(header, 42))
                if localOffset == 0xFFFF_FFFF {
                    let extra = try bytes(file, at: offset + 46 + nameLength, count: Int(extraLength))
                    localOffset = try zip64LocalOffset(extra, header: header, fail: fail)
                }
                try file.write(stamp, at: offset + 12)
                guard try bytes(file, at: localOffset, count: 4) == [0x50, 0x4B, 0x03, 0x04] else { throw fail("no local file header at \(localOffset)") }
                try file.write(stamp, at: localOffset + 10)
                offset += 46 + nameLength + extraLength + commentLength
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }

    /// Where the central directory starts and how many records it holds, from the end record
    /// (or its zip64 form, which libarchive writes with the `zip64` option).
    private static func centralDirectory(_ file: FileDescriptor, size: Int64, fail: (String) -> ArchiveError) throws -> (Int64, Int64) {
        // libarchive writes no archive comment, so the end record is the last 22 bytes.
        guard size >= 22 else { throw fail("the archive is \(size) bytes long") }
        let end = try bytes(file, at: size - 22, count: 22)
        guard end.starts(with: [0x50, 0x4B, 0x05, 0x06]) else { throw fail("no end of central directory record") }
        var entries = Int64(le16(end, 10))
        var offset = Int64(le32(end, 16))
        if offset == 0xFFFF_FFFF || entries == 0xFFFF, size >= 42 {
            let locator = try bytes(file, at: size - 42, count: 20)
            guard locator.starts(with: [0x50, 0x4B, 0x06, 0x07]) else { throw fail("no zip64 end locator") }
            let record = try bytes(file, at: Int64(le64(locator, 8)), count: 56)
            guard record.starts(with: [0x50, 0x4B, 0x06, 0x06]) else { throw fail("no zip64 end record") }
            entries = Int64(le64(record, 32))
            offset = Int64(le64(record, 48))
        }
        return (offset, entries)
    }

    /// The local header offset in a record's zip64 extra field (header id 1), whose values
    /// appear only for the record's fields set to all ones, in the order sizes, then offset.
    private static func zip64LocalOffset(_ extra: [UInt8], header: [UInt8], fail: (String) -> ArchiveError) throws -> Int64 {
        var position = 0
        while position + 4 <= extra.count {
            let id = le16(extra, position), length = Int(le16(extra, position + 2))
            if id == 1 {
                var field = position + 4
                if le32(header, 24) == 0xFFFF_FFFF { field += 8 }
                if le32(header, 20) == 0xFFFF_FFFF { field += 8 }
                guard field + 8 <= position + 4 + length else { break }
                return Int64(le64(extra, field))
            }
            position += 4 + length
        }
        throw fail("a central directory record has no zip64 offset")
    }

    private static func bytes(_ file: FileDescriptor, at offset: Int64, count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let read = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
        return Array(buffer.prefix(read))
    }

    private static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16 }
    private static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32 }
}
