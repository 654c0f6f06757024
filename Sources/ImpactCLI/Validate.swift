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
            2 for a usage error, an input that cannot be read, or a folder with no return in it.
            """
    )

    @Argument(help: "Files or folders to check. Folders are searched for .csv, .tsv, .txt, .xlsx, .json, .yaml and .yml files.")
    var paths: [String]

    @Option(
        help:
            "Read every file as this table instead of recognising it from its header (support, outcomes, ripple, a table the workspace declares, partners, funders, outcome-goals)."
    )
    var kind: String?

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "A folder with the reference tables (partners, funders, outcome goals) to check IDs against.")
    var reference: String?

    @Option(help: "The quarter the return is for, like 2026-Q2: rows for another quarter are errors.")
    var quarter: Quarter?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "List every finding instead of the first three of each kind.")
    var all = false

    @OptionGroup var parallel: JobsOption

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        let loaded = try workspace.load(reference: reference, requireReferences: false)
        let tables = loaded.schemas.returnTables + SchemaSet.referenceTables + SchemaSet.optionalReferenceTables
        if let kind, !tables.contains(kind) {
            throw ImpactError.invalidArgument(
                name: "--kind", value: kind, reason: "it is not a table: use one of \(tables.joined(separator: ", "))")
        }
        var options = ValidationOptions(workspace: loaded, quarter: quarter, kind: kind)
        options.jobs = parallel.jobs
        let report = ValidationStage(options: options).run(paths: paths)
        // A folder with no return in it is a usage error, so that a script checking an upload folder does not
        // pass when nothing arrived.
        if let folder = report.emptyFolders.first { throw ImpactError.noReturnFound(folder: folder) }
        switch format {
        case .text: print(FindingsFormatter.text(report, all: all), terminator: "")
        case .json:
            var output = BufferedOutput()
            FindingsFormatter.json(report, jobs: parallel.jobs) { output.write($0) }
            output.flush()
        }
        if report.hasUnreadableInput { throw ExitCode(ImpactCommand.usageStatus) }
        if !report.valid { throw ExitCode.failure }
    }
}
