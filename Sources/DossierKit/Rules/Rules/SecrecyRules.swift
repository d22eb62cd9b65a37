import DossierModel
/// Classified achievements: transferring one (R16), the secrecy record (R24), yearly reviews (R25).
enum SecrecyRules {
    /// R16: approval and pact before any contract, and an officer's approving review (三(八)).
    static func transfer(_ c: RuleContext) -> [Issue] {
        guard c.record.classification != .none, !c.conversions.isEmpty else { return [] }
        var issues: [Issue] = []
        let papers: [(DocumentKind, (DocumentEntry) -> LocalDate?)] = [
            (.secrecyApproval, { $0.date("approvedOn") ?? $0.paperDate }),
            (.confidentialityPact, { $0.paperDate }),
        ]
        for contract in c.conversions {
            guard let signedOn = contract.paperDate ?? contract.date("effectiveOn") else { continue }
            let how: MessageValue = .message(contract.kind == .cooperationAgreement ? "how-cooperation" : "how-contract", [:])
            for (kind, dateOf) in papers {
                let filed = c.documents(kind)
                if filed.isEmpty {
                    issues.append(Issue([contract], "missing-paper", ["classification": c.classificationName, "how": how, "kind": .kind(kind)]))
                } else if !filed.contains(where: { dateOf($0).map { $0 <= signedOn } ?? false }) {
                    let dates = filed.compactMap(dateOf).map(\.description)
                    let paper: MessageValue = .message(contract.kind == .cooperationAgreement ? "paper-cooperation" : "paper-contract", [:])
                    let dated: MessageValue = dates.isEmpty ? .message("nowhere", [:]) : .list(dates)
                    issues.append(Issue([contract] + filed, "paper-late", ["kind": .kind(kind), "dates": dated, "paper": paper, "signedOn": .date(signedOn)]))
                }
            }
        }
        if !c.documents(.confidentialityReview).contains(where: { $0.text("decision") == "approve" }) {
            let how: MessageValue = .message(c.contracts.isEmpty ? "how-cooperation" : "how-contract", [:])
            issues.append(Issue([], "no-review", ["classification": c.classificationName, "how": how]))
        }
        return issues
    }

    /// R24: the secrecy period (or condition) and the readers are recorded, the period within the level's limit.
    static func fields(_ c: RuleContext) -> [Issue] {
        guard c.record.classification != .none else { return [] }
        guard let secrecy = c.record.secrecy else {
            return [Issue([], "no-secrecy", ["classification": c.classificationName])]
        }
        var issues: [Issue] = []
        if secrecy.until == nil, secrecy.condition == nil {
            issues.append(Issue([], "no-period"))
        }
        if secrecy.readers.isEmpty {
            issues.append(Issue([], "no-readers"))
        }
        if let until = secrecy.until, let years = c.profile.secrecyMaximumYears[c.record.classification] {
            if let classifiedOn = secrecy.classifiedOn {
                let limit = classifiedOn.adding(years: years)
                if until > limit {
                    issues.append(Issue([], "too-long", ["classifiedOn": .date(classifiedOn), "until": .date(until), "years": .number(Double(years)), "classification": c.classificationName, "limit": .date(limit)]))
                }
            } else {
                issues.append(Issue([], "no-classified-on", ["years": .number(Double(years)), "classification": c.classificationName]))
            }
        }
        return issues
    }

    /// A calendar year in which the classification must be reviewed.
    struct ReviewYear {
        var year: Int
        var reviewed: Bool
        var due: LocalDate
    }

    /// Every calendar year after the one of classification up to the as-of year, with whether a
    /// confidentiality-review with `classificationReviewed` is dated in it.
    static func reviewYears(_ c: RuleContext) -> [ReviewYear] {
        guard c.record.classification != .none, let classifiedOn = c.record.secrecy?.classifiedOn, classifiedOn.year < c.asOf.year else { return [] }
        let reviewedYears = Set(c.documents(.confidentialityReview).filter { $0.flag("classificationReviewed") == true }.compactMap { $0.paperDate?.year })
        return (classifiedOn.year + 1...c.asOf.year).map { year in
            // swift-format-ignore: NeverForceUnwrap
            ReviewYear(year: year, reviewed: reviewedYears.contains(year), due: LocalDate(year: year, month: 12, day: 31)!)
        }
    }

    /// R25: a review of the classification in every completed calendar year since classification.
    static func yearlyReview(_ c: RuleContext) -> [Issue] {
        reviewYears(c).filter { !$0.reviewed && $0.due < c.asOf }.map {
            Issue([], "missing", ["year": .text(String($0.year))])
        }
    }
}
