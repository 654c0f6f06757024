import TableSchema

/// The values `impact-report.mustache` renders: every figure already formatted as text, every partner
/// text already stripped of person references. The template escapes each value for Markdown.
///
/// Optional blocks (`trend`, `goalChart`, `findings`, ...) are nil when there is nothing to show, so the
/// template's sections over them disappear.
struct ImpactReportContext {
    // MARK: - Shapes

    struct Headline {
        let name: String
        let current: String
        let previous: String
        let change: String
    }

    struct PeopleChart {
        let labels: String
        let values: String
    }

    struct TrendRow {
        let quarter: String
        let people: String
        let peopleChange: String
        let newStarts: String
        let newStartsChange: String
        let attendance: String
        let attendanceChange: String
    }

    struct Trend {
        let rows: [TrendRow]
    }

    struct GoalRow {
        let id: String
        let title: String
        let people: String
        let meanChange: String
        let improved: String
        let share: String
        let target: String
        let met: String
        let change: String
    }

    struct GoalChart {
        let labels: String
        let shares: String
        let targets: String
        let omitted: String?
    }

    struct GoalTrendRow {
        let id: String
        let cells: [String]
    }

    struct GoalTrend {
        let columns: [String]
        let rows: [GoalTrendRow]
    }

    struct PartnerRow {
        let id: String
        let name: String
        let people: String
        let newStarts: String
        let active: String
        let paused: String
        let ended: String
        let medianLength: String
        let attendance: String
        let discretionary: String
    }

    struct ThemeRow {
        let label: String
        let notes: String
        let consented: String
    }

    struct QuoteRow {
        let text: String
        let partnerName: String
        let goal: String?
    }

    struct QuoteTheme {
        let label: String
        let quotes: [QuoteRow]
    }

    /// The quarter's stories: counts by consent, the featured ones in full, and a line for each.
    struct Stories {
        struct Featured {
            let title: String
            let paragraphs: [String]
            let teller: String
            let goals: String
        }
        struct Line {
            let partner: String
            let id: String
            let title: String
            let consent: String
            let featured: String
        }
        let count: String
        let quote: String
        let anonymised: String
        let `internal`: String
        let featuredHow: String
        let featured: [Featured]
        let all: [Line]
        let problems: [String]
    }

    struct Ripple {
        let notes: String
        let consented: String
        let themes: [ThemeRow]
        let quoteThemes: [QuoteTheme]
        /// How the featured notes were chosen and how many others may be quoted; nil when none is featured.
        let featuredIntro: String?
    }

    struct Status {
        let active: String
        let paused: String
        let ended: String
        let planned: String
        let unplanned: String
        let transition: String
        let medianLength: String
    }

    struct PartnerCount {
        let id: String
        let name: String
        let count: String
    }

    struct PartnerList {
        let partners: [PartnerCount]
    }

    struct Discretionary {
        let total: String
        let spends: String
        let limit: String
        let aboveCount: String
        let aboveTotal: String
        let approved: String
        let unapproved: PartnerList?
    }

    struct LatePartner {
        let id: String
        let name: String
        let receivedOn: String
        let daysLate: String
    }

    struct LateList {
        let partners: [LatePartner]
    }

    struct RejectedReturn {
        let id: String
        let name: String
        let receivedOn: String
        let errors: String
        let warnings: String
        let files: String
    }

    struct RejectedList {
        let partners: [RejectedReturn]
    }

    struct Resubmission {
        let id: String
        let name: String
        let verdict: String
        let receivedOn: String
        let superseded: String
    }

    struct ResubmissionList {
        let partners: [Resubmission]
    }

    struct Submissions {
        let dueOn: String
        let expected: String
        let received: String
        let accepted: String
        let rejected: String
        let missing: String
        let onTime: String
        let late: String
        let resubmissions: String
        let completeness: String
        let timeliness: String
        let missingPartners: PartnerList?
        let latePartners: LateList?
        let rejectedReturns: RejectedList?
        let resubmissionPartners: ResubmissionList?
        let unexpectedPartners: PartnerList?
    }

    struct CodeRow {
        let code: String
        let errors: String
        let warnings: String
        let sources: String
    }

    struct Findings {
        let codes: [CodeRow]
    }

    struct StrayRow {
        let path: String
        let errors: String
        let warnings: String
        let firstMessage: String
    }

    struct StrayFiles {
        let files: [StrayRow]
    }

