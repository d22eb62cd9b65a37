import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("List every version of a dossier: when, who, message, what changed."),
            discussion: L("""
                Each version's documents added (+), changed (~), removed (-) and renamed or
                moved (→), then every record field and fact it changed, with the value before
                and after (signedOn 2024-03-20 → 2024-03-02). With --json, each version also
                carries fieldChanges and factChanges.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let history = try vault.history(of: try parseDossierID(id))
                if output.json {
                    Terminal.json(.array(history.map(Self.json)))
                    return
                }
                var lines: [String] = []
                for summary in history.reversed() {
                    var who = summary.user?.name ?? L("unknown")
                    if let address = summary.user?.address { who += " <\(address)>" }
                    lines.append("\(summary.version)  \(summary.created)  \(who)")
                    if let message = summary.message { lines.append("    \(Self.message(message))") }
                    let documents = StateChanges(added: summary.added, removed: summary.removed, modified: summary.modified, renamed: summary.renamed)
                    lines += ChangeText.lines(documents: documents, record: summary.changes ?? RecordDiff.empty, indent: "    ")
                }
                Terminal.out(lines.joined(separator: "\n"))
            }
        }

        /// A version's message in the run's language: the parts the filer wrote itself
        /// (`open dossier; file 1 document: team-consensus`) translated, a person's words kept.
        static func message(_ message: String) -> String {
            guard Lang.isChinese else { return message }
            let automatic = ["open dossier", "update ", "file ", "withdraw ", "move ", "amend ", "rename "]
            return message.components(separatedBy: "; ")
                .map { part in automatic.contains(where: part.hasPrefix) ? translated(part) : part }
                .joined(separator: "；")
        }

        static func json(_ summary: VersionSummary) -> JSONValue { summary.json }
    }
}
