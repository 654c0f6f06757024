import TableSchema

// MARK: - Files

/// A file as the ledger knows it.
struct LedgerFile: Sendable, Hashable {
    /// The workspace-relative path, e.g. `returns/2026-Q2/P001-support.csv`.
    var path: String
    /// The SHA-256 of the file's bytes, lowercase hex.
    var sha256: String
    /// The size in bytes.
    var size: Int
    /// `support`, `outcomes`, `ripple`, `form`, or nil when unrecognised.
    var kind: String?
    /// Seconds since 1970 (UTC) when a run first saw these bytes.
    var firstSeen: Int64
}

/// One row of the ledger: a file seen by a run, with what became of it.
struct LedgerEntry: Sendable, Hashable {
    /// The file, with the first-seen time recorded when its path and bytes were first stored.
    var file: LedgerFile
    /// The partner whose return it was part of, or nil for a file that could not be tied to a partner.
    var partnerID: String?
    /// The quarter of the run that first recorded it.
    var quarter: Quarter
    /// The verdict of the latest submission it is part of (nil for a stray file).
    var verdict: Verdict?
    /// Its findings: those of that latest submission that are in this file, or those of the stray file.
    var findings: [FileFinding]
}

// MARK: - Run input

/// One return submitted for a quarter, as the run stage decided it.
struct SubmissionInput: Sendable {
    /// The partner it is from.
    var partnerID: String
    /// The quarter it is for.
    var quarter: Quarter
    /// SHA-256 hex over the sorted file hashes: identifies the exact set of files.
    var fingerprint: String
    /// The files that make it up.
    var files: [LedgerFile]
    /// Its findings, errors and warnings.
    var findings: [FileFinding]
    /// `.accepted` or `.rejected` (the store itself turns older ones into `.superseded`).
    var verdict: Verdict
    /// Days since 1970-01-01.
    var receivedOn: Int32
    /// Whether it arrived by the due date.
    var onTime: Bool
    /// The typed rows and narrative, when `verdict == .accepted`.
    var accepted: AcceptedReturn?
}

/// Everything one `impact run` writes, applied in one transaction.
struct RunInput: Sendable {
    /// The quarter the run is for.
    var quarter: Quarter
    /// Seconds since 1970; fixed by `SOURCE_DATE_EPOCH` when set.
    var startedAt: Int64
    /// The version of `impact` that made the run.
    var programVersion: String
    /// The returns, in the order they are to be recorded.
    var submissions: [SubmissionInput]
    /// Files that could not be tied to a partner (unreadable, unrecognised), with their findings.
    var strayFiles: [(file: LedgerFile, findings: [FileFinding])]

    /// Creates a run.
    init(
        quarter: Quarter, startedAt: Int64, programVersion: String, submissions: [SubmissionInput],
        strayFiles: [(file: LedgerFile, findings: [FileFinding])]
    ) {
        self.quarter = quarter
        self.startedAt = startedAt
        self.programVersion = programVersion
        self.submissions = submissions
        self.strayFiles = strayFiles
    }
}

// MARK: - Run outcome

/// The rows of a submission this process has just recorded, with the submission's fingerprint: the quarter's
/// history takes them from memory instead of reading them back.
struct RecordedRows: Sendable {
    var fingerprint: String
    var rows: AcceptedReturn
}

/// What applying a run did to each submission.
enum SubmissionOutcome: Sendable, Equatable {
    /// A new submission stored with this verdict.
    case recorded(Verdict)
    /// The same fingerprint was already stored for the partner and quarter: nothing changed.
    case unchanged
    /// A new accepted submission; the earlier accepted one for that partner and quarter is now `.superseded`.
    case supersededEarlier

    /// Whether this run stored the submission's rows: a new accepted return, superseding one or not.
    var storedRows: Bool { self == .recorded(.accepted) || self == .supersededEarlier }
}

/// An accepted return as the store holds it, for a run.
struct StoredReturn: Sendable {
    /// The store's ID of the return.
    var submissionID: Int64
    /// The return; without its support, outcomes and declared tables' rows when `digest` is given.
    var value: AcceptedReturn
    /// The digest stored for it, as bytes (see `ReturnDigest`), when the return was read from it.
    var digest: [UInt8]?
    /// Whether a digest under the run's key is stored for it (read from or not).
    var isDigested: Bool
}

/// The accepted returns of every quarter up to the one being run, as the store holds them.
struct StoredHistory: Sendable {
    /// The returns by quarter, in partner-ID order.
    var entries: [Quarter: [StoredReturn]] = [:]

    /// The returns by quarter.
    var returns: [Quarter: [AcceptedReturn]] { entries.mapValues { $0.map(\.value) } }
}
