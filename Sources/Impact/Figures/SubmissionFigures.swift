import TableSchema

// MARK: - Completeness and timeliness

/// What a partner's return for the quarter came to.
enum ReturnStatus: String, Sendable, Hashable {
    /// An accepted return counts in the figures.
    case accepted
    /// The partner sent a return with errors and has no accepted one.
    case rejected
    /// The partner sent nothing.
    case missing
}

/// One partner's submissions for the quarter: whether it was expected, what it sent and when.
struct PartnerSubmission: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// The partner's name (its ID when the reference data does not know it).
    var partnerName: String
    /// Whether the partner was expected to send a return (active on a day of the quarter).
    var isExpected: Bool
    /// What its return came to.
    var status: ReturnStatus
    /// When the return that counts was received (days since 1970-01-01), when known.
    var receivedOn: Int32?
    /// Whether the return that counts arrived by the due date; nil when nothing was received or the
    /// date is unknown.
    var onTime: Bool?
    /// Whether the return that counts replaced an earlier one.
    var isResubmission: Bool
    /// Errors in the return that counts.
    var errorCount: Int
    /// Warnings in the return that counts.
    var warningCount: Int
    /// The files of the return that counts (workspace-relative paths).
    var files: [String]
    /// Every return the partner sent for the quarter, in the order received.
    var returns: [SubmissionSummary]

    /// Whether anything was received.
    var isReceived: Bool { status != .missing }
}

/// Completeness and timeliness of the quarter's returns, DHIS2 style.
struct SubmissionFigures: Sendable, Hashable {
    /// The quarter.
    var quarter: Quarter
    /// The due date (days since 1970-01-01): `due_days` after the quarter's last day.
    var dueOn: Int
    /// Every partner expected or with a return, in ID order.
    var partners: [PartnerSubmission]

    /// Partners expected to send a return: those active on at least one day of the quarter according to
    /// `active_from` and `active_to` in reference/partners.csv.
    var expected: Int { partners.filter(\.isExpected).count }
    /// Partners that sent a return for the quarter, whatever became of it.
    var received: Int { partners.filter(\.isReceived).count }
    /// Partners with an accepted return (no errors) for the quarter; only accepted returns count in the
    /// figures.
    var accepted: Int { partners.filter { $0.status == .accepted }.count }
    /// Partners that sent a return with errors and have no accepted one; their files stay where they were,
    /// and their findings are listed.
    var rejected: Int { partners.filter { $0.status == .rejected }.count }
    /// Expected partners that sent nothing for the quarter.
    var missing: Int { partners.filter { $0.isExpected && $0.status == .missing }.count }
    /// Partners whose return arrived no later than `due_days` (impact.yaml) after the quarter's last day.
    /// The return that counts is the accepted one, or else the latest received.
    var onTime: Int { partners.filter { $0.isReceived && $0.onTime == true }.count }
    /// Partners whose return that counts arrived after the due date.
    var late: Int { partners.filter { $0.isReceived && $0.onTime == false }.count }
    /// Partners whose return was received on a date that is not known.
    var timingUnknown: Int { partners.filter { $0.isReceived && $0.onTime == nil }.count }
    /// Accepted or rejected returns that replaced an earlier return for the same partner and quarter; the
    /// earlier one is kept as superseded.
    var resubmissions: Int { partners.filter { $0.isReceived && $0.isResubmission }.count }
    /// Returns replaced by a later one.
    var superseded: Int { partners.reduce(0) { $0 + $1.returns.filter { $0.verdict == .superseded }.count } }
    /// Partners that sent a return without being expected.
    var unexpected: [PartnerSubmission] { partners.filter { !$0.isExpected && $0.isReceived } }
    /// Expected partners that sent a return divided by expected partners, as a percentage (the DHIS2
    /// reporting rate); no data when no partner is expected.
    var completeness: Double? {
        Statistics.ratio(partners.filter { $0.isExpected && $0.isReceived }.count, expected)
    }
    /// Expected partners whose return arrived on time divided by expected partners, as a percentage (the
    /// DHIS2 reporting rate on time); no data when no partner is expected.
    var timeliness: Double? {
        Statistics.ratio(partners.filter { $0.isExpected && $0.isReceived && $0.onTime == true }.count, expected)
    }
}

// MARK: - Trends

/// One quarter of a trend, for a partner or the network.
struct TrendPoint: Sendable, Hashable {
    /// The quarter.
    var quarter: Quarter
    /// Whether there was an accepted return (for the network: any) in the quarter.
    var hasData: Bool
    /// People supported; nil without data.
    var peopleSupported: Int?
    /// Change in people supported on the previous quarter.
    var peopleSupportedChange: Int?
    /// New starts; nil without data.
    var newStarts: Int?
    /// Change in new starts on the previous quarter.
    var newStartsChange: Int?
    /// Attendance rate; nil without data.
    var attendanceRate: Double?
    /// Change in attendance rate on the previous quarter, in percentage points.
    var attendanceRateChange: Double?
    /// Share improved per goal, with its change in percentage points, in goal order.
    var shareImproved: [GoalValue]
}

/// A series of quarters for the network or one partner.
struct TrendSeries: Sendable, Hashable {
    /// The partner, or nil for the network.
    var partnerID: String?
    /// One point per quarter of ``TrendFigures/quarters``.
    var points: [TrendPoint]
}

