import ArgumentParser
import DossierKit
import Foundation

extension CheckStage: ExpressibleByArgument {}

extension DossierCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("The four-properties check (四性检测, DA/T 70): authenticity, integrity, usability, security."),
            discussion: L("""
                Runs the check list of FOUR-PROPERTIES.md (A1–A6 真实性, I1–I5 完整性, U1–U4 可用性,
                S1–S4 安全性) on dossiers of the vault, or on a received bag without a vault.
                Each item is passed, failed (with the file and the reason), a warning, not
                applicable, or not run (with why: no virus database, no seal yet).

                --stage filing     A1–A3, A5, I2, I3, I5, U1–U4, S1, S2 (what `file` runs)
                --stage transfer   every item (what every export carries in
                                   metadata/four-properties.json)
                --stage storage    A1, A4, A6, I1, I4, U1, U3, S3, S4: the periodic job;
                                   with --all its result is an audit line
                (no --stage)       every item

                S2 scans with ClamAV only when --clamav-db names a signature database.
                A2 trusts the certificates given with --anchor. Classified papers are
                checked only with --identity of a cleared reader (decrypted in memory,
                never to disk; each read is an audit line).

                EXIT STATUS
                  0   no item failed (warnings and items not run may have been printed)
                  1   an item failed
                  2   refused: no vault, no such dossier or bag, bad database or key
                  64  usage: unknown option, or a bad combination of them
                """))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var readOptions: ReadOptions

        @Argument(help: ArgumentHelp(L("Dossier ids."), valueName: "id"))
        var ids: [String] = []

        @Flag(help: ArgumentHelp(L("Check every dossier of the vault.")))
        var all = false

        @Option(help: ArgumentHelp(L("Run the items of one stage: filing, transfer or storage (default: every item)."), valueName: "stage"))
        var stage: CheckStage?

        @Option(help: ArgumentHelp(L("Check a received bag (a folder or a tar, tar.gz or zip archive), ours or another system's; no vault needed."), valueName: "file | dir"))
        var bag: String?

        @Option(name: .customLong("clamav-db"), help: ArgumentHelp(L("A ClamAV signature database (a folder of .cvd/.cld/.hdb … files) for the virus scan (S2)."), valueName: "dir"))
        var clamavDB: String?

        @Option(name: .customLong("anchor"), help: ArgumentHelp(L("A trust anchor for signatures (A2): a PEM or DER certificate (repeatable)."), valueName: "file"))
        var anchors: [String] = []

        @Flag(help: ArgumentHelp(L("Read every document's text again (U3) instead of taking what the index read from the same bytes.")))
        var reread = false

        @Option(help: ArgumentHelp(L("With --bag: the unit's published seal key (PEM); A4 checks the bag's seal (tagmanifest-sha512.txt.sig) with it."), valueName: "seal.pem"))
        var key: String?

        @Flag(help: ArgumentHelp(L("Print JSON instead of text.")))
        var json = false

        @Flag(help: ArgumentHelp(L("Write the report an archivist signs (HTML, Chinese with English) to -o FILE.")))
        var html = false

        @Option(name: .shortAndLong, help: ArgumentHelp(L("Where --html writes the report."), valueName: "file"))
        var output: String?

        func validate() throws {
            if bag != nil {
                if all || !ids.isEmpty { throw ValidationError(L("--bag checks a bag; give no dossier ids and no --all with it")) }
                if let stage, stage != .transfer { throw ValidationError(L("--bag runs the transfer stage: a bag is checked as received (--stage transfer, or no --stage)")) }
            } else {
                if all && !ids.isEmpty { throw ValidationError("give dossier ids or --all, not both") }
                if !all && ids.isEmpty { throw ValidationError(L("give dossier ids, --all, or --bag FILE|DIR")) }
            }
            if json && html { throw ValidationError(L("give --json or --html, not both")) }
            if key != nil, bag == nil { throw ValidationError(L("--key goes with --bag: it checks a received bag's seal")) }
            if html && output == nil { throw ValidationError(L("--html writes a file: give -o FILE")) }
            if output != nil && !html { throw ValidationError(L("-o goes with --html")) }
        }

        func run() throws {
            try runReporting {
                let now = Date()
                let scanner = try clamavDB.map { try VirusScanner(databaseAt: $0) }
                var trusted: [TrustAnchor] = []
                for file in anchors { trusted += try TrustAnchor.load(contentsOfFile: file) }
                if let bag {
                    try checkBag(bag, scanner: scanner, anchors: trusted, now: now)
                } else {
                    try checkVault(scanner: scanner, anchors: trusted, now: now)
                }
            }
        }

        private func options(asOf day: LocalDate, offsetSeconds: Int, now: Date, scanner: VirusScanner?, anchors: [TrustAnchor]) -> FourPropertiesOptions {
            let timestamp = Timestamp.rfc3339(unixSeconds: Int64(now.timeIntervalSince1970), offsetSeconds: offsetSeconds)
            var options = FourPropertiesOptions(stage: stage, asOf: day, checkedAt: timestamp, signatureTime: timestamp)
            options.scanner = scanner
            options.anchors = anchors
            options.rereadText = reread
            // U3 of a scan or image the index has not read: Tesseract reads it now.
            options.ocr = { path, _ in
                guard let engine = try? OCREngine(), let read = try? OCRReader.read(fileAt: path, using: engine) else { return nil }
                return ExtractedText(text: read.text, source: .ocr, confidence: read.meanConfidence)
            }
            return options
        }

        private func checkVault(scanner: VirusScanner?, anchors: [TrustAnchor], now: Date) throws {
            let vault = try vaultOptions.open()
            let targets = try ids.map { try parseDossierID($0) }
            var options = options(asOf: asOf.date(in: vault), offsetSeconds: vault.settings.offsetSeconds, now: now, scanner: scanner, anchors: anchors)
            options.units = vault.settings.units.map(\.id)
            let access = try readOptions.access(in: vault)
            let line = ProgressLine(L("check"), total: nil)
            let run = try vault.check(targets, options: options, access: access, by: identity.agent, notice: IndexNotice.print) { status in
                line.show(L("verifying {done}/{total} objects, {size}", ["done": String(status.objectsDone), "total": String(status.objectsTotal), "size": sizeText(status.bytesHashed)]))
            }
            line.finish()
            try emit(run.reports, organisation: vault.settings.organisation, checkedAt: run.checkedAt, asOf: run.asOf, compact: all) {
                var value = run.json
                if case .object(var object) = value {
                    object["storeProblems"] = .array(run.storeProblems.map { $0.json() })
                    value = .object(object)
                }
                return value
            } trailer: {
                var lines = run.storeProblems.map { L("store: {problem*}", ["problem*": translated($0.description)]) }
                lines.append(Words.summary(run.reports, stage: stage, asOf: run.asOf))
                if let auditLine = run.auditLine { lines.append(Words.audited(auditLine)) }
                return lines
            }
            if run.hasFailures { throw ExitCode(ExitStatus.problems) }
        }

        private func checkBag(_ path: String, scanner: VirusScanner?, anchors: [TrustAnchor], now: Date) throws {
            let offset = TimeZone.current.secondsFromGMT(for: now)
            let today = LocalDate(Timestamp.rfc3339(unixSeconds: Int64(now.timeIntervalSince1970), offsetSeconds: offset).prefix(10).description)
            // swift-format-ignore: NeverForceUnwrap
            // An RFC 3339 time always begins with its day.
            var options = options(asOf: asOf.asOf ?? today!, offsetSeconds: offset, now: now, scanner: scanner, anchors: anchors)
            options.identities = try Self.identities(readOptions.identity ?? ProcessInfo.processInfo.environment["DOSSIER_IDENTITY"])
            options.seals = BagSeals(key: try key.map { try loadPublicKey($0) })
            let report = try BagCheck.check(bagAt: path, options: options)
            let checkedAt = options.checkedAt ?? ""
            try emit([report], organisation: nil, checkedAt: checkedAt, asOf: options.asOf, compact: false) {
                ["stage": stage.map { .string($0.rawValue) } ?? .null, "checkedAt": .string(checkedAt), "asOf": .string(options.asOf.description), "reports": [report.json]]
            } trailer: {
                [Words.summary([report], stage: stage, asOf: options.asOf)]
            }
            if report.outcome == .failed { throw ExitCode(ExitStatus.problems) }
        }

        /// Prints text or JSON, or writes the HTML report.
        private func emit(
            _ reports: [FourPropertiesReport], organisation: String?, checkedAt: String, asOf day: LocalDate, compact: Bool,
            json value: () -> JSONValue, trailer: () -> [String]
        ) throws {
            if json {
                Terminal.json(value())
                return
            }
            if html, let output {
                let page = FourPropertiesHTML.page(reports: reports, organisation: organisation, stage: stage, checkedAt: checkedAt, asOf: day)
                try DossierKit.FileSystem.replaceFile(output, Array(page.utf8))
            } else {
                var lines: [String] = []
                for report in reports { lines += Words.lines(report, compact: compact) }
                Terminal.lines(lines)
            }
            Terminal.lines(trailer() + (html ? [Words.written(output ?? "")] : []))
        }

        /// The identity file's keys, for a bag's payload encrypted to its reader (no vault to clear them).
        static func identities(_ path: String?) throws -> [AgeIdentity] {
            guard let path, !path.isEmpty else { return [] }
            guard let mode = DossierKit.FileSystem.permissions(of: path) else {
                throw FieldError(file: path, field: "--identity", problem: "no such file")
            }
            guard mode & 0o077 == 0 else {
                throw FieldError(file: path, field: "--identity", problem: "the identity file is readable or writable by others (mode \(String(mode, radix: 8))); chmod 600 it")
            }
            let text = String(decoding: try DossierKit.FileSystem.readFile(path, limit: AgeIdentity.fileSizeLimit), as: UTF8.self)
            do { return try AgeIdentity.parseFile(text) } catch { throw FieldError(file: path, field: "--identity", problem: "\(error)") }
        }
    }
}