    struct JumpRow {
        let id: String
        let name: String
        let figure: String
        let value: String
        let median: String
        let quarters: String
        let z: String
    }

    struct Jumps {
        let rows: [JumpRow]
    }

    struct BaselineRow {
        let id: String
        let name: String
        let goal: String
        let earlierQuarter: String
        let earlier: String
        let now: String
        let people: String
    }

    struct Baselines {
        let rows: [BaselineRow]
    }

    /// Challenges and what would help across partners, grouped by learning theme (``LearningGroups``).
    struct Learning {
        struct Row {
            let label: String
            let challenges: String
            let help: String
            let partners: String
        }
        struct Mention {
            let kind: String
            let id: String
            let name: String
            let sentence: String
        }
        struct Group {
            let label: String
            let mentions: [Mention]
        }
        let partnersWriting: String
        let themesNote: String
        let rows: [Row]
        let groups: [Group]
    }

    /// The impact lead's commentary, made safe for the report (``ContextText/commentary(_:)``).
    struct CommentaryBlock {
        let file: String
        let commentaryMarkdown: String
    }

    struct NarrativePart {
        let heading: String
        let paragraphs: [String]
    }

    struct NarrativeBlock {
        let id: String
        let name: String
        let parts: [NarrativePart]
    }

    // MARK: - Values

    let programme: String
    let quarter: String
    let quarterStart: String
    let quarterEnd: String
    let previousQuarter: String
    let generatedOn: String
    let partnersReporting: String
    let commentary: CommentaryBlock?
    let improvementPoints: String
    let scaleMinimum: String
    let scaleMaximum: String
    let headlines: [Headline]
    let peopleChart: PeopleChart?
    let trend: Trend?
    let goals: [GoalRow]
    let goalChart: GoalChart?
    let goalTrend: GoalTrend?
    let partners: [PartnerRow]
    let ripple: Ripple
    let stories: Stories?
    let declaredTables: [DeclaredTable]
    /// Journeys, lengths, destinations, continuity, types of support, the fund's awards and reach.
    let shapeSections: [ShapeSection]
    let status: Status
    let discretionary: Discretionary
    let submissions: Submissions
    let findings: Findings?
    let strayFiles: StrayFiles?
    let jumps: Jumps?
    let baselineChanges: Baselines?
    let narratives: [NarrativeBlock]
    let learning: Learning?
    let definitionSections: [DefinitionsContext.Section]
    let formats: String
    let disclosure: Disclosure?

    struct WithheldWorkbook {
        let funderID: String
        let reason: String
    }

    /// A table the programme declares: rows and figures per partner, then the programme's.
    struct DeclaredTable {
        struct Row {
            let cells: [String]
        }
        let title: String
        let columns: [String]
        /// Per column: whether it holds numbers (right-aligned).
        let numeric: [Bool]
        let rows: [Row]
        let total: Row
    }

    /// A section of the report about the shape of support: its sentences, then its tables.
    struct ShapeSection {
        let title: String
        let paragraphs: [String]
        let tables: [ShapeTable]
    }

    /// A table of a shape section.
    struct ShapeTable {
        let columns: [String]
        /// Per column: whether it holds numbers (right-aligned).
        let numeric: [Bool]
        let rows: [DeclaredTable.Row]
    }

    /// What disclosure control did to the funder workbooks.
    struct Disclosure {
        let written: String
        let hidden: String
        let primary: String
        let complementary: String
        let withheld: [WithheldWorkbook]
        let earlier: [String]
    }
}

// MARK: - Building

