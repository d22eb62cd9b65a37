/// Facts as a person types them (`--fact signedOn=2024年3月2日`, a line of a facts file),
/// read by the type ``FactSchema`` gives the fact, and the facts the rules need.
extension FactSchema {
    /// Chinese names of the values of choice facts, as RULES.md and FORMATS.md pair them.
    public static let choiceNames: [String: [String]] = [
        "approved": ["同意", "批准", "通过"], "rejected": ["不同意", "驳回", "不批准", "否决"],
        "approve": ["同意", "批准", "通过"], "reject": ["不同意", "驳回", "否决"], "needs-info": ["补充材料", "需补充材料", "待补充"],
        "none": ["无", "无异议", "没有"], "resolved": ["已处理", "已解决", "异议已处理"], "pending": ["待处理", "未处理", "异议待处理"],
        "ownership": ["所有权"], "long-term-use": ["长期使用权"],
        "revenue-split": ["收益分配"], "decision-mechanism": ["决策机制"], "cost-sharing": ["成本分担", "费用分担"],
        "maintenance-fees": ["知识产权维护费用", "维护费用", "维持费"],
        "transfer": ["转让"], "license": ["许可"], "investment": ["作价投资", "作价入股"],
        "wholly-state-owned": ["国有独资"], "non-state": ["非国有", "非国有独资"], "individual": ["个人", "自然人"],
        "agreement": ["协议定价"], "listing": ["挂牌交易", "挂牌"], "auction": ["拍卖"],
        "joint-development": ["合作开发"], "entrusted-development": ["委托开发"], "joint-venture": ["合作经营"], "other": ["其他"],
        "secret": ["秘密"], "confidential": ["机密"], "top-secret": ["绝密"],
        "prohibited": ["禁止", "禁止出口"], "restricted": ["限制", "限制出口"], "free": ["自由", "自由出口"],
        "cash": ["现金"], "equity": ["股权"],
    ]

    /// Chinese names of the facts, for templates and for people who type them.
    public static let factNames: [String: String] = [
        "signedOn": "签署日期", "issuedOn": "出具日期", "parties": "当事方", "notes": "备注",
        "members": "成员及份额", "representative": "指定代表", "applicant": "申请人", "grant": "赋权类型", "appliedOn": "申请日期",
        "decision": "决定", "approvedOn": "批准日期", "startsOn": "开始日期", "endsOn": "结束日期", "objections": "异议",
        "resolvedOn": "处置日期", "unitShare": "单位份额", "teamShare": "团队份额", "clauses": "约定条款",
        "registry": "登记机关", "recordedOn": "登记日期", "effectiveFrom": "生效日期", "effectiveUntil": "终止日期",
        "revenueSplit": "收益分配", "newEffectiveUntil": "延期后终止日期", "mode": "转化方式", "counterparty": "受让方/被许可方",
        "counterparty.name": "对方名称", "counterparty.kind": "对方性质", "counterparty.country": "对方国家或地区",
        "counterparty.inRegion": "对方在区内", "pricing": "定价方式", "price": "价格（元）", "effectiveOn": "生效日期",
        "incomeReceivedOn": "收入到账日期", "partner": "合作方", "partner.name": "合作方名称", "partner.kind": "合作方性质",
        "partner.country": "合作方国家或地区", "partner.inRegion": "合作方在区内", "scope": "合作范围",
        "achievementName": "成果名称", "objectionChannel": "异议渠道", "venue": "交易场所", "dealOn": "成交日期",
        "appraisedValue": "评估值（元）", "decidedOn": "决定日期", "decidedBy": "决定人", "registrationNo": "登记号",
        "category": "出口类别", "year": "年度", "final": "最终报告", "paidOn": "发放日期", "amount": "金额（元）",
        "recipients": "获奖人", "recipient": "获奖人", "approvedBy": "批准机关", "tenureEndsOn": "任期届满日期",
        "level": "密级", "validUntil": "有效期至", "destination": "目的国", "licenceNo": "许可证号", "reviewer": "审查人",
        "reviewedVersion": "审查的版本", "classificationReviewed": "已复核密级", "holder": "持有人", "tradedOn": "交易日期",
    ]

    /// The facts of `kind` the rules read, by dotted path, with the rule that reads each:
    /// filing a paper without them is refused at the command line (the list is printed), since
    /// the rules would only report them missing later.
    public static func needed(for kind: DocumentKind) -> [(fact: String, rule: String)] {
        switch kind {
        case .teamConsensus: [("members", "R07"), ("representative", "R07")]
        case .unitApproval: [("decision", "R03")]
        case .publicityRecord: [("startsOn", "R05"), ("endsOn", "R05"), ("objections", "R06")]
        case .ownershipAgreement: [("unitShare", "R07"), ("teamShare", "R07"), ("clauses", "R08")]
        case .useRightAgreement: [("effectiveFrom", "R09"), ("effectiveUntil", "R09")]
        case .useRightExtension: [("newEffectiveUntil", "R09")]
        case .transferContract: [("counterparty.kind", "R13"), ("counterparty.country", "R17"), ("pricing", "R11")]
        case .cooperationAgreement: [("partner.country", "R17")]
        case .pricingPublicity: [("achievementName", "R11"), ("price", "R11"), ("startsOn", "R05"), ("endsOn", "R05"), ("objectionChannel", "R27")]
        case .rewardDistribution: [("incomeReceivedOn", "R15")]
        case .equityRewardApproval: [("recipient", "R14"), ("approvedBy", "R14")]
        case .exportControlApproval: [("category", "R21"), ("destination", "R17"), ("validUntil", "R17")]
        case .exportLicence: [("destination", "R17"), ("validUntil", "R17")]
        case .ethicsReview: [("decision", "R18")]
        case .confidentialityReview: [("decision", "R16"), ("reviewedVersion", "R16")]
        case .annualReport: [("year", "R19")]
        case .equityTrade: [("holder", "R14")]
        default: []
        }
    }

