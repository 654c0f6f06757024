import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The text and JSON output of `impact validate SampleData/invalid`, compared with golden files.
///
/// Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, and review the diff.
@Suite struct OutputGoldenTests {
    static func render(_ format: String) throws -> String {
        let options = try ValidationOptions(workspace: Workspace.load(folder: TestPaths.repo("SampleData")), quarter: Quarter("2026-Q2"))
        let report = ValidationStage(options: options).run(paths: [TestPaths.repo("SampleData/invalid")])
        let output = format == "json" ? FindingsFormatter.json(report) : FindingsFormatter.text(report)
        return output.replacingOccurrences(of: TestPaths.root + "/", with: "")
    }

    @Test("Golden output", arguments: ["text", "json"])
    func golden(format: String) throws {
        let output = try Self.render(format)
        let path = TestPaths.repo("Tests/ImpactTests/Golden/validate-invalid.\(format == "json" ? "json" : "txt")")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try #require(FileManager.default.contents(atPath: path), "missing golden file \(path); run with UPDATE_GOLDEN=1")
        let expected = String(decoding: golden, as: UTF8.self)
        if output != expected {
            let outLines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let goldenLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(outLines, goldenLines).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record(
                "output differs from \(path) at line \((first?.offset ?? min(outLines.count, goldenLines.count)) + 1):\n  got:      \(first.map { String($0.element.0) } ?? "")\n  expected: \(first.map { String($0.element.1) } ?? "")"
            )
        }
    }

    @Test("The JSON output parses and has the documented shape")
    func jsonShape() throws {
        let output = try Self.render("json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count > 20)
        for file in files {
            for key in ["path", "kind", "valid", "rows", "findings"] { #expect(file.keys.contains(key), "file lacks \(key)") }
            for finding in file["findings"] as? [[String: Any]] ?? [] {
                for key in ["severity", "code", "rowNumber", "fieldName", "fieldNumber", "cell", "message"] {
                    #expect(finding.keys.contains(key), "finding lacks \(key)")
                }
            }
        }
    }
}
