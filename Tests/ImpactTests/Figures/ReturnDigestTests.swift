import Foundation
import TableSchema
import Testing

@testable import Impact

/// A return's digest stands for its rows in later quarters' figures: it must read back exactly as written,
/// refuse damaged bytes, and give the figures its rows give.
@Suite struct ReturnDigestTests {
    /// A return of `partner` with people, repeated people, goals and a declared table naming people.
    static func sample(partner: String = "P001", quarter: Quarter = Quarter(year: 2026, number: 1)) -> AcceptedReturn {
        func support(_ ref: String, _ status: String, start: Int32?, end: Int32? = nil, spend: Double? = nil) -> SupportRecord {
            SupportRecord(
                partnerID: partner, quarter: quarter.description, personRef: ref, supportType: "mentoring", status: status,
                startDate: start, endDate: end, endingType: status == "ended" ? "planned" : nil, sessionsOffered: 6,
                sessionsAttended: ref.count % 6, discretionarySpend: spend, panelApprovalRef: spend.map { $0 > 1000 ? "PA-1" : nil } ?? nil)
        }
        func outcome(_ ref: String, _ goal: String, _ baseline: Int, _ current: Int) -> OutcomeRecord {
            OutcomeRecord(
                partnerID: partner, quarter: quarter.description, personRef: ref, outcomeID: goal, baselineScore: baseline,
                currentScore: current)
        }
        let first = Int32(quarter.firstDay)
        return AcceptedReturn(
            partnerID: partner, quarter: quarter, receivedOn: first + 100, onTime: true, isResubmission: false,
            support: [
                support("A-1", "active", start: first - 400, spend: 1250.5),
                support("A-2", "ended", start: first + 3, end: first + 60, spend: 12.25),
                support("A-1", "paused", start: first - 10),
                support("Zoë 3", "paused", start: nil, spend: -4),
            ],
            outcomes: [
                outcome("A-1", "OG01", 3, 6), outcome("A-2", "OG01", 5, 4), outcome("A-1", "OG01", 9, 9),
                outcome("A-1", "OG02", 2, 2), outcome("B-9", "OG02", 1, 7),
            ],
            ripple: [], narrative: nil,
            tables: [
                TableRecords(
                    table: "referrals", fields: ["partner_id", "person_ref"], rows: [[partner, "C-4"], [partner, nil], [partner, "A-2"]]),
                TableRecords(table: "events", fields: ["partner_id", "name"], rows: [[partner, "D-5"]]),
            ])
    }

