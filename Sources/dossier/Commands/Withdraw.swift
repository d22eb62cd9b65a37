import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Take a document out of a dossier (a new version; earlier versions keep it)."),
            discussion: L("""
                The reason is recorded in the version's message. Export-control papers are
                refused until the profile's keeping period after the transfer abroad has passed
                (R26).
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String
        @Argument(help: ArgumentHelp(L("The document's logical path, e.g. documents/export-licence/许可证.pdf."))) var path: String
        @Option(help: ArgumentHelp(L("Why it is withdrawn (recorded in the version's message)."))) var reason: String

        func validate() throws {
            if reason.allSatisfy(\.isWhitespace) { throw ValidationError("--reason must say why") }
        }

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let logicalPath = path.precomposedNFC
                let result = try vault.filer.withdraw(try parseDossierID(id), path: logicalPath, reason: reason, user: identity.agent)
                Terminal.out(L("{id} {version}: withdrew {path}", ["id": result.id.rawValue, "version": result.version.description, "path": logicalPath]))
                Terminal.warnings(result)
            }
        }
    }
}
