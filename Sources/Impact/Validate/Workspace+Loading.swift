import Foundation
import TableSchema

extension Workspace {
    /// Loads a workspace the way every command documents: explicit options first, then the workspace's own
    /// files (`impact.yaml`, `reference/`, `Schemas/`), then the built-in schemas. The reference tables are
    /// read and checked here, once (which is why loading lives on the validate floor).
    ///
    /// - Parameters:
    ///   - folder: The workspace folder, if any.
    ///   - schemas: A schemas folder that overrides the workspace's and the built-in ones.
    ///   - reference: A reference folder that overrides the workspace's `reference/`.
    ///   - requireReferences: True for the commands that need the three reference tables under their usual
    ///     names (run, template, the portal, partner tokens); the folder must then exist.
    public static func load(
        folder: String?, schemas: String? = nil, reference: String? = nil, requireReferences: Bool = false
    ) throws(ImpactError) -> Workspace {
        if let folder, requireReferences {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .invalidWorkspace(folder, reason: "the folder does not exist")
            }
        }
        let schemaSet = try SchemaSet.resolve(folder: schemas, workspace: folder)
        let settings = try folder.map { (folder) throws(ImpactError) in try Settings.load(workspace: folder) } ?? Settings()
        let limits = Limits()
        let referenceFolder = reference ?? folder.map { ($0 as NSString).appendingPathComponent("reference") }
        var references: ReferenceTables?
        if let referenceFolder {
            if !requireReferences {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: referenceFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw .unreadablePath(referenceFolder, reason: "the reference folder does not exist")
                }
            }
            references = try ReferenceTables.load(
                folder: referenceFolder, workspace: folder, schemas: schemaSet, settings: settings, limits: limits,
                required: requireReferences)
        }
        return Workspace(folder: folder, settings: settings, schemas: schemaSet, limits: limits, references: references)
    }
}

extension ValidationOptions {
    /// Options for checking returns against a workspace: its schemas, reference tables, settings and limits.
    public init(workspace: Workspace, quarter: Quarter? = nil, kind: String? = nil) {
        self.init(
            schemas: workspace.schemas, references: workspace.references, quarter: quarter, kind: kind,
            settings: workspace.settings, limits: workspace.limits)
    }
}
