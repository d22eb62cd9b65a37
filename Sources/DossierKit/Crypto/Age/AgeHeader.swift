/// One recipient stanza of an age header: `-> TYPE ARGUMENT…` and a base64 body.
package struct AgeStanza: Sendable, Equatable {
    /// The first argument (`X25519`, `scrypt`, anything a plugin chose).
    package var type: String
    /// The arguments after the type.
    package var arguments: [String]
    /// The decoded body.
    package var body: [UInt8]
    /// The header line of `-> …` (from 1), for messages; 0 for stanzas made here.
    package var line: Int = 0

    package static func == (left: AgeStanza, right: AgeStanza) -> Bool {
        left.type == right.type && left.arguments == right.arguments && left.body == right.body
    }
}

/// An age v1 header, parsed strictly (the spec's ABNF, canonical base64 only) by a pure function
/// of bytes, so that it can be fuzzed on its own.
///
/// ```
/// age-encryption.org/v1
/// -> X25519 XEl0dJ6y3C7KZkgmgWUicg63EyXJiwBJW8PdYJ/cYBE
/// qRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1E
/// --- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s
/// ```
package struct AgeHeader: Sendable, Equatable {
    /// The stanzas, in file order (at least one).
    package var stanzas: [AgeStanza]
    /// The 32-byte HMAC-SHA-256 from the `---` line.
    package var mac: [UInt8]
    /// The header's bytes up to and including the MAC line's `---`: what the MAC covers.
    package var authenticatedBytes: [UInt8]
    /// The header's length, MAC line included: where the payload starts.
    package var length: Int

    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let versionPrefix = Array("age-encryption.org/".utf8)
    static let armorBegin = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let columns = 64
    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let stanzaMark = Array("-> ".utf8)
    private static let macMark = Array("---".utf8)

    /// Parses the header at the start of `bytes` (which may continue with the payload).
    /// - Parameter limit: the largest header accepted, MAC line included.
    /// - Throws: the first problem as an ``AgeError`` (`malformedHeader`, `notAnAgeFile`,
    ///   `armoredFile`, `unsupportedVersion`, `headerTruncated`, `headerTooLarge`).
    package static func parse(_ bytes: [UInt8], limit: Int = AgeFile.headerSizeLimit) throws(AgeError) -> AgeHeader {
        switch try scan(bytes, limit: limit) {
        case .complete(let header): return header
        case .incomplete(let line): throw .headerTruncated(line: line)
        }
    }

    enum Scan {
        case complete(AgeHeader)
        /// The bytes end inside line `line` with nothing wrong so far: more are needed.
        case incomplete(line: Int)
    }

    private enum Expecting { case stanzaOrMAC, body }

    /// Parses as far as `bytes` go. Lines cut off by the end of `bytes` are checked as far as
    /// they go too, so that garbage fails at once instead of after `limit` bytes.
    static func scan(_ bytes: [UInt8], limit: Int) throws(AgeError) -> Scan {
        // Line 1: the version line.
        guard let firstEnd = bytes.prefix(limit).firstIndex(of: newline) else {
            try checkVersionPrefix(bytes[...])
            if bytes.count >= limit { throw .headerTooLarge(limit: limit) }
            return .incomplete(line: 1)
        }
        try checkVersionLine(bytes[..<firstEnd])

        var stanzas: [AgeStanza] = []
        var expecting = Expecting.stanzaOrMAC
        var current = AgeStanza(type: "", arguments: [], body: [])
        var lineNumber = 1
        var start = firstEnd + 1
        while true {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: newline)
            let line = bytes[start..<(end ?? bytes.count)]
            let complete = end != nil
            if let end, end >= limit { throw .headerTooLarge(limit: limit) }
            switch expecting {
            case .stanzaOrMAC:
                if line.starts(with: macMark) || macMark.starts(with: line) && !line.isEmpty && !stanzaMark.starts(with: line) {
                    let mac = try checkMACLine(line, complete: complete, lineNumber: lineNumber)
                    guard complete, let mac else { break }
                    guard !stanzas.isEmpty else {
                        throw .malformedHeader(line: lineNumber, expected: "a recipient stanza (\"-> TYPE …\") before the MAC line", got: AgeError.quote(line))
                    }
                    let covered = start + macMark.count
                    return .complete(AgeHeader(stanzas: stanzas, mac: mac, authenticatedBytes: Array(bytes[..<covered]), length: line.endIndex + 1))
                }
                guard let arguments = try checkArgumentLine(line, complete: complete, lineNumber: lineNumber, first: stanzas.isEmpty) else { break }
                current = AgeStanza(type: arguments[0], arguments: Array(arguments.dropFirst()), body: [], line: lineNumber)
                expecting = .body
            case .body:
                guard let decoded = try checkBodyLine(line, complete: complete, lineNumber: lineNumber) else { break }
                current.body += decoded
                if line.count < columns {
                    stanzas.append(current)
                    expecting = .stanzaOrMAC
                }
            }
            guard let end else {
                if bytes.count >= limit { throw .headerTooLarge(limit: limit) }
                return .incomplete(line: lineNumber)
            }
            start = end + 1
        }
    }

    // MARK: Line checks

    /// A first line cut off before its LF: refuse at once what can no longer become one.
    private static func checkVersionPrefix(_ line: ArraySlice<UInt8>) throws(AgeError) {
        if line.starts(with: versionPrefix) || versionPrefix.starts(with: line) { return }
        if line.starts(with: armorBegin) { throw .armoredFile }
        if armorBegin.starts(with: line) { return }
        throw .notAnAgeFile(got: AgeError.quote(line))
    }

    private static func checkVersionLine(_ line: ArraySlice<UInt8>) throws(AgeError) {
        if line.elementsEqual(versionLine) { return }
        if line.elementsEqual(versionLine + [UInt8(ascii: "\r")]) {
            throw .malformedHeader(line: 1, expected: "\"age-encryption.org/v1\" ending in LF", got: "a CR LF line end")
        }
        if line.starts(with: armorBegin) { throw .armoredFile }
        guard line.starts(with: versionPrefix) else { throw .notAnAgeFile(got: AgeError.quote(line)) }
        throw .unsupportedVersion(AgeError.quote(line.dropFirst(versionPrefix.count)))
    }

    /// `--- ` and 43 canonical base64 characters (32 bytes).
    /// - Returns: the MAC when the line is complete and well-formed; `nil` when incomplete.
    private static func checkMACLine(_ line: ArraySlice<UInt8>, complete: Bool, lineNumber: Int) throws(AgeError) -> [UInt8]? {
        let expected = "\"--- \" and 43 base64 characters (the header MAC)"
        let fail = { (got: String) in AgeError.malformedHeader(line: lineNumber, expected: expected, got: got) }
        if line.count > 3 && line[line.startIndex + 3] != space { throw fail(AgeError.quote(line)) }
        let encoded = line.dropFirst(4)
        if let bad = encoded.first(where: { !AgeBase64.isAlphabet($0) }) {
            throw fail("\(AgeError.quote([bad])) in \(AgeError.quote(line))")
        }
        if encoded.count > 43 { throw fail("\(encoded.count) characters after \"--- \"") }
        guard complete else { return nil }
        guard encoded.count == 43 else { throw fail(line.count <= 3 ? AgeError.quote(line) : "\(encoded.count) characters after \"--- \"") }
        guard case .success(let mac) = AgeBase64.decode(encoded) else {
            throw fail("non-canonical base64 \(AgeError.quote(encoded))")
        }
        return mac
    }

    /// `-> ` and arguments of printable ASCII separated by single spaces, at least one.
    /// - Returns: the arguments when the line is complete; `nil` when incomplete.
    private static func checkArgumentLine(_ line: ArraySlice<UInt8>, complete: Bool, lineNumber: Int, first: Bool) throws(AgeError) -> [String]? {
        let expected = first
            ? "\"-> TYPE [ARGUMENT…]\" (a recipient stanza)"
            : "\"-> TYPE [ARGUMENT…]\" (a recipient stanza) or \"--- MAC\" (the end of the header)"
        let fail = { (got: String) in AgeError.malformedHeader(line: lineNumber, expected: expected, got: got) }
        guard line.starts(with: stanzaMark) || (!complete && stanzaMark.starts(with: line)) else {
            throw fail(AgeError.quote(line))
        }
        let rest = line.dropFirst(stanzaMark.count)
        if let bad = rest.first(where: { $0 != space && ($0 < 33 || $0 > 126) }) {
            throw fail("the byte \(AgeError.quote([bad])) in an argument (arguments are printable ASCII)")
        }
        let arguments = rest.split(separator: space, omittingEmptySubsequences: false)
        // The last piece of a cut-off line may still grow: only earlier empty pieces are wrong.
        let settled = complete ? arguments[...] : arguments.dropLast()
        if settled.contains(where: { $0.isEmpty }) {
            throw fail(rest.isEmpty ? "no arguments" : "an empty argument (two spaces in a row, or a space at an end) in \(AgeError.quote(line))")
        }
        guard complete else { return nil }
        return arguments.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Up to 64 canonical base64 characters; a stanza ends with its first shorter line.
    /// - Returns: the decoded bytes when the line is complete; `nil` when incomplete.
    private static func checkBodyLine(_ line: ArraySlice<UInt8>, complete: Bool, lineNumber: Int) throws(AgeError) -> [UInt8]? {
        let expected = "a stanza body line of at most 64 base64 characters"
        if line.starts(with: stanzaMark) || line.starts(with: macMark) {
            throw .malformedHeader(
                line: lineNumber, expected: "the stanza body to end with a line shorter than 64 characters",
                got: AgeError.quote(line, limit: 24))
        }
        if let bad = line.first(where: { !AgeBase64.isAlphabet($0) }) {
            throw .malformedHeader(line: lineNumber, expected: expected, got: "the character \(AgeError.quote([bad]))")
        }
        if line.count > columns {
            throw .malformedHeader(line: lineNumber, expected: expected, got: "a line longer than 64 characters")
        }
        guard complete else { return nil }
        switch AgeBase64.decode(line) {
        case .success(let bytes):
            return bytes
        case .failure(.impossibleLength):
            throw .malformedHeader(line: lineNumber, expected: expected, got: "\(line.count) characters, a length no base64 encoding has")
        case .failure:
            throw .malformedHeader(line: lineNumber, expected: "canonical base64 (unused bits zero)", got: AgeError.quote(line))
        }
    }

    // MARK: Encoding

    /// The header text up to and including `---`, as this module writes it (and as any header
    /// that parses must have been written: parsing is canonical).
    package static func encodeAuthenticatedPart(_ stanzas: [AgeStanza]) -> [UInt8] {
        var text = versionLine + [newline]
        for stanza in stanzas {
            text += stanzaMark + Array(stanza.type.utf8)
            for argument in stanza.arguments { text += [space] + Array(argument.utf8) }
            text.append(newline)
            let body = AgeBase64.encode(stanza.body)
            var offset = 0
            // Full lines, then the shorter (possibly empty) last line that closes the stanza.
            while body.count - offset >= columns {
                text += body[offset..<offset + columns] + [newline]
                offset += columns
            }
            text += body[offset...] + [newline]
        }
        return text + macMark
    }

    /// A complete header: the authenticated part, a space, the base64 MAC and a line feed.
    package static func encode(authenticatedPart: [UInt8], mac: [UInt8]) -> [UInt8] {
        authenticatedPart + [space] + AgeBase64.encode(mac) + [newline]
    }
}
