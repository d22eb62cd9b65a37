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

/// A document a finding is about: its logical path and kind. A withdrawn document (R26) is
/// no longer in the record, so findings name documents by path rather than by entry.
public struct DocumentRef: Sendable, Equatable, Hashable {
    public var path: String
    public var kind: DocumentKind

    public init(path: String, kind: DocumentKind) {
        self.path = path
        self.kind = kind
    }

    public init(_ entry: DocumentEntry) { self.init(path: entry.path, kind: entry.kind) }

    public var fileName: String { LogicalPath.fileName(of: path) }
}

/// What confidentiality officers work from (RULES.md §3).
public enum DossierFlag: String, Sendable, CaseIterable, Comparable, Codable {
    case secret = "SECRET"
    case export = "EXPORT"
    case excluded = "EXCLUDED"
    case leaderEquity = "LEADER-EQUITY"
    case ethics = "ETHICS"
    case outOfRegion = "OUT-OF-REGION"

    public static func < (lhs: DossierFlag, rhs: DossierFlag) -> Bool {
        // swift-format-ignore: NeverForceUnwrap
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The rule whose condition raises the flag; a profile that turns the rule off drops the flag.
    public var rule: RuleID {
        switch self {
        case .secret: .r16
        case .export: .r17
        case .excluded: .r01
        case .leaderEquity: .r14
        case .ethics: .r18
        case .outOfRegion: .r20
        }
    }
}
