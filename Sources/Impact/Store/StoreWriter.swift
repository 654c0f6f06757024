import GRDB
import JSONSchema
import TableSchema

/// Writes one run inside the transaction ``Store/apply(_:)`` opened, with prepared (cached) statements
/// executed in loops: no per-row reflection, so a million rows insert in seconds.
struct StoreWriter {
    let db: Database
    let run: RunInput
    /// The run's row, inserted on the first change (a run that changes nothing leaves no row).
    private var runID: Int64?

    init(db: Database, run: RunInput) {
        self.db = db
        self.run = run
    }

    // MARK: - Run

    /// Records the run's stray files (after its submissions).
    mutating func recordStrayFiles() throws {
        for stray in run.strayFiles {
            try recordStray(stray.file, findings: stray.findings)
        }
    }

    /// The run's row ID, inserting the row the first time.
    private mutating func currentRunID() throws -> Int64 {
        if let runID { return runID }
        try db.cachedStatement(sql: "INSERT INTO run (quarter, started_at, program_version) VALUES (?, ?, ?)")
            .execute(arguments: [run.quarter.description, run.startedAt, run.programVersion])
        let id = db.lastInsertedRowID
        runID = id
        return id
    }

    // MARK: - Submissions

    /// Stops the run when a submission cannot be what the run stage meant.
    private func validate(_ submission: SubmissionInput) throws {
        let name = "the return of \(submission.partnerID) for \(submission.quarter)"
        switch submission.verdict {
        case .superseded:
            throw StoreError.invalidRun(
                reason: "\(name) has the verdict superseded; only accepted or rejected returns can be recorded")
        case .accepted:
            guard let accepted = submission.accepted else {
                throw StoreError.invalidRun(reason: "\(name) is accepted but has no rows")
            }
            guard accepted.partnerID == submission.partnerID, accepted.quarter == submission.quarter else {
                throw StoreError.invalidRun(
                    reason: "\(name) carries the rows of \(accepted.partnerID) for \(accepted.quarter)")
            }
        case .rejected:
            break
        }
        if submission.fingerprint.isEmpty {
            throw StoreError.invalidRun(reason: "\(name) has no fingerprint")
        }
    }

    /// Records one submission unless its fingerprint is already stored for its partner and quarter.
    mutating func record(_ submission: SubmissionInput) throws -> SubmissionOutcome {
        try validate(submission)
        let quarter = submission.quarter.description
        let key: StatementArguments = [submission.partnerID, quarter]
        let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM submission WHERE partner_id = ? AND quarter = ? AND fingerprint = ?"),
            arguments: key + [submission.fingerprint])
        if existing != nil { return .unchanged }

