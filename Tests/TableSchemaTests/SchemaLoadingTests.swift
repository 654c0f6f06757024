import Foundation
import TableSchema
import TestSupport
import Testing

/// Reading schema descriptors: the real schemas load, and every mistake names its JSON pointer.
@Suite("Schema loading")
struct SchemaLoadingTests {
    /// Every table schema shipped in `Schemas/` loads, with the keys and rules the design describes.
    @Test(arguments: [
        ("support", 15, ["partner_id", "quarter", "person_ref"], 2, 9, false),
        ("outcomes", 6, ["partner_id", "quarter", "person_ref", "outcome_id"], 3, 1, false),
        ("ripple", 7, ["partner_id", "quarter", "note_id"], 2, 1, false),
        ("partners", 6, ["partner_id"], 1, 1, true),
        ("funders", 2, ["funder_id"], 0, 0, true),
        ("outcome-goals", 5, ["outcome_id"], 0, 0, true),
    ])
    func realSchemasLoad(
        _ name: String, _ fieldCount: Int, _ primaryKey: [String], _ foreignKeys: Int, _ rules: Int, _ isReference: Bool
    ) throws {
        let path = TestPaths.repo("Schemas/\(name).schema.json")
        let schema = try Schema(contentsOf: path)
        #expect(schema.name == name)
        #expect(schema.source == path)
        #expect(schema.fields.count == fieldCount)
        #expect(schema.primaryKey == primaryKey)
        #expect(schema.foreignKeys.count == foreignKeys)
        #expect(schema.rules.count == rules)
        #expect(schema.isReference == isReference)
    }

    @Test func supportSchemaDetails() throws {
        let schema = try repositorySchema("support")
        #expect(schema.version == "1.0.0")
        #expect(schema.missingValues == ["", "N/A", "n/a", "NA"])
        let spend = try #require(schema.fields.first { $0.name == "discretionary_spend" })
        #expect(spend.type == .number)
        #expect(!spend.bareNumber)
        #expect(spend.groupChar == UInt8(ascii: ","))
        #expect(spend.decimalChar == UInt8(ascii: "."))
        #expect(spend.constraints.minimum == .number(0))
        #expect(spend.constraints.maximum == .number(100_000))
        let start = try #require(schema.fields.first { $0.name == "start_date" })
        #expect(start.dateFormats.map(\.spec) == ["%Y-%m-%d", "%d/%m/%Y"])
        #expect(start.constraints.required)
        #expect(start.constraints.minimum == .date(day(2000, 1, 1)))
        let offered = try #require(schema.fields.first { $0.name == "sessions_offered" })
        #expect(offered.constraints.minimum == .integer(0))
        #expect(offered.constraints.maximum == .integer(400))
        #expect(schema.fields.first { $0.name == "support_status" }?.constraints.enumValues == ["active", "paused", "ended"])
        #expect(schema.fields.first { $0.name == "partner_id" }?.constraints.pattern?.isSimple == true)
        let foreignKey = try #require(schema.foreignKeys.first)
        #expect(foreignKey.fields == ["partner_id"])
        #expect(foreignKey.resource == "partners")
        #expect(foreignKey.referenceFields == ["partner_id"])
        #expect(schema.parameters.map(\.name) == ["coordinator_limit", "quarter"])
        #expect(schema.parameters.map(\.defaultValue) == [.number(1000), .null])
        #expect(schema.fieldIndex("person_ref") == 2)
        #expect(schema.fieldIndex("nope") == nil)
    }

    @Test func partnersListField() throws {
        let schema = try repositorySchema("partners")
        let funders = try #require(schema.fields.first { $0.name == "funder_ids" })
        #expect(funders.type == .list)
        #expect(funders.delimiter == UInt8(ascii: ";"))
        #expect(funders.itemType == .string)
        #expect(funders.constraints.minLength == 1)
    }

