import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// What issue 15 found typing as a new user: every field of `new` checked when given, none
/// defaulted silently, a misspelling answered with did you mean; the facts the rules need asked
/// for at filing.
@Suite("Typing as a new user: new, file, filters")
struct TypingCLITests {
    static func vault(_ root: String) throws -> String {
        try expectSuccess(runDossier(["init", "--vault", "\(root)/V"]))
        return "\(root)/V"
    }

    @Test("new takes the unit by name and the other fields by Chinese name, and echoes what it understood")
    func chineseNames() throws {
        try withTemporaryDirectory { root in
            let vault = try Self.vault(root)
            let outcome = try expectSuccess(runDossier([
                "new", "IMUT-2024-0042", "--vault", vault, "--title", "一种方法", "--unit", "内蒙古工业大学", "--type", "专利权", "--grant", "所有权", "--funding", "财政性资金",
            ]))
            #expect(outcome.stdout.contains("understood: unit imut 内蒙古工业大学, type patent 专利权, grant ownership 所有权, funding fiscal 财政性资金"), "\(outcome.stdout)")
        }
    }

    @Test("new refuses a misspelt type with did you mean, and names every missing field with its choices (no default funding)")
    func refusals() throws {
        try withTemporaryDirectory { root in
            let vault = try Self.vault(root)
            let base = ["new", "IMUT-2024-0042", "--vault", vault, "--title", "一种方法", "--unit", "imut"]
            let typo = try runDossier(base + ["--type", "patnet", "--grant", "ownership", "--funding", "fiscal"])
            #expect(typo.status == 2)
            #expect(typo.stderr == "dossier: error: command line: --type: unknown achievement type \"patnet\"; did you mean patent 专利权?\n")
            let missing = try runDossier(base + ["--type", "patent", "--grant", "ownership"])
            #expect(missing.status == 2)
            #expect(missing.stderr == "dossier: error: command line: --funding: missing; a new dossier needs them: --funding fiscal (财政性资金) | entrusted (接受企业、其他社会组织委托) | other (其他)\n")
            let chinese = try runDossier(base + ["--type", "patent"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
            #expect(chinese.stderr.hasPrefix("dossier: 错误: command line: --grant, --funding: 缺少；新卷宗需要这些选项："), "\(chinese.stderr)")
            #expect(!FileSystem.exists("\(vault)/store/IMUT-2024-0042"))
        }
    }

    @Test("file refuses a transfer contract without the facts the rules read, naming them; --incomplete files it")
    func neededFacts() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/合同.txt", "合同")
            let arguments = ["file", "IMUT-2021-0007", "--kind", "转让/许可/作价投资合同", "\(root)/合同.txt", "--fact", "signedOn=2024年1月1日", "--fact", "parties=甲,乙"]
            let refused = try vault.dossier(arguments)
            #expect(refused.status == 2)
            #expect(refused.stderr == "dossier: error: command line: facts: a transfer-contract needs counterparty.kind (R13), counterparty.country (R17), pricing (R11) for the rules; give them with --fact KEY=VALUE or --facts FILE (dossier template transfer-contract), or file with --incomplete\n")
            let filed = try expectSuccess(vault.dossier(arguments + ["--incomplete"]))
            #expect(filed.stdout.contains("R17 error transfer-contract 合同.txt"), "\(filed.stdout)")
        }
    }

    @Test("a misspelt --status or --flag gets did you mean; an unknown one the list", arguments: [
        (["--status", "in ordr"], "Error: --status: unknown status \"in ordr\"; did you mean in order?"),
        (["--flag", "secrt"], "Error: --flag: unknown flag \"secrt\"; did you mean SECRET?"),
        (["--status", "zzzzzzzz"], "Error: --status: unknown status \"zzzzzzzz\"; expected one of: not in order, pending review, needs attention, in order, not validated"),
    ])
    func filters(_ arguments: [String], _ expected: String) throws {
        try withTemporaryDirectory { root in
            let vault = try Self.vault(root)
            let outcome = try runDossier(["list", "--vault", vault] + arguments)
            #expect(outcome.status == 64)
            #expect(outcome.stderr.hasPrefix(expected + "\n"), "\(outcome.stderr)")
        }
    }
}
