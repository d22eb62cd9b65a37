import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Mending visibly (amend, move, edit: each a new version), the history field by field (log,
/// log --json, diff), and bundles from Chinese Windows (GBK member names, UTF-16 and GBK filing.json).
@Suite("Mending, history and Chinese Windows bundles through the CLI")
struct MendingCLITests {
    /// The fixture vault with one publicity record filed at v2 (signedOn 2021-03-01).
    static func withFiled(_ body: (CLIVault) throws -> Void) throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/公示.txt", "公示")
            try expectSuccess(vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "单位内公示记录", "\(root)/公示.txt", "--fact", "签署日期=2021年3月1日", "--fact", "parties=内蒙古工业大学",
                "--fact", "startsOn=2021/3/1", "--fact", "endsOn=2021.3.16", "--fact", "objections=无",
            ]))
            try body(vault)
        }
    }

    static func json(_ outcome: ProcessOutcome) throws -> JSONValue { try JSONValue.parse(outcome.stdout) }

    @Test("amend merges a fact into the recorded ones as a new version; log and log --json show the change")
    func amend() throws {
        try Self.withFiled { vault in
            let amended = try expectSuccess(vault.dossier(["amend", "IMUT-2021-0007", "公示.txt", "--fact", "signedOn=2021年3月2日", "--message", "更正日期"]))
            #expect(amended.stdout.hasPrefix("IMUT-2021-0007 v3: amended documents/publicity-record/公示.txt\n  documents/publicity-record/公示.txt:\n    signedOn 2021-03-01 → 2021-03-02\n"), "\(amended.stdout)")
            let show = try Self.json(vault.dossier(["show", "IMUT-2021-0007", "--json"]))
            let facts = show["record"]?["documents"]?.arrayValue?.first?["facts"]
            #expect(facts?["signedOn"]?.stringValue == "2021-03-02")
            #expect(facts?["endsOn"]?.stringValue == "2021-03-16")  // the other facts are kept
            let log = try vault.dossier(["log", "IMUT-2021-0007"])
            #expect(log.stdout.contains("更正日期\n    documents/publicity-record/公示.txt:\n      signedOn 2021-03-01 → 2021-03-02"), "\(log.stdout)")
            let entries = try Self.json(vault.dossier(["log", "IMUT-2021-0007", "--json"])).arrayValue ?? []
            let v3 = try #require(entries.first { $0["version"]?.stringValue == "v3" })
            let change = v3["factChanges"]?.arrayValue?.first
            #expect(change?["fact"]?.stringValue == "signedOn" && change?["from"]?.stringValue == "2021-03-01" && change?["to"]?.stringValue == "2021-03-02")
            // A value that is not a date is refused, and nothing changes.
            let refused = try vault.dossier(["amend", "IMUT-2021-0007", "公示.txt", "--fact", "signedOn=3/2/2021"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("\"3/2/2021\" is ambiguous"), "\(refused.stderr)")
            #expect(try Self.json(vault.dossier(["show", "IMUT-2021-0007", "--json"]))["version"]?.stringValue == "v3")
        }
    }

    @Test("move files a document under another kind, edit changes record fields; diff shows every change between two versions")
    func moveEditDiff() throws {
        try Self.withFiled { vault in
            let moved = try expectSuccess(vault.dossier(["move", "IMUT-2021-0007", "公示.txt", "--kind", "pricing-publicity", "--drop", "objections", "--message", "误归类"]))
            #expect(moved.stdout.hasPrefix("IMUT-2021-0007 v3: moved documents/publicity-record/公示.txt to pricing-publicity 协议定价公示"), "\(moved.stdout)")
            try expectSuccess(vault.dossier(["edit", "IMUT-2021-0007", "--title", "一种储能系统的控制方法", "--type", "计算机软件著作权"]))
            let diff = try expectSuccess(vault.dossier(["diff", "IMUT-2021-0007", "v2", "v4", "--json"]))
            let object = try Self.json(diff)
            #expect(object["renamed"]?.arrayValue?.first?["from"]?.stringValue == "documents/publicity-record/公示.txt")
            #expect(object["renamed"]?.arrayValue?.first?["to"]?.stringValue == "documents/pricing-publicity/公示.txt")
            let fields = object["fieldChanges"]?.arrayValue ?? []
            #expect(Set(fields.compactMap { $0["field"]?.stringValue }) == ["title", "type"])
            #expect(fields.first { $0["field"]?.stringValue == "title" }?["to"]?.stringValue == "一种储能系统的控制方法")
            let text = try expectSuccess(vault.dossier(["diff", "IMUT-2021-0007", "v2", "v4"]))
            #expect(text.stdout.contains("record title: 一种风光互补储能系统的控制方法 → 一种储能系统的控制方法"), "\(text.stdout)")
            // The old names still answer: show --version vN, as scripts use it.
            let old = try Self.json(vault.dossier(["show", "IMUT-2021-0007", "--version", "v2", "--json"]))
            #expect(old["record"]?["title"]?.stringValue == "一种风光互补储能系统的控制方法")
            let at = try Self.json(vault.dossier(["show", "IMUT-2021-0007", "--at", "v2", "--json"]))
            #expect(at == old)
            // An unknown kind is refused with did you mean.
            let refused = try vault.dossier(["move", "IMUT-2021-0007", "公示.txt", "--kind", "publicity-recrod"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("did you mean publicity-record 单位内公示记录?"), "\(refused.stderr)")
        }
    }

    @Test("a zip from Chinese Windows: GBK member names are read as such when filing.json names them, with a warning")
    func gbkZip() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            // 公示.txt in GBK (b9 ab ca be), no UTF-8 flag.
            try craftArchive("\(root)/bundle.zip", format: "zip", entries: [
                .file("filing.json", publicityFiling(["公示.txt"])), CraftedEntry(nameHex: "b9abcabe2e747874", data: "GBK 公示"),
            ])
            let filed = try expectSuccess(vault.dossier(["file", "\(root)/bundle.zip"]))
            #expect(filed.stderr.contains("not UTF-8 and read as GB18030"), "\(filed.stderr)")
            let show = try Self.json(vault.dossier(["show", "IMUT-2021-0007", "--json"]))
            #expect(show["record"]?["documents"]?.arrayValue?.first?["path"]?.stringValue == "documents/publicity-record/公示.txt")
        }
    }

    @Test("a UTF-16 filing.json is read with a warning naming the encoding; a GBK one is refused with a hint, in both languages")
    func filingJSONEncodings() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let filing = publicityFiling(["公示.txt"])
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in filing.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try writeFile("\(root)/a/filing.json", utf16)
            try writeFile("\(root)/a/公示.txt", "公示")
            let read = try expectSuccess(vault.dossier(["file", "\(root)/a"]))
            #expect(read.stderr.contains("UTF-16"), "\(read.stderr)")

            try writeFile("\(root)/b/filing.json", try Self.gbkBytes(filing))
            try writeFile("\(root)/b/公示.txt", "公示二")
            let refused = try vault.dossier(["file", "\(root)/b"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("UTF-8"), "\(refused.stderr)")
            let chinese = try runDossier(["file", "\(root)/b", "--vault", vault.vault], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
            #expect(chinese.status == 2)
            #expect(chinese.stderr.hasPrefix("dossier: 错误: "), "\(chinese.stderr)")
            #expect(chinese.stderr.contains("UTF-8"))
        }
    }

    static func gbkBytes(_ text: String) throws -> [UInt8] {
        try withTemporaryDirectory { root in
            try writeFile("\(root)/in.txt", text)
            let outcome = try runProgram("/usr/bin/iconv", ["-f", "UTF-8", "-t", "GBK", "-o", "\(root)/out.txt", "\(root)/in.txt"])
            guard outcome.status == 0 else { throw CraftError(message: outcome.stderr) }
            return try FileSystem.readFile("\(root)/out.txt")
        }
    }
}
