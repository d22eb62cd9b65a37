import DossierModel
/// The counterparty of a transfer-contract, or the partner of a cooperation-agreement (FORMATS.md §4).
struct Counterparty {
    var name: String?
    var kind: String?
    var country: String?
    var inRegion: Bool?

    init(_ contract: DocumentEntry) {
        let object = contract.object("counterparty") ?? contract.object("partner")
        name = object?["name"]?.stringValue
        kind = object?["kind"]?.stringValue
        country = object?["country"]?.stringValue
        inRegion = object?["inRegion"]?.boolValue
    }

    var label: String { name ?? "the counterparty" }

    /// The name, or "the counterparty" in the language of the message.
    var labelValue: MessageValue { name.map { .text($0) } ?? .message("the-counterparty", [:]) }
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
