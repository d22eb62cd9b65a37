/// Reads and writes `dossier.json` and the `create` / `update` blocks of filing.json,
/// field by field, so that every problem names its field.
public enum RecordCodec {
    /// The dossier fields other than `id` and `documents`, in the order dossier.json writes them.
    public static let recordFields = [
        "title", "unit", "type", "funding", "grant", "classification", "secrecy",
        "nationalInterest", "ethicsSensitive", "completers",
    ]
    static let requiredAtCreation: Set<String> = ["title", "unit", "type", "funding", "grant"]

    // MARK: Reading

    /// Decodes a complete record (dossier.json).
    public static func decodeRecord(_ reader: FieldReader) throws(FieldError) -> DossierRecord {
        _ = try reader.object(allowing: ["id"] + recordFields + ["documents"])
        let id = try reader.required("id").dossierID()
        var record = try newRecord(id: id, from: reader, allowID: true)
        if let documents = try reader.optional("documents") {
            record.documents = []
            for element in try documents.array() { record.documents.append(try decodeDocument(element)) }
        }
        return record
    }

    /// Decodes a `create` block (or a `--record` file): every dossier field but documents.
    /// An `id` member, when present, must match `id`.
    public static func newRecord(id: DossierID, from reader: FieldReader, allowID: Bool = true) throws(FieldError) -> DossierRecord {
        let allowed = (allowID ? ["id"] : []) + recordFields + (allowID ? ["documents"] : [])
        _ = try reader.object(allowing: allowed)
        if let given = try reader.optional("id") {
            let givenID = try given.dossierID()
            guard givenID == id else { throw given.fail("expected \"\(id)\" (the dossier being opened), got \"\(givenID)\"") }
        }
        for field in recordFields where requiredAtCreation.contains(field) {
            _ = try reader.required(field)
        }
        var record = DossierRecord(
            id: id, title: "", unit: "", type: .patent, funding: .other, grant: .none)
        try apply(reader, to: &record, allowed: recordFields)
        return record
    }

    /// Applies an `update` block: any record fields but `id` and `documents`.
    public static func applyUpdate(_ reader: FieldReader, to record: inout DossierRecord) throws(FieldError) {
        _ = try reader.object(allowing: recordFields)
        try apply(reader, to: &record, allowed: recordFields)
    }

    private static func apply(_ reader: FieldReader, to record: inout DossierRecord, allowed: [String]) throws(FieldError) {
        let object = try reader.object()
        for key in object.keys where allowed.contains(key) {
            let field = FieldReader(file: reader.file, value: object[key] ?? .null, path: reader.path.isEmpty ? key : "\(reader.path).\(key)")
            switch key {
            case "title": record.title = try field.text().precomposedNFC
            case "unit":
                let unit = try field.string()
                guard Slug.isValid(unit) else { throw field.fail("expected a unit id such as imut, got \"\(unit)\"") }
                record.unit = unit
            case "type":
                let text = try field.string()
                guard let type = AchievementType(rawValue: text) else {
                    throw field.fail("expected an achievement type such as \(AchievementType.planTypes.map(\.0.rawValue).joined(separator: ", ")), got \"\(text)\"")
                }
                record.type = type
            case "funding": record.funding = try field.choice(Funding.self)
            case "grant": record.grant = try field.choice(GrantKind.self)
            case "classification": record.classification = try field.choice(Classification.self)
            case "secrecy": record.secrecy = field.value.isNull ? nil : try decodeSecrecy(field)
            case "nationalInterest": record.nationalInterest = try field.bool()
            case "ethicsSensitive": record.ethicsSensitive = try field.bool()
            case "completers":
                var completers: [Completer] = []
                for element in try field.array() { completers.append(try decodeCompleter(element)) }
                record.completers = completers
            default: break
            }
        }
        if let secrecy = record.secrecy {
            let path = reader.path.isEmpty ? "secrecy.level" : "\(reader.path).secrecy.level"
            if record.classification == .none {
                throw FieldError(file: reader.file, field: path, problem: "secrecy is given but classification is none; set classification to \(secrecy.level.rawValue)")
            }
            if secrecy.level != record.classification {
                throw FieldError(file: reader.file, field: path, problem: "expected \(record.classification.rawValue) (the dossier's classification), got \(secrecy.level.rawValue)")
            }
        }
    }

    static func decodeCompleter(_ reader: FieldReader) throws(FieldError) -> Completer {
        _ = try reader.object(allowing: ["name", "role", "share", "representative", "legalHead"])
        return Completer(
            name: try reader.required("name").text().precomposedNFC,
            role: try reader.optional("role")?.text().precomposedNFC,
            share: try reader.optional("share")?.number(),
            representative: try reader.optional("representative")?.bool() ?? false,
            legalHead: try reader.optional("legalHead")?.bool() ?? false)
    }

    static func decodeSecrecy(_ reader: FieldReader) throws(FieldError) -> Secrecy {
        _ = try reader.object(allowing: ["level", "classifiedOn", "until", "condition", "readers"])
        return Secrecy(
            level: try reader.required("level").choice(Classification.self),
            classifiedOn: try reader.optional("classifiedOn")?.date(),
            until: try reader.optional("until")?.date(),
            condition: try reader.optional("condition")?.text().precomposedNFC,
            readers: try reader.optional("readers")?.strings().map(\.precomposedNFC) ?? [])
    }

