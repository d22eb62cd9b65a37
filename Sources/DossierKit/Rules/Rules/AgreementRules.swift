import DossierModel
/// What the agreements must say: shares (R07), clauses (R08), the use right's term (R09).
enum AgreementRules {
    /// R07: the team's shares add up to 100 and name the representative; so do unit and team shares.
    static func shares(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        for consensus in c.documents(.teamConsensus) {
            guard let members = consensus.objects("members"), !members.isEmpty else {
                issues.append(.missingFacts(consensus, ["members"], purpose: "the shares cannot be checked"))
                continue
            }
            let total = members.compactMap { $0["share"]?.numberValue }.reduce(0, +)
            if !isHundred(total) {
                issues.append(Issue([consensus], "the members' shares add up to \(formatNumber(total))%, not 100%"))
            }
            let names = members.compactMap { $0["name"]?.stringValue }
            if let representative = consensus.text("representative") {
                if !names.contains(representative) {
                    issues.append(Issue([consensus], "the representative \(representative) is not one of the members (\(names.joined(separator: ", ")))"))
                }
            } else {
                issues.append(.missingFacts(consensus, ["representative"], purpose: "the team's designated representative (指定代表) is unknown"))
            }
        }
        for agreement in c.documents(.ownershipAgreement) {
            guard let unit = agreement.number("unitShare"), let team = agreement.number("teamShare") else {
                let missing = ["unitShare", "teamShare"].filter { agreement.number($0) == nil }
                issues.append(.missingFacts(agreement, missing, purpose: "the co-owners' shares cannot be checked"))
                continue
            }
            if !isHundred(unit + team) {
                issues.append(Issue([agreement], "unitShare \(formatNumber(unit))% and teamShare \(formatNumber(team))% add up to \(formatNumber(unit + team))%, not 100%"))
            }
        }
        return issues
    }

    /// Shares are percentages with at most a few decimals; a hundredth of a percent absorbs binary rounding.
    private static func isHundred(_ total: Double) -> Bool { abs(total - 100) < 0.005 }

    /// R08: the ownership agreement settles revenue, decisions, costs and maintenance fees.
    static func clauses(_ c: RuleContext) -> [Issue] {
        c.documents(.ownershipAgreement).compactMap { agreement in
            let present = agreement.texts("clauses") ?? []
            let missing = c.profile.requiredClauses.filter { !present.contains($0) }
            guard !missing.isEmpty else { return nil }
            return Issue([agreement], "does not record the clause\(missing.count == 1 ? "" : "s") \(listing(missing)); an ownership agreement settles \(listing(c.profile.requiredClauses))")
        }
    }

    /// The last day a use right from `from` must at least reach: from + N years − 1 day.
    /// The use right's first day: the earliest effectiveFrom of its agreements.
    static func useRightStart(_ c: RuleContext) -> LocalDate? {
        c.documents(.useRightAgreement).compactMap { $0.date("effectiveFrom") }.min()
    }

    static func minimumEnd(from: LocalDate, profile: Profile) -> LocalDate {
        from.adding(years: profile.useRightMinimumYears).adding(days: -1)
    }

    /// R09: a use right of at least N years; extensions move the end, never below it.
    static func term(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        let years = c.profile.useRightMinimumYears
        var starts: [LocalDate] = []
        for agreement in c.documents(.useRightAgreement) {
            guard let from = agreement.date("effectiveFrom"), let until = agreement.date("effectiveUntil") else {
                let missing = ["effectiveFrom", "effectiveUntil"].filter { agreement.date($0) == nil }
                issues.append(.missingFacts(agreement, missing, purpose: "the use right's term cannot be checked"))
                continue
            }
            starts.append(from)
            let minimum = minimumEnd(from: from, profile: c.profile)
            if until < from {
                issues.append(Issue([agreement], "the use right ends on \(until), before it begins on \(from); the dates are out of order, and it must run at least until \(minimum)"))
            } else if until < minimum {
                issues.append(Issue([agreement], "the use right runs from \(from) to \(until), less than \(years) years; it must run at least until \(minimum)"))
            }
        }
        guard let from = starts.min() else { return issues }
        let minimum = minimumEnd(from: from, profile: c.profile)
        for extensionPaper in c.documents(.useRightExtension) {
            guard let newUntil = extensionPaper.date("newEffectiveUntil") else {
                issues.append(.missingFacts(extensionPaper, ["newEffectiveUntil"], purpose: "the extended term cannot be checked"))
                continue
            }
            if newUntil < minimum {
                issues.append(Issue([extensionPaper], "the extension ends the use right on \(newUntil), less than \(years) years after it began on \(from); it must run at least until \(minimum)"))
            }
        }
        return issues
    }

    /// The use right's end: the latest extension's, else the agreement's (for `due` and R19).
    static func useRightEnd(_ c: RuleContext) -> (end: LocalDate, document: DocumentEntry, extended: Bool)? {
        let extensions = c.documents(.useRightExtension).compactMap { document in document.date("newEffectiveUntil").map { (document, $0) } }
        if let latest = extensions.max(by: { ($0.0.paperDate ?? $0.1, $0.1) < ($1.0.paperDate ?? $1.1, $1.1) }) {
            return (latest.1, latest.0, true)
        }
        let agreements = c.documents(.useRightAgreement).compactMap { document in document.date("effectiveUntil").map { (document, $0) } }
        return agreements.max(by: { $0.1 < $1.1 }).map { ($0.1, $0.0, false) }
    }
}
