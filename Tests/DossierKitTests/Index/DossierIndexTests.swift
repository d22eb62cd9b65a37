import DossierKit
import Testing
import _DossierTestSupport

/// Builds index values directly, as the vault would from the store.
enum IndexSamples {
    static func document(_ kind: DocumentKind, _ name: String, text: String, source: ExtractedText.Source = .utf8, facts: JSONObject = [:], date: String = "2022-03-01") -> IndexedDocument {
        var allFacts: JSONObject = ["signedOn": .string(date), "parties": ["内蒙古工业大学"]]
        for (key, value) in facts { allFacts[key] = value }
        // swift-format-ignore: NeverForceUnwrap
        let digest = try! Hasher.digest(.sha512, of: Array((name + text).utf8))
        let entry = DocumentEntry(
            path: DocumentEntry.logicalPath(kind: kind, fileName: name), kind: kind, sha512: digest, size: Int64(text.utf8.count),
            mediaType: MediaType.forFileName(name), filedAt: "2022-03-02T09:00:00+08:00", filedBy: "张律师", facts: allFacts)
        return IndexedDocument(entry: entry, sha256: nil, text: ExtractedText(text: text, source: source))
    }

    static func dossier(_ id: String, title: String, unit: String = "imut", type: AchievementType = .patent, grant: GrantKind = .ownership,
                        documents: [IndexedDocument], enrichment: IndexEnrichment = .notValidated) -> IndexedDossier {
        // swift-format-ignore: NeverForceUnwrap
        let record = DossierRecord(
            id: DossierID(id)!, title: title, unit: unit, type: type, funding: .fiscal, grant: grant,
            completers: [Completer(name: "王芳", share: 60, representative: true), Completer(name: "李强", share: 40)],
            documents: documents.map(\.entry))
        return IndexedDossier(
            record: record, head: VersionNumber(2),
            versions: [IndexedVersion(number: VersionNumber(1), created: "2022-01-01T00:00:00+08:00", message: "open dossier", user: Agent(name: "张律师", address: nil)),
                       IndexedVersion(number: VersionNumber(2), created: "2022-03-02T09:00:00+08:00", message: "file", user: Agent(name: "张律师", address: nil))],
            inventoryDigest: "digest-\(id)", documents: documents, enrichment: enrichment, unitName: unit == "imut" ? "内蒙古工业大学" : "内蒙古农牧业科学院")
    }
}

@Suite("DossierIndex")
struct DossierIndexTests {
    /// Three dossiers: text, PDF and DOCX texts (as the extractors give them), two units, flags.
    static func sampleIndex() throws -> DossierIndex {
        let index = try DossierIndex.inMemory()
        try index.replace(IndexSamples.dossier("IMUT-2021-0007", title: "一种风光互补储能系统的控制方法", documents: [
            IndexSamples.document(.transferContract, "转让合同.pdf", text: "标的：玉米新品种“蒙玉7号”的品种权及GB18030编码的配套数据。\u{0C}马铃薯脱毒种薯技术另行约定。", source: .pdf,
                                  facts: ["counterparty": ["name": "某农业科技有限公司", "kind": "non-state", "country": "CN"], "price": 1_200_000], date: "2022-05-10"),
            IndexSamples.document(.publicityRecord, "公示.txt", text: "单位内公示记录：公示期十五日，无异议。小麦抗旱品种。", date: "2021-04-01"),
        ], enrichment: IndexEnrichment(status: .pendingReview, flags: [.secret], findings: [IndexedFinding(rule: .r16, severity: .error, message: "no secrecy approval")])))
        try index.replace(IndexSamples.dossier("IMAAAHS-2022-0003", title: "燕麦抗旱新品种", unit: "imaaahs", type: .plantVariety, documents: [
            IndexSamples.document(.ownershipAgreement, "赋权协议.docx", text: "甲方与王芳团队约定：单位占30%，团队占70%；稀土永磁材料\tR&D费用由双方分担。", source: .docx, date: "2022-08-01"),
            IndexSamples.document(.transferContract, "许可合同.txt", text: "许可某国有公司使用玉米种植技术。",
                                  facts: ["counterparty": ["name": "某国有公司", "kind": "wholly-state-owned"], "price": 50000], date: "2023-02-01"),
        ], enrichment: IndexEnrichment(status: .inOrder)))
        try index.replace(IndexSamples.dossier("IMUT-2020-0001", title: "稀土抛光粉制备工艺", documents: [
            IndexSamples.document(.unitApproval, "审批.txt", text: "同意赋权。玉", date: "2020-12-20"),
        ]))
        return index
    }

