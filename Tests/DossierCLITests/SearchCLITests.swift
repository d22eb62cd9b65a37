import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("dossier index, search, list, report")
struct SearchCLITests {
    /// A vault with two dossiers and the three fixtures filed through the CLI.
    static func filedVault(_ directory: String) throws -> String {
        let vault = "\(directory)/Vault"
        func run(_ arguments: [String]) throws {
            let outcome = try runDossier(arguments + ["--vault", vault])
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        try run(["init"])
        try run(["new", "IMUT-2021-0007", "--title", "一种风光互补储能系统的控制方法", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "other", "--completer", "王芳:100:representative"])
        try run(["new", "IMAAAHS-2022-0003", "--title", "燕麦抗旱新品种", "--unit", "imaaahs", "--type", "plant-variety", "--grant", "long-term-use", "--funding", "other"])
        for name in ["转让合同.pdf", "赋权协议.docx", "旧公示.txt"] {
            try writeFile("\(directory)/\(name)", try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/index/\(name)"))
        }
        try run(["file", "IMUT-2021-0007", "--kind", "unit-approval", "--incomplete", "\(directory)/旧公示.txt", "--fact", "signedOn=2022-03-01", "--fact", "parties=[\"内蒙古工业大学\"]",
                 "--fact", "decision=approved", "--fact", "approvedOn=2022-03-01"])
        try run(["file", "IMUT-2021-0007", "--kind", "transfer-contract", "--incomplete", "\(directory)/转让合同.pdf", "--fact", "signedOn=2022-05-10", "--fact", "parties=[\"内蒙古工业大学\"]",
                 "--fact", "counterparty.name=某农业科技有限公司", "--fact", "counterparty.kind=non-state", "--fact", "price=1200000"])
        try run(["file", "IMAAAHS-2022-0003", "--kind", "ownership-agreement", "--incomplete", "\(directory)/赋权协议.docx", "--fact", "signedOn=2023-08-01", "--fact", "parties=[\"甲方\"]"])
        return vault
    }

    static func searchJSON(_ vault: String, _ arguments: [String]) throws -> (hits: [JSONValue], stderr: String) {
        let outcome = try runDossier(["search", "--json", "--vault", vault] + arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return (try JSONValue.parse(outcome.stdout).arrayValue ?? [], outcome.stderr)
    }

    @Test("search --json: 1-, 2-, 3+-character and mixed queries, with the hit's fields")
    func search() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            // The first reading command builds the index, which filings had no file to update yet
            let (first, stderr) = try Self.searchJSON(vault, ["薯"])
            #expect(stderr == "dossier: the index was missing; rebuilt it from the store\n")
            #expect(first.count == 1)
            let hit = try #require(first.first)
            #expect(hit["dossier"] == "IMUT-2021-0007")
            #expect(hit["version"] == "v3")
            #expect(hit["path"] == "documents/transfer-contract/转让合同.pdf")
            #expect(hit["kind"] == "transfer-contract")
            #expect(hit["snippet"]?.stringValue?.contains("马铃«薯»脱毒种«薯»") == true)
            #expect((hit["score"]?.numberValue ?? 0) > 0)
            #expect(hit["ranking"] == "bm25")
            // From now on filings update the index in the same command, and nothing is repaired
            #expect(try Self.searchJSON(vault, ["稀土永磁材料"]).hits.map { $0["path"]?.stringValue ?? "" } == ["documents/ownership-agreement/赋权协议.docx"])
            #expect(try Self.searchJSON(vault, ["小麦"]).hits.map { $0["path"]?.stringValue ?? "" } == ["documents/unit-approval/旧公示.txt"])
            #expect(try Self.searchJSON(vault, ["GB18030编码"]).hits.map { $0["path"]?.stringValue ?? "" } == ["documents/transfer-contract/转让合同.pdf"])
            let filtered = try Self.searchJSON(vault, ["非国有", "--kind", "transfer-contract", "--since", "2022-01-01", "--until", "2022-12-31"])
            #expect(filtered.hits.map { $0["dossier"]?.stringValue ?? "" } == ["IMUT-2021-0007"])
            #expect(filtered.stderr.isEmpty)
            #expect(try Self.searchJSON(vault, ["非国有", "--kind", "transfer-contract", "--since", "2023-01-01"]).hits.isEmpty)
            #expect(try Self.searchJSON(vault, ["燕麦", "--unit", "imut"]).hits.isEmpty)
            #expect(try Self.searchJSON(vault, ["燕麦", "--unit", "imaaahs", "--type", "plant-variety", "--status", "not in order"]).hits.count == 2)
            #expect(try Self.searchJSON(vault, ["燕麦", "--unit", "imaaahs", "--type", "plant-variety", "--status", "in order"]).hits.isEmpty)
        }
    }

    @Test("filters take known values: a flag in any case; an unknown flag or status is a usage error, an unknown unit is refused")
    func filterValues() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let opened = try runDossier(["new", "IMUT-2022-0015", "--title", "稀土永磁材料", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "other", "--classification", "secret", "--vault", vault])
            #expect(opened.status == 0, "\(opened.stderr)")
            func list(_ arguments: [String]) throws -> (status: Int32, ids: [String], stderr: String) {
                let outcome = try runDossier(["list", "--json", "--vault", vault] + arguments)
                let ids = (try? JSONValue.parse(outcome.stdout).arrayValue?.compactMap { $0["id"]?.stringValue }) ?? nil
                return (outcome.status, ids ?? [], outcome.stderr)
            }
            // A flag matches whatever its case
            #expect(try list(["--flag", "SECRET"]).ids == ["IMUT-2022-0015"])
            #expect(try list(["--flag", "secret"]).ids == ["IMUT-2022-0015"])
            // And a status too
            let notInOrder = try list(["--status", "not in order"])
            #expect(notInOrder.ids.contains("IMUT-2022-0015"))
            #expect(try list(["--status", "Not In Order"]).ids == notInOrder.ids)
            // An unknown flag or status names the ones there are, exit 64
            let flag = try list(["--flag", "CLASSIFIED"])
            #expect(flag.status == 64)
            #expect(flag.stderr.hasPrefix("Error: --flag: unknown flag \"CLASSIFIED\"; expected one of: SECRET, EXPORT, EXCLUDED, LEADER-EQUITY, ETHICS, OUT-OF-REGION\n"))
            let status = try list(["--status", "ok"])
            #expect(status.status == 64)
            #expect(status.stderr.hasPrefix("Error: --status: unknown status \"ok\"; expected one of: not in order, pending review, needs attention, in order, not validated\n"))
            // A unit the vault does not have is refused, not answered with an empty list
            for command in [["list"], ["search", "燕麦"]] {
                let unit = try runDossier(command + ["--unit", "IMUT", "--vault", vault])
                #expect(unit.status == 2)
                #expect(unit.stderr.hasSuffix("dossier: error: command line: --unit: expected one of this vault's units (imut, imaaahs), got \"IMUT\"\n"))
            }
        }
    }

    @Test("a filing updates the index in the same command")
    func filingUpdatesIndex() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            _ = try runDossier(["index", "--vault", vault])
            try writeFile("\(directory)/补充.txt", "补充协议：荞麦种植。")
            let filed = try runDossier(["file", "IMAAAHS-2022-0003", "--kind", "conversion-plan", "--incomplete", "\(directory)/补充.txt", "--fact", "signedOn=2023-09-01", "--fact", "parties=[\"甲方\"]", "--vault", vault])
            #expect(filed.status == 0)
            #expect(filed.stderr.isEmpty)
            let (hits, stderr) = try Self.searchJSON(vault, ["荞麦"])
            #expect(stderr.isEmpty)
            #expect(hits.map { "\($0["dossier"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "")" } == ["IMAAAHS-2022-0003 v3"])
        }
    }

    @Test("a deleted or corrupted index.sqlite is healed on the next command, with one line on stderr")
    func healing() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let built = try runDossier(["index", "--rebuild", "--vault", vault])
            #expect(built.status == 0)
            #expect(built.stdout.hasPrefix("index rebuilt: 2 dossiers, 3 documents, "))
            try FileSystem.removeFile("\(vault)/index.sqlite")
            let afterDelete = try runDossier(["list", "--vault", vault])
            #expect(afterDelete.status == 0)
            #expect(afterDelete.stderr == "dossier: the index was missing; rebuilt it from the store\n")
            #expect(afterDelete.stdout.split(separator: "\n").count == 2)
            try FileSystem.replaceFile("\(vault)/index.sqlite", Array("this is not a database, it is a note".utf8) + [UInt8](repeating: 0, count: 4096))
            let afterCorruption = try runDossier(["search", "燕麦", "--vault", vault])
            #expect(afterCorruption.status == 0)
            #expect(afterCorruption.stderr == "dossier: the index was damaged (file is not a database); rebuilt it from the store\n")
            #expect(afterCorruption.stdout.contains("«燕麦»"))
            let quiet = try runDossier(["search", "燕麦", "--vault", vault])
            #expect(quiet.stderr.isEmpty)
        }
    }

    @Test("list --json: fields, head, status and flags; filters combine")
    func list() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let outcome = try runDossier(["list", "--json", "--vault", vault, "--kind", "transfer-contract", "--unit", "imut"])
            #expect(outcome.status == 0)
            let dossiers = try JSONValue.parse(outcome.stdout).arrayValue ?? []
            #expect(dossiers.count == 1)
            #expect(dossiers.first?["id"] == "IMUT-2021-0007")
            #expect(dossiers.first?["title"] == "一种风光互补储能系统的控制方法")
            #expect(dossiers.first?["head"] == "v3")
            #expect(dossiers.first?["status"] == "not in order")
            #expect(dossiers.first?["flags"] == .array([]))
            #expect(try runDossier(["list", "--json", "--vault", vault, "--kind", "transfer-contract", "--unit", "imaaahs"]).stdout == "[]\n")
        }
    }

    @Test("report annual: CSV with a byte-order mark to a file, HTML self-contained")
    func report() throws {
        try withTemporaryDirectory { directory in
            let vault = try Self.filedVault(directory)
            let csv = try runDossier(["report", "annual", "--unit", "imut", "--year", "2022", "--format", "csv", "-o", "\(directory)/list.csv", "--vault", vault])
            #expect(csv.status == 0, "\(csv.stderr)")
            let bytes = try FileSystem.readFile("\(directory)/list.csv")
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines[1].hasPrefix("IMUT-2021-0007,一种风光互补储能系统的控制方法,patent 专利权,ownership 所有权,granted 当年赋权,,2022-03-01,"))
            #expect(lines[1].contains(",某农业科技有限公司（非国有）,2022-05-10,1200000,not in order 不合规,,v3"))
            let html = try runDossier(["report", "annual", "--unit", "imut", "--year", "2022", "--format", "html", "--vault", vault])
            #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.stdout.contains("http"))
            let unknown = try runDossier(["report", "annual", "--unit", "nobody", "--year", "2022", "--vault", vault])
            #expect(unknown.status == 2)
            #expect(unknown.stderr == "dossier: error: command line: --unit: expected one of this vault's units (imut, imaaahs), got \"nobody\"\n")
            // And -o in a folder that does not exist names -o, not a temporary file
            let nowhere = try runDossier(["report", "annual", "--unit", "imut", "--year", "2022", "-o", "\(directory)/missing/list.txt", "--vault", vault])
            #expect(nowhere.status == 2)
            #expect(nowhere.stderr == "dossier: error: \(directory)/missing/list.txt: open failed: No such file or directory\n")
        }
    }
}
