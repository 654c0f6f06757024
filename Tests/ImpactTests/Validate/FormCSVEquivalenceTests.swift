import Foundation
import JSONSchema
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A structured form and the equivalent CSV files give the same rows and the same findings.
@Suite struct FormCSVEquivalenceTests {
    /// Writes a form's tables as CSV files (schema field order, RFC 4180 quoting) into a folder.
    static func writeCSV(of formPath: String, into folder: TemporaryFolder, schemas: SchemaSet) throws -> [String] {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: formPath)))
        let document =
            formPath.hasSuffix(".json") ? try FormDocument.json(bytes, limits: Limits()) : try FormDocument.yaml(bytes, limits: Limits())
        var paths: [String] = []
        for table in SchemaSet.builtInReturnTables {
            guard let schema = schemas[table], case .array(let items)? = document.value[table] else { continue }
            var text = schema.fields.map(\.name).joined(separator: ",") + "\r\n"
            for item in items {
                let cells = schema.fields.map { field -> String in
                    switch item[field.name] {
                    case .string(let value)?: return value
                    case .number(let number)?: return number.description
                    case .bool(let flag)?: return flag ? "true" : "false"
                    default: return ""
                    }
                }
                text +=
                    cells.map { cell in
                        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
                    }.joined(separator: ",") + "\r\n"
            }
            paths.append(folder.write("\(table).csv", text: text))
        }
        return paths
    }

    static func options() throws -> ValidationOptions {
        var options = try ValidationOptions(workspace: Workspace.load(folder: TestPaths.repo("SampleData")), quarter: Quarter("2026-Q2"))
        options.keepRows = true
        return options
    }

    /// Findings without their location format: code, severity, field, and the row as an item index.
    static func comparable(_ findings: [Finding], table: String?, isForm: Bool) -> [String] {
        findings.compactMap { finding in
            if finding.code == .formError { return nil }
            let item: String
            if isForm {
                guard let pointer = finding.pointer else { return "\(finding.code.rawValue)|-" }
                let parts = pointer.split(separator: "/")
                item = parts.count >= 2 ? "\(parts[0])/\(parts[1])" : pointer
            } else {
                item = "\(table ?? "")/\((finding.rowNumber ?? 2) - 2)"
            }
            return "\(finding.severity.rawValue)|\(finding.code.rawValue)|\(item)|\(finding.fieldName ?? "")"
        }.sorted()
    }

    static let forms: [String] = {
        let folder = TestPaths.repo("SampleData/returns/2026-Q2")
        let sample = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".yaml") }.sorted().map { "returns/2026-Q2/\($0)" }
        return sample + ["invalid/forms/type-error-form.json", "invalid/forms/valid-form.yaml"]
    }()

    @Test("Each sample form and its CSV equivalent give the same rows and findings", arguments: forms)
    func sameRowsAndFindings(form: String) throws {
        let options = try Self.options()
        let formPath = TestPaths.repo("SampleData/\(form)")
        let folder = TemporaryFolder()
        let csvPaths = try Self.writeCSV(of: formPath, into: folder, schemas: options.schemas)
        #expect(csvPaths.count >= 2)

        let formReport = try #require(ValidationStage(options: options).run(paths: [formPath]).files.first)
        let csvReports = ValidationStage(options: options).run(paths: csvPaths).files
        #expect(formReport.kind == "form")

        for table in formReport.tables {
            let csvTable = try #require(csvReports.flatMap(\.tables).first { $0.table == table.table })
            #expect(table.fields == csvTable.fields)
            #expect(table.rows.count == csvTable.rows.count, "\(table.table): row counts differ")
            #expect(table.rows == csvTable.rows, "\(table.table): rows differ between the form and the CSV files")
        }
        let formFindings = Self.comparable(formReport.findings, table: nil, isForm: true)
        let csvFindings = csvReports.flatMap { Self.comparable($0.findings, table: $0.kind, isForm: false) }.sorted()
        #expect(formFindings == csvFindings)
        if form.contains("type-error") { #expect(formFindings == ["error|type-error|support/3|sessions_offered"]) }
    }

    @Test("A person sent twice, in a form and in a CSV file, is a primary-key finding")
    func duplicateAcrossFiles() throws {
        let options = try Self.options()
        let formPath = TestPaths.repo("SampleData/returns/2026-Q2/P002.json")
        let folder = TemporaryFolder()
        let csvPaths = try Self.writeCSV(of: formPath, into: folder, schemas: options.schemas)
        let report = ValidationStage(options: options).run(paths: [formPath] + csvPaths)
        let duplicates = report.files.flatMap(\.findings).filter { $0.code == .primaryKey }
        let supportRows = try #require(report.files.first?.tables.first { $0.table == "support" }?.rows.count)
        #expect(duplicates.count >= supportRows, "every support row arrives twice")
        #expect(duplicates.allSatisfy { $0.message.contains("is already in") })
    }

    @Test("YAML findings carry the line and column; JSON findings their pointer and line")
    func positions() throws {
        let options = try Self.options()
        let yaml = try #require(
            ValidationStage(options: options).run(paths: [TestPaths.repo("SampleData/invalid/forms/bad-submitted-on-form.yaml")])
                .files.first?.findings.first)
        #expect(yaml.pointer == "/submitted_on")
        #expect(yaml.line == 3)
        #expect(yaml.column != nil)
        let json = try #require(
            ValidationStage(options: options).run(paths: [TestPaths.repo("SampleData/invalid/forms/type-error-form.json")])
                .files.first?.findings.first)
        #expect(json.pointer == "/support/3/sessions_offered")
        #expect(json.line != nil)
        #expect(json.message.hasPrefix("/support/3/sessions_offered: expected a whole number"))
    }
}
