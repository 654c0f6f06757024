import Foundation

/// A calendar date (no time of day) as Excel stores it: a serial day number in the 1900 date system.
///
/// Excel counts 1900-01-01 as day 1 and, for Lotus 1-2-3 compatibility, pretends 1900 was a leap
/// year, so from 1900-03-01 on the serial is the day count since 1899-12-30 (1970-01-01 is 25569,
/// 2026-07-15 is 46218). Dates from 1900-01-01 to 9999-12-31 are representable.
public struct ExcelDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (1900…9999).
    public let year: Int
    /// The month (1…12).
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// The proleptic Gregorian day count since 1970-01-01.
    public let daysSince1970: Int

    /// Days from 1970-01-01 back to 1900-01-01.
    private static let firstDay = -25_567
    /// Days from 1970-01-01 to 9999-12-31.
    private static let lastDay = 2_932_896

    /// Creates a date from its parts; throws when the date does not exist or is outside 1900…9999.
    public init(year: Int, month: Int, day: Int) throws {
        guard (1900...9999).contains(year) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: ExcelDate.iso(year, month, day),
                reason: "is outside the years Excel can store (1900-9999)")
        }
        guard (1...12).contains(month), day >= 1, day <= ExcelDate.daysIn(month: month, year: year) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: ExcelDate.iso(year, month, day),
                reason: "is not a date in the calendar")
        }
        self.year = year
        self.month = month
        self.day = day
        self.daysSince1970 = ExcelDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Creates the date a day count after 1970-01-01 (negative counts go back), as table-schema
    /// date cells store it; throws outside 1900-01-01…9999-12-31.
    public init(daysSince1970 days: Int) throws {
        guard (ExcelDate.firstDay...ExcelDate.lastDay).contains(days) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: "day \(days) after 1970-01-01",
                reason: "is outside the dates Excel can store (1900-01-01 to 9999-12-31)")
        }
        let (y, m, d) = ExcelDate.civilFromDays(days)
        self.year = y
        self.month = m
        self.day = d
        self.daysSince1970 = days
    }

    /// Creates the date on which an instant falls in UTC.
    public init(_ date: Date) throws {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else {
            throw XLSXError.invalidArgument(context: "Excel date", value: "\(seconds)", reason: "is not a finite time")
        }
        let days = (seconds / 86_400).rounded(.down)
        guard days >= Double(ExcelDate.firstDay), days <= Double(ExcelDate.lastDay) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: "\(date)",
                reason: "is outside the dates Excel can store (1900-01-01 to 9999-12-31)")
        }
        try self.init(daysSince1970: Int(days))
    }

    /// The Excel serial number (1900 date system).
    public var serial: Int {
        // Excel's phantom 1900-02-29 is serial 60, so dates before March 1900 are one lower.
        daysSince1970 >= -25_508 ? daysSince1970 + 25_569 : daysSince1970 + 25_568
    }

    /// ISO 8601 spelling, such as "2026-07-15".
    public var description: String { ExcelDate.iso(year, month, day) }

    /// Orders dates in time.
    public static func < (a: ExcelDate, b: ExcelDate) -> Bool { a.daysSince1970 < b.daysSince1970 }

    // MARK: - Calendar arithmetic (Howard Hinnant's algorithms)

    private static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(abs(n))
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
