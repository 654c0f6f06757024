import CXlsxWriter

// MARK: - Table values

/// The function in a table's total row.
public enum TableTotalFunction: Hashable, Sendable {
    /// SUBTOTAL(109, …): the sum.
    case sum
    /// SUBTOTAL(101, …): the mean.
    case average
    /// SUBTOTAL(103, …): non-blank cells.
    case count
    /// SUBTOTAL(102, …): numeric cells.
    case countNumbers
    /// SUBTOTAL(104, …): the largest value.
    case max
    /// SUBTOTAL(105, …): the smallest value.
    case min

    var lxw: UInt8 {
        switch self {
        case .sum: return UInt8(LXW_TABLE_FUNCTION_SUM.rawValue)
        case .average: return UInt8(LXW_TABLE_FUNCTION_AVERAGE.rawValue)
        case .count: return UInt8(LXW_TABLE_FUNCTION_COUNT.rawValue)
        case .countNumbers: return UInt8(LXW_TABLE_FUNCTION_COUNT_NUMS.rawValue)
        case .max: return UInt8(LXW_TABLE_FUNCTION_MAX.rawValue)
        case .min: return UInt8(LXW_TABLE_FUNCTION_MIN.rawValue)
        }
    }
}

/// One column of a table.
public struct TableColumn: Hashable {
    /// The header text (stored as text, never a formula). Headers must be unique in a table,
    /// ignoring case, as Excel requires.
    public var header: String
    /// The format of the column's data cells.
    public var format: Format?
    /// The format of the header cell.
    public var headerFormat: Format?
    /// What the total row shows under this column: a function, or a label.
    public var total: Total?

    /// A total-row entry.
    public enum Total: Hashable, Sendable {
        /// A SUBTOTAL function over the column.
        case function(TableTotalFunction)
        /// Fixed text, such as "Total".
        case label(String)
    }

    /// Creates a column.
    public init(header: String, format: Format? = nil, headerFormat: Format? = nil, total: Total? = nil) {
        self.header = header
        self.format = format
        self.headerFormat = headerFormat
        self.total = total
    }
}

/// Excel's built-in table styles.
public enum TableStyle: Hashable, Sendable {
    /// No style at all (plain cells with filter buttons).
    case none
    /// Table Style Light 1…21.
    case light(Int)
    /// Table Style Medium 1…28 (Medium 9 is Excel's default).
    case medium(Int)
    /// Table Style Dark 1…11.
    case dark(Int)
}

/// The settings of an Excel table (ListObject).
public struct TableOptions: Hashable {
    /// The table name (letters, digits, underscores and full stops, starting with a letter or
    /// underscore, unique in the workbook); nil for Table1, Table2, ….
    public var name: String?
    /// The columns, left to right; empty gives "Column1", "Column2", …. Otherwise there must be one
    /// per column of the range.
    public var columns: [TableColumn]
    /// The style.
    public var style: TableStyle
    /// Whether the last row of the range is a total row.
    public var totalRow: Bool
    /// Alternate row shading.
    public var bandedRows: Bool
    /// Alternate column shading.
    public var bandedColumns: Bool
    /// Emphasise the first column.
    public var firstColumn: Bool
    /// Emphasise the last column.
    public var lastColumn: Bool
    /// Filter buttons in the header row.
    public var autofilter: Bool

    /// Creates table options; the defaults are Excel's.
    public init(
        name: String? = nil, columns: [TableColumn] = [], style: TableStyle = .medium(9), totalRow: Bool = false,
        bandedRows: Bool = true, bandedColumns: Bool = false, firstColumn: Bool = false, lastColumn: Bool = false,
        autofilter: Bool = true
    ) {
        self.name = name
        self.columns = columns
        self.style = style
        self.totalRow = totalRow
        self.bandedRows = bandedRows
        self.bandedColumns = bandedColumns
        self.firstColumn = firstColumn
        self.lastColumn = lastColumn
        self.autofilter = autofilter
    }
}

// MARK: - Adding tables

