import Foundation
import JSONSchema
import TableSchema

/// The table schemas in force: the three return tables and the reference tables, by name.
///
/// Loaded from a folder (`--schemas`, or a workspace's own `Schemas/`) or, by default, from the
/// copies embedded in the program at build time (see `scripts/embed-schemas`).
public struct SchemaSet: Sendable {
    /// Schemas by table name (`support`, `outcomes`, `ripple`, `partners`, `funders`, `outcome-goals`).
    public private(set) var schemas: [String: Schema]
    /// Where they came from, for provenance and messages.
    public let origin: String
    /// The JSON Schema of a structured form's envelope (`quarterly-return.form.schema.json`), if present.
    public let formSchema: JSONSchema?
    /// The form schema's own JSON, for documentation and templates.
    public let formSchemaDocument: JSONValue?
    /// The return tables partners send, in the order they are checked and shown: the built-in ones, then
    /// those the programme declares in `impact.yaml`.
    private(set) var tables: [ReturnTable] = ReturnTable.builtIn

    /// The file name of the form schema.
    public static let formSchemaFile = "quarterly-return.form.schema.json"

    /// Creates a set from schemas already loaded.
    public init(schemas: [String: Schema], origin: String, formSchema: JSONValue? = nil) throws(ImpactError) {
        self.schemas = schemas
        self.origin = origin
        self.formSchemaDocument = formSchema
        if let formSchema {
            do {
                self.formSchema = try JSONSchema(compiling: formSchema, options: .init(formatAssertion: true))
            } catch {
                throw .invalidSchema(SchemaError(file: Self.formSchemaFile, pointer: "", message: "\(error)"))
            }
        } else {
            self.formSchema = nil
        }
    }

    static func parseFormSchema(_ bytes: [UInt8], source: String) throws(ImpactError) -> JSONValue {
        do {
            return try JSONParser().parse(bytes).value
        } catch {
            throw .invalidSchema(SchemaError(file: source, pointer: "", message: "not valid JSON (\(error))"))
        }
    }

    /// The table names every programme's partners send (support, outcomes, ripple).
    public static let builtInReturnTables = ReturnTable.builtIn.map(\.name)

    /// The names of the return tables partners send, in the order they are checked.
    public var returnTables: [String] { tables.map(\.name) }

    /// A return table's declaration, by name.
    func returnTable(_ name: String) -> ReturnTable? { tables.first { $0.name == name } }

    /// The set with return tables a programme declares, each with its schema (already checked).
    func declaring(_ declared: [(table: ReturnTable, schema: Schema)]) -> SchemaSet {
        var set = self
        var schemas = self.schemas
        for (table, schema) in declared {
            schemas[table.name] = schema
            set.tables.append(table)
        }
        set.schemas = schemas
        return set
    }
    /// The reference tables the impact lead keeps.
    public static let referenceTables = ["partners", "funders", "outcome-goals"]
    /// The reference tables a workspace may leave out: read from their usual file when it is there.
    public static let optionalReferenceTables = ["themes", "priority-groups"]

    /// The schemas embedded in the program.
    public static func embedded() throws(ImpactError) -> SchemaSet {
        var schemas: [String: Schema] = [:]
        var form: JSONValue?
        for file in EmbeddedSchemas.files where file.name.hasSuffix(".schema.json") {
            if file.name == formSchemaFile {
                form = try parseFormSchema(Array(file.json.utf8), source: "Schemas/\(file.name)")
                continue
            }
            do {
                let schema = try Schema(json: Data(file.json.utf8), source: "Schemas/\(file.name)")
                schemas[schema.name] = schema
            } catch {
                throw .invalidSchema(error)
            }
        }
        return try SchemaSet(schemas: schemas, origin: "built-in schemas", formSchema: form)
    }

