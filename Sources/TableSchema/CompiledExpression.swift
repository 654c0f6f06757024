import Dates

/// Rule expressions with their parameters bound, compiled once per file into one flat program whose steps
/// and intermediate values hold no references: checking a row copies no cell value and retains nothing (the
/// tree of ``RuleExpression/Node`` copied an enum with a reference for every operand it read). A table's
/// rules share one program, each expression with its own root step.
///
/// It gives the same answer as ``RuleExpression/evaluate(values:)`` for every row (a property test
/// compares the two).
final class CompiledExpression {
    /// The functions of the rule language.
    enum Function {
        case quarterStart, quarterEnd, date, lower, length, unknown

        init(_ name: String) {
            switch name {
            case "quarter_start": self = .quarterStart
            case "quarter_end": self = .quarterEnd
            case "date": self = .date
            case "lower": self = .lower
            case "length": self = .length
            default: self = .unknown
            }
        }
    }

    /// One step; operands are indices of earlier steps.
    enum Step {
        case field(Int)
        case literal(Value)
        case call(Function, Int)
        case compare(RuleExpression.Comparison, Int, Int)
        case isBlank(Int, negated: Bool)
        case and(Int, Int)
        case or(Int, Int)
        case not(Int)
    }

    /// A value during evaluation. Text is a range of bytes: of a cell (`values[field]` is `.text`), of the
    /// program's literal bytes, or of the bytes a function made during this evaluation.
    enum Value {
        case null
        case bool(Bool)
        case number(Double)
        case date(Int)
        case cellText(field: Int)
        case literalText(start: Int, count: Int)
        case madeText(start: Int, count: Int)
    }

    private let steps: UnsafeMutableBufferPointer<Step>
    private let literals: UnsafeMutableBufferPointer<UInt8>
    /// The root step of each expression, in the order given.
    let roots: [Int]

    /// Compiles a bound expression (unbound parameters are blank, as in the tree).
    convenience init(_ expression: RuleExpression) {
        self.init([expression])
    }

    /// Compiles bound expressions into one program.
    init(_ expressions: [RuleExpression]) {
        var compiler = Compiler()
        roots = expressions.map { compiler.compile($0.root) }
        steps = .allocate(capacity: compiler.steps.count)
        _ = steps.initialize(from: compiler.steps)
        literals = .allocate(capacity: compiler.literalBytes.count)
        _ = literals.initialize(from: compiler.literalBytes)
    }

    deinit {
        steps.deallocate()
        literals.deallocate()
    }

    private struct Compiler {
        var steps: [Step] = []
        var literalBytes: [UInt8] = []

        mutating func compile(_ node: RuleExpression.Node) -> Int {
            let step: Step
            switch node {
            case .field(let index): step = .field(index)
            case .parameter: step = .literal(.null)
            case .literal(let value):
                switch value {
                case .null: step = .literal(.null)
                case .bool(let flag): step = .literal(.bool(flag))
                case .number(let number): step = .literal(.number(number))
                case .date(let days): step = .literal(.date(days))
                case .text(let text):
                    let start = literalBytes.count
                    literalBytes.append(contentsOf: text.utf8)
                    step = .literal(.literalText(start: start, count: literalBytes.count - start))
                }
            case .call(let name, let argument): step = .call(Function(name), compile(argument))
            case .compare(let comparison, let left, let right):
                let l = compile(left)
                step = .compare(comparison, l, compile(right))
            case .isBlank(let inner, let negated): step = .isBlank(compile(inner), negated: negated)
            case .and(let left, let right):
                let l = compile(left)
                step = .and(l, compile(right))
            case .or(let left, let right):
                let l = compile(left)
                step = .or(l, compile(right))
            case .not(let inner): step = .not(compile(inner))
            }
            steps.append(step)
            return steps.count - 1
        }
    }

    // MARK: - Evaluation