extension ImpactReportContext {
    /// The context of a report input and its figures.
    init(input: ReportInput, figures: ReportFigures, redactor: PersonRefRedactor? = nil) {
        let text = ContextText(redactor: redactor ?? PersonRefRedactor(refs: figures.personRefs))
        let settings = input.settings
        let currency = settings.currency
        let current = figures.current
        let previous = figures.previous
        let now = current.network
        let before = previous?.network

        programme = settings.programme
        quarter = figures.quarter.description
        quarterStart = ReportFormat.date(figures.quarter.firstDay)
        quarterEnd = ReportFormat.date(figures.quarter.lastDay)
        previousQuarter = figures.quarter.previous.description
        generatedOn = input.generatedOn
        partnersReporting = ReportFormat.count(current.partnersReporting)
        commentary = input.commentary.map {
            CommentaryBlock(file: $0.file, commentaryMarkdown: text.commentary($0.markdown))
        }
        disclosure = input.disclosure.map { summary in
            Disclosure(
                written: ReportFormat.count(summary.written),
                hidden: ReportFormat.count(summary.primary + summary.complementary),
                primary: ReportFormat.count(summary.primary), complementary: ReportFormat.count(summary.complementary),
                withheld: summary.withheld.map { WithheldWorkbook(funderID: $0.funderID, reason: $0.reason) },
                earlier: summary.earlierExposures)
        }
        improvementPoints = ReportFormat.count(settings.improvementPoints)
        scaleMinimum = ReportFormat.count(settings.scaleMinimum)
        scaleMaximum = ReportFormat.count(settings.scaleMaximum)

        // MARK: Headlines
        func countRow(_ name: String, _ value: (SupportFigures) -> Int) -> Headline {
            let a = value(now)
            let b = before.map(value)
            return Headline(
                name: name, current: ReportFormat.count(a), previous: ReportFormat.count(b),
                change: ReportFormat.signedCount(Change.count(a, previous: b)))
        }
        let goalsMet = { (figures: QuarterFigures) -> Int in figures.goals.filter { $0.targetMet == true }.count }
        let goalsWithData = { (figures: QuarterFigures) -> Int in figures.goals.filter { $0.targetMet != nil }.count }
        headlines = [
            Headline(
                name: "Partners with an accepted return", current: ReportFormat.count(current.partnersReporting),
                previous: ReportFormat.count(previous?.partnersReporting),
                change: ReportFormat.signedCount(Change.count(current.partnersReporting, previous: previous?.partnersReporting))),
            countRow("People supported") { $0.peopleSupported },
            countRow("New starts") { $0.newStarts },
            countRow("Active") { $0.status.active },
            countRow("Paused") { $0.status.paused },
            countRow("Ended") { $0.status.ended },
            Headline(
                name: "Median length of support so far (days)", current: ReportFormat.measure(now.medianLengthDays),
                previous: ReportFormat.measure(before?.medianLengthDays),
                change: ReportFormat.signedMeasure(Change.value(now.medianLengthDays, previous: before?.medianLengthDays))),
            countRow("Sessions offered") { $0.sessionsOffered },
            Headline(
                name: "Attendance rate", current: ReportFormat.percent(now.attendanceRate),
                previous: ReportFormat.percent(before?.attendanceRate),
                change: ReportFormat.points(Change.points(now.attendanceRate, previous: before?.attendanceRate))),
            Headline(
                name: "Discretionary fund spent", current: ReportFormat.money(now.discretionary.total, currency: currency),
                previous: ReportFormat.money(before?.discretionary.total, currency: currency),
                change: ReportFormat.signedMoney(
                    Change.money(now.discretionary.total, previous: before?.discretionary.total), currency: currency)),
            Headline(
                name: "Ripple-effect notes", current: ReportFormat.count(current.ripple.notes),
                previous: ReportFormat.count(previous?.ripple.notes),
                change: ReportFormat.signedCount(Change.count(current.ripple.notes, previous: previous?.ripple.notes))),
            Headline(
                name: "Goals at or above target", current: "\(goalsMet(current)) of \(goalsWithData(current))",
                previous: previous.map { "\(goalsMet($0)) of \(goalsWithData($0))" } ?? ReportFormat.noData,
                change: ReportFormat.signedCount(Change.count(goalsMet(current), previous: previous.map(goalsMet)))),
        ]

        // MARK: Trends
        let network = figures.trends.network.points
        let withData = network.filter(\.hasData)
        peopleChart =
            withData.count >= 2
            ? PeopleChart(
                labels: withData.map { "\"\($0.quarter)\"" }.joined(separator: ", "),
                values: withData.map { "\($0.peopleSupported ?? 0)" }.joined(separator: ", ")) : nil
        trend =
            network.count >= 2
            ? Trend(
                rows: network.map { point in
                    TrendRow(
                        quarter: point.quarter.description, people: ReportFormat.count(point.peopleSupported),
                        peopleChange: ReportFormat.signedCount(point.peopleSupportedChange),
                        newStarts: ReportFormat.count(point.newStarts),
                        newStartsChange: ReportFormat.signedCount(point.newStartsChange),
                        attendance: ReportFormat.percent(point.attendanceRate),
                        attendanceChange: ReportFormat.points(point.attendanceRateChange))
                }) : nil

        // MARK: Goals
        goals = current.goals.map { goal in
            GoalRow(
                id: goal.goalID, title: goal.title, people: ReportFormat.count(goal.people),
                meanChange: ReportFormat.signedOneDecimal(goal.meanChange), improved: ReportFormat.count(goal.improved),
                share: ReportFormat.percent(goal.shareImproved), target: ReportFormat.percent(goal.target),
                met: Self.met(goal.targetMet),
                change: ReportFormat.points(
                    Change.points(goal.shareImproved, previous: previous?.goal(goal.goalID)?.shareImproved)))
        }
        let charted = current.goals.filter { $0.shareImproved != nil }
        let omittedGoals = current.goals.filter { $0.shareImproved == nil }.map(\.goalID)
        goalChart =
            charted.isEmpty
            ? nil
            : GoalChart(
                labels: charted.map { "\"\(Self.chartLabel($0.goalID))\"" }.joined(separator: ", "),
                shares: charted.map { "\(ReportFormat.percentNumber($0.shareImproved) ?? 0)" }.joined(separator: ", "),
                targets: charted.map { "\(ReportFormat.percentNumber($0.target) ?? 0)" }.joined(separator: ", "),
                omitted: omittedGoals.isEmpty ? nil : omittedGoals.joined(separator: ", "))
        goalTrend =
            network.count >= 2
            ? GoalTrend(
                columns: network.map(\.quarter.description),
                rows: input.reference.goals.map { goal in
                    GoalTrendRow(
                        id: goal.id,
                        cells: network.map { point in
                            ReportFormat.percent(point.shareImproved.first { $0.goalID == goal.id }?.value)
                        })
                }) : nil

        // MARK: Partners
        partners = current.partners.map { partner in
            let support = partner.support
            return PartnerRow(
                id: partner.partnerID, name: text.text(partner.partnerName), people: ReportFormat.count(support.peopleSupported),
                newStarts: ReportFormat.count(support.newStarts), active: ReportFormat.count(support.status.active),
                paused: ReportFormat.count(support.status.paused), ended: ReportFormat.count(support.status.ended),
                medianLength: ReportFormat.measure(support.medianLengthDays),
                attendance: ReportFormat.percent(support.attendanceRate),
                discretionary: ReportFormat.money(support.discretionary.total, currency: currency))
        }

        // MARK: Ripple effects and stories
        let featured = figures.featured
        /// How the featured items were chosen, one of them per `unit` by the default rule.
        func featuredHow(perEach unit: String) -> String {
            featured.chosen
                ? "chosen by the impact lead in \(FeaturedChoice.relativePath)"
                : "chosen by the default rule: one per \(unit), preferring partners featured least often and the newest returns, never repeating a sentence (list your own choice in \(FeaturedChoice.relativePath))"
        }
        let quoteThemes = current.ripple.themes.compactMap { theme -> QuoteTheme? in
            let quotes = featured.notes.filter { $0.theme == theme.theme }
            guard !quotes.isEmpty else { return nil }
            return QuoteTheme(
                label: theme.label,
                quotes: quotes.map { quote in
                    QuoteRow(
                        text: text.text(quote.text), partnerName: text.text(quote.partnerName),
                        goal: quote.goalID.map { id in input.reference.goal(id).map { "\(id) \($0.title)" } ?? id })
                })
        }
        ripple = Ripple(
            notes: ReportFormat.count(current.ripple.notes), consented: ReportFormat.count(current.ripple.consented),
            themes: current.ripple.themes.map {
                ThemeRow(label: $0.label, notes: ReportFormat.count($0.notes), consented: ReportFormat.count($0.consented))
            },
            quoteThemes: quoteThemes,
            featuredIntro: featured.notes.isEmpty
                ? nil
                : "Featured notes, \(featuredHow(perEach: "theme")). The other \(ReportFormat.count(current.ripple.quotes.count - featured.notes.count)) notes that may be quoted are on the Ripple sheet of the programme workbook."
        )
        stories = Self.stories(figures, input: input, text: text, featuredHow: featuredHow(perEach: "outcome goal"))
        shapeSections = Self.shapeSections(figures, input: input, text: text)

        // MARK: Declared tables
        declaredTables = figures.tables.map { table in
            func cells(_ line: TableFigures.Line) -> [String] {
                [ReportFormat.count(line.rows)] + zip(table.table.figures, line.values).map(ReportFormat.tableFigure)
            }
            return DeclaredTable(
                title: table.table.title, columns: ["Partner", "Rows"] + table.table.figures.map(\.name),
                numeric: [false] + Array(repeating: true, count: table.table.figures.count + 1),
                rows: table.partners.map { line in
                    let id = line.partnerID ?? ""
                    let name = input.reference.partner(id).map { text.text($0.name) } ?? id
                    return DeclaredTable.Row(cells: ["\(name) (\(id))"] + cells(line))
                },
                total: DeclaredTable.Row(cells: ["All partners"] + cells(table.total)))
        }

        // MARK: Endings, pauses, discretionary fund
        status = Status(
            active: ReportFormat.count(now.status.active), paused: ReportFormat.count(now.status.paused),
            ended: ReportFormat.count(now.status.ended), planned: ReportFormat.count(now.endings.planned),
            unplanned: ReportFormat.count(now.endings.unplanned), transition: ReportFormat.count(now.endings.transition),
            medianLength: ReportFormat.measure(now.medianLengthDays))
        let unapproved = current.partners.filter { $0.support.discretionary.aboveLimitUnapproved > 0 }.map {
            PartnerCount(
                id: $0.partnerID, name: text.text($0.partnerName),
                count: ReportFormat.count($0.support.discretionary.aboveLimitUnapproved))
        }
        discretionary = Discretionary(
            total: ReportFormat.money(now.discretionary.total, currency: currency),
            spends: ReportFormat.count(now.discretionary.spends),
            limit: ReportFormat.money(Money(amount: settings.coordinatorLimit), currency: currency),
            aboveCount: ReportFormat.count(now.discretionary.aboveLimitCount),
            aboveTotal: ReportFormat.money(now.discretionary.aboveLimitTotal, currency: currency),
            approved: ReportFormat.count(now.discretionary.aboveLimitApproved),
            unapproved: unapproved.isEmpty ? nil : PartnerList(partners: unapproved))

        // MARK: Completeness and timeliness
        let submitted = figures.submissions
        let missing = submitted.partners.filter { $0.isExpected && $0.status == .missing }.map {
            PartnerCount(id: $0.partnerID, name: text.text($0.partnerName), count: "")
        }
        let late = submitted.partners.filter { $0.isReceived && $0.onTime == false }.map {
            LatePartner(
                id: $0.partnerID, name: text.text($0.partnerName), receivedOn: ReportFormat.date($0.receivedOn),
                daysLate: ReportFormat.count($0.receivedOn.map { Int($0) - submitted.dueOn }))
        }
        let rejected = submitted.partners.filter { $0.status == .rejected }.map {
            RejectedReturn(
                id: $0.partnerID, name: text.text($0.partnerName), receivedOn: ReportFormat.date($0.receivedOn),
                errors: ReportFormat.count($0.errorCount), warnings: ReportFormat.count($0.warningCount),
                files: $0.files.map(text.path).joined(separator: "; "))
        }
        let resubmitted = submitted.partners.filter { $0.isReceived && $0.isResubmission }.map {
            Resubmission(
                id: $0.partnerID, name: text.text($0.partnerName), verdict: $0.status.rawValue,
                receivedOn: ReportFormat.date($0.receivedOn),
                superseded: ReportFormat.count($0.returns.filter { $0.verdict == .superseded }.count))
        }
        let unexpected = submitted.unexpected.map { PartnerCount(id: $0.partnerID, name: text.text($0.partnerName), count: "") }
        submissions = Submissions(
            dueOn: ReportFormat.date(submitted.dueOn), expected: ReportFormat.count(submitted.expected),
            received: ReportFormat.count(submitted.received), accepted: ReportFormat.count(submitted.accepted),
            rejected: ReportFormat.count(submitted.rejected), missing: ReportFormat.count(submitted.missing),
            onTime: ReportFormat.count(submitted.onTime), late: ReportFormat.count(submitted.late),
            resubmissions: ReportFormat.count(submitted.resubmissions),
            completeness: ReportFormat.percent(submitted.completeness),
            timeliness: ReportFormat.percent(submitted.timeliness),
            missingPartners: missing.isEmpty ? nil : PartnerList(partners: missing),
            latePartners: late.isEmpty ? nil : LateList(partners: late),
            rejectedReturns: rejected.isEmpty ? nil : RejectedList(partners: rejected),
            resubmissionPartners: resubmitted.isEmpty ? nil : ResubmissionList(partners: resubmitted),
            unexpectedPartners: unexpected.isEmpty ? nil : PartnerList(partners: unexpected))

        // MARK: Data quality
        let quality = figures.dataQuality
        findings =
            quality.findingsByCode.isEmpty
            ? nil
            : Findings(
                codes: quality.findingsByCode.map {
                    CodeRow(
                        code: $0.code.rawValue, errors: ReportFormat.count($0.errors), warnings: ReportFormat.count($0.warnings),
                        sources: ReportFormat.count($0.sources))
                })
        strayFiles =
            quality.strayFiles.isEmpty
            ? nil
            : StrayFiles(
                files: quality.strayFiles.map { file in
                    StrayRow(
                        path: text.path(file.path),
                        errors: ReportFormat.count(file.findings.filter { $0.finding.severity == .error }.count),
                        warnings: ReportFormat.count(file.findings.filter { $0.finding.severity == .warning }.count),
                        firstMessage: file.findings.first.map(text.message) ?? "")
                })
        jumps =
            quality.jumps.isEmpty
            ? nil
            : Jumps(
                rows: quality.jumps.map { jump in
                    JumpRow(
                        id: jump.partnerID, name: text.text(jump.partnerName), figure: jump.figure.rawValue.capitalizedFirst,
                        value: ReportFormat.measure(jump.score.value), median: ReportFormat.measure(jump.score.median),
                        quarters: ReportFormat.count(jump.score.history), z: Self.zText(jump.score.z))
                })
        let baselineRows = Self.baselineRows(quality.baselineChanges, text: text)
        baselineChanges = baselineRows.isEmpty ? nil : Baselines(rows: baselineRows)

        // MARK: Narrative and definitions
        narratives = figures.narratives.compactMap { item in
            let parts = Self.narrativeParts(item.narrative, text: text)
            guard !parts.isEmpty else { return nil }
            return NarrativeBlock(id: item.partnerID, name: text.text(item.partnerName), parts: parts)
        }
        learning = Self.learning(LearningGroups(narratives: figures.narratives, themes: input.reference.themes), text: text)
        definitionSections = DefinitionsContext.sections
        formats = MetricDefinitions.formats
    }

