import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The history store: migrations, round trips, idempotence, supersession, the ledger, transactions.
@Suite struct StoreTests {
    // MARK: - Fixtures

    static let q4 = Quarter(year: 2025, number: 4)
    static let q1 = Quarter(year: 2026, number: 1)
    static let q2 = Quarter(year: 2026, number: 2)
    static let q3 = Quarter(year: 2026, number: 3)

    /// A store's path in a fresh folder, removed with the fixture.
    final class Fixture {
        let folder = TemporaryFolder(prefix: "impact-store")
        var path: String { (folder.path as NSString).appendingPathComponent(Store.defaultRelativePath) }
        func open() throws -> Store { try Store(path: path) }
        func bytes() -> Data? { FileManager.default.contents(atPath: path) }
    }

    /// A small accepted return; `variant` changes its values so two returns can be told apart.
    static func accepted(_ partnerID: String, _ quarter: Quarter, variant: Int = 0, narrative: Narrative? = nil) -> AcceptedReturn {
        let q = quarter.description
        return AcceptedReturn(
            partnerID: partnerID, quarter: quarter, receivedOn: 0, onTime: true, isResubmission: false,
            support: [
                SupportRecord(
                    partnerID: partnerID, quarter: q, personRef: "\(partnerID)-A", supportType: "mentoring", status: "active",
                    startDate: 20_100 + Int32(variant), endDate: nil, endingType: nil, sessionsOffered: 6 + variant,
                    sessionsAttended: 5, discretionarySpend: 12.5, panelApprovalRef: nil),
                SupportRecord(
                    partnerID: partnerID, quarter: q, personRef: "\(partnerID)-B", supportType: "advocacy", status: "ended",
                    startDate: 20_000, endDate: 20_180, endingType: "planned", sessionsOffered: nil, sessionsAttended: nil,
                    discretionarySpend: nil, panelApprovalRef: "PA-\(variant)"),
            ],
            outcomes: [
                OutcomeRecord(
                    partnerID: partnerID, quarter: q, personRef: "\(partnerID)-A", outcomeID: "OG01", baselineScore: 3,
                    currentScore: 5 + variant)
            ],
            ripple: [
                RippleRecord(
                    partnerID: partnerID, quarter: q, noteID: "N1", theme: "family", outcomeID: nil,
                    note: "Returned to college", consentToQuote: variant % 2 == 0)
            ],
            narrative: narrative)
    }

    static func file(_ path: String, sha: String, kind: String? = "support", firstSeen: Int64 = 1_780_000_000) -> LedgerFile {
        LedgerFile(path: path, sha256: sha, size: 100 + path.count, kind: kind, firstSeen: firstSeen)
    }

    static func finding(_ file: String, _ severity: Severity = .error, row: Int = 3) -> FileFinding {
        FileFinding(
            file: file,
            finding: Finding(
                severity, .constraintError, rowNumber: row, fieldName: "status", fieldNumber: 5, cell: "activ",
                message: "status \"activ\" is not one of active, paused, ended", rule: "enum"))
    }

    /// A submission of one file whose hash is derived from `tag`.
    static func submission(
        _ partnerID: String, _ quarter: Quarter, tag: String, verdict: Verdict = .accepted, receivedOn: Int32 = 20_640,
        onTime: Bool = true, findings: [FileFinding]? = nil, accepted: AcceptedReturn? = nil
    ) -> SubmissionInput {
        let path = "returns/\(quarter)/\(partnerID)-\(tag).csv"
        let rows = verdict == .accepted ? (accepted ?? Self.accepted(partnerID, quarter)) : nil
        return SubmissionInput(
            partnerID: partnerID, quarter: quarter, fingerprint: "fp-\(partnerID)-\(quarter)-\(tag)",
            files: [file(path, sha: "sha-\(tag)")],
            findings: findings ?? (verdict == .rejected ? [finding(path)] : [finding(path, .warning)]),
            verdict: verdict, receivedOn: receivedOn, onTime: onTime, accepted: rows)
    }

    static func run(
        _ quarter: Quarter, _ submissions: [SubmissionInput], strays: [(file: LedgerFile, findings: [FileFinding])] = [],
        startedAt: Int64 = 1_780_000_000
    ) -> RunInput {
        RunInput(quarter: quarter, startedAt: startedAt, programVersion: "0.4.0", submissions: submissions, strayFiles: strays)
    }

    /// The return as the store should give it back for a submission.
    static func expected(_ submission: SubmissionInput, isResubmission: Bool = false) -> AcceptedReturn? {
        guard var rows = submission.accepted else { return nil }
        rows.receivedOn = submission.receivedOn
        rows.onTime = submission.onTime
        rows.isResubmission = isResubmission
        return rows
    }

    /// Each test gets a fresh instance of the suite, so a fresh folder that lives as long as the test.
    let fixture = Fixture()

    // MARK: - Migrations

