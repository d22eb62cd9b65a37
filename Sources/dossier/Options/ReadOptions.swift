import ArgumentParser
import DossierKit
import Foundation

/// `--identity` and `--reason`: what reading a classified paper takes.
struct ReadOptions: ParsableArguments {
    @Option(help: ArgumentHelp(L("Your age identity file, for classified papers (else $DOSSIER_IDENTITY); only you may read it (chmod 600)."), valueName: "file"))
    var identity: String?

    @Option(help: ArgumentHelp(L("Why you read a classified paper (recorded in the audit log).")))
    var reason: String?

    /// The read access the options give, or `nil` when no identity was given.
    func access(in vault: Vault) throws -> ReadAccess? {
        guard let path = identity ?? ProcessInfo.processInfo.environment["DOSSIER_IDENTITY"], !path.isEmpty else { return nil }
        return try ReadAccess.load(identityFile: path, reason: reason, settings: vault.settings)
    }
}
