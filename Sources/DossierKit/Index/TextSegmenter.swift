import DossierModel
/// Cuts text into the tokens the full-text index stores, so that Chinese is found by
/// queries of one, two or more characters (STACK.md: SQLite's own tokenizers cannot).
///
/// - A run of letters and digits (Latin, Cyrillic, Mongolian, …) is one token, folded to lower
///   case; full-width forms (`ＧＢ１８０３０`) fold to ASCII first.
/// - Every CJK character (Han, kana, Hangul) is a token of its own (a unigram), and the pair it
///   starts with the next character of the same run (a bigram) sits at the same position as a
///   colocated token. A one-character query finds the unigram; a longer query becomes a phrase of
///   bigrams ending with the last character's unigram, which is both selective (bigrams are rare
///   where single characters are everywhere) and exact for highlighting (every position's offsets
///   cover one character).
/// - Everything else separates tokens.
///
/// Documents and queries are cut differently, and only here: ``Mode`` says which.
public enum TextSegmenter {
    public enum Mode: Sendable {
        /// Text being indexed, or re-read for a snippet: unigrams with colocated bigrams.
        case document
        /// A query phrase: bigrams, then the run's last character alone, one position each.
        /// What a match looks like position by position, and so what highlighting marks.
        case query
        /// A query phrase as the full-text table matches it: ``query`` without the last
        /// character of the phrase's final run when a pair already ends with it. A pair at
        /// position p implies its second character alone at p + 1, so the matches are the same;
        /// but a single character's position list is among the longest in the index, and
        /// reading it made common words slow (see `scripts/bench-index.sh`).
        case match
    }

    /// One token, for tests and for callers that want them as values.
    public struct Token: Sendable, Equatable, CustomStringConvertible {
        public var text: String
        /// Byte offsets of the token in the UTF-8 text (end exclusive).
        public var start: Int
        public var end: Int
        /// Sits at the same position as the token before it.
        public var colocated: Bool

        public init(_ text: String, _ start: Int, _ end: Int, colocated: Bool = false) {
            self.text = text
            self.start = start
            self.end = end
            self.colocated = colocated
        }

        public var description: String { "\(text)@\(start)..<\(end)\(colocated ? "+" : "")" }
    }

    /// Longer words are cut at this many bytes: a run of 10,000 digits in a damaged text layer
    /// must not become a 10 KB term.
    static let maximumWordBytes = 128

