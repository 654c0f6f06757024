import Foundation
import GRDB
import JSONSchema
import TableSchema

/// Reads the store inside one read access, turning rows back into the model's values.
///
/// Every query orders by explicit columns, so results are stable. Values that cannot be read back
/// (an unknown verdict, a malformed quarter) throw ``StoreError/corrupt(path:detail:)``.
struct StoreReader {
    let db: Database
    /// The store's path, for errors.
    let path: String

    // MARK: - Accepted returns

    /// The quarters that have at least one current accepted return, in time order.
    func quartersWithAcceptedReturns() throws -> [Quarter] {
        let texts = try String.fetchAll(
            db, sql: "SELECT DISTINCT quarter FROM submission WHERE verdict = 'accepted' ORDER BY quarter")
        return try texts.map { text throws -> Quarter in try quarter(text) }.sorted()
    }

    /// The current accepted return of each partner for a quarter, by partner ID.
    ///
    /// - Parameter known: rows this process has just recorded, by partner ID with the submission's
    ///   fingerprint: a stored return with that fingerprint takes its rows from here instead of reading
    ///   them back (the header still comes from the store).
    func acceptedReturns(quarter: Quarter, known: [String: RecordedRows] = [:]) throws -> [AcceptedReturn] {
        try acceptedHeaders(quarter: quarter).map { try acceptedReturn($0, known: known) }
    }

    /// What the store says of an accepted return before its rows: read first, then the rows by `id`.
    struct AcceptedHeader: Sendable {
        var id: Int64
        var partnerID: String
        var quarter: Quarter
        var receivedOn: Int32
        var onTime: Bool
        var isResubmission: Bool
        var fingerprint: String
    }

