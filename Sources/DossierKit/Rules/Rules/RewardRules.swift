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
                issues.append(Issue([reward.reward], "an equity reward to \(reward.recipient), the unit's legal-person head 正职领导, needs an equity-reward-approval 主管部门批准 from the supervising department, and none names them"))
                continue
            }
            if approval.text("approvedBy") == nil {
                issues.append(.missingFacts(approval, ["approvedBy"], purpose: "the supervising department's approval cannot be confirmed"))
            }
            let tenureEnd = approvals.compactMap { $0.date("tenureEndsOn") }.max()
            for trade in c.documents(.equityTrade) where trade.text("holder") == reward.recipient {
                guard let tradedOn = trade.date("tradedOn") ?? trade.paperDate else { continue }
                if let tenureEnd, tradedOn > tenureEnd { continue }
                let tenure = tenureEnd.map { "whose tenure runs until \($0)" } ?? "still in office"
                issues.append(Issue([trade], "\(reward.recipient), the unit's legal-person head \(tenure), traded equity on \(tradedOn); the plan forbids equity trades during tenure"))
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
                return Issue([obligation.document], "income received on \(obligation.incomeOn) was rewarded on \(paidOn), \(paidOn.days(since: obligation.incomeOn)) days later; the profile allows \(delay)")
            }
            guard c.asOf > obligation.deadline else { return nil }
            return Issue([obligation.document], "income was received on \(obligation.incomeOn), and no reward is recorded as paid by \(obligation.deadline) (\(delay) days)")
        }
    }
}