    @Test("A digest holds the return's tally, changes, people and first baselines")
    func contents() throws {
        let value = Self.sample()
        let digest = try #require(ReturnDigest(of: value, limit: Money(amount: 1000)))
        let calculator = FigureCalculator(settings: Settings(), reference: ReferenceData(partners: [], funders: [], goals: []))
        let tally = calculator.tally(value, quarter: value.quarter, limit: Money(amount: 1000))
        #expect(digest.support == tally.support)
        #expect(digest.changes == tally.changes)
        #expect(digest.support.figures.peopleSupported == 3)
        #expect(digest.support.figures.discretionary.aboveLimitCount == 1)
        #expect(digest.changes == ["OG01": [3, -1], "OG02": [0, 6]])
        #expect(digest.personRefs == ["A-1", "A-2", "Zoë 3", "B-9", "C-4"])
        #expect(
            digest.baselines.map { "\($0.personRef) \($0.goalID) \($0.score)" } == [
                "A-1 OG01 3", "A-2 OG01 5", "A-1 OG02 2", "B-9 OG02 1",
            ])
        // The limit decides which spends are above it.
        #expect(ReturnDigest(of: value, limit: Money(amount: 2000))?.support.figures.discretionary.aboveLimitCount == 0)
        #expect(
            ReturnDigest.key(settings: Settings())
                != ReturnDigest.key(
                    settings: {
                        var s = Settings(); s.coordinatorLimit = 500; return s
                    }()))
    }

    @Test("A return with a row of another partner has no digest")
    func otherPartnersRows() {
        var value = Self.sample()
        value.support[1].partnerID = "P002"
        #expect(ReturnDigest(of: value, limit: .zero) == nil)
        value = Self.sample()
        value.outcomes[4].partnerID = "P002"
        #expect(ReturnDigest(of: value, limit: .zero) == nil)
    }

    @Test("Bytes read back as the digest written, the same bytes every time, for empty and large returns")
    func roundTrip() throws {
        var values = [
            Self.sample(),
            AcceptedReturn(
                partnerID: "P9", quarter: Quarter(year: 2025, number: 3), receivedOn: 0, onTime: false, isResubmission: true,
                support: [], outcomes: [], ripple: [], narrative: nil),
        ]
        var large = Self.sample()
        var generator = SystemRandomNumberGenerator()
        for index in 0..<3_000 {
            var row = large.support[index % 4]
            row.personRef = "R\(index)-\(Int.random(in: 0..<1_000_000, using: &generator))"
            row.startDate = Int32.random(in: -30_000...30_000, using: &generator)
            row.discretionarySpend = Double(Int.random(in: -99_999_999...99_999_999, using: &generator)) / 100
            large.support.append(row)
            large.outcomes.append(
                OutcomeRecord(
                    partnerID: "P001", quarter: "2026-Q1", personRef: row.personRef, outcomeID: "OG0\(index % 5)",
                    baselineScore: Int.random(in: Int(Int32.min)...Int(Int32.max), using: &generator),
                    currentScore: Int.random(in: -5...5, using: &generator)))
        }
        values.append(large)
        for value in values {
            let digest = try #require(ReturnDigest(of: value, limit: Money(amount: 1000)))
            let bytes = digest.encoded()
            #expect(try ReturnDigest(decoding: bytes) == digest)
            #expect(ReturnDigest(of: value, limit: Money(amount: 1000))?.encoded() == bytes)
        }
    }

    @Test("Damaged bytes are refused, never misread: every cut, an extra byte, another format, flipped bytes")
    func damagedBytes() throws {
        let digest = try #require(ReturnDigest(of: Self.sample(), limit: Money(amount: 1000)))
        let bytes = digest.encoded()
        for length in 0..<bytes.count {
            #expect(throws: ReturnDigest.DecodingError.self) { try ReturnDigest(decoding: Array(bytes[..<length])) }
        }
        #expect(throws: ReturnDigest.DecodingError.self) { try ReturnDigest(decoding: bytes + [0]) }
        var other = bytes
        other[0] = 6  // format 3
        #expect(throws: ReturnDigest.DecodingError.self) { try ReturnDigest(decoding: other) }
        // A flipped byte either is refused or reads as some other digest; it never traps.
        for index in bytes.indices {
            var flipped = bytes
            flipped[index] ^= 0xFF
            _ = try? ReturnDigest(decoding: flipped)
        }
        #expect(throws: ReturnDigest.DecodingError.self) { try ReturnDigest(decoding: [2] + Array(repeating: 0xFF, count: 20)) }
    }

    @Test("Figures of a history whose earlier quarters are digests are the figures of their rows")
    func figuresFromDigests() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let loaded = try Workspace.load(folder: workspace.path, schemas: nil, requireReferences: true)
        let quarter = Quarter(year: 2026, number: 2)
        let rows = try store.history(through: quarter)
        let limit = Money(amount: loaded.settings.coordinatorLimit)
        var digested = rows
        for (stored, returns) in rows where stored < quarter {
            digested[stored] = try returns.map { value in
                var light = value
                light.support = []
                light.outcomes = []
                light.tables = []
                let digest: ReturnDigest = try #require(ReturnDigest(of: value, limit: limit))
                light.digest = digest
                return light
            }
        }
        #expect(digested.count >= 4)
        let submissions = try store.submissions(in: quarter)
        func figures(_ history: [Quarter: [AcceptedReturn]]) -> ReportFigures {
            let input = ReportInput(
                settings: loaded.settings, reference: loaded.reference, quarter: quarter, history: history,
                submissions: submissions, generatedOn: "2026-11-23")
            return FigureCalculator(settings: loaded.settings, reference: loaded.reference).figures(for: input)
        }
        let expected = figures(rows)
        #expect(!expected.dataQuality.baselineChanges.isEmpty || !expected.history.isEmpty)
        #expect(figures(digested) == expected)
    }
}
