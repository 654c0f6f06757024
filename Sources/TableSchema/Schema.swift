import Foundation

// MARK: - Descriptor types

/// The Table Schema field types this validator supports.
public enum FieldType: String, Sendable, CaseIterable {
    case string, integer, number, boolean, date, datetime, year, list, any
}

/// A field's constraints (Table Schema `constraints`), already parsed into typed values.
public struct Constraints: Sendable {
    /// A value must be present (not one of the missing values).
    public var required = false
    /// No two rows may share the value.
    public var unique = false
    /// The allowed values, as the texts that spell them (compared after the cell is trimmed).
    public var enumValues: [String]?
    /// The smallest allowed value (numbers, dates, years, as typed values).
    public var minimum: CellValue?
    /// The largest allowed value.
    public var maximum: CellValue?
    /// The shortest allowed length in characters (for lists: items).
    public var minLength: Int?
    /// The longest allowed length in characters (for lists: items).
    public var maxLength: Int?
    /// A pattern the whole value must match (implicitly anchored, as in XML Schema).
    public var pattern: Pattern?
}

/// One field (column) of a table schema.
public struct Field: Sendable {
    /// The column name as it appears in the header row.
    public var name: String
    /// A human title.
    public var title: String?
    /// A description a partner can read.
    public var description: String?
    /// An example value, used in messages.
    public var example: String?
    /// True when a file may leave the column out without a finding (`"columnOptional": true`, our extension): for
    /// optional fields added to a schema after partners' files and templates were made.
    public var columnOptional = false
    /// The type the cell must parse as.
    public var type: FieldType
    /// String format (`email`, `uri`, `uuid`) or, for dates, a single strptime format.
    public var format: String?
    /// Accepted date formats, tried in order (our extension of `format`).
    public var dateFormats: [DateFormat]
    /// Texts read as true for booleans.
    public var trueValues: [String]
    /// Texts read as false for booleans.
    public var falseValues: [String]
    /// Whether numbers must be bare (no currency symbol or percent sign).
    public var bareNumber: Bool
    /// The thousands separator allowed in numbers, if any.
    public var groupChar: UInt8?
    /// The decimal separator for numbers.
    public var decimalChar: UInt8
    /// For `list` fields: the item delimiter and item type.
    public var delimiter: UInt8
    /// For `list` fields: the type of each item.
    public var itemType: FieldType
    /// The field's constraints.
    public var constraints: Constraints
    /// Values that mean "no value" for this field (falls back to the schema's).
    public var missingValues: [String]?
}

/// A foreign key: this table's fields must match keys of another table.
public struct ForeignKey: Sendable {
    /// The fields of this table.
    public var fields: [String]
    /// The referenced table's name (a resource name such as `partners`), or "" for this table.
    public var resource: String
    /// The referenced table's fields.
    public var referenceFields: [String]
    /// A message template, with `{field}` placeholders, for rows whose key is not found.
    public var message: String?
}

/// A cross-field rule declared in a schema (our extension): when `when` holds, `assert` must hold.
public struct Rule: Sendable {
    /// A short stable name, reported with each violation.
    public var name: String
    /// The condition under which the rule applies; nil means always.
    public var when: RuleExpression?
    /// What must be true.
    public var assertion: RuleExpression
    /// Whether a violation is an error or a warning.
    public var severity: Severity
    /// A message template with `{field}` and `{$parameter}` placeholders.
    public var message: String
}

/// A parameter that rules may refer to as `$name`, with an optional default.
public struct RuleParameter: Sendable {
    /// The name without `$`.
    public var name: String
    /// The value used when the caller gives none.
    public var defaultValue: RuleValue
    /// What the parameter means.
    public var description: String?
}

/// A Frictionless Table Schema (v1 with the v2 additions used here), read from a JSON descriptor.
///
/// Extensions beyond the standard: a field's `formats` (several accepted date formats), the
/// schema's `rules` (cross-field checks in a small expression language, see ``RuleExpression``),
/// `parameters` (values rules refer to as `$name`) and a foreign key's `message`.
public struct Schema: Sendable {
    /// The table's name (`support`, `outcomes`, ...): the resource name foreign keys refer to.
    public var name: String
    /// A human title.
    public var title: String?
    /// What the table holds.
    public var description: String?
    /// The schema's own version, reported in provenance.
    public var version: String?
    /// True for reference tables kept by the impact lead rather than sent by partners.
    public var isReference: Bool
    /// The fields in order.
    public var fields: [Field]
    /// Texts that mean "no value" in every field (default: the empty string).
    public var missingValues: [String]
    /// Field names of the primary key.
    public var primaryKey: [String]
    /// Foreign keys.
    public var foreignKeys: [ForeignKey]
    /// Cross-field rules.
    public var rules: [Rule]
    /// Parameters rules may use.
    public var parameters: [RuleParameter]
    /// Where the descriptor came from.
    public var source: String

