import DossierModel
/// The annual list as text, CSV, JSON or one self-contained HTML page.
extension AnnualReport {
    public enum Format: String, Sendable, CaseIterable {
        case text, csv, json, html
    }

    /// The report in `format`, as bytes ready to write (CSV begins with a UTF-8 byte-order mark so
    /// that spreadsheets read the Chinese right).
    public func rendered(_ format: Format) -> [UInt8] {
        switch format {
        case .text: Array(text().utf8)
        case .csv: [0xEF, 0xBB, 0xBF] + Array(csv().utf8)
        case .json: Array(json().serialized(.pretty).utf8)
        case .html: Array(html().utf8)
        }
    }

    /// Column headings: an English key (for scripts) and the Chinese name (for people).
    static let columns: [(key: String, chinese: String)] = [
        ("id", "成果编号"), ("title", "成果名称"), ("type", "成果类型"), ("grant", "赋权类型"), ("basis", "列入依据"),
        ("appliedOn", "申请日期"), ("approvedOn", "审批日期"), ("agreementSignedOn", "协议签订日期"), ("publicity", "公示期"),
        ("counterparty", "受让方"), ("contractSignedOn", "合同签订日期"), ("price", "合同金额（元）"),
        ("status", "状态"), ("flags", "标记"), ("version", "版本"),
    ]

    var titleLine: String {
        "\(unitName ?? unit)（\(unit)）\(year)年度赋权成果名单 — granted achievements \(year)"
    }

    func cells(_ row: Row, groupedPrice: Bool) -> [String] {
        let publicity: String
        switch (row.publicityStartsOn, row.publicityEndsOn) {
        case (let start?, let end?): publicity = "\(start)–\(end)"
        case (let start?, nil): publicity = "\(start)–"
        case (nil, let end?): publicity = "–\(end)"
        case (nil, nil): publicity = ""
        }
        return [
            row.id, row.title, AchievementType(rawValue: row.type)?.chineseName.map { "\(row.type) \($0)" } ?? row.type,
            "\(row.grant.rawValue) \(row.grant.chineseName)", row.basis == .granted ? "granted 当年赋权" : "converted 当年转化",
            row.appliedOn?.description ?? "", row.approvedOn?.description ?? "", row.agreementSignedOn?.description ?? "", publicity,
            row.counterparties.joined(separator: "; "), row.contractsSignedOn.map(\.description).joined(separator: "; "),
            row.price.map { Self.amount($0, grouped: groupedPrice) } ?? "", row.status.rawValue, row.flags.map(\.rawValue).joined(separator: " "), row.version,
        ]
    }

    var totalsLines: [String] {
        let byGrant = totals.byGrant.map { "\($0.0.rawValue) \($0.0.chineseName) \($0.1)" }.joined(separator: ", ")
        return [
            "achievements 成果总数: \(totals.achievements) (granted this year 当年赋权 \(totals.granted), converted this year 当年转化 \(totals.converted))",
            "granted by kind 按赋权类型: \(byGrant)",
            "contracts signed 合同数: \(totals.contracts), total price 合同总金额: \(Self.amount(totals.contractPrice, grouped: true)) 元",
        ]
    }

    // MARK: Text

