/// The kinds of signed papers the vault files (RULES.md §2, §3b). A closed set:
/// a kind that is not here is refused at filing.
public enum DocumentKind: String, Sendable, CaseIterable, Codable, Comparable {
    case teamConsensus = "team-consensus"
    case grantApplication = "grant-application"
    case conversionPlan = "conversion-plan"
    case unitApproval = "unit-approval"
    case publicityRecord = "publicity-record"
    case objectionResolution = "objection-resolution"
    case ownershipAgreement = "ownership-agreement"
    case ownershipChangeRecord = "ownership-change-record"
    case useRightAgreement = "use-right-agreement"
    case useRightExtension = "use-right-extension"
    case transferContract = "transfer-contract"
    /// A cooperation with a party outside the unit that uses the achievement (对外合作): R16
    /// and R17 treat it as they treat a contract.
    case cooperationAgreement = "cooperation-agreement"
    case pricingPublicity = "pricing-publicity"
    case listingRecord = "listing-record"
    case appraisalReport = "appraisal-report"
    case appraisalWaiver = "appraisal-waiver"
    case techContractRegistration = "tech-contract-registration"
    case achievementRegistration = "achievement-registration"
    case annualReport = "annual-report"
    case rewardDistribution = "reward-distribution"
    case equityRewardApproval = "equity-reward-approval"
    case confidentialityPact = "confidentiality-pact"
    case secrecyApproval = "secrecy-approval"
    case exportControlApproval = "export-control-approval"
    case exportLicenceIntent = "export-licence-intent"
    case exportLicence = "export-licence"
    case exportContractRegistration = "export-contract-registration"
    case ethicsReview = "ethics-review"
    case confidentialityReview = "confidentiality-review"
    /// A sale of equity by its holder: R14 looks for one by the legal-person head during tenure.
    case equityTrade = "equity-trade"

    /// The document's name in Chinese, shown beside the kind.
    public var chineseName: String {
        switch self {
        case .teamConsensus: "团队内部协商一致书面约定"
        case .grantApplication: "赋权申请"
        case .conversionPlan: "成果转化实施方案"
        case .unitApproval: "单位审批意见"
        case .publicityRecord: "单位内公示记录"
        case .objectionResolution: "异议处置记录"
        case .ownershipAgreement: "赋权（共有）协议"
        case .ownershipChangeRecord: "权属变更登记"
        case .useRightAgreement: "长期使用权协议"
        case .useRightExtension: "使用权延期协议"
        case .transferContract: "转让/许可/作价投资合同"
        case .cooperationAgreement: "对外合作协议"
        case .pricingPublicity: "协议定价公示"
        case .listingRecord: "技术交易市场挂牌/拍卖记录"
        case .appraisalReport: "资产评估报告"
        case .appraisalWaiver: "不评估决定"
        case .techContractRegistration: "技术合同认定登记"
        case .achievementRegistration: "科技成果登记"
        case .annualReport: "年度报告"
        case .rewardDistribution: "奖励发放记录"
        case .equityRewardApproval: "主管部门批准（正职领导股权奖励）"
        case .confidentialityPact: "保密协议"
        case .secrecyApproval: "涉密成果转化审批"
        case .exportControlApproval: "技术出口许可/审批"
        case .exportLicenceIntent: "技术出口许可意向书"
        case .exportLicence: "技术出口许可证"
        case .exportContractRegistration: "技术出口合同登记证"
        case .ethicsReview: "科技伦理审查意见"
        case .confidentialityReview: "保密审查意见"
        case .equityTrade: "股权交易记录"
        }
    }

    /// "publicity-record 单位内公示记录": how the CLI names a kind to people.
    public var displayName: String { "\(rawValue) \(chineseName)" }

    /// Export-control papers, which must be kept at least five years after the transfer (R26).
    public var isExportControl: Bool {
        switch self {
        case .exportControlApproval, .exportLicenceIntent, .exportLicence, .exportContractRegistration: true
        default: false
        }
    }

    public static func < (lhs: DocumentKind, rhs: DocumentKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension FieldReader {
    public func documentKind() throws(FieldError) -> DocumentKind {
        let text = try string()
        guard let kind = DocumentKind(rawValue: text) else {
            throw fail("unknown document kind \"\(text)\"; expected one of the kinds in RULES.md: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}
