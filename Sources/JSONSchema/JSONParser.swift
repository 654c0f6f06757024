import Foundation

// MARK: - Public types

/// A place in a JSON source text: 1-based line and column plus the 0-based byte offset.
///
/// Columns count Unicode code points from the start of the line, so a line containing `"é"`
/// or an emoji has columns as a person counts characters, not bytes.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Line number, starting at 1.
    public let line: Int
    /// Column number in code points, starting at 1.
    public let column: Int
    /// Byte offset from the start of the input (a leading byte-order mark counts).
    public let offset: Int

    /// Creates a position.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line L, column C`.
    public var description: String { "line \(line), column \(column)" }

    /// Orders positions by byte offset.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool { lhs.offset < rhs.offset }
}

/// A problem found while parsing that is not an error, such as a key repeated in one object.
public struct JSONParseWarning: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the object containing the repeated key.
    public let objectPointer: String
    /// The repeated key.
    public let key: String
    /// Where the repeated occurrence of the key starts.
    public let position: SourcePosition
    /// Where the key first appeared in the same object.
    public let firstPosition: SourcePosition

    /// Creates a warning.
    public init(objectPointer: String, key: String, position: SourcePosition, firstPosition: SourcePosition) {
        self.objectPointer = objectPointer
        self.key = key
        self.position = position
        self.firstPosition = firstPosition
    }

    /// A plain-English explanation including the position.
    public var description: String {
        let object = objectPointer.isEmpty ? "the top-level object" : "the object at \(objectPointer)"
        return "\(position): the key \"\(key)\" appears more than once in \(object) "
            + "(first at \(firstPosition)); the last value is used"
    }
}

/// A parsed JSON document: the value, parse warnings, and the source position of every value.
public struct JSONDocument: Sendable {
    /// The parsed value.
    public let value: JSONValue
    /// Non-fatal findings such as repeated keys, in document order.
    public let warnings: [JSONParseWarning]
    /// Positions of every value, parallel to `value`.
    let sourceMap: SourceMap

    /// Where the value at `pointer` starts, or nil when the pointer leads nowhere.
    public func position(of pointer: JSONPointer) -> SourcePosition? {
        locate(pointer).map { sourceMap.nodes[$0].position }
    }

    /// Where the value at the pointer string starts, or nil when the pointer is invalid or leads nowhere.
    public func position(of pointer: String) -> SourcePosition? {
        guard let p = try? JSONPointer(pointer) else { return nil }
        return position(of: p)
    }

    /// Where the key of the object member at `pointer` starts (nil for the root and array elements).
    public func keyPosition(of pointer: JSONPointer) -> SourcePosition? {
        locate(pointer).flatMap { sourceMap.nodes[$0].keyPosition }
    }

    /// Where the key of the object member at the pointer string starts (nil for the root, array elements,
    /// invalid pointers and pointers that lead nowhere).
    public func keyPosition(of pointer: String) -> SourcePosition? {
        guard let p = try? JSONPointer(pointer) else { return nil }
        return keyPosition(of: p)
    }

    /// The source-map node of the value at `pointer`.
    private func locate(_ pointer: JSONPointer) -> Int? {
        guard !sourceMap.nodes.isEmpty else { return nil }
        var node = 0
        var current = value
        for token in pointer.tokens {
            let child: Int
            switch current {
            case .object(let o):
                guard let i = o.index(forKey: token) else { return nil }
                child = i
                current = o.members[i].value
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(token), i < a.count else { return nil }
                child = i
                current = a[i]
            default:
                return nil
            }
            let n = sourceMap.nodes[node]
            guard child < Int(n.childCount) else { return nil }
            node = Int(sourceMap.children[Int(n.childStart) + child])
        }
        return node
    }
}

/// Builds a ``JSONDocument`` for values read by another reader (a YAML form's events), so that its
/// positions are found the way a parsed JSON document's are: note each value where it starts, in
/// document order, and close each container with its children's nodes in member order.
public struct JSONDocumentBuilder: Sendable {
    private var map = SourceMap()

    /// An empty builder.
    public init() {}

    /// Notes a value starting at `position` (with its key at `key` when it is an object member) and
    /// returns its node.
    public mutating func begin(at position: SourcePosition, key: SourcePosition? = nil) -> Int {
        map.nodes.append(
            SourceMap.Node(
                offset: position.offset, line: Int32(clamping: position.line), column: Int32(clamping: position.column),
                keyOffset: key?.offset ?? 0, keyLine: Int32(clamping: key?.line ?? 0), keyColumn: Int32(clamping: key?.column ?? 0),
                childStart: 0, childCount: 0))
        return map.nodes.count - 1
    }

