import TableSchema

/// Computes every figure of the reports from accepted returns and submissions: a pure function of its
/// input, with stable ordering everywhere and "no data" (nil) instead of NaN.
///
/// Each figure is computed in exactly one place here; its definition is in `MetricDefinitions`, from which
/// docs/metrics.md and the reports' definitions are generated.
struct FigureCalculator: Sendable {
    /// The programme's settings.
    var settings: Settings
    /// The reference data.
    var reference: ReferenceData
    /// How many quarters of history are computed at once (the figures are the same for any number).
    var jobs: Int

    /// Creates a calculator.
    init(settings: Settings, reference: ReferenceData, jobs: Int = 1) {
        self.settings = settings
        self.reference = reference
        self.jobs = jobs
    }

    // MARK: - Everything

    /// All the figures of a report input.
    func figures(for input: ReportInput) -> ReportFigures {
        tallied(input).figures
    }

    /// All the figures of a report input, and the partners' tallies they were made from.
    ///
    /// - Parameters:
    ///   - known: tallies made earlier from the same returns (a funder's workbook reuses the programme's).
    ///   - crossQuarterChecks: false to leave out the data-quality checks against earlier quarters (sudden
    ///     jumps, changed baselines), which only the impact report shows.
    ///   - journeys: false to leave out the journeys across quarters, which funders' workbooks do not show.
    func tallied(
        _ input: ReportInput, reusing known: PartnerTallies = PartnerTallies(), crossQuarterChecks: Bool = true,
        journeys withJourneys: Bool = true
    ) -> (figures: ReportFigures, tallies: PartnerTallies) {
        let quarter = input.quarter
        let currentReturns = input.returns(in: quarter)
        let computed = input.trendQuarters.parallelMap(jobs: jobs) {
            (quarter: $0, result: self.tallied($0, returns: input.returns(in: $0), known: known[$0] ?? [:]))
        }
        var tallies = PartnerTallies()
        for item in computed where !item.result.tallies.isEmpty { tallies.quarters[item.quarter] = item.result.tallies }
        let history = computed.map(\.result.figures)
        let current = history.last { $0.quarter == quarter } ?? self.quarter(quarter, returns: currentReturns)
        let previousReturns = input.returns(in: quarter.previous)
        let previous =
            previousReturns.isEmpty
            ? nil : history.first { $0.quarter == quarter.previous } ?? self.quarter(quarter.previous, returns: previousReturns)
        tallies.personRefs = personRefs(input, known: known.personRefs)
        var refs = Set<String>(minimumCapacity: tallies.personRefs.values.reduce(0) { $0 + $1.count })
        for partnerRefs in tallies.personRefs.values { refs.formUnion(partnerRefs) }
        let narratives = currentReturns.compactMap { value -> PartnerNarrative? in
            guard var narrative = value.narrative else { return nil }
            // A narrative field that looks like it holds personal data is left out, as a note would be.
            for field in [\Narrative.highlights, \Narrative.challenges, \Narrative.whatWouldHelp] {
                if let text = narrative[keyPath: field], PersonalDataScan.textProblem(text) != nil { narrative[keyPath: field] = nil }
            }
            guard !narrative.isEmpty else { return nil }
            return PartnerNarrative(partnerID: value.partnerID, partnerName: partnerName(value.partnerID), narrative: narrative)
        }
        var figures = ReportFigures(
            quarter: quarter, current: current, previous: previous, history: history, trends: trends(history),
            submissions: submissions(quarter: quarter, accepted: currentReturns, submissions: input.submissions),
            dataQuality: dataQuality(input, history: history, crossQuarterChecks: crossQuarterChecks), narratives: narratives,
            personRefs: refs)
        figures.tables = settings.declaredTables.map { TableFigures.compute($0.table, returns: currentReturns) }
        figures.stories = currentReturns.flatMap { value in
            value.stories.map { story in
                PartnerStory(
                    story: story, partnerName: partnerName(value.partnerID), receivedOn: value.receivedOn,
                    holdsPersonalData: PersonalDataScan.textProblem(story.title) != nil
                        || PersonalDataScan.textProblem(story.text) != nil)
            }.sorted { $0.story.storyID < $1.story.storyID }
        }
        if withJourneys { figures.journeys = journeys(input) }
        var fund = FundReport()
        var fundReturns: [[AwardRecord]] = []
        for value in currentReturns.sorted(by: { $0.partnerID < $1.partnerID }) {
            guard let awards = value.awards else { continue }
            fund.partners[value.partnerID] = FundFigures([awards])
            fundReturns.append(awards)
        }
        fund.network = FundFigures(fundReturns)
        figures.fund = fund
        figures.featured = Featured(
            stories: figures.stories, quotes: current.ripple.quotes,
            receivedOn: Dictionary(currentReturns.map { ($0.partnerID, $0.receivedOn) }, uniquingKeysWith: max),
            featuredBefore: input.featuredBefore, choice: input.featuredChoice)
        return (figures, tallies)
    }

