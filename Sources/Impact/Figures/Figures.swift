import TableSchema

// Each figure is defined once: computed in `FigureCalculator`, documented here with the same words as
// `MetricDefinitions` (which generates docs/metrics.md and the reports' definitions). A test checks that
// every definition appears in these doc comments.

// MARK: - Support

/// How many people were in each support status.
struct StatusCounts: Sendable, Hashable {
    /// `support_status` active.
    var active: Int = 0
    /// `support_status` paused.
    var paused: Int = 0
    /// `support_status` ended.
    var ended: Int = 0

    /// Creates counts.
    init(active: Int = 0, paused: Int = 0, ended: Int = 0) {
        self.active = active
        self.paused = paused
        self.ended = ended
    }
}

/// How many endings of each type.
struct EndingCounts: Sendable, Hashable {
    /// `ending_type` planned.
    var planned: Int = 0
    /// `ending_type` unplanned.
    var unplanned: Int = 0
    /// `ending_type` transition.
    var transition: Int = 0

    /// Creates counts.
    init(planned: Int = 0, unplanned: Int = 0, transition: Int = 0) {
        self.planned = planned
        self.unplanned = unplanned
        self.transition = transition
    }
}

/// Use of the discretionary fund.
struct DiscretionaryFigures: Sendable, Hashable {
    /// The sum of `discretionary_spend` over all people, in the programme's currency, exact to the minor
    /// unit (the penny).
    var total: Money = .zero
    /// The number of people with a `discretionary_spend` above zero.
    var spends: Int = 0
    /// The number of discretionary spends above `coordinator_limit` (impact.yaml); each needs the panel's
    /// approval.
    var aboveLimitCount: Int = 0
    /// The sum of the discretionary spends above `coordinator_limit`.
    var aboveLimitTotal: Money = .zero
    /// Of the spends above `coordinator_limit`, how many carry a `panel_approval_ref`. Every one should;
    /// the report names the partners where one does not.
    var aboveLimitApproved: Int = 0

    /// Spends above the limit without a panel approval reference.
    var aboveLimitUnapproved: Int { aboveLimitCount - aboveLimitApproved }

    /// Creates figures.
    init(
        total: Money = .zero, spends: Int = 0, aboveLimitCount: Int = 0, aboveLimitTotal: Money = .zero,
        aboveLimitApproved: Int = 0
    ) {
        self.total = total
        self.spends = spends
        self.aboveLimitCount = aboveLimitCount
        self.aboveLimitTotal = aboveLimitTotal
        self.aboveLimitApproved = aboveLimitApproved
    }
}

/// The support figures of a partner, or of the network, for one quarter.
struct SupportFigures: Sendable, Hashable {
    /// The number of distinct `person_ref` values in a partner's accepted support table for the quarter.
    /// For the network, the sum over partners: references are pseudonyms chosen by each partner, so a
    /// person supported by two partners counts twice.
    var peopleSupported: Int = 0
    /// People whose `start_date` falls within the quarter, from its first to its last day.
    var newStarts: Int = 0
    /// People whose `support_status` is `active`, `paused` or `ended` in the quarter's return.
    var status = StatusCounts()
    /// Among people whose support ended (`support_status` is `ended`), how many endings were `planned`,
    /// `unplanned` or a `transition` to other support, from `ending_type`.
    var endings = EndingCounts()
    /// The median over people with a `start_date` of the days from `start_date` to `end_date`, or to the
    /// quarter's last day when there is no `end_date`. With an even number of people it is the mean of the
    /// middle two, so it may end in .5. For the network, the median over the people of all partners; no
    /// data when nobody has a start date.
    var medianLengthDays: Double?
    /// The sum of `sessions_offered` over the people whose row gives it.
    var sessionsOffered: Int = 0
    /// The sum of `sessions_attended` over the people whose row gives it.
    var sessionsAttended: Int = 0
    /// The sum of `sessions_attended` divided by the sum of `sessions_offered`, over the people whose row
    /// gives both; no data when no sessions were offered.
    var attendanceRate: Double?
    /// Use of the discretionary fund.
    var discretionary = DiscretionaryFigures()
    /// People, sessions offered and attended, and the attendance rate, by `support_type` (the schema's order,
    /// then others alphabetically).
    var byType: [SupportTypeFigures] = []
    /// The lengths of support so far as quartiles and bands, with the people supported for longer than
    /// `support.max_days` (impact.yaml).
    var lengths = LengthDistribution()
    /// Among transition endings, how many led to each `transition_to` (blank counts as not recorded).
    var destinations: [DestinationCount] = []
    /// Among people whose row gives `worker_changes`, how many kept the same worker all quarter (0 changes).
    var continuity = ContinuityFigures()
    /// People in each priority group named in `priority_groups`, and the people supported by partners that name
    /// any: the base of the shares.
    var reach = ReachFigures()

