import DossierModel
/// How a transfer, licence or investment is priced and to whom (R11–R13, R20).
enum TransferRules {
    /// R11: an agreed price was publicised long enough, naming the achievement and the same
    /// price, and the publicity ended before the contract was signed (三(七)).
    static func pricing(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        let publicities = c.documents(.pricingPublicity)
        for contract in c.contracts where contract.text("pricing") == "agreement" {
            guard !publicities.isEmpty else {
                issues.append(Issue([contract], "no-publicity"))
                continue
            }
            let verdicts = publicities.map { ($0, problems(of: $0, for: contract, c)) }
            guard !verdicts.contains(where: { $0.1.isEmpty }), let closest = verdicts.min(by: { $0.1.count < $1.1.count }) else { continue }
            issues.append(Issue([contract, closest.0], "unsupported", ["problems": .messages(closest.1)]))
        }
        return issues
    }

    private static func problems(of publicity: DocumentEntry, for contract: DocumentEntry, _ c: RuleContext) -> [(String, [String: MessageValue])] {
        var problems: [(String, [String: MessageValue])] = []
        let minimum = c.profile.pricingPublicityMinimumDays
        if let startsOn = publicity.date("startsOn"), let endsOn = publicity.date("endsOn") {
            let days = endsOn.days(since: startsOn)
            if days < 0 {
                problems.append(("reversed", ["endsOn": .date(endsOn), "startsOn": .date(startsOn)]))
            } else if days < minimum {
                problems.append(("short", ["days": .number(Double(days)), "minimum": .number(Double(minimum))]))
            }
            if let signedOn = contract.paperDate, endsOn >= signedOn {
                problems.append(("not-before", ["endsOn": .date(endsOn), "signedOn": .date(signedOn)]))
            }
        } else {
            problems.append(("no-dates", [:]))
        }
        let title = c.record.title.trimmingSpaces
        if let name = publicity.text("achievementName")?.precomposedNFC.trimmingSpaces {
            if name != title { problems.append(("other-name", ["name": .text(name), "title": .text(title)])) }
        } else {
            problems.append(("no-name", [:]))
        }
        switch (publicity.number("price"), contract.number("price")) {
        case let (published?, agreed?) where published != agreed:
            problems.append(("other-price", ["published": .number(published), "agreed": .number(agreed)]))
        case (nil, _):
            problems.append(("no-price", [:]))
        case (_, nil):
            problems.append(("no-contract-price", [:]))
        default:
            break
        }
        return problems
    }

    /// R12: a listed or auctioned price has its market record (三(七)).
    static func market(_ c: RuleContext) -> [Issue] {
        guard c.documents(.listingRecord).isEmpty else { return [] }
        return c.contracts.compactMap { contract in
            guard let pricing = contract.text("pricing"), pricing == "listing" || pricing == "auction" else { return nil }
            let name: MessageValue = pricing == "listing" ? .named("listing", "挂牌交易") : .named("auction", "拍卖")
            return Issue([contract], "no-record", ["pricing": name])
        }
    }

    /// R13: an appraisal, or the unit's decision not to appraise, unless the counterparty is wholly state-owned (三(四)(七)).
    static func appraisal(_ c: RuleContext) -> [Issue] {
        let decided = !c.documents(.appraisalReport).isEmpty || !c.documents(.appraisalWaiver).isEmpty
        return c.contracts.compactMap { contract in
            let counterparty = Counterparty(contract)
            guard let kind = counterparty.kind else {
                return .missingFacts(contract, ["counterparty.kind"], key: "no-kind")
            }
            guard kind != "wholly-state-owned", !decided else { return nil }
            return Issue([contract], "no-appraisal", ["counterparty": counterparty.labelValue, "kind": .choice(kind, FactSchema.choiceNames[kind]?.first ?? kind)])
        }
    }

    /// R20: the first conversion goes outside the region (三(八) encourages converting in the region first).
    static func inRegion(_ c: RuleContext) -> [Issue] {
        guard let first = firstConversionOutside(c) else { return [] }
        return [Issue([first], "outside", ["counterparty": Counterparty(first).labelValue, "region": .text(c.profile.regionName)])]
    }

    /// The earliest contract, when its counterparty is outside the region (or abroad).
    static func firstConversionOutside(_ c: RuleContext) -> DocumentEntry? {
        let dated = c.contracts.compactMap { contract in contract.paperDate.map { (contract, $0) } }
        guard let first = dated.min(by: { $0.1 < $1.1 })?.0 else { return nil }
        let counterparty = Counterparty(first)
        let abroad = counterparty.country.map { $0 != c.profile.country } ?? false
        return counterparty.inRegion == false || abroad ? first : nil
    }
}
