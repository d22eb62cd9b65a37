import DossierModel

/// The report of a four-properties check that an archivist signs (电子档案四性检测报告): per
/// dossier or bag, the four properties with each item's result and what was found, in Chinese
/// with English beside it, and lines to sign. One self-contained page: style inline, no scripts,
/// fonts or images, so that it can be printed, mailed or archived as it is.
public enum FourPropertiesHTML {
    /// The page.
    /// - Parameters:
    ///   - reports: one per dossier or bag.
    ///   - organisation: who keeps the records (vault.json's organisation), if known.
    ///   - stage: the stage checked (nil: every item).
    ///   - checkedAt: when the check ran (RFC 3339).
    ///   - asOf: the day the rules judged by.
    public static func page(reports: [FourPropertiesReport], organisation: String?, stage: CheckStage?, checkedAt: String, asOf: LocalDate) -> String {
        let stageText = stage.map { "\($0.chineseName)阶段 (\($0.rawValue) stage)" } ?? "全部检测项 (every item)"
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>电子档案四性检测报告 Four-properties check report</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
            h1 { font-size: 1.35em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #999; } h3 { font-size: 1em; margin: 1em 0 0.3em; }
            table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
            th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
            th { background: #eee; } small { color: #555; }
            td.outcome { white-space: nowrap; font-weight: bold; }
            .failed { color: #a00; } .warning { color: #a60; } .passed { color: #060; } .notrun, .notapplicable { color: #555; }
            ul.details { margin: 0.3em 0 0 1em; padding: 0; font-size: 0.95em; }
            table.sign td { height: 3em; width: 25%; }
            @media print { h2 { page-break-before: always; } h2:first-of-type { page-break-before: avoid; } }
            </style>
            </head>
            <body>
            <h1>电子档案四性检测报告<br><small>Four-properties check of electronic records (DA/T 70-2018)</small></h1>
            <p>\(escape(organisation ?? ""))</p>
            <table>
            <tr><th>检测阶段 Stage</th><td>\(escape(stageText))</td></tr>
            <tr><th>检测时间 Checked at</th><td>\(escape(checkedAt))</td></tr>
            <tr><th>规则日期 Rules as of</th><td>\(escape(asOf.description))</td></tr>
            <tr><th>检测对象 Subjects</th><td>\(reports.count)：\(escape(totals(reports)))</td></tr>
            </table>

            """
        for report in reports { page += section(report) }
        page += """
            <h2>签字 Signatures</h2>
            <table class="sign">
            <tr><th>检测人 Checked by</th><td></td><th>日期 Date</th><td></td></tr>
            <tr><th>审核人 Reviewed by</th><td></td><th>日期 Date</th><td></td></tr>
            </table>
            </body>
            </html>

            """
        return page
    }

    static func totals(_ reports: [FourPropertiesReport]) -> String {
        let counts = [CheckOutcome.passed, .warning, .failed].map { outcome in
            "\(outcome.chineseName) \(outcome.rawValue) \(reports.count { $0.outcome == outcome })"
        }
        return counts.joined(separator: "，")
    }

    static func section(_ report: FourPropertiesReport) -> String {
        let kind: String
        switch report.kind {
        case .dossier: kind = "档案 dossier"
        case .dossierBag: kind = "本库导出的包 a bag this vault exported"
        case .bag: kind = "其他系统的包 a bag from another system"
        }
        var text = """
            <h2>\(escape(report.subject))\(report.version.map { " " + escape($0) } ?? "")
            <small>\(escape(kind))；结论 verdict: <span class="\(cssClass(report.outcome))">\(escape(report.outcome.chineseName)) \(escape(report.outcome.rawValue))</span></small></h2>

            """
        for property in ArchivalProperty.allCases {
            let items = report.items.filter { $0.item.property == property }
            guard !items.isEmpty else { continue }
            text += "<h3>\(escape(property.chineseName)) \(escape(property.rawValue))</h3>\n<table>\n"
            text += "<tr><th>项 Item</th><th>检测内容 What is checked</th><th>结果 Result</th><th>说明 Findings</th></tr>\n"
            for result in items {
                text += "<tr><td>\(result.item.rawValue)</td>"
                text += "<td>\(escape(result.item.chineseTitle))<br><small>\(escape(result.item.title))</small></td>"
                text += "<td class=\"outcome \(cssClass(result.outcome))\">\(escape(result.outcome.chineseName))<br><small>\(escape(result.outcome.rawValue))</small></td>"
                text += "<td>\(escape(result.summary))"
                if !result.details.isEmpty {
                    text += "<ul class=\"details\">"
                    for detail in result.details {
                        text += "<li class=\"\(cssClass(detail.outcome))\">\(escape(detail.outcome.chineseName))：\(escape(detail.description))</li>"
                    }
                    text += "</ul>"
                }
                text += "</td></tr>\n"
            }
            text += "</table>\n"
        }
        return text
    }

    static func cssClass(_ outcome: CheckOutcome) -> String {
        outcome.rawValue.filter { $0 != " " }
    }

    /// Text made safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String { AnnualReport.escape(text) }
}
