import Foundation
import TestSupport
import Testing

@testable import XLSX

@Suite("Writing cells")
struct CellWritingTests {
    @Test("Sheet names appear in workbook.xml in tab order")
    func sheetNames() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            try book.addWorksheet(name: "Summary")
            try book.addWorksheet(name: "Partners & funders")
            try book.addWorksheet(name: "About")
        }
        let workbook = try package.xml("xl/workbook.xml")
        #expect(workbook.contains(#"<sheet name="Summary" sheetId="1" r:id="rId1"/>"#))
        #expect(workbook.contains(#"<sheet name="Partners &amp; funders" sheetId="2" r:id="rId2"/>"#))
        #expect(workbook.contains(#"<sheet name="About" sheetId="3" r:id="rId3"/>"#))
        let summary = try #require(workbook.range(of: "Summary")).lowerBound
        let about = try #require(workbook.range(of: "About")).lowerBound
        #expect(summary < about)
    }

    @Test("Strings go to the shared-string table; numbers and booleans are stored inline")
    func stringsNumbersBooleans() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Summary")
            try sheet.write(string: "Partners funded", row: 0, column: 0)
            try sheet.write(number: 1200.5, row: 0, column: 1)
            try sheet.write(number: 42, row: 1, column: 1)
            try sheet.write(boolean: true, row: 2, column: 1)
        }
        let strings = try package.xml("xl/sharedStrings.xml")
        #expect(strings.contains("<si><t>Partners funded</t></si>"))
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="A1" t="s"><v>0</v></c>"#))
        #expect(sheet.contains(#"<c r="B1"><v>1200.5</v></c>"#))
        #expect(sheet.contains(#"<c r="B2"><v>42</v></c>"#))
        #expect(sheet.contains(#"<c r="B3" t="b"><v>1</v></c>"#))
    }

    @Test("A date is a serial number with a date style")
    func dates() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Dates")
            try sheet.write(date: try ExcelDate(year: 2026, month: 7, day: 15), row: 0, column: 0)
            try sheet.write(date: try ExcelDate(daysSince1970: 20_649), row: 1, column: 0)
            let iso = try book.addFormat(FormatSpec(bold: true, numberFormat: "yyyy-mm-dd"))
            try sheet.write(date: try ExcelDate(year: 2026, month: 3, day: 31), row: 2, column: 0, format: iso)
            // A format without a number format gets the default date format added.
            let bold = try book.addFormat(FormatSpec(bold: true))
            try sheet.write(date: try ExcelDate(year: 2026, month: 3, day: 31), row: 3, column: 0, format: bold)
        }
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        let styles = try package.xml("xl/styles.xml")
        #expect(sheet.contains(#"<c r="A1" s="1"><v>46218</v></c>"#))
        #expect(sheet.contains(#"<c r="A2" s="1"><v>46218</v></c>"#))
        #expect(sheet.contains(#"<c r="A3" s="2"><v>46112</v></c>"#))
        #expect(sheet.contains(#"<c r="A4" s="3"><v>46112</v></c>"#))
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="dd mmm yyyy"/>"#))
        #expect(styles.contains(#"<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>"#))
        // Style 1 (the default date format) and style 3 (bold + default date) both use format 164.
        #expect(styles.contains(#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#))
        #expect(occurrences(of: #"numFmtId="164""#, in: styles) == 3)
    }

    @Test(
        "Formula-like text is stored as text, never as a formula",
        arguments: [
            #"=HYPERLINK("http://x","y")"#, "+1", "-2", "@SUM(A1)", "=1+1", "\t=cmd", "\r=cmd", "=",
        ])
    func formulaLikeText(text: String) throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Notes")
            try sheet.write(string: text, row: 0, column: 0)
            try sheet.merge(CellRange(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 2), string: text)
            try sheet.write(url: .web("https://example.org"), text: text, row: 2, column: 0)
        }
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        let strings = try package.xml("xl/sharedStrings.xml")
        #expect(!sheet.contains("<f>"), "a formula element appeared for \(text.debugDescription)")
        #expect(sheet.contains(#"<c r="A1" t="s"><v>0</v></c>"#))
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\r", with: "_x000D_")
        #expect(strings.contains(escaped), "\(text.debugDescription) is missing from \(strings)")
    }

    @Test("write(formula:) is the one way to write a formula")
    func explicitFormula() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Sums")
            try sheet.write(number: 2, row: 0, column: 0)
            try sheet.write(number: 3, row: 1, column: 0)
            try sheet.write(formula: "=SUM(A1:A2)", row: 2, column: 0, result: 5)
            try sheet.write(formula: "A1*2", row: 3, column: 0)
        }
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="A3"><f>SUM(A1:A2)</f><v>5</v></c>"#))
        #expect(sheet.contains(#"<c r="A4"><f>A1*2</f><v>0</v></c>"#))
    }

    @Test("Over-long text is truncated with a marker by default")
    func truncation() throws {
        let folder = TemporaryFolder()
        let long = String(repeating: "é", count: 40_000)
        let package = try writeWorkbook(in: folder) { book in
            try book.addWorksheet(name: "Notes").write(string: long, row: 0, column: 0)
        }
        let strings = try package.xml("xl/sharedStrings.xml")
        let expected =
            String(repeating: "é", count: Worksheet.maxTextLength - Worksheet.truncationMarker.utf16.count)
            + Worksheet.truncationMarker
        #expect(expected.utf16.count == Worksheet.maxTextLength)
        #expect(strings.contains("<t>" + expected + "</t>"))
    }

    @Test("Over-long text is refused under the reject policy, naming sheet and cell")
    func rejection() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/long.xlsx", options: WorkbookOptions(longText: .reject))
        let sheet = try book.addWorksheet(name: "Notes")
        let error = #expect(throws: XLSXError.self) {
            try sheet.write(string: String(repeating: "x", count: 32_768), row: 4, column: 2)
        }
        #expect(error == .textTooLong(sheet: "Notes", cell: "C5", length: 32_768, limit: 32_767))
        #expect(error?.description.contains("C5") == true)
        try sheet.write(string: String(repeating: "x", count: 32_767), row: 4, column: 2)
    }

    @Test("Emoji are not split when text is truncated")
    func truncationKeepsCharactersWhole() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/emoji.xlsx")
        let sheet = try book.addWorksheet(name: "Notes")
        let fitted = try sheet.fit(String(repeating: "👍🏽", count: 20_000), cell: "A1")
        #expect(fitted.utf16.count <= Worksheet.maxTextLength)
        #expect(fitted.hasSuffix(Worksheet.truncationMarker))
        #expect(fitted.dropLast(Worksheet.truncationMarker.count).allSatisfy { $0 == "👍🏽" })
    }

    @Test("NUL cannot cut text short in C, and control characters are escaped for XML")
    func controlCharacters() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Notes")
            try sheet.write(string: "before\0after", row: 0, column: 0)
            try sheet.write(string: "bell\u{7}", row: 1, column: 0)
        }
        let strings = try package.xml("xl/sharedStrings.xml")
        #expect(strings.contains("<t>before\u{FFFD}after</t>"))
        #expect(strings.contains("<t>bell_x0007_</t>"))
    }

    @Test("Formats: equal specs share one format; number formats and colours reach styles.xml")
    func formats() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let spec = FormatSpec(
                bold: true, fontColor: .black, fillColor: Color(hex: "#DDEBF7"), numberFormat: "£#,##0.00",
                horizontalAlignment: .right, wrapText: true, indent: 1, border: .thin, locked: false)
            let a = try book.addFormat(spec)
            let b = try book.addFormat(spec)
            #expect(a == b)
            let percent = try book.addFormat(FormatSpec(numberFormat: "0.0%"))
            #expect(a != percent)
            let sheet = try book.addWorksheet(name: "Money")
            try sheet.write(number: 1200.5, row: 0, column: 0, format: a)
            try sheet.write(number: 0.25, row: 1, column: 0, format: percent)
        }
        let styles = try package.xml("xl/styles.xml")
        #expect(styles.contains(#"formatCode="£#,##0.00""#))
        #expect(styles.contains(#"formatCode="0.0%""#))
        #expect(styles.contains(#"<color rgb="FF000000"/>"#), "black must not be read as 'no colour'")
        #expect(styles.contains(#"<fgColor rgb="FFDDEBF7"/>"#))
        #expect(styles.contains(#"<alignment horizontal="right" indent="1" wrapText="1"/>"#))
        #expect(styles.contains(#"<protection locked="0"/>"#))
        #expect(styles.contains(#"<left style="thin">"#))
    }

    @Test(
        "Format values Excel refuses are refused",
        arguments: [
            FormatSpec(fontSize: 0), FormatSpec(fontSize: 410), FormatSpec(fontSize: .nan),
            FormatSpec(fontName: String(repeating: "F", count: 32)), FormatSpec(numberFormat: ""),
            FormatSpec(numberFormat: String(repeating: "0", count: 128)), FormatSpec(indent: 16),
        ])
    func invalidFormats(spec: FormatSpec) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/f.xlsx")
        #expect(throws: XLSXError.self) { try book.addFormat(spec) }
    }

    @Test("Links: internal links to a contents sheet, external links in the relationships")
    func hyperlinks() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let contents = try book.addWorksheet(name: "Contents")
            let quality = try book.addWorksheet(name: "Data quality")
            try contents.write(
                url: .cell(sheet: "Data quality", cell: CellReference(row: 0, column: 0)),
                text: "Data quality", row: 1, column: 0)
            try quality.write(
                url: .cell(sheet: "Contents", cell: CellReference(row: 0, column: 0)),
                text: "Back to contents", tooltip: "Contents", row: 0, column: 0)
            try contents.write(url: .web("https://example.org/guidance notes"), text: "Guidance", row: 2, column: 0)
        }
        let contents = try package.xml("xl/worksheets/sheet1.xml")
        #expect(contents.contains(#"<hyperlink ref="A2" location="'Data quality'!A1" display="Data quality"/>"#))
        #expect(contents.contains(#"<hyperlink ref="A3" r:id="rId1"/>"#))
        let quality = try package.xml("xl/worksheets/sheet2.xml")
        #expect(quality.contains(#"location="Contents!A1""#))
        #expect(quality.contains(#"tooltip="Contents""#))
        let rels = try package.xml("xl/worksheets/_rels/sheet1.xml.rels")
        #expect(rels.contains(#"Target="https://example.org/guidance%20notes" TargetMode="External""#))
    }

    @Test(
        "Links with other schemes are refused",
        arguments: ["file:///etc/passwd", "external:c:\\x.xlsx", "javascript:alert(1)", "www.example.org"])
    func badLinks(url: String) throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/l.xlsx")
        let sheet = try book.addWorksheet(name: "Links")
        let error = #expect(throws: XLSXError.self) { try sheet.write(url: .web(url), text: "x", row: 0, column: 0) }
        #expect(error?.description.contains(url) == true)
    }

    @Test("Comments, merges, widths and heights")
    func layout() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Layout")
            try sheet.writeComment(
                "Counts under 5 are shown as <5", row: 0, column: 1,
                options: CommentOptions(author: "Impact lead", visible: true))
            try sheet.merge(CellRange(firstRow: 0, firstColumn: 3, lastRow: 0, lastColumn: 6), string: "Quarter 2")
            try sheet.setColumnWidth(30, columns: 0...1)
            try sheet.setColumnWidth(12, column: 2, hidden: true)
            try sheet.setRowHeight(28, row: 0)
            let blank = try book.addFormat(FormatSpec(fillColor: .yellow))
            try sheet.writeBlank(row: 5, column: 5, format: blank)
        }
        let comments = try package.xml("xl/comments1.xml")
        #expect(comments.contains("<t>Counts under 5 are shown as &lt;5</t>"))
        #expect(comments.contains("<author>Impact lead</author>"))
        let sheet = try package.xml("xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<mergeCell ref="D1:G1"/>"#))
        #expect(sheet.contains(#"<col min="1" max="2" width="30.7109375" customWidth="1"/>"#))
        #expect(sheet.contains(#"<col min="3" max="3" width="12.7109375" hidden="1" customWidth="1"/>"#))
        #expect(sheet.contains(#"<row r="1" spans="2:6" ht="28" customHeight="1">"#))
        #expect(sheet.contains(#"<c r="F6" s="1"/>"#))
    }
}