    /// A partner's name, or its ID when the reference data does not know it.
    func partnerName(_ id: String) -> String { reference.partner(id)?.name ?? id }

    /// The distinct person references of each partner's returns in the input's whole history (support,
    /// outcomes, and declared tables with a `person_ref`), by the returns' partner ID: taken from `known`
    /// when it has the partner, otherwise gathered partner by partner on every core.
    func personRefs(_ input: ReportInput, known: [String: [String]]) -> [String: [String]] {
        var byPartner: [String: [AcceptedReturn]] = [:]
        for returns in input.history.values {
            for value in returns where known[value.partnerID] == nil { byPartner[value.partnerID, default: []].append(value) }
        }
        let gathered = Array(byPartner).parallelMap(jobs: jobs) { partnerID, returns in
            var refs: [String] = []
            ReturnDigest.forEachPersonRef(in: returns) { refs.append($0) }
            return (partnerID, refs)
        }
        var result: [String: [String]] = [:]
        for returns in input.history.values {
            for value in returns { if let refs = known[value.partnerID] { result[value.partnerID] = refs } }
        }
        for (partnerID, refs) in gathered { result[partnerID] = refs }
        return result
    }

    // MARK: - Support

    /// The support figures of some support rows (one partner's, or every partner's for the network).
    /// A person is a distinct (`partner_id`, `person_ref`); when a return lists a person twice, the first
    /// row counts.
    func support<Rows: Sequence<SupportRecord>>(_ rows: Rows, quarter: Quarter) -> SupportFigures {
        var seen: Set<PersonKey> = []
        return support(
            distinct: rows.lazy.filter { seen.insert(PersonKey(partnerID: $0.partnerID, personRef: $0.personRef)).inserted },
            quarter: quarter)
    }

    /// Whether the returns are of different partners and hold only their own partner's rows (as accepted
    /// returns do): then people can be told apart return by return.
    static func eachReturnIsOnePartners<Row: PartnerRow>(_ returns: [AcceptedReturn], _ rows: KeyPath<AcceptedReturn, [Row]>) -> Bool {
        var partners: Set<String> = []
        for value in returns {
            guard partners.insert(value.partnerID).inserted, value[keyPath: rows].allSatisfy({ $0.partnerID == value.partnerID }) else {
                return false
            }
        }
        return true
    }

    /// Support figures of rows that are each a different person.
    func support<Rows: Sequence<SupportRecord>>(distinct people: Rows, quarter: Quarter) -> SupportFigures {
        var tally = SupportTally()
        let limit = Money(amount: settings.coordinatorLimit)
        for row in people { tally.add(row, quarter: quarter, limit: limit) }
        tally.closePartner()
        return finish(tally)
    }

    /// A tally's figures, with the people past the programme's agreed maximum length of support.
    func finish(_ tally: SupportTally) -> SupportFigures {
        var figures = tally.finished
        figures.lengths.pastMaximum = settings.supportMaxDays.map { max in tally.lengths.filter { $0 > Double(max) }.count }
        return figures
    }

    // MARK: - Journeys

    /// The journeys of each partner with an accepted return in the input's quarter, from its returns of the
    /// history's quarters up to it, and the network's.
    func journeys(_ input: ReportInput) -> JourneyReport {
        let quarters = input.trendQuarters.filter { $0 <= input.quarter }
        guard let start = quarters.first else { return JourneyReport() }
        let byPartner = Self.byPartner(input, quarters: quarters)
        let partners = input.returns(in: input.quarter).map(\.partnerID).sorted()
        let computed = partners.parallelMap(jobs: jobs) { partnerID in
            var steps: [Quarter: [JourneyStep]] = [:]
            for quarter in quarters {
                if let value = byPartner[quarter]?[partnerID] { steps[quarter] = JourneyStep.steps(of: value) }
            }
            return (
                partnerID,
                JourneyFigures.of(
                    partnerSteps: steps, quarter: input.quarter, historyStart: start, improvementPoints: settings.improvementPoints)
            )
        }
        var report = JourneyReport()
        for (partnerID, figures) in computed {
            report.partners[partnerID] = figures
            report.network.merge(figures)
        }
        return report
    }

