import Dates

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

    /// The same value holding its own copy of any text, independent of the reader's buffers: for rows kept
    /// after validation.
    public var owned: CellValue {
        switch self {
        case .text(let bytes): return .text(ArraySlice(Array(bytes)))
        case .list(let items): return .list(items.map(\.owned))
        default: return self
        }
    }

    /// The text, when the value is text.
    public var text: String? {
        if case .text(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
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