    func paths(_ hits: [SearchHit]) -> [String] { hits.map { "\($0.dossier) \($0.path)" } }

    @Test("1-, 2- and 3+-character Chinese queries find text in plain text, PDF and DOCX documents")
    func chineseQueries() throws {
        let index = try Self.sampleIndex()
        // PDF text
        #expect(paths(try index.search(SearchQuery("薯"))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("蒙玉"))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("马铃薯脱毒种薯"))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        // DOCX text
        #expect(paths(try index.search(SearchQuery("磁"))) == ["IMAAAHS-2022-0003 documents/ownership-agreement/赋权协议.docx"])
        #expect(paths(try index.search(SearchQuery("稀土永磁材料"))) == ["IMAAAHS-2022-0003 documents/ownership-agreement/赋权协议.docx"])
        // Plain text
        #expect(paths(try index.search(SearchQuery("麦"))).sorted() == ["IMAAAHS-2022-0003 dossier.json", "IMUT-2021-0007 documents/publicity-record/公示.txt"])
        #expect(paths(try index.search(SearchQuery("小麦"))) == ["IMUT-2021-0007 documents/publicity-record/公示.txt"])
        #expect(paths(try index.search(SearchQuery("公示期十五日"))) == ["IMUT-2021-0007 documents/publicity-record/公示.txt"])
        // Characters that are not adjacent do not make a phrase
        #expect(try index.search(SearchQuery("玉种")).isEmpty)
    }

    @Test("the snippet marks exactly the characters that matched")
    func snippets() throws {
        let index = try Self.sampleIndex()
        #expect(try index.search(SearchQuery("蒙玉7号")).map(\.snippet) == ["标的：玉米新品种“«蒙玉7号»”的品种权及GB18030编码的配套数据。 马铃薯脱毒种薯技术另行约定。"])
        #expect(try index.search(SearchQuery("玉"), filter: IndexFilter(kind: .unitApproval)).map(\.snippet) == ["同意赋权。«玉»"])
        let hit = try #require(try index.search(SearchQuery("风光互补")).first)
        #expect(hit.path == "dossier.json")
        #expect(hit.kind == "record")
        #expect(hit.snippet == "一种«风光互补»储能系统的控制方法")
        #expect(hit.version == VersionNumber(2))
        #expect(hit.score > 0)
    }

    @Test("a query matching more rows than are scored is ranked among the most recently indexed, and says so")
    func commonTerms() throws {
        let index = try Self.sampleIndex()
        // Given 玉, in three documents; all three scored: ranked by relevance
        let all = try index.search(SearchQuery("玉"), candidates: 3)
        #expect(all.count == 3)
        #expect(all.allSatisfy { $0.ranking == .relevance })
        // When at most two matches may be scored
        let common = try index.search(SearchQuery("玉"), candidates: 2)
        // Then the two indexed last are the hits, marked as such, with their snippets marked
        #expect(common.map(\.ranking) == [.commonTerms, .commonTerms])
        #expect(paths(common).sorted() == ["IMAAAHS-2022-0003 documents/transfer-contract/许可合同.txt", "IMUT-2020-0001 documents/unit-approval/审批.txt"])
        #expect(common.map(\.snippet).sorted() == ["同意赋权。«玉»", "许可某国有公司使用«玉»米种植技术。"])
        #expect(common.allSatisfy { $0.score > 0 })
        // And filters still apply before the limit
        let filtered = try index.search(SearchQuery("玉"), filter: IndexFilter(unit: "imut"), candidates: 1)
        #expect(paths(filtered) == ["IMUT-2020-0001 documents/unit-approval/审批.txt"])
        #expect(filtered.first?.ranking == .commonTerms)
    }

    @Test("a prefix query marks the whole word it matched")
    func prefixSnippet() throws {
        let index = try Self.sampleIndex()
        let hits = try index.search(SearchQuery("gb180*"))
        #expect(paths(hits) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(hits.first?.snippet == "标的：玉米新品种“蒙玉7号”的品种权及«GB18030»编码的配套数据。 马铃薯脱毒种薯技术另行约定。")
    }

