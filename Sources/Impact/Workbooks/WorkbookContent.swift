import Dates
import Foundation
import TableSchema
import XLSX

// MARK: - What a workbook shows, before it is written

/// A value as a workbook shows it.
enum Shown: Hashable {
    /// A count (of people, returns, notes, findings).
    case count(Int)
    /// A share from 0 to 1, shown as a percentage.
    case percent(Double)
    /// An amount of money.
    case money(Double)
    /// A number with one decimal.
    case decimal(Double)
    /// Text, always stored as text.
    case text(String)
    /// A date (days since 1970-01-01).
    case date(Int)
    /// A value hidden to protect the people counted (a small count, or one that would give one away):
    /// `[c]`.
    case confidential
    /// No data: `[x]` (no accepted return, so nothing to show).
    case noData
    /// Not applicable: `[z]` (nobody to measure, no return to date, no goal named).
    case notApplicable
    /// A link to another sheet's first cell.
    case link(sheet: String, text: String)

    /// The marker text of a suppressed or missing value, if this is one.
    var marker: String? {
        switch self {
        case .confidential: return Markers.confidential
        case .noData: return Markers.noData
        case .notApplicable: return Markers.notApplicable
        default: return nil
        }
    }
}

/// The symbols the workbooks use, as in the UK Government Analysis Function's guidance.
enum Markers {
    /// Hidden to protect a small count.
    static let confidential = "[c]"
    /// No data: not available.
    static let noData = "[x]"
    /// Not applicable.
    static let notApplicable = "[z]"
}

/// One column of a table.
struct ColumnSpec {
    /// The header, with its unit where it has one (`Attendance rate (%)`).
    var header: String
    /// The most width the column takes, in characters: ``WorkbookBuilder`` makes it as wide as its values and
    /// its header's longest word need, up to this; longer text wraps.
    var width: Double
}

/// One table of a sheet, written as an Excel table with filters.
struct SheetTable {
    /// The Excel table name (unique in the workbook).
    var name: String
    /// A heading above the table.
    var heading: String?
    var columns: [ColumnSpec]
    var rows: [[Shown]]
    /// A total row, written inside the table as its total row.
    var total: [Shown]?
    /// Wrap text cells (quotes, definitions).
    var wrap = false
}

/// A chart drawn from table columns.
struct ChartSpec {
    enum Kind { case column, bar, line }
    var kind: Kind
    var title: String
    /// The table and column of the category labels.
    var table: String
    var categoryColumn: Int
    /// Value columns of the same table, with series names.
    var series: [(column: Int, name: String)]
    /// The title of the axis of the categories (quarters, goals).
    var categoryTitle: String
    /// The title of the axis of the values, with its unit.
    var valueTitle: String
    var valueFormat: String?
    /// A fixed range of the value axis, such as 0 to 1 for shares.
    var valueRange: ClosedRange<Double>? = nil
    /// What the chart shows, in words, for people who cannot see it (never a figure: a figure it draws may
    /// be hidden in a funder's workbook).
    var altText: String
}

/// A line of text on a sheet (cover, notes).
enum SheetLine {
    case title(String)
    case heading(String)
    case body(String)
    case date(label: String, days: Int)
    case link(sheet: String, text: String)
    case blank
}

/// One sheet: a title, notes, tables and charts placed beside the first table.
struct SheetContent {
    var name: String
    var lines: [SheetLine]
    var tables: [SheetTable] = []
    var charts: [ChartSpec] = []
    /// A short description for the contents sheet.
    var about: String
}

// MARK: - Disclosure

/// The workbook's audience: the programme's (exact) or a funder's (masked by the quarter's
/// ``DisclosurePlan`` after it is built; see ``DisclosureMask``).
struct Disclosure {
    let threshold: Int
    let active: Bool

    /// Whether a count lies from 1 to the threshold minus one.
    func isSmall(_ value: Int) -> Bool { active && value >= 1 && value < threshold }
}

// MARK: - Building the content

/// Everything one workbook shows, computed from the figures of its partners.
struct WorkbookContent {
    let input: ReportInput
    let scope: WorkbookScope
    let provenance: WorkbookProvenance
    let figures: ReportFigures
    let disclosure: Disclosure
    let settings: Settings

    /// `figures`, when given, must be the figures of `input` scoped to `scope` (the report's, for the programme).
    init(
        input: ReportInput, scope: WorkbookScope, provenance: WorkbookProvenance, figures: ReportFigures? = nil,
        tallies: PartnerTallies = PartnerTallies()
    ) {
        let scoped = input.scoped(to: scope)
        self.input = scoped
        self.scope = scope
        self.provenance = provenance
        self.settings = input.settings
        // A workbook shows no cross-quarter checks (they name people), so they are not worked out.
        self.figures =
            figures
            ?? FigureCalculator(settings: scoped.settings, reference: scoped.reference)
            .tallied(scoped, reusing: tallies, crossQuarterChecks: false, journeys: scope.funder == nil).figures
        disclosure = Disclosure(threshold: input.settings.disclosureThreshold, active: scope.suppresses)
    }

