import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Open a dossier (version v1) from a record file or from options."),
            usage: """
                dossier new --record FILE.json [ID]
                dossier new ID --title T --unit U --type T --grant G --funding F [--completer NAME:SHARE[:representative]]...
                """,
            discussion: L("""
                A record file holds the dossier's fields (FORMATS.md §3) without documents; its
                "id" may be given there or as ID.

                With options, every field may be typed by its id or its Chinese name:
                --unit imut or 内蒙古工业大学, --type patent or 专利权, --grant ownership or 所有权,
                --funding fiscal or 财政性资金, --classification secret or 秘密. Title, unit,
                type, grant and funding are required; the command says which are missing and
                prints what it understood.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: ArgumentHelp(L("The dossier id, e.g. IMUT-2021-0007."), valueName: "id"), completion: .custom(Completions.none))
        var id: String?

        @Option(help: ArgumentHelp(L("A JSON file with the record's fields."), valueName: "file.json"))
        var record: String?

        @Option(help: ArgumentHelp(L("The achievement's title (usually Chinese)."), valueName: "title")) var title: String?
        @Option(help: ArgumentHelp(L("The pilot unit: its id or name, e.g. imut or 内蒙古工业大学."), valueName: "unit"), completion: .custom(Completions.units))
        var unit: String?
        @Option(help: ArgumentHelp(L("The achievement type: id or Chinese name, e.g. patent or 专利权."), valueName: "type"), completion: .custom(Completions.types))
        var type: String?
        @Option(help: ArgumentHelp(L("How it was formed: fiscal 财政性资金, entrusted 接受企业、其他社会组织委托 or other 其他."), valueName: "funding"),
                completion: .list(Funding.allCases.map(\.rawValue)))
        var funding: String?
        @Option(help: ArgumentHelp(L("The right granted: ownership 所有权, long-term-use 长期使用权 or none 未赋权."), valueName: "grant"),
                completion: .list(GrantKind.allCases.map(\.rawValue)))
        var grant: String?
        @Option(help: ArgumentHelp(L("none 非密, secret 秘密, confidential 机密 or top-secret 绝密."), valueName: "level"),
                completion: .list(Classification.allCases.map(\.rawValue)))
        var classification: String?
        @Flag(help: ArgumentHelp(L("The achievement may affect national or public security (R01)."))) var nationalInterest = false
        @Flag(help: ArgumentHelp(L("The achievement is subject to S&T ethics review (R18)."))) var ethicsSensitive = false
        @Option(name: .customLong("completer"), help: ArgumentHelp(L("A team member as NAME[:SHARE][:representative] (repeatable)."), valueName: "member"))
        var completers: [String] = []
        @Option(help: ArgumentHelp(L("The version's message."), valueName: "message")) var message: String?

        func validate() throws {
            if record == nil, id == nil { throw ValidationError(L("give a dossier ID with --title, --unit, --type, --grant and --funding, or --record FILE.json")) }
            if record != nil, [title, unit, type, funding, grant, classification].contains(where: { $0 != nil }) || !completers.isEmpty {
                throw ValidationError(L("--record takes the fields from the file; do not combine it with field options"))
            }
        }

        func run() throws {
            try runAudited("new dossier", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let reader: FieldReader
                var understood: [String] = []
                if let record {
                    reader = try FieldReader.parse(file: record, data: try FileSystem.readFile(record))
                } else {
                    let fields = try RecordOptions.fields(
                        title: title, unit: unit, type: type, funding: funding, grant: grant, classification: classification,
                        vault: vault, requireAll: true, understood: &understood)
                    var object = fields
                    object["nationalInterest"] = .bool(nationalInterest)
                    object["ethicsSensitive"] = .bool(ethicsSensitive)
                    if !completers.isEmpty { object["completers"] = .array(try RecordOptions.completers(completers)) }
                    reader = FieldReader(file: "command line", value: .object(object))
                }
                let dossierID: DossierID
                if let id {
                    dossierID = try parseDossierID(id)
                } else {
                    dossierID = try reader.required("id").dossierID()
                }
                let newRecord = try RecordCodec.newRecord(id: dossierID, from: reader)
                let result = try vault.filer.open(newRecord, user: identity.agent, message: message, source: reader.file)
                Terminal.out(L("{id} {version}: opened {title}", ["id": result.id.rawValue, "version": result.version.description, "title": newRecord.title]))
                if !understood.isEmpty { Terminal.out(L("  understood: {fields}", ["fields": understood.joined(separator: L(", "))])) }
                Terminal.warnings(result)
            }
        }
    }
}

/// The record's fields typed as options (`new`, `edit`), read by id or Chinese name and
/// checked against the vault's units and the profile's types.
enum RecordOptions {
    /// The fields given, as a record's JSON members; `understood` gets one entry per field
    /// saying what was read (`unit imut 内蒙古工业大学`).
    /// - Parameter requireAll: refuse when title, unit, type, grant or funding is missing
    ///   (naming every missing option), as a new dossier needs them all.
    static func fields(
        title: String?, unit: String?, type: String?, funding: String?, grant: String?, classification: String?,
        vault: Vault, requireAll: Bool, understood: inout [String]
    ) throws -> JSONObject {
        if requireAll {
            let missing = [("--title", title), ("--unit", unit), ("--type", type), ("--grant", grant), ("--funding", funding)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                throw FieldError(file: "command line", field: missing.joined(separator: ", "), problem: missingHint(missing, vault: vault))
            }
        }
        var object = JSONObject()
        func fail(_ option: String, _ problem: TypedInput.Problem) -> FieldError {
            FieldError(file: "command line", field: option, problem: problem.message)
        }
        if let title {
            guard !title.allSatisfy(\.isWhitespace) else { throw FieldError(file: "command line", field: "--title", problem: "expected a non-empty string") }
            object["title"] = .string(title.precomposedNFC)
        }
        if let unit {
            switch RecordInput.unit(unit, units: vault.settings.units) {
            case .success(let id):
                object["unit"] = .string(id)
                understood.append(L("unit") + " \(id) \(vault.settings.unitName(id) ?? "")")
            case .failure(let problem): throw fail("--unit", problem)
            }
        }
        if let type {
            let profile = try vault.profile()
            switch RecordInput.type(type, types: profile.types) {
            case .success(let chosen):
                object["type"] = .string(chosen.rawValue)
                understood.append(L("type") + " \(chosen.rawValue) \(profile.types.first { $0.id == chosen }?.name ?? "")")
            case .failure(let problem): throw fail("--type", problem)
            }
        }
        if let grant {
            switch RecordInput.grant(grant) {
            case .success(let value):
                object["grant"] = .string(value.rawValue)
                understood.append(L("grant") + " \(value.rawValue) \(value.chineseName)")
            case .failure(let problem): throw fail("--grant", problem)
            }
        }
        if let funding {
            switch RecordInput.funding(funding) {
            case .success(let value):
                object["funding"] = .string(value.rawValue)
                understood.append(L("funding") + " \(value.rawValue) \(value.chineseName)")
            case .failure(let problem): throw fail("--funding", problem)
            }
        }
        if let classification {
            switch RecordInput.classification(classification) {
            case .success(let value):
                object["classification"] = .string(value.rawValue)
                understood.append(L("classification") + " \(value.rawValue) \(value.chineseName)")
            case .failure(let problem): throw fail("--classification", problem)
            }
        }
        return object
    }

    /// What each missing option takes.
    static func missingHint(_ missing: [String], vault: Vault) -> String {
        var hints: [String] = []
        for option in missing {
            switch option {
            case "--title": hints.append("--title TEXT")
            case "--unit": hints.append("--unit " + vault.settings.units.map { "\($0.id) (\($0.name))" }.joined(separator: " | "))
            case "--type": hints.append("--type patent (专利权), plant-variety (植物新品种权), … (dossier new --help)")
            case "--grant": hints.append("--grant " + GrantKind.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: " | "))
            case "--funding": hints.append("--funding " + Funding.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: " | "))
            default: hints.append(option)
            }
        }
        return "missing; a new dossier needs them: \(hints.joined(separator: "; "))"
    }

    /// `--completer NAME[:SHARE][:representative]` as the record's completers.
    static func completers(_ texts: [String]) throws -> [JSONValue] {
        var members: [JSONValue] = []
        for text in texts {
            let parts = text.split(whereSeparator: { $0 == ":" || $0 == "：" }).map(String.init)
            guard let name = parts.first, !name.allSatisfy(\.isWhitespace) else {
                throw FieldError(file: "command line", field: "--completer", problem: "expected NAME[:SHARE][:representative], got \"\(text)\"")
            }
            var member = JSONObject()
            member["name"] = .string(name.precomposedNFC)
            for part in parts.dropFirst() {
                if ["representative", "rep", "代表", "指定代表"].contains(part) {
                    member["representative"] = .bool(true)
                } else if case .success(let share) = TypedInput.number(part) {
                    member["share"] = .number(share)
                } else {
                    throw FieldError(file: "command line", field: "--completer", problem: "expected NAME[:SHARE][:representative], got \"\(text)\"")
                }
            }
            members.append(.object(member))
        }
        return members
    }
}
