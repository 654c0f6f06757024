/// What stops a CSV file from being read at all.
///
/// Problems *inside* a readable file (bad bytes, an unclosed quote, a ragged row) are not errors but
/// ``CSVIssue`` values, collected while reading so that one problem never hides the next.
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened; `reason` is the system's explanation.
    case cannotOpen(path: String, reason: String)
    /// The path names a directory, not a file.
    case isDirectory(path: String)
    /// The path names something that is not an ordinary file (a pipe, a device, a socket), which could
    /// block or never end if read.
    case notRegularFile(path: String)
    /// Reading failed part-way.
    case readFailed(path: String, reason: String)
    /// libcsv could not allocate memory (`CSV_ENOMEM`) or a buffer would exceed `SIZE_MAX` (`CSV_ETOOBIG`).
    case parserFailed(path: String, code: Int32, reason: String)

    /// A message that says what went wrong and what to do.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \"\(path)\": \(reason). Check the path and that the file is readable."
        case .isDirectory(let path):
            return "\"\(path)\" is a folder, not a file."
        case .notRegularFile(let path):
            return "\"\(path)\" is not an ordinary file (a pipe, device or socket), so it was not read. Save the return as a file."
        case .readFailed(let path, let reason):
            return "reading \"\(path)\" failed: \(reason)."
        case .parserFailed(let path, let code, let reason):
            return "the CSV parser stopped on \"\(path)\" (libcsv error \(code): \(reason))."
        }
    }
}

/// A problem found inside a CSV file while reading it; reading goes on past it where it can.
public struct CSVIssue: Sendable, Equatable {
    /// The kinds of problem the reader itself can find.
    public enum Kind: Sendable, Equatable {
        /// Bytes that are not valid in the file's encoding; they were replaced by U+FFFD.
        case invalidBytes(count: Int)
        /// NUL bytes inside a cell; they were removed.
        case nulBytes(count: Int)
        /// A quoted value was still open at the end of the file.
        case unterminatedQuote
        /// A cell was larger than the limit; reading stopped there.
        case fieldTooLarge(limit: Int)
        /// A row had more cells than the limit; the extra cells were dropped.
        case tooManyColumns(count: Int, limit: Int)
        /// A file was larger than the limit; it was not read.
        case fileTooLarge(size: Int, limit: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// The row as a spreadsheet shows it (the header is row 1).
    public var rowNumber: Int
    /// The 1-based cell position in the row, when the problem is in one cell.
    public var fieldNumber: Int?
    /// Where in the file (in bytes, from its start) the problem is, when known.
    public var byteOffset: Int?

    /// Creates an issue.
    public init(kind: Kind, rowNumber: Int, fieldNumber: Int? = nil, byteOffset: Int? = nil) {
        self.kind = kind
        self.rowNumber = rowNumber
        self.fieldNumber = fieldNumber
        self.byteOffset = byteOffset
    }
}
