import TableSchema

// MARK: - A partner's journeys, types of support, reach and awards beside the network's

extension FeedbackContext {
    /// The tables of the shape of support in a partner's feedback: its figures beside every partner's.
    static func shapeTables(mine: PartnerFigures, figures: ReportFigures, input: ReportInput, text: ContextText) -> [DeclaredTable] {
        let network = figures.current.network
        let support = mine.support
        let currency = input.settings.currency
        func count(_ value: Int) -> String { ReportFormat.count(value) }
        func row(_ name: String, _ mine: String, _ all: String) -> DeclaredTable.Row { DeclaredTable.Row(name: name, mine: mine, all: all) }
        var tables: [DeclaredTable] = []

        let journeys = figures.journeys.partners[mine.partnerID] ?? JourneyFigures()
        let all = figures.journeys.network
        var journeyRows = [
            row("Paused at the end of \(figures.quarter.previous)", count(journeys.pausedLastQuarter), count(all.pausedLastQuarter)),
            row("Of them, active again", count(journeys.reengaged), count(all.reengaged)),
            row(
                "Re-engagement after a pause", ReportFormat.percent(journeys.reengagementRate),
                ReportFormat.percent(all.reengagementRate)),
            row("Paused now", count(journeys.pausedNow.total), count(all.pausedNow.total)),
            row(
                "Median length of support so far (days)", ReportFormat.measure(support.lengths.quartiles?.median),
                ReportFormat.measure(network.lengths.quartiles?.median)),
        ]
        if let past = support.lengths.pastMaximum, let allPast = network.lengths.pastMaximum,
            let maximum = input.settings.supportMaxDays
        {
            journeyRows.append(row("Supported longer than the agreed \(count(maximum)) days", count(past), count(allPast)))
        }
        journeyRows.append(
            row(
                "Kept the same worker all quarter", ReportFormat.percent(support.continuity.shareNoChange),
                ReportFormat.percent(network.continuity.shareNoChange)))
        tables.append(DeclaredTable(title: "Journeys and continuity", rows: journeyRows))

        tables.append(
            DeclaredTable(
                title: "Support by type",
                rows: SupportTypes.ordered(network.byType.map(\.type)).map { type in
                    func words(_ figures: SupportTypeFigures?) -> String {
                        guard let figures, figures.people > 0 else { return "none" }
                        return "\(count(figures.people)) people, \(ReportFormat.percent(figures.attendanceRate)) attended"
                    }
                    return row(
                        SupportTypes.label(type), words(support.byType.first { $0.type == type }),
                        words(network.byType.first { $0.type == type }))
                }))

        let groups = input.reference.priorityGroups
        if !groups.isEmpty {
            let reach = support.reach
            tables.append(
                DeclaredTable(
                    title: "Reach into priority groups",
                    rows: groups.map { group in
                        let yours =
                            reach.base == 0
                            ? "not recorded" : "\(count(reach.people(in: group.id))) (\(ReportFormat.percent(reach.share(of: group.id))))"
                        return row(
                            text.text(group.label), yours,
                            "\(count(network.reach.people(in: group.id))) (\(ReportFormat.percent(network.reach.share(of: group.id))))")
                    }))
        }

        if let fund = figures.fund.partners[mine.partnerID] {
            let allFund = figures.fund.network
            tables.append(
                DeclaredTable(
                    title: "Discretionary fund awards",
                    rows: [
                        row("Awards", count(fund.awards), count(allFund.awards)),
                        row(
                            "Amount awarded", ReportFormat.money(fund.total, currency: currency),
                            ReportFormat.money(allFund.total, currency: currency)),
                        row(
                            "Decided by the panel (share of the amount)", ReportFormat.percent(fund.panelShare),
                            ReportFormat.percent(allFund.panelShare)),
                    ]))
        }
        return tables
    }
}
