// MARK: - Rows sized from their wrapped text

/// Text written in a wrapping format: where it is, the columns it spans (more than one when merged) and its
/// font's size and weight, so that its row can be sized once the column widths are known.
struct WrappedText {
    var row: Int
    var columns: ClosedRange<Int>
    var text: String
    var fontSize: Double
    var bold: Bool
}

extension Worksheet {
    /// Remembers text written with a format that wraps, for ``fitRowsToWrappedText()``.
    func noteWrapped(_ text: String, row: Int, columns: ClosedRange<Int>, format: Format?) {
        guard let spec = format?.spec, spec.wrapText, !text.isEmpty else { return }
        wrappedText.append(
            WrappedText(
                row: row, columns: columns, text: text, fontSize: spec.fontSize ?? TextFit.defaultFontSize, bold: spec.bold))
    }

    /// The width of a column as set, or Excel's default.
    public func columnWidth(_ column: Int) -> Double { columnWidths[column] ?? TextFit.defaultColumnWidth }

    /// The height every row holding wrapped text needs (``TextFit/rowHeight(_:columnWidth:fontSize:)`` of
    /// each of its wrapped cells with the widths set now, the highest), by row; rows that need no more than
    /// the default height are left out.
    public func wrappedRowHeights() -> [Int: Double] {
        var needed: [Int: Double] = [:]
        for cell in wrappedText {
            let width = cell.columns.reduce(0.0) { $0 + columnWidth($1) }
            // Text in hidden columns is not shown.
            guard width > 0 else { continue }
            let height = TextFit.rowHeight(cell.text, columnWidth: width, fontSize: cell.fontSize, bold: cell.bold)
            if height > TextFit.defaultRowHeight { needed[cell.row] = max(needed[cell.row] ?? 0, height) }
        }
        return needed
    }

    /// Sets the height of every row holding text written with a wrapping format (cells, merged single-row
    /// ranges and table headers) from its text and its column's width, by ``TextFit``: the highest any of
    /// its wrapped cells needs, never lower than the default or than a height set before. Call it once the
    /// column widths are set; calling it again after more writes sizes the new rows too.
    public func fitRowsToWrappedText() throws {
        for (row, height) in wrappedRowHeights().sorted(by: { $0.key < $1.key }) where !hiddenRows.contains(row) {
            let current = rowHeights[row] ?? TextFit.defaultRowHeight
            if height > current { try setRowHeight(min(409, height), row: row) }
        }
    }
}
