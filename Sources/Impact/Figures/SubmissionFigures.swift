import TableSchema

// MARK: - Completeness and timeliness

/// What a partner's return for the quarter came to.
public enum ReturnStatus: String, Sendable, Hashable {
    /// An accepted return counts in the figures.
    case accepted
    /// The partner sent a return with errors and has no accepted one.
    case rejected
    /// The partner sent nothing.
    case missing
}

/// One partner's submissions for the quarter: whether it was expected, what it sent and when.
public struct PartnerSubmission: Sendable, Hashable {
    /// The partner's ID.
    public var partnerID: String
    /// The partner's name (its ID when the reference data does not know it).
    public var partnerName: String
    /// Whether the partner was expected to send a return (active on a day of the quarter).
    public var isExpected: Bool
    /// What its return came to.
    public var status: ReturnStatus
    /// When the return that counts was received (days since 1970-01-01), when known.
    public var receivedOn: Int32?
    /// Whether the return that counts arrived by the due date; nil when nothing was received or the
    /// date is unknown.
    public var onTime: Bool?
    /// Whether the return that counts replaced an earlier one.
    public var isResubmission: Bool
    /// Errors in the return that counts.
    public var errorCount: Int
    /// Warnings in the return that counts.
    public var warningCount: Int
    /// The files of the return that counts (workspace-relative paths).
    public var files: [String]
    /// Every return the partner sent for the quarter, in the order received.
    public var returns: [SubmissionSummary]

    /// Creates a submission.
    public init(
        partnerID: String, partnerName: String, isExpected: Bool, status: ReturnStatus, receivedOn: Int32?, onTime: Bool?,
        isResubmission: Bool, errorCount: Int, warningCount: Int, files: [String], returns: [SubmissionSummary]
    ) {
        self.partnerID = partnerID
        self.partnerName = partnerName
        self.isExpected = isExpected
        self.status = status
        self.receivedOn = receivedOn
        self.onTime = onTime
        self.isResubmission = isResubmission
        self.errorCount = errorCount
        self.warningCount = warningCount
        self.files = files
        self.returns = returns
    }

    /// Whether anything was received.
    public var isReceived: Bool { status != .missing }
}

/// Completeness and timeliness of the quarter's returns, DHIS2 style.
public struct SubmissionFigures: Sendable, Hashable {
    /// The quarter.
    public var quarter: Quarter
    /// The due date (days since 1970-01-01): `due_days` after the quarter's last day.
    public var dueOn: Int
    /// Every partner expected or with a return, in ID order.
    public var partners: [PartnerSubmission]

    /// Creates figures.
    public init(quarter: Quarter, dueOn: Int, partners: [PartnerSubmission]) {
        self.quarter = quarter
        self.dueOn = dueOn
        self.partners = partners
    }

    /// Partners expected to send a return: those active on at least one day of the quarter according to
    /// `active_from` and `active_to` in reference/partners.csv.
    public var expected: Int { partners.filter(\.isExpected).count }
    /// Partners that sent a return for the quarter, whatever became of it.
    public var received: Int { partners.filter(\.isReceived).count }
    /// Partners with an accepted return (no errors) for the quarter; only accepted returns count in the
    /// figures.
    public var accepted: Int { partners.filter { $0.status == .accepted }.count }
    /// Partners that sent a return with errors and have no accepted one; their files stay where they were,
    /// and their findings are listed.
    public var rejected: Int { partners.filter { $0.status == .rejected }.count }
    /// Expected partners that sent nothing for the quarter.
    public var missing: Int { partners.filter { $0.isExpected && $0.status == .missing }.count }
    /// Partners whose return arrived no later than `due_days` (impact.yaml) after the quarter's last day.
    /// The return that counts is the accepted one, or else the latest received.
    public var onTime: Int { partners.filter { $0.isReceived && $0.onTime == true }.count }
    /// Partners whose return that counts arrived after the due date.
    public var late: Int { partners.filter { $0.isReceived && $0.onTime == false }.count }
    /// Partners whose return was received on a date that is not known.
    public var timingUnknown: Int { partners.filter { $0.isReceived && $0.onTime == nil }.count }
    /// Accepted or rejected returns that replaced an earlier return for the same partner and quarter; the
    /// earlier one is kept as superseded.
    public var resubmissions: Int { partners.filter { $0.isReceived && $0.isResubmission }.count }
    /// Returns replaced by a later one.
    public var superseded: Int { partners.reduce(0) { $0 + $1.returns.filter { $0.verdict == .superseded }.count } }
    /// Partners that sent a return without being expected.
    public var unexpected: [PartnerSubmission] { partners.filter { !$0.isExpected && $0.isReceived } }
    /// Expected partners that sent a return divided by expected partners, as a percentage (the DHIS2
    /// reporting rate); no data when no partner is expected.
    public var completeness: Double? {
        Statistics.ratio(partners.filter { $0.isExpected && $0.isReceived }.count, expected)
    }
    /// Expected partners whose return arrived on time divided by expected partners, as a percentage (the
    /// DHIS2 reporting rate on time); no data when no partner is expected.
    public var timeliness: Double? {
        Statistics.ratio(partners.filter { $0.isExpected && $0.isReceived && $0.onTime == true }.count, expected)
    }
}

