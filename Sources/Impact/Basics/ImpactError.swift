import TableSchema

/// What stops an `impact` command: bad arguments, a workspace that cannot be used, a broken schema.
///
/// Problems *in* partners' files are never errors: they are ``Finding`` values, collected so that
/// one broken return never stops the rest.
public enum ImpactError: Error, Sendable, CustomStringConvertible {
    /// A schema file is invalid.
    case invalidSchema(SchemaError)
    /// A path cannot be read.
    case unreadablePath(String, reason: String)
    /// The workspace's settings file is invalid.
    case invalidSettings(path: String, reason: String)
    /// A quarter was not written `YYYY-Qn`.
    case invalidQuarter(String)
    /// An argument's value is not usable.
    case invalidArgument(name: String, value: String, reason: String)
    /// A reference table is missing from the workspace.
    case missingReference(path: String)
    /// An output cannot be written.
    case unwritablePath(String, reason: String)
    /// A folder given as returns holds no return file (empty, or only files of other kinds).
    case noReturnFound(folder: String)
    /// A workspace folder is missing or is not a workspace.
    case invalidWorkspace(String, reason: String)
    /// The history store failed.
    case store(StoreError)
    /// A report template is missing or broken.
    case template(ReportError)

    /// A message that says what is wrong and what to do.
    public var description: String {
        switch self {
        case .invalidSchema(let error):
            return "\(error). Fix the schema file; until then nothing can be checked."
        case .unreadablePath(let path, let reason):
            return "cannot read \"\(path)\": \(reason)."
        case .invalidSettings(let path, let reason):
            return "the settings file \"\(path)\" is not valid: \(reason)."
        case .invalidQuarter(let text):
            return "\"\(text)\" is not a quarter: write it as year, dash, Q and the quarter number, for example 2026-Q2."
        case .invalidArgument(let name, let value, let reason):
            return "\(name) \"\(value)\": \(reason)."
        case .missingReference(let path):
            return
                "the reference table \"\(path)\" is missing: the workspace needs reference/partners.csv, reference/funders.csv and reference/outcomes.csv."
        case .unwritablePath(let path, let reason):
            return "cannot write \"\(path)\": \(reason). Check that the folder exists and is writable, or choose another --out."
        case .noReturnFound(let folder):
            return "no return was found in \"\(folder)\": it is a folder with no .csv, .tsv, .txt, .xlsx, .json, .yaml or .yml "
                + "file in it. Check that the upload arrived there, or give the return's files themselves."
        case .invalidWorkspace(let path, let reason):
            return
                "\"\(path)\" is not a usable workspace: \(reason). A workspace holds impact.yaml, reference/ and returns/<quarter>/ (see README.md)."
        case .store(let error):
            return "the history store failed: \(error)"
        case .template(let error):
            return "a report template cannot be used: \(error)"
        }
    }
}
