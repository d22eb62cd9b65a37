import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Produce the reports a pilot unit hands in."),
            subcommands: [Annual.self])

        struct Annual: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: L("The unit's annual list of granted achievements (plan 四(二))."),
                discussion: L("""
                    Lists the unit's achievements whose grant (ownership or long-term use) was
                    approved in the year (the approving unit-approval's approvedOn), and those
                    granted earlier with a transfer contract signed in the year. Each row: id,
                    title, type, grant kind, basis, application, approval, agreement and publicity
                    dates, counterparties, contract dates and price, status, flags, version; then
                    the year's totals (achievements by grant kind, contracts signed and their total
                    price).

                    A contract a row shows but the year's totals leave out (a grant approved in the
                    year and converted the next) gets a numbered note saying where it counts.

                    Formats: text; csv (UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting: opens
                    in a spreadsheet); json; html: the paper the unit signs and seals — one
                    self-contained page printing on A4 landscape with page numbers, statuses and
                    flags in Chinese beside the English, when it was made and as of which day,
                    and a block for the signature and the unit's seal. -o FILE writes it there.
                    """) + "\n\n" + L(ExitStatus.help))

            @OptionGroup var vaultOptions: VaultOptions

            @Option(help: ArgumentHelp(L("The pilot unit, e.g. imut."))) var unit: String
            @Option(help: ArgumentHelp(L("The year, e.g. 2022."))) var year: Int
            @Option(help: ArgumentHelp(L("text, csv, json or html."))) var format: AnnualReport.Format = .text
            @Option(name: .shortAndLong, help: ArgumentHelp(L("Write the report to FILE instead of stdout."), valueName: "file"))
            var output: String?

            func validate() throws {
                if !(1900...9999).contains(year) { throw ValidationError("--year must be a year such as 2022") }
            }

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    try vault.settings.checkUnit(unit, source: "command line", field: "--unit")
                    let unitName = vault.settings.unitName(unit) ?? unit
                    let dossiers = try vault.index.withIndex(notice: IndexNotice.print) { index in
                        try index.list(filter: IndexFilter(unit: unit))
                    }
                    var report = AnnualReport(unit: unit, unitName: unitName, organisation: vault.settings.organisation, year: year, dossiers: dossiers)
                    // The index judges every dossier as of today (it re-judges on a new day).
                    report.generatedAt = vault.clock.timestamp()
                    report.asOf = vault.clock.today
                    let bytes = report.rendered(format)
                    if let output {
                        try DossierKit.FileSystem.replaceFile(output, bytes)
                        Terminal.note(L("dossier: wrote {file} ({count} achievements)", ["file": output, "count": String(report.rows.count)]))
                    } else {
                        // The text form goes to a terminal: its stored text is escaped there too.
                        Terminal.write(format == .text ? Data(Terminal.escaped(String(decoding: bytes, as: UTF8.self)).utf8) : Data(bytes))
                    }
                }
            }
        }
    }
}

extension AnnualReport.Format: ExpressibleByArgument {}
