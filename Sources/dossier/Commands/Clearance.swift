import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Clearance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Who may read classified papers: readers' age public keys and their levels."),
            discussion: L("""
                A classified dossier's papers are stored as age files encrypted to every reader
                cleared for its level or a higher one. Clearance is a key, not a claim: filing
                needs only the public keys, and reading takes the matching identity
                (`dossier get --identity FILE`). Make a key pair with `age-keygen -o me.key`;
                `age-keygen -y me.key` prints the public key to clear.
                """) + "\n\n" + L(ExitStatus.help),
            subcommands: [Add.self, List.self, Remove.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: L("Clear a reader for a level (secret 秘密, confidential 机密, top-secret 绝密)."),
                discussion: L("""
                    Papers filed from now on at that level or below are encrypted to the key too.
                    Papers already stored are not: run `dossier rekey` to encrypt them anew for
                    the readers cleared now.
                """) + "\n\n" + L(ExitStatus.help))
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var identity: IdentityOptions
            @Argument(help: ArgumentHelp(L("secret, confidential or top-secret (or 秘密, 机密, 绝密)."))) var level: String
            @Argument(help: ArgumentHelp(L("The reader's name, e.g. 保密办公室."))) var name: String
            @Argument(help: ArgumentHelp(L("Their age public key, age1…."))) var recipient: String

            func run() throws {
                try runAudited("clearance add", dossier: nil, vault: vaultOptions, by: identity.agent) {
                    let vault = try vaultOptions.open()
                    let parsed = try Self.level(level)
                    _ = try vault.addClearance(DossierKit.Clearance(name: name.precomposedNFC, level: parsed, recipient: recipient), by: identity.agent)
                    Terminal.out(L("cleared {name} for {level} ({chinese}) and below", ["name": name.precomposedNFC, "level": parsed.rawValue, "chinese": parsed.chineseName]))
                }
            }

            static func level(_ text: String) throws -> Classification {
                let given = text.precomposedNFC
                guard let level = Classification.allCases.first(where: { $0 != .none && ($0.rawValue == given.lowercased() || $0.chineseName == given) }) else {
                    throw FieldError(file: "command line", field: "LEVEL", problem: "expected secret 秘密, confidential 机密 or top-secret 绝密, got \"\(text)\"")
                }
                return level
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: L("List the cleared readers."), discussion: L(ExitStatus.help))
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let clearances = vault.settings.clearances
                    if output.json {
                        Terminal.json(.array(clearances.map {
                            ["name": .string($0.name), "level": .string($0.level.rawValue), "recipient": .string($0.recipient)]
                        }))
                        return
                    }
                    if clearances.isEmpty { Terminal.out(L("nobody is cleared; classified papers cannot be filed until someone is")) }
                    for clearance in clearances {
                        Terminal.out("\(clearance.name)  \(clearance.level.rawValue) \(clearance.level.chineseName)  \(clearance.recipient)")
                    }
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: L("Take a reader's clearance away."),
                discussion: L("""
                    What is stored stays encrypted to their key until `dossier rekey` encrypts
                    it anew for the readers still cleared; run it next.
                """) + "\n\n" + L(ExitStatus.help))
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var identity: IdentityOptions
            @Argument(help: ArgumentHelp(L("The reader's name."))) var name: String

            func run() throws {
                try runAudited("clearance remove", dossier: nil, vault: vaultOptions, by: identity.agent) {
                    let vault = try vaultOptions.open()
                    _ = try vault.removeClearance(named: name, by: identity.agent)
                    Terminal.out(L("removed {name}'s clearance; run `dossier rekey` so that their key opens nothing stored", ["name": name.precomposedNFC]))
                }
            }
        }
    }
}
