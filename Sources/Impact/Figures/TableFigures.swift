import TableSchema

/// The figures of a table a programme declares, for one quarter: each partner's rows and declared figures,
/// and the programme's.
struct TableFigures: Sendable, Hashable {
    /// One line: a partner's, or the programme's total.
    struct Line: Sendable, Hashable {
        /// The partner's ID; nil for the programme's total.
        var partnerID: String?
        /// How many rows of the table it sent.
        var rows: Int
        /// The declared figures, in declaration order.
        var values: [Double]
    }

    /// The table.
    var table: ReturnTable
    /// Every partner with an accepted return this quarter, in ID order (a partner that sent no row of the
    /// table has 0 rows).
    var partners: [Line]
    /// The programme: rows and counts summed over partners; a `distinct` figure counts each partner's values
    /// apart (references are the partner's own).
    var total: Line

    /// Computes a table's figures from the quarter's accepted returns.
    static func compute(_ table: ReturnTable, returns: [AcceptedReturn]) -> TableFigures {
        var partners: [Line] = []
        var totalRows = 0
        var totals = Array(repeating: 0.0, count: table.figures.count)
        var distinct = Array(repeating: Set<String>(), count: table.figures.count)
        for value in returns.sorted(by: { $0.partnerID < $1.partnerID }) {
            let records = value.records(of: table.name)
            let rows = records?.rows ?? []
            var values: [Double] = []
            for (index, figure) in table.figures.enumerated() {
                let chosen = rows.filter { row in
                    figure.filter.allSatisfy { field, allowed in records?.value(field, in: row).map(allowed.contains) ?? false }
                }
                let cells = chosen.map { row in figure.field.flatMap { records?.value($0, in: row) } }
                switch figure.measure {
                case .count:
                    values.append(Double(figure.field == nil ? chosen.count : cells.compactMap { $0 }.count))
                case .sum:
                    values.append(cells.compactMap { $0.flatMap(Double.init) }.reduce(0, +))
                case .distinct:
                    let set = Set(cells.compactMap { $0 })
                    values.append(Double(set.count))
                    distinct[index].formUnion(set.map { value.partnerID + "\u{1F}" + $0 })
                }
                totals[index] += values[index]
            }
            totalRows += rows.count
            partners.append(Line(partnerID: value.partnerID, rows: rows.count, values: values))
        }
        for (index, figure) in table.figures.enumerated() where figure.measure == .distinct {
            totals[index] = Double(distinct[index].count)
        }
        return TableFigures(table: table, partners: partners, total: Line(partnerID: nil, rows: totalRows, values: totals))
    }
}
