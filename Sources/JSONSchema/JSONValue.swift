import Foundation

// MARK: - JSONValue

/// A JSON document or any value inside one.
///
/// Objects keep their members in document order (see ``JSONObject``) and numbers keep their exact
/// decimal value (see ``JSONNumber``). Equality and hashing follow JSON Schema: numbers compare by
/// value (`1.0 == 1`), objects compare without regard to member order, and strings compare by
/// Unicode code points (no canonical-equivalence folding).
public enum JSONValue: Sendable {
    /// The JSON literal `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept exactly.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array of values in order.
    case array([JSONValue])
    /// An object whose members keep document order.
    case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
    /// The JSON type name of the value: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, if this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` when this is an object, otherwise nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range, otherwise nil.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The value a JSON pointer refers to, or nil when the pointer leads nowhere.
    ///
    /// Array tokens must be canonical decimal indexes (`0`, `12`; not `01` or `-`).
    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let index = JSONPointer.arrayIndex(token), index < a.count else { return nil }
                current = a[index]
            default:
                return nil
            }
        }
        return current
    }
}

// MARK: - Equality and hashing

extension JSONValue: Hashable {
    /// Compares by JSON Schema equality: numbers by value, objects regardless of member order, strings by code points.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return exactlyEqual(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0)
        case .bool(let b):
            hasher.combine(1)
            hasher.combine(b)
        case .number(let n):
            hasher.combine(2)
            hasher.combine(n)
        case .string(let s):
            hasher.combine(3)
            hashExactly(s, into: &hasher)
        case .array(let a):
            hasher.combine(4)
            hasher.combine(a)
        case .object(let o):
            hasher.combine(5)
            hasher.combine(o)
        }
    }
}

/// Whether two strings have the same Unicode code points (unlike `==`, which folds canonical equivalents).
@inline(__always)
func exactlyEqual(_ a: String, _ b: String) -> Bool {
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            guard pa.count == pb.count else { return false }
            guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
            return memcmp(x, y, pa.count) == 0
        }
    }
    if let fast, let result = fast { return result }
    return a.utf8.elementsEqual(b.utf8)
}

/// Feeds a string's UTF-8 bytes to a hasher (consistent with ``exactlyEqual(_:_:)``).
@inline(__always)
func hashExactly(_ s: String, into hasher: inout Hasher) {
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    if done == nil {
        for byte in s.utf8 { hasher.combine(byte) }
    }
    hasher.combine(s.utf8.count)
}

/// A string key compared and hashed by exact code points (used for object member lookup).
struct ExactKey: Hashable, Sendable {
    /// The key text.
    let string: String

    /// Compares by exact code points.
    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { exactlyEqual(lhs.string, rhs.string) }

    /// Hashes the UTF-8 bytes.
    func hash(into hasher: inout Hasher) { hashExactly(string, into: &hasher) }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Creates `null`.
    public init(nilLiteral: ()) { self = .null }
    /// Creates a boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates an exact integer number.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// Creates a number from the literal's shortest decimal form.
    public init(floatLiteral value: Double) { self = .number(JSONNumber(floatLiteral: value)) }
    /// Creates a string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Creates an object keeping the literal's member order (a repeated key keeps its last value).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Serialisation

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text for the value (members in document order).
    public var description: String {
        var out = ""
        JSONValue.write(self, into: &out)
        return out
    }

    /// Appends compact JSON text for `value` to `out` (iterative, so deep values cannot overflow the stack).
    static func write(_ value: JSONValue, into out: inout String) {
        /// Work left to do: a value to write or literal text.
        enum Item {
            case value(JSONValue)
            case text(String)
        }
        var stack: [Item] = [.value(value)]
        while let item = stack.popLast() {
            switch item {
            case .text(let t):
                out += t
            case .value(let v):
                switch v {
                case .null: out += "null"
                case .bool(let b): out += b ? "true" : "false"
                case .number(let n): out += n.description
                case .string(let s): writeString(s, into: &out)
                case .array(let a):
                    out += "["
                    stack.append(.text("]"))
                    for (i, element) in a.enumerated().reversed() {
                        stack.append(.value(element))
                        if i > 0 { stack.append(.text(",")) }
                    }
                case .object(let o):
                    out += "{"
                    stack.append(.text("}"))
                    for (i, member) in o.members.enumerated().reversed() {
                        stack.append(.value(member.value))
                        var key = ""
                        writeString(member.key, into: &key)
                        stack.append(.text(key + ":"))
                        if i > 0 { stack.append(.text(",")) }
                    }
                }
            }
        }
    }