    var quarter: Quarter { input.quarter }
    var goals: [OutcomeGoal] { input.reference.goals }
    /// Partners with an accepted return this quarter, in ID order.
    var reporting: [PartnerFigures] { figures.current.partners }

    var audience: String {
        if let funder = scope.funder { return "\(funder.name) (\(funder.id))" }
        return "the programme team (all partners)"
    }

    var title: String { "\(settings.programme): impact workbook, \(quarter)" }

    // MARK: Sheets

    func sheets() -> [SheetContent] {
        let goalTables = outcomeTables()
        var sheets = [
            cover(), contents(), summary(goalProgress: goalTables.progress), partnersSheet(), outcomesSheet(goalTables),
            trendsSheet(), rippleSheet(), storiesSheet(),
        ]
        // The tables a programme declares (for a funder, each partner's rows, protected like every count).
        sheets += declaredTableSheets()
        if let shape = shapeSheet() { sheets.append(shape) }
        if let types = typesSheet() { sheets.append(types) }
        if let reach = reachSheet() { sheets.append(reach) }
        if let fund = fundSheet() { sheets.append(fund) }
        sheets.append(dataQualitySheet())
        // A funder's definitions are of the figures its sheets hold.
        sheets += [definitionsSheet(of: sheets), provenanceSheet()]
        // The cover and the contents sheet list every sheet after them.
        sheets[0] = cover(inside: sheets)
        sheets[1] = contents(of: sheets)
        return sheets
    }

    static let sheetNames = [
        "Cover", "Contents", "Summary", "Partners", "Outcomes", "Trends", "Ripple", "Stories", "Data quality", "Definitions",
        "Provenance",
    ]

    /// The cover; "What is inside" names `inside`, the workbook's sheets (the standard ones when not given).
    func cover(inside: [SheetContent]? = nil) -> SheetContent {
        let t = disclosure.threshold
        var lines: [SheetLine] = [
            .title(title),
            .body("Quarterly impact figures for \(audience)."),
            .heading("Programme"), .body(settings.programme),
            .heading("Quarter"), .body("\(quarter): \(longDate(quarter.firstDay)) to \(longDate(quarter.lastDay))"),
        ]
        if let funder = scope.funder {
            lines += [.heading("Funder"), .body("\(funder.name) (\(funder.id))")]
            lines += [.heading("Partners covered this quarter"), .body(partnerList())]
        } else {
            lines += [
                .heading("Internal: not for funders"),
                .body(
                    "The programme team only. Every partner is covered and counts are exact, with nothing suppressed; do not share this workbook with funders or publish it."
                ),
            ]
        }
        if let days = isoDays(input.generatedOn) { lines.append(.date(label: "Published", days: days)) }
        lines += [.heading("Contact"), .body(settings.contact.isEmpty ? "The programme's impact lead." : settings.contact)]
        lines += [.heading("What is inside")]
        let listed = inside.map { $0.map { ($0.name, $0.about) } } ?? WorkbookContent.about
        for (name, about) in listed where name != "Cover" { lines.append(.body("\(name): \(about)")) }
        lines += [.heading("Notes on suppression")]
        if disclosure.active {
            lines += [
                .body(
                    "Counts of people from 1 to \(t - 1) are hidden as \(Markers.confidential) to protect the people supported (primary suppression)."
                ),
                .body(
                    "Other values are hidden as \(Markers.confidential) too wherever they would let a hidden count be narrowed down, from this workbook alone or together with every other workbook the programme has published, to any funder, in any quarter (complementary suppression). Both look the same on purpose."
                ),
                .body(
                    "Before it was written, this workbook passed an audit by integer programming: for every hidden count, someone holding all the published workbooks cannot tell which of 1 to \(t - 1) it is, or whether it is one of them at all."
                ),
                .body(
                    "Shares, rates, means, sessions and spend worked out from hidden counts are shown as \(Markers.confidential)."
                ),
                .body(
                    "Totals cover only the partners in this workbook; a partner funded by several funders appears in each funder's workbook."
                ),
            ]
        } else {
            lines += [
                .body(
                    "This workbook is for the programme team: counts are exact and nothing is suppressed. Funders' workbooks hide counts of people from 1 to \(t - 1)."
                )
            ]
        }
        lines += [
            .body(
                "No workbook holds a person's reference, a partner's narrative, a ripple-effect note without consent to quote it, or a story its teller did not agree to publish."
            ),
            .heading("Symbols"),
            .body(
                "\(Markers.confidential): hidden to protect the people counted (a count from 1 to \(t - 1), or a value that would give one away); it may be any whole number from 0 up."
            ),
            .body("\(Markers.noData): no data: the partner sent no accepted return for the quarter, or the value is not known."),
            .body(
                "\(Markers.notApplicable): not applicable: there is nothing to work the figure out from (nobody working towards a goal, no session offered, nothing expected) or nothing to show (no return, so no date)."
            ),
        ]
        return SheetContent(name: "Cover", lines: lines, about: "title, audience, contact and notes on suppression")
    }

