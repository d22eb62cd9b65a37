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
            row.price.map { Self.amount($0, grouped: groupedPrice) } ?? "", ReportTerms.both(row.status),
            row.flags.map { ReportTerms.both($0) }.joined(separator: "; "), row.version,
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
        var lines = [titleLine, organisation] + (datesLine.map { [$0] } ?? []) + [""]
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
        let notes = self.notes
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "\($0.marker) \($0.text)" }
        }
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
        for note in notes {
            var record = [String](repeating: "", count: Self.columns.count)
            record[0] = "注 note \(note.marker)"
            record[1] = note.text
            records.append(record)
        }
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
            "notes": .array(notes.map { ["id": .string($0.row), "note": .string($0.text)] }),
            "generatedAt": generatedAt.map { .string($0) } ?? .null,
            "asOf": asOf.map { .string($0.description) } ?? .null,
        ]
    }

    // MARK: Notes

    /// One sentence per contract a row shows but the year's totals leave out, Chinese then
    /// English, each numbered after its row (`① IMUT-2022-0031: …`).
    var notes: [(row: String, marker: String, text: String)] {
        var notes: [(String, String, String)] = []
        for row in rows {
            for contract in row.outsideYear {
                let marker = Self.marker(notes.count + 1)
                let price = contract.price.map { "，金额 \(Self.amount($0, grouped: true)) 元" } ?? ""
                let priceEnglish = contract.price.map { " (CNY \(Self.amount($0, grouped: true)))" } ?? ""
                let text: String
                switch (contract.signedOn, contract.countsIn) {
                case (let signed?, let counted?):
                    text = "\(row.id)：合同签订于 \(signed)\(price)，不在 \(year) 年度内，未计入本年度合计，计入 \(counted) 年度（当年转化）。"
                        + " The contract signed on \(signed)\(priceEnglish) falls outside \(year) and is not in this year's totals; it counts in \(counted)'s, as a conversion."
                case (let signed?, nil):
                    text = "\(row.id)：合同签订于 \(signed)\(price)，早于赋权审批，不计入任何年度合计。"
                        + " The contract signed on \(signed)\(priceEnglish) precedes the grant's approval; no year's totals count it."
                case (nil, _):
                    text = "\(row.id)：合同未载明签订日期\(price)，不计入任何年度合计。"
                        + " The contract states no signing date\(priceEnglish); no year's totals count it."
                }
                notes.append((row.id, marker, text))
            }
        }
        return notes
    }

    /// ①, ②, … ⑳, then (21), (22) ….
    static func marker(_ number: Int) -> String {
        guard (1...20).contains(number), let scalar = Unicode.Scalar(0x2460 + number - 1) else { return "(\(number))" }
        return String(Character(scalar))
    }

    /// The dates the paper states: generation and as-of, Chinese and English.
    var datesLine: String? {
        var parts: [String] = []
        if let generatedAt { parts.append("生成时间 generated \(generatedAt)") }
        if let asOf { parts.append("状态与标记截至 status and flags as of \(asOf)") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    // MARK: HTML

    /// English headings for the printed paper: words that may wrap, where the JSON keys cannot.
    static let printedEnglish = [
        "id", "title", "type", "grant", "basis", "applied", "approved", "agreement signed", "publicity", "counterparty",
        "contract signed", "price (CNY)", "status", "flags", "version",
    ]
    /// Each column's share of the printed width (A4 landscape), in percent; the title gets the most.
    static let printedWidths = [7.4, 14.2, 6.0, 6.4, 5.6, 6.1, 6.1, 6.1, 6.4, 9.6, 6.1, 6.2, 5.6, 5.4, 2.8]

    /// The paper the unit signs and seals: one self-contained page, printable on A4 landscape
    /// (CSS `@page`, page numbers in the margin), with the statuses and flags in Chinese beside
    /// the English, ids, dates and amounts never broken across lines, when it was made and as
    /// of which day, a note for each contract the totals leave out, and a block for the
    /// signature and the unit's seal. No script, font, image or link outside it.
    func html() -> String {
        let footer = "\(unitName ?? unit) \(year) 年度赋权成果名单"
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(titleLine))</title>
            <style>
            @page {
              size: A4 landscape;
              margin: 12mm 10mm 15mm 10mm;
              @bottom-left { content: "\(Self.cssString(footer))"; font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; font-size: 7pt; color: #555; }
              @bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页 · page " counter(page) " of " counter(pages); font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; font-size: 7pt; color: #555; }
            }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; font-size: 9pt; }
            h1 { font-size: 13pt; margin: 0 0 0.2em 0; }
            p.meta { margin: 0.1em 0; color: #444; font-size: 8pt; }
            table.rows { border-collapse: collapse; width: 100%; font-size: 7pt; line-height: 1.3; }
            table.rows th, table.rows td { border: 0.6pt solid #888; padding: 0.25em 0.3em; vertical-align: top; text-align: left; word-break: normal; overflow-wrap: normal; hyphens: none; }
            table.rows th { background: #eee; font-weight: bold; }
            table.rows th small { display: block; font-weight: normal; color: #555; }
            table.rows thead { display: table-header-group; }
            table.rows tr { break-inside: avoid; }
            td.number { text-align: right; }
            .nb { white-space: nowrap; }
            sup.note { font-size: 6pt; color: #a00; }
            ul.totals { margin: 0.8em 0 0.4em 0; padding-left: 1.2em; font-size: 8pt; }
            ol.notes { margin: 0.4em 0; padding-left: 0; list-style: none; font-size: 7.5pt; }
            ol.notes li { margin: 0.15em 0; }
            .signing { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 1.2em; font-size: 9pt; break-inside: avoid; }
            .signing .lines p { margin: 1.1em 0 0 0; }
            .signing .blank { display: inline-block; width: 42mm; border-bottom: 0.6pt solid #333; }
            .seal { width: 40mm; height: 40mm; border: 0.8pt dashed #a00; border-radius: 50%; display: flex; align-items: center; justify-content: center; text-align: center; color: #a00; font-size: 8pt; }
            @media screen { body { max-width: 297mm; } }
            @media print { body { margin: 0; } }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(titleLine))</h1>
            <p class="meta">\(Self.escape(organisation))</p>

            """
        if let datesLine { page += "<p class=\"meta\">\(Self.escape(datesLine))</p>\n" }
        page += "<table class=\"rows\">\n<colgroup>"
        for width in Self.printedWidths { page += "<col style=\"width: \(width)%\">" }
        page += "</colgroup>\n<thead><tr>"
        for (column, english) in zip(Self.columns, Self.printedEnglish) {
            page += "<th>\(Self.escape(column.chinese))<small>\(Self.escape(english))</small></th>"
        }
        page += "</tr></thead>\n<tbody>\n"
        let notes = self.notes
        for row in rows {
            page += "<tr>" + printedCells(row, notes: notes.filter { $0.row == row.id }.map(\.marker)).joined() + "</tr>\n"
        }
        if rows.isEmpty { page += "<tr><td colspan=\"\(Self.columns.count)\">无 (none)</td></tr>\n" }
        page += "</tbody>\n</table>\n<ul class=\"totals\">\n"
        for line in totalsLines { page += "<li>\(Self.escape(line))</li>\n" }
        page += "</ul>\n"
        if !notes.isEmpty {
            page += "<ol class=\"notes\">\n"
            for note in notes { page += "<li>\(Self.escape(note.marker)) \(Self.escape(note.text))</li>\n" }
            page += "</ol>\n"
        }
        page += """
            <div class="signing">
            <div class="lines">
            <p>单位负责人（签字） Head of unit (signature)：<span class="blank"></span></p>
            <p>经办人（签字） Prepared by (signature)：<span class="blank"></span></p>
            <p>日期 Date：<span class="blank"></span></p>
            </div>
            <div class="seal">单位（盖章）<br>Seal of the unit</div>
            </div>
            </body>
            </html>

            """
        return page
    }

    /// A row's cells for the printed paper: tokens (ids, dates, amounts, flags, versions) kept
    /// whole, a note's marker after the contract dates it explains.
    func printedCells(_ row: Row, notes: [String]) -> [String] {
        func cell(_ html: String, number: Bool = false) -> String { number ? "<td class=\"number\">\(html)</td>" : "<td>\(html)</td>" }
        func date(_ value: LocalDate?) -> String { HTMLText.token(value?.description ?? "") }
        var publicity = ""
        switch (row.publicityStartsOn, row.publicityEndsOn) {
        case (let start?, let end?): publicity = HTMLText.token("\(start)") + "–<wbr>" + HTMLText.token("\(end)")
        case (let start?, nil): publicity = HTMLText.token("\(start)") + "–"
        case (nil, let end?): publicity = "–" + HTMLText.token("\(end)")
        case (nil, nil): break
        }
        let type = AchievementType(rawValue: row.type)?.chineseName.map { "\(HTMLText.token(row.type))<br>\(HTMLText.token($0))" } ?? Self.escape(row.type)
        let marks = notes.map { "<sup class=\"note\">\(Self.escape($0))</sup>" }.joined()
        return [
            cell(HTMLText.token(row.id)),
            cell(Self.escape(row.title)),
            cell(type),
            cell("\(HTMLText.token(row.grant.rawValue))<br>\(HTMLText.token(row.grant.chineseName))"),
            cell(row.basis == .granted ? "granted<br>\(HTMLText.token("当年赋权"))" : "converted<br>\(HTMLText.token("当年转化"))"),
            cell(date(row.appliedOn)), cell(date(row.approvedOn)), cell(date(row.agreementSignedOn)), cell(publicity),
            cell(Self.escape(row.counterparties.joined(separator: "; "))),
            cell(HTMLText.tokens(row.contractsSignedOn.map(\.description), separator: "; ") + marks),
            cell(HTMLText.token(row.price.map { Self.amount($0, grouped: true) } ?? "") + (row.price != nil ? marks : ""), number: true),
            cell(HTMLText.token(row.status.rawValue) + "<br>" + HTMLText.token(ReportTerms.chinese(row.status))),
            cell(row.flags.map { "\(HTMLText.token($0.rawValue))<br>\(HTMLText.token(ReportTerms.chinese($0)))" }.joined(separator: "<br>")),
            cell(HTMLText.token(row.version)),
        ]
    }

    /// Text inside a CSS string: quotes and backslashes escaped, no line breaks.
    static func cssString(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text made safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

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
