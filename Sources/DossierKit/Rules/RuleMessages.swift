import DossierModel

/// A value put into a rule's message template: rendered in each language by its kind.
enum MessageValue {
    /// Printed as it is (names, ids, paths).
    case text(String)
    case date(LocalDate)
    case number(Double)
    /// `a, b and c`; `a、b和c`.
    case list([String])
    /// A value with a Chinese name: `ownership 所有权` in English, `所有权` in Chinese.
    case named(String, String)
    /// An id in English, its Chinese name in Chinese: `non-state`; `非国有`.
    case choice(String, String)
    /// `publicity-record 单位内公示记录`; `单位内公示记录`.
    case kind(DocumentKind)
    /// Another of the same rule's templates, filled in (a reason within a message).
    case message(String, [String: MessageValue])
    /// Several of them: `a; b` and `a；b`.
    case messages([(String, [String: MessageValue])])
    /// Several of them as a list: `a, b and c`; `a、b和c`.
    case messageList([(String, [String: MessageValue])])
}

/// A rule's message templates, as the profile gives them: key → English and Chinese.
public struct RuleMessages: Sendable, Equatable {
    public var templates: [String: [Language: String]]

    public init(templates: [String: [Language: String]] = [:]) { self.templates = templates }

    /// The template `key` in `language`, `nil` when the profile has none.
    public func template(_ key: String, _ language: Language) -> String? { templates[key]?[language] }
}

extension RuleMessages {
    /// Fills `key`'s template in `language`; a template the profile lacks (which decoding the
    /// profile refuses) shows as `⟪R05.too-short⟫` rather than as nothing.
    func render(_ key: String, _ values: [String: MessageValue], rule: RuleID, language: Language) -> String {
        guard let template = template(key, language) ?? Profile.defaultMessages[rule]?.template(key, language) else {
            return "⟪\(rule.rawValue).\(key)⟫"
        }
        var filled: [String: String] = [:]
        for (name, value) in values { filled[name] = render(value, rule: rule, language: language) }
        return Template.fill(template, filled)
    }

    private func render(_ value: MessageValue, rule: RuleID, language: Language) -> String {
        switch value {
        case .text(let text): return text
        case .date(let date): return date.description
        case .number(let number): return formatNumber(number)
        case .list(let items): return Template.list(items, language)
        case .named(let id, let chinese): return language == .zh ? chinese : "\(id) \(chinese)"
        case .choice(let id, let chinese): return language == .zh ? chinese : id
        case .kind(let kind): return language == .zh ? kind.chineseName : kind.displayName
        case .message(let key, let values): return render(key, values, rule: rule, language: language)
        case .messages(let parts): return parts.map { render($0.0, $0.1, rule: rule, language: language) }.joined(separator: language == .zh ? "；" : "; ")
        case .messageList(let parts): return Template.list(parts.map { render($0.0, $0.1, rule: rule, language: language) }, language)
        }
    }
}
