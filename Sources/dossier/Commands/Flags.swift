import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Flags: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("The confidentiality officers' queue: flagged dossiers, why, and their review state."),
            discussion: L("""
                Flags: SECRET (classified), EXPORT (converted abroad), EXCLUDED (may affect
                national interests), LEADER-EQUITY (equity reward to the unit's legal-person
                head), ETHICS (subject to ethics review), OUT-OF-REGION (first conversion
                outside the region). A flagged dossier is "pending review" until a
                confidentiality-review with decision approve names its current version as
                reviewedVersion (filing that review, and other reviews, after the version it
                names does not make it stale).
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let profile = try vault.profile()
                let loaded = RuleResults(vault: vault, ids: try vault.dossierIDs()) { RuleEngine.flags(record: $0.record, history: $0.history, profile: profile) }
                let reports = loaded.values.compactMap { $0 }
                if output.json {
                    Terminal.json(.array(reports.map(Self.json)))
                } else {
                    var lines: [String] = []
                    for report in reports {
                        lines.append("\(report.dossier) \(report.version)  \(report.title)  — \(Self.reviewLabel(report.review))")
                        for raised in report.flags {
                            lines.append("  " + raised.flag.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0) + (Lang.isChinese ? raised.reasonZh : raised.reason))
                        }
                    }
                    let pending = reports.filter { !$0.review.isApproved }.count
                    lines.append(L("{count} flagged {count|dossier|dossiers}, {pending} pending review", ["count": String(reports.count), "pending": String(pending)]))
                    Terminal.lines(lines)
                }
                try loaded.finish()
            }
        }

        /// `approved v4`, `pending`; `已同意 v4`, `待审查`.
        static func reviewLabel(_ review: ReviewState) -> String {
            guard Lang.isChinese else { return review.label }
            switch review {
            case .pending: return "待审查"
            case .approved(let version, _): return "已同意 \(version)"
            case .rejected(let version, _): return "不同意 \(version)"
            case .needsInfo(let version, _): return "需补充材料 \(version)"
            }
        }

        static func json(_ report: FlagReport) -> JSONValue {
            [
                "dossier": .string(report.dossier.rawValue),
                "version": .string(report.version.description),
                "title": .string(report.title),
                "flags": .array(report.flags.map(\.json)),
                "review": report.review.json,
            ]
        }
    }
}
