import DossierModel
import Foundation

/// The vault's clock: now, written as RFC 3339 in the vault's time zone, and today's date there.
/// Replaceable in tests.
public struct VaultClock: Sendable {
    public var now: @Sendable () -> Date
    /// Seconds east of UTC (vault.json's `timeZone`).
    public var offsetSeconds: Int

    public init(offsetSeconds: Int, now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        self.offsetSeconds = offsetSeconds
    }

    public var unixSeconds: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }

    /// The current time as the vault writes it: `2026-12-06T12:00:00+08:00`.
    public func timestamp() -> String { Timestamp.rfc3339(unixSeconds: unixSeconds, offsetSeconds: offsetSeconds) }

    /// Today in the vault's time zone: the default day the rules judge by.
    public var today: LocalDate {
        LocalDate(dayNumber: Timestamp.epochDay + Int((unixSeconds + Int64(offsetSeconds)).floorDivided(by: 86400)))
    }
}

extension Int64 {
    /// Division rounding toward minus infinity: the day of a time before 1970 is the earlier one.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
