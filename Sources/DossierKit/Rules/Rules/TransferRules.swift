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
                issues.append(Issue([contract], "the price was agreed (协议定价), and no pricing-publicity 协议定价公示 is filed"))
                continue
            }
            let verdicts = publicities.map { ($0, problems(of: $0, for: contract, c)) }
            guard !verdicts.contains(where: { $0.1.isEmpty }), let closest = verdicts.min(by: { $0.1.count < $1.1.count }) else { continue }
            issues.append(Issue([contract, closest.0], "the price was agreed (协议定价), but the pricing publicity does not support it: \(closest.1.joined(separator: "; "))"))
        }
        return issues
    }

    private static func problems(of publicity: DocumentEntry, for contract: DocumentEntry, _ c: RuleContext) -> [String] {
        var problems: [String] = []
        let minimum = c.profile.pricingPublicityMinimumDays
        if let startsOn = publicity.date("startsOn"), let endsOn = publicity.date("endsOn") {
            let days = endsOn.days(since: startsOn)
            if days < 0 {
                problems.append("it ends on \(endsOn), before it starts on \(startsOn)")
            } else if days < minimum {
                problems.append("it lasted \(days) days, fewer than \(minimum)")
            }
            if let signedOn = contract.paperDate, endsOn >= signedOn {
                problems.append("it ended on \(endsOn), not before the contract was signed on \(signedOn)")
            }
        } else {
            problems.append("it records no startsOn and endsOn")
        }
        let title = c.record.title.trimmingSpaces
        if let name = publicity.text("achievementName")?.precomposedNFC.trimmingSpaces {
            if name != title { problems.append("it names 「\(name)」, not the achievement 「\(title)」") }
        } else {
            problems.append("it does not name the achievement")
        }
        switch (publicity.number("price"), contract.number("price")) {
        case let (published?, agreed?) where published != agreed:
            problems.append("it publishes the price \(formatNumber(published)), not the contract's \(formatNumber(agreed))")
        case (nil, _):
            problems.append("it does not record the price")
        case (_, nil):
            problems.append("the contract does not record its price")
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
            let name = pricing == "listing" ? "listing 挂牌交易" : "auction 拍卖"
            return Issue([contract], "the price was set by \(name), and no listing-record 技术交易市场挂牌/拍卖记录 is filed")
        }
    }

    /// R13: an appraisal, or the unit's decision not to appraise, unless the counterparty is wholly state-owned (三(四)(七)).
    static func appraisal(_ c: RuleContext) -> [Issue] {
        let decided = !c.documents(.appraisalReport).isEmpty || !c.documents(.appraisalWaiver).isEmpty
        return c.contracts.compactMap { contract in
            let counterparty = Counterparty(contract)
            guard let kind = counterparty.kind else {
                return .missingFacts(contract, ["counterparty.kind"], purpose: "whether an appraisal is needed cannot be told")
            }
            guard kind != "wholly-state-owned", !decided else { return nil }
            return Issue([contract], "\(counterparty.label) is not wholly state-owned (\(kind)), so an appraisal-report 资产评估报告 or the unit's appraisal-waiver 不评估决定 must be filed")
        }
    }

    /// R20: the first conversion goes outside the region (三(八) encourages converting in the region first).
    static func inRegion(_ c: RuleContext) -> [Issue] {
        guard let first = firstConversionOutside(c) else { return [] }
        return [Issue([first], "the first conversion goes to \(Counterparty(first).label) outside \(c.profile.regionName); the plan encourages converting in the region first")]
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
