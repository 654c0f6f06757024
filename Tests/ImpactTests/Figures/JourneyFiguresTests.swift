import TableSchema
import Testing

@testable import Impact

/// Journeys, the shape of support, reach and the fund award by award, pinned on a small hand-made history: one
/// partner (P001) over 2025-Q4 to 2026-Q2, and P002 in 2026-Q2 only. The expected values are worked out by hand in
/// the comments.
@Suite("Journeys, shape of support, reach and awards")
struct JourneyFiguresTests {
    typealias F = FiguresFixture
    static let q4 = F.q4
    static let q1 = F.q1
    static let q2 = F.q2

    static func row(
        _ quarter: Quarter, _ ref: String, _ status: String, start: String, end: String? = nil, ending: String? = nil,
        offered: Int = 2, attended: Int = 1, type: String = "counselling", workers: Int? = nil, groups: [String] = [],
        to destination: String? = nil, partner: String = "P001"
    ) -> SupportRecord {
        var record = F.support(
            partner, quarter, ref, status, start: start, end: end, ending: ending, offered: offered, attended: attended, type: type)
        record.workerChanges = workers
        record.priorityGroups = groups
        record.transitionTo = destination
        return record
    }

    static func accepted(
        _ partner: String, _ quarter: Quarter, _ support: [SupportRecord], _ outcomes: [OutcomeRecord] = []
    )
        -> AcceptedReturn
    {
        AcceptedReturn(
            partnerID: partner, quarter: quarter, receivedOn: Int32(quarter.lastDay + 10), onTime: true, isResubmission: false,
            support: support, outcomes: outcomes, ripple: [], narrative: nil)
    }

    static var input: ReportInput {
        // 2025-Q4: A and B paused, C improves (3 → 5), D active, E ended.
        let q4 = accepted(
            "P001", Self.q4,
            [
                row(Self.q4, "A-1", "paused", start: "2025-10-10"), row(Self.q4, "B-1", "paused", start: "2025-06-01"),
                row(Self.q4, "C-1", "active", start: "2025-10-01"), row(Self.q4, "D-1", "active", start: "2025-11-01"),
                row(Self.q4, "E-1", "ended", start: "2025-02-01", end: "2025-12-01", ending: "planned"),
            ], [F.outcome("P001", Self.q4, "C-1", "OG01", 3, 5)])
        // 2026-Q1: A still paused, B back, D paused, E gone, F starts and improves (1 → 4).
        let q1 = accepted(
            "P001", Self.q1,
            [
                row(Self.q1, "A-1", "paused", start: "2025-10-10"), row(Self.q1, "B-1", "active", start: "2025-06-01"),
                row(Self.q1, "C-1", "active", start: "2025-10-01"), row(Self.q1, "D-1", "paused", start: "2025-11-01"),
                row(Self.q1, "F-1", "active", start: "2026-02-01"),
            ], [F.outcome("P001", Self.q1, "C-1", "OG01", 3, 5), F.outcome("P001", Self.q1, "F-1", "OG02", 1, 4)])
        // 2026-Q2: A back after two paused quarters and improves (2 → 5), C moves on to a community group, D ends,
        // E comes back with a new start, F pauses, G starts.
        var q2 = accepted(
            "P001", Self.q2,
            [
                row(Self.q2, "A-1", "active", start: "2025-10-10", offered: 4, attended: 3, workers: 0, groups: ["lone_parent"]),
                row(
                    Self.q2, "B-1", "active", start: "2025-06-01", offered: 6, attended: 6, workers: 0,
                    groups: ["lone_parent", "disability"]),
                row(
                    Self.q2, "C-1", "ended", start: "2025-10-01", end: "2026-05-01", ending: "transition", offered: 2, attended: 2,
                    type: "advocacy", workers: 1, to: "community_group"),
                row(
                    Self.q2, "D-1", "ended", start: "2025-11-01", end: "2026-05-15", ending: "unplanned", offered: 3, attended: 0,
                    type: "advocacy"),
                row(Self.q2, "E-1", "active", start: "2026-04-10", offered: 5, attended: 4, workers: 0),
                row(Self.q2, "F-1", "paused", start: "2026-02-01", offered: 1, attended: 0, type: "peer_support", workers: 0),
                row(Self.q2, "G-1", "active", start: "2026-05-01", offered: 4, attended: 2, workers: 1, groups: ["child_under_1"]),
            ],
            [
                F.outcome("P001", Self.q2, "A-1", "OG01", 2, 5), F.outcome("P001", Self.q2, "C-1", "OG01", 3, 5),
                F.outcome("P001", Self.q2, "F-1", "OG02", 1, 4),
            ])
        q2.tables = [
            TableRecords(
                table: "awards",
                fields: [
                    "partner_id", "quarter", "award_id", "person_ref", "date", "amount", "purpose", "decided_by", "panel_approval_ref",
                ],
                rows: [
                    ["P001", "2026-Q2", "A1", "A-1", "2026-04-10", "600", "utilities", "coordinator", nil],
                    ["P001", "2026-Q2", "A2", "A-1", "2026-05-20", "600", "travel", "coordinator", nil],
                    ["P001", "2026-Q2", "A3", "B-1", "2026-05-01", "1100", "housing", "panel", "PA-1234"],
                ])
        ]
        // P002 reports in 2026-Q2 only, naming no priority group.
        let other = accepted(
            "P002", Self.q2,
            [
                row(Self.q2, "X-1", "active", start: "2026-04-01", partner: "P002"),
                row(Self.q2, "X-2", "active", start: "2026-04-02", partner: "P002"),
            ])
        var settings = F.settings
        settings.supportMaxDays = 365
        var reference = F.reference
        reference.priorityGroups = [
            PriorityGroup(id: "lone_parent", label: "Lone parents or carers"),
            PriorityGroup(id: "disability", label: "A disabled adult or child"),
            PriorityGroup(id: "child_under_1", label: "A child under 1"),
        ]
        return ReportInput(
            settings: settings, reference: reference, quarter: Self.q2, history: [Self.q4: [q4], Self.q1: [q1], Self.q2: [q2, other]],
            submissions: [], generatedOn: "2026-08-10")
    }

