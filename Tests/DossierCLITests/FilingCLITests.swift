import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("filing and reading through the CLI")
struct FilingCLITests {
    @Test("a bundle in every container files the same version; show, log and get agree", arguments: ["folder", "tar", "tar.gz", "zip"])
    func bundleContainers(container: String) throws {
        try withTemporaryDirectory { root in
            // Given a vault and a bundle with two papers, one in a sub-folder
            let vault = try CLIVault(in: root)
            let filing = #"""
                {"dossier": "IMUT-2021-0007", "message": "签署赋权协议", "filedBy": {"name": "张律师", "address": "legal@imut.edu.cn"},
                 "update": {"ethicsSensitive": true, "completers": [{"name": "王芳", "share": 70, "representative": true}, {"name": "李强", "share": 30}]},
                 "documents": [
                   {"kind": "ownership-agreement", "file": "赋权协议.pdf", "facts": {"signedOn": "2021-04-20", "parties": ["内蒙古工业大学", "王芳团队"], "unitShare": 30, "teamShare": 70, "clauses": ["revenue-split", "decision-mechanism", "cost-sharing", "maintenance-fees"]}},
                   {"kind": "publicity-record", "file": "扫描件/公示.pdf", "facts": {"signedOn": "2021-03-16", "parties": ["内蒙古工业大学"], "startsOn": "2021-03-01", "endsOn": "2021-03-16", "objections": "none"}}
                 ]}
                """#
            let files = ["赋权协议.pdf": "%PDF 赋权协议 正文", "扫描件/公示.pdf": "%PDF 公示 正文"]
            let bundle: String
            if container == "folder" {
                try makeBundleFolder("\(root)/bundle", filing: filing, files: files)
                bundle = "\(root)/bundle"
            } else {
                bundle = "\(root)/bundle.\(container)"
                // Members under one top folder, as zipping a folder produces
                try craftArchive(bundle, format: container, entries: [.file("包/filing.json", filing)] + files.sorted { $0.key < $1.key }.map { .file("包/\($0.key)", $0.value) })
            }
            // When it is filed
            let filed = try vault.dossier(["file", bundle])
            #expect(filed.status == 0, "\(filed.stderr)")
            #expect(filed.stdout.split(separator: "\n").first == "IMUT-2021-0007 v2: filed 2 documents; stored 2 new files (42 bytes)")
            // and what the dossier still lacks follows, as validate would say it
            #expect(filed.stdout.contains("  still to do ("))

            // Then show --json has the record and both documents with their facts
            let shown = try JSONValue.parse(try vault.dossier(["show", "IMUT-2021-0007", "--json"]).stdout)
            #expect(shown["version"] == "v2")
            #expect(shown["record"]?["ethicsSensitive"] == true)
            #expect(shown["record"]?["completers"]?.arrayValue?.first?["share"] == 70)
            let documents = try #require(shown["record"]?["documents"]?.arrayValue)
            #expect(documents.compactMap { $0["path"]?.stringValue } == ["documents/ownership-agreement/赋权协议.pdf", "documents/publicity-record/公示.pdf"])
            #expect(documents[0]["facts"]?["unitShare"] == 30)
            #expect(documents[0]["filedBy"] == "张律师")
            #expect(documents[1]["mediaType"] == "application/pdf")

            // And log names who, why and what changed
            let log = try JSONValue.parse(try vault.dossier(["log", "IMUT-2021-0007", "--json"]).stdout)
            let v2 = try #require(log.arrayValue?.last)
            #expect(v2["version"] == "v2")
            #expect(v2["message"] == "签署赋权协议")
            #expect(v2["user"] == ["name": "张律师", "address": "mailto:legal@imut.edu.cn"])
            #expect(v2["added"] == ["documents/ownership-agreement/赋权协议.pdf", "documents/publicity-record/公示.pdf"])
            #expect(v2["recordChanges"] == ["ethicsSensitive", "completers"])

            // And get returns the bytes exactly, to stdout and to a file
            let got = try vault.dossier(["get", "IMUT-2021-0007", "documents/publicity-record/公示.pdf"])
            #expect(got.stdoutBytes == Array("%PDF 公示 正文".utf8))
            #expect(try vault.dossier(["get", "IMUT-2021-0007", "documents/ownership-agreement/赋权协议.pdf", "-o", "\(root)/out.pdf"]).status == 0)
            #expect(try readText("\(root)/out.pdf") == "%PDF 赋权协议 正文")
        }
    }

    @Test("get of an earlier version returns that version's bytes; text show names the kind in Chinese")
    func earlierVersionsAndText() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/first/公示.txt", "第一版")
            try writeFile("\(root)/second/公示.txt", "更正版")
            let facts = ["--fact", "signedOn=2021-03-16", "--fact", #"parties=["内蒙古工业大学"]"#]
            expectSuccess(try vault.dossier(["file", "IMUT-2021-0007", "--kind", "publicity-record", "--incomplete", "\(root)/first/公示.txt"] + facts))
            expectSuccess(try vault.dossier(["file", "IMUT-2021-0007", "--kind", "publicity-record", "--incomplete", "\(root)/second/公示.txt"] + facts + ["--message", "更正"]))
            let path = "documents/publicity-record/公示.txt"
            #expect(try vault.dossier(["get", "IMUT-2021-0007", path, "--version", "v2"]).stdout == "第一版")
            #expect(try vault.dossier(["get", "IMUT-2021-0007", path]).stdout == "更正版")
            let text = try vault.dossier(["show", "IMUT-2021-0007"]).stdout
            #expect(text.contains("publicity-record 单位内公示记录"))
            #expect(text.contains("IMUT-2021-0007  v3  一种风光互补储能系统的控制方法"))
            let log = try vault.dossier(["log", "IMUT-2021-0007"]).stdout
            #expect(log.contains("    ~ documents/publicity-record/公示.txt"))
            let missing = try vault.dossier(["get", "IMUT-2021-0007", path, "--version", "v9"])
            #expect(missing.status == 2)
            #expect(missing.errorLines == ["dossier: error: IMUT-2021-0007: no version v9; versions are v1 to v3"])
        }
    }

    @Test("get refuses to hand out bytes that no longer match their digest, and leaves no output file")
    func corruptContent() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/公示.txt", "原始内容")
            expectSuccess(try vault.dossier(["file", "IMUT-2021-0007", "--kind", "publicity-record", "--incomplete", "\(root)/公示.txt", "--fact", "signedOn=2021-03-16", "--fact", #"parties=["x"]"#]))
            // Given a content file altered behind the vault's back
            let store = try StorageRoot.open(at: vault.store)
            let id = try #require(DossierID("IMUT-2021-0007"))
            let content = "\(store.objectRoot(for: id))/v2/content/documents/publicity-record/公示.txt"
            try writeFile(content, "篡改内容")
            // When it is fetched to a file
            let outcome = try vault.dossier(["get", "IMUT-2021-0007", "documents/publicity-record/公示.txt", "-o", "\(root)/out.txt"])
            // Then the check fails (exit 1), names the file and version, and writes nothing
            #expect(outcome.status == 1)
            #expect(outcome.errorLines.count == 1)
            #expect(outcome.errorLines.first?.hasPrefix("dossier: error: IMUT-2021-0007 v2 documents/publicity-record/公示.txt is corrupt: expected sha512 ") == true)
            #expect(!FileSystem.exists("\(root)/out.txt"))
            #expect(try FileSystem.contents(of: root).filter { $0.contains("partial") }.isEmpty)
        }
    }

    @Test("four processes filing 25 times each to one dossier end with v1…v100, none lost")
    func concurrentFilers() throws {
        try withTemporaryDirectory { root in
            // Given a vault, and four filers that each run `dossier` 25 times; the first one opens the dossier
            let vault = "\(root)/Vault"
            expectSuccess(try runDossier(["init", "--vault", vault]))
            for process in 0..<4 {
                for round in 0..<25 { try writeFile("\(root)/p\(process)/文件-\(process)-\(round).txt", "进程\(process) 第\(round)次") }
            }
            let facts = #"--fact signedOn=2021-03-01 --fact 'parties=["内蒙古工业大学"]'"#
            func script(_ process: Int) -> String {
                var lines = ["set -e"]
                for round in 0..<25 {
                    if process == 0, round == 0 {
                        lines.append(#""$DOSSIER" new IMUT-2021-0100 --title 并发测试 --unit imut --type patent --grant ownership --funding other"#)
                    } else {
                        lines.append(#""$DOSSIER" file IMUT-2021-0100 --kind grant-application "\#(root)/p\#(process)/文件-\#(process)-\#(round).txt" \#(facts) --message "进程\#(process) 第\#(round)次""#)
                    }
                }
                return lines.joined(separator: "\n")
            }
            let scripts = (0..<4).map(script)
            let environment = ["DOSSIER": dossierBinary, "DOSSIER_VAULT": vault, "DOSSIER_USER": "并发", "DOSSIER_EMAIL": "p@example.org"]
            // When the first filer has opened the dossier and all four then run at once
            let outcomes = ResultBox()
            let first = Thread { outcomes.append((try? runProgram("/bin/bash", ["-c", scripts[0]], environment: environment))?.status ?? -1) }
            first.start()
            var waited = 0
            while !(try runDossier(["show", "IMUT-2021-0100", "--vault", vault]).status == 0), waited < 600 {
                usleep(50_000)
                waited += 1
            }
            let others = (1..<4).map { process in
                Thread { outcomes.append((try? runProgram("/bin/bash", ["-c", scripts[process]], environment: environment))?.status ?? -1) }
            }
            others.forEach { $0.start() }
            while outcomes.count < 4 { usleep(50_000) }
            // Then every filing became its own version: v1…v100, in order, none lost
            #expect(outcomes.values == [0, 0, 0, 0])
            let log = try JSONValue.parse(try runDossier(["log", "IMUT-2021-0100", "--json", "--vault", vault]).stdout)
            let versions = try #require(log.arrayValue)
            #expect(versions.compactMap { $0["version"]?.stringValue } == (1...100).map { "v\($0)" })
            let messages = Set(versions.compactMap { $0["message"]?.stringValue })
            for process in 0..<4 {
                for round in (process == 0 ? 1 : 0)..<25 { #expect(messages.contains("进程\(process) 第\(round)次")) }
            }
            let shown = try JSONValue.parse(try runDossier(["show", "IMUT-2021-0100", "--json", "--vault", vault]).stdout)
            #expect(shown["record"]?["documents"]?.arrayValue?.count == 99)
            // And the audit log, appended to by all four, holds one filing line per version, its chain intact
            let audit = try runDossier(["audit", "verify", "--vault", vault])
            #expect(audit.status == 0, "\(audit.stdout)")
            let lines = try JSONValue.parse(try runDossier(["audit", "--json", "--vault", vault]).stdout).arrayValue ?? []
            #expect(lines.filter { $0["action"] == "filing" }.compactMap { $0["version"]?.stringValue }.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count } == (1...100).map { "v\($0)" })
            let validation = try runOCFLValidate([try StorageRoot.open(at: "\(vault)/store").objectRoot(for: try #require(DossierID("IMUT-2021-0100")))])
            #expect(validation.status == 0)
            #expect(!validation.stdout.contains("[E") && !validation.stdout.contains("[W"))
        }
    }

    @Test("filings, searches and index rebuilds at once leave an index that answers as a fresh rebuild does")
    func filingWhileRebuilding() throws {
        try withTemporaryDirectory { root in
            // Given a vault with two dossiers and an index
            let vault = "\(root)/Vault"
            let environment = ["DOSSIER": dossierBinary, "DOSSIER_VAULT": vault, "DOSSIER_USER": "并发", "DOSSIER_EMAIL": "p@example.org"]
            expectSuccess(try runDossier(["init", "--vault", vault]))
            for id in ["IMUT-2021-0101", "IMUT-2021-0102"] {
                expectSuccess(try runDossier(["new", id, "--title", "并发索引", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "other"], environment: environment))
            }
            expectSuccess(try runDossier(["index"], environment: environment))
            let facts = #"--fact signedOn=2021-03-01 --fact 'parties=["内蒙古工业大学"]'"#
            var scripts: [String] = []
            for (number, id) in ["IMUT-2021-0101", "IMUT-2021-0102"].enumerated() {
                var lines = ["set -e"]
                for round in 0..<15 {
                    let file = "\(root)/f\(number)/申请-\(round).txt"
                    try writeFile(file, "第\(number)组第\(round)份申请：荞麦与燕麦的轮作方法。")
                    lines.append(#""$DOSSIER" file \#(id) --kind grant-application "\#(file)" \#(facts) > /dev/null"#)
                }
                scripts.append(lines.joined(separator: "\n"))
            }
            scripts.append((["set -e"] + (0..<4).flatMap { _ in [#""$DOSSIER" index --rebuild > /dev/null"#, #""$DOSSIER" search 荞麦 > /dev/null"#] }).joined(separator: "\n"))
            // When two filers and a rebuilder run at once
            let outcomes = ResultBox()
            let threads = scripts.enumerated().map { number, script in
                Thread { outcomes.append((try? runProgram("/bin/bash", ["-c", "\(script) 2> \(root)/stderr-\(number).txt"], environment: environment))?.status ?? -1) }
            }
            threads.forEach { $0.start() }
            while outcomes.count < scripts.count { usleep(50_000) }
            let errors = try (0..<scripts.count).map { String(decoding: try FileSystem.readFile("\(root)/stderr-\($0).txt"), as: UTF8.self) }
            #expect(outcomes.values == [0, 0, 0], "\(errors)")
            // Then the index passes SQLite's integrity check and answers as one rebuilt afterwards
            let checked = try runDossier(["index", "--check"], environment: environment)
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            func answers() throws -> [String] {
                let hits = try JSONValue.parse(try runDossier(["search", "荞麦", "--json", "--limit", "100"], environment: environment).stdout).arrayValue ?? []
                let listed = try JSONValue.parse(try runDossier(["list", "--json"], environment: environment).stdout).arrayValue ?? []
                return hits.map { "\($0["dossier"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "")" }.sorted()
                    + listed.map { "\($0["id"]?.stringValue ?? "") \($0["head"]?.stringValue ?? "")" }
            }
            let kept = try answers()
            #expect(kept.count == 32)
            expectSuccess(try runDossier(["index", "--rebuild"], environment: environment))
            #expect(try answers() == kept)
        }
    }

    @Test("filing a 2 GiB document keeps memory flat: peak resident memory under 100 MiB")
    func memoryStaysFlat() throws {
        try withTemporaryDirectory { root in
            // Given a 2 GiB document (sparse on disk, but read in full like any file)
            let vault = try CLIVault(in: root)
            let big = "\(root)/扫描件.tif"
            let descriptor = try FileDescriptor.open(big, .createNew)
            #expect(ftruncate(descriptor.rawValue, 2 << 30) == 0)
            try descriptor.write(Array("II*\0 大文件的最后一页".utf8))
            try descriptor.close()
            // When it is filed, measured by scripts/measure.py: a child forked from that small
            // process, because a child spawned from this test process would inherit the test
            // process's own peak memory in its rusage (Linux carries the high-water mark over exec).
            let outcome = try runProgram("/usr/bin/env", [
                "python3", "\(packageRoot)/scripts/measure.py", "1", "filing", "--",
                dossierBinary, "file", "IMUT-2021-0007", "--vault", vault.vault, "--kind", "ownership-change-record", "--incomplete", big,
                "--fact", "issuedOn=2021-05-01", "--fact", #"parties=["国家知识产权局"]"#,
            ], environment: ["DOSSIER_USER": "测试员", "DOSSIER_EMAIL": "t@example.org"])
            // Then it succeeded and the process never held more than 100 MiB
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let fields = outcome.stdout.split(separator: " ")
            let peakKiB = try #require(fields.count == 3 ? Int(fields[2].trimmingCharacters(in: .whitespacesAndNewlines)) : nil)
            let limitKiB = (underAddressSanitizer ? 100 + 256 : 100) * 1024
            #expect(peakKiB < limitKiB, "peak resident memory \(peakKiB) KiB")
            let shown = try JSONValue.parse(try vault.dossier(["show", "IMUT-2021-0007", "--json"]).stdout)
            #expect(shown["record"]?["documents"]?.arrayValue?.first?["size"] == .number(Double(2 << 30)))
        }
    }
}

/// Collects results from threads.
final class ResultBox: @unchecked Sendable {
    // Guarded by `lock`: appended to by filer threads, read by the test thread.
    private let lock = NSLock()
    private var items: [Int32] = []
    func append(_ value: Int32) { lock.lock(); items.append(value); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return items }
}
