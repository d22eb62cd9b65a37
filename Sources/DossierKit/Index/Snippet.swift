/// Cuts a passage around the first match out of a column that FTS5's `highlight()` marked,
/// and shows every match in it between « and ».
///
/// FTS5's own `snippet()` counts its window in token positions and may end the window in the
/// middle of a long phrase, leaving a match half marked; this keeps whole matches.
enum Snippet {
    /// What `highlight()` is asked to put around matches: control characters no text shows.
    static let open: Character = "\u{1}"
    static let close: Character = "\u{2}"

    /// - Parameters:
    ///   - before: characters of context before the first match.
    ///   - length: the passage's length in characters, at least (whole matches are never cut).
    static func make(from highlighted: String, before: Int = 20, length: Int = 80) -> String {
        let characters = Array(highlighted)
        guard let first = characters.firstIndex(of: open) else {
            return clean(String(characters.prefix(length))) + (characters.count > length ? "…" : "")
        }
        var start = max(0, first - before)
        // Start after a line break when one is near, so the passage reads from a sentence start.
        if let lineBreak = characters[start..<first].lastIndex(where: { $0 == "\n" }) { start = lineBreak + 1 }
        var end = min(characters.count, start + length)
        // Never end inside a match: extend to its close.
        if let lastOpen = characters[start..<end].lastIndex(of: open),
            characters[lastOpen..<end].firstIndex(of: close) == nil,
            let closing = characters[lastOpen...].firstIndex(of: close)
        {
            end = closing + 1
        }
        var text = clean(String(characters[start..<end]))
        if start > 0, characters[start - 1] != "\n" { text = "…" + text }
        if end < characters.count { text += "…" }
        return text
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
        return result.trimmingCharacters(in: .whitespaces)
    }
}