    func text() -> String {
        var lines = [titleLine, organisation, ""]
        if rows.isEmpty { lines.append("(no granted achievements 无)") }
        for row in rows {
            let values = cells(row, groupedPrice: true)
            lines.append("\(row.id)  \(row.title)")
            for (column, value) in zip(Self.columns, values).dropFirst(2) where !value.isEmpty {
                lines.append("    \(column.chinese) \(column.key): \(value)")
            }
        }
        lines.append("")
        lines += totalsLines
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: CSV (RFC 4180)

    func csv() -> String {
        var records = [Self.columns.map { "\($0.chinese) \($0.key)" }]
        records += rows.map { cells($0, groupedPrice: false) }
        var total = [String](repeating: "", count: Self.columns.count)
        total[0] = "合计 total"
        total[1] = totalsLines.joined(separator: "\n")
        total[11] = Self.amount(totals.contractPrice, grouped: false)
        records.append(total)
        return records.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it holds a comma, quote, CR or LF, quotes doubled (RFC 4180 §2).
    /// Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
    /// apostrophe: titles and names come from whoever filed the papers. Numbers stay as they are.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON

    func json() -> JSONValue {
        func date(_ value: LocalDate?) -> JSONValue { value.map { .string($0.description) } ?? .null }
        let rowValues: [JSONValue] = rows.map { row in
            [
                "id": .string(row.id), "title": .string(row.title), "type": .string(row.type), "grant": .string(row.grant.rawValue),
                "basis": .string(row.basis.rawValue), "appliedOn": date(row.appliedOn), "approvedOn": date(row.approvedOn),
                "agreementSignedOn": date(row.agreementSignedOn), "publicityStartsOn": date(row.publicityStartsOn),
                "publicityEndsOn": date(row.publicityEndsOn), "counterparties": .array(row.counterparties.map { .string($0) }),
                "contractsSignedOn": .array(row.contractsSignedOn.map { .string($0.description) }),
                "price": row.price.map { .number($0) } ?? .null, "status": .string(row.status.rawValue),
                "flags": .array(row.flags.map { .string($0.rawValue) }), "version": .string(row.version),
            ]
        }
        return [
            "unit": .string(unit), "unitName": unitName.map { .string($0) } ?? .null, "organisation": .string(organisation),
            "year": .number(Double(year)), "achievements": .array(rowValues),
            "totals": [
                "achievements": .number(Double(totals.achievements)), "granted": .number(Double(totals.granted)),
                "converted": .number(Double(totals.converted)),
                "byGrant": .object(JSONObject(totals.byGrant.map { ($0.0.rawValue, .number(Double($0.1))) })),
                "contracts": .number(Double(totals.contracts)), "contractPrice": .number(totals.contractPrice),
            ],
        ]
    }

    // MARK: HTML

    /// One page with its style inline and no outside reference (no scripts, fonts or images), so
    /// that it can be mailed or archived as it is.
    func html() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(titleLine))</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
            h1 { font-size: 1.3em; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
            th { background: #eee; }
            th small { display: block; font-weight: normal; color: #666; }
            td.number { text-align: right; white-space: nowrap; }
            ul.totals { margin-top: 1em; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(titleLine))</h1>
            <p>\(Self.escape(organisation))</p>
            <table>
            <thead><tr>
            """
        for column in Self.columns {
            page += "<th>\(Self.escape(column.chinese))<small>\(Self.escape(column.key))</small></th>"
        }
        page += "</tr></thead>\n<tbody>\n"
        for row in rows {
            page += "<tr>"
            for (offset, value) in cells(row, groupedPrice: true).enumerated() {
                page += offset == 11 ? "<td class=\"number\">\(Self.escape(value))</td>" : "<td>\(Self.escape(value))</td>"
            }
            page += "</tr>\n"
        }
        if rows.isEmpty { page += "<tr><td colspan=\"\(Self.columns.count)\">无 (none)</td></tr>\n" }
        page += "</tbody>\n</table>\n<ul class=\"totals\">\n"
        for line in totalsLines { page += "<li>\(Self.escape(line))</li>\n" }
        page += "</ul>\n</body>\n</html>\n"
        return page
    }

    /// Text made safe inside HTML elements and attribute values.
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

    /// An amount of CNY: whole yuan without decimals, else two; grouped by thousands for people.
    static func amount(_ value: Double, grouped: Bool) -> String {
        // A fact accepts any finite number; past 1e15 yuan (a typo such as 1e20) cents no longer
        // fit an Int64, and the number is shown as it was filed.
        guard value.isFinite, abs(value) < 1e15 else { return JSONValue.format(value) }
        let cents = Int64((value * 100).rounded())
        let whole = abs(cents) / 100
        let fraction = abs(cents) % 100
        var digits = String(whole)
        if grouped {
            var groups: [String] = []
            while digits.count > 3 {
                groups.insert(String(digits.suffix(3)), at: 0)
                digits.removeLast(3)
            }
            groups.insert(digits, at: 0)
            digits = groups.joined(separator: ",")
        }
        let sign = cents < 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(digits)" : "\(sign)\(digits).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