    /// Closes a container's node: `children` are its members' or items' nodes, in order.
    public mutating func close(_ node: Int, children: [Int]) {
        map.close(node, children: children.map { Int32(clamping: $0) })
    }

    /// The document of `value`, the value whose nodes were noted (its root first).
    public func document(_ value: JSONValue) -> JSONDocument {
        JSONDocument(value: value, warnings: [], sourceMap: map)
    }
}

/// Positions of all values of a document, stored flat (one node per value, in document order).
struct SourceMap: Sendable {
    /// One value's positions and the range of its children in `children`.
    struct Node: Sendable {
        var offset: Int
        var line: Int32
        var column: Int32
        var keyOffset: Int
        var keyLine: Int32
        var keyColumn: Int32
        var childStart: Int32
        var childCount: Int32

        /// Where the value starts.
        var position: SourcePosition { SourcePosition(line: Int(line), column: Int(column), offset: offset) }

        /// Where the member key starts, when the value is an object member.
        var keyPosition: SourcePosition? {
            keyLine == 0 ? nil : SourcePosition(line: Int(keyLine), column: Int(keyColumn), offset: keyOffset)
        }
    }

    var nodes: [Node] = []
    /// Child node indexes of all containers, each container's children contiguous and in member order.
    var children: [Int32] = []

    /// Stores a closed container's children: its node's range in `children`.
    mutating func close(_ node: Int, children nodes: [Int32]) {
        self.nodes[node].childStart = Int32(clamping: children.count)
        self.nodes[node].childCount = Int32(clamping: nodes.count)
        children.append(contentsOf: nodes)
    }
}

// MARK: - Errors

/// Why a JSON text could not be parsed. Every case carries where the problem is.
public enum JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Something other than what the grammar allows at this point.
    case unexpectedCharacter(found: String, expected: String, at: SourcePosition)
    /// The text ended while more was expected.
    case unexpectedEndOfInput(expected: String, at: SourcePosition)
    /// Bytes that are not valid UTF-8.
    case invalidUTF8(at: SourcePosition)
    /// The text is in another encoding (e.g. UTF-16), detected from its first bytes.
    case unsupportedEncoding(name: String)
    /// A raw control character (such as a line break or tab) inside a string.
    case controlCharacterInString(codePoint: UInt32, at: SourcePosition)
    /// A backslash escape that JSON does not define.
    case invalidEscape(sequence: String, at: SourcePosition)
    /// A `\u` escape for half of a UTF-16 surrogate pair without its other half.
    case loneSurrogate(codeUnit: UInt16, at: SourcePosition)
    /// A malformed number literal.
    case invalidNumber(reason: String, at: SourcePosition)
    /// More content after the end of the document's value.
    case trailingContent(found: String, at: SourcePosition)
    /// Arrays/objects nested deeper than the limit.
    case nestingTooDeep(limit: Int, at: SourcePosition)
    /// The input is larger than the limit.
    case documentTooLarge(size: Int, limit: Int)
    /// A string longer than the limit (in UTF-8 bytes).
    case stringTooLong(limit: Int, at: SourcePosition)
    /// A number literal longer than the limit, or an exponent too large to handle.
    case numberTooLong(limit: Int, at: SourcePosition)

    /// Where the problem is (nil for whole-document problems).
    public var position: SourcePosition? {
        switch self {
        case .unexpectedCharacter(_, _, let at), .unexpectedEndOfInput(_, let at), .invalidUTF8(let at),
            .controlCharacterInString(_, let at), .invalidEscape(_, let at), .loneSurrogate(_, let at),
            .invalidNumber(_, let at), .trailingContent(_, let at), .nestingTooDeep(_, let at),
            .stringTooLong(_, let at), .numberTooLong(_, let at):
            return at
        case .unsupportedEncoding, .documentTooLarge:
            return nil
        }
    }

    /// A plain-English explanation, prefixed with `line L, column C: ` when there is a position.
    public var description: String {
        let message: String
        switch self {
        case .unexpectedCharacter(let found, let expected, _):
            message = "expected \(expected), found \(found)"
        case .unexpectedEndOfInput(let expected, _):
            message = "expected \(expected), but the document ended"
        case .invalidUTF8:
            message = "the text is not valid UTF-8 here"
        case .unsupportedEncoding(let name):
            message = "the document looks like \(name); JSON must be UTF-8"
        case .controlCharacterInString(let codePoint, _):
            let name: String
            switch codePoint {
            case 0x0A, 0x0D: name = "a line break"
            case 0x09: name = "a tab"
            default: name = "the control character U+" + hex4(codePoint)
            }
            message = "\(name) is not allowed inside a string; write it as an escape such as \\n or \\t"
        case .invalidEscape(let sequence, _):
            message = "\(sequence) is not a valid escape; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"
        case .loneSurrogate(let unit, _):
            message = "\\u\(hex4(UInt32(unit))) is half of a surrogate pair without its other half"
        case .invalidNumber(let reason, _):
            message = "invalid number: \(reason)"
        case .trailingContent(let found, _):
            message = "unexpected \(found) after the end of the JSON document"
        case .nestingTooDeep(let limit, _):
            message = "arrays and objects are nested more than \(limit) levels deep"
        case .documentTooLarge(let size, let limit):
            message = "the document is \(size) bytes, more than the limit of \(limit) bytes"
        case .stringTooLong(let limit, _):
            message = "a string is longer than the limit of \(limit) bytes"
        case .numberTooLong(let limit, _):
            message = "a number is too long or too large (the limit is \(limit) characters and exponents up to 999999999)"
        }
        if let position { return "\(position): \(message)" }
        return message
    }
}

