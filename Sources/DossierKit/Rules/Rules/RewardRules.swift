import DossierModel
/// Rewards to the people who converted the achievement (三(三)): the legal head's equity (R14)
/// and paying on time (R15).
enum RewardRules {
    /// An equity reward to the unit's legal-person head: a reward-distribution recipient with
    /// form equity who is marked legalHead there or in the record's completers.
    struct LeaderEquity {
        var reward: DocumentEntry
        var recipient: String
    }

    static func leaderEquityRewards(_ c: RuleContext) -> [LeaderEquity] {
        let heads = Set(c.record.completers.filter(\.legalHead).map(\.name))
        var result: [LeaderEquity] = []
        for reward in c.documents(.rewardDistribution) {
            for recipient in reward.objects("recipients") ?? [] {
                guard recipient["form"]?.stringValue == "equity", let name = recipient["name"]?.stringValue else { continue }
                if recipient["legalHead"]?.boolValue == true || heads.contains(name) {
                    result.append(LeaderEquity(reward: reward, recipient: name))
                }
            }
        }
        return result
    }

    /// R14: the supervising department approves the legal head's equity, and the head does not
    /// trade it while in office (an equity-trade by them on or before the approval's
    /// `tenureEndsOn`, or at any time while no end of tenure is recorded).
    static func leaderEquity(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        for reward in leaderEquityRewards(c) {
            let approvals = c.documents(.equityRewardApproval).filter { $0.text("recipient") == reward.recipient }
            guard let approval = approvals.first else {
                issues.append(Issue([reward.reward], "no-approval", ["recipient": .text(reward.recipient)]))
                continue
            }
            if approval.text("approvedBy") == nil {
                issues.append(.missingFacts(approval, ["approvedBy"], key: "no-approver"))
            }
            let tenureEnd = approvals.compactMap { $0.date("tenureEndsOn") }.max()
            for trade in c.documents(.equityTrade) where trade.text("holder") == reward.recipient {
                guard let tradedOn = trade.date("tradedOn") ?? trade.paperDate else { continue }
                if let tenureEnd, tradedOn > tenureEnd { continue }
                let tenure: MessageValue = tenureEnd.map { .message("tenure-until", ["date": .date($0)]) } ?? .message("in-office", [:])
                issues.append(Issue([trade], "traded", ["recipient": .text(reward.recipient), "tenure": tenure, "tradedOn": .date(tradedOn)]))
            }
        }
        return issues
    }

    /// Income received and the reward that must follow it.
    struct Obligation {
        var document: DocumentEntry
        var incomeOn: LocalDate
        var deadline: LocalDate
        var paidOn: LocalDate?
    }

    /// Every income received: on a reward-distribution (with its own paidOn), and on a
    /// transfer-contract whose income no reward-distribution names (paid by the first reward
    /// paid on or after it).
    static func obligations(_ c: RuleContext) -> [Obligation] {
        let delay = c.profile.rewardMaximumDelayDays
        let rewards = c.documents(.rewardDistribution)
        var result: [Obligation] = []
        for reward in rewards {
            guard let income = reward.date("incomeReceivedOn") else { continue }
            result.append(Obligation(document: reward, incomeOn: income, deadline: income.adding(days: delay), paidOn: reward.date("paidOn")))
        }
        let named = Set(result.map(\.incomeOn))
        for contract in c.contracts {
            guard let income = contract.date("incomeReceivedOn"), !named.contains(income) else { continue }
            let paid = rewards.compactMap { $0.date("paidOn") }.filter { $0 >= income }.min()
            result.append(Obligation(document: contract, incomeOn: income, deadline: income.adding(days: delay), paidOn: paid))
        }
        return result
    }

    /// R15: the reward is paid within the profile's delay after income is received.
    static func timely(_ c: RuleContext) -> [Issue] {
        let delay = c.profile.rewardMaximumDelayDays
        return obligations(c).compactMap { obligation in
            if let paidOn = obligation.paidOn {
                guard paidOn > obligation.deadline else { return nil }
                return Issue([obligation.document], "late", ["incomeOn": .date(obligation.incomeOn), "paidOn": .date(paidOn), "days": .number(Double(paidOn.days(since: obligation.incomeOn))), "delay": .number(Double(delay))])
            }
            guard c.asOf > obligation.deadline else { return nil }
            return Issue([obligation.document], "unpaid", ["incomeOn": .date(obligation.incomeOn), "deadline": .date(obligation.deadline), "delay": .number(Double(delay))])
        }
    }
}
