import Foundation
import TestSupport
import Testing
import XLSX

@testable import XLSXReader

@Suite("Reading a sheet's layout")
struct SheetLayoutTests {
    @Test("row heights, column widths, merged ranges and each cell's wrap, size and weight read back")
    func layoutRoundTrip() throws {
        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("layout.xlsx")
        let book = try Workbook(path: path, options: WorkbookOptions(created: Date(timeIntervalSince1970: 0)))
        let sheet = try book.addWorksheet(name: "Cover")
        let wrap = try book.addFormat(FormatSpec(wrapText: true))
        let title = try book.addFormat(FormatSpec(bold: true, fontSize: 15, wrapText: true))
        try sheet.setColumnWidth(20, column: 0)
        try sheet.setColumnWidth(12.5, columns: 2...3)
        try sheet.merge(CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 3), string: "A title", format: title)
        try sheet.write(string: "Wrapped text", row: 2, column: 1, format: wrap)
        try sheet.write(string: "Plain", row: 3, column: 0)
        try sheet.setRowHeight(45, row: 2)
        try book.close()

        let reader = try WorkbookReader(path: path)
        let layout = try reader.layout(of: reader.sheets[0])
        #expect(layout.defaultRowHeight == 15)
        // libxlsxwriter stores widths with Excel's padding added (20 → 20.7109375).
        #expect((20...21).contains(layout.width(ofColumn: 0)))
        #expect((12.5...13.5).contains(layout.width(ofColumn: 3)))
        #expect(layout.width(ofColumn: 1) == layout.defaultColumnWidth)
        #expect(layout.height(ofRow: 3) == 45)
        #expect(layout.height(ofRow: 4) == 15)
        #expect(layout.merges == [MergedRange(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 3)])
        #expect(layout.merge(startingAt: 1, column: 0) != nil)
        let titleFormat = try #require(layout.cellFormats[1]?[0].map { reader.cellFormats[$0] })
        #expect(titleFormat == CellFormatLayout(wrapsText: true, fontSize: 15, bold: true))
        let wrapped = try #require(layout.cellFormats[3]?[1].map { reader.cellFormats[$0] })
        #expect(wrapped == CellFormatLayout(wrapsText: true, fontSize: 11, bold: false))
        #expect(layout.cellFormats[4]?[0].map { reader.cellFormats[$0].wrapsText } != true)
    }

    @Test("hand-made parts: hidden columns, rows without numbers, defaults from sheetFormatPr")
    func handMade() throws {
        let folder = TemporaryFolder()
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetFormatPr defaultRowHeight="16.5" defaultColWidth="10"/>\
            <cols><col min="2" max="4" width="7" customWidth="1"/><col min="5" max="5" width="9" hidden="1"/></cols>\
            <sheetData><row ht="30" customHeight="1"><c s="1"><v>1</v></c><c r="C1"/></row><row><c s="0"/></row></sheetData>\
            <mergeCells count="1"><mergeCell ref="A5:B6"/></mergeCells></worksheet>
            """
        let path = try PackageBuilder.write(PackageBuilder.parts(sheets: [("s", sheet)]), in: folder, name: "hand.xlsx")
        let reader = try WorkbookReader(path: path)
        let layout = try reader.layout(of: reader.sheets[0])
        #expect(layout.defaultRowHeight == 16.5)
        #expect(layout.width(ofColumn: 0) == 10)
        #expect((1...3).map(layout.width(ofColumn:)) == [7, 7, 7])
        #expect(layout.width(ofColumn: 4) == 0)
        #expect(layout.rowHeights == [1: 30])
        #expect(layout.cellFormats == [1: [0: 1], 2: [0: 0]])
        #expect(layout.merges == [MergedRange(firstRow: 5, firstColumn: 0, lastRow: 6, lastColumn: 1)])
    }
}