/// Four upper-case hex digits for a code unit.
private func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return hex.count >= 4 ? hex : String(repeating: "0", count: 4 - hex.count) + hex
}

// MARK: - JSONParser

/// A strict RFC 8259 JSON parser working on UTF-8 bytes, with explicit limits.
///
/// The parser is iterative (no recursion), so deeply nested input can never overflow the stack;
/// nesting beyond ``Limits/maxDepth`` throws ``JSONParseError/nestingTooDeep(limit:at:)``.
/// Repeated object keys are not errors: the last value wins and a ``JSONParseWarning`` is recorded.
public struct JSONParser: Sendable {
    /// Resource limits for one parse.
    public struct Limits: Sendable, Hashable {
        /// Maximum nesting of arrays and objects (default 256).
        public var maxDepth: Int
        /// Maximum size of the input in bytes (default 64 MiB).
        public var maxDocumentBytes: Int
        /// Maximum length of one string, in UTF-8 bytes after unescaping (default 1 MiB).
        public var maxStringLength: Int
        /// Maximum length of one number literal in characters (default 1,000).
        public var maxNumberLength: Int

        /// Creates limits; every argument has a safe default.
        public init(
            maxDepth: Int = 256, maxDocumentBytes: Int = 64 << 20,
            maxStringLength: Int = 1 << 20, maxNumberLength: Int = 1_000
        ) {
            self.maxDepth = maxDepth
            self.maxDocumentBytes = maxDocumentBytes
            self.maxStringLength = maxStringLength
            self.maxNumberLength = maxNumberLength
        }
    }

    /// The limits applied by this parser.
    public var limits: Limits

