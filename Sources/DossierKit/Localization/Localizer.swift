import DossierModel
import Foundation

/// Prints the vault's words in one language: labels and messages the CLI writes (by their
/// English text, a key of ``MessageCatalog``), and messages made in English further down
/// (errors, refusals), which it recognises by the catalog's templates and renders in Chinese.
///
/// Templates name their values in braces: `{id} {version}: filed {count} {count|document|documents}`.
/// `{n|one|many}` prints `one` when the value `n` is 1, else `many` (English plurals; Chinese
/// templates need none).
///
/// ```swift
/// let zh = Localizer(language: .zh)
/// zh.text("{id} {version}: opened {title}", ["id": "IMUT-2024-0042", "version": "v1", "title": "一种…"])
/// // "IMUT-2024-0042 v1：已建立卷宗 一种…"
/// ```
public struct Localizer: Sendable {
    public let language: Language
    /// Whether text with no Chinese form is marked `⟪untranslated⟫` (tests set
    /// `DOSSIER_L10N_STRICT=1` to find it); otherwise it is printed in English.
    public let strict: Bool

    public static let untranslatedMark = "⟪untranslated⟫"

    public init(language: Language, strict: Bool = false) {
        self.language = language
        self.strict = strict
    }

    /// The template `key` (its English text) in this language, with `values` filled in.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        switch language {
        case .en:
            return Template.fill(key, values)
        case .zh:
            guard let chinese = MessageCatalog.chinese[key] else {
                let english = Template.fill(key, values)
                // A key that is already Chinese (a name, a title) needs no translation.
                return strict && !Template.isChineseOrNeutral(english) ? "\(Self.untranslatedMark) \(english)" : english
            }
            return Template.fill(chinese, values)
        }
    }

    /// A message made in English (an error, a refusal, a note from the library) in this
    /// language: the longest tail of it that one of the catalog's templates matches is
    /// rendered in Chinese, and what comes before it (a file name, a field) is kept.
    public func translate(_ english: String) -> String {
        guard language == .zh else { return english }
        if let chinese = MessageCatalog.chinese[english] { return chinese }
        if let rendered = MessageCatalog.patterns.render(english, localizer: self) { return rendered }
        return strict && !Template.isChineseOrNeutral(english) ? "\(Self.untranslatedMark) \(english)" : english
    }

    /// A list in this language: `a, b and c` or `a、b和c`.
    public func list(_ items: [String]) -> String { Template.list(items, language) }
}

/// The catalog's templates as patterns that recognise a message made in English.
struct PatternSet: Sendable {
    struct Pattern: @unchecked Sendable {
        // Regex is not Sendable; each pattern is compiled once and only matched (read) after.
        let regex: Regex<AnyRegexOutput>
        let names: [String]
        let chinese: String
        let literalLength: Int
    }

    let patterns: [Pattern]

    init(_ entries: [(en: String, zh: String)]) {
        var patterns: [Pattern] = []
        for entry in entries {
            let names = Template.placeholders(entry.en)
            guard !names.isEmpty, !entry.en.contains("|") else { continue }
            var source = ""
            var literal = 0
            var rest = Substring(entry.en)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let inside = rest[rest.index(after: open)..<close]
                let isName = !inside.isEmpty && inside.allSatisfy { $0.isLetter || $0.isNumber || $0 == "*" }
                let text = isName ? rest[..<open] : rest[...close]
                source += NSRegularExpression.escapedPattern(for: String(text))
                literal += text.count
                if isName { source += "(.+?)" }
                rest = rest[rest.index(after: close)...]
            }
            source += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
            literal += rest.count
            guard literal >= 6, let regex = try? Regex(source) else { continue }
            patterns.append(Pattern(regex: regex, names: names, chinese: entry.zh, literalLength: literal))
        }
        self.patterns = patterns.sorted { $0.literalLength > $1.literalLength }
    }

    /// `text` with its longest recognised tail in Chinese, or `nil` when no pattern matches.
    func render(_ text: String, localizer: Localizer) -> String? {
        var best: (start: String.Index, pattern: Pattern, values: [String])?
        for pattern in patterns {
            guard let match = try? pattern.regex.firstMatch(in: text) else { continue }
            if let current = best, current.start <= match.range.lowerBound { continue }
            var values: [String] = []
            for index in 1..<match.output.count {
                values.append(match.output[index].substring.map(String.init) ?? "")
            }
            best = (match.range.lowerBound, pattern, values)
        }
        guard let best else { return nil }
        var filled: [String: String] = [:]
        for (name, value) in zip(best.pattern.names, best.values) {
            // `{name*}` holds a message of its own, rendered in turn.
            if name.hasSuffix("*") {
                filled[name] = Localizer(language: localizer.language).translate(value)
            } else {
                filled[name] = value
            }
        }
        return String(text[..<best.start]) + Template.fill(best.pattern.chinese, filled)
    }
}