    /// True, false, or nil (unknown) for a row's typed values (indexed like the schema's fields).
    func evaluate(values: [CellValue]) -> Bool? {
        // The values' text copied into one buffer, so that slots can point at it.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>?] = []
        for value in values {
            if case .text(let text) = value {
                bytes.append(contentsOf: text)
                ranges.append((bytes.count - text.count)..<bytes.count)
            } else {
                ranges.append(nil)
            }
        }
        let lists = values.map { value -> CellValue in if case .list = value { return value } else { return .null } }
        return bytes.withUnsafeBufferPointer { buffer in
            let slots = zip(values, ranges).map { value, range -> CellSlot in
                if let range { return .text(UnsafeBufferPointer(rebasing: buffer[range])) }
                switch value {
                case .integer(let number): return .scalar(.integer, number)
                case .number(let number): return .number(number)
                case .boolean(let flag): return .scalar(.boolean, flag ? 1 : 0)
                case .date(let days): return .scalar(.date, Int64(days))
                case .datetime(let seconds): return .scalar(.datetime, seconds)
                case .year(let year): return .scalar(.year, Int64(year))
                case .list: return .scalar(.list, 0)
                case .null, .text: return .null
                }
            }
            var scratch: [UInt8] = []
            return slots.withUnsafeBufferPointer { slots in
                lists.withUnsafeBufferPointer { lists in
                    withUnsafeMutablePointer(to: &scratch) { evaluate(roots[0], slots: slots, lists: lists, scratch: $0) }
                }
            }
        }
    }

    /// True, false, or nil (unknown): the expression whose root step is `root` (one of ``roots``), for a row's
    /// slots (indexed like the schema's fields). `lists` holds the list fields' values (or is empty when the
    /// schema has none); text the functions make goes to `scratch` (emptied first, so that one buffer serves
    /// every row).
    func evaluate(
        _ root: Int, slots: UnsafeBufferPointer<CellSlot>, lists: UnsafeBufferPointer<CellValue>,
        scratch: UnsafeMutablePointer<[UInt8]>
    ) -> Bool? {
        scratch.pointee.removeAll(keepingCapacity: true)
        var evaluation = Evaluation(
            program: UnsafeBufferPointer(steps), cells: slots, lists: lists, literals: UnsafeBufferPointer(literals), made: scratch)
        return evaluation.truth(root)
    }

    private struct Evaluation {
        let program: UnsafeBufferPointer<Step>
        let cells: UnsafeBufferPointer<CellSlot>
        let lists: UnsafeBufferPointer<CellValue>
        let literals: UnsafeBufferPointer<UInt8>
        /// Text made by `lower()` or from a list's items.
        let made: UnsafeMutablePointer<[UInt8]>

        mutating func truth(_ index: Int) -> Bool? {
            switch program[index] {
            case .and(let left, let right):
                let a = truth(left)
                if a == false { return false }
                let b = truth(right)
                if b == false { return false }
                return a == nil || b == nil ? nil : true
            case .or(let left, let right):
                let a = truth(left)
                if a == true { return true }
                let b = truth(right)
                if b == true { return true }
                return a == nil || b == nil ? nil : false
            case .not(let inner):
                return truth(inner).map { !$0 }
            case .isBlank(let inner, let negated):
                let blank: Bool
                if case .null = value(inner) { blank = true } else { blank = false }
                return negated ? !blank : blank
            case .compare(let comparison, let left, let right):
                let a = value(left)
                return compare(comparison, a, value(right))
            default:
                if case .bool(let flag) = value(index) { return flag }
                return nil
            }
        }

        mutating func value(_ index: Int) -> Value {
            switch program[index] {
            case .field(let field): return cellValue(field)
            case .literal(let literal): return literal
            case .call(let function, let argument): return call(function, value(argument))
            default: return truth(index).map { .bool($0) } ?? .null
            }
        }

