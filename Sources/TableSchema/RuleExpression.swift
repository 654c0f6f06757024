import Dates

/// A value inside a rule expression.
public enum RuleValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case text(String)
    case date(Int)

    /// Converts a cell value.
    init(_ cell: CellValue) {
        switch cell {
        case .null: self = .null
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .integer(let value): self = .number(Double(value))
        case .number(let value): self = .number(value)
        case .boolean(let value): self = .bool(value)
        case .date(let days): self = .date(Int(days))
        case .datetime(let seconds): self = .number(Double(seconds))
        case .year(let value): self = .number(Double(value))
        case .list(let items): self = .text(items.map(\.canonicalText).joined(separator: ";"))
        }
    }

    /// The value as a message shows it.
    public var description: String {
        switch self {
        case .null: return "blank"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return formatNumber(value)
        case .text(let value): return value
        case .date(let days): return CivilDate(daysSinceEpoch: days).iso
        }
    }
}

/// A syntax or reference error in a rule expression.
public struct RuleSyntaxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, with the character position.
    public var description: String
}

/// A compiled rule expression, in the small language schemas use for cross-field rules.
///
/// Syntax, loosest-binding first:
/// - `a or b`, `a and b`, `not a`, and parentheses;
/// - comparisons `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=` between two operands;
/// - `x is blank`, `x is not blank`;
/// - operands: field names (`sessions_offered`), parameters (`$coordinator_limit`), numbers (`1000`,
///   `0.5`), strings (`"ended"` or `'ended'`), `true`, `false`, `blank`, and the functions
///   `quarter_start(q)`, `quarter_end(q)` (the first and last day of a quarter written `2026-Q2`),
///   `date("2026-01-01")`, `lower(text)` and `length(text)`.
///
/// Logic is three-valued, as in SQL: a comparison with a blank or unparseable operand is *unknown*,
/// and a rule is violated only when its assertion is definitely false. So `end_date >= start_date`
/// holds while either date is blank; say `end_date is not blank` to require one.
public struct RuleExpression: Sendable {
    indirect enum Node: Sendable {
        case field(Int)
        case parameter(String)
        case literal(RuleValue)
        case call(String, Node)
        case compare(Comparison, Node, Node)
        case isBlank(Node, negated: Bool)
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
    }

    enum Comparison: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

        /// Whether the comparison holds for two values whose order is -1, 0 or 1.
        func holds(_ order: Int) -> Bool {
            switch self {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        }
    }

    /// The expression as written.
    public let source: String
    let root: Node
    /// Indices of the fields the expression reads, in the order they first appear.
    public let fieldIndices: [Int]

    /// Compiles an expression against a schema (field names must exist, parameters must be declared).
    public init(_ source: String, schema: Schema) throws(RuleSyntaxError) {
        var parser = RuleParser(source: source, schema: schema)
        self.source = source
        self.root = try parser.parseAll()
        self.fieldIndices = parser.fieldsUsed
    }

    /// Evaluates to true, false, or nil (unknown), with the given parameter values.
    public func evaluate(values: [CellValue], parameters: [String: RuleValue]) -> Bool? {
        binding(parameters).evaluate(values: values)
    }

    /// Evaluates an expression whose parameters are already bound (see ``binding(_:)``); unbound
    /// parameters are blank.
    public func evaluate(values: [CellValue]) -> Bool? {
        truth(root, values)
    }

    /// The expression with each `$parameter` replaced by its value, so evaluation looks nothing up.
    public func binding(_ parameters: [String: RuleValue]) -> RuleExpression {
        RuleExpression(source: source, root: Self.bind(root, parameters), fieldIndices: fieldIndices)
    }

    private init(source: String, root: Node, fieldIndices: [Int]) {
        self.source = source
        self.root = root
        self.fieldIndices = fieldIndices
    }

    private static func bind(_ node: Node, _ parameters: [String: RuleValue]) -> Node {
        switch node {
        case .parameter(let name): return .literal(parameters[name] ?? .null)
        case .field, .literal: return node
        case .call(let name, let argument): return .call(name, bind(argument, parameters))
        case .compare(let comparison, let left, let right):
            return .compare(comparison, bind(left, parameters), bind(right, parameters))
        case .isBlank(let inner, let negated): return .isBlank(bind(inner, parameters), negated: negated)
        case .and(let left, let right): return .and(bind(left, parameters), bind(right, parameters))
        case .or(let left, let right): return .or(bind(left, parameters), bind(right, parameters))
        case .not(let inner): return .not(bind(inner, parameters))
        }
    }

