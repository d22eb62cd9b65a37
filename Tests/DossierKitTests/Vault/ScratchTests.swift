import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// What a process stopped by Ctrl-C or `kill -9` leaves in the vault (it runs no cleanup) is
/// removed by the next one; what a running process is still writing is not.
@Suite("Scratch left by killed processes")
struct ScratchTests {
    static let dead = "00000000deadbeef"
    static let live = "0000000011ee0000"

    /// Lays out, under `directory`, the leftovers of a killed process (its claim file still in
    /// locks/, unheld) and the scratch of a running one (its claim held), each with `names`.
    static func leftovers(in directory: String, prefix: String, names: [String], locks: String) throws -> FileLock {
        for token in [dead, live] {
            for name in names {
                try writeFile("\(directory)/\(prefix)\(token)\(name)", String(repeating: "未完成的暂存内容", count: 100))
            }
        }
        try writeFile("\(locks)/scratch-\(dead).lock", "pid 1 since 2026-01-01T00:00:00Z\n")
        return try FileLock(path: "\(locks)/scratch-\(live).lock", mode: .exclusive, timeout: 0)
    }

    @Test("a filing removes the staging folders of killed filings and leaves those of running ones")
    func staging() throws {
        try withTemporaryDirectory { directory in
            // Given a vault whose tmp/ holds a killed filing's staging folder, a running one's, and a file of someone else's
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            var running: FileLock? = try Self.leftovers(in: vault.stagingPath, prefix: "filing-", names: ["/content", "/file-1/content"], locks: vault.locksPath)
            try writeFile("\(vault.stagingPath)/notes.txt", "not ours")
            // When a filing runs
            try VaultFiling(vault: vault, directory: directory).create("IMUT-2021-0007", title: "一种风光互补储能系统的控制方法")
            // Then the killed filing's folder and claim are gone; the running one's and the other file stay; the filing left nothing
            #expect(try FileSystem.contents(of: vault.stagingPath) == ["filing-\(Self.live)", "notes.txt"])
            #expect(try FileSystem.contents(of: "\(vault.stagingPath)/filing-\(Self.live)") == ["content", "file-1"])
            #expect(!FileSystem.exists("\(vault.locksPath)/scratch-\(Self.dead).lock"))
            // And once the running filing is gone too, the next filing removes its folder
            #expect(running != nil)
            running = nil
            try VaultFiling(vault: vault, directory: directory).create("IMUT-2021-0008", title: "第二项成果")
            #expect(try FileSystem.contents(of: vault.stagingPath) == ["notes.txt"])
            #expect(try FileSystem.contents(of: vault.locksPath).filter { $0.hasPrefix("scratch-") }.isEmpty)
        }
    }

    @Test("an export removes the partial archive a killed export to the same file left, not a running one's or another file's")
    func exportPartial() throws {
        try withTemporaryDirectory { directory in
            // Given an output folder holding partial archives of out.tar (a killed export's, a running one's) and of another name
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            try vault.installTestSealKey()
            try VaultFiling(vault: vault, directory: directory).create("IMUT-2021-0007", title: "一种风光互补储能系统的控制方法")
            let running = try Self.leftovers(in: "\(directory)/out", prefix: ".out.tar.partial-", names: [""], locks: vault.locksPath)
            try writeFile("\(directory)/out/.other.tar.partial-\(Self.dead)", "another export's")
            // When the dossier is exported to out.tar
            // swift-format-ignore: NeverForceUnwrap
            let request = ExportRequest(id: DossierID("IMUT-2021-0007")!, version: nil, format: .tar, output: "\(directory)/out/out.tar", clearance: nil, reason: nil, user: Agent(name: "审计员", email: "audit@example.org"))
            _ = try vault.exporter.export(request)
            // Then the killed export's partial archive is gone, and nothing else
            #expect(try FileSystem.contents(of: "\(directory)/out") == [".other.tar.partial-\(Self.dead)", ".out.tar.partial-\(Self.live)", "out.tar"])
            withExtendedLifetime(running) {}
        }
    }

    @Test("an index rebuild removes a killed rebuild's file and journal, not a running one's")
    func indexRebuild() throws {
        try withTemporaryDirectory { directory in
            // Given a vault beside a killed rebuild's database and journal, and a running rebuild's
            let vault = try Vault.initialize(at: "\(directory)/Vault")
            try VaultFiling(vault: vault, directory: directory).create("IMUT-2021-0007", title: "一种风光互补储能系统的控制方法")
            let running = try Self.leftovers(in: vault.home, prefix: "index.sqlite.rebuild-", names: ["", "-journal"], locks: vault.locksPath)
            // When the index is rebuilt
            try vault.index.rebuild()
            // Then only the running rebuild's files are left beside the new index
            let home = try FileSystem.contents(of: vault.home).filter { $0.hasPrefix("index.sqlite") }
            #expect(home == ["index.sqlite", "index.sqlite.rebuild-\(Self.live)", "index.sqlite.rebuild-\(Self.live)-journal"])
            withExtendedLifetime(running) {}
        }
    }
}
