import CSV
import Foundation
import TableSchema
import TestSupport
import Testing

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// The frictionless-py fixtures in ../shared/conformance/frictionless, checked against what
/// frictionless-py 5.21 reports (codes, rows and field numbers; our severities may differ: we
/// treat blank-label and blank-row as warnings).
@Suite("Frictionless conformance")
struct FrictionlessConformanceTests {
    static func fixture(_ name: String) -> String {
        TestPaths.shared("conformance/frictionless/\(name)")
    }

    /// Validates a fixture with "no schema, all fields string": the schema is inferred from its header.
    static func validateInferred(_ name: String) throws -> TableValidator {
        let path = fixture(name)
        let labels = try #require(try CSVReader.header(path: path))
        return try validate(path: path, schema: Schema.allStrings(labels: labels))
    }

    /// `invalid.csv`: every structural error at once.
    @Test func invalidCSV() throws {
        let validator = try Self.validateInferred("invalid.csv")
        #expect(
            briefs(validator.findings) == [
                Brief(.blankLabel, row: 1, field: 3), Brief(.duplicateLabel, row: 1, field: 4),
                Brief(.missingCell, row: 2, field: 3), Brief(.missingCell, row: 2, field: 4),
                Brief(.missingCell, row: 3, field: 3), Brief(.missingCell, row: 3, field: 4),
                Brief(.blankRow, row: 4), Brief(.extraCell, row: 5, field: 5),
            ])
        let severities = Dictionary(validator.findings.map { ($0.code, $0.severity) }, uniquingKeysWith: { first, _ in first })
        #expect(severities[.blankLabel] == .warning)
        #expect(severities[.blankRow] == .warning)
        #expect(severities[.duplicateLabel] == .error)
        #expect(severities[.missingCell] == .error)
        #expect(severities[.extraCell] == .error)
    }

    @Test func duplicateHeaders() throws {
        let validator = try Self.validateInferred("duplicate-headers.csv")
        #expect(briefs(validator.findings) == [Brief(.duplicateLabel, row: 1, field: 3), Brief(.duplicateLabel, row: 1, field: 5)])
        #expect(validator.findings.map(\.fieldName) == ["id", "id"])
    }

    @Test func blankHeaders() throws {
        let validator = try Self.validateInferred("blank-headers.csv")
        #expect(briefs(validator.findings) == [Brief(.blankLabel, row: 1, field: 2)])
    }

    /// `capital-invalid.csv` with the schema of `capital.package.yaml` (id integer, name, name2).
    /// frictionless-py matches header labels to fields by position and reports no missing label;
    /// we match by name, so `name2` (absent from the header, optional) is also a missing-label warning.
    @Test func capitalInvalid() throws {
        let schema = try makeSchema(
            #"{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "name2", "type": "string"}]}"#)
        let validator = try validate(path: Self.fixture("capital-invalid.csv"), schema: schema)
        #expect(
            briefs(validator.findings) == [
                Brief(.missingLabel, row: 1), Brief(.duplicateLabel, row: 1, field: 3), Brief(.missingCell, row: 10, field: 3),
                Brief(.blankRow, row: 11), Brief(.typeError, row: 12, field: 1), Brief(.extraCell, row: 12, field: 4),
            ])
        let typeError = try #require(validator.findings.first { $0.code == .typeError })
        #expect(typeError.cell == "x")
        #expect(typeError.fieldName == "id")
        #expect(typeError.message == "Row 12, column id: expected a whole number, found \"x\".")
        let missingLabel = try #require(validator.findings.first { $0.code == .missingLabel })
        #expect(missingLabel.fieldName == "name2")
        #expect(missingLabel.severity == .warning)
        #expect(validator.rowCount == 10)
    }

    @Test func capitalValid() throws {
        let schema = try makeSchema(#"{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}"#)
        let validator = try validate(path: Self.fixture("capital-valid.csv"), schema: schema)
        #expect(validator.findings.isEmpty)
        #expect(validator.rowCount == 5)
    }

    /// The two resource schemas of `invalid/datapackage.json`, read from the package descriptor.
    static func packageSchemas() throws -> (data: Schema, data2: Schema) {
        let path = fixture("invalid/datapackage.json")
        let json = try #require(FileManager.default.contents(atPath: path))
        let package = try JSONDecoder().decode(JSONTree.self, from: json)
        guard case .object(let members) = package, case .array(let resources)? = members["resources"] else {
            throw FixtureError(description: "\(path) has no resources array")
        }
        var schemas: [String: Schema] = [:]
        for (index, resource) in resources.enumerated() {
            guard case .object(let fields) = resource, case .string(let name)? = fields["name"], let schema = fields["schema"] else {
                continue
            }
            var loaded = try Schema(descriptor: schema, source: "\(path)#/resources/\(index)/schema")
            loaded.name = name
            schemas[name] = loaded
        }
        return (try #require(schemas["data"]), try #require(schemas["data2"]))
    }

    /// `data.csv` (primary key `id`) and `data2.csv` (foreign key `parent` → data.id).
    /// frictionless-py reports a blank row in each, plus a primary-key error on data's blank row
    /// (its key cells are all "None"); we skip blank rows entirely, so only the blank rows remain.
    @Test func invalidPackage() throws {
        let schemas = try Self.packageSchemas()
        #expect(schemas.data.primaryKey == ["id"])
        #expect(schemas.data.fields.map(\.type) == [.string, .string, .string, .number])
        #expect(schemas.data2.foreignKeys.first?.resource == "data")
        #expect(schemas.data2.foreignKeys.first?.referenceFields == ["id"])

        let data = try validate(path: Self.fixture("invalid/data.csv"), schema: schemas.data)
        #expect(briefs(data.findings) == [Brief(.blankRow, row: 3)])
        let keys = try #require(data.keys(over: ["id"]))
        #expect(keys == [KeyHash("A3001"), KeyHash("A5032")])

        var references = KeyIndex()
        references.add(resource: "data", fields: ["id"], keys: keys)
        let data2 = try validate(path: Self.fixture("invalid/data2.csv"), schema: schemas.data2, references: references)
        #expect(briefs(data2.findings) == [Brief(.blankRow, row: 4)])
        #expect(data2.notes.isEmpty)
    }

    /// The same package with a repeated primary key and a dangling reference added.
    @Test func invalidPackageWithKeyErrors() throws {
        let schemas = try Self.packageSchemas()
        let folder = TemporaryFolder()
        let dataText = try String(contentsOfFile: Self.fixture("invalid/data.csv"), encoding: .utf8)
        let dataPath = folder.write("data.csv", text: dataText + "A3001,Again,Repeated id,1\n")
        let data = try validate(path: dataPath, schema: schemas.data)
        #expect(briefs(data.findings) == [Brief(.blankRow, row: 3), Brief(.primaryKey, row: 5, field: 1)])
        #expect(
            data.findings.last?.message
                == "Row 5: id \"A3001\" is already used at row 2. Each row needs its own id; merge or correct the two rows.")

        var references = KeyIndex()
        references.add(resource: "data", fields: ["id"], keys: try #require(data.keys(over: ["id"])))
        let data2Text = try String(contentsOfFile: Self.fixture("invalid/data2.csv"), encoding: .utf8)
        let data2Path = folder.write("data2.csv", text: data2Text + "A9999,dangling\n")
        let data2 = try validate(path: data2Path, schema: schemas.data2, references: references)
        #expect(briefs(data2.findings) == [Brief(.blankRow, row: 4), Brief(.foreignKey, row: 6, field: 1)])
        #expect(
            data2.findings.last?.message == "Row 6, column parent: \"A9999\" is not in the data table (id). Use a value listed there.")
    }

    /// `latin1.csv`: ISO-8859-1 bytes are recognised and "©" (A9) reads correctly.
    @Test func latin1() throws {
        let path = Self.fixture("latin1.csv")
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        let summary = try reader.read { rows.append($0.strings) }
        #expect(summary.encoding == .windows1252)
        #expect(summary.issues.isEmpty)
        #expect(rows == [["id", "name"], ["1", "english"], ["2", "©"]])
        let validator = try Self.validateInferred("latin1.csv")
        #expect(validator.findings.isEmpty)
    }
}
