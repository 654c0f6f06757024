import Foundation
import TableSchema

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
    /// A count of people suppressed because it is below the threshold: `<5`.
    case below(Int)
    /// A value hidden to protect a suppressed count: `[c]`.
    case confidential
    /// No data: `[x]`.
    case noData
    /// A link to another sheet's first cell.
    case link(sheet: String, text: String)

    /// The marker text of a suppressed or missing value, if this is one.
    var marker: String? {
        switch self {
        case .below(let threshold): return "<\(threshold)"
        case .confidential: return Markers.confidential
        case .noData: return Markers.noData
        default: return nil
        }
    }
}

/// The symbols the workbooks use, as in the UK Government Analysis Function's guidance.
enum Markers {
    /// Hidden to protect a small count.
    static let confidential = "[c]"
    /// No data.
    static let noData = "[x]"
}

/// One column of a table.
struct ColumnSpec {
    var header: String
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
    var xTitle: String
    var yTitle: String
    var valueFormat: String?
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

// MARK: - Disclosure helpers

/// Applies the workbook's disclosure rules: none for the programme, suppression for funders.
struct Disclosure {
    let threshold: Int
    let active: Bool

    /// A column of counts with its published total.
    struct Column {
        var cells: [Shown]
        var total: Shown
        var hiddenRows: Set<Int>
        var totalHidden: Bool
    }

    /// Shows a count, hidden or not.
    func show(_ value: Int, hidden: Bool, people: Bool = true) -> Shown {
        guard hidden else { return .count(value) }
        return people && value >= 1 && value < threshold ? .below(threshold) : .confidential
    }

    /// Suppresses one column of counts (people when `people`) under a published total; `alsoRows` (and
    /// `alsoTotal`) are hidden whatever their value, so that values derived from hidden counts stay hidden.
    func column(
        _ values: [Int], people: Bool = true, alsoRows: Set<Int> = [], alsoTotal: Bool = false
    ) -> (cells: [Bool], total: Bool) {
        guard active, !values.isEmpty else { return (values.map { _ in false }, false) }
        var also = Set(alsoRows.map { Suppression.Position.cell(row: $0, column: 0) })
        if alsoTotal { also.insert(.columnTotal(0)) }
        let grid = Suppression(
            counts: values.map { [$0] }, rowTotals: false, columnTotals: true, threshold: people ? threshold : 1,
            alsoSuppress: also)
        return (values.indices.map { grid.isSuppressed(.cell(row: $0, column: 0)) }, grid.isSuppressed(.columnTotal(0)))
    }

