@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("the index's findings follow the calendar")
struct IndexJudgingTests {
    /// An enrichment whose one finding names the day it judged by, as the rules' do implicitly.
    static func enricher(_ vault: Vault) -> @Sendable (DossierSnapshot) -> IndexEnrichment {
        let day = vault.clock.today
        return { _ in IndexEnrichment(status: .inOrder, findings: [IndexedFinding(rule: .r19, severity: .info, message: "judged \(day)")]) }
    }

    @Test("on a new day every dossier is judged again, once, and the index says so")
    func rejudgedOnANewDay() throws {
        try withTemporaryDirectory { root in
            // Given an index built on 2026-11-28 (Inner Mongolia time) over two dossiers
            var builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007")
            try builder.create("IMUT-2021-0008")
            builder.vault.clock.now = { Date(timeIntervalSince1970: 1_795_795_200) }  // 2026-11-28T00:00:00+08:00 is 2026-11-27T16:00Z
            var notices: [IndexRepair] = []
            var index = try builder.withEnrichment(Self.enricher(builder.vault)).index.open { notices.append($0) }
            #expect(notices == [.missing])
            #expect(try index.judgment()?.hasPrefix("2026-11-28 nmg-2020 ") == true)
            #expect(try index.list().map { $0.findings.first?.message } == ["judged 2026-11-28", "judged 2026-11-28"])

            // When the same index is opened the next day, with nothing changed in the store
            builder.vault.clock.now = { Date(timeIntervalSince1970: 1_795_795_200 + 86_400) }
            notices = []
            index = try builder.withEnrichment(Self.enricher(builder.vault)).index.open { notices.append($0) }
            // Then both dossiers were judged again as of that day, and that was said once
            #expect(notices == [.rejudged(day: try #require(LocalDate("2026-11-29")), dossiers: 2)])
            #expect(try index.list().map { $0.findings.first?.message } == ["judged 2026-11-29", "judged 2026-11-29"])
            notices = []
            _ = try builder.withEnrichment(Self.enricher(builder.vault)).index.open { notices.append($0) }
            #expect(notices.isEmpty)

            // When the vault gets a profile of its own (the built-in one with R19 turned off)
            let text = try #require(BuiltInProfiles.texts["nmg-2020"])
            try FileSystem.makeDirectories(builder.vault.profilesPath)
            try writeFile("\(builder.vault.profilesPath)/nmg-2020.json", text.replacingOccurrences(of: "\"R19\": {\"name\": \"annual\", \"severity\": \"warning\"", with: "\"R19\": {\"name\": \"annual\", \"severity\": \"off\""))
            // Then the same day, every dossier is judged again
            _ = try builder.withEnrichment(Self.enricher(builder.vault)).index.open { notices.append($0) }
            #expect(notices == [.rejudged(day: try #require(LocalDate("2026-11-29")), dossiers: 2)])
        }
    }
}

extension VaultBuilder {
    /// The builder's vault with the index recording `enrichment` instead of the rules' verdict.
    func withEnrichment(_ enrichment: @escaping @Sendable (DossierSnapshot) -> IndexEnrichment) -> Vault {
        var vault = self.vault
        vault.indexEnrichment = enrichment
        return vault
    }
}
