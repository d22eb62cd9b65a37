import DossierModel
/// What the agreements must say: shares (R07), clauses (R08), the use right's term (R09).
enum AgreementRules {
    /// R07: the team's shares add up to 100 and name the representative; so do unit and team shares.
    static func shares(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        for consensus in c.documents(.teamConsensus) {
            guard let members = consensus.objects("members"), !members.isEmpty else {
                issues.append(.missingFacts(consensus, ["members"], key: "no-members"))
                continue
            }
            let total = members.compactMap { $0["share"]?.numberValue }.reduce(0, +)
            if !isHundred(total) {
                issues.append(Issue([consensus], "member-shares", ["total": .number(total)]))
            }
            let names = members.compactMap { $0["name"]?.stringValue }
            if let representative = consensus.text("representative") {
                if !names.contains(representative) {
                    issues.append(Issue([consensus], "representative-not-member", ["representative": .text(representative), "members": .text(names.joined(separator: ", "))]))
                }
            } else {
                issues.append(.missingFacts(consensus, ["representative"], key: "no-representative"))
            }
        }
        for agreement in c.documents(.ownershipAgreement) {
            guard let unit = agreement.number("unitShare"), let team = agreement.number("teamShare") else {
                let missing = ["unitShare", "teamShare"].filter { agreement.number($0) == nil }
                issues.append(.missingFacts(agreement, missing, key: "no-unit-team-shares"))
                continue
            }
            if !isHundred(unit + team) {
                issues.append(Issue([agreement], "unit-team-shares", ["unit": .number(unit), "team": .number(team), "total": .number(unit + team)]))
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
            return Issue([agreement], "missing-clauses", ["count": .number(Double(missing.count)), "missing": .list(missing), "required": .list(c.profile.requiredClauses)])
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
                issues.append(.missingFacts(agreement, missing, key: "no-term"))
                continue
            }
            starts.append(from)
            let minimum = minimumEnd(from: from, profile: c.profile)
            if until < from {
                issues.append(Issue([agreement], "term-reversed", ["until": .date(until), "from": .date(from), "minimum": .date(minimum)]))
            } else if until < minimum {
                issues.append(Issue([agreement], "term-short", ["from": .date(from), "until": .date(until), "years": .number(Double(years)), "minimum": .date(minimum)]))
            }
        }
        guard let from = starts.min() else { return issues }
        let minimum = minimumEnd(from: from, profile: c.profile)
        for extensionPaper in c.documents(.useRightExtension) {
            guard let newUntil = extensionPaper.date("newEffectiveUntil") else {
                issues.append(.missingFacts(extensionPaper, ["newEffectiveUntil"], key: "no-extension-end"))
                continue
            }
            if newUntil < minimum {
                issues.append(Issue([extensionPaper], "extension-short", ["newUntil": .date(newUntil), "years": .number(Double(years)), "from": .date(from), "minimum": .date(minimum)]))
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
