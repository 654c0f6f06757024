import Foundation
import TestSupport
import Testing

@testable import TableSchema

/// The compiled program that checks rows gives the tree's answer for every expression and row: thousands of
/// random expressions over random values of every kind (including values of the wrong type for their field,
/// lists, and text that is not a date or a quarter), from a fixed seed.
@Suite("CompiledExpression")
struct CompiledExpressionTests {
    static let schema = RuleExpressionTests.schema
    static let fields = ["a", "b", "s", "d", "e", "q", "flag", "x"]

    /// A small deterministic generator, so a failure names a seed that reproduces it.
    typealias Generator = SplitMix

    static let texts = [
        "ended", "Ended", "2026-Q2", "2026-04-01", "Zoë", "+202-Q2", "", "a", "b", "café", "cafe\u{301}", "2026-13-01",
    ]

    static func operand(_ g: inout Generator, depth: Int) -> String {
        switch g.next() % 6 {
        case 0, 1: return g.pick(fields)
        case 2: return g.pick(["1", "2.5", "-3", "0", "1000"])
        case 3: return "'" + g.pick(texts) + "'"
        case 4: return g.pick(["true", "false", "blank", "$limit", "$quarter", "$label", "$on"])
        default:
            guard depth > 0 else { return g.pick(fields) }
            return g.pick(["lower", "length", "date", "quarter_start", "quarter_end"]) + "(" + operand(&g, depth: depth - 1) + ")"
        }
    }

    static func expression(_ g: inout Generator, depth: Int) -> String {
        switch depth > 0 ? g.next() % 7 : 6 {
        case 0: return "(" + expression(&g, depth: depth - 1) + ") and (" + expression(&g, depth: depth - 1) + ")"
        case 1: return "(" + expression(&g, depth: depth - 1) + ") or (" + expression(&g, depth: depth - 1) + ")"
        case 2: return "not (" + expression(&g, depth: depth - 1) + ")"
        case 3: return operand(&g, depth: 1) + g.pick([" is blank", " is not blank"])
        case 4: return operand(&g, depth: 1)
        default: return operand(&g, depth: 1) + g.pick([" = ", " != ", " < ", " <= ", " > ", " >= "]) + operand(&g, depth: 1)
        }
    }

    static func value(_ g: inout Generator) -> CellValue {
        switch g.next() % 9 {
        case 0: return .null
        case 1: return .integer(Int64(g.next() % 7) - 3)
        case 2: return .number(Double(g.next() % 2001) / 2 - 500)
        case 3: return .boolean(g.chance(50))
        case 4: return .date(Int32(20_500 + Int(g.next() % 200)))
        case 5: return .list([textValue(g.pick(texts)), .integer(Int64(g.next() % 3))])
        case 6: return .year(2026)
        default: return textValue(g.pick(texts))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func compiledMatchesTheTree(seed: UInt64) throws {
        var g = Generator(seed: seed)
        let parameters: [[String: RuleValue]] = [
            [:], ["quarter": .text("2026-Q2"), "limit": .number(2)], ["label": .text("Ended"), "on": .bool(false)],
            ["quarter": .null, "label": .date(20_600)],
        ]
        var compared = 0
        for _ in 0..<600 {
            let source = Self.expression(&g, depth: 3)
            guard let tree = try? RuleExpression(source, schema: Self.schema) else { continue }
            for bound in parameters.map(tree.binding) {
                let compiled = CompiledExpression(bound)
                for _ in 0..<8 {
                    let values = Self.schema.fields.map { _ in Self.value(&g) }
                    let expected = bound.evaluate(values: values)
                    let found = compiled.evaluate(values: values)
                    #expect(found == expected, "seed \(seed): \(source) with \(values)")
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
    }
}
