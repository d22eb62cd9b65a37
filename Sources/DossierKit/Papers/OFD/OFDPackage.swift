import DossierModel

/// One member as the zip's central directory lists it.
struct ZipDirectoryEntry: Sendable {
    var rawName: [UInt8]
    var compressedSize: Int64
    var uncompressedSize: Int64
    /// The general purpose bit flag (bit 0: encrypted; bit 6: strong encryption).
    var flags: UInt16 = 0
    /// The compression method (0 stored, 8 deflate; 99 is WinZip's AES encryption).
    var method: UInt16 = 0

    /// Whether the member's data is encrypted (traditional, strong or AES).
    var isEncrypted: Bool { flags & 0x0041 != 0 || method == 99 }
}

/// Reads a zip's central directory by hand, before anything is decompressed: it gives the member
/// count (refused early when too many) and each member's compressed size, which libarchive does
/// not report and the compression-ratio limit needs.
enum ZipDirectory {
    /// Central directories larger than this are refused (65,535 names of 1 KiB each fit).
    static let maximumDirectoryBytes: Int64 = 64 << 20

    static func read(path: String, file: String, maximumMembers: Int) throws(OFDError) -> [ZipDirectoryEntry] {
        let descriptor: FileDescriptor
        let size: Int64
        do {
            descriptor = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw OFDError.unreadable(file: file, detail: error.reason)
        }
        defer { descriptor.closeQuietly() }
        do {
            size = try descriptor.size()
        } catch {
            throw OFDError.unreadable(file: file, detail: error.reason)
        }
        guard size >= 22 else { throw OFDError.notZip(file: file, detail: "the file has only \(size) bytes") }

        let tailLength = Int(min(size, 22 + 65_535 + 20))
        let tail = try readBytes(descriptor, at: size - Int64(tailLength), count: tailLength, file: file)
        var found: Int?
        var position = tail.count - 22
        while position >= 0 {
            if tail[position] == 0x50 && tail[position + 1] == 0x4B && tail[position + 2] == 0x05 && tail[position + 3] == 0x06
                && position + 22 + Int(le16(tail, position + 20)) <= tail.count {
                found = position
                break
            }
            position -= 1
        }
        guard let record = found else { throw OFDError.notZip(file: file, detail: "no end-of-central-directory record") }
        var entryCount = Int64(le16(tail, record + 10))
        var directorySize = Int64(le32(tail, record + 12))
        var directoryOffset = Int64(le32(tail, record + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: the locator sits just before the classic record and points at the zip64 record.
            let locator = record - 20
            guard locator >= 0, le32(tail, locator) == 0x0706_4B50 else {
                throw OFDError.notZip(file: file, detail: "a zip64 archive without its zip64 locator")
            }
            let zip64Offset = Int64(bitPattern: le64(tail, locator + 8))
            guard zip64Offset >= 0, zip64Offset + 56 <= size else { throw OFDError.notZip(file: file, detail: "the zip64 record lies outside the file") }
            let zip64 = try readBytes(descriptor, at: zip64Offset, count: 56, file: file)
            guard le32(zip64, 0) == 0x0606_4B50 else { throw OFDError.notZip(file: file, detail: "no zip64 end-of-central-directory record") }
            entryCount = Int64(bitPattern: le64(zip64, 32))
            directorySize = Int64(bitPattern: le64(zip64, 40))
            directoryOffset = Int64(bitPattern: le64(zip64, 48))
        }
        if entryCount < 0 || entryCount > Int64(maximumMembers) {
            throw OFDError.tooManyMembers(file: file, count: Int(clamping: entryCount), limit: maximumMembers)
        }
        guard directorySize >= 0, directorySize <= maximumDirectoryBytes else {
            throw OFDError.notZip(file: file, detail: "a central directory of \(directorySize) bytes (the limit is \(maximumDirectoryBytes))")
        }
        guard directoryOffset >= 0, directoryOffset + directorySize <= size else {
            throw OFDError.notZip(file: file, detail: "the central directory lies outside the file")
        }
        let directory = try readBytes(descriptor, at: directoryOffset, count: Int(directorySize), file: file)
        var entries: [ZipDirectoryEntry] = []
        var offset = 0
        while offset + 46 <= directory.count && le32(directory, offset) == 0x0201_4B50 {
            let nameLength = Int(le16(directory, offset + 28))
            let extraLength = Int(le16(directory, offset + 30))
            let commentLength = Int(le16(directory, offset + 32))
            let nameStart = offset + 46
            guard nameStart + nameLength + extraLength + commentLength <= directory.count else {
                throw OFDError.notZip(file: file, detail: "a truncated central directory entry")
            }
            var compressed = Int64(le32(directory, offset + 20))
            var uncompressed = Int64(le32(directory, offset + 24))
            // Zip64 extended information: the 8-byte sizes, uncompressed first, for fields set to 0xFFFFFFFF.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = le16(directory, extra)
                let length = Int(le16(directory, extra + 2))
                if tag == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF && field + 8 <= extra + 4 + length {
                        uncompressed = Int64(bitPattern: le64(directory, field))
                        field += 8
                    }
                    if compressed == 0xFFFF_FFFF && field + 8 <= extra + 4 + length {
                        compressed = Int64(bitPattern: le64(directory, field))
                    }
                }
                extra += 4 + length
            }
            entries.append(ZipDirectoryEntry(
                rawName: Array(directory[nameStart..<(nameStart + nameLength)]), compressedSize: compressed, uncompressedSize: uncompressed,
                flags: le16(directory, offset + 8), method: le16(directory, offset + 10)))
            if entries.count > maximumMembers {
                throw OFDError.tooManyMembers(file: file, count: entries.count, limit: maximumMembers)
            }
            offset = nameStart + nameLength + extraLength + commentLength
        }
        return entries
    }

    static func readBytes(_ descriptor: FileDescriptor, at offset: Int64, count: Int, file: String) throws(OFDError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let outcome: Result<Int, FileSystemError> = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(FileSystemError) in try descriptor.read(into: bytes, at: offset) }
        }
        let done = try outcome.mapError { OFDError.unreadable(file: file, detail: $0.reason) }.get()
        guard done == count else { throw OFDError.notZip(file: file, detail: "the file ends inside its zip structure") }
        return buffer
    }

    static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16
    }

    static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
    }
}

