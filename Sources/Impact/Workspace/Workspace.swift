import Foundation
import TableSchema

/// A programme's workspace, loaded once and passed down to every stage: its settings (`impact.yaml`), the
/// schemas in force, the reference tables and the input limits.
///
/// Every command and the portal load it the same way (``Workspace/load(folder:schemas:reference:requireReferences:)``):
/// explicit options first, then the workspace's own files, then the built-in schemas.
public struct Workspace: Sendable {
    /// The workspace folder, when there is one (`impact validate` can check files on their own).
    public let folder: String?
    /// The programme's settings.
    public let settings: Settings
    /// The schemas in force.
    public let schemas: SchemaSet
    /// The limits that protect every reader from hostile input.
    public let limits: Limits
    /// The reference tables, checked once, when the workspace (or `--reference`) has them.
    let references: ReferenceTables?

    /// Creates a workspace from values already loaded (tests and tools that build one in memory).
    init(
        folder: String?, settings: Settings = Settings(), schemas: SchemaSet, limits: Limits = Limits(),
        references: ReferenceTables? = nil
    ) {
        self.folder = folder
        self.settings = settings
        self.schemas = schemas
        self.limits = limits
        self.references = references
    }

    /// A path as the ledger and reports name it: relative to the workspace folder when it is inside it, else
    /// as given.
    static func relative(_ path: String, to folder: String?) -> String {
        guard let folder else { return path }
        let base = (folder as NSString).standardizingPath
        let full = (path as NSString).standardizingPath
        return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : path
    }

    /// A path inside the workspace folder (or relative to the current folder when there is none).
    public func path(_ relative: String) -> String {
        guard let folder else { return relative }
        return (folder as NSString).appendingPathComponent(relative)
    }

    /// The reference data, for the commands that cannot work without it.
    public var reference: ReferenceData {
        references?.data ?? ReferenceData(partners: [], funders: [], goals: [])
    }

    /// The folder of a quarter's returns.
    public func returnsFolder(_ quarter: Quarter) -> String {
        path("returns/\(quarter)")
    }
}

/// A workspace's reference tables (partners, funders, outcome goals) as checked once when it loads: typed
/// values for the stages above, and the keys that returns' foreign keys are checked against.
struct ReferenceTables: Sendable {
    /// The folder they were read from.
    let folder: String
    /// Partners, funders and outcome goals; rows with errors are left out.
    let data: ReferenceData
    /// The errors found in them, by workspace-relative file.
    let problems: [FileFinding]
    /// The keys returns' foreign keys are checked against.
    let keys: KeyIndex
    /// Notes for reports of returns: a reference table with errors.
    let notes: [String]
}
