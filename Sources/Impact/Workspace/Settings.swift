import Foundation
import TableSchema
import Yams

/// The programme's settings, from the workspace's `impact.yaml`.
public struct Settings: Sendable {
    /// The programme's name, used in report titles.
    public var programme: String = "Impact programme"
    /// The currency of discretionary spend (ISO code).
    public var currency: String = "GBP"
    /// Days after a quarter's end by which a return is due.
    public var dueDays: Int = 30
    /// Counts of people from 1 to this minus one are suppressed in funder outputs.
    public var disclosureThreshold: Int = 5
    /// The most a coordinator may approve from the discretionary fund without the panel.
    public var coordinatorLimit: Double = 1000
    /// Points a score must rise by to count as improved.
    public var improvementPoints: Int = 2
    /// The lowest point of the outcome scale.
    public var scaleMinimum: Int = 1
    /// The highest point of the outcome scale.
    public var scaleMaximum: Int = 10
    /// Who funders should contact about the workbooks.
    public var contact: String = ""
    /// The first quarter of the programme's history, if set.
    public var firstQuarter: Quarter?
    /// Whether every return must carry a narrative (`narrative_required: true`); optional by default.
    public var narrativeRequired = false
    /// The longest support the programme's contracts agree, in days (`support: {max_days: 730}`); people
    /// supported for longer are counted as past it. Nil when not set.
    public var supportMaxDays: Int?
    /// The return tables the programme declares beside the built-in ones, with their schema files (relative
    /// to the workspace).
    var declaredTables: [(table: ReturnTable, schema: String)] = []

    /// Default settings.
    public init() {}

    private struct File: Decodable {
        struct Scale: Decodable {
            var min: Int?
            var max: Int?
        }
        var programme: String?
        var currency: String?
        var due_days: Int?
        var disclosure_threshold: Int?
        var coordinator_limit: Double?
        var improvement_points: Int?
        var scale: Scale?
        var contact: String?
        var first_quarter: String?
        var narrative_required: Bool?
        var support: Support?
        var tables: [Table]?

        struct Support: Decodable {
            var max_days: Int?
        }

        struct Table: Decodable {
            var name: String
            var schema: String
            var title: String?
            var required: Bool?
            var figures: [Figure]?
        }

        struct Figure: Decodable {
            var name: String
            var measure: String
            var field: String?
            var `where`: [String: Values]?
        }

        /// One value or a list of them.
        struct Values: Decodable {
            var values: [String]

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let list = try? container.decode([String].self) {
                    values = list
                } else {
                    values = [try container.decode(String.self)]
                }
            }
        }
    }

    /// Reads a workspace's `impact.yaml`; the defaults when the workspace has none.
    public static func load(workspace: String) throws(ImpactError) -> Settings {
        let path = (workspace as NSString).appendingPathComponent("impact.yaml")
        return FileManager.default.fileExists(atPath: path) ? try load(path: path) : Settings()
    }

    /// Reads `impact.yaml`.
    public static func load(path: String) throws(ImpactError) -> Settings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadablePath(path, reason: "the settings file is missing or unreadable")
        }
        let text = String(decoding: data, as: UTF8.self)
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw .invalidSettings(path: path, reason: describe(error))
        }
        var settings = Settings()
        if let value = file.programme { settings.programme = value }
        if let value = file.currency { settings.currency = value }
        if let value = file.due_days {
            guard value >= 0 else { throw .invalidSettings(path: path, reason: "due_days must be zero or more, found \(value)") }
            settings.dueDays = value
        }
        if let value = file.disclosure_threshold {
            guard value >= 1 else {
                throw .invalidSettings(path: path, reason: "disclosure_threshold must be at least 1, found \(value)")
            }
            settings.disclosureThreshold = value
        }
        if let value = file.coordinator_limit { settings.coordinatorLimit = value }
        if let value = file.improvement_points { settings.improvementPoints = value }
        if let value = file.scale?.min { settings.scaleMinimum = value }
        if let value = file.scale?.max { settings.scaleMaximum = value }
        if let value = file.contact { settings.contact = value }
        if let value = file.first_quarter {
            guard let quarter = Quarter(value) else {
                throw .invalidSettings(path: path, reason: "first_quarter \"\(value)\" is not a quarter like 2025-Q3")
            }
            settings.firstQuarter = quarter
        }
        if let value = file.narrative_required { settings.narrativeRequired = value }
        if let value = file.support?.max_days {
            guard value >= 1 else { throw .invalidSettings(path: path, reason: "support.max_days must be at least 1, found \(value)") }
            settings.supportMaxDays = value
        }
        for (position, table) in (file.tables ?? []).enumerated() {
            settings.declaredTables.append((try declaration(table, position: position, path: path), table.schema))
        }
        return settings
    }

    /// Checks one entry of `tables:` (the schema itself is checked when the workspace loads).
    private static func declaration(_ table: File.Table, position: Int, path: String) throws(ImpactError) -> ReturnTable {
        let at = "tables[\(position)] (\(table.name))"
        guard FileNames.isSafe(table.name) else {
            throw .invalidSettings(
                path: path, reason: "\(at): the name must be letters, digits, - and _ (it names sheets, lists and files)")
        }
        if ReturnTable.builtIn.contains(where: { $0.name == table.name })
            || SchemaSet.referenceTables.contains(table.name) || ["form", "workbook", "programme"].contains(table.name)
        {
            throw .invalidSettings(
                path: path, reason: "\(at): \"\(table.name)\" is already a table of every programme; choose another name")
        }
        var figures: [TableFigure] = []
        for figure in table.figures ?? [] {
            guard let measure = TableFigure.Measure(rawValue: figure.measure) else {
                throw .invalidSettings(
                    path: path, reason: "\(at): the figure \"\(figure.name)\" has measure \"\(figure.measure)\"; use count, sum or distinct"
                )
            }
            if measure != .count && figure.field == nil {
                throw .invalidSettings(path: path, reason: "\(at): the figure \"\(figure.name)\" (\(measure.rawValue)) needs a field")
            }
            // A figure's name heads a column of the workbooks' tables and names it in the history.
            let name = figure.name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || figure.name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw .invalidSettings(path: path, reason: "\(at): a figure needs a name of one line")
            }
            let taken = ["partner id", "partner", "rows", "kind"] + figures.map { $0.name.lowercased() }
            if taken.contains(figure.name.lowercased()) {
                throw .invalidSettings(
                    path: path,
                    reason:
                        "\(at): the figure name \"\(figure.name)\" is used twice or is a column the sheet already has (Partner ID, Partner, Rows, Kind); choose another"
                )
            }
            figures.append(
                TableFigure(
                    name: figure.name, measure: measure, field: figure.field, filter: (figure.where ?? [:]).mapValues(\.values)))
        }
        return ReturnTable(name: table.name, title: table.title ?? table.name, required: table.required ?? false, figures: figures)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
