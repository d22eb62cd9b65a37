import ArgumentParser
import DossierKit
import Foundation

extension SealAlgorithm: ExpressibleByArgument {}

extension DossierCommand {
    struct Seal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Create or show the vault's seal key, which signs every export and the audit log's head."),
            discussion: L("""
                The seal key is a private key (Ed25519, or SM2 where Chinese algorithms are
                required) kept outside store/, in VAULT/keys/seal.key (mode 600) unless
                --seal-key or $DOSSIER_SEAL_KEY names another file. Every export carries its
                signature of the bag's tag manifest (tagmanifest-sha512.txt.sig), and every audit
                line seals the log's head (audit.log.head.sig). The unit publishes the public key
                (`dossier seal show -o seal.pem`) and its fingerprint; auditors check bags with
                `dossier verify-bundle --key seal.pem` or stock OpenSSL, and the log with
                `dossier audit verify --key seal.pem`.
                """) + "\n\n" + L(ExitStatus.help),
            subcommands: [Init.self, Show.self])

        struct Init: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "init",
                abstract: L("Create the vault's seal key (once) and seal the audit log's head with it."),
                discussion: L(ExitStatus.help))

            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var identity: IdentityOptions
            @Option(help: ArgumentHelp(L("ed25519 (default) or sm2 (SM2 with SM3, signer ID 1234567812345678).")))
            var algorithm: SealAlgorithm = .ed25519

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let key = try vault.createSealKey(algorithm, by: identity.agent)
                    Terminal.out(L("created the vault's seal key {path} ({algorithm}, readable by you only)", ["path": vault.sealKeyPath, "algorithm": key.algorithm.rawValue]))
                    Terminal.out(L("fingerprint: {fingerprint}", ["fingerprint": key.publicKey.fingerprint]))
                    Terminal.out(L("publish its public key and fingerprint: dossier seal show -o seal.pem"))
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show",
                abstract: L("Print the seal's public key (PEM) and fingerprint, for the unit to publish."),
                discussion: L("""
                    The fingerprint is the SHA-256 of the public key's DER, as
                    `openssl pkey -pubin -in seal.pem -outform DER | sha256sum` prints it.
                    """) + "\n\n" + L(ExitStatus.help))

            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var output: OutputOptions
            @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(L("Also write the public key (PEM) to FILE."), valueName: "file"))
            var file: String?

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let key = try vault.sealKey().publicKey
                    if let file { try DossierKit.FileSystem.replaceFile(file, Array(key.pem.utf8)) }
                    if output.json {
                        Terminal.json(["algorithm": .string(key.algorithm.rawValue), "fingerprint": .string(key.fingerprint), "publicKey": .string(key.pem)])
                        return
                    }
                    Terminal.write(Data(key.pem.utf8))
                    Terminal.out(L("algorithm: {algorithm}", ["algorithm": key.algorithm.rawValue]))
                    Terminal.out(L("fingerprint: {fingerprint}", ["fingerprint": key.fingerprint]))
                    if let file { Terminal.note(L("dossier: wrote {file}", ["file": file])) }
                }
            }
        }
    }
}
