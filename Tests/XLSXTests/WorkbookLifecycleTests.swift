import Foundation
import TestSupport
import Testing

@testable import XLSX

@Suite("Workbook lifecycle, reproducibility and errors")
struct WorkbookLifecycleTests {
    /// A workbook that uses most features, so that reproducibility covers them all.
    private func buildReport(_ book: Workbook) throws {
        book.properties = DocumentProperties(
            title: "Quarterly impact 2026-Q2", subject: "Funder workbook",
            author: "impact", company: "The Alliance", keywords: "impact, quarterly",
            comments: "Generated from partners' returns")
        let summary = try book.addWorksheet(name: "Summary")
        let partners = try book.addWorksheet(name: "Partners")
        let money = try book.addFormat(FormatSpec(numberFormat: "£#,##0.00"))
        let header = try book.addFormat(FormatSpec(bold: true, fillColor: Color(rgb: 0xDDEBF7), border: .thin))
        try partners.write(string: "Partner", row: 0, column: 0, format: header)
        try partners.write(string: "Spend", row: 0, column: 1, format: header)
        for i in 1...6 {
            try partners.write(string: "Partner \(i)", row: i, column: 0)
            try partners.write(number: Double(i) * 1234.5, row: i, column: 1, format: money)
            try partners.write(date: try ExcelDate(year: 2026, month: 6, day: i), row: i, column: 2)
        }
        try partners.addTable(
            CellRange(firstRow: 0, firstColumn: 0, lastRow: 6, lastColumn: 2),
            options: TableOptions(columns: [
                TableColumn(header: "Partner"), TableColumn(header: "Spend"),
                TableColumn(header: "Submitted"),
            ]))
        try partners.freezePanes(row: 1, column: 0)
        try partners.writeComment("Includes discretionary spend", row: 0, column: 1)
        let chart = try book.addChart(.bar)
        try chart.addSeries(
            ChartSeries(
                values: SheetRange(sheet: "Partners", firstRow: 1, firstColumn: 1, lastRow: 6, lastColumn: 1),
                categories: SheetRange(sheet: "Partners", firstRow: 1, firstColumn: 0, lastRow: 6, lastColumn: 0),
                name: "Spend"))
        try summary.insertChart(chart, row: 1, column: 1)
        try summary.write(url: .cell(sheet: "Partners", cell: CellReference(row: 0, column: 0)), text: "Partners", row: 0, column: 0)
    }