    /// The needed facts (``needed(for:)``) that `facts` lacks, by dotted path.
    public static func lacking(_ facts: JSONObject, kind: DocumentKind) -> [(fact: String, rule: String)] {
        needed(for: kind).filter { value(at: $0.fact, in: facts) == nil }
    }

    /// The value at a dotted path, `nil` when absent or null.
    public static func value(at path: String, in facts: JSONObject) -> JSONValue? {
        var current: JSONValue = .object(facts)
        for part in path.split(separator: ".") {
            guard let next = current.objectValue?[String(part)], !next.isNull else { return nil }
            current = next
        }
        return current
    }

    /// The field a dotted path names (`counterparty.country`), or `nil` when `kind` has none.
    public static func field(at path: String, kind: DocumentKind) -> FactField? {
        var fields = fields(for: kind)
        var found: FactField?
        for part in path.split(separator: ".") {
            guard let field = fields.first(where: { $0.name == part }) else { return nil }
            found = field
            switch field.type {
            case .object(let inner), .objects(let inner): fields = inner
            default: fields = []
            }
        }
        return found
    }

    /// A typed value for the fact at `path` of `kind`, in its canonical JSON form.
    /// - Throws: ``TypedInput/Problem`` saying what was expected.
    public static func read(_ typed: String, at path: String, kind: DocumentKind) throws(TypedInput.Problem) -> JSONValue {
        guard let field = field(at: path, kind: kind) else {
            let known = allPaths(fields(for: kind))
            if let suggestion = Suggestion.closest(to: path, among: known.map { (value: $0, names: factNames[$0].map { [$0] } ?? []) }) {
                throw TypedInput.Problem("unknown fact \(path) for \(kind.rawValue); did you mean \(suggestion)?")
            }
            throw TypedInput.Problem("unknown fact \(path) for \(kind.rawValue); expected one of: \(known.joined(separator: ", "))")
        }
        return try read(typed, type: field.type, what: path)
    }

    /// A typed value of `type`.
    public static func read(_ typed: String, type: FactType, what: String) throws(TypedInput.Problem) -> JSONValue {
        let text = typed.trimmingSpaces
        // JSON is always understood: '["赵敏","孙磊"]', '{"name": …}', 30, true.
        if let first = text.first, "[{".contains(first), let json = try? JSONValue.parse(text) {
            return try readJSON(json, type: type, what: what)
        }
        switch type {
        case .date: return .string(try TypedInput.date(text).get().description)
        case .text:
            guard !text.isEmpty else { throw TypedInput.Problem("expected \(type.expectation), got nothing") }
            return .string(text.precomposedNFC)
        case .number: return .number(try TypedInput.number(text).get())
        case .integer:
            let digits = text.hasSuffix("年") || text.hasSuffix("年度") ? String(text.prefix { $0 != "年" }) : text
            guard let value = Int(TypedInput.halfWidth(digits)) else { throw TypedInput.Problem("expected a whole number such as 2024, got \"\(typed)\"") }
            return .number(Double(value))
        case .bool: return .bool(try TypedInput.bool(text).get())
        case .texts: return .array(TypedInput.list(text).map { .string($0.precomposedNFC) })
        case .choice(let values):
            return .string(try TypedInput.choice(text, among: values.map { ($0, choiceNames[$0] ?? []) }, what: "value for \(what)").get())
        case .choices(let values):
            var chosen: [JSONValue] = []
            for item in TypedInput.list(text) {
                let id = JSONValue.string(try TypedInput.choice(item, among: values.map { ($0, choiceNames[$0] ?? []) }, what: "value for \(what)").get())
                if !chosen.contains(id) { chosen.append(id) }
            }
            return .array(chosen)
        case .country: return .string(try TypedInput.country(text).get())
        case .version:
            let name = text.lowercased().hasPrefix("v") ? text.lowercased() : "v" + text
            guard VersionNumber(name) != nil else { throw TypedInput.Problem("expected \(type.expectation), got \"\(typed)\"") }
            return .string(name)
        case .object(let fields):
            throw TypedInput.Problem("\(what) is a group of facts (\(fields.map(\.name).joined(separator: ", "))); give each as \(what).\(fields.first?.name ?? "name")=…")
        case .objects(let fields):
            // NAME:VALUE:… per item, the fields in order: 王芳:60,李强:40.
            var elements: [JSONValue] = []
            for item in TypedInput.list(text) {
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).flatMap { $0.split(separator: "：", omittingEmptySubsequences: false) }.map { String($0).trimmingSpaces }
                guard parts.count <= fields.count else {
                    throw TypedInput.Problem("expected items such as \(fields.prefix(2).map(\.name).joined(separator: ":")) (e.g. 王芳:60,李强:40), got \"\(item)\"")
                }
                var object = JSONObject()
                for (field, part) in zip(fields, parts) where !part.isEmpty {
                    object[field.name] = try read(part, type: field.type, what: "\(what).\(field.name)")
                }
                elements.append(.object(object))
            }
            return .array(elements)
        }
    }

    /// A JSON value checked and normalised for `type` (choices may still be Chinese names).
    static func readJSON(_ json: JSONValue, type: FactType, what: String) throws(TypedInput.Problem) -> JSONValue {
        switch (type, json) {
        case (.texts, .array(let elements)):
            return .array(elements.map { .string(($0.stringValue ?? $0.serialized(.compact)).precomposedNFC) })
        case (.choices, .array(let elements)):
            return try read(elements.compactMap(\.stringValue).joined(separator: ","), type: type, what: what)
        default:
            return json
        }
    }

    /// Every dotted path of a list of fields.
    static func allPaths(_ fields: [FactField], prefix: String = "") -> [String] {
        fields.flatMap { field -> [String] in
            let path = prefix + field.name
            if case .object(let inner) = field.type { return [path] + allPaths(inner, prefix: path + ".") }
            return [path]
        }
    }

    /// Every fact of `kind` by dotted path, with its field (objects' members included).
    public static func flatFields(for kind: DocumentKind) -> [(path: String, field: FactField)] {
        func walk(_ fields: [FactField], _ prefix: String) -> [(String, FactField)] {
            fields.flatMap { field -> [(String, FactField)] in
                let path = prefix + field.name
                if case .object(let inner) = field.type { return walk(inner, path + ".") }
                return [(path, field)]
            }
        }
        return walk(fields(for: kind), "")
    }
}