    // MARK: - Outcome goals

    /// Progress on every goal of the reference data, in goal order, from some outcomes rows. A person is a
    /// distinct (`partner_id`, `person_ref`) per goal; when a return lists one twice, the first row counts.
    func goals<Rows: Sequence<OutcomeRecord>>(_ rows: Rows) -> [GoalFigures] {
        goals(changes: changes(rows))
    }

    /// Each distinct person's change from baseline, by goal, in row order (only the changes are kept).
    func changes<Rows: Sequence<OutcomeRecord>>(_ rows: Rows) -> [String: [Int]] {
        var seen: Set<GoalPersonKey> = []
        var byGoal: [String: [Int]] = [:]
        for row in rows
        where seen.insert(GoalPersonKey(partnerID: row.partnerID, personRef: row.personRef, goalID: row.outcomeID)).inserted {
            byGoal[row.outcomeID, default: []].append(row.currentScore - row.baselineScore)
        }
        return byGoal
    }

    /// `changes(_:)` of rows that all name one partner: people told apart by their ref alone.
    func changes(ofOnePartner rows: [OutcomeRecord]) -> [String: [Int]] {
        /// One goal's people so far and their changes.
        struct GoalChanges {
            var people: Set<String> = []
            var changes: [Int] = []

            mutating func add(_ row: OutcomeRecord) {
                if people.insert(row.personRef).inserted { changes.append(row.currentScore - row.baselineScore) }
            }
        }
        var byGoal: [String: GoalChanges] = [:]
        for row in rows { byGoal[row.outcomeID, default: GoalChanges()].add(row) }
        return byGoal.mapValues(\.changes)
    }

    /// Progress on every goal from people's changes by goal.
    func goals(changes byGoal: [String: [Int]]) -> [GoalFigures] {
        reference.goals.map { goal in
            let changes = byGoal[goal.id] ?? []
            let improved = changes.filter { $0 >= settings.improvementPoints }.count
            let share = Statistics.ratio(improved, changes.count)
            return GoalFigures(
                goalID: goal.id, title: goal.title, target: goal.targetImprovedShare, people: changes.count,
                meanChange: Statistics.mean(changes.map(Double.init)), improved: improved, shareImproved: share,
                targetMet: share.map { $0 >= goal.targetImprovedShare - 1e-9 })
        }
    }

    // MARK: - Ripple effects

    /// Ripple effects of some notes: counts by theme and the consented quotes, by partner then note ID.
    func ripple(_ rows: [RippleRecord]) -> RippleFigures {
        var notes: [String: Int] = [:]
        var consented: [String: Int] = [:]
        for row in rows {
            notes[row.theme, default: 0] += 1
            if row.consentToQuote { consented[row.theme, default: 0] += 1 }
        }
        let known = RippleThemes.known.map(\.theme)
        let others = notes.keys.filter { !known.contains($0) }.sorted()
        let themes = (known + others).map { theme in
            ThemeCount(theme: theme, label: RippleThemes.label(theme), notes: notes[theme] ?? 0, consented: consented[theme] ?? 0)
        }
        // Consent covers the words, not a way to reach or name someone: a note with an email address, a phone
        // number, a postcode, a name after a title, a whole date or a street address in it is counted but
        // never quoted.
        let quotes =
            rows
            .filter(\.quotable)
            .sorted { ($0.partnerID, $0.noteID) < ($1.partnerID, $1.noteID) }
            .map {
                Quote(
                    partnerID: $0.partnerID, partnerName: partnerName($0.partnerID), noteID: $0.noteID, theme: $0.theme,
                    themeLabel: RippleThemes.label($0.theme), goalID: $0.outcomeID, text: $0.note)
            }
        return RippleFigures(themes: themes, quotes: quotes)
    }

    // MARK: - A quarter

