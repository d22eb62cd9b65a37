@testable import DossierKit
import Testing

@Suite("zip entry times in the vault's zone")
struct ZipLocalTimeTests {
    @Test("DOS time and date of one moment at +08:00 and −05:30, and the clamp before 1980")
    func dosTimes() {
        // Given 2021-04-21T09:30:00+08:00 (1,618,968,600 s since 1970)
        let moment: Int64 = 1_618_968_600
        // Then at +08:00 it is 09:30:00 on 2021-04-21: time 9<<11 | 30<<5, date (2021-1980)<<9 | 4<<5 | 21
        #expect(ZipLocalTime.dosTimeAndDate(unixSeconds: moment, offsetSeconds: 8 * 3600) == (19392, 21141))
        // And at −05:30 it is 20:00:00 on the day before
        #expect(ZipLocalTime.dosTimeAndDate(unixSeconds: moment, offsetSeconds: -(5 * 3600 + 30 * 60)) == (40960, 21140))
        // And before 1980 it is 1980-01-01 00:00, as libarchive writes it
        #expect(ZipLocalTime.dosTimeAndDate(unixSeconds: 0, offsetSeconds: 0) == (0, 0x21))
    }
}
