import Dates
import TableSchema
import Testing

/// strptime-style date formats: compiling, matching, impossible dates and month names.
@Suite("DateFormat")
struct DateFormatTests {
    private func read(_ text: String, _ spec: String) throws -> DateFormat.Outcome {
        let format = try #require(DateFormat(spec))
        return format.parse(Array(text.utf8)[...])
    }

    @Test(arguments: [
        ("2026-04-15", "%Y-%m-%d", 2026, 4, 15), ("2026-4-5", "%Y-%m-%d", 2026, 4, 5),
        ("15/04/2026", "%d/%m/%Y", 2026, 4, 15), ("5/4/2026", "%d/%m/%Y", 2026, 4, 5),
        ("04/15/2026", "%m/%d/%Y", 2026, 4, 15), ("15/04/26", "%d/%m/%y", 2026, 4, 15), ("01.02.99", "%d.%m.%y", 2099, 2, 1),
        ("5 Apr 2026", "%d %b %Y", 2026, 4, 5), ("5 apr 2026", "%d %b %Y", 2026, 4, 5), ("5 APRIL 2026", "%d %B %Y", 2026, 4, 5),
        ("15 September 2026", "%d %B %Y", 2026, 9, 15), ("15 Sept 2026", "%d %b %Y", 2026, 9, 15), ("15 Sep 2026", "%d %b %Y", 2026, 9, 15),
        ("May 5, 2026", "%b %d, %Y", 2026, 5, 5), ("2026-04-15 14:30", "%Y-%m-%d %H:%M", 2026, 4, 15),
        ("2026-04-15 14:30:59", "%Y-%m-%d %H:%M:%S", 2026, 4, 15), ("100% 2026-04-15", "100%% %Y-%m-%d", 2026, 4, 15),
    ])
    func reads(_ text: String, _ spec: String, _ year: Int, _ month: Int, _ day: Int) throws {
        #expect(try read(text, spec) == .date(CivilDate(year: year, month: month, day: day)!))
    }

    @Test(arguments: [
        ("31/02/2026", "%d/%m/%Y"), ("29/02/2026", "%d/%m/%Y"), ("00/01/2026", "%d/%m/%Y"), ("15/13/2026", "%d/%m/%Y"),
        ("2026-02-30", "%Y-%m-%d"), ("31 Apr 2026", "%d %b %Y"),
    ])
    func impossible(_ text: String, _ spec: String) throws {
        #expect(try read(text, spec) == .impossible)
    }

    @Test(arguments: [
        ("2026-04-15", "%d/%m/%Y"), ("15/04/2026 ", "%d/%m/%Y"), ("15/04/2026x", "%d/%m/%Y"), ("150/04/2026", "%d/%m/%Y"),
        ("15/04/202", "%d/%m/%Y"), ("15/04/20266", "%d/%m/%Y"), ("5 Ap 2026", "%d %b %Y"), ("5 Foo 2026", "%d %b %Y"),
        ("5 Aprilis 2026", "%d %B %Y"), ("15/4/6", "%d/%m/%y"), ("", "%Y-%m-%d"), ("2026-04-15", "%Y-%m-%d %H:%M"),
    ])
    func mismatches(_ text: String, _ spec: String) throws {
        #expect(try read(text, spec) == .mismatch)
    }

    /// A format must name a year, a month and a day, with supported directives only.
    @Test(arguments: ["%Y-%m", "%m/%d", "%d/%m", "%Y-%m-%d %Q", "%Y-%m-%", "", "date", "%Y-%j"])
    func invalidSpecs(_ spec: String) {
        #expect(DateFormat(spec) == nil)
    }

    @Test func specIsKept() throws {
        #expect(try #require(DateFormat("%d/%m/%Y")).spec == "%d/%m/%Y")
        #expect(DateFormat.iso.spec == "%Y-%m-%d")
    }
}
