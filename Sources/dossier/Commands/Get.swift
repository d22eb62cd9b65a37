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

                A classified dossier's papers are stored encrypted (age): reading one takes
                --identity FILE, the age identity of a reader cleared for its level
                (`dossier clearance list`), and --reason; the read, or the refusal, is
                recorded in the audit log. To standard output, a classified paper is checked
                whole before its first byte is written.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var readOptions: ReadOptions
        @OptionGroup var identityOptions: IdentityOptions

        @Argument(help: "The dossier id.") var id: String
        @Argument(help: "The document's logical path.") var path: String
        @Option(help: "The version (default: the latest).") var version: VersionNumber?
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            // Every refused read is an audit line: a stranger's key and a missing reason too.
            try runAudited("get", dossier: id, vault: vaultOptions, by: identityOptions.agent, details: ["path": .string(path)], damageIsProblem: true) {
                let vault = try vaultOptions.open()
                var progress = ProgressLines()
                defer { progress.finish() }
                _ = try vault.getDocument(
                    of: try parseDossierID(id), path: path, version: version, to: output.map { .file($0) } ?? .standardOutput,
                    access: try readOptions.access(in: vault), by: identityOptions.agent
                ) { progress.update($0) }
            }
        }
    }
}