    // MARK: - Evaluation

    /// An operand during evaluation: cell values are compared as they are, without making strings.
    private enum Operand {
        case null
        case bool(Bool)
        case number(Double)
        case bytes(ArraySlice<UInt8>)
        case text(String)
        case date(Int)
    }

    private func truth(_ node: Node, _ values: [CellValue]) -> Bool? {
        switch node {
        case .and(let left, let right):
            let a = truth(left, values)
            if a == false { return false }
            let b = truth(right, values)
            if b == false { return false }
            return a == nil || b == nil ? nil : true
        case .or(let left, let right):
            let a = truth(left, values)
            if a == true { return true }
            let b = truth(right, values)
            if b == true { return true }
            return a == nil || b == nil ? nil : false
        case .not(let inner):
            return truth(inner, values).map { !$0 }
        case .isBlank(let inner, let negated):
            let blank: Bool
            if case .null = operand(inner, values) { blank = true } else { blank = false }
            return negated ? !blank : blank
        case .compare(let comparison, let left, let right):
            return compare(comparison, operand(left, values), operand(right, values))
        default:
            return Self.truthValue(operand(node, values))
        }
    }

    private func operand(_ node: Node, _ values: [CellValue]) -> Operand {
        switch node {
        case .field(let index):
            return Self.operand(values[index])
        case .parameter:
            return .null
        case .literal(let literal):
            switch literal {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .number(let value): return .number(value)
            case .text(let text): return .text(text)
            case .date(let days): return .date(days)
            }
        case .call(let name, let argument):
            return call(name, operand(argument, values))
        default:
            return truth(node, values).map { .bool($0) } ?? .null
        }
    }

    private static func truthValue(_ operand: Operand) -> Bool? {
        if case .bool(let flag) = operand { return flag }
        return nil
    }

    private static func operand(_ value: CellValue) -> Operand {
        switch value {
        case .null: return .null
        case .text(let bytes): return .bytes(bytes)
        case .integer(let value): return .number(Double(value))
        case .number(let value): return .number(value)
        case .boolean(let value): return .bool(value)
        case .date(let days): return .date(Int(days))
        case .datetime(let seconds): return .number(Double(seconds))
        case .year(let value): return .number(Double(value))
        case .list(let items): return .text(items.map(\.canonicalText).joined(separator: ";"))
        }
    }

