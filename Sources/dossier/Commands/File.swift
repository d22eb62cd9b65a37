import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("File signed papers into a dossier: one new version, all or nothing."),
            usage: """
                dossier file BUNDLE
                dossier file ID --kind KIND FILE... [--fact KEY=VALUE]... [--facts FILE] [--message M] [--by NAME --email E]
                """,
            discussion: L("""
                BUNDLE is a zip, tar or tar.gz file or a folder holding filing.json and the
                files it names (FORMATS.md §5). Every member must be a regular file named in
                filing.json.

                With --kind (an id or Chinese name: publicity-record or 单位内公示记录), the FILEs
                are filed as documents of that kind, each with the facts given by --facts (a
                file that `dossier template KIND` wrote and you filled in, or a JSON object) and
                --fact KEY=VALUE. Values are read by the fact's type: dates 2024-03-02,
                2024年3月2日, 2024/3/2 or 2024.3.2; lists 赵敏,孙磊 or 赵敏、孙磊; sums 1200000,
                120万 or 1,200,000; choices by id or Chinese name (同意); KEY may be dotted,
                e.g. counterparty.country=DE. A paper lacking a fact the rules read is refused
                with the list (dossier kinds shows them; --incomplete files it all the same).

                After filing, the command prints what it understood and the dossier's findings
                (as validate would), so that what is still missing is seen at once.

                A version that committed is never reported as refused: if its audit line (or the
                index) cannot be written afterwards — a full disk — the command prints the
                version, then "dossier: warning: … is filed, but its audit line could not be
                written …" on stderr, and exits 0; the next change to the dossier writes the
                line, marked "recovery": true.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("A bundle; or, with --kind, the dossier id followed by the files."), valueName: "bundle | id file"),
                  completion: .file())
        var arguments: [String] = []

        @Option(help: ArgumentHelp(L("The kind of every FILE (with ID FILE...): id or Chinese name."), valueName: "kind"), completion: .custom(Completions.kinds))
        var kind: String?

        @Option(name: .customLong("fact"), help: ArgumentHelp(L("A fact of the documents (repeatable)."), valueName: "key=value"))
        var facts: [String] = []

        @Option(name: .customLong("facts"), help: ArgumentHelp(L("A facts file (from dossier template KIND) or a JSON object of facts."), valueName: "file"), completion: .file())
        var factsFile: String?

        @Flag(help: ArgumentHelp(L("File the papers even when facts the rules read are not given yet.")))
        var incomplete = false

        @Option(help: ArgumentHelp(L("The version's message (default: what was filed)."), valueName: "message"))
        var message: String?

        func validate() throws {
            if kind == nil {
                guard arguments.count == 1 else {
                    throw ValidationError(arguments.isEmpty ? L("give a bundle, or ID --kind KIND FILE...") : L("give one bundle, or use --kind KIND to file FILEs into a dossier"))
                }
                if !facts.isEmpty || factsFile != nil { throw ValidationError(L("--fact and --facts go with --kind; a bundle carries its facts in filing.json")) }
            } else if arguments.count < 2 {
                throw ValidationError(L("with --kind, give the dossier ID and at least one FILE"))
            }
        }

        func run() throws {
            let target: (dossier: String?, details: JSONObject) = kind == nil ? (nil, ["bundle": .string(arguments[0])]) : (arguments[0], JSONObject())
            try runAudited("filing", dossier: target.dossier, vault: vaultOptions, by: identity.agent, details: target.details) {
                let vault = try vaultOptions.open()
                if kind != nil {
                    try fileDirectly(vault)
                } else {
                    try fileBundle(vault, path: arguments[0])
                }
            }
        }

        private func fileBundle(_ vault: Vault, path: String) throws {
            var progress = ProgressLines()
            let result = try vault.filer.file(bundleAt: path, user: identity.agent, message: message) { progress.update($0) }
            progress.finish()
            FilingReport.print(result)
            FilingCheck.warn(result, vault: vault)
            FilingReport.findings(of: result.id, in: vault)
        }

        private func fileDirectly(_ vault: Vault) throws {
            let id = try parseDossierID(arguments[0])
            // swift-format-ignore: NeverForceUnwrap
            let documentKind = try FactOptions.kind(kind!)
            let factsObject = try FactOptions.collect(file: factsFile, facts: facts, kind: documentKind)
            let facts = try FactSchema.validate(FieldReader(file: factsFile ?? "command line", value: .object(factsObject), path: "facts"), kind: documentKind)
            if !incomplete { try FactOptions.refuseLacking(facts, kind: documentKind) }
            var progress = ProgressLines()
            let result = try vault.filer.file(
                Array(arguments.dropFirst()), kind: documentKind, facts: facts, into: id, user: identity.agent, message: message
            ) { progress.update($0) }
            progress.finish()
            FilingReport.print(result)
            FilingReport.understood(kind: documentKind, facts: facts)
            FilingCheck.warn(result, vault: vault)
            FilingReport.findings(of: result.id, in: vault)
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Rename a filed document (a new version; the old name stays in history)."),
            discussion: L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Argument(help: ArgumentHelp(L("The document's logical path, e.g. documents/publicity-record/公示.pdf."), valueName: "path")) var path: String
        @Argument(help: ArgumentHelp(L("The new file name (same kind)."), valueName: "new-name")) var newName: String
        @Option(help: ArgumentHelp(L("The version's message."), valueName: "message")) var message: String?

        func run() throws {
            try runAudited("rename", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let result = try vault.filer.rename(try parseDossierID(id), path: path, to: newName, user: identity.agent, message: message)
                Terminal.out(L("{id} {version}: renamed {path} to {name}", ["id": result.id.rawValue, "version": result.version.description, "path": path, "name": newName]))
                Terminal.warnings(result)
            }
        }
    }
}

/// Facts typed on the command line or in a facts file.
enum FactOptions {
    /// A kind by id or Chinese name; a mistyped one is refused with what was meant.
    static func kind(_ text: String, option: String = "--kind") throws -> DocumentKind {
        switch DocumentKind.typed(text) {
        case .success(let kind): return kind
        case .failure(let problem): throw FieldError(file: "command line", field: option, problem: problem.message)
        }
    }

    /// --facts FILE, then each --fact on top of it, every value read by its fact's type.
    static func collect(file: String?, facts: [String], kind: DocumentKind, into start: JSONObject = JSONObject()) throws -> JSONObject {
        var object = start
        if let file {
            let bytes = try DossierKit.FileSystem.readFile(file)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FieldError(file: file, field: "", problem: "not valid UTF-8; save the file as UTF-8")
            }
            for (key, value) in try FactsFile.read(text, file: file, kind: kind) { object[key] = value }
        }
        for text in facts {
            guard let equals = text.firstIndex(where: { $0 == "=" || $0 == "＝" }), equals != text.startIndex else {
                throw FieldError(file: "command line", field: "--fact", problem: "expected KEY=VALUE, got \"\(text)\"")
            }
            let key = FactsFile.factPath(String(text[..<equals]).trimmingSpaces, kind: kind)
            let raw = String(text[text.index(after: equals)...])
            do {
                object = FactsFile.setting(try FactSchema.read(raw, at: key, kind: kind), at: key, in: object)
            } catch {
                throw FieldError(file: "command line", field: "--fact \(key)", problem: error.message)
            }
        }
        return object
    }

    /// Refuses facts that lack what the rules read, naming every one.
    static func refuseLacking(_ facts: JSONObject, kind: DocumentKind) throws {
        let lacking = FactSchema.lacking(facts, kind: kind)
        guard !lacking.isEmpty else { return }
        let list = lacking.map { "\($0.fact) (\($0.rule))" }.joined(separator: ", ")
        throw FieldError(
            file: "command line", field: "facts",
            problem: "a \(kind.rawValue) needs \(list) for the rules; give them with --fact KEY=VALUE or --facts FILE (dossier template \(kind.rawValue)), or file with --incomplete")
    }
}

/// What the filing commands print after a filing.
enum FilingReport {
    static func print(_ result: FilingResult) {
        var values = [
            "id": result.id.rawValue, "version": result.version.description, "count": String(result.documents.count),
            "files": String(result.storedFiles), "size": sizeText(result.storedBytes), "same": String(result.deduplicatedFiles),
        ]
        var line = result.documents.isEmpty
            ? L("{id} {version}: record updated", values)
            : L("{id} {version}: filed {count} {count|document|documents}", values)
        if result.created { line += L(" (new dossier)") }
        values["size"] = sizeText(result.storedBytes)
        line += L("; stored {files} new {files|file|files} ({size})", values)
        if result.deduplicatedFiles > 0 { line += L(", {same} already in the dossier", values) }
        Terminal.out(line)
        for (path, verdicts) in result.signatures.sorted(by: { $0.key < $1.key }) {
            for verdict in verdicts { Terminal.out("  \(path): \(SignatureText.line(verdict))") }
        }
        for note in result.paperNotes {
            let values = ["id": result.id.rawValue, "path": note.path, "detail": translated(note.detail)]
            switch note.kind {
            case .unreadable: Terminal.note(L("dossier: warning: {id} {path}: does not open: {detail}", values))
            case .awaitingOCR: Terminal.note(L("dossier: note: {id} {path}: {detail}", values))
            }
        }
        for note in result.notes { Terminal.note("dossier: warning: \(note)") }
        Terminal.warnings(result)
    }

    /// `understood: signedOn 2024-03-02 · parties 赵敏, 孙磊` — the facts as stored.
    static func understood(kind: DocumentKind, facts: JSONObject) {
        Terminal.out(L("  understood: {kind}; {facts}", ["kind": KindText.name(kind), "facts": RecordText.factsLine(facts)]))
    }

    /// The dossier's findings at its new head, one short line each, and their count.
    static func findings(of id: DossierID, in vault: Vault) {
        guard let profile = try? vault.profile() else { return }
        let asOf = vault.clock.today
        let results = RuleResults(vault: vault, ids: [id]) { RuleEngine.evaluate(record: $0.record, history: $0.history, profile: profile, asOf: asOf) }
        let findings = results.values.flatMap { $0 }
        guard !findings.isEmpty else {
            Terminal.out(L("  the dossier is in order: no finding as of {date}", ["date": asOf.description]))
            return
        }
        let errors = findings.filter { $0.severity == .error }.count
        Terminal.out(L("  still to do ({count} {count|finding|findings}, {errors} {errors|error|errors}; dossier validate {id} shows them again):",
                       ["count": String(findings.count), "errors": String(errors), "id": id.rawValue]))
        Terminal.lines(findings.map { "    " + FindingText.short($0) })
    }
}

/// The filing-stage four-properties check (四性检测, DA/T 70) of a version just filed: an item that
/// failed or warned is printed as a warning with the filing, never a refusal (the rules decide what
/// a dossier needs; `dossier validate` judges them), but for I2 and I3 (see ``Words/quietAtFiling``). S2 scans with ClamAV when `DOSSIER_CLAMAV_DB`
/// names a signature database.
enum FilingCheck {
    static func warn(_ result: FilingResult, vault: Vault) {
        let now = Date()
        let timestamp = Timestamp.rfc3339(unixSeconds: Int64(now.timeIntervalSince1970), offsetSeconds: vault.settings.offsetSeconds)
        var options = FourPropertiesOptions(stage: .filing, asOf: vault.clock.today, checkedAt: timestamp, signatureTime: timestamp)
        if let database = ProcessInfo.processInfo.environment["DOSSIER_CLAMAV_DB"], !database.isEmpty {
            do { options.scanner = try VirusScanner(databaseAt: database) } catch {
                Terminal.note(Words.scannerUnavailable(database, "\(error)"))
            }
        }
        let report = vault.checkFiling(result, options: options)
        for line in Words.filingWarnings(report) { Terminal.note(line) }
    }
}

extension Words {
    /// `dossier: warning: IMUT-2021-0007 v4: four-properties U2 可用性 failed: documents/…: its name says PDF, but its bytes are PNG image`
    /// — 警告：档案 … 四性检测 U2 可用性 不通过：…
    static func filingWarnings(_ report: FourPropertiesReport) -> [String] {
        var lines: [String] = []
        // I2 and I3 judge whether the dossier is complete, which one being assembled is not until its
        // last paper: `validate` and `check` report them; printed with every filing they would
        // repeat the same list each time.
        for result in report.items where (result.outcome == .failed || result.outcome == .warning) && !quietAtFiling.contains(result.item) {
            let values = [
                "subject": report.subject, "version": report.version ?? "", "item": result.item.rawValue,
                "property": result.item.property.chineseName, "outcome": word(result.outcome),
            ]
            func line(_ detail: String) -> String {
                var values = values
                values["detail*"] = translated(detail)
                return L("dossier: warning: {subject} {version}: four-properties {item} {property} {outcome}: {detail*}", values)
            }
            let details = result.details.filter { $0.outcome == .failed || $0.outcome == .warning }
            if details.isEmpty {
                lines.append(line(result.summary))
            } else {
                lines += details.map { line($0.description) }
            }
        }
        return lines
    }

    /// The filing-stage items `dossier file` does not print (the report still holds them).
    static let quietAtFiling: Set<CheckItem> = [.I2, .I3]

    /// 病毒库无法加载，S2 未检测
    static func scannerUnavailable(_ database: String, _ problem: String) -> String {
        L("dossier: warning: DOSSIER_CLAMAV_DB={database}: {problem}; S2 (virus scan) not run", ["database": database, "problem": problem])
    }
}
