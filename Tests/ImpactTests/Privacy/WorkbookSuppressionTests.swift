import Foundation
import ImpactGenerator
import TestSupport
import Testing

@testable import Impact

/// Primary and secondary suppression of a table of counts.
@Suite struct WorkbookSuppressionTests {
    typealias P = Suppression.Position

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var counts: [[Int]]
        var rowTotals: Bool
        var columnTotals: Bool
        var expected: [P]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "one small count under a column total hides the other", counts: [[12], [3]], rowTotals: false,
            columnTotals: true,
            expected: [.cell(row: 0, column: 0), .cell(row: 1, column: 0)]),
        Case(
            name: "the next smallest cell is chosen", counts: [[3], [7], [20]], rowTotals: false, columnTotals: true,
            expected: [.cell(row: 0, column: 0), .cell(row: 1, column: 0)]),
        Case(
            name: "non-zero cells before zeros", counts: [[0], [3], [9]], rowTotals: false, columnTotals: true,
            expected: [.cell(row: 1, column: 0), .cell(row: 2, column: 0)]),
        Case(
            name: "two small counts protect each other", counts: [[2], [4], [9]], rowTotals: false, columnTotals: true,
            expected: [.cell(row: 0, column: 0), .cell(row: 1, column: 0)]),
        Case(
            name: "no totals, primary only", counts: [[3, 8]], rowTotals: false, columnTotals: false,
            expected: [.cell(row: 0, column: 0)]),
        Case(
            name: "row total", counts: [[2, 10, 20]], rowTotals: true, columnTotals: false,
            expected: [.cell(row: 0, column: 0), .cell(row: 0, column: 1)]),
        Case(name: "nothing small", counts: [[5, 6], [7, 50]], rowTotals: true, columnTotals: true, expected: []),
        Case(
            name: "a single small cell and its total", counts: [[3]], rowTotals: false, columnTotals: true,
            expected: [.cell(row: 0, column: 0), .columnTotal(0)]),
        Case(name: "zeros are shown", counts: [[0, 0], [0, 9]], rowTotals: true, columnTotals: true, expected: []),
        Case(
            name: "two-way table closes a rectangle", counts: [[2, 9, 8], [10, 11, 12], [13, 14, 15]], rowTotals: true,
            columnTotals: true,
            expected: [.cell(row: 0, column: 0), .cell(row: 0, column: 2), .cell(row: 1, column: 0), .cell(row: 1, column: 2)]),
    ]

    @Test(arguments: cases)
    func suppresses(_ c: Case) {
        let grid = Suppression(counts: c.counts, rowTotals: c.rowTotals, columnTotals: c.columnTotals, threshold: 5)
        #expect(grid.suppressedPositions == c.expected)
        #expect(WorkbookSuppressionTests.exposed(grid).isEmpty)
    }

    @Test(arguments: [(1, 0), (2, 1), (5, 4), (10, 9)])
    func primaryRangeFollowsThreshold(threshold: Int, largestHidden: Int) {
        let counts = (0...12).map { [$0] }
        let grid = Suppression(counts: counts, rowTotals: false, columnTotals: false, threshold: threshold)
        let hidden = counts.indices.filter { grid.isSuppressed(.cell(row: $0, column: 0)) }
        #expect(hidden == (largestHidden >= 1 ? Array(1...largestHidden) : []))
    }

    @Test func alsoSuppressIsProtected() {
        let grid = Suppression(
            counts: [[40], [30], [20]], rowTotals: false, columnTotals: true, threshold: 5,
            alsoSuppress: [.cell(row: 0, column: 0)])
        #expect(grid.suppressedPositions == [.cell(row: 0, column: 0), .cell(row: 2, column: 0)])
    }

    @Test func emptyTables() {
        #expect(Suppression(counts: [], rowTotals: true, columnTotals: true, threshold: 5).suppressedPositions.isEmpty)
        #expect(Suppression(counts: [[]], rowTotals: true, columnTotals: true, threshold: 5).suppressedPositions.isEmpty)
    }

    /// Random tables (seeded): every count from 1 to 4 is hidden, and no hidden value can be worked out
    /// exactly from the published cells and totals.
    @Test func noSuppressedCellIsRecoverable() {
        var random = SplitMix(seed: 20_260_630)
        for _ in 0..<400 {
            let rows = Int.random(in: 1...5, using: &random)
            let columns = Int.random(in: 1...5, using: &random)
            let counts = (0..<rows).map { _ in
                (0..<columns).map { _ -> Int in
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<2: return 0
                    case 2..<5: return Int.random(in: 1...4, using: &random)
                    default: return Int.random(in: 5...40, using: &random)
                    }
                }
            }
            let rowTotals = Bool.random(using: &random)
            let columnTotals = Bool.random(using: &random)
            let grid = Suppression(counts: counts, rowTotals: rowTotals, columnTotals: columnTotals, threshold: 5)
            for position in WorkbookSuppressionTests.published(grid) where grid.isPrimary(position) {
                #expect(grid.isSuppressed(position), "\(counts) \(position)")
            }
            let exposed = WorkbookSuppressionTests.exposed(grid)
            #expect(exposed.isEmpty, "\(counts) rows \(rowTotals) columns \(columnTotals): \(exposed) recoverable")
        }
    }

    // MARK: - An independent check: linear algebra over the published equations

    static func published(_ grid: Suppression) -> [P] {
        let rows = grid.counts.count
        let columns = grid.counts.first?.count ?? 0
        var result: [P] = []
        for r in 0..<rows { for c in 0..<columns { result.append(.cell(row: r, column: c)) } }
        if grid.showsRowTotals { for r in 0..<rows { result.append(.rowTotal(r)) } }
        if grid.showsColumnTotals { for c in 0..<columns { result.append(.columnTotal(c)) } }
        if grid.showsRowTotals && grid.showsColumnTotals && rows > 0 && columns > 0 { result.append(.grandTotal) }
        return result
    }

    /// The suppressed positions whose value is fixed by the equations "each line's cells sum to its
    /// published total", with the visible values known: those whose unit vector lies in the row space of
    /// the equations restricted to the unknowns.
    static func exposed(_ grid: Suppression) -> [P] {
        let rows = grid.counts.count
        let columns = grid.counts.first?.count ?? 0
        guard rows > 0, columns > 0 else { return [] }
        let unknowns = published(grid).filter { grid.isSuppressed($0) }
        guard !unknowns.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($0.element, $0.offset) })
        var equations: [[Double]] = []
        func equation(_ parts: [P], total: P) {
            var line = Array(repeating: 0.0, count: unknowns.count)
            for part in parts { if let i = index[part] { line[i] += 1 } }
            if let i = index[total] { line[i] -= 1 }
            equations.append(line)
        }
        if grid.showsRowTotals {
            for r in 0..<rows { equation((0..<columns).map { .cell(row: r, column: $0) }, total: .rowTotal(r)) }
            if grid.showsColumnTotals { equation((0..<columns).map { .columnTotal($0) }, total: .grandTotal) }
        }
        if grid.showsColumnTotals {
            for c in 0..<columns { equation((0..<rows).map { .cell(row: $0, column: c) }, total: .columnTotal(c)) }
            if grid.showsRowTotals { equation((0..<rows).map { .rowTotal($0) }, total: .grandTotal) }
        }
        let base = rank(equations)
        return unknowns.enumerated().compactMap { k, position in
            var unit = Array(repeating: 0.0, count: unknowns.count)
            unit[k] = 1
            return rank(equations + [unit]) == base ? position : nil
        }
    }

    static func rank(_ matrix: [[Double]]) -> Int {
        var m = matrix
        guard let width = m.first?.count else { return 0 }
        var rank = 0
        for column in 0..<width where rank < m.count {
            guard let pivot = (rank..<m.count).max(by: { abs(m[$0][column]) < abs(m[$1][column]) }), abs(m[pivot][column]) > 1e-9
            else {
                continue
            }
            m.swapAt(rank, pivot)
            for r in 0..<m.count where r != rank {
                let factor = m[r][column] / m[rank][column]
                if factor != 0 { for c in 0..<width { m[r][c] -= factor * m[rank][c] } }
            }
            rank += 1
        }
        return rank
    }
}
