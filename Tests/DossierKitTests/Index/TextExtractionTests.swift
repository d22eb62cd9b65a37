import DossierKit
import Testing
import _DossierTestSupport

/// The committed fixtures in Tests/Fixtures/index, copied into a fresh directory.
func indexFixture(_ name: String, into directory: String) throws -> String {
    let source = "\(packageRoot)/Tests/Fixtures/index/\(name)"
    let copy = "\(directory)/\(name)"
    try writeFile(copy, try FileSystem.readFile(source))
    return copy
}

@Suite("TextExtractor")
struct TextExtractionTests {
    @Test("PDF: the text layer of every page, read through a ToUnicode CMap")
    func pdf() throws {
        try withTemporaryDirectory { directory in
            // Given a two-page PDF whose Chinese is drawn with a Type0 font (pdftotext reads the same)
            let path = try indexFixture("转让合同.pdf", into: directory)
            // When its text is extracted
            let extracted = TextExtractor.text(ofFileAt: path, fileName: "转让合同.pdf")
            // Then both pages are there, separated by a form feed
            #expect(extracted.source == .pdf)
            #expect(extracted.problem == nil)
            #expect(extracted.text == """
                技术转让合同 第一页
                甲方：内蒙古工业大学 乙方：某农业科技有限公司（非国有）
                标的：玉米新品种“蒙玉7号”的品种权及GB18030编码的配套数据。\u{0C}第二页
                转让价款：人民币壹佰贰拾万元（1200000元）。
                马铃薯脱毒种薯技术另行约定。
                """)
        }
    }

    @Test("DOCX: text runs joined, a line per paragraph, entities decoded, tabs and breaks kept")
    func docx() throws {
        try withTemporaryDirectory { directory in
            let path = try indexFixture("赋权协议.docx", into: directory)
            let extracted = TextExtractor.text(ofFileAt: path, fileName: "赋权协议.docx")
            #expect(extracted.source == .docx)
            #expect(extracted.text == "赋权（共有）协议\n甲方与王芳团队约定：单位占30%，团队占70%；稀土永磁材料\tR&D费用由双方分担。\n羊绒加工工艺ABC-12型\n燕麦")
        }
    }

    @Test("plain text in GB18030 is decoded; UTF-8 with a byte-order mark too")
    func plainText() throws {
        try withTemporaryDirectory { directory in
            let legacy = try indexFixture("旧公示.txt", into: directory)
            let extracted = TextExtractor.text(ofFileAt: legacy, fileName: "旧公示.txt")
            #expect(extracted.source == .gb18030)
            #expect(extracted.text == "单位内公示记录：公示期十五日，无异议。小麦抗旱品种。\n")
            try writeFile("\(directory)/bom.txt", [0xEF, 0xBB, 0xBF] + Array("燕麦".utf8))
            #expect(TextExtractor.text(ofFileAt: "\(directory)/bom.txt", fileName: "bom.txt") == ExtractedText(text: "燕麦", source: .utf8))
        }
    }

    @Test("OFD: a zip with OFD.xml is read as OFD, whatever its name, and search finds its words")
    func ofd() throws {
        try withTemporaryDirectory { directory in
            // Given a contract written one text object per character, stored under a name without
            // an extension, and a three-page document with a template
            let staged = "\(directory)/staged-document"
            try writeFile(staged, try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/ofd/contract-chars.ofd"))
            let pages = "\(packageRoot)/Tests/Fixtures/ofd/multipage-template.ofd"
            // When their text is extracted
            let extracted = TextExtractor.text(ofFileAt: staged, fileName: "技术转让合同.ofd")
            let multipage = TextExtractor.text(ofFileAt: pages, fileName: "档案")
            // Then it is the OFD reader's, words whole, pages separated by form feeds
            #expect(extracted.source == .ofd)
            #expect(extracted.problem == nil)
            #expect(extracted.text == (try OFDDocument.open(path: staged).text()))
            #expect(extracted.text.contains("第三条 收益分配"))
            #expect(multipage.source == .ofd)
            #expect(multipage.text.split(separator: "\u{0C}", omittingEmptySubsequences: false).count == 3)
            // And once indexed, 1-, 2- and 4-character queries find the OFD
            let index = try DossierIndex.inMemory()
            try index.replace(IndexSamples.dossier("IMUT-2021-0009", title: "一种草原监测方法", documents: [
                IndexSamples.document(.transferContract, "技术转让合同.ofd", text: extracted.text, source: extracted.source),
            ]))
            for query in ["收益分配", "专用", "购"] {
                #expect(try index.search(SearchQuery(query)).map(\.path) == ["documents/transfer-contract/技术转让合同.ofd"], "\(query)")
            }
        }
    }

    @Test("a refused OFD gives no text and names the member and the limit; other zips give none")
    func refusedOFD() throws {
        try withTemporaryDirectory { directory in
            // Given a zip bomb with OFD.xml, and a zip without one
            let bomb = TextExtractor.text(ofFileAt: "\(packageRoot)/Tests/Fixtures/ofd/bomb-ratio.ofd", fileName: "bomb-ratio.ofd")
            try writeFile("\(directory)/other.zip", try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/index/赋权协议.docx"))
            // When their text is extracted
            let other = TextExtractor.text(ofFileAt: "\(directory)/other.zip", fileName: "other.zip")
            // Then the bomb is refused with the OFD reader's reason, and the plain zip has no text
            #expect(bomb.source == .failed)
            #expect(bomb.problem?.hasPrefix("Doc_0/Res/bomb.bin: expands more than 100 times its ") == true, "\(bomb.problem ?? "")")
            #expect(other == ExtractedText(text: "", source: .none))
        }
    }

    @Test("a damaged PDF or DOCX gives no text and says why; an image waits for OCR; an unknown binary gives none")
    func damaged() throws {
        try withTemporaryDirectory { directory in
            try writeFile("\(directory)/坏.pdf", "%PDF-1.4\nnot really a pdf")
            let pdf = TextExtractor.text(ofFileAt: "\(directory)/坏.pdf", fileName: "坏.pdf")
            #expect(pdf.source == .failed)
            #expect(pdf.problem?.hasPrefix("not a readable PDF: ") == true)
            try writeFile("\(directory)/坏.docx", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0])
            let docx = TextExtractor.text(ofFileAt: "\(directory)/坏.docx", fileName: "坏.docx")
            #expect(docx.source == .failed)
            try writeFile("\(directory)/scan.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(TextExtractor.text(ofFileAt: "\(directory)/scan.png", fileName: "scan.png") == ExtractedText(text: "", source: .awaitingOCR))
            try writeFile("\(directory)/data.bin", [0x00, 0x01, 0xFE, 0x37, 0x7A, 0xBC])
            #expect(TextExtractor.text(ofFileAt: "\(directory)/data.bin", fileName: "data.bin") == ExtractedText(text: "", source: .none))
        }
    }

    @Test("a PDF with a page without text waits for OCR and keeps the text its other pages have; a typed PDF does not wait")
    func scannedPages() {
        let folder = "\(packageRoot)/Tests/Fixtures/ocr"
        let mixed = TextExtractor.text(ofFileAt: "\(folder)/mixed.pdf", fileName: "mixed.pdf")
        #expect(mixed.source == .awaitingOCR)
        #expect(mixed.text.contains("TECHNOLOGY TRANSFER AGREEMENT"))
        let scan = TextExtractor.text(ofFileAt: "\(folder)/agreement.pdf", fileName: "agreement.pdf")
        #expect(scan == ExtractedText(text: "", source: .awaitingOCR))
        let typed = TextExtractor.text(ofFileAt: "\(folder)/text-layer.pdf", fileName: "text-layer.pdf")
        #expect(typed.source == .pdf)
        #expect(typed.text.contains("Confidentiality obligations"))
    }
}