    /// The index of a field by name.
    public func fieldIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// A schema with one string field per label and nothing else (what Frictionless infers for
    /// "no schema, all fields string").
    ///
    /// Blank and repeated labels get no field: the header check reports them (blank-label,
    /// duplicate-label), and a field no header could match would also be reported as a missing label.
    public static func allStrings(labels: [String], name: String = "table") -> Schema {
        var seen: Set<String> = []
        let fields = labels.map { $0.trimmingSpacesAndBOM() }.filter { !$0.isEmpty && seen.insert($0).inserted }.map { label in
            Field(
                name: label, title: nil, description: nil, example: nil,
                type: .string, format: nil, dateFormats: [], trueValues: [], falseValues: [], bareNumber: true,
                groupChar: nil, decimalChar: 0x2E, delimiter: 0x2C, itemType: .string, constraints: Constraints(),
                missingValues: nil)
        }
        return Schema(
            name: name, title: nil, description: nil, version: nil, isReference: false, fields: fields,
            missingValues: [""], primaryKey: [], foreignKeys: [], rules: [], parameters: [], source: "<inferred>")
    }
}

// MARK: - Loading

extension Schema {
    /// Loads a schema descriptor from a JSON file.
    /// - Throws: ``SchemaError`` naming the file and the JSON pointer of the problem.
    public init(contentsOf path: String) throws(SchemaError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemaError(file: path, pointer: "", message: "the file cannot be read")
        }
        try self.init(json: data, source: path)
    }

    /// Loads a schema descriptor from JSON bytes.
    public init(json data: Data, source: String) throws(SchemaError) {
        let tree: JSONTree
        do {
            tree = try JSONDecoder().decode(JSONTree.self, from: data)
        } catch {
            throw SchemaError(file: source, pointer: "", message: "not valid JSON (\(Self.describe(error)))")
        }
        try self.init(descriptor: tree, source: source)
    }

    /// Builds a schema from an already parsed descriptor.
    public init(descriptor: JSONTree, source: String) throws(SchemaError) {
        var reader = DescriptorReader(source: source)
        self = try reader.readSchema(descriptor)
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError as NSError?,
                let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
            {
                return detail
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}

/// Walks a descriptor, keeping the JSON pointer of where it is for error messages.
private struct DescriptorReader {
    let source: String

    func fail(_ pointer: String, _ message: String) -> SchemaError {
        SchemaError(file: source, pointer: pointer, message: message)
    }

    func object(_ tree: JSONTree, _ pointer: String) throws(SchemaError) -> [String: JSONTree] {
        guard case .object(let members) = tree else { throw fail(pointer, "expected an object, found \(tree.typeName)") }
        return members
    }

    func string(_ tree: JSONTree?, _ pointer: String) throws(SchemaError) -> String? {
        guard let tree else { return nil }
        guard case .string(let value) = tree else { throw fail(pointer, "expected a string, found \(tree.typeName)") }
        return value
    }

    func bool(_ tree: JSONTree?, _ pointer: String) throws(SchemaError) -> Bool? {
        guard let tree else { return nil }
        guard case .bool(let value) = tree else { throw fail(pointer, "expected true or false, found \(tree.typeName)") }
        return value
    }

    func integer(_ tree: JSONTree?, _ pointer: String) throws(SchemaError) -> Int? {
        guard let tree else { return nil }
        guard case .number(let value) = tree, value == value.rounded(), value >= 0, value < 1e15 else {
            throw fail(pointer, "expected a whole number of zero or more, found \(tree.typeName)")
        }
        return Int(value)
    }

    func stringList(_ tree: JSONTree?, _ pointer: String) throws(SchemaError) -> [String]? {
        guard let tree else { return nil }
        switch tree {
        case .string(let value): return [value]
        case .array(let items):
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let value) = item else {
                    throw fail("\(pointer)/\(index)", "expected a string, found \(item.typeName)")
                }
                result.append(value)
            }
            return result
        default:
            throw fail(pointer, "expected a string or an array of strings, found \(tree.typeName)")
        }
    }

    func character(_ tree: JSONTree?, _ pointer: String, default value: UInt8?) throws(SchemaError) -> UInt8? {
        guard let text = try string(tree, pointer) else { return value }
        if text.isEmpty { return nil }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80 else {
            throw fail(pointer, "expected a single ASCII character, found \"\(text)\"")
        }
        return byte
    }

    mutating func readSchema(_ tree: JSONTree) throws(SchemaError) -> Schema {
        let members = try object(tree, "")
        guard case .array(let fieldTrees)? = members["fields"] else {
            throw fail("/fields", members["fields"] == nil ? "a schema needs a \"fields\" array" : "\"fields\" must be an array")
        }
        let missing = try stringList(members["missingValues"], "/missingValues") ?? [""]
        var fields: [Field] = []
        var seen: Set<String> = []
        for (index, fieldTree) in fieldTrees.enumerated() {
            let field = try readField(fieldTree, "/fields/\(index)")
            guard seen.insert(field.name).inserted else {
                throw fail("/fields/\(index)/name", "the field name \"\(field.name)\" is used twice")
            }
            fields.append(field)
        }
        let names = Set(fields.map(\.name))
        let primaryKey = try stringList(members["primaryKey"], "/primaryKey") ?? []
        for (index, name) in primaryKey.enumerated() where !names.contains(name) {
            // A single-field key may be written as a plain string, which has no "/0" to point at.
            let pointer: String
            if case .array? = members["primaryKey"] { pointer = "/primaryKey/\(index)" } else { pointer = "/primaryKey" }
            throw fail(pointer, "primary key field \"\(name)\" is not a field of this schema")
        }
        var foreignKeys: [ForeignKey] = []
        if let tree = members["foreignKeys"] {
            guard case .array(let items) = tree else { throw fail("/foreignKeys", "expected an array") }
            for (index, item) in items.enumerated() {
                foreignKeys.append(try readForeignKey(item, "/foreignKeys/\(index)", names: names))
            }
        }
        var parameters: [RuleParameter] = []
        if let tree = members["parameters"] {
            for (name, value) in try object(tree, "/parameters").sorted(by: { $0.key < $1.key }) {
                let pointer = "/parameters/\(pointerToken(name))"
                let parameter = try object(value, pointer)
                var defaultValue = RuleValue.null
                switch parameter["default"] {
                case .number(let number)?: defaultValue = .number(number)
                case .string(let text)?: defaultValue = .text(text)
                case .bool(let flag)?: defaultValue = .bool(flag)
                case nil, .null?: break
                default: throw fail("\(pointer)/default", "a parameter default must be a number, string or boolean")
                }
                parameters.append(
                    RuleParameter(
                        name: name, defaultValue: defaultValue,
                        description: try string(parameter["description"], "\(pointer)/description")))
            }
        }
        let schemaName = try string(members["name"], "/name") ?? "table"
        var partial = Schema(
            name: schemaName, title: try string(members["title"], "/title"),
            description: try string(members["description"], "/description"),
            version: try string(members["version"], "/version"),
            isReference: try bool(members["reference"], "/reference") ?? false, fields: fields, missingValues: missing,
            primaryKey: primaryKey, foreignKeys: foreignKeys, rules: [], parameters: parameters, source: source)
        if let tree = members["rules"] {
            guard case .array(let items) = tree else { throw fail("/rules", "expected an array of rules") }
            var rules: [Rule] = []
            var ruleNames: Set<String> = []
            for (index, item) in items.enumerated() {
                let rule = try readRule(item, "/rules/\(index)", schema: partial)
                guard ruleNames.insert(rule.name).inserted else {
                    throw fail("/rules/\(index)/name", "the rule name \"\(rule.name)\" is used twice")
                }
                rules.append(rule)
            }
            partial.rules = rules
        }
        return partial
    }

    func readField(_ tree: JSONTree, _ pointer: String) throws(SchemaError) -> Field {
        let members = try object(tree, pointer)
        guard let name = try string(members["name"], "\(pointer)/name"), !name.isEmpty else {
            throw fail("\(pointer)/name", "every field needs a non-empty \"name\"")
        }
        let typeName = try string(members["type"], "\(pointer)/type") ?? "string"
        guard let type = FieldType(rawValue: typeName) else {
            throw fail(
                "\(pointer)/type",
                "unknown type \"\(typeName)\"; use one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let itemTypeName = try string(members["itemType"], "\(pointer)/itemType") ?? "string"
        guard let itemType = FieldType(rawValue: itemTypeName), itemType != .list else {
            throw fail("\(pointer)/itemType", "unknown or unsupported item type \"\(itemTypeName)\"")
        }
        let format = try string(members["format"], "\(pointer)/format")
        var dateFormats: [DateFormat] = []
        if type == .date || type == .datetime || itemType == .date {
            var specs = try stringList(members["formats"], "\(pointer)/formats") ?? []
            if specs.isEmpty, let format, format != "default", format != "any" { specs = [format] }
            for (index, spec) in specs.enumerated() {
                guard let compiled = DateFormat(spec) else {
                    throw fail(
                        members["formats"] == nil ? "\(pointer)/format" : "\(pointer)/formats/\(index)",
                        "unsupported date format \"\(spec)\"; use directives %Y %y %m %d %b %B %H %M %S and literal characters")
                }
                dateFormats.append(compiled)
            }
        } else if let format, type == .string, !["default", "email", "uri", "uuid", "binary"].contains(format) {
            throw fail("\(pointer)/format", "unsupported string format \"\(format)\"; use default, email, uri or uuid")
        }
        let probe = Field(
            name: name, title: nil, description: nil, example: nil, type: type, format: format, dateFormats: dateFormats,
            trueValues: try stringList(members["trueValues"], "\(pointer)/trueValues") ?? ["true", "True", "TRUE", "1"],
            falseValues: try stringList(members["falseValues"], "\(pointer)/falseValues") ?? ["false", "False", "FALSE", "0"],
            bareNumber: try bool(members["bareNumber"], "\(pointer)/bareNumber") ?? true,
            groupChar: try character(members["groupChar"], "\(pointer)/groupChar", default: nil),
            decimalChar: try character(members["decimalChar"], "\(pointer)/decimalChar", default: 0x2E) ?? 0x2E,
            delimiter: try character(members["delimiter"], "\(pointer)/delimiter", default: 0x2C) ?? 0x2C,
            itemType: itemType, constraints: Constraints(),
            missingValues: try stringList(members["missingValues"], "\(pointer)/missingValues"))
        var field = probe
        field.title = try string(members["title"], "\(pointer)/title")
        field.description = try string(members["description"], "\(pointer)/description")
        field.example = try string(members["example"], "\(pointer)/example")
        field.columnOptional = try bool(members["columnOptional"], "\(pointer)/columnOptional") ?? false
        if let tree = members["constraints"] {
            field.constraints = try readConstraints(tree, "\(pointer)/constraints", field: probe)
        }
        return field
    }

    func readConstraints(_ tree: JSONTree, _ pointer: String, field: Field) throws(SchemaError) -> Constraints {
        let members = try object(tree, pointer)
        var constraints = Constraints()
        constraints.required = try bool(members["required"], "\(pointer)/required") ?? false
        constraints.unique = try bool(members["unique"], "\(pointer)/unique") ?? false
        constraints.minLength = try integer(members["minLength"], "\(pointer)/minLength")
        constraints.maxLength = try integer(members["maxLength"], "\(pointer)/maxLength")
        if let text = try string(members["pattern"], "\(pointer)/pattern") {
            guard let pattern = Pattern(text) else {
                throw fail("\(pointer)/pattern", "the pattern \"\(text)\" is not a valid regular expression")
            }
            constraints.pattern = pattern
        }
        if let tree = members["enum"] {
            guard case .array(let items) = tree else { throw fail("\(pointer)/enum", "expected an array of allowed values") }
            constraints.enumValues = try items.enumerated().map { index, item throws(SchemaError) in
                switch item {
                case .string(let text): return text
                case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
                case .bool(let flag): return flag ? "true" : "false"
                default: throw fail("\(pointer)/enum/\(index)", "an allowed value must be a string, number or boolean")
                }
            }
        }
        for key in ["minimum", "maximum"] {
            guard let bound = members[key] else { continue }
            let text: String
            switch bound {
            case .number(let number): text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            case .string(let value): text = value
            default: throw fail("\(pointer)/\(key)", "expected a number or a date string, found \(bound.typeName)")
            }
            var probe = field
            probe.missingValues = []
            if probe.type == .date && probe.dateFormats.isEmpty == false { probe.dateFormats = [] }
            guard case .value(let value) = CellParser.parse(Array(text.utf8)[...], as: probe) else {
                throw fail("\(pointer)/\(key)", "\"\(text)\" is not a valid \(field.type.rawValue) for this field")
            }
            if key == "minimum" { constraints.minimum = value } else { constraints.maximum = value }
        }
        return constraints
    }

    func readForeignKey(_ tree: JSONTree, _ pointer: String, names: Set<String>) throws(SchemaError) -> ForeignKey {
        let members = try object(tree, pointer)
        guard let fields = try stringList(members["fields"], "\(pointer)/fields"), !fields.isEmpty else {
            throw fail("\(pointer)/fields", "a foreign key needs \"fields\"")
        }
        for (index, name) in fields.enumerated() where !names.contains(name) {
            throw fail(
                "\(pointer)/fields\(members["fields"].map { if case .array = $0 { return "/\(index)" } else { return "" } } ?? "")",
                "\"\(name)\" is not a field of this schema")
        }
        guard let reference = members["reference"] else { throw fail("\(pointer)/reference", "a foreign key needs a \"reference\"") }
        let referenceMembers = try object(reference, "\(pointer)/reference")
        let resource = try string(referenceMembers["resource"], "\(pointer)/reference/resource") ?? ""
        guard let referenceFields = try stringList(referenceMembers["fields"], "\(pointer)/reference/fields"),
            referenceFields.count == fields.count
        else {
            throw fail("\(pointer)/reference/fields", "the reference needs as many fields as the foreign key (\(fields.count))")
        }
        return ForeignKey(
            fields: fields, resource: resource, referenceFields: referenceFields,
            message: try string(members["message"], "\(pointer)/message"))
    }

    func readRule(_ tree: JSONTree, _ pointer: String, schema: Schema) throws(SchemaError) -> Rule {
        let members = try object(tree, pointer)
        guard let name = try string(members["name"], "\(pointer)/name"), !name.isEmpty else {
            throw fail("\(pointer)/name", "every rule needs a \"name\"")
        }
        guard let assertText = try string(members["assert"], "\(pointer)/assert") else {
            throw fail("\(pointer)/assert", "every rule needs an \"assert\" expression")
        }
        let severityText = try string(members["severity"], "\(pointer)/severity") ?? "error"
        guard let severity = Severity(rawValue: severityText) else {
            throw fail("\(pointer)/severity", "severity must be \"error\" or \"warning\", found \"\(severityText)\"")
        }
        let message = try string(members["message"], "\(pointer)/message") ?? "The rule \(name) is not met."
        let compile = { (text: String, key: String) throws(SchemaError) -> RuleExpression in
            do {
                return try RuleExpression(text, schema: schema)
            } catch {
                throw fail("\(pointer)/\(key)", "\(error)")
            }
        }
        let when = try string(members["when"], "\(pointer)/when").map { text throws(SchemaError) in try compile(text, "when") }
        let assertion = try compile(assertText, "assert")
        for written in Rule.placeholders(in: message) {
            let (placeholder, format) = MessagePiece.split(written)
            if let format, !MessagePiece.formats.contains(format) {
                throw fail("\(pointer)/message", "the message uses {\(written)}; the only format after a colon is money")
            }
            if placeholder == "$currency" { continue }
            if placeholder.hasPrefix("$") {
                guard schema.parameters.contains(where: { $0.name == placeholder.dropFirst() }) else {
                    throw fail("\(pointer)/message", "the message uses {\(placeholder)}, which is not a declared parameter")
                }
            } else if schema.fieldIndex(placeholder) == nil {
                throw fail("\(pointer)/message", "the message uses {\(placeholder)}, which is not a field of this schema")
            }
        }
        return Rule(name: name, when: when, assertion: assertion, severity: severity, message: message)
    }
}

extension Rule {
    /// The `{name}` placeholders of a message template, in order.
    static func placeholders(in template: String) -> [String] {
        var result: [String] = []
        var current: String?
        for character in template {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                if !name.isEmpty { result.append(name) }
                current = nil
            } else if current != nil {
                current!.append(character)
            }
        }
        return result
    }
}
