import Foundation
import GRDB
import TableSchema

/// The history store: the ledger of every file received, every return's verdict and findings, and the
/// rows of accepted returns, in an SQLite database inside the workspace.
///
/// The database uses SQLite's rollback journal (`journal_mode = DELETE`) with `synchronous = FULL` and
/// foreign keys on: each ``apply(_:)`` is one transaction, so a run killed at any moment leaves the store
/// as it was before the run or as after it, and between runs the store is one self-contained file.
public final class Store: Sendable {
    /// Where the store lives inside a workspace.
    public static let defaultRelativePath = ".impact/impact.sqlite"

    /// The database file's path.
    public let path: String
    let queue: DatabaseQueue

    // MARK: - Opening

    /// Opens the store at `path`, creating its folders and file as needed and migrating it to the
    /// current schema. Waits up to five seconds for another run that holds the store's lock.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, busyTimeout: 5)
    }

    /// Opens the store, waiting at most `busyTimeout` seconds for another connection's lock.
    init(path: String, busyTimeout: TimeInterval) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .cannotOpen(path: path, reason: "it is a folder")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create the folder \"\(folder)\" (\(error.localizedDescription))")
            }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "impact.store"
        configuration.prepareDatabase { db in
            // The rollback journal keeps the store one self-contained file between runs (safe to copy
            // or sync); FULL makes each commit durable and a killed write roll back on the next open.
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA fullfsync = ON")  // macOS: flush the drive's cache too; ignored elsewhere
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.from(error, path: path)
        }
        try migrate()
    }

    /// Checks that the file is an impact store (or empty) and applies the migrations it lacks.
    private func migrate() throws(StoreError) {
        let migrator = StoreSchema.migrator
        let path = self.path
        try perform {
            let state = try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                let applied = objects == 0 ? [] : try migrator.appliedIdentifiers(db)
                return (applicationID: applicationID, isEmpty: objects == 0, applied: applied)
            }
            // Ours, or an empty file that is about to become ours.
            guard state.applicationID == StoreSchema.applicationID || (state.applicationID == 0 && state.isEmpty) else {
                throw StoreError.notAnImpactDatabase(path: path)
            }
            let unknown = state.applied.subtracting(migrator.migrations).sorted()
            guard unknown.isEmpty else { throw StoreError.newerVersion(path: path, unknownMigrations: unknown) }
            try migrator.migrate(queue)
        }
    }

    /// Runs `body`, turning whatever it throws into a ``StoreError``.
    func perform<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    // MARK: - Ledger

    /// The earliest time these bytes were received (at any path): first seen by a run, or sent through
    /// the portal; nil when they are new.
    public func firstSeen(sha256: String) throws(StoreError) -> Int64? {
        try perform {
            try queue.read { db in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT min(t) FROM (
                            SELECT first_seen AS t FROM ledger_file WHERE sha256 = ?
                            UNION ALL SELECT received_at FROM portal_receipt WHERE sha256 = ?)
                        """, arguments: [sha256, sha256])
            }
        }
    }

    /// The ledger rows first recorded by runs of `quarter`, by path then hash.
    func ledger(in quarter: Quarter) throws(StoreError) -> [LedgerEntry] {
        try perform {
            try queue.read { db in try StoreReader(db: db, path: path).ledger(quarter: quarter) }
        }
    }

    // MARK: - Reading returns

    /// The current accepted return of each partner for `quarter` (superseded ones left out), by partner
    /// ID, with their rows in the order they were recorded.
    func acceptedReturns(in quarter: Quarter) throws(StoreError) -> [AcceptedReturn] {
        try perform {
            try queue.read { db in try StoreReader(db: db, path: path).acceptedReturns(quarter: quarter) }
        }
    }

    /// The current accepted returns of every quarter up to and including `quarter` that has any; `known`
    /// gives rows of `quarter` recorded by this process (see ``StoreReader/acceptedReturns(quarter:known:)``).
    func history(
        through quarter: Quarter, known: [String: RecordedRows] = [:], jobs: Int = 1
    ) throws(StoreError) -> [Quarter: [AcceptedReturn]] {
        try storedHistory(through: quarter, known: known, jobs: jobs, digestKey: nil).returns
    }

    /// The history as a run reads it (see ``history(through:known:jobs:)``), with each return's submission
    /// ID and, for a quarter before `quarter` whose every return has a digest stored under `digestKey`, those
    /// digests: such returns are read without their support, outcomes and declared tables' rows.
    func storedHistory(
        through quarter: Quarter, known: [String: RecordedRows], jobs: Int, digestKey: String?
    ) throws(StoreError) -> StoredHistory {
        try perform {
            // This read holds SQLite's shared lock until every return is read, on this connection or on the
            // others: no run can commit in between, so all of them read the same store.
            try queue.read { db in
                let reader = StoreReader(db: db, path: path)
                var headers: [(header: StoreReader.AcceptedHeader, digest: [UInt8]?, isDigested: Bool)] = []
                for stored in try reader.quartersWithAcceptedReturns() where stored <= quarter {
                    let ofQuarter = try reader.acceptedHeaders(quarter: stored)
                    guard let digestKey else {
                        headers += ofQuarter.map { ($0, nil, false) }
                        continue
                    }
                    // The quarter being run is read from its rows: only which of its returns have a digest.
                    guard stored < quarter else {
                        let digested = try reader.digestedReturns(quarter: stored, key: digestKey)
                        headers += ofQuarter.map { ($0, nil, digested.contains($0.id)) }
                        continue
                    }
                    // An earlier quarter is read from digests only when every return of it has one.
                    let digests = try reader.digests(quarter: stored, key: digestKey)
                    let complete = ofQuarter.allSatisfy { digests[$0.id] != nil }
                    headers += ofQuarter.map { ($0, complete ? digests[$0.id] : nil, digests[$0.id] != nil) }
                }
                let known = { (header: StoreReader.AcceptedHeader) in header.quarter == quarter ? known : [:] }
                let read = { (reader: StoreReader, item: (header: StoreReader.AcceptedHeader, digest: [UInt8]?, isDigested: Bool)) in
                    StoredReturn(
                        submissionID: item.header.id,
                        value: try reader.acceptedReturn(item.header, known: known(item.header), rows: item.digest == nil),
                        digest: item.digest, isDigested: item.isDigested)
                }
                let returns: [StoredReturn]
                if jobs > 1 && headers.count > 1 {
                    returns = try readInParallel(headers, jobs: jobs, read)
                } else {
                    returns = try headers.map { try read(reader, $0) }
                }
                var history = StoredHistory()
                for stored in returns { history.entries[stored.value.quarter, default: []].append(stored) }
                return history
            }
        }
    }

    /// Stores digests of accepted returns under `key`, replacing any stored before, in one transaction.
    func record(digests: [(submissionID: Int64, data: [UInt8])], key: String) throws(StoreError) {
        guard !digests.isEmpty else { return }
        try perform {
            try queue.write { db in
                let statement = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO return_digest (submission_id, key, data) VALUES (?, ?, ?)")
                for digest in digests {
                    try statement.execute(arguments: [digest.submissionID, key, Data(digest.data)])
                }
            }
        }
    }

    /// Reads `items` on up to `jobs` read-only connections of their own, each a run of consecutive items, and
    /// gives the results in order. Call it while holding a read, so that every connection reads the same store.
    private func readInParallel<Item, Result>(
        _ items: [Item], jobs: Int, _ read: (StoreReader, Item) throws -> Result
    ) throws -> [Result] {
        // More runs than jobs, so that a run of large returns does not leave a core idle at the end.
        let runs = min(items.count, jobs * 4)
        let bounds = (0...runs).map { $0 * items.count / runs }
        let path = path
        let results = Array(0..<runs).parallelMap(jobs: jobs) { run -> Swift.Result<[Result], Error> in
            Swift.Result {
                var configuration = Configuration()
                configuration.readonly = true
                // A writer waiting to commit blocks new readers; it gives up first (its timeout is 5 s).
                configuration.busyMode = .timeout(60)
                configuration.label = "impact.store.reader"
                let connection = try DatabaseQueue(path: path, configuration: configuration)
                return try connection.read { db in
                    let reader = StoreReader(db: db, path: path)
                    return try items[bounds[run]..<bounds[run + 1]].map { try read(reader, $0) }
                }
            }
        }
        return try results.flatMap { try $0.get() }
    }

    /// Every return recorded for `quarter`, whatever its verdict (superseded and rejected included),
    /// by partner ID, then received day, then fingerprint, with its files and findings.
    func submissions(in quarter: Quarter) throws(StoreError) -> [SubmissionSummary] {
        try perform {
            try queue.read { db in try StoreReader(db: db, path: path).submissions(quarter: quarter) }
        }
    }

    /// The files recorded by runs of `quarter` that could not be tied to a partner, by path (then hash),
    /// with their findings.
    func strayFiles(in quarter: Quarter) throws(StoreError) -> [(path: String, findings: [FileFinding])] {
        try perform {
            try queue.read { db in try StoreReader(db: db, path: path).strayFiles(quarter: quarter) }
        }
    }

    // MARK: - Writing

    /// Records a run in one transaction and says what became of each submission (in the same order
    /// as `run.submissions`). A submission whose fingerprint is already stored for its partner and
    /// quarter changes nothing; when the run changes nothing at all, the database is left untouched.
    /// On any error nothing of the run is recorded.
    func apply(_ run: RunInput) throws(StoreError) -> [SubmissionOutcome] {
        try apply(run, beforeCommit: {})
    }

    /// Records a run, calling `beforeCommit` when everything is written but not yet committed (tests
    /// use it to copy the files as a killed process would leave them).
    func apply(_ run: RunInput, beforeCommit: () throws -> Void) throws(StoreError) -> [SubmissionOutcome] {
        try apply(run, beforeCommit: beforeCommit) { record in
            for submission in run.submissions { _ = try record(submission) }
        }
    }

    /// Records a run whose submissions are handed over one by one, in order, while `submissions` runs (a run
    /// records each partner's return as soon as it is checked), then its stray files, in one transaction; says
    /// what became of each submission. The store is the same as after ``apply(_:)`` with those submissions,
    /// and on any error nothing of the run is recorded.
    ///
    /// - Parameter submissions: hands each submission to the `record` it is given; `run.submissions` is
    ///   not used.
    func apply(
        _ run: RunInput, recording submissions: (_ record: (SubmissionInput) throws -> SubmissionOutcome) throws -> Void
    ) throws(StoreError) -> [SubmissionOutcome] {
        try apply(run, beforeCommit: {}, recording: submissions)
    }

    /// The one way a run is recorded: its submissions as `submissions` hands them over, then its stray files,
    /// then `beforeCommit`, in one transaction.
    private func apply(
        _ run: RunInput, beforeCommit: () throws -> Void,
        recording submissions: (_ record: (SubmissionInput) throws -> SubmissionOutcome) throws -> Void
    ) throws(StoreError) -> [SubmissionOutcome] {
        try perform {
            try queue.writeWithoutTransaction { db in
                var outcomes: [SubmissionOutcome] = []
                try db.inTransaction(.immediate) {
                    var writer = StoreWriter(db: db, run: run)
                    try submissions { submission in
                        let outcome = try writer.record(submission)
                        outcomes.append(outcome)
                        return outcome
                    }
                    try writer.recordStrayFiles()
                    try beforeCommit()
                    return .commit
                }
                return outcomes
            }
        }
    }

    // MARK: - Health

    /// Problems SQLite finds in the file (`PRAGMA integrity_check`) and rows that refer to missing rows
    /// (`PRAGMA foreign_key_check`), as readable sentences; empty when the store is healthy.
    public func integrityCheck() throws(StoreError) -> [String] {
        try perform {
            try queue.read { db in
                var problems: [String] = []
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                if integrity != ["ok"] {
                    problems += integrity.map { "integrity: \($0)" }
                }
                let rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                for row in rows {
                    let table: String = try row.decode(String.self, atIndex: 0)
                    let rowID: Int64? = try row.decode(Int64?.self, atIndex: 1)
                    let parent: String = try row.decode(String.self, atIndex: 2)
                    let which = rowID.map { "row \($0)" } ?? "a row"
                    problems.append("foreign key: \(which) of table \(table) refers to a missing row of table \(parent)")
                }
                return problems
            }
        }
    }
}
