import Foundation
import Testing

@testable import JSONSchema

// MARK: - Helpers

/// Parses JSON text in tests.
func json(_ text: String) throws -> JSONValue {
    try JSONParser().parse(text).value
}

/// One expected error: where, which keyword, and the exact message.
struct ExpectedError: Sendable, CustomTestStringConvertible {
    let schema: String
    let instance: String
    let pointer: String
    let keyword: String
    let schemaPath: String
    let message: String

    var testDescription: String { "\(keyword): \(message)" }
}

// MARK: - Messages

@Suite("Validation messages")
struct ValidationMessageTests {
    static let cases: [ExpectedError] = [
        ExpectedError(
            schema: #"{"properties": {"date": {"type": "string", "format": "date"}}}"#,
            instance: #"{"date": "15th July"}"#, pointer: "/date", keyword: "format",
            schemaPath: "/properties/date/format",
            message: #"expected a date like 2026-07-15, found "15th July""#),
        ExpectedError(
            schema: #"{"required": ["name", "sessions"]}"#, instance: #"{"name": "x"}"#,
            pointer: "", keyword: "required", schemaPath: "/required",
            message: #""sessions" is required but missing"#),
        ExpectedError(
            schema: #"{"enum": ["active", "paused", "ended"]}"#, instance: #""closed""#,
            pointer: "", keyword: "enum", schemaPath: "/enum",
            message: #"expected one of "active", "paused", "ended", found "closed""#),
        ExpectedError(
            schema: #"{"type": "integer"}"#, instance: #""twelve""#, pointer: "", keyword: "type",
            schemaPath: "/type", message: #"expected a whole number, found "twelve""#),
        ExpectedError(
            schema: #"{"type": "integer"}"#, instance: "12.5", pointer: "", keyword: "type",
            schemaPath: "/type", message: "expected a whole number, found 12.5"),
        ExpectedError(
            schema: #"{"type": ["string", "null"]}"#, instance: "[1, 2]", pointer: "", keyword: "type",
            schemaPath: "/type", message: "expected text or null, found a list of 2 items"),
        ExpectedError(
            schema: #"{"minimum": 0}"#, instance: "-3", pointer: "", keyword: "minimum",
            schemaPath: "/minimum", message: "must be at least 0, found -3"),
        ExpectedError(
            schema: #"{"maximum": 10}"#, instance: "10.5", pointer: "", keyword: "maximum",
            schemaPath: "/maximum", message: "must be at most 10, found 10.5"),
        ExpectedError(
            schema: #"{"exclusiveMinimum": 0}"#, instance: "0", pointer: "", keyword: "exclusiveMinimum",
            schemaPath: "/exclusiveMinimum", message: "must be more than 0, found 0"),
        ExpectedError(
            schema: #"{"exclusiveMaximum": 1e308}"#, instance: "1e308", pointer: "", keyword: "exclusiveMaximum",
            schemaPath: "/exclusiveMaximum", message: "must be less than 1e308, found 1e308"),
        ExpectedError(
            schema: #"{"multipleOf": 0.01}"#, instance: "19.999", pointer: "", keyword: "multipleOf",
            schemaPath: "/multipleOf", message: "must be a multiple of 0.01, found 19.999"),
        ExpectedError(
            schema: #"{"minLength": 3}"#, instance: #""ab""#, pointer: "", keyword: "minLength",
            schemaPath: "/minLength", message: #"must be at least 3 characters long, found "ab" (2 characters)"#),
        ExpectedError(
            schema: #"{"maxLength": 3}"#, instance: #""😀😀😀😀""#, pointer: "", keyword: "maxLength",
            schemaPath: "/maxLength", message: #"must be at most 3 characters long, found "😀😀😀😀" (4 characters)"#),
        ExpectedError(
            schema: #"{"pattern": "^P[0-9]{3}$"}"#, instance: #""P12""#, pointer: "", keyword: "pattern",
            schemaPath: "/pattern", message: #"must match the pattern ^P[0-9]{3}$, found "P12""#),
        ExpectedError(
            schema: #"{"minItems": 1}"#, instance: "[]", pointer: "", keyword: "minItems",
            schemaPath: "/minItems", message: "must have at least 1 item, found 0"),
        ExpectedError(
            schema: #"{"maxItems": 2}"#, instance: "[1, 2, 3]", pointer: "", keyword: "maxItems",
            schemaPath: "/maxItems", message: "must have at most 2 items, found 3"),
        ExpectedError(
            schema: #"{"uniqueItems": true}"#, instance: #"["a", "b", "a"]"#, pointer: "", keyword: "uniqueItems",
            schemaPath: "/uniqueItems", message: #"must not contain duplicates, but "a" appears more than once"#),
        ExpectedError(
            schema: #"{"minProperties": 2}"#, instance: #"{"a": 1}"#, pointer: "", keyword: "minProperties",
            schemaPath: "/minProperties", message: "must have at least 2 fields, found 1"),
        ExpectedError(
            schema: #"{"maxProperties": 1}"#, instance: #"{"a": 1, "b": 2}"#, pointer: "", keyword: "maxProperties",
            schemaPath: "/maxProperties", message: "must have at most 1 field, found 2"),
        ExpectedError(
            schema: #"{"const": "yes"}"#, instance: #""no""#, pointer: "", keyword: "const",
            schemaPath: "/const", message: #"expected "yes", found "no""#),
        ExpectedError(
            schema: #"{"dependentRequired": {"address": ["postcode"]}}"#, instance: #"{"address": "1 High St"}"#,
            pointer: "", keyword: "dependentRequired", schemaPath: "/dependentRequired",
            message: #""postcode" is required when "address" is present"#),
        ExpectedError(
            schema: #"{"properties": {"a": true}, "additionalProperties": false}"#, instance: #"{"a": 1, "colour": "red"}"#,
            pointer: "/colour", keyword: "additionalProperties", schemaPath: "/additionalProperties",
            message: #""colour" is not allowed here"#),
        ExpectedError(
            schema: #"{"propertyNames": {"pattern": "^[a-z_]+$"}}"#, instance: #"{"Bad Name": 1}"#,
            pointer: "/Bad Name", keyword: "propertyNames", schemaPath: "/propertyNames",
            message: #"the field name "Bad Name" is not allowed: must match the pattern ^[a-z_]+$, found "Bad Name""#),
        ExpectedError(
            schema: #"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#, instance: "true", pointer: "",
            keyword: "anyOf", schemaPath: "/anyOf", message: "expected text or a whole number, found true"),
        ExpectedError(
            schema: #"{"oneOf": [{"const": "a"}, {"enum": ["b", "c"]}]}"#, instance: #""d""#, pointer: "",
            keyword: "oneOf", schemaPath: "/oneOf", message: #"expected "a", "b" or "c", found "d""#),
        ExpectedError(
            schema: #"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, instance: "5", pointer: "",
            keyword: "oneOf", schemaPath: "/oneOf",
            message: "matches more than one of the 2 allowed options (options 1 and 2), but must match exactly one"),
        ExpectedError(
            schema: #"{"anyOf": [{"required": ["email"]}, {"required": ["phone", "name"]}]}"#, instance: #"{}"#,
            pointer: "", keyword: "anyOf", schemaPath: "/anyOf",
            message: #"does not match any of the 2 allowed options; the closest (option 1) fails because "email" is required but missing"#),
        ExpectedError(
            schema: #"{"not": {"type": "null"}}"#, instance: "null", pointer: "", keyword: "not",
            schemaPath: "/not", message: "must not be null, found null"),
        ExpectedError(
            schema: #"{"contains": {"const": "lead"}}"#, instance: #"["member"]"#, pointer: "", keyword: "contains",
            schemaPath: "/contains", message: #"must include "lead""#),
        ExpectedError(
            schema: #"{"contains": {"type": "number"}, "minContains": 2}"#, instance: #"[1, "x"]"#, pointer: "",
            keyword: "minContains", schemaPath: "/minContains", message: "must include at least 2 matching items, found 1"),
        ExpectedError(
            schema: #"{"contains": {"type": "number"}, "maxContains": 1}"#, instance: "[1, 2]", pointer: "",
            keyword: "maxContains", schemaPath: "/maxContains", message: "must include at most 1 matching item, found 2"),
        ExpectedError(
            schema: #"{"prefixItems": [true], "items": false}"#, instance: "[1, 2, 3]", pointer: "",
            keyword: "items", schemaPath: "/items", message: "must have at most 1 item, found 3"),
        ExpectedError(
            schema: ##"{"$defs": {"age": {"type": "integer", "minimum": 0}}, "properties": {"age": {"$ref": "#/$defs/age"}}}"##,
            instance: #"{"age": -1}"#, pointer: "/age", keyword: "minimum", schemaPath: "/properties/age/$ref/minimum",
            message: "must be at least 0, found -1"),
        ExpectedError(
            schema: #"{"if": {"required": ["a"]}, "then": {"required": ["b"]}}"#, instance: #"{"a": 1}"#,
            pointer: "", keyword: "required", schemaPath: "/then/required", message: #""b" is required but missing"#),
        ExpectedError(
            schema: "false", instance: "1", pointer: "", keyword: "false", schemaPath: "",
            message: "no value is allowed here, found 1"),
        ExpectedError(
            schema: #"{"properties": {"note": {"maxLength": 5}}}"#,
            instance: #"{"note": "a very long note that goes on and on and on and on and on and on and on"}"#,
            pointer: "/note", keyword: "maxLength", schemaPath: "/properties/note/maxLength",
            message:
                #"must be at most 5 characters long, found "a very long note that goes on and on and on and on and on…" (71 characters)"#),
    ]

    @Test("each keyword explains itself in plain words", arguments: cases)
    func message(_ expected: ExpectedError) throws {
        let schema = try JSONSchema(compiling: json(expected.schema), options: .init(formatAssertion: true))
        let errors = schema.validate(try json(expected.instance))
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.instancePointer == expected.pointer)
        #expect(error.keyword == expected.keyword)
        #expect(error.schemaPath == expected.schemaPath)
        #expect(error.message == expected.message)
        #expect(!schema.isValid(try json(expected.instance)))
    }
}

// MARK: - Behaviour

@Suite("Validator behaviour")
struct ValidatorBehaviourTests {
    @Test("all errors are collected, in document order")
    func documentOrder() throws {
        let schema = try JSONSchema(
            compiling: json(
                """
                {
                  "type": "object",
                  "required": ["partner", "sessions"],
                  "properties": {
                    "sessions": {"type": "array", "items": {
                      "type": "object",
                      "required": ["date"],
                      "properties": {"date": {"format": "date"}, "hours": {"type": "number", "minimum": 0}}
                    }},
                    "status": {"enum": ["active", "paused"]}
                  }
                }
                """), options: .init(formatAssertion: true))
        let instance = try json(
            """
            {"status": "closed", "sessions": [{"hours": -1, "date": "soon"}, {"hours": "two"}]}
            """)
        let errors = schema.validate(instance)
        #expect(
            errors.map(\.instancePointer) == ["", "/status", "/sessions/0/hours", "/sessions/0/date", "/sessions/1", "/sessions/1/hours"])
        #expect(errors.map(\.keyword) == ["required", "enum", "minimum", "format", "required", "type"])
        #expect(errors[0].message == #""partner" is required but missing"#)
        #expect(errors[4].message == #""date" is required but missing"#)
    }

    @Test("failures inside not, if, and passing anyOf alternatives do not leak")
    func noLeaks() throws {
        let schema = try JSONSchema(
            compiling: json(
                """
                {
                  "anyOf": [{"type": "string", "minLength": 50}, {"type": "string"}],
                  "not": {"const": "forbidden", "minLength": 100},
                  "if": {"minLength": 10}, "then": true, "else": {"maxLength": 20}
                }
                """))
        #expect(schema.validate("short").isEmpty)
        #expect(schema.isValid("short"))
    }

    @Test("format is an annotation unless assertion is on")
    func formatAssertion() throws {
        let schemaValue: JSONValue = ["format": "email"]
        #expect(try JSONSchema(compiling: schemaValue).validate("not an email").isEmpty)
        let asserting = try JSONSchema(compiling: schemaValue, options: .init(formatAssertion: true))
        #expect(
            asserting.validate("not an email").map(\.message) == [#"expected an email address like name@example.org, found "not an email""#]
        )
        #expect(asserting.validate("name@example.org").isEmpty)
    }

    /// (format, valid example, invalid example).
    static let formats: [(String, String, String)] = [
        ("date", "2024-02-29", "2023-02-29"),
        ("date-time", "2026-07-15T09:30:00+01:00", "2026-07-15 09:30"),
        ("time", "23:59:60Z", "24:00:00Z"),
        ("email", "a.b@example.org", "a..b@example.org"),
        ("uri", "https://example.org/a?b#c", "/relative"),
        ("ipv4", "192.168.0.1", "192.168.0.256"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"),
    ]

    @Test("format checks", arguments: formats)
    func formatChecks(_ format: String, _ valid: String, _ invalid: String) throws {
        let schema = try JSONSchema(compiling: ["format": .string(format)], options: .init(formatAssertion: true))
        #expect(schema.isValid(.string(valid)))
        #expect(!schema.isValid(.string(invalid)))
        #expect(schema.isValid(42), "formats ignore non-strings")
    }

    /// (maxLength, text, valid) — lengths count code points, not UTF-16 units or bytes.
    static let lengths: [(Int, String, Bool)] = [
        (3, "😀😀😀", true),
        (2, "😀😀😀", false),
        (1, "é", true),
        (1, "👍🏽", false),
        (2, "👍🏽", true),
        (0, "", true),
    ]

    @Test("maxLength counts Unicode code points", arguments: lengths)
    func codePointLength(_ limit: Int, _ text: String, _ valid: Bool) throws {
        let schema = try JSONSchema(compiling: ["maxLength": .number(JSONNumber(limit))])
        #expect(schema.isValid(.string(text)) == valid)
        let minimum = try JSONSchema(compiling: ["minLength": .number(JSONNumber(limit + 1))])
        #expect(minimum.isValid(.string(text)) == !valid)
    }

    @Test(
        "multipleOf with decimals is exact in schemas",
        arguments: [
            ("0.01", "19.99", true), ("0.0001", "0.0075", true), ("0.1", "0.3", true), ("0.01", "0.075", false),
        ])
    func decimalMultipleOf(_ divisor: String, _ value: String, _ valid: Bool) throws {
        let schema = try JSONSchema(compiling: json(#"{"multipleOf": \#(divisor)}"#))
        #expect(schema.isValid(try json(value)) == valid)
    }

    @Test("a $ref loop that never moves into the instance fails cleanly")
    func refLoop() throws {
        let schema = try JSONSchema(
            compiling: json(
                """
                {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
                """))
        let errors = schema.validate(1)
        #expect(errors.count == 1)
        #expect(errors.first?.keyword == "$ref")
        #expect(errors.first?.message == "the schema refers back to itself here without end, so this value cannot be checked")
        #expect(!schema.isValid(1))
    }

    @Test("recursive schemas on deep instances stop at the evaluation depth limit")
    func evaluationDepth() throws {
        let schema = try JSONSchema(
            compiling: json(##"{"items": {"$ref": "#"}, "type": "array"}"##),
            options: .init(maxEvaluationDepth: 50))
        var deep: JSONValue = []
        for _ in 0..<200 { deep = [deep] }
        let instance = deep
        // On a large stack, so that the depth limit is what stops it (AddressSanitizer's frames are many
        // times larger, and the stack guard would otherwise stop it first on a test thread).
        let errors = Self.onThread(stackSize: 64 << 20) { schema.validate(instance) }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("more than 50 levels of schema") == true)
        var shallow: JSONValue = []
        for _ in 0..<20 { shallow = [shallow] }
        let shallowInstance = shallow
        #expect(Self.onThread(stackSize: 64 << 20) { schema.validate(shallowInstance) }.isEmpty)
    }

    /// Holds a result written by another thread (read only after it signals).
    final class ThreadResult: @unchecked Sendable {
        var errors: [JSONSchemaError] = []
    }

    /// Runs `body` on a new thread with the given stack size and waits for its result.
    static func onThread(stackSize: Int, _ body: @escaping @Sendable () -> [JSONSchemaError]) -> [JSONSchemaError] {
        let result = ThreadResult()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.errors = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return result.errors
    }

    @Test("deep recursion on a small-stack thread stops cleanly instead of crashing")
    func smallStack() throws {
        let schema = try JSONSchema(compiling: json(##"{"type": "array", "items": {"$ref": "#"}}"##))
        var deep: JSONValue = []
        for _ in 0..<300 { deep = [deep] }
        let instance = deep
        let errors = Self.onThread(stackSize: 128 << 10) { schema.validate(instance) }
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("this value is nested too deeply to check") == true)
        let roomy = Self.onThread(stackSize: 256 << 20) { schema.validate(instance) }
        #expect(roomy.isEmpty, "the same value passes where the stack is large enough")
    }

    @Test("remote references resolve through the caller's resolver only")
    func remoteReferences() throws {
        let resolver: @Sendable (URL) -> JSONValue? = { url in
            url.absoluteString == "https://schemas.example.org/common.json"
                ? ["$defs": ["id": ["type": "string", "pattern": "^P[0-9]{3}$"]]] : nil
        }
        let schemaValue: JSONValue = [
            "$id": "https://schemas.example.org/form.json",
            "properties": ["partner": ["$ref": "common.json#/$defs/id"]],
        ]
        let schema = try JSONSchema(compiling: schemaValue, options: .init(remoteResolver: resolver))
        #expect(schema.isValid(["partner": "P001"]))
        #expect(schema.validate(["partner": "X1"]).first?.schemaPath == "/properties/partner/$ref/pattern")
        #expect(
            throws: JSONSchemaCompilationError.unresolvableReference(
                reference: "https://schemas.example.org/common.json", location: "/properties/partner")
        ) {
            try JSONSchema(compiling: schemaValue)
        }
    }

    @Test("malformed schemas are rejected when compiling")
    func compilationErrors() throws {
        #expect(
            throws: JSONSchemaCompilationError.invalidKeyword(
                keyword: "minLength", location: "/properties/a", reason: "must be a whole number, 0 or more")
        ) {
            try JSONSchema(compiling: json(#"{"properties": {"a": {"minLength": -1}}}"#))
        }
        #expect(throws: JSONSchemaCompilationError.invalidPattern(pattern: "([a-z]", location: "")) {
            try JSONSchema(compiling: json(#"{"pattern": "([a-z]"}"#))
        }
        #expect(throws: JSONSchemaCompilationError.self) { try JSONSchema(compiling: 42) }
        #expect(throws: JSONSchemaCompilationError.self) { try JSONSchema(compiling: json(##"{"$ref": "#/$defs/missing"}"##)) }
    }

    @Test("schemas can be validated against the embedded draft 2020-12 meta-schema")
    func metaSchema() throws {
        let meta = try JSONSchema(compiling: ["$ref": "https://json-schema.org/draft/2020-12/schema"])
        #expect(meta.isValid(try json(#"{"type": "object", "properties": {"a": {"minimum": 1}}}"#)))
        let errors = meta.validate(try json(#"{"properties": {"a": {"minLength": -1, "type": "text"}}}"#))
        #expect(errors.map(\.instancePointer) == ["/properties/a/minLength", "/properties/a/type"])
    }

    @Test("one compiled schema can be used from many tasks at once")
    func concurrentUse() async throws {
        let schema = try JSONSchema(compiling: json(#"{"items": {"pattern": "^[A-Z]{3}-[0-9]+$", "maxLength": 12}}"#))
        let good: JSONValue = .array((0..<200).map { .string("ABC-\($0)") })
        let bad: JSONValue = .array((0..<200).map { .string($0 % 50 == 0 ? "abc-\($0)" : "XYZ-\($0)") })
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<16 {
                group.addTask { (schema.validate(good).count, schema.validate(bad).count) }
            }
            var all: [(Int, Int)] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(counts.count == 16)
        #expect(counts.allSatisfy { $0 == (0, 4) })
    }

    @Test("a 10,000-element form validates quickly")
    func performance() throws {
        let schema = try JSONSchema(
            compiling: json(
                """
                {"type": "object", "properties": {"rows": {"type": "array", "items": {"$ref": "#/$defs/row"}}},
                 "$defs": {"row": {"type": "object", "required": ["id", "date", "hours", "status"],
                   "additionalProperties": false,
                   "properties": {"id": {"type": "string", "pattern": "^P[0-9]{3}$"}, "date": {"type": "string", "format": "date"},
                     "hours": {"type": "number", "minimum": 0, "multipleOf": 0.25}, "status": {"enum": ["active", "paused", "ended"]},
                     "note": {"type": ["string", "null"], "maxLength": 200}}}}}
                """), options: .init(formatAssertion: true))
        var rows: [String] = []
        for i in 0..<10_000 {
            let status = i % 1000 == 7 ? "closed" : "active"
            rows.append(
                #"{"id": "P\#(String(format: "%03d", i % 1000))", "date": "2026-07-15", "hours": \#(Double(i % 40) / 4), "status": "\#(status)", "note": null}"#
            )
        }
        let text = #"{"rows": [\#(rows.joined(separator: ","))]}"#
        let clock = ContinuousClock()
        var instance: JSONValue = nil
        let parsing = try clock.measure { instance = try json(text) }
        var errors: [JSONSchemaError] = []
        let elapsed = clock.measure { errors = schema.validate(instance) }
        let quick = clock.measure { _ = schema.isValid(instance) }
        print("10,000-row form (\(text.utf8.count) bytes): parsed in \(parsing), validated in \(elapsed), isValid in \(quick)")
        #expect(errors.count == 10)
        #expect(errors.first?.instancePointer == "/rows/7/status")
        // Generous bound so debug builds pass; release builds take a few milliseconds.
        #expect(elapsed < .seconds(5))
    }
}
