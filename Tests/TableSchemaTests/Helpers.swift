import CSV
import Dates
import Foundation
import TableSchema
import TestSupport
import Testing

/// CSV records feed the validator directly (Impact declares the same conformance; these tests do
/// not import Impact). No `@retroactive`: CSV and TableSchema are in this package, where the
/// attribute is an error, not a silencer.
extension CSVRecord: CellRow {
    public var cellCount: Int { count }
    public func cell(_ index: Int) -> ArraySlice<UInt8> { self[index] }
    public func withUnsafeCells<R>(_ body: (UnsafeCells) -> R) -> R {
        withUnsafeCellBytes { body(UnsafeCells(bytes: $0, ends: $1, start: $2)) }
    }
}

/// Builds a schema from a JSON text.
func makeSchema(_ json: String, source: String = "test.schema.json") throws(SchemaError) -> Schema {
    try Schema(json: Data(json.utf8), source: source)
}

/// Builds the one field of a schema `{"fields": [field]}`.
func makeField(_ json: String) throws(SchemaError) -> Field {
    try makeSchema("{\"fields\": [\(json)]}").fields[0]
}

/// Parses a text as a field given in JSON.
func parse(_ text: String, _ fieldJSON: String) throws -> ParseOutcome {
    CellParser.parse(Array(text.utf8)[...], as: try makeField(fieldJSON))
}

/// The error a schema JSON text throws, if any.
func schemaError(_ json: String) -> SchemaError? {
    do {
        _ = try makeSchema(json)
        return nil
    } catch {
        return error
    }
}

/// A schema from the repository's `Schemas` folder.
func repositorySchema(_ name: String) throws -> Schema {
    try Schema(contentsOf: TestPaths.repo("Schemas/\(name).schema.json"))
}

/// Validates CSV text the way the pipeline does: the first non-blank record is the header.
@discardableResult
func validate(
    _ text: String, schema: Schema, parameters: [String: RuleValue] = [:], references: KeyIndex = KeyIndex(),
    chunkSize: Int = 64 * 1024
) throws -> TableValidator {
    try validate(bytes: Array(text.utf8), schema: schema, parameters: parameters, references: references, chunkSize: chunkSize)
}

/// Validates CSV bytes (any encoding the reader understands).
@discardableResult
func validate(
    bytes: [UInt8], schema: Schema, parameters: [String: RuleValue] = [:], references: KeyIndex = KeyIndex(),
    chunkSize: Int = 64 * 1024
) throws -> TableValidator {
    let validator = TableValidator(schema: schema, parameters: parameters, references: references)
    try feed(bytes, to: validator, chunkSize: chunkSize)
    return validator
}

/// Reads CSV bytes into a validator (its header at the first non-blank record), then finishes it.
func feed(_ bytes: [UInt8], to validator: TableValidator, chunkSize: Int = 64 * 1024) throws {
    let reader = try CSVReader(bytes: bytes, options: CSVReaderOptions(chunkSize: chunkSize))
    var headerDone = false
    _ = try reader.read { record in
        if !headerDone {
            if record.isBlank { return }
            validator.checkHeader(record.strings, rowNumber: record.rowNumber)
            headerDone = true
            return
        }
        validator.checkRow(record, rowNumber: record.rowNumber)
    }
    validator.finish()
}

/// Validates a CSV file on disk.
@discardableResult
func validate(path: String, schema: Schema, references: KeyIndex = KeyIndex()) throws -> TableValidator {
    let bytes = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
    return try validate(bytes: Array(bytes), schema: schema, references: references)
}

/// A finding reduced to what conformance compares: code, row and field number.
struct Brief: Equatable, CustomStringConvertible {
    var code: FindingCode
    var row: Int?
    var field: Int?

    init(_ code: FindingCode, row: Int? = nil, field: Int? = nil) {
        self.code = code
        self.row = row
        self.field = field
    }

    init(_ finding: Finding) {
        self.init(finding.code, row: finding.rowNumber, field: finding.fieldNumber)
    }

    var description: String { "\(code.rawValue)@\(row.map(String.init) ?? "-"):\(field.map(String.init) ?? "-")" }
}

/// Findings in position order, reduced to code, row and field.
func briefs(_ findings: [Finding]) -> [Brief] {
    Finding.sortedByPosition(findings).map(Brief.init)
}

extension ParseOutcome {
    /// The parsed value, or nil.
    var value: CellValue? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// The problem, or nil.
    var problem: TypeProblem? {
        if case .invalid(let problem) = self { return problem }
        return nil
    }
}

/// A `.text` cell value from a string.
func textValue(_ string: String) -> CellValue { .text(Array(string.utf8)[...]) }

/// Days since 1970-01-01 of a date.
func day(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
    Int32(CivilDate(year: year, month: month, day: day)!.daysSinceEpoch)
}
