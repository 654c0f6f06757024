import Crypto
import Dates
import Foundation
import TableSchema

#if os(Linux)
    import CMalloc
#endif

/// How to run a quarter.
public struct RunOptions: Sendable {
    /// The workspace folder (impact.yaml, reference/, returns/<quarter>/).
    public var workspace: String
    /// The quarter to run.
    public var quarter: Quarter
    /// Where outputs go; `<out>/<quarter>/…`.
    public var out: String
    /// A schemas folder overriding the workspace's and the built-in ones.
    public var schemas: String?
    /// The received date to record for CSV files first seen in this run (days since 1970), to backfill.
    public var receivedOn: Int32?
    /// The moment of the run (seconds since 1970): `SOURCE_DATE_EPOCH` when set, else the clock.
    public var now: Int64
    /// How many partners' returns are checked at once (the outputs are the same for any number).
    public var jobs: Int = defaultJobs

    /// Creates options.
    public init(workspace: String, quarter: Quarter, out: String, schemas: String? = nil, receivedOn: Int32? = nil, now: Int64) {
        self.workspace = workspace
        self.quarter = quarter
        self.out = out
        self.schemas = schemas
        self.receivedOn = receivedOn
        self.now = now
    }

    /// The moment outputs are stamped with: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
    public static func currentTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int64 {
        if let text = environment["SOURCE_DATE_EPOCH"], let value = Int64(text) { return value }
        return Int64(Date().timeIntervalSince1970)
    }
}

/// What happened to one partner's return in a run.
public struct RunReturnOutcome: Sendable, Equatable {
    public var partnerID: String
    public var files: [String]
    public var verdict: Verdict
    /// True when the store already held exactly these files.
    public var unchanged: Bool
    /// True when it replaced an earlier accepted return.
    public var supersededEarlier: Bool
    public var onTime: Bool
    public var errors: Int
    public var warnings: Int
}

/// The outcome of a run, for the closing summary.
public struct RunSummary: Sendable {
    public var quarter: Quarter
    public var returns: [RunReturnOutcome]
    /// Partners expected this quarter with nothing received.
    public var missing: [String]
    /// Files that could not be tied to a partner.
    public var strayFiles: [String]
    /// Output files written.
    public var outputs: [String]
    /// Problems in the reference tables.
    public var referenceProblems: [FileFinding]
    /// What disclosure control hid, and which funder workbooks it withheld.
    public var disclosure: DisclosureSummary?
    /// The impact lead's commentary that opens the report (`Reports/commentary/<quarter>.md`), nil when the
    /// quarter has none.
    public var commentary: String?
    /// What could not be featured as `Reports/featured.yaml` chose, in words.
    public var featuredProblems: [String] = []
    /// How long each step took, in run order (`impact run --timings`; never in an output file).
    public var timings: [StepTime] = []

    public var accepted: Int { returns.filter { $0.verdict == .accepted }.count }
    public var rejected: Int { returns.filter { $0.verdict == .rejected }.count }
    public var superseded: Int { returns.filter(\.supersededEarlier).count }
    public var late: [String] { returns.filter { !$0.onTime }.map(\.partnerID) }
}

/// How long a step of the run took.
public struct StepTime: Sendable, Hashable {
    /// The step: load, scan, check and record, history, figures, workbook plans and disclosure, outputs,
    /// publications, digests.
    public var step: String
    public var seconds: Double
}

/// A stopwatch for the steps of a run.
struct StepClock {
    private(set) var times: [StepTime] = []
    private var started = DispatchTime.now().uptimeNanoseconds

    /// Ends a step begun when the last one ended.
    mutating func lap(_ step: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        times.append(StepTime(step: step, seconds: Double(now - started) / 1e9))
        started = now
    }
}

/// Progress events, for a progress display.
public enum RunProgress: Sendable {
    case started(files: Int)
    case checked(partnerID: String, index: Int, of: Int, verdict: Verdict)
    case writing(String)
}

/// The quarterly run: ingest → validate → store → figures → render, as named steps whose results are types.
///
/// ```
/// Workspace ─ scan ─▶ QuarterFiles ─ group ─▶ CandidateReturns ─ check and record ─▶ CheckedReturns
///   ─ read back ─▶ RecordedQuarter ─ compute ─▶ ComputedQuarter ─ render ─▶ RenderedOutputs ─▶ RunSummary
/// ```
/// Checking and recording are one pipeline: each return is recorded as soon as it and those before it are
/// checked, while the next are checked on the other cores.
/// Each step is a method of its own file (`RunStage+Scan`, `+Check`, `+Record`, `+Outputs`).
public struct RunStage: Sendable {
    public let options: RunOptions

