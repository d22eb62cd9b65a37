import DossierModel
/// Publicity periods (R05) and how to object to a price (R27).
enum PublicityRules {
    /// R05: every publicity lasts at least the profile's days, counted as the Civil Code counts them.
    static func duration(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        let kinds: [(DocumentKind, Int, String?, MessageValue)] = [
            (.publicityRecord, c.profile.publicityMinimumDays, c.grantContext, .message("publicity", [:])),
            (.pricingPublicity, c.profile.pricingPublicityMinimumDays, "pricing", .message("pricing-publicity", [:])),
        ]
        for (kind, minimum, context, label) in kinds {
            for document in c.documents(kind) {
                guard let startsOn = document.date("startsOn"), let endsOn = document.date("endsOn") else {
                    let missing = ["startsOn", "endsOn"].filter { document.date($0) == nil }
                    issues.append(Issue([document], "no-dates", ["facts": .list(missing), "label": label], context: context))
                    continue
                }
                let days = endsOn.days(since: startsOn)
                if days < 0 {
                    // Swapped or mistyped dates: a negative length would only puzzle the reader.
                    issues.append(Issue([document], "reversed", ["label": label, "endsOn": .date(endsOn), "startsOn": .date(startsOn), "minimum": .number(Double(minimum))], context: context))
                } else if days < minimum {
                    issues.append(Issue([document], "too-short", ["label": label, "days": .number(Double(days)), "startsOn": .date(startsOn), "endsOn": .date(endsOn), "minimum": .number(Double(minimum))], context: context))
                }
            }
        }
        return issues
    }

    /// R27: a pricing publicity says how to object.
    static func objectionChannel(_ c: RuleContext) -> [Issue] {
        c.documents(.pricingPublicity).filter { ($0.text("objectionChannel") ?? "").isEmpty }.map {
            Issue([$0], "no-channel")
        }
    }
}
