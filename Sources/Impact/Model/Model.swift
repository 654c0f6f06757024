import TableSchema

// MARK: - Reference data

/// A delivery partner, from `reference/partners.csv`.
public struct Partner: Sendable, Hashable {
    /// The alliance's ID (`P001`).
    public var id: String
    /// The organisation's name.
    public var name: String
    /// The area it mainly works in.
    public var region: String
    /// The funders that fund it (one partner may have several).
    public var funderIDs: [String]
    /// The first day it delivered support (days since 1970-01-01).
    public var activeFrom: Int32
    /// The last day of its contract, if it has ended (days since 1970-01-01).
    public var activeTo: Int32?

    /// Creates a partner.
    public init(id: String, name: String, region: String, funderIDs: [String], activeFrom: Int32, activeTo: Int32?) {
        self.id = id
        self.name = name
        self.region = region
        self.funderIDs = funderIDs
        self.activeFrom = activeFrom
        self.activeTo = activeTo
    }

    /// Whether the partner is expected to send a return for a quarter: active on any day of it.
    public func isExpected(in quarter: Quarter) -> Bool {
        Int(activeFrom) <= quarter.lastDay && (activeTo.map { Int($0) >= quarter.firstDay } ?? true)
    }
}

/// A funder, from `reference/funders.csv`.
public struct Funder: Sendable, Hashable {
    /// A short ID that names the funder's workbook.
    public var id: String
    /// The funder's name.
    public var name: String

    /// Creates a funder.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// One of the programme's outcome goals, from `reference/outcomes.csv`.
public struct OutcomeGoal: Sendable, Hashable {
    /// `OG01`.
    public var id: String
    /// The goal in a few words.
    public var title: String
    /// The programme pathway it belongs to.
    public var pathway: String
    /// How progress is measured.
    public var indicator: String
    /// The share of people working towards it whom the programme aims to see improve (0–1).
    public var targetImprovedShare: Double

    /// Creates a goal.
    public init(id: String, title: String, pathway: String, indicator: String, targetImprovedShare: Double) {
        self.id = id
        self.title = title
        self.pathway = pathway
        self.indicator = indicator
        self.targetImprovedShare = targetImprovedShare
    }
}

/// The reference tables of a workspace.
public struct ReferenceData: Sendable {
    /// Partners by ID order.
    public var partners: [Partner]
    /// Funders by ID order.
    public var funders: [Funder]
    /// Outcome goals by ID order.
    public var goals: [OutcomeGoal]
    /// The learning themes (`reference/themes.csv`, optional), in file order.
    var themes: [LearningTheme]
    /// The groups the programme aims to reach (`reference/priority-groups.csv`, optional), in file order.
    var priorityGroups: [PriorityGroup]

    /// Creates reference data.
    public init(partners: [Partner], funders: [Funder], goals: [OutcomeGoal]) {
        self.init(partners: partners, funders: funders, goals: goals, themes: [])
    }

    /// Creates reference data with learning themes and priority groups.
    init(
        partners: [Partner], funders: [Funder], goals: [OutcomeGoal], themes: [LearningTheme], priorityGroups: [PriorityGroup] = []
    ) {
        self.partners = partners.sorted { $0.id < $1.id }
        self.funders = funders.sorted { $0.id < $1.id }
        self.goals = goals.sorted { $0.id < $1.id }
        self.themes = themes
        self.priorityGroups = priorityGroups
    }

    /// A partner by ID.
    public func partner(_ id: String) -> Partner? { partners.first { $0.id == id } }
    /// A goal by ID.
    public func goal(_ id: String) -> OutcomeGoal? { goals.first { $0.id == id } }
}

/// A theme of the network's learning sessions, under which the report groups partners' challenges and what
/// would help (`reference/themes.csv`).
struct LearningTheme: Sendable, Hashable {
    /// Its ID (`travel_and_access`).
    var id: String
    /// Its name in the report.
    var label: String
    /// Words or phrases that put a sentence under it; each matches at the start of a word, whatever its case.
    var keywords: [String]
}

/// A group of people or families the programme aims to reach (`reference/priority-groups.csv`).
struct PriorityGroup: Sendable, Hashable {
    /// Its ID (`lone_parent`), as returns name it.
    var id: String
    /// Its name in the outputs.
    var label: String
}

// MARK: - Rows of accepted returns

/// A row of the support table, typed.
struct SupportRecord: Sendable, Hashable {
    var partnerID: String
    var quarter: String
    var personRef: String
    var supportType: String
    /// `active`, `paused` or `ended`.
    var status: String
    /// Days since 1970-01-01.
    var startDate: Int32?
    /// Days since 1970-01-01.
    var endDate: Int32?
    /// `planned`, `unplanned` or `transition`.
    var endingType: String?
    var sessionsOffered: Int?
    var sessionsAttended: Int?
    /// Discretionary fund spend in the programme currency.
    var discretionarySpend: Double?
    var panelApprovalRef: String?
    /// For a transition ending, where the person moved on to (`community_group`).
    var transitionTo: String? = nil
    /// How many times the person's main worker changed in the quarter, when recorded.
    var workerChanges: Int? = nil
    /// The programme's priority groups the person belongs to, by ID, in the order given.
    var priorityGroups: [String] = []
}

/// A row of the outcomes table, typed.
struct OutcomeRecord: Sendable, Hashable {
    var partnerID: String
    var quarter: String
    var personRef: String
    var outcomeID: String
    var baselineScore: Int
    var currentScore: Int
}

/// A ripple-effect note, typed.
struct RippleRecord: Sendable, Hashable {
    let partnerID: String
    let quarter: String
    let noteID: String
    let theme: String
    let outcomeID: String?
    let note: String
    /// Whether the note may be quoted to funders.
    let consentToQuote: Bool
    /// Whether it may be quoted: consent was given and nothing in it looks like personal data. Worked out once,
    /// when the record is made, since the figures of every quarter and every workbook ask.
    let quotable: Bool

