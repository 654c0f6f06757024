import Impact
import TableSchema

/// Rule expressions: the first line is compiled against the support table's schema; the rest, split on
/// commas, gives the row's cells (parsed by their fields' types) it is evaluated on.
enum RuleFuzz {
    static let schema: Schema = {
        guard let schema = try? SchemaSet.embedded()["support"] else { fatalError("the embedded support schema does not load") }
        return schema
    }()

    static func run(_ data: [UInt8]) {
        let split = data.firstIndex(of: 0x0A) ?? data.endIndex
        let source = String(decoding: data[..<split], as: UTF8.self)
        guard source.utf8.count <= 500, let expression = try? RuleExpression(source, schema: schema) else { return }
        let rest = split < data.endIndex ? data[(split + 1)...] : []
        let cells = rest.split(separator: 0x2C, omittingEmptySubsequences: false)
        let values = schema.fields.indices.map { index -> CellValue in
            guard index < cells.count, case .value(let value) = CellParser.parse(cells[index], as: schema.fields[index]) else {
                return .null
            }
            return value
        }
        let parameters: [String: RuleValue] = ["coordinator_limit": .number(250), "quarter": .text("2026-Q2")]
        let first = expression.evaluate(values: values, parameters: parameters)
        // Evaluation is a function of the row: the same row gives the same answer, bound or not.
        invariant(expression.binding(parameters).evaluate(values: values) == first, "binding parameters changes the answer of \(source)")
        _ = expression.evaluate(values: values, parameters: [:])
    }
}
