/// The language messages, labels and help are printed in. English is the default; Chinese is
/// chosen by `--lang zh` or a `zh_*` locale (`LC_ALL`, else `LC_MESSAGES`, else `LANG`).
///
/// JSON output never changes with the language: keys and values stay as they are, and text a
/// person reads is carried as `message` (English) beside `message_zh`.
public enum Language: String, Sendable, CaseIterable {
    case en
    case zh

    /// The language a locale name asks for: `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese; anything
    /// else (`C`, `C.UTF-8`, `en_US.UTF-8`, `POSIX`) → English.
    public init(locale: String) {
        self = locale.lowercased().hasPrefix("zh") ? .zh : .en
    }

    /// The language the environment asks for, as POSIX orders it: `LC_ALL` wins over
    /// `LC_MESSAGES`, which wins over `LANG`; empty variables count as unset.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return Language(locale: value) }
        }
        return .en
    }

    /// The language a `--lang` value names (`en`, `zh`, also `zh_CN`, `chinese`, `中文`), or `nil`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "en", "english", "英文", "英语": self = .en
        case "zh", "chinese", "中文", "汉语": self = .zh
        default:
            if argument.lowercased().hasPrefix("zh") { self = .zh } else if argument.lowercased().hasPrefix("en") { self = .en } else { return nil }
        }
    }
}