        mutating func cellValue(_ field: Int) -> Value {
            let slot = cells[field]
            switch slot.kind {
            case .null: return .null
            case .text: return .cellText(field: field)
            case .integer, .datetime, .year: return .number(Double(slot.bits))
            case .number: return .number(slot.number)
            case .boolean: return .bool(slot.bits != 0)
            case .date: return .date(Int(slot.bits))
            case .list: return make(Array(lists[field].canonicalText.utf8))
            }
        }

        mutating func make(_ bytes: [UInt8]) -> Value {
            let start = made.pointee.count
            made.pointee.append(contentsOf: bytes)
            return .madeText(start: start, count: bytes.count)
        }

        /// The bytes of a text value, lent to `body`; nil for a value that is not text.
        func withText<R>(_ value: Value, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
            switch value {
            case .cellText(let field):
                let slot = cells[field]
                return slot.kind == .text ? body(slot.text) : nil
            case .literalText(let start, let count):
                return body(UnsafeBufferPointer(rebasing: literals[start..<(start + count)]))
            case .madeText(let start, let count):
                return made.pointee.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
            default:
                return nil
            }
        }

        mutating func call(_ function: Function, _ argument: Value) -> Value {
            switch function {
            case .quarterStart, .quarterEnd:
                // A cell's bytes are read as the tree reads bytes, other text as it reads strings.
                let cell = isCellText(argument)
                let day = withText(argument) { bytes -> Int? in
                    let quarter = cell ? Quarter(bytes: bytes) : Quarter(String(decoding: bytes, as: UTF8.self))
                    guard let quarter else { return nil }
                    return function == .quarterStart ? quarter.firstDay : quarter.lastDay
                }
                return day.flatMap { $0.map { .date($0) } } ?? .null
            case .date:
                if case .date = argument { return argument }
                let day = withText(argument) { bytes -> Int? in
                    if case .date(let date) = DateFormat.iso.parse(bytes) { return date.daysSinceEpoch }
                    return nil
                }
                return day.flatMap { $0.map { .date($0) } } ?? .null
            case .lower:
                guard let text = withText(argument, { String(decoding: $0, as: UTF8.self).lowercased() }) else { return .null }
                return make(Array(text.utf8))
            case .length:
                let count = withText(argument) { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
                return count.map { .number(Double($0)) } ?? .null
            case .unknown:
                return .null
            }
        }

        mutating func compare(_ comparison: RuleExpression.Comparison, _ left: Value, _ right: Value) -> Bool? {
            var a = left
            var b = right
            // A text compared with a date is read as an ISO date.
            if case .date = a, isText(b) { b = call(.date, b) }
            if case .date = b, isText(a) { a = call(.date, a) }
            let order: Int
            switch (a, b) {
            case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.date(let x), .date(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.bool(let x), .bool(let y)): order = x == y ? 0 : (x ? 1 : -1)
            default:
                guard isText(a), isText(b) else { return nil }
                if isCellText(a) || isCellText(b) {
                    // A cell's bytes against anything: code point order, as the tree compares bytes.
                    guard let result = withText(a, { x in withText(b) { y in Self.order(x, y) } }), let found = result
                    else { return nil }
                    order = found
                } else {
                    // Two texts the rule made (literals, lower(), a list's items): Swift's string order, as
                    // the tree compares them.
                    let x = withText(a) { String(decoding: $0, as: UTF8.self) } ?? ""
                    let y = withText(b) { String(decoding: $0, as: UTF8.self) } ?? ""
                    order = x < y ? -1 : (x > y ? 1 : 0)
                }
            }
            return comparison.holds(order)
        }

        func isCellText(_ value: Value) -> Bool {
            if case .cellText = value { return true }
            return false
        }

        func isText(_ value: Value) -> Bool {
            switch value {
            case .cellText, .literalText, .madeText: return true
            default: return false
            }
        }

        /// Byte-wise (code point) order of two UTF-8 texts.
        static func order(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
            let shared = min(x.count, y.count)
            for index in 0..<shared where x[index] != y[index] { return x[index] < y[index] ? -1 : 1 }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
    }
}
