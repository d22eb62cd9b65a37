import DossierKit
import Foundation
import Testing

@Suite("The vault's clock")
struct VaultClockTests {
    @Test("today is the date of now's timestamp in the vault's zone, around midnight and before 1970")
    func today() {
        for (seconds, offset, day) in [
            (1_795_795_199, 8 * 3600, "2026-11-27"), (1_795_795_200, 8 * 3600, "2026-11-28"),
            (1_795_795_200, 0, "2026-11-27"), (-1, 0, "1969-12-31"), (0, -3600, "1969-12-31"),
        ] as [(Int64, Int, String)] {
            let clock = VaultClock(offsetSeconds: offset) { Date(timeIntervalSince1970: TimeInterval(seconds)) }
            #expect(clock.today.description == day, "\(seconds) at \(offset)")
            #expect(Timestamp.localDate(of: clock.timestamp()) == clock.today)
        }
    }
}