    /// Creates the stage.
    public init(options: RunOptions) {
        self.options = options
    }

    // MARK: - Run

    /// Runs the quarter and writes the outputs.
    public func run(progress: (RunProgress) -> Void = { _ in }) throws(ImpactError) -> RunSummary {
        var clock = StepClock()
        let workspace = try Workspace.load(folder: options.workspace, schemas: options.schemas, requireReferences: true)
        try checkReturnsFolder(workspace)
        let store = try openStore(workspace)
        // One validation stage, with the reference tables read once, for every file of the quarter.
        var validation = ValidationOptions(workspace: workspace, quarter: options.quarter)
        validation.keepRows = true
        let stage = ValidationStage(options: validation)

        clock.lap("load")
        let files = try scan(workspace, store: store, stage: stage, progress: progress)
        clock.lap("scan")
        let candidates = group(files, stage: stage)
        var (checked, outcomes) = try checkAndRecord(
            candidates, stage: stage, settings: workspace.settings, in: store, progress: progress)
        clock.lap("check and record")
        let recorded = try readBack(&checked, outcomes: outcomes, from: store, settings: workspace.settings, clock: &clock)
        let figures = try compute(recorded, workspace: workspace, clock: &clock)
        progress(.writing(outFolder))
        let rendered = try render(figures, workspace: workspace)
        clock.lap("outputs")
        do {
            try store.record(publications: rendered.publications, quarter: options.quarter, at: options.now)
            try store.record(featured: figures.figures.featured.references, quarter: options.quarter)
            try store.record(feedbackPages: rendered.feedback, quarter: options.quarter, at: options.now)
        } catch {
            throw .store(error)
        }
        clock.lap("publications")
        do {
            try storeDigests(recorded, in: store, settings: workspace.settings)
        } catch {
            throw .store(error)
        }
        clock.lap("digests")
        var result = summary(checked, recorded: recorded, figures: figures, rendered: rendered, workspace: workspace)
        result.timings = clock.times
        return result
    }

    /// The folder this quarter's outputs go to.
    var outFolder: String {
        (options.out as NSString).appendingPathComponent(options.quarter.description)
    }

    /// The quarter's returns folder must exist: a typo in `--quarter` should not look like a quiet quarter.
    func checkReturnsFolder(_ workspace: Workspace) throws(ImpactError) {
        var isDirectory: ObjCBool = false
        let folder = workspace.returnsFolder(options.quarter)
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidWorkspace(
                options.workspace,
                reason: "there is no returns/\(options.quarter)/ folder; put the quarter's returns there (or check --quarter)")
        }
    }

    /// Opens (or creates) the workspace's history store.
    func openStore(_ workspace: Workspace) throws(ImpactError) -> Store {
        do {
            return try Store(path: workspace.path(Store.defaultRelativePath))
        } catch {
            throw .store(error)
        }
    }

    /// What the command prints at the end.
    func summary(
        _ checked: CheckedReturns, recorded: RecordedQuarter, figures: ComputedQuarter, rendered: RenderedOutputs,
        workspace: Workspace
    ) -> RunSummary {
        let returnOutcomes = zip(checked.submissions, recorded.outcomes).map { submission, outcome in
            RunReturnOutcome(
                partnerID: submission.partnerID, files: submission.files.map(\.path), verdict: submission.verdict,
                unchanged: outcome == .unchanged, supersededEarlier: outcome == .supersededEarlier, onTime: submission.onTime,
                errors: submission.findings.filter { $0.finding.severity == .error }.count,
                warnings: submission.findings.filter { $0.finding.severity == .warning }.count)
        }
        let received = Set(checked.submissions.map(\.partnerID))
        let missing = workspace.reference.partners.filter { $0.isExpected(in: options.quarter) && !received.contains($0.id) }.map(\.id)
        var summary = RunSummary(
            quarter: options.quarter, returns: returnOutcomes, missing: missing, strayFiles: checked.stray.map(\.file.path),
            outputs: rendered.paths, referenceProblems: workspace.references?.problems ?? [],
            disclosure: figures.disclosure, commentary: figures.input.commentary?.file)
        summary.featuredProblems = figures.figures.featured.problems
        return summary
    }
}

/// The program's version, recorded in the ledger and provenance.
public let impactVersion = "0.1.0"
