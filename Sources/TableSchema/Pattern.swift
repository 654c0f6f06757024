import Foundation

/// A `pattern` constraint: a regular expression the whole value must match.
///
/// Simple patterns (literals, `.`, character classes, `\d \w \s`, and the quantifiers `? * + {n,m}`),
/// which is what schemas for IDs and codes use, run on a small hand-written backtracking matcher over
/// the cell's bytes, with no `String` and no regex engine. Anything else (groups, alternation,
/// look-arounds) falls back to `NSRegularExpression`, anchored at both ends (`^` and `\z`: a `$` would let
/// a final newline through).
///
/// The two always agree (the `pattern` fuzz target checks it): `.` stops at the same line terminators
/// as the regex engine's, and because `\d \w \s` cover more than ASCII there (Arabic-Indic digits,
/// accented letters, no-break spaces), a value with any non-ASCII text is matched by the regex engine
/// when the pattern uses them.
public struct Pattern: Sendable {
    /// The pattern as written in the schema.
    public let source: String
    private let items: [Item]?
    /// The regex engine: for every value when the pattern is not simple, for non-ASCII values when it
    /// uses a class escape.
    private let fallback: NSRegularExpressionBox?

    /// Compiles a pattern; nil when it is not a valid regular expression.
    public init?(_ source: String) {
        self.source = source
        if let items = Pattern.compileSimple(Array(source.utf8)) {
            self.items = items
            if source.utf8.contains(UInt8(ascii: "\\")) {
                guard let expression = try? NSRegularExpression(pattern: "^(?:\(source))\\z") else { return nil }
                self.fallback = NSRegularExpressionBox(expression: expression)
            } else {
                self.fallback = nil
            }
        } else {
            guard let expression = try? NSRegularExpression(pattern: "^(?:\(source))\\z") else { return nil }
            self.items = nil
            self.fallback = NSRegularExpressionBox(expression: expression)
        }
    }

    /// True when the pattern is handled by the byte matcher (no regex engine).
    public var isSimple: Bool { items != nil }

    /// True when the whole of `bytes` matches.
    public func matches<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
        if let items, fallback == nil || bytes.allSatisfy({ $0 < 0x80 }) { return Pattern.match(items, 0, bytes, bytes.startIndex) }
        let text = String(decoding: bytes, as: UTF8.self)
        return fallback!.expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    // MARK: - Simple patterns

    struct Item: Sendable {
        var atom: Atom
        var minimum: Int
        var maximum: Int
    }

    enum Atom: Sendable {
        /// One ASCII byte from a set (a literal is a set of one).
        case set([Bool], negated: Bool)
        /// Any one character.
        case any

        /// Where the atom ends if it matches at `index`, or nil.
        func consume<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: Int) -> Int? where Bytes.Index == Int {
            guard index < bytes.endIndex else { return nil }
            let byte = bytes[index]
            switch self {
            case .set(let members, let negated):
                if byte < 0x80 {
                    return members[Int(byte)] != negated ? index + 1 : nil
                }
                guard negated else { return nil }
                return scalarEnd(bytes, index)
            case .any:
                // The regex engine's line terminators: LF, VT, FF, CR, NEL (C2 85), LS and PS (E2 80 A8/A9).
                if (0x0A...0x0D).contains(byte) { return nil }
                if byte < 0x80 { return index + 1 }
                if byte == 0xC2, index + 1 < bytes.endIndex, bytes[index + 1] == 0x85 { return nil }
                if byte == 0xE2, index + 2 < bytes.endIndex, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 { return nil }
                return scalarEnd(bytes, index)
            }
        }

