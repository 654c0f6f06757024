import Foundation
import TableSchema
import TestSupport
import Testing
import XLSX

@testable import Impact

/// What a funder sees when a workbook is opened: rows tall enough for their text, units in headers, the
/// partners that count for the quarter, charts the right way round with alternative text, distinct markers
/// and definitions in a funder's words.
@Suite struct WorkbookLooksTests {
    /// The fixture of ``WorkbookWriterTests`` with P004, a partner of F1 whose active period ended with the
    /// previous quarter, which reported in that quarter only.
    static func inputWithEndedPartner() -> ReportInput {
        var input = WorkbookWriterTests.input()
        let previous = WorkbookWriterTests.previous
        let start = Int32(Quarter(year: 2025, number: 1).firstDay)
        input.reference.partners.append(
            Partner(
                id: "P004", name: "Ended Haven", region: "West", funderIDs: ["F1"], activeFrom: start,
                activeTo: Int32(previous.lastDay)))
        input.history[previous, default: []].append(
            WorkbookWriterTests.accepted("P004", previous, people: 9, improved: 3, goal: "OG02"))
        return input
    }

    final class Written {
        let folder = TemporaryFolder(prefix: "impact-looks")
        init(_ input: ReportInput = WorkbookWriterTests.input()) throws {
            _ = try WorkbookWriter(provenance: WorkbookProvenance(fileHashes: WorkbookWriterTests.hashes)).write(
                input: input, to: folder.path, created: WorkbookWriterTests.created)
        }
        func path(_ name: String) -> String { (folder.path as NSString).appendingPathComponent("workbooks/\(name).xlsx") }
        func book(_ name: String) -> XLSXFile { XLSXFile(path: path(name)) }
    }

    // MARK: - Row heights

    @Test("every wrapped cell of every workbook has a row tall enough for its text")
    func fixtureRowsFit() throws {
        let written = try Written(Self.inputWithEndedPartner())
        for name in ["F1", "F2", "programme"] {
            let result = try WrappedRowCheck.check(written.path(name))
            #expect(result.short.isEmpty, "\(name): \(result.short.prefix(5))")
            #expect(result.checked > 40, "\(name): only \(result.checked) wrapped cells")
        }
    }

    @Test("the check finds a wrapped cell whose row was not sized, and passes it once sized")
    func checkCanFail() throws {
        let folder = TemporaryFolder()
        for sized in [false, true] {
            let path = folder.path + "/\(sized).xlsx"
            let book = try Workbook(path: path)
            let sheet = try book.addWorksheet(name: "Cover")
            let wrap = try book.addFormat(FormatSpec(wrapText: true))
            try sheet.setColumnWidth(20, column: 0)
            try sheet.write(string: String(repeating: "A long line of cover text. ", count: 5), row: 0, column: 0, format: wrap)
            try sheet.merge(
                CellRange(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 2), string: "Partners covered this quarter",
                format: try book.addFormat(FormatSpec(bold: true, fontSize: 15, wrapText: true)))
            if sized { try sheet.fitRowsToWrappedText() }
            try book.close()
            let result = try WrappedRowCheck.check(path)
            #expect(result.checked == 2)
            #expect(result.short.map(\.cell) == (sized ? [] : ["A1", "A2"]), "\(result.short)")
        }
    }