    private func call(_ name: String, _ argument: Operand) -> Operand {
        switch (name, argument) {
        case ("quarter_start", .bytes(let bytes)):
            return Quarter(bytes: bytes).map { .date($0.firstDay) } ?? .null
        case ("quarter_start", .text(let text)):
            return Quarter(text).map { .date($0.firstDay) } ?? .null
        case ("quarter_end", .bytes(let bytes)):
            return Quarter(bytes: bytes).map { .date($0.lastDay) } ?? .null
        case ("quarter_end", .text(let text)):
            return Quarter(text).map { .date($0.lastDay) } ?? .null
        case ("date", .text(let text)):
            return call("date", .bytes(Array(text.utf8)[...]))
        case ("date", .bytes(let bytes)):
            if case .date(let date) = DateFormat.iso.parse(bytes) { return .date(date.daysSinceEpoch) }
            return .null
        case ("date", .date): return argument
        case ("lower", .text(let text)): return .text(text.lowercased())
        case ("lower", .bytes(let bytes)): return .text(String(decoding: bytes, as: UTF8.self).lowercased())
        case ("length", .text(let text)): return .number(Double(text.unicodeScalars.count))
        case ("length", .bytes(let bytes)): return .number(Double(bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }))
        default: return .null
        }
    }

    private func compare(_ comparison: Comparison, _ left: Operand, _ right: Operand) -> Bool? {
        var a = left
        var b = right
        // A string compared with a date is read as an ISO date.
        if case .date = a { if case .text = b { b = call("date", b) } else if case .bytes = b { b = call("date", b) } }
        if case .date = b { if case .text = a { a = call("date", a) } else if case .bytes = a { a = call("date", a) } }
        let order: Int
        switch (a, b) {
        case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
        case (.date(let x), .date(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
        case (.bytes(let x), .bytes(let y)): order = Self.order(x, y)
        case (.bytes(let x), .text(let y)):
            var y = y
            order = y.withUTF8 { Self.order(x, $0) }
        case (.text(let x), .bytes(let y)):
            var x = x
            order = x.withUTF8 { Self.order($0, y) }
        case (.text(let x), .text(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
        case (.bool(let x), .bool(let y)): order = x == y ? 0 : (x ? 1 : -1)
        default: return nil
        }
        return comparison.holds(order)
    }

    /// Byte-wise (code point) order of two UTF-8 texts.
    private static func order<A: Collection<UInt8>, B: Collection<UInt8>>(_ x: A, _ y: B) -> Int {
        var left = x.makeIterator()
        var right = y.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
            }
        }
    }
}

/// A quarter written `2026-Q2`, with its first and last days.
public struct Quarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public var year: Int
    /// The quarter number, 1–4.
    public var number: Int

    /// Parses `YYYY-Qn`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2,
            parts[1].first == "Q", let number = Int(parts[1].dropFirst()), (1...4).contains(number)
        else { return nil }
        self.year = year
        self.number = number
    }

    /// Parses `YYYY-Qn` from UTF-8 bytes without making a string.
    public init?<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) where Bytes.Index == Int {
        guard bytes.count == 7 else { return nil }
        let s = bytes.startIndex
        guard bytes[s + 4] == 0x2D, bytes[s + 5] == 0x51, (0x31...0x34).contains(bytes[s + 6]) else { return nil }
        var year = 0
        for index in s..<(s + 4) {
            let digit = bytes[index]
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            year = year * 10 + Int(digit - 0x30)
        }
        self.year = year
        number = Int(bytes[s + 6] - 0x30)
    }

    /// Creates a quarter from its parts.
    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// Days since 1970-01-01 of the quarter's first day.
    public var firstDay: Int { CivilDate(year: year, month: number * 3 - 2, day: 1)!.daysSinceEpoch }
    /// Days since 1970-01-01 of the quarter's last day.
    public var lastDay: Int {
        let month = number * 3
        return CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!.daysSinceEpoch
    }
    /// The quarter before this one.
    public var previous: Quarter { number == 1 ? Quarter(year: year - 1, number: 4) : Quarter(year: year, number: number - 1) }
    /// The quarter after this one.
    public var next: Quarter { number == 4 ? Quarter(year: year + 1, number: 1) : Quarter(year: year, number: number + 1) }
    /// `2026-Q2`.
    public var description: String { "\(year)-Q\(number)" }

    /// Orders quarters in time.
    public static func < (left: Quarter, right: Quarter) -> Bool {
        (left.year, left.number) < (right.year, right.number)
    }
}

// MARK: - Parser

private struct RuleParser {
    enum Token: Equatable {
        case identifier(String)
        case parameter(String)
        case number(Double)
        case string(String)
        case symbol(String)
        case end
    }

    let source: String
    let schema: Schema
    var tokens: [(Token, Int)] = []
    var position = 0
    var fieldsUsed: [Int] = []
    static let functions: Set<String> = ["quarter_start", "quarter_end", "date", "lower", "length"]

    init(source: String, schema: Schema) {
        self.source = source
        self.schema = schema
    }

    mutating func parseAll() throws(RuleSyntaxError) -> RuleExpression.Node {
        tokens = try tokenize()
        let node = try parseOr()
        guard case .end = tokens[position].0 else { throw error("unexpected \(describe(tokens[position].0))") }
        return node
    }

    func error(_ message: String) -> RuleSyntaxError {
        let column = position < tokens.count ? tokens[position].1 + 1 : source.count + 1
        return RuleSyntaxError(description: "in \"\(source)\" at character \(column): \(message)")
    }

