import DossierKit
import Testing

private typealias F = RuleFixtures

@Suite("Rules R11–R15, R20: pricing, market, appraisal, the legal head's equity, rewards, region")
struct TransferRuleTests {
    @Test("R11: an agreed price needs a pricing publicity")
    func r11Missing() {
        var record = F.licensed()
        F.remove(&record, .pricingPublicity)
        #expect(F.messages(record) == ["R11 error IMUT-2021-0007 v4 transfer-contract 转让/许可/作价投资合同 许可合同.pdf: the price was agreed (协议定价), and no pricing-publicity 协议定价公示 is filed (三(七))"])
    }

    @Test("R11: the publicity names the same price and the achievement, and ends before the contract")
    func r11Mismatch() {
        var record = F.licensed()
        F.setFact(&record, .pricingPublicity, "price", 450000)
        #expect(F.messages(record) == ["R11 error IMUT-2021-0007 v4 transfer-contract 转让/许可/作价投资合同 许可合同.pdf, pricing-publicity 协议定价公示 定价公示.pdf: the price was agreed (协议定价), but the pricing publicity does not support it: it publishes the price 450000, not the contract's 500000 (三(七))"])
        record = F.licensed()
        F.setFact(&record, .pricingPublicity, "achievementName", "另一项成果")
        #expect(F.verdict(record) == ["R11 error"])
        record = F.licensed()
        F.setFact(&record, .pricingPublicity, "endsOn", "2022-06-01")
        #expect(F.verdict(record) == ["R11 error"])
        F.setFact(&record, .pricingPublicity, "endsOn", "2022-05-31")
        #expect(F.verdict(record) == [])
        // A pricing publicity that ends before it starts fails both R05 and R11, each saying so
        F.setFact(&record, .pricingPublicity, "endsOn", "2022-04-30")
        #expect(F.verdict(record) == ["R05 error", "R11 error"])
        #expect(F.messages(record).last?.hasSuffix("the pricing publicity does not support it: it ends on 2022-04-30, before it starts on 2022-05-01 (三(七))") == true)
    }

    @Test("R12: a listed price has its listing record")
    func r12() {
        var record = F.licensed()
        F.setFact(&record, .transferContract, "pricing", "listing")
        #expect(F.verdict(record) == ["R12 error"])
        record.documents.append(F.document(.listingRecord, "挂牌记录.pdf", ["issuedOn": "2022-05-20", "parties": ["内蒙古自治区技术交易市场"], "venue": "内蒙古自治区技术交易市场", "dealOn": "2022-05-20"]))
        #expect(F.verdict(record) == [])
    }

    @Test("R13: a non-state counterparty needs an appraisal or a waiver; a wholly state-owned one does not")
    func r13() {
        var record = F.licensed()
        F.remove(&record, .appraisalWaiver)
        #expect(F.verdict(record) == ["R13 error"])
        F.setFact(&record, .transferContract, "counterparty", ["name": "内蒙古某国有独资公司", "kind": "wholly-state-owned", "country": "CN", "inRegion": true])
        #expect(F.verdict(record) == [])
    }

    static let leaderReward = F.document(.rewardDistribution, "股权奖励.pdf", [
        "signedOn": "2023-01-20", "parties": ["内蒙古工业大学"],
        "recipients": [["name": "王芳", "form": "equity", "legalHead": true], ["name": "李强", "amount": 20000, "form": "cash"]],
    ])

    @Test("R14: an equity reward to the legal-person head needs the supervising department's approval")
    func r14Approval() {
        var record = F.licensed()
        record.documents.append(Self.leaderReward)
        #expect(F.verdict(record) == ["R14 error"])
        record.documents.append(F.document(.equityRewardApproval, "主管部门批准.pdf", ["signedOn": "2023-01-15", "parties": ["自治区教育厅"], "recipient": "王芳", "approvedBy": "自治区教育厅", "tenureEndsOn": "2025-12-31"]))
        #expect(F.verdict(record) == [])
    }

    @Test("R14: the legal head does not trade the equity during tenure", arguments: [("2025-12-31", false), ("2026-01-01", true)])
    func r14Trade(tradedOn: String, passes: Bool) {
        var record = F.licensed()
        record.documents.append(Self.leaderReward)
        record.documents.append(F.document(.equityRewardApproval, "主管部门批准.pdf", ["signedOn": "2023-01-15", "parties": ["自治区教育厅"], "recipient": "王芳", "approvedBy": "自治区教育厅", "tenureEndsOn": "2025-12-31"]))
        record.documents.append(F.document(.equityTrade, "股权转让.pdf", ["signedOn": .string(tradedOn), "parties": ["王芳", "某投资公司"], "holder": "王芳", "tradedOn": .string(tradedOn)]))
        #expect(F.verdict(record) == (passes ? [] : ["R14 error"]))
    }

    @Test("R14: a completer marked legalHead in the record counts too")
    func r14FromCompleters() {
        var record = F.licensed()
        record.completers[1].legalHead = true
        record.documents.append(F.document(.rewardDistribution, "奖励.pdf", ["signedOn": "2023-01-20", "parties": ["内蒙古工业大学"], "recipients": [["name": "李强", "form": "equity"]]]))
        #expect(F.verdict(record) == ["R14 error"])
    }

    @Test("R15: the reward follows the income within 90 days", arguments: [("2023-04-10", true), ("2023-04-11", false)])
    func r15Paid(paidOn: String, passes: Bool) {
        var record = F.licensed()
        record.documents.append(F.document(.rewardDistribution, "奖励.pdf", ["signedOn": .string(paidOn), "parties": ["内蒙古工业大学"], "incomeReceivedOn": "2023-01-10", "paidOn": .string(paidOn), "amount": 150000]))
        #expect(F.verdict(record) == (passes ? [] : ["R15 warning"]))
    }

    @Test("R15: an unpaid reward is reported once the delay has passed", arguments: [("2026-11-30", true), ("2026-12-01", false)])
    func r15Unpaid(asOf: String, passes: Bool) {
        var record = F.licensed()
        F.setFact(&record, .transferContract, "incomeReceivedOn", "2026-09-01")
        #expect(F.verdict(record, asOf: F.date(asOf)) == (passes ? [] : ["R15 warning"]))
        record.documents.append(F.document(.rewardDistribution, "奖励.pdf", ["signedOn": "2026-10-01", "parties": ["内蒙古工业大学"], "paidOn": "2026-10-01", "amount": 150000]))
        #expect(F.verdict(record, asOf: F.date(asOf)) == [])
    }

    @Test("R20: a first conversion outside the region is noted; a later one is not")
    func r20() {
        var record = F.licensed()
        F.setFact(&record, .transferContract, "counterparty", ["name": "北京某科技有限公司", "kind": "non-state", "country": "CN", "inRegion": false])
        #expect(F.messages(record) == ["R20 info IMUT-2021-0007 v4 transfer-contract 转让/许可/作价投资合同 许可合同.pdf: the first conversion goes to 北京某科技有限公司 outside 内蒙古自治区; the plan encourages converting in the region first (三(八))"])
        record = F.licensed()
        var later = F.contract
        later.path = "documents/transfer-contract/第二份合同.pdf"
        later.facts["signedOn"] = "2023-06-01"
        later.facts["counterparty"] = ["name": "北京某科技有限公司", "kind": "non-state", "country": "CN", "inRegion": false]
        record.documents.append(later)
        #expect(F.verdict(record) == [])
    }
}