    @Test("every workbook of every quarter a sample run writes has its wrapped rows sized")
    func sampleRunRowsFit() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        var books = 0
        for quarter in SampleWorkspace.quarters {
            let folder = workspace.out + "/\(quarter)/workbooks"
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".xlsx") {
                let result = try WrappedRowCheck.check(folder + "/" + name)
                #expect(result.short.isEmpty, "\(quarter) \(name): \(result.short.prefix(5))")
                #expect(result.checked > 100, "\(quarter) \(name): only \(result.checked) wrapped cells")
                books += 1
            }
        }
        #expect(books == 16)
    }

    // MARK: - Units and markers

    @Test("headers carry their units: the currency's symbol, %, points of the scale")
    func units() throws {
        let written = try Written()
        let strings = Set(try written.book("F1").sharedStrings())
        for header in [
            "Attendance rate (%)", "Discretionary spend (£)", "Share improved (%)", "Target share improved (%)",
            "Mean change in score (points on the 1–10 scale)", "Share improved OG01 (%)", "Completeness (%)",
        ] {
            #expect(strings.contains(header), "\(header)")
        }
        // No table header goes without its unit (the Definitions sheet names figures without them).
        let book = written.book("F1")
        let headers = try book.parts().filter { $0.hasPrefix("xl/tables/") }.flatMap {
            book.matches(#"<tableColumn [^>]*name="([^"]*)""#, in: try book.part($0)).map { XLSXFile.unescape($0[0]) }
        }
        #expect(headers.contains("Attendance rate (%)"))
        for bare in ["Attendance rate", "Mean change in score", "Discretionary spend", "Share improved"] {
            #expect(!headers.contains(bare), "\(bare)")
        }
    }

    @Test("the Partners total row leaves the Yes/No columns blank")
    func totalRow() throws {
        let written = try Written()
        let partners = try written.book("programme").sheet("Partners")
        let total = try #require(partners.first { $0.value == .string("Total") }.map { XLSXFile.row($0.key) })
        #expect(partners["D\(total)"] == nil && partners["F\(total)"] == nil)
        #expect(partners["G\(total)"] == .number(22))
    }

    @Test("a figure with nothing to work it out from is [z], not [x]")
    func notApplicable() throws {
        let written = try Written()
        let outcomes = try written.book("programme").sheet("Outcomes")
        // P001 works on OG01 only: its OG02 row has nobody, so no share and no mean.
        let row = try #require(
            outcomes.keys.map(XLSXFile.row).sorted().first {
                outcomes["A\($0)"] == .string("P001") && outcomes["C\($0)"] == .string("OG02")
            })
        #expect(outcomes["D\(row)"] == .number(0))
        #expect(outcomes["F\(row)"] == .string("[z]") && outcomes["G\(row)"] == .string("[z]"))
        let cover = try written.book("F1").sheet("Cover")
        #expect(cover.values.contains { $0.text?.hasPrefix("[z]: not applicable") == true })
        #expect(cover.values.contains { $0.text?.hasPrefix("[x]: no data") == true })
    }

    // MARK: - Partners that count, and trends

    @Test("the cover lists only the partners that count for the quarter, as many as the Summary says")
    func coverPartners() throws {
        let written = try Written(Self.inputWithEndedPartner())
        let cover = try written.book("F1").sheet("Cover")
        let list = try #require(cover.values.compactMap(\.text).first { $0.contains("(P001)") })
        #expect(list == "North Haven (P001); Shared Harbour (P002)")
        let summary = try written.book("F1").sheet("Summary")
        let row = try #require(summary.first { $0.value == .string("Partners covered") }.map { XLSXFile.row($0.key) })
        #expect(summary["B\(row)"] == .number(2))
    }

    @Test("Trends says when the number of partners reporting changes, and only then")
    func trendsNote() throws {
        let changed = try Written(Self.inputWithEndedPartner())
        let trends = try changed.book("F1").sheet("Trends").values.compactMap(\.text)
        #expect(
            trends.contains { $0.hasPrefix("The number of partners reporting changed across these quarters (3 in 2026-Q1, 2 in 2026-Q2)") })
        let same = try Written()
        #expect(!(try same.book("F1").sheet("Trends").values.compactMap(\.text)).contains { $0.contains("partners reporting changed") })
        #expect(WorkbookContent.reportingNote([(WorkbookWriterTests.previous, 4), (WorkbookWriterTests.quarter, 4)]) == nil)
    }

    // MARK: - Charts

    @Test("the outcome-goals chart: goals by title on the category axis, shares from 0% to 100% on the value axis")
    func goalsChart() throws {
        let written = try Written()
        let book = written.book("F1")
        let charts = try book.parts().filter { $0.hasPrefix("xl/charts/chart") }.map { try book.part($0) }
        let chart = try #require(charts.first { $0.contains("<c:barDir val=\"bar\"/>") })
        func element(_ name: String) -> Substring {
            guard let start = chart.range(of: "<c:\(name)>"), let end = chart.range(of: "</c:\(name)>") else { return "" }
            return chart[start.lowerBound..<end.upperBound]
        }
        let category = element("catAx")
        let value = element("valAx")
        #expect(category.contains("<a:t>Outcome goal</a:t>") && !category.contains("0%"))
        #expect(value.contains("<a:t>Share of people improved (%)</a:t>"))
        #expect(value.contains(#"<c:numFmt formatCode="0%" sourceLinked="0"/>"#))
        #expect(value.contains(#"<c:max val="1"/>"#))
        // Categories are the goal titles (column B of the goal progress table), not their codes.
        #expect(chart.contains("<c:cat><c:strRef><c:f>Outcomes!$B$"))
        #expect(chart.contains("<c:v>Feeling safer</c:v>"))
    }

    @Test("every chart has alternative text saying what it shows, with no figure in it")
    func altText() throws {
        let written = try Written()
        for name in ["F1", "programme"] {
            let book = written.book(name)
            let drawings = try book.parts().filter { $0.hasPrefix("xl/drawings/drawing") && $0.hasSuffix(".xml") }
            let descriptions = try drawings.flatMap { try book.matches(#"descr="([^"]*)""#, in: book.part($0)).map { $0[0] } }
            #expect(descriptions.count == 3, "\(name): \(descriptions)")
            for text in descriptions {
                #expect(text.count > 60 && text.contains("chart"))
                #expect(!text.contains(where: \.isNumber) || text.contains("0% to 100%") || text.contains("Q"), "\(text)")
            }
        }
    }

    @Test(
        "long goal titles are shortened at a word for the chart",
        arguments: [
            ("Feeling safer", "Feeling safer"),
            ("Coping with the effects of trauma and of what happened before", "Coping with the effects of trauma and…"),
            ("Averyveryveryveryveryveryveryveryverylongword", "Averyveryveryveryveryveryveryveryverylo…"),
        ])
    func shortTitles(title: String, short: String) {
        #expect(WorkbookContent.shortTitle(title) == short)
        #expect(WorkbookContent.shortTitle(title).count <= WorkbookContent.chartLabelLimit)
    }

    // MARK: - Definitions

    @Test("a funder's Definitions define, in a funder's words, only the figures its workbook holds")
    func funderDefinitions() throws {
        let input = WorkbookWriterTests.input()
        let funder = input.reference.funders[0]
        let scope = WorkbookScope.funder(funder, partnerIDs: ["P001", "P002"])
        let content = WorkbookContent(input: input, scope: scope, provenance: WorkbookProvenance())
        let sheets = content.sheets()
        let definitions = try #require(sheets.first { $0.name == "Definitions" }?.tables.first)
        var shown: Set<String> = []
        for sheet in sheets where sheet.name != "Definitions" {
            for table in sheet.tables {
                shown.formUnion(table.columns.map { FunderDefinitions.key($0.header) })
                if table.columns.first?.header == "Measure" {
                    shown.formUnion(table.rows.compactMap { $0.first?.textValue }.map(FunderDefinitions.key))
                }
            }
        }
        let figures = definitions.rows.filter { $0.first != .text("Symbols") }.compactMap { $0[1].textValue }
        #expect(figures.count >= 25)
        for figure in figures { #expect(shown.contains(figure), "\(figure) is defined but not shown") }
        for row in definitions.rows {
            let words = row.compactMap(\.textValue).joined(separator: " ")
            for analyst in ["person_ref", "impact.yaml", "MAD", "robust", "z-score", "`", "support_status", "outcome_id"] {
                #expect(!words.contains(analyst), "\(words)")
            }
        }
        // Every figure column a funder sees is defined.
        for figure in ["People supported", "Attendance rate", "Share improved", "Mean change in score", "Partners reporting"] {
            #expect(figures.contains(figure), "\(figure)")
        }
        // The programme's workbook keeps the analyst's definitions.
        let programme = WorkbookContent(input: input, scope: .programme, provenance: WorkbookProvenance()).sheets()
        let analyst = try #require(programme.first { $0.name == "Definitions" }?.tables.first)
        #expect(analyst.rows.contains { $0.compactMap(\.textValue).joined().contains("person_ref") })
    }
}