/// What `dossier check` prints, in one place (the zh localisation layer translates these; the
/// Chinese of each is in its comment, and items carry their own Chinese titles).
enum Words {
    /// `IMUT-2021-0007 v3: failed (A1, U3)` — 档案 IMUT-2021-0007 v3：不通过（A1、U3）
    static func lines(_ report: FourPropertiesReport, compact: Bool) -> [String] {
        let failed = report.items.filter { $0.outcome == .failed }.map(\.item.rawValue)
        let warned = report.items.filter { $0.outcome == .warning }.map(\.item.rawValue)
        var head = L("{subject}: {outcome}", ["subject": report.subject + (report.version.map { " \($0)" } ?? ""), "outcome": word(report.outcome)])
        if !failed.isEmpty { head += L(" ({items})", ["items": list(failed)]) }
        if !warned.isEmpty { head += L("; warnings: {items}", ["items": list(warned)]) }
        var lines = [head]
        for result in report.items {
            if compact, [.passed, .notApplicable, .notRun].contains(result.outcome) { continue }
            let outcome = padded(word(result.outcome), to: 14)
            lines.append("  \(result.item.rawValue) \(result.item.property.chineseName) \(outcome) \(translated(result.summary))")
            for detail in result.details where detail.outcome != .passed && detail.outcome != .notApplicable {
                lines.append("       " + L("{outcome}: {detail*}", ["outcome": word(detail.outcome), "detail*": translated(detail.description)]))
            }
        }
        return lines
    }

