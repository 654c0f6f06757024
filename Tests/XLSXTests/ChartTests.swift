import Foundation
import TestSupport
import Testing

@testable import XLSX

@Suite("Charts")
struct ChartTests {
    /// Quarter names in A2:A5 and people supported in B2:B5 of a sheet.
    private func writeTrend(_ sheet: Worksheet) throws {
        try sheet.write(string: "Quarter", row: 0, column: 0)
        try sheet.write(string: "People supported", row: 0, column: 1)
        for (i, quarter) in ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"].enumerated() {
            try sheet.write(string: quarter, row: i + 1, column: 0)
            try sheet.write(number: Double(100 + 25 * i), row: i + 1, column: 1)
        }
    }

    @Test(
        "Each chart type is written with the right plot element",
        arguments: [
            (ChartType.column, "<c:barChart><c:barDir val=\"col\"/>"),
            (ChartType.bar, "<c:barChart><c:barDir val=\"bar\"/>"),
            (ChartType.line, "<c:lineChart>"),
            (ChartType.pie, "<c:pieChart>"),
            (ChartType.columnStacked, "<c:grouping val=\"stacked\"/>"),
        ])
    func types(type: ChartType, element: String) throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let summary = try book.addWorksheet(name: "Summary")
            try writeTrend(summary)
            let chart = try book.addChart(type)
            try chart.addSeries(
                ChartSeries(
                    values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1),
                    categories: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 0, lastRow: 4, lastColumn: 0)))
            try summary.insertChart(chart, row: 1, column: 3)
        }
        let chart = try package.xml("xl/charts/chart1.xml")
        #expect(chart.contains(element))
        #expect(chart.contains("<c:cat><c:strRef><c:f>Summary!$A$2:$A$5</c:f>"))
        #expect(chart.contains("<c:val><c:numRef><c:f>Summary!$B$2:$B$5</c:f>"))
    }

    @Test("Series references, cached data, titles, legend, style and placement")
    func fullChart() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let summary = try book.addWorksheet(name: "Summary")
            let trends = try book.addWorksheet(name: "Data quality")
            try writeTrend(trends)
            let chart = try book.addChart(.line)
            try chart.addSeries(
                ChartSeries(
                    values: SheetRange(sheet: "Data quality", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1),
                    categories: SheetRange(sheet: "Data quality", firstRow: 1, firstColumn: 0, lastRow: 4, lastColumn: 0),
                    name: "People supported"))
            try chart.setTitle("People supported by quarter")
            try chart.setAxisTitles(x: "Quarter", y: "People")
            try chart.setValueAxisNumberFormat("#,##0")
            try chart.setLegend(.bottom)
            try chart.setStyle(10)
            try summary.insertChart(chart, row: 2, column: 1, placement: ChartPlacement(width: 720, height: 360, xOffset: 10, yOffset: 5))
        }
        let chart = try package.xml("xl/charts/chart1.xml")
        #expect(chart.contains("<c:f>'Data quality'!$A$2:$A$5</c:f>"))
        #expect(chart.contains("<c:f>'Data quality'!$B$2:$B$5</c:f>"))
        #expect(chart.contains(#"<c:pt idx="0"><c:v>2025-Q3</c:v></c:pt>"#), "category cache")
        #expect(chart.contains(#"<c:pt idx="3"><c:v>175</c:v></c:pt>"#), "value cache")
        #expect(chart.contains("<c:tx><c:v>People supported</c:v></c:tx>"))
        #expect(chart.contains("<a:t>People supported by quarter</a:t>"))
        #expect(chart.contains("<a:t>Quarter</a:t>") && chart.contains("<a:t>People</a:t>"))
        #expect(chart.contains(##"<c:numFmt formatCode="#,##0" sourceLinked="0"/>"##))
        #expect(chart.contains(#"<c:legendPos val="b"/>"#))
        #expect(chart.contains(#"<c:style val="10"/>"#))
        let drawing = try package.xml("xl/drawings/drawing1.xml")
        #expect(
            drawing.contains(
                "<xdr:from><xdr:col>1</xdr:col><xdr:colOff>95250</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>47625</xdr:rowOff></xdr:from>")
        )
        #expect(try package.xml("xl/worksheets/_rels/sheet1.xml.rels").contains("../drawings/drawing1.xml"))
    }

    @Test("Sheet names libxlsxwriter would leave bare are quoted in series formulas")
    func numericSheetName() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "2026")
            let quoted = try book.addWorksheet(name: "Bob's")
            try writeTrend(sheet)
            try writeTrend(quoted)
            let chart = try book.addChart(.column)
            try chart.addSeries(ChartSeries(values: SheetRange(sheet: "2026", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1)))
            try chart.addSeries(ChartSeries(values: SheetRange(sheet: "Bob's", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1)))
            try sheet.insertChart(chart, row: 0, column: 4)
        }
        let chart = try package.xml("xl/charts/chart1.xml")
        #expect(chart.contains("<c:f>'2026'!$B$2:$B$5</c:f>"))
        #expect(chart.contains("<c:f>'Bob''s'!$B$2:$B$5</c:f>"))
        #expect(occurrences(of: "<c:numCache>", in: chart) == 2)
    }

    @Test("Titles and series names starting with = stay text")
    func formulaLikeNames() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Summary")
            try writeTrend(sheet)
            let chart = try book.addChart(.column)
            try chart.addSeries(
                ChartSeries(
                    values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1),
                    name: "=Summary!$A$1"))
            try chart.setTitle("=HYPERLINK(\"http://x\")")
            try sheet.insertChart(chart, row: 0, column: 4)
        }
        let chart = try package.xml("xl/charts/chart1.xml")
        #expect(!chart.contains("<c:f>Summary!$A$1</c:f>"))
        #expect(chart.contains("<c:tx><c:v>\u{200B}=Summary!$A$1</c:v></c:tx>"))
        #expect(
            chart.contains("<a:t>\u{200B}=HYPERLINK(&quot;http://x&quot;)</a:t>")
                || chart.contains("<a:t>\u{200B}=HYPERLINK(\"http://x\")</a:t>"))
    }

    @Test("Chart misuse is refused with a reason")
    func chartErrors() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/c.xlsx")
        let sheet = try book.addWorksheet(name: "Summary")
        let values = SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1)

        let pie = try book.addChart(.pie)
        #expect(throws: XLSXError.self) { try pie.setAxisTitles(x: "Quarter", y: nil) }
        let empty = #expect(throws: XLSXError.self) { try sheet.insertChart(pie, row: 0, column: 0) }
        #expect(empty?.description.contains("no data series") == true)
        try pie.addSeries(ChartSeries(values: values))
        #expect(throws: XLSXError.self) { try pie.addSeries(ChartSeries(values: values)) }
        try sheet.insertChart(pie, row: 0, column: 0)
        #expect(throws: XLSXError.chartAlreadyInserted(sheet: "Summary", cell: "K1")) {
            try sheet.insertChart(pie, row: 0, column: 10)
        }

        let column = try book.addChart(.column)
        #expect(throws: XLSXError.unknownSheet("Missing", context: "chart series values Missing!$B$2:$B$5")) {
            try column.addSeries(ChartSeries(values: SheetRange(sheet: "Missing", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1)))
        }
        #expect(throws: XLSXError.self) {
            try column.addSeries(ChartSeries(values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 2)))
        }
        #expect(throws: XLSXError.self) { try column.setStyle(49) }
    }
}

