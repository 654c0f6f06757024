import Foundation
import Testing

@testable import JSONSchema

// MARK: - Suite location

/// Where the JSON Schema Test Suite lives: `<package root>/../shared/conformance/json-schema-test-suite`.
enum SuiteFiles {
    /// The package root, three levels above this file (Tests/JSONSchemaTests/ConformanceTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = packageRoot.appendingPathComponent("../shared/conformance/json-schema-test-suite").standardizedFileURL
    static let tests = root.appendingPathComponent("tests/draft2020-12")
    static let remotes = root.appendingPathComponent("remotes")

    /// Serves `http://localhost:1234/…` from the suite's `remotes/` folder; nothing else (no network).
    static let resolver: @Sendable (URL) -> JSONValue? = { url in
        let prefix = "http://localhost:1234/"
        let text = url.absoluteString
        guard text.hasPrefix(prefix) else { return nil }
        let relative = String(text.dropFirst(prefix.count))
        guard !relative.contains(".."), let data = FileManager.default.contents(atPath: remotes.appendingPathComponent(relative).path)
        else { return nil }
        return try? JSONParser().parse(data).value
    }

    /// Every `.json` file under `tests/draft2020-12`, as paths relative to it (e.g. `optional/format/date.json`).
    static func allFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: tests.path) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".json") { files.append(path) }
        }
        return files.sorted()
    }
}

// MARK: - Classification

/// Which suite files are required to pass and why the others are not run.
enum Conformance {
    /// Keyword files that must pass completely, with format as an annotation (the default).
    ///
    /// These are all 46 top-level files of `tests/draft2020-12`, which README.md lists as required
    /// (383 cases, 1,299 tests). They include `$dynamicRef`, `unevaluated*` and `vocabulary`, which this
    /// validator implements (the 2020-12 meta-schema used by `defs.json` and `ref.json` needs `$dynamicRef`).
    static let required: [String] = [
        "additionalProperties.json", "allOf.json", "anchor.json", "anyOf.json", "boolean_schema.json",
        "const.json", "contains.json", "content.json", "default.json", "defs.json", "dependentRequired.json",
        "dependentSchemas.json", "dynamicRef.json", "enum.json", "exclusiveMaximum.json", "exclusiveMinimum.json",
        "format.json", "if-then-else.json", "infinite-loop-detection.json", "items.json", "maxContains.json",
        "maxItems.json", "maxLength.json", "maxProperties.json", "maximum.json", "minContains.json",
        "minItems.json", "minLength.json", "minProperties.json", "minimum.json", "multipleOf.json", "not.json",
        "oneOf.json", "pattern.json", "patternProperties.json", "prefixItems.json", "properties.json",
        "propertyNames.json", "ref.json", "refRemote.json", "required.json", "type.json",
        "unevaluatedItems.json", "unevaluatedProperties.json", "uniqueItems.json", "vocabulary.json",
    ]

    /// Format files that must pass completely with format assertion switched on.
    static let requiredFormats: [String] = [
        "optional/format/date.json", "optional/format/date-time.json", "optional/format/email.json",
        "optional/format/uri.json", "optional/format/time.json", "optional/format/ipv4.json",
        "optional/format/ipv6.json", "optional/format/uuid.json",
        "optional/format/uri-reference.json", "optional/format/json-pointer.json",
        "optional/format/unknown.json",
    ]

    /// Optional (non-format) files that also pass and are kept passing.
    static let requiredOptional: [String] = [
        "optional/bignum.json", "optional/float-overflow.json", "optional/non-bmp-regex.json",
        "optional/refOfUnknownKeyword.json", "optional/unknownKeyword.json", "optional/anchor.json",
        "optional/id.json", "optional/no-schema.json", "optional/dynamicRef.json",
    ]

    /// Files deliberately not run, with the reason for each.
    static let outOfScope: [String: String] = [
        "optional/cross-draft.json":
            "historic drafts (2019-09 and earlier) are evaluated with 2020-12 rules, not their own",
        "optional/format/hostname.json":
            "A-label (punycode) host names need IDNA2008 tables; plain RFC 1123 host names are checked",
        "optional/dependencies-compatibility.json":
            "draft-07 'dependencies' keyword; 2020-12 replaced it with dependentRequired/dependentSchemas",
        "optional/ecmascript-regex.json":
            "full ECMA-262 regex semantics; patterns run on ICU (NSRegularExpression) with \\d, \\w and $ translated",
        "optional/format-assertion.json":
            "format-assertion vocabulary via custom meta-schemas; format assertion is a validator option instead",
        "optional/format/duration.json": "ISO 8601 durations are not needed by the project",
        "optional/format/ecmascript-regex.json": "the 'regex' format needs an ECMA-262 regex parser",
        "optional/format/regex.json": "the 'regex' format needs an ECMA-262 regex parser",
        "optional/format/idn-email.json": "internationalised email needs IDNA tables",
        "optional/format/idn-hostname.json": "internationalised host names need IDNA tables",
        "optional/format/iri.json": "IRIs (non-ASCII URIs) are not needed by the project",
        "optional/format/iri-reference.json": "IRIs (non-ASCII URIs) are not needed by the project",
        "optional/format/relative-json-pointer.json": "relative JSON pointers are not needed by the project",
        "optional/format/uri-template.json": "URI templates are not needed by the project",
    ]
}