extension Worksheet {
    /// Adds a table over a range that includes the header row (its first row) and, with
    /// ``TableOptions/totalRow``, the total row (its last row).
    ///
    /// libxlsxwriter writes the header texts into the header row; write the data cells with the
    /// `write` methods, before or after. Throws for overlapping tables or merges, a column count that
    /// does not match the range, duplicate or empty headers, and invalid or duplicate table names.
    public func addTable(_ range: CellRange, options: TableOptions = TableOptions()) throws {
        let ws = try sheet()
        try check(range)
        let minimumRows = options.totalRow ? 3 : 2
        guard range.rowCount >= minimumRows else {
            throw XLSXError.invalidRange(
                sheet: name, range: range.a1,
                reason: "a table needs a header row\(options.totalRow ? ", a total row" : "") and at least one data row")
        }
        if let clash = tables.first(where: { $0.overlaps(range) }) {
            throw XLSXError.overlappingRange(sheet: name, range: range.a1, existing: clash.a1, kind: "table")
        }
        if let clash = merges.first(where: { $0.overlaps(range) }) {
            throw XLSXError.overlappingRange(sheet: name, range: range.a1, existing: clash.a1, kind: "merged range")
        }
        if !options.columns.isEmpty, options.columns.count != range.columnCount {
            throw XLSXError.invalidRange(
                sheet: name, range: range.a1,
                reason: "the range has \(range.columnCount) columns but \(options.columns.count) table columns were given")
        }
        var seen: Set<String> = []
        for column in options.columns {
            let header = column.header
            guard !header.isEmpty else {
                throw XLSXError.invalidArgument(
                    context: "table header in \(range.a1) on sheet \"\(name)\"", value: header,
                    reason: "is empty; every table column needs a header")
            }
            try limit(header, 255, "table header in \(range.a1)")
            guard seen.insert(header.lowercased()).inserted else {
                throw XLSXError.invalidArgument(
                    context: "table header in \(range.a1) on sheet \"\(name)\"", value: header,
                    reason: "is used twice; Excel needs unique headers in a table")
            }
            if case .label(let text)? = column.total { try limit(text, 255, "table total label in \(range.a1)") }
            _ = try lxw(column.format, "table column \"\(header)\"")
            _ = try lxw(column.headerFormat, "table column \"\(header)\"")
        }
        if let tableName = options.name {
            try Worksheet.validateTableName(tableName)
            guard !core.tableNames.contains(tableName.lowercased()) else {
                throw XLSXError.invalidName(kind: "table name", name: tableName, reason: "another table already has it")
            }
        }
        let (styleType, styleNumber) = try styleCode(options.style)

        let bag = CStringBag(operation: "worksheet_add_table")
        var lxwOptions = lxw_table_options()
        lxwOptions.name = try bag.optional(options.name)
        lxwOptions.total_row = options.totalRow ? 1 : 0
        lxwOptions.no_banded_rows = options.bandedRows ? 0 : 1
        lxwOptions.banded_columns = options.bandedColumns ? 1 : 0
        lxwOptions.first_column = options.firstColumn ? 1 : 0
        lxwOptions.last_column = options.lastColumn ? 1 : 0
        lxwOptions.no_autofilter = options.autofilter ? 0 : 1
        lxwOptions.style_type = styleType
        lxwOptions.style_type_number = styleNumber
        if !options.columns.isEmpty {
            let array = try bag.pointerArray(count: options.columns.count, of: lxw_table_column.self)
            for (i, column) in options.columns.enumerated() {
                let c = try bag.structure(lxw_table_column.self)
                c.pointee.header = try bag.string(column.header)
                c.pointee.format = column.format?.pointer
                c.pointee.header_format = column.headerFormat?.pointer
                switch column.total {
                case .function(let function)?: c.pointee.total_function = function.lxw
                case .label(let text)?: c.pointee.total_string = try bag.string(text)
                case nil: break
                }
                array[i] = c
            }
            lxwOptions.columns = array
        }
        let code = withExtendedLifetime(bag) {
            worksheet_add_table(
                ws, lxw_row_t(range.first.row), lxw_col_t(range.first.column),
                lxw_row_t(range.last.row), lxw_col_t(range.last.column), &lxwOptions)
        }
        try core.check(code, "worksheet_add_table", sheet: name, cell: range.a1)
        tables.append(range)
        if let tableName = options.name { core.tableNames.insert(tableName.lowercased()) }
        for (i, column) in options.columns.enumerated() {
            let c = range.first.column + i
            noteWrapped(column.header, row: range.first.row, columns: c...c, format: column.headerFormat)
        }
    }

    private func styleCode(_ style: TableStyle) throws -> (UInt8, UInt8) {
        func number(_ n: Int, _ max: Int, _ kind: String) throws -> UInt8 {
            guard (1...max).contains(n) else {
                throw XLSXError.invalidArgument(
                    context: "table style on sheet \"\(name)\"", value: "\(kind) \(n)",
                    reason: "does not exist (\(kind) styles are 1 to \(max))")
            }
            return UInt8(n)
        }
        switch style {
        case .none: return (UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue), 0)
        case .light(let n): return (UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue), try number(n, 21, "light"))
        case .medium(let n): return (UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue), try number(n, 28, "medium"))
        case .dark(let n): return (UInt8(LXW_TABLE_STYLE_TYPE_DARK.rawValue), try number(n, 11, "dark"))
        }
    }

    static func validateTableName(_ name: String) throws {
        func fail(_ reason: String) -> XLSXError { .invalidName(kind: "table name", name: name, reason: reason) }
        guard let first = name.first else { throw fail("it is empty") }
        if name.count > 255 { throw fail("it is longer than 255 characters") }
        if !(first.isLetter || first == "_" || first == "\\") {
            throw fail("it must start with a letter, an underscore or a backslash")
        }
        if name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) {
            throw fail("it may contain only letters, digits, underscores and full stops")
        }
        if SheetRange.readsAsCellReference(name) { throw fail("it reads as a cell reference") }
    }
}