    /// The figures of a quarter from its accepted returns (one per partner).
    func quarter(_ quarter: Quarter, returns: [AcceptedReturn]) -> QuarterFigures {
        tallied(quarter, returns: returns).figures
    }

    /// The figures of a quarter, and the partners' tallies they were merged from: each partner is counted
    /// once (or taken from `known`), and the network is the sum of its partners (a person is a partner's).
    /// Returns whose rows name other partners are counted row by row, and give no tallies.
    func tallied(
        _ quarter: Quarter, returns: [AcceptedReturn], known: [String: PartnerTally] = [:]
    ) -> (figures: QuarterFigures, tallies: [String: PartnerTally]) {
        let returns = returns.sorted { $0.partnerID < $1.partnerID }
        guard Self.eachReturnIsOnePartners(returns, \.outcomes), Self.eachReturnIsOnePartners(returns, \.support) else {
            return (countedRowByRow(quarter, returns: returns), [:])
        }
        let limit = Money(amount: settings.coordinatorLimit)
        var tallies: [String: PartnerTally] = [:]
        var network = SupportTally()
        var networkChanges: [String: [Int]] = [:]
        var partners: [PartnerFigures] = []
        for value in returns {
            let tally = known[value.partnerID] ?? self.tally(value, quarter: quarter, limit: limit)
            network.merge(tally.support)
            for (goal, values) in tally.changes { networkChanges[goal, default: []].append(contentsOf: values) }
            partners.append(tally.figures)
            tallies[value.partnerID] = tally
        }
        let figures = QuarterFigures(
            quarter: quarter, partnersReporting: returns.count, network: finish(network),
            goals: goals(changes: networkChanges), ripple: ripple(returns.flatMap(\.ripple)), partners: partners,
            partnerMedians: medians(partners))
        return (figures, tallies)
    }

    /// One partner's return tallied: its rows all name that partner.
    func tally(_ value: AcceptedReturn, quarter: Quarter, limit: Money) -> PartnerTally {
        let support: SupportTally
        let changes: [String: [Int]]
        if let digest = value.digest {
            support = digest.support
            changes = digest.changes
        } else {
            var seen: Set<String> = []
            var tally = SupportTally()
            for row in value.support where seen.insert(row.personRef).inserted { tally.add(row, quarter: quarter, limit: limit) }
            tally.closePartner()
            support = tally
            changes = self.changes(ofOnePartner: value.outcomes)
        }
        return PartnerTally(
            figures: PartnerFigures(
                partnerID: value.partnerID, partnerName: partnerName(value.partnerID), support: finish(support),
                goals: goals(changes: changes), ripple: ripple(value.ripple)),
            support: support, changes: changes)
    }

    /// The figures of a quarter whose returns hold rows of other partners, counted row by row.
    func countedRowByRow(_ quarter: Quarter, returns: [AcceptedReturn]) -> QuarterFigures {
        let networkChanges = changes(returns.lazy.flatMap(\.outcomes))
        let partners = returns.map { value in
            PartnerFigures(
                partnerID: value.partnerID, partnerName: partnerName(value.partnerID),
                support: support(value.support, quarter: quarter), goals: goals(value.outcomes), ripple: ripple(value.ripple))
        }
        return QuarterFigures(
            quarter: quarter, partnersReporting: returns.count,
            network: support(returns.lazy.flatMap(\.support), quarter: quarter), goals: goals(changes: networkChanges),
            ripple: ripple(returns.flatMap(\.ripple)), partners: partners, partnerMedians: medians(partners))
    }

    /// For a partner figure, the median of that figure over the partners with an accepted return this
    /// quarter, ignoring partners with no data for it.
    func medians(_ partners: [PartnerFigures]) -> PartnerMedians {
        func median(_ value: (SupportFigures) -> Double?) -> Double? {
            Statistics.median(partners.compactMap { value($0.support) })
        }
        return PartnerMedians(
            peopleSupported: median { Double($0.peopleSupported) }, newStarts: median { Double($0.newStarts) },
            active: median { Double($0.status.active) }, paused: median { Double($0.status.paused) },
            ended: median { Double($0.status.ended) }, medianLengthDays: median(\.medianLengthDays),
            sessionsOffered: median { Double($0.sessionsOffered) }, attendanceRate: median(\.attendanceRate),
            discretionaryTotal: median { Double($0.discretionary.total.minorUnits) }.map {
                Money(minorUnits: Int($0.rounded(.toNearestOrAwayFromZero)))
            },
            shareImproved: reference.goals.map { goal in
                GoalValue(goalID: goal.id, value: Statistics.median(partners.compactMap { $0.goal(goal.id)?.shareImproved }))
            })
    }

