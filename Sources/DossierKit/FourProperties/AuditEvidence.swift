import DossierModel

/// The audit log as the check reads it: read and parsed once for every dossier, its chain checked
/// once (S3), its lines grouped by dossier (A6, I4, S4).
struct AuditEvidence: Sendable {
    var lines = 0
    var problems: [AuditProblem] = []
    var head: AuditAnchor?
    /// Filing lines by dossier id.
    var filings: [String: [AuditRecord]] = [:]
    /// Lines that read or exported a dossier's papers (`read`, `export`) by dossier id.
    var reads: [String: [AuditRecord]] = [:]
    /// Why the log could not be read at all, or nil.
    var unreadable: String?

    static func load(_ log: AuditLog) -> AuditEvidence {
        load(log, records: Result { () throws(AuditError) in try log.records() })
    }

    /// The evidence of `log` from its records as already read (or why they could not be).
    static func load(_ log: AuditLog, records read: Result<[AuditRecord], AuditError>) -> AuditEvidence {
        var evidence = AuditEvidence()
        let records: [AuditRecord]
        switch read {
        case .success(let all): records = all
        case .failure(let error):
            evidence.unreadable = error.description
            return evidence
        }
        let verification = log.check(records: records)
        evidence.lines = verification.lines
        evidence.problems = verification.problems
        evidence.head = verification.head
        for record in records {
            guard let dossier = record.fields["dossier"]?.stringValue else { continue }
            switch record.action {
            case .filing?: evidence.filings[dossier, default: []].append(record)
            case .read?, .export?: evidence.reads[dossier, default: []].append(record)
            default: break
            }
        }
        return evidence
    }

    /// S3: the log's chain, one result for the whole vault.
    var chainResult: ItemResult {
        if let unreadable { return ItemResult(.S3, .failed, "the audit log cannot be read", details: [CheckDetail(.failed, file: "audit.log", unreadable)]) }
        guard problems.isEmpty else {
            return ItemResult(
                .S3, .failed, "the audit log's hash chain is broken (\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(lines) lines)",
                details: problems.map { CheckDetail(.failed, file: "audit.log", "line \($0.line) \($0.problem)") })
        }
        let headText = head.map { "; head \($0)" } ?? ""
        return ItemResult(.S3, .passed, "\(lines) line\(lines == 1 ? "" : "s"), hash chain intact, audit.log.head matches\(headText)")
    }
}
