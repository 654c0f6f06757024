import GRDB

/// The store's schema: versioned migrations, applied in order by GRDB's `DatabaseMigrator`.
///
/// A migration, once released, is never edited: a change to the schema is a new migration ("v2", …).
enum StoreSchema {
    /// `PRAGMA application_id` of an impact store ("IMPT"), so that another program's SQLite file
    /// is recognised as not ours.
    static let applicationID: Int32 = 0x494D_5054

    /// The migrations, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            for statement in v1 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v2") { db in
            for statement in v2 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v3") { db in
            for statement in v3 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v4") { db in
            for statement in v4 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v5") { db in
            for statement in v5 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v6") { db in
            for statement in v6 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v7") { db in
            for statement in v7 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v8") { db in
            for statement in v8 {
                try db.execute(sql: statement)
            }
        }
        return migrator
    }

    // MARK: - v8: journeys and reach

    /// Three optional fields of the support table: where a transition ending led, how often the person's worker
    /// changed, and the priority groups they belong to (IDs joined by semicolons). Rows recorded before have
    /// them blank; nothing earlier changes.
    static let v8: [String] = [
        "ALTER TABLE support_row ADD COLUMN transition_to TEXT",
        "ALTER TABLE support_row ADD COLUMN worker_changes INTEGER",
        "ALTER TABLE support_row ADD COLUMN priority_groups TEXT",
    ]

    // MARK: - v7: the two-way feedback loop

    /// Each partner's feedback page as the last run of a quarter wrote it (the portal shows it); the words the
    /// partner and the impact lead wrote about it, section by section, never changed once written; and the
    /// actions they agreed, each marked done once, with who and when.
    static let v7: [String] = [
        """
        CREATE TABLE feedback_page (
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            markdown TEXT NOT NULL,
            written_at INTEGER NOT NULL,
            PRIMARY KEY (partner_id, quarter)
        ) STRICT
        """,
        """
        CREATE TABLE feedback_message (
            id INTEGER PRIMARY KEY,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            section TEXT NOT NULL,
            author TEXT NOT NULL CHECK (author IN ('partner', 'lead')),
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            written_at INTEGER NOT NULL
        ) STRICT
        """,
        "CREATE INDEX feedback_message_by_page ON feedback_message (partner_id, quarter, id)",
        """
        CREATE TABLE feedback_action (
            id INTEGER PRIMARY KEY,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            text TEXT NOT NULL,
            due TEXT,
            agreed_by TEXT NOT NULL,
            agreed_at INTEGER NOT NULL,
            done_by TEXT,
            done_at INTEGER
        ) STRICT
        """,
        "CREATE INDEX feedback_action_by_partner ON feedback_action (partner_id, quarter, id)",
    ]

    // MARK: - v6: what each quarter's report featured

    /// One row per story or ripple-effect note a quarter's report featured, by the partner's own ID for it, so
    /// that the default rule can prefer partners featured less often. A re-run of the quarter replaces its rows.
    static let v6: [String] = [
        """
        CREATE TABLE featured (
            quarter TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('story', 'note')),
            partner_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (quarter, kind, partner_id, item_id)
        ) STRICT
        """
    ]

    // MARK: - v5: digests of accepted returns

    /// One row per accepted return whose digest a run has worked out: what the figures of later quarters need
    /// of it (see `ReturnDigest`), under a key naming the digest's format and the settings it depends on. A
    /// digest is a cache: it can always be made again from the return's rows, which stay as they are.
    static let v5: [String] = [
        """
        CREATE TABLE return_digest (
            submission_id INTEGER PRIMARY KEY REFERENCES submission(id),
            key TEXT NOT NULL,
            data BLOB NOT NULL
        ) STRICT
        """
    ]

    // MARK: - v4: the rows of the tables a programme declares

    /// One row per row of a declared return table (`tables:` in impact.yaml), kept generically: the schema's
    /// field names and the row's cells (canonical text, or null when blank), each as a JSON array. Nothing
    /// earlier changes: the built-in tables keep their own typed tables.
    static let v4: [String] = [
        """
        CREATE TABLE table_row (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            table_name TEXT NOT NULL,
            position INTEGER NOT NULL,
            fields TEXT NOT NULL,
            cells TEXT NOT NULL,
            PRIMARY KEY (submission_id, table_name, position)
        ) WITHOUT ROWID
        """
    ]

    // MARK: - v3: what funder workbooks published

    /// One row per funder workbook written by a run of a quarter (the latest run of that quarter), with
    /// every count of people it states, so that the disclosure audit models everything funders hold.
    static let v3: [String] = [
        """
        CREATE TABLE publication (
            id INTEGER PRIMARY KEY,
            quarter TEXT NOT NULL,
            workbook TEXT NOT NULL,
            funder_id TEXT NOT NULL,
            threshold INTEGER NOT NULL CHECK (threshold >= 1),
            published_at INTEGER NOT NULL,
            statements TEXT NOT NULL,
            UNIQUE (quarter, workbook)
        ) STRICT
        """
    ]

    // MARK: - v2: the partner portal

    /// Partners' secret tokens (only their SHA-256 is kept) and the returns sent through the portal.
    static let v2: [String] = [
        """
        CREATE TABLE partner_token (
            id INTEGER PRIMARY KEY,
            partner_id TEXT NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) STRICT
        """,
        // One row per file a partner sent through the portal, written to returns/<quarter>/ at received_at.
        """
        CREATE TABLE portal_receipt (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            received_at INTEGER NOT NULL
        ) STRICT
        """,
        "CREATE INDEX portal_receipt_by_sha256 ON portal_receipt(sha256, received_at)",
    ]

    // MARK: - v1

    /// Quarters are stored as `YYYY-Qn` text, days as integer days since 1970-01-01, times as integer
    /// seconds since 1970, booleans as 0/1. Tables are STRICT so that SQLite enforces the column types.
    /// IDs are SQLite row IDs, assigned in order (no random IDs), so the same runs give the same rows.
    static let v1: [String] = [
        // One row per run that recorded something (a run that changes nothing leaves no trace).
        """
        CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            quarter TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            program_version TEXT NOT NULL
        ) STRICT
        """,
        // One row per return: a partner's exact set of files for a quarter, whatever its verdict.
        """
        CREATE TABLE submission (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id),
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'superseded')),
            received_on INTEGER NOT NULL,
            on_time INTEGER NOT NULL CHECK (on_time IN (0, 1)),
            is_resubmission INTEGER NOT NULL CHECK (is_resubmission IN (0, 1)),
            superseded_by INTEGER REFERENCES submission(id),
            UNIQUE (partner_id, quarter, fingerprint)
        ) STRICT
        """,
        // At most one current accepted return per partner and quarter.
        "CREATE UNIQUE INDEX submission_current ON submission(partner_id, quarter) WHERE verdict = 'accepted'",
        "CREATE INDEX submission_by_quarter ON submission(quarter, verdict, partner_id)",
        // The ledger: every file seen, once per path and bytes.
        """
        CREATE TABLE ledger_file (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id),
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            kind TEXT,
            partner_id TEXT,
            quarter TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            UNIQUE (path, sha256)
        ) STRICT
        """,
        "CREATE INDEX ledger_file_by_sha256 ON ledger_file(sha256, first_seen)",
        "CREATE INDEX ledger_file_by_quarter ON ledger_file(quarter, path, sha256)",
        // Which files make up each submission (a file may be in several: a partner resending one of its files).
        """
        CREATE TABLE submission_file (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            position INTEGER NOT NULL,
            file_id INTEGER NOT NULL REFERENCES ledger_file(id),
            PRIMARY KEY (submission_id, position)
        ) STRICT, WITHOUT ROWID
        """,
        "CREATE INDEX submission_file_by_file ON submission_file(file_id, submission_id)",
        // Findings of a submission (submission_id set) or of a stray file (submission_id NULL).
        """
        CREATE TABLE finding (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER REFERENCES submission(id),
            file_id INTEGER REFERENCES ledger_file(id),
            file TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
            code TEXT NOT NULL,
            row_number INTEGER,
            field_name TEXT,
            field_number INTEGER,
            cell TEXT,
            message TEXT NOT NULL,
            byte_offset INTEGER,
            pointer TEXT,
            line_number INTEGER,
            column_number INTEGER,
            rule TEXT,
            CHECK (submission_id IS NOT NULL OR file_id IS NOT NULL)
        ) STRICT
        """,
        "CREATE INDEX finding_by_submission ON finding(submission_id, id)",
        "CREATE INDEX finding_by_file ON finding(file_id, id)",
        // The rows of accepted returns (kept when the return is superseded).
        """
        CREATE TABLE support_row (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            position INTEGER NOT NULL,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            person_ref TEXT NOT NULL,
            support_type TEXT NOT NULL,
            status TEXT NOT NULL,
            start_date INTEGER,
            end_date INTEGER,
            ending_type TEXT,
            sessions_offered INTEGER,
            sessions_attended INTEGER,
            discretionary_spend REAL,
            panel_approval_ref TEXT,
            PRIMARY KEY (submission_id, position)
        ) STRICT, WITHOUT ROWID
        """,
        """
        CREATE TABLE outcome_row (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            position INTEGER NOT NULL,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            person_ref TEXT NOT NULL,
            outcome_id TEXT NOT NULL,
            baseline_score INTEGER NOT NULL,
            current_score INTEGER NOT NULL,
            PRIMARY KEY (submission_id, position)
        ) STRICT, WITHOUT ROWID
        """,
        """
        CREATE TABLE ripple_row (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            position INTEGER NOT NULL,
            partner_id TEXT NOT NULL,
            quarter TEXT NOT NULL,
            note_id TEXT NOT NULL,
            theme TEXT NOT NULL,
            outcome_id TEXT,
            note TEXT NOT NULL,
            consent_to_quote INTEGER NOT NULL CHECK (consent_to_quote IN (0, 1)),
            PRIMARY KEY (submission_id, position)
        ) STRICT, WITHOUT ROWID
        """,
        """
        CREATE TABLE narrative (
            submission_id INTEGER PRIMARY KEY REFERENCES submission(id),
            highlights TEXT,
            challenges TEXT,
            what_would_help TEXT
        ) STRICT
        """,
        // The ledger as one reads it: each file with the verdict of the latest submission it is part of.
        """
        CREATE VIEW ledger AS
        SELECT f.id, f.path, f.sha256, f.size, f.kind, f.partner_id, f.quarter, f.first_seen,
            (SELECT s.id FROM submission_file sf JOIN submission s ON s.id = sf.submission_id
             WHERE sf.file_id = f.id ORDER BY s.id DESC LIMIT 1) AS submission_id,
            (SELECT s.verdict FROM submission_file sf JOIN submission s ON s.id = sf.submission_id
             WHERE sf.file_id = f.id ORDER BY s.id DESC LIMIT 1) AS verdict
        FROM ledger_file f
        """,
    ]
}
