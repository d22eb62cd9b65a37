/// The four properties Chinese archives check electronic records for before they accept and
/// while they keep them (DA/T 70-2018 文书类电子档案检测一般要求; GB/T 18894-2016).
public enum ArchivalProperty: String, Sendable, CaseIterable, Comparable {
    /// 真实性: the record is what it claims to be, unchanged, from whom it says.
    case authenticity
    /// 完整性: nothing is missing.
    case integrity
    /// 可用性: it can be read, now and later.
    case usability
    /// 安全性: it is safe to keep and open, and kept safely.
    case security

    public var chineseName: String {
        switch self {
        case .authenticity: "真实性"
        case .integrity: "完整性"
        case .usability: "可用性"
        case .security: "安全性"
        }
    }

    public static func < (lhs: ArchivalProperty, rhs: ArchivalProperty) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// When a check runs: at filing (归档), at hand-over to an archive (移交/接收), or periodically
/// while the dossier is kept (长期保存).
public enum CheckStage: String, Sendable, CaseIterable {
    case filing
    case transfer
    case storage

    public var chineseName: String {
        switch self {
        case .filing: "归档"
        case .transfer: "移交"
        case .storage: "长期保存"
        }
    }

    /// The items this stage runs (FOUR-PROPERTIES.md): every item at transfer.
    public var items: [CheckItem] { CheckItem.allCases.filter { $0.stages.contains(self) } }
}

/// One item of the check list (`../shared/domain/FOUR-PROPERTIES.md`), with the property it
/// belongs to and the stages it runs at.
public enum CheckItem: String, Sendable, CaseIterable, Comparable {
    case A1, A2, A3, A4, A5, A6
    case I1, I2, I3, I4, I5
    case U1, U2, U3, U4
    case S1, S2, S3, S4

    public var property: ArchivalProperty {
        switch rawValue.first {
        case "A": .authenticity
        case "I": .integrity
        case "U": .usability
        default: .security
        }
    }

    public var stages: Set<CheckStage> {
        switch self {
        case .A1, .U1: [.filing, .transfer, .storage]
        case .A2, .A3, .A5, .I2, .I3, .I5, .U2, .U4, .S1, .S2: [.filing, .transfer]
        case .A4, .A6, .I1, .I4, .S3, .S4: [.transfer, .storage]
        case .U3: [.filing, .transfer, .storage]
        }
    }

    /// What the item checks, in English.
    public var title: String {
        switch self {
        case .A1: "every stored file's fixity (sha512, sha256) matches the inventory"
        case .A2: "e-signatures and seals on the papers are valid and trusted"
        case .A3: "each file's name, size, format and filing time match its metadata"
        case .A4: "the package is unchanged since it was sealed"
        case .A5: "metadata values have the right type, length and range; dates are real, ids well formed"
        case .A6: "who filed each version and when is recorded and consistent with the audit log"
        case .I1: "the number of files and total bytes match what the package declares"
        case .I2: "required metadata fields are filled"
        case .I3: "the documents the plan requires for the case are present"
        case .I4: "the history is continuous: versions v1…vN, an audit line for each"
        case .I5: "every document the record lists is in the package, and nothing unlisted is"
        case .U1: "metadata files parse"
        case .U2: "each document is in an accepted long-term format, identified by content"
        case .U3: "each document opens, and text can be read from it"
        case .U4: "no document is password-protected or privately compressed"
        case .S1: "no executable content: no JavaScript, launch actions, embedded programs or macros"
        case .S2: "a virus scan passed"
        case .S3: "the audit log's hash chain is intact and its head matches"
        case .S4: "classified papers are encrypted at rest and their reads are logged"
        }
    }

    /// What the item checks, in Chinese.
    public var chineseTitle: String {
        switch self {
        case .A1: "每个存储文件的固化信息（sha512、sha256）与清单一致"
        case .A2: "文件上的电子签名、电子印章有效且可信"
        case .A3: "文件的名称、大小、格式、归档时间与元数据一致"
        case .A4: "封装后内容未被更改（版本封印、导出封印）"
        case .A5: "元数据项的类型、长度、取值范围正确，日期真实，标识符格式正确"
        case .A6: "每个版本的归档人和归档时间有记录，并与审计日志一致"
        case .I1: "文件数量和总字节数与包的声明一致"
        case .I2: "必填元数据项已填写"
        case .I3: "试点方案要求的文件齐全"
        case .I4: "历史连续：版本 v1…vN 无缺失，每个版本都有审计记录"
        case .I5: "记录列出的文件都在包内，包内没有未列出的文件"
        case .U1: "元数据文件可以解析"
        case .U2: "文件为可长期保存的格式（按内容识别）"
        case .U3: "文件可以打开，并能读出文字"
        case .U4: "文件未设密码、未经私有压缩"
        case .S1: "无可执行内容：无 JavaScript、启动动作、嵌入程序或宏"
        case .S2: "病毒检测通过"
        case .S3: "审计日志的哈希链完整，链头一致"
        case .S4: "涉密文件加密保存，读取有记录"
        }
    }

    public static func < (lhs: CheckItem, rhs: CheckItem) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// What became of an item (or of one file under it).
public enum CheckOutcome: String, Sendable, CaseIterable {
    case passed
    /// A person must look; not a failure.
    case warning
    case failed
    /// The item does not apply to this subject (a foreign bag has no record to compare with).
    case notApplicable = "not applicable"
    /// The item could not be run, and the result says why (no virus database, no seal yet).
    case notRun = "not run"

