import ArgumentParser
import DossierKit
import Foundation

extension ArchiveFormat: ExpressibleByArgument {}

extension Classification: ExpressibleByArgument {}

extension DossierCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Export dossier versions as sealed, self-verifying BagIt 1.0 bags for an auditor."),
            discussion: L("""
                Writes ID-vN.zip (or -o FILE) holding the version's documents under data/, its
                record, history, validation and OCFL inventory under metadata/, 说明.html (a
                summary for people, Chinese with English), sha256 and sha512 manifests and tag
                manifests (FORMATS.md §6), and the seal: tagmanifest-sha512.txt.sig, the vault
                seal key's signature of the tag manifest (`dossier seal init` makes the key; an
                export without one is refused). Every byte is checked against the store's
                digests while it is copied; the file appears only when all matched. The same
                version always exports to the same bytes when judged as of the same day:
                metadata/validation.json holds the rules' findings, flags and status as of
                --as-of (default: today). It prints the tag manifest's sha256 (kept in the audit
                log too) and the seal's fingerprint; check the bag with `dossier verify-bundle
                --key seal.pem --expect SHA256 FILE`, bagit.py, bdbag or openssl.

                Several ids, or --unit U (every dossier of the unit) with --year Y (those on the
                unit's annual report for Y), export each dossier's latest version as one bag in
                the new folder -o DIR, with export-index.json listing them and its seal
                (export-index.json.sig); `dossier verify-bundle --key seal.pem DIR` checks the set.

                A classified dossier (secret, confidential or top-secret now, or stored
                encrypted at the version asked for) is exported only with --identity FILE of a
                reader cleared for its level and a --reason; its papers go into the bag
                encrypted to the receiving auditor's age key (--to age1…, repeatable), or in
                the clear with --plaintext, which the audit log records. bag-info.txt says
                Classification and Payload-Encryption, and 说明.html names its papers without
                their facts unless --plaintext. --clearance LEVEL, when given, is checked
                against the identity's clearance. The export, or the refusal, is recorded in
                the audit log with who, when, what and why.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var asOf: AsOfOptions

        @Argument(help: ArgumentHelp(L("The dossier id, or several (a set: give -o DIR)."))) var ids: [String] = []
        @Option(help: ArgumentHelp(L("Every dossier of this unit (a set: give -o DIR)."))) var unit: String?
        @Option(help: ArgumentHelp(L("With --unit: the dossiers on the unit's annual report for this year."))) var year: Int?
        @Option(name: [.customLong("at"), .customLong("version")], help: ArgumentHelp(L("The version, e.g. v3 (default: the latest; one dossier only); --version vN is the same."), valueName: "vN")) var version: VersionNumber?
        @Option(help: ArgumentHelp(L("tar, tar.gz or zip (default: from -o's extension, else zip)."), valueName: "format"))
        var format: ArchiveFormat?
        @Option(name: .shortAndLong, help: ArgumentHelp(L("The archive to write (default: ID-vN.<format> here); for a set, the new folder."), valueName: "file | dir"))
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

        var isSet: Bool { ids.count > 1 || unit != nil }

        func validate() throws {
            if clearance != nil, readOptions.reason == nil { throw ValidationError("--clearance goes with --reason: the audit log records why a classified dossier was exported") }
            if plaintext, !recipients.isEmpty { throw ValidationError("give --to or --plaintext, not both") }
            if ids.isEmpty, unit == nil { throw ValidationError(L("give a dossier id, several ids, or --unit U [--year Y]")) }
            if !ids.isEmpty, unit != nil { throw ValidationError(L("give dossier ids or --unit, not both")) }
            if year != nil, unit == nil { throw ValidationError(L("--year goes with --unit: the dossiers on that unit's annual report")) }
            if let year, !(1900...9999).contains(year) { throw ValidationError("--year must be a year such as 2022") }
            if isSet, output == nil { throw ValidationError(L("a set of bags needs -o DIR, the new folder to write them in")) }
            if isSet, version != nil { throw ValidationError(L("--version goes with one dossier; a set exports each dossier's latest version")) }
        }

        func run() throws {
            var details = JSONObject()
            if let version { details["version"] = .string(version.description) }
            if let clearance { details["clearance"] = .string(clearance.rawValue) }
            if let reason = readOptions.reason { details["reason"] = .string(reason) }
            if let unit { details["unit"] = .string(unit) }
            if let year { details["year"] = .number(Double(year)) }
            try runAudited("export", dossier: ids.count == 1 ? ids[0] : nil, vault: vaultOptions, by: identity.agent, details: details, damageIsProblem: true) {
                let vault = try vaultOptions.open()
                let chosenFormat = format ?? (isSet ? nil : output.flatMap { ArchiveFormat(fileName: $0) }) ?? .zip
                var request = ExportRequest(
                    id: try parseDossierID(ids.first ?? "X"), version: version, format: chosenFormat,
                    output: output.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                    clearance: clearance, reason: readOptions.reason, user: identity.agent)
                request.access = try readOptions.access(in: vault)
                request.recipients = recipients
                request.plaintext = plaintext
                request.durable = sync
                request.asOf = asOf.asOf
                if isSet {
                    try exportSet(vault, request)
                    return
                }
                let progress = ProgressLine(L("exporting {id}", ["id": request.id.rawValue]), total: nil)
                defer { progress.finish() }
                let result = try vault.exporter.export(request, progress: progress.update)
                progress.finish()
                for rename in result.renamed {
                    Terminal.note(L("dossier: note: {from} is named {to} in the bag (%, CR and LF are renamed; metadata/payload-names.json maps them)", ["from": rename.from, "to": rename.to]))
                }
                Terminal.out(L("{id} {version}: exported {count} {count|document|documents} ({size}) to {file} ({format}, {archive})", [
                    "id": result.id.rawValue, "version": result.version.description, "count": String(result.bag.payloadFiles),
                    "size": sizeText(result.bag.payloadBytes), "file": output ?? FileSystem.lastComponent(of: result.bag.path),
                    "format": chosenFormat.rawValue, "archive": sizeText(result.bag.archiveBytes),
                ]))
                Terminal.out(Self.sealLines(result))
            }
        }

        static func sealLines(_ result: ExportResult) -> String {
            var lines = [L("tag manifest sha256: {digest}  (keep it: verify-bundle --expect checks it)", ["digest": result.bag.tagManifestSHA256])]
            if let seal = result.seal {
                lines.append(L("sealed: {algorithm} key {fingerprint}  (verify-bundle --key seal.pem checks it)", ["algorithm": seal.algorithm.rawValue, "fingerprint": seal.fingerprint]))
            }
            return lines.joined(separator: "\n")
        }

        /// Several dossiers, or a unit's (year), into one folder.
        func exportSet(_ vault: Vault, _ request: ExportRequest) throws {
            var selection = JSONObject()
            let chosen: [DossierID]
            if let unit {
                try vault.settings.checkUnit(unit, source: "command line", field: "--unit")
                let dossiers = try vault.index.withIndex(notice: IndexNotice.print) { index in try index.list(filter: IndexFilter(unit: unit)) }
                selection["unit"] = .string(unit)
                if let year {
                    selection["year"] = .number(Double(year))
                    let report = AnnualReport(unit: unit, unitName: vault.settings.unitName(unit), organisation: vault.settings.organisation, year: year, dossiers: dossiers)
                    chosen = report.rows.compactMap { DossierID($0.id) }
                } else {
                    chosen = dossiers.map(\.record.id)
                }
                guard !chosen.isEmpty else {
                    throw FieldError(file: "command line", field: "--unit", problem: "no dossier of \(unit)\(year.map { " is on the annual report for \($0)" } ?? " is in the vault"); nothing to export")
                }
            } else {
                chosen = try ids.map { try parseDossierID($0) }
                selection["dossiers"] = .array(chosen.map { .string($0.rawValue) })
            }
            let folder = request.output ?? ""
            var current: DossierID?
            var progress: ProgressLine?
            let result = try vault.exporter.exportSet(chosen, into: folder, like: request, selection: selection) { id, done in
                if current != id {
                    progress?.finish()
                    progress = ProgressLine(L("exporting {id}", ["id": id.rawValue]), total: nil)
                    current = id
                }
                progress?.update(done)
            }
            progress?.finish()
            for bag in result.bags {
                Terminal.out(L("{id} {version}: {count} {count|document|documents} ({size}) → {file}, tag manifest sha256 {digest}", [
                    "id": bag.id.rawValue, "version": bag.version.description, "count": String(bag.bag.payloadFiles),
                    "size": sizeText(bag.bag.payloadBytes), "file": FileSystem.lastComponent(of: bag.bag.path), "digest": bag.bag.tagManifestSHA256,
                ]))
            }
            Terminal.out(L("{folder}: {count} sealed {count|bag|bags} and {index} (sha256 {digest}), sealed: {algorithm} key {fingerprint}", [
                "folder": output ?? folder, "count": String(result.bags.count), "index": ExportSetIndex.fileName, "digest": result.indexSHA256,
                "algorithm": result.seal.algorithm.rawValue, "fingerprint": result.seal.fingerprint,
            ]))
        }
    }
}
