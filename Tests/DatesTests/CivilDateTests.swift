import Dates
import Testing

/// The one calendar the table cells, Excel serials and the history store share.
@Suite struct CivilDateTests {
    /// The calendar conversion round-trips over four centuries, leap days included.
    @Test func civilDateRoundTrip() {
        var days = CivilDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch
        var expected = CivilDate(year: 1900, month: 1, day: 1)!
        let end = CivilDate(year: 2300, month: 12, day: 31)!.daysSinceEpoch
        var mismatches: [String] = []
        while days <= end {
            let date = CivilDate(daysSinceEpoch: days)
            if date != expected || date.daysSinceEpoch != days { mismatches.append("\(days): \(date.iso) vs \(expected.iso)") }
            if expected.day < CivilDate.daysIn(month: expected.month, year: expected.year) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = CivilDate(year: expected.year, month: expected.month + 1, day: 1)!
            } else {
                expected = CivilDate(year: expected.year + 1, month: 1, day: 1)!
            }
            days += 1
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(CivilDate(year: 2026, month: 4, day: 5)!.iso == "2026-04-05")
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2028, month: 2, day: 29) != nil)
    }

    /// Known days on both sides of 1970, and the year limits.
    @Test(arguments: [
        (0, "1970-01-01"), (-1, "1969-12-31"), (-25_567, "1900-01-01"), (20_513, "2026-03-01"), (20_512, "2026-02-28"),
        (2_932_896, "9999-12-31"), (11_016, "2000-02-29"),
    ])
    func knownDays(days: Int, iso: String) {
        #expect(CivilDate(daysSinceEpoch: days).iso == iso)
    }

    @Test(arguments: [(2026, 13, 1), (2026, 0, 1), (2026, 4, 31), (0, 1, 1), (10_000, 1, 1), (1900, 2, 29)])
    func impossibleDates(year: Int, month: Int, day: Int) {
        #expect(CivilDate(year: year, month: month, day: day) == nil)
    }

    @Test(
        "ISO text is read as the date it names, a time after it ignored; anything else is nil",
        arguments: [
            ("2026-05-12", 20_585), ("2026-05-12T10:00:00Z", 20_585), ("1970-01-01", 0), ("2024-02-29", 19_782),
            ("2026-02-30", nil), ("2026-5-12", nil), ("26-05-12", nil), ("2026/05/12", nil), ("", nil), ("2026-05-1x", nil),
        ] as [(String, Int?)])
    func isoText(text: String, days: Int?) {
        #expect(CivilDate(iso: text)?.daysSinceEpoch == days)
    }
}
