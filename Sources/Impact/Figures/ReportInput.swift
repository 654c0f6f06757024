import TableSchema

// MARK: - Input of the figures and reports

/// Everything the figures, the impact report and the partner feedback are computed from.
///
/// The run stage assembles it from the workspace and the history store; the figures and reports are
/// pure functions of it, so the same input always gives byte-identical reports.
struct ReportInput: Sendable {
    /// The programme's settings (`impact.yaml`).
    var settings: Settings
    /// Partners, funders and outcome goals.
    var reference: ReferenceData
    /// The quarter being reported.
    var quarter: Quarter
    /// Accepted returns by quarter, including the quarter being reported: one per partner and quarter
    /// (when several are given, the latest received counts).
    var history: [Quarter: [AcceptedReturn]]
    /// Every return of the quarter being reported, whatever its verdict.
    var submissions: [SubmissionSummary]
    /// Files of the quarter that could not be matched to a partner, with their findings.
    var strayFiles: [(path: String, findings: [FileFinding])]
    /// The date written into the outputs (ISO 8601), fixed by `SOURCE_DATE_EPOCH` in the caller.
    var generatedOn: String
    /// What disclosure control did to the funder workbooks (nil when they are not written).
    var disclosure: DisclosureSummary?
    /// The impact lead's commentary on the quarter (`Reports/commentary/<quarter>.md`), when written.
    var commentary: Commentary?
    /// The stories and notes the impact lead chose to feature this quarter (`Reports/featured.yaml`), if any.
    var featuredChoice: FeaturedChoice?
    /// How many stories and notes of each partner earlier quarters' reports featured (the store's record).
    var featuredBefore: [String: Int] = [:]
    /// The actions partners and the impact lead agreed, every quarter's (the store's record).
    var actions: [FeedbackAction] = []

    /// Creates an input.
    init(
        settings: Settings, reference: ReferenceData, quarter: Quarter, history: [Quarter: [AcceptedReturn]],
        submissions: [SubmissionSummary], strayFiles: [(path: String, findings: [FileFinding])] = [], generatedOn: String
    ) {
        self.settings = settings
        self.reference = reference
        self.quarter = quarter
        self.history = history
        self.submissions = submissions
        self.strayFiles = strayFiles
        self.generatedOn = generatedOn
    }

    // MARK: - Derived views

    /// The accepted returns of a quarter, one per partner, in partner-ID order.
    ///
    /// When the history holds several returns for a partner and quarter, the one received last counts
    /// (a resubmission before an original received the same day; otherwise the later in the list).
    func returns(in quarter: Quarter) -> [AcceptedReturn] {
        var chosen: [String: (index: Int, value: AcceptedReturn)] = [:]
        for (index, value) in (history[quarter] ?? []).enumerated() {
            guard let current = chosen[value.partnerID] else {
                chosen[value.partnerID] = (index, value)
                continue
            }
            let newer =
                (value.receivedOn, value.isResubmission ? 1 : 0, index)
                > (current.value.receivedOn, current.value.isResubmission ? 1 : 0, current.index)
            if newer { chosen[value.partnerID] = (index, value) }
        }
        return chosen.values.map(\.value).sorted { $0.partnerID < $1.partnerID }
    }

    /// The quarters that trends cover, oldest first: from the settings' `first_quarter` (or the earliest
    /// quarter in the history) up to the quarter being reported, without gaps.
    var trendQuarters: [Quarter] {
        let earliestInHistory = history.keys.filter { $0 <= quarter }.min() ?? quarter
        var start = settings.firstQuarter.map { max($0, earliestInHistory) } ?? earliestInHistory
        if start > quarter { start = quarter }
        var quarters: [Quarter] = []
        var cursor = start
        while cursor <= quarter && quarters.count < 400 {
            quarters.append(cursor)
            cursor = cursor.next
        }
        return quarters
    }

    /// The name of a partner, or its ID when the reference data does not know it.
    func partnerName(_ id: String) -> String {
        reference.partner(id)?.name ?? id
    }
}
