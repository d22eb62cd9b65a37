import DossierModel
/// The text columns the full-text table holds for a dossier's record and for each document:
/// `title`, `names`, `facts` and `body`, weighted in that order when results are ranked.
///
/// Facts become `key value` text (`counterparty.kind non-state 非国有`), and closed values get
/// their Chinese words too, so that `dossier search 非国有 --kind transfer-contract` finds a
/// contract whose counterparty is non-state even when its PDF has no text layer.
enum SearchableText {
    struct Columns: Equatable {
        var title: String
        var names: String
        var facts: String
        var body: String
    }

    static func record(_ dossier: IndexedDossier) -> Columns {
        let record = dossier.record
        var names = [record.id.rawValue, record.unit]
        if let unitName = dossier.unitName { names.append(unitName) }
        names += record.completers.map(\.name)
        if let secrecy = record.secrecy { names += secrecy.readers }
        var facts = [
            "type \(record.type.rawValue) \(record.type.chineseName ?? "")",
            "funding \(record.funding.rawValue) \(record.funding.chineseName)",
            "grant \(record.grant.rawValue) \(record.grant.chineseName)",
            "classification \(record.classification.rawValue) \(record.classification.chineseName)",
        ]
        if record.nationalInterest { facts.append("nationalInterest 国家安全") }
        if record.ethicsSensitive { facts.append("ethicsSensitive 科技伦理") }
        if let condition = record.secrecy?.condition { facts.append("secrecy.condition \(condition)") }
        return Columns(title: record.title, names: names.joined(separator: "\n"), facts: facts.joined(separator: "\n"), body: "")
    }

    static func document(_ document: IndexedDocument) -> Columns {
        let entry = document.entry
        var names = [entry.kind.rawValue, entry.kind.chineseName, entry.filedBy]
        for name in ["parties", "members", "recipients"] {
            names += strings(in: entry.facts[name])
        }
        return Columns(
            title: entry.fileName, names: names.joined(separator: "\n"),
            facts: factLines(entry.facts, prefix: "").joined(separator: "\n"), body: document.text.text)
    }

    /// `key value` lines for every fact, nested keys joined with dots.
    static func factLines(_ object: JSONObject, prefix: String) -> [String] {
        var lines: [String] = []
        for (key, value) in object {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case .object(let inner):
                lines += factLines(inner, prefix: path)
            case .array(let elements):
                for element in elements {
                    if case .object(let inner) = element {
                        lines += factLines(inner, prefix: path)
                    } else {
                        lines.append("\(path) \(scalarText(element))")
                    }
                }
            default:
                lines.append("\(path) \(scalarText(value))")
            }
        }
        return lines
    }

    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            if let chinese = chineseWords[text] { return "\(text) \(chinese)" }
            return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        default: return value.serialized(.compact)
        }
    }

    static func strings(in value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let elements)?: elements.flatMap { element -> [String] in
            if case .object(let object) = element { return object["name"]?.stringValue.map { [$0] } ?? [] }
            return element.stringValue.map { [$0] } ?? []
        }
        default: []
        }
    }

    /// Chinese words for the closed values of facts (FORMATS.md §4), as the papers write them.
    static let chineseWords: [String: String] = [
        "wholly-state-owned": "国有独资", "non-state": "非国有", "individual": "个人",
        "transfer": "转让", "license": "许可", "investment": "作价投资",
        "agreement": "协议定价", "listing": "挂牌交易", "auction": "拍卖",
        "approved": "同意", "rejected": "不同意", "approve": "同意", "reject": "不同意", "needs-info": "补充材料",
        "ownership": "所有权", "long-term-use": "长期使用权",
        "none": "无", "resolved": "已处置", "pending": "待处置",
        "revenue-split": "收益分配", "decision-mechanism": "决策机制", "cost-sharing": "费用分担", "maintenance-fees": "维护费用",
        "cash": "现金", "equity": "股权",
        "prohibited": "禁止出口", "restricted": "限制出口", "free": "自由出口",
        "secret": "秘密", "confidential": "机密", "top-secret": "绝密",
    ]
}
