import DossierModel
/// The flags confidentiality officers work from, and whether a review covers the current version.
enum FlagRules {
    static func raised(_ c: RuleContext) -> [RaisedFlag] {
        var flags: [RaisedFlag] = []
        /// A flag whose reason is its rule's template `key` in the profile, in both languages.
        func raise(_ flag: DossierFlag, _ key: String, _ values: [String: MessageValue], documents: [DocumentRef] = []) {
            let messages = c.profile.rules[flag.rule]?.messages ?? RuleMessages()
            flags.append(RaisedFlag(
                flag: flag, reason: messages.render(key, values, rule: flag.rule, language: .en), documents: documents,
                reasonZh: messages.render(key, values, rule: flag.rule, language: .zh)))
        }
        if c.record.classification != .none {
            if let until = c.record.secrecy?.until {
                raise(.secret, "flag-until", ["classification": c.classificationName, "until": .date(until)])
            } else if let condition = c.record.secrecy?.condition {
                raise(.secret, "flag-until", ["classification": c.classificationName, "until": .text(condition)])
            } else {
                raise(.secret, "flag", ["classification": c.classificationName])
            }
        }
        let abroad = c.contractsAbroad
        if !abroad.isEmpty {
            let targets: [(String, [String: MessageValue])] = abroad.map { contract in
                let counterparty = Counterparty(contract)
                return ("flag-target", ["counterparty": counterparty.labelValue, "country": .text(counterparty.country ?? "?")])
            }
            raise(.export, "flag", ["targets": .messageList(targets)], documents: abroad.map(\.ref))
        }
        if c.record.nationalInterest {
            raise(.excluded, "flag", ["grant": .choice(c.record.grant.rawValue, c.record.grant.chineseName)])
        }
        let equity = RewardRules.leaderEquityRewards(c)
        if !equity.isEmpty {
            let names = Array(Set(equity.map(\.recipient))).sorted()
            raise(.leaderEquity, "flag", ["names": .list(names)], documents: equity.map(\.reward.ref))
        }
        if c.record.ethicsSensitive {
            let approved = c.documents(.ethicsReview).contains { $0.text("decision") == "approved" }
            raise(.ethics, approved ? "flag-approved" : "flag", [:])
        }
        if let first = TransferRules.firstConversionOutside(c) {
            raise(.outOfRegion, "flag", ["counterparty": Counterparty(first).labelValue, "region": .text(c.profile.regionName)], documents: [first.ref])
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
