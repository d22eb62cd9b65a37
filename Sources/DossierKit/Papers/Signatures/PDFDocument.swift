import DossierModel

/// Where the cross-reference data says an object lives.
enum PDFObjectLocation: Equatable {
    case free
    case offset(Int64)
    case compressed(objectStream: Int, index: Int)
}

/// One cross-reference section (a table or a stream) and the trailer that came with it.
struct PDFXrefSection {
    enum Entries {
        /// Subsections of a classic table: 20-byte (or, non-conforming, 19-byte) lines read on demand.
        case table([(first: Int, count: Int, offset: Int64, width: Int)])
        /// Subsections of a cross-reference stream over its decoded rows.
        case stream(subsections: [(first: Int, count: Int, row: Int)], widths: [Int], rows: [UInt8])
        /// Locations found by scanning the file for `N G obj` (when the cross-reference data is broken).
        case reconstructed([Int: PDFObjectLocation])
    }

    var offset: Int64
    var entries: Entries
    var trailer: [String: PDFValue]
}

/// The cross-reference structure of a PDF read from the end of the file, with on-demand object
/// lookup: only the objects asked for are read, through bounded windows.
///
/// Supports classic tables, cross-reference streams, hybrid files (`/XRefStm`), `/Prev` chains
/// (incremental updates) and object streams. When the cross-reference data is broken (a wrong offset,
/// uneven entry lines, a looping /Prev) the table is rebuilt once by scanning the file for `N G obj`,
/// as PDF readers do; the signatures' own integrity never depends on it (ByteRange is checked on bytes).
final class PDFDocument {
    let file: RandomAccessFile
    let limits: SignatureLimits
    /// Newest first.
    private(set) var sections: [PDFXrefSection] = []
    private var objectCache: [Int: PDFValue] = [:]
    /// Object text held by `objectCache`, bounded by `cacheBudget`.
    private var cachedBytes = 0
    private var objectStreams: [Int: [(number: Int, offset: Int)]] = [:]
    private var objectStreamData: [Int: (first: Int, data: [UInt8])] = [:]
    private var objectStreamBytes = 0
    private var objectReads = 0
    /// Subsections over all sections, bounded by `limits.maximumXrefSubsections`.
    private var subsectionCount = 0
    /// Bytes inflated so far, bounded by `limits.maximumDecodedBytes`.
    private var decodedBytes = 0
    /// Bytes of object text parsed so far (window sizes), bounded by `limits.maximumParsedBytes`.
    private var parsedBytes = 0
    /// Objects whose text is longer than this are not cached (a parsed value costs ~25× its text).
    static let cacheableObjectBytes = 16 * 1024
    static let cacheBudget = 2 * 1024 * 1024

    /// How far before the end of the file `startxref` is looked for.
    static let tailSize = 4096
    /// The first read of an object; doubled while the object does not fit, up to the object limit.
    static let initialWindow = 4096

    enum Failure: Error {
        case corrupt(String)
        case limit(what: String, limit: Int)
        case encrypted
    }

