import DossierModel
/// A query as people type it, turned into an FTS5 MATCH expression.
///
/// Words are separated by spaces (ASCII or the ideographic space U+3000) and must all match;
/// `OR` between two words accepts either. Inside a word, punctuation separates tokens that must
/// follow each other (`IMUT-2021-0007`, `GB18030玉米`); a Chinese word of any length is a phrase of
/// consecutive characters (`玉米`, `非国有企业`). `"…"` keeps spaces inside one phrase, and a word
/// ending in `*` matches as a prefix (`licen*`). Everything is quoted before it reaches FTS5, so
/// no input is a syntax error.
public struct SearchQuery: Sendable, Equatable {
    /// What the person typed.
    public var text: String
    /// The FTS5 expression, e.g. `"玉米" "gb18030"`.
    public var matchExpression: String
    /// The expression's phrases in the order FTS5 numbers them.
    public var phrases: [Phrase]

    /// One quoted phrase of the expression.
    public struct Phrase: Sendable, Equatable {
        /// The words as typed, e.g. `玉米` or `技术 秘密`.
        public var text: String
        /// Whether its last token matches as a prefix (`licen*`).
        public var prefix: Bool

        /// The phrase alone as an FTS5 expression.
        public var matchExpression: String {
            "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? " *" : "")
        }
    }

    /// Parses `text`.
    /// - Throws: ``IndexError/emptyQuery(_:)`` when no word in it can be searched (only punctuation).
    public init(_ text: String) throws(IndexError) {
        self.text = text
        var parts: [String] = []
        var phrases: [Phrase] = []
        var pendingOr = false
        for term in SearchQuery.terms(of: text.precomposedNFC) {
            if term.isKeyword {
                if !parts.isEmpty { pendingOr = true }
                continue
            }
            guard TextSegmenter.hasTokens(term.text) else { continue }
            let phrase = Phrase(text: term.text, prefix: term.prefix)
            phrases.append(phrase)
            let quoted = phrase.matchExpression
            if pendingOr, let last = parts.popLast() {
                parts.append("\(last) OR \(quoted)")
            } else {
                parts.append(quoted)
            }
            pendingOr = false
        }
        guard !parts.isEmpty else { throw .emptyQuery(text) }
        self.phrases = phrases
        matchExpression = parts.count == 1 ? parts[0] : parts.map { $0.contains(" OR ") ? "(\($0))" : $0 }.joined(separator: " AND ")
    }

    struct Term {
        var text: String
        var prefix: Bool
        var isKeyword: Bool
    }

    /// Splits the query into words and quoted phrases.
    static func terms(of text: String) -> [Term] {
        var terms: [Term] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        func finish() {
            defer { current = ""; wasQuoted = false }
            guard !current.isEmpty else { return }
            if !wasQuoted, current == "OR" {
                terms.append(Term(text: current, prefix: false, isKeyword: true))
                return
            }
            var prefix = false
            if !wasQuoted, current.count > 1, current.hasSuffix("*") {
                current.removeLast()
                prefix = true
            }
            terms.append(Term(text: current, prefix: prefix, isKeyword: false))
        }
        for character in text {
            if character == "\"" || character == "“" || character == "”" {
                if quoted {
                    quoted = false
                    wasQuoted = true
                    finish()
                } else {
                    finish()
                    quoted = true
                }
            } else if !quoted, character.isWhitespace {
                finish()
            } else {
                current.append(character)
            }
        }
        if quoted { wasQuoted = true }
        finish()
        return terms
    }
}
