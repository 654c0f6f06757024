import Foundation
import TestSupport
import Testing

@testable import XLSX

@Suite("Sizing rows and columns from their text")
struct TextFitTests {
    @Test(
        "display width: digits and most letters 1, narrow ½, capitals 1.3, wide letters 1.6 or 1.8, East Asian 2",
        arguments: [
            ("", 0.0), ("0123456789", 10), ("abc", 3), ("ill", 1.5), ("A", 1.3), ("mw", 3.2), ("MW", 3.6), ("字", 2),
            ("a b", 2.5), ("(%)", 3.0),
        ])
    func displayWidth(text: String, width: Double) {
        #expect(abs(TextFit.displayWidth(text) - width) < 1e-9)
    }

    @Test("bold text is 5% wider")
    func bold() {
        #expect(abs(TextFit.displayWidth("0000000000", bold: true) - 10.5) < 1e-9)
    }

    @Test(
        "lines: paragraphs wrapped greedily at spaces, long words broken",
        arguments: [
            // text, column width, lines (usable width = column width − 0.75)
            ("", 10.0, 1), ("short", 10, 1), ("0000 0000", 10.75, 1), ("00000 00000", 10.75, 2),
            ("0000000000000000000000000", 10.75, 3), ("one\ntwo\n\nfour", 40, 4), ("0000 0000\n0000 0000", 5.75, 4),
        ])
    func lines(text: String, width: Double, lines: Int) {
        #expect(TextFit.lines(text, columnWidth: width) == lines)
    }

    @Test("never fewer lines than the display width over the usable width, rounded up")
    func atLeastTheWidthOverTheColumn() {
        var random = SplitMix(seed: 7)
        let words = ["a", "people", "Mean", "change", "in", "score", "(points", "on", "the", "1–10", "scale)", "supported", "W"]
        for _ in 0..<500 {
            let text = (0..<Int(random.next() % 30 + 1)).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(
                separator: " ")
            let width = Double(random.next() % 60 + 3)
            let usable = TextFit.usableWidth(columnWidth: width)
            let floor = Int((TextFit.displayWidth(text) / usable).rounded(.up))
            #expect(TextFit.lines(text, columnWidth: width) >= max(1, floor), "\(text) in \(width)")
        }
    }

    @Test(
        "row height: 15 points a line at 11 pt, in proportion for larger fonts, never below 15",
        arguments: [
            ("one line", 30.0, 11.0, 15.0), ("0000 0000 0000", 5.75, 11, 45), ("Title", 40, 15, 20.5), ("Heading", 40, 12, 16.5),
            ("", 10, 11, 15), ("00 00", 5.75, 22, 60),
        ])
    func rowHeight(text: String, width: Double, size: Double, height: Double) {
        #expect(TextFit.rowHeight(text, columnWidth: width, fontSize: size) == height)
    }

    @Test("a larger font fits fewer characters on a line")
    func largerFonts() {
        #expect(TextFit.usableWidth(columnWidth: 22.75, fontSize: 22) == 11)
        #expect(TextFit.lines("0000000000 0000000000", columnWidth: 22.75, fontSize: 22) == 2)
    }

    @Test(
        "column width: widest value or the header's longest word or a third of the header, plus padding, within bounds",
        arguments: [
            (["12", "1,234"], "Errors", 6.0, 20.0, 7), (["Bothy Light Counselling"], "Partner", 6, 40, 21.75),
            (["a very long text that goes on and on and on"], "Note", 6, 20, 20), ([], "", 6, 20, 6),
            (["1"], "Mean change in score (points on the 1–10 scale)", 6, 30, 15.75),
        ])
    func columnWidth(values: [String], header: String, minimum: Double, maximum: Double, width: Double) {
        #expect(TextFit.columnWidth(values: values, header: header, minimum: minimum, maximum: maximum) == width)
    }

    @Test("rows of wrapped cells, merged ranges and table headers are set from their text; others are left alone")
    func fitRows() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Notes")
            let wrap = try book.addFormat(FormatSpec(wrapText: true))
            let big = try book.addFormat(FormatSpec(bold: true, fontSize: 22, wrapText: true))
            try sheet.setColumnWidth(5.75, column: 0)
            try sheet.setColumnWidth(10, column: 1)
            try sheet.write(string: "0000 0000 0000", row: 0, column: 0, format: wrap)  // 3 lines
            try sheet.write(string: "0000 0000 0000 0000 0000 0000", row: 1, column: 0)  // no wrap: left alone
            try sheet.merge(CellRange(firstRow: 2, firstColumn: 0, lastRow: 2, lastColumn: 1), string: "0000 0000 0000 0000", format: wrap)
            try sheet.write(string: "Hi", row: 3, column: 0, format: big)
            try sheet.setRowHeight(80, row: 4)
            try sheet.write(string: "0000 0000", row: 4, column: 0, format: wrap)  // set higher already
            try sheet.write(number: 1, row: 6, column: 0)
            try sheet.write(number: 2, row: 6, column: 1)
            try sheet.addTable(
                CellRange(firstRow: 5, firstColumn: 0, lastRow: 6, lastColumn: 1),
                options: TableOptions(columns: [
                    TableColumn(header: "Plain"), TableColumn(header: "People working towards it", headerFormat: wrap),
                ]))
            #expect(sheet.wrappedRowHeights() == [0: 45, 2: 30, 3: 30, 4: 30, 5: 45])
            try sheet.fitRowsToWrappedText()
        }
        let xml = try package.xml("xl/worksheets/sheet1.xml")
        #expect(xml.contains(#"<row r="1" spans="1:2" ht="45" customHeight="1">"#), "\(xml)")
        #expect(xml.contains(#"<row r="2" spans="1:2">"#))
        #expect(xml.contains(#"<row r="3" spans="1:2" ht="30" customHeight="1">"#))
        #expect(xml.contains(#"<row r="4" spans="1:2" ht="30" customHeight="1">"#))
        #expect(xml.contains(#"<row r="5" spans="1:2" ht="80" customHeight="1">"#))
        #expect(xml.contains(#"<row r="6" spans="1:2" ht="45" customHeight="1">"#))
    }

    @Test("a hidden row stays hidden")
    func hiddenRows() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Notes")
            let wrap = try book.addFormat(FormatSpec(wrapText: true))
            try sheet.setColumnWidth(5, column: 0)
            try sheet.write(string: "0000 0000 0000", row: 0, column: 0, format: wrap)
            try sheet.setRowHeight(15, row: 0, hidden: true)
            try sheet.fitRowsToWrappedText()
        }
        #expect(try package.xml("xl/worksheets/sheet1.xml").contains(#"hidden="1""#))
    }
}
