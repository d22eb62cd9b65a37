import DossierModel
/// Cuts a passage around the first match out of a column that ``PhraseHighlighter`` marked,
/// and shows every match in it between « and ».
///
/// FTS5's own `snippet()` counts its window in token positions and may end the window in the
/// middle of a long phrase, leaving a match half marked; this keeps whole matches.
enum Snippet {
    /// What is put around matches while marking: control characters no text shows.
    static let open: Character = "\u{1}"
    static let close: Character = "\u{2}"

    /// - Parameters:
    ///   - before: characters of context before the first match.
    ///   - length: the passage's length in characters, at least (whole matches are never cut).
    static func make(from highlighted: String, before: Int = 20, length: Int = 80) -> String {
        // Walked by String.Index around the first match, so that a long body costs only its window.
        let text = highlighted
        guard let first = text.utf8.firstIndex(of: UInt8(ascii: "\u{1}")) else {
            let end = text.index(text.startIndex, offsetBy: length, limitedBy: text.endIndex) ?? text.endIndex
            return clean(String(text[..<end])) + (end < text.endIndex ? "…" : "")
        }
        var start = text.index(first, offsetBy: -before, limitedBy: text.startIndex) ?? text.startIndex
        // Start after a line break when one is near, so the passage reads from a sentence start.
        if let lineBreak = text[start..<first].lastIndex(where: { $0 == "\n" }) { start = text.index(after: lineBreak) }
        var end = text.index(start, offsetBy: length, limitedBy: text.endIndex) ?? text.endIndex
        // Never end inside a match: extend to its close.
        if let lastOpen = text[start..<end].lastIndex(of: open),
            text[lastOpen..<end].firstIndex(of: close) == nil,
            let closing = text[lastOpen...].firstIndex(of: close)
        {
            end = text.index(after: closing)
        }
        var passage = clean(String(text[start..<end]))
        if start > text.startIndex, text[text.index(before: start)] != "\n" { passage = "…" + passage }
        if end < text.endIndex { passage += "…" }
        return passage
    }

    /// Markers become « and », and line breaks and runs of white space become one space.
    private static func clean(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text {
            switch character {
            case open: result += SearchHit.highlightStart; lastWasSpace = false
            case close: result += SearchHit.highlightEnd; lastWasSpace = false
            case _ where character.isWhitespace:
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            default:
                result.append(character)
                lastWasSpace = false
            }
        }
        // Every run of white space is one " " by now: trimming those is enough.
        while result.hasPrefix(" ") { result.removeFirst() }
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}

/// Marks where a query's phrases occur in a column's text, as FTS5's `highlight()` marks them:
/// positions counted by the index's own tokenizer, every instance of every phrase, overlapping
/// instances merged, each mark from its first character to its last.
///
/// The index matches with ``TextSegmenter/Mode/match`` phrases, which leave out a phrase's last
/// character; `highlight()` would then mark one character less. Marking here, from the
/// ``TextSegmenter/Mode/query`` tokens, keeps whole matches, and costs no query for the few
/// hits shown.
struct PhraseHighlighter {
    private struct Pattern {
        /// Indexes into `wanted`, one per position of the phrase.
        var tokens: [Int]
    }

    /// The distinct tokens the phrases are made of, and whether each matches as a prefix.
    private let wanted: [(bytes: [UInt8], prefix: Bool)]
    /// Far beyond what ``Snippet/make(from:before:length:)`` shows after the first match
    /// (80 characters), with room for a long phrase to end.
    static let reach = 1024

    /// One pass over a column's tokens: per position, the byte range of its own (not
    /// colocated) token and which wanted tokens are at it (a bit each).
    private struct Scan {
        let wanted: [(bytes: [UInt8], prefix: Bool)]
        let patterns: [Pattern]
        var positions: [(start: Int, end: Int)] = []
        var found: [UInt64] = []
        /// A snippet shows the first match and what follows it for a line or two: past
        /// `reach` bytes after the first match, nothing more is marked (a long body costs
        /// only its beginning).
        var stopAt = Int.max

        init(wanted: [(bytes: [UInt8], prefix: Bool)], patterns: [Pattern]) {
            self.wanted = wanted
            self.patterns = patterns
        }

