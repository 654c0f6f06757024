import TableSchema

/// A cell's typed value, owned (independent of the reader's buffers), for rows kept after validation.
public enum FieldValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Seconds since 1970-01-01T00:00:00Z.
    case datetime(Int64)
    case year(Int32)
    case list([FieldValue])

    /// Copies a parsed cell value.
    public init(_ value: CellValue) {
        switch value {
        case .null: self = .null
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .integer(let number): self = .integer(number)
        case .number(let number): self = .number(number)
        case .boolean(let flag): self = .boolean(flag)
        case .date(let days): self = .date(days)
        case .datetime(let seconds): self = .datetime(seconds)
        case .year(let year): self = .year(year)
        case .list(let items): self = .list(items.map(FieldValue.init))
        }
    }

    /// The text, when the value is text.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

/// One row kept after validation: where it was and its typed values in schema field order.
public struct ReturnRow: Sendable, Hashable {
    /// The spreadsheet row (CSV) or the item's position in the form's list plus two (forms), so that
    /// both routes number the first data row 2.
    public var rowNumber: Int
    /// Values in the order of the schema's fields.
    public var values: [FieldValue]
    /// True when the row had no error.
    public var valid: Bool
}

/// The rows of one table read from one file.
public struct TableRows: Sendable {
    /// The table name.
    public var table: String
    /// The schema's field names, in order.
    public var fields: [String]
    /// The rows, in file order.
    public var rows: [ReturnRow]

    /// The value of a field in a row, by name.
    public func value(_ field: String, in row: ReturnRow) -> FieldValue {
        guard let index = fields.firstIndex(of: field) else { return .null }
        return row.values[index]
    }
}
