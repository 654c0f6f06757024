import TableSchema

// MARK: - Journeys, lengths, types of support, reach and the fund (the programme's workbook)

extension WorkbookContent {
    /// The programme's sheet of journeys, lengths of support, destinations, types of support, reach into priority
    /// groups and the fund award by award, with exact counts; nil in a funder's workbook, which shows types of
    /// support and reach on sheets of their own (``typesSheet()``, ``reachSheet()``), hidden and audited, and not
    /// journeys, lengths, destinations or the fund, whose relations the disclosure audit does not model.
    func shapeSheet() -> SheetContent? {
        guard scope.funder == nil else { return nil }
        let network = figures.current.network
        let journeys = figures.journeys.network
        func count(_ value: Int) -> Shown { .count(value) }
        func share(_ value: Double?) -> Shown { value.map { .percent($0) } ?? .notApplicable }
        func days(_ value: Double?) -> Shown { value.map { .decimal($0) } ?? .notApplicable }
        let journeyRows: [[Shown]] = [
            [.text("Paused at the end of \(quarter.previous)"), count(journeys.pausedLastQuarter)],
            [.text("Of them, active again"), count(journeys.reengaged)],
            [.text("Of them, still paused"), count(journeys.stillPaused)],
            [.text("Of them, ended this quarter"), count(journeys.endedAfterPause)],
            [.text("Of them, not in this quarter's return"), count(journeys.notInReturn)],
            [.text("Pauses that ended after 1 quarter"), count(journeys.pausesEnded.oneQuarter)],
            [.text("Pauses that ended after 2 quarters"), count(journeys.pausesEnded.twoQuarters)],
            [.text("Pauses that ended after 3 quarters or more"), count(journeys.pausesEnded.threeOrMore)],
            [.text("Paused now"), count(journeys.pausedNow.total)],
            [.text("Came back after leaving"), count(journeys.cameBack)],
            [.text("Improved on a goal since starting"), count(journeys.improvedPeople)],
            [.text("Of them, for the first time this quarter"), count(journeys.firstImprovedThisQuarter)],
            [.text("Median days from start to first improvement"), days(journeys.daysToFirstImprovement?.median)],
            [.text("Kept the same worker all quarter"), count(network.continuity.noChange)],
            [.text("Changes of worker recorded"), count(network.continuity.recorded)],
        ]
        let total = network.lengths.histogram.reduce(0, +)
        var lengthRows = zip(LengthDistribution.bands, network.lengths.histogram).map { band, people -> [Shown] in
            [.text(band.label), count(people), share(Statistics.ratio(people, total))]
        }
        if let past = network.lengths.pastMaximum, let maximum = settings.supportMaxDays {
            lengthRows.append([.text("Longer than the agreed \(maximum) days"), count(past), share(Statistics.ratio(past, total))])
        }
        let transitions = network.destinations.reduce(0) { $0 + $1.endings }
        let destinationRows = network.destinations.map { item -> [Shown] in
            [.text(Destinations.label(item.destination)), count(item.endings), share(Statistics.ratio(item.endings, transitions))]
        }
        let groups = input.reference.priorityGroups
        let reachRows = figures.current.partners.map { partner -> [Shown] in
            [.text(partner.partnerID), .text(partner.partnerName), count(partner.support.reach.base)]
                + groups.map { count(partner.support.reach.people(in: $0.id)) }
        }
        let fund = figures.fund.network
        var tables = [
            SheetTable(
                name: "Journeys", heading: "Journeys across quarters",
                columns: [ColumnSpec(header: "Figure", width: 46), ColumnSpec(header: "People", width: 12)], rows: journeyRows),
            SheetTable(
                name: "LengthBands", heading: "Length of support so far",
                columns: [
                    ColumnSpec(header: "Length", width: 30), ColumnSpec(header: "People", width: 10),
                    ColumnSpec(header: Units.percent("Share"), width: 10),
                ], rows: lengthRows),
            SheetTable(
                name: "Destinations", heading: "Where transitions lead",
                columns: [
                    ColumnSpec(header: "Moved on to", width: 34), ColumnSpec(header: "People", width: 10),
                    ColumnSpec(header: Units.percent("Share"), width: 10),
                ], rows: destinationRows),
            typesTable(name: "SupportTypes", heading: "Support by type", network),
        ]
        if !groups.isEmpty {
            tables.append(
                SheetTable(
                    name: "PriorityGroups", heading: "Reach into priority groups, by partner",
                    columns: [
                        ColumnSpec(header: "Partner ID", width: 11), ColumnSpec(header: "Partner", width: 30),
                        ColumnSpec(header: "People of partners naming groups", width: 14),
                    ] + groups.map { ColumnSpec(header: $0.label, width: 14) }, rows: reachRows,
                    total: reachRows.isEmpty
                        ? nil
                        : [.text("Total"), .text("All partners"), count(network.reach.base)]
                            + groups.map { count(network.reach.people(in: $0.id)) }))
        }
        if fund.awards > 0 {
            tables += [
                fundTable(name: "FundPurposes", heading: "Discretionary fund awards by purpose", byPurpose: true, fund),
                fundTable(name: "FundRoutes", heading: "Discretionary fund awards by who decided them", byPurpose: false, fund),
            ]
        }
        return SheetContent(
            name: "Journeys and reach",
            lines: [
                .title("Journeys, lengths of support, reach and the fund, \(quarter)"),
                .body(
                    "Exact counts for the programme team (funders' workbooks do not hold them). Journeys follow each person at their partner across the quarters of the history; docs/metrics.md defines every figure. \(Markers.notApplicable) where a figure does not apply."
                ),
            ], tables: tables, about: "journeys across quarters, lengths of support, types of support, reach and the fund award by award")
    }

