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
    public static func isChineseOrNeutral(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { return true }
        let words = text.split(whereSeparator: { !$0.isLetter })
        return !words.contains { $0.count >= 3 && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
    }

    /// A list in a language: `a, b and c` or `a、b和c`.
    public static func list(_ items: [String], _ language: Language) -> String {
        switch (language, items.count) {
        case (_, 0): ""
        case (_, 1): items[0]
        case (.en, _): items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        case (.zh, _): items.dropLast().joined(separator: "、") + "和" + (items.last ?? "")
        }
    }
}
