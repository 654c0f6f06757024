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

    @Test(
        "The envelope reader agrees with the full reader, or declines",
        arguments: [
            ("partner_id: \"P001\"\nsubmitted_on: 2026-07-15\nsupport:\n  - person_ref: A\n", "P001", "2026-07-15"),
            ("# comment\n---\npartner_id: P002 # note\nsubmitted_on: '2026-07-16'\n", "P002", "2026-07-16"),
            ("partner_id: null\nsubmitted_on: ~\n", nil, nil),
            ("partner_id: 123\n", nil, nil),
            ("support:\n  - partner_id: P009\npartner_id: P003\n", "P003", nil),
            ("# written on Windows\r\npartner_id: P004\r\nsubmitted_on: \"2026-07-17\"\r\nsupport: []\r\n", "P004", "2026-07-17"),
            ("\u{FEFF}partner_id: P005\nnote: café\nsubmitted_on: 2026-07-18\n", "P005", "2026-07-18"),
        ] as [(String, String?, String?)])
    func envelope(text: String, partner: String?, submitted: String?) throws {
        let envelope = try #require(FormDocument.yamlEnvelope(Array(text.utf8), keys: ["partner_id", "submitted_on"]))
        #expect(envelope["partner_id"] == partner)
        #expect(envelope["submitted_on"] == submitted)
        let full = try FormDocument.yaml(Array(text.utf8), limits: Limits()).value
        #expect(full["partner_id"]?.stringValue == partner)
        #expect(full["submitted_on"]?.stringValue == submitted)
    }

    @Test(
        "Forms that are not plain block mappings are left to the full reader",
        arguments: [
            "{partner_id: P001}\n", "- partner_id: P001\n", "partner_id: &a P001\n", "partner_id: !!str P001\n",
            "partner_id: |\n  P001\n", "just text\n", "partner_id: \"P0\\u0030\"\n", "",
        ])
    func declines(text: String) {
        #expect(FormDocument.yamlEnvelope(Array(text.utf8), keys: ["partner_id", "submitted_on"]) == nil)
    }
}
