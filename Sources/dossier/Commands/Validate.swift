import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check dossiers against the vault's policy profile (rules R01–R28).",
            discussion: """
                Prints one line per finding: rule, severity, dossier, version, the documents it
                is about and one sentence citing the plan, e.g.
                  R05 error IMUT-2021-0007 v4 publicity-record 单位内公示记录 公示.pdf: publicity …
                then a summary line. With --json, prints only a JSON array of the findings,
                each an object with rule, severity, dossier, version, documents (paths), kinds
                and message. Passed checks are not listed.

                The profile is the one vault.json names (built in, or the vault's
                profiles/<id>.json).

                EXIT STATUS
                  0   no finding of severity error (warnings and infos may be listed)
                  1   at least one error finding
                  2   refused: bad input, no vault, a dossier could not be read
                  64  usage: unknown command, option or argument
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var asOfOptions: AsOfOptions

        @Argument(help: "The dossiers to check.") var ids: [String] = []
        @Flag(help: "Check every dossier in the vault.") var all = false

        func validate() throws {
            if all, !ids.isEmpty { throw ValidationError("give dossier ids or --all, not both") }
            if !all, ids.isEmpty { throw ValidationError("give one or more dossier ids, or --all") }
        }

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let profile = try vault.profile()
                let asOf = asOfOptions.date(in: vault)
                let chosen = all ? try vault.dossierIDs() : try ids.map { try parseDossierID($0) }
                let loaded = RuleResults(vault: vault, ids: chosen) { RuleEngine.evaluate(record: $0.record, history: $0.history, profile: profile, asOf: asOf) }
                let findings = loaded.values.flatMap { $0 }
                if output.json {
                    Terminal.json(.array(findings.map(\.json)))
                } else {
                    let count = { (severity: Severity) in findings.filter { $0.severity == severity }.count }
                    let failing = Set(findings.filter { $0.severity == .error }.map(\.dossier)).count
                    Terminal.lines(findings.map(\.line) + [
                        "\(loaded.values.count) dossier\(loaded.values.count == 1 ? "" : "s") checked as of \(asOf) with profile \(profile.id): "
                            + "\(count(.error)) error\(count(.error) == 1 ? "" : "s") in \(failing) dossier\(failing == 1 ? "" : "s"), "
                            + "\(count(.warning)) warning\(count(.warning) == 1 ? "" : "s"), \(count(.info)) info",
                    ])
                }
                try loaded.finish()
                if findings.contains(where: { $0.severity == .error }) { throw ExitCode(ExitStatus.problems) }
            }
        }
    }
}
