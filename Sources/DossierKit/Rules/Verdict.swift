import DossierModel
/// Everything the rules say about one dossier on one day: findings, flags and review, status.
public struct Verdict: Sendable, Equatable {
    public var findings: [Finding]
    /// `nil` when the dossier raises no flag.
    public var flags: FlagReport?
    public var status: DossierStatus
    public var asOf: LocalDate
    public var profile: String

    /// Runs the rules on one dossier. Pure, like ``RuleEngine/evaluate(record:history:profile:asOf:)``.
    public static func evaluate(record: DossierRecord, history: DossierHistory, profile: Profile, asOf: LocalDate) -> Verdict {
        let findings = RuleEngine.evaluate(record: record, history: history, profile: profile, asOf: asOf)
        let flags = RuleEngine.flags(record: record, history: history, profile: profile)
        let status: DossierStatus =
            if findings.contains(where: { $0.severity == .error }) {
                .notInOrder
            } else if let flags, !flags.review.isApproved {
                .pendingReview
            } else if findings.contains(where: { $0.severity == .warning }) {
                .needsAttention
            } else {
                .inOrder
            }
        return Verdict(findings: findings, flags: flags, status: status, asOf: asOf, profile: profile.id)
    }

    /// The raised flags, in the order of ``DossierFlag``.
    var raisedFlags: [DossierFlag] { flags?.flags.map(\.flag) ?? [] }

    /// The verdict as `metadata/validation.json` of an export carries it.
    public var json: JSONValue {
        // No flags, no review to wait for: null rather than a state.
        let review = flags?.review.json ?? .null
        return [
            "asOf": .string(asOf.description),
            "profile": .string(profile),
            "status": .string(status.rawValue),
            "findings": .array(findings.map(\.json)),
            "flags": .array((flags?.flags ?? []).map(\.json)),
            "review": review,
        ]
    }
}
