import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("List dossiers, narrowed by the same filters as search."),
            discussion: L("""
                --kind, --since and --until select dossiers having one document that satisfies
                all three (e.g. a transfer-contract signed in 2022). --json prints an array of
                dossiers with their fields, head version, status and flags.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let filter = try filters.filter(in: vault)
                let dossiers = try vault.index.withIndex(notice: IndexNotice.print) { index in
                    try index.list(filter: filter)
                }
                if output.json {
                    Terminal.json(.array(dossiers.map(Self.json)))
                    return
                }
                if dossiers.isEmpty {
                    Terminal.out(L("no dossiers"))
                    return
                }
                for dossier in dossiers {
                    let record = dossier.record
                    let flags = dossier.flags.isEmpty ? "" : "  [\(dossier.flags.map(\.rawValue).joined(separator: ", "))]"
                    Terminal.out("\(record.id) \(dossier.head)  \(record.unit)  \(record.type)  \(record.grant.rawValue)  \(L(dossier.status.rawValue))\(flags)  \(record.title)")
                }
            }
        }

        static func json(_ dossier: DossierSummary) -> JSONValue {
            var object = JSONObject([("id", .string(dossier.record.id.rawValue))])
            for (key, value) in RecordCodec.encodeFields(dossier.record) { object[key] = value }
            object["head"] = .string(dossier.head.description)
            object["headCreated"] = .string(dossier.headCreated)
            object["status"] = .string(dossier.status.rawValue)
            object["flags"] = .array(dossier.flags.map { .string($0.rawValue) })
            object["documents"] = .number(Double(dossier.record.documents.count))
            object["findings"] = .array(dossier.findings.map { finding in
                ["rule": .string(finding.rule.rawValue), "severity": .string(finding.severity.rawValue), "message": .string(finding.message),
                 "documents": .array(finding.documents.map { .string($0) })]
            })
            return .object(object)
        }
    }
}