    /// Whether a lone count (with no published parts) is hidden.
    func lone(_ value: Int) -> Bool { active && value >= 1 && value < threshold }
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
    init(input: ReportInput, scope: WorkbookScope, provenance: WorkbookProvenance, figures: ReportFigures? = nil) {
        let scoped = input.scoped(to: scope)
        self.input = scoped
        self.scope = scope
        self.provenance = provenance
        self.settings = input.settings
        self.figures = figures ?? FigureCalculator(settings: scoped.settings, reference: scoped.reference).figures(for: scoped)
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

    // MARK: Partners table and the totals every other sheet reuses

    /// The Partners sheet's suppression, shared with the Summary and Trends sheets.
    struct PartnerColumns {
        var people: (cells: [Bool], total: Bool)
        var newStarts: (cells: [Bool], total: Bool)
        var endings: (cells: [Bool], total: Bool)
        var sessionsOffered: (cells: [Bool], total: Bool)
        var sessionsAttended: (cells: [Bool], total: Bool)
        var spend: (cells: [Bool], total: Bool)
    }

    func partnerColumns() -> PartnerColumns {
        let support = reporting.map(\.support)
        let people = disclosure.column(support.map(\.peopleSupported))
        let hiddenRows = Set(people.cells.indices.filter { people.cells[$0] })
        func derived(_ values: [Int], people isPeople: Bool) -> (cells: [Bool], total: Bool) {
            disclosure.column(values, people: isPeople, alsoRows: hiddenRows, alsoTotal: people.total)
        }
        return PartnerColumns(
            people: people,
            newStarts: derived(support.map(\.newStarts), people: true),
            endings: derived(support.map(\.status.ended), people: true),
            sessionsOffered: derived(support.map(\.sessionsOffered), people: false),
            sessionsAttended: derived(support.map(\.sessionsAttended), people: false),
            spend: derived(support.map(\.discretionary.total.minorUnits), people: false))
    }

    // MARK: Sheets

    func sheets() -> [SheetContent] {
        let columns = partnerColumns()
        let goalTables = outcomeTables()
        var sheets = [
            cover(), contents(), summary(columns, goalProgress: goalTables.progress), partnersSheet(columns),
            outcomesSheet(goalTables), trendsSheet(columns), rippleSheet(), dataQualitySheet(), definitionsSheet(),
            provenanceSheet(),
        ]
        // The contents sheet lists every sheet after it.
        sheets[1] = contents(of: sheets)
        return sheets
    }

    static let sheetNames = [
        "Cover", "Contents", "Summary", "Partners", "Outcomes", "Trends", "Ripple", "Data quality", "Definitions", "Provenance",
    ]

    func cover() -> SheetContent {
        let t = disclosure.threshold
        var lines: [SheetLine] = [
            .title(title),
            .body("Quarterly impact figures for \(audience)."),
            .heading("Programme"), .body(settings.programme),
            .heading("Quarter"), .body("\(quarter): \(longDate(quarter.firstDay)) to \(longDate(quarter.lastDay))"),
        ]
        if let funder = scope.funder {
            lines += [.heading("Funder"), .body("\(funder.name) (\(funder.id))")]
            lines += [.heading("Partners covered"), .body(partnerList())]
        } else {
            lines += [
                .heading("Audience"),
                .body(
                    "The programme team. Every partner is covered and counts are exact; do not share this workbook with funders."),
            ]
        }
        if let days = isoDays(input.generatedOn) { lines.append(.date(label: "Published", days: days)) }
        lines += [.heading("Contact"), .body(settings.contact.isEmpty ? "The programme's impact lead." : settings.contact)]
        lines += [.heading("What is inside")]
        for (name, about) in WorkbookContent.about where name != "Cover" { lines.append(.body("\(name): \(about)")) }
        lines += [.heading("Notes on suppression")]
        if disclosure.active {
            lines += [
                .body(
                    "Counts of people from 1 to \(t - 1) are shown as <\(t) to protect the people supported (primary suppression)."
                ),
                .body(
                    "Where a total is published, a second value is hidden as \(Markers.confidential) whenever a hidden count could otherwise be worked out by subtraction (secondary suppression)."
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
                "No workbook holds a person's reference, a partner's narrative, or a ripple-effect note without consent to quote it."
            ),
            .heading("Symbols"),
            .body("<\(t): a count of people from 1 to \(t - 1)."),
            .body("\(Markers.confidential): hidden to protect a small count."),
            .body("\(Markers.noData): no data (no accepted return, or nobody to measure)."),
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

    func summary(_ columns: PartnerColumns, goalProgress: SheetTable) -> SheetContent {
        let submissions = figures.submissions
        let network = figures.current.network
        let support = reporting.map(\.support)
        let t = disclosure.threshold
        func total(_ values: [Int], _ hidden: Bool, people: Bool = true) -> Shown {
            disclosure.show(values.reduce(0, +), hidden: hidden, people: people)
        }
        let people = total(support.map(\.peopleSupported), columns.people.total)
        // Endings by type under their published total (the endings total of the Partners sheet).
        let endingGrid = Suppression(
            counts: [[network.endings.planned, network.endings.unplanned, network.endings.transition]], rowTotals: true,
            columnTotals: false, threshold: disclosure.active ? t : 1,
            alsoSuppress: columns.endings.total && disclosure.active ? [.rowTotal(0)] : [])
        func ending(_ index: Int, _ value: Int) -> Shown {
            disclosure.show(value, hidden: disclosure.active && endingGrid.isSuppressed(.cell(row: 0, column: index)))
        }
        let sessionsHidden = columns.sessionsOffered.total || columns.sessionsAttended.total
        let rows: [[Shown]] = [
            [.text("Partners covered"), .count(submissions.partners.count)],
            [.text("Returns expected"), .count(submissions.expected)],
            [.text("Returns received"), .count(submissions.received)],
            [.text("Returns accepted"), .count(submissions.accepted)],
            [.text("Returns on time"), .count(submissions.onTime)],
            [.text("Completeness (returns received of those expected)"), share(submissions.completeness)],
            [.text("Timeliness (returns on time of those expected)"), share(submissions.timeliness)],
            [.text("People supported"), people],
            [.text("New starts"), total(support.map(\.newStarts), columns.newStarts.total)],
            [.text("Support endings"), total(support.map(\.status.ended), columns.endings.total)],
            [.text("Planned endings"), ending(0, network.endings.planned)],
            [.text("Unplanned endings"), ending(1, network.endings.unplanned)],
            [.text("Transitions to other support"), ending(2, network.endings.transition)],
            [.text("Sessions offered"), total(support.map(\.sessionsOffered), columns.sessionsOffered.total, people: false)],
            [.text("Sessions attended"), total(support.map(\.sessionsAttended), columns.sessionsAttended.total, people: false)],
            [.text("Attendance rate"), sessionsHidden ? .confidential : share(network.attendanceRate)],
            [
                .text("Discretionary spend (\(settings.currency))"),
                columns.spend.total ? .confidential : .money(network.discretionary.total.amount),
            ],
            [
                .text("Discretionary spends above the coordinator limit"),
                disclosure.show(
                    network.discretionary.aboveLimitCount, hidden: disclosure.lone(network.discretionary.aboveLimitCount)),
            ],
            [.text("Ripple-effect notes"), .count(figures.current.ripple.notes)],
            [.text("Ripple-effect notes that may be quoted"), .count(figures.current.ripple.consented)],
        ]
        var charts: [ChartSpec] = []
        if !figures.history.isEmpty {
            charts.append(
                ChartSpec(
                    kind: .column, title: "People supported by quarter", table: "Trends", categoryColumn: 0,
                    series: [(2, "People supported")], xTitle: "Quarter", yTitle: "People", valueFormat: "#,##0"))
        }
        if !goals.isEmpty {
            charts.append(
                ChartSpec(
                    kind: .bar, title: "Outcome goals: share improved against target", table: goalProgress.name,
                    categoryColumn: 0,
                    series: [(6, "Share improved"), (3, "Target")], xTitle: "Outcome goal", yTitle: "Share of people",
                    valueFormat: "0%"))
        }
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

    func partnersSheet(_ columns: PartnerColumns) -> SheetContent {
        let index = Dictionary(uniqueKeysWithValues: reporting.enumerated().map { ($0.element.partnerID, $0.offset) })
        let specs = [
            ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 34),
            ColumnSpec(header: "Region", width: 16),
            ColumnSpec(header: "Return received", width: 10), ColumnSpec(header: "Received on", width: 13),
            ColumnSpec(header: "On time", width: 9), ColumnSpec(header: "People supported", width: 11),
            ColumnSpec(header: "New starts", width: 10), ColumnSpec(header: "Support endings", width: 10),
            ColumnSpec(header: "Sessions offered", width: 11), ColumnSpec(header: "Sessions attended", width: 11),
            ColumnSpec(header: "Attendance rate", width: 11), ColumnSpec(header: "Discretionary spend", width: 14),
        ]
        let rows = figures.submissions.partners.map { submission -> [Shown] in
            var row: [Shown] = [
                .text(submission.partnerID), .text(submission.partnerName),
                .text(input.reference.partner(submission.partnerID)?.region ?? ""),
                .text(submission.isReceived ? "Yes" : "No"), submission.receivedOn.map { .date(Int($0)) } ?? .noData,
                submission.onTime.map { .text($0 ? "Yes" : "No") } ?? .noData,
            ]
            guard let i = index[submission.partnerID] else {
                return row + Array(repeating: .noData, count: 7)
            }
            let support = reporting[i].support
            let sessionsHidden = columns.sessionsOffered.cells[i] || columns.sessionsAttended.cells[i]
            row += [
                disclosure.show(support.peopleSupported, hidden: columns.people.cells[i]),
                disclosure.show(support.newStarts, hidden: columns.newStarts.cells[i]),
                disclosure.show(support.status.ended, hidden: columns.endings.cells[i]),
                disclosure.show(support.sessionsOffered, hidden: columns.sessionsOffered.cells[i], people: false),
                disclosure.show(support.sessionsAttended, hidden: columns.sessionsAttended.cells[i], people: false),
                sessionsHidden ? .confidential : share(support.attendanceRate),
                columns.spend.cells[i] ? .confidential : .money(support.discretionary.total.amount),
            ]
            return row
        }
        let support = reporting.map(\.support)
        let network = figures.current.network
        func total(_ values: [Int], _ hidden: Bool, people: Bool = true) -> Shown {
            disclosure.show(values.reduce(0, +), hidden: hidden, people: people)
        }
        let submissions = figures.submissions
        let totalRow: [Shown] = [
            .text("Total"), .text("All partners in this workbook"), .text(""), .count(submissions.received), .text(""),
            .count(submissions.onTime),
            total(support.map(\.peopleSupported), columns.people.total),
            total(support.map(\.newStarts), columns.newStarts.total),
            total(support.map(\.status.ended), columns.endings.total),
            total(support.map(\.sessionsOffered), columns.sessionsOffered.total, people: false),
            total(support.map(\.sessionsAttended), columns.sessionsAttended.total, people: false),
            columns.sessionsOffered.total || columns.sessionsAttended.total ? .confidential : share(network.attendanceRate),
            columns.spend.total ? .confidential : .money(network.discretionary.total.amount),
        ]
        return SheetContent(
            name: "Partners",
            lines: [
                .title("Partners, \(quarter)"),
                .body(
                    "One row per partner expected to send a return or that sent one. Figures come from accepted returns only; \(Markers.noData) where there is none."
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
        let peopleGrid = reporting.map { partner in goals.map { partner.goal($0.id)?.people ?? 0 } }
        let improvedGrid = reporting.map { partner in goals.map { partner.goal($0.id)?.improved ?? 0 } }
        let active = disclosure.active && !reporting.isEmpty && !goals.isEmpty
        let people = Suppression(
            counts: peopleGrid, rowTotals: false, columnTotals: true, threshold: active ? disclosure.threshold : 1)
        let peopleHidden = Set(people.suppressedPositions)
        let improved = Suppression(
            counts: improvedGrid, rowTotals: false, columnTotals: true, threshold: active ? disclosure.threshold : 1,
            alsoSuppress: active ? peopleHidden : [])
        func hidden(_ grid: Suppression, _ position: Suppression.Position) -> Bool { active && grid.isSuppressed(position) }

        let progressRows = goals.enumerated().map { g, goal -> [Shown] in
            let figuresOfGoal = figures.current.goal(goal.id)
            let peopleTotal = figuresOfGoal?.people ?? 0
            let improvedTotal = figuresOfGoal?.improved ?? 0
            let peopleOff = hidden(people, .columnTotal(g))
            let improvedOff = hidden(improved, .columnTotal(g)) || peopleOff
            let shareShown: Shown = peopleOff || improvedOff ? .confidential : share(figuresOfGoal?.shareImproved)
            let met: Shown =
                peopleOff || improvedOff
                ? .confidential : (figuresOfGoal?.targetMet).map { .text($0 ? "Met" : "Not met") } ?? .noData
            return [
                .text(goal.id), .text(goal.title), .text(goal.pathway), .percent(goal.targetImprovedShare),
                disclosure.show(peopleTotal, hidden: peopleOff), disclosure.show(improvedTotal, hidden: improvedOff), shareShown,
                met,
                peopleOff ? .confidential : decimal(figuresOfGoal?.meanChange),
            ]
        }
        var partnerRows: [[Shown]] = []
        for (p, partner) in reporting.enumerated() {
            for (g, goal) in goals.enumerated() {
                let value = partner.goal(goal.id)
                let peopleOff = hidden(people, .cell(row: p, column: g))
                let improvedOff = hidden(improved, .cell(row: p, column: g)) || peopleOff
                partnerRows.append([
                    .text(partner.partnerID), .text(partner.partnerName), .text(goal.id),
                    disclosure.show(value?.people ?? 0, hidden: peopleOff),
                    disclosure.show(value?.improved ?? 0, hidden: improvedOff),
                    peopleOff || improvedOff ? .confidential : share(value?.shareImproved),
                    peopleOff ? .confidential : decimal(value?.meanChange),
                ])
            }
        }
        let progress = SheetTable(
            name: "GoalProgress", heading: "Progress on each outcome goal",
            columns: [
                ColumnSpec(header: "Goal ID", width: 11), ColumnSpec(header: "Goal", width: 34),
                ColumnSpec(header: "Pathway", width: 18),
                ColumnSpec(header: "Target share improved", width: 11),
                ColumnSpec(header: "People working towards it", width: 12),
                ColumnSpec(header: "People improved", width: 11), ColumnSpec(header: "Share improved", width: 11),
                ColumnSpec(header: "Target met", width: 10), ColumnSpec(header: "Mean change in score", width: 11),
            ], rows: progressRows)
        let byPartner = SheetTable(
            name: "GoalsByPartner", heading: "Outcome goals by partner",
            columns: [
                ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 34),
                ColumnSpec(header: "Goal ID", width: 18),
                ColumnSpec(header: "People working towards it", width: 11), ColumnSpec(header: "People improved", width: 12),
                ColumnSpec(header: "Share improved", width: 11), ColumnSpec(header: "Mean change in score", width: 11),
            ], rows: partnerRows)
        return OutcomeTables(progress: progress, byPartner: byPartner)
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

    func trendsSheet(_ columns: PartnerColumns) -> SheetContent {
        var specs = [
            ColumnSpec(header: "Quarter", width: 10), ColumnSpec(header: "Partners reporting", width: 11),
            ColumnSpec(header: "People supported", width: 11), ColumnSpec(header: "New starts", width: 10),
            ColumnSpec(header: "Attendance rate", width: 11),
        ]
        for goal in goals { specs.append(ColumnSpec(header: "Share improved \(goal.id)", width: 11)) }
        let support = reporting.map(\.support)
        let rows = figures.history.map { history -> [Shown] in
            guard history.partnersReporting > 0 else {
                return [.text(history.quarter.description), .count(0)] + Array(repeating: .noData, count: 3 + goals.count)
            }
            let isCurrent = history.quarter == quarter
            let network = history.network
            // The current quarter shows the Partners sheet's totals, hidden the same way.
            let peopleOff = isCurrent ? columns.people.total : disclosure.lone(network.peopleSupported)
            let startsOff = isCurrent ? columns.newStarts.total : disclosure.lone(network.newStarts)
            let sessionsOff =
                isCurrent ? columns.sessionsOffered.total || columns.sessionsAttended.total : peopleOff
            var row: [Shown] = [
                .text(history.quarter.description), .count(history.partnersReporting),
                disclosure.show(
                    isCurrent ? support.map(\.peopleSupported).reduce(0, +) : network.peopleSupported, hidden: peopleOff),
                disclosure.show(isCurrent ? support.map(\.newStarts).reduce(0, +) : network.newStarts, hidden: startsOff),
                sessionsOff ? .confidential : share(network.attendanceRate),
            ]
            for goal in goals {
                let value = history.goal(goal.id)
                let off = disclosure.lone(value?.people ?? 0) || disclosure.lone(value?.improved ?? 0)
                row.append(off ? .confidential : share(value?.shareImproved))
            }
            return row
        }
        return SheetContent(
            name: "Trends",
            lines: [
                .title("Trends by quarter"),
                .body("Each quarter's figures for the partners in this workbook, from the accepted returns the programme holds."),
            ],
            tables: [SheetTable(name: "Trends", columns: specs, rows: rows)],
            charts: rows.isEmpty
                ? []
                : [
                    ChartSpec(
                        kind: .line, title: "People supported and new starts by quarter", table: "Trends", categoryColumn: 0,
                        series: [(2, "People supported"), (3, "New starts")], xTitle: "Quarter", yTitle: "People",
                        valueFormat: "#,##0")
                ],
            about: WorkbookContent.about[5].1)
    }

    // MARK: Ripple effects

    func rippleSheet() -> SheetContent {
        let ripple = figures.current.ripple
        let themeRows = ripple.themes.map { [Shown.text($0.label), .count($0.notes), .count($0.consented)] }
        let matcher = PersonRefMatcher(refs: figures.personRefs)
        let quotes = ripple.quotes.filter { !matcher.occurs(in: $0.text) }
        let quoteRows = quotes.map { quote -> [Shown] in
            [.text(quote.partnerName), .text(quote.themeLabel), quote.goalID.map { .text($0) } ?? .noData, .text(quote.text)]
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
            [.text("Completeness"), share(submissions.completeness)],
            [.text("Timeliness"), share(submissions.timeliness)],
        ]
        let returns = submissions.partners.map { partner -> [Shown] in
            [
                .text(partner.partnerID), .text(partner.partnerName), .text(partner.isExpected ? "Yes" : "No"),
                .text(statusText(partner.status)), partner.receivedOn.map { .date(Int($0)) } ?? .noData,
                partner.onTime.map { .text($0 ? "Yes" : "No") } ?? .noData, .text(partner.isResubmission ? "Yes" : "No"),
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

    func definitionsSheet() -> SheetContent {
        var rows: [[Shown]] = []
        for section in MetricDefinitions.sections {
            for metric in section.metrics {
                rows.append([.text(section.title), .text(metric.name), .text(plain(metric.definition))])
            }
        }
        let t = disclosure.threshold
        rows += [
            [.text("Symbols"), .text("<\(t)"), .text("A count of people from 1 to \(t - 1), hidden in funders' workbooks.")],
            [
                .text("Symbols"), .text(Markers.confidential),
                .text(
                    "A value hidden so that a hidden count cannot be worked out from totals, or worked out from hidden counts."),
            ],
            [.text("Symbols"), .text(Markers.noData), .text("No data: no accepted return, or nobody to measure.")],
        ]
        return SheetContent(
            name: "Definitions",
            lines: [.title("Definitions"), .body("How each figure in this workbook is counted.")],
            tables: [
                SheetTable(
                    name: "Definitions",
                    columns: [
                        ColumnSpec(header: "Section", width: 18), ColumnSpec(header: "Figure", width: 30),
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
                .text(stray.path), .text(provenance.fileHashes[stray.path] ?? "not recorded"), .noData,
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
        versions.append([
            .text("Disclosure threshold"),
            .text(
                disclosure.active
                    ? "counts of people from 1 to \(disclosure.threshold - 1) suppressed" : "none (programme workbook)"),
        ])
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
            ], about: WorkbookContent.about[9].1)
    }

    // MARK: Helpers

    func share(_ value: Double?) -> Shown { value.map { .percent($0) } ?? .noData }
    func decimal(_ value: Double?) -> Shown { value.map { .decimal($0) } ?? .noData }

    func partnerList() -> String {
        let names = input.reference.partners.map { "\($0.name) (\($0.id))" }
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

    func isoDays(_ text: String) -> Int? {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        return date.daysSinceEpoch
    }

    func longDate(_ days: Int) -> String {
        let date = CivilDate(daysSinceEpoch: days)
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
            "December",
        ]
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }
}
