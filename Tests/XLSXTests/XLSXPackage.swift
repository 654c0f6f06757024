import Foundation
import TestSupport

@testable import XLSX

/// A written .xlsx file, read back part by part with `unzip` (an .xlsx is a zip of XML parts).
struct XLSXPackage {
    let path: String

    /// The names of the parts in the package.
    func partNames() throws -> [String] {
        let out = try run(["-Z1", path])
        return out.split(separator: "\n").map(String.init)
    }

    /// One part's text, or nil when the package has no such part.
    func part(_ name: String) throws -> String? {
        guard try partNames().contains(name) else { return nil }
        return try run(["-p", path, name])
    }

    /// One part's text; records a failure message naming the part when it is missing.
    func xml(_ name: String) throws -> String {
        guard let text = try part(name) else { throw MissingPart(name: name, path: path) }
        return text
    }

    struct MissingPart: Error, CustomStringConvertible {
        let name: String
        let path: String
        var description: String { "\(path) has no part \(name)" }
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

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