    /// Creates a note.
    init(
        partnerID: String, quarter: String, noteID: String, theme: String, outcomeID: String?, note: String, consentToQuote: Bool
    ) {
        self.partnerID = partnerID
        self.quarter = quarter
        self.noteID = noteID
        self.theme = theme
        self.outcomeID = outcomeID
        self.note = note
        self.consentToQuote = consentToQuote
        quotable = consentToQuote && PersonalDataScan.textProblem(note) == nil
    }
}

/// What a partner told the programme in words: the narrative table's row, or a form's envelope fields.
struct Narrative: Sendable, Hashable {
    var highlights: String?
    var challenges: String?
    var whatWouldHelp: String?

    /// True when nothing was said.
    var isEmpty: Bool { [highlights, challenges, whatWouldHelp].allSatisfy { ($0 ?? "").isEmpty } }
}

/// A partner's accepted return for one quarter, as the store keeps it.
struct AcceptedReturn: Sendable, Hashable {
    var partnerID: String
    var quarter: Quarter
    /// The day the return was received (days since 1970-01-01).
    var receivedOn: Int32
    /// Whether it arrived by the due date.
    var onTime: Bool
    /// True when it replaced an earlier return for the same partner and quarter.
    var isResubmission: Bool
    var support: [SupportRecord]
    var outcomes: [OutcomeRecord]
    var ripple: [RippleRecord]
    var narrative: Narrative?
    /// The rows of the tables the programme declares (`tables:` in impact.yaml), by table, in table order.
    var tables: [TableRecords] = []
    /// For a return of an earlier quarter read from the store's digest: what its figures need. Its support,
    /// outcomes and declared tables' rows are then not read (they are empty here); its ripple-effect notes
    /// and narrative are.
    var digest: ReturnDigest?

    /// Creates a return.
    init(
        partnerID: String, quarter: Quarter, receivedOn: Int32, onTime: Bool, isResubmission: Bool, support: [SupportRecord],
        outcomes: [OutcomeRecord], ripple: [RippleRecord], narrative: Narrative?, tables: [TableRecords] = []
    ) {
        self.partnerID = partnerID
        self.quarter = quarter
        self.receivedOn = receivedOn
        self.onTime = onTime
        self.isResubmission = isResubmission
        self.support = support
        self.outcomes = outcomes
        self.ripple = ripple
        self.narrative = narrative
        self.tables = tables
    }

    /// The rows of a declared table, or none.
    func records(of table: String) -> TableRecords? {
        tables.first { $0.table == table }
    }
}

/// The rows of a table a programme declares, kept generically: each cell as its canonical text (ISO dates,
/// plain numbers), nil when blank, in the order of the schema's fields.
struct TableRecords: Sendable, Hashable {
    /// The table's name.
    var table: String
    /// The schema's field names, in order.
    var fields: [String]
    /// The rows, in the order they were sent.
    var rows: [[String?]]

    /// A row's value of a field, nil when blank or when the table has no such field.
    func value(_ field: String, in row: [String?]) -> String? {
        guard let index = fields.firstIndex(of: field), index < row.count else { return nil }
        return row[index]
    }
}

// MARK: - Submissions

/// What became of a partner's return for a quarter.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// No errors: its rows count in the figures (unless a later return supersedes it).
    case accepted
    /// It had errors; its rows are not used. It stays where it was, with its findings in the ledger.
    case rejected
    /// A later return for the same partner and quarter replaced it; it stays queryable.
    case superseded
}

/// One return (a form, or a partner's CSV files) for a quarter, whatever its verdict, for the
/// completeness, timeliness and data-quality parts of the reports.
struct SubmissionSummary: Sendable, Hashable {
    var partnerID: String
    var quarter: Quarter
    var verdict: Verdict
    /// The day it was received (days since 1970-01-01), when known.
    var receivedOn: Int32?
    /// Whether it arrived by the due date, when known.
    var onTime: Bool?
    /// True when it replaced an earlier return for the same partner and quarter.
    var isResubmission: Bool
    /// The files that made it up (workspace-relative paths).
    var files: [String]
    /// Its findings (errors and warnings), with the file each is in.
    var findings: [FileFinding]

    /// The number of error findings.
    var errorCount: Int { findings.filter { $0.finding.severity == .error }.count }
    /// The number of warning findings.
    var warningCount: Int { findings.filter { $0.finding.severity == .warning }.count }
}

/// A finding with the (workspace-relative) file it was found in.
public struct FileFinding: Sendable, Hashable {
    public var file: String
    public var finding: Finding

    /// Creates one.
    public init(file: String, finding: Finding) {
        self.file = file
        self.finding = finding
    }
}
