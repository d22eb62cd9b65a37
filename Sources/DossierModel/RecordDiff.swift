/// What changed between two versions of a record, field by field: the record's own fields
/// (`title`, `type` …) and every fact of every document present in both (followed through a
/// rename or a move to another kind). `dossier log` and `dossier diff` show it.
public struct RecordDiff: Sendable, Equatable {
    /// A record field that changed: `type patent → plant-variety`.
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        public var from: JSONValue?
        public var to: JSONValue?
    }

    /// A fact of one document that changed: `signedOn 2024-03-20 → 2024-03-02`.
    public struct FactChange: Sendable, Equatable {
        /// The document's path in the later version.
        public var document: String
        /// The fact, dotted for groups (`counterparty.country`); `kind` when the document moved.
        public var fact: String
        public var from: JSONValue?
        public var to: JSONValue?
    }

    public var fields: [FieldChange]
    public var facts: [FactChange]

    public var isEmpty: Bool { fields.isEmpty && facts.isEmpty }

    /// No change.
    public static let empty = RecordDiff(fields: [], facts: [])

    init(fields: [FieldChange], facts: [FactChange]) {
        self.fields = fields
        self.facts = facts
    }

    /// Compares `before` with `after`; `renamed` maps earlier paths to later ones (from
    /// ``StateChanges``) so a renamed or moved document's facts are compared too.
    public init(before: DossierRecord, after: DossierRecord, renamed: [StateChanges.Rename] = []) {
        let old = RecordCodec.encodeFields(before)
        let new = RecordCodec.encodeFields(after)
        fields = RecordCodec.recordFields.compactMap { key in
            old[key] == new[key] ? nil : FieldChange(field: key, from: old[key].flatMap { $0.isNull ? nil : $0 }, to: new[key].flatMap { $0.isNull ? nil : $0 })
        }
        var facts: [FactChange] = []
        for document in after.documents {
            let earlierPath = renamed.first { $0.to == document.path }?.from ?? document.path
            guard let earlier = before.document(at: earlierPath) else { continue }
            if earlier.kind != document.kind {
                facts.append(FactChange(document: document.path, fact: "kind", from: .string(earlier.kind.rawValue), to: .string(document.kind.rawValue)))
            }
            facts += Self.compare(earlier.facts, document.facts, prefix: "", document: document.path)
        }
        self.facts = facts
    }

    static func compare(_ a: JSONObject, _ b: JSONObject, prefix: String, document: String) -> [FactChange] {
        var keys = Array(a.keys)
        for key in b.keys where a[key] == nil { keys.append(key) }
        var changes: [FactChange] = []
        for key in keys {
            let x = a[key].flatMap { $0.isNull ? nil : $0 }
            let y = b[key].flatMap { $0.isNull ? nil : $0 }
            guard x != y else { continue }
            if case .object(let inner)? = x, case .object(let other)? = y {
                changes += compare(inner, other, prefix: prefix + key + ".", document: document)
            } else {
                changes.append(FactChange(document: document, fact: prefix + key, from: x, to: y))
            }
        }
        return changes
    }
}

extension RecordDiff.FieldChange {
    public var json: JSONValue { ["field": .string(field), "from": from ?? .null, "to": to ?? .null] }
}

extension RecordDiff.FactChange {
    public var json: JSONValue { ["document": .string(document), "fact": .string(fact), "from": from ?? .null, "to": to ?? .null] }
}

extension JSONValue {
    /// A value as a change shows it: text as it is, lists joined by commas, others as JSON.
    public var changeText: String {
        switch self {
        case .string(let text): text
        case .array(let elements): elements.map(\.changeText).joined(separator: ", ")
        case .null: "—"
        default: serialized(.compact)
        }
    }
}
