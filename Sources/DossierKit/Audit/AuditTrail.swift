import DossierModel

/// The audit log with the vault's clock: appends stamped with the vault's time.
public struct AuditTrail: Sendable {
    public let log: AuditLog
    public let clock: VaultClock

    public init(log: AuditLog, clock: VaultClock) {
        self.log = log
        self.clock = clock
    }

    /// Appends one event, stamped now.
    @discardableResult
    public func record(_ event: AuditEvent) throws(AuditError) -> AuditRecord {
        try log.append(event, at: clock.timestamp())
    }
}
