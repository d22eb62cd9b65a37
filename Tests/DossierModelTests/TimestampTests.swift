import DossierModel
import Testing

@Suite("RFC 3339 timestamps: one reader for the store, the validator and the clock")
struct TimestampTests {
    @Test("known answers: written, read back, and the seconds since 1970")
    func knownAnswers() {
        // Given 2021-04-21T09:30:00+08:00, which is 1,618,968,600 s since 1970
        #expect(Timestamp.rfc3339(unixSeconds: 1_618_968_600, offsetSeconds: 8 * 3600) == "2021-04-21T09:30:00+08:00")
        #expect(Timestamp.unixSeconds(of: "2021-04-21T09:30:00+08:00") == 1_618_968_600)
        #expect(Timestamp.unixSeconds(of: "2021-04-21T01:30:00Z") == 1_618_968_600)
        #expect(Timestamp.unixSeconds(of: "2021-04-20T20:00:00.250-05:30") == 1_618_968_600)
        // And before 1970 the day is the earlier one
        #expect(Timestamp.rfc3339(unixSeconds: -1, offsetSeconds: 0) == "1969-12-31T23:59:59Z")
    }

    @Test("what is wrong is named", arguments: [
        ("2021-04-21", "has no time (T hh:mm:ss after the date)"),
        ("2021-02-30T00:00:00Z", "has no such day"),
        ("2021-04-21T09:30Z", "is not given to the second"),
        ("2021-04-21T09:30:00", "has no time zone (Z or ±hh:mm)"),
        ("2021-04-21T09:30:00+8:00", "has a malformed time zone offset"),
        ("2021-04-21T25:30:00Z", "has a time out of range"),
        ("2021-04-21T09:30:00Z ", "has text after the time zone"),
    ])
    func problems(text: String, problem: String) {
        guard case .failure(let found) = Timestamp.parse(text) else {
            Issue.record("\(text) was read as a timestamp")
            return
        }
        #expect(found.description == problem)
        #expect(Timestamp.unixSeconds(of: text) == nil)
    }
}
