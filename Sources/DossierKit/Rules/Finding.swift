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
    /// One English sentence ending with the plan's section, e.g. `… at least 15 (三(一))`:
    /// the profile's `en` template of the rule, filled in.
    public var message: String
    /// The same in Chinese: the profile's `zh` template, filled in.
    public var messageZh: String

    public init(rule: RuleID, severity: Severity, dossier: DossierID, version: VersionNumber, documents: [DocumentRef], message: String, messageZh: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.dossier = dossier
        self.version = version
        self.documents = documents
        self.message = message
        self.messageZh = messageZh ?? message
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
            "message_zh": .string(messageZh),
        ]
    }
}

/// One raised flag and why.
public struct RaisedFlag: Sendable, Equatable {
    public var flag: DossierFlag
    public var reason: String
    /// The same in Chinese (the profile's `zh` template).
    public var reasonZh: String
    public var documents: [DocumentRef]

    public init(flag: DossierFlag, reason: String, documents: [DocumentRef] = [], reasonZh: String? = nil) {
        self.reasonZh = reasonZh ?? reason
        self.flag = flag
        self.reason = reason
        self.documents = documents
    }

    /// As `flags --json` and an export's `metadata/validation.json` carry it.
    public var json: JSONValue {
        ["flag": .string(flag.rawValue), "reason": .string(reason), "reason_zh": .string(reasonZh), "documents": .array(documents.map { .string($0.path) })]
    }
}

/// What a confidentiality officer last decided about what the flags are about.
public enum ReviewState: Sendable, Equatable {
    /// No review covers the current version (none was filed, or something was filed since).
    case pending
    /// `review` approves `version`, and nothing but reviews was filed after it.
    case approved(version: VersionNumber, review: DocumentRef)
    /// `review` rejects `version`: the dossier may not proceed as filed.
    case rejected(version: VersionNumber, review: DocumentRef)
    /// `review` asks for more papers before deciding on `version`.
    case needsInfo(version: VersionNumber, review: DocumentRef)

    /// `approved v7`, `rejected v8`, `needs-info v8`, `pending`.
    public var label: String {
        switch self {
        case .pending: "pending"
        case .approved(let version, _): "approved \(version)"
        case .rejected(let version, _): "rejected \(version)"
        case .needsInfo(let version, _): "needs-info \(version)"
        }
    }

    public var isApproved: Bool { if case .approved = self { true } else { false } }

    /// As `flags --json` and an export's `metadata/validation.json` carry it.
    public var json: JSONValue {
        switch self {
        case .pending: ["state": "pending"]
        case .approved(let version, let document):
            ["state": "approved", "reviewedVersion": .string(version.description), "review": .string(document.path)]
        case .rejected(let version, let document):
            ["state": "rejected", "reviewedVersion": .string(version.description), "review": .string(document.path)]
        case .needsInfo(let version, let document):
            ["state": "needs-info", "reviewedVersion": .string(version.description), "review": .string(document.path)]
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