    static var figures: ReportFigures {
        let input = input
        return FigureCalculator(settings: input.settings, reference: input.reference).figures(for: input)
    }

    @Test("Re-engagement after a pause, pause lengths, coming back, and the first improvement")
    func journeys() throws {
        let journeys = try #require(Self.figures.journeys.partners["P001"])
        // Paused at the end of 2026-Q1: A and D. A is active again, D ended.
        #expect(journeys.pausedLastQuarter == 2)
        #expect(journeys.reengaged == 1)
        #expect(journeys.endedAfterPause == 1)
        #expect(journeys.stillPaused == 0 && journeys.notInReturn == 0)
        #expect(journeys.reengagementRate == 0.5)
        // A was paused in 2025-Q4 and 2026-Q1: a pause of two quarters. F has been paused one quarter.
        #expect(journeys.pausesEnded == PauseLengths(oneQuarter: 0, twoQuarters: 1, threeOrMore: 0))
        #expect(journeys.pausedNow == PauseLengths(oneQuarter: 1, twoQuarters: 0, threeOrMore: 0))
        // E ended in 2025-Q4 and is back.
        #expect(journeys.cameBack == 1)
        // First improvements: C in 2025-Q4 (91 days from 2025-10-01), F in 2026-Q1 (58 days from 2026-02-01), A in
        // 2026-Q2 (263 days from 2025-10-10).
        #expect(journeys.improvedPeople == 3)
        #expect(journeys.firstImprovedThisQuarter == 1)
        #expect(journeys.daysToFirstImprovement == Quartiles([58, 91, 263]))
        #expect(journeys.daysToFirstImprovement?.median == 91)
        #expect(journeys.daysToFirstImprovement?.lower == 58 && journeys.daysToFirstImprovement?.upper == 263)
        // The network adds P002, which has no history.
        #expect(Self.figures.journeys.network.pausedLastQuarter == 2)
        #expect(Self.figures.journeys.network.improvedPeople == 3)
    }

    @Test("Length of support as quartiles and bands, with the people past the agreed maximum")
    func lengths() throws {
        let support = try #require(Self.figures.current.partner("P001")).support
        // Days so far: G 60, E 81, F 149, D 195, C 212, A 263, B 394.
        #expect(support.lengths.quartiles == Quartiles(lower: 81, median: 195, upper: 263))
        #expect(support.lengths.histogram == [2, 1, 3, 1, 0])
        #expect(support.lengths.pastMaximum == 1)
    }

    @Test("Support by type, where transitions lead, and continuity of workers")
    func shape() throws {
        let support = try #require(Self.figures.current.partner("P001")).support
        #expect(support.byType.map(\.type) == ["counselling", "peer_support", "advocacy"])
        let counselling = try #require(support.byType.first)
        // A, B, E, G: offered 4 + 6 + 5 + 4, attended 3 + 6 + 4 + 2.
        #expect(counselling.people == 4 && counselling.sessionsOffered == 19 && counselling.sessionsAttended == 15)
        #expect(counselling.attendanceRate == 15.0 / 19.0)
        #expect(support.byType.last?.people == 2 && support.byType.last?.sessionsAttended == 2)
        #expect(support.destinations == [DestinationCount(destination: "community_group", endings: 1)])
        // Recorded for six people; four kept their worker.
        #expect(support.continuity.recorded == 6 && support.continuity.noChange == 4)
    }