// MARK: - Trends

/// One quarter of a trend, for a partner or the network.
public struct TrendPoint: Sendable, Hashable {
    /// The quarter.
    public var quarter: Quarter
    /// Whether there was an accepted return (for the network: any) in the quarter.
    public var hasData: Bool
    /// People supported; nil without data.
    public var peopleSupported: Int?
    /// Change in people supported on the previous quarter.
    public var peopleSupportedChange: Int?
    /// New starts; nil without data.
    public var newStarts: Int?
    /// Change in new starts on the previous quarter.
    public var newStartsChange: Int?
    /// Attendance rate; nil without data.
    public var attendanceRate: Double?
    /// Change in attendance rate on the previous quarter, in percentage points.
    public var attendanceRateChange: Double?
    /// Share improved per goal, with its change in percentage points, in goal order.
    public var shareImproved: [GoalValue]

    /// Creates a point.
    public init(
        quarter: Quarter, hasData: Bool, peopleSupported: Int?, peopleSupportedChange: Int?, newStarts: Int?,
        newStartsChange: Int?,
        attendanceRate: Double?, attendanceRateChange: Double?, shareImproved: [GoalValue]
    ) {
        self.quarter = quarter
        self.hasData = hasData
        self.peopleSupported = peopleSupported
        self.peopleSupportedChange = peopleSupportedChange
        self.newStarts = newStarts
        self.newStartsChange = newStartsChange
        self.attendanceRate = attendanceRate
        self.attendanceRateChange = attendanceRateChange
        self.shareImproved = shareImproved
    }
}

/// A series of quarters for the network or one partner.
public struct TrendSeries: Sendable, Hashable {
    /// The partner, or nil for the network.
    public var partnerID: String?
    /// One point per quarter of ``TrendFigures/quarters``.
    public var points: [TrendPoint]

    /// Creates a series.
    public init(partnerID: String?, points: [TrendPoint]) {
        self.partnerID = partnerID
        self.points = points
    }
}

/// Trends over the quarters in the history.
public struct TrendFigures: Sendable, Hashable {
    /// The quarters from `first_quarter` (impact.yaml), or the earliest quarter in the history, up to the
    /// quarter of the report, without gaps.
    public var quarters: [Quarter]
    /// The network's series.
    public var network: TrendSeries
    /// Every partner with an accepted return in any of the quarters, in ID order.
    public var partners: [TrendSeries]

    /// Creates trends.
    public init(quarters: [Quarter], network: TrendSeries, partners: [TrendSeries]) {
        self.quarters = quarters
        self.network = network
        self.partners = partners
    }

    /// A partner's series.
    public func partner(_ id: String) -> TrendSeries? { partners.first { $0.partnerID == id } }
}

// MARK: - Data quality