// MARK: - Runner

/// The outcome of running suite files through a validity check.
struct RunResult {
    var cases = 0
    var tests = 0
    var passed = 0
    var failures: [String] = []
}

/// Runs suite files; `check` decides validity of an instance against a schema (nil means the schema did not compile).
func runSuite(
    _ files: [String], formatAssertion: Bool,
    check: (JSONSchema, JSONValue) -> Bool
) throws -> RunResult {
    var result = RunResult()
    for file in files {
        let url = SuiteFiles.tests.appendingPathComponent(file)
        let data = try Data(contentsOf: url)
        let document = try JSONParser().parse(data).value
        guard case .array(let cases) = document else {
            result.failures.append("\(file): not an array of cases")
            continue
        }
        for testCase in cases {
            result.cases += 1
            let description = testCase["description"]?.stringValue ?? "?"
            let schemaValue = testCase["schema"] ?? .null
            let tests = testCase["tests"]?.arrayValue ?? []
            let options = JSONSchema.Options(formatAssertion: formatAssertion, remoteResolver: SuiteFiles.resolver)
            let schema: JSONSchema
            do {
                schema = try JSONSchema(compiling: schemaValue, options: options)
            } catch {
                result.tests += tests.count
                result.failures.append("\(file) | \(description): schema did not compile: \(error)")
                continue
            }
            for test in tests {
                result.tests += 1
                let expected = test["valid"]?.boolValue ?? false
                let data = test["data"] ?? .null
                let actual = check(schema, data)
                if actual == expected {
                    result.passed += 1
                } else {
                    let testDescription = test["description"]?.stringValue ?? "?"
                    result.failures.append(
                        "\(file) | \(description) | \(testDescription): expected \(expected ? "valid" : "invalid"), got \(actual ? "valid" : "invalid")"
                    )
                }
            }
        }
    }
    return result
}

/// The real check: `validate` and `isValid` must agree, and errors must be present exactly when invalid.
func realCheck(_ schema: JSONSchema, _ instance: JSONValue) -> Bool {
    let errors = schema.validate(instance)
    let quick = schema.isValid(instance)
    if quick != errors.isEmpty {
        // Disagreement between the two modes is reported as the opposite of `quick` so it counts as a failure.
        return !quick
    }
    return quick
}

// MARK: - Tests

@Suite("JSON Schema Test Suite (draft 2020-12)")
struct ConformanceTests {
    @Test("every file in the suite is either required or listed as out of scope with a reason")
    func everyFileIsClassified() {
        let files = SuiteFiles.allFiles()
        #expect(files.count > 50, "the suite was not found at \(SuiteFiles.tests.path)")
        let known = Set(Conformance.required + Conformance.requiredFormats + Conformance.requiredOptional)
        for file in files where !known.contains(file) {
            #expect(Conformance.outOfScope[file] != nil, "\(file) is neither required nor listed as out of scope")
        }
        for file in known {
            #expect(files.contains(file), "\(file) is listed but missing from the suite")
            #expect(Conformance.outOfScope[file] == nil, "\(file) is both required and out of scope")
        }
    }

    @Test("required keyword files pass completely")
    func requiredKeywordFiles() throws {
        let result = try runSuite(Conformance.required, formatAssertion: false, check: realCheck)
        print("JSON Schema Test Suite draft2020-12: \(result.cases) cases, \(result.tests) tests, \(result.passed) passed")
        #expect(Conformance.required.count == 46)
        #expect(result.cases == 383, "README.md says the required files hold 383 cases")
        #expect(result.tests == 1_299, "README.md says the required files hold 1,299 tests")
        for failure in result.failures.prefix(60) { Issue.record(Comment(rawValue: failure)) }
        #expect(result.passed == result.tests)
    }

    @Test("format files pass with format assertion on")
    func formatFiles() throws {
        let result = try runSuite(Conformance.requiredFormats, formatAssertion: true, check: realCheck)
        print(
            "JSON Schema Test Suite draft2020-12 formats (assertion on): \(result.cases) cases, \(result.tests) tests, \(result.passed) passed"
        )
        for failure in result.failures.prefix(60) { Issue.record(Comment(rawValue: failure)) }
        #expect(result.tests > 400)
        #expect(result.passed == result.tests)
    }

    @Test("selected optional files pass")
    func optionalFiles() throws {
        let result = try runSuite(Conformance.requiredOptional, formatAssertion: false, check: realCheck)
        print("JSON Schema Test Suite draft2020-12 optional: \(result.cases) cases, \(result.tests) tests, \(result.passed) passed")
        for failure in result.failures.prefix(60) { Issue.record(Comment(rawValue: failure)) }
        #expect(result.tests > 0)
        #expect(result.passed == result.tests)
    }

    /// Guards against a runner that cannot fail: broken validators must be caught by the same runner.
    @Test("the runner detects deliberately broken validators", arguments: [true, false])
    func brokenValidatorsAreCaught(alwaysValid: Bool) throws {
        let result = try runSuite(Conformance.required, formatAssertion: false) { _, _ in alwaysValid }
        #expect(result.tests == 1_299)
        #expect(result.passed < result.tests)
        #expect(result.failures.count > 300, "a validator that always answers \(alwaysValid) must fail hundreds of tests")
    }
}
