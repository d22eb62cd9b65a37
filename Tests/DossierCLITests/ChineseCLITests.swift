import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Chinese output: help of every command and the messages of the commands main added last
/// (trust, index's OCR notes, show's text states, confidentiality), under `LANG=zh_CN.UTF-8`,
/// with no catalog text missing (`DOSSIER_L10N_STRICT=1` marks one) and no English sentence left.
@Suite("Chinese output under zh_CN.UTF-8")
struct ChineseCLITests {
    static let chinese = ["LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "DOSSIER_L10N_STRICT": "1"]

    /// Every command path, from the English help's SUBCOMMANDS sections (two levels).
    static func commandPaths() throws -> [[String]] {
        func subcommands(_ path: [String]) throws -> [String] {
            let help = try runDossier(path + ["--help"]).stdout
            guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
            return help[section.upperBound...].split(separator: "\n").compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                let name = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                return name.isEmpty || name.hasPrefix("See") || name == "help" ? nil : name
            }.filter { $0.allSatisfy { $0.isLetter || $0 == "-" } && $0 == $0.lowercased() }
        }
        var paths: [[String]] = []
        for command in try subcommands([]) {
            paths.append([command])
            for sub in try subcommands([command]) { paths.append([command, sub]) }
        }
        return paths
    }

    /// A run of four or more English words in lower case: a sentence left untranslated.
    static func englishSentence(in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // Usage lines and examples are commands, the same in every language.
            if trimmed.hasPrefix("dossier ") || trimmed.hasPrefix("用法") || trimmed.hasPrefix("示例") { continue }
            if let match = trimmed.firstMatch(of: /(?:^|[\s(（，。：；])[a-z]{2,}(?: [a-z]{2,}){3,}/) { return "\(match.output): \(trimmed)" }
        }
        return nil
    }