    // MARK: - Helpers

    /// Met, not met, or no data.
    static func met(_ value: Bool?) -> String {
        value.map { $0 ? "met" : "not met" } ?? ReportFormat.noData
    }

    /// A z-score to one decimal, or why there is none.
    static func zText(_ z: Double?) -> String {
        z.map { ReportFormat.signedOneDecimal($0) } ?? "unbounded (no spread before)"
    }

    /// A label safe inside a Mermaid string: letters, digits, spaces, dashes and underscores only.
    static func chartLabel(_ text: String) -> String {
        String(text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_") }.prefix(40))
    }

    /// Changed baselines grouped by partner, goal, quarter and the two scores, with the number of people;
    /// never the person reference.
    static func baselineRows(_ changes: [BaselineChange], text: ContextText) -> [BaselineRow] {
        var rows: [BaselineRow] = []
        var counts: [Int] = []
        var keys: [String] = []
        for change in changes {
            let key =
                "\(change.partnerID)\u{1}\(change.goalID)\u{1}\(change.earlierQuarter)\u{1}\(change.earlierBaseline)\u{1}\(change.baseline)"
            if let index = keys.firstIndex(of: key) {
                counts[index] += 1
                continue
            }
            keys.append(key)
            counts.append(1)
            rows.append(
                BaselineRow(
                    id: change.partnerID, name: text.text(change.partnerName), goal: change.goalID,
                    earlierQuarter: change.earlierQuarter.description, earlier: "\(change.earlierBaseline)",
                    now: "\(change.baseline)",
                    people: ""))
        }
        return zip(rows, counts).map { row, count in
            BaselineRow(
                id: row.id, name: row.name, goal: row.goal, earlierQuarter: row.earlierQuarter, earlier: row.earlier,
                now: row.now,
                people: ReportFormat.count(count))
        }
    }

    /// The stories section, nil when no partner sent a story.
    static func stories(_ figures: ReportFigures, input: ReportInput, text: ContextText, featuredHow: String) -> Stories? {
        guard !figures.stories.isEmpty else { return nil }
        let featured = figures.featured.stories
        let chosen = Set(featured.map(\.reference))
        func count(_ consent: StoryConsent) -> String {
            ReportFormat.count(figures.stories.filter { $0.story.consent == consent }.count)
        }
        func goals(_ story: StoryRecord) -> String {
            story.outcomeIDs.map { id in input.reference.goal(id).map { "\(id) \($0.title)" } ?? id }.joined(separator: ", ")
        }
        return Stories(
            count: ReportFormat.count(figures.stories.count), quote: count(.quote), anonymised: count(.anonymised),
            internal: count(.internal), featuredHow: featuredHow,
            featured: featured.map { item in
                Stories.Featured(
                    title: text.text(item.story.title), paragraphs: text.paragraphs(item.story.text),
                    teller: item.story.consent == .quote
                        ? text.text(item.partnerName)
                        : "told anonymously: publish without the partner's name or place (\(text.text(item.partnerName)))",
                    goals: goals(item.story))
            },
            all: figures.stories.map { item in
                Stories.Line(
                    partner: "\(text.text(item.partnerName)) (\(text.text(item.story.partnerID)))", id: text.text(item.story.storyID),
                    title: item.holdsPersonalData ? "(withheld: it looks like it holds personal data)" : text.text(item.story.title),
                    consent: item.story.consent.rawValue, featured: chosen.contains(item.reference) ? "yes" : "no")
            },
            problems: figures.featured.problems.map { text.text($0) })
    }

    /// The learning section: a row and a list per theme something was said under, then the sentences no theme
    /// matched; nil when no partner wrote challenges or what would help.
    static func learning(_ grouped: LearningGroups, text: ContextText) -> Learning? {
        guard grouped.partnersWriting > 0 else { return nil }
        func mention(_ item: LearningGroups.Mention) -> Learning.Mention {
            Learning.Mention(
                kind: item.source == .challenges ? "Challenge" : "What would help", id: text.text(item.partnerID),
                name: text.text(item.partnerName), sentence: text.text(item.sentence))
        }
        // Sentences no theme matched are shown as one more group, after the themes.
        var all = grouped.groups
        if !grouped.other.isEmpty {
            all.append(
                LearningGroups.Group(
                    theme: LearningTheme(id: "other", label: "Other (no theme matched)", keywords: []), mentions: grouped.other))
        }
        let rows = all.map { group in
            Learning.Row(
                label: group.theme.label, challenges: ReportFormat.count(group.count(.challenges)),
                help: ReportFormat.count(group.count(.whatWouldHelp)), partners: text.text(group.partnerIDs.joined(separator: ", ")))
        }
        let groups = all.map { Learning.Group(label: $0.theme.label, mentions: $0.mentions.map(mention)) }
        let note =
            grouped.groups.isEmpty && !grouped.other.isEmpty
            ? "No sentence used a theme's keywords (reference/themes.csv holds the themes; without it every sentence is under Other)."
            : "Themes and their keywords are in reference/themes.csv."
        return Learning(
            partnersWriting: ReportFormat.count(grouped.partnersWriting), themesNote: note, rows: rows, groups: groups)
    }

    /// A narrative's answers as headed groups of paragraphs, in a fixed order.
    static func narrativeParts(_ narrative: Narrative, text: ContextText) -> [NarrativePart] {
        [
            ("Highlights", narrative.highlights), ("Challenges", narrative.challenges),
            ("What would help", narrative.whatWouldHelp),
        ].compactMap { heading, value in
            let paragraphs = text.paragraphs(value)
            return paragraphs.isEmpty ? nil : NarrativePart(heading: heading, paragraphs: paragraphs)
        }
    }
}

// MARK: - Definitions

/// The values `definitions.mustache` renders, from ``MetricDefinitions``.
enum DefinitionsContext {
    struct Metric {
        let name: String
        /// Markdown written by the program (the template's only unescaped value).
        let definition: String
    }

    struct Section {
        let title: String
        let scope: String
        let metrics: [Metric]
    }

    /// Every section.
    static var sections: [Section] {
        MetricDefinitions.sections.map { section in
            Section(
                title: section.title, scope: section.scope,
                metrics: section.metrics.map { Metric(name: $0.name, definition: $0.definition) })
        }
    }
}

extension String {
    /// The text with its first letter in upper case.
    fileprivate var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
