import DossierModel
extension Vault {
    /// The current time as the vault writes it (RFC 3339, the vault's time zone).
    public func timestamp() -> String {
        Timestamp.rfc3339(unixSeconds: Int64(now().timeIntervalSince1970.rounded(.down)), offsetSeconds: settings.offsetSeconds)
    }

    /// Appends one event to the audit log, stamped with the vault's clock. Filings and
    /// exports record themselves; callers use this for refused attempts and for the index
    /// rebuild (`AuditAction.rebuild`).
    @discardableResult
    public func recordAudit(_ event: AuditEvent) throws(VaultError) -> AuditRecord {
        do { return try auditLog.append(event, at: timestamp()) } catch { throw .invalid(error.description) }
    }

    /// A filing's line, and one review line per confidentiality-review document it filed:
    /// filing the officer's review is how a review happens in the vault.
    func recordFiling(_ change: DossierChange, result: FilingResult, created: String, message: String) throws(AuditError) {
        var details = JSONObject()
        details["created"] = .bool(result.created)
        details["documents"] = .array(result.documents.map { .string($0) })
        details["message"] = .string(message)
        details["source"] = .string(change.source)
        try auditLog.append(AuditEvent(action: .filing, by: change.user, dossier: result.id, version: result.version, details: details), at: created)
        for document in change.documents where document.kind == .confidentialityReview {
            var review = JSONObject()
            review["document"] = .string(document.logicalPath)
            for key in ["decision", "reviewer", "reviewedVersion", "classificationReviewed"] {
                if let value = document.facts[key] { review[key] = value }
            }
            try auditLog.append(AuditEvent(action: .review, by: change.user, dossier: result.id, version: result.version, details: review), at: created)
        }
    }
}
