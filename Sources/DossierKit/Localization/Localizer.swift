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
    public func list(_ items: [String]) -> String {
        switch (language, items.count) {
        case (_, 0): ""
        case (_, 1): items[0]
        case (.en, _): items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        case (.zh, _): items.dropLast().joined(separator: "、") + "和" + (items.last ?? "")
        }
    }
}

/// Filling `{name}` templates.
public enum Template {
    /// The template with every `{name}` replaced by its value and every `{name|one|many}` by
    /// the word for the value's number; unknown names are left as written.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard template.contains("{") else { return template }
        var out = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            guard character == "{", let close = template[index...].firstIndex(of: "}") else {
                out.append(character)
                index = template.index(after: index)
                continue
            }
            let inside = template[template.index(after: index)..<close]
            let parts = inside.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3, let value = values[parts[0]] {
                out += Double(value) == 1 ? parts[1] : parts[2]
            } else if parts.count == 1, let value = values[parts[0]] {
                out += value
            } else {
                out += template[index...close]
            }
            index = template.index(after: close)
        }
        return out
    }

    /// The names a template uses, in order (plural forms by their value's name).
    public static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let inside = rest[rest.index(after: open)..<close]
            if let name = inside.split(separator: "|", omittingEmptySubsequences: false).first, !name.isEmpty,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "*" })
            {
                names.append(String(name))
            }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Text with no Latin word of two letters or more outside what looks like an id, a path
    /// or an option: Chinese already, or only names, numbers and punctuation.
    static func isChineseOrNeutral(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { return true }
        let words = text.split(whereSeparator: { !$0.isLetter })
        return !words.contains { $0.count >= 3 && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
    }
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
                let text = rest[..<open]
                source += NSRegularExpression.escapedPattern(for: String(text))
                literal += text.count
                source += "(.+?)"
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
