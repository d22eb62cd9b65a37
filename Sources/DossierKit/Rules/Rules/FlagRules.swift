import DossierModel
/// The flags confidentiality officers work from, and whether a review covers the current version.
enum FlagRules {
    static func raised(_ c: RuleContext) -> [RaisedFlag] {
        var flags: [RaisedFlag] = []
        if c.record.classification != .none {
            var reason = "classified \(c.classificationName)"
            if let until = c.record.secrecy?.until { reason += " until \(until)" } else if let condition = c.record.secrecy?.condition { reason += " until \(condition)" }
            flags.append(RaisedFlag(flag: .secret, reason: reason))
        }
        let abroad = c.contractsAbroad
        if !abroad.isEmpty {
            let targets = abroad.map { contract in
                let counterparty = Counterparty(contract)
                return "\(counterparty.label) (\(counterparty.country ?? "?"))"
            }
            flags.append(RaisedFlag(flag: .export, reason: "converted abroad: \(listing(targets))", documents: abroad.map(\.ref)))
        }
        if c.record.nationalInterest {
            flags.append(RaisedFlag(flag: .excluded, reason: "may affect national or public interests, so excluded from grants (grant: \(c.record.grant.rawValue))"))
        }
        let equity = RewardRules.leaderEquityRewards(c)
        if !equity.isEmpty {
            let names = Array(Set(equity.map(\.recipient))).sorted()
            flags.append(RaisedFlag(flag: .leaderEquity, reason: "equity reward to the legal-person head \(listing(names))", documents: equity.map(\.reward.ref)))
        }
        if c.record.ethicsSensitive {
            let approved = c.documents(.ethicsReview).contains { $0.text("decision") == "approved" }
            flags.append(RaisedFlag(flag: .ethics, reason: "subject to S&T ethics review (\(approved ? "approved" : "no approving review filed"))"))
        }
        if let first = TransferRules.firstConversionOutside(c) {
            flags.append(RaisedFlag(flag: .outOfRegion, reason: "first conversion to \(Counterparty(first).label) outside \(c.profile.regionName)", documents: [first.ref]))
        }
        return flags
    }

    /// The decision of the latest confidentiality-review of a version at or after the last
    /// version that changed anything but reviews; pending when there is none (a later filing
    /// reopens the review).
    static func reviewState(_ c: RuleContext) -> ReviewState {
        let covering = c.documents(.confidentialityReview).enumerated().compactMap { order, review -> (VersionNumber, DocumentEntry, Int)? in
            guard let version = review.text("reviewedVersion").flatMap(VersionNumber.init),
                version >= c.history.lastSubstantive, version <= c.history.head
            else { return nil }
            return (version, review, order)
        }
        // Of the reviews of the latest version reviewed, the last filed: an officer's newest word.
        guard let latest = covering.max(by: { ($0.0, $0.1.filedAt, $0.2) < ($1.0, $1.1.filedAt, $1.2) }) else { return .pending }
        switch latest.1.text("decision") {
        case "approve": return .approved(version: latest.0, review: latest.1.ref)
        case "reject": return .rejected(version: latest.0, review: latest.1.ref)
        case "needs-info": return .needsInfo(version: latest.0, review: latest.1.ref)
        default: return .pending
        }
    }
}
