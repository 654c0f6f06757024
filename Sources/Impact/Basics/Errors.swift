import Foundation
import TableSchema

// The typed errors that stop a command, collected on the ground floor so that ``ImpactError`` can carry each
// stage's own error to the top unflattened. Each stage maps its libraries' errors into these where it calls them.

// MARK: - History store

/// What stops the history store from opening, reading or recording a run.
///
/// Every case names the store's path (when there is one) and its description says what to do.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or its folder cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database, or is another program's database.
    case notAnImpactDatabase(path: String)
    /// The database was written by a newer `impact`, which applied migrations this one does not know.
    case newerVersion(path: String, unknownMigrations: [String])
    /// Another process holds the database's lock.
    case locked(path: String)
    /// The file or its folder is read-only.
    case readOnly(path: String)
    /// The disk is full.
    case diskFull(path: String)
    /// SQLite reports the file as damaged, or a stored value cannot be read back.
    case corrupt(path: String, detail: String)
    /// The run handed to ``Store/apply(_:)`` is inconsistent; nothing was recorded.
    case invalidRun(reason: String)
    /// Any other SQLite error.
    case database(path: String, code: Int32, message: String)

    /// A message that says what is wrong and what to do.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the history store \"\(path)\": \(reason). "
                + "Check that the workspace folder exists and can be written."
        case .notAnImpactDatabase(let path):
            return "the store at \"\(path)\" is not an impact database. "
                + "Move that file away (impact then creates a new store) or point --workspace at the right folder."
        case .newerVersion(let path, let unknownMigrations):
            return "the store at \"\(path)\" was written by a newer version of impact "
                + "(migrations \(unknownMigrations.joined(separator: ", "))). Upgrade impact to use it."
        case .locked(let path):
            return "the store at \"\(path)\" is locked by another run. Wait for that run to finish, then try again."
        case .readOnly(let path):
            return "the store at \"\(path)\" is read-only. Make the file and its folder writable, then try again."
        case .diskFull(let path):
            return "the disk holding the store at \"\(path)\" is full; nothing was recorded. Free some space, then run again."
        case .corrupt(let path, let detail):
            return "the store at \"\(path)\" is damaged (\(detail)). "
                + "Restore it from a backup, or move it away and rerun the quarters to rebuild it."
        case .invalidRun(let reason):
            return "the run cannot be recorded: \(reason). Nothing was written; this is a bug in impact, please report it."
        case .database(let path, let code, let message):
            return "the store at \"\(path)\" failed (SQLite error \(code): \(message)). "
                + "A failed run records nothing: run again, and report it if it persists."
        }
    }
}

// MARK: - Report templates

/// A problem with the report templates.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A template file exists but cannot be read.
    case unreadableTemplate(path: String, reason: String)
    /// A template is not valid Mustache, or breaks a rule that keeps reports safe.
    case invalidTemplate(name: String, reason: String)
    /// A template the reports need is missing.
    case missingTemplate(name: String)

    /// A message that says what to fix.
    public var description: String {
        switch self {
        case .unreadableTemplate(let path, let reason): "cannot read the report template \(path): \(reason)"
        case .invalidTemplate(let name, let reason): "the report template \(name).mustache cannot be used: \(reason)"
        case .missingTemplate(let name): "the report template \(name).mustache is missing"
        }
    }
}
