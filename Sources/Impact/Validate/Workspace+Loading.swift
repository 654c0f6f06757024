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
        var settings = try folder.map { (folder) throws(ImpactError) in try Settings.load(workspace: folder) } ?? Settings()
        // What funders may see of each declared table's figures follows from its schema.
        let declared = try declaredTables(settings, workspace: folder).map { item in
            var table = item.table
            table.funderFigures = FunderFigures.derive(item.table, schema: item.schema)
            return (table: table, schema: item.schema)
        }
        for (position, item) in declared.enumerated() where position < settings.declaredTables.count {
            settings.declaredTables[position].table = item.table
        }
        let schemaSet = try SchemaSet.resolve(folder: schemas, workspace: folder).declaring(declared)
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

extension Workspace {
    /// The schemas of the tables `impact.yaml` declares, each checked: it loads, it is named after its table,
    /// and it has the fields that say whose return and which quarter a row belongs to.
    static func declaredTables(_ settings: Settings, workspace: String?) throws(ImpactError) -> [(table: ReturnTable, schema: Schema)] {
        var declared: [(table: ReturnTable, schema: Schema)] = []
        let settingsFile = workspace.map { ($0 as NSString).appendingPathComponent("impact.yaml") } ?? "impact.yaml"
        for (table, relative) in settings.declaredTables {
            let path = relative.hasPrefix("/") || workspace == nil ? relative : (workspace! as NSString).appendingPathComponent(relative)
            guard !declared.contains(where: { $0.table.name == table.name }) else {
                throw .invalidSettings(path: settingsFile, reason: "the table \"\(table.name)\" is declared twice")
            }
            var schema: Schema
            do {
                schema = try Schema(contentsOf: path)
            } catch {
                throw .invalidSchema(error)
            }
            if schema.name == "table" { schema.name = table.name }
            guard schema.name == table.name else {
                throw .invalidSettings(
                    path: settingsFile,
                    reason:
                        "the table \"\(table.name)\" has the schema \(relative), whose name is \"\(schema.name)\"; give the schema the table's name"
                )
            }
            guard !schema.isReference else {
                throw .invalidSettings(
                    path: settingsFile,
                    reason: "the table \"\(table.name)\" has a reference table's schema (\(relative)); a return table is sent by partners")
            }
            let missing = ReturnTable.envelopeFields.filter { schema.fieldIndex($0) == nil }
            guard missing.isEmpty else {
                throw .invalidSettings(
                    path: settingsFile,
                    reason:
                        "the schema of the table \"\(table.name)\" (\(relative)) has no \(missing.joined(separator: " or ")) field; every return table needs partner_id and quarter, so that each row says whose return and which quarter it is"
                )
            }
            for figure in table.figures {
                if let field = figure.field, schema.fieldIndex(field) == nil {
                    throw .invalidSettings(
                        path: settingsFile,
                        reason:
                            "the figure \"\(figure.name)\" of the table \"\(table.name)\" uses the field \"\(field)\", which its schema does not have"
                    )
                }
                for field in figure.filter.keys where schema.fieldIndex(field) == nil {
                    throw .invalidSettings(
                        path: settingsFile,
                        reason:
                            "the figure \"\(figure.name)\" of the table \"\(table.name)\" filters on \"\(field)\", which its schema does not have"
                    )
                }
            }
            declared.append((table, schema))
        }
        return declared
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
