import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The certificates signatures and seals must chain to (rule R28).",
            discussion: """
                Filing checks every PDF signature, detached CMS signature (NAME.p7s filed with
                NAME) and OFD seal, and records the verdict in the record as evidence: valid
                (the bytes are as signed and the signer chains to an anchor here), invalid,
                untrusted (valid, but no anchor here) or indeterminate. Anchors live in
                Vault/trust/, one PEM file per certificate named by its sha256; each verdict
                names the anchor it reached. Changing the anchors changes the verdicts of
                papers filed later, never those already recorded.

                \(ExitStatus.help)
                """,
            subcommands: [Add.self, List.self, Remove.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Trust the certificates in a PEM or DER file (a CA's root or intermediate).",
                discussion: ExitStatus.help)
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "The certificate file, PEM (one or more) or DER.") var file: String

            func run() throws {
                try runAudited("trust add", dossier: nil, vault: vaultOptions, by: identity.agent) {
                    let vault = try vaultOptions.open()
                    let added = try vault.addTrustAnchors(fromFile: file, by: identity.agent)
                    if added.isEmpty { Terminal.out("already trusted: nothing added from \(file)") }
                    for anchor in added { Terminal.out("trusted \(anchor.fingerprint)  \(anchor.subject)") }
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the trusted certificates.", discussion: ExitStatus.help)
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let anchors = try vault.trust.anchors()
                    if output.json {
                        Terminal.json(.array(anchors.map { ["fingerprint": .string($0.fingerprint), "subject": .string($0.subject)] }))
                        return
                    }
                    if anchors.isEmpty { Terminal.out("no trust anchors: every valid signature is recorded as untrusted until one is added") }
                    for anchor in anchors { Terminal.out("\(anchor.fingerprint)  \(anchor.subject)") }
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop trusting certificates, by fingerprint (8 hex digits or more) or part of the subject.",
                discussion: ExitStatus.help)
            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "A fingerprint prefix, or text of the subject.") var selector: String

            func run() throws {
                try runAudited("trust remove", dossier: nil, vault: vaultOptions, by: identity.agent) {
                    let vault = try vaultOptions.open()
                    for anchor in try vault.removeTrustAnchors(matching: selector, by: identity.agent) {
                        Terminal.out("removed \(anchor.fingerprint)  \(anchor.subject)")
                    }
                }
            }
        }
    }
}
