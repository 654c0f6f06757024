import JSONSchema
import YAMLEvents

// MARK: - YAML forms from libyaml's events

extension FormDocument {
    /// Reads a YAML form straight from libyaml's events into JSON values, as `YAMLConverter` reads Yams's
    /// node tree, three times faster. Returns nil for anything the node reader must decide (an anchor or
    /// alias, a key that is not a scalar, a key written twice, more than one document, a syntax error, the
    /// node budget reached), so that what such a form gives is always the node reader's answer.
    static func yamlFromEvents(_ bytes: [UInt8], limits: Limits) -> JSONDocument? {
        var builder = EventTreeBuilder(reader: YAMLEventReader(bytes: bytes), budget: limits.maxYAMLNodes, maxDepth: limits.maxFormDepth)
        guard (try? builder.reader.next()) == .streamStart, (try? builder.reader.next()) == .documentStart,
            let first = try? builder.reader.next(), let value = builder.value(first, depth: 0, key: nil)?.value,
            (try? builder.reader.next()) == .documentEnd, (try? builder.reader.next()) == .streamEnd
        else { return nil }
        return builder.positions.document(value)
    }
}

/// Builds JSON values from a stream of events, the way `YAMLConverter` types scalars, noting where each
/// value starts as the JSON parser does.
private struct EventTreeBuilder {
    let reader: YAMLEventReader
    var budget: Int
    let maxDepth: Int
    var positions = JSONDocumentBuilder()

    /// The value that starts with `event`, and its node; `key` is where its key starts, for a member.
    mutating func value(_ event: YAMLEvent, depth: Int, key: YAMLMark?) -> (value: JSONValue, node: Int)? {
        budget -= 1
        // The node reader notes no position for the value that spends the budget: leave that to it.
        guard budget > 0, depth <= maxDepth else { return nil }
        func begin(_ mark: YAMLMark) -> Int {
            positions.begin(at: Self.position(mark), key: key.map(Self.position))
        }
        switch event {
        case .scalar(let text, let tag, let plain, let anchored, let mark):
            guard !anchored else { return nil }
            return (YAMLConverter.scalar(text, tag: tag, plain: plain), begin(mark))
        case .sequenceStart(let anchored, let mark):
            guard !anchored else { return nil }
            let node = begin(mark)
            var items: [JSONValue] = []
            var children: [Int] = []
            while true {
                guard let next = try? reader.next() else { return nil }
                if next == .sequenceEnd { break }
                guard let item = value(next, depth: depth + 1, key: nil) else { return nil }
                items.append(item.value)
                children.append(item.node)
            }
            positions.close(node, children: children)
            return (.array(items), node)
        case .mappingStart(let anchored, let mark):
            guard !anchored else { return nil }
            let node = begin(mark)
            var members: [(String, JSONValue)] = []
            var children: [Int] = []
            var names: Set<String> = []
            while true {
                guard let next = try? reader.next() else { return nil }
                if next == .mappingEnd { break }
                guard case .scalar(let name, _, _, false, let keyMark) = next, names.insert(name).inserted,
                    let item = try? reader.next(), let member = value(item, depth: depth + 1, key: keyMark)
                else { return nil }
                members.append((name, member.value))
                children.append(member.node)
            }
            positions.close(node, children: children)
            return (.object(JSONObject(members)), node)
        default:
            return nil
        }
    }

    static func position(_ mark: YAMLMark) -> SourcePosition {
        SourcePosition(line: mark.line, column: mark.column, offset: mark.offset)
    }
}
