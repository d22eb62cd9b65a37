/// How an achievement was formed (三(一)).
public enum Funding: String, Sendable, CaseIterable, Codable {
    case fiscal, entrusted, other

    public var chineseName: String {
        switch self {
        case .fiscal: "财政性资金"
        case .entrusted: "接受企业、其他社会组织委托"
        case .other: "其他"
        }
    }
}

/// The right granted to the team (三(一), 三(二)).
public enum GrantKind: String, Sendable, CaseIterable, Codable {
    case ownership
    case longTermUse = "long-term-use"
    case none

    public var chineseName: String {
        switch self {
        case .ownership: "所有权"
        case .longTermUse: "长期使用权"
        case .none: "未赋权"
        }
    }
}

/// Secrecy level (涉密), ordered from open to most secret so clearances compare with `<`.
public enum Classification: String, Sendable, CaseIterable, Codable, Comparable {
    case none
    case secret
    case confidential
    case topSecret = "top-secret"

    public var chineseName: String {
        switch self {
        case .none: "非密"
        case .secret: "秘密"
        case .confidential: "机密"
        case .topSecret: "绝密"
        }
    }

    private var rank: Int {
        switch self {
        case .none: 0
        case .secret: 1
        case .confidential: 2
        case .topSecret: 3
        }
    }

    public static func < (lhs: Classification, rhs: Classification) -> Bool { lhs.rank < rhs.rank }
}

/// An achievement type (三(一)). An open set: a profile may add types, so this is a
/// validated name with the plan's types as constants (GRDB's `ResultCode` pattern).
public struct AchievementType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Slug.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { rawValue = known }

    public static let patent = AchievementType(known: "patent")
    static let softwareCopyright = AchievementType(known: "software-copyright")
    static let icLayout = AchievementType(known: "ic-layout")
    public static let plantVariety = AchievementType(known: "plant-variety")
    static let animalVariety = AchievementType(known: "animal-variety")
    static let biomedicalVariety = AchievementType(known: "biomedical-variety")
    public static let veterinaryDrug = AchievementType(known: "veterinary-drug")
    static let animalVaccine = AchievementType(known: "animal-vaccine")
    static let technicalSecret = AchievementType(known: "technical-secret")

    /// The types the plan names, with their Chinese names.
    public static let planTypes: [(AchievementType, String)] = [
        (.patent, "专利权"), (.softwareCopyright, "计算机软件著作权"), (.icLayout, "集成电路布图设计专有权"),
        (.plantVariety, "植物新品种权"), (.animalVariety, "动物新品种权"), (.biomedicalVariety, "生物医药新品种"),
        (.veterinaryDrug, "中蒙兽药权"), (.animalVaccine, "动物疫苗权"), (.technicalSecret, "技术秘密"),
    ]

    public var chineseName: String? { AchievementType.planTypes.first(where: { $0.0 == self })?.1 }

    public var description: String { rawValue }
}

/// Lowercase names made of letters, digits and hyphens: unit ids, achievement types.
public enum Slug {
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), bytes.first != 0x2D, bytes.last != 0x2D else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
