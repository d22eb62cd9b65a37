@testable import DossierKit
import Testing

/// The U3 item's count of a text paper's characters: the same as Swift's `String.count`
/// (Unicode's extended grapheme clusters), counted from the UTF-8 lead bytes when no scalar of
/// the text can join its neighbour.
@Suite("Counting a text paper's characters")
struct CharacterCountTests {
    @Test("text of one character a scalar is counted without segmentation", arguments: [
        "第一条 本合同由甲乙双方签订，成果转化收益按约定分配。\n",
        "“赋权”——公示期满十五个工作日…（完）\n",
        "ＡＢＣ１２３！　全角字符、半角｡｢｣ｶ",
        "plain ASCII, tabs\tand\nnewlines",
        "Müller · Ödön · 15°",
        "",
    ])
    func oneCharacterAScalar(text: String) {
        #expect(PlainText.oneCharacterAScalarCount(text) == text.unicodeScalars.count)
        #expect(PlainText.characterCount(text) == text.count)
    }

    @Test("a scalar that may join its neighbour sends the text to Unicode's rules", arguments: [
        "合同\r\n第二条",  // CR LF: one character
        "e\u{301}",  // a combining accent
        "ﾊﾟ",  // a half-width voiced mark (U+FF9F)
        "👩\u{200D}💻",  // an emoji joined by ZWJ
        "〇\u{302A}",  // an ideographic tone mark
        "か\u{3099}",  // a combining voiced mark
        "한국어",  // Hangul syllables
        "🇨🇳",  // regional indicators
        "漢\u{FE00}",  // a variation selector
    ])
    func mayJoin(text: String) {
        #expect(PlainText.oneCharacterAScalarCount(text) == nil)
        #expect(PlainText.characterCount(text) == text.count)
    }

    @Test("random text from a mix of joining and non-joining scalars counts as String.count does")
    func randomMix() {
        let pool: [Unicode.Scalar] = [
            "a", "Z", " ", "\n", "\r", "\t", "é", "\u{301}", "\u{200D}", "\u{200C}", "“", "…", "—", "、", "。", "〇", "\u{302A}", "\u{302F}",
            "\u{3099}", "か", "中", "龍", "䷀", "Ａ", "｡", "ﾊ", "\u{FF9F}", "\u{FE0F}", "한", "ᄀ", "ᅡ", "🇨", "🇳", "👩", "💻", "\u{0600}", "ب",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) { scalars.append(pool.randomElement(using: &generator) ?? "a") }
            let text = String(scalars)
            #expect(PlainText.characterCount(text) == text.count, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