    @Test("Document properties reach docProps/core.xml and docProps/app.xml")
    func documentProperties() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { try buildReport($0) }
        let core = try package.xml("docProps/core.xml")
        #expect(core.contains("<dc:title>Quarterly impact 2026-Q2</dc:title>"))
        #expect(core.contains("<dc:subject>Funder workbook</dc:subject>"))
        #expect(core.contains("<dc:creator>impact</dc:creator>"))
        #expect(core.contains("<cp:keywords>impact, quarterly</cp:keywords>"))
        #expect(
            core.contains("<dc:description>Generated from partners&apos; returns</dc:description>")
                || core.contains("<dc:description>Generated from partners' returns</dc:description>"))
        #expect(core.contains(#"<dcterms:created xsi:type="dcterms:W3CDTF">2026-07-01T09:30:00Z</dcterms:created>"#))
        #expect(core.contains(#"<dcterms:modified xsi:type="dcterms:W3CDTF">2026-07-01T09:30:00Z</dcterms:modified>"#))
        #expect(try package.xml("docProps/app.xml").contains("<Company>The Alliance</Company>"))
    }

    @Test("Identical inputs with the same created date give byte-identical files")
    func reproducible() throws {
        let one = TemporaryFolder()
        let two = TemporaryFolder()
        let a = try writeWorkbook(in: one, name: "programme.xlsx") { try buildReport($0) }
        let b = try writeWorkbook(in: two, name: "funder.xlsx") { try buildReport($0) }
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a.path))
        let bytesB = try Data(contentsOf: URL(fileURLWithPath: b.path))
        #expect(bytesA.count > 5_000)
        #expect(bytesA == bytesB)
    }

    @Test("A different created date changes the bytes (so the comparison above can fail)")
    func createdMatters() throws {
        let folder = TemporaryFolder()
        let a = try writeWorkbook(in: folder, name: "a.xlsx") { try buildReport($0) }
        let later = WorkbookOptions(created: fixedCreated.addingTimeInterval(86_400))
        let b = try writeWorkbook(in: folder, name: "b.xlsx", options: later) { try buildReport($0) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.path)) != Data(contentsOf: URL(fileURLWithPath: b.path)))
    }

    @Test("SOURCE_DATE_EPOCH is read as a creation date")
    func sourceDateEpoch() {
        #expect(WorkbookOptions.sourceDateEpoch(environment: ["SOURCE_DATE_EPOCH": "1782898200"]) == fixedCreated)
        #expect(WorkbookOptions.sourceDateEpoch(environment: ["SOURCE_DATE_EPOCH": "soon"]) == nil)
        #expect(WorkbookOptions.sourceDateEpoch(environment: [:]) == nil)
    }

    @Test("A workbook released without close() leaves nothing behind")
    func releasedWithoutClose() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/never.xlsx"
        var sheet: Worksheet?
        do {
            let book = try Workbook(path: path)
            try buildReport(book)
            sheet = book.worksheets.first
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(filesIn(folder.path).isEmpty, "left behind: \(filesIn(folder.path))")
        // A sheet that outlives its workbook refuses to work instead of touching freed memory.
        let error = #expect(throws: XLSXError.self) { try sheet?.write(string: "late", row: 0, column: 0) }
        #expect(error == .workbookClosed(path: path))
    }

    @Test("close() writes only the destination: no temporary file stays in the folder")
    func closeLeavesOnlyTheFile() throws {
        let folder = TemporaryFolder()
        _ = try writeWorkbook(in: folder, name: "out.xlsx") { try buildReport($0) }
        #expect(filesIn(folder.path) == ["out.xlsx"])
    }

    @Test("A closed workbook refuses more work, and close() twice is an error")
    func closedWorkbook() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/closed.xlsx"
        let book = try Workbook(path: path)
        let sheet = try book.addWorksheet(name: "Summary")
        try book.close()
        #expect(book.isClosed)
        #expect(throws: XLSXError.workbookClosed(path: path)) { try book.close() }
        #expect(throws: XLSXError.workbookClosed(path: path)) { try book.addWorksheet(name: "More") }
        #expect(throws: XLSXError.workbookClosed(path: path)) { try sheet.write(number: 1, row: 0, column: 0) }
        #expect(throws: XLSXError.workbookClosed(path: path)) { try book.addFormat(FormatSpec(bold: true)) }
    }

    @Test("Writing into a folder that does not exist is an error naming the path")
    func missingFolder() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/no/such/folder/book.xlsx"
        let error = #expect(throws: XLSXError.self) { try Workbook(path: path) }
        #expect(error == .folderNotFound(path: path))
        #expect(error?.description.contains(folder.path + "/no/such/folder") == true)
    }

    @Test("A folder removed before close() gives a libxlsxwriter error naming the path, and no crash")
    func folderRemovedBeforeClose() throws {
        let folder = TemporaryFolder()
        let sub = folder.path + "/out"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let path = sub + "/book.xlsx"
        let book = try Workbook(path: path)
        try book.addWorksheet(name: "Summary").write(string: "x", row: 0, column: 0)
        try FileManager.default.removeItem(atPath: sub)
        let error = #expect(throws: XLSXError.self) { try book.close() }
        guard case .libraryError(let code, let message, let operation, _, _)? = error else {
            Issue.record("expected a libxlsxwriter error, got \(String(describing: error))")
            return
        }
        #expect(code == 2)
        #expect(message.contains("Error creating output xlsx file"))
        #expect(operation.contains(path))
        #expect(book.isClosed)
    }

    @Test("An existing file is replaced only by a complete new one")
    func atomicReplace() throws {
        let folder = TemporaryFolder()
        let path = folder.write("report.xlsx", text: "previous version")
        let book = try Workbook(path: path)
        let hidden = try book.addWorksheet(name: "Only")
        try hidden.hide()
        #expect(throws: XLSXError.self) { try book.close() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous version")

        let good = try writeWorkbook(in: folder, name: "report.xlsx") { try buildReport($0) }
        #expect(try good.partNames().contains("xl/workbook.xml"))
        #expect(filesIn(folder.path) == ["report.xlsx"])
    }

    @Test(
        "Invalid sheet names are refused with the reason",
        arguments: [
            ("", "empty"),
            ("A name that is far too long for Excel", "31"),
            ("Q2/2026", "\"/\""),
            ("Q2:2026", "\":\""),
            ("[Draft]", "\"[\""),
            ("What?", "\"?\""),
            ("Star*", "\"*\""),
            ("Back\\slash", "\"\\\""),
            ("'Quoted'", "apostrophe"),
            ("history", "reserves"),
            ("Tab\tName", "control"),
        ])
    func invalidSheetNames(name: String, reason: String) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/names.xlsx")
        let error = #expect(throws: XLSXError.self) { try book.addWorksheet(name: name) }
        guard case .invalidSheetName(let reported, _)? = error else {
            Issue.record("expected invalidSheetName, got \(String(describing: error))")
            return
        }
        #expect(reported == name)
        #expect(error?.description.contains("\"\(name)\"") == true)
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        #expect(book.worksheets.isEmpty)
    }

    @Test("Sheet names of 31 characters, with spaces and accents, are fine")
    func validSheetNames() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/names.xlsx")
        try book.addWorksheet(name: String(repeating: "x", count: 31))
        try book.addWorksheet(name: "Données & résultats (Q2)")
        #expect(book.worksheets.count == 2)
        #expect(book.worksheet(named: "DONNÉES & RÉSULTATS (Q2)")?.index == 1)
    }

    @Test("Duplicate sheet names are refused, ignoring case")
    func duplicateSheetNames() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/dup.xlsx")
        try book.addWorksheet(name: "Summary")
        #expect(throws: XLSXError.duplicateSheetName("Summary", existing: "Summary")) { try book.addWorksheet(name: "Summary") }
        let error = #expect(throws: XLSXError.self) { try book.addWorksheet(name: "SUMMARY") }
        #expect(
            error?.description
                == "a worksheet named \"SUMMARY\" clashes with the existing worksheet \"Summary\" (Excel ignores case in sheet names).")
    }

    @Test(
        "Cells outside Excel's grid are refused, naming sheet and cell",
        arguments: [
            (1_048_576, 0, "A1048577"), (0, 16_384, "XFE1"), (2_000_000, 20_000, "ACOG2000001"), (-1, 0, "row index -1"),
        ])
    func outOfGrid(row: Int, column: Int, named: String) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/grid.xlsx")
        let sheet = try book.addWorksheet(name: "Partners")
        let error = #expect(throws: XLSXError.self) { try sheet.write(string: "x", row: row, column: column) }
        #expect(error == .cellOutOfRange(sheet: "Partners", row: row, column: column))
        #expect(error?.description.contains(named) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\"Partners\"") == true)
        #expect(throws: XLSXError.self) { try sheet.write(number: 1, row: row, column: column) }
        #expect(throws: XLSXError.self) { try sheet.write(date: try ExcelDate(year: 2026, month: 1, day: 1), row: row, column: column) }
        #expect(throws: XLSXError.self) { try sheet.freezePanes(row: row, column: column) }
        // The last cell of the grid is fine.
        try sheet.write(string: "corner", row: 1_048_575, column: 16_383)
    }

    @Test("Numbers Excel cannot store are refused", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/n.xlsx")
        let sheet = try book.addWorksheet(name: "Figures")
        let error = #expect(throws: XLSXError.self) { try sheet.write(number: value, row: 2, column: 3) }
        #expect(error?.description.contains("D3") == true)
    }

    @Test("Formats and charts from another workbook are refused")
    func foreignObjects() throws {
        let folder = TemporaryFolder()
        let first = try Workbook(path: folder.path + "/one.xlsx")
        let second = try Workbook(path: folder.path + "/two.xlsx")
        let format = try first.addFormat(FormatSpec(bold: true))
        let sheet = try second.addWorksheet(name: "Summary")
        try sheet.write(number: 1, row: 0, column: 0)
        let error = #expect(throws: XLSXError.self) { try sheet.write(string: "x", row: 0, column: 1, format: format) }
        #expect(error == .foreignObject(kind: "format", context: "write(string:) at B1 on sheet \"Summary\""))
        let chart = try first.addChart(.column)
        try first.addWorksheet(name: "Summary")
        try chart.addSeries(ChartSeries(values: SheetRange(sheet: "Summary", firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 0)))
        #expect(throws: XLSXError.self) { try sheet.insertChart(chart, row: 2, column: 2) }
    }

    @Test("Merges must cover several cells and must not overlap")
    func mergeErrors() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/m.xlsx")
        let sheet = try book.addWorksheet(name: "Layout")
        try sheet.merge(CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 3), string: "Title")
        #expect(throws: XLSXError.invalidRange(sheet: "Layout", range: "F1", reason: "a merge needs more than one cell")) {
            try sheet.merge(CellRange(CellReference(row: 0, column: 5)))
        }
        #expect(throws: XLSXError.overlappingRange(sheet: "Layout", range: "C1:E2", existing: "A1:D1", kind: "merged range")) {
            try sheet.merge(CellRange(firstRow: 0, firstColumn: 2, lastRow: 1, lastColumn: 4))
        }
        #expect(throws: XLSXError.self) { try sheet.merge(CellRange(firstRow: 5, firstColumn: 5, lastRow: 4, lastColumn: 6)) }
    }

    @Test("libxlsxwriter error codes become errors with its own message")
    func libraryErrorMessage() {
        let error = XLSXError.libraryError(
            code: 13, message: "Function parameter validation error.",
            operation: "worksheet_add_table", sheet: "Partners", cell: "A1:C5")
        #expect(
            error.description
                == "libxlsxwriter error 13 in worksheet_add_table on sheet \"Partners\" at A1:C5: Function parameter validation error.")
    }
}
