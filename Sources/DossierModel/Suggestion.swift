/// "Did you mean …": the known value closest to a mistyped one, by edit distance (or a
/// prefix, or a Chinese name containing what was typed).
public enum Suggestion {
    /// The edit distance between two strings (optimal string alignment: an insertion, a
    /// deletion, a substitution or two neighbours swapped each count one), by Unicode scalars
    /// (a Chinese character counts as one), case-insensitive.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { table[i][0] = i }
        for j in 0...y.count { table[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[x.count][y.count]
    }

    /// The candidate closest to `given`, when one is close enough to be what was meant: within
    /// a third of its length (at least 1, at most 3 edits), or starting with what was typed, or
    /// (for a candidate's other name, e.g. its Chinese name) containing it.
    ///
    /// - Parameters:
    ///   - given: what was typed.
    ///   - candidates: each value with the other names it is known by.
    public static func closest(to given: String, among candidates: [(value: String, names: [String])]) -> String? {
        let typed = given.trimmingSpaces
        guard !typed.isEmpty else { return nil }
        var best: (value: String, score: Int)?
        for candidate in candidates {
            for name in [candidate.value] + candidate.names where !name.isEmpty {
                let edits = distance(typed, name)
                let allowed = min(3, max(1, name.unicodeScalars.count / 3))
                var score = edits <= allowed ? edits : Int.max
                if score == Int.max, typed.unicodeScalars.count >= 2 {
                    if name.lowercased().hasPrefix(typed.lowercased()) { score = 10 + name.count - typed.count }
                    else if name.contains(typed) { score = 20 + name.count - typed.count }
                }
                guard score != Int.max else { continue }
                if score < (best?.score ?? Int.max) { best = (candidate.value, score) }
            }
        }
        return best?.value
    }

    /// `closest(to:among:)` for plain values.
    public static func closest(to given: String, among values: [String]) -> String? {
        closest(to: given, among: values.map { (value: $0, names: [String]()) })
    }
}

extension String {
    /// The text without leading and trailing white space (Unicode's, full-width spaces included).
    public var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
