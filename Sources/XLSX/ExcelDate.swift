import Dates
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
        guard let civil = CivilDate(year: year, month: month, day: day) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: ExcelDate.iso(year, month, day),
                reason: "is not a date in the calendar")
        }
        self.year = year
        self.month = month
        self.day = day
        self.daysSince1970 = civil.daysSinceEpoch
    }

    /// Creates the date a day count after 1970-01-01 (negative counts go back), as table-schema
    /// date cells store it; throws outside 1900-01-01…9999-12-31.
    public init(daysSince1970 days: Int) throws {
        guard (ExcelDate.firstDay...ExcelDate.lastDay).contains(days) else {
            throw XLSXError.invalidArgument(
                context: "Excel date", value: "day \(days) after 1970-01-01",
                reason: "is outside the dates Excel can store (1900-01-01 to 9999-12-31)")
        }
        let date = CivilDate(daysSinceEpoch: days)
        self.year = date.year
        self.month = date.month
        self.day = date.day
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

    // MARK: - Spelling

    private static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(abs(n))
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }
}
