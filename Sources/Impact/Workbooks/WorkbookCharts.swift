import TableSchema

// MARK: - Charts, and what they show in words

extension WorkbookContent {
    /// The longest goal title a chart shows in full; longer ones are cut at a word (``shortTitle(_:limit:)``).
    static let chartLabelLimit = 40
    /// The header of the column of shortened goal titles the outcome-goals chart uses, when a title is too long.
    static let chartLabelHeader = "Goal, shortened for the chart"

    /// A title of at most `limit` characters: whole when it fits, else cut after its last whole word that
    /// fits, with "…".
    static func shortTitle(_ title: String, limit: Int = chartLabelLimit) -> String {
        guard title.count > limit else { return title }
        let room = title.prefix(limit - 1)
        let cut = room.lastIndex(of: " ").map { room[..<$0] } ?? room
        return cut.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)) + "…"
    }

    /// The goal progress table, with a column of shortened titles for the chart when a title is too long.
    func withChartLabels(_ table: SheetTable) -> SheetTable {
        guard goals.contains(where: { $0.title.count > WorkbookContent.chartLabelLimit }) else { return table }
        var table = table
        table.columns.append(ColumnSpec(header: WorkbookContent.chartLabelHeader, width: 34))
        for (r, goal) in goals.enumerated() where r < table.rows.count {
            table.rows[r].append(.text(WorkbookContent.shortTitle(goal.title)))
        }
        return table
    }

    /// The quarters the history shows, in words: `2025-Q3 to 2026-Q2`.
    var quarterSpan: String {
        guard let first = figures.history.first?.quarter, let last = figures.history.last?.quarter else { return "\(quarter)" }
        return first == last ? "\(first)" : "\(first) to \(last)"
    }

    /// The Summary's column chart of people supported in each quarter (from the Trends table).
    func peopleByQuarterChart() -> ChartSpec {
        ChartSpec(
            kind: .column, title: "People supported by quarter", table: WorkbookClaims.trends, categoryColumn: 0,
            series: [(2, "People supported")], categoryTitle: "Quarter", valueTitle: "People supported",
            valueFormat: "#,##0",
            altText:
                "Column chart of the number of people supported in each quarter from \(quarterSpan), one column a quarter, for the partners in this workbook. The figures are in the Trends sheet."
        )
    }

    /// The Summary's bar chart of each outcome goal's share of people improved beside its target.
    func goalsChart(_ progress: SheetTable) -> ChartSpec {
        let labelColumn = progress.columns.firstIndex { $0.header == WorkbookContent.chartLabelHeader } ?? 1
        let names = goals.map { WorkbookContent.shortTitle($0.title) }.joined(separator: "; ")
        return ChartSpec(
            kind: .bar, title: "Outcome goals: share of people improved against target", table: progress.name,
            categoryColumn: labelColumn, series: [(6, "Share improved"), (3, "Target")], categoryTitle: "Outcome goal",
            valueTitle: "Share of people improved (%)", valueFormat: "0%", valueRange: 0...1,
            altText:
                "Bar chart with one pair of bars for each of the \(goals.count) outcome goals (\(names)): the share of the people working towards the goal who improved this quarter, and the goal's target share, on a scale from 0% to 100%.\(disclosure.active ? " A share hidden to protect small counts has no bar." : "") The figures are in the first table of the Outcomes sheet."
        )
    }

    /// The Trends sheet's line chart of people supported and new starts.
    func trendsChart() -> ChartSpec {
        ChartSpec(
            kind: .line, title: "People supported and new starts by quarter", table: WorkbookClaims.trends, categoryColumn: 0,
            series: [(2, "People supported"), (3, "New starts")], categoryTitle: "Quarter", valueTitle: "People",
            valueFormat: "#,##0",
            altText:
                "Line chart of two lines, people supported and new starts, in each quarter from \(quarterSpan), for the partners in this workbook. The figures are in the Trends table beside it."
        )
    }

    /// A sentence saying that the number of partners reporting changed across the quarters shown, so a rise or
    /// fall can come from that; nil when it did not change.
    static func reportingNote(_ quarters: [(Quarter, Int)]) -> String? {
        let counts = quarters.map(\.1)
        guard let low = counts.min(), let high = counts.max(), low != high else { return nil }
        let list = quarters.map { "\($0.1) in \($0.0)" }.joined(separator: ", ")
        return
            "The number of partners reporting changed across these quarters (\(list)): a rise or fall in a figure can come from more or fewer partners reporting, not only from a change in their work. The Partners reporting column gives the number for each quarter."
    }
}
