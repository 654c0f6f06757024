import TableSchema

// MARK: - The shape of support: journeys, lengths, destinations, continuity, types, reach and the fund

extension ImpactReportContext {
    /// The report's sections on the shape of support, from the figures of the quarter (sections without data
    /// are left out, each saying so where a reader would look for it).
    static func shapeSections(_ figures: ReportFigures, input: ReportInput, text: ContextText) -> [ShapeSection] {
        let network = figures.current.network
        let quarter = figures.quarter
        let currency = input.settings.currency
        var sections: [ShapeSection] = []
        func count(_ value: Int) -> String { ReportFormat.count(value) }
        func people(_ value: Int) -> String { value == 1 ? "1 person" : "\(count(value)) people" }
        func share(_ part: Int, _ whole: Int) -> String { ReportFormat.percent(Statistics.ratio(part, whole)) }
        func table(_ columns: [String], numeric: [Bool], _ rows: [[String]]) -> ShapeTable {
            ShapeTable(columns: columns, numeric: numeric, rows: rows.map { DeclaredTable.Row(cells: $0) })
        }

        // Journeys across quarters.
        let journeys = figures.journeys.network
        var journey: [String] = []
        if journeys.pausedLastQuarter > 0 {
            journey.append(
                "Of the \(people(journeys.pausedLastQuarter)) whose support was paused at the end of \(quarter.previous) (at partners with an accepted return in both quarters), \(count(journeys.reengaged)) (\(ReportFormat.percent(journeys.reengagementRate))) are active again, \(count(journeys.stillPaused)) are still paused, \(count(journeys.endedAfterPause)) ended this quarter and \(count(journeys.notInReturn)) are not in this quarter's return."
            )
        } else {
            journey.append("Nobody's support was paused at the end of \(quarter.previous) at a partner that reported in both quarters.")
        }
        journey.append(
            "People who came back after leaving (their support had ended, or they were missing from their partner's previous return): \(count(journeys.cameBack))."
        )
        if let days = journeys.daysToFirstImprovement {
            journey.append(
                "\(people(journeys.improvedPeople)) who started since \(figures.history.first?.quarter.description ?? quarter.description) have improved on a goal (\(count(journeys.firstImprovedThisQuarter)) for the first time this quarter). From the start of support to the end of the quarter of the first improvement took a median of \(ReportFormat.measure(days.median)) days (half of them between \(ReportFormat.measure(days.lower)) and \(ReportFormat.measure(days.upper)) days)."
            )
        }
        let pauses = [
            ["1 quarter", count(journeys.pausesEnded.oneQuarter), count(journeys.pausedNow.oneQuarter)],
            ["2 quarters", count(journeys.pausesEnded.twoQuarters), count(journeys.pausedNow.twoQuarters)],
            ["3 quarters or more", count(journeys.pausesEnded.threeOrMore), count(journeys.pausedNow.threeOrMore)],
            ["All", count(journeys.pausesEnded.total), count(journeys.pausedNow.total)],
        ]
        sections.append(
            ShapeSection(
                title: "Journeys across quarters", paragraphs: journey,
                tables: [
                    table(
                        ["Length of pause", "Pauses that ended in a return to support", "People paused now, so far"],
                        numeric: [false, true, true], pauses)
                ]))

        // Length of support.
        let lengths = network.lengths
        var lengthText: [String] = []
        if let quartiles = lengths.quartiles {
            lengthText.append(
                "Support so far (from the start date to the end date, or to the end of the quarter): median \(ReportFormat.measure(quartiles.median)) days; a quarter of people under \(ReportFormat.measure(quartiles.lower)) days and a quarter over \(ReportFormat.measure(quartiles.upper)) days."
            )
        }
        if let past = lengths.pastMaximum, let maximum = input.settings.supportMaxDays {
            lengthText.append(
                "\(people(past)) (\(share(past, lengths.histogram.reduce(0, +)))) \(past == 1 ? "has" : "have") been supported for longer than the programme's agreed maximum of \(count(maximum)) days."
            )
        }
        sections.append(
            ShapeSection(
                title: "Length of support", paragraphs: lengthText,
                tables: [
                    table(
                        ["Length so far", "People", "Share"], numeric: [false, true, true],
                        zip(LengthDistribution.bands, lengths.histogram).map { band, people in
                            [band.label, count(people), share(people, lengths.histogram.reduce(0, +))]
                        })
                ]))

        // Where transitions lead, and continuity.
        let transitions = network.destinations.reduce(0) { $0 + $1.endings }
        var moving: [String] = [
            transitions == 0
                ? "No support ended in a transition this quarter."
                : "\(people(transitions)) moved on to other support this quarter (a transition ending)."
        ]
        let continuity = network.continuity
        moving.append(
            continuity.recorded == 0
                ? "No return recorded changes of worker."
                : "Of the \(count(continuity.recorded)) people whose changes of worker were recorded, \(count(continuity.noChange)) (\(ReportFormat.percent(continuity.shareNoChange))) kept the same worker all quarter."
        )
        sections.append(
            ShapeSection(
                title: "Where endings lead, and continuity", paragraphs: moving,
                tables: transitions == 0
                    ? []
                    : [
                        table(
                            ["Moved on to", "People", "Share"], numeric: [false, true, true],
                            network.destinations.map {
                                [Destinations.label($0.destination), count($0.endings), share($0.endings, transitions)]
                            })
                    ]))

        // Support by type.
        sections.append(
            ShapeSection(
                title: "Support by type", paragraphs: [],
                tables: [
                    table(
                        ["Main type of support", "People", "Sessions offered", "Sessions attended", "Attendance rate"],
                        numeric: [false, true, true, true, true],
                        network.byType.map {
                            [
                                SupportTypes.label($0.type), count($0.people), count($0.sessionsOffered), count($0.sessionsAttended),
                                ReportFormat.percent($0.attendanceRate),
                            ]
                        })
                ]))

        // Reach into priority groups.
        let groups = input.reference.priorityGroups
        if !groups.isEmpty {
            let reach = network.reach
            let partners = figures.current.partners
            var reachText = [
                reach.base == 0
                    ? "No return this quarter named a priority group."
                    : "Shares are of the \(count(reach.base)) people supported by the \(count(partners.filter { $0.support.reach.base > 0 }.count)) partners that named a priority group for anyone; a person may be in several groups."
            ]
            let silent = partners.filter { $0.support.reach.base == 0 }.map { "\(text.text($0.partnerName)) (\($0.partnerID))" }
            if !silent.isEmpty, reach.base > 0 {
                reachText.append("Partners that named no priority group this quarter: \(silent.joined(separator: ", ")).")
            }
            var tables = [
                table(
                    ["Priority group", "People", "Share"], numeric: [false, true, true],
                    groups.map { [text.text($0.label), count(reach.people(in: $0.id)), ReportFormat.percent(reach.share(of: $0.id))] })
            ]
            let recording = partners.filter { $0.support.reach.base > 0 }
            if !recording.isEmpty {
                tables.append(
                    table(
                        ["Partner"] + groups.map { text.text($0.label) }, numeric: [false] + groups.map { _ in true },
                        recording.map { partner in
                            ["\(text.text(partner.partnerName)) (\(partner.partnerID))"]
                                + groups.map { group in
                                    "\(count(partner.support.reach.people(in: group.id))) (\(ReportFormat.percent(partner.support.reach.share(of: group.id))))"
                                }
                        }))
            }
            sections.append(ShapeSection(title: "Reach into priority groups", paragraphs: reachText, tables: tables))
        }

        // The fund award by award.
        let fund = figures.fund.network
        if fund.awards > 0 {
            let limit = Money(amount: input.settings.coordinatorLimit)
            sections.append(
                ShapeSection(
                    title: "The discretionary fund award by award",
                    paragraphs: [
                        "\(fund.partners == 1 ? "1 partner" : "\(count(fund.partners)) partners") sent \(fund.awards == 1 ? "1 award" : "\(count(fund.awards)) awards") to \(people(fund.people)), \(ReportFormat.money(fund.total, currency: currency)) in all. The panel decided \(ReportFormat.percent(fund.panelShare)) of the amount; a coordinator may award up to \(ReportFormat.money(limit, currency: currency))."
                    ],
                    tables: [
                        table(
                            ["What the awards were for", "Awards", "Amount"], numeric: [false, true, true],
                            fund.byPurpose.map {
                                [FundFigures.label($0.key), count($0.awards), ReportFormat.money($0.total, currency: currency)]
                            }),
                        table(
                            ["Decided by", "Awards", "Amount", "Share of the amount"], numeric: [false, true, true, true],
                            fund.byRoute.map {
                                [
                                    $0.key == "panel" ? "The panel" : $0.key == "coordinator" ? "A coordinator" : Words.fromID($0.key),
                                    count($0.awards), ReportFormat.money($0.total, currency: currency),
                                    ReportFormat.percent(
                                        Statistics.ratio(Double($0.total.minorUnits), Double(fund.total.minorUnits))),
                                ]
                            }),
                    ]))
        }
        return sections
    }
}