    @Test("every command's --help is in Chinese: no catalog text missing, no English sentence")
    func helpInChinese() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count > 30)
        #expect(paths.contains(["trust", "add"]) && paths.contains(["clearance", "list"]) && paths.contains(["amend"]))
        for path in [[]] + paths {
            let outcome = try runDossier(path + ["--help"], environment: Self.chinese)
            let name = (["dossier"] + path).joined(separator: " ")
            #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
            #expect(outcome.stdout.contains("概述："), "\(name)")
            #expect(!outcome.stdout.contains(Localizer.untranslatedMark), "\(name): \(outcome.stdout)")
            #expect(Self.englishSentence(in: outcome.stdout) == nil, "\(name): \(Self.englishSentence(in: outcome.stdout) ?? "")")
        }
    }

    @Test("the trust, clearance, index and show messages are printed in Chinese; the JSON does not change")
    func messagesInChinese() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            func zh(_ arguments: [String]) throws -> ProcessOutcome {
                try runDossier(arguments + ["--vault", vault.vault], environment: Self.chinese)
            }
            let trust = try zh(["trust", "list"])
            #expect(trust.stdout == "没有信任锚：在添加之前，每个有效签名都记为不受信任\n")
            let refused = try zh(["trust", "remove", "abcdef12"])
            #expect(refused.status == 2)
            #expect(refused.stderr == "dossier: 错误: trust：没有信任锚的指纹或主题与“abcdef12”匹配（dossier trust list 列出全部）\n")
            let clearances = try zh(["clearance", "list"])
            #expect(clearances.stdout == "尚无人获得知悉权限；在授权之前无法归档涉密文件\n")
            let index = try zh(["index"])
            #expect(index.status == 0)
            #expect(index.stdout.hasPrefix("索引已是最新：1 个卷宗，0 份文件"), "\(index.stdout)")
            let show = try zh(["show", "IMUT-2021-0007"])
            for label in ["单位", "形成方式", "国家利益", "完成人", "王芳 60% (指定代表)", "文件（0 份）"] {
                #expect(show.stdout.contains(label), "\(label): \(show.stdout)")
            }
            #expect(Self.englishSentence(in: show.stdout) == nil)
            // The filer's own version messages are said in Chinese; a person's words are kept.
            let log = try zh(["log", "IMUT-2021-0007"])
            #expect(log.stdout.contains("\n    建立卷宗\n") || log.stdout.hasSuffix("\n    建立卷宗\n"), "\(log.stdout)")
            #expect(try vault.dossier(["log", "IMUT-2021-0007"]).stdout.contains("\n    open dossier"))
            for output in [trust, refused, clearances, index, show, log] {
                #expect(!(output.stdout + output.stderr).contains(Localizer.untranslatedMark))
            }
            // JSON is the same in both languages.
            let english = try vault.dossier(["show", "IMUT-2021-0007", "--json"])
            let chinese = try zh(["show", "IMUT-2021-0007", "--json"])
            #expect(english.stdout == chinese.stdout)
        }
    }

    @Test("--lang zh and --lang en override the locale; a bad --lang is a usage error")
    func langOption() throws {
        let zh = try runDossier(["trust", "--help", "--lang", "zh"])
        #expect(zh.stdout.contains("签名和印章必须能追溯到的证书（规则 R28）。"))
        let en = try runDossier(["trust", "--help", "--lang=en"], environment: Self.chinese)
        #expect(en.stdout.contains("The certificates signatures and seals must chain to (rule R28)."))
        let bad = try runDossier(["list", "--lang", "fr"])
        #expect(bad.status == 64)
    }

    @Test("a mistyped command gets did you mean, in both languages")
    func didYouMean() throws {
        let english = try runDossier(["fiel"])
        #expect(english.status == 64)
        #expect(english.stderr.contains("unknown command \"fiel\"; did you mean \"file\"?"), "\(english.stderr)")
        let chinese = try runDossier(["fiel"], environment: Self.chinese)
        #expect(chinese.status == 64)
        #expect(chinese.stderr.contains("未知命令“fiel”；您是想用“file”吗？"), "\(chinese.stderr)")
    }

    @Test("shell completions call the binary back for kinds, units and the vault's dossier ids")
    func completions() throws {
        let script = try runDossier(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        #expect(script.stdout.contains("---completion file -- --kind"))
        let kinds = try runDossier(["---completion", "file", "--", "--kind", "1", "0"]).stdout.split(separator: "\n").map(String.init)
        #expect(kinds.contains("team-consensus") && kinds.contains("团队内部协商一致书面约定"))
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let ids = try runDossier(["---completion", "show", "--", "positional@0", "1", "0"], environment: ["DOSSIER_VAULT": vault.vault])
            #expect(ids.stdout == "IMUT-2021-0007\n")
            let units = try runDossier(["---completion", "new", "--", "--unit", "1", "0"], environment: ["DOSSIER_VAULT": vault.vault])
            #expect(units.stdout.split(separator: "\n").contains("imut"))
        }
    }

    @Test("validate --json is the same in both languages and carries message_zh beside message for every finding")
    func validateJSON() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let english = try vault.dossier(["validate", "IMUT-2021-0007", "--json"])
            let chinese = try runDossier(["validate", "IMUT-2021-0007", "--json", "--vault", vault.vault], environment: Self.chinese)
            #expect(english.status == 1 && chinese.status == 1)
            #expect(english.stdout == chinese.stdout)
            let findings = try JSONValue.parse(english.stdout).arrayValue ?? []
            #expect(!findings.isEmpty)
            for finding in findings {
                let message = finding["message"]?.stringValue ?? ""
                let messageZh = finding["message_zh"]?.stringValue ?? ""
                #expect(message.hasPrefix("no ") || message.contains(" "), "\(message)")
                #expect(messageZh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(messageZh)")
                #expect(!messageZh.contains("⟪"), "\(messageZh)")
            }
        }
    }

    @Test("the help the man page is made from (--experimental-dump-help) is in the language of the run")
    func manPageSource() throws {
        let english = try runDossier(["--experimental-dump-help"])
        let chinese = try runDossier(["--experimental-dump-help"], environment: Self.chinese)
        #expect(english.status == 0 && chinese.status == 0)
        #expect(english.stdout.contains("A versioned, hashed vault for the signed papers of technology transfer."))
        #expect(chinese.stdout.contains("科技成果转化签署文件的版本化、哈希校验的档案库。"))
        #expect(!chinese.stdout.contains(Localizer.untranslatedMark))
        let tool = try JSONValue.parse(chinese.stdout)
        #expect(tool["command"]?["subcommands"]?.arrayValue?.count == tool["command"].flatMap { _ in (try? JSONValue.parse(english.stdout))?["command"]?["subcommands"]?.arrayValue?.count })
    }
}
