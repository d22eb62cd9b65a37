/// The rules of RULES.md §3 and §3b, by id. A closed set: a profile turns rules on and off and
/// sets their severity, but what each rule checks is code.
public enum RuleID: String, Sendable, CaseIterable, Comparable, Codable {
    case r01 = "R01", r02 = "R02", r03 = "R03", r04 = "R04", r05 = "R05", r06 = "R06", r07 = "R07"
    case r08 = "R08", r09 = "R09", r10 = "R10", r11 = "R11", r12 = "R12", r13 = "R13", r14 = "R14"
    case r15 = "R15", r16 = "R16", r17 = "R17", r18 = "R18", r19 = "R19", r20 = "R20", r21 = "R21"
    case r22 = "R22", r23 = "R23", r24 = "R24", r25 = "R25", r26 = "R26", r27 = "R27"
    case r28 = "R28"

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Rules added after profiles were first written: a profile may leave them out, and then
    /// has them as the built-in profile sets them (so that a vault's own profile keeps loading).
    public static let addedLater: Set<RuleID> = [.r28]
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

/// A dossier's standing in one phrase, for lists, filters, the index and exported bags.
public enum DossierStatus: String, Sendable, CaseIterable {
    /// At least one error finding: a required paper or date is not in order.
    case notInOrder = "not in order"
    /// Flagged, and no confidentiality-review approves the current version.
    case pendingReview = "pending review"
    /// Warnings only: a person must look.
    case needsAttention = "needs attention"
    /// Nothing but information.
    case inOrder = "in order"
    /// No rules have looked at it: the vault's policy profile could not be read when it was indexed.
    case notValidated = "not validated"
}

