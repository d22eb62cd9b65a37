@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Files documents into a real vault through `Vault.apply`, as `dossier file` does.
struct VaultFiling {
    let vault: Vault
    let directory: String

    func create(_ id: String, title: String, unit: String = "imut", grant: GrantKind = .ownership) throws {
        // swift-format-ignore: NeverForceUnwrap
        let dossierID = DossierID(id)!
        let record = DossierRecord(id: dossierID, title: title, unit: unit, type: .patent, funding: .fiscal, grant: grant,
                                   completers: [Completer(name: "王芳", share: 100, representative: true)])
        _ = try vault.withStaging { staging in
            try vault.apply(DossierChange(target: .create(record), user: Agent(name: "张律师", email: "legal@example.org"), source: "test"), to: dossierID, staging: staging)
        }
    }

    func file(_ id: String, _ kind: DocumentKind, _ path: String, facts: JSONObject) throws {
        // swift-format-ignore: NeverForceUnwrap
        let dossierID = DossierID(id)!
        _ = try vault.withStaging { staging in
            let staged = try vault.stage(fileAt: path, into: staging)
            let document = IncomingDocument(kind: kind, fileName: FileSystem.lastComponent(of: path), facts: facts, content: staged, origin: path)
            return try vault.apply(DossierChange(target: .existing(update: nil), documents: [document], user: Agent(name: "张律师", email: "legal@example.org"), source: "test"), to: dossierID, staging: staging)
        }
    }
}

@Suite("Vault index")
struct VaultIndexTests {
    static let enricher: @Sendable (DossierSnapshot) -> IndexEnrichment = { snapshot in
        snapshot.record.classification == .none ? .notValidated : IndexEnrichment(status: .pendingReview, flags: [.secret])
    }

    /// A vault whose filings update the index (as the CLI wires it), with the three fixtures filed.
    static func filedVault(_ directory: String) throws -> Vault {
        var vault = try Vault.initialize(at: "\(directory)/Vault")
        vault.indexEnrichment = enricher
        let filing = VaultFiling(vault: vault, directory: directory)
        try filing.create("IMUT-2021-0007", title: "一种风光互补储能系统的控制方法")
        // The index exists from here on; later filings update it in place.
        _ = try vault.index.open { _ in }
        try filing.file("IMUT-2021-0007", .transferContract, try indexFixture("转让合同.pdf", into: directory),
                        facts: ["signedOn": "2022-05-10", "parties": ["内蒙古工业大学", "某农业科技有限公司"], "counterparty": ["name": "某农业科技有限公司", "kind": "non-state"], "price": 1_200_000])
        try filing.create("IMAAAHS-2022-0003", title: "燕麦抗旱新品种", unit: "imaaahs")
        try filing.file("IMAAAHS-2022-0003", .ownershipAgreement, try indexFixture("赋权协议.docx", into: directory), facts: ["signedOn": "2022-08-01", "parties": ["甲方"]])
        try filing.file("IMAAAHS-2022-0003", .publicityRecord, try indexFixture("旧公示.txt", into: directory), facts: ["issuedOn": "2022-07-01", "parties": ["甲方"]])
        return vault
    }

    static let queries = ["玉", "蒙玉", "马铃薯脱毒种薯", "磁", "稀土永磁材料", "麦", "小麦", "公示期十五日", "GB18030编码", "非国有", "王芳", "燕麦 OR 风光"]

    static func answers(_ index: DossierIndex) throws -> [String] {
        try queries.map { query in
            try index.search(SearchQuery(query)).map { "\($0.dossier) \($0.version) \($0.path) \($0.snippet)" }.joined(separator: " | ")
        } + [try index.list().map { "\($0.record.id) \($0.head) \($0.status) \($0.flags)" }.joined(separator: ", ")]
    }

    @Test("a rebuild from store/ alone answers exactly as the index kept up by filings")
    func rebuildEqualsIncremental() throws {
        try withTemporaryDirectory { directory in
            // Given an index kept up to date filing by filing
            let vault = try Self.filedVault(directory)
            var repairs: [IndexRepair] = []
            let incremental = try Self.answers(try vault.index.open { repairs.append($0) })
            #expect(repairs.isEmpty)
            // Sanity: the filings' texts are in it
            #expect(incremental[2].hasPrefix("IMUT-2021-0007 v2 documents/transfer-contract/转让合同.pdf"))
            #expect(incremental[4].hasPrefix("IMAAAHS-2022-0003 v3 documents/ownership-agreement/赋权协议.docx"))
            #expect(incremental[7].hasPrefix("IMAAAHS-2022-0003 v3 documents/publicity-record/旧公示.txt"))
            // When the index is rebuilt from the store alone
            let summary = try vault.index.rebuild()
            #expect(summary.dossiers == 2)
            #expect(summary.documents == 3)
            #expect(summary.unreadable.isEmpty)
            let rebuilt = try Self.answers(try vault.index.open { repairs.append($0) })
            // Then every answer is the same
            #expect(rebuilt == incremental)
            #expect(repairs.isEmpty)
        }
    }

