// MARK: - Cells and rows

/// What a cell holds, as the workbook stores it.
public enum SheetCellContent: Sendable, Hashable {
    /// Text: a shared string, an inline string or a formula's text result.
    case text(String)
    /// A number, as stored (a date is a number with a date format: see ``SheetCell/isDateFormatted``).
    case number(Double)
    /// TRUE or FALSE.
    case boolean(Bool)
    /// An error value such as `#DIV/0!` or `#N/A`.
    case error(String)
    /// A date stored as ISO 8601 text (`t="d"`, written by some tools instead of a serial number).
    case isoDate(String)
    /// A formula whose result was never saved (the workbook was written by a program, not by Excel).
    case formulaWithoutResult(String)
    /// A cell with formatting but no value.
    case blank
}

/// One cell of a sheet.
public struct SheetCell: Sendable, Hashable {
    /// The 0-based column (A is 0).
    public var column: Int
    /// The value.
    public var content: SheetCellContent
    /// True when the cell's number format shows a date or time, so its number is a date serial.
    public var isDateFormatted: Bool

    /// Creates a cell.
    public init(column: Int, content: SheetCellContent, isDateFormatted: Bool = false) {
        self.column = column
        self.content = content
        self.isDateFormatted = isDateFormatted
    }
}

/// One row of a sheet as stored: only the cells the workbook has, in column order.
public struct SheetRow: Sendable, Hashable {
    /// The 1-based row number, as Excel shows it.
    public var rowNumber: Int
    /// The cells present, in increasing column order.
    public var cells: [SheetCell]

    /// Creates a row.
    public init(rowNumber: Int, cells: [SheetCell]) {
        self.rowNumber = rowNumber
        self.cells = cells
    }
}

// MARK: - Cell references

/// Excel's cell addressing: column letters and `A1` references.
public enum CellAddress {
    /// The most columns a sheet has (A to XFD).
    public static let maxColumns = 16_384
    /// The most rows a sheet has.
    public static let maxRows = 1_048_576

    /// The letters of a 0-based column: 0 is `A`, 26 is `AA`.
    public static func columnLetters(_ column: Int) -> String {
        var number = column + 1
        var letters: [UInt8] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.append(UInt8(65 + remainder))
            number = (number - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// The `A1` reference of a 0-based column and a 1-based row.
    public static func reference(column: Int, row: Int) -> String {
        columnLetters(column) + String(row)
    }

    /// Splits an `A1` reference (`$` signs allowed) into a 0-based column and a 1-based row; nil when it is
    /// not a reference within Excel's grid. A reference without a row (`C`) gives row nil.
    public static func parse(_ reference: String) -> (column: Int, row: Int?)? {
        parse(bytes: reference.utf8)
    }

    /// ``parse(_:)`` over the reference's UTF-8 bytes.
    static func parse(bytes reference: some Sequence<UInt8>) -> (column: Int, row: Int?)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in reference {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((byte & 0xDF) - 64)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(byte - 48)
                digits += 1
            default:
                return nil
            }
        }
        guard letters > 0, column <= maxColumns else { return nil }
        if digits == 0 { return (column - 1, nil) }
        guard row >= 1, row <= maxRows else { return nil }
        return (column - 1, row)
    }
}