    /// Reads the cross-reference chain.
    /// - Throws: `Failure.corrupt` when the file is not a PDF or its cross-reference data is broken,
    ///   `.encrypted` when a trailer has /Encrypt, `.limit` on hostile sizes; `SignatureCheckError.io` from reads.
    init(file: RandomAccessFile, limits: SignatureLimits) throws {
        self.file = file
        self.limits = limits
        let head = try file.read(at: 0, count: 1024)
        guard ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: head) != nil else {
            throw Failure.corrupt("no %PDF- header in the first 1024 bytes")
        }
        let startxref = try Self.startXref(file)
        do {
            try readChain(from: startxref)
        } catch Failure.corrupt(let detail) {
            try rebuild(after: detail)
        }
        if sections.contains(where: { $0.trailer["Encrypt"] != nil }) { throw Failure.encrypted }
    }

    /// Like PDF readers, rebuilds the object table by scanning the file when the cross-reference data
    /// turns out broken (`problem`); when that fails too, `problem` is what is thrown.
    func rebuild(after problem: String) throws {
        guard !isReconstructed else { throw Failure.corrupt(problem) }
        isReconstructed = true
        sections = []
        do {
            try reconstruct()
        } catch Failure.corrupt {
            throw Failure.corrupt(problem)
        }
        if sections.contains(where: { $0.trailer["Encrypt"] != nil }) { throw Failure.encrypted }
    }

    /// Whether the object table was rebuilt by scanning because the cross-reference data was broken.
    private(set) var isReconstructed = false

    private func readChain(from startxref: Int64) throws {
        var next: Int64? = startxref
        var visited: Set<Int64> = []
        while let offset = next {
            guard !visited.contains(offset) else { throw Failure.corrupt("the /Prev chain loops back to byte \(offset)") }
            guard sections.count < limits.maximumXrefSections else {
                throw Failure.limit(what: "cross-reference sections", limit: limits.maximumXrefSections)
            }
            visited.insert(offset)
            let section = try readSection(at: offset)
            sections.append(section)
            if let hidden = section.trailer["XRefStm"]?.integer, case .table = section.entries, !visited.contains(hidden) {
                visited.insert(hidden)
                sections.append(try readSection(at: hidden))
            }
            next = section.trailer["Prev"]?.integer
        }
        // The newest trailer must lead to a catalog, or the chain describes some other document.
        guard trailerValue("Root")?.reference != nil else {
            throw Failure.corrupt("no trailer names a /Root catalog")
        }
    }

    /// The trailer entry from the newest section that has it (/Root, /Info).
    func trailerValue(_ key: String) -> PDFValue? {
        sections.lazy.compactMap { $0.trailer[key] }.first
    }

    // MARK: - startxref and sections

    private static func startXref(_ file: RandomAccessFile) throws -> Int64 {
        let start = max(0, file.size - Int64(tailSize))
        let tail = try file.read(at: start, count: tailSize)
        guard let keyword = ByteSearch.lastIndex(of: Array("startxref".utf8), in: tail) else {
            throw Failure.corrupt("no startxref in the last \(tailSize) bytes (truncated file?)")
        }
        var parser = PDFObjectParser(Array(tail[(keyword + 9)...]), base: start + Int64(keyword + 9), reachesEnd: true)
        let offset: Int64
        do {
            offset = try parser.readInteger()
        } catch {
            throw Failure.corrupt("startxref at byte \(start + Int64(keyword)) is not followed by an offset")
        }
        guard offset < file.size else {
            throw Failure.corrupt("startxref points to byte \(offset), past the end of the file (\(file.size) bytes)")
        }
        // Only whitespace may follow the final %%EOF: anything else is a truncated last revision or
        // bytes appended outside any revision, and the last startxref found would then describe an
        // older revision than the bytes on disk.
        var cursor = keyword + 9 + parser.position
        while cursor < tail.count, PDFObjectParser.isWhitespace(tail[cursor]) { cursor += 1 }
        if tail[cursor...].starts(with: "%%EOF".utf8) { cursor += 5 }
        while cursor < tail.count, PDFObjectParser.isWhitespace(tail[cursor]) { cursor += 1 }
        if cursor < tail.count {
            throw Failure.corrupt("\(tail.count - cursor) bytes after the %%EOF that ends the last revision are not whitespace (the file was appended to or truncated)")
        }
        return offset
    }

    private func readSection(at offset: Int64) throws -> PDFXrefSection {
        guard offset >= 0, offset < file.size else {
            throw Failure.corrupt("a cross-reference offset (\(offset)) lies outside the file (\(file.size) bytes)")
        }
        let probe = try file.read(at: offset, count: 4)
        if probe == Array("xref".utf8) { return try readTable(at: offset) }
        do {
            return try readStreamSection(at: offset)
        } catch Failure.corrupt {
            throw Failure.corrupt("byte \(offset): expected \"xref\" or a cross-reference stream object")
        }
    }

    private func countSubsections(_ count: Int) throws {
        subsectionCount += count
        guard subsectionCount <= limits.maximumXrefSubsections else {
            throw Failure.limit(what: "cross-reference subsections", limit: limits.maximumXrefSubsections)
        }
    }

    private func readTable(at start: Int64) throws -> PDFXrefSection {
        var subsections: [(first: Int, count: Int, offset: Int64, width: Int)] = []
        var cursor = start + 4
        while true {
            try countSubsections(1)
            let window = try file.read(at: cursor, count: 256)
            var parser = PDFObjectParser(window, base: cursor, reachesEnd: cursor + Int64(window.count) >= file.size)
            do {
                if try parser.consumeKeyword("trailer") {
                    let trailerStart = cursor + Int64(parser.position)
                    guard case .dictionary(let trailer) = try parse(at: trailerStart, what: "the trailer after byte \(start)", { parser throws(PDFSyntaxError) in
                        try parser.parseValue(depth: 0)
                    }) else {
                        throw Failure.corrupt("byte \(trailerStart): the trailer is not a dictionary")
                    }
                    // Sorted by first object number so that lookups can binary-search.
                    return PDFXrefSection(offset: start, entries: .table(subsections.sorted { $0.first < $1.first }),
                                          trailer: trailer)
                }
                let first = try parser.readInteger()
                let count = try parser.readInteger()
                // The entries begin after the end of the subsection line.
                parser.skipToNextLine()
                let entriesOffset = cursor + Int64(parser.position)
                guard first <= Int64(Int32.max), count <= Int64(Int32.max) else {
                    throw Failure.corrupt("byte \(cursor): cross-reference subsection \(first) \(count) is out of range")
                }
                var width = 20
                if count > 0 {
                    let entry = try file.read(at: entriesOffset, count: 20)
                    guard entry.count >= 19, entry[10] == 0x20, entry[16] == 0x20,
                          entry[17] == UInt8(ascii: "n") || entry[17] == UInt8(ascii: "f") else {
                        throw Failure.corrupt("byte \(entriesOffset): expected a cross-reference entry \"nnnnnnnnnn ggggg n\"")
                    }
                    if entry[18] == 0x0A || entry[18] == 0x0D, entry.count < 20 || !(entry[19] == 0x0A || entry[19] == 0x0D) {
                        width = 19
                    }
                }
                let end = entriesOffset + count * Int64(width)
                guard end <= file.size else {
                    throw Failure.corrupt("byte \(cursor): cross-reference subsection of \(count) entries runs past the end of the file")
                }
                // Lines of uneven length would make later lookups land mid-line: check the last one too.
                if count > 1 {
                    let lastAt = end - Int64(width)
                    guard try Self.tableEntry(file.read(at: lastAt, count: 18)) != nil else {
                        throw Failure.corrupt("byte \(lastAt): cross-reference entries are not \(width) bytes each")
                    }
                }
                subsections.append((first: Int(first), count: Int(count), offset: entriesOffset, width: width))
                cursor = end
            } catch let error as PDFSyntaxError {
                throw Failure.corrupt("cross-reference table at byte \(start): \(error.message)")
            }
        }
    }

    private func readStreamSection(at offset: Int64) throws -> PDFXrefSection {
        let object = try readObject(at: offset, expecting: nil)
        guard let dictionary = object.value.dictionary, dictionary["Type"]?.name == "XRef", let dataStart = object.streamStart else {
            throw Failure.corrupt("byte \(offset): expected \"xref\" or a cross-reference stream")
        }
        let rows: [UInt8]
        do {
            rows = try streamData(of: dictionary, at: dataStart, what: "the cross-reference stream at byte \(offset)")
        }
        guard let widthValues = dictionary["W"]?.array, widthValues.count == 3 else {
            throw Failure.corrupt("byte \(offset): the cross-reference stream's /W is not an array of three integers")
        }
        let widths = widthValues.compactMap(\.integer).map(Int.init)
        guard widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }), widths.reduce(0, +) > 0 else {
            throw Failure.corrupt("byte \(offset): the cross-reference stream's /W \(widths) is unusable")
        }
        let rowWidth = widths.reduce(0, +)
        var index: [Int64] = []
        if let values = dictionary["Index"]?.array {
            index = values.compactMap(\.integer)
            guard index.count == values.count, index.count % 2 == 0 else {
                throw Failure.corrupt("byte \(offset): the cross-reference stream's /Index is not pairs of integers")
            }
        } else {
            guard let size = dictionary["Size"]?.integer else {
                throw Failure.corrupt("byte \(offset): the cross-reference stream has neither /Index nor /Size")
            }
            index = [0, size]
        }
        try countSubsections(index.count / 2)
        var subsections: [(first: Int, count: Int, row: Int)] = []
        var row = 0
        for pair in stride(from: 0, to: index.count, by: 2) {
            let first = index[pair]
            let count = index[pair + 1]
            guard first >= 0, count >= 0, first <= Int64(Int32.max), count <= Int64(rows.count / rowWidth) else {
                throw Failure.corrupt("byte \(offset): cross-reference stream subsection \(first) \(count) is out of range")
            }
            subsections.append((first: Int(first), count: Int(count), row: row))
            row += Int(count)
        }
        guard row * rowWidth <= rows.count else {
            throw Failure.corrupt("byte \(offset): the cross-reference stream holds \(rows.count / rowWidth) rows, its /Index names \(row)")
        }
        return PDFXrefSection(offset: offset,
                              entries: .stream(subsections: subsections.sorted { $0.first < $1.first }, widths: widths, rows: rows),
                              trailer: dictionary)
    }

    // MARK: - Object lookup

    /// Where the newest cross-reference section that mentions `number` puts it; nil when none does.
    func location(of number: Int) throws -> PDFObjectLocation? {
        for section in sections {
            switch section.entries {
            case .table(let subsections):
                if let subsection = Self.subsection(containing: number, in: subsections, first: \.first, count: \.count) {
                    let at = subsection.offset + Int64((number - subsection.first) * subsection.width)
                    guard let entry = try Self.tableEntry(file.read(at: at, count: 18)) else {
                        throw Failure.corrupt("byte \(at): expected a cross-reference entry for object \(number)")
                    }
                    return entry
                }
            case .reconstructed(let table):
                if let location = table[number] { return location }
            case .stream(let subsections, let widths, let rows):
                if let subsection = Self.subsection(containing: number, in: subsections, first: \.first, count: \.count) {
                    let rowWidth = widths.reduce(0, +)
                    var at = (subsection.row + number - subsection.first) * rowWidth
                    var fields: [Int64] = []
                    for width in widths {
                        var value: Int64 = 0
                        for _ in 0..<width {
                            value = value << 8 | Int64(rows[at])
                            at += 1
                        }
                        fields.append(value)
                    }
                    // A zero-width type field means type 1 (ISO 32000-1 table 17).
                    let type = widths[0] == 0 ? 1 : fields[0]
                    switch type {
                    case 0: return .free
                    case 1: return .offset(fields[1])
                    case 2:
                        guard fields[1] <= Int64(Int32.max), fields[2] <= Int64(Int32.max) else {
                            throw Failure.corrupt("object \(number): compressed entry out of range")
                        }
                        return .compressed(objectStream: Int(fields[1]), index: Int(fields[2]))
                    default:
                        // Unknown types are to be read as references to the null object.
                        return .free
                    }
                }
            }
        }
        return nil
    }

    /// Reads `oooooooooo ggggg n` / `… f` (digits may be space-padded on the left, as some writers do).
    private static func tableEntry(_ bytes: [UInt8]) -> PDFObjectLocation? {
        guard bytes.count == 18, bytes[10] == 0x20, bytes[16] == 0x20 else { return nil }
        let field = bytes[0..<10].drop { $0 == 0x20 }
        guard !field.isEmpty, field.allSatisfy({ (48...57).contains($0) }) else { return nil }
        switch bytes[17] {
        case UInt8(ascii: "f"): return .free
        case UInt8(ascii: "n"): return .offset(field.reduce(Int64(0)) { $0 * 10 + Int64($1 - 48) })
        default: return nil
        }
    }

    /// The last subsection (sorted by first number) that starts at or before `number`, if it holds it.
    private static func subsection<T>(containing number: Int, in subsections: [T], first: KeyPath<T, Int>,
                                      count: KeyPath<T, Int>) -> T? {
        var low = 0
        var high = subsections.count
        while low < high {
            let middle = (low + high) / 2
            if subsections[middle][keyPath: first] <= number { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let candidate = subsections[low - 1]
        return number - candidate[keyPath: first] < candidate[keyPath: count] ? candidate : nil
    }

    /// Every object number the cross-reference data names as in use, ascending (for a walk over the
    /// whole document: ``PDFInspection`` looks at every object for scripts and embedded files).
    /// - Throws: `Failure.limit` when there are more than `limits.maximumObjectReads`.
    func objectNumbers() throws -> [Int] {
        var candidates = Set<Int>()
        for section in sections {
            switch section.entries {
            case .table(let subsections):
                for subsection in subsections { candidates.formUnion(subsection.first..<(subsection.first + subsection.count)) }
            case .stream(let subsections, _, _):
                for subsection in subsections { candidates.formUnion(subsection.first..<(subsection.first + subsection.count)) }
            case .reconstructed(let table):
                candidates.formUnion(table.keys)
            }
            guard candidates.count <= limits.maximumObjectReads else {
                throw Failure.limit(what: "objects in the cross-reference data", limit: limits.maximumObjectReads)
            }
        }
        var numbers: [Int] = []
        for number in candidates.sorted() where number > 0 {
            switch try location(of: number) {
            case .offset?, .compressed?: numbers.append(number)
            case .free?, nil: continue
            }
        }
        return numbers
    }

    /// The decoded data of the stream object `reference`, or nil when the object is not a stream
    /// (streams never sit in object streams).
    /// - Throws: `Failure.corrupt` or `.limit` as for any read; a stream over the stream limit is a limit.
    func streamData(of reference: PDFReference) throws -> [UInt8]? {
        guard case .offset(let offset)? = try location(of: reference.number) else { return nil }
        let object = try readObject(at: offset, expecting: reference.number)
        guard let dictionary = object.value.dictionary, let start = object.streamStart else { return nil }
        return try streamData(of: dictionary, at: start, what: "object \(reference.number)")
    }

    /// The value of object `reference` (null when free or absent, as ISO 32000-1 §7.3.10 says).
    func object(_ reference: PDFReference) throws -> PDFValue {
        if let cached = objectCache[reference.number] { return cached }
        objectReads += 1
        guard objectReads <= limits.maximumObjectReads else {
            throw Failure.limit(what: "objects read", limit: limits.maximumObjectReads)
        }
        let value: PDFValue
        let size: Int
        switch try location(of: reference.number) {
        case nil, .free?:
            (value, size) = (.null, 0)
        case .offset(let offset)?:
            let object = try readObject(at: offset, expecting: reference.number)
            (value, size) = (object.value, object.textLength)
        case .compressed(let stream, let index)?:
            (value, size) = try compressedObject(reference.number, inStream: stream, index: index)
        }
        if size <= Self.cacheableObjectBytes {
            if cachedBytes + size > Self.cacheBudget {
                objectCache.removeAll(keepingCapacity: true)
                cachedBytes = 0
            }
            objectCache[reference.number] = value
            cachedBytes += size
        }
        return value
    }

    /// Follows references (a bounded number of hops) to a direct value.
    func resolve(_ value: PDFValue?) throws -> PDFValue {
        var current = value ?? .null
        var hops = 0
        while case .reference(let reference) = current {
            hops += 1
            guard hops <= 32 else { throw Failure.corrupt("object \(reference.number): a chain of more than 32 references") }
            current = try object(reference)
        }
        return current
    }

    /// Reads the indirect object at `offset` from the file, growing the read window while the object does
    /// not fit, up to the object limit.
    /// - Parameter expecting: the object number the cross-reference data promised, checked when given.
    func readObject(at offset: Int64, expecting number: Int?) throws -> PDFIndirectObject {
        guard offset >= 0, offset < file.size else {
            throw Failure.corrupt("\(number.map { "object \($0)" } ?? "an object") is said to be at byte \(offset), outside the file (\(file.size) bytes)")
        }
        let what = number.map { "object \($0) at byte \(offset)" } ?? "the object at byte \(offset)"
        let object = try parse(at: offset, what: what) { parser throws(PDFSyntaxError) in
            try parser.parseIndirectObject()
        }
        if let number, object.reference.number != number {
            throw Failure.corrupt("the cross-reference data puts object \(number) at byte \(offset), which holds object \(object.reference.number)")
        }
        return object
    }

    /// Runs `body` on a parser over the file from `offset`, retrying with a doubled window while the
    /// parse runs off the end of the window.
    private func parse<T>(at offset: Int64, what: String,
                          _ body: (inout PDFObjectParser) throws(PDFSyntaxError) -> T) throws -> T {
        var window = Self.initialWindow
        while true {
            parsedBytes += window
            guard parsedBytes <= limits.maximumParsedBytes else {
                throw Failure.limit(what: "bytes of object text parsed", limit: limits.maximumParsedBytes)
            }
            let bytes = try file.read(at: offset, count: window)
            let reachesEnd = offset + Int64(bytes.count) >= file.size
            var parser = PDFObjectParser(bytes, base: offset, reachesEnd: reachesEnd)
            do {
                return try body(&parser)
            } catch .truncated {
                guard window < limits.maximumObjectBytes else {
                    throw Failure.limit(what: "\(what): an object larger than the object limit", limit: limits.maximumObjectBytes)
                }
                window = min(window * 4, limits.maximumObjectBytes)
            } catch .malformed(let at, let detail) {
                throw Failure.corrupt("\(what): byte \(at): \(detail)")
            }
        }
    }

    /// The decoded data of a stream whose dictionary was read from the file.
    private func streamData(of dictionary: [String: PDFValue], at start: Int64, what: String) throws -> [UInt8] {
        let lengthValue: PDFValue
        if case .reference = dictionary["Length"] {
            lengthValue = try resolve(dictionary["Length"])
        } else {
            lengthValue = dictionary["Length"] ?? .null
        }
        guard let length = lengthValue.integer, length >= 0 else {
            throw Failure.corrupt("\(what): /Length is \(lengthValue.kindDescription), expected a non-negative integer")
        }
        guard length <= Int64(limits.maximumStreamBytes) else {
            throw Failure.limit(what: "\(what): a stream of \(length) bytes", limit: limits.maximumStreamBytes)
        }
        guard start + length <= file.size else {
            throw Failure.corrupt("\(what): its \(length) bytes of data run past the end of the file")
        }
        let raw = try file.read(at: start, count: Int(length))
        let budget = min(limits.maximumStreamBytes, limits.maximumDecodedBytes - decodedBytes)
        guard budget > 0 else {
            throw Failure.limit(what: "decoded stream bytes in total", limit: limits.maximumDecodedBytes)
        }
        do {
            let decoded = try StreamDecoder.decode(raw, dictionary: dictionary, limit: budget)
            decodedBytes += decoded.count
            return decoded
        } catch .tooLarge {
            if budget < limits.maximumStreamBytes {
                throw Failure.limit(what: "decoded stream bytes in total", limit: limits.maximumDecodedBytes)
            }
            throw Failure.limit(what: "\(what): decoded stream bytes", limit: limits.maximumStreamBytes)
        } catch .malformed(let detail) {
            throw Failure.corrupt("\(what): \(detail)")
        }
    }

    /// The object numbers an object stream holds, in order (decoding it if needed).
    private func objectStreamMembers(_ stream: Int) throws -> [(number: Int, offset: Int)] {
        try loadObjectStream(stream)
        return objectStreams[stream] ?? []
    }

    /// The object's value and the length of its text in the decoded stream.
    private func compressedObject(_ number: Int, inStream stream: Int, index: Int) throws -> (PDFValue, Int) {
        try loadObjectStream(stream)
        guard let table = objectStreams[stream], let stored = objectStreamData[stream] else { return (.null, 0) }
        guard index < table.count, table[index].number == number else {
            throw Failure.corrupt("object stream \(stream) does not hold object \(number) at index \(index)")
        }
        let start = stored.first + table[index].offset
        var parser = PDFObjectParser(stored.data, base: -1, reachesEnd: true, position: start)
        do {
            let value = try parser.parseValue(depth: 0)
            return (value, parser.position - start)
        } catch {
            throw Failure.corrupt("object \(number) in object stream \(stream): \(error.message)")
        }
    }

    private func loadObjectStream(_ stream: Int) throws {
        if objectStreamData[stream] == nil {
            guard case .offset(let offset)? = try location(of: stream) else {
                throw Failure.corrupt("object stream \(stream) is not an uncompressed object")
            }
            let object = try readObject(at: offset, expecting: stream)
            guard let dictionary = object.value.dictionary, dictionary["Type"]?.name == "ObjStm",
                  let dataStart = object.streamStart else {
                throw Failure.corrupt("object \(stream) at byte \(offset) is not an object stream (/Type /ObjStm)")
            }
            guard let count = dictionary["N"]?.integer, let first = dictionary["First"]?.integer, count >= 0, first >= 0 else {
                throw Failure.corrupt("object stream \(stream) lacks integer /N and /First")
            }
            guard count <= Int64(limits.maximumObjectsPerStream) else {
                throw Failure.limit(what: "objects in object stream \(stream)", limit: limits.maximumObjectsPerStream)
            }
            let data = try streamData(of: dictionary, at: dataStart, what: "object stream \(stream)")
            guard first <= Int64(data.count) else {
                throw Failure.corrupt("object stream \(stream): /First \(first) lies past its \(data.count) decoded bytes")
            }
            var parser = PDFObjectParser(Array(data[0..<Int(first)]), base: -1, reachesEnd: true)
            var table: [(number: Int, offset: Int)] = []
            do {
                for _ in 0..<count {
                    let objectNumber = try parser.readInteger()
                    let objectOffset = try parser.readInteger()
                    guard objectNumber <= Int64(Int32.max), first + objectOffset < Int64(data.count) else {
                        throw Failure.corrupt("object stream \(stream): entry \(objectNumber) \(objectOffset) is out of range")
                    }
                    table.append((number: Int(objectNumber), offset: Int(objectOffset)))
                }
            } catch let error as PDFSyntaxError {
                throw Failure.corrupt("object stream \(stream) header: \(error.message)")
            }
            // Keep decoded streams up to one stream limit in all: field trees usually sit in one or two.
            if objectStreamBytes + data.count > limits.maximumStreamBytes {
                objectStreamData.removeAll()
                objectStreams.removeAll()
                objectStreamBytes = 0
            }
            objectStreamData[stream] = (first: Int(first), data: data)
            objectStreams[stream] = table
            objectStreamBytes += data.count
        }
    }

    // MARK: - Reconstruction

    /// Rebuilds the object table by scanning the whole file (in 1 MiB chunks) for `N G obj`, later
    /// definitions winning; objects inside object streams are registered from every `/ObjStm` found.
    /// The trailer is the last `trailer` dictionary naming /Root, else the last cross-reference stream's.
    private func reconstruct() throws {
        var table: [Int: PDFObjectLocation] = [:]
        var positions: [Int: Int64] = [:]
        var trailers: [Int64] = []
        var objectStreamCandidates: [Int64] = []
        let chunkSize = 1 << 20
        let overlap = 64
        var chunkStart: Int64 = 0
        let objKeyword = Array("obj".utf8)
        let trailerKeyword = Array("trailer".utf8)
        let objStmKeyword = Array("/ObjStm".utf8)
        var lastHeader: (number: Int, offset: Int64)?
        while chunkStart < file.size {
            let chunk = try file.read(at: chunkStart, count: chunkSize + overlap)
            let limit = min(chunk.count, chunkSize)
            var index = 0
            while index < limit {
                let byte = chunk[index]
                if byte == UInt8(ascii: "o"), Self.matches(objKeyword, in: chunk, at: index),
                   index + 3 == chunk.count || !Self.isRegularByte(chunk[index + 3]),
                   let header = Self.objectHeader(endingBefore: index, in: chunk) {
                    let offset = chunkStart + Int64(header.start)
                    table[header.number] = .offset(offset)
                    positions[header.number] = offset
                    lastHeader = (header.number, offset)
                    guard table.count <= limits.maximumObjectReads * 20 else {
                        throw Failure.limit(what: "objects found while rebuilding the cross-reference table",
                                            limit: limits.maximumObjectReads * 20)
                    }
                } else if byte == UInt8(ascii: "t"), Self.matches(trailerKeyword, in: chunk, at: index) {
                    trailers.append(chunkStart + Int64(index + trailerKeyword.count))
                } else if byte == UInt8(ascii: "/"), Self.matches(objStmKeyword, in: chunk, at: index), let lastHeader,
                          objectStreamCandidates.last != lastHeader.offset {
                    objectStreamCandidates.append(lastHeader.offset)
                }
                index += 1
            }
            chunkStart += Int64(chunkSize)
        }
        guard !table.isEmpty else { throw Failure.corrupt("no objects found while rebuilding the cross-reference table") }

        // Objects in object streams, unless an uncompressed definition comes later in the file.
        sections = [PDFXrefSection(offset: 0, entries: .reconstructed(table), trailer: [:])]
        for streamOffset in objectStreamCandidates.prefix(limits.maximumXrefSections) {
            guard let object = try? readObject(at: streamOffset, expecting: nil),
                  object.value.dictionary?["Type"]?.name == "ObjStm",
                  case .offset(streamOffset)? = table[object.reference.number],
                  let members = try? objectStreamMembers(object.reference.number) else { continue }
            for (index, member) in members.enumerated() where (positions[member.number] ?? -1) < streamOffset {
                table[member.number] = .compressed(objectStream: object.reference.number, index: index)
                positions[member.number] = streamOffset
            }
        }

        var trailer: [String: PDFValue]?
        for start in trailers.reversed().prefix(16) {
            if case .dictionary(let candidate)? = try? parse(at: start, what: "a trailer", { parser throws(PDFSyntaxError) in
                try parser.parseValue(depth: 0)
            }), candidate["Root"]?.reference != nil {
                trailer = candidate
                break
            }
        }
        if trailer == nil {
            // Cross-reference streams carry the trailer keys; take the newest that names /Root.
            for (_, offset) in positions.sorted(by: { $0.value > $1.value }).prefix(256) {
                if let object = try? readObject(at: offset, expecting: nil), let dictionary = object.value.dictionary,
                   dictionary["Type"]?.name == "XRef", dictionary["Root"]?.reference != nil {
                    trailer = dictionary
                    break
                }
            }
        }
        guard let trailer else {
            throw Failure.corrupt("no trailer naming /Root found while rebuilding the cross-reference table")
        }
        sections = [PDFXrefSection(offset: 0, entries: .reconstructed(table), trailer: trailer)]
        objectCache.removeAll()
        cachedBytes = 0
    }

    private static func matches(_ needle: [UInt8], in haystack: [UInt8], at index: Int) -> Bool {
        index + needle.count <= haystack.count && haystack[index..<(index + needle.count)].elementsEqual(needle)
    }

    private static func isRegularByte(_ byte: UInt8) -> Bool {
        !PDFObjectParser.isWhitespace(byte) && !PDFObjectParser.isDelimiter(byte)
    }

    /// `N G ` just before index `end` (where "obj" starts), with N preceded by whitespace or the chunk start.
    private static func objectHeader(endingBefore end: Int, in bytes: [UInt8]) -> (number: Int, start: Int)? {
        var cursor = end - 1
        func skipSpaces() -> Bool {
            let before = cursor
            while cursor >= 0, PDFObjectParser.isWhitespace(bytes[cursor]) { cursor -= 1 }
            return cursor < before
        }
        func digits() -> Int? {
            var value = 0
            var scale = 1
            var count = 0
            while cursor >= 0, (48...57).contains(bytes[cursor]), count < 10 {
                value += Int(bytes[cursor] - 48) * scale
                scale *= 10
                count += 1
                cursor -= 1
            }
            return count > 0 ? value : nil
        }
        guard skipSpaces(), digits() != nil, skipSpaces(), let number = digits() else { return nil }
        guard cursor < 0 || PDFObjectParser.isWhitespace(bytes[cursor]) || PDFObjectParser.isDelimiter(bytes[cursor]) else {
            return nil
        }
        return (number, cursor + 1)
    }
}
