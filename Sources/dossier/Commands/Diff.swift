import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Show what changed between two versions of a dossier: documents and every field and fact."),
            discussion: L("""
                Documents added (+), removed (-), renamed or moved to another kind (→) and
                changed (~), then each record field and each fact that changed, with its value
                in both versions. With --json: added, removed, renamed, modified, fieldChanges
                and factChanges (each change with from and to).
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Argument(help: ArgumentHelp(L("The earlier version, e.g. v2."), valueName: "vA")) var from: VersionNumber
        @Argument(help: ArgumentHelp(L("The later version (default: the latest)."), valueName: "vB")) var to: VersionNumber?

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let snapshot = try vault.snapshot(of: dossierID)
                let later = to ?? snapshot.head
                let (documents, record) = try snapshot.diff(from: from, to: later)
                if output.json {
                    Terminal.json([
                        "dossier": .string(dossierID.rawValue), "from": .string(from.description), "to": .string(later.description),
                        "added": .array(documents.added.map { .string($0) }), "removed": .array(documents.removed.map { .string($0) }),
                        "renamed": .array(documents.renamed.map { ["from": .string($0.from), "to": .string($0.to)] }),
                        "modified": .array(documents.modified.map { .string($0) }),
                        "fieldChanges": .array(record.fields.map(\.json)), "factChanges": .array(record.facts.map(\.json)),
                    ])
                    return
                }
                var lines = ["\(dossierID) \(from) → \(later)"]
                let changes = ChangeText.lines(documents: documents, record: record, indent: "  ")
                lines += changes.isEmpty ? ["  " + L("no change")] : changes
                Terminal.lines(lines)
            }
        }
    }
}

/// Changes as `log` and `diff` print them.
enum ChangeText {
    static func lines(documents: StateChanges, record: RecordDiff, indent: String) -> [String] {
        var lines: [String] = []
        lines += documents.added.map { "\(indent)+ \($0)" }
        lines += documents.modified.map { "\(indent)~ \($0)" }
        lines += documents.removed.map { "\(indent)- \($0)" }
        lines += documents.renamed.map { "\(indent)→ \($0.from) → \($0.to)" }
        for change in record.fields {
            lines.append("\(indent)" + L("record") + " \(change.field): \(change.from?.changeText ?? "—") → \(change.to?.changeText ?? "—")")
        }
        var byDocument: [(String, [RecordDiff.FactChange])] = []
        for change in record.facts {
            if let index = byDocument.firstIndex(where: { $0.0 == change.document }) {
                byDocument[index].1.append(change)
            } else {
                byDocument.append((change.document, [change]))
            }
        }
        for (document, changes) in byDocument {
            lines.append("\(indent)\(document):")
            for change in changes {
                lines.append("\(indent)  \(change.fact) \(change.from?.changeText ?? "—") → \(change.to?.changeText ?? "—")")
            }
        }
        return lines
    }
}
