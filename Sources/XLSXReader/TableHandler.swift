// MARK: - Tables

/// An Excel table (a ListObject) on a sheet.
public struct WorkbookTable: Sendable, Hashable {
    /// The table's `name`; the display name when the part gives no `name`.
    public var name: String
    /// The `displayName`, which formulas use (usually the same as the name); the name when the part gives no `displayName`.
    public var displayName: String
    /// The name of the sheet the table is on.
    public var sheet: String
    /// The 1-based first row of the table's range (its header row, when it has one), as Excel shows it.
    public var firstRow: Int
    /// The 0-based first column of the table's range (A is 0, as in ``SheetCell/column``).
    public var firstColumn: Int
    /// The 1-based last row of the table's range (its total row, when it has one).
    public var lastRow: Int
    /// The 0-based last column of the table's range.
    public var lastColumn: Int
    /// The header rows at the top of the range: 1 by default, 0 for a table without a header row.
    public var headerRowCount: Int
    /// The total rows at the bottom of the range: 0 by default. (`totalsRowShown` is a different thing: whether a
    /// total row was ever shown; it does not say one is there now.)
    public var totalsRowCount: Int
    /// The column names, left to right.
    public var columns: [String]

    /// Creates a table description.
    public init(
        name: String, displayName: String, sheet: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
        headerRowCount: Int = 1, totalsRowCount: Int = 0, columns: [String]
    ) {
        self.name = name
        self.displayName = displayName
        self.sheet = sheet
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
        self.headerRowCount = headerRowCount
        self.totalsRowCount = totalsRowCount
        self.columns = columns
    }
}

/// Reads a table part (`xl/tables/table1.xml`): the root `table` element's attributes and the
/// `tableColumn` names, nothing else.
struct TableHandler: XMLEventHandler {
    let part: String
    let sheet: String
    /// The table, once the root element has been read.
    private(set) var table: WorkbookTable?
    private var depth = 0
    private var inColumns = false

    init(part: String, sheet: String) {
        self.part = part
        self.sheet = sheet
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            depth += 1
            if depth == 1 {
                table = try makeTable(element)
            } else if depth == 2, element.name == "tableColumns" {
                inColumns = true
            } else if depth == 3, inColumns, element.name == "tableColumn" {
                // Columns cannot outnumber the grid's; the part's size limit bounds the names' length.
                guard table!.columns.count < CellAddress.maxColumns else {
                    throw .malformedPart(part: part, reason: "the table has more than \(CellAddress.maxColumns) columns")
                }
                table!.columns.append(OOXMLText.unescaped(element.attribute("name") ?? ""))
            }
        case .end(let name):
            if depth == 2, name == "tableColumns" { inColumns = false }
            depth -= 1
        case .text:
            break
        }
    }

    private func makeTable(_ element: XMLElementStart) throws(WorkbookReadError) -> WorkbookTable {
        guard element.name == "table" else {
            throw .malformedPart(part: part, reason: "it is not a table part (its root element is <\(element.name)>)")
        }
        guard let name = element.attribute("name") ?? element.attribute("displayName") else {
            throw .malformedPart(part: part, reason: "the table has no name")
        }
        let displayName = element.attribute("displayName") ?? name
        guard let ref = element.attribute("ref") else {
            throw .malformedPart(part: part, reason: "the table \"\(name)\" has no range (ref)")
        }
        guard let range = Self.parseRange(ref) else {
            throw .malformedPart(part: part, reason: "the range \"\(ref)\" of table \"\(name)\" is not a range of cells")
        }
        func count(_ attribute: String, default value: Int) throws(WorkbookReadError) -> Int {
            guard let text = element.attribute(attribute) else { return value }
            guard let number = Int(text), number >= 0, number <= CellAddress.maxRows else {
                throw .malformedPart(part: part, reason: "the \(attribute) \"\(text)\" of table \"\(name)\" is not a count of rows")
            }
            return number
        }
        return WorkbookTable(
            name: name, displayName: displayName, sheet: sheet, firstRow: range.firstRow, firstColumn: range.firstColumn,
            lastRow: range.lastRow, lastColumn: range.lastColumn, headerRowCount: try count("headerRowCount", default: 1),
            totalsRowCount: try count("totalsRowCount", default: 0), columns: [])
    }

    /// An `A1:C5` range (or one cell, `A1`), corners in either order, as 1-based rows and 0-based columns; nil
    /// when it is not a range of whole cells within the grid.
    static func parseRange(_ ref: String) -> (firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int)? {
        let corners = ref.split(separator: ":", omittingEmptySubsequences: false)
        guard corners.count == 1 || corners.count == 2 else { return nil }
        guard let first = CellAddress.parse(String(corners[0])), let firstRow = first.row,
            let last = CellAddress.parse(String(corners[corners.count - 1])), let lastRow = last.row
        else { return nil }
        return (min(firstRow, lastRow), min(first.column, last.column), max(firstRow, lastRow), max(first.column, last.column))
    }
}

// MARK: - Escaped text

/// Office Open XML's escapes for characters XML cannot carry (ST_Xstring): `_xHHHH_` stands for the UTF-16
/// code unit HHHH, so a line break in a name is `_x000A_` and a literal `_x` is written `_x005F_x`.
enum OOXMLText {
    /// The text with every `_xHHHH_` replaced by its character; an escape that names no character (a lone
    /// surrogate) is left as written.
    static func unescaped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard let unit = codeUnit(bytes, at: index) else {
                result.append(bytes[index])
                index += 1
                continue
            }
            if UTF16.isLeadSurrogate(unit), let trail = codeUnit(bytes, at: index + 7), UTF16.isTrailSurrogate(trail) {
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
                if let scalar = Unicode.Scalar(value) { UTF8.encode(scalar) { result.append($0) } }
                index += 14
            } else if let scalar = Unicode.Scalar(unit) {
                UTF8.encode(scalar) { result.append($0) }
                index += 7
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The code unit of an escape `_xHHHH_` starting at `index`, if one starts there.
    private static func codeUnit(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 7 <= bytes.count, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
            bytes[index + 6] == UInt8(ascii: "_")
        else { return nil }
        var value: UInt16 = 0
        for byte in bytes[(index + 2)..<(index + 6)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
