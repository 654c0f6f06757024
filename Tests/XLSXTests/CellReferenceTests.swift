import Testing

@testable import XLSX

@Suite("Cell references and sheet-name quoting")
struct CellReferenceTests {
    @Test(
        "A1 notation from zero-based row and column",
        arguments: [
            (0, 0, "A1"), (13, 9, "J14"), (0, 25, "Z1"), (0, 26, "AA1"), (4, 51, "AZ5"), (0, 52, "BA1"),
            (0, 701, "ZZ1"), (0, 702, "AAA1"), (0, 16_383, "XFD1"), (1_048_575, 0, "A1048576"),
        ])
    func a1(row: Int, column: Int, expected: String) {
        let cell = CellReference(row: row, column: column)
        #expect(cell.a1 == expected)
        #expect(CellReference(a1: expected) == cell)
        #expect(cell.isInExcelGrid)
    }

    @Test("Column letters round-trip for every column Excel has")
    func columnLettersRoundTrip() {
        for column in 0..<CellReference.maxColumns {
            let letters = CellReference.columnLetters(column)
            #expect(CellReference.columnIndex(letters) == column, "column \(column) → \(letters)")
        }
        #expect(CellReference.columnLetters(-1) == "?")
    }

    @Test("Absolute references and ranges")
    func absolute() {
        #expect(CellReference(row: 13, column: 9).absoluteA1 == "$J$14")
        let range = CellRange(firstRow: 1, firstColumn: 0, lastRow: 4, lastColumn: 0)
        #expect(range.a1 == "A2:A5")
        #expect(range.absoluteA1 == "$A$2:$A$5")
        #expect(range.rowCount == 4 && range.columnCount == 1)
        #expect(CellRange(CellReference(row: 0, column: 0)).a1 == "A1")
        #expect(CellRange(a1: "$B$2:D10") == CellRange(firstRow: 1, firstColumn: 1, lastRow: 9, lastColumn: 3))
    }

    @Test(
        "Text that is not a cell inside the grid does not parse",
        arguments: [
            "", "A", "12", "A0", "XFE1", "A1048577", "1A", "A1B", "A-1", "Ä1",
        ])
    func notCells(text: String) {
        #expect(CellReference(a1: text) == nil)
    }

    @Test("Overlap between ranges")
    func overlap() throws {
        let a = try #require(CellRange(a1: "B2:D4"))
        #expect(a.overlaps(try #require(CellRange(a1: "D4:E5"))))
        #expect(!a.overlaps(try #require(CellRange(a1: "E1:E9"))))
        #expect(a.contains(CellReference(row: 2, column: 2)))
    }

    @Test(
        "Sheet names are quoted only when Excel needs it",
        arguments: [
            ("Summary", "Summary"),
            ("Data_2026.Q2", "Data_2026.Q2"),
            ("Data quality", "'Data quality'"),
            ("Bob's partners", "'Bob''s partners'"),
            ("2026", "'2026'"),
            ("A1", "'A1'"),
            ("XFD99", "'XFD99'"),
            ("R1C1", "'R1C1'"),
            ("R", "'R'"),
            ("c3", "'c3'"),
            ("Résumé", "'Résumé'"),
            ("Q2-2026", "'Q2-2026'"),
            ("TRUE", "'TRUE'"),
        ])
    func quoting(name: String, expected: String) {
        #expect(SheetRange.quotedSheetName(name) == expected)
    }

    @Test("A sheet range renders as a formula")
    func sheetRangeFormula() {
        let range = SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 0, lastRow: 4, lastColumn: 0)
        #expect(range.formula == "=Summary!$A$2:$A$5")
        #expect(
            SheetRange(sheet: "Data quality", firstRow: 0, firstColumn: 1, lastRow: 0, lastColumn: 1).reference
                == "'Data quality'!$B$1")
    }
}
