import ArgumentParser
import Foundation
import Impact
import TableSchema

/// `impact validate PATH...`: check returns and print every finding.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check quarterly returns (CSV files, workbooks, forms, or folders of them) against the schemas.",
        discussion: """
            Every problem is reported at once, with its row and column as a spreadsheet shows them (in a \
            workbook, its sheet and cell, like support!J14).

            Exit status: 0 when there is no error (warnings allowed), 1 when any file has an error, \
            2 for a usage error or an input that cannot be read.
            """
    )

    @Argument(help: "Files or folders to check. Folders are searched for .csv, .tsv, .txt, .xlsx, .json, .yaml and .yml files.")
    var paths: [String]

    @Option(
        help:
            "Read every file as this table instead of recognising it from its header (support, outcomes, ripple, partners, funders, outcome-goals)."
    )
    var kind: String?

    @Option(help: "The folder of *.schema.json files (default: the workspace's Schemas/, else the built-in schemas).")
    var schemas: String?

    @Option(help: "A folder with the reference tables (partners, funders, outcome goals) to check IDs against.")
    var reference: String?

    @Option(help: "A workspace folder: its impact.yaml, reference/ and Schemas/ are used unless given otherwise.")
    var workspace: String?

    @Option(help: "The quarter the return is for, like 2026-Q2: rows for another quarter are errors.")
    var quarter: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "List every finding instead of the first three of each kind.")
    var all = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let quarter, Quarter(quarter) == nil {
            throw ValidationError("--quarter \"\(quarter)\" is not a quarter: write it like 2026-Q2.")
        }
        if let kind, !(SchemaSet.returnTables + SchemaSet.referenceTables).contains(kind) {
            throw ValidationError(
                "--kind \"\(kind)\" is not a table: use one of \((SchemaSet.returnTables + SchemaSet.referenceTables).joined(separator: ", "))."
            )
        }
    }

    func run() throws {
        let options: ValidationOptions
        do {
            options = try ValidationOptions.forCommandLine(
                schemas: schemas, workspace: workspace, reference: reference, quarter: quarter, kind: kind)
        } catch {
            printError("impact: \(error)")
            throw ExitCode(2)
        }
        let report = ValidationStage(options: options).run(paths: paths)
        switch format {
        case .text: print(FindingsFormatter.text(report, all: all), terminator: "")
        case .json:
            var output = BufferedOutput()
            FindingsFormatter.json(report) { output.write($0) }
            output.flush()
        }
        if report.hasUnreadableInput { throw ExitCode(2) }
        if !report.valid { throw ExitCode.failure }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
