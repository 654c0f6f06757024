import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Returns sent as filled-in Excel templates run through the quarter exactly as the same returns sent as CSV files.
@Suite(.serialized) struct WorkbookRunTests {
    /// Replaces each CSV return of a quarter in the workspace by a template filled with its rows.
    static func sendAsWorkbooks(_ workspace: SampleWorkspace, quarter: String) throws -> [String] {
        let folder = workspace.path + "/returns/" + quarter
        let partners = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix("-support.csv") }
            .map { String($0.dropLast("-support.csv".count)) }.sorted()
        let builder = { (partner: String) throws(ImpactError) -> TemplateBuilder in
            try TemplateBuilder.forWorkspace(
                workspace.path,
                options: TemplateOptions(partnerID: partner, quarter: Quarter(quarter), rows: 300, created: Date(timeIntervalSince1970: 0)))
        }
        for partner in partners {
            let files = SchemaSet.builtInReturnTables.map { "\(folder)/\(partner)-\($0).csv" }
                .filter { FileManager.default.fileExists(atPath: $0) }
            let template = try builder(partner)
            let filling = try TemplateFilling(csvFiles: files, schemas: template.schemas)
            try template.write(to: "\(folder)/\(partner).xlsx") { schema, sheet, book in
                try filling.fill(schema, sheet: sheet, book: book)
            }
            for file in files { try FileManager.default.removeItem(atPath: file) }
        }
        return partners
    }

    @Test("the 2026-Q2 returns sent as workbooks give the same verdicts and the same report")
    func sameQuarter() throws {
        let csv = try SampleWorkspace()
        let excel = try SampleWorkspace()
        let partners = try Self.sendAsWorkbooks(excel, quarter: "2026-Q2")
        #expect(partners.count >= 5)
        let fromCSV = try csv.runAll().last!
        let fromExcel = try excel.runAll().last!
        #expect(fromExcel.accepted == fromCSV.accepted)
        #expect(fromExcel.rejected == 0)
        #expect(fromExcel.returns.map(\.partnerID) == fromCSV.returns.map(\.partnerID))
        // The report differs only where it names the files received.
        func body(_ text: String?) -> [String] {
            (text ?? "").split(separator: "\n").filter { !$0.contains("returns/2026-Q2/") && !$0.contains("SHA-256") }.map(String.init)
        }
        let report = body(csv.read("2026-Q2/impact-report.md"))
        #expect(!report.isEmpty)
        #expect(body(excel.read("2026-Q2/impact-report.md")) == report)
        #expect(body(excel.read("2026-Q2/feedback/P001.md")) == body(csv.read("2026-Q2/feedback/P001.md")))
    }

    @Test("a workbook without an outcomes sheet is rejected, with what to send")
    func missingTable() throws {
        let workspace = try SampleWorkspace()
        let folder = workspace.path + "/returns/2026-Q2"
        for table in SchemaSet.builtInReturnTables { try? FileManager.default.removeItem(atPath: "\(folder)/P001-\(table).csv") }
        let header = try SchemaSet.embedded()["support"]!.fields.map(\.name)
            .enumerated().map { "<c r=\"\(Finding.columnLetters($0.offset + 1))1\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>" }
            .joined()
        let row = ["P001", "2026-Q2", "AB12-0001", "counselling", "active", "2026-04-01", "", "", "6", "5"].enumerated()
            .filter { !$0.element.isEmpty }
            .map { "<c r=\"\(Finding.columnLetters($0.offset + 1))2\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>" }.joined()
        let sheet = PackageBuilder.sheet("<row r=\"1\">\(header)</row><row r=\"2\">\(row)</row>")
        let outside = TemporaryFolder()
        let built = try PackageBuilder.write(PackageBuilder.parts(sheets: [("support", sheet)]), in: outside, name: "P001.xlsx")
        try FileManager.default.copyItem(atPath: built, toPath: "\(folder)/P001.xlsx")
        let summary = try workspace.runAll().last!
        let outcome = try #require(summary.returns.first { $0.partnerID == "P001" })
        #expect(outcome.verdict == .rejected)
        #expect(outcome.files == ["returns/2026-Q2/P001.xlsx"])
        #expect(outcome.errors == 1)
        let feedback = try #require(workspace.read("2026-Q2/feedback/P001.md"))
        #expect(feedback.contains("has no outcomes table"), "\(feedback)")
    }
}
