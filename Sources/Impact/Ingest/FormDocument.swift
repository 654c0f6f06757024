import Foundation
import JSONSchema
import Yams

/// A structured form (JSON or YAML) read into a JSON value, with where each value came from.
struct FormDocument: Sendable {
    /// The document.
    var value: JSONValue
    /// Keys that appear twice in one object (JSON only; YAML refuses them when reading).
    var duplicateKeys: [JSONParseWarning]
    private var jsonDocument: JSONDocument?
    private var yamlPositions: [String: (line: Int, column: Int)]

    /// The line and column where the value at a JSON pointer starts, when known.
    func position(of pointer: String) -> (line: Int, column: Int)? {
        if let jsonDocument, let position = jsonDocument.position(of: pointer) { return (position.line, position.column) }
        return yamlPositions[pointer]
    }

    /// Why a form could not be read; always reported as a `source-error`.
    struct ReadError: Error, Sendable, CustomStringConvertible {
        /// What is wrong, with the line and column when known.
        var description: String
        /// The 1-based line, when known.
        var line: Int?
        /// The 1-based column, when known.
        var column: Int?
    }

    /// Reads a JSON form.
    static func json(_ bytes: [UInt8], limits: Limits) throws(ReadError) -> FormDocument {
        let parser = JSONParser(
            limits: JSONParser.Limits(
                maxDepth: limits.maxFormDepth, maxDocumentBytes: limits.maxFormBytes, maxStringLength: limits.maxFieldBytes))
        do {
            let document = try parser.parse(bytes)
            return FormDocument(
                value: document.value, duplicateKeys: document.warnings, jsonDocument: document, yamlPositions: [:])
        } catch {
            let position = error.position
            throw ReadError(
                description: "the file is not valid JSON: \(error)", line: position?.line, column: position?.column)
        }
    }

    /// Reads a YAML form, guarding against deep nesting and alias bombs: from libyaml's events when it can,
    /// else (or when `fromEvents` is false) through Yams's node tree.
    static func yaml(_ bytes: [UInt8], limits: Limits, fromEvents: Bool = true) throws(ReadError) -> FormDocument {
        guard bytes.count <= limits.maxFormBytes else {
            throw ReadError(description: "the form is \(bytes.count) bytes, more than the \(limits.maxFormBytes)-byte limit")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.unicodeScalars.contains("\u{FFFD}") && !bytes.isEmpty && String(validating: bytes, as: UTF8.self) == nil {
            throw ReadError(description: "the file is not valid UTF-8 text; save it as UTF-8")
        }
        if let problem = nestingProblem(text, limit: limits.maxFormDepth, maxAliases: limits.maxYAMLAliases) { throw problem }
        if fromEvents, let document = yamlFromEvents(Array(text.utf8), limits: limits) {
            return FormDocument(value: document.value, duplicateKeys: [], jsonDocument: document, yamlPositions: [:])
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)  // plain scalars are typed below, by YAML 1.2's core rules
        } catch let error as YamlError {
            throw describe(error)
        } catch {
            throw ReadError(description: "the file is not valid YAML: \(error)")
        }
        guard let node else { throw ReadError(description: "the file is empty") }
        var converter = YAMLConverter(budget: limits.maxYAMLNodes)
        let value = try converter.convert(node, pointer: "", depth: 0, maxDepth: limits.maxFormDepth)
        return FormDocument(value: value, duplicateKeys: [], jsonDocument: nil, yamlPositions: converter.positions)
    }

    // MARK: - The envelope without the tables

