import CSV

/// Every limit that protects `impact` from hostile or broken input, in one place.
///
/// Exceeding a limit is a `source-error` finding on that file (never a crash, never a silent cut);
/// the rest of the quarter goes on. docs/reliability.md lists them with the tests that prove them.
public struct Limits: Sendable, Equatable {
    /// The largest return file read, in bytes (CSV, form or workbook).
    public var maxFileBytes: Int = 512 * 1024 * 1024
    /// The largest single cell, in bytes.
    public var maxFieldBytes: Int = 1024 * 1024
    /// The most columns kept per row.
    public var maxColumns: Int = 1_000
    /// The deepest nesting accepted in a JSON or YAML form.
    public var maxFormDepth: Int = 64
    /// The largest JSON or YAML form, in bytes.
    public var maxFormBytes: Int = 64 * 1024 * 1024
    /// The most values a YAML form may expand to once its aliases (`*name`) are followed (alias bombs).
    public var maxYAMLNodes: Int = 2_000_000
    /// The most YAML aliases (`*name`) a form may use; forms have no need of them, and many are a bomb.
    public var maxYAMLAliases: Int = 64

    /// The defaults.
    public init() {}

    /// The CSV reader's options under these limits.
    public var csvOptions: CSVReaderOptions {
        CSVReaderOptions(maxFieldBytes: maxFieldBytes, maxColumns: maxColumns, maxFileBytes: maxFileBytes)
    }
}
