import Foundation
import TestSupport
import Testing

@testable import Impact

@Suite("Finding input files")
struct InputFileTests {
    @Test("a folder gives returns of every format, and skips hidden files, lock files and other kinds")
    func discover() throws {
        let folder = TemporaryFolder()
        for name in ["P001-support.csv", ".hidden.csv", "~$P002.xlsx", "P002.xlsx", "P003.xls", "notes.docx", "P004.yaml", "P005.json"] {
            _ = folder.write(name, bytes: [])
        }
        let found = InputFile.discover([folder.path])
        #expect(found.problems.isEmpty)
        let names = found.files.map { ($0.path as NSString).lastPathComponent }
        #expect(names == ["P001-support.csv", "P002.xlsx", "P003.xls", "P004.yaml", "P005.json"])
        #expect(found.files.map(\.format) == [.csv, .xlsx, .xlsx, .yaml, .json])
    }
}
