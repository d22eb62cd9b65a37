import DossierModel
import Testing

@Suite("civil dates")
struct LocalDateTests {
    @Test("parses exactly YYYY-MM-DD and refuses days that do not exist", arguments: [
        ("2021-03-01", true), ("2020-02-29", true), ("2021-02-29", false), ("2021-02-30", false), ("2021-13-01", false),
        ("2021-04-31", false), ("2021-3-1", false), ("2021/03/01", false), ("2021-03-01T00:00", false), ("", false),
        ("2100-02-29", false), ("2000-02-29", true),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((LocalDate(text) != nil) == valid)
        if valid { #expect(LocalDate(text)?.description == text) }
    }

    @Test("counts days as the Civil Code does: the first day is not counted")
    func dayCounting() throws {
        let start = try #require(LocalDate("2021-03-01"))
        #expect(try #require(LocalDate("2021-03-16")).days(since: start) == 15)
        #expect(try #require(LocalDate("2021-03-15")).days(since: start) == 14)
        // Across a leap day
        #expect(try #require(LocalDate("2024-03-01")).days(since: try #require(LocalDate("2024-02-14"))) == 16)
        #expect(try #require(LocalDate("2023-03-01")).days(since: try #require(LocalDate("2023-02-14"))) == 15)
    }

    @Test("day numbers round-trip over four centuries")
    func dayNumberRoundTrip() throws {
        let origin = try #require(LocalDate("1900-01-01"))
        for offset in stride(from: 0, to: 146_097 * 2, by: 37) {
            let date = origin.adding(days: offset)
            #expect(LocalDate(date.description) == date)
            #expect(date.days(since: origin) == offset)
        }
    }

    @Test("adding years keeps the day, and 29 February becomes 28 February in a common year")
    func addingYears() throws {
        #expect(try #require(LocalDate("2021-04-20")).adding(years: 10).description == "2031-04-20")
        #expect(try #require(LocalDate("2020-02-29")).adding(years: 10).description == "2030-02-28")
        #expect(try #require(LocalDate("2020-02-29")).adding(years: 4).description == "2024-02-29")
    }
}