    @Test func defaultsOfAMinimalField() throws {
        let field = try makeField(#"{"name": "a"}"#)
        #expect(field.type == .string)
        #expect(field.trueValues == ["true", "True", "TRUE", "1"])
        #expect(field.falseValues == ["false", "False", "FALSE", "0"])
        #expect(field.bareNumber)
        #expect(field.groupChar == nil)
        #expect(field.decimalChar == UInt8(ascii: "."))
        #expect(field.delimiter == UInt8(ascii: ","))
        #expect(field.missingValues == nil)
        #expect(!field.constraints.required)
        let schema = try makeSchema(#"{"fields": [{"name": "a"}]}"#)
        #expect(schema.name == "table")
        #expect(schema.missingValues == [""])
        #expect(schema.primaryKey.isEmpty)
    }

    /// Each broken descriptor is refused with the JSON pointer of the offending value.
    @Test(arguments: [
        (
            #"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c", "type": "money"}]}"#, "/fields/2/type",
            "unknown type \"money\"; use one of string, integer, number, boolean, date, datetime, year, list, any"
        ),
        (
            #"{"fields": [{"name": "a", "constraints": {"pattern": "(x"}}]}"#, "/fields/0/constraints/pattern",
            "the pattern \"(x\" is not a valid regular expression"
        ),
        (
            #"{"fields": [{"name": "a"}], "primaryKey": ["a", "b"]}"#, "/primaryKey/1",
            "primary key field \"b\" is not a field of this schema"
        ),
        (
            #"{"fields": [{"name": "a"}], "primaryKey": "b"}"#, "/primaryKey",
            "primary key field \"b\" is not a field of this schema"
        ),
        (#"{"fields": [{"name": "a"}, {"name": "a"}]}"#, "/fields/1/name", "the field name \"a\" is used twice"),
        (#"{"fields": [{"name": ""}]}"#, "/fields/0/name", "every field needs a non-empty \"name\""),
        (#"{"fields": [{"type": "string"}]}"#, "/fields/0/name", "every field needs a non-empty \"name\""),
        (#"{"name": "x"}"#, "/fields", "a schema needs a \"fields\" array"),
        (#"{"fields": {}}"#, "/fields", "\"fields\" must be an array"),
        (#"[1, 2]"#, "", "expected an object, found an array"),
        (#"{"fields": [3]}"#, "/fields/0", "expected an object, found a number"),
        (#"{"fields": [{"name": 3}]}"#, "/fields/0/name", "expected a string, found a number"),
        (
            #"{"fields": [{"name": "d", "type": "date", "format": "%d/%q/%Y"}]}"#, "/fields/0/format",
            "unsupported date format \"%d/%q/%Y\"; use directives %Y %y %m %d %b %B %H %M %S and literal characters"
        ),
        (
            #"{"fields": [{"name": "d", "type": "date", "formats": ["%Y-%m-%d", "%m/%Y"]}]}"#, "/fields/0/formats/1",
            "unsupported date format \"%m/%Y\"; use directives %Y %y %m %d %b %B %H %M %S and literal characters"
        ),
        (
            #"{"fields": [{"name": "s", "format": "ipv4"}]}"#, "/fields/0/format",
            "unsupported string format \"ipv4\"; use default, email, uri or uuid"
        ),
        (
            #"{"fields": [{"name": "l", "type": "list", "itemType": "list"}]}"#, "/fields/0/itemType",
            "unknown or unsupported item type \"list\""
        ),
        (
            #"{"fields": [{"name": "n", "type": "number", "groupChar": "::"}]}"#, "/fields/0/groupChar",
            "expected a single ASCII character, found \"::\""
        ),
        (
            #"{"fields": [{"name": "n", "type": "boolean", "trueValues": ["Y", 1]}]}"#, "/fields/0/trueValues/1",
            "expected a string, found a number"
        ),
        (
            #"{"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": "ten"}}]}"#, "/fields/0/constraints/minimum",
            "\"ten\" is not a valid integer for this field"
        ),
        (
            #"{"fields": [{"name": "d", "type": "date", "formats": ["%d/%m/%Y"], "constraints": {"maximum": "31/12/2026"}}]}"#,
            "/fields/0/constraints/maximum", "\"31/12/2026\" is not a valid date for this field"
        ),
        (
            #"{"fields": [{"name": "n", "constraints": {"maxLength": -1}}]}"#, "/fields/0/constraints/maxLength",
            "expected a whole number of zero or more, found a number"
        ),
        (
            #"{"fields": [{"name": "n", "constraints": {"required": "yes"}}]}"#, "/fields/0/constraints/required",
            "expected true or false, found a string"
        ),
        (
            #"{"fields": [{"name": "n", "constraints": {"enum": ["a", null]}}]}"#, "/fields/0/constraints/enum/1",
            "an allowed value must be a string, number or boolean"
        ),
        (
            #"{"fields": [{"name": "a"}], "foreignKeys": [{"fields": "b", "reference": {"resource": "r", "fields": "x"}}]}"#,
            "/foreignKeys/0/fields", "\"b\" is not a field of this schema"
        ),
        (
            #"{"fields": [{"name": "a"}], "foreignKeys": [{"fields": ["a", "b"], "reference": {"resource": "r", "fields": ["x", "y"]}}]}"#,
            "/foreignKeys/0/fields/1", "\"b\" is not a field of this schema"
        ),
        (
            #"{"fields": [{"name": "a"}], "foreignKeys": [{"fields": "a", "reference": {"resource": "r", "fields": ["x", "y"]}}]}"#,
            "/foreignKeys/0/reference/fields", "the reference needs as many fields as the foreign key (1)"
        ),
        (
            #"{"fields": [{"name": "a"}], "foreignKeys": [{"fields": "a"}]}"#, "/foreignKeys/0/reference",
            "a foreign key needs a \"reference\""
        ),
        (
            #"{"fields": [{"name": "a"}], "parameters": {"lim/it": {"default": [1]}}}"#, "/parameters/lim~1it/default",
            "a parameter default must be a number, string or boolean"
        ),
    ])
    func descriptorErrors(_ json: String, _ pointer: String, _ message: String) throws {
        let error = try #require(schemaError(json))
        #expect(error.file == "test.schema.json")
        #expect(error.pointer == pointer)
        #expect(error.message == message)
    }

    /// Rule mistakes point at the rule's `assert`, `when`, `message`, `name` or `severity`.
    @Test(arguments: [
        (
            #"{"name": "r1", "assert": "a <="}"#, "/rules/1/assert",
            "in \"a <=\" at character 5: expected a field, value or \"(\", found end of expression"
        ),
        (
            #"{"name": "r1", "assert": "nope > 1"}"#, "/rules/1/assert",
            "in \"nope > 1\" at character 1: \"nope\" is not a field of this schema"
        ),
        (
            #"{"name": "r1", "assert": "frob(a) > 1"}"#, "/rules/1/assert",
            "in \"frob(a) > 1\" at character 6: unknown function \"frob\"; use one of date, length, lower, quarter_end, quarter_start"
        ),
        (
            #"{"name": "r1", "assert": "a > $missing"}"#, "/rules/1/assert",
            "in \"a > $missing\" at character 5: \"$missing\" is not a declared parameter of this schema (add it under \"parameters\")"
        ),
        (
            #"{"name": "r1", "when": "a >", "assert": "a > 1"}"#, "/rules/1/when",
            "in \"a >\" at character 4: expected a field, value or \"(\", found end of expression"
        ),
        (
            #"{"name": "r1", "assert": "a > 1", "message": "{nope} is wrong"}"#, "/rules/1/message",
            "the message uses {nope}, which is not a field of this schema"
        ),
        (
            #"{"name": "r1", "assert": "a > 1", "message": "over {$cap}"}"#, "/rules/1/message",
            "the message uses {$cap}, which is not a declared parameter"
        ),
        (#"{"name": "r0", "assert": "a > 1"}"#, "/rules/1/name", "the rule name \"r0\" is used twice"),
        (
            #"{"name": "r1", "assert": "a > 1", "severity": "fatal"}"#, "/rules/1/severity",
            "severity must be \"error\" or \"warning\", found \"fatal\""
        ),
        (#"{"assert": "a > 1"}"#, "/rules/1/name", "every rule needs a \"name\""),
        (#"{"name": "r1"}"#, "/rules/1/assert", "every rule needs an \"assert\" expression"),
    ])
    func ruleErrors(_ rule: String, _ pointer: String, _ message: String) throws {
        let json =
            #"{"fields": [{"name": "a", "type": "integer"}], "parameters": {"limit": {"default": 3}}, "rules": [{"name": "r0", "assert": "a < $limit"}, "#
            + rule + "]}"
        let error = try #require(schemaError(json))
        #expect(error.pointer == pointer)
        #expect(error.message == message)
    }

    /// A real schema with one rule broken in place reports that rule's pointer and the file.
    @Test func brokenRuleInRealSchema() throws {
        let path = TestPaths.repo("Schemas/support.schema.json")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let broken = original.replacingOccurrences(of: "\"end_date >= start_date\"", with: "\"end_date >= start_dat\"")
        #expect(broken != original)
        let error = #expect(throws: SchemaError.self) { try Schema(json: Data(broken.utf8), source: "support.schema.json") }
        #expect(error?.pointer == "/rules/3/assert")
        #expect(error?.message == "in \"end_date >= start_dat\" at character 13: \"start_dat\" is not a field of this schema")
        #expect(
            error?.description
                == "invalid schema support.schema.json at /rules/3/assert: in \"end_date >= start_dat\" at character 13: \"start_dat\" is not a field of this schema"
        )
    }

    @Test func invalidJSON() throws {
        let error = try #require(schemaError(#"{"fields": [}"#))
        #expect(error.pointer == "")
        #expect(error.message.hasPrefix("not valid JSON ("))
        #expect(error.description.hasPrefix("invalid schema test.schema.json at /: not valid JSON ("))
    }

    @Test func unreadableFile() {
        let path = TestPaths.repo("Schemas/no-such.schema.json")
        #expect(throws: SchemaError(file: path, pointer: "", message: "the file cannot be read")) {
            try Schema(contentsOf: path)
        }
    }

    /// Constraint values are typed by their field: numbers from JSON numbers, dates from ISO text,
    /// enum numbers and booleans as the texts that spell them.
    @Test func typedConstraintValues() throws {
        let schema = try makeSchema(
            #"""
            {"fields": [
              {"name": "n", "type": "number", "constraints": {"minimum": 0.5, "maximum": "10"}},
              {"name": "i", "type": "integer", "constraints": {"enum": [1, 2, 3]}},
              {"name": "b", "type": "boolean", "constraints": {"enum": [true]}},
              {"name": "y", "type": "year", "constraints": {"minimum": 2000}},
              {"name": "s", "constraints": {"minLength": 2, "maxLength": 5, "unique": true}}
            ]}
            """#)
        #expect(schema.fields[0].constraints.minimum == .number(0.5))
        #expect(schema.fields[0].constraints.maximum == .number(10))
        #expect(schema.fields[1].constraints.enumValues == ["1", "2", "3"])
        #expect(schema.fields[2].constraints.enumValues == ["true"])
        #expect(schema.fields[3].constraints.minimum == .year(2000))
        #expect(schema.fields[4].constraints.minLength == 2)
        #expect(schema.fields[4].constraints.maxLength == 5)
        #expect(schema.fields[4].constraints.unique)
    }

    /// Blank and repeated labels get no field of their own (the header check reports them), and
    /// labels are trimmed as the header check trims them.
    @Test func allStringsSkipsBlankAndRepeatedLabels() {
        let schema = Schema.allStrings(labels: ["id", " name ", "", "name", "  ", "id", "Name"])
        #expect(schema.fields.map(\.name) == ["id", "name", "Name"])
        let validator = TableValidator(schema: schema)
        validator.checkHeader(["id", " name ", "", "name", "  ", "id", "Name"])
        #expect(
            briefs(validator.findings) == [
                Brief(.blankLabel, row: 1, field: 3), Brief(.duplicateLabel, row: 1, field: 4), Brief(.blankLabel, row: 1, field: 5),
                Brief(.duplicateLabel, row: 1, field: 6),
            ])
    }

    @Test func allStringsSchema() {
        let schema = Schema.allStrings(labels: ["id", "name"], name: "people")
        #expect(schema.name == "people")
        #expect(schema.fields.map(\.name) == ["id", "name"])
        #expect(schema.fields.allSatisfy { $0.type == .string })
        #expect(schema.missingValues == [""])
        #expect(schema.source == "<inferred>")
    }
}
