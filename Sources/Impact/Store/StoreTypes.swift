import TableSchema

// MARK: - Files

/// A file as the ledger knows it.
public struct LedgerFile: Sendable, Hashable {
    /// The workspace-relative path, e.g. `returns/2026-Q2/P001-support.csv`.
    public var path: String
    /// The SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The size in bytes.
    public var size: Int
    /// `support`, `outcomes`, `ripple`, `form`, or nil when unrecognised.
    public var kind: String?
    /// Seconds since 1970 (UTC) when a run first saw these bytes.
    public var firstSeen: Int64

    /// Creates a file.
    public init(path: String, sha256: String, size: Int, kind: String?, firstSeen: Int64) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.kind = kind
        self.firstSeen = firstSeen
    }
}

/// One row of the ledger: a file seen by a run, with what became of it.
public struct LedgerEntry: Sendable, Hashable {
    /// The file, with the first-seen time recorded when its path and bytes were first stored.
    public var file: LedgerFile
    /// The partner whose return it was part of, or nil for a file that could not be tied to a partner.
    public var partnerID: String?
    /// The quarter of the run that first recorded it.
    public var quarter: Quarter
    /// The verdict of the latest submission it is part of (nil for a stray file).
    public var verdict: Verdict?
    /// Its findings: those of that latest submission that are in this file, or those of the stray file.
    public var findings: [FileFinding]

    /// Creates an entry.
    public init(file: LedgerFile, partnerID: String?, quarter: Quarter, verdict: Verdict?, findings: [FileFinding]) {
        self.file = file
        self.partnerID = partnerID
        self.quarter = quarter
        self.verdict = verdict
        self.findings = findings
    }
}

// MARK: - Run input

/// One return submitted for a quarter, as the run stage decided it.
public struct SubmissionInput: Sendable {
    /// The partner it is from.
    public var partnerID: String
    /// The quarter it is for.
    public var quarter: Quarter
    /// SHA-256 hex over the sorted file hashes: identifies the exact set of files.
    public var fingerprint: String
    /// The files that make it up.
    public var files: [LedgerFile]
    /// Its findings, errors and warnings.
    public var findings: [FileFinding]
    /// `.accepted` or `.rejected` (the store itself turns older ones into `.superseded`).
    public var verdict: Verdict
    /// Days since 1970-01-01.
    public var receivedOn: Int32
    /// Whether it arrived by the due date.
    public var onTime: Bool
    /// The typed rows and narrative, when `verdict == .accepted`.
    public var accepted: AcceptedReturn?

    /// Creates a submission.
    public init(
        partnerID: String, quarter: Quarter, fingerprint: String, files: [LedgerFile], findings: [FileFinding],
        verdict: Verdict, receivedOn: Int32, onTime: Bool, accepted: AcceptedReturn?
    ) {
        self.partnerID = partnerID
        self.quarter = quarter
        self.fingerprint = fingerprint
        self.files = files
        self.findings = findings
        self.verdict = verdict
        self.receivedOn = receivedOn
        self.onTime = onTime
        self.accepted = accepted
    }
}

/// Everything one `impact run` writes, applied in one transaction.
public struct RunInput: Sendable {
    /// The quarter the run is for.
    public var quarter: Quarter
    /// Seconds since 1970; fixed by `SOURCE_DATE_EPOCH` when set.
    public var startedAt: Int64
    /// The version of `impact` that made the run.
    public var programVersion: String
    /// The returns, in the order they are to be recorded.
    public var submissions: [SubmissionInput]
    /// Files that could not be tied to a partner (unreadable, unrecognised), with their findings.
    public var strayFiles: [(file: LedgerFile, findings: [FileFinding])]

    /// Creates a run.
    public init(
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

/// What applying a run did to each submission.
public enum SubmissionOutcome: Sendable, Equatable {
    /// A new submission stored with this verdict.
    case recorded(Verdict)
    /// The same fingerprint was already stored for the partner and quarter: nothing changed.
    case unchanged
    /// A new accepted submission; the earlier accepted one for that partner and quarter is now `.superseded`.
    case supersededEarlier
}