    // MARK: - Completeness and timeliness

    /// Completeness and timeliness of a quarter: every partner expected (per reference dates) or with a
    /// return, what it sent, and when.
    func submissions(quarter: Quarter, accepted: [AcceptedReturn], submissions: [SubmissionSummary]) -> SubmissionFigures {
        let dueOn = quarter.lastDay + settings.dueDays
        let ofQuarter = submissions.filter { $0.quarter == quarter }
        var ids = Set(reference.partners.filter { $0.isExpected(in: quarter) }.map(\.id))
        ids.formUnion(ofQuarter.map(\.partnerID))
        ids.formUnion(accepted.map(\.partnerID))
        let partners = ids.sorted().map { id -> PartnerSubmission in
            let returns = ofQuarter.enumerated()
                .filter { $0.element.partnerID == id }
                .sorted { left, right in
                    let a = left.element.receivedOn.map(Int.init) ?? Int.max
                    let b = right.element.receivedOn.map(Int.init) ?? Int.max
                    return (a, left.offset) < (b, right.offset)
                }
                .map(\.element)
            let isExpected = reference.partner(id)?.isExpected(in: quarter) ?? false
            let acceptedReturn = accepted.first { $0.partnerID == id }
            let acceptedSummary = returns.last { $0.verdict == .accepted }
            let status: ReturnStatus
            let counting: SubmissionSummary?
            if acceptedReturn != nil || acceptedSummary != nil {
                status = .accepted
                counting = acceptedSummary
            } else if !returns.isEmpty {
                status = .rejected
                counting = returns.last { $0.verdict == .rejected } ?? returns.last
            } else {
                status = .missing
                counting = nil
            }
            let receivedOn = acceptedReturn?.receivedOn ?? counting?.receivedOn
            var onTime = acceptedReturn?.onTime ?? counting?.onTime
            if onTime == nil, let receivedOn { onTime = Int(receivedOn) <= dueOn }
            return PartnerSubmission(
                partnerID: id, partnerName: partnerName(id), isExpected: isExpected, status: status, receivedOn: receivedOn,
                onTime: status == .missing ? nil : onTime,
                isResubmission: acceptedReturn?.isResubmission ?? counting?.isResubmission ?? false,
                errorCount: counting?.errorCount ?? 0, warningCount: counting?.warningCount ?? 0, files: counting?.files ?? [],
                returns: returns)
        }
        return SubmissionFigures(quarter: quarter, dueOn: dueOn, partners: partners)
    }

    // MARK: - Trends

    /// Trends over the input's trend quarters.
    func trends(_ input: ReportInput) -> TrendFigures {
        trends(input.trendQuarters.map { quarter($0, returns: input.returns(in: $0)) })
    }

    /// Trends over some quarters' figures (consecutive, oldest first) for the network and for every
    /// partner with an accepted return in any of them: people supported, new starts, attendance rate and
    /// share improved per goal, each with its change on the previous quarter.
    func trends(_ history: [QuarterFigures]) -> TrendFigures {
        func series(partnerID: String?) -> TrendSeries {
            var points: [TrendPoint] = []
            var previous: TrendPoint?
            for figures in history {
                let quarter = figures.quarter
                let support: SupportFigures?
                let goals: [GoalFigures]?
                if let partnerID {
                    let partner = figures.partner(partnerID)
                    support = partner?.support
                    goals = partner?.goals
                } else if figures.partnersReporting > 0 {
                    support = figures.network
                    goals = figures.goals
                } else {
                    support = nil
                    goals = nil
                }
                let prior = previous?.quarter == quarter.previous ? previous : nil
                let shares = reference.goals.map { goal in
                    let share = goals?.first { $0.goalID == goal.id }?.shareImproved
                    let before = prior?.shareImproved.first { $0.goalID == goal.id }?.value
                    return GoalValue(goalID: goal.id, value: share, change: Change.points(share, previous: before))
                }
                let point = TrendPoint(
                    quarter: quarter, hasData: support != nil, peopleSupported: support?.peopleSupported,
                    peopleSupportedChange: Change.count(support?.peopleSupported, previous: prior?.peopleSupported),
                    newStarts: support?.newStarts, newStartsChange: Change.count(support?.newStarts, previous: prior?.newStarts),
                    attendanceRate: support?.attendanceRate,
                    attendanceRateChange: Change.points(support?.attendanceRate, previous: prior?.attendanceRate),
                    shareImproved: shares)
                points.append(point)
                previous = point
            }
            return TrendSeries(partnerID: partnerID, points: points)
        }
        let partnerIDs = Set(history.flatMap { $0.partners.map(\.partnerID) }).sorted()
        return TrendFigures(
            quarters: history.map(\.quarter), network: series(partnerID: nil), partners: partnerIDs.map { series(partnerID: $0) })
    }