    /// The top-level plain values of a block-style YAML form (`partner_id: P001`, `submitted_on: "2026-07-15"`),
    /// read line by line without parsing the tables: what the quarterly run needs to group returns by partner
    /// before checking them. Returns nil whenever the form is not a plain block mapping whose first key starts
    /// a line (flow style, a root sequence or scalar, anchors, tags, block scalars): parse it whole instead.
    static func yamlEnvelope(_ bytes: [UInt8], keys: Set<String>) -> [String: String]? {
        var values: [String: String] = [:]
        var sawKey = false
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // Lines end at LF or CR. Most lines of a form are indented table rows: they are passed over by their
        // first byte, and only the top-level lines become text.
        var start = body.startIndex
        while start < body.endIndex {
            var end = start
            while end < body.endIndex, body[end] != UInt8(ascii: "\n"), body[end] != UInt8(ascii: "\r") { end += 1 }
            defer { start = end + 1 }
            guard end > start else { continue }
            let first = body[start]
            if first == UInt8(ascii: "#") || first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || first == UInt8(ascii: "%") {
                continue
            }
            let line = Substring(String(decoding: body[start..<end], as: UTF8.self))
            if line == "---" && !sawKey { continue }
            if line == "---" || line == "..." { break }  // a second document: the first one's values stand
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon]
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !key.isEmpty else { return nil }
            sawKey = true
            var value = line[line.index(after: colon)...]
            guard value.isEmpty || value.first == " " else { return nil }
            value = value.drop { $0 == " " }
            guard keys.contains(String(key)), values[String(key)] == nil else { continue }
            if let hash = value.range(of: " #") { value = value[..<hash.lowerBound] }
            while value.last == " " { value = value.dropLast() }
            if let quote = value.first, quote == "\"" || quote == "'" {
                guard value.count >= 2, value.last == quote, !value.dropFirst().dropLast().contains(quote),
                    !value.contains("\\")
                else { return nil }
                values[String(key)] = String(value.dropFirst().dropLast())
            } else {
                guard let opening = value.first, !"[{|>&*!@`%".contains(opening) else { return nil }
                // Typed as the full reader types it: `null` is no value, `123` is a number, not text.
                if let text = YAMLConverter.plain(String(value)).stringValue { values[String(key)] = text }
            }
        }
        return sawKey ? values : nil
    }

    /// Rejects flow nesting (`[[[[…`) or indentation deeper than the limit before the YAML parser,
    /// which recurses, ever sees it. Reads UTF-8 bytes, as libyaml does: every character it looks for is
    /// ASCII, and a line ends at LF (so also at CRLF).
    static func nestingProblem(_ text: String, limit: Int, maxAliases: Int) -> ReadError? {
        var text = text
        return text.withUTF8 { nestingProblem(bytes: $0, limit: limit, maxAliases: maxAliases) }
    }

    private static func nestingProblem(bytes: UnsafeBufferPointer<UInt8>, limit: Int, maxAliases: Int) -> ReadError? {
        var depth = 0
        var aliases = 0
        var previous = UInt8(ascii: "\n")
        var afterStar = false
        var line = 1
        var quote: UInt8?
        var lineStart = true
        var indent = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if quote == UInt8(ascii: "\n") { quote = nil }  // a comment ends with its line
                line += 1
                lineStart = true
                indent = 0
                continue
            }
            if lineStart {
                if byte == UInt8(ascii: " ") {
                    indent += 1
                    if indent > limit * 8 {
                        return ReadError(
                            description: "the form is indented more than \(limit * 8) spaces, deeper than a form can be", line: line)
                    }
                    continue
                }
                lineStart = false
            }
            if let open = quote {
                if byte == open { quote = nil }
                previous = byte
                continue
            }
            // An alias is `*` after a space, `[`, `,` or `-`, followed by its name (a letter, digit, `_`, or
            // any character beyond ASCII).
            if afterStar, Self.isNameByte(byte) {
                aliases += 1
                if aliases > maxAliases {
                    return ReadError(
                        description: "the form uses more than \(maxAliases) YAML aliases (*name); write the values out plainly", line: line)
                }
            }
            afterStar =
                byte == UInt8(ascii: "*")
                && (previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: ",")
                    || previous == UInt8(ascii: "-"))
            previous = byte
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit {
                    return ReadError(description: "the form is nested more than \(limit) levels deep", line: line)
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            case UInt8(ascii: "#"): quote = UInt8(ascii: "\n")
            default: break
            }
        }
        return nil
    }

    /// A byte that can be part of an alias's name.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), 0x80...:
            return true
        default: return false
        }
    }

    static func describe(_ error: YamlError) -> ReadError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ReadError(
                description: "the file is not valid YAML: \(problem) at line \(mark.line), column \(mark.column)", line: mark.line,
                column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ReadError(
                description:
                    "the key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appear\(duplicates.count == 1 ? "s" : "") twice in the same item (line \(context.mark.line)); keep one",
                line: context.mark.line, column: context.mark.column)
        case .reader(let problem, _, _, _):
            return ReadError(description: "the file cannot be read as YAML text: \(problem)")
        default:
            return ReadError(description: "the file is not valid YAML: \(error)")
        }
    }
}

