import Dates
import TableSchema

@testable import Impact

/// A small hand-built quarter for the figures and report tests: partners P001 to P005, goals OG01 and
/// OG02, history 2025-Q4 to 2026-Q2, reporting 2026-Q2. The expected figures in the tests are worked out
/// by hand from these rows (the arithmetic is in comments there).
enum FiguresFixture {
    static let q4 = Quarter(year: 2025, number: 4)
    static let q1 = Quarter(year: 2026, number: 1)
    static let q2 = Quarter(year: 2026, number: 2)

    /// Days since 1970-01-01 of an ISO date.
    static func day(_ iso: String) -> Int32 {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else { return 0 }
        return Int32(date.daysSinceEpoch)
    }

    static var settings: Settings {
        var settings = Settings()
        settings.programme = "Test Alliance"
        settings.currency = "GBP"
        settings.dueDays = 30
        settings.coordinatorLimit = 1000
        settings.improvementPoints = 2
        settings.contact = "impact@example.org"
        return settings
    }

    static let reference = ReferenceData(
        partners: [
            Partner(
                id: "P001", name: "Bothy Light Counselling", region: "Highland", funderIDs: ["F01"],
                activeFrom: day("2025-01-01"), activeTo: nil),
            Partner(
                id: "P002", name: "Larchwood Survivors' Network", region: "Glasgow", funderIDs: ["F01", "F02"],
                activeFrom: day("2025-01-01"),
                activeTo: nil),
            Partner(
                id: "P003", name: "Saltire Steps", region: "Lothian", funderIDs: ["F02"], activeFrom: day("2025-01-01"),
                activeTo: nil),
            Partner(
                id: "P004", name: "Tidewrack Project", region: "Fife", funderIDs: ["F02"], activeFrom: day("2026-05-01"),
                activeTo: nil),
            Partner(
                id: "P005", name: "Old Partner", region: "Fife", funderIDs: ["F01"], activeFrom: day("2025-01-01"),
                activeTo: day("2025-12-31")),
        ],
        funders: [Funder(id: "F01", name: "Northern Trust"), Funder(id: "F02", name: "Corriebank Foundation")],
        goals: [
            OutcomeGoal(
                id: "OG01", title: "Feeling safer", pathway: "Safety", indicator: "Self-rated safety", targetImprovedShare: 0.6),
            OutcomeGoal(
                id: "OG02", title: "A settled home", pathway: "Safety", indicator: "Self-rated stability",
                targetImprovedShare: 0.5),
        ])

    // MARK: - Row builders

    static func support(
        _ partner: String, _ quarter: Quarter, _ ref: String, _ status: String, start: String?, end: String? = nil,
        ending: String? = nil,
        offered: Int?, attended: Int?, spend: Double? = nil, panel: String? = nil, type: String = "counselling"
    ) -> SupportRecord {
        SupportRecord(
            partnerID: partner, quarter: quarter.description, personRef: ref, supportType: type, status: status,
            startDate: start.map(day),
            endDate: end.map(day), endingType: ending, sessionsOffered: offered, sessionsAttended: attended,
            discretionarySpend: spend,
            panelApprovalRef: panel)
    }

    static func outcome(
        _ partner: String, _ quarter: Quarter, _ ref: String, _ goal: String, _ baseline: Int, _ current: Int
    ) -> OutcomeRecord {
        OutcomeRecord(
            partnerID: partner, quarter: quarter.description, personRef: ref, outcomeID: goal, baselineScore: baseline,
            currentScore: current)
    }

    static func note(
        _ partner: String, _ id: String, _ theme: String, _ text: String, consent: Bool, goal: String? = nil
    ) -> RippleRecord {
        RippleRecord(
            partnerID: partner, quarter: q2.description, noteID: id, theme: theme, outcomeID: goal, note: text,
            consentToQuote: consent)
    }

    // MARK: - 2026-Q2

    static let nonConsentedNote = "SECRET-NOTE moved into a new flat near the hospital"

