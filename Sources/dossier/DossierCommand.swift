import ArgumentParser

struct DossierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: L("A versioned, hashed vault for the signed papers of technology transfer."),
        discussion: L("""
            Each achievement has one dossier: an OCFL object whose every filing is a new
            version. The vault is --vault PATH, else $DOSSIER_VAULT, else ./Vault.
            Messages and help are in Chinese under LANG/LC_ALL zh_* or with --lang zh.
            """) + "\n\n" + L(ExitStatus.help),
        version: "dossier 0.1.0",
        subcommands: [
            Init.self, New.self, Kinds.self, Template.self, File.self, Amend.self, Move.self, Edit.self, Rename.self, Withdraw.self, Show.self, Log.self, Diff.self, Get.self,
            Validate.self, Flags.self, Due.self,
            Index.self, Search.self, List.self, Report.self,
            Verify.self, Check.self, Export.self, VerifyBundle.self, Audit.self, Seal.self, Clearance.self, Classify.self, Declassify.self, Rekey.self, Review.self, Trust.self,
        ]
    )
}
