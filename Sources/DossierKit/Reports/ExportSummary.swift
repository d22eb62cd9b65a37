import DossierModel

/// The result of the four-properties check (四性检测, DA/T 70) as the summary page shows it:
/// one row per item, in the order given. Filled by the check when it runs at export; the page
/// leaves its section out when there is none.
public struct FourPropertiesSection: Sendable, Equatable {
    /// An item's outcome.
    public enum Outcome: String, Sendable, CaseIterable {
        case passed, failed, warning
        case notApplicable = "not-applicable"
        case notRun = "not-run"

        var chinese: String {
            switch self {
            case .passed: "通过"
            case .failed: "未通过"
            case .warning: "警告"
            case .notApplicable: "不适用"
            case .notRun: "未检测"
            }
        }
    }

    /// One item of the list (FOUR-PROPERTIES.md): its code (A1 … S4), property, what it
    /// checks, the outcome and why.
    public struct Item: Sendable, Equatable {
        public var code: String
        public var property: String
        public var check: String
        public var outcome: Outcome
        public var detail: String?

        public init(code: String, property: String, check: String, outcome: Outcome, detail: String? = nil) {
            self.code = code
            self.property = property
            self.check = check
            self.outcome = outcome
            self.detail = detail
        }
    }

    /// The stage the items were checked at (`filing`, `transfer`, `storage`).
    public var stage: String
    public var items: [Item]

    public init(stage: String, items: [Item]) {
        self.stage = stage
        self.items = items
    }

    /// Reads `{"stage": …, "items": [{"code", "property", "check", "result", "detail"}]}` (the
    /// shape of `metadata/four-properties.json`); `nil` when the value is not of that shape.
    public init?(json: JSONValue) {
        guard let items = json["items"]?.arrayValue else { return nil }
        var read: [Item] = []
        for item in items {
            guard let code = item["code"]?.stringValue, let result = (item["result"] ?? item["outcome"])?.stringValue,
                let outcome = Outcome(rawValue: result)
            else { return nil }
            read.append(Item(
                code: code, property: item["property"]?.stringValue ?? "", check: item["check"]?.stringValue ?? "", outcome: outcome,
                detail: item["detail"]?.stringValue))
        }
        self.init(stage: json["stage"]?.stringValue ?? "transfer", items: read)
    }

    /// The section for a check's report (`dossier check`'s result, as an export carries it in
    /// `metadata/four-properties.json`).
    public init(report: FourPropertiesReport) {
        self.init(
            stage: report.stage?.rawValue ?? "transfer",
            items: report.items.map { result in
                Item(
                    code: result.item.rawValue, property: "\(result.item.property.chineseName) \(result.item.property.rawValue)",
                    check: "\(result.item.chineseTitle) \(result.item.title)", outcome: Outcome(result.outcome), detail: result.summary)
            })
    }
}

extension FourPropertiesSection.Outcome {
    init(_ outcome: CheckOutcome) {
        switch outcome {
        case .passed: self = .passed
        case .failed: self = .failed
        case .warning: self = .warning
        case .notApplicable: self = .notApplicable
        case .notRun: self = .notRun
        }
    }
}

/// `说明.html`: the page inside every exported bag that a person reads first — the dossier, its
/// versions and who filed them, every document with its kind, dates, facts and signature
/// verdicts, the findings and flags as of the export day, the four-properties result when there
/// is one, and how to verify the bag without the vault. Chinese first, English beside it.
///
/// One self-contained page (no script, font, image or link outside it), with nothing in it
/// that changes from one export to the next but the version and the as-of day, so that an
/// export stays byte-for-byte reproducible.
///
/// **Classified dossiers.** When the papers travel encrypted (``disclosure`` is
/// ``Disclosure/withheld``), the page names every paper — kind, file name, size, when and by
/// whom it was filed — and holds back what the papers say: their facts and dates, the signers
/// of their signatures, the findings' and flags' wording (which quotes facts). Rule ids,
/// severities and flag names stay. Exported in the clear (`--plaintext`), the page shows all.
public struct ExportSummary: Sendable {
    /// Whether the page may show what the papers say.
    public enum Disclosure: Sendable, Equatable {
        /// Everything: the papers are in the bag in the clear.
        case full
        /// Names and kinds only: the papers are encrypted in the bag.
        case withheld
    }

    /// The seal the bag carries, for the verification section.
    public struct Seal: Sendable, Equatable {
        public var algorithm: SealAlgorithm
        public var fingerprint: String
    }

