import TableSchema

/// What validation found in one file.
public struct FileReport: Sendable {
    /// The file's path as given or found.
    public var path: String
    /// The table (`support`, `outcomes`, ...), `form` for a structured form or `workbook` for an Excel workbook;
    /// nil when unrecognised.
    public var kind: String?
    /// The format read (`csv`, `json`, `yaml`, `xlsx`).
    public var format: InputFile.Format
    /// The text encoding the file was read in, for CSV files.
    public var encoding: String?
    /// Data rows read (blank rows not counted).
    public var rows: Int
    /// Every finding, ordered by row and column.
    public var findings: [Finding]
    /// What could not be checked, and why.
    public var notes: [String]
    /// True when the file could not be read at all (exit status 2).
    public var unreadable: Bool
    /// The partner IDs the file's rows name.
    public var partnerIDs: [String]
    /// The quarters the file's rows name.
    public var quarters: [String]
    /// The rows read, by table, when the options asked to keep them (``ValidationOptions/keepRows``).
    var tables: [TableRows] = []
    /// What the fund checks across tables need of the file's awards and support rows.
    var fund = FundLedger()
    /// A form's envelope (partner, quarter, submission date, narrative).
    var envelope: FormEnvelope?
    /// For a workbook, the sheet each table was read from.
    public var sheets: [String: String] = [:]

    /// Creates a report.
    public init(
        path: String, kind: String?, format: InputFile.Format, encoding: String? = nil, rows: Int = 0,
        findings: [Finding] = [], notes: [String] = [], unreadable: Bool = false, partnerIDs: [String] = [],
        quarters: [String] = []
    ) {
        self.path = path
        self.kind = kind
        self.format = format
        self.encoding = encoding
        self.rows = rows
        self.findings = findings
        self.notes = notes
        self.unreadable = unreadable
        self.partnerIDs = partnerIDs
        self.quarters = quarters
    }

    /// True when no finding is an error (warnings allowed).
    public var valid: Bool { !findings.contains { $0.severity == .error } }
    /// The number of error findings.
    public var errorCount: Int { findings.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }
    /// The number of warning findings.
    public var warningCount: Int { findings.count - errorCount }
}

/// What validation found in every file given.
public struct ValidationReport: Sendable {
    /// One report per file, in the order the files were given or found.
    public var files: [FileReport]
    /// Folders given that hold no return file (so nothing of them was checked).
    public var emptyFolders: [String] = []

    /// Creates a report.
    public init(files: [FileReport], emptyFolders: [String] = []) {
        self.files = files
        self.emptyFolders = emptyFolders
    }

    /// True when no file has an error.
    public var valid: Bool { files.allSatisfy(\.valid) }
    /// True when some file could not be read at all.
    public var hasUnreadableInput: Bool { files.contains { $0.unreadable } }
}
