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
        k: 010
        l: yes
        m: +5
        n: .inf
        o: 1e3
        p: !!str 12
        q: 0x1F
        r: 12abc
        s: '~'
        t: -0.5

        """

    @Test(
        "YAML scalars resolve by the YAML 1.2 core schema",
        arguments: [
            ("a", JSONValue.null), ("b", .null), ("c", .string("null")), ("d", 3), ("e", .string("3")), ("f", true),
            ("g", .number(JSONNumber(decimalLiteral: "2.50")!)), ("h", .null), ("i", .string("2026-07-15")),
            ("j", .string("plain text")), ("k", 10), ("l", .string("yes")), ("m", 5), ("n", .string(".inf")),
            ("o", 1000), ("p", .string("12")), ("q", 31), ("r", .string("12abc")), ("s", .string("~")),
            ("t", .number(JSONNumber(decimalLiteral: "-0.5")!)),
        ] as [(String, JSONValue)])
    func scalar(key: String, expected: JSONValue) throws {
        let document = try FormDocument.yaml(Array(Self.yaml.utf8), limits: Limits())
        #expect(document.value[key] == expected)
    }
}