extension FactType {
    /// What a person types for a fact of this type, in English.
    public var typingHint: String {
        switch self {
        case .date: "a date, e.g. 2024-03-02 or 2024年3月2日"
        case .text: "text"
        case .number: "a number or sum of yuan, e.g. 1200000 or 120万"
        case .integer: "a whole number, e.g. 2024"
        case .bool: "yes or no (是/否)"
        case .texts: "a list, e.g. 赵敏、孙磊"
        case .choice(let values): "one of " + values.map { value in FactSchema.choiceNames[value]?.first.map { "\(value) \($0)" } ?? value }.joined(separator: ", ")
        case .choices(let values): "some of " + values.map { value in FactSchema.choiceNames[value]?.first.map { "\(value) \($0)" } ?? value }.joined(separator: ", ")
        case .country: "a country code or name, e.g. CN, DE, 德国"
        case .version: "a version, e.g. v7"
        case .object(let fields): "a group: " + fields.map(\.name).joined(separator: ", ")
        case .objects(let fields): "a list of " + fields.map(\.name).joined(separator: ":") + ", e.g. 王芳:60,李强:40"
        }
    }

    /// The type's name in `dossier kinds --json`.
    public var name: String {
        switch self {
        case .date: "date"
        case .text: "text"
        case .number: "number"
        case .integer: "integer"
        case .bool: "boolean"
        case .texts: "list"
        case .choice: "choice"
        case .choices: "choices"
        case .country: "country"
        case .version: "version"
        case .object: "object"
        case .objects: "objects"
        }
    }

    /// The values a choice allows, else empty.
    public var allowedValues: [String] {
        switch self {
        case .choice(let values), .choices(let values): values
        default: []
        }
    }
}

extension DocumentKind {
    /// A kind as a person types it: its id (any case), its Chinese name, or a Chinese name
    /// with the punctuation left out; else a problem with "did you mean".
    public static func typed(_ text: String) -> Result<DocumentKind, TypedInput.Problem> {
        let trimmed = text.trimmingSpaces
        let bare = { (name: String) in name.filter { !"（）()/、".contains($0) } }
        if let kind = DocumentKind(rawValue: trimmed.lowercased()) ?? allCases.first(where: { $0.chineseName == trimmed || bare($0.chineseName) == bare(trimmed) }) {
            return .success(kind)
        }
        if let suggestion = Suggestion.closest(to: trimmed, among: allCases.map { (value: $0.rawValue, names: [$0.chineseName]) }),
            let kind = DocumentKind(rawValue: suggestion)
        {
            return .failure(TypedInput.Problem("unknown document kind \"\(text)\"; did you mean \(kind.displayName)? (dossier kinds lists every kind)"))
        }
        return .failure(TypedInput.Problem("unknown document kind \"\(text)\"; dossier kinds lists every kind with its Chinese name and facts"))
    }
}
