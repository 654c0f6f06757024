import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The figures of ``FiguresFixture``, checked against values worked out by hand from its rows.
@Suite struct FiguresTests {
    static let figures = FigureCalculator(settings: FiguresFixture.settings, reference: FiguresFixture.reference)
        .figures(for: FiguresFixture.input)

    static func close(_ value: Double?, _ expected: Double, tolerance: Double = 1e-9) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < tolerance
    }

    // MARK: - Support

    @Test("Per-partner support figures of P001")
    func partnerSupport() throws {
        let p001 = try #require(Self.figures.current.partner("P001")).support
        // Four distinct refs: K7QM-2041, B8PW-8267, C3XY-1111, D4ZZ-2222.
        #expect(p001.peopleSupported == 4)
        // Starts within 2026-04-01...2026-06-30: B8PW-8267 (04-15), D4ZZ-2222 (05-01).
        #expect(p001.newStarts == 2)
        #expect(p001.status == StatusCounts(active: 2, paused: 1, ended: 1))
        #expect(p001.endings == EndingCounts(planned: 1, unplanned: 0, transition: 0))
        // Lengths: 01-10→06-30 = 21+28+31+30+31+30 = 171; 04-15→06-30 = 15+31+30 = 76;
        // 2025-10-01→2026-05-31 = 31+30+31+31+28+31+30+30 = 242; 05-01→06-30 = 30+30 = 60.
        // Sorted 60, 76, 171, 242: median (76 + 171) / 2 = 123.5.
        #expect(p001.medianLengthDays == 123.5)
        // Rows with both: 8/10, 3/6, 4/4 → 15 / 20 (D4ZZ-2222 gives neither).
        #expect(p001.sessionsOffered == 20)
        #expect(p001.sessionsAttended == 15)
        #expect(Self.close(p001.attendanceRate, 0.75))
        // 1200.50 + 50 + 1500 = 2750.50; above 1000: 1200.50 (PA-1234) and 1500 (no ref).
        #expect(p001.discretionary.total == Money(minorUnits: 275_050))
        #expect(p001.discretionary.spends == 3)
        #expect(p001.discretionary.aboveLimitCount == 2)
        #expect(p001.discretionary.aboveLimitTotal == Money(minorUnits: 270_050))
        #expect(p001.discretionary.aboveLimitApproved == 1)
        #expect(p001.discretionary.aboveLimitUnapproved == 1)
    }

    @Test("Network support figures sum and pool the partners")
    func networkSupport() {
        let network = Self.figures.current.network
        // 4 (P001) + 3 (P002).
        #expect(network.peopleSupported == 7)
        // P001: 2; P002: G7CC-5555 (06-01).
        #expect(network.newStarts == 3)
        #expect(network.status == StatusCounts(active: 3, paused: 1, ended: 3))
        #expect(network.endings == EndingCounts(planned: 1, unplanned: 1, transition: 1))
        // P002 lengths: 02-01→06-30 = 149, 03-01→06-15 = 106, 06-01→06-20 = 19.
        // All seven sorted: 19, 60, 76, 106, 149, 171, 242 → 106.
        #expect(network.medianLengthDays == 106)
        // (15 + 6 + 2 + 2) / (20 + 12 + 8 + 2) = 25 / 42.
        #expect(Self.close(network.attendanceRate, 25.0 / 42.0))
        // 2750.50 + 200 + 1000 (at the limit, not above it).
        #expect(network.discretionary.total == Money(minorUnits: 395_050))
        #expect(network.discretionary.spends == 5)
        #expect(network.discretionary.aboveLimitCount == 2)
        #expect(network.discretionary.aboveLimitApproved == 1)
    }

    // MARK: - Outcome goals

    @Test("Outcome goals for the network and per partner, against their targets")
    func goals() throws {
        let current = Self.figures.current
        let og01 = try #require(current.goal("OG01"))
        // Changes +3, +1, +2 (P001) and +3 (P002): mean 9 / 4; improved by ≥ 2: three of four.
        #expect(og01.people == 4)
        #expect(Self.close(og01.meanChange, 2.25))
        #expect(og01.improved == 3)
        #expect(Self.close(og01.shareImproved, 0.75))
        #expect(og01.targetMet == true)  // 75% ≥ 60%
        let og02 = try #require(current.goal("OG02"))
        // Changes 0 (P001), +3 and 0 (P002): mean 1; improved one of three.
        #expect(og02.people == 3)
        #expect(Self.close(og02.meanChange, 1))
        #expect(og02.improved == 1)
        #expect(Self.close(og02.shareImproved, 1.0 / 3.0))
        #expect(og02.targetMet == false)  // 33% < 50%
        let p001 = try #require(current.partner("P001"))
        #expect(p001.goal("OG01")?.people == 3)
        #expect(Self.close(p001.goal("OG01")?.shareImproved, 2.0 / 3.0))
        #expect(p001.goal("OG02")?.targetMet == false)
        let p002 = try #require(current.partner("P002"))
        #expect(Self.close(p002.goal("OG02")?.shareImproved, 0.5))
        #expect(p002.goal("OG02")?.targetMet == true)  // 50% ≥ 50%
    }

    @Test("A goal nobody works towards has no data, never NaN")
    func emptyGoal() {
        let calculator = FigureCalculator(settings: FiguresFixture.settings, reference: FiguresFixture.reference)
        let goals = calculator.goals([])
        #expect(goals.count == 2)
        for goal in goals {
            #expect(goal.people == 0)
            #expect(goal.meanChange == nil)
            #expect(goal.shareImproved == nil)
            #expect(goal.targetMet == nil)
        }
        let support = calculator.support([], quarter: FiguresFixture.q2)
        #expect(support.attendanceRate == nil)
        #expect(support.medianLengthDays == nil)
        let offeredNone = calculator.support(
            [FiguresFixture.support("P001", FiguresFixture.q2, "AAAA-0001", "active", start: nil, offered: 0, attended: 0)],
            quarter: FiguresFixture.q2)
        #expect(offeredNone.attendanceRate == nil)
    }

    // MARK: - Ripple effects

    @Test("Ripple effects: counts by theme, quotes only with consent")
    func ripple() {
        let ripple = Self.figures.current.ripple
        #expect(ripple.notes == 4)
        #expect(ripple.consented == 3)
        #expect(ripple.themes.map(\.theme) == RippleThemes.known.map(\.theme))
        let counts = Dictionary(uniqueKeysWithValues: ripple.themes.map { ($0.theme, "\($0.notes)/\($0.consented)") })
        #expect(counts["housing"] == "1/0")
        #expect(counts["family_relationships"] == "1/1")
        #expect(counts["community_connections"] == "1/1")
        #expect(counts["education_employment"] == "0/0")
        #expect(ripple.quotes.map(\.noteID) == ["N1", "N3", "R1"])
        #expect(!ripple.quotes.contains { $0.text == FiguresFixture.nonConsentedNote })
    }

    // MARK: - Completeness and timeliness

    @Test("Completeness and timeliness, DHIS2 style")
    func submissions() throws {
        let submitted = Self.figures.submissions
        // P001–P004 are active on a day of 2026-Q2 (P004 from 05-01); P005 ended 2025-12-31.
        #expect(submitted.partners.map(\.partnerID) == ["P001", "P002", "P003", "P004"])
        #expect(submitted.expected == 4)
        #expect(submitted.received == 3)
        #expect(submitted.accepted == 2)
        #expect(submitted.rejected == 1)
        #expect(submitted.missing == 1)
        // Due 2026-06-30 + 30 = 2026-07-30: P001 (07-20) and P004 (07-28) on time, P002 (08-05) late.
        #expect(submitted.dueOn == Int(FiguresFixture.day("2026-07-30")))
        #expect(submitted.onTime == 2)
        #expect(submitted.late == 1)
        #expect(submitted.resubmissions == 1)
        #expect(submitted.superseded == 1)
        #expect(Self.close(submitted.completeness, 0.75))  // 3 / 4
        #expect(Self.close(submitted.timeliness, 0.5))  // 2 / 4
        let p004 = try #require(submitted.partners.first { $0.partnerID == "P004" })
        #expect(p004.status == .rejected)
        #expect(p004.errorCount == 3)
        #expect(p004.files == ["returns/2026-Q2/p004-support.csv", "returns/2026-Q2/p004-outcomes.csv"])
        let p002 = try #require(submitted.partners.first { $0.partnerID == "P002" })
        #expect(p002.returns.map(\.verdict) == [.superseded, .accepted])
    }

    @Test("On time is worked out from the received date when the store gives no verdict")
    func onTimeFromDate() {
        let calculator = FigureCalculator(settings: FiguresFixture.settings, reference: FiguresFixture.reference)
        let onDueDay = SubmissionSummary(
            partnerID: "P001", quarter: FiguresFixture.q2, verdict: .rejected, receivedOn: FiguresFixture.day("2026-07-30"),
            onTime: nil,
            isResubmission: false, files: [], findings: [])
        var dayAfter = onDueDay
        dayAfter.partnerID = "P002"
        dayAfter.receivedOn = FiguresFixture.day("2026-07-31")
        let figures = calculator.submissions(quarter: FiguresFixture.q2, accepted: [], submissions: [onDueDay, dayAfter])
        #expect(figures.partners.first { $0.partnerID == "P001" }?.onTime == true)
        #expect(figures.partners.first { $0.partnerID == "P002" }?.onTime == false)
        let none = FigureCalculator(
            settings: FiguresFixture.settings, reference: ReferenceData(partners: [], funders: [], goals: [])
        )
        .submissions(quarter: FiguresFixture.q2, accepted: [], submissions: [])
        #expect(none.completeness == nil)
        #expect(none.timeliness == nil)
    }

    // MARK: - Trends

    @Test("Trends over the quarters in history, with change on the previous quarter")
    func trends() throws {
        let trends = Self.figures.trends
        #expect(trends.quarters == [FiguresFixture.q4, FiguresFixture.q1, FiguresFixture.q2])
        let network = trends.network.points
        // People: 2 (Q4: P001), 5 (Q1: 3 + 2), 7 (Q2).
        #expect(network.map(\.peopleSupported) == [2, 5, 7])
        #expect(network.map(\.peopleSupportedChange) == [nil, 3, 2])
        // New starts: Q4 C3XY (10-01), H8DD (11-01) = 2; Q1 K7QM (01-10), E5AA (02-01), F6BB (03-01) = 3; Q2 3.
        #expect(network.map(\.newStarts) == [2, 3, 3])
        #expect(network.map(\.newStartsChange) == [nil, 1, 0])
        // Attendance Q1: (6 + 6 + 1 + 5 + 4) / (8 + 6 + 2 + 6 + 4) = 22 / 26; Q2 25 / 42.
        #expect(Self.close(network[1].attendanceRate, 22.0 / 26.0))
        #expect(Self.close(network[2].attendanceRateChange, (25.0 / 42.0 - 22.0 / 26.0) * 100))
        // OG01 share improved: Q1 none of 3 (+1, +1, +1) → 0; Q2 0.75 → +75 points.
        let og01 = network.map { $0.shareImproved.first { $0.goalID == "OG01" } }
        #expect(og01[1]?.value == 0)
        #expect(Self.close(og01[2]?.change, 75))
        let p002 = try #require(trends.partner("P002")).points
        #expect(p002.map(\.hasData) == [false, true, true])
        #expect(p002.map(\.peopleSupported) == [nil, 2, 3])
        #expect(p002.map(\.peopleSupportedChange) == [nil, nil, 1])
        // The previous quarter's figures for the headline.
        #expect(Self.figures.previous?.quarter == FiguresFixture.q1)
        #expect(Self.figures.previous?.network.peopleSupported == 5)
    }

    @Test("Network medians of partner figures")
    func medians() {
        let medians = Self.figures.current.partnerMedians
        #expect(medians.peopleSupported == 3.5)  // 4 and 3
        #expect(medians.medianLengthDays == (123.5 + 106) / 2)
        #expect(Self.close(medians.attendanceRate, (0.75 + 10.0 / 22.0) / 2))
        #expect(medians.discretionaryTotal == Money(minorUnits: (275_050 + 120_000) / 2))
    }

    // MARK: - Data quality

    @Test("Findings counted by code across the quarter's returns and unmatched files")
    func findingsByCode() {
        let quality = Self.figures.dataQuality
        let counts = quality.findingsByCode.map { "\($0.code.rawValue) \($0.errors) \($0.warnings) \($0.sources)" }
        #expect(
            counts == [
                "blank-row 0 1 1", "constraint-error 2 0 1", "form-error 1 0 1", "primary-key 1 0 1", "source-error 1 0 1",
            ])
        #expect(quality.findings(of: "P004").map(\.code) == [.constraintError, .primaryKey])
        #expect(quality.findings(of: "P004").first?.examples.map(\.finding.rowNumber) == [3, 5])
    }

    @Test("A baseline that changed between quarters is a warning, with the earlier quarter and scores")
    func baselineChange() throws {
        let changes = Self.figures.dataQuality.baselineChanges
        // K7QM-2041's OG02 baseline was 5 in 2026-Q1 and is 4 in 2026-Q2; C3XY-1111's OG01 stayed 2.
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.partnerID == "P001")
        #expect(change.goalID == "OG02")
        #expect(change.earlierQuarter == FiguresFixture.q1)
        #expect(change.earlierBaseline == 5)
        #expect(change.baseline == 4)
    }

    @Test("Robust z-score: median and MAD of the previous quarters, flagged above 3.5")
    func robustZ() throws {
        // Previous 10, 12, 11: median 11, deviations 1, 1, 0 → MAD 1; z = 0.6745 × (30 − 11) / 1 = 12.8155.
        let jump = try #require(Statistics.robustScore(30, history: [10, 12, 11]))
        #expect(jump.median == 11)
        #expect(jump.mad == 1)
        #expect(Self.close(jump.z, 12.8155, tolerance: 1e-6))
        #expect(jump.isFlagged)
        // 13 against the same history: z = 0.6745 × 2 = 1.349, not flagged.
        #expect(Statistics.robustScore(13, history: [10, 12, 11])?.isFlagged == false)
        // MAD 0 (5, 6, 5 → deviations 0, 1, 0): mean absolute deviation 1/3 takes its place:
        // z = (6 − 5) / (1.253314 × 1/3) = 2.3936.
        let spread = try #require(Statistics.robustScore(6, history: [5, 6, 5]))
        #expect(spread.mad == 0)
        #expect(Self.close(spread.z, 3 / 1.253314, tolerance: 1e-9))
        #expect(!spread.isFlagged)
        // Every previous value the same: any change is flagged, unbounded.
        let constant = try #require(Statistics.robustScore(5, history: [4, 4, 4]))
        #expect(constant.z == nil)
        #expect(constant.isFlagged)
        #expect(Statistics.robustScore(4, history: [4, 4, 4])?.isFlagged == false)
        // Fewer than three previous quarters: no score.
        #expect(Statistics.robustScore(100, history: [1, 2]) == nil)
    }

    @Test("Jump warnings from a partner's own history of people supported and sessions offered")
    func jumpWarnings() throws {
        let quarters = [
            Quarter(year: 2025, number: 3), Quarter(year: 2025, number: 4), Quarter(year: 2026, number: 1),
            Quarter(year: 2026, number: 2),
        ]
        // P001 supports 10, 12, 11, then 30 people (two sessions offered each: 20, 24, 22, 60);
        // P002 supports 5, 6, 5, then 6.
        func rows(_ partner: String, _ quarter: Quarter, _ count: Int) -> AcceptedReturn {
            let support = (0..<count).map { index in
                FiguresFixture.support(
                    partner, quarter, "\(partner)-\(1000 + index)", "active", start: "2025-07-01", offered: 2, attended: 1)
            }
            return AcceptedReturn(
                partnerID: partner, quarter: quarter, receivedOn: 0, onTime: true, isResubmission: false, support: support,
                outcomes: [],
                ripple: [], narrative: nil)
        }
        var history: [Quarter: [AcceptedReturn]] = [:]
        for (quarter, counts) in zip(quarters, [(10, 5), (12, 6), (11, 5), (30, 6)]) {
            history[quarter] = [rows("P001", quarter, counts.0), rows("P002", quarter, counts.1)]
        }
        let input = ReportInput(
            settings: FiguresFixture.settings, reference: FiguresFixture.reference, quarter: quarters[3], history: history,
            submissions: [],
            generatedOn: "2026-08-10")
        let calculator = FigureCalculator(settings: input.settings, reference: input.reference)
        let jumps = calculator.jumps(input, history: calculator.figures(for: input).history)
        #expect(jumps.map(\.partnerID) == ["P001", "P001"])
        #expect(jumps.map(\.figure) == [.peopleSupported, .sessionsOffered])
        // Sessions: median 22, deviations 2, 2, 0 → MAD 2; z = 0.6745 × 38 / 2 = 12.8155.
        #expect(Self.close(jumps.last?.score.z, 12.8155, tolerance: 1e-6))
        #expect(jumps.first?.score.median == 11)
    }

    // MARK: - Definitions

    @Test("Every definition is in the doc comments of the figure types, word for word")
    func definitionsMatchDocComments() throws {
        let folder = TestPaths.repo("Sources/Impact/Figures")
        var comments = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".swift") {
            let source = try String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
            var block: [String] = []
            for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("///") {
                    block.append(String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces))
                } else if !block.isEmpty {
                    comments += block.joined(separator: " ") + "\n"
                    block = []
                }
            }
        }
        for metric in MetricDefinitions.all {
            #expect(comments.contains(metric.definition), "no doc comment carries the definition of \(metric.id)")
        }
        #expect(Set(MetricDefinitions.all.map(\.id)).count == MetricDefinitions.all.count)
    }
}
