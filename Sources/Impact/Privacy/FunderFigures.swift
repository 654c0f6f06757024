import TableSchema

/// Which figures of a declared table a funder's workbook may show, and how they relate to the rows.
///
/// A funder sees a partner's rows and its `count` figures, with small ones hidden like every count of
/// people. For the audit those figures are sums over the **kinds of row** the schema allows: a kind says
/// which of the figures count a row (one with `outcome` `accepted` and `source` `gp` counts in "Accepted" and
/// in "From GPs"). A partner's rows are the sum of its rows of each kind, and each figure the sum over the
/// kinds it counts; the workbook prints the kinds (`TableKinds_<name>`) so that the audit, reading the files
/// alone, knows what an attacker who knows the schema knows.
///
/// The kinds are worked out from the schema, so a figure is shown only where that is exact: its `where`
/// fields are `enum` texts or booleans with no other constraint, and no field it reads is in the primary
/// key, `unique`, in a foreign key or read by a rule (each of those can rule kinds out in ways the kinds
/// would not say). Other figures, and every `sum` and `distinct`, stay in the internal outputs.
struct FunderFigures: Sendable, Hashable {
    /// A figure kept out of funder workbooks, and why.
    struct Withheld: Sendable, Hashable {
        var figure: String
        var reason: String
    }

    /// The figures funders see, as indices into the table's figures, in declaration order.
    var published: [Int]
    /// The others.
    var withheld: [Withheld]
    /// The kinds of row the schema allows: for each, whether each published figure counts such a row (in the
    /// order of ``published``). Sorted; empty when nothing is published.
    var kinds: [[Bool]]

    /// The most kinds of field values worked through before a table's figures are withheld.
    static let combinationLimit = 4096

    /// Works out what funders may see of a table's figures from its schema.
    static func derive(_ table: ReturnTable, schema: Schema) -> FunderFigures {
        var withheld: [Withheld] = []
        var candidates: [Int] = []
        let ruled = Set(schema.rules.flatMap { ($0.when?.fieldIndices ?? []) + $0.assertion.fieldIndices })
        let keyed = Set(
            schema.primaryKey.filter { !ReturnTable.envelopeFields.contains($0) } + schema.foreignKeys.flatMap(\.fields)
                + schema.fields.filter(\.constraints.unique).map(\.name))
        for (index, figure) in table.figures.enumerated() {
            func withhold(_ reason: String) { withheld.append(Withheld(figure: figure.name, reason: reason)) }
            switch figure.measure {
            case .sum:
                withhold("a sum over a few rows can show one person's value")
                continue
            case .distinct:
                withhold("a count of different values has no fixed relation to the rows that the audit could check")
                continue
            case .count:
                break
            }
            let read = Array(figure.filter.keys) + (figure.field.map { [$0] } ?? [])
            if let name = read.first(where: { keyed.contains($0) }) {
                withhold("\(name) is in a key of the table, which limits how many rows can share a value")
            } else if let name = read.first(where: { schema.fieldIndex($0).map(ruled.contains) ?? true }) {
                withhold("\(name) is read by a rule of the schema, which can rule out combinations of values")
            } else if let name = figure.filter.keys.sorted().first(where: { domain(of: $0, in: schema) == nil }) {
                withhold("\(name) is not a list of values (enum) or a yes/no field without other constraints")
            } else {
                candidates.append(index)
            }
        }
        guard !candidates.isEmpty else { return FunderFigures(published: [], withheld: withheld, kinds: []) }

        // The values each field a figure reads can take: its list of values, or blank and not blank.
        let figures = candidates.map { table.figures[$0] }
        let filtered = Set(figures.flatMap(\.filter.keys))
        let counted = Set(figures.compactMap(\.field)).subtracting(filtered)
        var fields: [(name: String, values: [String?])] = []
        for name in filtered.sorted() {
            let blank = blankAllowed(name, in: schema)
            fields.append((name, (domain(of: name, in: schema) ?? []).map { $0 } + (blank ? [nil] : [])))
        }
        for name in counted.sorted() {
            fields.append((name, blankAllowed(name, in: schema) ? ["filled", nil] : ["filled"]))
        }
        let combinations = fields.reduce(1) { $0 * max(1, $1.values.count) }
        guard combinations <= combinationLimit else {
            for figure in figures {
                withheld.append(Withheld(figure: figure.name, reason: "its fields have too many combinations of values to check"))
            }
            return FunderFigures(published: [], withheld: withheld, kinds: [])
        }
        var kinds: Set<[Bool]> = []
        var choice = Array(repeating: 0, count: fields.count)
        for _ in 0..<combinations {
            var row: [String: String] = [:]
            for (position, field) in fields.enumerated() {
                if let value = field.values[choice[position]] { row[field.name] = value }
            }
            kinds.insert(figures.map { counts($0, row: row) })
            // The next combination, like an odometer.
            for position in choice.indices {
                choice[position] += 1
                if choice[position] < fields[position].values.count { break }
                choice[position] = 0
            }
        }
        let sorted = kinds.sorted { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }
        return FunderFigures(published: candidates, withheld: withheld, kinds: sorted)
    }

    /// Whether a figure counts a row with these values (a field missing from `row` is blank): the rule of
    /// ``TableFigures/compute(_:returns:)``.
    static func counts(_ figure: TableFigure, row: [String: String]) -> Bool {
        figure.filter.allSatisfy { field, allowed in row[field].map(allowed.contains) ?? false }
            && (figure.field.map { row[$0] != nil } ?? true)
    }

    /// The values a field can hold, as the history keeps them, when that is a known list: a text field's
    /// `enum` (without any value the schema reads as blank) or a boolean's `true` and `false`, with no other
    /// constraint that could rule a value out.
    static func domain(of name: String, in schema: Schema) -> [String]? {
        guard let index = schema.fieldIndex(name) else { return nil }
        let field = schema.fields[index]
        let c = field.constraints
        guard c.minimum == nil, c.maximum == nil, c.minLength == nil, c.maxLength == nil, c.pattern == nil else { return nil }
        switch field.type {
        case .boolean:
            return c.enumValues == nil ? ["false", "true"] : nil
        case .string:
            guard field.format == nil || field.format == "default", let values = c.enumValues else { return nil }
            let blank = Set(field.missingValues ?? schema.missingValues)
            var seen: Set<String> = []
            return values.filter { !blank.contains($0) && seen.insert($0).inserted }
        default:
            return nil
        }
    }

    /// Whether a field may be left blank.
    static func blankAllowed(_ name: String, in schema: Schema) -> Bool {
        guard let index = schema.fieldIndex(name) else { return true }
        return !schema.fields[index].constraints.required && !schema.primaryKey.contains(name)
    }

    /// The kind of a row (its values by field name, blank ones left out), as an index into ``kinds``.
    func kind(of row: [String: String], figures: [TableFigure]) -> Int? {
        let vector = published.map { FunderFigures.counts(figures[$0], row: row) }
        return kinds.firstIndex(of: vector)
    }
}
