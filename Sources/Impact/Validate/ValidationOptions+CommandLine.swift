import Foundation
import TableSchema

extension ValidationOptions {
    /// Builds options the way `impact validate` documents: explicit flags first, then the workspace's
    /// own files (impact.yaml, reference/, Schemas/), then the built-in schemas.
    public static func forCommandLine(
        schemas: String?, workspace: String?, reference: String?, quarter: String?, kind: String?
    ) throws(ImpactError) -> ValidationOptions {
        let schemaSet = try SchemaSet.resolve(folder: schemas, workspace: workspace)
        var settings = Settings()
        var referenceFolder = reference
        if let workspace {
            settings = try Settings.load(workspace: workspace)
            if referenceFolder == nil { referenceFolder = (workspace as NSString).appendingPathComponent("reference") }
        }
        if let folder = referenceFolder {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .unreadablePath(folder, reason: "the reference folder does not exist")
            }
        }
        var parsedQuarter: Quarter?
        if let quarter {
            guard let value = Quarter(quarter) else { throw .invalidQuarter(quarter) }
            parsedQuarter = value
        }
        return ValidationOptions(
            schemas: schemaSet, referenceFolder: referenceFolder, quarter: parsedQuarter, kind: kind, settings: settings)
    }
}
