import JSONSchema
import Testing

@testable import Impact

/// YAML scalars become the JSON values a form author means: plain `null`, `~` and empty are null, plain
/// numbers and booleans are numbers and booleans, and anything quoted stays text.
@Suite struct FormDocumentTests {
    static let yaml = """
        a: null
        b: ~
        c: "null"
        d: 3
        e: '3'
        f: true
        g: 2.50
        h:
        i: 2026-07-15
        j: plain text

        """

    @Test(
        "YAML scalars resolve by the YAML core rules",
        arguments: [
            ("a", JSONValue.null), ("b", .null), ("c", .string("null")), ("d", 3), ("e", .string("3")), ("f", true),
            ("g", .number(JSONNumber(decimalLiteral: "2.50")!)), ("h", .null), ("i", .string("2026-07-15")),
            ("j", .string("plain text")),
        ] as [(String, JSONValue)])
    func scalar(key: String, expected: JSONValue) throws {
        let document = try FormDocument.yaml(Array(Self.yaml.utf8), limits: Limits())
        #expect(document.value[key] == expected)
    }
}
