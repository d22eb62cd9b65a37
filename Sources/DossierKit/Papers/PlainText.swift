import DossierModel

/// Plain text files: UTF-8 first; when the bytes are not UTF-8, GB18030 (the national standard
/// that contains GBK and GB2312, what older Chinese Windows systems write), through glibc's iconv.
enum PlainText {
    static func read(_ path: String) -> ExtractedText {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path, limit: TextExtractor.maximumPlainFileBytes)
        } catch {
            return ExtractedText(text: "", source: .failed, problem: error.description)
        }
        return decode(bytes)
    }

    /// Decodes text bytes: UTF-8 (a byte-order mark is dropped), else GB18030, else UTF-8 with
    /// replacement characters (so that whatever is legible is still found).
    static func decode(_ bytes: [UInt8]) -> ExtractedText {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) {
            return ExtractedText(text: text, source: .utf8)
        }
        if let text = Iconv.text(Array(body), from: "GB18030") {
            return ExtractedText(text: text, source: .gb18030)
        }
        return ExtractedText(text: String(decoding: body, as: UTF8.self), source: .utf8, problem: "not valid UTF-8 or GB18030; unreadable bytes were skipped")
    }

    /// `text` cut to at most `limit` UTF-8 bytes, at a character boundary.
    static func truncated(_ text: String, toBytes limit: Int) -> String {
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while end > text.startIndex, !text.unicodeScalars.indices.contains(end), end < text.utf8.endIndex {
            end = text.utf8.index(before: end)
        }
        return String(text[..<end])
    }
}
