import Foundation
import TestSupport
import Testing

@testable import XLSX

@Suite("Tables, validation, conditional formats and sheet settings")
struct SheetFeatureTests {
    /// A small partners table on "Partners" at A1:C4 plus a total row at row 5.
    private func partnersTable(_ book: Workbook, options: TableOptions) throws -> Worksheet {
        let sheet = try book.addWorksheet(name: "Partners")
        let rows: [(String, Double)] = [("North Hub", 12), ("=Quay Trust", 7), ("Hill Project", 30)]
        for (i, row) in rows.enumerated() {
            try sheet.write(string: row.0, row: i + 1, column: 0)
            try sheet.write(number: row.1, row: i + 1, column: 1)
            try sheet.write(number: row.1 * 10, row: i + 1, column: 2)
        }
        try sheet.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 4, lastColumn: 2), options: options)
        return sheet
    }

    @Test("A table's range, headers, style and total row")
    func table() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let money = try book.addFormat(FormatSpec(numberFormat: "£#,##0"))
            _ = try partnersTable(
                book,
                options: TableOptions(
                    name: "PartnerTotals",
                    columns: [
                        TableColumn(header: "Partner", total: .label("Total")),
                        TableColumn(header: "People", total: .function(.sum)),
                        TableColumn(header: "Spend", format: money, total: .function(.sum)),
                    ],
                    style: .light(9), totalRow: true))
        }
        let table = try package.xml("xl/tables/table1.xml")
        #expect(table.contains(#"name="PartnerTotals" displayName="PartnerTotals" ref="A1:C5" totalsRowCount="1""#))
        #expect(table.contains(#"<autoFilter ref="A1:C4"/>"#))
        #expect(table.contains(#"<tableColumn id="1" name="Partner" totalsRowLabel="Total"/>"#))
        #expect(table.contains(#"<tableColumn id="2" name="People" totalsRowFunction="sum"/>"#))
        #expect(table.contains(#"name="TableStyleLight9""#))
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<f>SUBTOTAL(109,PartnerTotals[People])</f>") || sheet.contains("<f>SUBTOTAL(109,[People])</f>"))
        #expect(sheet.contains(#"<tablePart r:id="rId1"/>"#))
        // The partner called "=Quay Trust" is still text inside the table.
        #expect(try package.xml("xl/sharedStrings.xml").contains("<t>=Quay Trust</t>"))
    }

    @Test("Tables refuse bad columns, names and overlaps")
    func tableErrors() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/t.xlsx")
        let sheet = try partnersTable(book, options: TableOptions(name: "First"))
        let other = CellRange(firstRow: 10, firstColumn: 0, lastRow: 12, lastColumn: 1)
        let wrongCount = #expect(throws: XLSXError.self) {
            try sheet.addTable(other, options: TableOptions(columns: [TableColumn(header: "Only one")]))
        }
        #expect(wrongCount?.description.contains("2 columns") == true)
        let duplicate = #expect(throws: XLSXError.self) {
            try sheet.addTable(other, options: TableOptions(columns: [TableColumn(header: "Name"), TableColumn(header: "name")]))
        }
        #expect(duplicate?.description.contains("\"name\"") == true)
        #expect(throws: XLSXError.invalidName(kind: "table name", name: "first", reason: "another table already has it")) {
            try sheet.addTable(other, options: TableOptions(name: "first"))
        }
        #expect(throws: XLSXError.self) { try sheet.addTable(other, options: TableOptions(name: "A1")) }
        #expect(throws: XLSXError.self) { try sheet.addTable(other, options: TableOptions(name: "Has space")) }
        let overlap = #expect(throws: XLSXError.self) {
            try sheet.addTable(CellRange(firstRow: 3, firstColumn: 2, lastRow: 8, lastColumn: 3))
        }
        #expect(overlap == .overlappingRange(sheet: "Partners", range: "C4:D9", existing: "A1:C5", kind: "table"))
        #expect(throws: XLSXError.self) { try sheet.merge(CellRange(firstRow: 4, firstColumn: 2, lastRow: 4, lastColumn: 4)) }
        #expect(throws: XLSXError.self) { try sheet.addTable(CellRange(firstRow: 20, firstColumn: 0, lastRow: 20, lastColumn: 1)) }
    }

    @Test("Data validation: lists, ranges, numbers, dates, text length, custom; messages and blanks")
    func dataValidation() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Return")
            let lists = try book.addWorksheet(name: "Lists")
            try lists.write(string: "counselling", row: 0, column: 0)
            try lists.hide()
            try sheet.addDataValidation(
                DataValidation(
                    .list(["active", "paused", "ended"]), inputTitle: "Support status", inputMessage: "Pick one",
                    errorTitle: "Not a status", errorMessage: "Use active, paused or ended"),
                to: CellRange(firstRow: 1, firstColumn: 0, lastRow: 99, lastColumn: 0))
            try sheet.addDataValidation(
                DataValidation(
                    .listFromRange(
                        SheetRange(
                            sheet: "Lists", firstRow: 0, firstColumn: 0,
                            lastRow: 7, lastColumn: 0))),
                to: CellRange(firstRow: 1, firstColumn: 1, lastRow: 99, lastColumn: 1))
            try sheet.addDataValidation(
                DataValidation(.wholeNumber(.between(0, 52)), ignoreBlank: false),
                to: CellRange(firstRow: 1, firstColumn: 2, lastRow: 99, lastColumn: 2))
            try sheet.addDataValidation(
                DataValidation(.decimal(.greaterThanOrEqualTo(0)), errorStyle: .warning),
                to: CellRange(firstRow: 1, firstColumn: 3, lastRow: 99, lastColumn: 3))
            try sheet.addDataValidation(
                DataValidation(
                    .date(
                        .between(
                            try ExcelDate(year: 2026, month: 4, day: 1),
                            try ExcelDate(year: 2026, month: 6, day: 30)))),
                to: CellRange(firstRow: 1, firstColumn: 4, lastRow: 99, lastColumn: 4))
            try sheet.addDataValidation(
                DataValidation(.textLength(.lessThanOrEqualTo(12))),
                to: CellRange(firstRow: 1, firstColumn: 5, lastRow: 99, lastColumn: 5))
            try sheet.addDataValidation(
                DataValidation(.custom(formula: "=ISNUMBER(G2)")),
                to: CellRange(firstRow: 1, firstColumn: 6, lastRow: 99, lastColumn: 6))
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(xml.contains(#"<dataValidations count="7">"#))
        #expect(
            xml.contains(
                #"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="Not a status" error="Use active, paused or ended" promptTitle="Support status" prompt="Pick one" sqref="A2:A100"><formula1>"active,paused,ended"</formula1></dataValidation>"#
            ))
        #expect(xml.contains(#"sqref="B2:B100"><formula1>Lists!$A$1:$A$8</formula1>"#))
        #expect(
            xml.contains(
                #"<dataValidation type="whole" showInputMessage="1" showErrorMessage="1" sqref="C2:C100"><formula1>0</formula1><formula2>52</formula2>"#
            ))
        #expect(xml.contains(#"<dataValidation type="decimal" operator="greaterThanOrEqual" errorStyle="warning""#))
        #expect(
            xml.contains(
                #"<dataValidation type="date" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="E2:E100"><formula1>46113</formula1><formula2>46203</formula2>"#
            ))
        #expect(xml.contains(#"<dataValidation type="textLength" operator="lessThanOrEqual""#))
        #expect(xml.contains(#"sqref="G2:G100"><formula1>ISNUMBER(G2)</formula1>"#))
    }

    @Test("Validation lists and messages beyond Excel's limits are refused")
    func dataValidationLimits() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/v.xlsx")
        let sheet = try book.addWorksheet(name: "Return")
        let range = CellRange(firstRow: 1, firstColumn: 0, lastRow: 9, lastColumn: 0)
        #expect(throws: XLSXError.self) { try sheet.addDataValidation(DataValidation(.list(["a,b"])), to: range) }
        #expect(throws: XLSXError.self) { try sheet.addDataValidation(DataValidation(.list([])), to: range) }
        let long = (1...60).map { "value\($0)" }
        let tooLong = #expect(throws: XLSXError.self) { try sheet.addDataValidation(DataValidation(.list(long)), to: range) }
        #expect(tooLong?.description.contains("255") == true)
        #expect(throws: XLSXError.self) {
            try sheet.addDataValidation(DataValidation(.any, inputTitle: String(repeating: "t", count: 33)), to: range)
        }
        #expect(throws: XLSXError.unknownSheet("Nowhere", context: "data validation on A2:A10")) {
            try sheet.addDataValidation(
                DataValidation(
                    .listFromRange(
                        SheetRange(
                            sheet: "Nowhere", firstRow: 0, firstColumn: 0,
                            lastRow: 1, lastColumn: 0))), to: range)
        }
    }

    @Test("Conditional formats: cell values, text, blanks, formulas, scales")
    func conditionalFormats() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Outcomes")
            let red = try book.addFormat(FormatSpec(fontColor: .red, fillColor: Color(rgb: 0xFFC7CE)))
            let grey = try book.addFormat(FormatSpec(fillColor: .gray))
            let range = CellRange(firstRow: 1, firstColumn: 1, lastRow: 20, lastColumn: 1)
            try sheet.addConditionalFormat(ConditionalFormat(.cellValue(.lessThan(.number(0.5))), format: red), to: range)
            try sheet.addConditionalFormat(ConditionalFormat(.cellValue(.between(.number(1), .number(4))), format: red), to: range)
            try sheet.addConditionalFormat(
                ConditionalFormat(.cellValue(.equalTo(.text("<5"))), format: grey),
                to: CellRange(firstRow: 1, firstColumn: 2, lastRow: 20, lastColumn: 2))
            try sheet.addConditionalFormat(
                ConditionalFormat(.blanks, format: grey),
                to: CellRange(firstRow: 1, firstColumn: 3, lastRow: 20, lastColumn: 3))
            try sheet.addConditionalFormat(
                ConditionalFormat(.formula("=$B2<$C2"), format: red, stopIfTrue: true),
                to: CellRange(firstRow: 1, firstColumn: 0, lastRow: 20, lastColumn: 0))
            try sheet.addConditionalFormat(
                ConditionalFormat(.twoColorScale(min: .white, max: .green)),
                to: CellRange(firstRow: 1, firstColumn: 4, lastRow: 20, lastColumn: 4))
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(
            xml.contains(
                #"<conditionalFormatting sqref="B2:B21"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0.5</formula></cfRule>"#
            ))
        #expect(xml.contains(#"operator="between"><formula>1</formula><formula>4</formula></cfRule>"#))
        #expect(
            xml.contains(
                #"<conditionalFormatting sqref="C2:C21"><cfRule type="cellIs" dxfId="1" priority="3" operator="equal"><formula>"&lt;5"</formula>"#
            ))
        #expect(xml.contains(#"<cfRule type="containsBlanks" dxfId="1" priority="4"><formula>LEN(TRIM(D2))=0</formula></cfRule>"#))
        #expect(xml.contains(#"<cfRule type="expression" dxfId="0" priority="5" stopIfTrue="1"><formula>$B2&lt;$C2</formula></cfRule>"#))
        #expect(xml.contains(#"<cfRule type="colorScale" priority="6">"#))
        let styles = try package.xml("xl/styles.xml")
        #expect(styles.contains(#"<dxfs count="2">"#))
    }

    @Test("Conditional formats that need a format refuse to go without one")
    func conditionalFormatNeedsFormat() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/c.xlsx")
        let sheet = try book.addWorksheet(name: "Outcomes")
        #expect(throws: XLSXError.self) {
            try sheet.addConditionalFormat(
                ConditionalFormat(.noBlanks), to: CellRange(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0))
        }
    }

    @Test("Freeze panes, autofilter, gridlines, tab colour, zoom")
    func sheetView() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Partners")
            try sheet.write(string: "Partner", row: 0, column: 0)
            try sheet.freezePanes(row: 1, column: 1)
            try sheet.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: 30, lastColumn: 4))
            try sheet.hideGridlines()
            try sheet.setTabColor(Color(hex: "1F4E79")!)
            try sheet.setZoom(90)
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(xml.contains(#"<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>"#))
        #expect(xml.contains(#"<autoFilter ref="A1:E31"/>"#))
        #expect(xml.contains(#"showGridLines="0""#))
        #expect(xml.contains(#"zoomScale="90""#))
        #expect(xml.contains(#"<tabColor rgb="FF1F4E79"/>"#))
        let workbook = try package.xml("xl/workbook.xml")
        #expect(
            workbook.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Partners!$A$1:$E$31</definedName>"#))
    }

    @Test("Protection locks the sheet and keeps unlocked cells editable")
    func protection() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Return")
            let editable = try book.addFormat(FormatSpec(locked: false))
            try sheet.write(string: "", row: 1, column: 1, format: editable)
            var allowed = SheetProtection()
            allowed.formatColumns = true
            allowed.sort = true
            try sheet.protect(password: "quarter", allowing: allowed)
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(xml.contains(#"<sheetProtection password="#))
        #expect(xml.contains(#"sheet="1" objects="1" scenarios="1" formatColumns="0" sort="0"/>"#))
        #expect(try package.xml("xl/styles.xml").contains(#"<protection locked="0"/>"#))
    }

    @Test("Print setup: landscape, fit to width, repeated header row, paper, margins, header and footer")
    func printSetup() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Partners")
            try sheet.write(string: "Partner", row: 0, column: 0)
            try sheet.setPageSetup(
                PageSetup(
                    orientation: .landscape, paperSize: .a4, fitToPages: (width: 1, height: 0), repeatRows: 0...0,
                    margins: PageSetup.Margins(left: 0.5, right: 0.5, top: 0.75, bottom: 0.75),
                    header: HeaderFooter(left: [.text("Research & Development")], right: [.sheetName]),
                    footer: HeaderFooter(center: [.text("Page "), .pageNumber, .text(" of "), .pageCount])))
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(xml.contains(#"<pageSetUpPr fitToPage="1"/>"#))
        #expect(xml.contains(#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>"#))
        #expect(xml.contains(#"<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75""#))
        #expect(xml.contains("<oddHeader>&amp;LResearch &amp;&amp; Development&amp;R&amp;A</oddHeader>"))
        #expect(xml.contains("<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"))
        let workbook = try package.xml("xl/workbook.xml")
        #expect(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">Partners!$1:$1</definedName>"#))
    }

    @Test("Defined names, hidden sheets and the active sheet")
    func namesAndVisibility() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let contents = try book.addWorksheet(name: "Contents")
            let summary = try book.addWorksheet(name: "Summary")
            let lists = try book.addWorksheet(name: "Lists")
            try lists.hide()
            try summary.activate()
            try contents.select()
            try book.defineName(
                "SupportTypes",
                refersTo: SheetRange(
                    sheet: "Lists", firstRow: 0, firstColumn: 0,
                    lastRow: 7, lastColumn: 0))
            try book.defineName("Threshold", formula: "=5")
        }
        let workbook = try package.xml("xl/workbook.xml")
        #expect(workbook.contains(#"activeTab="1""#))
        #expect(workbook.contains(#"<sheet name="Lists" sheetId="3" state="hidden" r:id="rId3"/>"#))
        #expect(workbook.contains(#"<definedName name="SupportTypes">Lists!$A$1:$A$8</definedName>"#))
        #expect(workbook.contains(#"<definedName name="Threshold">5</definedName>"#))
        #expect(try package.xml("xl/worksheets/sheet1.xml").contains(#"tabSelected="1""#))
        #expect(try package.xml("xl/worksheets/sheet2.xml").contains(#"tabSelected="1""#))
    }

    @Test("Defined names Excel would refuse are refused", arguments: ["", "1st", "A1", "R1C1", "Has space", "Tax2026"])
    func badDefinedNames(name: String) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/n.xlsx")
        try book.addWorksheet(name: "Lists")
        #expect(throws: XLSXError.self) { try book.defineName(name, formula: "=Lists!$A$1") }
    }

    @Test("Visibility Excel would repair is refused at close, and can then be fixed")
    func invalidVisibility() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/hidden.xlsx"
        let book = try Workbook(path: path)
        let first = try book.addWorksheet(name: "Lists")
        let second = try book.addWorksheet(name: "Summary")
        try first.hide()
        let error = #expect(throws: XLSXError.self) { try book.close() }
        #expect(
            error
                == .invalidVisibility(
                    sheet: "Lists", reason: "the active sheet (the one Excel opens on) is hidden; activate a visible sheet"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: XLSXError.self) { try first.activate() }
        try second.activate()
        try book.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