    static func decodeDocument(_ reader: FieldReader) throws(FieldError) -> DocumentEntry {
        WorkMeter.count(.documentDecoded)
        _ = try reader.object(allowing: ["path", "kind", "sha512", "size", "mediaType", "filedAt", "filedBy", "facts", "encryption", "signatures"])
        let kind = try reader.required("kind").documentKind()
        let digestReader = try reader.required("sha512")
        guard let digest = Digest(algorithm: .sha512, hex: try digestReader.string()) else {
            throw digestReader.fail("expected 128 hexadecimal digits")
        }
        let size = try reader.required("size").integer()
        let factsReader = try reader.optional("facts") ?? FieldReader(file: reader.file, value: .object(JSONObject()), path: reader.path + ".facts")
        return DocumentEntry(
            path: try reader.required("path").text(),
            kind: kind,
            sha512: digest,
            size: Int64(size),
            mediaType: try reader.required("mediaType").text(),
            filedAt: try reader.required("filedAt").text(),
            filedBy: try reader.required("filedBy").text(),
            facts: try factsReader.object(),
            encryption: try reader.optional("encryption").flatMap { reader throws(FieldError) in reader.value.isNull ? nil : try decodeEncryption(reader) },
            signatures: try reader.optional("signatures")?.array().map { element throws(FieldError) in try SignatureVerdict(json: element) } ?? [])
    }

    static func decodeEncryption(_ reader: FieldReader) throws(FieldError) -> DocumentEncryption {
        _ = try reader.object(allowing: ["format", "readers", "size"])
        let format = try reader.required("format")
        guard try format.string() == DocumentEncryption.age else { throw format.fail("expected \"age\", the only encryption the vault writes") }
        let size = try reader.required("size").integer()
        guard size >= 0 else { throw FieldError(file: reader.file, field: "\(reader.path).size", problem: "expected a size of 0 or more bytes, got \(size)") }
        return DocumentEncryption(readers: try reader.required("readers").strings().map(\.precomposedNFC), size: Int64(size))
    }

    // MARK: Writing

    /// The record as dossier.json, in the field order of FORMATS.md §3.
    public static func encode(_ record: DossierRecord) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(record.id.rawValue)
        for (key, value) in encodeFields(record) { object[key] = value }
        WorkMeter.count(.documentEncoded, record.documents.count)
        object["documents"] = .array(record.documents.map(encode))
        return .object(object)
    }

    /// The record's fields other than id and documents, as `create` would carry them.
    public static func encodeFields(_ record: DossierRecord) -> JSONObject {
        var object = JSONObject()
        object["title"] = .string(record.title)
        object["unit"] = .string(record.unit)
        object["type"] = .string(record.type.rawValue)
        object["funding"] = .string(record.funding.rawValue)
        object["grant"] = .string(record.grant.rawValue)
        object["classification"] = .string(record.classification.rawValue)
        object["secrecy"] = record.secrecy.map(encode) ?? .null
        object["nationalInterest"] = .bool(record.nationalInterest)
        object["ethicsSensitive"] = .bool(record.ethicsSensitive)
        object["completers"] = .array(record.completers.map(encode))
        return object
    }

    static func encode(_ completer: Completer) -> JSONValue {
        var object = JSONObject()
        object["name"] = .string(completer.name)
        if let role = completer.role { object["role"] = .string(role) }
        if let share = completer.share { object["share"] = .number(share) }
        if completer.representative { object["representative"] = .bool(true) }
        if completer.legalHead { object["legalHead"] = .bool(true) }
        return .object(object)
    }

    public static func encode(_ secrecy: Secrecy) -> JSONValue {
        var object = JSONObject()
        object["level"] = .string(secrecy.level.rawValue)
        if let date = secrecy.classifiedOn { object["classifiedOn"] = .string(date.description) }
        if let date = secrecy.until { object["until"] = .string(date.description) }
        if let condition = secrecy.condition { object["condition"] = .string(condition) }
        object["readers"] = .array(secrecy.readers.map { .string($0) })
        return .object(object)
    }

    static func encode(_ document: DocumentEntry) -> JSONValue {
        var object: JSONObject = [
            "path": .string(document.path),
            "kind": .string(document.kind.rawValue),
            "sha512": .string(document.sha512.hex),
            "size": .number(Double(document.size)),
            "mediaType": .string(document.mediaType),
            "filedAt": .string(document.filedAt),
            "filedBy": .string(document.filedBy),
            "facts": .object(document.facts),
        ]
        if let encryption = document.encryption {
            object["encryption"] = [
                "format": .string(encryption.format), "readers": .array(encryption.readers.map { .string($0) }),
                "size": .number(Double(encryption.size)),
            ]
        }
        if !document.signatures.isEmpty { object["signatures"] = .array(document.signatures.map(\.json)) }
        return .object(object)
    }
}
