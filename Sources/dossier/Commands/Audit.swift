import ArgumentParser
import DossierKit

extension AuditAnchor: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension DossierCommand {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Show the audit log, or check its hash chain."),
            discussion: L("""
                The audit log (Vault/audit.log) holds one JSON line per filing, export, review,
                rebuild and refused attempt, each carrying the sha256 of the line before it.
                """),
            subcommands: [List.self, Verify.self],
            defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: L("List the audit log's lines (the default)."),
                discussion: L(ExitStatus.help))

            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var output: OutputOptions
            @Option(help: ArgumentHelp(L("Only lines on or after this date (YYYY-MM-DD, the vault's time zone)."), valueName: "date"))
            var since: LocalDate?

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let records = try vault.auditLog.records().filter { record in
                        guard let since else { return true }
                        return record.at.flatMap { Timestamp.localDate(of: $0) }.map { $0 >= since } ?? false
                    }
                    if output.json {
                        Terminal.json(.array(records.map { .object($0.fields) }))
                        return
                    }
                    if !records.isEmpty { Terminal.out(records.map(Self.line).joined(separator: "\n")) }
                }
            }

            static func line(_ record: AuditRecord) -> String {
                let fields = record.fields
                var parts = [String(record.number ?? record.line), record.at ?? "?", record.fields["action"]?.stringValue ?? "?"]
                if let dossier = fields["dossier"]?.stringValue {
                    parts.append(dossier + (fields["version"]?.stringValue.map { " \($0)" } ?? ""))
                }
                if let by = fields["by"]?["name"]?.stringValue { parts.append("by \(by)") }
                let shown = ["attempt", "format", "file", "clearance", "reason", "decision", "message", "refusal"]
                for key in shown {
                    if let value = fields[key]?.stringValue { parts.append("\(key): \(value)") }
                }
                return parts.joined(separator: "  ")
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "verify",
                abstract: L("Check the audit log's hash chain end to end, naming any edited, dropped or reordered line."),
                discussion: L("""
                    Also cross-checks the log with the store: every version in the store has its
                    line carrying the sha512 its inventory.json has now, every version and dossier
                    the log records is in the store, and the log is not missing or empty while the
                    store holds versions (codes A001–A004; A005 a line left to recovery).
                    """) + "\n\n" + L(ExitStatus.help))

            @OptionGroup var vaultOptions: VaultOptions
            @OptionGroup var output: OutputOptions
            @Option(
                name: .customLong("anchor"),
                help: ArgumentHelp(
                    L("A line's number and sha256 kept from an earlier check (the head it printed): the log must still hold that line."),
                    valueName: "N:SHA256"))
            var anchors: [AuditAnchor] = []
            @Option(
                help: ArgumentHelp(
                    L("The unit's published seal key (PEM): the log's head must carry its seal (audit.log.head.sig), which a log rewritten without the key cannot."),
                    valueName: "seal.pem"))
            var key: String?

            func run() throws {
                try runReporting {
                    let vault = try vaultOptions.open()
                    let sealKey = try key.map { try loadPublicKey($0) }
                    let verification = try vault.auditLog.check(anchors: anchors, key: sealKey)
                    let (lines, problems, head) = (verification.lines, verification.problems, verification.head)
                    // The store and the log vouch for each other: every version has its line
                    // with the digest its inventory has now, and every line's version is there.
                    let crossCheck = try vault.crossCheckAudit()
                    let crossErrors = crossCheck.filter { $0.severity == .error }
                    if output.json {
                        Terminal.json([
                            "lines": .number(Double(lines)),
                            "intact": .bool(problems.isEmpty),
                            "head": head.map { .string($0.description) } ?? .null,
                            "anchors": .array(anchors.map { .string($0.description) }),
                            "sealVerified": sealKey == nil ? .null : .bool(verification.sealVerified),
                            "problems": .array(problems.map { ["line": .number(Double($0.line)), "problem": .string($0.problem)] }),
                            "storeAgrees": .bool(crossErrors.isEmpty),
                            "crossCheck": .array(crossCheck.map { $0.json() }),
                        ])
                        if let first = problems.first { throw CheckFailure(message: Self.notIntact(first)) }
                        if let first = crossErrors.first { throw CheckFailure(message: Self.disagree(first)) }
                        return
                    }
                    guard problems.isEmpty else {
                        Terminal.out((problems.map(\.description) + crossCheck.map(\.description)).map(translated).joined(separator: "\n"))
                        throw CheckFailure(message: Self.notIntact(problems[0]))
                    }
                    let values = ["lines": String(lines), "anchors": String(anchors.count), "fingerprint": sealKey?.fingerprint ?? ""]
                    var summary = L("audit.log: {lines} {lines|line|lines}, hash chain intact", values)
                    if anchors.count == 1 { summary += L(", and holds the anchored line") }
                    if anchors.count > 1 { summary += L(", and holds the {anchors} anchored lines", values) }
                    if sealKey != nil { summary += L(", head sealed by {fingerprint}", values) }
                    Terminal.out(summary)
                    // Kept outside the vault, the head proves later that the log was not rewritten.
                    if let head { Terminal.out(L("head: {head}  (keep it; --anchor it later to show the log was not rewritten)", ["head": head.description])) }
                    if !crossCheck.isEmpty { Terminal.out(crossCheck.map { translated($0.description) }.joined(separator: "\n")) }
                    if let first = crossErrors.first { throw CheckFailure(message: Self.disagree(first)) }
                }
            }

            static func notIntact(_ problem: AuditProblem) -> String {
                L("the audit log is not intact: {problem*}", ["problem*": translated(problem.description)])
            }

            static func disagree(_ finding: OCFLFinding) -> String {
                L("the store and the audit log disagree: {finding*}", ["finding*": translated(finding.description)])
            }
        }
    }
}
