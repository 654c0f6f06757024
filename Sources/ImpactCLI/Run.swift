import ArgumentParser
import Foundation
import Impact
import TableSchema

/// `impact run --workspace DIR --quarter 2026-Q2`: the quarter in one command.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a quarter: check every return, keep the history, and write the impact report and partner feedback.",
        usage: "impact run --workspace <workspace> --quarter <quarter> [<options>]",
        discussion: """
            Reads WORKSPACE/returns/QUARTER/, records every file in the workspace's history store \
            (WORKSPACE/.impact/impact.sqlite), and writes OUT/QUARTER/impact-report.md, \
            OUT/QUARTER/feedback/<partner>.md and OUT/QUARTER/workbooks/. Running the same quarter again \
            with the same files changes nothing. SOURCE_DATE_EPOCH fixes the timestamps written into outputs.

            Exit status: 0 when the run completed; 1 with --strict when a return was rejected or missing; \
            2 for usage or workspace errors.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "The quarter to run, like 2026-Q2.")
    var quarter: Quarter

    @Option(help: "Where to write outputs (default: WORKSPACE/out).")
    var out: String?

    @Option(help: "Record CSV files seen for the first time as received on this date (like 2026-07-20), to backfill.")
    var receivedOn: Day?

    @Flag(help: "Exit with status 1 when any return was rejected or any expected partner sent nothing.")
    var strict = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print how long each step took to standard error (scan, check, record, figures, disclosure, outputs).")
    var timings = false

    @OptionGroup var parallel: JobsOption

    func validate() throws {
        try workspace.requireWorkspace()
    }

    func run() throws {
        let folder = workspace.folder
        var options = RunOptions(
            workspace: folder, quarter: quarter, out: out ?? (folder as NSString).appendingPathComponent("out"),
            schemas: workspace.schemas, receivedOn: receivedOn?.daysSinceEpoch, now: RunOptions.currentTime())
        options.jobs = parallel.jobs
        let display = ProgressDisplay(quiet: quiet)
        defer { display.finish() }
        let summary = try RunStage(options: options).run { display.show($0) }
        display.finish()
        if !quiet { print(RunSummaryFormatter.text(summary), terminator: "") }
        if timings {
            let lines = summary.timings.map { String(format: "%@: %.3f s", $0.step, $0.seconds) }
            FileHandle.standardError.write(Data(("Timings\n" + lines.map { "  " + $0 + "\n" }.joined()).utf8))
        }
        if strict && (summary.rejected > 0 || !summary.missing.isEmpty) { throw ExitCode.failure }
    }
}

/// Shows progress on a terminal (one line, rewritten) or plain lines when output is redirected.
final class ProgressDisplay {
    let quiet: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1
    var wroteLine = false

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func show(_ event: RunProgress) {
        guard !quiet else { return }
        switch event {
        case .started(let files):
            emit("Reading \(files) file\(files == 1 ? "" : "s")…", transient: false)
        case .checked(let partnerID, let index, let total, let verdict):
            emit("[\(index)/\(total)] \(partnerID): \(verdict.rawValue)", transient: true)
        case .writing(let folder):
            emit("Writing reports to \(folder)…", transient: false)
        }
    }

    func emit(_ line: String, transient: Bool) {
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + (transient ? "" : "\n")).utf8))
            wroteLine = transient
        } else if !transient {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() {
        if isTerminal && wroteLine { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        wroteLine = false
    }
}
