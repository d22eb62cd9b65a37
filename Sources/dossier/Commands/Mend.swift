import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Correct the facts of a filed document (a new version; the history keeps the old values)."),
            discussion: L("""
                The facts given are merged into those the document has: only what is named
                changes (signedOn=2024-03-02 corrects one date), --drop KEY takes a fact out.
                Values are typed as for dossier file. `dossier log` shows each change, e.g.
                signedOn 2024-03-20 → 2024-03-02.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Argument(help: ArgumentHelp(L("The document's logical path (or its file name when only one document has it)."), valueName: "path")) var path: String
        @Option(name: .customLong("fact"), help: ArgumentHelp(L("A fact to set (repeatable)."), valueName: "key=value")) var facts: [String] = []
        @Option(name: .customLong("facts"), help: ArgumentHelp(L("A facts file (from dossier template KIND) or a JSON object of facts."), valueName: "file"), completion: .file())
        var factsFile: String?
        @Option(name: .customLong("drop"), help: ArgumentHelp(L("A fact to take out (repeatable)."), valueName: "key")) var drops: [String] = []
        @Option(help: ArgumentHelp(L("The version's message (default: what was changed)."), valueName: "message")) var message: String?

        func validate() throws {
            if facts.isEmpty, factsFile == nil, drops.isEmpty { throw ValidationError(L("give the facts to correct: --fact KEY=VALUE, --facts FILE or --drop KEY")) }
        }

        func run() throws {
            try runAudited("amend", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let document = try MendTarget.document(path, in: dossierID, vault: vault)
                let setting = try FactOptions.collect(file: factsFile, facts: facts, kind: document.kind)
                let removing = drops.map { FactsFile.factPath($0, kind: document.kind) }
                let result = try vault.filer.amend(dossierID, path: document.path, setting: setting, removing: removing, user: identity.agent, message: message)
                Terminal.out(L("{id} {version}: amended {path}", ["id": result.id.rawValue, "version": result.version.description, "path": document.path]))
                try MendTarget.printChanges(of: result, in: vault)
                FilingReport.findings(of: result.id, in: vault)
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Move a filed document to another kind (a new version; its bytes are not stored again)."),
            discussion: L("""
                For a paper filed under the wrong kind: its path becomes
                documents/<kind>/<name> and its facts are checked for the new kind; give the
                facts the new kind needs with --fact, and --drop those it does not take.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Argument(help: ArgumentHelp(L("The document's logical path (or its file name when only one document has it)."), valueName: "path")) var path: String
        @Option(help: ArgumentHelp(L("The kind to move it to: id or Chinese name."), valueName: "kind"), completion: .custom(Completions.kinds)) var kind: String
        @Option(name: .customLong("fact"), help: ArgumentHelp(L("A fact to set (repeatable)."), valueName: "key=value")) var facts: [String] = []
        @Option(name: .customLong("drop"), help: ArgumentHelp(L("A fact to take out (repeatable)."), valueName: "key")) var drops: [String] = []
        @Option(help: ArgumentHelp(L("The version's message (default: what was changed)."), valueName: "message")) var message: String?

        func run() throws {
            try runAudited("move", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let target = try FactOptions.kind(kind)
                let document = try MendTarget.document(path, in: dossierID, vault: vault)
                let setting = try FactOptions.collect(file: nil, facts: facts, kind: target)
                let removing = drops.map { FactsFile.factPath($0, kind: document.kind) }
                let result = try vault.filer.move(dossierID, path: document.path, to: target, setting: setting, removing: removing, user: identity.agent, message: message)
                Terminal.out(L("{id} {version}: moved {path} to {kind}", ["id": result.id.rawValue, "version": result.version.description, "path": document.path, "kind": KindText.name(target)]))
                try MendTarget.printChanges(of: result, in: vault)
                FilingReport.findings(of: result.id, in: vault)
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Change a dossier's record fields: title, unit, type, grant, funding (a new version)."),
            discussion: L("""
                Values are typed as for dossier new (ids or Chinese names). The classification
                is changed only by dossier classify and declassify, which re-store the papers.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Option(help: ArgumentHelp(L("The achievement's title (usually Chinese)."), valueName: "title")) var title: String?
        @Option(help: ArgumentHelp(L("The pilot unit: its id or name, e.g. imut or 内蒙古工业大学."), valueName: "unit"), completion: .custom(Completions.units)) var unit: String?
        @Option(help: ArgumentHelp(L("The achievement type: id or Chinese name, e.g. patent or 专利权."), valueName: "type"), completion: .custom(Completions.types)) var type: String?
        @Option(help: ArgumentHelp(L("How it was formed: fiscal 财政性资金, entrusted 接受企业、其他社会组织委托 or other 其他."), valueName: "funding")) var funding: String?
        @Option(help: ArgumentHelp(L("The right granted: ownership 所有权, long-term-use 长期使用权 or none 未赋权."), valueName: "grant")) var grant: String?
        @Option(name: .customLong("completer"), help: ArgumentHelp(L("A team member as NAME[:SHARE][:representative] (repeatable; replaces the team)."), valueName: "member"))
        var completers: [String] = []
        @Option(help: ArgumentHelp(L("The version's message (default: what was changed)."), valueName: "message")) var message: String?

        func validate() throws {
            if [title, unit, type, funding, grant].allSatisfy({ $0 == nil }), completers.isEmpty {
                throw ValidationError(L("give the fields to change: --title, --unit, --type, --grant, --funding or --completer"))
            }
        }

        func run() throws {
            try runAudited("edit", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                var understood: [String] = []
                var update = try RecordOptions.fields(
                    title: title, unit: unit, type: type, funding: funding, grant: grant, classification: nil, vault: vault, requireAll: false, understood: &understood)
                if !completers.isEmpty { update["completers"] = .array(try RecordOptions.completers(completers)) }
                let result = try vault.filer.edit(dossierID, update: update, user: identity.agent, message: message)
                Terminal.out(L("{id} {version}: record updated", ["id": result.id.rawValue, "version": result.version.description]))
                try MendTarget.printChanges(of: result, in: vault)
                FilingReport.findings(of: result.id, in: vault)
            }
        }
    }
}

/// Finding the document a mending command names, and showing what it changed.
enum MendTarget {
    /// The document at `path` in the head, or the one document whose file name is `path`.
    static func document(_ path: String, in id: DossierID, vault: Vault) throws -> DocumentEntry {
        let record = try vault.snapshot(of: id).record
        let wanted = path.precomposedNFC
        if let document = record.document(at: wanted) { return document }
        let named = record.documents.filter { $0.fileName == wanted }
        if named.count == 1 { return named[0] }
        throw FieldError(
            file: "command line", field: "PATH",
            problem: named.isEmpty
                ? "\(id) has no document \(wanted); it has: \(record.documents.map(\.path).joined(separator: ", "))"
                : "\(named.count) documents are named \(wanted); give the whole path: \(named.map(\.path).joined(separator: ", "))")
    }

    /// The fields and facts the new version changed, one line each.
    static func printChanges(of result: FilingResult, in vault: Vault) throws {
        guard result.version.number > 1 else { return }
        let snapshot = try vault.snapshot(of: result.id)
        let (documents, record) = try snapshot.diff(from: VersionNumber(result.version.number - 1), to: result.version)
        Terminal.lines(ChangeText.lines(documents: documents, record: record, indent: "  "))
    }
}
