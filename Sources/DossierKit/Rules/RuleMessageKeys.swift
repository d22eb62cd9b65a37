import DossierModel

extension RuleEngine {
    /// The message templates each rule's code uses, by key: a profile gives each an `en` and a
    /// `zh` form (`rules.R05.messages.too-short`), and a test fails when the built-in profile
    /// lacks one. A new rule (R28) adds its keys here and its templates to the profile.
    public static let messageKeys: [RuleID: [String]] = [
        .r01: ["granted", "agreement-filed", "flag"],
        .r02: ["funding", "funding-name", "type"],
        .r03: ["missing", "not-approved"],
        .r04: ["missing", "not-approved"],
        .r05: ["publicity", "pricing-publicity", "no-dates", "reversed", "too-short"],
        .r06: ["application-late", "agreement-early", "objections-pending"],
        .r07: ["no-members", "member-shares", "representative-not-member", "no-representative", "no-unit-team-shares", "unit-team-shares"],
        .r08: ["missing-clauses"],
        .r09: ["no-term", "term-reversed", "term-short", "no-extension-end", "extension-short"],
        .r10: ["outside"],
        .r11: ["no-publicity", "unsupported", "reversed", "short", "not-before", "no-dates", "other-name", "no-name", "other-price", "no-price", "no-contract-price"],
        .r12: ["no-record"],
        .r13: ["no-kind", "no-appraisal", "the-counterparty"],
        .r14: ["no-approval", "no-approver", "tenure-until", "in-office", "traded", "flag"],
        .r15: ["late", "unpaid"],
        .r16: ["how-cooperation", "how-contract", "paper-cooperation", "paper-contract", "nowhere", "missing-paper", "paper-late", "no-review", "flag", "flag-until"],
        .r17: ["no-country", "classified-abroad", "no-approval", "no-valid-approval", "approval-reason", "no-destination", "wrong-destination", "dated-after", "no-valid-until", "expired", "the-counterparty", "flag", "flag-target"],
        .r18: ["no-review", "not-approved", "flag", "flag-approved"],
        .r19: ["missing"],
        .r20: ["outside", "flag", "the-counterparty"],
        .r21: ["no-category", "prohibited"],
        .r22: ["no-intent", "intent-late", "no-licence", "licence-late"],
        .r23: ["no-registration"],
        .r24: ["no-secrecy", "no-period", "no-readers", "too-long", "no-classified-on"],
        .r25: ["missing"],
        .r26: ["withdrawn-early"],
        .r27: ["no-channel"],
        .r28: ["invalid", "untrusted", "indeterminate", "pades", "pades-many", "cms", "cms-many", "ofd-seal", "ofd-seal-many", "signed-by", "reason"],
    ]
}