    /// Loads every `*.schema.json` in a folder.
    public static func load(folder: String) throws(ImpactError) -> SchemaSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".schema.json") }.sorted()
        } catch {
            throw .unreadablePath(folder, reason: "the schemas folder cannot be read")
        }
        guard !names.isEmpty else { throw .unreadablePath(folder, reason: "it holds no *.schema.json files") }
        var schemas: [String: Schema] = [:]
        var form: JSONValue?
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            if name == formSchemaFile {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw .unreadablePath(path, reason: "the form schema cannot be read")
                }
                form = try parseFormSchema([UInt8](data), source: path)
                continue
            }
            do {
                let schema = try Schema(contentsOf: (folder as NSString).appendingPathComponent(name))
                schemas[schema.name] = schema
            } catch {
                throw .invalidSchema(error)
            }
        }
        return try SchemaSet(schemas: schemas, origin: folder, formSchema: form)
    }

    /// Chooses the schemas: an explicit folder, else the workspace's `Schemas/`, else the built-in ones. A
    /// folder overrides the built-in schemas file by file: a table or form schema it lacks is the built-in one
    /// (so a workspace may keep only what it changes, or only a declared table's schema, there).
    public static func resolve(folder: String?, workspace: String?) throws(ImpactError) -> SchemaSet {
        if let folder { return try load(folder: folder).fillingIn(embedded()) }
        if let workspace {
            let own = (workspace as NSString).appendingPathComponent("Schemas")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: own, isDirectory: &isDirectory), isDirectory.boolValue {
                return try load(folder: own).fillingIn(embedded())
            }
        }
        return try embedded()
    }

    /// This set, with the schemas it lacks taken from `other`.
    func fillingIn(_ other: SchemaSet) throws(ImpactError) -> SchemaSet {
        let missing = other.schemas.filter { schemas[$0.key] == nil }
        guard !missing.isEmpty || (formSchemaDocument == nil && other.formSchemaDocument != nil) else { return self }
        var set = try SchemaSet(
            schemas: schemas.merging(missing) { own, _ in own }, origin: origin,
            formSchema: formSchemaDocument ?? other.formSchemaDocument)
        set.tables = tables
        return set
    }

    /// The schema of a table.
    public subscript(name: String) -> Schema? { schemas[name] }

    // MARK: - Recognising a table from its header

    /// How well a header matched one schema.
    public struct Match: Sendable, Equatable {
        /// The table name.
        public var table: String
        /// Header labels that name one of the schema's fields (exactly or nearly).
        public var matched: Int
        /// The schema's field count.
        public var fields: Int
    }

    /// The outcome of recognising a header.
    public enum Recognition: Sendable, Equatable {
        /// The header is this table's.
        case table(String)
        /// No table fits well enough; the scores say how each compared.
        case unrecognised([Match])
    }

    /// Recognises which table a header row belongs to.
    ///
    /// A table fits when at least half its fields (and at least two) appear in the header, allowing
    /// differences of case, spacing and small misspellings; the best fit wins.
    public func recognise(header: [String], among tables: [String]? = nil) -> Recognition {
        let labels = header.map { normalize($0) }.filter { !$0.isEmpty }
        var matches: [Match] = []
        for name in (tables ?? schemas.keys.sorted()) {
            guard let schema = schemas[name] else { continue }
            let fields = schema.fields.map { normalize($0.name) }
            var matched = 0
            for field in fields where labels.contains(where: { $0 == field || closeEnough($0, field) }) { matched += 1 }
            matches.append(Match(table: name, matched: matched, fields: fields.count))
        }
        let ranked = matches.sorted {
            let a = Double($0.matched) / Double(max($0.fields, 1))
            let b = Double($1.matched) / Double(max($1.fields, 1))
            return a != b ? a > b : ($0.matched != $1.matched ? $0.matched > $1.matched : $0.table < $1.table)
        }
        guard let best = ranked.first, best.matched >= 2, best.matched * 2 >= best.fields else {
            return .unrecognised(ranked)
        }
        // An exact tie between two tables is ambiguous.
        if ranked.count > 1, ranked[1].matched * best.fields == best.matched * ranked[1].fields,
            ranked[1].matched == best.matched
        {
            return .unrecognised(ranked)
        }
        return .table(best.table)
    }

    private func normalize(_ label: String) -> String {
        String(
            label.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{FEFF}"))).lowercased().map {
                $0 == " " || $0 == "-" || $0 == "." ? "_" : $0
            })
    }

    private func closeEnough(_ a: String, _ b: String) -> Bool {
        guard abs(a.count - b.count) <= 2, b.count >= 6 else { return false }
        var differences = 0
        var left = Array(a)[...]
        var right = Array(b)[...]
        while let x = left.first, let y = right.first {
            if x == y {
                left.removeFirst()
                right.removeFirst()
                continue
            }
            differences += 1
            if differences > 2 { return false }
            if left.count > right.count {
                left.removeFirst()
            } else if right.count > left.count {
                right.removeFirst()
            } else {
                left.removeFirst()
                right.removeFirst()
            }
        }
        return differences + left.count + right.count <= 2
    }
}
