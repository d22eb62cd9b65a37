import ArgumentParser

@main
struct DossierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "A versioned, hashed vault for the signed papers of technology transfer.",
        discussion: """
            Each achievement has one dossier: an OCFL object whose every filing is a new
            version. The vault is --vault PATH, else $DOSSIER_VAULT, else ./Vault.

            \(ExitStatus.help)
            """,
        version: "dossier 0.1.0",
        subcommands: [
            Init.self, New.self, File.self, Rename.self, Withdraw.self, Show.self, Log.self, Get.self,
            Validate.self, Flags.self, Due.self,
            Index.self, Search.self, List.self, Report.self,
            Verify.self, Check.self, Export.self, VerifyBundle.self, Audit.self, Clearance.self, Classify.self, Declassify.self, Rekey.self, Review.self, Trust.self,
        ]
    )
}