    @Test("a deleted index is rebuilt on the next use, and says so")
    func deletedIndex() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let before = try Self.answers(try vault.index.open { _ in })
            try FileSystem.removeFile(vault.index.indexPath)
            var repairs: [IndexRepair] = []
            let after = try Self.answers(try vault.index.open { repairs.append($0) })
            #expect(repairs == [.missing])
            #expect(after == before)
        }
    }

    @Test("a corrupt index (not a database, or damaged pages) is thrown away and rebuilt")
    func corruptIndex() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let before = try Self.answers(try vault.index.open { _ in })
            // Given an index file overwritten with other bytes
            try FileSystem.replaceFile(vault.index.indexPath, Array(repeating: 0x42, count: 8192))
            var repairs: [IndexRepair] = []
            let after = try Self.answers(try vault.index.open { repairs.append($0) })
            #expect(repairs == [.damaged("file is not a database")])
            #expect(after == before)
        }
    }

    @Test("a rebuild does not rename a new index over one another user has open; a crashed writer's journal goes with the old file")
    func rebuildWaitsForUsers() throws {
        try withTemporaryDirectory { directory in
            var vault = try Self.filedVault(directory)
            vault.lockTimeout = 0.3
            func inode() throws -> Int {
                try #require(try FileManager.default.attributesOfItem(atPath: vault.index.indexPath)[.systemFileNumber] as? Int)
            }
            let before = try Self.answers(try vault.index.open { _ in })
            let original = try inode()
            var user: DossierIndex? = try vault.index.openIndexFile()
            #expect(throws: IndexError.self) { try vault.index.rebuild() }
            #expect(try inode() == original)
            #expect(try FileSystem.contents(of: "\(directory)/Vault").filter { $0.hasPrefix("index.sqlite.rebuild") }.isEmpty)
            // swift-format-ignore: NeverForceUnwrap
            #expect(try Self.answers(user!) == before)
            user = nil

            // A journal a crashed writer left beside the old file would be played back into the new one.
            try FileSystem.replaceFile(vault.index.indexPath + "-journal", Array(repeating: 0x17, count: 4096))
            try vault.index.rebuild()
            #expect(try inode() != original)
            #expect(!FileSystem.exists(vault.index.indexPath + "-journal"))
            #expect(try Self.answers(try vault.index.open { _ in }) == before)
        }
    }

    @Test("a store changed behind the index's back is noticed: changed, new and removed dossiers")
    func staleIndex() throws {
        try withTemporaryDirectory { directory in
            // Given a vault whose filings do NOT update the index (another program, an old dossier)
            var vault = try Self.filedVault(directory)
            _ = try vault.index.open { _ in }
            vault.keepsIndexCurrent = false
            let filing = VaultFiling(vault: vault, directory: directory)
            try writeFile("\(directory)/补充.txt", "补充协议：荞麦")
            try filing.file("IMUT-2021-0007", .conversionPlan, "\(directory)/补充.txt", facts: ["signedOn": "2022-09-01", "parties": ["甲方"]])
            try filing.create("IMUT-2023-0100", title: "向日葵育种方法")
            try FileSystem.removeTree(vault.store.objectRoot(for: DossierID("IMAAAHS-2022-0003")!))
            // When the index is next used
            var repairs: [IndexRepair] = []
            let index = try vault.index.open { repairs.append($0) }
            // Then it says what it updated, and answers from the store's state
            #expect(repairs == [.stale(changed: 1, added: 1, removed: 1)])
            #expect(try index.search(SearchQuery("荞麦")).map(\.path) == ["documents/conversion-plan/补充.txt"])
            #expect(try index.search(SearchQuery("向日葵")).map(\.dossier.rawValue) == ["IMUT-2023-0100"])
            #expect(try index.search(SearchQuery("燕麦")).isEmpty)
            #expect(try index.list().map { "\($0.record.id) \($0.head)" } == ["IMUT-2021-0007 v3", "IMUT-2023-0100 v1"])
        }
    }

    @Test("flags and status come through the enrichment seam and filter")
    func enrichment() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            var rebuilder = vault
            rebuilder.indexEnrichment = { snapshot in
                snapshot.record.unit == "imaaahs" ? IndexEnrichment(status: .pendingReview, flags: [.export, .secret]) : .notValidated
            }
            try rebuilder.index.rebuild()
            let rebuilt = try vault.index.open { _ in }
            #expect(try rebuilt.list(filter: IndexFilter(flag: .export)).map(\.record.id.rawValue) == ["IMAAAHS-2022-0003"])
            // A filtered list carries the selected dossiers' flags, as the whole list does.
            #expect(try rebuilt.list(filter: IndexFilter(kind: .publicityRecord, flag: .secret)).map(\.flags) == [[.export, .secret]])
            #expect(try rebuilt.list().map(\.flags) == [[.export, .secret], []])
            #expect(try rebuilt.list(filter: IndexFilter(status: .notValidated)).map(\.record.id.rawValue) == ["IMUT-2021-0007"])
            #expect(try rebuilt.search(SearchQuery("磁"), filter: IndexFilter(flag: .secret, status: .pendingReview)).map(\.dossier.rawValue) == ["IMAAAHS-2022-0003"])
        }
    }
}