@Suite("Chart axes and alternative text")
struct ChartAxisTests {
    private func goals(_ sheet: Worksheet) throws {
        for (i, (goal, share)) in [("Feeling safer", 0.62), ("Trusting relationships", 0.48)].enumerated() {
            try sheet.write(string: goal, row: i + 1, column: 0)
            try sheet.write(number: share, row: i + 1, column: 1)
        }
    }

    /// The `<c:catAx>` and `<c:valAx>` elements of a chart part.
    private func axes(_ chart: String) -> (category: String, value: String) {
        func element(_ name: String) -> String {
            guard let start = chart.range(of: "<c:\(name)>"), let end = chart.range(of: "</c:\(name)>") else { return "" }
            return String(chart[start.lowerBound..<end.upperBound])
        }
        return (element("catAx"), element("valAx"))
    }

    @Test(
        "category and value titles land on the category and value axes, whichever way the chart lies",
        arguments: [ChartType.bar, .column, .line])
    func titlesOnTheirAxes(type: ChartType) throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Summary")
            try goals(sheet)
            let chart = try book.addChart(type)
            try chart.addSeries(
                ChartSeries(
                    values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 2, lastColumn: 1),
                    categories: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 0, lastRow: 2, lastColumn: 0)))
            try chart.setAxisTitles(category: "Outcome goal", value: "Share of people improved (%)")
            try chart.setValueAxisNumberFormat("0%")
            try chart.setValueAxisRange(minimum: 0, maximum: 1)
            try sheet.insertChart(chart, row: 0, column: 3)
        }
        let (category, value) = axes(try package.xml("xl/charts/chart1.xml"))
        #expect(category.contains("<a:t>Outcome goal</a:t>"), "\(category)")
        #expect(!category.contains("0%"))
        #expect(value.contains("<a:t>Share of people improved (%)</a:t>"), "\(value)")
        #expect(value.contains(#"<c:numFmt formatCode="0%" sourceLinked="0"/>"#))
        #expect(value.contains(#"<c:max val="1"/>"#) && value.contains(#"<c:min val="0"/>"#))
    }

    @Test("a bar chart can list its categories from the top, its value axis staying at the bottom")
    func readingOrder() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Summary")
            try goals(sheet)
            let chart = try book.addChart(.bar)
            try chart.addSeries(
                ChartSeries(
                    values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 2, lastColumn: 1),
                    categories: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 0, lastRow: 2, lastColumn: 0)))
            try chart.setCategoriesInReadingOrder()
            try sheet.insertChart(chart, row: 0, column: 3)
        }
        let (category, value) = axes(try package.xml("xl/charts/chart1.xml"))
        #expect(category.contains(#"<c:orientation val="maxMin"/>"#), "\(category)")
        #expect(!value.contains(#"<c:orientation val="maxMin"/>"#))
        #expect((category + value).contains(#"<c:crosses val="max"/>"#))
    }

    @Test("a chart's alternative text is written as its description")
    func altText() throws {
        let folder = TemporaryFolder()
        let package = try writeWorkbook(in: folder) { book in
            let sheet = try book.addWorksheet(name: "Summary")
            try goals(sheet)
            let chart = try book.addChart(.bar)
            try chart.addSeries(ChartSeries(values: SheetRange(sheet: "Summary", firstRow: 1, firstColumn: 1, lastRow: 2, lastColumn: 1)))
            try sheet.insertChart(
                chart, row: 0, column: 3, placement: ChartPlacement(altText: "Bar chart of the share improved on each goal & its target"))
        }
        let drawing = try package.xml("xl/drawings/drawing1.xml")
        #expect(drawing.contains(#"descr="Bar chart of the share improved on each goal &amp; its target""#), "\(drawing)")
    }

    @Test("a value axis range must be finite and in order")
    func rangeChecks() throws {
        let folder = TemporaryFolder()
        let book = try Workbook(path: folder.path + "/c.xlsx")
        _ = try book.addWorksheet(name: "Summary")
        let chart = try book.addChart(.column)
        #expect(throws: XLSXError.self) { try chart.setValueAxisRange(minimum: 1, maximum: 0) }
        #expect(throws: XLSXError.self) { try chart.setValueAxisRange(minimum: .nan, maximum: nil) }
        #expect(throws: XLSXError.self) { try book.addChart(.pie).setValueAxisRange(minimum: 0, maximum: 1) }
    }
}
