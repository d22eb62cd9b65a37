import DossierKit
import Testing

/// `OCRText.normalizedForIndex`: Tesseract's Chinese written as Chinese, Latin left alone.
@Suite("OCR text normalisation")
struct OCRTextNormalizationTests {
    @Test("Spaces between Han characters, and between Han and CJK punctuation, are removed", arguments: [
        ("保 密 义 务", "保密义务"),
        ("乙方 对 技术 资料 负有 保密义务 ， 保密 期限", "乙方对技术资料负有保密义务，保密期限"),
        ("（ 合同 专用 章 ）", "（合同专用章）"),
        ("《 技术 合同 法 》 第 三 条", "《技术合同法》第三条"),
        ("“ 专利权 ” 、 “ 许可 使用 ”", "“专利权”、“许可使用”"),
        ("甲\u{3000}方", "甲方"),
        ("争议\t解决", "争议解决"),
    ])
    func hanSpacesRemoved(raw: String, expected: String) {
        // Given Tesseract's spaced-out Chinese, When normalised, Then it reads as written
        #expect(OCRText.normalizedForIndex(raw) == expected)
    }

    @Test("Spaces between Latin words, numbers, and Latin and Han are kept", arguments: [
        ("Party A shall pay", "Party A shall pay"),
        ("合同编号 : NMG-2023-0417", "合同编号 : NMG-2023-0417"),
        ("人民币 120 万元", "人民币 120 万元"),
        ("见 Article 3 和 附件", "见 Article 3 和附件"),
        ("GB 18030 编码", "GB 18030 编码"),
    ])
    func latinSpacesKept(raw: String, expected: String) {
        #expect(OCRText.normalizedForIndex(raw) == expected)
    }

    @Test("A line break inside a paragraph joins two Han characters; paragraph breaks stay")
    func lineBreaks() {
        // Given a word wrapped across lines, lines ending in punctuation or Latin, and a blank line
        let raw = "甲方将其专利\n权转让给乙方，\n乙方支付 fees\nto Party A\n\n第二条 收益\n分配"

        // When normalised
        let normalised = OCRText.normalizedForIndex(raw)

        // Then only the Han–Han breaks are joined
        #expect(normalised == "甲方将其专利权转让给乙方，\n乙方支付 fees\nto Party A\n\n第二条收益分配")
    }

    @Test("Kangxi radicals and compatibility ideographs become the unified characters")
    func lookAlikes() {
        // Given ⽅ (U+2F45 KANGXI RADICAL SQUARE) for 方, and the compatibility ideograph U+F90A for 金
        #expect(OCRText.normalizedForIndex("甲\u{2F45} 乙\u{2F45}") == "甲方乙方")
        #expect(OCRText.normalizedForIndex("\u{F90A}额") == "金额")
        // And ordinary text and other scalars pass unchanged
        #expect(OCRText.normalizedForIndex("①②") == "①②")
    }

    @Test("Normalising twice changes nothing; empty and blank text stay as they are")
    func idempotent() {
        let raw = "第 一 条 甲 方 将 其 拥 有 的 专 利 权\n以 技术 转让 方式 转让 给 乙 方 。 Party B\n\n第 二 条"
        let once = OCRText.normalizedForIndex(raw)
        #expect(OCRText.normalizedForIndex(once) == once)
        #expect(OCRText.normalizedForIndex("") == "")
        #expect(OCRText.normalizedForIndex(" \n ") == " \n ")
    }

    @Test("The document's confidence is the mean of its pages' weighted by characters read")
    func meanConfidence() {
        // Given a page of 8 characters at 90 and one of 2 characters at 40, and a blank page at 0
        let text = OCRText(pages: [
            OCRPage(number: 1, text: "技术 转让 合同 甲方", confidence: 90),
            OCRPage(number: 2, text: "乙方", confidence: 40),
            OCRPage(number: 3, text: " \n", confidence: 0),
        ], pagesWithTextLayer: [], pageCount: 3)

        // Then the blank page does not count, and the rest weigh by length: (8·90 + 2·40) / 10
        #expect(text.meanConfidence == 80)
        #expect(text.text == "技术 转让 合同 甲方\u{0C}乙方\u{0C} \n")
        #expect(text.textForIndex == "技术转让合同甲方\u{0C}乙方\u{0C} \n")
    }
}
