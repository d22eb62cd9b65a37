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

    /// Approved when a confidentiality-review approves a version at or after the last version
    /// that changed anything but reviews; pending otherwise.
    static func reviewState(_ c: RuleContext) -> ReviewState {
        let covering = c.documents(.confidentialityReview).compactMap { review -> (VersionNumber, DocumentEntry)? in
            guard review.text("decision") == "approve", let version = review.text("reviewedVersion").flatMap(VersionNumber.init),
                version >= c.history.lastSubstantive, version <= c.history.head
            else { return nil }
            return (version, review)
        }
        // The latest filed among reviews of the same version: the one an officer looks at first.
        guard let latest = covering.reversed().max(by: { $0.0 < $1.0 }) else { return .pending }
        return .approved(version: latest.0, review: latest.1.ref)
    }
}