    /// Records a return, drops `tables` and forgets `migrations` (a store from before them), then reopens: the
    /// tables come back empty and every other row is kept.
    private func expectMigrationKeepsEverything(adding tables: [String], migrations: [String]) throws {
        let store = try fixture.open()
        _ = try store.apply(Self.run(Self.q1, [Self.submission("P001", Self.q1, tag: "a")]))
        for table in tables { try store.executeForTesting("DROP TABLE \(table)") }
        let list = migrations.map { "'\($0)'" }.joined(separator: ", ")
        try store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier IN (\(list))")
        var before = try store.dumpForTesting()
        for table in tables { #expect(before[table] == nil) }
        let after = try fixture.open().dumpForTesting()
        for table in tables {
            #expect(after[table] == [])
            before[table] = []
        }
        before["grdb_migrations"] = ((before["grdb_migrations"] ?? []) + migrations.map { "[identifier:\"\($0)\"]" }).sorted()
        var sortedAfter = after
        sortedAfter["grdb_migrations"] = after["grdb_migrations"]?.sorted()
        #expect(sortedAfter == before)
    }

    @Test("A store from before declared tables (v3) gains table_row on opening, with every earlier row kept")
    func migrationV4KeepsEverything() throws {
        try expectMigrationKeepsEverything(
            adding: ["table_row", "return_digest", "featured"] + Self.v7Tables, migrations: ["v4", "v5", "v6", "v7"])
    }

    @Test("A store from before digests (v4) gains return_digest on opening, with every earlier row kept")
    func migrationV5KeepsEverything() throws {
        try expectMigrationKeepsEverything(adding: ["return_digest", "featured"] + Self.v7Tables, migrations: ["v5", "v6", "v7"])
    }

    @Test("A store from before featured stories (v5) gains featured on opening, with every earlier row kept")
    func migrationV6KeepsEverything() throws {
        try expectMigrationKeepsEverything(adding: ["featured"] + Self.v7Tables, migrations: ["v6", "v7"])
    }

    /// The tables of the feedback loop (v7).
    static let v7Tables = ["feedback_page", "feedback_message", "feedback_action"]

    @Test("A store from before the feedback loop (v6) gains its tables on opening, with every earlier row kept")
    func migrationV7KeepsEverything() throws {
        try expectMigrationKeepsEverything(adding: Self.v7Tables, migrations: ["v7"])
    }

    @Test("What a quarter's report featured is recorded, replaced by a re-run, and counted for later quarters only")
    func featuredRecord() throws {
        let store = try fixture.open()
        try store.record(featured: [("story", "P001", "S1"), ("note", "P001", "R2"), ("story", "P002", "S1")], quarter: Self.q1)
        try store.record(featured: [("story", "P003", "S1")], quarter: Self.q2)
        #expect(try store.featuredCounts(before: Self.q2) == ["P001": 2, "P002": 1])
        #expect(try store.featuredCounts(before: Self.q1) == [:])
        try store.record(featured: [("note", "P002", "R1")], quarter: Self.q1)
        #expect(try store.featuredCounts(before: Self.q3) == ["P002": 1, "P003": 1])
        #expect(try store.featured(in: Self.q1).map { "\($0.kind) \($0.partnerID)/\($0.id)" } == ["note P002/R1"])
    }

    @Test("Submissions handed over one by one leave the store exactly as one apply does; a failure midway records nothing")
    func recordingOneByOne() throws {
        let submissions = [
            Self.submission("P001", Self.q2, tag: "a"), Self.submission("P002", Self.q2, tag: "b", verdict: .rejected),
            Self.submission("P003", Self.q2, tag: "c"), Self.submission("P001", Self.q2, tag: "d"),
        ]
        let strays: [(file: LedgerFile, findings: [FileFinding])] = [
            (Self.file("returns/2026-Q2/notes.txt", sha: "sha-stray", kind: nil), [Self.finding("returns/2026-Q2/notes.txt")])
        ]
        let whole = try fixture.open()
        let outcomes = try whole.apply(Self.run(Self.q2, submissions, strays: strays))
        let other = Fixture()
        let streamed = try other.open()
        var handed: [SubmissionOutcome] = []
        let streamedOutcomes = try streamed.apply(Self.run(Self.q2, [], strays: strays)) { record in
            for submission in submissions { handed.append(try record(submission)) }
        }
        #expect(outcomes == [.recorded(.accepted), .recorded(.rejected), .recorded(.accepted), .supersededEarlier])
        #expect(streamedOutcomes == outcomes && handed == outcomes)
        #expect(try streamed.dumpForTesting() == (try whole.dumpForTesting()))

        /// The failure of whatever was checking the returns.
        struct CheckFailed: Error {}
        let third = Fixture()
        let failing = try third.open()
        let empty = try failing.dumpForTesting()
        #expect(throws: StoreError.self) {
            _ = try failing.apply(Self.run(Self.q3, [], strays: strays)) { record in
                _ = try record(Self.submission("P001", Self.q3, tag: "e"))
                throw CheckFailed()
            }
        }
        #expect(try failing.dumpForTesting() == empty)
    }