    /// Appends a JSON string literal (see ``JSONString/literal(_:)``).
    static func writeString(_ s: String, into out: inout String) {
        out += JSONString.literal(s)
    }
}

// MARK: - String literals

/// JSON string literals, the one escaper every JSON `impact` writes goes through.
public enum JSONString {
    /// A JSON string literal: quotes and backslashes escaped, control characters (and DEL) as `\u00XX` or
    /// their short escapes, and U+2028/U+2029 escaped so that the text is also safe inside JavaScript.
    public static func literal(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            // Most text needs no escape: then it is copied whole.
            var plain = true
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
                plain = false
                break
            }
            if plain {
                var out = String()
                out.reserveCapacity(bytes.count + 2)
                out += "\""
                out += String(decoding: bytes, as: UTF8.self)
                out += "\""
                return out
            }
            var out: [UInt8] = [0x22]
            out.reserveCapacity(bytes.count + 16)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80 && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):
                    // U+2028 and U+2029 (E2 80 A8 and E2 80 A9).
                    out += Array((bytes[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    index += 2
                case 0..<0x20, 0x7F:
                    let digits: StaticString = "0123456789abcdef"
                    out += [0x5C, 0x75, 0x30, 0x30]
                    out.append(digits.utf8Start[Int(byte >> 4)])
                    out.append(digits.utf8Start[Int(byte & 0xF)])
                default:
                    out.append(byte)
                }
            }
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }
}

// MARK: - JSONObject

/// A JSON object: members in document order plus fast lookup by key.
///
/// Keys are unique (compared by exact code points). Equality ignores member order, as JSON Schema requires.
public struct JSONObject: Sendable {
    /// One member: its key and value.
    public typealias Member = (key: String, value: JSONValue)

    /// The members in document order.
    public private(set) var members: [Member]
    /// Key → member index, built once the object has more than `indexThreshold` members.
    private var index: [ExactKey: Int]?

    /// Objects up to this size are searched linearly (faster than hashing for small forms).
    private static let indexThreshold = 8

    /// Creates an empty object.
    public init() {
        members = []
        index = nil
    }

    /// Creates an object from members in order; a repeated key keeps its first position and its last value.
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Creates an object from members already known to have unique keys (used by the parser).
    ///
    /// `index`, when given, must map every key to its member position.
    init(uniqueMembers: [Member], index: [ExactKey: Int]? = nil) {
        members = uniqueMembers
        if let index, uniqueMembers.count > JSONObject.indexThreshold {
            self.index = index
        } else {
            self.index = nil
            rebuildIndex()
        }
    }

    /// Rebuilds the lookup index when the object is large enough to need one.
    private mutating func rebuildIndex() {
        guard members.count > JSONObject.indexThreshold else {
            index = nil
            return
        }
        var map = [ExactKey: Int](minimumCapacity: members.count)
        for (i, member) in members.enumerated() { map[ExactKey(string: member.key)] = i }
        index = map
    }

    /// Number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The position of `key` among the members, or nil when absent.
    public func index(forKey key: String) -> Int? {
        if let index { return index[ExactKey(string: key)] }
        for i in members.indices where exactlyEqual(members[i].key, key) { return i }
        return nil
    }

    /// The value for `key`; setting nil removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return members[i].value
        }
        set {
            if let i = index(forKey: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                members.append((key: key, value: newValue))
                if index != nil {
                    index?[ExactKey(string: key)] = members.count - 1
                } else if members.count > JSONObject.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }
}

extension JSONObject: Sequence {
    /// Iterates members in document order.
    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }
}

extension JSONObject: Hashable {
    /// Equal when both have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.members {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Hashes independently of member order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in members {
            var h = Hasher()
            hashExactly(key, into: &h)
            h.combine(value)
            combined = combined &+ h.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object keeping the literal's member order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
