import Foundation
import TestSupport
import Testing
import XLSX

@testable import XLSXReader

@Suite("Reading workbooks")
struct WorkbookReaderTests {
    // MARK: - What Excel-like writers store

    @Test("a workbook written by libxlsxwriter reads back value for value")
    func libxlsxwriterRoundTrip() throws {
        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("written.xlsx")
        let book = try Workbook(path: path, options: WorkbookOptions(created: Date(timeIntervalSince1970: 0)))
        let sheet = try book.addWorksheet(name: "support")
        let dateFormat = try book.addFormat(FormatSpec(numberFormat: "dd/mm/yyyy"))
        try sheet.write(string: "person_ref", row: 0, column: 0)
        try sheet.write(string: "start_date", row: 0, column: 1)
        try sheet.write(string: "sessions", row: 0, column: 2)
        try sheet.write(string: "ok", row: 0, column: 3)
        try sheet.write(string: "K7QM-2041", row: 1, column: 0)
        try sheet.write(date: ExcelDate(year: 2026, month: 7, day: 15), row: 1, column: 1, format: dateFormat)
        try sheet.write(number: 12, row: 1, column: 2)
        try sheet.write(boolean: true, row: 1, column: 3)
        try sheet.write(formula: "=C2*2", row: 3, column: 2, result: 24)
        try sheet.write(number: 0.1, row: 3, column: 5)
        try book.close()

        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.map(\.name) == ["support"])
        #expect(reader.dateSystem == .from1900)
        let rows = try PackageBuilder.readAll(path)["support"]!
        #expect(rows.map(\.rowNumber) == [1, 2, 4])
        #expect(rows[0].cells.map(\.content) == ["person_ref", "start_date", "sessions", "ok"].map { .text($0) })
        #expect(rows[1].cells.map(\.content) == [.text("K7QM-2041"), .number(46218), .number(12), .boolean(true)])
        #expect(rows[1].cells.map(\.isDateFormatted) == [false, true, false, false])
        #expect(reader.dateSystem.dateTime(serial: 46218)?.isoDate == "2026-07-15")
        #expect(rows[2].cells.map(\.column) == [2, 5])
        #expect(rows[2].cells.map(\.content) == [.number(24), .number(0.1)])
    }

    // MARK: - Hand-made parts

    @Test("inline strings, rich text, phonetic guides, formulas, errors and ISO dates")
    func cellKinds() throws {
        let folder = TemporaryFolder()
        let shared = [
            "<si><t>plain</t></si>",
            "<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space=\"preserve\">text </t></r><rPh sb=\"0\" eb=\"1\"><t>ルビ</t></rPh></si>",
            "<si><t>R&amp;D &lt;team&gt; &#x263A;</t></si>",
        ]
        let rows = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>inline</t></is></c><c r="B2" t="str"><f>A2&amp;"!"</f><v>inline!</v></c>\
            <c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2"><f>SUM(1,2)</f></c><c r="E2" t="d"><v>2026-07-15T00:00:00</v></c>\
            <c r="F2" t="b"><v>0</v></c><c r="G2" s="0"/><c r="H2" t="s"><v>99</v></c></row>
            """
        let path = try PackageBuilder.write(
            PackageBuilder.parts(sheets: [("data", PackageBuilder.sheet(rows))], sharedStrings: shared), in: folder)
        let read = try PackageBuilder.readAll(path)["data"]!
        #expect(read[0].cells.map(\.content) == [.text("plain"), .text("rich text "), .text("R&D <team> ☺")])
        #expect(
            read[1].cells.map(\.content) == [
                .text("inline"), .text("inline!"), .error("#DIV/0!"), .formulaWithoutResult("SUM(1,2)"),
                .isoDate("2026-07-15T00:00:00"), .boolean(false), .blank, .error("#REF! (shared text 99 is missing)"),
            ])
    }

    @Test("cells and rows without references follow on; prefixed and strict namespaces read the same")
    func implicitPositionsAndNamespaces() throws {
        let folder = TemporaryFolder()
        let strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        let sheet = """
            <?xml version="1.0"?><x:worksheet xmlns:x="\(strict)"><x:sheetData>\
            <x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>1</x:v></x:c></x:row>\
            <x:row r="5"><x:c r="C5"><x:v>2</x:v></x:c><x:c><x:v>3</x:v></x:c></x:row>\
            <x:row><x:c><x:v>4</x:v></x:c></x:row>\
            </x:sheetData></x:worksheet>
            """
        let path = try PackageBuilder.write(PackageBuilder.parts(sheets: [("s", sheet)]), in: folder)
        let rows = try PackageBuilder.readAll(path)["s"]!
        #expect(rows.map(\.rowNumber) == [1, 5, 6])
        #expect(rows.map { $0.cells.map(\.column) } == [[0, 1], [2, 3], [0]])
        #expect(rows[1].cells.map(\.content) == [.number(2), .number(3)])
    }

    @Test("the 1904 date system, hidden sheets, defined names and date styles")
    func workbookSettings() throws {
        let folder = TemporaryFolder()
        let styles = """
            <numFmts count="2"><numFmt numFmtId="164" formatCode="[$-809]dd\\ mmmm\\ yyyy;@"/>\
            <numFmt numFmtId="165" formatCode="&quot;£&quot;#,##0.00"/></numFmts>\
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>\
            <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs>
            """
        let rows =
            "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44757</v></c><c r=\"B1\" s=\"2\"><v>44757</v></c><c r=\"C1\" s=\"3\"><v>0</v></c></row>"
        var parts = PackageBuilder.parts(
            sheets: [("visible", PackageBuilder.sheet(rows)), ("lists", PackageBuilder.sheet(""))], styles: styles,
            workbookProperties: "<workbookPr date1904=\"1\"/>",
            definedNames:
                "<definedNames><definedName name=\"Goals\">lists!$A$1:$A$9</definedName><definedName name=\"Local\" localSheetId=\"0\">x</definedName></definedNames>"
        )
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"]!.replacingOccurrences(
            of: "<sheet name=\"lists\"", with: "<sheet state=\"hidden\" name=\"lists\"")
        let path = try PackageBuilder.write(parts, in: folder)
        let reader = try WorkbookReader(path: path)
        #expect(reader.dateSystem == .from1904)
        #expect(reader.sheets.map(\.visibility) == [.visible, .hidden])
        #expect(reader.definedNames == ["Goals": "lists!$A$1:$A$9"])
        let cells = try PackageBuilder.readAll(path)["visible"]![0].cells
        #expect(cells.map(\.isDateFormatted) == [true, false, true])
        #expect(reader.dateSystem.dateTime(serial: 44757)?.isoDate == "2026-07-16")
        #expect(reader.dateSystem.dateTime(serial: 0)?.isoDate == "1904-01-01")
    }

    @Test("reading can stop after any row")
    func stopsEarly() throws {
        let folder = TemporaryFolder()
        let rows = (1...5000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let path = try PackageBuilder.write(PackageBuilder.parts(sheets: [("s", PackageBuilder.sheet(rows))]), in: folder)
        let reader = try WorkbookReader(path: path)
        var seen: [Int] = []
        try reader.readRows(of: reader.sheets[0]) { row in
            seen.append(row.rowNumber)
            return row.rowNumber < 3
        }
        #expect(seen == [1, 2, 3])
    }

    // MARK: - Dates and formats

    @Test(
        "1900 serials, with Excel's missing leap day",
        arguments: [
            (1.0, "1900-01-01"), (59.0, "1900-02-28"), (61.0, "1900-03-01"), (25_569.0, "1970-01-01"),
            (45_123.0, "2023-07-16"), (46_218.0, "2026-07-15"), (2_958_465.0, "9999-12-31"),
        ])
    func serials1900(serial: Double, iso: String) {
        #expect(DateSystem.from1900.dateTime(serial: serial)?.isoDate == iso)
    }

    @Test("serials that are not dates", arguments: [-1.0, 60.0, 2_958_466.0, Double.nan, Double.infinity])
    func notDates(serial: Double) {
        #expect(DateSystem.from1900.dateTime(serial: serial) == nil)
    }

    @Test("times of day round to the second, and 23:59:59.9995 rolls into the next day")
    func times() {
        #expect(DateSystem.from1900.dateTime(serial: 46_218.5)?.isoDateTime == "2026-07-15T12:00:00")
        #expect(DateSystem.from1900.dateTime(serial: 46_218 + 37_230.0 / 86_400)?.isoDateTime == "2026-07-15T10:20:30")
        #expect(DateSystem.from1900.dateTime(serial: 46_218.999_999_999_9)?.isoDateTime == "2026-07-16T00:00:00")
    }

    @Test(
        "format codes that show dates or times",
        arguments: [
            ("dd/mm/yyyy", true), ("yyyy-mm-dd", true), ("[$-809]dd mmmm yyyy;@", true), ("h:mm AM/PM", true), ("[h]:mm", true),
            ("General", false), ("0.00", false), ("#,##0.00\" days\"", false), ("[Red]0%", false), ("\"£\"#,##0", false),
            ("0.00E+00", false), ("@", false), ("_(* #,##0_)", false),
        ])
    func dateFormats(code: String, isDate: Bool) {
        #expect(NumberFormat.isDateFormat(code) == isDate)
    }

    @Test("cell references", arguments: [("A1", 0, 1), ("J14", 9, 14), ("$AA$3", 26, 3), ("XFD1048576", 16_383, 1_048_576)])
    func references(text: String, column: Int, row: Int) {
        #expect(CellAddress.parse(text)?.column == column)
        #expect(CellAddress.parse(text)?.row == row)
        #expect(CellAddress.reference(column: column, row: row) == text.replacingOccurrences(of: "$", with: ""))
    }

    @Test("references outside the grid", arguments: ["", "1A", "A0", "XFE1", "A1048577", "AAAA1", "A-1"])
    func badReferences(text: String) {
        #expect(CellAddress.parse(text) == nil)
    }
}