    @Test("A fresh store is created with its folder and migrated; reopening it changes nothing")
    func migrationsCreateAndReopen() throws {
        #expect(!FileManager.default.fileExists(atPath: fixture.path))
        let store = try fixture.open()
        let dump = try store.dumpForTesting()
        for table in [
            "run", "submission", "ledger_file", "submission_file", "finding", "support_row", "outcome_row",
            "ripple_row", "narrative", "partner_token", "portal_receipt", "publication", "table_row", "return_digest",
            "featured", "feedback_page", "feedback_message", "feedback_action", "grdb_migrations",
        ] {
            #expect(dump[table] != nil, "missing table \(table)")
        }
        #expect(
            dump["grdb_migrations"] == [
                "[identifier:\"v1\"]", "[identifier:\"v2\"]", "[identifier:\"v3\"]", "[identifier:\"v4\"]", "[identifier:\"v5\"]",
                "[identifier:\"v6\"]", "[identifier:\"v7\"]", "[identifier:\"v8\"]",
            ])
        let bytes = try #require(fixture.bytes())

        let reopened = try fixture.open()
        #expect(try reopened.dumpForTesting() == dump)
        #expect(fixture.bytes() == bytes)
        #expect(try reopened.integrityCheck() == [])
        #expect(try reopened.acceptedReturns(in: Self.q2) == [])
    }

    // MARK: - Rows

    @Test("Accepted rows and narrative come back exactly, every field including nils and empty text")
    func roundTrip() throws {
        let store = try fixture.open()
        let narrative = Narrative(highlights: "Café “quotes”, ✓ 🌱\nline two", challenges: nil, whatWouldHelp: "")
        var rows = Self.accepted("P001", Self.q2, narrative: narrative)
        rows.support.append(
            SupportRecord(
                partnerID: "P001", quarter: "2026-Q2", personRef: "", supportType: "x", status: "paused", startDate: -3,
                endDate: Int32.max, endingType: "transition", sessionsOffered: 0, sessionsAttended: Int.max,
                discretionarySpend: 0.1 + 0.2, panelApprovalRef: ""))
        rows.outcomes.append(
            OutcomeRecord(
                partnerID: "P001", quarter: "2026-Q2", personRef: "P001-B", outcomeID: "OG02", baselineScore: -1,
                currentScore: 0))
        rows.ripple.append(
            RippleRecord(
                partnerID: "P001", quarter: "2026-Q2", noteID: "N2", theme: "work", outcomeID: "OG02",
                note: "'; DROP TABLE ripple_row; --", consentToQuote: true))
        let first = Self.submission("P001", Self.q2, tag: "a", receivedOn: 20_641, onTime: false, accepted: rows)
        let second = Self.submission("P002", Self.q2, tag: "b")  // no narrative
        #expect(try store.apply(Self.run(Self.q2, [second, first])) == [.recorded(.accepted), .recorded(.accepted)])

        let back = try store.acceptedReturns(in: Self.q2)
        #expect(back.map(\.partnerID) == ["P001", "P002"])
        #expect(back == [try #require(Self.expected(first)), try #require(Self.expected(second))])
        #expect(back.first?.narrative?.challenges == nil)
        #expect(back.first?.narrative?.whatWouldHelp == "")
        #expect(back.last?.narrative == nil)
        // Reopened from disk, the same.
        #expect(try fixture.open().acceptedReturns(in: Self.q2) == back)
    }

    // MARK: - Idempotence

    @Test("Applying the same run twice changes nothing: unchanged outcomes, same rows, same bytes")
    func idempotence() throws {
        let store = try fixture.open()
        let run = Self.run(
            Self.q2,
            [Self.submission("P001", Self.q2, tag: "a"), Self.submission("P002", Self.q2, tag: "b", verdict: .rejected)],
            strays: [
                (Self.file("returns/2026-Q2/notes.txt", sha: "sha-stray", kind: nil), [Self.finding("returns/2026-Q2/notes.txt")])
            ])
        #expect(try store.apply(run) == [.recorded(.accepted), .recorded(.rejected)])
        let dump = try store.dumpForTesting()
        let accepted = try store.acceptedReturns(in: Self.q2)
        let summaries = try store.submissions(in: Self.q2)
        let bytes = try #require(fixture.bytes())

        var again = run
        again.startedAt += 3_600  // a later run of the same files
        #expect(try store.apply(again) == [.unchanged, .unchanged])
        #expect(try store.apply(run) == [.unchanged, .unchanged])
        #expect(try store.dumpForTesting() == dump)
        #expect(dump["run"]?.count == 1)
        #expect(try store.acceptedReturns(in: Self.q2) == accepted)
        #expect(try store.submissions(in: Self.q2) == summaries)
        #expect(fixture.bytes() == bytes)
    }

    @Test("A submission whose fingerprint is stored is unchanged even when it comes back with another verdict")
    func knownFingerprintIsUnchanged() throws {
        let store = try fixture.open()
        #expect(try store.apply(Self.run(Self.q2, [Self.submission("P001", Self.q2, tag: "a")])) == [.recorded(.accepted)])
        let dump = try store.dumpForTesting()
        let same = Self.submission("P001", Self.q2, tag: "a", verdict: .rejected, receivedOn: 20_700)
        let twice = [Self.submission("P002", Self.q2, tag: "b"), Self.submission("P002", Self.q2, tag: "b")]
        #expect(try store.apply(Self.run(Self.q2, [same] + twice)) == [.unchanged, .recorded(.accepted), .unchanged])
        #expect(try store.dumpForTesting()["submission"]?.count == (dump["submission"]?.count ?? 0) + 1)
        #expect(try store.submissions(in: Self.q2).map(\.verdict) == [.accepted, .accepted])
    }

    // MARK: - Supersession

    @Test("A newer accepted return supersedes the earlier one, which stays queryable")
    func acceptedSupersedesAccepted() throws {
        let store = try fixture.open()
        let first = Self.submission("P001", Self.q2, tag: "a", receivedOn: 20_640)
        let second = Self.submission(
            "P001", Self.q2, tag: "b", receivedOn: 20_650, accepted: Self.accepted("P001", Self.q2, variant: 1))
        #expect(try store.apply(Self.run(Self.q2, [first])) == [.recorded(.accepted)])
        #expect(try store.apply(Self.run(Self.q2, [second])) == [.supersededEarlier])

        #expect(try store.acceptedReturns(in: Self.q2) == [try #require(Self.expected(second, isResubmission: true))])
        let summaries = try store.submissions(in: Self.q2)
        #expect(summaries.map(\.verdict) == [.superseded, .accepted])
        #expect(summaries.map(\.isResubmission) == [false, true])
        #expect(summaries.map(\.files) == [["returns/2026-Q2/P001-a.csv"], ["returns/2026-Q2/P001-b.csv"]])
        #expect(summaries.map(\.receivedOn) == [20_640, 20_650])
        // The earlier return's rows are kept.
        #expect(try store.dumpForTesting()["support_row"]?.count == 4)
        #expect(try store.integrityCheck() == [])
    }

    @Test("Two accepted returns for one partner in the same run: the later supersedes the earlier")
    func supersessionWithinOneRun() throws {
        let store = try fixture.open()
        let first = Self.submission("P001", Self.q2, tag: "a")
        let second = Self.submission("P001", Self.q2, tag: "b", accepted: Self.accepted("P001", Self.q2, variant: 2))
        #expect(try store.apply(Self.run(Self.q2, [first, second])) == [.recorded(.accepted), .supersededEarlier])
        #expect(try store.acceptedReturns(in: Self.q2).map(\.support) == [Self.accepted("P001", Self.q2, variant: 2).support])
    }

    @Test("A newer rejected return does not supersede the accepted one; it is recorded with its findings")
    func rejectedDoesNotSupersede() throws {
        let store = try fixture.open()
        let good = Self.submission("P001", Self.q2, tag: "a")
        let path = "returns/2026-Q2/P001-b.csv"
        let findings = [Self.finding(path, row: 4), Self.finding(path, .warning, row: 2), Self.finding("reference/partners.csv")]
        let bad = Self.submission(
            "P001", Self.q2, tag: "b", verdict: .rejected, receivedOn: 20_660, onTime: false, findings: findings)
        #expect(try store.apply(Self.run(Self.q2, [good])) == [.recorded(.accepted)])
        #expect(try store.apply(Self.run(Self.q2, [bad])) == [.recorded(.rejected)])

        #expect(try store.acceptedReturns(in: Self.q2) == [try #require(Self.expected(good))])
        let summaries = try store.submissions(in: Self.q2)
        #expect(summaries.map(\.verdict) == [.accepted, .rejected])
        let rejected = try #require(summaries.last)
        #expect(rejected.findings == findings)
        #expect(rejected.files == [path])
        #expect(rejected.onTime == false)
        #expect(rejected.errorCount == 2 && rejected.warningCount == 1)
        #expect(summaries.first?.findings == good.findings)
    }

    @Test("A rejected return followed by an accepted one: the accepted is current and a resubmission")
    func rejectedThenAccepted() throws {
        let store = try fixture.open()
        let bad = Self.submission("P001", Self.q2, tag: "a", verdict: .rejected, receivedOn: 20_630)
        let good = Self.submission("P001", Self.q2, tag: "b", receivedOn: 20_645)
        #expect(try store.apply(Self.run(Self.q2, [bad])) == [.recorded(.rejected)])
        #expect(try store.acceptedReturns(in: Self.q2) == [])
        #expect(try store.apply(Self.run(Self.q2, [good])) == [.recorded(.accepted)])

        #expect(try store.acceptedReturns(in: Self.q2) == [try #require(Self.expected(good, isResubmission: true))])
        let summaries = try store.submissions(in: Self.q2)
        #expect(summaries.map(\.verdict) == [.rejected, .accepted])
        #expect(summaries.map(\.isResubmission) == [false, true])
    }

    // MARK: - Ledger

    @Test("The ledger records each path and bytes once, with the earliest first-seen time of the bytes")
    func ledgerFirstSeen() throws {
        let store = try fixture.open()
        #expect(try store.firstSeen(sha256: "sha-x") == nil)
        var first = Self.submission("P001", Self.q2, tag: "a")
        first.files = [
            Self.file("returns/2026-Q2/P001-support.csv", sha: "sha-x", firstSeen: 1_000),
            Self.file("returns/2026-Q2/P001-outcomes.csv", sha: "sha-y", kind: "outcomes", firstSeen: 1_000),
        ]
        #expect(try store.apply(Self.run(Self.q2, [first])) == [.recorded(.accepted)])
        #expect(try store.firstSeen(sha256: "sha-x") == 1_000)

        // The same bytes under another name, seen later; the same file again with a later time.
        var second = Self.submission("P001", Self.q2, tag: "b")
        second.files = [
            Self.file("returns/2026-Q2/P001-support-copy.csv", sha: "sha-x", firstSeen: 2_000),
            Self.file("returns/2026-Q2/P001-outcomes.csv", sha: "sha-y", kind: "outcomes", firstSeen: 3_000),
        ]
        #expect(try store.apply(Self.run(Self.q2, [second])) == [.supersededEarlier])
        #expect(try store.firstSeen(sha256: "sha-x") == 1_000)
        #expect(try store.firstSeen(sha256: "sha-y") == 1_000)

        let ledger = try store.ledger(in: Self.q2)
        #expect(
            ledger.map(\.file.path) == [
                "returns/2026-Q2/P001-outcomes.csv", "returns/2026-Q2/P001-support-copy.csv", "returns/2026-Q2/P001-support.csv",
            ])
        #expect(ledger.map(\.file.firstSeen) == [1_000, 2_000, 1_000])
        #expect(ledger.map(\.file.kind) == ["outcomes", "support", "support"])
        #expect(ledger.map(\.file.size) == [133, 137, 132])
        #expect(ledger.map(\.partnerID) == ["P001", "P001", "P001"])
        // The outcomes file is in both returns: the verdict of the latest; the first support file is superseded.
        #expect(ledger.map(\.verdict) == [.accepted, .accepted, .superseded])
        #expect(try store.dumpForTesting()["ledger_file"]?.count == 3)
    }

    @Test("A file's ledger entry carries the findings in it")
    func ledgerFindings() throws {
        let store = try fixture.open()
        let path = "returns/2026-Q2/P001-a.csv"
        let bad = Self.submission(
            "P001", Self.q2, tag: "a", verdict: .rejected, findings: [Self.finding(path), Self.finding("other.csv")])
        _ = try store.apply(Self.run(Self.q2, [bad]))
        let entry = try #require(try store.ledger(in: Self.q2).first)
        #expect(entry.verdict == .rejected)
        #expect(entry.findings == [Self.finding(path)])
    }

    @Test("Files that belong to no partner are recorded once, with their findings, under the run's quarter")
    func strayFiles() throws {
        let store = try fixture.open()
        let strays: [(file: LedgerFile, findings: [FileFinding])] = [
            (Self.file("returns/2026-Q2/zz.bin", sha: "sha-z", kind: nil), [Self.finding("returns/2026-Q2/zz.bin")]),
            (Self.file("returns/2026-Q2/aa.csv", sha: "sha-a", kind: nil), []),
        ]
        #expect(try store.apply(Self.run(Self.q2, [], strays: strays)) == [])
        let back = try store.strayFiles(in: Self.q2)
        #expect(back.map(\.path) == ["returns/2026-Q2/aa.csv", "returns/2026-Q2/zz.bin"])
        #expect(back.map(\.findings) == [[], [Self.finding("returns/2026-Q2/zz.bin")]])
        #expect(try store.strayFiles(in: Self.q1).isEmpty)
        #expect(try store.firstSeen(sha256: "sha-z") == 1_780_000_000)
        let dump = try store.dumpForTesting()
        _ = try store.apply(Self.run(Self.q2, [], strays: strays))
        #expect(try store.dumpForTesting() == dump)
        #expect(try store.ledger(in: Self.q2).map(\.verdict) == [nil, nil])
        #expect(try store.ledger(in: Self.q2).map(\.partnerID) == [nil, nil])

        // A later return that includes a file first seen as stray: it is no longer stray.
        var claimed = Self.submission("P001", Self.q2, tag: "a")
        claimed.files = [strays[1].file]
        #expect(try store.apply(Self.run(Self.q2, [claimed])) == [.recorded(.accepted)])
        #expect(try store.strayFiles(in: Self.q2).map(\.path) == ["returns/2026-Q2/zz.bin"])
        #expect(try store.ledger(in: Self.q2).map(\.partnerID) == ["P001", nil])
        #expect(try store.ledger(in: Self.q2).map(\.verdict) == [.accepted, nil])
    }

    // MARK: - Transactions

    @Test("A run that fails part-way leaves the store exactly as it was")
    func rollbackOnInvalidRun() throws {
        let store = try fixture.open()
        _ = try store.apply(Self.run(Self.q1, [Self.submission("P001", Self.q1, tag: "a")]))
        let dump = try store.dumpForTesting()
        let bytes = try #require(fixture.bytes())

        // The first submission is written before the second is found to be invalid.
        var noRows = Self.submission("P003", Self.q2, tag: "c")
        noRows.accepted = nil
        let failing = Self.run(
            Self.q2, [Self.submission("P001", Self.q2, tag: "a"), Self.submission("P002", Self.q2, tag: "b"), noRows],
            strays: [(Self.file("x.bin", sha: "sha-x"), [])])
        #expect(throws: StoreError.self) { try store.apply(failing) }
        do {
            _ = try store.apply(failing)
            Issue.record("an accepted return without rows was recorded")
        } catch {
            guard case .invalidRun(let reason) = error else { throw error }
            #expect(reason.contains("P003"))
        }
        #expect(try store.dumpForTesting() == dump)
        #expect(fixture.bytes() == bytes)

        // A constraint violation in SQLite itself (a negative size) also rolls back everything.
        var negative = Self.submission("P002", Self.q2, tag: "b")
        negative.files[0].size = -1
        let violating = Self.run(Self.q2, [Self.submission("P001", Self.q2, tag: "a"), negative])
        #expect(throws: StoreError.self) { try store.apply(violating) }
        #expect(try store.dumpForTesting() == dump)
        #expect(fixture.bytes() == bytes)

        // A superseded verdict is not the run stage's to give.
        var superseded = Self.submission("P001", Self.q2, tag: "z")
        superseded.verdict = .superseded
        #expect(throws: StoreError.self) {
            try store.apply(Self.run(Self.q2, [Self.submission("P004", Self.q2, tag: "d"), superseded]))
        }
        #expect(try store.dumpForTesting() == dump)

        // The store is usable afterwards.
        #expect(try store.apply(Self.run(Self.q2, [Self.submission("P002", Self.q2, tag: "b")])) == [.recorded(.accepted)])
        #expect(try store.integrityCheck() == [])
    }

    @Test("A run killed before its commit leaves the store as before the run")
    func killedMidWrite() throws {
        let store = try fixture.open()
        _ = try store.apply(Self.run(Self.q1, [Self.submission("P001", Self.q1, tag: "a")]))
        let before = try store.dumpForTesting()
        let bytesBefore = try #require(fixture.bytes())

        // A tiny page cache makes SQLite write pages into the file before the commit, as a large run does.
        try store.executeForTesting("PRAGMA cache_size = 8")
        let crashed = TemporaryFolder(prefix: "impact-store-crashed")
        let copy = (crashed.path as NSString).appendingPathComponent("impact.sqlite")
        let big = (0..<20).map { index in
            let partnerID = String(format: "P%03d", index)
            return Self.submission(partnerID, Self.q2, tag: "big", accepted: Self.large(partnerID, Self.q2, people: 200))
        }
        _ = try store.apply(Self.run(Self.q2, big)) {
            // What a SIGKILL at this moment leaves on disk: the part-written file and its hot journal.
            try FileManager.default.copyItem(atPath: fixture.path, toPath: copy)
            try FileManager.default.copyItem(atPath: fixture.path + "-journal", toPath: copy + "-journal")
        }
        #expect(FileManager.default.contents(atPath: copy) != bytesBefore, "nothing was written before the commit")
        #expect(try store.acceptedReturns(in: Self.q2).count == 20)

        let recovered = try Store(path: copy)
        #expect(try recovered.dumpForTesting() == before)
        #expect(try recovered.integrityCheck() == [])
        #expect(!FileManager.default.fileExists(atPath: copy + "-journal"))
        #expect(FileManager.default.contents(atPath: copy) == bytesBefore)
    }

    // MARK: - Health

    @Test("The integrity check is empty on a healthy store and names a dangling row")
    func integrityCheck() throws {
        let store = try fixture.open()
        _ = try store.apply(
            Self.run(
                Self.q2,
                [
                    Self.submission("P001", Self.q2, tag: "a"),
                    Self.submission("P002", Self.q2, tag: "b", verdict: .rejected),
                ]))
        #expect(try store.integrityCheck() == [])

        try store.executeForTesting("PRAGMA foreign_keys = OFF")
        try store.executeForTesting(
            "INSERT INTO outcome_row VALUES (999, 0, 'P9', '2026-Q2', 'X', 'OG01', 1, 2)")
        let problems = try store.integrityCheck()
        #expect(problems.count == 1)
        #expect(problems.first?.contains("outcome_row") == true)
        #expect(problems.first?.contains("submission") == true)
    }

    // MARK: - History

    @Test("History holds every quarter up to the given one that has accepted returns")
    func historyAcrossQuarters() throws {
        let store = try fixture.open()
        let q4 = Self.submission("P001", Self.q4, tag: "a")
        let q1a = Self.submission("P001", Self.q1, tag: "a")
        let q1b = Self.submission("P002", Self.q1, tag: "b", onTime: false)
        let q2 = Self.submission("P002", Self.q2, tag: "c")
        let q2Rejected = Self.submission("P001", Self.q2, tag: "d", verdict: .rejected)
        let q3 = Self.submission("P001", Self.q3, tag: "e")
        // Runs in any order: the store keys by each submission's quarter.
        _ = try store.apply(Self.run(Self.q2, [q2, q2Rejected]))
        _ = try store.apply(Self.run(Self.q4, [q4]))
        _ = try store.apply(Self.run(Self.q3, [q3]))
        _ = try store.apply(Self.run(Self.q1, [q1b, q1a]))

        let history = try store.history(through: Self.q2)
        #expect(history.keys.sorted() == [Self.q4, Self.q1, Self.q2])
        #expect(history[Self.q4] == [try #require(Self.expected(q4))])
        #expect(history[Self.q1] == [try #require(Self.expected(q1a)), try #require(Self.expected(q1b))])
        #expect(history[Self.q2] == [try #require(Self.expected(q2))])
        #expect(try store.history(through: Self.q4).keys.sorted() == [Self.q4])
        #expect(try store.history(through: Quarter(year: 2025, number: 3)).isEmpty)
        #expect(try store.history(through: Self.q3).count == 4)
        // Read on several connections at once, the history is the same.
        for jobs in [2, 3, 8] {
            for quarter in [Self.q4, Self.q1, Self.q2, Self.q3] {
                #expect(try store.history(through: quarter, jobs: jobs) == (try store.history(through: quarter)))
            }
        }
    }

    @Test("History read on several connections: the same returns in the same order, for any number of jobs")
    func historyOnSeveralConnections() throws {
        let store = try fixture.open()
        var runs: [Quarter: [SubmissionInput]] = [:]
        for (index, quarter) in [Self.q4, Self.q1, Self.q2].enumerated() {
            for partner in 1...9 where (partner + index) % 4 != 0 {
                let tag = "\(index)-\(partner)"
                runs[quarter, default: []].append(
                    Self.submission(String(format: "P%03d", partner), quarter, tag: tag, verdict: partner == 5 ? .rejected : .accepted))
            }
        }
        for (quarter, submissions) in runs { _ = try store.apply(Self.run(quarter, submissions)) }
        let one = try store.history(through: Self.q2)
        #expect(one.values.reduce(0) { $0 + $1.count } == 18)
        #expect(one[Self.q1]?.map(\.partnerID) == ["P001", "P002", "P004", "P006", "P008", "P009"])
        for jobs in [2, 3, 5, 16, 40] {
            #expect(try store.history(through: Self.q2, jobs: jobs) == one)
        }
    }

    // MARK: - Errors

    @Test("A file that is not an impact database gives a clear error, and is left alone")
    func notADatabase() throws {
        let folder = TemporaryFolder(prefix: "impact-store")
        let path = folder.write(
            ".impact/impact.sqlite", text: "partner_id,quarter\nP001,2026-Q2\n" + String(repeating: "x", count: 200))
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: StoreError.notAnImpactDatabase(path: path)) { try Store(path: path) }
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(StoreError.notAnImpactDatabase(path: path).description.contains("\(path)\" is not an impact database"))

        // Another program's SQLite database.
        let other = Fixture()
        try other.open().executeForTesting("PRAGMA application_id = 42")
        #expect(throws: StoreError.notAnImpactDatabase(path: other.path)) { try other.open() }

        // A folder where the file should be.
        let clash = TemporaryFolder(prefix: "impact-store")
        #expect(throws: StoreError.self) { try Store(path: clash.path) }
    }

    @Test("A store written by a newer impact is refused with a message to upgrade")
    func newerVersion() throws {
        try fixture.open().executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        #expect(throws: StoreError.newerVersion(path: fixture.path, unknownMigrations: ["v99"])) { try fixture.open() }
        #expect(StoreError.newerVersion(path: fixture.path, unknownMigrations: ["v99"]).description.contains("Upgrade impact"))
    }

    @Test("A store locked by another run gives a clear error, and is usable once the lock is released")
    func locked() throws {
        let store = try fixture.open()
        let other = try Store(path: fixture.path, busyTimeout: 0.2)
        try store.holdingLockForTesting {
            #expect(throws: StoreError.locked(path: fixture.path)) {
                try other.apply(Self.run(Self.q2, [Self.submission("P001", Self.q2, tag: "a")]))
            }
            #expect(throws: StoreError.locked(path: fixture.path)) { try other.acceptedReturns(in: Self.q2) }
            #expect(throws: StoreError.locked(path: fixture.path)) { try Store(path: fixture.path, busyTimeout: 0.2) }
        }
        #expect(StoreError.locked(path: fixture.path).description.contains("is locked by another run"))
        #expect(try other.apply(Self.run(Self.q2, [Self.submission("P001", Self.q2, tag: "a")])) == [.recorded(.accepted)])
    }

    // MARK: - Volume

    /// Builds a return with many rows.
    static func large(_ partnerID: String, _ quarter: Quarter, people: Int) -> AcceptedReturn {
        let q = quarter.description
        var support: [SupportRecord] = []
        var outcomes: [OutcomeRecord] = []
        support.reserveCapacity(people)
        outcomes.reserveCapacity(people * 2)
        for person in 0..<people {
            let ref = "\(partnerID)-\(person)"
            support.append(
                SupportRecord(
                    partnerID: partnerID, quarter: q, personRef: ref, supportType: "mentoring",
                    status: person % 3 == 0 ? "ended" : "active", startDate: Int32(19_000 + person % 700),
                    endDate: person % 3 == 0 ? 20_600 : nil, endingType: person % 3 == 0 ? "planned" : nil,
                    sessionsOffered: 8, sessionsAttended: person % 9,
                    discretionarySpend: person % 5 == 0 ? Double(person) / 4 : nil,
                    panelApprovalRef: nil))
            outcomes.append(
                OutcomeRecord(
                    partnerID: partnerID, quarter: q, personRef: ref, outcomeID: "OG01", baselineScore: 2,
                    currentScore: person % 7))
            outcomes.append(
                OutcomeRecord(
                    partnerID: partnerID, quarter: q, personRef: ref, outcomeID: "OG03", baselineScore: 4,
                    currentScore: person % 6))
        }
        return AcceptedReturn(
            partnerID: partnerID, quarter: quarter, receivedOn: 20_640, onTime: true, isResubmission: false,
            support: support, outcomes: outcomes, ripple: [], narrative: nil)
    }

    /// Runs `partners` returns of `people` people each through the store and reads them back.
    func measureVolume(partners: Int, people: Int) throws -> (write: Duration, read: Duration) {
        let store = try fixture.open()
        let submissions = (0..<partners).map { index in
            let partnerID = String(format: "P%04d", index)
            return Self.submission(partnerID, Self.q2, tag: "v", accepted: Self.large(partnerID, Self.q2, people: people))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes: [SubmissionOutcome] = try store.apply(Self.run(Self.q2, submissions))
        let written = clock.now
        let history: [Quarter: [AcceptedReturn]] = try store.history(through: Self.q2)
        let back: [AcceptedReturn] = history[Self.q2] ?? []
        let read = clock.now
        #expect(outcomes.allSatisfy { $0 == SubmissionOutcome.recorded(.accepted) })
        #expect(back.count == partners)
        let supportRows: Int = back.reduce(0) { $0 + $1.support.count }
        let outcomeRows: Int = back.reduce(0) { $0 + $1.outcomes.count }
        #expect(supportRows == partners * people)
        #expect(outcomeRows == partners * people * 2)
        let firstMatches = back.first == Self.expected(submissions[0])
        let lastMatches = back.last == Self.expected(submissions[partners - 1])
        #expect(firstMatches && lastMatches, "the first and last returns come back as written")
        return (written - started, read - written)
    }

    @Test("Tens of thousands of rows go in and come back in one run")
    func volume() throws {
        let timing = try measureVolume(partners: 20, people: 1_000)
        // Generous even for a debug build on a shared machine; record-by-record saves would not reach it.
        #expect(timing.write < .seconds(30))
        #expect(timing.read < .seconds(30))
    }

    /// The 1,000-partner scale (500,000 support and 1,000,000 outcome rows): set IMPACT_STORE_SCALE=1 to run it.
    @Test(
        "The 1,000-partner scale writes and reads back in seconds",
        .enabled(if: ProcessInfo.processInfo.environment["IMPACT_STORE_SCALE"] == "1"))
    func scale() throws {
        let timing = try measureVolume(partners: 1_000, people: 500)
        print("store scale: write \(timing.write), read \(timing.read)")
        #expect(timing.write < .seconds(60))
        #expect(timing.read < .seconds(60))
    }
}
