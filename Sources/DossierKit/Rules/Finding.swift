/// The rules of RULES.md §3 and §3b, by id. A closed set: a profile turns rules on and off and
/// sets their severity, but what each rule checks is code.
public enum RuleID: String, Sendable, CaseIterable, Comparable, Codable {
    case r01 = "R01", r02 = "R02", r03 = "R03", r04 = "R04", r05 = "R05", r06 = "R06", r07 = "R07"
    case r08 = "R08", r09 = "R09", r10 = "R10", r11 = "R11", r12 = "R12", r13 = "R13", r14 = "R14"
    case r15 = "R15", r16 = "R16", r17 = "R17", r18 = "R18", r19 = "R19", r20 = "R20", r21 = "R21"
    case r22 = "R22", r23 = "R23", r24 = "R24", r25 = "R25", r26 = "R26", r27 = "R27"

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How much a finding matters (RULES.md §3).
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    /// The dossier is not in order.
    case error
    /// A person must look.
    case warning
    case info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// Errors sort first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One thing a rule found wrong (or worth a look) in one dossier at one version.
public struct Finding: Sendable, Equatable {
    public var rule: RuleID
    public var severity: Severity
    public var dossier: DossierID
    public var version: VersionNumber
    /// The documents the finding is about, in the record's order; empty when it is about
    /// something missing or about the record itself.
    public var documents: [DocumentRef]
    /// One English sentence ending with the plan's section, e.g. `… at least 15 (三(一))`.
    public var message: String

    public init(rule: RuleID, severity: Severity, dossier: DossierID, version: VersionNumber, documents: [DocumentRef], message: String) {
        self.rule = rule
        self.severity = severity
        self.dossier = dossier
        self.version = version
        self.documents = documents
        self.message = message
    }

    /// `R05 error IMUT-2021-0007 v4 publicity-record 单位内公示记录 公示.pdf: publicity lasted …`
    public var line: String {
        var text = "\(rule.rawValue) \(severity.rawValue) \(dossier) \(version)"
        if !documents.isEmpty {
            text += " " + documents.map { "\($0.kind.displayName) \($0.fileName)" }.joined(separator: ", ")
        }
        return text + ": " + message
    }

    /// The finding as `validate --json` prints it; scripts read these keys, so they stay.
    public var json: JSONValue {
        [
            "rule": .string(rule.rawValue),
            "severity": .string(severity.rawValue),
            "dossier": .string(dossier.rawValue),
            "version": .string(version.description),
            "documents": .array(documents.map { .string($0.path) }),
            "kinds": .array(documents.map { .string($0.kind.rawValue) }),
            "message": .string(message),
        ]
    }
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

    public var fileName: String { FileSystem.lastComponent(of: path) }
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

/// One raised flag and why.
public struct RaisedFlag: Sendable, Equatable {
    public var flag: DossierFlag
    public var reason: String
    public var documents: [DocumentRef]

    public init(flag: DossierFlag, reason: String, documents: [DocumentRef] = []) {
        self.flag = flag
        self.reason = reason
        self.documents = documents
    }

    /// As `flags --json` and an export's `metadata/validation.json` carry it.
    public var json: JSONValue {
        ["flag": .string(flag.rawValue), "reason": .string(reason), "documents": .array(documents.map { .string($0.path) })]
    }
}

/// Whether a confidentiality officer has approved what the flags are about.
public enum ReviewState: Sendable, Equatable {
    /// No confidentiality-review approves the current version.
    case pending
    /// `review` approves `version`, and nothing but reviews was filed after it.
    case approved(version: VersionNumber, review: DocumentRef)

    public var label: String {
        switch self {
        case .pending: "pending review"
        case .approved(let version, _): "reviewed (\(version) approved)"
        }
    }

    /// As `flags --json` and an export's `metadata/validation.json` carry it.
    public var json: JSONValue {
        switch self {
        case .pending: ["state": "pending"]
        case .approved(let version, let document):
            ["state": "approved", "reviewedVersion": .string(version.description), "review": .string(document.path)]
        }
    }
}

/// A flagged dossier as the officers' queue shows it.
public struct FlagReport: Sendable, Equatable {
    public var dossier: DossierID
    public var version: VersionNumber
    public var title: String
    public var flags: [RaisedFlag]
    public var review: ReviewState
}
