// MARK: - Units in headers

/// The units a workbook's headers and measures carry, so that a figure is never read without one: money in
/// the programme's currency, shares and rates as percentages, changes in score in points of the programme's
/// scale. A unit is written after its name in brackets (`Attendance rate (%)`), which is how
/// ``WorkbookClaims`` still finds the column by its name.
enum Units {
    /// The symbol of a currency (ISO code): £, € or $, else the code itself.
    static func currencySymbol(_ code: String) -> String {
        switch code.uppercased() {
        case "GBP": return "£"
        case "EUR": return "€"
        case "USD": return "$"
        default:
            let letters = String(code.filter { $0.isASCII && $0.isLetter }.prefix(3)).uppercased()
            return letters.isEmpty ? "money" : letters
        }
    }

    /// `name (£)` in the programme's currency.
    static func money(_ name: String, _ settings: Settings) -> String { "\(name) (\(currencySymbol(settings.currency)))" }

    /// `name (%)`.
    static func percent(_ name: String) -> String { "\(name) (%)" }

    /// The programme's outcome scale in words: `points on the 1–10 scale`.
    static func scalePoints(_ settings: Settings) -> String {
        "points on the \(settings.scaleMinimum)–\(settings.scaleMaximum) scale"
    }

    /// `Mean change in score (points on the 1–10 scale)`.
    static func meanChange(_ settings: Settings) -> String { "\(WorkbookClaims.meanChange) (\(scalePoints(settings)))" }
}
