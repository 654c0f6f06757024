/// A cell's value after parsing by its field's type.
public enum CellValue: Sendable, Hashable {
    /// No value: the cell was empty or held one of the missing values.
    case null
    /// Text, as UTF-8 bytes (trimmed).
    case text(ArraySlice<UInt8>)
    /// A whole number.
    case integer(Int64)
    /// A number.
    case number(Double)
    /// A boolean.
    case boolean(Bool)
    /// A calendar date, as days since 1970-01-01.
    case date(Int32)
    /// A date and time, as seconds since 1970-01-01T00:00:00Z.
    case datetime(Int64)
    /// A year.
    case year(Int32)
    /// A list's items (for `list` fields).
    case list([CellValue])

    /// The value as a number, when it is numeric.
    public var numeric: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        case .year(let value): return Double(value)
        default: return nil
        }
    }

    /// The value as text in its canonical spelling (ISO dates, plain numbers).
    public var canonicalText: String {
        switch self {
        case .null: return ""
        case .text(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .integer(let value): return String(value)
        case .number(let value): return formatNumber(value)
        case .boolean(let value): return value ? "true" : "false"
        case .date(let days): return CivilDate(daysSinceEpoch: Int(days)).iso
        case .datetime(let seconds):
            let days = Int((Double(seconds) / 86_400).rounded(.down))
            let rest = Int(seconds - Int64(days) * 86_400)
            let time = String(format2(rest / 3600)) + ":" + format2(rest / 60 % 60) + ":" + format2(rest % 60)
            return CivilDate(daysSinceEpoch: days).iso + "T" + time + "Z"
        case .year(let value): return String(value)
        case .list(let items): return items.map(\.canonicalText).joined(separator: ";")
        }
    }

    /// Compares two values of compatible types; nil when they cannot be compared.
    public static func compare(_ left: CellValue, _ right: CellValue) -> Int? {
        switch (left, right) {
        case (.date(let a), .date(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.datetime(let a), .datetime(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.text(let a), .text(let b)): return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (a ? 1 : -1)
        default:
            guard let a = left.numeric, let b = right.numeric else { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }
}

/// Formats a number without a needless `.0` and without exponent notation for ordinary sizes.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(value)
    if text.contains("e") { return text }
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

private func format2(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// A proleptic Gregorian calendar date, convertible to and from a day count.
public struct CivilDate: Sendable, Hashable {
    /// The year.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31.
    public var day: Int

    /// Creates a date if it exists in the calendar (so 2026-02-30 does not).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), (1...9999).contains(year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates the date a day count after 1970-01-01 falls on (Howard Hinnant's algorithm).
    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + format2(month) + "-" + format2(day)
    }

    /// The number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
