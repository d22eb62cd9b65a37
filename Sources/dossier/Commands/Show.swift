import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a dossier's record, documents and facts.",
            discussion: """
                For the latest version, each document also says what the index could read of
                it: its text layer, OCR (with Tesseract's mean confidence), a scan still waiting
                for OCR (`dossier index` reads it), or why it has no text — a paper that does not
                open, or a scan with no text even after OCR.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The dossier id.") var id: String
        @Option(help: "The version to show (default: the latest).") var version: VersionNumber?

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let snapshot = try vault.snapshot(of: dossierID, version: version)
                // The index's view of the texts is of the latest version only; show works without it.
                let texts = snapshot.version == snapshot.head
                    ? (try? vault.index.withIndex(notice: IndexNotice.print) { try $0.textStates(of: dossierID) }) ?? [:] : [:]
                if output.json {
                    Terminal.json([
                        "dossier": .string(dossierID.rawValue),
                        "version": .string(snapshot.version.description),
                        "head": .string(snapshot.head.description),
                        "created": .string(snapshot.versionInfo?.created ?? ""),
                        "record": RecordCodec.encode(snapshot.record),
                        "texts": .object(JSONObject(texts.sorted { $0.key < $1.key }.map { ($0.key, RecordText.json($0.value)) })),
                    ])
                } else {
                    Terminal.out(RecordText.render(snapshot.record, version: snapshot.version, head: snapshot.head, vault: vault, texts: texts))
                }
            }
        }
    }
}

/// The text form of a record, for people.
enum RecordText {
    static func render(_ record: DossierRecord, version: VersionNumber, head: VersionNumber, vault: Vault, texts: [String: TextState] = [:]) -> String {
        var lines: [String] = []
        let versionNote = version == head ? "\(version)" : "\(version) (latest is \(head))"
        lines.append("\(record.id)  \(versionNote)  \(record.title)")
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 18, withPad: " ", startingAt: 0) + value) }
        row("unit", "\(record.unit) \(vault.settings.unitName(record.unit) ?? "")")
        row("type", "\(record.type.rawValue) \(record.type.chineseName ?? "")")
        row("funding", "\(record.funding.rawValue) \(record.funding.chineseName)")
        row("grant", "\(record.grant.rawValue) \(record.grant.chineseName)")
        row("classification", "\(record.classification.rawValue) \(record.classification.chineseName)")
        if let secrecy = record.secrecy {
            var parts = ["level \(secrecy.level.rawValue)"]
            if let date = secrecy.classifiedOn { parts.append("classified \(date)") }
            if let date = secrecy.until { parts.append("until \(date)") }
            if let condition = secrecy.condition { parts.append("until \(condition)") }
            if !secrecy.readers.isEmpty { parts.append("readers \(secrecy.readers.joined(separator: ", "))") }
            row("secrecy", parts.joined(separator: "; "))
        }
        row("national interest", record.nationalInterest ? "yes" : "no")
        row("ethics-sensitive", record.ethicsSensitive ? "yes" : "no")
        if !record.completers.isEmpty {
            let members = record.completers.map { member -> String in
                var text = member.name
                if let share = member.share { text += " \(JSONValue.number(share).serialized(.compact))%" }
                var notes: [String] = []
                if member.representative { notes.append("representative") }
                if member.legalHead { notes.append("legal head") }
                if let role = member.role { notes.append(role) }
                if !notes.isEmpty { text += " (\(notes.joined(separator: ", ")))" }
                return text
            }
            row("completers", members.joined(separator: ", "))
        }
        lines.append("  documents (\(record.documents.count))")
        for kind in DocumentKind.allCases {
            let documents = record.documents(of: kind)
            guard !documents.isEmpty else { continue }
            lines.append("    \(kind.displayName)")
            for document in documents {
                lines.append("      \(document.path)")
                if let encryption = document.encryption {
                    lines.append("        \(encryption.size) bytes, \(document.mediaType), stored encrypted (age) for \(encryption.readers.joined(separator: ", ")), filed \(document.filedAt) by \(document.filedBy)")
                } else {
                    lines.append("        \(document.size) bytes, \(document.mediaType), filed \(document.filedAt) by \(document.filedBy)")
                }
                let facts = document.facts.map { "\($0.key) \(factText($0.value))" }
                if !facts.isEmpty { lines.append("        " + facts.joined(separator: " · ")) }
                if let text = texts[document.path].flatMap(textLine) { lines.append("        " + text) }
                for verdict in document.signatures { lines.append("        signature: " + SignatureText.line(verdict)) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What the index read of a document, when there is something to say (not for plain text).
    static func textLine(_ state: TextState) -> String? {
        switch state.source {
        case .ocr where state.problem == nil:
            "text read by OCR (\(ByteCount.format(Int64(state.bytes)))" + (state.confidence.map { String(format: ", confidence %.0f", $0) } ?? "") + ")"
        case .awaitingOCR: "a scan waiting for OCR (dossier index reads it)"
        case .ocr, .failed: "no text: \(state.problem ?? "unreadable")"
        default: nil
        }
    }

    static func json(_ state: TextState) -> JSONValue {
        var object: JSONObject = ["source": .string(state.source.rawValue), "bytes": .number(Double(state.bytes))]
        if let problem = state.problem { object["problem"] = .string(problem) }
        if let confidence = state.confidence { object["confidence"] = .number((confidence * 10).rounded() / 10) }
        return .object(object)
    }

    static func factText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let elements): elements.map(factText).joined(separator: ", ")
        case .object(let object): "{" + object.map { "\($0.key) \(factText($0.value))" }.joined(separator: ", ") + "}"
        default: value.serialized(.compact)
        }
    }
}
