import DossierKit
import Testing

@Suite("TextSegmenter")
struct TextSegmenterTests {
    @Test("documents: each CJK character alone, its pair with the next colocated, words folded")
    func documentTokens() {
        // Given a text mixing Chinese, Latin, full-width digits and punctuation
        let text = "玉米GB18030，Ａ１大豆"
        // When it is cut as a document
        let tokens = TextSegmenter.tokens(of: text, mode: .document)
        // Then every character position has its unigram, pairs are colocated, offsets are bytes
        #expect(tokens == [
            .init("玉", 0, 3), .init("玉米", 0, 6, colocated: true), .init("米", 3, 6),
            .init("gb18030", 6, 13),
            .init("a1", 16, 22),
            .init("大", 22, 25), .init("大豆", 22, 28, colocated: true), .init("豆", 25, 28),
        ])
    }

    @Test("queries: pairs, then the run's last character, one position each")
    func queryTokens() {
        #expect(TextSegmenter.tokens(of: "玉", mode: .query).map(\.text) == ["玉"])
        #expect(TextSegmenter.tokens(of: "玉米", mode: .query).map(\.text) == ["玉米", "米"])
        #expect(TextSegmenter.tokens(of: "非国有企业", mode: .query).map(\.text) == ["非国", "国有", "有企", "企业", "业"])
        #expect(TextSegmenter.tokens(of: "IMUT-2021 玉米", mode: .query).map(\.text) == ["imut", "2021", "玉米", "米"])
        #expect(TextSegmenter.tokens(of: "玉米", mode: .query).allSatisfy { !$0.colocated })
    }

    @Test("match phrases: a query without the last character its pair already ends with")
    func matchTokens() {
        // A pair at position p implies its second character at p + 1: the phrase's last one is left out
        #expect(TextSegmenter.tokens(of: "玉", mode: .match).map(\.text) == ["玉"])
        #expect(TextSegmenter.tokens(of: "玉米", mode: .match).map(\.text) == ["玉米"])
        #expect(TextSegmenter.tokens(of: "非国有企业", mode: .match).map(\.text) == ["非国", "国有", "有企", "企业"])
        #expect(TextSegmenter.tokens(of: "IMUT-2021 玉米", mode: .match).map(\.text) == ["imut", "2021", "玉米"])
        #expect(TextSegmenter.tokens(of: "玉米。", mode: .match).map(\.text) == ["玉米"])
        // Inside the phrase every position stays, or the words after it would shift
        #expect(TextSegmenter.tokens(of: "编码GB", mode: .match).map(\.text) == ["编码", "码", "gb"])
        #expect(TextSegmenter.tokens(of: "技术 秘密", mode: .match).map(\.text) == ["技术", "术", "秘密"])
        #expect(TextSegmenter.tokens(of: "玉米。大", mode: .match).map(\.text) == ["玉米", "米", "大"])
    }

    @Test("a line break between two Chinese characters does not split the run; a blank line does")
    func wrappedLines() {
        #expect(TextSegmenter.tokens(of: "甲\n方", mode: .document) == [.init("甲", 0, 3), .init("甲方", 0, 7, colocated: true), .init("方", 4, 7)])
        #expect(TextSegmenter.tokens(of: "甲\r\n方", mode: .document).map(\.text) == ["甲", "甲方", "方"])
        #expect(TextSegmenter.tokens(of: "甲\n\n方", mode: .document).map(\.text) == ["甲", "方"])
        #expect(TextSegmenter.tokens(of: "甲 方", mode: .document).map(\.text) == ["甲", "方"])
    }

    @Test("Mongolian and Cyrillic words are words; case folds")
    func otherScripts() {
        #expect(TextSegmenter.tokens(of: "ᠮᠣᠩᠭᠣᠯ Москва ÉCOLE", mode: .document).map(\.text) == ["ᠮᠣᠩᠭᠣᠯ", "москва", "école"])
    }

    @Test("punctuation alone has no tokens")
    func punctuationOnly() {
        #expect(!TextSegmenter.hasTokens("，。！- * \"\""))
        #expect(TextSegmenter.hasTokens("米"))
    }
}

@Suite("SearchQuery")
struct SearchQueryTests {
    @Test("words are quoted phrases joined by AND; OR, quotes and prefixes are kept")
    func expressions() throws {
        #expect(try SearchQuery("玉米").matchExpression == "\"玉米\"")
        #expect(try SearchQuery("玉米 GB18030").matchExpression == "\"玉米\" AND \"GB18030\"")
        #expect(try SearchQuery("玉米 OR 大豆 合同").matchExpression == "(\"玉米\" OR \"大豆\") AND \"合同\"")
        #expect(try SearchQuery("\"技术 秘密\" licen*").matchExpression == "\"技术 秘密\" AND \"licen\" *")
        #expect(try SearchQuery("say \"hi").matchExpression == "\"say\" AND \"hi\"")
        // A quote inside a word starts a phrase: the word is cut there
        #expect(try SearchQuery("a\"b").matchExpression == "\"a\" AND \"b\"")
    }

    @Test("a query of punctuation is refused with its text")
    func emptyQuery() {
        #expect(throws: IndexError.self) { try SearchQuery("，。") }
        do {
            _ = try SearchQuery(" -- ")
        } catch {
            #expect(error.description == "the query \" -- \" has no words to search for")
        }
    }
}