    /// `3 dossiers checked (storage stage, as of 2026-12-06): 1 passed, 1 with warnings, 1 failed`
    /// — 检测 3 个（长期保存阶段，规则日期 2026-12-06）：通过 1，警告 1，不通过 1
    static func summary(_ reports: [FourPropertiesReport], stage: CheckStage?, asOf: LocalDate) -> String {
        let stageText = stage.map { L("{stage} stage", ["stage": Lang.isChinese ? $0.chineseName : $0.rawValue]) } ?? L("every item")
        let passed = reports.count { $0.outcome == .passed }
        let warned = reports.count { $0.outcome == .warning }
        let failed = reports.count { $0.outcome == .failed }
        let values = [
            "count": String(reports.count), "stage": stageText, "date": asOf.description,
            "passed": String(passed), "warned": String(warned), "failed": String(failed),
        ]
        var text = reports.first?.kind == .dossier
            ? L("{count} {count|dossier|dossiers} checked ({stage}, as of {date}): {passed} passed, {warned} with warnings, {failed} failed", values)
            : L("{count} {count|bag|bags} checked ({stage}, as of {date}): {passed} passed, {warned} with warnings, {failed} failed", values)
        var notRun: [(CheckItem, Int)] = []
        for item in stage?.items ?? CheckItem.allCases {
            let count = reports.count { $0.result(item)?.outcome == .notRun }
            if count > 0 { notRun.append((item, count)) }
        }
        if !notRun.isEmpty { text += L("; not run: {items}", ["items": list(notRun.map { L("{item} ({count})", ["item": $0.0.rawValue, "count": String($0.1)]) })]) }
        return text
    }

    /// 已记入审计日志第 N 行
    static func audited(_ line: Int) -> String { L("recorded as audit.log line {line}", ["line": String(line)]) }

    /// 检测报告已写入 FILE
    static func written(_ file: String) -> String { L("report written to {file}", ["file": file]) }

    /// An outcome in the language of the run: passed, failed … or 通过, 不通过 ….
    static func word(_ outcome: CheckOutcome) -> String { Lang.isChinese ? outcome.chineseName : outcome.rawValue }

    /// Item codes and counts: `A1, U3` or `A1、U3`.
    static func list(_ items: [String]) -> String { items.joined(separator: Lang.isChinese ? "、" : ", ") }

    /// `text` padded with spaces to `width` columns (a Chinese character takes two).
    static func padded(_ text: String, to width: Int) -> String {
        let columns = text.unicodeScalars.reduce(0) { $0 + (($1.properties.isIdeographic || (0x3000...0x303F).contains($1.value) || (0xFF00...0xFFEF).contains($1.value)) ? 2 : 1) }
        return text + String(repeating: " ", count: max(0, width - columns))
    }
}
