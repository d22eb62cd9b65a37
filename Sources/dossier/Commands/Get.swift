import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a document's bytes, exactly as filed, checking them against their sha512.",
            discussion: """
                PATH is the logical path shown by `dossier show`, e.g.
                documents/ownership-agreement/赋权协议.pdf, or dossier.json for the record.
                With -o FILE the file appears only if every byte matched its digest.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions

        @Argument(help: "The dossier id.") var id: String
        @Argument(help: "The document's logical path.") var path: String
        @Option(help: "The version (default: the latest).") var version: VersionNumber?
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            try runReporting(damageIsProblem: true) {
                let vault = try vaultOptions.open()
                var progress = ProgressLines()
                defer { progress.finish() }
                _ = try vault.getDocument(
                    of: try parseDossierID(id), path: path, version: version, to: output.map { .file($0) } ?? .standardOutput
                ) { progress.update($0) }
            }
        }
    }
}