    @Test("mixed Chinese and Latin, ids, facts and names are searchable")
    func mixedQueries() throws {
        let index = try Self.sampleIndex()
        #expect(paths(try index.search(SearchQuery("GB18030编码"))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("r&d 分担"))) == ["IMAAAHS-2022-0003 documents/ownership-agreement/赋权协议.docx"])
        #expect(paths(try index.search(SearchQuery("non-state 非国有"))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("IMUT-2020-0001"))) == ["IMUT-2020-0001 dossier.json"])
        #expect(paths(try index.search(SearchQuery("某国有公司"))) == ["IMAAAHS-2022-0003 documents/transfer-contract/许可合同.txt"])
        #expect(paths(try index.search(SearchQuery("燕麦 OR 抛光粉"))).sorted() == ["IMAAAHS-2022-0003 dossier.json", "IMUT-2020-0001 dossier.json"])
    }

    @Test("filters combine: kind, unit, type, flag, status and dates must all hold")
    func filters() throws {
        let index = try Self.sampleIndex()
        let all = paths(try index.search(SearchQuery("玉")))
        #expect(all.count == 3)
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(kind: .transferContract))).sorted()
            == ["IMAAAHS-2022-0003 documents/transfer-contract/许可合同.txt", "IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(kind: .transferContract, since: LocalDate("2022-01-01"), until: LocalDate("2022-12-31"))))
            == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(unit: "imaaahs"))) == ["IMAAAHS-2022-0003 documents/transfer-contract/许可合同.txt"])
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(type: "patent"))).count == 2)
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(flag: .secret))) == ["IMUT-2021-0007 documents/transfer-contract/转让合同.pdf"])
        #expect(paths(try index.search(SearchQuery("玉"), filter: IndexFilter(status: .notValidated))) == ["IMUT-2020-0001 documents/unit-approval/审批.txt"])
        #expect(try index.search(SearchQuery("玉"), filter: IndexFilter(unit: "imaaahs", flag: .secret)).isEmpty)
        #expect(try index.search(SearchQuery("玉"), filter: IndexFilter(since: LocalDate("2024-01-01"))).isEmpty)
    }

    @Test("list: filters on dossiers; kind and dates must hold for one same document")
    func list() throws {
        let index = try Self.sampleIndex()
        #expect(try index.list().map(\.record.id.rawValue) == ["IMAAAHS-2022-0003", "IMUT-2020-0001", "IMUT-2021-0007"])
        #expect(try index.list(filter: IndexFilter(kind: .transferContract, since: LocalDate("2023-01-01"))).map(\.record.id.rawValue) == ["IMAAAHS-2022-0003"])
        // IMUT-2021-0007 has a transfer contract (2022) and a document of 2021, but no contract in 2021
        #expect(try index.list(filter: IndexFilter(kind: .transferContract, since: LocalDate("2021-01-01"), until: LocalDate("2021-12-31"))).isEmpty)
        let flagged = try index.list(filter: IndexFilter(flag: .secret))
        #expect(flagged.map(\.record.id.rawValue) == ["IMUT-2021-0007"])
        #expect(flagged.first?.status == .pendingReview)
        #expect(flagged.first?.findings == [IndexedFinding(rule: .r16, severity: .error, message: "no secrecy approval")])
        #expect(flagged.first?.record.documents.count == 2)
    }

    @Test("replacing a dossier drops its old rows; removing it drops it from search")
    func replaceAndRemove() throws {
        let index = try Self.sampleIndex()
        // swift-format-ignore: NeverForceUnwrap
        let id = DossierID("IMUT-2020-0001")!
        try index.replace(IndexSamples.dossier(id.rawValue, title: "稀土抛光粉制备工艺", documents: [IndexSamples.document(.unitApproval, "审批.txt", text: "不同意。")]))
        #expect(try index.search(SearchQuery("同意赋权")).isEmpty)
        #expect(paths(try index.search(SearchQuery("不同意"))) == ["IMUT-2020-0001 documents/unit-approval/审批.txt"])
        try index.remove(id)
        #expect(try index.search(SearchQuery("抛光粉")).isEmpty)
        #expect(try index.statistics().dossiers == 2)
        #expect(try index.inventoryDigests().keys.map(\.rawValue).sorted() == ["IMAAAHS-2022-0003", "IMUT-2021-0007"])
    }
}
