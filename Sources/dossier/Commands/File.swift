import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File signed papers into a dossier: one new version, all or nothing.",
            usage: """
                dossier file BUNDLE
                dossier file ID --kind KIND FILE... [--fact KEY=VALUE]... [--facts FILE.json] [--message M] [--by NAME --email E]
                """,
            discussion: """
                BUNDLE is a zip, tar or tar.gz file or a folder holding filing.json and the
                files it names (FORMATS.md §5). Every member must be a regular file named in
                filing.json.

                With --kind, the FILEs are filed as documents of that kind, each with the facts
                given by --facts (a JSON object) and --fact KEY=VALUE (VALUE is read as JSON
                when it parses, else as text; KEY may be dotted, e.g. counterparty.name=某公司).

                Kinds: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp("A bundle; or, with --kind, the dossier id followed by the files.", valueName: "bundle | id file"))
        var arguments: [String] = []

        @Option(help: "The kind of every FILE (with ID FILE...).")
        var kind: String?

        @Option(name: .customLong("fact"), help: ArgumentHelp("A fact of the documents (repeatable).", valueName: "key=value"))
        var facts: [String] = []

        @Option(name: .customLong("facts"), help: ArgumentHelp("A JSON object of facts.", valueName: "file.json"))
        var factsFile: String?

        @Option(help: "The version's message (default: what was filed).")
        var message: String?

        func validate() throws {
            if kind == nil {
                guard arguments.count == 1 else {
                    throw ValidationError(arguments.isEmpty ? "give a bundle, or ID --kind KIND FILE..." : "give one bundle, or use --kind KIND to file FILEs into a dossier")
                }
                if !facts.isEmpty || factsFile != nil { throw ValidationError("--fact and --facts go with --kind; a bundle carries its facts in filing.json") }
            } else if arguments.count < 2 {
                throw ValidationError("with --kind, give the dossier ID and at least one FILE")
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
            report(result)
            FilingCheck.warn(result, vault: vault)
        }

        private func fileDirectly(_ vault: Vault) throws {
            let id = try parseDossierID(arguments[0])
            // swift-format-ignore: NeverForceUnwrap
            let kindText = kind!
            let kindReader = FieldReader(file: "command line", value: .string(kindText), path: "--kind")
            let documentKind = try kindReader.documentKind()
            let factsObject = try collectFacts()
            let facts = try FactSchema.validate(FieldReader(file: factsFile ?? "command line", value: .object(factsObject), path: "facts"), kind: documentKind)
            var progress = ProgressLines()
            let result = try vault.filer.file(
                Array(arguments.dropFirst()), kind: documentKind, facts: facts, into: id, user: identity.agent, message: message
            ) { progress.update($0) }
            progress.finish()
            report(result)
            FilingCheck.warn(result, vault: vault)
        }

        /// --facts FILE.json, then each --fact on top of it.
        private func collectFacts() throws -> JSONObject {
            var object = JSONObject()
            if let factsFile {
                let reader = try FieldReader.parse(file: factsFile, data: try DossierKit.FileSystem.readFile(factsFile))
                object = try reader.object()
            }
            for text in facts {
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                    throw FieldError(file: "command line", field: "--fact", problem: "expected KEY=VALUE, got \"\(text)\"")
                }
                let key = String(text[..<equals])
                let raw = String(text[text.index(after: equals)...])
                let value = (try? JSONValue.parse(raw)) ?? .string(raw)
                object = Self.setting(value, at: key.split(separator: ".").map(String.init), in: object)
            }
            return object
        }

        static func setting(_ value: JSONValue, at path: [String], in object: JSONObject) -> JSONObject {
            var object = object
            guard let first = path.first else { return object }
            if path.count == 1 {
                object[first] = value
            } else {
                object[first] = .object(setting(value, at: Array(path.dropFirst()), in: object[first]?.objectValue ?? JSONObject()))
            }
            return object
        }

        private func report(_ result: FilingResult) {
            var line = "\(result.id) \(result.version): filed \(result.documents.count) document\(result.documents.count == 1 ? "" : "s")"
            if result.documents.isEmpty { line = "\(result.id) \(result.version): record updated" }
            if result.created { line += " (new dossier)" }
            line += "; stored \(result.storedFiles) new file\(result.storedFiles == 1 ? "" : "s") (\(ByteCount.format(result.storedBytes)))"
            if result.deduplicatedFiles > 0 { line += ", \(result.deduplicatedFiles) already in the dossier" }
            Terminal.out(line)
            for (path, verdicts) in result.signatures.sorted(by: { $0.key < $1.key }) {
                for verdict in verdicts { Terminal.out("  \(path): \(SignatureText.line(verdict))") }
            }
            for note in result.paperNotes {
                switch note.kind {
                case .unreadable: Terminal.note("dossier: warning: \(result.id) \(note.path): does not open: \(note.detail)")
                case .awaitingOCR: Terminal.note("dossier: note: \(result.id) \(note.path): \(note.detail)")
                }
            }
            if let warning = result.indexWarning { Terminal.note("dossier: warning: \(warning)") }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a filed document (a new version; the old name stays in history).",
            discussion: ExitStatus.help)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: "The dossier id.") var id: String
        @Argument(help: "The document's logical path, e.g. documents/publicity-record/公示.pdf.") var path: String
        @Argument(help: "The new file name (same kind).") var newName: String
        @Option(help: "The version's message.") var message: String?

        func run() throws {
            try runAudited("rename", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let result = try vault.filer.rename(try parseDossierID(id), path: path, to: newName, user: identity.agent, message: message)
                Terminal.out("\(result.id) \(result.version): renamed \(path) to \(newName)")
            }
        }
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
            let head = "dossier: warning: \(report.subject) \(report.version ?? ""): four-properties \(result.item.rawValue) \(result.item.property.chineseName) \(result.outcome.rawValue)"
            let details = result.details.filter { $0.outcome == .failed || $0.outcome == .warning }
            if details.isEmpty {
                lines.append("\(head): \(result.summary)")
            } else {
                lines += details.map { "\(head): \($0.description)" }
            }
        }
        return lines
    }

    /// The filing-stage items `dossier file` does not print (the report still holds them).
    static let quietAtFiling: Set<CheckItem> = [.I2, .I3]

    /// 病毒库无法加载，S2 未检测
    static func scannerUnavailable(_ database: String, _ problem: String) -> String {
        "dossier: warning: DOSSIER_CLAMAV_DB=\(database): \(problem); S2 (virus scan) not run"
    }
}