/// The members of an OFD package after one bounded pass: every regular member's name in order,
/// and the bytes of the members asked for (the XML parts and signature data).
struct OFDPackage: Sendable {
    /// Regular members, in archive order, as validated relative names.
    var members: [String]
    /// Bytes of the members that `keep` selected.
    var kept: [String: [UInt8]]

    /// Reads the zip at `path` through libarchive, one 64 KiB chunk at a time, refusing unsafe
    /// names, links, encryption and anything past `limits`; `observe` sees every chunk of every
    /// regular member (the seal checker hashes members through it).
    static func scan(
        path: String, file: String, limits: OFDLimits,
        keep: (String) -> Bool,
        observe: ((String, UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(OFDError) -> OFDPackage {
        let directory = try ZipDirectory.read(path: path, file: file, maximumMembers: limits.maximumMembers)
        var byName: [[UInt8]: ZipDirectoryEntry] = [:]
        for entry in directory where byName[entry.rawName] == nil { byName[entry.rawName] = entry }
        // Names are checked as the zip stores them too: libarchive turns some backslashes into
        // slashes, which would hide a name written for another system.
        for entry in directory {
            var raw = entry.rawName
            while raw.last == UInt8(ascii: "/") { raw.removeLast() }
            if raw.isEmpty { continue }
            _ = try validatedName(raw, display: ArchiveEntry(rawPath: raw, kind: .regular, size: nil, isEncrypted: false).displayPath)
        }

        var members: [String] = []
        var kept: [String: [UInt8]] = [:]
        var seen: Set<String> = []
        var total = 0
        var current = file
        do {
            try ArchiveReader.read(path, displayName: file) { reader in
                var index = 0
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while let entry = try reader.nextEntry() {
                    defer { index += 1 }
                    current = entry.displayPath
                    if index >= limits.maximumMembers {
                        throw OFDError.tooManyMembers(file: file, count: index + 1, limit: limits.maximumMembers)
                    }
                    if entry.kind == .directory {
                        var raw = entry.rawPath
                        while raw.last == UInt8(ascii: "/") { raw.removeLast() }
                        if !raw.isEmpty { _ = try validatedName(raw, display: entry.displayPath) }
                        continue
                    }
                    let name = try validatedName(entry.rawPath, display: entry.displayPath)
                    current = name
                    switch entry.kind {
                    case .regular: break
                    case .directory: continue
                    case .symbolicLink: throw OFDError.notRegularFile(member: name, kind: "a symbolic link")
                    case .hardLink: throw OFDError.notRegularFile(member: name, kind: "a hard link")
                    case let .other(kind): throw OFDError.notRegularFile(member: name, kind: kind)
                    }
                    if entry.isEncrypted { throw OFDError.encryptedMember(member: name) }
                    guard seen.insert(name).inserted else { throw OFDError.duplicateMember(member: name) }
                    guard let listed = byName[entry.rawPath] ?? (index < directory.count ? directory[index] : nil) else {
                        throw OFDError.notZip(file: file, detail: "member \(name) is missing from the central directory")
                    }
                    let keepThis = keep(name)
                    var bytes: [UInt8] = []
                    var size = 0
                    while true {
                        let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                        if count == 0 { break }
                        size += count
                        total += count
                        if size > limits.maximumMemberBytes { throw OFDError.memberTooLarge(member: name, limit: limits.maximumMemberBytes) }
                        if total > limits.maximumTotalBytes { throw OFDError.totalTooLarge(member: name, limit: limits.maximumTotalBytes) }
                        if Int64(size) > listed.uncompressedSize { throw OFDError.sizeMismatch(member: name, declared: listed.uncompressedSize) }
                        if size > limits.compressionRatioFloor && Int64(size) > Int64(limits.maximumCompressionRatio) * max(listed.compressedSize, 1) {
                            throw OFDError.compressionRatio(member: name, compressed: listed.compressedSize, limit: limits.maximumCompressionRatio)
                        }
                        if keepThis && size > limits.maximumXMLBytes {
                            throw OFDError.contentLimit(member: name, problem: "a part read into memory (XML or signature data) of more than the limit of \(limits.maximumXMLBytes) bytes")
                        }
                        if let observe { chunk.withUnsafeBytes { observe(name, UnsafeRawBufferPointer(rebasing: $0[0..<count])) } }
                        if keepThis { bytes.append(contentsOf: chunk[0..<count]) }
                    }
                    members.append(name)
                    if keepThis { kept[name] = bytes }
                }
            }
        } catch let error as OFDError {
            throw error
        } catch let error as ArchiveError {
            if current == file {
                throw OFDError.notZip(file: file, detail: error.problem)
            }
            throw OFDError.archive(member: current, detail: error.problem)
        } catch {
            throw OFDError.archive(member: current, detail: "\(error)")
        }
        return OFDPackage(members: members, kept: kept)
    }

    /// The member name as text, refused when it could point outside the package or be read two ways.
    static func validatedName(_ raw: [UInt8], display: String) throws(OFDError) -> String {
        guard let name = OFDTextEncoding.name(raw) else {
            throw OFDError.unsafeMemberName(member: display, reason: "not UTF-8 or GB18030")
        }
        if name.isEmpty { throw OFDError.unsafeMemberName(member: display, reason: "empty name") }
        if name.contains("\\") { throw OFDError.unsafeMemberName(member: name, reason: "contains a backslash") }
        if name.hasPrefix("/") { throw OFDError.unsafeMemberName(member: name, reason: "absolute path") }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].isASCII, Character(scalars[0]).isLetter {
            throw OFDError.unsafeMemberName(member: name, reason: "drive letter")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw OFDError.unsafeMemberName(member: display, reason: "control character")
        }
        for segment in name.split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case "": throw OFDError.unsafeMemberName(member: name, reason: "empty path segment")
            case "..": throw OFDError.unsafeMemberName(member: name, reason: "\"..\" segment")
            case ".": throw OFDError.unsafeMemberName(member: name, reason: "\".\" segment")
            default: continue
            }
        }
        return name
    }
}