        private func scalarEnd<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: Int) -> Int where Bytes.Index == Int {
            var end = index + 1
            while end < bytes.endIndex, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return end
        }

        var isFixedWidthASCII: Bool {
            if case .set(_, let negated) = self { return !negated }
            return false
        }
    }

    static func match<Bytes: RandomAccessCollection<UInt8>>(_ items: [Item], _ itemIndex: Int, _ bytes: Bytes, _ index: Int) -> Bool
    where Bytes.Index == Int {
        guard itemIndex < items.count else { return index == bytes.endIndex }
        let item = items[itemIndex]
        if item.atom.isFixedWidthASCII {
            var count = 0
            var position = index
            while count < item.maximum, let next = item.atom.consume(bytes, position) {
                position = next
                count += 1
            }
            if count < item.minimum { return false }
            if itemIndex == items.count - 1 { return position == bytes.endIndex }
            while count >= item.minimum {
                if match(items, itemIndex + 1, bytes, index + count) { return true }
                count -= 1
            }
            return false
        }
        var positions = [index]
        var position = index
        while positions.count - 1 < item.maximum, let next = item.atom.consume(bytes, position) {
            position = next
            positions.append(position)
        }
        var count = positions.count - 1
        while count >= item.minimum {
            if match(items, itemIndex + 1, bytes, positions[count]) { return true }
            count -= 1
        }
        return false
    }

    static func compileSimple(_ pattern: [UInt8]) -> [Item]? {
        var items: [Item] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            var atom: Atom
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "$"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                return nil
            case UInt8(ascii: "."):
                atom = .any
                index += 1
            case UInt8(ascii: "\\"):
                guard index + 1 < pattern.count, let set = escapeSet(pattern[index + 1]) else { return nil }
                atom = .set(set, negated: false)
                index += 2
            case UInt8(ascii: "["):
                guard let (set, negated, next) = parseClass(pattern, index + 1) else { return nil }
                atom = .set(set, negated: negated)
                index = next
            default:
                guard byte < 0x80 else { return nil }
                var set = [Bool](repeating: false, count: 128)
                set[Int(byte)] = true
                atom = .set(set, negated: false)
                index += 1
            }
            var minimum = 1
            var maximum = 1
            let beforeQuantifier = index
            if index < pattern.count {
                switch pattern[index] {
                case UInt8(ascii: "?"):
                    (minimum, maximum) = (0, 1)
                    index += 1
                case UInt8(ascii: "*"):
                    (minimum, maximum) = (0, Int.max)
                    index += 1
                case UInt8(ascii: "+"):
                    (minimum, maximum) = (1, Int.max)
                    index += 1
                case UInt8(ascii: "{"):
                    guard let close = pattern[index...].firstIndex(of: UInt8(ascii: "}")) else { return nil }
                    let body = String(decoding: pattern[(index + 1)..<close], as: UTF8.self)
                    let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                    // Digits only: `Int` would also take "-3" or "+3", and a negative count broke the matcher.
                    guard parts.count == 1 || parts.count == 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                        parts[0].count <= 6, parts.last!.count <= 6, let low = Int(parts[0])
                    else { return nil }
                    minimum = low
                    if parts.count == 1 {
                        maximum = low
                    } else if parts[1].isEmpty {
                        maximum = Int.max
                    } else {
                        guard let high = Int(parts[1]), high >= low else { return nil }
                        maximum = high
                    }
                    index = close + 1
                default:
                    break
                }
                if index > beforeQuantifier, index < pattern.count,
                    [UInt8(ascii: "?"), UInt8(ascii: "+")].contains(pattern[index])
                {
                    return nil  // lazy or possessive quantifiers: leave to the regex engine
                }
            }
            items.append(Item(atom: atom, minimum: minimum, maximum: maximum))
        }
        return items
    }

    private static func escapeSet(_ byte: UInt8) -> [Bool]? {
        var set = [Bool](repeating: false, count: 128)
        func add(_ range: ClosedRange<UInt8>) { for value in range { set[Int(value)] = true } }
        switch byte {
        case UInt8(ascii: "d"): add(0x30...0x39)
        case UInt8(ascii: "w"):
            add(0x30...0x39)
            add(0x41...0x5A)
            add(0x61...0x7A)
            set[0x5F] = true
        case UInt8(ascii: "s"):
            for value: UInt8 in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { set[Int(value)] = true }
        default:
            // Escaped punctuation stands for itself; escaped letters (\b, \D, \p...) need the regex engine.
            guard byte < 0x80, !(byte >= 0x41 && byte <= 0x5A), !(byte >= 0x61 && byte <= 0x7A), !(byte >= 0x30 && byte <= 0x39)
            else { return nil }
            set[Int(byte)] = true
        }
        return set
    }

    private static func parseClass(_ pattern: [UInt8], _ start: Int) -> ([Bool], Bool, Int)? {
        var set = [Bool](repeating: false, count: 128)
        var index = start
        var negated = false
        if index < pattern.count, pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        // `[:alpha:]` is a POSIX class to the regex engine, and `[` inside a class starts a nested set
        // (`[a-[b]]`), and `&&` and `--` combine sets: all left to the regex engine.
        if index < pattern.count, pattern[index] == UInt8(ascii: ":") { return nil }
        var first = true
        while index < pattern.count {
            var byte = pattern[index]
            if byte == UInt8(ascii: "]") && !first { return (set, negated, index + 1) }
            first = false
            if byte == UInt8(ascii: "[") { return nil }
            // `&&` and `--` are set intersection and difference there.
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "-"), index + 1 < pattern.count, pattern[index + 1] == byte { return nil }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < pattern.count, let escaped = escapeSet(pattern[index + 1]) else { return nil }
                for value in 0..<128 where escaped[value] { set[value] = true }
                index += 2
                continue
            }
            guard byte < 0x80 else { return nil }
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                let high = pattern[index + 2]
                guard high < 0x80, high >= byte, high != UInt8(ascii: "\\"), high != UInt8(ascii: "[") else { return nil }
                while byte <= high {
                    set[Int(byte)] = true
                    if byte == high { break }
                    byte += 1
                }
                index += 3
            } else {
                set[Int(byte)] = true
                index += 1
            }
        }
        return nil
    }
}

/// `NSRegularExpression` is immutable and thread-safe once built; this box says so to the compiler.
final class NSRegularExpressionBox: @unchecked Sendable {
    let expression: NSRegularExpression
    init(expression: NSRegularExpression) { self.expression = expression }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