    // MARK: - Data quality

    /// Findings by code across the quarter's returns and unmatched files, findings per partner, and the
    /// cross-quarter warnings.
    func dataQuality(_ input: ReportInput, history: [QuarterFigures], crossQuarterChecks: Bool = true) -> DataQualityFigures {
        let submissions = input.submissions.filter { $0.quarter == input.quarter }
        let stray = input.strayFiles.map { StrayFile(path: $0.path, findings: $0.findings) }.sorted { $0.path < $1.path }
        var counts: [FindingCode: (errors: Int, warnings: Int, sources: Int)] = [:]
        let sources = submissions.map(\.findings) + stray.map(\.findings)
        for findings in sources {
            var codes: Set<FindingCode> = []
            for item in findings {
                var count = counts[item.finding.code] ?? (0, 0, 0)
                if item.finding.severity == .error { count.errors += 1 } else { count.warnings += 1 }
                if codes.insert(item.finding.code).inserted { count.sources += 1 }
                counts[item.finding.code] = count
            }
        }
        let byCode = counts.keys.sorted { $0.rawValue < $1.rawValue }.map { code in
            let count = counts[code] ?? (0, 0, 0)
            return FindingCount(code: code, errors: count.errors, warnings: count.warnings, sources: count.sources)
        }
        let partnerIDs = Set(submissions.map(\.partnerID)).sorted()
        let partnerFindings = partnerIDs.compactMap { id -> PartnerFindings? in
            let findings = submissions.filter { $0.partnerID == id }.flatMap(\.findings)
            guard !findings.isEmpty else { return nil }
            return PartnerFindings(partnerID: id, groups: groups(findings))
        }
        return DataQualityFigures(
            findingsByCode: byCode, partnerFindings: partnerFindings, strayFiles: stray,
            jumps: crossQuarterChecks ? jumps(input, history: history) : [],
            baselineChanges: crossQuarterChecks ? baselineChanges(input) : [])
    }

    /// How many examples a finding group keeps.
    static let examplesPerGroup = 3

    /// Findings grouped by code (in code order), each with a count and the first examples in file then
    /// row order.
    func groups(_ findings: [FileFinding]) -> [FindingGroup] {
        let ordered = findings.enumerated().sorted { left, right in
            let a = left.element
            let b = right.element
            let keyA = (a.file, a.finding.rowNumber ?? 0, a.finding.fieldNumber ?? 0, left.offset)
            let keyB = (b.file, b.finding.rowNumber ?? 0, b.finding.fieldNumber ?? 0, right.offset)
            return keyA < keyB
        }.map(\.element)
        let codes = Set(ordered.map(\.finding.code)).sorted { $0.rawValue < $1.rawValue }
        return codes.map { code in
            let matching = ordered.filter { $0.finding.code == code }
            return FindingGroup(
                code: code, errors: matching.filter { $0.finding.severity == .error }.count,
                warnings: matching.filter { $0.finding.severity == .warning }.count,
                examples: Array(matching.prefix(Self.examplesPerGroup)))
        }
    }

