/// The facts of every document kind as JSON Schema (draft 2020-12): `Schemas/facts.schema.json`
/// is this function's output, so that the schema and ``FactSchema`` cannot drift apart (the test
/// suite compares them, and runs both over the same samples).
extension FactSchema {
    /// A date `YYYY-MM-DD` that exists (2021-02-30 does not), year 0001–9999: the same dates
    /// ``LocalDate/init(_:)`` accepts. A pattern, so that validators with format checks off agree too.
    static let datePattern =
        "^(?:(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        + "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)$"

    /// The whole facts schema document.
    public static func jsonSchema() -> JSONValue {
        var defs = JSONObject()
        defs["date"] = ["type": "string", "pattern": .string(datePattern), "format": "date"]
        defs["text"] = ["type": "string", "pattern": "\\S"]
        for kind in DocumentKind.allCases {
            var schema = objectSchema(fields(for: kind))
            // Every paper carries signedOn or issuedOn (null counts as absent).
            schema["anyOf"] = .array(["signedOn", "issuedOn"].map { name in
                ["required": [.string(name)], "properties": [name: ["type": "string"]]]
            })
            defs[kind.rawValue] = .object(schema)
        }
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "dossier: the facts of each document kind (FORMATS.md §4); generated from FactSchema by scripts/make-fact-schema.sh",
            "$defs": .object(defs),
        ]
    }

    private static func objectSchema(_ fields: [FactField]) -> JSONObject {
        var properties = JSONObject()
        for field in fields {
            let schema = valueSchema(field.type)
            // An optional fact may be null, which reads as absent.
            properties[field.name] = field.required ? schema : ["anyOf": [["type": "null"], schema]]
        }
        var object: JSONObject = ["type": "object", "additionalProperties": false, "properties": .object(properties)]
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        return object
    }

    private static func valueSchema(_ type: FactType) -> JSONValue {
        switch type {
        case .date: ["$ref": "#/$defs/date"]
        case .text: ["$ref": "#/$defs/text"]
        case .number: ["type": "number"]
        case .integer: ["type": "integer", "exclusiveMinimum": -1e15, "exclusiveMaximum": 1e15]
        case .bool: ["type": "boolean"]
        case .texts: ["type": "array", "items": ["$ref": "#/$defs/text"]]
        case .choice(let values): ["enum": .array(values.map { .string($0) })]
        case .choices(let values): ["type": "array", "items": ["enum": .array(values.map { .string($0) })]]
        case .country: ["type": "string", "pattern": "^[A-Z]{2}$"]
        case .version: ["type": "string", "pattern": "^v[1-9][0-9]{0,17}$"]
        case .object(let fields): .object(objectSchema(fields))
        case .objects(let fields): ["type": "array", "items": .object(objectSchema(fields))]
        }
    }
}