    /// The tokens of `text`, as values.
    public static func tokens(of text: String, mode: Mode) -> [Token] {
        var result: [Token] = []
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            _ = segment(buffer, mode: mode) { token, start, end, colocated in
                result.append(Token(String(decoding: token, as: UTF8.self), start, end, colocated: colocated))
                return true
            }
        }
        return result
    }

    /// Whether `text` holds anything the index would store.
    public static func hasTokens(_ text: String) -> Bool {
        var found = false
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            _ = segment(buffer, mode: .query) { _, _, _, _ in
                found = true
                return false
            }
        }
        return found
    }

    enum CharacterClass {
        case cjk
        case word
        case separator
    }

    /// The class of a Unicode scalar value.
    static func classify(_ value: UInt32) -> CharacterClass {
        if value < 0x80 {
            if (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) { return .word }
            return .separator
        }
        switch value {
        case 0x3005...0x3007, 0x3041...0x3096, 0x309D...0x309F, 0x30A1...0x30FA, 0x30FC...0x30FF,
            0x3105...0x312F, 0x31A0...0x31BF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            return .cjk
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            return .word
        case 0x2000...0x206F, 0x3000...0x303F, 0xFE30...0xFE4F, 0xFF00...0xFFEF:
            return .separator
        default:
            guard let scalar = Unicode.Scalar(value) else { return .separator }
            let properties = scalar.properties
            if properties.isAlphabetic { return .word }
            switch properties.generalCategory {
            case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark: return .word
            default: return .separator
            }
        }
    }

    /// Cuts `text` (UTF-8) into tokens and hands each to `emit`, which returns `false` to stop.
    ///
    /// `emit` gets the token's bytes (valid only during the call), its byte range in `text`, and
    /// whether it is colocated with the previous token. Invalid UTF-8 bytes separate tokens.
    ///
    /// - Returns: `false` when `emit` stopped it.
    @discardableResult
    static func segment(
        _ text: UnsafeBufferPointer<UInt8>, mode: Mode,
        emit: (_ token: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ colocated: Bool) -> Bool
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumWordBytes + 8) { word in
            // The word being gathered (folded bytes) and where it began.
            var wordLength = 0
            var wordStart = -1
            var wordEnd = 0
            // The CJK character waiting for its successor: its bytes and range.
            var pending: (bytes: (UInt8, UInt8, UInt8, UInt8), count: Int, start: Int, end: Int)?
            // Whether the pending character ended a pair that was emitted (so `.match` may drop it).
            var pendingEndsPair = false
            // `.match` only: the pending character's run ended at a separator; it is emitted when
            // another token follows, and dropped if none does.
            var runClosed = false
            var pair = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))

            func flushWord() -> Bool {
                defer { wordLength = 0; wordStart = -1 }
                guard wordStart >= 0, wordLength > 0 else { return true }
                return emit(UnsafeBufferPointer(rebasing: word[0..<wordLength]), wordStart, wordEnd, false)
            }

            func emitPending() -> Bool {
                guard let current = pending else { return true }
                pending = nil
                return withUnsafeBytes(of: current.bytes) { raw in
                    emit(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<current.count]), current.start, current.end, false)
                }
            }

            var index = 0
            let count = text.count
            while index < count {
                let (value, length) = decode(text, at: index)
                let start = index
                index += length

                switch classify(value) {
                case .word:
                    // A CJK run ends where a word begins: its last character stands alone.
                    guard emitPending() else { return false }
                    runClosed = false
                    if wordStart < 0 { wordStart = start }
                    wordEnd = index
                    appendFolded(value, bytes: text, start: start, length: length, into: word, length: &wordLength)

                case .cjk:
                    guard flushWord() else { return false }
                    if runClosed {
                        guard emitPending() else { return false }
                        runClosed = false
                    }
                    var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0))
                    withUnsafeMutableBytes(of: &bytes) { raw in
                        for offset in 0..<length { raw[offset] = text[start + offset] }
                    }
                    var endsPair = false
                    if let previous = pending {
                        // A document keeps the previous character alone, then the pair it starts,
                        // colocated; a query has only the pair (its positions are the pairs, then
                        // the run's last character).
                        if mode == .document {
                            guard emitPending() else { return false }
                        } else {
                            pending = nil
                        }
                        endsPair = true
                        let pairLength = previous.count + length
                        let keepGoing = withUnsafeMutableBytes(of: &pair) { raw -> Bool in
                            withUnsafeBytes(of: previous.bytes) { first in
                                for offset in 0..<previous.count { raw[offset] = first[offset] }
                            }
                            for offset in 0..<length { raw[previous.count + offset] = text[start + offset] }
                            return emit(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<pairLength]), previous.start, index, mode == .document)
                        }
                        guard keepGoing else { return false }
                    }
                    pending = (bytes, length, start, index)
                    pendingEndsPair = endsPair

                case .separator:
                    // Chinese has no spaces, so a line break between two CJK characters is only where
                    // the line wrapped (PDF text layers, hard-wrapped text): the run goes on.
                    if pending != nil, value == 0x0A || value == 0x0D, continuesCJKRun(text, after: index) { continue }
                    guard flushWord() else { return false }
                    if mode == .match, pending != nil {
                        runClosed = true
                    } else {
                        guard emitPending() else { return false }
                    }
                }
            }
            guard flushWord() else { return false }
            if mode == .match, pending != nil, pendingEndsPair { return true }
            return emitPending()
        }
    }

    /// The scalar value at `index` and its length in bytes; invalid UTF-8 is U+FFFD, one byte long.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let count = text.count
        let lead = text[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        func continuation(_ offset: Int) -> Bool { index + offset < count && text[index + offset] & 0xC0 == 0x80 }
        if lead & 0xE0 == 0xC0, continuation(1) {
            return (UInt32(lead & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F), 2)
        }
        if lead & 0xF0 == 0xE0, continuation(1), continuation(2) {
            return (UInt32(lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F), 3)
        }
        if lead & 0xF8 == 0xF0, continuation(1), continuation(2), continuation(3) {
            return (UInt32(lead & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12 | UInt32(text[index + 2] & 0x3F) << 6 | UInt32(text[index + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// Whether the first character after the line breaks and spaces that follow `index` is CJK.
    static func continuesCJKRun(_ text: UnsafeBufferPointer<UInt8>, after index: Int) -> Bool {
        var position = index
        var breaks = 1
        while position < text.count {
            let byte = text[position]
            if byte == 0x0A || byte == 0x0D {
                breaks += 1
                // A blank line ends a paragraph, and the run with it.
                if breaks > 2 || (byte == 0x0A && breaks == 2 && text[position - 1] != 0x0D) { return false }
                position += 1
            } else if byte == 0x20 || byte == 0x09 {
                position += 1
            } else {
                return classify(decode(text, at: position).value) == .cjk
            }
        }
        return false
    }

    /// Appends the folded UTF-8 of one word character, unless the word is already at its limit.
    private static func appendFolded(
        _ value: UInt32, bytes: UnsafeBufferPointer<UInt8>, start: Int, length: Int,
        into word: UnsafeMutableBufferPointer<UInt8>, length wordLength: inout Int
    ) {
        guard wordLength + 4 <= maximumWordBytes else { return }
        if value < 0x80 {
            word[wordLength] = (0x41...0x5A).contains(value) ? UInt8(value) | 0x20 : UInt8(value)
            wordLength += 1
            return
        }
        if (0xFF10...0xFF5A).contains(value) {
            let ascii = UInt8(value - 0xFEE0)
            word[wordLength] = (0x41...0x5A).contains(ascii) ? ascii | 0x20 : ascii
            wordLength += 1
            return
        }
        if let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased {
            for byte in scalar.properties.lowercaseMapping.utf8 where wordLength < maximumWordBytes {
                word[wordLength] = byte
                wordLength += 1
            }
            return
        }
        for offset in 0..<length {
            word[wordLength] = bytes[start + offset]
            wordLength += 1
        }
    }
}