    func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let name): return "\"\(name)\""
        case .parameter(let name): return "\"$\(name)\""
        case .number(let value): return formatNumber(value)
        case .string(let text): return "\"\(text)\""
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "end of expression"
        }
    }

    var current: Token { tokens[position].0 }

    mutating func keyword(_ word: String) -> Bool {
        if case .identifier(let name) = current, name == word {
            position += 1
            return true
        }
        return false
    }

    mutating func symbol(_ text: String) -> Bool {
        if case .symbol(let value) = current, value == text {
            position += 1
            return true
        }
        return false
    }

    mutating func parseOr() throws(RuleSyntaxError) -> RuleExpression.Node {
        var node = try parseAnd()
        while keyword("or") { node = .or(node, try parseAnd()) }
        return node
    }

    mutating func parseAnd() throws(RuleSyntaxError) -> RuleExpression.Node {
        var node = try parseNot()
        while keyword("and") { node = .and(node, try parseNot()) }
        return node
    }

    mutating func parseNot() throws(RuleSyntaxError) -> RuleExpression.Node {
        if keyword("not") { return .not(try parseNot()) }
        return try parseComparison()
    }

    mutating func parseComparison() throws(RuleSyntaxError) -> RuleExpression.Node {
        let left = try parseOperand()
        if keyword("is") {
            let negated = keyword("not")
            guard keyword("blank") else { throw error("expected \"blank\" after \"is\"") }
            return .isBlank(left, negated: negated)
        }
        let operators: [(String, RuleExpression.Comparison)] = [
            ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("!=", .notEqual), ("<>", .notEqual), ("==", .equal),
            ("=", .equal), ("<", .less), (">", .greater),
        ]
        for (text, comparison) in operators where symbol(text) {
            return .compare(comparison, left, try parseOperand())
        }
        return left
    }

    mutating func parseOperand() throws(RuleSyntaxError) -> RuleExpression.Node {
        let token = current
        switch token {
        case .number(let value):
            position += 1
            return .literal(.number(value))
        case .string(let text):
            position += 1
            return .literal(.text(text))
        case .parameter(let name):
            guard schema.parameters.contains(where: { $0.name == name }) else {
                throw error("\"$\(name)\" is not a declared parameter of this schema (add it under \"parameters\")")
            }
            position += 1
            return .parameter(name)
        case .symbol("("):
            position += 1
            let inner = try parseOr()
            guard symbol(")") else { throw error("expected \")\"") }
            return inner
        case .identifier(let name):
            position += 1
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "blank": return .literal(.null)
            default: break
            }
            if symbol("(") {
                guard Self.functions.contains(name) else {
                    throw error("unknown function \"\(name)\"; use one of \(Self.functions.sorted().joined(separator: ", "))")
                }
                let argument = try parseOr()
                guard symbol(")") else { throw error("expected \")\" after the argument of \(name)") }
                return .call(name, argument)
            }
            guard let index = schema.fieldIndex(name) else {
                position -= 1
                throw error("\"\(name)\" is not a field of this schema")
            }
            if !fieldsUsed.contains(index) { fieldsUsed.append(index) }
            return .field(index)
        default:
            throw error("expected a field, value or \"(\", found \(describe(token))")
        }
    }

    func tokenize() throws(RuleSyntaxError) -> [(Token, Int)] {
        var result: [(Token, Int)] = []
        let characters = Array(source.unicodeScalars)
        var index = 0
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isWord(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) }
        while index < characters.count {
            let c = characters[index]
            let start = index
            if c == " " || c == "\t" || c == "\n" {
                index += 1
            } else if isWordStart(c) || c == "$" {
                index += 1
                while index < characters.count, isWord(characters[index]) { index += 1 }
                var name = String(String.UnicodeScalarView(characters[start..<index]))
                if c == "$" {
                    name.removeFirst()
                    guard !name.isEmpty else {
                        throw RuleSyntaxError(
                            description: "in \"\(source)\" at character \(start + 1): \"$\" must be followed by a parameter name")
                    }
                    result.append((.parameter(name), start))
                } else {
                    result.append((.identifier(name), start))
                }
            } else if ("0"..."9").contains(c) || (c == "-" && index + 1 < characters.count && ("0"..."9").contains(characters[index + 1])) {
                index += 1
                while index < characters.count, ("0"..."9").contains(characters[index]) || characters[index] == "." { index += 1 }
                let text = String(String.UnicodeScalarView(characters[start..<index]))
                guard let value = Double(text) else {
                    throw RuleSyntaxError(description: "in \"\(source)\" at character \(start + 1): \"\(text)\" is not a number")
                }
                result.append((.number(value), start))
            } else if c == "\"" || c == "'" {
                index += 1
                var text = ""
                while index < characters.count, characters[index] != c {
                    text.unicodeScalars.append(characters[index])
                    index += 1
                }
                guard index < characters.count else {
                    throw RuleSyntaxError(description: "in \"\(source)\" at character \(start + 1): the string is not closed")
                }
                index += 1
                result.append((.string(text), start))
            } else {
                let two = index + 1 < characters.count ? String(c) + String(characters[index + 1]) : ""
                if ["<=", ">=", "!=", "<>", "=="].contains(two) {
                    result.append((.symbol(two), start))
                    index += 2
                } else if ["=", "<", ">", "(", ")"].contains(String(c)) {
                    result.append((.symbol(String(c)), start))
                    index += 1
                } else {
                    throw RuleSyntaxError(description: "in \"\(source)\" at character \(start + 1): unexpected \"\(c)\"")
                }
            }
        }
        result.append((.end, characters.count))
        return result
    }
}
