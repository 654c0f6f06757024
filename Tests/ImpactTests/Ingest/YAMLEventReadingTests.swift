import JSONSchema
import Testing

@testable import Impact

/// A YAML form read from libyaml's events gives exactly what Yams's node tree gives: the same values, the
/// same position for every value, and the same error; forms the event reader leaves to the node reader
/// (anchors, repeated keys, several documents, syntax errors) are left to it.
@Suite struct YAMLEventReadingTests {
    /// Forms the event reader reads itself.
    static let plainForms: [String] = [
        FormDocumentTests.yaml,
        """
        # A return
        partner_id: P001
        quarter: "2026-Q2"
        support:
          - person_ref: "AB12-CD34"
            sessions_offered: 12
            end_date: null
            notes: |
              two lines
              of text
          - {person_ref: 'EF56-GH78', sessions_offered: 7, end_date: ~}
        outcomes: []
        "odd/key~name": [1, [2, 3], {x: y}]
        ? explicit key
        : folded >
        tagged: !!int "42"
        flagged: !!bool "true"
        nothing: !!null ""
        text_tag: !custom 12
        nul: "a\\0b"
        unicode: "café ✓"
        empty_map: {}

        """,
        "---\nonly: document\n...\n",
        "- a\n- b\n-\n  - c\n",
        "just a scalar\n",
        "\"quoted\"\n",
        "key: value\r\nother: 2\r\nlist:\r\n  - 1\r\n",
    ]

    /// Forms the event reader must leave to the node reader.
    static let leftToNodes: [String] = [
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "a: 1\n\"a\": 2\n",
        "---\na: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "",
        "? [1, 2]\n: x\n",
        "base: &b {x: 1}\nmore:\n  <<: *b\n",
    ]

    static let limits = Limits()

    @Test("The event reader gives the node reader's values and positions", arguments: plainForms.indices)
    func plainForm(_ index: Int) throws {
        let bytes = Array(Self.plainForms[index].utf8)
        #expect(FormDocument.yamlFromEvents(bytes, limits: Self.limits) != nil, "read from events")
        let events = try FormDocument.yaml(bytes, limits: Self.limits)
        let nodes = try FormDocument.yaml(bytes, limits: Self.limits, fromEvents: false)
        #expect(events.value == nodes.value)
        #expect(String(describing: events.value) == String(describing: nodes.value))
        let pointers = Self.pointers(in: nodes.value, at: "")
        #expect(pointers.count > 1 || index >= 4)
        for pointer in pointers + ["/missing", "/support/9", "/support/01", "/0x", "~"] {
            let a = events.position(of: pointer)
            let b = nodes.position(of: pointer)
            #expect(a?.line == b?.line && a?.column == b?.column, "position of \(pointer)")
        }
    }

    @Test("Anchors, repeated keys, several documents and bad syntax are the node reader's", arguments: leftToNodes.indices)
    func leftToNodeReader(_ index: Int) {
        let bytes = Array(Self.leftToNodes[index].utf8)
        #expect(FormDocument.yamlFromEvents(bytes, limits: Self.limits) == nil)
        let events = Result { () throws(FormDocument.ReadError) in try FormDocument.yaml(bytes, limits: Self.limits) }
        let nodes = Result { () throws(FormDocument.ReadError) in try FormDocument.yaml(bytes, limits: Self.limits, fromEvents: false) }
        switch (events, nodes) {
        case (.success(let a), .success(let b)): #expect(a.value == b.value)
        case (.failure(let a), .failure(let b)):
            #expect(a.description == b.description && a.line == b.line && a.column == b.column)
        default: Issue.record("one reader failed and the other did not")
        }
    }

    @Test("A form with more values than the node budget is left to the node reader")
    func budget() {
        var limits = Limits()
        limits.maxYAMLNodes = 5
        #expect(FormDocument.yamlFromEvents(Array("a: [1, 2, 3, 4, 5]\n".utf8), limits: limits) == nil)
        #expect(FormDocument.yamlFromEvents(Array("a: [1, 2]\n".utf8), limits: limits) != nil)
    }

    /// Every JSON pointer in a value.
    static func pointers(in value: JSONValue, at pointer: String) -> [String] {
        var result = [pointer]
        switch value {
        case .array(let items):
            for (index, item) in items.enumerated() { result += pointers(in: item, at: "\(pointer)/\(index)") }
        case .object(let object):
            for member in object.members { result += pointers(in: member.value, at: pointer + "/" + JSONPointer.escape(member.key)) }
        default: break
        }
        return result
    }
}