    /// Creates a parser with the given limits.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses a UTF-8 document (an optional byte-order mark is skipped).
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONDocument {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw .documentTooLarge(size: bytes.count, limit: limits.maxDocumentBytes)
        }
        let outcome: Result<JSONDocument, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var state = ParserState(bytes: buffer, limits: limits)
            do throws(JSONParseError) {
                return .success(try state.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Parses UTF-8 data.
    public func parse(_ data: Data) throws(JSONParseError) -> JSONDocument {
        try parse([UInt8](data))
    }

    /// Parses a string.
    public func parse(_ text: String) throws(JSONParseError) -> JSONDocument {
        try parse(Array(text.utf8))
    }
}

// MARK: - Parser state

/// One open array or object while parsing.
private final class Frame {
    let isObject: Bool
    let node: Int
    /// The token leading to this container from its parent (for warning pointers).
    let token: String?
    var elements: [JSONValue] = []
    var members: [JSONObject.Member] = []
    var lookup: [ExactKey: Int]?
    var childNodes: [Int32] = []
    var pendingKey = ""
    var pendingKeyMark = Mark(offset: 0, line: 0, column: 0)
    /// Member index being replaced when the pending key repeats an earlier one.
    var pendingDuplicate: Int?

    /// Opens a container whose source node is `node`.
    init(isObject: Bool, node: Int, token: String?) {
        self.isObject = isObject
        self.node = node
        self.token = token
    }

    /// The member index of `key`, if already present.
    func existingIndex(of key: String) -> Int? {
        if let lookup { return lookup[ExactKey(string: key)] }
        for i in members.indices where exactlyEqual(members[i].key, key) { return i }
        return nil
    }

    /// Adds a completed value for the pending key or as the next element.
    func add(_ value: JSONValue, node: Int32) {
        if !isObject {
            elements.append(value)
            childNodes.append(node)
            return
        }
        if let i = pendingDuplicate {
            members[i].value = value
            childNodes[i] = node
            pendingDuplicate = nil
            return
        }
        members.append((key: pendingKey, value: value))
        childNodes.append(node)
        if lookup != nil {
            lookup?[ExactKey(string: pendingKey)] = members.count - 1
        } else if members.count > 8 {
            var map = [ExactKey: Int](minimumCapacity: members.count * 2)
            for (i, m) in members.enumerated() { map[ExactKey(string: m.key)] = i }
            lookup = map
        }
    }
}

/// A compact source position used while parsing.
private struct Mark {
    var offset: Int
    var line: Int32
    var column: Int32

    var position: SourcePosition { SourcePosition(line: Int(line), column: Int(column), offset: offset) }
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

/// The mutable cursor over the input bytes.
private struct ParserState {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONParser.Limits
    var pos = 0
    var line = 1
    var lineStart = 0
    /// UTF-8 continuation bytes seen on the current line before `pos` (so columns count code points).
    var lineContinuations = 0
    var map = SourceMap()
    var warnings: [JSONParseWarning] = []

    /// Starts at the beginning of `bytes`.
    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONParser.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    var end: Int { bytes.count }

    /// The position of `offset`, which must be on the current line at or before `pos`.
    func mark(_ offset: Int) -> Mark {
        Mark(offset: offset, line: Int32(clamping: line), column: Int32(clamping: offset - lineStart - lineContinuations + 1))
    }

    /// The position of the cursor.
    var here: SourcePosition { mark(pos).position }

    // MARK: Document

    /// Parses the whole input as one JSON value followed only by whitespace.
    mutating func parseDocument() throws(JSONParseError) -> JSONDocument {
        try skipByteOrderMark()
        map.nodes.reserveCapacity(max(16, bytes.count / 8))
        var frames: [Frame] = []
        skipWhitespace()
        var result: JSONValue = .null
        outer: while true {
            guard pos < end else {
                throw .unexpectedEndOfInput(expected: frames.isEmpty ? "a value" : "a value", at: here)
            }
            let node = newNode(parent: frames.last)
            var completed: JSONValue
            var completedNode = Int32(node)
            let byte = bytes[pos]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard frames.count < limits.maxDepth else { throw .nestingTooDeep(limit: limits.maxDepth, at: here) }
                let isObject = byte == UInt8(ascii: "{")
                let frame = Frame(isObject: isObject, node: node, token: frames.last.map(Self.childToken))
                frames.append(frame)
                pos += 1
                skipWhitespace()
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if pos < end && bytes[pos] == close {
                    pos += 1
                    frames.removeLast()
                    completed = isObject ? .object(JSONObject()) : .array([])
                    finishContainer(frame)
                } else if isObject {
                    try parseKey(into: frame, frames: frames, afterComma: false)
                    continue outer
                } else {
                    continue outer
                }
            case quote:
                completed = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                completed = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                completed = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                completed = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                completed = .number(try parseNumber())
            default:
                throw .unexpectedCharacter(
                    found: describeFound(), expected: "a value (an object, array, string, number, true, false or null)", at: here)
            }
            // Attach the completed value to its container, closing containers as they end.
            while true {
                guard let top = frames.last else {
                    result = completed
                    break outer
                }
                top.add(completed, node: completedNode)
                skipWhitespace()
                let close = top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let expected = top.isObject ? "',' or '}' after an object member" : "',' or ']' after an array element"
                guard pos < end else { throw .unexpectedEndOfInput(expected: expected, at: here) }
                let b = bytes[pos]
                if b == UInt8(ascii: ",") {
                    pos += 1
                    skipWhitespace()
                    if top.isObject {
                        try parseKey(into: top, frames: frames, afterComma: true)
                    } else if pos < end && bytes[pos] == UInt8(ascii: "]") {
                        throw .unexpectedCharacter(
                            found: "']'", expected: "another array element after ',' (a trailing comma is not allowed)", at: here)
                    }
                    continue outer
                }
                guard b == close else {
                    throw .unexpectedCharacter(found: describeFound(), expected: expected, at: here)
                }
                pos += 1
                frames.removeLast()
                if top.isObject {
                    completed = .object(JSONObject(uniqueMembers: top.members, index: top.lookup))
                } else {
                    completed = .array(top.elements)
                }
                completedNode = Int32(top.node)
                finishContainer(top)
            }
        }
        skipWhitespace()
        if pos < end {
            throw .trailingContent(found: describeFound(), at: here)
        }
        return JSONDocument(value: result, warnings: warnings, sourceMap: map)
    }

    /// Skips a UTF-8 byte-order mark and rejects UTF-16/UTF-32 input.
    mutating func skipByteOrderMark() throws(JSONParseError) {
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            pos = 3
            lineStart = 3
            return
        }
        if end >= 2 && ((bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE)) {
            throw .unsupportedEncoding(name: "UTF-16")
        }
        if end >= 2 && bytes[0] != 0 && bytes[1] == 0 {
            throw .unsupportedEncoding(name: "UTF-16 (little-endian)")
        }
        if end >= 2 && bytes[0] == 0 && bytes[1] != 0 {
            throw .unsupportedEncoding(name: "UTF-16 (big-endian)")
        }
    }

    /// The pointer token a new child of `frame` will have.
    static func childToken(_ frame: Frame) -> String {
        frame.isObject ? frame.pendingKey : String(frame.elements.count)
    }

    /// Records a source node for the value starting at `pos`.
    mutating func newNode(parent: Frame?) -> Int {
        let m = mark(pos)
        var keyMark = Mark(offset: 0, line: 0, column: 0)
        if let parent, parent.isObject { keyMark = parent.pendingKeyMark }
        map.nodes.append(
            SourceMap.Node(
                offset: m.offset, line: m.line, column: m.column,
                keyOffset: keyMark.offset, keyLine: keyMark.line, keyColumn: keyMark.column,
                childStart: 0, childCount: 0))
        return map.nodes.count - 1
    }

    /// Stores a closed container's children in the source map.
    mutating func finishContainer(_ frame: Frame) {
        map.close(frame.node, children: frame.childNodes)
    }

    /// Reads `"key" :` for the next member of `frame`.
    mutating func parseKey(into frame: Frame, frames: [Frame], afterComma: Bool) throws(JSONParseError) {
        guard pos < end else {
            throw .unexpectedEndOfInput(expected: afterComma ? "a key in double quotes" : "a key in double quotes or '}'", at: here)
        }
        guard bytes[pos] == quote else {
            if afterComma && bytes[pos] == UInt8(ascii: "}") {
                throw .unexpectedCharacter(found: "'}'", expected: "another member after ',' (a trailing comma is not allowed)", at: here)
            }
            throw .unexpectedCharacter(
                found: describeFound(),
                expected: afterComma ? "a key in double quotes" : "a key in double quotes or '}'",
                at: here)
        }
        let keyMark = mark(pos)
        let key = try parseString()
        skipWhitespace()
        guard pos < end else { throw .unexpectedEndOfInput(expected: "':' after the key", at: here) }
        guard bytes[pos] == UInt8(ascii: ":") else {
            throw .unexpectedCharacter(found: describeFound(), expected: "':' after the key", at: here)
        }
        pos += 1
        skipWhitespace()
        frame.pendingKey = key
        frame.pendingKeyMark = keyMark
        frame.pendingDuplicate = nil
        if let existing = frame.existingIndex(of: key) {
            frame.pendingDuplicate = existing
            let firstNode = map.nodes[Int(frame.childNodes[existing])]
            let first = SourcePosition(line: Int(firstNode.keyLine), column: Int(firstNode.keyColumn), offset: firstNode.keyOffset)
            let pointer = frames.compactMap(\.token).map(JSONPointer.escape).map { "/" + $0 }.joined()
            warnings.append(JSONParseWarning(objectPointer: pointer, key: key, position: keyMark.position, firstPosition: first))
        }
    }

    // MARK: Whitespace and literals

    /// Skips spaces, tabs and line breaks, counting lines.
    mutating func skipWhitespace() {
        while pos < end {
            switch bytes[pos] {
            case 0x20, 0x09:
                pos += 1
            case 0x0A:
                pos += 1
                newLine()
            case 0x0D:
                pos += 1
                if pos < end && bytes[pos] == 0x0A { pos += 1 }
                newLine()
            default:
                return
            }
        }
    }

    /// Starts a new line at the cursor.
    mutating func newLine() {
        line += 1
        lineStart = pos
        lineContinuations = 0
    }

    /// Consumes `true`, `false` or `null`.
    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        var ok = pos + count <= end
        if ok {
            for i in 0..<count where bytes[pos + i] != start[i] {
                ok = false
                break
            }
        }
        guard ok else {
            throw .unexpectedCharacter(
                found: describeFound(), expected: "a value (an object, array, string, number, true, false or null)", at: here)
        }
        pos += count
    }