    /// Creates empty figures.
    init() {}
}

// MARK: - Outcome goals

/// Progress towards one outcome goal, for a partner or the network.
struct GoalFigures: Sendable, Hashable {
    /// The goal's ID (`OG01`).
    var goalID: String
    /// The goal's title.
    var title: String
    /// The goal's `target_improved_share` (0–1).
    var target: Double
    /// People with an outcomes row for the goal (distinct `person_ref` per partner; for the network,
    /// summed over partners).
    var people: Int
    /// The mean of `current_score` minus `baseline_score` over the people working towards the goal; no
    /// data when there are none.
    var meanChange: Double?
    /// People whose `current_score` is at least `improvement_points` (impact.yaml) above their
    /// `baseline_score`.
    var improved: Int
    /// Improved people divided by people working towards the goal; no data when there are none.
    var shareImproved: Double?
    /// Met when the share improved is at or above the goal's `target_improved_share`
    /// (reference/outcomes.csv), not met when below, no data when nobody works towards the goal.
    var targetMet: Bool?
}

// MARK: - Ripple effects

/// Notes of one ripple-effect theme.
struct ThemeCount: Sendable, Hashable {
    /// The theme as returns write it (`family_relationships`).
    var theme: String
    /// The theme in words (`Family relationships`).
    var label: String
    /// How many notes.
    var notes: Int
    /// How many of them may be quoted.
    var consented: Int
}

/// A ripple-effect note that may be quoted (`consent_to_quote` true). It carries no person reference.
struct Quote: Sendable, Hashable {
    /// The partner that wrote it.
    var partnerID: String
    /// The partner's name.
    var partnerName: String
    /// The partner's ID for the note.
    var noteID: String
    /// The theme as returns write it.
    var theme: String
    /// The theme in words.
    var themeLabel: String
    /// The goal it relates to, if any.
    var goalID: String?
    /// The note's text.
    var text: String
}

/// Ripple effects of a partner or the network for one quarter.
struct RippleFigures: Sendable, Hashable {
    /// The number of notes in accepted ripple tables per `theme`, and how many of them may be quoted.
    /// Every known theme is listed, in the schema's order, then any other theme in alphabetical order.
    var themes: [ThemeCount] = []
    /// The text of notes whose `consent_to_quote` is true, attributed to the partner. Notes without
    /// consent are counted but never shown, and so are notes holding something that looks like an email
    /// address, a phone number or a postcode; a person reference in a note is withheld.
    var quotes: [Quote] = []

    /// All notes.
    var notes: Int { themes.reduce(0) { $0 + $1.notes } }
    /// Notes that may be quoted.
    var consented: Int { themes.reduce(0) { $0 + $1.consented } }

    /// Creates figures.
    init(themes: [ThemeCount] = [], quotes: [Quote] = []) {
        self.themes = themes
        self.quotes = quotes
    }
}

