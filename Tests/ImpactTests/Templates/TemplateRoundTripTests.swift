import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A template filled in with a return's rows must read back as the same rows, with the same findings, as the
/// same return sent as CSV files.
@Suite("Template round trip")
struct TemplateRoundTripTests {
    static let sample = TestPaths.repo("SampleData")
    static let invalid = TestPaths.repo("SampleData/invalid")

    /// The returns of 2026-Q2 sent as CSV files, by partner.
    static let samplePartners: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.repo("SampleData/returns/2026-Q2"))) ?? []
        return Array(Set(names.filter { $0.hasSuffix("-support.csv") }.map { String($0.prefix(4)) })).sorted()
    }()

    /// Returns with one planted problem: the base return with one table swapped for its broken copy.
    static let brokenTables = [
        "constraint-error-outcomes.csv", "constraint-error-ripple.csv", "constraint-error-support.csv", "extra-cell-support.csv",
        "blank-row-support.csv", "foreign-key-outcome-outcomes.csv", "foreign-key-outcome-ripple.csv",
        "foreign-key-partner-support.csv", "foreign-key-person-outcomes.csv", "primary-key-ripple.csv", "primary-key-support.csv",
        "rule-violation-support.csv", "type-error-outcomes.csv", "type-error-ripple.csv", "type-error-support.csv",
    ]

    @Test("each sample partner's 2026-Q2 return", arguments: samplePartners)
    func sampleReturn(partner: String) throws {
        let folder = TestPaths.repo("SampleData/returns/2026-Q2")
        // Awards are sent only by a partner that made some this quarter.
        let files = SchemaSet.builtInReturnTables.map { (folder as NSString).appendingPathComponent("\(partner)-\($0).csv") }
            .filter { !$0.hasSuffix("-awards.csv") || FileManager.default.fileExists(atPath: $0) }
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "every sample CSV return has every table")
        try compare(csvFiles: files, partner: partner)
    }

    @Test("a return with one planted problem", arguments: brokenTables)
    func brokenReturn(broken: String) throws {
        let table = SchemaSet.builtInReturnTables.first { broken.hasSuffix("-\($0).csv") }!
        // The planted files' base return has no narrative (it is optional).
        let files = SchemaSet.builtInReturnTables.map { name in
            (Self.invalid as NSString).appendingPathComponent(name == table ? broken : "base-\(name).csv")
        }.filter { FileManager.default.fileExists(atPath: $0) }
        let findings = try compare(csvFiles: files, partner: "P003")
        #expect(findings.contains { $0.severity == .error || $0.code == .blankRow }, "the planted problem was found")
    }

    @Test(
        "a messy but valid return (UK dates, £ amounts, Yes/No, stray spaces, other encodings)",
        arguments: ["cp1252", "crlf", "pound-amounts", "quoted-fields", "stray-spaces", "trailing-blank-rows", "uk-dates", "yes-no"])
    func messyReturn(kind: String) throws {
        let folder = TestPaths.repo("SampleData/invalid/messy-but-valid")
        let files = SchemaSet.builtInReturnTables.map { (folder as NSString).appendingPathComponent("\(kind)-\($0).csv") }
            .filter { FileManager.default.fileExists(atPath: $0) }
        let findings = try compare(csvFiles: files, partner: "P003")
        #expect(!findings.contains { $0.severity == .error })
    }

    // MARK: - Helpers

    /// Validates the CSV files, fills a template with the same cells, validates the workbook, and compares.
    @discardableResult
    func compare(csvFiles: [String], partner: String) throws -> [Finding] {
        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("\(partner).xlsx")
        let builder = try TemplateBuilder.forWorkspace(
            Self.sample,
            options: TemplateOptions(partnerID: partner, quarter: Quarter("2026-Q2"), rows: 200, created: Date(timeIntervalSince1970: 0)))
        let filling = try TemplateFilling(csvFiles: csvFiles, schemas: builder.schemas)
        try builder.write(to: path) { schema, sheet, book in try filling.fill(schema, sheet: sheet, book: book) }
        return try Self.expectSameAsCSV(workbook: path, csvFiles: csvFiles)
    }

    /// Validates a workbook and the CSV files of the same return, and expects the same rows, value for value,
    /// and the same findings, each placed on its table's sheet; returns the workbook's findings.
    static func expectSameAsCSV(workbook path: String, csvFiles: [String]) throws -> [Finding] {
        var options = ValidationOptions(
            workspace: try Workspace.load(folder: nil, reference: TestPaths.repo("SampleData/reference")), quarter: Quarter("2026-Q2"))
        options.keepRows = true
        let stage = ValidationStage(options: options)
        let csvReports = stage.run(files: csvFiles.compactMap { InputFile(path: $0) })
        let workbook = try #require(stage.run(files: [InputFile(path: path)!]).first)

        // The same rows, value for value.
        for report in csvReports {
            let csvTable = try #require(report.tables.first)
            let sheetTable = try #require(workbook.tables.first { $0.table == csvTable.table }, "no \(csvTable.table) sheet read")
            #expect(sheetTable.rows == csvTable.rows, "\(csvTable.table): rows differ")
        }
        // The same findings, placed on the sheet of the table.
        func key(_ finding: Finding, _ table: String) -> String {
            "\(table) \(finding.severity) \(finding.code.rawValue) row \(finding.rowNumber ?? 0) \(finding.fieldName ?? "-")"
        }
        let fromCSV = csvReports.flatMap { report in report.findings.map { key($0, report.kind ?? "?") } }.sorted()
        let fromSheets = workbook.findings.map { key($0, $0.sheet ?? "?") }.sorted()
        #expect(fromSheets == fromCSV)
        for finding in workbook.findings where finding.rowNumber != nil && finding.fieldNumber != nil {
            #expect(finding.message.hasPrefix(finding.cellReference!), "\(finding.message) does not start with its cell")
        }
        return workbook.findings
    }
}
