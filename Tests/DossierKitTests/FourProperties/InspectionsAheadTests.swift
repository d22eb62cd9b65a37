import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// A large filing's papers inspected on the idle core while the filing finishes: the check's
/// report is the same as when it inspects every paper itself.
@Suite("Papers inspected ahead of a filing's check")
struct InspectionsAheadTests {
    static let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")
    static let facts: JSONObject = ["signedOn": "2021-04-20", "parties": ["内蒙古工业大学"]]

    /// 80 papers: text of several encodings, PDFs (one with JavaScript, one encrypted), a PNG named
    /// .pdf and a DOCX, so that U2, U4 and S1 have passes, warnings and failures to report.
    static func papers(in folder: String) throws -> [String] {
        let fixtures = "\(packageRoot)/Tests/Fixtures/four-properties"
        var paths: [String] = []
        for index in 0..<70 {
            let path = "\(folder)/年度报告\(index).txt"
            let text = index % 3 == 0 ? "第\(index)号\r\n转化收入" : "report \(index)\n"
            try writeFile(path, index % 7 == 0 ? Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } : Array(text.utf8))
            paths.append(path)
        }
        for name in ["clean.pdf", "javascript.pdf", "encrypted.pdf", "pdfa.pdf", "plain.docx", "macro.docm", "embedded-xml.pdf"] {
            let path = "\(folder)/\(name)"
            try writeFile(path, try FileSystem.readFile("\(fixtures)/\(name)"))
            paths.append(path)
        }
        // A PNG named .pdf, a Word document named .txt, binary data.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE]
        try writeFile("\(folder)/扫描件.pdf", png)
        try writeFile("\(folder)/misnamed.txt", try FileSystem.readFile("\(fixtures)/plain.docx"))
        try writeFile("\(folder)/data.bin", (0..<512).map { UInt8(($0 * 37) & 0xFF) })
        paths += ["\(folder)/扫描件.pdf", "\(folder)/misnamed.txt", "\(folder)/data.bin"]
        return paths
    }

    @Test("the filing-stage report of 80 papers is the same with the papers inspected ahead as without, and every one was handed over")
    func sameReport() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let record = Self.record("BIG-1")
            _ = try vault.filer.open(record, user: Self.agent, message: nil, source: "test")
            let papers = try Self.papers(in: "\(directory)/papers")

            // When they are filed in one filing, and the inspections ahead are all done
            let result = try vault.filer.file(papers, kind: .annualReport, facts: Self.facts, into: record.id, user: Self.agent, message: nil)
            let ahead = try #require(result.inspectionsAhead)
            ahead.waitUntilDone()
            let now = "2026-12-06T12:00:00+08:00"
            // swift-format-ignore: NeverForceUnwrap
            let options = FourPropertiesOptions(stage: .filing, asOf: LocalDate("2026-12-06")!, checkedAt: now, signatureTime: now)
            var alone = result
            alone.inspectionsAhead = nil
            let inspectedByTheCheck = vault.checkFiling(alone, options: options)
            let inspectedAhead = vault.checkFiling(result, options: options)

            // Then the check took every paper's inspection, and reports exactly what it reports alone
            #expect(ahead.handedOver == papers.count)
            #expect(inspectedAhead.json.serialized() == inspectedByTheCheck.json.serialized())
            // And the report has something to agree on: passes, warnings and failures of U2, U4, S1
            let u2 = inspectedAhead.result(.U2)?.details ?? []
            #expect(u2.count == papers.count)
            #expect(u2.contains { $0.outcome == .failed && $0.reason.hasPrefix("its name says PDF, but its bytes are PNG image") })
            #expect(u2.contains { $0.outcome == .warning })
            #expect(inspectedAhead.result(.U4)?.details.contains { $0.outcome == .failed } == true)
            #expect(inspectedAhead.result(.S1)?.details.contains { $0.outcome == .failed } == true)
        }
    }

    @Test("filed and checked at once, each paper is inspected once in all, as many as the check alone inspects")
    func eachPaperOnce() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let now = "2026-12-06T12:00:00+08:00"
            // swift-format-ignore: NeverForceUnwrap
            let options = FourPropertiesOptions(stage: .filing, asOf: LocalDate("2026-12-06")!, checkedAt: now, signatureTime: now)
            let papers = try Self.papers(in: "\(directory)/papers")
            // When the papers are filed and checked at once (the inspector at work from the commit on)
            let together = Self.record("BIG-1")
            _ = try vault.filer.open(together, user: Self.agent, message: nil, source: "test")
            let both = try WorkMeter.measuring {
                let result = try vault.filer.file(papers, kind: .annualReport, facts: Self.facts, into: together.id, user: Self.agent, message: nil)
                #expect(result.inspectionsAhead != nil)
                _ = vault.checkFiling(result, options: options)
            }
            // And, into another dossier, filed, the inspector stopped, and then checked alone
            let apart = Self.record("BIG-2")
            _ = try vault.filer.open(apart, user: Self.agent, message: nil, source: "test")
            var result = try vault.filer.file(papers, kind: .annualReport, facts: Self.facts, into: apart.id, user: Self.agent, message: nil)
            result.inspectionsAhead?.stop()
            result.inspectionsAhead = nil
            let alone = WorkMeter.measuring { _ = vault.checkFiling(result, options: options) }
            // Then the filing and its check inspected each paper exactly once, by one or the other
            #expect(alone[.paperInspected] == papers.count)
            #expect(both[.paperInspected] == papers.count)
        }
    }

    @Test("a small filing, and a classified dossier's papers, are left to the check")
    func smallAndClassifiedLeftAlone() throws {
        try withTemporaryDirectory { directory in
            let officer = try TestIdentity(at: "\(directory)/keys/officer.key")
            let vault = try Vault.initialize(at: "\(directory)/Vault").clearing("保密办公室", .topSecret, officer)
            let papers = try Self.papers(in: "\(directory)/papers")
            let small = Self.record("SMALL-1")
            _ = try vault.filer.open(small, user: Self.agent, message: nil, source: "test")
            let few = try vault.filer.file(Array(papers.prefix(InspectionsAhead.worthwhile - 1)), kind: .annualReport, facts: Self.facts, into: small.id, user: Self.agent, message: nil)
            #expect(few.inspectionsAhead == nil)
            var secret = Self.record("SECRET-1")
            secret.classification = .secret
            // swift-format-ignore: NeverForceUnwrap
            secret.secrecy = Secrecy(level: .secret, until: LocalDate("2031-12-31"), readers: ["保密办公室"])
            _ = try vault.filer.open(secret, user: Self.agent, message: nil, source: "test")
            let classified = try vault.filer.file(papers, kind: .annualReport, facts: Self.facts, into: secret.id, user: Self.agent, message: nil)
            #expect(classified.documents.count == papers.count)
            #expect(classified.inspectionsAhead == nil)
        }
    }

    static func record(_ id: String) -> DossierRecord {
        // swift-format-ignore: NeverForceUnwrap
        DossierRecord(
            id: DossierID(id)!, title: "八十份文件", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            completers: [Completer(name: "王芳", share: 100, representative: true)])
    }
}
