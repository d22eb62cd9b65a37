import DossierKit

/// How kinds are named to people in the language of the run.
enum KindText {
    /// `publicity-record 单位内公示记录`, or in Chinese `单位内公示记录（publicity-record）`.
    static func name(_ kind: DocumentKind) -> String {
        Lang.isChinese ? "\(kind.chineseName)（\(kind.rawValue)）" : kind.displayName
    }
}

/// Findings in the language of the run: the words are the profile's (each rule's `en` and
/// `zh` templates), rendered by the rule engine.
enum FindingText {
    static func message(_ finding: Finding) -> String {
        Lang.isChinese ? finding.messageZh : finding.message
    }

    /// `R05 error IMUT-2021-0007 v4 publicity-record 单位内公示记录 公示.pdf: …`, or in Chinese
    /// `R05 错误 IMUT-2021-0007 v4 单位内公示记录 公示.pdf：…`.
    static func line(_ finding: Finding) -> String {
        guard Lang.isChinese else { return finding.line }
        var text = "\(finding.rule.rawValue) \(severity(finding.severity)) \(finding.dossier) \(finding.version)"
        if !finding.documents.isEmpty {
            text += " " + finding.documents.map { "\($0.kind.chineseName) \($0.fileName)" }.joined(separator: "，")
        }
        return text + "：" + finding.messageZh
    }

    /// A finding without its dossier and version (they are known where it is printed).
    static func short(_ finding: Finding) -> String {
        var text = "\(finding.rule.rawValue) \(severity(finding.severity))"
        if !finding.documents.isEmpty {
            text += " " + finding.documents.map { Lang.isChinese ? "\($0.kind.chineseName) \($0.fileName)" : "\($0.kind.rawValue) \($0.fileName)" }
                .joined(separator: Lang.isChinese ? "，" : ", ")
        }
        return text + (Lang.isChinese ? "：" : ": ") + message(finding)
    }

    static func severity(_ severity: Severity) -> String {
        guard Lang.isChinese else { return severity.rawValue }
        switch severity {
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }
}

/// Padding by the columns a terminal gives a text: a Chinese character takes two.
enum DisplayWidth {
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6: width + 2
            default: width + 1
            }
        }
    }

    /// `text` followed by spaces up to `width` columns (at least one space).
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - columns(text)))
    }
}

/// A size for people: `7 bytes`, `1.2 MiB`; `7 字节` in Chinese.
func sizeText(_ bytes: Int64) -> String {
    let text = ByteCount.format(bytes)
    guard Lang.isChinese, text.hasSuffix(" bytes") || text.hasSuffix(" byte") else { return text }
    return L("{count} bytes", ["count": String(text.split(separator: " ")[0])])
}
