import DossierModel
/// Publicity periods (R05) and how to object to a price (R27).
enum PublicityRules {
    /// R05: every publicity lasts at least the profile's days, counted as the Civil Code counts them.
    static func duration(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        let kinds: [(DocumentKind, Int, String?, String)] = [
            (.publicityRecord, c.profile.publicityMinimumDays, c.grantContext, "publicity"),
            (.pricingPublicity, c.profile.pricingPublicityMinimumDays, "pricing", "pricing publicity"),
        ]
        for (kind, minimum, context, label) in kinds {
            for document in c.documents(kind) {
                guard let startsOn = document.date("startsOn"), let endsOn = document.date("endsOn") else {
                    let missing = ["startsOn", "endsOn"].filter { document.date($0) == nil }
                    issues.append(.missingFacts(document, missing, purpose: "the \(label)'s length cannot be checked", context: context))
                    continue
                }
                let days = endsOn.days(since: startsOn)
                if days < 0 {
                    // Swapped or mistyped dates: a negative length would only puzzle the reader.
                    issues.append(Issue([document], "\(label) ends on \(endsOn), before it starts on \(startsOn); the dates are out of order, and the plan requires at least \(minimum) days", context: context))
                } else if days < minimum {
                    issues.append(Issue([document], "\(label) lasted \(days) day\(days == 1 ? "" : "s") (\(startsOn) → \(endsOn)), the plan requires at least \(minimum)", context: context))
                }
            }
        }
        return issues
    }

    /// R27: a pricing publicity says how to object.
    static func objectionChannel(_ c: RuleContext) -> [Issue] {
        c.documents(.pricingPublicity).filter { ($0.text("objectionChannel") ?? "").isEmpty }.map {
            Issue([$0], "does not state how to object to the price (objectionChannel)")
        }
    }
}
