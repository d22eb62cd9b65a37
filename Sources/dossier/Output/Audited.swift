import ArgumentParser
import DossierKit

/// Runs a command that acts on the vault (filing, export) so that a refusal is recorded in
/// the audit log as well as reported: one `refused` line with who, what and why.
///
/// Only refusals (exit status 2) are recorded; when the vault itself cannot be opened there
/// is no log to write to, and the refusal is only reported.
func runAudited(
    _ attempt: String, dossier: String?, vault vaultOptions: VaultOptions, by agent: Agent, details: JSONObject = JSONObject(),
    damageIsProblem: Bool = false, _ body: () throws -> Void
) throws {
    try runReporting(damageIsProblem: damageIsProblem) {
        do {
            try body()
        } catch let error where isRefusal(error) && !(damageIsProblem && VaultError.wrap(error).isDamage) && !VaultError.wrap(error).isRecorded {
            recordRefusal(attempt, dossier: dossier, vault: vaultOptions, by: agent, details: details, error: error)
            throw error
        }
    }
}

private func isRefusal(_ error: any Error) -> Bool {
    !(error is ExitCode || error is ValidationError || error is CheckFailure)
}

private func recordRefusal(_ attempt: String, dossier: String?, vault vaultOptions: VaultOptions, by agent: Agent, details: JSONObject, error: any Error) {
    // Opened as every command opens it, so that the refusal seals the log's head with the same key.
    guard let vault = try? vaultOptions.open() else { return }
    var fields = JSONObject()
    fields["attempt"] = .string(attempt)
    if let dossier, DossierID(dossier) == nil { fields["target"] = .string(dossier) }
    for (key, value) in details { fields[key] = value }
    fields["refusal"] = .string(VaultError.wrap(error).description)
    do {
        try vault.recordAudit(AuditEvent(action: .refused, by: agent, dossier: dossier.flatMap { DossierID($0) }, details: fields))
    } catch {
        Terminal.note("dossier: warning: the refusal could not be recorded in the audit log: \(error)")
    }
}
