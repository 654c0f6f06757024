import CSV
import Foundation
import Impact
import JSONSchema
import TableSchema

/// The code that reads what partners send, as libFuzzer targets: each takes any bytes and must neither
/// crash, hang nor break an invariant (a broken invariant stops the program with a message, which
/// libFuzzer records as a crash).
///
/// `Fuzz/Runner` turns them into a libFuzzer binary (`scripts/fuzz`) or, built normally, into a replayer
/// of saved inputs; `Tests/FuzzTests` replays every seed and every saved crash on each test run.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The CSV reader (libcsv, encodings, limits) with small chunks and limits, so boundaries are crossed.
    case csv
    /// The cell parsers: numbers, integers, booleans, dates in several formats, years, lists.
    case cells
    /// Field patterns: compiling any pattern and matching it.
    case pattern
    /// Cross-field rule expressions: parsing any expression and evaluating it on a row.
    case rules
    /// The JSON parser and the JSON Schema 2020-12 validator: any document as a schema and an instance.
    case jsonschema
    /// JSON and YAML forms, read and checked as `impact validate` does.
    case form
    /// A CSV return, recognised by its header and checked against the schemas as `impact validate` does.
    case table
    /// An Excel workbook return: its XML parts inside a valid zip, or the whole file.
    case workbook

    /// What the target reads, in a few words.
    public var summary: String {
        switch self {
        case .csv: "CSV reader"
        case .cells: "cell parsers (numbers, dates, booleans)"
        case .pattern: "field patterns"
        case .rules: "rule expressions"
        case .jsonschema: "JSON parser and JSON Schema validator"
        case .form: "form reader (JSON and YAML)"
        case .table: "CSV return validation"
        case .workbook: "Excel workbook reader and validation"
        }
    }

    /// Runs the target on one input.
    public func run(_ data: [UInt8]) {
        switch self {
        case .csv: CSVFuzz.run(data)
        case .cells: CellFuzz.run(data)
        case .pattern: PatternFuzz.run(data)
        case .rules: RuleFuzz.run(data)
        case .jsonschema: JSONSchemaFuzz.run(data)
        case .form: ReturnFuzz.runForm(data)
        case .table: ReturnFuzz.runTable(data)
        case .workbook: WorkbookFuzz.run(data)
        }
    }
}

/// Stops with a message when an invariant fails; libFuzzer saves the input that did it.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("invariant broken: \(message())\n".utf8))
        abort()
    }
}
