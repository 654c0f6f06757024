import Foundation
import XLSX
import XLSXReader

/// Checks a written workbook against the sizing rule: every cell whose format wraps text must sit in a row at
/// least as tall as ``TextFit/rowHeight(_:columnWidth:fontSize:bold:)`` says for its text, its column's width
/// (the merged columns' widths, for a merged cell) and its font, all read back from the file.
enum WrappedRowCheck {
    /// A wrapped cell whose row is too short for its text.
    struct ShortRow: CustomStringConvertible {
        var sheet: String
        var cell: String
        var text: String
        var height: Double
        var needed: Double

        var description: String { "\(sheet)!\(cell) is \(height) points high; \"\(text.prefix(60))\" needs \(needed)" }
    }

    /// What checking one workbook found.
    struct Result {
        /// Wrapped cells with text, checked.
        var checked = 0
        /// Those whose row is too short.
        var short: [ShortRow] = []
    }

    static func check(_ path: String) throws -> Result {
        let reader = try WorkbookReader(path: path)
        var result = Result()
        for sheet in reader.sheets {
            let layout = try reader.layout(of: sheet)
            var texts: [Int: [Int: String]] = [:]
            try reader.readRows(of: sheet) { row in
                for cell in row.cells {
                    if case .text(let text) = cell.content { texts[row.rowNumber, default: [:]][cell.column] = text }
                }
                return true
            }
            for (row, formats) in layout.cellFormats.sorted(by: { $0.key < $1.key }) {
                for (column, index) in formats.sorted(by: { $0.key < $1.key }) where index < reader.cellFormats.count {
                    let format = reader.cellFormats[index]
                    guard format.wrapsText, let text = texts[row]?[column], !text.isEmpty else { continue }
                    let merge = layout.merge(startingAt: row, column: column)
                    // A merge over several rows shares their heights; none is written by impact.
                    if let merge, merge.lastRow != merge.firstRow { continue }
                    let width = (column...(merge?.lastColumn ?? column)).reduce(0.0) { $0 + layout.width(ofColumn: $1) }
                    let needed = TextFit.rowHeight(text, columnWidth: width, fontSize: format.fontSize, bold: format.bold)
                    result.checked += 1
                    if layout.height(ofRow: row) + 1e-9 < needed {
                        result.short.append(
                            ShortRow(
                                sheet: sheet.name, cell: CellAddress.reference(column: column, row: row), text: text,
                                height: layout.height(ofRow: row), needed: needed))
                    }
                }
            }
        }
        return result
    }
}
