import ArgumentParser
import DossierKit
import Foundation

/// The program's entry: chooses the language, offers "did you mean" for a mistyped command,
/// then parses and runs as ArgumentParser's `main` would — printing its help and usage errors
/// in the language of the run.
@main
enum Entry {
    static func main() {
        let given = Array(CommandLine.arguments.dropFirst())
        let arguments: [String]
        do {
            arguments = try Lang.removingLanguage(from: given)
        } catch let error as Lang.LanguageError {
            Terminal.error(L("--lang: expected en or zh, got \"{given}\"", ["given": error.given]))
            exit(ExitStatus.usage)
        } catch {
            exit(ExitStatus.usage)
        }
        if let unknown = unknownCommand(in: arguments) {
            var line = L("unknown command \"{command}\"", ["command": unknown.given])
            if let suggestion = unknown.suggestion {
                line += L("; did you mean \"{suggestion}\"?", ["suggestion": suggestion])
            } else {
                line += L("; see dossier --help for the commands")
            }
            Terminal.error(line)
            exit(ExitStatus.usage)
        }
        do {
            var command = try DossierCommand.parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = DossierCommand.exitCode(for: error)
            let text = FrameworkText.localize(DossierCommand.fullMessage(for: error))
            if !text.isEmpty {
                if code == .success {
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                } else {
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                }
            }
            exit(code.rawValue)
        }
    }

    /// The first argument, when it should name a command and names none.
    static func unknownCommand(in arguments: [String]) -> (given: String, suggestion: String?)? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = DossierCommand.configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(first) else { return nil }
        var candidates = names.map { (value: $0, names: [String]()) }
        for (chinese, command) in commandAliases { candidates.append((value: command, names: [chinese])) }
        return (first, Suggestion.closest(to: first, among: candidates))
    }

    /// What a Chinese user may type for a command: suggested, never run in its place.
    static let commandAliases: [(String, String)] = [
        ("新建", "new"), ("建档", "new"), ("归档", "file"), ("提交", "file"), ("修正", "amend"), ("更正", "amend"),
        ("移动", "move"), ("编辑", "edit"), ("修改", "edit"), ("显示", "show"), ("查看", "show"), ("历史", "log"),
        ("日志", "log"), ("比较", "diff"), ("差异", "diff"), ("检查", "validate"), ("校验", "verify"), ("种类", "kinds"),
        ("模板", "template"), ("搜索", "search"), ("列表", "list"), ("导出", "export"), ("重命名", "rename"),
        ("撤回", "withdraw"), ("初始化", "init"), ("审查", "review"), ("标记", "flags"), ("到期", "due"),
    ]
}

/// ArgumentParser's own words (headers of help, usage errors) in the language of the run.
enum FrameworkText {
    static let replacements: [(String, String)] = [
        ("OVERVIEW:", "概述："), ("USAGE:", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："), ("Show help information.", "显示帮助信息。"), ("Show the version.", "显示版本。"),
        ("See 'dossier help <subcommand>' for detailed help.", "用 'dossier help <子命令>' 查看某个子命令的详细帮助。"),
        ("(default)", "（默认）"),
    ]

    static func localize(_ text: String) -> String {
        guard Lang.isChinese else { return text }
        var lines: [String] = []
        var valuesOpen = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            var line = line
            if line.hasPrefix("Error: ") {
                line = "错误：" + translated(String(line.dropFirst(7)))
            } else if line.hasPrefix("Help: ") {
                line = "帮助：" + line.dropFirst(6)
            } else if line.hasPrefix("Usage: ") {
                line = "用法：" + line.dropFirst(7)
            } else if let range = line.range(of: "See '"), line.hasSuffix("' for more information.") {
                let command = line[range.upperBound..<line.index(line.endIndex, offsetBy: -"' for more information.".count)]
                line = line[..<range.lowerBound] + "用 '\(command)' 查看更多信息。"
            } else if let range = line.range(of: "See 'dossier help "), line.hasSuffix(" <subcommand>' for detailed help."),
                line.distance(from: range.upperBound, to: line.endIndex) > " <subcommand>' for detailed help.".count
            {
                // A command's own subcommands: See 'dossier help seal <subcommand>' for detailed help.
                let command = line[range.upperBound..<line.index(line.endIndex, offsetBy: -" <subcommand>' for detailed help.".count)]
                line = line[..<range.lowerBound] + "用 'dossier help \(command) <子命令>' 查看某个子命令的详细帮助。"
            } else {
                for (english, chinese) in replacements { line = line.replacingOccurrences(of: english, with: chinese) }
                // `(values: a, b; default: a)`, perhaps wrapped onto the next line, in full-width
                // parentheses.
                if line.contains("(default: ") || line.contains("(values: ") || line.hasSuffix("(values:") || line.hasSuffix("(default:") {
                    valuesOpen = true
                }
                line = fullWidth(line, "(default: ", "（默认：")
                line = fullWidth(line, "(values: ", "（可选值：")
                if line.hasSuffix("(values:") { line = fullWidth(line, "(values:", "（可选值：") }
                if line.hasSuffix("(default:") { line = fullWidth(line, "(default:", "（默认：") }
                line = line.replacingOccurrences(of: "; default: ", with: "；默认：")
                if valuesOpen, line.hasSuffix(";") { line = String(line.dropLast()) + "；" }
                if valuesOpen, let start = line.firstIndex(where: { $0 != " " }), line[start...].hasPrefix("default: ") {
                    line.replaceSubrange(start..<line.index(start, offsetBy: "default: ".count), with: "默认：")
                }
                if valuesOpen, line.hasSuffix(")") {
                    line = String(line.dropLast()) + "）"
                    valuesOpen = false
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// `line` with `english` replaced by `chinese`, and the space before it too unless that
    /// space is the line's indentation.
    static func fullWidth(_ line: String, _ english: String, _ chinese: String) -> String {
        guard let range = line.range(of: english) else { return line }
        var lower = range.lowerBound
        if lower > line.startIndex, line[line.index(before: lower)] == " ", line[..<line.index(before: lower)].contains(where: { $0 != " " }) {
            lower = line.index(before: lower)
        }
        var result = line
        result.replaceSubrange(lower..<range.upperBound, with: chinese)
        return result
    }
}