    static let about: [(String, String)] = [
        ("Cover", "title, audience, contact and notes on suppression"),
        ("Contents", "links to every sheet"),
        ("Summary", "headline figures and charts of people supported by quarter and outcome goals against target"),
        ("Partners", "one row per partner: return, timeliness, people, sessions, attendance, endings, spend"),
        ("Outcomes", "progress on each outcome goal, overall and by partner"),
        ("Trends", "quarters from the programme's history, with a line chart"),
        ("Ripple", "ripple effects by theme and the notes partners may quote"),
        ("Data quality", "completeness, timeliness and findings per partner"),
        ("Definitions", "how every figure is defined"),
        ("Provenance", "every input file with its SHA-256, schema and program versions"),
    ]

    func contents() -> SheetContent { SheetContent(name: "Contents", lines: [], about: "links to every sheet") }

    func contents(of sheets: [SheetContent]) -> SheetContent {
        let rows = sheets.filter { $0.name != "Contents" }.map { sheet -> [Shown] in
            [.link(sheet: sheet.name, text: sheet.name), .text(sheet.about)]
        }
        return SheetContent(
            name: "Contents", lines: [.title("Contents"), .body("Select a sheet name to go to it.")],
            tables: [
                SheetTable(
                    name: "Contents",
                    columns: [ColumnSpec(header: "Sheet", width: 16), ColumnSpec(header: "What it holds", width: 90)],
                    rows: rows)
            ], about: "links to every sheet")
    }

    func summary(goalProgress: SheetTable) -> SheetContent {
        let submissions = figures.submissions
        let network = figures.current.network
        let support = reporting.map(\.support)
        func total(_ values: [Int]) -> Shown { .count(values.reduce(0, +)) }
        let rows: [[Shown]] = [
            [.text("Partners covered"), .count(submissions.partners.count)],
            [.text("Returns expected"), .count(submissions.expected)],
            [.text("Returns received"), .count(submissions.received)],
            [.text("Returns accepted"), .count(submissions.accepted)],
            [.text("Returns on time"), .count(submissions.onTime)],
            [.text("Completeness: returns received of those expected (%)"), share(submissions.completeness)],
            [.text("Timeliness: returns on time of those expected (%)"), share(submissions.timeliness)],
            [.text("People supported"), total(support.map(\.peopleSupported))],
            [.text("New starts"), total(support.map(\.newStarts))],
            [.text("Support endings"), total(support.map(\.status.ended))],
            [.text("Planned endings"), .count(network.endings.planned)],
            [.text("Unplanned endings"), .count(network.endings.unplanned)],
            [.text("Transitions to other support"), .count(network.endings.transition)],
            [.text("Sessions offered"), total(support.map(\.sessionsOffered))],
            [.text("Sessions attended"), total(support.map(\.sessionsAttended))],
            [.text(Units.percent("Attendance rate")), share(network.attendanceRate)],
            [.text(Units.money("Discretionary spend", settings)), .money(network.discretionary.total.amount)],
            [.text("Discretionary spends above the coordinator limit"), .count(network.discretionary.aboveLimitCount)],
            [.text("Ripple-effect notes"), .count(figures.current.ripple.notes)],
            [.text("Ripple-effect notes that may be quoted"), .count(figures.current.ripple.consented)],
        ]
        var charts: [ChartSpec] = []
        if !figures.history.isEmpty { charts.append(peopleByQuarterChart()) }
        if !goals.isEmpty { charts.append(goalsChart(goalProgress)) }
        return SheetContent(
            name: "Summary",
            lines: [
                .title("Summary, \(quarter)"),
                .body("Headline figures for \(audience), from the partners' accepted returns for the quarter."),
            ],
            tables: [
                SheetTable(
                    name: "Headline",
                    columns: [ColumnSpec(header: "Measure", width: 50), ColumnSpec(header: "Value", width: 14)],
                    rows: rows)
            ], charts: charts, about: WorkbookContent.about[2].1)
    }

