import JSONSchema
import YAMLEvents
import Yams

// MARK: - YAML forms from libyaml's events

/// Where each value of a YAML form starts, in document order (a value before its children), with the
/// number of values in its subtree: a JSON pointer is found by walking the value tree, so no pointer text is
/// made for the hundred thousand values of a large form that has no finding.
struct YAMLMarks: Sendable {
    private var lines: [Int32] = []
    private var columns: [Int32] = []
    private var sizes: [Int32] = []

    var count: Int { lines.count }

    /// Adds a value that starts at `mark`; its size is set when its children are in.
    mutating func append(_ mark: YAMLMark) -> Int {
        lines.append(Int32(clamping: mark.line))
        columns.append(Int32(clamping: mark.column))
        sizes.append(1)
        return lines.count - 1
    }

    /// Closes the value at `index`: everything appended since is inside it.
    mutating func close(_ index: Int) {
        sizes[index] = Int32(clamping: lines.count - index)
    }

    /// The line and column of the value at `pointer` in `root`, the document these marks were taken from.
    func position(of pointer: String, in root: JSONValue) -> (line: Int, column: Int)? {
        guard !lines.isEmpty, let parsed = try? JSONPointer(pointer) else { return nil }
        var index = 0
        var value = root
        for token in parsed.tokens {
            let child: Int
            switch value {
            case .array(let items):
                // Only the canonical spelling of an index names an item ("1", never "01").
                guard let position = Int(token), String(position) == token, position >= 0, position < items.count else {
                    return nil
                }
                child = position
                value = items[position]
            case .object(let object):
                guard let position = object.members.firstIndex(where: { $0.key == token }) else { return nil }
                child = position
                value = object.members[position].value
            default:
                return nil
            }
            var next = index + 1
            for _ in 0..<child {
                guard next < sizes.count else { return nil }
                next += Int(sizes[next])
            }
            guard next < lines.count else { return nil }
            index = next
        }
        return (Int(lines[index]), Int(columns[index]))
    }
}

extension FormDocument {
    /// Reads a YAML form straight from libyaml's events into JSON values, as `YAMLConverter` reads Yams's
    /// node tree, three times faster. Returns nil for anything the node reader must decide (an anchor or
    /// alias, a key that is not a scalar, a key written twice, more than one document, a syntax error, the
    /// node budget reached), so that what such a form gives is always the node reader's answer.
    static func yamlFromEvents(_ bytes: [UInt8], limits: Limits) -> (value: JSONValue, marks: YAMLMarks)? {
        var builder = EventTreeBuilder(reader: YAMLEventReader(bytes: bytes), budget: limits.maxYAMLNodes, maxDepth: limits.maxFormDepth)
        guard (try? builder.reader.next()) == .streamStart, (try? builder.reader.next()) == .documentStart,
            let first = try? builder.reader.next(), let value = builder.value(first, depth: 0),
            (try? builder.reader.next()) == .documentEnd, (try? builder.reader.next()) == .streamEnd
        else { return nil }
        return (value, builder.marks)
    }
}

/// Builds JSON values from a stream of events, the way `YAMLConverter` types scalars.
private struct EventTreeBuilder {
    let reader: YAMLEventReader
    var budget: Int
    let maxDepth: Int
    var marks = YAMLMarks()

    mutating func value(_ event: YAMLEvent, depth: Int) -> JSONValue? {
        budget -= 1
        // The node reader notes no position for the value that spends the budget: leave that to it.
        guard budget > 0, depth <= maxDepth else { return nil }
        switch event {
        case .scalar(let text, let tag, let plain, let anchored, let mark):
            guard !anchored else { return nil }
            _ = marks.append(mark)
            return Self.scalar(text, tag: tag, plain: plain)
        case .sequenceStart(let anchored, let mark):
            guard !anchored else { return nil }
            let index = marks.append(mark)
            var items: [JSONValue] = []
            while true {
                guard let next = try? reader.next() else { return nil }
                if next == .sequenceEnd { break }
                guard let item = value(next, depth: depth + 1) else { return nil }
                items.append(item)
            }
            marks.close(index)
            return .array(items)
        case .mappingStart(let anchored, let mark):
            guard !anchored else { return nil }
            let index = marks.append(mark)
            var members: [(String, JSONValue)] = []
            var names: Set<String> = []
            while true {
                guard let next = try? reader.next() else { return nil }
                if next == .mappingEnd { break }
                guard case .scalar(let name, _, _, false, _) = next, names.insert(name).inserted,
                    let item = try? reader.next(), let member = value(item, depth: depth + 1)
                else { return nil }
                members.append((name, member))
            }
            marks.close(index)
            return .object(JSONObject(members))
        default:
            return nil
        }
    }

    /// A scalar typed as `YAMLConverter` types Yams's scalar nodes.
    static func scalar(_ text: String, tag: String, plain: Bool) -> JSONValue {
        switch Tag.Name(rawValue: tag) {
        case .implicit: return plain ? YAMLConverter.plain(text) : .string(text)
        case .null: return .null
        case .bool: if let flag = YAMLConverter.plain(text).boolValue { return .bool(flag) }
        case .int, .float: if let number = YAMLConverter.plain(text).numberValue { return .number(number) }
        default: break
        }
        return .string(text)
    }
}
