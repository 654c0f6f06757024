import Dates
import TableSchema

// MARK: - Number formats

/// How the reports write numbers, with fixed rules and no locale: percentages to whole percent, means and
/// z-scores to one decimal, money with the currency symbol and two decimals, dates ISO 8601. Rounding is
/// half away from zero, after removing floating-point noise below a millionth. Missing values read
/// "no data".
enum ReportFormat {
    /// A declared table's figure: a sum as a plain number, a count as a whole number.
    static func tableFigure(_ figure: TableFigure?, _ value: Double) -> String {
        figure?.measure == .sum ? formatNumber(value) : count(Int(value))
    }

    /// What a missing figure reads.
    static let noData = "no data"

    /// A count.
    static func count(_ value: Int?) -> String {
        value.map { grouped($0) } ?? noData
    }

    /// A count change with its sign (`+3`, `-2`, `0`).
    static func signedCount(_ value: Int?) -> String {
        guard let value else { return noData }
        return (value > 0 ? "+" : value < 0 ? "-" : "") + grouped(abs(value))
    }

    /// A share or rate (0–1) as a whole percentage (`60%`).
    static func percent(_ value: Double?) -> String {
        guard let value, let whole = rounded(value * 100, decimals: 0) else { return noData }
        return "\(whole)%"
    }

    /// A share or rate (0–1) as a whole number of percent, for charts; nil when missing.
    static func percentNumber(_ value: Double?) -> Int? {
        value.flatMap { rounded($0 * 100, decimals: 0) }
    }

    /// A change in percentage points with its sign (`+5 pts`).
    static func points(_ value: Double?) -> String {
        guard let value, let whole = rounded(value, decimals: 0) else { return noData }
        return (whole > 0 ? "+" : whole < 0 ? "-" : "") + "\(abs(whole)) pts"
    }

    /// A mean to one decimal (`2.0`, `-0.5`).
    static func oneDecimal(_ value: Double?) -> String {
        guard let value, let tenths = rounded(value, decimals: 1) else { return noData }
        return (tenths < 0 ? "-" : "") + tenthsText(abs(tenths))
    }

    /// A change of a mean to one decimal with its sign (`+0.4`).
    static func signedOneDecimal(_ value: Double?) -> String {
        guard let value, let tenths = rounded(value, decimals: 1) else { return noData }
        return (tenths > 0 ? "+" : tenths < 0 ? "-" : "") + tenthsText(abs(tenths))
    }

    /// A median or other measure that is whole or ends in .5: whole numbers without decimals, others to one
    /// decimal (`45`, `45.5`).
    static func measure(_ value: Double?) -> String {
        guard let value, let tenths = rounded(value, decimals: 1) else { return noData }
        let sign = tenths < 0 ? "-" : ""
        return tenths % 10 == 0 ? sign + grouped(abs(tenths) / 10) : sign + tenthsText(abs(tenths))
    }

    /// A change of a median or other measure with its sign, whole numbers without decimals (`+26`, `-0.5`).
    static func signedMeasure(_ value: Double?) -> String {
        guard let value, let tenths = rounded(value, decimals: 1) else { return noData }
        return (tenths > 0 ? "+" : "") + measure(Double(tenths) / 10)
    }

    /// Money with the currency symbol and two decimals (`£1,200.50`).
    static func money(_ value: Money?, currency: String) -> String {
        guard let value else { return noData }
        let units = value.minorUnits.magnitude
        let pence = units % 100
        let text = symbol(currency) + grouped(Int(units / 100)) + "." + (pence < 10 ? "0" : "") + "\(pence)"
        return (value.minorUnits < 0 ? "-" : "") + text
    }

    /// A change of money with its sign (`+£20.00`).
    static func signedMoney(_ value: Money?, currency: String) -> String {
        guard let value else { return noData }
        let text = money(Money(minorUnits: abs(value.minorUnits)), currency: currency)
        return (value.minorUnits > 0 ? "+" : value.minorUnits < 0 ? "-" : "") + text
    }

    /// A date (days since 1970-01-01) as ISO 8601.
    static func date(_ days: Int?) -> String {
        days.map { CivilDate(daysSinceEpoch: $0).iso } ?? noData
    }

    /// A date (days since 1970-01-01) as ISO 8601.
    static func date(_ days: Int32?) -> String {
        date(days.map(Int.init))
    }

    // MARK: - Helpers

    /// The currency's symbol, or its code and a space when it has no common symbol.
    static func symbol(_ currency: String) -> String {
        switch currency.uppercased() {
        case "GBP": "£"
        case "EUR": "€"
        case "": ""
        default: currency.uppercased() + " "
        }
    }

    /// `value` × 10^decimals rounded half away from zero, after removing noise below a millionth; nil
    /// when not finite or too large.
    static func rounded(_ value: Double, decimals: Int) -> Int? {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = value * scale
        guard scaled.isFinite, abs(scaled) < 1e12 else { return nil }
        let cleaned = (scaled * 1_000_000).rounded() / 1_000_000
        return Int(cleaned.rounded(.toNearestOrAwayFromZero))
    }

    private static func tenthsText(_ tenths: Int) -> String {
        grouped(tenths / 10) + "." + "\(tenths % 10)"
    }

    /// A non-negative or negative integer with commas between thousands.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
