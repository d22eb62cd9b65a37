import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Show a dossier's record, documents and facts."),
            discussion: L("""
                For the latest version, each document also says what the index could read of
                it: its text layer, OCR (with Tesseract's mean confidence), a scan still waiting
                for OCR (`dossier index` reads it), or why it has no text — a paper that does not
                open, or a scan with no text even after OCR.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(L("The dossier id."), valueName: "id"), completion: .custom(Completions.ids)) var id: String
        @Option(name: [.customLong("at"), .customLong("version")], help: ArgumentHelp(L("The version to show, e.g. v3 (default: the latest); --version vN is the same."), valueName: "vN"))
        var version: VersionNumber?

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
        let versionNote = version == head ? "\(version)" : L("{version} (latest is {head})", ["version": version.description, "head": head.description])
        lines.append("\(record.id)  \(versionNote)  \(record.title)")
        func row(_ label: String, _ value: String) { lines.append("  " + DisplayWidth.padded(label, to: 18) + value) }
        row(L("unit"), "\(record.unit) \(vault.settings.unitName(record.unit) ?? "")")
        row(L("type"), "\(record.type.rawValue) \(record.type.chineseName ?? "")")
        row(L("funding"), "\(record.funding.rawValue) \(record.funding.chineseName)")
        row(L("grant"), "\(record.grant.rawValue) \(record.grant.chineseName)")
        row(L("classification"), "\(record.classification.rawValue) \(record.classification.chineseName)")
        if let secrecy = record.secrecy {
            var parts = [L("level {level}", ["level": secrecy.level.rawValue])]
            if let date = secrecy.classifiedOn { parts.append(L("classified {date}", ["date": date.description])) }
            if let date = secrecy.until { parts.append(L("until {until}", ["until": date.description])) }
            if let condition = secrecy.condition { parts.append(L("until {until}", ["until": condition])) }
            if !secrecy.readers.isEmpty { parts.append(L("readers {readers}", ["readers": secrecy.readers.joined(separator: ", ")])) }
            row(L("secrecy"), parts.joined(separator: Lang.isChinese ? "；" : "; "))
        }
        row(L("national interest"), record.nationalInterest ? L("yes") : L("no"))
        row(L("ethics-sensitive"), record.ethicsSensitive ? L("yes") : L("no"))
        if !record.completers.isEmpty {
            let members = record.completers.map { member -> String in
                var text = member.name
                if let share = member.share { text += " \(JSONValue.number(share).serialized(.compact))%" }
                var notes: [String] = []
                if member.representative { notes.append(L("representative")) }
                if member.legalHead { notes.append(L("legal head")) }
                if let role = member.role { notes.append(role) }
                if !notes.isEmpty { text += " (\(notes.joined(separator: ", ")))" }
                return text
            }
            row(L("completers"), members.joined(separator: ", "))
        }
        lines.append("  " + L("documents ({count})", ["count": String(record.documents.count)]))
        for kind in DocumentKind.allCases {
            let documents = record.documents(of: kind)
            guard !documents.isEmpty else { continue }
            lines.append("    \(KindText.name(kind))")
            for document in documents {
                lines.append("      \(document.path)")
                if let encryption = document.encryption {
                    lines.append("        " + L("{size} bytes, {type}, stored encrypted (age) for {readers}, filed {at} by {by}", ["size": String(encryption.size), "type": document.mediaType, "readers": encryption.readers.joined(separator: ", "), "at": document.filedAt, "by": document.filedBy]))
                } else {
                    lines.append("        " + L("{size} bytes, {type}, filed {at} by {by}", ["size": String(document.size), "type": document.mediaType, "at": document.filedAt, "by": document.filedBy]))
                }
                if !document.facts.isEmpty { lines.append("        " + factsLine(document.facts)) }
                if let text = texts[document.path].flatMap(textLine) { lines.append("        " + text) }
                for verdict in document.signatures { lines.append("        " + L("signature: {verdict}", ["verdict": SignatureText.line(verdict)])) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What the index read of a document, when there is something to say (not for plain text).
    static func textLine(_ state: TextState) -> String? {
        switch state.source {
        case .ocr where state.problem == nil:
            state.confidence.map { L("text read by OCR ({size}, confidence {confidence})", ["size": sizeText(Int64(state.bytes)), "confidence": String(format: "%.0f", $0)]) }
                ?? L("text read by OCR ({size})", ["size": sizeText(Int64(state.bytes))])
        case .awaitingOCR: L("a scan waiting for OCR (dossier index reads it)")
        case .ocr, .failed: L("no text: {problem*}", ["problem*": state.problem.map(translated) ?? L("unreadable")])
        default: nil
        }
    }

    static func json(_ state: TextState) -> JSONValue {
        var object: JSONObject = ["source": .string(state.source.rawValue), "bytes": .number(Double(state.bytes))]
        if let problem = state.problem { object["problem"] = .string(problem) }
        if let confidence = state.confidence { object["confidence"] = .number((confidence * 10).rounded() / 10) }
        return .object(object)
    }

    /// `signedOn 2024-03-02 · parties 赵敏, 孙磊`; in Chinese the facts and choices by their
    /// Chinese names: `签署日期 2024-03-02 · 当事方 赵敏、孙磊 · 决定 同意`.
    static func factsLine(_ facts: JSONObject) -> String {
        // Members of a group by the group's dotted name (counterparty.country), else as a member
        // of a list of people (members: name, share).
        let memberNames = ["name": "姓名", "share": "份额", "role": "职务"]
        func name(_ key: String, in group: String?) -> String {
            guard Lang.isChinese else { return key }
            return group.flatMap { FactSchema.factNames["\($0).\(key)"] } ?? FactSchema.factNames[key].flatMap { group == nil ? $0 : nil } ?? memberNames[key] ?? key
        }
        func shown(_ fact: JSONValue, in group: String) -> String {
            guard Lang.isChinese else { return factText(fact) }
            switch fact {
            case .string(let text): return FactSchema.choiceNames[text]?.first ?? text
            case .array(let elements): return elements.map { shown($0, in: group) }.joined(separator: "、")
            case .object(let object): return "{" + object.map { "\(name($0.key, in: group)) \(shown($0.value, in: group))" }.joined(separator: "，") + "}"
            default: return factText(fact)
            }
        }
        return facts.map { "\(name($0.key, in: nil)) \(shown($0.value, in: $0.key))" }.joined(separator: " · ")
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
