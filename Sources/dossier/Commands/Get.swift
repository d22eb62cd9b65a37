import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Write a document's bytes, exactly as filed, checking them against their sha512."),
            discussion: L("""
                PATH is the logical path shown by `dossier show`, e.g.
                documents/ownership-agreement/赋权协议.pdf, or dossier.json for the record.
                With -o FILE the file appears only if every byte matched its digest.

                A classified dossier's papers are stored encrypted (age): reading one takes
                --identity FILE, the age identity of a reader cleared for its level
                (`dossier clearance list`), and --reason; the read, or the refusal, is
                recorded in the audit log. To standard output, a classified paper is checked
                whole before its first byte is written.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var readOptions: ReadOptions
        @OptionGroup var identityOptions: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String
        @Argument(help: ArgumentHelp(L("The document's logical path."))) var path: String
        @Option(name: [.customLong("at"), .customLong("version")], help: ArgumentHelp(L("The version, e.g. v3 (default: the latest); --version vN is the same."), valueName: "vN")) var version: VersionNumber?
        @Option(name: .shortAndLong, help: ArgumentHelp(L("Write to this file instead of standard output."), valueName: "file"))
        var output: String?
        @Flag(help: ArgumentHelp(L("With -o, flush the file to disk before it appears (slower; the vault keeps the original).")))
        var sync = false

        func run() throws {
            // Every refused read is an audit line: a stranger's key and a missing reason too.
            try runAudited("get", dossier: id, vault: vaultOptions, by: identityOptions.agent, details: ["path": .string(path)], damageIsProblem: true) {
                let vault = try vaultOptions.open()
                var progress = ProgressLines()
                defer { progress.finish() }
                _ = try vault.getDocument(
                    of: try parseDossierID(id), path: path, version: version, to: output.map { .file($0) } ?? .standardOutput, durable: sync,
                    access: try readOptions.access(in: vault), by: identityOptions.agent
                ) { progress.update($0) }
            }
        }
    }
}
