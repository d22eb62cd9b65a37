/// Typed reads of the facts filed with a document. Facts were type-checked at filing, so a
/// value of the wrong type here reads as absent; the rules report absent facts they need.
extension DocumentEntry {
    public func date(_ key: String) -> LocalDate? { facts[key]?.stringValue.flatMap(LocalDate.init) }
    public func text(_ key: String) -> String? { facts[key]?.stringValue }
    public func number(_ key: String) -> Double? { facts[key]?.numberValue }
    public func flag(_ key: String) -> Bool? { facts[key]?.boolValue }
    public func object(_ key: String) -> JSONObject? { facts[key]?.objectValue }
    public func objects(_ key: String) -> [JSONObject]? { facts[key]?.arrayValue?.compactMap(\.objectValue) }
    public func texts(_ key: String) -> [String]? { facts[key]?.arrayValue?.compactMap(\.stringValue) }

    /// The paper's own date: `signedOn`, else `issuedOn`.
    public var paperDate: LocalDate? { date("signedOn") ?? date("issuedOn") }

    public var ref: DocumentRef { DocumentRef(self) }
}

/// The counterparty of a transfer-contract (FORMATS.md §4).
struct Counterparty {
    var name: String?
    var kind: String?
    var country: String?
    var inRegion: Bool?

    init(_ contract: DocumentEntry) {
        let object = contract.object("counterparty")
        name = object?["name"]?.stringValue
        kind = object?["kind"]?.stringValue
        country = object?["country"]?.stringValue
        inRegion = object?["inRegion"]?.boolValue
    }

    var label: String { name ?? "the counterparty" }
}

/// Numbers in messages: `60`, `33.5`.
func formatNumber(_ value: Double) -> String { JSONValue.format(value) }

/// `a`, `a and b`, `a, b and c`.
func listing(_ items: [String]) -> String {
    switch items.count {
    case 0: ""
    case 1: items[0]
    default: items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
    }
}