/// Converts a Yams node tree to JSON values, counting nodes so aliases cannot multiply without end.
///
/// Plain scalars are typed by the YAML 1.2 core schema, not YAML 1.1's: `010` is ten (not octal eight) and
/// `yes`, `no`, `on` and `off` stay text, for the table schema's own boolean values to decide. This is also
/// much faster than the regular expressions of Yams's default resolver.
struct YAMLConverter {
    var budget: Int
    var positions: [String: (line: Int, column: Int)] = [:]

    mutating func convert(_ node: Node, pointer: String, depth: Int, maxDepth: Int) throws(FormDocument.ReadError) -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw FormDocument.ReadError(
                description: "the form expands to too many values (it may repeat an alias many times); write the values out plainly")
        }
        guard depth <= maxDepth else {
            throw FormDocument.ReadError(description: "the form is nested more than \(maxDepth) levels deep")
        }
        if let mark = node.mark, budget > 0 { positions[pointer] = (mark.line, mark.column) }
        switch node {
        case .scalar(let scalar):
            return Self.scalar(scalar.string, tag: scalar.tag.rawValue, plain: scalar.style == .plain)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, pointer: pointer + "/\(index)", depth: depth + 1, maxDepth: maxDepth))
            }
            return .array(items)
        case .mapping(let mapping):
            var members: [(String, JSONValue)] = []
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                members.append(
                    (name, try convert(value, pointer: pointer + "/" + JSONPointer.escape(name), depth: depth + 1, maxDepth: maxDepth)))
            }
            return .object(JSONObject(members))
        case .alias:
            return .null
        }
    }

    /// A scalar with its tag as written (empty when it has none): quoted scalars carry the `str` tag from
    /// the parser; explicit tags (`!!int 3`) are honoured; untagged plain ones are typed by ``plain(_:)``.
    static func scalar(_ text: String, tag: String, plain: Bool) -> JSONValue {
        switch Tag.Name(rawValue: tag) {
        case .implicit: return plain ? Self.plain(text) : .string(text)
        case .null: return .null
        case .bool: if let flag = Self.plain(text).boolValue { return .bool(flag) }
        case .int, .float: if let number = Self.plain(text).numberValue { return .number(number) }
        default: break
        }
        return .string(text)
    }

    /// A plain (unquoted, untagged) scalar under the YAML 1.2 core schema.
    static func plain(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "o") {
            let radix = bytes[1] == UInt8(ascii: "x") ? 16 : 8
            if let value = Int64(String(decoding: bytes[2...], as: UTF8.self), radix: radix) { return .number(JSONNumber(Int(value))) }
            return .string(text)
        }
        if isCoreNumber(bytes), let number = JSONNumber(decimalLiteral: text) { return .number(number) }
        return .string(text)
    }

    /// `[-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    static func isCoreNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let whole = digits()
        var fraction = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
        }
        guard whole > 0 || fraction > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
