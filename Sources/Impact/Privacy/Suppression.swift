// MARK: - Disclosure control of a table of counts

/// Primary and secondary suppression of one table of counts and the totals published with it.
///
/// **Primary suppression** hides every count from 1 to `threshold − 1` (zeros are shown). **Secondary
/// suppression** then hides further cells until no hidden cell can be worked out exactly from the
/// published cells and totals: in every row or column whose total is published, never exactly one cell
/// is hidden (the total minus the others would give it away), and more generally no hidden cell is
/// pinned down by any combination of published totals.
///
/// The check is exact for a two-way table with margins. Write the table with its totals as an extended
/// grid in which every line sums to zero (totals negated); a set of hidden cells is a set of edges
/// between row lines and column lines (lines whose total is not published all meet in one "free" node),
/// and a hidden cell's value is determined by the published values exactly when its edge is a bridge
/// of that graph. Bridges are removed by hiding, each time, the smallest visible cell of the line the
/// bridge leaves from: non-zero cells before zeros (a zero recovered by bounds protects little) and
/// cells before totals.
struct Suppression: Sendable, Hashable {
    /// A position in the table: a cell, a row's total, a column's total or the grand total.
    enum Position: Sendable, Hashable {
        /// The count at a row and column (zero-based).
        case cell(row: Int, column: Int)
        /// The total of a row (published only when ``showsRowTotals``).
        case rowTotal(Int)
        /// The total of a column (published only when ``showsColumnTotals``).
        case columnTotal(Int)
        /// The total of everything (published only when both kinds of totals are).
        case grandTotal
    }

    /// The counts, row by row; every row has the same number of columns.
    let counts: [[Int]]
    /// Whether each row's total is published beside it.
    let showsRowTotals: Bool
    /// Whether each column's total is published below it.
    let showsColumnTotals: Bool
    /// Counts from 1 to this minus one are suppressed (primary suppression).
    let threshold: Int

    private let rows: Int
    private let columns: Int
    /// Suppressed positions of the extended grid (cells, then a total column and a total row).
    private var hidden: [[Bool]]

    /// Suppresses a table.
    ///
    /// - Parameters:
    ///   - counts: the counts, row by row (rows shorter than the longest are padded with zeros).
    ///   - rowTotals: whether row totals are published.
    ///   - columnTotals: whether column totals are published.
    ///   - threshold: counts from 1 to `threshold − 1` are hidden; 1 or less hides nothing by itself.
    ///   - alsoSuppress: positions hidden from the start whatever their value (for example the rows of a
    ///     partner whose count of people is hidden elsewhere), protected like the others.
    init(
        counts: [[Int]], rowTotals: Bool, columnTotals: Bool, threshold: Int, alsoSuppress: Set<Position> = []
    ) {
        let width = counts.map(\.count).max() ?? 0
        self.counts = counts.map { $0 + Array(repeating: 0, count: width - $0.count) }
        self.showsRowTotals = rowTotals
        self.showsColumnTotals = columnTotals
        self.threshold = threshold
        self.rows = counts.count
        self.columns = width
        let extendedRows = rows + (columnTotals ? 1 : 0)
        let extendedColumns = columns + (rowTotals ? 1 : 0)
        hidden = Array(repeating: Array(repeating: false, count: extendedColumns), count: extendedRows)
        guard rows > 0, columns > 0 else { return }
        for r in 0..<extendedRows {
            for c in 0..<extendedColumns where isPublished(r, c) {
                if isPrimary(extendedValue(r, c)) { hidden[r][c] = true }
            }
        }
        for position in alsoSuppress {
            if let (r, c) = extended(position), isPublished(r, c) { hidden[r][c] = true }
        }
        protect()
    }

    // MARK: - Results

    /// Whether a position is suppressed (primary or secondary). Totals that are not published are
    /// never suppressed.
    func isSuppressed(_ position: Position) -> Bool {
        guard let (r, c) = extended(position) else { return false }
        return hidden[r][c]
    }

    /// Whether a position's value lies in the primary-suppression range (1 to `threshold − 1`).
    func isPrimary(_ position: Position) -> Bool {
        guard let value = value(position) else { return false }
        return isPrimary(value)
    }

    /// The value at a position: a count, or the sum of a row, a column or everything.
    func value(_ position: Position) -> Int? {
        guard let (r, c) = extended(position) else { return nil }
        return extendedValue(r, c)
    }

    /// Every suppressed position, cells first (row by row), then row totals, column totals and the
    /// grand total.
    var suppressedPositions: [Position] {
        var result: [Position] = []
        for r in 0..<rows {
            for c in 0..<columns where hidden[r][c] { result.append(.cell(row: r, column: c)) }
        }
        if showsRowTotals { for r in 0..<rows where hidden[r][columns] { result.append(.rowTotal(r)) } }
        if showsColumnTotals { for c in 0..<columns where hidden[rows][c] { result.append(.columnTotal(c)) } }
        if showsRowTotals && showsColumnTotals && rows > 0 && columns > 0 && hidden[rows][columns] {
            result.append(.grandTotal)
        }
        return result
    }

    /// The sum of a row.
    func rowTotal(_ row: Int) -> Int { counts[row].reduce(0, +) }
    /// The sum of a column.
    func columnTotal(_ column: Int) -> Int { counts.reduce(0) { $0 + $1[column] } }
    /// The sum of every count.
    var grandTotal: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    // MARK: - The extended grid

    private func isPrimary(_ value: Int) -> Bool { value >= 1 && value < threshold }

    /// Whether an extended position is published (the grand total only with both kinds of totals).
    private func isPublished(_ r: Int, _ c: Int) -> Bool {
        if r == rows && c == columns { return showsRowTotals && showsColumnTotals }
        return true
    }