    func partnersSheet() -> SheetContent {
        let index = Dictionary(uniqueKeysWithValues: reporting.enumerated().map { ($0.element.partnerID, $0.offset) })
        let specs = [
            ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 34),
            ColumnSpec(header: "Region", width: 22),
            ColumnSpec(header: "Return received", width: 10), ColumnSpec(header: "Received on", width: 13),
            ColumnSpec(header: "On time", width: 9), ColumnSpec(header: "People supported", width: 11),
            ColumnSpec(header: "New starts", width: 10), ColumnSpec(header: "Support endings", width: 10),
            ColumnSpec(header: "Sessions offered", width: 11), ColumnSpec(header: "Sessions attended", width: 11),
            ColumnSpec(header: Units.percent("Attendance rate"), width: 11),
            ColumnSpec(header: Units.money("Discretionary spend", settings), width: 14),
        ]
        let rows = figures.submissions.partners.map { submission -> [Shown] in
            var row: [Shown] = [
                .text(submission.partnerID), .text(submission.partnerName),
                .text(input.reference.partner(submission.partnerID)?.region ?? ""),
                .text(submission.isReceived ? "Yes" : "No"), received(submission), timely(submission),
            ]
            guard let i = index[submission.partnerID] else {
                return row + Array(repeating: .noData, count: 7)
            }
            let support = reporting[i].support
            row += [
                .count(support.peopleSupported), .count(support.newStarts), .count(support.status.ended),
                .count(support.sessionsOffered), .count(support.sessionsAttended), share(support.attendanceRate),
                .money(support.discretionary.total.amount),
            ]
            return row
        }
        let support = reporting.map(\.support)
        let network = figures.current.network
        func total(_ values: [Int]) -> Shown { .count(values.reduce(0, +)) }
        let totalRow: [Shown] = [
            // Yes/No columns have no total: the Summary counts the returns received and on time.
            .text("Total"), .text("All partners in this workbook"), .text(""), .text(""), .text(""),
            .text(""), total(support.map(\.peopleSupported)), total(support.map(\.newStarts)),
            total(support.map(\.status.ended)), total(support.map(\.sessionsOffered)), total(support.map(\.sessionsAttended)),
            share(network.attendanceRate), .money(network.discretionary.total.amount),
        ]
        return SheetContent(
            name: "Partners",
            lines: [
                .title("Partners, \(quarter)"),
                .body(
                    "One row per partner expected to send a return or that sent one. Figures come from accepted returns only: \(Markers.noData) where a partner has none, \(Markers.notApplicable) where a figure does not apply (no return, so no date; no session offered, so no attendance rate). The Yes/No columns have no total."
                ),
            ],
            tables: [SheetTable(name: "Partners", columns: specs, rows: rows, total: rows.isEmpty ? nil : totalRow)],
            about: WorkbookContent.about[3].1)
    }

    // MARK: Outcomes

    struct OutcomeTables {
        var progress: SheetTable
        var byPartner: SheetTable
    }

    func outcomeTables() -> OutcomeTables {
        let progressRows = goals.map { goal -> [Shown] in
            let figuresOfGoal = figures.current.goal(goal.id)
            return [
                .text(goal.id), .text(goal.title), .text(goal.pathway), .percent(goal.targetImprovedShare),
                .count(figuresOfGoal?.people ?? 0), .count(figuresOfGoal?.improved ?? 0), share(figuresOfGoal?.shareImproved),
                (figuresOfGoal?.targetMet).map { .text($0 ? "Met" : "Not met") } ?? .notApplicable,
                decimal(figuresOfGoal?.meanChange),
            ]
        }
        var partnerRows: [[Shown]] = []
        for partner in reporting {
            for goal in goals {
                let value = partner.goal(goal.id)
                partnerRows.append([
                    .text(partner.partnerID), .text(partner.partnerName), .text(goal.id), .count(value?.people ?? 0),
                    .count(value?.improved ?? 0), share(value?.shareImproved), decimal(value?.meanChange),
                ])
            }
        }
        let progress = SheetTable(
            name: "GoalProgress", heading: "Progress on each outcome goal",
            columns: [
                ColumnSpec(header: "Goal ID", width: 11), ColumnSpec(header: "Goal", width: 34),
                ColumnSpec(header: "Pathway", width: 26),
                ColumnSpec(header: Units.percent("Target share improved"), width: 11),
                ColumnSpec(header: "People working towards it", width: 12),
                ColumnSpec(header: "People improved", width: 11), ColumnSpec(header: Units.percent("Share improved"), width: 11),
                ColumnSpec(header: "Target met", width: 10), ColumnSpec(header: Units.meanChange(settings), width: 14),
            ], rows: progressRows)
        let progressWithLabels = withChartLabels(progress)
        let byPartner = SheetTable(
            name: "GoalsByPartner", heading: "Outcome goals by partner",
            columns: [
                ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 34),
                ColumnSpec(header: "Goal ID", width: 18),
                ColumnSpec(header: "People working towards it", width: 11), ColumnSpec(header: "People improved", width: 12),
                ColumnSpec(header: Units.percent("Share improved"), width: 11),
                ColumnSpec(header: Units.meanChange(settings), width: 14),
            ], rows: partnerRows)
        return OutcomeTables(progress: progressWithLabels, byPartner: byPartner)
    }

    func outcomesSheet(_ tables: OutcomeTables) -> SheetContent {
        SheetContent(
            name: "Outcomes",
            lines: [
                .title("Outcome goals, \(quarter)"),
                .body(
                    "A person has improved when their current score is at least \(settings.improvementPoints) points above their baseline. The goal totals are the sums of the partners' rows below them."
                ),
            ],
            tables: [tables.progress, tables.byPartner], about: WorkbookContent.about[4].1)
    }

    // MARK: Trends

    func trendsSheet() -> SheetContent {
        var specs = [
            ColumnSpec(header: "Quarter", width: 10), ColumnSpec(header: "Partners reporting", width: 11),
            ColumnSpec(header: "People supported", width: 11), ColumnSpec(header: "New starts", width: 10),
            ColumnSpec(header: Units.percent("Attendance rate"), width: 11),
        ]
        for goal in goals { specs.append(ColumnSpec(header: Units.percent("Share improved \(goal.id)"), width: 11)) }
        let support = reporting.map(\.support)
        let rows = figures.history.map { history -> [Shown] in
            guard history.partnersReporting > 0 else {
                return [.text(history.quarter.description), .count(0)] + Array(repeating: .noData, count: 3 + goals.count)
            }
            let isCurrent = history.quarter == quarter
            let network = history.network
            // The current quarter shows the Partners sheet's totals.
            var row: [Shown] = [
                .text(history.quarter.description), .count(history.partnersReporting),
                .count(isCurrent ? support.map(\.peopleSupported).reduce(0, +) : network.peopleSupported),
                .count(isCurrent ? support.map(\.newStarts).reduce(0, +) : network.newStarts), share(network.attendanceRate),
            ]
            // A share over a small count of people is not published (its parts are not printed as counts).
            for goal in goals {
                let value = history.goal(goal.id)
                let off = disclosure.isSmall(value?.people ?? 0) || disclosure.isSmall(value?.improved ?? 0)
                row.append(off ? .confidential : share(value?.shareImproved))
            }
            return row
        }
        var lines: [SheetLine] = [
            .title("Trends by quarter"),
            .body("Each quarter's figures for the partners in this workbook, from the accepted returns the programme holds."),
        ]
        if let note = WorkbookContent.reportingNote(figures.history.map { ($0.quarter, $0.partnersReporting) }) {
            lines.append(.body(note))
        }
        return SheetContent(
            name: "Trends",
            lines: lines,
            tables: [SheetTable(name: "Trends", columns: specs, rows: rows)],
            charts: rows.isEmpty
                ? []
                : [trendsChart()],
            about: WorkbookContent.about[5].1)
    }

    // MARK: Ripple effects

    func rippleSheet() -> SheetContent {
        let ripple = figures.current.ripple
        let themeRows = ripple.themes.map { [Shown.text($0.label), .count($0.notes), .count($0.consented)] }
        let matcher = PersonRefMatcher(refs: figures.personRefs)
        let quotes = ripple.quotes.filter { !matcher.occurs(in: $0.text) }
        let quoteRows = quotes.map { quote -> [Shown] in
            [.text(quote.partnerName), .text(quote.themeLabel), quote.goalID.map { .text($0) } ?? .notApplicable, .text(quote.text)]
        }
        return SheetContent(
            name: "Ripple",
            lines: [
                .title("Ripple effects, \(quarter)"),
                .body(
                    "Notes partners made of wider effects of the support. Only notes the person agreed may be quoted are shown; the others are counted only."
                ),
            ],
            tables: [
                SheetTable(
                    name: "RippleThemes", heading: "Notes by theme",
                    columns: [
                        ColumnSpec(header: "Theme", width: 30), ColumnSpec(header: "Notes", width: 10),
                        ColumnSpec(header: "Notes that may be quoted", width: 12),
                    ],
                    rows: themeRows,
                    total: themeRows.isEmpty ? nil : [.text("Total"), .count(ripple.notes), .count(ripple.consented)]),
                SheetTable(
                    name: "Quotes", heading: "Notes that may be quoted",
                    columns: [
                        ColumnSpec(header: "Partner", width: 30), ColumnSpec(header: "Theme", width: 22),
                        ColumnSpec(header: "Outcome goal", width: 12), ColumnSpec(header: "Note", width: 80),
                    ], rows: quoteRows, wrap: true),
            ], about: WorkbookContent.about[6].1)
    }

    // MARK: Stories

    /// The quarter's stories as consent allows: a funder's workbook holds only the stories that may be
    /// published (never an internal one, nor one that looks like it holds personal data), an anonymised one
    /// without its partner's name or region, even in its own words; the programme's lists every story, the
    /// internal ones and those holding personal data by title only.
    func storiesSheet() -> SheetContent {
        let redactor = PersonRefRedactor(refs: figures.personRefs)
        let forFunder = scope.suppresses
        var rows: [[Shown]] = []
        for item in figures.stories {
            let story = item.story
            guard item.publishable || !forFunder else { continue }
            let partner = input.reference.partner(story.partnerID)
            func words(_ text: String) -> String {
                var text = redactor.redact(text)
                if story.consent != .quote {
                    if let name = partner?.name, !name.isEmpty { text = text.replacingOccurrences(of: name, with: "[the partner]") }
                    if let region = partner?.region, !region.isEmpty {
                        text = text.replacingOccurrences(of: region, with: "[place withheld]")
                    }
                }
                return text
            }
            let teller = story.consent == .quote ? item.partnerName : "A partner of the programme (told anonymously)"
            let goals = story.outcomeIDs.map { id in input.reference.goal(id).map { "\(id) \($0.title)" } ?? id }
                .joined(separator: "; ")
            let body =
                item.publishable
                ? words(story.text)
                : item.holdsPersonalData
                    ? "Not shown: it looks like it holds personal data." : "Not shown: for the impact lead only (internal)."
            var row: [Shown] = [.text(item.holdsPersonalData ? "(title withheld)" : words(story.title)), .text(teller)]
            if !forFunder { row.append(.text(story.consent.rawValue)) }
            rows.append(row + [.text(goals), .text(body)])
        }
        var columns = [ColumnSpec(header: "Title", width: 28), ColumnSpec(header: "Told by", width: 26)]
        if !forFunder { columns.append(ColumnSpec(header: "Consent", width: 12)) }
        columns += [ColumnSpec(header: "Outcome goals", width: 28), ColumnSpec(header: "Story", width: 90)]
        return SheetContent(
            name: "Stories",
            lines: [
                .title("Stories, \(quarter)"),
                .body(
                    forFunder
                        ? "Case studies partners told with the person's consent. A story told anonymously is shown without its partner's name or place. Stories kept for the impact lead are not shown."
                        : "Every story of the quarter with its consent: quote (with the partner's name), anonymised (without the partner's name or place) or internal (the impact lead only; shown by title)."
                ),
            ],
            tables: rows.isEmpty
                ? []
                : [SheetTable(name: "Stories", heading: "Stories", columns: columns, rows: rows, wrap: true)],
            about: "case studies partners told, as consent allows")
    }

    // MARK: Declared tables

    /// One sheet per table the programme declares: each partner's rows and figures, and the programme's. A
    /// funder's workbook shows the rows and the `count` figures that ``FunderFigures`` lets funders see, small
    /// ones hidden like every count of people (read by the audit from `TableRows_<name>`), and beneath them
    /// the kinds of row the schema allows (`TableKinds_<name>`), which tell the audit how those figures
    /// relate to the rows and to each other; sums, distinct counts and any figure whose kinds cannot be
    /// stated exactly stay internal.
    func declaredTableSheets() -> [SheetContent] {
        var used = Set(WorkbookContent.sheetNames.map { $0.lowercased() })
        let forFunder = scope.suppresses
        return figures.tables.map { table in
            // The title names the sheet when Excel accepts it (XLSX's rule) and no other sheet has it; else the
            // table's name, cut to Excel's 31 characters, then with " table" or a number after it.
            let short = String(table.table.name.prefix(24))
            let candidates = [table.table.title, String(table.table.name.prefix(31)), short + " table"] + (2...99).map { "\(short) \($0)" }
            let name =
                candidates.first { (try? Workbook.validateSheetName($0)) != nil && !used.contains($0.lowercased()) } ?? short
            used.insert(name.lowercased())
            let shownFigures = forFunder ? (table.table.funderFigures?.published ?? []) : Array(table.table.figures.indices)
            func cells(_ line: TableFigures.Line) -> [Shown] {
                [.count(line.rows)]
                    + shownFigures.map { index in
                        table.table.figures[index].measure == .sum ? .decimal(line.values[index]) : .count(Int(line.values[index]))
                    }
            }
            let rows = table.partners.map { line -> [Shown] in
                let id = line.partnerID ?? ""
                return [.text(id), .text(input.reference.partner(id)?.name ?? id)] + cells(line)
            }
            let excelName = table.table.name.replacingOccurrences(of: "-", with: "_")
            var tables = [
                SheetTable(
                    name: WorkbookClaims.tableRowsPrefix + excelName,
                    heading: nil,
                    columns: [
                        ColumnSpec(header: WorkbookClaims.partnerID, width: 12), ColumnSpec(header: "Partner", width: 30),
                        ColumnSpec(header: WorkbookClaims.rows, width: 10),
                    ] + shownFigures.map { ColumnSpec(header: table.table.figures[$0].name, width: 14) },
                    rows: rows, total: rows.isEmpty ? nil : [.text("Total"), .text("")] + cells(table.total))
            ]
            var about: String
            if forFunder {
                about =
                    "The rows of the \(table.table.name) table each partner sent with its accepted return"
                    + (shownFigures.isEmpty ? "" : ", and the figures the programme declares that count them")
                    + ". Counts from 1 to \(disclosure.threshold - 1) are hidden as \(Markers.confidential), with others where needed to protect them."
                if let view = table.table.funderFigures, !view.published.isEmpty {
                    about +=
                        " Beneath, the kinds of row the table's schema allows, and which figures count each: a partner's rows are the sum of its rows of each kind, and each figure the sum over the kinds it counts."
                    tables.append(
                        SheetTable(
                            name: WorkbookClaims.tableKindsPrefix + excelName,
                            heading: "Kinds of row, and the figures that count them",
                            columns: [ColumnSpec(header: WorkbookClaims.kind, width: 12)]
                                + view.published.map { ColumnSpec(header: table.table.figures[$0].name, width: 14) },
                            rows: view.kinds.enumerated().map { number, kind in
                                [.count(number + 1)] + kind.map { .text($0 ? "Yes" : "No") }
                            }))
                }
            } else {
                about =
                    "The rows of the \(table.table.name) table each partner sent with its accepted return, and the figures the programme declares for it in impact.yaml."
            }
            return SheetContent(
                name: name, lines: [.title("\(table.table.title), \(quarter)"), .body(about)], tables: tables,
                about: "the \(table.table.name) table per partner")
        }
    }

    // MARK: Data quality

    func dataQualitySheet() -> SheetContent {
        let submissions = figures.submissions
        let headline: [[Shown]] = [
            [.text("Returns expected"), .count(submissions.expected)],
            [.text("Returns received"), .count(submissions.received)],
            [.text("Returns accepted"), .count(submissions.accepted)],
            [.text("Returns with errors and no accepted return"), .count(submissions.rejected)],
            [.text("Expected returns missing"), .count(submissions.missing)],
            [.text("Returns on time"), .count(submissions.onTime)],
            [.text(Units.percent("Completeness")), share(submissions.completeness)],
            [.text(Units.percent("Timeliness")), share(submissions.timeliness)],
        ]
        let returns = submissions.partners.map { partner -> [Shown] in
            [
                .text(partner.partnerID), .text(partner.partnerName), .text(partner.isExpected ? "Yes" : "No"),
                .text(statusText(partner.status)), received(partner), timely(partner),
                .text(partner.isResubmission ? "Yes" : "No"),
                .count(partner.errorCount), .count(partner.warningCount),
            ]
        }
        let codes = figures.dataQuality.findingsByCode.map { count -> [Shown] in
            [.text(count.code.rawValue), .count(count.errors), .count(count.warnings), .count(count.sources)]
        }
        return SheetContent(
            name: "Data quality",
            lines: [
                .title("Data quality, \(quarter)"),
                .body(
                    "Completeness and timeliness of the partners' returns, and the problems validation found in them (counts only)."
                ),
            ],
            tables: [
                SheetTable(
                    name: "Completeness", heading: "Completeness and timeliness",
                    columns: [ColumnSpec(header: "Measure", width: 34), ColumnSpec(header: "Value", width: 34)], rows: headline),
                SheetTable(
                    name: "Returns", heading: "Returns by partner",
                    columns: [
                        ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 34),
                        ColumnSpec(header: "Expected", width: 10), ColumnSpec(header: "Return", width: 12),
                        ColumnSpec(header: "Received on", width: 13), ColumnSpec(header: "On time", width: 9),
                        ColumnSpec(header: "Resubmission", width: 13), ColumnSpec(header: "Errors", width: 9),
                        ColumnSpec(header: "Warnings", width: 10),
                    ], rows: returns),
                SheetTable(
                    name: "FindingsByCode", heading: "Findings by code",
                    columns: [
                        ColumnSpec(header: "Finding code", width: 20), ColumnSpec(header: "Errors", width: 10),
                        ColumnSpec(header: "Warnings", width: 10), ColumnSpec(header: "Returns with it", width: 12),
                    ], rows: codes),
            ], about: WorkbookContent.about[7].1)
    }

    // MARK: Definitions and provenance

    /// The Definitions sheet: for a funder, each figure `sheets` show, in a funder's words
    /// (``funderDefinitions(of:)``); for the programme team, every figure as docs/metrics.md defines it.
    func definitionsSheet(of sheets: [SheetContent]) -> SheetContent {
        var rows: [[Shown]] = []
        if scope.suppresses {
            for item in funderDefinitions(of: sheets) { rows.append([.text(item.sheet), .text(item.figure), .text(item.definition)]) }
        } else {
            for section in MetricDefinitions.sections {
                for metric in section.metrics {
                    rows.append([.text(section.title), .text(metric.name), .text(plain(metric.definition))])
                }
            }
        }
        let t = disclosure.threshold
        rows += [
            [
                .text("Symbols"), .text(Markers.confidential),
                .text(
                    "Hidden in funders' workbooks to protect the people counted: a count of people from 1 to \(t - 1), or a value that would let one be worked out or narrowed down; it may be any whole number from 0 up."
                ),
            ],
            [.text("Symbols"), .text(Markers.noData), .text("No data: no accepted return, or the value is not known.")],
            [
                .text("Symbols"), .text(Markers.notApplicable),
                .text("Not applicable: nothing to work the figure out from (nobody measured, no session offered), or no return to date."),
            ],
        ]
        return SheetContent(
            name: "Definitions",
            lines: [
                .title("Definitions"),
                .body(
                    scope.suppresses
                        ? "What each figure in this workbook means, and the symbols used in place of a figure."
                        : "How each figure is counted, as the programme's metrics documentation defines it."),
            ],
            tables: [
                SheetTable(
                    name: "Definitions",
                    columns: [
                        ColumnSpec(header: scope.suppresses ? "Sheet" : "Section", width: 18), ColumnSpec(header: "Figure", width: 30),
                        ColumnSpec(header: "Definition", width: 90),
                    ], rows: rows, wrap: true)
            ], about: WorkbookContent.about[8].1)
    }

    func provenanceSheet() -> SheetContent {
        var files: [[Shown]] = []
        for submission in input.submissions.filter({ $0.quarter == quarter }).sorted(by: {
            ($0.partnerID, $0.files.joined(separator: "\n")) < ($1.partnerID, $1.files.joined(separator: "\n"))
        }) {
            for file in submission.files.sorted() {
                files.append([
                    .text(file), .text(provenance.fileHashes[file] ?? "not recorded"), .text(submission.partnerID),
                    .text(submission.quarter.description), .text(submission.verdict.rawValue),
                ])
            }
        }
        for stray in input.strayFiles.sorted(by: { $0.path < $1.path }) {
            files.append([
                .text(stray.path), .text(provenance.fileHashes[stray.path] ?? "not recorded"), .notApplicable,
                .text(quarter.description),
                .text("not matched to a partner"),
            ])
        }
        var versions: [[Shown]] = [
            [.text("Program"), .text("impact \(provenance.programVersion)")],
            [.text("Quarter"), .text(quarter.description)],
        ]
        if let days = isoDays(input.generatedOn) { versions.append([.text("Generated on"), .date(days)]) }
        for name in provenance.schemaVersions.keys.sorted() {
            versions.append([.text("Schema \(name)"), .text(provenance.schemaVersions[name] ?? "")])
        }
        if let funder = scope.funder {
            versions.append([.text("Funder ID"), .text(funder.id)])
            versions.append([.text("Disclosure threshold"), .count(disclosure.threshold)])
        } else {
            versions.append([.text("Audience"), .text("programme (internal): exact counts, nothing suppressed")])
        }
        return SheetContent(
            name: "Provenance",
            lines: [
                .title("Provenance"),
                .body(
                    "Every input file of the quarter's returns for the partners in this workbook, and the versions the figures were made with."
                ),
            ],
            tables: [
                SheetTable(
                    name: "InputFiles", heading: "Input files",
                    columns: [
                        ColumnSpec(header: "File", width: 50), ColumnSpec(header: "SHA-256", width: 68),
                        ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Quarter", width: 10),
                        ColumnSpec(header: "Verdict", width: 14),
                    ], rows: files),
                SheetTable(
                    name: "Versions", heading: "Versions and settings",
                    columns: [ColumnSpec(header: "Item", width: 50), ColumnSpec(header: "Value", width: 68)], rows: versions),
                SheetTable(
                    name: "PartnersCovered", heading: "Partners funded, in any quarter the Trends sheet shows",
                    columns: [ColumnSpec(header: "Partner ID", width: 50), ColumnSpec(header: "Partner", width: 68)],
                    rows: input.reference.partners.map { [.text($0.id), .text($0.name)] }),
            ], about: WorkbookContent.about[9].1)
    }

    // MARK: Helpers

    /// A share or rate; `[z]` when there is nothing to divide by (nobody measured, no session offered).
    func share(_ value: Double?) -> Shown { value.map { .percent($0) } ?? .notApplicable }
    /// A mean; `[z]` when there is nobody to average over.
    func decimal(_ value: Double?) -> Shown { value.map { .decimal($0) } ?? .notApplicable }

    /// When a partner's return came: its date, `[z]` when nothing came, `[x]` when the date is not known.
    func received(_ submission: PartnerSubmission) -> Shown {
        guard submission.isReceived else { return .notApplicable }
        return submission.receivedOn.map { .date(Int($0)) } ?? .noData
    }

    /// Whether a partner's return came on time: `[z]` when nothing came, `[x]` when it cannot be told.
    func timely(_ submission: PartnerSubmission) -> Shown {
        guard submission.isReceived else { return .notApplicable }
        return submission.onTime.map { .text($0 ? "Yes" : "No") } ?? .noData
    }

    /// The partners that count for the quarter, as the Summary's "Partners covered" counts them: those active
    /// on a day of the quarter, and any other that sent a return for it.
    func partnerList() -> String {
        let names = figures.submissions.partners.map { "\($0.partnerName) (\($0.partnerID))" }
        return names.isEmpty ? "None" : names.joined(separator: "; ")
    }

    func statusText(_ status: ReturnStatus) -> String {
        switch status {
        case .accepted: return "Accepted"
        case .rejected: return "Had errors"
        case .missing: return "Missing"
        }
    }

    /// Markdown definitions as plain text (backticks dropped).
    func plain(_ text: String) -> String { text.replacingOccurrences(of: "`", with: "") }

    func isoDays(_ text: String) -> Int? { CivilDate(iso: text)?.daysSinceEpoch }

    func longDate(_ days: Int) -> String {
        let date = CivilDate(daysSinceEpoch: days)
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
            "December",
        ]
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }
}