    static var p001Q2: AcceptedReturn {
        AcceptedReturn(
            partnerID: "P001", quarter: q2, receivedOn: day("2026-07-20"), onTime: true, isResubmission: false,
            support: [
                support(
                    "P001", q2, "K7QM-2041", "active", start: "2026-01-10", offered: 10, attended: 8, spend: 1200.50,
                    panel: "PA-1234"),
                support("P001", q2, "B8PW-8267", "active", start: "2026-04-15", offered: 6, attended: 3, spend: 50),
                support(
                    "P001", q2, "C3XY-1111", "ended", start: "2025-10-01", end: "2026-05-31", ending: "planned", offered: 4,
                    attended: 4),
                support("P001", q2, "D4ZZ-2222", "paused", start: "2026-05-01", offered: nil, attended: nil, spend: 1500),
            ],
            outcomes: [
                outcome("P001", q2, "K7QM-2041", "OG01", 3, 6),
                outcome("P001", q2, "B8PW-8267", "OG01", 5, 6),
                outcome("P001", q2, "C3XY-1111", "OG01", 2, 4),
                outcome("P001", q2, "K7QM-2041", "OG02", 4, 4),
            ],
            ripple: [
                note("P001", "N1", "family_relationships", "She now visits her sister every week.", consent: true),
                note("P001", "N2", "housing", nonConsentedNote, consent: false),
                note("P001", "N3", "confidence_skills", "Started a college course & loves it.", consent: true, goal: "OG01"),
            ],
            narrative: Narrative(
                highlights: "Our new group started.\nPeople came back week after week.",
                challenges: "Waiting list of 12 people: K7QM-2041 waited 10 weeks.", whatWouldHelp: nil))
    }

    static var p002Q2: AcceptedReturn {
        AcceptedReturn(
            partnerID: "P002", quarter: q2, receivedOn: day("2026-08-05"), onTime: false, isResubmission: true,
            support: [
                support(
                    "P002", q2, "E5AA-3333", "active", start: "2026-02-01", offered: 12, attended: 6, spend: 200,
                    type: "group_support"),
                support(
                    "P002", q2, "F6BB-4444", "ended", start: "2026-03-01", end: "2026-06-15", ending: "unplanned", offered: 8,
                    attended: 2),
                support(
                    "P002", q2, "G7CC-5555", "ended", start: "2026-06-01", end: "2026-06-20", ending: "transition", offered: 2,
                    attended: 2,
                    spend: 1000),
            ],
            outcomes: [
                outcome("P002", q2, "E5AA-3333", "OG01", 4, 7),
                outcome("P002", q2, "F6BB-4444", "OG02", 3, 6),
                outcome("P002", q2, "G7CC-5555", "OG02", 5, 5),
            ],
            ripple: [
                note("P002", "R1", "community_connections", "Says the group is *the* best part of the week.", consent: true)
            ],
            narrative: Narrative(
                highlights: nil, challenges: "Staff turnover.\n\nTwo sessions cancelled in May.", whatWouldHelp: nil))
    }

    // MARK: - 2026-Q1 and 2025-Q4

    static var p001Q1: AcceptedReturn {
        AcceptedReturn(
            partnerID: "P001", quarter: q1, receivedOn: day("2026-04-20"), onTime: true, isResubmission: false,
            support: [
                support("P001", q1, "K7QM-2041", "active", start: "2026-01-10", offered: 8, attended: 6),
                support("P001", q1, "C3XY-1111", "active", start: "2025-10-01", offered: 6, attended: 6),
                support(
                    "P001", q1, "H8DD-6666", "ended", start: "2025-11-01", end: "2026-03-15", ending: "planned", offered: 2,
                    attended: 1),
            ],
            outcomes: [
                outcome("P001", q1, "K7QM-2041", "OG01", 3, 4),
                outcome("P001", q1, "C3XY-1111", "OG01", 2, 3),
                outcome("P001", q1, "K7QM-2041", "OG02", 5, 5),
            ],
            ripple: [], narrative: nil)
    }

    static var p002Q1: AcceptedReturn {
        AcceptedReturn(
            partnerID: "P002", quarter: q1, receivedOn: day("2026-04-25"), onTime: true, isResubmission: false,
            support: [
                support("P002", q1, "E5AA-3333", "active", start: "2026-02-01", offered: 6, attended: 5),
                support("P002", q1, "F6BB-4444", "active", start: "2026-03-01", offered: 4, attended: 4),
            ],
            outcomes: [outcome("P002", q1, "E5AA-3333", "OG01", 4, 5)],
            ripple: [], narrative: nil)
    }

    static var p001Q4: AcceptedReturn {
        AcceptedReturn(
            partnerID: "P001", quarter: q4, receivedOn: day("2026-01-15"), onTime: true, isResubmission: false,
            support: [
                support("P001", q4, "C3XY-1111", "active", start: "2025-10-01", offered: 5, attended: 5),
                support("P001", q4, "H8DD-6666", "active", start: "2025-11-01", offered: 3, attended: 3),
            ],
            outcomes: [outcome("P001", q4, "C3XY-1111", "OG01", 2, 2)],
            ripple: [], narrative: nil)
    }

