import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce the reports a pilot unit hands in.",
            subcommands: [Annual.self])

        struct Annual: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The unit's annual list of granted achievements (plan 四(二)).",
                discussion: """
                    Lists the unit's achievements whose grant (ownership or long-term use) was
                    approved in the year (the approving unit-approval's approvedOn), and those
                    granted earlier with a transfer contract signed in the year. Each row: id,
                    title, type, grant kind, basis, application, approval, agreement and publicity
                    dates, counterparties, contract dates and price, status, flags, version; then
                    the year's totals (achievements by grant kind, contracts signed and their total
                    price).

                    Formats: text; csv (UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting: opens
                    in a spreadsheet); json; html (one self-contained page). -o FILE writes it
                    there.

                    \(ExitStatus.help)
                    """)

            @OptionGroup var vaultOptions: VaultOptions

            @Option(help: "The pilot unit, e.g. imut.") var unit: String
            @Option(help: "The year, e.g. 2022.") var year: Int
            @Option(help: "text, csv, json or html.") var format: AnnualReport.Format = .text
            @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE instead of stdout.", valueName: "file"))
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
                    let report = AnnualReport(unit: unit, unitName: unitName, organisation: vault.settings.organisation, year: year, dossiers: dossiers)
                    let bytes = report.rendered(format)
                    if let output {
                        try DossierKit.FileSystem.replaceFile(output, bytes)
                        Terminal.note("dossier: wrote \(output) (\(report.rows.count) achievements)")
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