    @Test("Reach into priority groups: shares of the people of partners that name any")
    func reach() throws {
        let figures = Self.figures
        let mine = try #require(figures.current.partner("P001")).support.reach
        #expect(mine.base == 7)
        #expect(mine.people(in: "lone_parent") == 2 && mine.people(in: "disability") == 1 && mine.people(in: "child_under_1") == 1)
        #expect(mine.share(of: "lone_parent") == 2.0 / 7.0)
        // P002 names no group: not in the base.
        #expect(try #require(figures.current.partner("P002")).support.reach.base == 0)
        #expect(figures.current.network.reach.base == 7)
        #expect(figures.current.network.peopleSupported == 9)
    }

    @Test("The fund award by award: by purpose, by route, and the panel's share")
    func awards() throws {
        let fund = Self.figures.fund
        let mine = try #require(fund.partners["P001"])
        #expect(mine.awards == 3 && mine.people == 2 && mine.total == Money(amount: 2300))
        #expect(mine.byPurpose.map(\.key) == ["housing", "utilities", "travel"])
        #expect(
            mine.byRoute == [
                AwardCount(key: "coordinator", awards: 2, total: Money(amount: 1200)),
                AwardCount(key: "panel", awards: 1, total: Money(amount: 1100)),
            ])
        #expect(mine.panelShare == 1100.0 / 2300.0)
        #expect(fund.partners["P002"] == nil)
        #expect(fund.network.partners == 1 && fund.network.awards == 3)
    }

    @Test("The figures from digests equal the figures from rows")
    func digests() throws {
        let input = Self.input
        var digested = input
        for (quarter, returns) in input.history where quarter < Self.q2 {
            digested.history[quarter] = returns.map { value in
                var copy = value
                copy.digest = ReturnDigest(of: value, limit: Money(amount: 1000))
                copy.support = []
                copy.outcomes = []
                return copy
            }
        }
        let calculator = FigureCalculator(settings: input.settings, reference: input.reference)
        #expect(calculator.figures(for: digested).journeys == calculator.figures(for: input).journeys)
    }

    @Test("The report and a partner's feedback show the new sections")
    func outputs() throws {
        let input = Self.input
        let figures = Self.figures
        let report = try ReportRenderer(templates: .embedded()).impactReport(input, figures: figures)
        #expect(report.contains("## Journeys across quarters"))
        #expect(report.contains("Of the 2 people whose support was paused at the end of 2026-Q1"))
        #expect(report.contains("1 person (11%) has been supported for longer than the programme's agreed maximum of 365 days."))
        #expect(report.contains("| Lone parents or carers | 2 | 29% |"))
        #expect(report.contains("| The panel | 1 | £1,100.00 | 48% |"))
        #expect(report.contains("| Counselling | 6 | 23 | 17 | 74% |"))
        #expect(report.contains("1 partner sent 3 awards to 2 people, £2,300.00 in all."))
        let feedback = try ReportRenderer(templates: .embedded()).feedback(
            for: PartnerSubmission(
                partnerID: "P001", partnerName: "Bothy Light Counselling", isExpected: true, status: .accepted, receivedOn: nil,
                onTime: true, isResubmission: false, errorCount: 0, warningCount: 0, files: [], returns: []),
            input: input, figures: figures)
        #expect(feedback.contains("### Reach into priority groups in 2026-Q2"))
        #expect(feedback.contains("| Lone parents or carers | 2 (29%) | 2 (29%) |"))
        #expect(feedback.contains("| Re-engagement after a pause | 50% | 50% |"))
    }

    @Test("The programme's workbook has the journeys and reach sheet with exact counts; a funder's does not")
    func workbooks() throws {
        let input = Self.input
        let programme = WorkbookContent(input: input, scope: .programme, provenance: WorkbookProvenance()).sheets()
        let sheet = try #require(programme.first { $0.name == "Journeys and reach" })
        let journeys = try #require(sheet.tables.first { $0.name == "Journeys" })
        #expect(journeys.rows.first == [.text("Paused at the end of 2026-Q1"), .count(2)])
        let groups = try #require(sheet.tables.first { $0.name == "PriorityGroups" })
        #expect(groups.rows.first?.suffix(3) == [.count(2), .count(1), .count(1)])
        #expect(groups.total?[2] == .count(7))
        let routes = try #require(sheet.tables.first { $0.name == "FundRoutes" })
        #expect(routes.rows.map { $0.last } == [.money(1200), .money(1100)])
        let funder = try #require(input.reference.funders.first)
        let funderSheets = WorkbookContent(
            input: input, scope: .funder(funder, partnerIDs: ["P001", "P002"]), provenance: WorkbookProvenance()
        ).sheets()
        #expect(!funderSheets.contains { $0.name == "Journeys and reach" })
        // A funder sees people in each priority group per partner, [z] where a partner recorded none, and the total.
        let reach = try #require(funderSheets.first { $0.name == "Reach" }?.tables.first)
        #expect(reach.name == WorkbookClaims.reach)
        #expect(
            reach.rows.map { Array($0.dropFirst(2)) } == [
                [.count(2), .count(1), .count(1)], [.notApplicable, .notApplicable, .notApplicable],
            ])
        #expect(reach.total.map { Array($0.dropFirst(2)) } == [.count(2), .count(1), .count(1)])
        // Shares are over the partners that recorded groups: P001's 7 people (P002 named none).
        let shares = try #require(funderSheets.first { $0.name == "Reach" }?.tables.first { $0.name == WorkbookClaims.reachShares })
        #expect(shares.rows.map { $0[1] } == [.count(2), .count(1), .count(1)])
        let expected: [Shown] = [.percent(2.0 / 7), .percent(1.0 / 7), .percent(1.0 / 7)]
        #expect(shares.rows.map { $0[2] } == expected)
        // Support by type, over both partners: counselling A, B, E, G and; advocacy C, D; peer support F.
        let types = try #require(funderSheets.first { $0.name == "Support by type" }?.tables.first)
        #expect(types.name == WorkbookClaims.typeSessions)
        #expect(types.rows.map { $0[0] } == [.text("Counselling"), .text("Peer support"), .text("Advocacy")])
        #expect(types.rows.map { $0[1] } == [.count(6), .count(1), .count(2)])
        // Sessions: counselling 4 + 6 + 5 + 4 + 2 + 2 offered, 3 + 6 + 4 + 2 + 1 + 1 attended.
        #expect(types.rows[0][2] == .count(23) && types.rows[0][3] == .count(17))
        #expect(types.total?[1] == .count(9))
    }

    @Test("What a funder's types and reach shares state to the disclosure audit")
    func funderClaims() throws {
        let input = Self.input
        let funder = try #require(input.reference.funders.first)
        let sheets = WorkbookContent(
            input: input, scope: .funder(funder, partnerIDs: ["P001", "P002"]), provenance: WorkbookProvenance()
        ).sheets()
        let publication = try WorkbookClaims.publication(workbook: "F.xlsx", tables: sheets.flatMap { $0.auditTables() })
        let claims = publication.statements.map(\.claim)
        let both = ["P001", "P002"]
        // Each partner's types add up to its people supported.
        #expect(
            claims.contains(
                .partition(
                    quarter: Self.q2, whole: .peopleSupported,
                    parts: [.supportType("Counselling"), .supportType("Peer support"), .supportType("Advocacy")], partners: both)))
        #expect(claims.contains(.count(FigureKey(quarter: Self.q2, measure: .supportType("Advocacy"), partners: both), .exact(2))))
        // A group's share is over the partners that recorded groups, and so are the Reach total and the shares'
        // People: P001's row, the total and the shares table all state the same count.
        let group = FigureKey(quarter: Self.q2, measure: .priorityGroup("Lone parents or carers"), partners: ["P001"])
        let base = FigureKey(quarter: Self.q2, measure: .peopleSupported, partners: ["P001"])
        #expect(claims.contains(.share(numerator: group, denominator: base, value: 2.0 / 7)))
        #expect(claims.filter { $0 == .count(group, .exact(2)) }.count == 3)
        // The fund: three awards, one each for utilities, travel and housing; two by the coordinator, one by the panel.
        #expect(claims.contains(.count(FigureKey(quarter: Self.q2, measure: .awards, partners: both), .exact(3))))
        #expect(
            claims.contains(
                .partition(
                    quarter: Self.q2, whole: .awards, parts: [.awardRoute("Coordinator"), .awardRoute("Panel")], partners: both)))
        #expect(
            claims.contains(.count(FigureKey(quarter: Self.q2, measure: .awardPurpose("Housing"), partners: both), .exact(1))))
        let fund = try #require(sheets.first { $0.name == "Fund" })
        #expect(fund.tables.map(\.name) == [WorkbookClaims.fundByPurpose, WorkbookClaims.fundByRoute])
        #expect(fund.tables[1].rows.map { $0.last } == [.money(1200), .money(1100)])
    }
}
