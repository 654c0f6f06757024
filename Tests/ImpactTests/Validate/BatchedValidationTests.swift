import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// One CSV file checked in batches on several cores gives exactly what one pass gives: the same findings in
/// the same order, row counts, partners and quarters named, notes, and kept rows with their verdicts, for
/// any number of jobs and any batch size (down to one row a batch, so every row is a batch boundary). Workbooks
/// among the files are read ahead on another thread when there are several jobs, with the same results.
@Suite struct BatchedValidationTests {
    static let workspace = TestPaths.repo("SampleData")

    /// The report as JSON, with the kept rows of every file, to compare byte for byte.
    static func outcome(_ paths: [String], jobs: Int, batchRows: Int, keepRows: Bool = true, quarter: String = "2026-Q2") throws -> String {
        var options = try ValidationOptions(workspace: Workspace.load(folder: workspace), quarter: Quarter(quarter))
        options.jobs = jobs
        options.batchRows = batchRows
        options.parallelFromBytes = 0
        options.keepRows = keepRows
        let report = ValidationStage(options: options).run(paths: paths)
        var text = FindingsFormatter.json(report)
        for file in report.files {
            text += "\n\(file.path): rows \(file.rows), partners \(file.partnerIDs), quarters \(file.quarters)\n"
            for table in file.tables {
                for row in table.rows { text += "\(row.rowNumber) \(row.valid) \(row.values.map(\.canonicalText))\n" }
            }
        }
        return text
    }

    /// A support file with what batch boundaries could break: keys repeated across batches (and within
    /// one), blank rows before, between and after the data, short and long rows, rule and type errors on
    /// rows that also repeat a key, a row repeating a key whose first row was itself a repeat.
    static func trickyFile(in folder: TemporaryFolder) -> String {
        let header =
            "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref\n"
        var text = ",,,,,,,,,,,\n" + header
        func row(_ ref: String, status: String = "active", offered: String = "6", attended: String = "4") -> String {
            "P001,2026-Q2,\(ref),counselling,\(status),2026-01-05,,,\(offered),\(attended),,\n"
        }
        for index in 0..<60 {
            switch index {
            case 9, 10, 33: text += ",,,,,,,,,,,\n"
            case 12: text += row("AB12-CD34")  // first
            case 13: text += row("AB12-CD34")  // repeat in the same batch for large batches
            case 40: text += row("AB12-CD34", status: "ended")  // repeat, and a rule error (no end date)
            case 41: text += row("EF56-GH78", attended: "9")  // attended above offered
            case 42: text += row("EF56-GH78", offered: "six")  // repeat with a type error
            case 50: text += "P001,2026-Q2,ZZ99-ZZ99,counselling\n"
            case 51: text += row("YY11-YY11").dropLast() + ",extra\n"
            case 55: text += row("EF56-GH78")
            default: text += row(String(format: "PR%02d-%04d", index % 7, index))
            }
        }
        text += ",,,,,,,,,,,\n,,,,,,,,,,,\n"
        return folder.write("P001-support.csv", text: text)
    }

    @Test(arguments: [(2, 1), (3, 2), (2, 7), (4, 16), (2, 8192)])
    func sameAsOnePass(jobs: Int, batchRows: Int) throws {
        let folder = TemporaryFolder()
        let paths = [
            Self.trickyFile(in: folder), TestPaths.repo("SampleData/invalid"), TestPaths.repo("Tests/Fixtures/hostile"),
            TestPaths.repo("SampleData/returns/2026-Q2"), TestPaths.repo("Tests/Fixtures/workbooks"),
        ]
        let one = try Self.outcome(paths, jobs: 1, batchRows: batchRows)
        let batched = try Self.outcome(paths, jobs: jobs, batchRows: batchRows)
        #expect(one.contains("is already used at row 15") && one.contains("Row 12 is empty") && one.contains("row 44"))
        if one != batched {
            let a = one.split(separator: "\n")
            let b = batched.split(separator: "\n")
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record(
                "jobs \(jobs), \(batchRows) rows a batch: line \(first + 1) differs:\n\(first < a.count ? a[first] : "")\n\(first < b.count ? b[first] : "")"
            )
        }
    }

    /// A report's JSON is the same text whether its findings are formatted on one core or several (chunks of
    /// 4,096 findings, written in order): files with none, fewer than a chunk and several chunks' worth.
    @Test(arguments: [2, 3, 8])
    func jsonSameForAnyJobs(jobs: Int) {
        func file(_ path: String, findings count: Int) -> FileReport {
            let findings = (0..<count).map { index in
                Finding(
                    index % 3 == 0 ? .warning : .error, .typeError, rowNumber: index + 2, fieldName: "sessions_offered",
                    fieldNumber: 9, cell: "six \"\(index)\"", message: "Row \(index + 2): expected a whole number, found \"six\".")
            }
            return FileReport(path: path, kind: "support", format: .csv, rows: count, findings: findings)
        }
        let report = ValidationReport(files: [
            file("a.csv", findings: 0), file("b.csv", findings: 5), file("c.csv", findings: 4096 * 2 + 7), file("d.csv", findings: 4096),
        ])
        let one = FindingsFormatter.json(report)
        var pieces = ""
        FindingsFormatter.json(report, jobs: jobs) { pieces += $0 }
        #expect(pieces == one)
        #expect(one.contains("\"path\": \"c.csv\"") && one.contains("Row 8200:"))
    }

    /// A file of many partners names them all, as one pass does, up to the thousand it keeps.
    @Test func distinctValuesAcrossBatches() throws {
        let folder = TemporaryFolder()
        var text =
            "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref\n"
        for index in 0..<2_500 {
            text += "P\(1000 + (index * 7) % 1_300),2026-Q2,AB12-\(String(format: "%04d", index)),counselling,active,2026-01-05,,,6,4,,\n"
        }
        let file = folder.write("many-support.csv", text: text)
        let one = try Self.outcome([file], jobs: 1, batchRows: 100, keepRows: false)
        let batched = try Self.outcome([file], jobs: 3, batchRows: 100, keepRows: false)
        #expect(one == batched)
    }
}
