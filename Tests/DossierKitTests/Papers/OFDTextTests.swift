import Testing
@testable import DossierKit

@Suite("OFD text and document info")
struct OFDTextTests {
    @Test("per-character text objects come out as whole words, equal to ofdkit's text")
    func perCharacterTextEqualsOfdkit() throws {
        // Given a contract page written one TextObject per character, with a DeltaX `g` run,
        // fake bold, a vertical label, a PageBlock, a composite object and a second layer
        let file = OFDFixtures.path("contract-chars.ofd")
        // When both readers extract its text
        let text = try OFDDocument.open(path: file).text()
        let expected = try OFDFixtures.ofdkitText(file)
        // Then they agree exactly, and the Chinese words are whole
        #expect(text == expected)
        for word in ["技术转让合同", "收益分配", "合同专用章", "转让方式为独占许可", "甲方：内蒙古工业大学", "签章处", "附件一：技术资料清单", "购买方"] {
            #expect(text.contains(word), "missing \(word)")
        }
        // And fake bold is read once, text off the page is dropped, words are spaced
        #expect(text.components(separatedBy: "保密条款").count == 2)
        #expect(!text.contains("页外"))
        #expect(text.contains("Patent CN202110345678.9"))
        #expect(text.contains("第三条 收益分配"))
    }

    @Test("a multi-page document with a template page equals ofdkit's text, page by page")
    func templatePagesEqualOfdkit() throws {
        // Given three pages that share a template with a header and footer, and a second layer on page 2
        let file = OFDFixtures.path("multipage-template.ofd")
        // When both read it
        let document = try OFDDocument.open(path: file)
        let text = document.text()
        // Then the texts are equal and the pages are separated by form feeds
        #expect(text == (try OFDFixtures.ofdkitText(file)))
        #expect(document.pageCount == 3)
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
        #expect(pages.count == 3)
        for (number, page) in pages.enumerated() {
            #expect(page.contains("内蒙古工业大学科技成果转化档案"))
            #expect(page.contains("密级：内部"))
            #expect(page.contains("第\(number + 1)页"))
        }
        #expect(pages[1].contains("批注：已核对"))
        #expect(pages[0].contains("第三条 收益分配：转化净收入的百分之七十归完成人团队，百分之三十归学校。"))
    }

    @Test("document info comes from OFD.xml")
    func documentInfo() throws {
        // Given the contract fixture
        // When it is opened
        let info = try OFDDocument.open(path: OFDFixtures.path("contract-chars.ofd")).info
        // Then DocInfo's fields are read as written
        #expect(info.title == "技术转让合同")
        #expect(info.author == "内蒙古工业大学")
        #expect(info.creationDate == "2021-04-20")
        #expect(info.modificationDate == "2021-04-21")
        #expect(info.creator == "dossier fixture script")
        #expect(info.documentID == "b1c5e0d2a9f84c1e9d0b7e5f3a2c4d6e")
    }

    @Test("reading-order rules: baselines, gaps and paragraphs as ofdkit lays them out")
    func layoutRules() {
        // Given runs on two baselines (one 0.2 mm off), a word gap, a column gap and a paragraph gap
        func run(_ text: String, _ x: Double, _ y: Double, size: Double = 5, width: Double? = nil) -> OFDTextRun {
            OFDTextRun(text: text, x: x, y: y, size: size, width: width ?? Double(text.count) * size)
        }
        let runs = [
            run("乙方", 30, 20.2), run("甲方", 20, 20), run("签字", 40, 20), run("word", 60, 20, width: 10),
            run("x", 72, 20, width: 2.5), run("下一行", 20, 27), run("新段落", 20, 60),
        ]
        // When they are laid out
        let text = OFDLayout.pageText(runs)
        // Then same-baseline runs join left to right, touching runs with nothing, a gap over ¼ em
        // with a space, over 1½ em with three; a large vertical step gives a blank line (the
        // expected string is ofdkit's `layout.page_text` on the same runs)
        #expect(text == "甲方乙方签字   word x\n下一行\n\n新段落")
    }

    @Test("DeltaX lists follow ofdkit: g repetition, a TextCode without X keeps the previous one")
    func deltaLists() throws {
        // Given a collector with the default limits
        let collector = OFDTextCollector(member: "Content.xml", units: [:], limits: .default)
        // When DeltaX lists are read for four characters (three advances)
        // Then `g count value` expands, values past the characters are dropped, junk is skipped
        // (each expectation is what ofdkit's `_parse_deltas` returns for the same list)
        #expect(try collector.deltas("g 3 2.5", keeping: 3, list: "DeltaX") == [2.5, 2.5, 2.5])
        #expect(try collector.deltas("1 g 5 2", keeping: 3, list: "DeltaX") == [1, 2, 2])
        #expect(try collector.deltas("1 x 2", keeping: 3, list: "DeltaX") == [1, 2])
        #expect(try collector.deltas("g inf 2 3", keeping: 3, list: "DeltaX") == [.infinity, 2, 3])
        #expect(try collector.deltas("1_0 ２", keeping: 3, list: "DeltaX") == [10, 2])
        #expect(try collector.deltas("", keeping: 3, list: "DeltaX") == [])
    }
}