    public var record: DossierRecord
    public var version: VersionNumber
    public var history: [VersionSummary]
    public var verdict: Verdict
    public var organisation: String
    public var unitName: String?
    /// The bag's top folder, e.g. `IMUT-2021-0007-v7`.
    public var bagName: String
    /// The level the export was guarded at (the dossier's, or its stored papers').
    public var classification: Classification
    public var disclosure: Disclosure
    /// `age` when the papers are encrypted to the auditor, `none` when a classified dossier's
    /// papers were exported in the clear, `nil` for an open dossier.
    public var payloadEncryption: String?
    /// Logical path → path in the bag, for the documents renamed in the bag.
    public var bagPaths: [String: String]
    public var fourProperties: FourPropertiesSection?
    public var seal: Seal?

    /// The file name inside the bag.
    public static let fileName = "说明.html"

    // MARK: The page

    /// The page's bytes, UTF-8.
    public var bytes: [UInt8] { Array(html().utf8) }

    func html() -> String {
        let title = "档案说明 Dossier summary — \(record.id) \(version)"
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <header>
            <h1>档案说明 <span class="en">Dossier summary</span></h1>
            <p class="lead">\(HTMLText.token(record.id.rawValue)) \(HTMLText.token(version.description)) · \(HTMLText.escape(record.title))</p>
            <p class="note">本页随审计包导出，供人工阅读；核验以各清单和印章为准（见“如何核验”）。<span class="en">This page travels in the bag for people to read; what proves the bag are its manifests and its seal (see “How to verify”).</span></p>
            </header>

            """
        page += overview()
        page += versions()
        page += documents()
        page += findings()
        if let fourProperties { page += Self.fourPropertiesSection(fourProperties) }
        page += verification()
        page += "<footer>\(HTMLText.escape(BagSummaryText.footer(organisation: organisation, asOf: verdict.asOf)))</footer>\n</body>\n</html>\n"
        return page
    }

    private func row(_ chinese: String, _ english: String, _ valueHTML: String) -> String {
        "<tr><th>\(HTMLText.escape(chinese)) <span class=\"en\">\(HTMLText.escape(english))</span></th><td>\(valueHTML)</td></tr>\n"
    }

    private func overview() -> String {
        var rows = ""
        rows += row("成果编号", "Dossier", HTMLText.token(record.id.rawValue))
        rows += row("成果名称", "Title", HTMLText.escape(record.title))
        rows += row("单位", "Unit", HTMLText.escape(unitName.map { "\($0)（\(record.unit)）" } ?? record.unit) + " · " + HTMLText.escape(organisation))
        rows += row("成果类型", "Type", HTMLText.escape(record.type.chineseName.map { "\($0) \(record.type.rawValue)" } ?? record.type.rawValue))
        rows += row("赋权类型", "Grant", HTMLText.escape("\(record.grant.chineseName) \(record.grant.rawValue)"))
        rows += row("资金来源", "Funding", HTMLText.escape("\(record.funding.chineseName) \(record.funding.rawValue)"))
        var secrecy = "\(classification.chineseName) \(classification.rawValue)"
        if let until = record.secrecy?.until { secrecy += "，保密期限至 until \(until)" }
        switch payloadEncryption {
        case "age"?: secrecy += "；文件已按接收方公钥加密（age） papers encrypted to the receiving auditor (age)"
        case "none"?: secrecy += "；文件以明文导出（已记入审计日志） papers exported in the clear (recorded in the audit log)"
        default: break
        }
        rows += row("密级", "Classification", HTMLText.escape(secrecy))
        if !record.completers.isEmpty {
            let completers = record.completers.map { completer in
                var text = completer.name
                if let share = completer.share { text += " \(JSONValue.format(share))%" }
                if completer.representative { text += "（代表 representative）" }
                return text
            }
            rows += row("完成人", "Completers", HTMLText.escape(completers.joined(separator: "、")))
        }
        rows += row("导出版本", "Version", HTMLText.token(version.description) + " / " + HTMLText.escape("共 \(history.count) 个版本 of \(history.count)"))
        rows += row("判定日期", "As of", HTMLText.token(verdict.asOf.description))
        rows += row("状态", "Status", "<strong>\(HTMLText.escape(ReportTerms.both(verdict.status)))</strong>")
        rows += row("审计包", "Bag", HTMLText.token(bagName))
        if let seal {
            rows += row("印章", "Seal", HTMLText.escape("\(seal.algorithm == .sm2 ? "SM2" : "Ed25519") ") + "<code>\(HTMLText.escape(seal.fingerprint))</code>")
        } else {
            rows += row("印章", "Seal", HTMLText.escape("未加盖 not sealed"))
        }
        return "<section id=\"overview\">\n<h2>概况 <span class=\"en\">Overview</span></h2>\n<table class=\"kv\">\n\(rows)</table>\n</section>\n"
    }

    private func versions() -> String {
        var body = ""
        for entry in history {
            var changes: [String] = []
            if !entry.added.isEmpty { changes.append("新增 added \(entry.added.count)") }
            if !entry.modified.isEmpty { changes.append("修改 modified \(entry.modified.count)") }
            if !entry.renamed.isEmpty { changes.append("更名 renamed \(entry.renamed.count)") }
            if !entry.removed.isEmpty { changes.append("撤回 withdrawn \(entry.removed.count)") }
            if !entry.recordChanges.isEmpty { changes.append("记录 record: \(entry.recordChanges.joined(separator: ", "))") }
            let who = entry.user.map { user in user.address.map { "\(user.name) <\($0.replacingOccurrences(of: "mailto:", with: ""))>" } ?? user.name } ?? ""
            body += "<tr><td>\(HTMLText.token(entry.version.description))</td><td>\(HTMLText.token(entry.created))</td><td>\(HTMLText.escape(who))</td><td>\(HTMLText.escape(entry.message ?? ""))</td><td>\(HTMLText.escape(changes.joined(separator: "；")))</td></tr>\n"
        }
        return """
            <section id="versions">
            <h2>版本与提交人 <span class="en">Versions and who filed them</span></h2>
            <table class="grid">
            <thead><tr><th>版本<br><span class="en">version</span></th><th>时间<br><span class="en">created</span></th><th>提交人<br><span class="en">filed by</span></th><th>说明<br><span class="en">message</span></th><th>变更<br><span class="en">changes</span></th></tr></thead>
            <tbody>
            \(body)</tbody>
            </table>
            </section>

            """
    }

    private func documents() -> String {
        var body = ""
        for document in record.documents.sorted(by: { ($0.kind.rawValue, $0.path) < ($1.kind.rawValue, $1.path) }) {
            let bagPath = bagPaths[document.path] ?? "data/\(document.path)"
            let filed = HTMLText.token(document.filedAt) + "<br>" + HTMLText.escape(document.filedBy)
            let withheld = disclosure == .withheld && document.encryption != nil
            var facts = ""
            var signatures = ""
            if withheld {
                facts = "<em>\(HTMLText.escape(BagSummaryText.withheld))</em>"
                let verdicts = document.signatures
                signatures = verdicts.isEmpty ? "" : HTMLText.escape(verdicts.map { "\($0.format.rawValue): \($0.status.rawValue) \(ReportTerms.chinese($0.status))" }.joined(separator: "；"))
            } else {
                facts = document.facts.map { member in
                    let value = ReportTerms.factValue(member.value)
                    let isDate = LocalDate(value) != nil
                    return "<div><span class=\"key\">\(HTMLText.escape(ReportTerms.factLabel(member.key)))</span>: \(isDate ? HTMLText.token(value) : HTMLText.escape(value))</div>"
                }.joined()
                signatures = document.signatures.map(Self.signatureHTML).joined()
            }
            // An encrypted paper's entry gives the stored file's size; its encryption, the paper's own.
            let size = document.encryption.map { "\(ByteText.format($0.size))（已加密 encrypted）" } ?? ByteText.format(document.size)
            body += """
                <tr><td>\(HTMLText.escape(document.kind.chineseName))<br><span class="en">\(HTMLText.escape(document.kind.rawValue))</span></td>\
                <td class="file">\(HTMLText.escape(document.fileName))<br><code class="path">\(HTMLText.path(bagPath))</code></td>\
                <td class="num">\(HTMLText.escape(size))</td><td>\(filed)</td><td>\(facts)</td><td>\(signatures.isEmpty ? "—" : signatures)</td></tr>

                """
        }
        if record.documents.isEmpty { body = "<tr><td colspan=\"6\">无文件 <span class=\"en\">no documents</span></td></tr>\n" }
        return """
            <section id="documents">
            <h2>文件 <span class="en">Documents</span></h2>
            <table class="grid">
            <colgroup><col style="width: 11%"><col style="width: 21%"><col style="width: 8%"><col style="width: 14%"><col style="width: 30%"><col style="width: 16%"></colgroup>
            <thead><tr><th>类型<br><span class="en">kind</span></th><th>文件<br><span class="en">file</span></th><th>大小<br><span class="en">size</span></th><th>提交<br><span class="en">filed</span></th><th>日期与要素<br><span class="en">dates and facts</span></th><th>签名<br><span class="en">signatures</span></th></tr></thead>
            <tbody>
            \(body)</tbody>
            </table>
            </section>

            """
    }

    static func signatureHTML(_ verdict: SignatureVerdict) -> String {
        var parts = ["<strong>\(HTMLText.escape("\(ReportTerms.chinese(verdict.status)) \(verdict.status.rawValue)"))</strong>", HTMLText.escape("\(ReportTerms.chinese(verdict.format)) \(verdict.format.rawValue)")]
        if let signer = verdict.signer { parts.append("签署人 signer: " + HTMLText.escape(signer)) }
        if let signedAt = verdict.signedAt { parts.append("签署时间 signed " + HTMLText.token(signedAt)) }
        if let algorithm = verdict.algorithm { parts.append(HTMLText.escape(algorithm)) }
        if !verdict.coversWholeDocument { parts.append(HTMLText.escape("未覆盖全文 does not cover the whole document")) }
        if let reason = verdict.reason { parts.append(HTMLText.escape(reason)) }
        parts.append("核验于 checked " + HTMLText.token(verdict.checkedAt))
        return "<div class=\"sig\">\(parts.joined(separator: " · "))</div>"
    }

    private func findings() -> String {
        let withheld = disclosure == .withheld
        var flagsHTML = ""
        if let report = verdict.flags, !report.flags.isEmpty {
            let items = report.flags.map { raised in
                "<li><strong>\(HTMLText.escape(ReportTerms.both(raised.flag)))</strong>: \(HTMLText.escape(withheld ? BagSummaryText.withheld : raised.reason))</li>"
            }.joined(separator: "\n")
            flagsHTML = "<p>保密审查 <span class=\"en\">review</span>: \(HTMLText.escape(report.review.label))</p>\n<ul class=\"flags\">\n\(items)\n</ul>\n"
        } else {
            flagsHTML = "<p>无标记 <span class=\"en\">no flags</span></p>\n"
        }
        var rows = ""
        for finding in verdict.findings {
            let message = withheld ? BagSummaryText.withheld : finding.message
            let documents = withheld ? "" : finding.documents.map { "\($0.kind.rawValue) \($0.path.split(separator: "/").last.map(String.init) ?? $0.path)" }.joined(separator: "; ")
            rows += "<tr class=\"\(finding.severity.rawValue)\"><td>\(HTMLText.token(finding.rule.rawValue))</td><td>\(HTMLText.escape("\(ReportTerms.chinese(finding.severity)) \(finding.severity.rawValue)"))</td><td>\(HTMLText.escape(documents))</td><td>\(HTMLText.escape(message))</td></tr>\n"
        }
        let table = verdict.findings.isEmpty
            ? "<p>无检查结果 <span class=\"en\">no findings</span></p>\n"
            : """
                <table class="grid">
                <thead><tr><th>规则<br><span class="en">rule</span></th><th>级别<br><span class="en">severity</span></th><th>文件<br><span class="en">document</span></th><th>说明<br><span class="en">finding</span></th></tr></thead>
                <tbody>
                \(rows)</tbody>
                </table>

                """
        return """
            <section id="findings">
            <h2>规则检查与标记（截至 \(HTMLText.escape(verdict.asOf.description))） <span class="en">Findings and flags as of \(HTMLText.escape(verdict.asOf.description))</span></h2>
            <p>状态 <span class="en">status</span>: <strong>\(HTMLText.escape(ReportTerms.both(verdict.status)))</strong> · 政策配置 <span class="en">profile</span> \(HTMLText.token(verdict.profile))</p>
            \(flagsHTML)\(table)</section>

            """
    }

    static func fourPropertiesSection(_ section: FourPropertiesSection) -> String {
        var rows = ""
        for item in section.items {
            rows += "<tr class=\"\(item.outcome.rawValue)\"><td>\(HTMLText.token(item.code))</td><td>\(HTMLText.escape(item.property))</td><td>\(HTMLText.escape(item.check))</td><td><strong>\(HTMLText.escape("\(item.outcome.chinese) \(item.outcome.rawValue)"))</strong></td><td>\(HTMLText.escape(item.detail ?? ""))</td></tr>\n"
        }
        return """
            <section id="four-properties">
            <h2>四性检测 <span class="en">Four-properties check (DA/T 70), stage \(HTMLText.escape(section.stage))</span></h2>
            <table class="grid">
            <thead><tr><th>编号<br><span class="en">code</span></th><th>性质<br><span class="en">property</span></th><th>检测项<br><span class="en">check</span></th><th>结果<br><span class="en">result</span></th><th>说明<br><span class="en">detail</span></th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </section>

            """
    }

    private func verification() -> String {
        let archive = "\(bagName).tar"
        var steps: [(String, String, [String])] = [
            ("1. 解包后用 bagit-python 校验全部清单：", "Unpacked, bagit-python checks every manifest:", ["bagit.py --validate \(bagName)"]),
            ("2. 用 bdbag 按本系统的 BagIt 配置文件校验（压缩包可直接校验）：", "bdbag checks the archive itself against the BagIt profile:",
             ["bdbag --validate full --validate-profile --profile-path bagit-profile.json \(archive)"]),
        ]
        if let seal {
            steps.append((
                "3. 用单位公布的公钥核验印章（先核对公钥指纹 \(seal.fingerprint)）：",
                "With the public key the unit published (check its fingerprint first), stock OpenSSL checks the seal:",
                ["openssl pkey -pubin -in seal.pem -outform DER | sha256sum",
                 seal.algorithm.verifyCommand(key: "seal.pem", file: "\(bagName)/tagmanifest-sha512.txt", signature: "\(bagName)/tagmanifest-sha512.txt.sig")]))
            steps.append((
                "4. 或用 dossier 一并校验（--expect 为导出时打印、审计日志所记的标签清单 SHA-256）：",
                "Or dossier checks it all at once (--expect: the tag manifest's SHA-256 printed at export and kept in the audit log):",
                ["dossier verify-bundle --key seal.pem --expect SHA256 \(archive)"]))
        }
        var items = ""
        for (chinese, english, commands) in steps {
            items += "<li>\(HTMLText.escape(chinese))<br><span class=\"en\">\(HTMLText.escape(english))</span>\n"
            items += commands.map { "<pre>\(HTMLText.escape($0))</pre>" }.joined(separator: "\n") + "</li>\n"
        }
        return """
            <section id="verify">
            <h2>如何核验 <span class="en">How to verify this bag</span></h2>
            <p>\(HTMLText.escape(BagSummaryText.sealExplained))</p>
            <ol class="steps">
            \(items)</ol>
            </section>

            """
    }

    static let style = """
        @page { size: A4; margin: 14mm 12mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 1.5em; color: #222; font-size: 10.5pt; line-height: 1.45; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; }
        h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin-top: 1.4em; }
        .en { color: #555; font-weight: normal; }
        .lead { font-size: 1.15em; margin-top: 0; }
        .note { color: #555; font-size: 0.9em; }
        .nb { white-space: nowrap; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #aaa; padding: 0.25em 0.45em; vertical-align: top; text-align: left; word-break: normal; overflow-wrap: break-word; }
        th { overflow-wrap: normal; }
        table.kv th { width: 11em; background: #f1f1f1; }
        table.grid th { background: #f1f1f1; }
        td.num { text-align: right; white-space: nowrap; }
        code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; }
        code.path { color: #555; }
        pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.4em; white-space: pre-wrap; overflow-wrap: anywhere; }
        .key { color: #444; }
        .sig { margin-bottom: 0.2em; }
        tr.error td { background: #fdecec; }
        tr.warning td { background: #fff6df; }
        tr.failed td { background: #fdecec; }
        footer { margin-top: 2em; color: #666; font-size: 0.85em; }
        @media print { body { margin: 0; } section { break-inside: auto; } tr { break-inside: avoid; } }
        """
}

/// The summary's fixed sentences, in one place for translation.
enum BagSummaryText {
    static let withheld = "涉密文件，要素从略（见解密后的原件） withheld: the paper is classified and encrypted in this bag"
    static let sealExplained = """
        标签清单 tagmanifest-sha512.txt 记录了每个标签文件（含本页）的摘要，清单 manifest-*.txt 记录了每个文件的摘要；\
        印章 tagmanifest-sha512.txt.sig 是单位印章密钥对该标签清单的签名。清单可以被任何人重新计算，印章不能：\
        只有印章与单位公布的公钥相符，才能证明本包自导出后未被改动。 \
        The tag manifest holds the digest of every tag file (this page included) and, through the manifests, of every paper; \
        tagmanifest-sha512.txt.sig is the unit's seal over it. Anyone can recompute manifests; only the unit's key makes a seal \
        that its published public key accepts — that is what shows the bag unchanged since it was exported.
        """

    static func footer(organisation: String, asOf: LocalDate) -> String {
        "由 dossier 生成，判定日期 \(asOf) · generated by dossier, judged as of \(asOf) · \(organisation)"
    }
}

/// Byte counts for people: `1.2 MiB`.
enum ByteText {
    static func format(_ bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        guard unit > 0 else { return "\(bytes) bytes" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
