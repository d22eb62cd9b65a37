import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Kinds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("List the document kinds and the facts each takes: types, allowed values, which are required."),
            discussion: L("""
                From the fact table that Schemas/facts.schema.json is generated from. "required"
                facts are refused when missing (every paper has signedOn or issuedOn, and
                parties); "needed" facts are read by the rule named, and `dossier file` refuses
                a paper without them unless --incomplete is given.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp(L("Only these kinds (id or Chinese name)."), valueName: "kind"), completion: .custom(Completions.kinds))
        var kinds: [String] = []

        func run() throws {
            try runReporting {
                let chosen = kinds.isEmpty ? DocumentKind.allCases : try kinds.map { try FactOptions.kind($0, option: "KIND") }
                if output.json {
                    Terminal.json(.array(chosen.map(Self.json)))
                    return
                }
                var lines: [String] = []
                for kind in chosen {
                    lines.append(Lang.isChinese ? "\(kind.chineseName)  \(kind.rawValue)" : "\(kind.rawValue)  \(kind.chineseName)")
                    let needed = Dictionary(FactSchema.needed(for: kind).map { ($0.fact, $0.rule) }, uniquingKeysWith: { a, _ in a })
                    for (path, field) in FactSchema.flatFields(for: kind) {
                        var notes: [String] = []
                        if field.required { notes.append(L("required")) }
                        if path == "signedOn" || path == "issuedOn" { notes.append(L("required: signedOn or issuedOn")) }
                        if let rule = needed[path] { notes.append(L("needed by {rule}", ["rule": rule])) }
                        let name = FactSchema.factNames[path] ?? ""
                        let column = "\(path) \(name)".padding(toWidth: 34)
                        lines.append("  " + column + (notes.isEmpty ? "" : "[\(notes.joined(separator: L(", ")))] ") + FactHint.text(field.type))
                    }
                    lines.append("")
                }
                Terminal.out(lines.joined(separator: "\n").trimmingSpaces)
            }
        }

        static func json(_ kind: DocumentKind) -> JSONValue {
            let needed = Dictionary(FactSchema.needed(for: kind).map { ($0.fact, $0.rule) }, uniquingKeysWith: { a, _ in a })
            let facts: [JSONValue] = FactSchema.flatFields(for: kind).map { path, field in
                var object: JSONObject = [
                    "name": .string(path),
                    "name_zh": FactSchema.factNames[path].map { .string($0) } ?? .null,
                    "type": .string(field.type.name),
                    "required": .bool(field.required),
                    "neededBy": needed[path].map { .string($0) } ?? .null,
                ]
                let values = field.type.allowedValues
                if !values.isEmpty {
                    object["values"] = .array(values.map { ["id": .string($0), "name_zh": FactSchema.choiceNames[$0]?.first.map { .string($0) } ?? .null] })
                }
                if case .objects(let inner) = field.type {
                    object["fields"] = .array(inner.map { ["name": .string($0.name), "type": .string($0.type.name), "required": .bool($0.required)] })
                }
                return .object(object)
            }
            return [
                "id": .string(kind.rawValue),
                "name_zh": .string(kind.chineseName),
                "requiredOneOf": ["signedOn", "issuedOn"],
                "facts": .array(facts),
            ]
        }
    }

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Print a facts file for a kind, ready to fill in and give to dossier file --facts."),
            discussion: L("""
                The text form has one line per fact, KEY = VALUE, with a comment saying what
                each takes; fill in what the paper says, leave the rest empty, then
                  dossier file ID --kind KIND PAPER.pdf --facts FILE
                The JSON form has every fact with null for "not given".
                """) + "\n\n" + L(ExitStatus.help))

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: ArgumentHelp(L("The kind (id or Chinese name)."), valueName: "kind"), completion: .custom(Completions.kinds))
        var kind: String
        @Option(help: ArgumentHelp(L("text (default) or json."), valueName: "format")) var format: Format = .text

        func run() throws {
            try runReporting {
                let kind = try FactOptions.kind(kind, option: "KIND")
                switch format {
                case .json: Terminal.json(.object(Self.jsonTemplate(kind)))
                case .text: Terminal.out(Self.textTemplate(kind))
                }
            }
        }

        static func jsonTemplate(_ kind: DocumentKind) -> JSONObject {
            func empty(_ fields: [FactField]) -> JSONObject {
                var object = JSONObject()
                for field in fields {
                    if case .object(let inner) = field.type { object[field.name] = .object(empty(inner)) } else { object[field.name] = .null }
                }
                return object
            }
            return empty(FactSchema.fields(for: kind))
        }

        static func textTemplate(_ kind: DocumentKind) -> String {
            let needed = Dictionary(FactSchema.needed(for: kind).map { ($0.fact, $0.rule) }, uniquingKeysWith: { a, _ in a })
            var lines = [
                "# " + L("dossier template {kind}", ["kind": KindText.name(kind)]),
                "# " + L("Fill in the values after \"=\"; leave a line empty when the paper does not say. Then:"),
                "#   " + L("dossier file ID --kind {kind} PAPER --facts THIS-FILE", ["kind": kind.rawValue]),
                "",
            ]
            for (path, field) in FactSchema.flatFields(for: kind) {
                var notes: [String] = []
                if field.required { notes.append(L("required")) }
                if path == "signedOn" || path == "issuedOn" { notes.append(L("required: signedOn or issuedOn")) }
                if let rule = needed[path] { notes.append(L("needed by {rule}", ["rule": rule])) }
                let name = FactSchema.factNames[path].map { " \($0)" } ?? ""
                lines.append("# \(path)\(name): " + FactHint.text(field.type) + (notes.isEmpty ? "" : " (\(notes.joined(separator: L(", "))))"))
                lines.append("\(path) =")
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    /// Padded with spaces to `width` columns, a Chinese character counting two.
    func padding(toWidth width: Int) -> String {
        let columns = reduce(0) { $0 + ($1.unicodeScalars.first.map { $0.value >= 0x1100 ? 2 : 1 } ?? 1) }
        return self + String(repeating: " ", count: max(1, width - columns))
    }
}

/// What a person types for a fact of a type, in the language of the run (``FactType/typingHint``
/// is the English form).
enum FactHint {
    static func text(_ type: FactType) -> String {
        func named(_ values: [String]) -> String {
            values.map { value in FactSchema.choiceNames[value]?.first.map { Lang.isChinese ? "\($0)（\(value)）" : "\(value) \($0)" } ?? value }
                .joined(separator: L(", "))
        }
        return switch type {
        case .date: L("a date, e.g. 2024-03-02 or 2024年3月2日")
        case .text: L("text")
        case .number: L("a number or sum of yuan, e.g. 1200000 or 120万")
        case .integer: L("a whole number, e.g. 2024")
        case .bool: L("yes or no (是/否)")
        case .texts: L("a list, e.g. 赵敏、孙磊")
        case .choice(let values): L("one of {values}", ["values": named(values)])
        case .choices(let values): L("some of {values}", ["values": named(values)])
        case .country: L("a country code or name, e.g. CN, DE, 德国")
        case .version: L("a version, e.g. v7")
        case .object(let fields): L("a group: {fields}", ["fields": fields.map(\.name).joined(separator: ", ")])
        case .objects(let fields): L("a list of {fields}, e.g. 王芳:60,李强:40", ["fields": fields.map(\.name).joined(separator: ":")])
        }
    }
}
