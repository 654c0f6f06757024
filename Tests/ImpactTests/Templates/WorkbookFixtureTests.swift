import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Filled-in templates that LibreOffice opened and saved (scripts/libreoffice-roundtrip --update-fixtures): its
/// own shared strings, styles, date formats and part layout must read as the CSV files they were made from.
@Suite("Workbooks saved by LibreOffice")
struct WorkbookFixtureTests {
    static let fixtures = TestPaths.repo("Tests/Fixtures/workbooks")

    @Test("P001's 2026-Q2 return reads as its CSV files")
    func sampleReturn() throws {
        let folder = TestPaths.repo("SampleData/returns/2026-Q2")
        // The fixture was saved by LibreOffice from a template made before the narrative sheet and before the support
        // table's priority_groups, worker_changes and transition_to: the support file is compared without them.
        let temporary = TemporaryFolder()
        let support = try String(contentsOfFile: (folder as NSString).appendingPathComponent("P001-support.csv"), encoding: .utf8)
        let older = support.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).prefix(12).joined(separator: ",")
        }.joined(separator: "\n")
        let files =
            [temporary.write("P001-support.csv", text: older + "\n")]
            + ["outcomes", "ripple"].map { (folder as NSString).appendingPathComponent("P001-\($0).csv") }
        let findings = try TemplateRoundTripTests.expectSameAsCSV(
            workbook: (Self.fixtures as NSString).appendingPathComponent("libreoffice-P001.xlsx"), csvFiles: files)
        #expect(findings.isEmpty)
    }

    @Test("a return with type errors gives the same findings, at the same cells")
    func typeErrors() throws {
        let invalid = TestPaths.repo("SampleData/invalid")
        let files = ["type-error-support.csv", "base-outcomes.csv", "base-ripple.csv"].map {
            (invalid as NSString).appendingPathComponent($0)
        }
        let findings = try TemplateRoundTripTests.expectSameAsCSV(
            workbook: (Self.fixtures as NSString).appendingPathComponent("libreoffice-type-error.xlsx"), csvFiles: files)
        let typeErrors = findings.filter { $0.code == .typeError }
        #expect(typeErrors.map { $0.cellReference ?? "" } == ["support!I3", "support!F4"])
        #expect(typeErrors.first?.message.hasPrefix("support!I3 (sessions_offered): expected a whole number, found \"twelve\"") == true)
    }
}
