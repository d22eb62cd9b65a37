import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Classify a dossier: every paper of every version stored encrypted, then a version with the level."),
            discussion: L("""
                OCFL versions never change, so the dossier's object is rewritten with its whole
                history (versions, times, who and why kept), every paper encrypted to the
                readers cleared for LEVEL, and swapped in atomically: no older version keeps a
                paper in the clear. Then a version is filed with the classification and the
                secrecy period (--until, or --condition). Papers already encrypted for other
                readers are encrypted anew, which takes --identity and --reason. The audit log
                records the inventories before and after.
                """) + "\n\n" + L(ExitStatus.help))
        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var readOptions: ReadOptions
        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String
        @Option(help: ArgumentHelp(L("secret, confidential or top-secret (or 秘密, 机密, 绝密)."))) var level: String
        @Option(help: ArgumentHelp(L("The end of the secrecy period."), valueName: "YYYY-MM-DD")) var until: LocalDate?
        @Option(help: ArgumentHelp(L("A declassification condition, instead of --until."))) var condition: String?

        func validate() throws {
            if until == nil, condition == nil { throw ValidationError("give --until YYYY-MM-DD or --condition TEXT: the secrecy period (R24)") }
        }

        func run() throws {
            try runAudited("classify", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let level = try DossierCommand.Clearance.Add.level(self.level)
                let result = try vault.classify(
                    try parseDossierID(id), level: level, until: until, condition: condition, access: try readOptions.access(in: vault), by: identity.agent)
                Terminal.out(L("{id} {version}: classified {level} ({chinese}); {count} stored {count|paper|papers} encrypted, every version", ["id": result.id.rawValue, "version": result.version.map(\.description) ?? "", "level": level.rawValue, "chinese": level.chineseName, "count": String(result.filesRewritten)]))
                if let warning = result.auditWarning { Terminal.note("dossier: warning: \(warning)") }
            }
        }
    }

    struct Declassify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Declassify a dossier: a new version with its papers in the clear."),
            discussion: L("""
                Earlier versions stay encrypted; reading them still takes a cleared identity.
                """) + "\n\n" + L(ExitStatus.help))
        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var readOptions: ReadOptions
        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String

        func run() throws {
            try runAudited("declassify", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                guard let access = try readOptions.access(in: vault) else {
                    throw ValidationError("declassifying decrypts the papers: give --identity FILE and --reason")
                }
                let result = try vault.declassify(try parseDossierID(id), access: access, by: identity.agent)
                Terminal.out(L("{id} {version}: declassified; {count} {count|paper|papers} stored in the clear", ["id": result.id.rawValue, "version": result.version.map(\.description) ?? "", "count": String(result.filesRewritten)]))
                if let warning = result.auditWarning { Terminal.note("dossier: warning: \(warning)") }
            }
        }
    }

    struct Rekey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Encrypt classified papers anew for the readers cleared now (after `clearance remove`)."),
            discussion: L("""
                Every stored paper of every version of the dossiers named (all with encrypted
                papers when none is) gets a new file key, encrypted to the readers cleared now:
                a removed reader's key opens nothing stored. The objects are rewritten with
                their history and swapped in atomically.
                """) + "\n\n" + L(ExitStatus.help))
        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var readOptions: ReadOptions
        @Argument(help: ArgumentHelp(L("Dossier ids (all with encrypted papers when none)."))) var ids: [String] = []

        func run() throws {
            try runAudited("rekey", dossier: ids.count == 1 ? ids[0] : nil, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                guard let access = try readOptions.access(in: vault) else {
                    throw ValidationError("rekeying decrypts the papers: give --identity FILE and --reason")
                }
                let chosen = ids.isEmpty ? try vault.encryptedDossiers() : try ids.map { try parseDossierID($0) }
                var rekeyed = 0
                for id in chosen {
                    guard let result = try vault.rekey(id, access: access, by: identity.agent) else { continue }
                    rekeyed += 1
                    Terminal.out(L("{id}: {count} stored {count|paper|papers} encrypted anew", ["id": result.id.rawValue, "count": String(result.filesRewritten)]))
                    if let warning = result.auditWarning { Terminal.note("dossier: warning: \(warning)") }
                }
                Terminal.out(L("{count} {count|dossier|dossiers} rekeyed for {readers}", ["count": String(rekeyed), "readers": vault.settings.clearances.map(\.name).joined(separator: ", ")]))
            }
        }
    }
}
