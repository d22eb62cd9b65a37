import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Deadlines coming and missed: publicity, use rights, annual reports, rewards, secrecy."),
            discussion: L("""
                Lists what falls due within --within days of the as-of date (publicity periods
                ending, long-term use rights ending, annual reports, rewards after income,
                secrecy periods ending, yearly classification reviews), and every deadline
                already missed.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var asOfOptions: AsOfOptions

        @Option(help: ArgumentHelp(L("How many days ahead to look."), valueName: "days")) var within = 90

        func validate() throws {
            if within < 0 { throw ValidationError("--within takes a number of days, 0 or more") }
        }

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let profile = try vault.profile()
                let asOf = asOfOptions.date(in: vault)
                let within = within
                let loaded = RuleResults(vault: vault, ids: try vault.dossierIDs()) {
                    Deadlines.compute(record: $0.record, history: $0.history, profile: profile, asOf: asOf, within: within)
                }
                let deadlines = loaded.values.flatMap { $0 }
                    .sorted { ($0.date, $0.dossier, $0.kind.rawValue) < ($1.date, $1.dossier, $1.kind.rawValue) }
                if output.json {
                    Terminal.json(.array(deadlines.map(\.json)))
                } else {
                    var lines = deadlines.map { deadline in
                        let days = deadline.date.days(since: asOf)
                        let when = deadline.status == .missed
                            ? L("missed {days} {days|day|days} ago", ["days": String(-days)])
                            : days == 0 ? L("due today") : L("in {days} {days|day|days}", ["days": String(days)])
                        var line = "\(deadline.date)  \(DisplayWidth.padded(when, to: 20)) \(deadline.dossier)  \(translated(deadline.message))"
                        if !deadline.documents.isEmpty { line += " [\(deadline.documents.map(\.fileName).joined(separator: ", "))]" }
                        return line
                    }
                    let missed = deadlines.filter { $0.status == .missed }.count
                    lines.append(L("{coming} coming within {within} days of {date}, {missed} missed", [
                        "coming": String(deadlines.count - missed), "within": String(within), "date": asOf.description, "missed": String(missed),
                    ]))
                    Terminal.lines(lines)
                }
                try loaded.finish()
            }
        }
    }
}