/// The ripple-effect themes of the schema, in order, with their words.
enum RippleThemes {
    /// Theme and label, in the schema's order.
    static let known: [(theme: String, label: String)] = [
        ("family_relationships", "Family relationships"),
        ("community_connections", "Community connections"),
        ("education_employment", "Education and employment"),
        ("health_wellbeing", "Health and wellbeing"),
        ("housing", "Housing"),
        ("confidence_skills", "Confidence and skills"),
        ("other", "Other"),
    ]

    /// A theme in words (the theme itself when it is not known).
    static func label(_ theme: String) -> String {
        known.first { $0.theme == theme }?.label ?? theme
    }
}

// MARK: - A quarter

/// One partner's figures for a quarter.
struct PartnerFigures: Sendable, Hashable {
    /// The partner's ID.
    var partnerID: String
    /// The partner's name.
    var partnerName: String
    /// Its support figures.
    var support: SupportFigures
    /// Its progress on every goal, in goal order.
    var goals: [GoalFigures]
    /// Its ripple effects.
    var ripple: RippleFigures

    /// Its figures for a goal.
    func goal(_ id: String) -> GoalFigures? { goals.first { $0.goalID == id } }
}

/// A goal's value in a list of per-goal values.
struct GoalValue: Sendable, Hashable {
    /// The goal's ID.
    var goalID: String
    /// The value (a share 0–1), or nil for no data.
    var value: Double?
    /// The change on the previous quarter in percentage points, where it applies.
    var change: Double?

    /// Creates a value.
    init(goalID: String, value: Double?, change: Double? = nil) {
        self.goalID = goalID
        self.value = value
        self.change = change
    }
}

/// For a partner figure, the median of that figure over the partners with an accepted return this
/// quarter, ignoring partners with no data for it.
struct PartnerMedians: Sendable, Hashable {
    /// Median people supported.
    var peopleSupported: Double?
    /// Median new starts.
    var newStarts: Double?
    /// Median active.
    var active: Double?
    /// Median paused.
    var paused: Double?
    /// Median ended.
    var ended: Double?
    /// Median of the partners' median length of support, in days.
    var medianLengthDays: Double?
    /// Median sessions offered.
    var sessionsOffered: Double?
    /// Median attendance rate.
    var attendanceRate: Double?
    /// Median discretionary fund spent (in minor units, rounded).
    var discretionaryTotal: Money?
    /// Median share improved per goal, in goal order.
    var shareImproved: [GoalValue]

    /// Creates medians.
    init(
        peopleSupported: Double? = nil, newStarts: Double? = nil, active: Double? = nil, paused: Double? = nil,
        ended: Double? = nil,
        medianLengthDays: Double? = nil, sessionsOffered: Double? = nil, attendanceRate: Double? = nil,
        discretionaryTotal: Money? = nil, shareImproved: [GoalValue] = []
    ) {
        self.peopleSupported = peopleSupported
        self.newStarts = newStarts
        self.active = active
        self.paused = paused
        self.ended = ended
        self.medianLengthDays = medianLengthDays
        self.sessionsOffered = sessionsOffered
        self.attendanceRate = attendanceRate
        self.discretionaryTotal = discretionaryTotal
        self.shareImproved = shareImproved
    }
}

/// The figures of one quarter: the network, every partner with an accepted return, every goal.
struct QuarterFigures: Sendable, Hashable {
    /// The quarter.
    var quarter: Quarter
    /// Partners with an accepted return this quarter.
    var partnersReporting: Int
    /// Support figures of the network.
    var network: SupportFigures
    /// Progress of the network on every goal, in goal order.
    var goals: [GoalFigures]
    /// Ripple effects of the network.
    var ripple: RippleFigures
    /// Every partner with an accepted return, in ID order.
    var partners: [PartnerFigures]
    /// The network medians of the partner figures.
    var partnerMedians: PartnerMedians

    /// A partner's figures, when it has an accepted return.
    func partner(_ id: String) -> PartnerFigures? { partners.first { $0.partnerID == id } }
    /// The network's figures for a goal.
    func goal(_ id: String) -> GoalFigures? { goals.first { $0.goalID == id } }
}
