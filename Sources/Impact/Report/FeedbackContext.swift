import TableSchema

/// The values `feedback.mustache` renders for one partner: its return, its quarter beside its previous
/// quarters and the network median, its findings, warnings and narrative. Every value is text, already
/// stripped of person references; the template escapes each for Markdown.
struct FeedbackContext {
    // MARK: - Shapes

    struct ReturnRow {
        let receivedOn: String
        let verdict: String
        let errors: String
        let warnings: String
        let files: String
    }

    struct Received {
        let summary: String
        let returns: [ReturnRow]
    }

    struct ComparisonRow {
        let name: String
        let cells: [String]
    }

    struct Comparison {
        let columns: [String]
        let rows: [ComparisonRow]
    }

    struct GoalRow {
        let id: String
        let title: String
        let people: String
        let meanChange: String
        let share: String
        let target: String
        let met: String
        let networkShare: String
    }

    struct Goals {
        let rows: [GoalRow]
    }

    struct Ripple {
        let notes: String
        let consented: String
        let themes: [ImpactReportContext.ThemeRow]
    }

    /// A table the programme declares: the partner's rows and figures beside every partner's.
    struct DeclaredTable {
        struct Row {
            let name: String
            let mine: String
            let all: String
        }
        let title: String
        let rows: [Row]
    }

    struct Example {
        let location: String
        let message: String
    }

    struct Group {
        let code: String
        let errors: String
        let warnings: String
        let examples: [Example]
        let more: String?
    }

    struct Findings {
        let groups: [Group]
    }

    struct Jump {
        let figure: String
        let value: String
        let median: String
        let quarters: String
        let z: String
    }

    struct Baseline {
        let goal: String
        let people: String
        let earlier: String
        let earlierQuarter: String
        let now: String
    }

    struct Warnings {
        let jumps: [Jump]
        let baselines: [Baseline]
    }

    struct NarrativeBlock {
        let parts: [ImpactReportContext.NarrativePart]
    }

    /// The actions agreed with the impact lead: last quarter's counted, and each still open or done lately.
    struct Actions {
        struct Line {
            let text: String
            let status: String
        }
        let summary: String?
        let items: [Line]
    }

    /// The partner's own stories this quarter, with what became of each.
    struct StoryLine {
        let id: String
        let title: String
        let consent: String
        let outcome: String
    }

    // MARK: - Values

    let id: String
    let name: String
    let programme: String
    let quarter: String
    let quarterStart: String
    let quarterEnd: String
    let generatedOn: String
    let contact: String?
    let dueOn: String
    let missing: Bool
    let received: Received?
    let partnersReporting: String
    let comparison: Comparison
    let goals: Goals?
    let ripple: Ripple?
    let declaredTables: [DeclaredTable]
    /// The partner's journeys, types of support, reach and awards beside the network's.
    let shapeTables: [DeclaredTable]
    let findings: Findings?
    let warnings: Warnings?
    let narrative: NarrativeBlock?
    let stories: [StoryLine]
    let actions: Actions?
    let definitionSections: [DefinitionsContext.Section]
    let formats: String
}

// MARK: - Building

extension FeedbackContext {
    /// How many earlier quarters the comparison shows.
    static let previousQuarters = 4

