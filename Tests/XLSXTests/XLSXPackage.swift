import Foundation
import TestSupport

@testable import XLSX

/// Builds a workbook in a temporary folder, runs `build`, closes it and returns the package.
func writeWorkbook(
    in folder: TemporaryFolder, name: String = "book.xlsx",
    options: WorkbookOptions = WorkbookOptions(created: fixedCreated),
    _ build: (Workbook) throws -> Void
) throws -> XLSXPackage {
    let path = (folder.path as NSString).appendingPathComponent(name)
    let book = try Workbook(path: path, options: options)
    try build(book)
    try book.close()
    return XLSXPackage(path: path)
}

/// 2026-07-01T09:30:00Z, a fixed creation time for reproducible files.
let fixedCreated = Date(timeIntervalSince1970: 1_782_898_200)

/// The files in a folder, hidden ones included.
func filesIn(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

/// Counts non-overlapping occurrences of a substring.
func occurrences(of needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}