/// How often a finding code occurred in the quarter's returns.
public struct FindingCount: Sendable, Hashable {
    /// The code.
    public var code: FindingCode
    /// Error findings with the code.
    public var errors: Int
    /// Warning findings with the code.
    public var warnings: Int
    /// Returns (and unmatched files) with at least one such finding.
    public var sources: Int

    /// Creates a count.
    public init(code: FindingCode, errors: Int, warnings: Int, sources: Int) {
        self.code = code
        self.errors = errors
        self.warnings = warnings
        self.sources = sources
    }
}

/// A partner's findings of one code, with the first few as examples.
public struct FindingGroup: Sendable, Hashable {
    /// The code.
    public var code: FindingCode
    /// Error findings with the code.
    public var errors: Int
    /// Warning findings with the code.
    public var warnings: Int
    /// The first findings, in file then row order.
    public var examples: [FileFinding]

    /// Creates a group.
    public init(code: FindingCode, errors: Int, warnings: Int, examples: [FileFinding]) {
        self.code = code
        self.errors = errors
        self.warnings = warnings
        self.examples = examples
    }
}

/// One partner's findings of the quarter, grouped by code.
public struct PartnerFindings: Sendable, Hashable {
    /// The partner's ID.
    public var partnerID: String
    /// Its findings by code, in code order.
    public var groups: [FindingGroup]

    /// Creates one.
    public init(partnerID: String, groups: [FindingGroup]) {
        self.partnerID = partnerID
        self.groups = groups
    }
}

/// A file of the quarter that could not be matched to a partner.
public struct StrayFile: Sendable, Hashable {
    /// Its workspace-relative path.
    public var path: String
    /// Its findings.
    public var findings: [FileFinding]

    /// Creates one.
    public init(path: String, findings: [FileFinding]) {
        self.path = path
        self.findings = findings
    }
}

/// The partner figures checked against their own history.
public enum JumpFigure: String, Sendable, Hashable, CaseIterable {
    /// People supported.
    case peopleSupported = "people supported"
    /// Sessions offered.
    case sessionsOffered = "sessions offered"
}

/// A partner's people supported or sessions offered whose robust z-score against the partner's previous
/// quarters is above 3.5 in size: z = 0.6745 × (value − median) ÷ MAD, where the median and the median
/// absolute deviation (MAD) are those of the previous quarters' values. It needs at least 3 previous
/// quarters. When the MAD is 0 the mean absolute deviation from the median × 1.2533 takes its place; when
/// every previous value is the same, any change is flagged. A warning for follow-up, never an error.
public struct JumpWarning: Sendable, Hashable {
    /// The partner's ID.
    public var partnerID: String
    /// The partner's name.
    public var partnerName: String
    /// Which figure jumped.
    public var figure: JumpFigure
    /// The score and what it was computed from.
    public var score: RobustScore

    /// Creates a warning.
    public init(partnerID: String, partnerName: String, figure: JumpFigure, score: RobustScore) {
        self.partnerID = partnerID
        self.partnerName = partnerName
        self.figure = figure
        self.score = score
    }
}

/// A person whose `baseline_score` for a goal in this quarter's return differs from the baseline their
/// partner gave for the same person and goal in the latest earlier quarter. Listed by partner and goal,
/// without the person reference; a warning for follow-up, never an error.
public struct BaselineChange: Sendable, Hashable {
    /// The partner's ID.
    public var partnerID: String
    /// The partner's name.
    public var partnerName: String
    /// The goal.
    public var goalID: String
    /// The person's pseudonymous reference, for follow-up with the partner by the impact lead's own
    /// tools. Reports and feedback never show it.
    public var personRef: String
    /// The latest earlier quarter with a baseline for the person and goal.
    public var earlierQuarter: Quarter
    /// The baseline given then.
    public var earlierBaseline: Int
    /// The baseline given this quarter.
    public var baseline: Int

    /// Creates a change.
    public init(
        partnerID: String, partnerName: String, goalID: String, personRef: String, earlierQuarter: Quarter, earlierBaseline: Int,
        baseline: Int
    ) {
        self.partnerID = partnerID
        self.partnerName = partnerName
        self.goalID = goalID
        self.personRef = personRef
        self.earlierQuarter = earlierQuarter
        self.earlierBaseline = earlierBaseline
        self.baseline = baseline
    }
}

