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
