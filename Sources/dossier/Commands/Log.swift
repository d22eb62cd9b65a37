import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every version of a dossier: when, who, message, what changed.",
            discussion: ExitStatus.help)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The dossier id.") var id: String

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
                    var who = summary.user?.name ?? "unknown"
                    if let address = summary.user?.address { who += " <\(address)>" }
                    lines.append("\(summary.version)  \(summary.created)  \(who)")
                    if let message = summary.message { lines.append("    \(message)") }
                    lines += summary.added.map { "    + \($0)" }
                    lines += summary.modified.map { "    ~ \($0)" }
                    lines += summary.removed.map { "    - \($0)" }
                    lines += summary.renamed.map { "    → \($0.from) → \($0.to)" }
                    if !summary.recordChanges.isEmpty { lines.append("    record: \(summary.recordChanges.joined(separator: ", "))") }
                }
                Terminal.out(lines.joined(separator: "\n"))
            }
        }

        static func json(_ summary: VersionSummary) -> JSONValue { summary.json }
    }
}
