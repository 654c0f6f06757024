import ArgumentParser
import Foundation
import Impact
import TableSchema

/// `impact template --workspace DIR --out FILE.xlsx`: the Excel workbook a partner fills in.
struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an Excel template for partners' returns, with Excel's own checks made from the schemas.",
        usage: "impact template --workspace <workspace> --out <out> [<options>]",
        discussion: """
            The workbook has an instructions sheet with the field guide, one sheet per return table (support, \
            outcomes, ripple) with dropdowns, number, date and length checks and a red mark on required cells \
            left blank, and a hidden sheet of lists. The filled-in workbook is a return: check it with \
            impact validate FILE.xlsx, or drop it into returns/.

            With --partner and --quarter, the partner ID and quarter are filled in on every row and locked. \
            With --fill-from, the rows of a return sent as CSV files are written in, to correct it in Excel.

            With --each-partner, --out is a folder and every partner expected in the quarter gets its own \
            template, named like P001-2026-Q3.xlsx.

            Example: impact template --workspace SampleData --partner P001 --quarter 2026-Q3 --out P001-2026-Q3.xlsx
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "The partner ID to fill in and lock on every row, like P001.")
    var partner: String?

    @Flag(
        help:
            "Write one template per partner into the folder --out: each partner expected in --quarter (or every partner), as P001-2026-Q3.xlsx."
    )
    var eachPartner = false

    @Option(help: "The quarter to fill in and lock on every row, like 2026-Q3.")
    var quarter: Quarter?

    @Option(help: "How many rows each sheet is prepared for (checks, highlighting, filled-in IDs).")
    var rows = 1_000

    @Option(
        name: .customLong("fill-from"),
        help: "A CSV file of the return (support, outcomes or ripple) whose rows to write into the template; repeat for each table.")
    var fillFrom: [String] = []

    @Option(help: "The .xlsx file to write (replaced if it exists); with --each-partner, the folder to write them in.")
    var out: String

    func validate() throws {
        try workspace.requireWorkspace()
        guard (1...TemplateOptions.maxRows).contains(rows) else {
            throw ValidationError("--rows must be from 1 to \(TemplateOptions.maxRows).")
        }
        if eachPartner {
            guard partner == nil, fillFrom.isEmpty else {
                throw ValidationError("--each-partner writes every partner's template: leave out --partner and --fill-from.")
            }
        } else if !out.lowercased().hasSuffix(".xlsx") {
            throw ValidationError("--out \"\(out)\" must end in .xlsx: Excel opens templates by that name.")
        }
    }

    func run() throws {
        let options = TemplateOptions(
            partnerID: partner, quarter: quarter, rows: rows,
            created: Date(timeIntervalSince1970: TimeInterval(RunOptions.currentTime())))
        let loaded = try workspace.load()
        if eachPartner {
            let written = try TemplateBuilder.writeForEachPartner(workspace: loaded, options: options, folder: out)
            print("Templates: \(written.count) in \(out)")
            return
        }
        let builder = try TemplateBuilder.forWorkspace(loaded, options: options)
        let filling = try TemplateFilling(csvFiles: fillFrom, schemas: builder.schemas)
        try builder.write(to: out) { schema, sheet, book in try filling.fill(schema, sheet: sheet, book: book) }
        print("Template: \(out)")
    }
}
