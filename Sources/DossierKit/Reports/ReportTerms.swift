import DossierModel

/// The Chinese names papers for people show beside the English ones: statuses, flags,
/// severities, signature verdicts and fact names. One table, so that the localisation layer
/// (and a reader checking a translation) finds them in one place.
enum ReportTerms {
    /// 状态 — a dossier's standing.
    static func chinese(_ status: DossierStatus) -> String {
        switch status {
        case .notInOrder: "不合规"
        case .pendingReview: "待保密审查"
        case .needsAttention: "需关注"
        case .inOrder: "合规"
        case .notValidated: "未校验"
        }
    }

    /// 标记 — the confidentiality officers' flags.
    static func chinese(_ flag: DossierFlag) -> String {
        switch flag {
        case .secret: "涉密"
        case .export: "出口"
        case .excluded: "不予赋权"
        case .leaderEquity: "领导股权奖励"
        case .ethics: "科技伦理"
        case .outOfRegion: "区外转化"
        }
    }

    static func chinese(_ severity: Severity) -> String {
        switch severity {
        case .error: "错误"
        case .warning: "警告"
        case .info: "提示"
        }
    }

    static func chinese(_ status: SignatureStatus) -> String { status.chineseName }

    static func chinese(_ format: SignatureFormat) -> String {
        switch format {
        case .pades: "PDF 签名"
        case .cms: "分离式 CMS 签名"
        case .ofdSeal: "OFD 电子签章"
        }
    }

    /// `status 中文` as papers show a status.
    static func both(_ status: DossierStatus) -> String { "\(status.rawValue) \(chinese(status))" }
    /// `FLAG 中文`.
    static func both(_ flag: DossierFlag) -> String { "\(flag.rawValue) \(chinese(flag))" }

    /// The Chinese names of the facts of FORMATS.md §4; a fact not here is shown by its key.
    static let factNames: [String: String] = [
        "signedOn": "签订日期", "issuedOn": "出具日期", "parties": "当事方", "members": "成员", "representative": "代表",
        "applicant": "申请人", "grant": "赋权类型", "appliedOn": "申请日期", "decision": "决定", "approvedOn": "批准日期",
        "startsOn": "开始日期", "endsOn": "结束日期", "objections": "异议", "resolvedOn": "处理日期", "unitShare": "单位份额",
        "teamShare": "团队份额", "clauses": "条款", "registry": "登记机关", "recordedOn": "登记日期", "effectiveFrom": "生效日期",
        "effectiveUntil": "有效期至", "newEffectiveUntil": "延长至", "mode": "方式", "counterparty": "受让方", "pricing": "定价方式",
        "price": "金额（元）", "effectiveOn": "生效日期", "partner": "合作方", "scope": "合作范围", "achievementName": "成果名称",
        "objectionChannel": "异议渠道", "venue": "交易场所", "dealOn": "成交日期", "appraisedValue": "评估值（元）",
        "decidedOn": "决定日期", "decidedBy": "决定人", "registrationNo": "登记号", "year": "年度", "incomeReceivedOn": "收入到账日期",
        "paidOn": "发放日期", "recipients": "获奖人", "recipient": "获奖人", "approvedBy": "批准人", "level": "密级",
        "validUntil": "有效期至", "category": "类别", "destination": "目的地", "licenceNo": "许可证号", "reviewer": "审查人",
        "reviewedVersion": "审查版本", "classificationReviewed": "密级已复核", "name": "名称", "kind": "类型", "country": "国家",
        "inRegion": "区内", "share": "份额", "amount": "金额", "form": "形式", "legalHead": "法定代表人",
    ]

    /// `中文 key` for a fact.
    static func factLabel(_ key: String) -> String {
        factNames[key].map { "\($0) \(key)" } ?? key
    }

    /// A fact's value as one line of text: strings as they are, lists joined by 、, objects as
    /// `key: value` pairs, booleans as 是/否.
    static func factValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): JSONValue.format(number)
        case .bool(let flag): flag ? "是 yes" : "否 no"
        case .null: "—"
        case .array(let items): items.map(factValue).joined(separator: "、")
        case .object(let object):
            "{" + object.map { "\(factNames[$0.key] ?? $0.key): \(factValue($0.value))" }.joined(separator: "，") + "}"
        }
    }
}

/// Text made safe inside HTML elements and attribute values, and the pieces papers for people
/// share: tokens that must not be broken at a line's end (ids, dates, digests, amounts).
enum HTMLText {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A token kept on one line (`white-space: nowrap`): a date, an id, an amount, a version.
    static func token(_ text: String) -> String {
        text.isEmpty ? "" : "<span class=\"nb\">\(escape(text))</span>"
    }

    /// A path that may break after each `/` and nowhere else.
    static func path(_ text: String) -> String {
        text.split(separator: "/", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "/<wbr>")
    }

    /// Tokens joined so that a line may break between them and never inside one.
    static func tokens(_ texts: [String], separator: String) -> String {
        texts.map(token).joined(separator: escape(separator) + "<wbr>")
    }
}
