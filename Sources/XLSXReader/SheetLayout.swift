// MARK: - How a sheet is laid out

/// What one cell format (an entry of `cellXfs` in `styles.xml`, a cell's `s`) says about the text's room.
public struct CellFormatLayout: Sendable, Hashable {
    /// Whether text wraps in the cell.
    public var wrapsText: Bool
    /// The font size in points (11 when the font does not say).
    public var fontSize: Double
    /// Whether the font is bold.
    public var bold: Bool

    /// Creates a format's layout.
    public init(wrapsText: Bool = false, fontSize: Double = 11, bold: Bool = false) {
        self.wrapsText = wrapsText
        self.fontSize = fontSize
        self.bold = bold
    }
}

/// A merged range: its corners, 1-based rows and 0-based columns as ``SheetRow`` and ``SheetCell`` count them.
public struct MergedRange: Sendable, Hashable {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int
}

/// The layout of one sheet as stored: row heights, column widths, merged ranges and each cell's format.
/// Rows are 1-based and columns 0-based, as in ``SheetRow`` and ``SheetCell``.
public struct SheetLayout: Sendable, Hashable {
    /// The height of a row with no height of its own, in points (`sheetFormatPr`; 15 when it does not say).
    public var defaultRowHeight = 15.0
    /// The width of a column with no width of its own, in characters (8.43 when the sheet does not say).
    public var defaultColumnWidth = 8.43
    /// Heights of rows that have one (`<row ht>`), by row number.
    public var rowHeights: [Int: Double] = [:]
    /// Widths of columns that have one (`<col width>`), by column.
    public var columnWidths: [Int: Double] = [:]
    /// The merged ranges.
    public var merges: [MergedRange] = []
    /// The format index (`s`) of every cell that has one, by row number and column.
    public var cellFormats: [Int: [Int: Int]] = [:]

    /// A row's height: its own, or the default.
    public func height(ofRow row: Int) -> Double { rowHeights[row] ?? defaultRowHeight }

    /// A column's width: its own, or the default.
    public func width(ofColumn column: Int) -> Double { columnWidths[column] ?? defaultColumnWidth }

    /// The merged range a cell starts, if any.
    public func merge(startingAt row: Int, column: Int) -> MergedRange? {
        merges.first { $0.firstRow == row && $0.firstColumn == column }
    }
}

/// Reads a sheet part's layout: `sheetFormatPr`, `col`, `row`, `c` (its `s`) and `mergeCell`.
struct SheetLayoutHandler: XMLEventHandler {
    var layout = SheetLayout()
    private var row = 0
    private var nextColumn = 0

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        guard case .start(let element) = event else { return }
        switch element.name {
        case "sheetFormatPr":
            if let height = element.attribute("defaultRowHeight").flatMap(Double.init) { layout.defaultRowHeight = height }
            if let width = element.attribute("defaultColWidth").flatMap(Double.init) { layout.defaultColumnWidth = width }
        case "col":
            guard let min = element.attribute("min").flatMap(Int.init), let max = element.attribute("max").flatMap(Int.init),
                min >= 1, max >= min, max <= CellAddress.maxColumns
            else { return }
            let hidden = element.attribute("hidden") == "1" || element.attribute("hidden") == "true"
            guard let width = hidden ? 0 : element.attribute("width").flatMap(Double.init) else { return }
            for column in (min - 1)...(max - 1) { layout.columnWidths[column] = width }
        case "row":
            row = element.attribute("r").flatMap(Int.init) ?? row + 1
            nextColumn = 0
            if let height = element.attribute("ht").flatMap(Double.init) { layout.rowHeights[row] = height }
        case "c":
            let column = element.attribute("r").flatMap { CellAddress.parse($0)?.column } ?? nextColumn
            nextColumn = column + 1
            if let style = element.attribute("s").flatMap(Int.init) { layout.cellFormats[row, default: [:]][column] = style }
        case "mergeCell":
            guard let ref = element.attribute("ref") else { return }
            let corners = ref.split(separator: ":").map { CellAddress.parse(String($0)) }
            guard corners.count == 2, let first = corners[0], let last = corners[1], let r1 = first.row, let r2 = last.row
            else { return }
            layout.merges.append(MergedRange(firstRow: r1, firstColumn: first.column, lastRow: r2, lastColumn: last.column))
        default:
            break
        }
    }
}