        let runID = try currentRunID()
        let countEarlier = try db.cachedStatement(sql: "SELECT count(*) FROM submission WHERE partner_id = ? AND quarter = ?")
        let earlier = try Int.fetchOne(countEarlier, arguments: key) ?? 0
        var superseded: Int64?
        if submission.verdict == .accepted {
            superseded = try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id FROM submission WHERE partner_id = ? AND quarter = ? AND verdict = 'accepted'"),
                arguments: key)
            if let superseded {
                try db.cachedStatement(sql: "UPDATE submission SET verdict = 'superseded' WHERE id = ?")
                    .execute(arguments: [superseded])
            }
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO submission (run_id, partner_id, quarter, fingerprint, verdict, received_on, on_time, is_resubmission)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            runID, submission.partnerID, quarter, submission.fingerprint, submission.verdict.rawValue,
            submission.receivedOn, submission.onTime, earlier > 0,
        ])
        let submissionID = db.lastInsertedRowID
        if let superseded {
            try db.cachedStatement(sql: "UPDATE submission SET superseded_by = ? WHERE id = ?")
                .execute(arguments: [submissionID, superseded])
        }

        var fileIDs: [String: Int64] = [:]
        let link = try db.cachedStatement(sql: "INSERT INTO submission_file (submission_id, position, file_id) VALUES (?, ?, ?)")
        for (position, file) in submission.files.enumerated() {
            let fileID = try ledgerFileID(file, partnerID: submission.partnerID, quarter: quarter)
            try link.execute(arguments: [submissionID, position, fileID])
            if fileIDs[file.path] == nil { fileIDs[file.path] = fileID }
        }
        for finding in submission.findings {
            try insert(finding, submissionID: submissionID, fileID: fileIDs[finding.file])
        }
        if submission.verdict == .accepted, let accepted = submission.accepted {
            try insertRows(of: accepted, submissionID: submissionID)
        }
        if superseded != nil { return .supersededEarlier }
        return .recorded(submission.verdict)
    }

    // MARK: - Ledger

    /// The ledger row of a file, inserted when its path and bytes are new. A file first recorded as
    /// stray gets its partner when a later submission includes it.
    private mutating func ledgerFileID(_ file: LedgerFile, partnerID: String?, quarter: String) throws -> Int64 {
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM ledger_file WHERE path = ? AND sha256 = ?"),
            arguments: [file.path, file.sha256])
        {
            if let partnerID {
                try db.cachedStatement(sql: "UPDATE ledger_file SET partner_id = ? WHERE id = ? AND partner_id IS NULL")
                    .execute(arguments: [partnerID, id])
            }
            return id
        }
        let runID = try currentRunID()
        try db.cachedStatement(
            sql: """
                INSERT INTO ledger_file (run_id, path, sha256, size, kind, partner_id, quarter, first_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [runID, file.path, file.sha256, file.size, file.kind, partnerID, quarter, file.firstSeen])
        return db.lastInsertedRowID
    }

    /// Records a file that could not be tied to a partner, unless its path and bytes are already known.
    private mutating func recordStray(_ file: LedgerFile, findings: [FileFinding]) throws {
        let known = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM ledger_file WHERE path = ? AND sha256 = ?"),
            arguments: [file.path, file.sha256])
        if known != nil { return }
        let fileID = try ledgerFileID(file, partnerID: nil, quarter: run.quarter.description)
        for finding in findings {
            try insert(finding, submissionID: nil, fileID: fileID)
        }
    }

    /// Records one finding of a submission or of a stray file.
    private func insert(_ fileFinding: FileFinding, submissionID: Int64?, fileID: Int64?) throws {
        let finding = fileFinding.finding
        try db.cachedStatement(
            sql: """
                INSERT INTO finding (submission_id, file_id, file, severity, code, row_number, field_name, field_number,
                    cell, message, byte_offset, pointer, line_number, column_number, rule)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            submissionID, fileID, fileFinding.file, finding.severity.rawValue, finding.code.rawValue, finding.rowNumber,
            finding.fieldName, finding.fieldNumber, finding.cell, finding.message, finding.byteOffset, finding.pointer,
            finding.line, finding.column, finding.rule,
        ])
    }

    // MARK: - Rows

    /// Records the rows and narrative of an accepted return, keeping their order.
    private func insertRows(of accepted: AcceptedReturn, submissionID: Int64) throws {
        try insertMany(
            into: "support_row", submissionID: submissionID,
            columns: [
                "partner_id", "quarter", "person_ref", "support_type", "status", "start_date",
                "end_date", "ending_type", "sessions_offered", "sessions_attended", "discretionary_spend", "panel_approval_ref",
                "transition_to", "worker_changes", "priority_groups",
            ], accepted.support
        ) { row, values in
            values.add(row.partnerID)
            values.add(row.quarter)
            values.add(row.personRef)
            values.add(row.supportType)
            values.add(row.status)
            values.add(row.startDate)
            values.add(row.endDate)
            values.add(row.endingType)
            values.add(row.sessionsOffered)
            values.add(row.sessionsAttended)
            values.add(row.discretionarySpend)
            values.add(row.panelApprovalRef)
            values.add(row.transitionTo)
            values.add(row.workerChanges)
            values.add(row.priorityGroups.isEmpty ? nil : row.priorityGroups.joined(separator: ";"))
        }
        try insertMany(
            into: "outcome_row", submissionID: submissionID,
            columns: [
                "partner_id", "quarter", "person_ref", "outcome_id", "baseline_score", "current_score",
            ], accepted.outcomes
        ) { row, values in
            values.add(row.partnerID)
            values.add(row.quarter)
            values.add(row.personRef)
            values.add(row.outcomeID)
            values.add(row.baselineScore)
            values.add(row.currentScore)
        }
        try insertMany(
            into: "ripple_row", submissionID: submissionID,
            columns: [
                "partner_id", "quarter", "note_id", "theme", "outcome_id", "note", "consent_to_quote",
            ], accepted.ripple
        ) { row, values in
            values.add(row.partnerID)
            values.add(row.quarter)
            values.add(row.noteID)
            values.add(row.theme)
            values.add(row.outcomeID)
            values.add(row.note)
            values.add(row.consentToQuote)
        }
        let tableRow = try db.cachedStatement(
            sql: "INSERT INTO table_row (submission_id, table_name, position, fields, cells) VALUES (?, ?, ?, ?, ?)")
        for records in accepted.tables {
            let fields = "[" + records.fields.map(JSONString.literal).joined(separator: ",") + "]"
            for (position, row) in records.rows.enumerated() {
                let cells = "[" + row.map { $0.map(JSONString.literal) ?? "null" }.joined(separator: ",") + "]"
                try tableRow.executeBound { values in
                    values.add(submissionID)
                    values.add(records.table)
                    values.add(position)
                    values.add(fields)
                    values.add(cells)
                }
            }
        }
        if let narrative = accepted.narrative {
            try db.cachedStatement(
                sql: "INSERT INTO narrative (submission_id, highlights, challenges, what_would_help) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [submissionID, narrative.highlights, narrative.challenges, narrative.whatWouldHelp])
        }
    }

    /// How many rows one INSERT statement carries: SQLite's statement machinery is run once per this many
    /// rows instead of once per row.
    static let rowsPerInsert = 64

    /// Inserts a submission's rows into `table`, `rowsPerInsert` to a statement: each row's `submission_id` and
    /// `position` (in `rows`), then the values `bind` binds in the order of `columns`.
    private func insertMany<Rows: Collection>(
        into table: String, submissionID: Int64, columns: [String], _ rows: Rows,
        bind: (_ row: Rows.Element, _ values: inout ParameterBinder) -> Void
    ) throws {
        let columns = ["submission_id", "position"] + columns
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        func statement(rows count: Int) throws -> Statement {
            try db.cachedStatement(sql: head + Array(repeating: tuple, count: count).joined(separator: ", "))
        }
        let full = try statement(rows: Self.rowsPerInsert)
        let total = rows.count
        var index = rows.startIndex
        var position = 0
        while index != rows.endIndex {
            let count = min(Self.rowsPerInsert, total - position)
            try (count == Self.rowsPerInsert ? full : statement(rows: count)).executeBound { values in
                for _ in 0..<count {
                    values.add(submissionID)
                    values.add(position)
                    bind(rows[index], &values)
                    rows.formIndex(after: &index)
                    position += 1
                }
            }
        }
    }
}