    /// A funder's sheet of people in each of the programme's priority groups, per partner and for its partners in
    /// all: counts of people, hidden like every count (a group is at most the people supported, which the
    /// disclosure audit knows). Nil in the programme's workbook (its Journeys and reach sheet has them) and when the
    /// programme has no priority groups.
    func reachSheet() -> SheetContent? {
        let groups = input.reference.priorityGroups
        guard scope.funder != nil, !groups.isEmpty, !reporting.isEmpty else { return nil }
        let rows = reporting.map { partner -> [Shown] in
            let reach = partner.support.reach
            return [.text(partner.partnerID), .text(partner.partnerName)]
                + groups.map { reach.base == 0 ? .notApplicable : .count(reach.people(in: $0.id)) }
        }
        // The totals and shares are over the partners that recorded any group (the others have none in any).
        let naming = reporting.filter { $0.support.reach.base > 0 }
        let base = naming.reduce(0) { $0 + $1.support.peopleSupported }
        let people = groups.map { group in naming.reduce(0) { $0 + $1.support.reach.people(in: group.id) } }
        var tables = [
            SheetTable(
                name: WorkbookClaims.reach, heading: "People in each group, by partner",
                columns: [ColumnSpec(header: WorkbookClaims.partnerID, width: 11), ColumnSpec(header: "Partner", width: 30)]
                    + groups.map { ColumnSpec(header: $0.label, width: 14) }, rows: rows,
                total: [.text("Total"), .text("Partners that recorded groups")] + people.map { .count($0) })
        ]
        if !naming.isEmpty {
            tables.append(
                SheetTable(
                    name: WorkbookClaims.reachShares, heading: "Each group's share of the people supported",
                    columns: [
                        ColumnSpec(header: WorkbookClaims.priorityGroup, width: 40), ColumnSpec(header: WorkbookClaims.people, width: 10),
                        ColumnSpec(header: Units.percent(WorkbookClaims.shareOfPeople), width: 16),
                    ],
                    rows: zip(groups, people).map { group, count in
                        [.text(group.label), .count(count), Statistics.ratio(count, base).map { .percent($0) } ?? .notApplicable]
                    }))
        }
        return SheetContent(
            name: "Reach",
            lines: [
                .title("Reach into priority groups, \(quarter)"),
                .body(
                    "People supported who belong to each of the programme's priority groups, by partner. A person may belong to several groups. \(Markers.notApplicable) where a partner recorded no priority group this quarter; \(Markers.confidential) where a count or share is hidden to protect the people counted. Totals and shares are over the partners that recorded groups: \(naming.count) of \(reporting.count), with \(WorkbookBuilder.grouped(base)) people supported."
                ),
            ], tables: tables, about: "people in each of the programme's priority groups, by partner, and each group's share")
    }

