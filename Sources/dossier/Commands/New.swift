import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a dossier (version v1) from a record file or from options.",
            usage: """
                dossier new --record FILE.json [ID]
                dossier new ID --title T --unit U --type T --grant G [--funding F] [--completer NAME:SHARE[:representative]]...
                """,
            discussion: """
                A record file holds the dossier's fields (FORMATS.md §3) without documents; its
                "id" may be given there or as ID.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions

        @Argument(help: "The dossier id, e.g. IMUT-2021-0007.")
        var id: String?

        @Option(help: ArgumentHelp("A JSON file with the record's fields.", valueName: "file.json"))
        var record: String?

        @Option(help: "The achievement's title (usually Chinese).") var title: String?
        @Option(help: "The pilot unit's id, e.g. imut.") var unit: String?
        @Option(help: "The achievement type, e.g. patent, plant-variety.") var type: String?
        @Option(help: "fiscal, entrusted or other.") var funding: String?
        @Option(help: "ownership, long-term-use or none.") var grant: String?
        @Option(help: "none, secret, confidential or top-secret.") var classification: String?
        @Flag(help: "The achievement may affect national or public security (R01).") var nationalInterest = false
        @Flag(help: "The achievement is subject to S&T ethics review (R18).") var ethicsSensitive = false
        @Option(name: .customLong("completer"), help: ArgumentHelp("A team member as NAME[:SHARE][:representative] (repeatable).", valueName: "member"))
        var completers: [String] = []
        @Option(help: "The version's message.") var message: String?

        func validate() throws {
            if record == nil, id == nil { throw ValidationError("give a dossier ID with --title, --unit, --type and --grant, or --record FILE.json") }
            if record != nil, [title, unit, type, funding, grant, classification].contains(where: { $0 != nil }) || !completers.isEmpty {
                throw ValidationError("--record takes the fields from the file; do not combine it with field options")
            }
        }

        func run() throws {
            try runAudited("new dossier", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                let reader: FieldReader
                if let record {
                    reader = try FieldReader.parse(file: record, data: try FileSystem.readFile(record))
                } else {
                    reader = FieldReader(file: "command line", value: .object(try optionFields()))
                }
                let dossierID: DossierID
                if let id {
                    dossierID = try parseDossierID(id)
                } else {
                    dossierID = try reader.required("id").dossierID()
                }
                let newRecord = try RecordCodec.newRecord(id: dossierID, from: reader)
                let result = try vault.filer.open(newRecord, user: identity.agent, message: message, source: reader.file)
                Terminal.out("\(result.id) \(result.version): opened \(newRecord.title)")
                Terminal.warnings(result)
            }
        }

        /// The options as the fields of a record, so they pass through the same checks as a file.
        func optionFields() throws -> JSONObject {
            var object = JSONObject()
            if let title { object["title"] = .string(title) }
            if let unit { object["unit"] = .string(unit) }
            if let type { object["type"] = .string(type) }
            object["funding"] = .string(funding ?? "other")
            if let grant { object["grant"] = .string(grant) }
            if let classification { object["classification"] = .string(classification) }
            object["nationalInterest"] = .bool(nationalInterest)
            object["ethicsSensitive"] = .bool(ethicsSensitive)
            var members: [JSONValue] = []
            for text in completers {
                let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                var member = JSONObject()
                member["name"] = .string(parts[0])
                for part in parts.dropFirst() {
                    if part == "representative" || part == "rep" {
                        member["representative"] = .bool(true)
                    } else if let share = Double(part.hasSuffix("%") ? String(part.dropLast()) : part) {
                        member["share"] = .number(share)
                    } else {
                        throw FieldError(file: "command line", field: "--completer", problem: "expected NAME[:SHARE][:representative], got \"\(text)\"")
                    }
                }
                members.append(.object(member))
            }
            if !members.isEmpty { object["completers"] = .array(members) }
            return object
        }
    }
}
