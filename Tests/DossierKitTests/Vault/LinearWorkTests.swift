@testable import DossierKit
import DossierModel
import Foundation
import Synchronization
import Testing
import _DossierTestSupport

/// One dossier of 20,000 documents filed, filed into once more, indexed and verified: the work
/// each step does, counted by ``WorkMeter``, stays within a constant times the dossier's size.
/// A step that looks every paper up by scanning the record, or decodes the record or inventory
/// again per paper, counts hundreds of millions of steps here and fails at once; timing it
/// would only say "slow".
@Suite("Work linear in a dossier's size", .serialized)
struct LinearWorkTests {
    static let documents = 20_000
    /// Steps allowed per document for each whole operation. Filing one more page decodes the
    /// head inventory (state, manifest, fixity: three paths per document) a few times — the
    /// snapshot before and after the commit (once each: the store keeps what it decoded last),
    /// the checks' own reading of the new inventory and the one before it; a quadratic step
    /// would count thousands a document here.
    static let stepsPerDocument = 40
    static let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")
    /// The facts of every annual report filed here.
    static let facts: JSONObject = ["signedOn": "2021-04-20", "parties": ["内蒙古工业大学", "王芳团队"]]

    /// A new dossier's record, one completer.
    static func record(_ id: String, title: String) -> DossierRecord {
        // swift-format-ignore: NeverForceUnwrap
        DossierRecord(
            id: DossierID(id)!, title: title, unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            completers: [Completer(name: "王芳", share: 100, representative: true)])
    }

    /// The steps `body` counted, by kind (not those of tests running alongside).
    static func counted(_ body: () throws -> Void) rethrows -> [WorkMeter.Step: Int] {
        try WorkMeter.measuring(body)
    }

    static func expectLinear(_ counts: [WorkMeter.Step: Int], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let limit = stepsPerDocument * documents
        for step in WorkMeter.Step.allCases {
            let count = counts[step] ?? 0
            #expect(count <= limit, "\(what): \(count) steps of \(step) for \(documents) documents (at most \(limit))", sourceLocation: sourceLocation)
        }
    }

    @Test("filing, filing once more, indexing and verifying a dossier of 20,000 documents count linear work")
    func twentyThousandDocuments() throws {
        try withTemporaryDirectory { directory in
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let record = Self.record("BIG-1", title: "二万份文件的卷宗")
            let id = record.id
            let facts = Self.facts

            // When 20,000 documents are filed in one filing
            let filing = try Self.counted {
                try vault.withStaging { staging in
                    var incoming: [IncomingDocument] = []
                    incoming.reserveCapacity(Self.documents)
                    for index in 0..<Self.documents {
                        let path = "\(staging)/source-\(index)"
                        try writeFile(path, "第\(index)号文件：成果转化年度报告\n")
                        incoming.append(try vault.incomingDocument(
                            fileAt: path, kind: .annualReport, fileName: "文件\(index).txt", facts: facts, creating: record, into: staging))
                    }
                    _ = try vault.apply(DossierChange(target: .create(record), documents: incoming, user: Self.agent, source: "test"), to: id, staging: staging)
                }
            }
            // And one more page is filed into it (the head record and inventory read and rewritten)
            let page = "\(directory)/one-more.txt"
            try writeFile(page, "又一页\n")
            let oneMore = try Self.counted { try Self.fileAndCheck(page, into: id, facts: facts, vault: vault) }
            // And the index is rebuilt, and the store verified
            let indexing = try Self.counted { _ = try vault.index.rebuild() }
            var report: VerificationReport?
            let verifying = try Self.counted { report = try vault.verify([id]) }

            // Then the dossier holds every document, and each step's work is linear
            let snapshot = try vault.store.snapshot(of: id)
            #expect(snapshot.record.documents.count == Self.documents + 1)
            #expect(report?.isValid == true, "\(report?.findings.prefix(3).map(\.description) ?? [])")
            Self.expectLinear(filing, "filing 20,000 documents")
            Self.expectLinear(oneMore, "filing one more page")
            Self.expectLinear(indexing, "index --rebuild")
            Self.expectLinear(verifying, "verify")
            // And the meter does count: each step decoded or encoded the record's documents
            #expect((oneMore[.documentDecoded] ?? 0) >= Self.documents)
            #expect((oneMore[.documentEncoded] ?? 0) >= Self.documents)
            #expect((verifying[.inventoryPathDecoded] ?? 0) >= Self.documents)
        }
    }

