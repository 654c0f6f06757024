import TableSchema

/// One row kept after validation: where it was and its typed values in schema field order.
struct ReturnRow: Sendable, Hashable {
    /// The spreadsheet row (CSV) or the item's position in the form's list plus two (forms), so that
    /// both routes number the first data row 2.
    var rowNumber: Int
    /// Values in the order of the schema's fields, owned (copied out of the reader's buffers).
    var values: [CellValue]
    /// True when the row had no error.
    var valid: Bool
}

/// The rows of one table read from one file.
struct TableRows: Sendable {
    /// The table name.
    var table: String
    /// The schema's field names, in order.
    var fields: [String]
    /// The rows, in file order.
    var rows: [ReturnRow]

    /// The value of a field in a row, by name.
    func value(_ field: String, in row: ReturnRow) -> CellValue {
        guard let index = fields.firstIndex(of: field) else { return .null }
        return row.values[index]
    }
}