/// Trends over the quarters in the history.
struct TrendFigures: Sendable, Hashable {
    /// The quarters from `first_quarter` (impact.yaml), or the earliest quarter in the history, up to the
    /// quarter of the report, without gaps.
    var quarters: [Quarter]
    /// The network's series.
    var network: TrendSeries
    /// Every partner with an accepted return in any of the quarters, in ID order.
    var partners: [TrendSeries]

    /// A partner's series.
    func partner(_ id: String) -> TrendSeries? { partners.first { $0.partnerID == id } }
}

// MARK: - Data quality

/// How often a finding code occurred in the quarter's returns.
struct FindingCount: Sendable, Hashable {
    /// The code.
    var code: FindingCode
    /// Error findings with the code.
    var errors: Int
    /// Warning findings with the code.
    var warnings: Int
    /// Returns (and unmatched files) with at least one such finding.
    var sources: Int
}

/// A partner's findings of one code, with the first few as examples.
struct FindingGroup: Sendable, Hashable {
    /// The code.
    var code: FindingCode
    /// Error findings with the code.
    var errors: Int
    /// Warning findings with the code.
    var warnings: Int
    /// The first findings, in file then row order.
    var examples: [FileFinding]
}

/// One partner's findings of the quarter, grouped by code.
struct PartnerFindings: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// Its findings by code, in code order.
    var groups: [FindingGroup]
}

/// A file of the quarter that could not be matched to a partner.
struct StrayFile: Sendable, Hashable {
    /// Its workspace-relative path.
    var path: String
    /// Its findings.
    var findings: [FileFinding]
}

/// The partner figures checked against their own history.
enum JumpFigure: String, Sendable, Hashable, CaseIterable {
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
struct JumpWarning: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// The partner's name.
    var partnerName: String
    /// Which figure jumped.
    var figure: JumpFigure
    /// The score and what it was computed from.
    var score: RobustScore
}

/// A person whose `baseline_score` for a goal in this quarter's return differs from the baseline their
/// partner gave for the same person and goal in the latest earlier quarter. Listed by partner and goal,
/// without the person reference; a warning for follow-up, never an error.
struct BaselineChange: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// The partner's name.
    var partnerName: String
    /// The goal.
    var goalID: String
    /// The person's pseudonymous reference, for follow-up with the partner by the impact lead's own
    /// tools. Reports and feedback never show it.
    var personRef: String
    /// The latest earlier quarter with a baseline for the person and goal.
    var earlierQuarter: Quarter
    /// The baseline given then.
    var earlierBaseline: Int
    /// The baseline given this quarter.
    var baseline: Int
}

/// Data quality across the quarter's returns and across quarters.
struct DataQualityFigures: Sendable, Hashable {
    /// Errors and warnings in all of the quarter's returns (accepted, rejected or superseded) and in files
    /// that could not be matched to a partner, counted by finding code; docs/findings.md describes the
    /// codes.
    var findingsByCode: [FindingCount]
    /// Findings per partner, grouped by code (partners in ID order, codes in code order).
    var partnerFindings: [PartnerFindings]
    /// Files that could not be matched to a partner, by path.
    var strayFiles: [StrayFile]
    /// Partner figures far from their own history, by partner then figure.
    var jumps: [JumpWarning]
    /// Changed baselines, by partner, goal and earlier quarter.
    var baselineChanges: [BaselineChange]

    /// A partner's findings grouped by code.
    func findings(of partnerID: String) -> [FindingGroup] {
        partnerFindings.first { $0.partnerID == partnerID }?.groups ?? []
    }

    /// Findings in the quarter's returns and unmatched files that are errors.
    var errorCount: Int { findingsByCode.reduce(0) { $0 + $1.errors } }
    /// Findings in the quarter's returns and unmatched files that are warnings.
    var warningCount: Int { findingsByCode.reduce(0) { $0 + $1.warnings } }
}

// MARK: - Narrative

/// What a partner told the programme in words this quarter.
struct PartnerNarrative: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// The partner's name.
    var partnerName: String
    /// Its narrative.
    var narrative: Narrative
}

// MARK: - Everything a report needs

/// All the figures of a quarter's reports, computed once by ``FigureCalculator`` and reused by the
/// Markdown reports and the workbooks.
struct ReportFigures: Sendable, Equatable {
    /// The quarter.
    var quarter: Quarter
    /// This quarter's figures.
    var current: QuarterFigures
    /// The previous calendar quarter's figures, when it has accepted returns.
    var previous: QuarterFigures?
    /// The figures of every quarter of ``TrendFigures/quarters``, oldest first (the last is ``current``).
    var history: [QuarterFigures]
    /// Trends over the quarters in the history.
    var trends: TrendFigures
    /// Completeness and timeliness.
    var submissions: SubmissionFigures
    /// Data quality.
    var dataQuality: DataQualityFigures
    /// What partners told the programme, in partner order (only partners that said something).
    var narratives: [PartnerNarrative]
    /// Every person reference in the history, so that outputs can prove none of them appears.
    var personRefs: Set<String>
    /// The figures of the tables the programme declares, in declaration order.
    var tables: [TableFigures] = []
    /// The quarter's stories, by partner then story ID (all of them: each output shows what its readers may).
    var stories: [PartnerStory] = []
    /// The stories and notes the report features.
    var featured = Featured()
    /// Journeys across quarters as they stand at the end of the quarter.
    var journeys = JourneyReport()
    /// The discretionary fund award by award (partners that send awards).
    var fund = FundReport()

    /// Creates figures.
    init(
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