    /// A funder's sheet of people, sessions and attendance by main type of support, over its partners. The rows
    /// are every type the workbook's partners recorded this quarter and each person has one main type, so the
    /// types add up to the people supported, partner by partner: the workbook states that to the disclosure audit
    /// (``Claim/partition``), which hides counts until no hidden one can be worked out from it. Nil in the
    /// programme's workbook (its Journeys and reach sheet has them).
    ///
    /// Counts by type per partner are not shown: most are small enough to hide, and each would add unknowns that
    /// every hidden count's audit must search (a 24-partner programme's audit took 25 times as long).
    func typesSheet() -> SheetContent? {
        guard scope.funder != nil, !reporting.isEmpty else { return nil }
        let network = figures.current.network
        guard !network.byType.isEmpty else { return nil }
        return SheetContent(
            name: "Support by type",
            lines: [
                .title("Support by type, \(quarter)"),
                .body(
                    "People supported by their main type of support, and the sessions offered and attended, over the partners in this workbook with an accepted return. Each person is counted under one type, so the types add up to the people supported; types none of these partners recorded this quarter are not shown. \(Markers.confidential) where a figure is hidden to protect the people counted."
                ),
            ],
            tables: [
                typesTable(name: WorkbookClaims.typeSessions, heading: nil, network)
            ], about: "people, sessions and attendance by main type of support")
    }

    /// A funder's sheet of the discretionary fund's awards by purpose and by who decided them, over its partners:
    /// counts of awards hidden like counts of people, amounts with them. The rows are every purpose and route the
    /// partners used, and each award has one of each, so purposes and routes each add up to the awards: the
    /// workbook states both to the disclosure audit (``Claim/partition``). Nil in the programme's workbook and when
    /// the partners made no award.
    func fundSheet() -> SheetContent? {
        let fund = figures.fund.network
        guard scope.funder != nil, fund.awards > 0 else { return nil }
        return SheetContent(
            name: "Fund",
            lines: [
                .title("The discretionary fund award by award, \(quarter)"),
                .body(
                    "Awards from the programme's discretionary fund recorded by the partners in this workbook that send their awards (\(fund.partners) of \(reporting.count)), by purpose and by who decided them. A coordinator may award up to \(Units.currencySymbol(settings.currency))\(WorkbookBuilder.grouped(Int(settings.coordinatorLimit.rounded()))); larger awards are the panel's. \(Markers.confidential) where a figure is hidden to protect the people counted."
                ),
            ],
            tables: [
                fundTable(name: WorkbookClaims.fundByPurpose, heading: "Awards by purpose", byPurpose: true, fund),
                fundTable(name: WorkbookClaims.fundByRoute, heading: "Awards by who decided them", byPurpose: false, fund),
            ], about: "awards from the discretionary fund by purpose and by who decided them")
    }

    // MARK: - Tables the programme's sheet and a funder's share

    /// People, sessions and attendance by main type of support (in the order of ``SupportTypes``), with the total.
    func typesTable(name: String, heading: String?, _ network: SupportFigures) -> SheetTable {
        func rate(_ value: Double?) -> Shown { value.map { .percent($0) } ?? .notApplicable }
        return SheetTable(
            name: name, heading: heading,
            columns: [
                ColumnSpec(header: WorkbookClaims.supportType, width: 24), ColumnSpec(header: WorkbookClaims.people, width: 10),
                ColumnSpec(header: "Sessions offered", width: 11), ColumnSpec(header: "Sessions attended", width: 11),
                ColumnSpec(header: Units.percent("Attendance rate"), width: 11),
            ],
            rows: network.byType.map { type in
                [
                    .text(SupportTypes.label(type.type)), .count(type.people), .count(type.sessionsOffered),
                    .count(type.sessionsAttended), rate(type.attendanceRate),
                ]
            },
            total: network.byType.isEmpty
                ? nil
                : [
                    .text("Total"), .count(network.peopleSupported), .count(network.sessionsOffered), .count(network.sessionsAttended),
                    rate(network.attendanceRate),
                ])
    }

    /// The fund's awards and amounts by purpose or by who decided them, with the total.
    func fundTable(name: String, heading: String, byPurpose: Bool, _ fund: FundFigures) -> SheetTable {
        let first = byPurpose ? "Purpose" : "Decided by"
        let rows = (byPurpose ? fund.byPurpose : fund.byRoute).map { count -> [Shown] in
            [.text(byPurpose ? FundFigures.label(count.key) : Words.fromID(count.key)), .count(count.awards), .money(count.total.amount)]
        }
        return SheetTable(
            name: name, heading: heading,
            columns: [
                ColumnSpec(header: first, width: 20), ColumnSpec(header: WorkbookClaims.awards, width: 10),
                ColumnSpec(header: Units.money(WorkbookClaims.amount, settings), width: 14),
            ], rows: rows, total: [.text("Total"), .count(fund.awards), .money(fund.total.amount)])
    }
}
