import ArgumentParser
import DossierKit
import Foundation

extension ArchiveFormat: ExpressibleByArgument {}

extension Classification: ExpressibleByArgument {}

extension DossierCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Export a dossier version as a self-verifying BagIt 1.0 bag for an auditor."),
            discussion: L("""
                Writes ID-vN.zip (or -o FILE) holding the version's documents under data/, its
                record, history, validation and OCFL inventory under metadata/, sha256 and
                sha512 manifests and tag manifests (FORMATS.md §6). Every byte is checked
                against the store's digests while it is copied; the file appears only when all
                matched. The same version always exports to the same bytes when judged as of
                the same day: metadata/validation.json holds the rules' findings, flags and
                status as of --as-of (default: today). Check the result with `dossier
                verify-bundle FILE`, bagit.py or bdbag.

                A classified dossier (secret, confidential or top-secret now, or stored
                encrypted at the version asked for) is exported only with --identity FILE of a
                reader cleared for its level and a --reason; its papers go into the bag
                encrypted to the receiving auditor's age key (--to age1…, repeatable), or in
                the clear with --plaintext, which the audit log records. bag-info.txt says
                Classification and Payload-Encryption. --clearance LEVEL, when given, is
                checked against the identity's clearance. The export, or the refusal, is
                recorded in the audit log with who, when, what and why.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var asOf: AsOfOptions

        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String
        @Option(name: [.customLong("at"), .customLong("version")], help: ArgumentHelp(L("The version, e.g. v3 (default: the latest); --version vN is the same."), valueName: "vN")) var version: VersionNumber?
        @Option(help: ArgumentHelp(L("tar, tar.gz or zip (default: from -o's extension, else zip)."), valueName: "format"))
        var format: ArchiveFormat?
        @Option(name: .shortAndLong, help: ArgumentHelp(L("The archive to write (default: ID-vN.<format> here)."), valueName: "file"))
        var output: String?
        @Option(help: ArgumentHelp(L("The clearance you claim (checked against --identity): secret, confidential or top-secret."), valueName: "level"))
        var clearance: Classification?
        @OptionGroup var readOptions: ReadOptions
        @Option(name: .customLong("to"), help: ArgumentHelp(L("The receiving auditor's age public key: a classified dossier's papers are encrypted to it (repeatable)."), valueName: "age1…"))
        var recipients: [String] = []
        @Flag(help: ArgumentHelp(L("Put a classified dossier's papers in the bag unencrypted (recorded in the audit log).")))
        var plaintext = false
        @Flag(help: ArgumentHelp(L("Flush the archive to disk before it appears (slower; an export can always be made again).")))
        var sync = false

        func validate() throws {
            if clearance != nil, readOptions.reason == nil { throw ValidationError("--clearance goes with --reason: the audit log records why a classified dossier was exported") }
            if plaintext, !recipients.isEmpty { throw ValidationError("give --to or --plaintext, not both") }
        }

        func run() throws {
            var details = JSONObject()
            if let version { details["version"] = .string(version.description) }
            if let clearance { details["clearance"] = .string(clearance.rawValue) }
            if let reason = readOptions.reason { details["reason"] = .string(reason) }
            try runAudited("export", dossier: id, vault: vaultOptions, by: identity.agent, details: details, damageIsProblem: true) {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let chosenFormat = format ?? output.flatMap { ArchiveFormat(fileName: $0) } ?? .zip
                var request = ExportRequest(
                    id: dossierID, version: version, format: chosenFormat, output: output.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                    clearance: clearance, reason: readOptions.reason, user: identity.agent)
                request.access = try readOptions.access(in: vault)
                request.recipients = recipients
                request.plaintext = plaintext
                request.durable = sync
                request.asOf = asOf.asOf
                let progress = ProgressLine("exporting \(dossierID)", total: nil)
                defer { progress.finish() }
                let result = try vault.exporter.export(request, progress: progress.update)
                for rename in result.renamed {
                    Terminal.note("dossier: note: \(rename.from) is named \(rename.to) in the bag (%, CR and LF are renamed; metadata/payload-names.json maps them)")
                }
                Terminal.out("\(result.id) \(result.version): exported \(result.bag.payloadFiles) document\(result.bag.payloadFiles == 1 ? "" : "s") (\(ByteCount.format(result.bag.payloadBytes))) to \(output ?? FileSystem.lastComponent(of: result.bag.path)) (\(chosenFormat.rawValue), \(ByteCount.format(result.bag.archiveBytes)))")
            }
        }
    }
}