    /// One page filed as `dossier file` files it: the new version, then the filing-stage
    /// four-properties check of that version.
    static func fileAndCheck(_ page: String, into id: DossierID, facts: JSONObject, vault: Vault) throws {
        let result = try vault.filer.file([page], kind: .annualReport, facts: facts, into: id, user: agent, message: nil)
        let now = "2026-12-06T12:00:00+08:00"
        // swift-format-ignore: NeverForceUnwrap
        let report = vault.checkFiling(result, options: FourPropertiesOptions(stage: .filing, asOf: LocalDate("2026-12-06")!, checkedAt: now, signatureTime: now))
        #expect(report.result(.A1)?.outcome == .passed, "\(report.items.map(\.summary))")
    }

    @Test("filing one page into a dossier of 60 versions reads each inventory a few times, not every older one")
    func manyVersions() throws {
        try withTemporaryDirectory { directory in
            // Given a dossier of 60 versions of one page each (each inventory lists every version
            // before it: some 2,000 paths in the 60th)
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            let record = Self.record("MANY-1", title: "多版本卷宗")
            let id = record.id
            let facts = Self.facts
            try vault.withStaging { staging in
                _ = try vault.apply(DossierChange(target: .create(record), user: Self.agent, source: "test"), to: id, staging: staging)
            }
            for number in 2...60 {
                let page = "\(directory)/page-\(number).txt"
                try writeFile(page, "第\(number)页\n")
                _ = try vault.filer.file([page], kind: .annualReport, facts: facts, into: id, user: Self.agent, message: nil)
            }
            // (one inventory decoded by a store opened anew: the vault's own keeps what it decoded last)
            let inventory = try Self.counted { _ = try StorageRoot.open(at: vault.store.path).snapshot(of: id) }[.inventoryPathDecoded] ?? 0

            // When one more page is filed and checked, by a vault opened anew as a command opens it
            let page = "\(directory)/page-61.txt"
            try writeFile(page, "第61页\n")
            let command = try Vault.open(at: "\(directory)/Vault")
            let oneMore = try Self.counted { try Self.fileAndCheck(page, into: id, facts: facts, vault: command) }

            // Then the inventory paths decoded are a few times one inventory's (8 today), where
            // reading every older inventory as well is some 27 times (the 60 inventories' sizes
            // add up to about a third of 60 times the last one's)
            let decoded = oneMore[.inventoryPathDecoded] ?? 0
            #expect(inventory > 1_800)
            #expect(decoded >= inventory)
            #expect(decoded <= 12 * inventory, "\(decoded) inventory paths decoded; one inventory has \(inventory)")
            // And verify still reads every older inventory
            let verifying = try Self.counted { _ = try vault.verify([id]) }
            #expect((verifying[.inventoryPathDecoded] ?? 0) > 15 * inventory)
        }
    }

    @Test("the meter tells a quadratic loop from a linear one")
    func meterSeesQuadraticWork() throws {
        // Given a record of 2,000 documents
        // swift-format-ignore: NeverForceUnwrap
        var record = DossierRecord(id: DossierID("SMALL-1")!, title: "小卷宗", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership)
        let digest = try Hasher.digest(.sha512, of: Array("x".utf8))
        for index in 0..<2_000 {
            record.documents.append(DocumentEntry(
                path: "documents/annual-report/\(index).txt", kind: .annualReport, sha512: digest, size: 1, mediaType: "text/plain",
                filedAt: "2024-01-01T00:00:00Z", filedBy: "test", facts: [:]))
        }
        // When every document is looked up by scanning, and then through a dictionary
        let scanning = Self.counted { for entry in record.documents { _ = record.document(at: entry.path) } }
        let positions = Dictionary(uniqueKeysWithValues: record.documents.enumerated().map { ($1.path, $0) })
        let lookingUp = Self.counted { for entry in record.documents { _ = positions[entry.path] } }
        // Then the scans count n(n+1)/2 steps, the dictionary none
        #expect(scanning[.documentScanned] == 2_000 * 2_001 / 2)
        #expect(lookingUp[.documentScanned] == 0)
    }

    @Test("a measurement counts its own work, on the worker threads it hands work to, and not the work running beside it")
    func meterCountsOnlyItsOwnWork() throws {
        // Given another thread counting steps all the while, outside any measurement
        let running = Atomic<Bool>(true)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.signal()
            while running.load(ordering: .relaxed) { WorkMeter.count(.documentScanned, 7) }
            finished.signal()
        }
        started.wait()
        // When a measurement counts 1,000 steps on two worker threads
        let counts = try WorkMeter.measuring {
            try orderedParallelMap(count: 1_000, workers: 2, window: 16, produce: { _ in WorkMeter.count(.documentScanned) }) { _, _ in }
        }
        running.store(false, ordering: .relaxed)
        finished.wait()
        // Then it holds exactly those
        #expect(counts[.documentScanned] == 1_000)
    }
}