/// Data quality across the quarter's returns and across quarters.
public struct DataQualityFigures: Sendable, Hashable {
    /// Errors and warnings in all of the quarter's returns (accepted, rejected or superseded) and in files
    /// that could not be matched to a partner, counted by finding code; docs/findings.md describes the
    /// codes.
    public var findingsByCode: [FindingCount]
    /// Findings per partner, grouped by code (partners in ID order, codes in code order).
    public var partnerFindings: [PartnerFindings]
    /// Files that could not be matched to a partner, by path.
    public var strayFiles: [StrayFile]
    /// Partner figures far from their own history, by partner then figure.
    public var jumps: [JumpWarning]
    /// Changed baselines, by partner, goal and earlier quarter.
    public var baselineChanges: [BaselineChange]

    /// Creates figures.
    public init(
        findingsByCode: [FindingCount], partnerFindings: [PartnerFindings], strayFiles: [StrayFile],
        jumps: [JumpWarning], baselineChanges: [BaselineChange]
    ) {
        self.findingsByCode = findingsByCode
        self.partnerFindings = partnerFindings
        self.strayFiles = strayFiles
        self.jumps = jumps
        self.baselineChanges = baselineChanges
    }

    /// A partner's findings grouped by code.
    public func findings(of partnerID: String) -> [FindingGroup] {
        partnerFindings.first { $0.partnerID == partnerID }?.groups ?? []
    }

    /// Findings in the quarter's returns and unmatched files that are errors.
    public var errorCount: Int { findingsByCode.reduce(0) { $0 + $1.errors } }
    /// Findings in the quarter's returns and unmatched files that are warnings.
    public var warningCount: Int { findingsByCode.reduce(0) { $0 + $1.warnings } }
}

// MARK: - Narrative

/// What a partner told the programme in words this quarter.
public struct PartnerNarrative: Sendable, Hashable {
    /// The partner's ID.
    public var partnerID: String
    /// The partner's name.
    public var partnerName: String
    /// Its narrative.
    public var narrative: Narrative

    /// Creates one.
    public init(partnerID: String, partnerName: String, narrative: Narrative) {
        self.partnerID = partnerID
        self.partnerName = partnerName
        self.narrative = narrative
    }
}

// MARK: - Everything a report needs

/// All the figures of a quarter's reports, computed once by ``FigureCalculator`` and reused by the
/// Markdown reports and the workbooks.
public struct ReportFigures: Sendable {
    /// The quarter.
    public var quarter: Quarter
    /// This quarter's figures.
    public var current: QuarterFigures
    /// The previous calendar quarter's figures, when it has accepted returns.
    public var previous: QuarterFigures?
    /// The figures of every quarter of ``TrendFigures/quarters``, oldest first (the last is ``current``).
    public var history: [QuarterFigures]
    /// Trends over the quarters in the history.
    public var trends: TrendFigures
    /// Completeness and timeliness.
    public var submissions: SubmissionFigures
    /// Data quality.
    public var dataQuality: DataQualityFigures
    /// What partners told the programme, in partner order (only partners that said something).
    public var narratives: [PartnerNarrative]
    /// Every person reference in the history, so that outputs can prove none of them appears.
    public var personRefs: Set<String>
    /// The figures of the tables the programme declares, in declaration order.
    public var tables: [TableFigures] = []

    /// Creates figures.
    public init(
        quarter: Quarter, current: QuarterFigures, previous: QuarterFigures?, history: [QuarterFigures], trends: TrendFigures,
        submissions: SubmissionFigures, dataQuality: DataQualityFigures, narratives: [PartnerNarrative], personRefs: Set<String>
    ) {
        self.quarter = quarter
        self.current = current
        self.previous = previous
        self.history = history
        self.trends = trends
        self.submissions = submissions
        self.dataQuality = dataQuality
        self.narratives = narratives
        self.personRefs = personRefs
    }
}