    // MARK: - Submissions of 2026-Q2

    /// The person reference in the rejected return's findings (never stored, never shown).
    static let rejectedRef = "ZZ99-0001"
    /// A malformed person reference quoted in a finding.
    static let malformedRef = "K7QM_2041"

    static var submissions: [SubmissionSummary] {
        let blankRow = Finding(
            .warning, .blankRow, rowNumber: 6, message: "Row 6 is empty. Delete the empty row (it was skipped).")
        let formError = Finding(
            .error, .formError, fieldName: "start_date", cell: "31/02/2026",
            message: "/support/1/start_date: expected a date like 2026-04-15, found \"31/02/2026\"",
            pointer: "/support/1/start_date", line: 12,
            column: 17)
        let primaryKey = Finding(
            .error, .primaryKey, rowNumber: 4, fieldName: "person_ref", fieldNumber: 3, cell: rejectedRef,
            message:
                "Row 4: (partner_id, quarter, person_ref) = (P004, 2026-Q2, \(rejectedRef)) is already used at row 2. Each row needs its own partner_id + quarter + person_ref; merge or correct the two rows."
        )
        let tooMany = Finding(
            .error, .constraintError, rowNumber: 3, fieldName: "sessions_offered", fieldNumber: 10, cell: "450",
            message: "Row 3, column sessions_offered: must be at most 400, found \"450\".")
        let pattern = Finding(
            .error, .constraintError, rowNumber: 5, fieldName: "person_ref", fieldNumber: 3, cell: malformedRef,
            message: "Row 5, column person_ref: \"\(malformedRef)\" is not in the form this column needs: write it like K7QM-2041.")
        return [
            SubmissionSummary(
                partnerID: "P004", quarter: q2, verdict: .rejected, receivedOn: day("2026-07-28"), onTime: true,
                isResubmission: false,
                files: ["returns/2026-Q2/p004-support.csv", "returns/2026-Q2/p004-outcomes.csv"],
                findings: [
                    FileFinding(file: "returns/2026-Q2/p004-support.csv", finding: pattern),
                    FileFinding(file: "returns/2026-Q2/p004-support.csv", finding: primaryKey),
                    FileFinding(file: "returns/2026-Q2/p004-support.csv", finding: tooMany),
                ]),
            SubmissionSummary(
                partnerID: "P002", quarter: q2, verdict: .accepted, receivedOn: day("2026-08-05"), onTime: false,
                isResubmission: true,
                files: ["returns/2026-Q2/p002-form-v2.yaml"], findings: []),
            SubmissionSummary(
                partnerID: "P001", quarter: q2, verdict: .accepted, receivedOn: day("2026-07-20"), onTime: true,
                isResubmission: false,
                files: [
                    "returns/2026-Q2/p001-outcomes.csv", "returns/2026-Q2/p001-ripple.csv", "returns/2026-Q2/p001-support.csv",
                ],
                findings: [FileFinding(file: "returns/2026-Q2/p001-support.csv", finding: blankRow)]),
            SubmissionSummary(
                partnerID: "P002", quarter: q2, verdict: .superseded, receivedOn: day("2026-07-25"), onTime: true,
                isResubmission: false,
                files: ["returns/2026-Q2/p002-form-v1.yaml"],
                findings: [FileFinding(file: "returns/2026-Q2/p002-form-v1.yaml", finding: formError)]),
        ]
    }

    static var strayFiles: [(path: String, findings: [FileFinding])] {
        let finding = Finding(
            .error, .sourceError,
            message: "returns/2026-Q2/notes.txt: no partner_id could be read from this file, so it belongs to no return.")
        return [("returns/2026-Q2/notes.txt", [FileFinding(file: "returns/2026-Q2/notes.txt", finding: finding)])]
    }

    /// The input of the tests.
    static var input: ReportInput {
        ReportInput(
            settings: settings, reference: reference, quarter: q2,
            history: [q4: [p001Q4], q1: [p002Q1, p001Q1], q2: [p002Q2, p001Q2]], submissions: submissions, strayFiles: strayFiles,
            generatedOn: "2026-08-10")
    }

    /// Every person reference in the input, including those only in findings.
    static var allPersonRefs: Set<String> {
        var refs: Set<String> = [rejectedRef, malformedRef]
        for returns in input.history.values {
            for value in returns {
                refs.formUnion(value.support.map(\.personRef))
                refs.formUnion(value.outcomes.map(\.personRef))
            }
        }
        return refs
    }
}