    /// Describes what is at the cursor for an error message.
    func describeFound() -> String {
        guard pos < end else { return "the end of the document" }
        let b = bytes[pos]
        /// Letters, digits and `_`, shown together as one word.
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        }
        if isWordByte(b) {
            var e = pos
            while e < end && e - pos < 20 && isWordByte(bytes[e]) { e += 1 }
            return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[pos..<e]), as: UTF8.self) + "'"
        }
        switch b {
        case 0x0A, 0x0D: return "a line break"
        case 0x09: return "a tab"
        case 0..<0x20: return "the control character U+" + hex4(UInt32(b))
        case 0x80...:
            if let (scalar, _) = decodeScalar(at: pos) { return "'\(Character(scalar))'" }
            return "a byte that is not valid UTF-8"
        default:
            return "'" + String(UnicodeScalar(b)) + "'"
        }
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote (fast path when there are no escapes or non-ASCII).
    mutating func parseString() throws(JSONParseError) -> String {
        let openMark = mark(pos)
        pos += 1
        let contentStart = pos
        while pos < end {
            let b = bytes[pos]
            if b == quote {
                guard pos - contentStart <= limits.maxStringLength else {
                    throw .stringTooLong(limit: limits.maxStringLength, at: openMark.position)
                }
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == backslash || b < 0x20 || b >= 0x80 { break }
            pos += 1
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(pos - contentStart + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]))
        while true {
            guard pos < end else {
                throw .unexpectedEndOfInput(expected: "a closing '\"' for the string that starts at \(openMark.position)", at: here)
            }
            if buffer.count > limits.maxStringLength {
                throw .stringTooLong(limit: limits.maxStringLength, at: openMark.position)
            }
            let b = bytes[pos]
            if b == quote {
                pos += 1
                return String(decoding: buffer, as: UTF8.self)
            } else if b == backslash {
                try parseEscape(into: &buffer)
            } else if b < 0x20 {
                throw .controlCharacterInString(codePoint: UInt32(b), at: here)
            } else if b < 0x80 {
                buffer.append(b)
                pos += 1
            } else {
                guard let (_, length) = decodeScalar(at: pos) else { throw .invalidUTF8(at: here) }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[pos..<(pos + length)]))
                pos += length
                lineContinuations += length - 1
            }
        }
    }

    /// Decodes one well-formed UTF-8 scalar at `offset` (rejecting overlongs, surrogates and values above U+10FFFF).
    func decodeScalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        let b0 = bytes[offset]
        /// The payload of continuation byte `i` when it lies in `lo...hi`.
        func cont(_ i: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
            guard offset + i < end else { return nil }
            let c = bytes[offset + i]
            guard c >= lo && c <= hi else { return nil }
            return UInt32(c & 0x3F)
        }
        var value: UInt32
        var length: Int
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return nil }
            value = (UInt32(b0 & 0x1F) << 6) | c1
            length = 2
        case 0xE0...0xEF:
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard let c1 = cont(1, lo, hi), let c2 = cont(2) else { return nil }
            value = (UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2
            length = 3
        case 0xF0...0xF4:
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard let c1 = cont(1, lo, hi), let c2 = cont(2), let c3 = cont(3) else { return nil }
            value = (UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
            length = 4
        default:
            return nil
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Decodes one backslash escape (including surrogate pairs) into `buffer`.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeMark = mark(pos)
        guard pos + 1 < end else {
            throw .unexpectedEndOfInput(expected: "an escape character after '\\'", at: here)
        }
        let c = bytes[pos + 1]
        switch c {
        case quote: buffer.append(quote)
        case backslash: buffer.append(backslash)
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            guard let unit = hexUnit(at: pos + 2) else {
                let stop = min(end, pos + 6)
                var text = ""
                for i in pos..<stop where bytes[i] >= 0x20 && bytes[i] < 0x7F { text.append(Character(UnicodeScalar(bytes[i]))) }
                throw .invalidEscape(sequence: text, at: escapeMark.position)
            }
            pos += 6
            var scalarValue = UInt32(unit)
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard pos + 1 < end, bytes[pos] == backslash, bytes[pos + 1] == UInt8(ascii: "u"),
                    let low = hexUnit(at: pos + 2), low >= 0xDC00 && low <= 0xDFFF
                else {
                    throw .loneSurrogate(codeUnit: unit, at: escapeMark.position)
                }
                pos += 6
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw .loneSurrogate(codeUnit: unit, at: escapeMark.position)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw .loneSurrogate(codeUnit: unit, at: escapeMark.position)
            }
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            return
        default:
            var sequence = "\\"
            if c >= 0x20 && c < 0x7F {
                sequence.append(Character(UnicodeScalar(c)))
            } else if let (scalar, _) = (c >= 0x80 ? decodeScalar(at: pos + 1) : nil) {
                sequence.append(Character(scalar))
            }
            throw .invalidEscape(sequence: sequence, at: escapeMark.position)
        }
        pos += 2
    }

    /// Four hex digits at `offset` as a UTF-16 code unit.
    func hexUnit(at offset: Int) -> UInt16? {
        guard offset + 4 <= end else { return nil }
        var value: UInt16 = 0
        for i in offset..<(offset + 4) {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    // MARK: Numbers

    /// Reads a number literal, keeping its exact decimal value.
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = pos
        let startPosition = here
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        /// Whether the byte at `i` is an ASCII digit.
        func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        guard isDigit(pos) else {
            throw .invalidNumber(reason: "'-' must be followed by a digit", at: startPosition)
        }
        let intStart = pos
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if isDigit(pos) { throw .invalidNumber(reason: "leading zeros are not allowed", at: startPosition) }
        } else {
            while isDigit(pos) { pos += 1 }
        }
        let intEnd = pos
        var fracStart = pos
        var fracEnd = pos
        if pos < end && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(pos) else { throw .invalidNumber(reason: "'.' must be followed by a digit", at: startPosition) }
            fracStart = pos
            while isDigit(pos) { pos += 1 }
            fracEnd = pos
        }
        var exponent = 0
        if pos < end && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            var expNegative = false
            if pos < end && (bytes[pos] == UInt8(ascii: "-") || bytes[pos] == UInt8(ascii: "+")) {
                expNegative = bytes[pos] == UInt8(ascii: "-")
                pos += 1
            }
            guard isDigit(pos) else { throw .invalidNumber(reason: "an exponent must have digits", at: startPosition) }
            while isDigit(pos) {
                exponent = exponent * 10 + Int(bytes[pos] - 0x30)
                if exponent > 999_999_999 { throw .numberTooLong(limit: limits.maxNumberLength, at: startPosition) }
                pos += 1
            }
            if expNegative { exponent = -exponent }
        }
        guard pos - start <= limits.maxNumberLength else {
            throw .numberTooLong(limit: limits.maxNumberLength, at: startPosition)
        }
        let fractionCount = fracEnd - fracStart
        // Fast path: at most 19 significant digits accumulate into a UInt64.
        var significand: UInt64 = 0
        var significant = 0
        var overflow = false
        // The integer digits, then the fraction's (skipping the point between them), as one run of digits.
        for i in intStart..<max(intEnd, fracEnd) where i < intEnd || i >= fracStart {
            let d = bytes[i] - 0x30
            if significant == 0 && d == 0 { continue }
            significant += 1
            if significant > 19 {
                overflow = true
                break
            }
            significand = significand * 10 + UInt64(d)
        }
        if !overflow {
            return JSONNumber(negative: negative, significand: significand, exponent: exponent - fractionCount)
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(intEnd - intStart + fractionCount)
        for i in intStart..<intEnd { digits.append(bytes[i] - 0x30) }
        for i in fracStart..<fracEnd { digits.append(bytes[i] - 0x30) }
        return JSONNumber(negative: negative, digits: digits, exponent: exponent - fractionCount)
    }
}