    /// A partner's people supported or sessions offered whose robust z-score against the partner's previous
    /// quarters (in the trend quarters) is above 3.5 in size, read from `history`: the trend quarters'
    /// figures, which hold every partner's support figures.
    func jumps(_ input: ReportInput, history: [QuarterFigures]) -> [JumpWarning] {
        var byQuarter: [Quarter: [String: SupportFigures]] = [:]
        for figures in history {
            byQuarter[figures.quarter] = Dictionary(figures.partners.map { ($0.partnerID, $0.support) }) { first, _ in first }
        }
        let earlier = input.trendQuarters.filter { $0 < input.quarter }
        var warnings: [JumpWarning] = []
        for value in input.returns(in: input.quarter) {
            let current = byQuarter[input.quarter]?[value.partnerID] ?? support(value.support, quarter: input.quarter)
            let before = earlier.compactMap { byQuarter[$0]?[value.partnerID] }
            for figure in JumpFigure.allCases {
                let pick: (SupportFigures) -> Double = {
                    switch figure {
                    case .peopleSupported: Double($0.peopleSupported)
                    case .sessionsOffered: Double($0.sessionsOffered)
                    }
                }
                guard let score = Statistics.robustScore(pick(current), history: before.map(pick)), score.isFlagged else {
                    continue
                }
                warnings.append(
                    JumpWarning(
                        partnerID: value.partnerID, partnerName: partnerName(value.partnerID), figure: figure, score: score))
            }
        }
        return warnings
    }

    /// Each quarter's chosen returns by partner, built once: looking a partner up in `returns(in:)` for every
    /// partner made these checks quadratic in the number of partners.
    static func byPartner(_ input: ReportInput, quarters: [Quarter]) -> [Quarter: [String: AcceptedReturn]] {
        var result: [Quarter: [String: AcceptedReturn]] = [:]
        for quarter in quarters {
            var partners: [String: AcceptedReturn] = [:]
            // `returns(in:)` keeps one return per partner, so the first is the only one.
            for value in input.returns(in: quarter) where partners[value.partnerID] == nil { partners[value.partnerID] = value }
            result[quarter] = partners
        }
        return result
    }

    /// People whose baseline for a goal in this quarter's return differs from the baseline their partner
    /// gave in the latest earlier quarter (within the trend quarters).
    func baselineChanges(_ input: ReportInput) -> [BaselineChange] {
        let earlier = Array(input.trendQuarters.filter { $0 < input.quarter }.reversed())
        let earlierByPartner = Self.byPartner(input, quarters: earlier)
        // Partners are independent: on every core, then sorted into one order.
        let changes = input.returns(in: input.quarter).parallelMap(jobs: jobs) { value in
            var latest: [GoalPersonKey: (quarter: Quarter, baseline: Int)] = [:]
            for quarter in earlier {
                guard let before = earlierByPartner[quarter]?[value.partnerID] else { continue }
                for baseline in before.digest?.baselines ?? [] {
                    let key = GoalPersonKey(partnerID: before.partnerID, personRef: baseline.personRef, goalID: baseline.goalID)
                    if latest[key] == nil { latest[key] = (quarter, baseline.score) }
                }
                for row in before.outcomes {
                    let key = GoalPersonKey(partnerID: row.partnerID, personRef: row.personRef, goalID: row.outcomeID)
                    if latest[key] == nil { latest[key] = (quarter, row.baselineScore) }
                }
            }
            var seen: Set<GoalPersonKey> = []
            var changes: [BaselineChange] = []
            for row in value.outcomes {
                let key = GoalPersonKey(partnerID: row.partnerID, personRef: row.personRef, goalID: row.outcomeID)
                guard seen.insert(key).inserted, let before = latest[key], before.baseline != row.baselineScore else { continue }
                changes.append(
                    BaselineChange(
                        partnerID: value.partnerID, partnerName: partnerName(value.partnerID), goalID: row.outcomeID,
                        personRef: row.personRef, earlierQuarter: before.quarter, earlierBaseline: before.baseline,
                        baseline: row.baselineScore))
            }
            return changes
        }.flatMap { $0 }
        return changes.sorted {
            ($0.partnerID, $0.goalID, $0.earlierQuarter.description, $0.earlierBaseline, $0.baseline, $0.personRef)
                < ($1.partnerID, $1.goalID, $1.earlierQuarter.description, $1.earlierBaseline, $1.baseline, $1.personRef)
        }
    }
}

// MARK: - Keys

/// A row that names its partner.
protocol PartnerRow {
    var partnerID: String { get }
}

extension SupportRecord: PartnerRow {}
extension OutcomeRecord: PartnerRow {}

/// A person at a partner.
private struct PersonKey: Hashable {
    var partnerID: String
    var personRef: String
}

/// A person at a partner working towards a goal.
private struct GoalPersonKey: Hashable {
    var partnerID: String
    var personRef: String
    var goalID: String
}