        /// Returns `false` once past `stopAt`.
        mutating func add(_ token: UnsafeBufferPointer<UInt8>, start: Int, end: Int, colocated: Bool) -> Bool {
            if !colocated || positions.isEmpty {
                if start > stopAt { return false }
                if stopAt == Int.max, let last = found.indices.last, found[last] != 0, let first = instanceEnding(at: last) {
                    stopAt = positions[first].start + PhraseHighlighter.reach
                }
                positions.append((start, end))
                found.append(0)
            }
            guard let firstByte = token.first else { return true }
            for index in wanted.indices where index < 64 {
                let candidate = wanted[index].bytes
                guard candidate.first == firstByte, wanted[index].prefix ? token.count >= candidate.count : token.count == candidate.count else { continue }
                var equal = true
                for offset in 1..<candidate.count where token[offset] != candidate[offset] {
                    equal = false
                    break
                }
                if equal { found[found.count - 1] |= 1 << UInt64(index) }
            }
            return true
        }

        /// The first position of a phrase instance ending at `last`, if one does.
        func instanceEnding(at last: Int) -> Int? {
            for pattern in patterns where pattern.tokens.count <= last + 1 {
                let first = last + 1 - pattern.tokens.count
                if pattern.tokens.indices.allSatisfy({ found[first + $0] & (1 << UInt64(pattern.tokens[$0])) != 0 }) { return first }
            }
            return nil
        }
    }
    private let patterns: [Pattern]

    init(_ query: SearchQuery) {
        var wanted: [(bytes: [UInt8], prefix: Bool)] = []
        var patterns: [Pattern] = []
        for phrase in query.phrases {
            let tokens = TextSegmenter.tokens(of: phrase.text, mode: .query).map { Array($0.text.utf8) }
            var indexes: [Int] = []
            for (offset, token) in tokens.enumerated() {
                let prefix = phrase.prefix && offset == tokens.count - 1
                if let known = wanted.firstIndex(where: { $0.bytes == token && $0.prefix == prefix }) {
                    indexes.append(known)
                } else {
                    wanted.append((token, prefix))
                    indexes.append(wanted.count - 1)
                }
            }
            // A position's matches are kept as bits of one word: a query of more than 64
            // distinct tokens has its later phrases found but not marked.
            if !indexes.isEmpty, indexes.allSatisfy({ $0 < 64 }) { patterns.append(Pattern(tokens: indexes)) }
        }
        self.wanted = wanted
        self.patterns = patterns
    }

    /// `text` with each match between ``Snippet/open`` and ``Snippet/close``, or `nil` when no
    /// phrase occurs in it.
    func highlight(_ text: String) -> String? {
        guard !patterns.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        var scan = Scan(wanted: wanted, patterns: patterns)
        bytes.withUnsafeBufferPointer { buffer in
            _ = TextSegmenter.segment(buffer, mode: .document) { token, start, end, colocated in
                scan.add(token, start: start, end: end, colocated: colocated)
            }
        }
        let positions = scan.positions
        let found = scan.found
        var instances: [(first: Int, last: Int)] = []
        for pattern in patterns where pattern.tokens.count <= positions.count {
            let count = pattern.tokens.count
            for position in 0...(positions.count - count) where found[position] & (1 << UInt64(pattern.tokens[0])) != 0 {
                if (1..<count).allSatisfy({ found[position + $0] & (1 << UInt64(pattern.tokens[$0])) != 0 }) {
                    instances.append((position, position + count - 1))
                }
            }
        }
        guard !instances.isEmpty else { return nil }
        instances.sort { ($0.first, $0.last) < ($1.first, $1.last) }
        var merged: [(first: Int, last: Int)] = []
        for instance in instances {
            if let current = merged.last, instance.first <= current.last {
                merged[merged.count - 1].last = max(current.last, instance.last)
            } else {
                merged.append(instance)
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + merged.count * 2)
        var copied = 0
        for range in merged {
            let start = positions[range.first].start
            let end = positions[range.last].end
            output += bytes[copied..<start]
            output.append(UInt8(Snippet.open.asciiValue ?? 1))
            output += bytes[start..<end]
            output.append(UInt8(Snippet.close.asciiValue ?? 2))
            copied = end
        }
        output += bytes[copied...]
        return String(decoding: output, as: UTF8.self)
    }
}
