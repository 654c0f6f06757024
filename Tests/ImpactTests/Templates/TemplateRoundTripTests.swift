import CSV
import Foundation
import TableSchema
import TestSupport
import Testing
import XLSX

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
        let files = SchemaSet.returnTables.map { (folder as NSString).appendingPathComponent("\(partner)-\($0).csv") }
        try compare(csvFiles: files, partner: partner)
    }

    @Test("a return with one planted problem", arguments: brokenTables)
    func brokenReturn(broken: String) throws {
        let table = SchemaSet.returnTables.first { broken.hasSuffix("-\($0).csv") }!
        let files = SchemaSet.returnTables.map { name in
            (Self.invalid as NSString).appendingPathComponent(name == table ? broken : "base-\(name).csv")
        }
        let findings = try compare(csvFiles: files, partner: "P003")
        #expect(findings.contains { $0.severity == .error || $0.code == .blankRow }, "the planted problem was found")
    }

    // MARK: - Helpers

    /// Validates the CSV files, fills a template with the same cells, validates the workbook, and compares.
    @discardableResult
    func compare(csvFiles: [String], partner: String) throws -> [Finding] {
        var options = ValidationOptions(
            schemas: try SchemaSet.embedded(), referenceFolder: TestPaths.repo("SampleData/reference"), quarter: Quarter("2026-Q2"))
        options.keepRows = true
        let stage = ValidationStage(options: options)
        let csvReports = stage.run(files: csvFiles.compactMap { InputFile(path: $0) })

        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("\(partner).xlsx")
        let builder = try TemplateBuilder.forWorkspace(
            Self.sample,
            options: TemplateOptions(partnerID: partner, quarter: Quarter("2026-Q2"), rows: 200, created: Date(timeIntervalSince1970: 0)))
        try builder.write(to: path) { schema, sheet, book in
            guard let file = csvFiles.first(where: { $0.hasSuffix("-\(schema.name).csv") }) else { return }
            try fill(sheet, schema: schema, from: file, dateFormat: book.addFormat(FormatSpec(numberFormat: "dd/mm/yyyy")))
        }
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

    /// Writes a CSV file's rows into a sheet as a partner typing into Excel would: numbers as numbers, ISO dates as
    /// dates, everything else as text, empty cells left empty.
    func fill(_ sheet: Worksheet, schema: Schema, from file: String, dateFormat: Format) throws {
        var header: [String] = []
        var row = 0
        _ = try CSVReader(path: file).read { record in
            if header.isEmpty {
                header = record.strings
                return
            }
            row = record.rowNumber - 1
            for (column, text) in record.strings.enumerated() where !text.isEmpty {
                let type = column < header.count ? schema.fieldIndex(header[column]).map { schema.fields[$0].type } : nil
                switch type {
                case .integer?, .number?:
                    if let number = Double(text) {
                        try sheet.write(number: number, row: row, column: column)
                    } else {
                        try sheet.write(string: text, row: row, column: column)
                    }
                case .date?:
                    if text.count == 10, let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)),
                        let day = Int(text.suffix(2)), let date = try? ExcelDate(year: year, month: month, day: day)
                    {
                        try sheet.write(date: date, row: row, column: column, format: dateFormat)
                    } else {
                        try sheet.write(string: text, row: row, column: column)
                    }
                default:
                    try sheet.write(string: text, row: row, column: column)
                }
            }
            // Cells the CSV row leaves out are blank in the sheet too.
            if record.strings.count < header.count {
                for column in record.strings.count..<header.count { try sheet.writeBlank(row: row, column: column) }
            }
        }
    }
}
