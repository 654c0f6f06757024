import Foundation
import TestSupport
import Testing

@testable import Impact

/// Forms built to hurt: deep nesting, alias bombs, duplicate keys, size. Each gives a clear
/// source-error quickly, never a crash, a hang or a memory blow-up.
@Suite struct HostileFormTests {
    static func validate(_ name: String, _ text: String) throws -> FileReport {
        let folder = TemporaryFolder()
        let path = folder.write(name, text: text)
        return try #require(ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded())).run(paths: [path]).files.first)
    }

    @Test("JSON nested 100,000 deep is refused at the depth limit")
    func deepJSON() throws {
        let report = try Self.validate("deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        #expect(report.findings.map(\.code) == [.sourceError])
        #expect(report.findings.first?.message.contains("deep") == true || report.findings.first?.message.contains("nest") == true)
    }

    @Test("YAML nested 100,000 deep (flow style) is refused before the YAML parser recurses")
    func deepYAML() throws {
        let report = try Self.validate(
            "deep.yaml", "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        #expect(report.findings.map(\.code) == [.sourceError])
        #expect(report.findings.first?.message.contains("nested more than") == true)
    }

    @Test(
        "The depth guard reads on after a comment, and counts CRLF lines",
        arguments: ["# a comment first\r\n", "note: see #3\n", "# one\r\n# two\r\n"])
    func deepYAMLAfterComment(_ opening: String) throws {
        let report = try Self.validate(
            "deep.yaml", opening + "a: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n")
        #expect(report.findings.map(\.code) == [.sourceError])
        let message = report.findings.first?.message ?? ""
        #expect(message.contains("nested more than"))
        let lines = opening.filter { $0 == "\n" || $0 == "\r\n" }.count
        #expect(report.findings.first?.line == lines + 1)
    }

    @Test("A YAML alias bomb (billion laughs) is refused without expanding it")
    func aliasBomb() throws {
        var text = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let report = try Self.validate("bomb.yaml", text)
        #expect(report.findings.map(\.code) == [.sourceError])
        #expect(report.findings.first?.message.contains("aliases") == true)
    }

    @Test("Aliases under the limit that still expand too far are stopped by the value budget")
    func aliasExpansionBudget() throws {
        var limits = Limits()
        limits.maxYAMLNodes = 1_000
        var text = "a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
        for level in 1...4 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1), *a\(level - 1), *a\(level - 1)]\n" }
        #expect(throws: FormDocument.ReadError.self) { try FormDocument.yaml(Array(text.utf8), limits: limits) }
        limits.maxYAMLNodes = 1_000_000
        #expect(throws: Never.self) { try FormDocument.yaml(Array(text.utf8), limits: limits) }
    }

    @Test("A YAML key given twice in one item is a source-error naming the key and line")
    func duplicateYAMLKey() throws {
        let report = try Self.validate("dup.yaml", "partner_id: P001\nquarter: 2026-Q2\npartner_id: P002\n")
        let finding = try #require(report.findings.first)
        #expect(finding.code == .sourceError)
        #expect(finding.message.contains("\"partner_id\""))
        #expect(finding.line == 3 || finding.line == 1)
    }

    @Test("A JSON key given twice is reported with both lines")
    func duplicateJSONKey() throws {
        let report = try Self.validate("dup.json", "{\"partner_id\": \"P001\",\n\"partner_id\": \"P002\"}")
        #expect(report.findings.contains { $0.code == .sourceError && $0.message.contains("appears twice") })
    }

    @Test("A form that is not an object, and an empty form, say what a form should be")
    func notAForm() throws {
        #expect(try Self.validate("list.json", "[1, 2, 3]").findings.first?.message.contains("not a quarterly return form") == true)
        #expect(try Self.validate("empty.yaml", "").findings.first?.code == .sourceError)
    }
}