    /// The context of one partner's feedback.
    /// `redactor` is made from `figures.personRefs` when not given; pass one to share it between partners.
    init(partner submission: PartnerSubmission, input: ReportInput, figures: ReportFigures, redactor: PersonRefRedactor? = nil) {
        let text = ContextText(redactor: redactor ?? PersonRefRedactor(refs: figures.personRefs))
        let settings = input.settings
        let currency = settings.currency
        let partnerID = submission.partnerID
        let current = figures.current
        let mine = current.partner(partnerID)

        id = partnerID
        name = text.text(submission.partnerName)
        programme = settings.programme
        quarter = figures.quarter.description
        quarterStart = ReportFormat.date(figures.quarter.firstDay)
        quarterEnd = ReportFormat.date(figures.quarter.lastDay)
        generatedOn = input.generatedOn
        contact = settings.contact.isEmpty ? nil : settings.contact
        dueOn = ReportFormat.date(figures.submissions.dueOn)
        missing = submission.status == .missing
        partnersReporting = ReportFormat.count(current.partnersReporting)

        // MARK: The return
        if submission.isReceived {
            received = Received(
                summary: Self.summary(submission, dueOn: figures.submissions.dueOn),
                returns: submission.returns.map { value in
                    ReturnRow(
                        receivedOn: ReportFormat.date(value.receivedOn), verdict: value.verdict.rawValue,
                        errors: ReportFormat.count(value.errorCount), warnings: ReportFormat.count(value.warningCount),
                        files: value.files.map(text.path).joined(separator: "; "))
                })
        } else {
            received = nil
        }

        // MARK: Comparison
        let earlier = Array(figures.history.filter { $0.quarter < figures.quarter }.suffix(Self.previousQuarters))
        let columns = earlier.map(\.quarter.description) + ["\(figures.quarter) (this quarter)", "Network median"]
        let quarters = earlier.map { $0.partner(partnerID) } + [mine]
        let medians = current.partnerMedians
        func row(_ name: String, _ value: (PartnerFigures) -> String, median: String) -> ComparisonRow {
            ComparisonRow(name: name, cells: quarters.map { $0.map(value) ?? "no return" } + [median])
        }
        var rows = [
            row(
                "People supported", { ReportFormat.count($0.support.peopleSupported) },
                median: ReportFormat.measure(medians.peopleSupported)),
            row("New starts", { ReportFormat.count($0.support.newStarts) }, median: ReportFormat.measure(medians.newStarts)),
            row("Active", { ReportFormat.count($0.support.status.active) }, median: ReportFormat.measure(medians.active)),
            row("Paused", { ReportFormat.count($0.support.status.paused) }, median: ReportFormat.measure(medians.paused)),
            row("Ended", { ReportFormat.count($0.support.status.ended) }, median: ReportFormat.measure(medians.ended)),
            row(
                "Endings: planned / unplanned / transition",
                { "\($0.support.endings.planned) / \($0.support.endings.unplanned) / \($0.support.endings.transition)" },
                median: "—"),
            row(
                "Median length of support so far (days)", { ReportFormat.measure($0.support.medianLengthDays) },
                median: ReportFormat.measure(medians.medianLengthDays)),
            row(
                "Sessions offered", { ReportFormat.count($0.support.sessionsOffered) },
                median: ReportFormat.measure(medians.sessionsOffered)),
            row(
                "Attendance rate", { ReportFormat.percent($0.support.attendanceRate) },
                median: ReportFormat.percent(medians.attendanceRate)),
            row(
                "Discretionary fund spent", { ReportFormat.money($0.support.discretionary.total, currency: currency) },
                median: ReportFormat.money(medians.discretionaryTotal, currency: currency)),
            row(
                "Spends above the coordinator limit (with panel approval)",
                { "\($0.support.discretionary.aboveLimitCount) (\($0.support.discretionary.aboveLimitApproved))" }, median: "—"),
            row("Ripple-effect notes", { ReportFormat.count($0.ripple.notes) }, median: "—"),
        ]
        for goal in input.reference.goals {
            rows.append(
                row(
                    "Share improved: \(goal.id) \(goal.title)", { ReportFormat.percent($0.goal(goal.id)?.shareImproved) },
                    median: ReportFormat.percent(medians.shareImproved.first { $0.goalID == goal.id }?.value)))
        }
        comparison = Comparison(columns: columns, rows: rows)

        // MARK: Goals and ripple effects this quarter
        if let mine {
            goals = Goals(
                rows: mine.goals.map { goal in
                    GoalRow(
                        id: goal.goalID, title: goal.title, people: ReportFormat.count(goal.people),
                        meanChange: ReportFormat.signedOneDecimal(goal.meanChange),
                        share: ReportFormat.percent(goal.shareImproved),
                        target: ReportFormat.percent(goal.target), met: ImpactReportContext.met(goal.targetMet),
                        networkShare: ReportFormat.percent(current.goal(goal.goalID)?.shareImproved))
                })
            ripple = Ripple(
                notes: ReportFormat.count(mine.ripple.notes), consented: ReportFormat.count(mine.ripple.consented),
                themes: mine.ripple.themes.map {
                    ImpactReportContext.ThemeRow(
                        label: $0.label, notes: ReportFormat.count($0.notes), consented: ReportFormat.count($0.consented))
                })
        } else {
            goals = nil
            ripple = nil
        }
        declaredTables = figures.tables.compactMap { table in
            guard let line = table.partners.first(where: { $0.partnerID == partnerID }) else { return nil }
            let rows =
                [DeclaredTable.Row(name: "Rows", mine: ReportFormat.count(line.rows), all: ReportFormat.count(table.total.rows))]
                + table.table.figures.enumerated().map { index, figure in
                    DeclaredTable.Row(
                        name: figure.name, mine: ReportFormat.tableFigure(figure, line.values[index]),
                        all: ReportFormat.tableFigure(figure, table.total.values[index]))
                }
            return DeclaredTable(title: table.table.title, rows: rows)
        }

        shapeTables = mine.map { Self.shapeTables(mine: $0, figures: figures, input: input, text: text) } ?? []

        // MARK: Findings and warnings
        let groups = figures.dataQuality.findings(of: partnerID)
        let total = submission.returns.flatMap(\.findings)
        findings =
            groups.isEmpty
            ? nil
            : Findings(
                groups: groups.map { group in
                    let count = total.filter { $0.finding.code == group.code }.count
                    return Group(
                        code: group.code.rawValue, errors: ReportFormat.count(group.errors),
                        warnings: ReportFormat.count(group.warnings),
                        examples: group.examples.map { Example(location: text.location($0), message: text.message($0)) },
                        more: count > group.examples.count ? ReportFormat.count(count - group.examples.count) : nil)
                })
        let jumps = figures.dataQuality.jumps.filter { $0.partnerID == partnerID }.map { jump in
            Jump(
                figure: jump.figure.rawValue.prefix(1).uppercased() + jump.figure.rawValue.dropFirst(),
                value: ReportFormat.measure(jump.score.value), median: ReportFormat.measure(jump.score.median),
                quarters: ReportFormat.count(jump.score.history), z: ImpactReportContext.zText(jump.score.z))
        }
        let baselines = ImpactReportContext.baselineRows(
            figures.dataQuality.baselineChanges.filter { $0.partnerID == partnerID }, text: text
        ).map {
            Baseline(goal: $0.goal, people: $0.people, earlier: $0.earlier, earlierQuarter: $0.earlierQuarter, now: $0.now)
        }
        warnings = jumps.isEmpty && baselines.isEmpty ? nil : Warnings(jumps: jumps, baselines: baselines)

        // MARK: Narrative and definitions
        let parts = figures.narratives.first { $0.partnerID == partnerID }.map {
            ImpactReportContext.narrativeParts($0.narrative, text: text)
        }
        narrative = (parts ?? []).isEmpty ? nil : NarrativeBlock(parts: parts ?? [])
        let featured = Set(figures.featured.stories.map(\.reference))
        stories = figures.stories.filter { $0.story.partnerID == partnerID }.map { item in
            let outcome =
                featured.contains(item.reference)
                ? "featured in the programme's report"
                : item.holdsPersonalData
                    ? "not published: it looks like it holds personal data (a name, a date, an address or contact details); please take it out"
                    : item.story.consent == .internal
                        ? "kept for the impact lead only, as agreed" : "may be published; not featured this quarter"
            return StoryLine(
                id: text.text(item.story.storyID), title: text.text(item.story.title), consent: item.story.consent.words,
                outcome: outcome)
        }
        actions = Self.actions(input.actions.filter { $0.partnerID == partnerID }, quarter: figures.quarter, text: text)
        definitionSections = DefinitionsContext.sections
        formats = MetricDefinitions.formats
    }

