import Dates

// MARK: - Date system

/// How a workbook counts days: Excel's serial numbers start in 1900 (with its famous 29 February 1900),
/// or in 1904 for workbooks made on old Macs (`<workbookPr date1904="1"/>`).
public enum DateSystem: Sendable, Hashable {
    /// Serial 1 is 1900-01-01; serial 60 is the 29 February 1900 that never was.
    case from1900
    /// Serial 0 is 1904-01-01.
    case from1904

    /// The calendar date and time of a serial number, or nil when the serial is not a real date (negative,
    /// beyond 9999-12-31, or the 1900 system's 29 February 1900).
    public func dateTime(serial: Double) -> WorkbookDateTime? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = serial.rounded(.down)
        // Milliseconds are kept (rounded), as Excel shows them.
        var milliseconds = ((serial - days) * 86_400_000).rounded()
        if milliseconds >= 86_400_000 {
            milliseconds -= 86_400_000
            days += 1
        }
        let epochDays: Int
        switch self {
        case .from1900:
            let whole = Int(days)
            if whole == 0 && milliseconds > 0 {
                // A time of day alone (0.5 is noon), shown by Excel on 1900-01-00.
                epochDays = -25_568
            } else if whole == 60 {
                return nil
            } else if whole < 60 {
                guard whole >= 1 else { return nil }
                epochDays = -25_568 + whole  // 1900-01-01 (serial 1) is day -25,567 since 1970.
            } else {
                epochDays = -25_569 + whole  // 1899-12-30 + serial, after the missing leap day.
            }
        case .from1904:
            epochDays = -24_107 + Int(days)  // 1904-01-01 is day -24,107 since 1970.
        }
        let date = WorkbookDateTime(daysSince1970: epochDays, millisecondsOfDay: Int(milliseconds))
        guard date.year <= 9999 else { return nil }
        return date
    }
}

/// A calendar date and time of day read from a workbook.
public struct WorkbookDateTime: Sendable, Hashable {
    /// Days since 1970-01-01.
    public var daysSince1970: Int
    /// Milliseconds since midnight.
    public var millisecondsOfDay: Int
    /// The year.
    public var year: Int
    /// The month, 1 to 12.
    public var month: Int
    /// The day of the month.
    public var day: Int

    /// Creates a date from days since 1970 (proleptic Gregorian calendar).
    public init(daysSince1970: Int, millisecondsOfDay: Int = 0) {
        self.daysSince1970 = daysSince1970
        self.millisecondsOfDay = millisecondsOfDay
        let date = CivilDate(daysSinceEpoch: daysSince1970)
        year = date.year
        month = date.month
        day = date.day
    }

    /// True when the value has a time of day other than midnight.
    public var hasTime: Bool { millisecondsOfDay != 0 }

    /// `YYYY-MM-DD`.
    public var isoDate: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS` (seconds rounded to the nearest).
    public var isoDateTime: String {
        let seconds = (millisecondsOfDay + 500) / 1000
        return isoDate + "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

// MARK: - Number formats

/// Whether a cell's number format shows a date or a time.
enum NumberFormat {
    /// Excel's built-in formats that show dates or times (ids 14–22, 45–47, and the East Asian 27–36, 50–58).
    static let builtInDateIDs: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// True when a format code shows a date or time: it has d, m, y, h or s outside quoted text, escapes
    /// and brackets (other than elapsed-time brackets such as `[h]`).
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var escaped = false
        var bracket: [Character]? = nil
        for character in code {
            if escaped {
                escaped = false
                continue
            }
            if quoted {
                if character == "\"" { quoted = false }
                continue
            }
            if var inside = bracket {
                if character == "]" {
                    let text = String(inside).lowercased()
                    if !text.isEmpty, text.allSatisfy({ "hms".contains($0) }) { return true }
                    bracket = nil
                } else {
                    inside.append(character)
                    bracket = inside
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "\\", "_", "*": escaped = true
            case "[": bracket = []
            case ";": return false  // the first section decides
            case "d", "D", "m", "M", "y", "Y", "h", "H", "s", "S": return true
            default: continue
            }
        }
        return false
    }
}