    public var chineseName: String {
        switch self {
        case .passed: "通过"
        case .warning: "警告"
        case .failed: "不通过"
        case .notApplicable: "不适用"
        case .notRun: "未检测"
        }
    }

    /// Which outcome of several stands for them all: failed › warning › not run › passed › not applicable.
    var weight: Int {
        switch self {
        case .failed: 4
        case .warning: 3
        case .notRun: 2
        case .passed: 1
        case .notApplicable: 0
        }
    }
}

/// One finding under an item: the file (a logical path, a bag path, or nil for the whole subject)
/// and what was found.
public struct CheckDetail: Sendable, Equatable {
    public var outcome: CheckOutcome
    public var file: String?
    public var reason: String

    public init(_ outcome: CheckOutcome, file: String? = nil, _ reason: String) {
        self.outcome = outcome
        self.file = file
        self.reason = reason
    }

    /// `file: reason`, or the reason alone.
    public var description: String { file.map { "\($0): \(reason)" } ?? reason }

    public var json: JSONValue {
        ["outcome": .string(outcome.rawValue), "file": file.map { .string($0) } ?? .null, "reason": .string(reason)]
    }
}

/// The result of one item for one subject.
public struct ItemResult: Sendable, Equatable {
    public var item: CheckItem
    public var outcome: CheckOutcome
    /// One line on what was checked, or why the item did not apply or did not run.
    public var summary: String
    /// What was found, file by file: every failure and warning, and what was not run.
    public var details: [CheckDetail]

    public init(_ item: CheckItem, _ outcome: CheckOutcome, _ summary: String, details: [CheckDetail] = []) {
        self.item = item
        self.outcome = outcome
        self.summary = summary
        self.details = details
    }

    /// The worst outcome among `details`, or `passed` when there are none (or only passes).
    public init(_ item: CheckItem, details: [CheckDetail], summary: String) {
        let worst = details.max { $0.outcome.weight < $1.outcome.weight }?.outcome ?? .passed
        self.init(item, worst == .notApplicable ? .passed : worst, summary, details: details)
    }

    public var json: JSONValue {
        [
            "item": .string(item.rawValue),
            "property": .string(item.property.rawValue),
            "propertyZh": .string(item.property.chineseName),
            "title": .string(item.title),
            "titleZh": .string(item.chineseTitle),
            "outcome": .string(outcome.rawValue),
            "summary": .string(summary),
            "details": .array(details.map(\.json)),
        ]
    }
}

/// What was checked: a dossier in the vault, or a bag as received.
public enum CheckSubjectKind: String, Sendable {
    /// A dossier in this vault's store, at one version.
    case dossier
    /// A bag this vault exported (its profile identifier says so).
    case dossierBag = "dossier bag"
    /// A bag made by another system.
    case bag
}

/// The four-properties check of one subject: every item of the stage, with its outcome.
///
/// `metadata/four-properties.json` in every export holds one of these (stage `transfer`), and
/// `dossier check --json` prints them.
public struct FourPropertiesReport: Sendable, Equatable {
    /// The dossier id, or the bag's name.
    public var subject: String
    public var kind: CheckSubjectKind
    /// The version checked (`v3`), when the subject has versions.
    public var version: String?
    /// The stage whose items ran; nil when every item ran (`dossier check` without `--stage`).
    public var stage: CheckStage?
    /// When the check ran (RFC 3339); nil in an export's report, which must be the same whenever the
    /// same version is exported as of the same day (``asOf`` says which day).
    public var checkedAt: String?
    /// The day the rules (I3) judged by.
    public var asOf: LocalDate?
    public var items: [ItemResult]

    public init(subject: String, kind: CheckSubjectKind, version: String?, stage: CheckStage?, checkedAt: String?, asOf: LocalDate?, items: [ItemResult]) {
        self.subject = subject
        self.kind = kind
        self.version = version
        self.stage = stage
        self.checkedAt = checkedAt
        self.asOf = asOf
        self.items = items
    }

    /// Failed when any item failed; else warning when any warned; else passed.
    public var outcome: CheckOutcome {
        if items.contains(where: { $0.outcome == .failed }) { return .failed }
        if items.contains(where: { $0.outcome == .warning }) { return .warning }
        return .passed
    }

    public func result(_ item: CheckItem) -> ItemResult? { items.first { $0.item == item } }

    /// How many items ended each way.
    public var counts: [CheckOutcome: Int] {
        var counts: [CheckOutcome: Int] = [:]
        for item in items { counts[item.outcome, default: 0] += 1 }
        return counts
    }

    /// The report as JSON (stable keys: `subject`, `kind`, `version`, `stage`, `checkedAt`, `asOf`,
    /// `outcome`, `counts`, `items` with `item`, `property`, `outcome`, `summary`, `details`).
    public var json: JSONValue {
        var countsObject = JSONObject()
        for outcome in CheckOutcome.allCases { countsObject[outcome.rawValue] = .number(Double(counts[outcome] ?? 0)) }
        return [
            "subject": .string(subject),
            "kind": .string(kind.rawValue),
            "version": version.map { .string($0) } ?? .null,
            "stage": stage.map { .string($0.rawValue) } ?? .null,
            "checkedAt": checkedAt.map { .string($0) } ?? .null,
            "asOf": asOf.map { .string($0.description) } ?? .null,
            "standard": "DA/T 70-2018",
            "outcome": .string(outcome.rawValue),
            "counts": .object(countsObject),
            "items": .array(items.map(\.json)),
        ]
    }
}
