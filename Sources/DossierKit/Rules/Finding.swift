import DossierModel
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
