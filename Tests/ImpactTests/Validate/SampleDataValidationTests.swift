import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Validation of the sample workspace against what was planted in it (SampleData/invalid-expected.json).
@Suite struct SampleDataValidationTests {
    static func options(quarter: String = "2026-Q2") throws -> ValidationOptions {
        try ValidationOptions(workspace: Workspace.load(folder: TestPaths.repo("SampleData")), quarter: Quarter(quarter))
    }

    struct Key: Hashable, CustomStringConvertible {
        var file: String
        var code: String
        var rowNumber: Int?
        var pointer: String?
        var fieldName: String?
        var severity: String
        var description: String {
            "\(file) \(severity) \(code) row \(rowNumber.map(String.init) ?? "-") pointer \(pointer ?? "-") field \(fieldName ?? "-")"
        }
    }

    @Test("SampleData/invalid reports every planted problem at its row and column, and no false one")
    func invalidFolderMatchesManifest() throws {
        let folder = TestPaths.repo("SampleData/invalid")
        let report = ValidationStage(options: try Self.options()).run(paths: [folder])
        var found: [Key] = []
        for file in report.files {
            let relative = String(file.path.dropFirst(folder.count + 1))
            for finding in file.findings {
                found.append(
                    Key(
                        file: relative, code: finding.code.rawValue, rowNumber: finding.pointer == nil ? finding.rowNumber : nil,
                        pointer: finding.pointer, fieldName: finding.fieldName, severity: finding.severity.rawValue))
            }
        }
        let data = try #require(FileManager.default.contents(atPath: TestPaths.repo("SampleData/invalid-expected.json")))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let expected = entries.map { entry in
            Key(
                file: entry["file"] as! String, code: entry["code"] as! String, rowNumber: entry["rowNumber"] as? Int,
                pointer: entry["pointer"] as? String, fieldName: entry["fieldName"] as? String,
                severity: entry["severity"] as! String)
        }
        #expect(expected.count >= 40, "the manifest should plant every finding code")
        let missing = Set(expected).subtracting(found)
        let unexpected = Set(found).subtracting(expected)
        #expect(missing.isEmpty, "planted but not reported:\n\(missing.map(\.description).sorted().joined(separator: "\n"))")
        #expect(unexpected.isEmpty, "reported but not planted:\n\(unexpected.map(\.description).sorted().joined(separator: "\n"))")
        #expect(found.count == Set(found).count, "a finding is reported twice")
        // Every finding code of the CSV route is shown at least once.
        let codes = Set(found.map(\.code))
        for code: FindingCode in [
            .typeError, .constraintError, .missingCell, .extraCell, .blankRow, .blankLabel, .duplicateLabel, .missingLabel,
            .extraLabel, .primaryKey, .uniqueError, .foreignKey, .encodingError, .sourceError, .ruleViolation,
        ] {
            #expect(codes.contains(code.rawValue), "no \(code.rawValue) in SampleData/invalid")
        }
    }

    @Test("The messy-but-valid variants give no finding at all")
    func messyButValidIsClean() throws {
        let report = ValidationStage(options: try Self.options()).run(paths: [TestPaths.repo("SampleData/invalid/messy-but-valid")])
        #expect(report.files.count >= 30)
        for file in report.files {
            #expect(file.findings.isEmpty, "\(file.path): \(file.findings.map(\.message))")
            #expect(file.rows > 0, "\(file.path) read no rows")
        }
        let encodings = Set(report.files.compactMap(\.encoding))
        #expect(encodings.isSuperset(of: ["utf-8", "utf-8-bom", "windows-1252", "utf-16le", "utf-16be"]))
    }

    @Test("Every quarter of the sample workspace validates without errors", arguments: ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"])
    func sampleReturnsAreValid(quarter: String) throws {
        let report = ValidationStage(options: try Self.options(quarter: quarter)).run(
            paths: [TestPaths.repo("SampleData/returns/\(quarter)")])
        #expect(report.files.count >= 10)
        for file in report.files {
            #expect(file.valid, "\(file.path): \(file.findings.filter { $0.severity == .error }.map(\.message))")
        }
        #expect(report.valid)
    }

    @Test("A return checked for another quarter breaks the quarter rule on every row")
    func wrongQuarterIsReported() throws {
        let report = ValidationStage(options: try Self.options(quarter: "2026-Q1")).run(
            paths: [TestPaths.repo("SampleData/returns/2026-Q2/P001-support.csv")])
        let file = try #require(report.files.first)
        #expect(file.rows > 0)
        #expect(file.findings.count == file.rows)
        #expect(file.findings.allSatisfy { $0.code == .ruleViolation && $0.rule == "quarter-matches-run" })
    }
}
