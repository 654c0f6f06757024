import Foundation
import Impact
import TableSchema

/// What `impact generate` makes: the size and shape of a synthetic workspace.
public struct GeneratorOptions: Sendable, Codable, Equatable {
    /// How returns are written.
    public enum ReturnFormat: String, Sendable, Codable, CaseIterable {
        /// Three CSV files per return.
        case csv
        /// One JSON form per return.
        case json
        /// One YAML form per return.
        case yaml
        /// CSV for most partners, a JSON form for every fourth and a YAML form for every seventh.
        case mixed
    }

    /// The seed: the same seed and options give byte-identical files.
    public var seed: UInt64 = 1
    /// How many delivery partners (P001, P002, …).
    public var partners: Int = 10
    /// About how many people each partner supports in a quarter.
    public var peoplePerPartner: Int = 500
    /// How many outcome goals each person works towards.
    public var goalsPerPerson: Int = 2
    /// How many quarters of returns, ending with `lastQuarter`.
    public var quarters: Int = 4
    /// The last (most recent) quarter.
    public var lastQuarter: String = "2026-Q2"
    /// How many funders; each partner has one or two.
    public var funders: Int = 3
    /// Ripple-effect notes per partner per quarter.
    public var ripplePerPartner: Int = 4
    /// The share of rows (0–1) given one planted problem each.
    public var errorShare: Double = 0
    /// Which finding codes to plant (default: every code the generator can plant).
    public var errorCodes: [String] = GeneratorOptions.plantableCodes
    /// How returns are written.
    public var format: ReturnFormat = .csv
    /// Which return tables to write (`support`, `outcomes`, `ripple`, `narrative`).
    public var tables: [String] = SchemaSet.builtInReturnTables

    /// The finding codes the generator can plant, each in a row of its own.
    public static let plantableCodes = [
        "type-error", "constraint-error", "rule-violation", "primary-key", "foreign-key", "missing-cell", "extra-cell",
        "blank-row",
    ]

    /// Codes that only make sense in a CSV file (a form has no cells to drop and no blank rows).
    static let csvOnlyCodes: Set<String> = ["missing-cell", "extra-cell", "blank-row"]

    /// Creates the default options.
    public init() {}

    /// Checks the options, saying what to change.
    public func check() throws(GeneratorError) {
        guard (1...9999).contains(partners) else { throw .invalid("--partners must be from 1 to 9999, not \(partners).") }
        guard (1...10_000_000).contains(peoplePerPartner) else {
            throw .invalid("--people must be from 1 to 10000000, not \(peoplePerPartner).")
        }
        guard (0...WorkspaceGenerator.goals.count).contains(goalsPerPerson) else {
            throw .invalid("--goals-per-person must be from 0 to \(WorkspaceGenerator.goals.count), not \(goalsPerPerson).")
        }
        guard (1...40).contains(quarters) else { throw .invalid("--quarters must be from 1 to 40, not \(quarters).") }
        guard Quarter(lastQuarter) != nil else {
            throw .invalid("--last-quarter \"\(lastQuarter)\" is not a quarter: write it like 2026-Q2.")
        }
        guard (1...99).contains(funders) else { throw .invalid("--funders must be from 1 to 99, not \(funders).") }
        guard (0...10_000).contains(ripplePerPartner) else {
            throw .invalid("--ripple must be from 0 to 10000, not \(ripplePerPartner).")
        }
        guard errorShare >= 0, errorShare <= 0.5 else {
            throw .invalid("--error-share must be from 0 to 0.5 (a share of rows), not \(errorShare).")
        }
        for code in errorCodes where !Self.plantableCodes.contains(code) {
            throw .invalid(
                "--errors: \"\(code)\" is not a code the generator plants; use some of \(Self.plantableCodes.joined(separator: ", ")).")
        }
        guard !errorCodes.isEmpty || errorShare == 0 else { throw .invalid("--errors is empty but --error-share is above 0.") }
        for table in tables where !SchemaSet.builtInReturnTables.contains(table) {
            throw .invalid(
                "--tables: \"\(table)\" is not a return table; use some of \(SchemaSet.builtInReturnTables.joined(separator: ", ")).")
        }
        if tables.contains("outcomes") && !tables.contains("support") {
            throw .invalid("--tables: outcomes need the support table (each outcomes row belongs to a support row).")
        }
    }
}

/// Why a workspace cannot be generated.
public enum GeneratorError: Error, CustomStringConvertible, Equatable {
    /// An option is out of range.
    case invalid(String)
    /// The output folder already holds files.
    case notEmpty(String)
    /// A file could not be written.
    case unwritable(String, reason: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .invalid(let message): message
        case .notEmpty(let path):
            "\(path) already exists and is not empty: give a new folder, so that no real workspace is overwritten."
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// One planted problem, recorded in the manifest so that tests and benchmarks can check what was found.
public struct PlantedProblem: Sendable, Codable, Hashable {
    /// The file, relative to the workspace.
    public var file: String
    /// The table.
    public var table: String
    /// The row number a spreadsheet would show (header is row 1) for CSV; the element's position for forms.
    public var row: Int
    /// The field the problem is in, when it is in one field.
    public var field: String?
    /// The finding code expected.
    public var code: String
    /// The rule expected to fail, for `rule-violation`.
    public var rule: String?
    /// The JSON pointer of the value, for forms.
    public var pointer: String?
}

/// What `impact generate` wrote: its options, the files with their row counts, and every planted problem.
public struct GeneratedManifest: Sendable, Codable {
    /// One written return file.
    public struct File: Sendable, Codable {
        /// The path relative to the workspace.
        public var path: String
        /// The partner.
        public var partner: String
        /// The quarter.
        public var quarter: String
        /// Rows per table in the file.
        public var rows: [String: Int]
    }
    /// The options the workspace was generated with.
    public var options: GeneratorOptions
    /// The quarters, oldest first.
    public var quarters: [String]
    /// Every return file.
    public var files: [File]
    /// Every planted problem, in file and row order.
    public var planted: [PlantedProblem]
}
