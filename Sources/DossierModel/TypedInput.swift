import Foundation

/// Values as people type them — in Chinese or English — read into the canonical form
/// FORMATS.md fixes: dates `2024-03-02`, `2024年3月2日`, `2024/3/2`, `2024.3.2` → `2024-03-02`;
/// lists `赵敏,孙磊`, `赵敏、孙磊` or JSON → `["赵敏","孙磊"]`; yuan `1200000`, `120万`,
/// `1,200,000`, `1.2亿` → `1200000`; choices by their id or Chinese name (`同意` → `approved`).
///
/// The command line and the facts files `dossier template` writes are read through it;
/// filing.json keeps the canonical forms only (it is the machine contract of FORMATS.md §5).
public enum TypedInput {
    /// Why a typed value was not understood (the message names what was expected).
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    // MARK: Dates

    /// A date in any of the accepted forms; full-width digits are read as digits.
    ///
    /// Day-first or month-first forms such as `3/2/2024` are refused as ambiguous: a year comes first.
    public static func date(_ typed: String) -> Result<LocalDate, Problem> {
        let text = halfWidth(typed).trimmingSpaces
        let expected = "a date such as 2024-03-02, 2024年3月2日, 2024/3/2 or 2024.3.2"
        if let date = LocalDate(text) { return .success(date) }
        var numbers: [String] = []
        var separators: [Character] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isNumber {
                current.append(character)
            } else {
                if !current.isEmpty { numbers.append(current); current = "" }
                separators.append(character)
            }
        }
        if !current.isEmpty { numbers.append(current) }
        guard numbers.count == 3 else { return .failure(Problem("expected \(expected), got \"\(typed)\"")) }
        let separatorText = String(separators)
        let chinese = separatorText == "年月日" || separatorText == "年月"
        let plain = Set(separators).count == 1 && separators.count == 2 && ["-", "/", ".", "．", "／"].contains(separators[0])
        guard chinese || plain else { return .failure(Problem("expected \(expected), got \"\(typed)\"")) }
        guard numbers[0].count == 4 else {
            if numbers[2].count == 4 {
                return .failure(Problem("\"\(typed)\" is ambiguous (day and month could be either way round); write the year first, e.g. \(numbers[2])-\(pad(numbers[0]))-\(pad(numbers[1])) or \(numbers[2])年\(Int(numbers[0]) ?? 0)月\(Int(numbers[1]) ?? 0)日"))
            }
            return .failure(Problem("expected \(expected) (a four-digit year first), got \"\(typed)\""))
        }
        guard numbers[1].count <= 2, numbers[2].count <= 2, let year = Int(numbers[0]), let month = Int(numbers[1]), let day = Int(numbers[2]) else {
            return .failure(Problem("expected \(expected), got \"\(typed)\""))
        }
        guard let date = LocalDate(year: year, month: month, day: day) else {
            return .failure(Problem("\"\(typed)\" is not a day of the calendar (\(year)-\(pad(numbers[1]))-\(pad(numbers[2])) does not exist)"))
        }
        return .success(date)
    }

    private static func pad(_ digits: String) -> String { digits.count == 1 ? "0" + digits : digits }

    // MARK: Numbers and money

    /// A number of yuan (or any number): `1200000`, `1,200,000`, `120万`, `1.2亿`, `¥1200000`,
    /// `1200000元`, `30%` (a share: 30).
    public static func number(_ typed: String) -> Result<Double, Problem> {
        var text = halfWidth(typed).trimmingSpaces
        let expected = "a number such as 1200000, 1,200,000, 120万 or 1.2亿"
        for prefix in ["¥", "￥", "RMB", "CNY", "人民币"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)).trimmingSpaces }
        for suffix in ["元整", "元", "%", "％"] where text.hasSuffix(suffix) { text = String(text.dropLast(suffix.count)).trimmingSpaces }
        var factor = 1.0
        for (suffix, value) in [("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3)] where text.hasSuffix(suffix) {
            factor = value
            text = String(text.dropLast(suffix.count)).trimmingSpaces
            break
        }
        // Thousands separators only in their places: 1,200,000 (not 1,20,0000).
        if text.contains(",") {
            let groups = text.split(separator: ".", maxSplits: 1)
            let whole = groups[0].split(separator: ",", omittingEmptySubsequences: false)
            guard whole.count > 1, (1...3).contains(whole[0].count), whole.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(Problem("expected \(expected), got \"\(typed)\""))
            }
            text = text.replacingOccurrences(of: ",", with: "")
        }
        guard !text.isEmpty, text.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "-" }), let value = Double(text), value.isFinite else {
            return .failure(Problem("expected \(expected), got \"\(typed)\""))
        }
        let result = (value * factor * 100).rounded() / 100
        return .success(factor == 1 ? value : result)
    }

    // MARK: Lists and yes/no

    /// A list: a JSON array, or items separated by `,` `，` `、` `;` `；` (empty items dropped).
    public static func list(_ typed: String) -> [String] {
        let text = typed.trimmingSpaces
        if text.hasPrefix("["), case .array(let elements)? = try? JSONValue.parse(text) {
            return elements.map { $0.stringValue ?? $0.serialized(.compact) }
        }
        return text.split(whereSeparator: { ",，、;；".contains($0) }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// `true`/`false`, `yes`/`no`, `是`/`否`, `有`/`无`, `1`/`0`.
    public static func bool(_ typed: String) -> Result<Bool, Problem> {
        switch typed.trimmingSpaces.lowercased() {
        case "true", "yes", "y", "1", "是", "对", "有", "真": .success(true)
        case "false", "no", "n", "0", "否", "不", "无", "没有", "假": .success(false)
        default: .failure(Problem("expected yes or no (是 or 否, true or false), got \"\(typed)\""))
        }
    }

    // MARK: Choices

    /// The id among `choices` that `typed` names, by its id (any case, `_` for `-`) or one of
    /// its Chinese names; else a problem naming the choices and, when one is close, what was meant.
    public static func choice(_ typed: String, among choices: [(id: String, names: [String])], what: String) -> Result<String, Problem> {
        let text = halfWidth(typed).trimmingSpaces
        let folded = text.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        for choice in choices where choice.id == folded || choice.names.contains(text) {
            return .success(choice.id)
        }
        let listed = choices.map { choice in choice.names.first.map { "\(choice.id) \($0)" } ?? choice.id }
        if let suggestion = Suggestion.closest(to: text, among: choices.map { (value: $0.id, names: $0.names) }) {
            let name = choices.first { $0.id == suggestion }?.names.first.map { " \($0)" } ?? ""
            return .failure(Problem("unknown \(what) \"\(typed)\"; did you mean \(suggestion)\(name)?"))
        }
        return .failure(Problem("unknown \(what) \"\(typed)\"; expected one of: \(listed.joined(separator: ", "))"))
    }

    /// A country: its ISO 3166 alpha-2 code in any case, or a Chinese name the vault knows.
    public static func country(_ typed: String) -> Result<String, Problem> {
        let text = halfWidth(typed).trimmingSpaces
        if text.utf8.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) { return .success(text.uppercased()) }
        if let code = countries.first(where: { $0.names.contains(text) })?.code { return .success(code) }
        return .failure(Problem("expected an ISO 3166 alpha-2 country code such as CN or DE (or a name such as 中国, 德国), got \"\(typed)\""))
    }

    /// Chinese names of the countries technology most often goes to, for typing.
    public static let countries: [(code: String, names: [String])] = [
        ("CN", ["中国", "中华人民共和国"]), ("DE", ["德国"]), ("US", ["美国"]), ("JP", ["日本"]), ("KR", ["韩国"]),
        ("MN", ["蒙古国", "蒙古"]), ("RU", ["俄罗斯"]), ("GB", ["英国"]), ("FR", ["法国"]), ("IT", ["意大利"]),
        ("NL", ["荷兰"]), ("CH", ["瑞士"]), ("SG", ["新加坡"]), ("KZ", ["哈萨克斯坦"]), ("AU", ["澳大利亚"]),
        ("CA", ["加拿大"]), ("IN", ["印度"]), ("HK", ["中国香港", "香港"]), ("MO", ["中国澳门", "澳门"]), ("TW", ["中国台湾", "台湾"]),
    ]

    // MARK: Helpers

    /// Full-width digits, letters and punctuation (`２０２４`, `，`) as their ASCII forms where
    /// the forms above read them; Chinese separators (`、`, `年`) are kept.
    static func halfWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            if (0xFF10...0xFF19).contains(scalar.value) || (0xFF21...0xFF3A).contains(scalar.value) || (0xFF41...0xFF5A).contains(scalar.value)
                || scalar.value == 0xFF0E || scalar.value == 0xFF0F || scalar.value == 0xFF0D
            {
                return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
            }
            return scalar
        }))
    }
}