    private func extended(_ position: Position) -> (Int, Int)? {
        switch position {
        case .cell(let r, let c):
            return (0..<rows).contains(r) && (0..<columns).contains(c) ? (r, c) : nil
        case .rowTotal(let r):
            return showsRowTotals && (0..<rows).contains(r) ? (r, columns) : nil
        case .columnTotal(let c):
            return showsColumnTotals && (0..<columns).contains(c) ? (rows, c) : nil
        case .grandTotal:
            return showsRowTotals && showsColumnTotals && rows > 0 && columns > 0 ? (rows, columns) : nil
        }
    }

    private func extendedValue(_ r: Int, _ c: Int) -> Int {
        switch (r < rows, c < columns) {
        case (true, true): return counts[r][c]
        case (true, false): return rowTotal(r)
        case (false, true): return columnTotal(c)
        case (false, false): return grandTotal
        }
    }

    private var extendedRows: Int { hidden.count }
    private var extendedColumns: Int { hidden.first?.count ?? 0 }

    // MARK: - Secondary suppression

    /// The graph node of an extended row's line (the free node when row totals are not published).
    private func rowNode(_ r: Int) -> Int { showsRowTotals ? r : extendedRows + extendedColumns }
    /// The graph node of an extended column's line.
    private func columnNode(_ c: Int) -> Int { showsColumnTotals ? extendedRows + c : extendedRows + extendedColumns }

    /// Hides cells until no hidden cell is a bridge. A bridge with a leaf (a line holding just that one
    /// hidden value) is mended first, by hiding another value of the leaf's line; otherwise another value
    /// of the bridge's row line, or else of its column line.
    private mutating func protect() {
        var remaining = extendedRows * extendedColumns + 1
        while remaining > 0 {
            remaining -= 1
            var edges: [(u: Int, v: Int, at: (Int, Int))] = []
            var degree = Array(repeating: 0, count: extendedRows + extendedColumns + 1)
            for r in 0..<extendedRows {
                for c in 0..<extendedColumns where hidden[r][c] {
                    edges.append((rowNode(r), columnNode(c), (r, c)))
                    degree[rowNode(r)] += 1
                    degree[columnNode(c)] += 1
                }
            }
            let bridges = Suppression.bridges(nodes: degree.count, edges: edges.map { ($0.u, $0.v) })
            guard !bridges.isEmpty else { return }
            func rowLine(_ r: Int) -> [(Int, Int)] { showsRowTotals ? (0..<extendedColumns).map { (r, $0) } : [] }
            func columnLine(_ c: Int) -> [(Int, Int)] { showsColumnTotals ? (0..<extendedRows).map { ($0, c) } : [] }
            var orders: [[[(Int, Int)]]] = []
            for bridge in bridges {
                let (r, c) = edges[bridge].at
                if showsRowTotals && degree[rowNode(r)] == 1 { orders.append([rowLine(r), columnLine(c)]) }
                if showsColumnTotals && degree[columnNode(c)] == 1 { orders.append([columnLine(c), rowLine(r)]) }
            }
            let (r, c) = edges[bridges[0]].at
            orders.append([rowLine(r), columnLine(c)])
            var chosen: (Int, Int)?
            search: for order in orders {
                for candidates in order {
                    if let found = smallestVisible(candidates) {
                        chosen = found
                        break search
                    }
                }
            }
            guard let (cr, cc) = chosen else { return }
            hidden[cr][cc] = true
        }
    }

    /// The visible published position to hide next among some: cells before totals, non-zero before
    /// zero, smaller before larger, then first in order.
    private func smallestVisible(_ candidates: [(Int, Int)]) -> (Int, Int)? {
        var best: (key: (Int, Int, Int, Int), at: (Int, Int))?
        for (index, (r, c)) in candidates.enumerated() where !hidden[r][c] && isPublished(r, c) {
            let value = extendedValue(r, c)
            let key = ((r < rows && c < columns) ? 0 : 1, value == 0 ? 1 : 0, value, index)
            if best == nil || key < best!.key { best = (key, (r, c)) }
        }
        return best?.at
    }

    /// The indices of the edges that are bridges of a multigraph (self-loops never are).
    static func bridges(nodes: Int, edges: [(Int, Int)]) -> [Int] {
        var adjacency = Array(repeating: [(to: Int, edge: Int)](), count: nodes)
        for (index, (u, v)) in edges.enumerated() where u != v {
            adjacency[u].append((v, index))
            adjacency[v].append((u, index))
        }
        var order = Array(repeating: -1, count: nodes)
        var low = Array(repeating: 0, count: nodes)
        var counter = 0
        var result: [Int] = []
        for start in 0..<nodes where order[start] < 0 {
            // Iterative depth-first search: (node, edge used to enter it, next neighbour index).
            var stack: [(node: Int, via: Int, next: Int)] = [(start, -1, 0)]
            order[start] = counter
            low[start] = counter
            counter += 1
            while !stack.isEmpty {
                let top = stack.count - 1
                let node = stack[top].node
                if stack[top].next < adjacency[node].count {
                    let (to, edge) = adjacency[node][stack[top].next]
                    stack[top].next += 1
                    if edge == stack[top].via { continue }
                    if order[to] < 0 {
                        order[to] = counter
                        low[to] = counter
                        counter += 1
                        stack.append((to, edge, 0))
                    } else {
                        low[node] = min(low[node], order[to])
                    }
                } else {
                    let finished = stack.removeLast()
                    if let parent = stack.last {
                        low[parent.node] = min(low[parent.node], low[finished.node])
                        if low[finished.node] > order[parent.node] { result.append(finished.via) }
                    }
                }
            }
        }
        return result.sorted()
    }
}
