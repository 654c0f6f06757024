import TableSchema
import Testing

@testable import Impact

/// The network's figures are computed return by return (no set of every person in the programme); they must
/// equal the figures of all the rows taken together, duplicates and stray partners' rows included.
@Suite struct NetworkFiguresTests {
    typealias F = FiguresFixture

    static func value(_ partner: String, support: [SupportRecord], outcomes: [OutcomeRecord]) -> AcceptedReturn {
        AcceptedReturn(
            partnerID: partner, quarter: F.q2, receivedOn: F.day("2026-07-10"), onTime: true, isResubmission: false,
            support: support, outcomes: outcomes, ripple: [], narrative: nil)
    }

    static let goal = F.reference.goals[0].id

    /// Three partners; P002's return lists a person twice; in the last case P003's return also holds a row
    /// of P001's person (which a run would reject, but the calculator must still count people once).
    static let cases: [[AcceptedReturn]] = {
        let p1 = value(
            "P001",
            support: [
                F.support("P001", F.q2, "AAAA-0001", "active", start: "2026-04-02", offered: 6, attended: 5),
                F.support(
                    "P001", F.q2, "AAAA-0002", "ended", start: "2025-11-02", end: "2026-05-01", ending: "planned", offered: 4, attended: 4),
            ],
            outcomes: [F.outcome("P001", F.q2, "AAAA-0001", goal, 3, 6), F.outcome("P001", F.q2, "AAAA-0002", goal, 5, 5)])
        let p2 = value(
            "P002",
            support: [
                F.support("P002", F.q2, "AAAA-0001", "paused", start: "2025-01-02", offered: 2, attended: 1),
                F.support("P002", F.q2, "AAAA-0001", "active", start: "2025-01-02", offered: 9, attended: 9),
            ],
            outcomes: [F.outcome("P002", F.q2, "AAAA-0001", goal, 2, 7), F.outcome("P002", F.q2, "AAAA-0001", goal, 2, 2)])
        let p3 = value(
            "P003",
            support: [F.support("P003", F.q2, "BBBB-0001", "active", start: "2026-06-30", offered: 1, attended: 0)],
            outcomes: [F.outcome("P003", F.q2, "BBBB-0001", goal, 4, 8)])
        var stray = p3
        stray.support.append(F.support("P001", F.q2, "AAAA-0001", "active", start: "2026-04-02", offered: 6, attended: 5))
        stray.outcomes.append(F.outcome("P001", F.q2, "AAAA-0001", goal, 3, 6))
        return [[p1, p2, p3], [p3, p2, p1], [p1, p2, stray]]
    }()

    @Test("Network figures equal the figures of every row together", arguments: cases)
    func networkEqualsAllRows(returns: [AcceptedReturn]) {
        let calculator = FigureCalculator(settings: F.settings, reference: F.reference)
        let figures = calculator.quarter(F.q2, returns: returns)
        let sorted = returns.sorted { $0.partnerID < $1.partnerID }
        #expect(figures.network == calculator.support(sorted.flatMap(\.support), quarter: F.q2))
        #expect(figures.goals == calculator.goals(sorted.flatMap(\.outcomes)))
        #expect(figures.network.peopleSupported == 4)
        #expect(figures.goals.first?.people == 4)
    }
}