    /// The actions section: how many of last quarter's actions are done, then every action still open and
    /// those done that were agreed last quarter or this one; nil when there is none.
    static func actions(_ all: [FeedbackAction], quarter: Quarter, text: ContextText) -> Actions? {
        let upTo = all.filter { Quarter($0.quarter).map { $0 <= quarter } ?? false }
        let last = upTo.filter { $0.quarter == quarter.previous.description }
        let shown = upTo.filter { !$0.isDone || $0.quarter == quarter.previous.description || $0.quarter == quarter.description }
        guard !shown.isEmpty else { return nil }
        let done = last.filter(\.isDone).count
        let summary =
            last.isEmpty
            ? nil
            : "Actions agreed last quarter (\(quarter.previous)): \(done) done, \(last.count - done) open."
        return Actions(
            summary: summary,
            items: shown.map { action in
                let status: String
                if let doneAt = action.doneAt {
                    status = "done on \(ReportFormat.date(Int(doneAt / 86_400)))"
                } else {
                    status = "open" + (action.due.map { ", due \($0)" } ?? "")
                }
                return Actions.Line(text: "\(text.text(action.text)) (agreed on the \(action.quarter) feedback)", status: status)
            })
    }

    /// One sentence or three on what became of the partner's return and when it arrived.
    static func summary(_ submission: PartnerSubmission, dueOn: Int) -> String {
        var sentences: [String] = []
        switch submission.status {
        case .accepted:
            sentences.append("Your return was accepted, and its figures are in this quarter's report.")
        case .rejected:
            let errors = submission.errorCount
            sentences.append(
                "Your return was rejected with \(ReportFormat.count(errors)) error\(errors == 1 ? "" : "s"), so its figures are not in this quarter's report; the findings below say what to correct."
            )
        case .missing:
            break
        }
        let due = ReportFormat.date(dueOn)
        switch (submission.receivedOn, submission.onTime) {
        case (let day?, true?):
            sentences.append("It was received on \(ReportFormat.date(day)), on time (due by \(due)).")
        case (let day?, false?):
            let late = Int(day) - dueOn
            sentences.append(
                "It was received on \(ReportFormat.date(day)), \(ReportFormat.count(late)) day\(late == 1 ? "" : "s") after the due date of \(due)."
            )
        case (let day?, nil):
            sentences.append("It was received on \(ReportFormat.date(day)) (due by \(due)).")
        case (nil, _):
            sentences.append("The date it was received is not recorded (due by \(due)).")
        }
        if submission.isResubmission {
            sentences.append("It replaced an earlier return for the quarter, which is kept as superseded.")
        }
        return sentences.joined(separator: " ")
    }
}