    /// The headers of a quarter's current accepted returns, by partner ID.
    func acceptedHeaders(quarter: Quarter) throws -> [AcceptedHeader] {
        let headers = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, partner_id, received_on, on_time, is_resubmission, fingerprint FROM submission
                    WHERE quarter = ? AND verdict = 'accepted' ORDER BY partner_id, id
                    """),
            arguments: [quarter.description])
        return try headers.map { header in
            AcceptedHeader(
                id: try header.decode(Int64.self, atIndex: 0), partnerID: try header.decode(String.self, atIndex: 1),
                quarter: quarter, receivedOn: try header.decode(Int32.self, atIndex: 2),
                onTime: try header.decode(Bool.self, atIndex: 3), isResubmission: try header.decode(Bool.self, atIndex: 4),
                fingerprint: try header.decode(String.self, atIndex: 5))
        }
    }

    /// An accepted return with its rows: read from the store, or taken from `known` (see
    /// ``acceptedReturns(quarter:known:)``).
    ///
    /// - Parameter rows: false to leave out the support, outcomes and declared tables' rows (the return's
    ///   digest stands for them); its ripple-effect notes and narrative are read all the same.
    func acceptedReturn(
        _ header: AcceptedHeader, known: [String: RecordedRows] = [:], rows: Bool = true
    ) throws
        -> AcceptedReturn
    {
        if let recorded = known[header.partnerID], recorded.fingerprint == header.fingerprint {
            var value = recorded.rows
            value.quarter = header.quarter
            value.receivedOn = header.receivedOn
            value.onTime = header.onTime
            value.isResubmission = header.isResubmission
            // As `tableRows(of:)` reads them: by table name.
            value.tables.sort { $0.table < $1.table }
            return value
        }
        return AcceptedReturn(
            partnerID: header.partnerID, quarter: header.quarter, receivedOn: header.receivedOn, onTime: header.onTime,
            isResubmission: header.isResubmission, support: rows ? try supportRows(of: header.id) : [],
            outcomes: rows ? try outcomeRows(of: header.id) : [], ripple: try rippleRows(of: header.id),
            narrative: try narrative(of: header.id), tables: rows ? try tableRows(of: header.id) : [])
    }

    /// The submission IDs of a quarter's current accepted returns with a digest stored under `key`.
    func digestedReturns(quarter: Quarter, key: String) throws -> Set<Int64> {
        Set(
            try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.submission_id FROM return_digest d JOIN submission s ON s.id = d.submission_id
                        WHERE s.quarter = ? AND s.verdict = 'accepted' AND d.key = ?
                        """),
                arguments: [quarter.description, key]))
    }

    /// The digests stored under `key` of a quarter's current accepted returns, by submission ID.
    func digests(quarter: Quarter, key: String) throws -> [Int64: [UInt8]] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT d.submission_id, d.data FROM return_digest d JOIN submission s ON s.id = d.submission_id
                    WHERE s.quarter = ? AND s.verdict = 'accepted' AND d.key = ?
                    """),
            arguments: [quarter.description, key])
        var digests: [Int64: [UInt8]] = [:]
        while let row = try rows.next() {
            digests[try row.decode(Int64.self, atIndex: 0)] = [UInt8](try row.decode(Data.self, atIndex: 1))
        }
        return digests
    }

    private func supportRows(of submissionID: Int64) throws -> [SupportRecord] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT partner_id, quarter, person_ref, support_type, status, start_date, end_date, ending_type,
                    sessions_offered, sessions_attended, discretionary_spend, panel_approval_ref, transition_to,
                    worker_changes, priority_groups
                FROM support_row WHERE submission_id = ? ORDER BY position
                """)
        var records: [SupportRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: [submissionID])
        while let row = try rows.next() {
            records.append(
                SupportRecord(
                    partnerID: try row.decode(String.self, atIndex: 0), quarter: try row.decode(String.self, atIndex: 1),
                    personRef: try row.decode(String.self, atIndex: 2), supportType: try row.decode(String.self, atIndex: 3),
                    status: try row.decode(String.self, atIndex: 4), startDate: try row.decode(Int32?.self, atIndex: 5),
                    endDate: try row.decode(Int32?.self, atIndex: 6), endingType: try row.decode(String?.self, atIndex: 7),
                    sessionsOffered: try row.decode(Int?.self, atIndex: 8),
                    sessionsAttended: try row.decode(Int?.self, atIndex: 9),
                    discretionarySpend: try row.decode(Double?.self, atIndex: 10),
                    panelApprovalRef: try row.decode(String?.self, atIndex: 11),
                    transitionTo: try row.decode(String?.self, atIndex: 12), workerChanges: try row.decode(Int?.self, atIndex: 13),
                    priorityGroups: (try row.decode(String?.self, atIndex: 14) ?? "").split(separator: ";").map(String.init)))
        }
        return records
    }

    private func outcomeRows(of submissionID: Int64) throws -> [OutcomeRecord] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT partner_id, quarter, person_ref, outcome_id, baseline_score, current_score
                FROM outcome_row WHERE submission_id = ? ORDER BY position
                """)
        var records: [OutcomeRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: [submissionID])
        while let row = try rows.next() {
            records.append(
                OutcomeRecord(
                    partnerID: try row.decode(String.self, atIndex: 0), quarter: try row.decode(String.self, atIndex: 1),
                    personRef: try row.decode(String.self, atIndex: 2), outcomeID: try row.decode(String.self, atIndex: 3),
                    baselineScore: try row.decode(Int.self, atIndex: 4), currentScore: try row.decode(Int.self, atIndex: 5)))
        }
        return records
    }

    /// The rows of the declared tables, by table in name order.
    private func tableRows(of submissionID: Int64) throws -> [TableRecords] {
        let statement = try db.cachedStatement(
            sql: "SELECT table_name, fields, cells FROM table_row WHERE submission_id = ? ORDER BY table_name, position")
        var records: [TableRecords] = []
        let rows = try Row.fetchCursor(statement, arguments: [submissionID])
        while let row = try rows.next() {
            let table = try row.decode(String.self, atIndex: 0)
            let fields = try Self.texts(row.decode(String.self, atIndex: 1), table: table).map { $0 ?? "" }
            let cells = try Self.texts(row.decode(String.self, atIndex: 2), table: table)
            if records.last?.table == table {
                records[records.count - 1].rows.append(cells)
            } else {
                records.append(TableRecords(table: table, fields: fields, rows: [cells]))
            }
        }
        return records
    }

    /// A stored JSON array of strings and nulls.
    private static func texts(_ json: String, table: String) throws -> [String?] {
        guard case .array(let items) = try JSONParser().parse(json).value else {
            throw StoreError.corrupt(path: "", detail: "a row of the table \(table) is not a JSON array")
        }
        return try items.map { item in
            switch item {
            case .string(let text): return text
            case .null: return nil
            default: throw StoreError.corrupt(path: "", detail: "a cell of the table \(table) is neither text nor null")
            }
        }
    }

    private func rippleRows(of submissionID: Int64) throws -> [RippleRecord] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT partner_id, quarter, note_id, theme, outcome_id, note, consent_to_quote
                FROM ripple_row WHERE submission_id = ? ORDER BY position
                """)
        var records: [RippleRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: [submissionID])
        while let row = try rows.next() {
            records.append(
                RippleRecord(
                    partnerID: try row.decode(String.self, atIndex: 0), quarter: try row.decode(String.self, atIndex: 1),
                    noteID: try row.decode(String.self, atIndex: 2), theme: try row.decode(String.self, atIndex: 3),
                    outcomeID: try row.decode(String?.self, atIndex: 4), note: try row.decode(String.self, atIndex: 5),
                    consentToQuote: try row.decode(Bool.self, atIndex: 6)))
        }
        return records
    }

    private func narrative(of submissionID: Int64) throws -> Narrative? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT highlights, challenges, what_would_help FROM narrative WHERE submission_id = ?"),
            arguments: [submissionID])
        guard let row else { return nil }
        return Narrative(
            highlights: try row.decode(String?.self, atIndex: 0), challenges: try row.decode(String?.self, atIndex: 1),
            whatWouldHelp: try row.decode(String?.self, atIndex: 2))
    }

    // MARK: - Submissions

    /// Every submission for a quarter, by partner ID, received day and fingerprint.
    func submissions(quarter: Quarter) throws -> [SubmissionSummary] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, partner_id, verdict, received_on, on_time, is_resubmission FROM submission
                WHERE quarter = ? ORDER BY partner_id, received_on, fingerprint, id
                """,
            arguments: [quarter.description])
        return try rows.map { row throws -> SubmissionSummary in
            let id = try row.decode(Int64.self, atIndex: 0)
            return SubmissionSummary(
                partnerID: try row.decode(String.self, atIndex: 1), quarter: quarter,
                verdict: try verdict(row.decode(String.self, atIndex: 2)), receivedOn: try row.decode(Int32.self, atIndex: 3),
                onTime: try row.decode(Bool.self, atIndex: 4), isResubmission: try row.decode(Bool.self, atIndex: 5),
                files: try filePaths(of: id), findings: try findings(ofSubmission: id))
        }
    }

    private func filePaths(of submissionID: Int64) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT f.path FROM submission_file sf JOIN ledger_file f ON f.id = sf.file_id
                    WHERE sf.submission_id = ? ORDER BY sf.position
                    """),
            arguments: [submissionID])
    }

    // MARK: - Ledger

    /// The files first recorded for a quarter that no submission includes, by path then hash.
    func strayFiles(quarter: Quarter) throws -> [(path: String, findings: [FileFinding])] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT f.id, f.path FROM ledger_file f
                WHERE f.quarter = ? AND NOT EXISTS (SELECT 1 FROM submission_file sf WHERE sf.file_id = f.id)
                ORDER BY f.path, f.sha256
                """,
            arguments: [quarter.description])
        return try rows.map { row throws -> (path: String, findings: [FileFinding]) in
            (
                path: try row.decode(String.self, atIndex: 1),
                findings: try findings(ofStrayFile: row.decode(Int64.self, atIndex: 0))
            )
        }
    }

    /// The ledger rows first recorded for a quarter, by path then hash.
    func ledger(quarter: Quarter) throws -> [LedgerEntry] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, path, sha256, size, kind, partner_id, first_seen, submission_id, verdict FROM ledger
                WHERE quarter = ? ORDER BY path, sha256
                """,
            arguments: [quarter.description])
        return try rows.map { row throws -> LedgerEntry in
            let fileID = try row.decode(Int64.self, atIndex: 0)
            let file = LedgerFile(
                path: try row.decode(String.self, atIndex: 1), sha256: try row.decode(String.self, atIndex: 2),
                size: try row.decode(Int.self, atIndex: 3), kind: try row.decode(String?.self, atIndex: 4),
                firstSeen: try row.decode(Int64.self, atIndex: 6))
            let submissionID = try row.decode(Int64?.self, atIndex: 7)
            let findings: [FileFinding]
            if let submissionID {
                findings = try self.findings(ofSubmission: submissionID, fileID: fileID)
            } else {
                findings = try self.findings(ofStrayFile: fileID)
            }
            return LedgerEntry(
                file: file, partnerID: try row.decode(String?.self, atIndex: 5), quarter: quarter,
                verdict: try row.decode(String?.self, atIndex: 8).map { text throws -> Verdict in try verdict(text) },
                findings: findings)
        }
    }

    // MARK: - Findings

    private static let findingColumns = """
        file, severity, code, row_number, field_name, field_number, cell, message, byte_offset, pointer, line_number,
        column_number, rule
        """

    private func findings(ofSubmission submissionID: Int64) throws -> [FileFinding] {
        try findings(
            db.cachedStatement(
                sql: "SELECT \(Self.findingColumns) FROM finding WHERE submission_id = ? ORDER BY id"),
            arguments: [submissionID])
    }

    private func findings(ofSubmission submissionID: Int64, fileID: Int64) throws -> [FileFinding] {
        try findings(
            db.cachedStatement(
                sql: "SELECT \(Self.findingColumns) FROM finding WHERE submission_id = ? AND file_id = ? ORDER BY id"),
            arguments: [submissionID, fileID])
    }

    private func findings(ofStrayFile fileID: Int64) throws -> [FileFinding] {
        try findings(
            db.cachedStatement(
                sql: "SELECT \(Self.findingColumns) FROM finding WHERE file_id = ? AND submission_id IS NULL ORDER BY id"),
            arguments: [fileID])
    }

    private func findings(_ statement: Statement, arguments: StatementArguments) throws -> [FileFinding] {
        let rows = try Row.fetchAll(statement, arguments: arguments)
        return try rows.map { row throws -> FileFinding in
            let severityText = try row.decode(String.self, atIndex: 1)
            let codeText = try row.decode(String.self, atIndex: 2)
            guard let severity = Severity(rawValue: severityText) else {
                throw StoreError.corrupt(path: path, detail: "a finding has the unknown severity \"\(severityText)\"")
            }
            guard let code = FindingCode(rawValue: codeText) else {
                throw StoreError.corrupt(path: path, detail: "a finding has the unknown code \"\(codeText)\"")
            }
            let finding = Finding(
                severity, code, rowNumber: try row.decode(Int?.self, atIndex: 3),
                fieldName: try row.decode(String?.self, atIndex: 4), fieldNumber: try row.decode(Int?.self, atIndex: 5),
                cell: try row.decode(String?.self, atIndex: 6), message: try row.decode(String.self, atIndex: 7),
                byteOffset: try row.decode(Int?.self, atIndex: 8), pointer: try row.decode(String?.self, atIndex: 9),
                line: try row.decode(Int?.self, atIndex: 10), column: try row.decode(Int?.self, atIndex: 11),
                rule: try row.decode(String?.self, atIndex: 12))
            return FileFinding(file: try row.decode(String.self, atIndex: 0), finding: finding)
        }
    }

    // MARK: - Values

    private func quarter(_ text: String) throws -> Quarter {
        guard let quarter = Quarter(text) else {
            throw StoreError.corrupt(path: path, detail: "a submission has the malformed quarter \"\(text)\"")
        }
        return quarter
    }

    private func verdict(_ text: String) throws -> Verdict {
        guard let verdict = Verdict(rawValue: text) else {
            throw StoreError.corrupt(path: path, detail: "a submission has the unknown verdict \"\(text)\"")
        }
        return verdict
    }
}
