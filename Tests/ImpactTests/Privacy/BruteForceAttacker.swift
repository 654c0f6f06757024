import TableSchema

@testable import Impact

/// An independent attacker for small linked tables: no GLPK and none of the audit's reasoning. It reads
/// published claims in its own way and enumerates, by depth-first search, whole-number tables of every
/// partner's true counts (people supported, and people working towards and improved on each goal) that
/// agree with everything published, to find which values each hidden count can take.
///
/// It knows: every shown count is the sum of its partners' counts; counts are whole numbers of at least 0;
/// people working towards a goal and people in a priority group are at most the people supported, and people
/// improved at most those working towards it; where a workbook states a partition (people by type of support),
/// a partner's parts add up to its whole; a declared table's rows and figures are sums of its rows of each kind, as the
/// workbook's kinds of row say (without them, rows relate to nothing else). A hidden count (`[c]`) says
/// nothing else.
struct BruteForceAttacker {
    /// One unknown: a partner's count in a quarter.
    struct Cell: Hashable, Comparable {
        var quarter: Quarter
        var partner: String
        /// "S" (people supported), "G:OG01" (working towards), "I:OG01" (improved), "P:lone_parent" (in a priority
        /// group), "T:Counselling" (of a type of support).
        var measure: String

        static func < (a: Cell, b: Cell) -> Bool { (a.quarter, a.partner, a.measure) < (b.quarter, b.partner, b.measure) }
    }

    /// A published total: the sum of some unknowns equals a number; or, with coefficients (a partition: the
    /// whole less its parts), a weighted sum does.
    struct Sum {
        var cells: [Cell]
        var value: Int
        var coefficients: [Int]? = nil

        func coefficient(_ k: Int) -> Int { coefficients?[k] ?? 1 }
        /// Whether every coefficient is 1: then each unknown is at most the value.
        var isPlain: Bool { coefficients?.allSatisfy { $0 == 1 } ?? true }
    }

    var cells: [Cell] = []
    var sums: [Sum] = []
    /// (smaller, larger): smaller ≤ larger.
    var atMost: [(Cell, Cell)] = []
    /// Hidden counts: the unknowns they add up.
    var hidden: [FigureKey: [Cell]] = [:]
    /// A bound on every unknown large enough for any witness (the largest published number plus N).
    var cap = 0

    /// The kinds of row of declared tables, by quarter and table: the figures, and which of them count each
    /// kind.
    var kinds: [String: (figures: [String], kinds: [[Bool]])] = [:]

    /// The unknowns a partner's count adds up: one, or a declared table's rows of the kinds it counts.
    func cells(_ key: FigureKey, _ partner: String) -> [Cell] {
        func one(_ measure: String) -> [Cell] { [Cell(quarter: key.quarter, partner: partner, measure: measure)] }
        func ofKinds(_ table: String, _ counts: ([Bool]) -> Bool) -> [Cell]? {
            guard let described = kinds["\(key.quarter) \(table)"] else { return nil }
            return described.kinds.indices.filter { counts(described.kinds[$0]) }.map {
                Cell(quarter: key.quarter, partner: partner, measure: "K:\(table):\($0)")
            }
        }
        switch key.measure {
        case .peopleSupported: return one("S")
        case .goalPeople(let g): return one("G:\(g)")
        case .goalImproved(let g): return one("I:\(g)")
        case .priorityGroup(let g): return one("P:\(g)")
        case .supportType(let t): return one("T:\(t)")
        case .awards: return one("W")
        case .awardPurpose(let p): return one("WP:\(p)")
        case .awardRoute(let r): return one("WR:\(r)")
        case .tableRows(let t): return ofKinds(t) { _ in true } ?? one("R:\(t)")
        case .tableFigure(let t, let f):
            let column = kinds["\(key.quarter) \(t)"]?.figures.firstIndex(of: f)
            return column.flatMap { c in ofKinds(t) { $0[c] } } ?? one("F:\(t):\(f)")
        default: return []
        }
    }

    init(claims: [Claim], threshold: Int) {
        var seen: Set<Cell> = []
        func add(_ cell: Cell) {
            guard seen.insert(cell).inserted else { return }
            cells.append(cell)
            if cell.measure.hasPrefix("G:") || cell.measure.hasPrefix("P:") || cell.measure.hasPrefix("T:") {
                let people = Cell(quarter: cell.quarter, partner: cell.partner, measure: "S")
                add(people)
                atMost.append((cell, people))
            } else if cell.measure.hasPrefix("I:") {
                let working = Cell(quarter: cell.quarter, partner: cell.partner, measure: "G:" + cell.measure.dropFirst(2))
                add(working)
                atMost.append((cell, working))
            }
        }
        var largest = 0
        for claim in claims {
            if case .kinds(let quarter, let table, let figures, let described) = claim {
                kinds["\(quarter) \(table)"] = (figures, described)
            }
        }
        for claim in claims {
            // A partition: each partner's whole less its parts is 0.
            guard case .partition(let quarter, let measure, let parts, let partners) = claim else { continue }
            for partner in partners {
                guard let whole = cells(FigureKey(quarter: quarter, measure: measure, partners: [partner]), partner).first else { continue }
                let shares = parts.flatMap { cells(FigureKey(quarter: quarter, measure: $0, partners: [partner]), partner) }
                ([whole] + shares).forEach(add)
                sums.append(Sum(cells: [whole] + shares, value: 0, coefficients: [1] + shares.map { _ in -1 }))
            }
        }
        for claim in claims {
            guard case .count(let key, let shown) = claim else { continue }
            let parts = key.partners.flatMap { cells(key, $0) }
            parts.forEach(add)
            switch shown {
            case .exact(let value):
                sums.append(Sum(cells: parts, value: value))
                largest = max(largest, value)
            case .hidden, .below:
                hidden[key] = parts
            }
        }
        cells.sort()
        cap = largest + threshold
    }

    /// The most tables one question may try before the attacker gives up on it (a random instance can be too
    /// large to enumerate in a test's time; such a question is undecided, never taken as an answer).
    static let budget = 300_000
    /// The most tables all questions together may try: the rest are undecided.
    static let totalBudget = 6_000_000

    /// Tables tried so far, over every question.
    final class Spent: @unchecked Sendable {
        var tables = 0
    }
    let spent = Spent()

    /// Whether some table agrees with everything published and gives `target` the value `value`; nil when
    /// the search ran past ``budget``.
    ///
    /// Only the unknowns tied to the target through published sums and ≤ relations are searched (the
    /// rest is met by the true table). Unknowns in a sum are enumerated, with every sum kept reachable
    /// (what is left of it between 0 and the most its unset unknowns can add); the others, bounded only
    /// by ≤ relations, then get the least value those allow, which is as good as any other.
    func possible(_ target: [Cell], equals value: Int) -> Bool? {
        var all = sums
        all.append(Sum(cells: target, value: value))
        // The target's part of the table: unknowns joined by a sum or a relation.
        var part = Set(target)
        var grew = true
        while grew {
            grew = false
            for sum in all where !part.isDisjoint(with: sum.cells) && !part.isSuperset(of: sum.cells) {
                part.formUnion(sum.cells)
                grew = true
            }
            for (a, b) in atMost where part.contains(a) != part.contains(b) {
                part.formUnion([a, b])
                grew = true
            }
        }
        let local = all.filter { !part.isDisjoint(with: $0.cells) }
        let relations = atMost.filter { part.contains($0.0) }
        let inSums = Set(local.flatMap(\.cells))
        var upperOf: [Cell: Int] = [:]
        for sum in local where sum.isPlain { for cell in sum.cells { upperOf[cell] = min(upperOf[cell] ?? cap, sum.value) } }
        // A smaller unknown is bounded by its larger one (improved by working towards by people supported).
        for _ in 0..<2 {
            for (small, large) in relations { upperOf[small] = min(upperOf[small] ?? cap, upperOf[large] ?? cap) }
        }
        // Enumerate the most constrained first.
        let enumerated = part.filter { inSums.contains($0) }.sorted { (upperOf[$0] ?? cap, $0) < (upperOf[$1] ?? cap, $1) }
        let floating = part.filter { !inSums.contains($0) }.sorted { (rank($0), $0) < (rank($1), $1) }
        var sumsOf: [Cell: [Int]] = [:]
        for (s, sum) in local.enumerated() { for cell in sum.cells { sumsOf[cell, default: []].append(s) } }
        var assignment: [Cell: Int] = [:]
        var tried = 0
        var gaveUp = false

        func reachable(_ s: Int) -> Bool {
            var set = 0
            var low = 0
            var high = 0
            for (k, cell) in local[s].cells.enumerated() {
                let c = local[s].coefficient(k)
                if let v = assignment[cell] {
                    set += c * v
                } else if c > 0 {
                    high += c * (upperOf[cell] ?? cap)
                } else {
                    low += c * (upperOf[cell] ?? cap)
                }
            }
            let left = local[s].value - set
            return left >= low && left <= high
        }
        func relationsHold() -> Bool {
            for (small, large) in relations {
                if let a = assignment[small], let b = assignment[large], a > b { return false }
            }
            return true
        }
        func finish() -> Bool {
            var set: [Cell] = []
            defer { for cell in set { assignment[cell] = nil } }
            for cell in floating {
                var least = 0
                for (small, large) in relations where large == cell { least = max(least, assignment[small] ?? 0) }
                assignment[cell] = least
                set.append(cell)
            }
            return relationsHold()
        }
        func search(_ i: Int) -> Bool {
            if i == enumerated.count { return finish() }
            let cell = enumerated[i]
            for candidate in 0...max(0, upperOf[cell] ?? cap) {
                tried += 1
                spent.tables += 1
                if tried > Self.budget || spent.tables > Self.totalBudget {
                    gaveUp = true
                    return false
                }
                assignment[cell] = candidate
                var fine = true
                for (small, large) in relations where small == cell || large == cell {
                    if let a = assignment[small], let b = assignment[large], a > b { fine = false }
                }
                if fine { fine = (sumsOf[cell] ?? []).allSatisfy(reachable) }
                if fine && search(i + 1) { return true }
            }
            assignment[cell] = nil
            return false
        }
        guard local.indices.allSatisfy(reachable) else { return false }
        let found = search(0)
        return found ? true : (gaveUp ? nil : false)
    }

    /// Improved before working towards before people supported.
    func rank(_ cell: Cell) -> Int { cell.measure.hasPrefix("I:") ? 0 : cell.measure.hasPrefix("G:") ? 1 : 2 }

    /// For every hidden count, the values from 1 to N − 1 some agreeing table gives it; nil for a count
    /// where some value was too costly to decide.
    func smallValuesLeft(threshold: Int) -> [FigureKey: [Int]?] {
        var result: [FigureKey: [Int]?] = [:]
        for (key, parts) in hidden {
            var values: [Int]? = []
            for value in 1..<max(1, threshold) {
                guard let answer = possible(parts, equals: value) else {
                    values = nil
                    break
                }
                if answer { values?.append(value) }
            }
            result[key] = values
        }
        return result
    }

    /// Hidden counts that break the protection rule (some but not all of 1 to N − 1 are possible), and the
    /// hidden counts the attacker could not decide within its budget.
    func exposure(threshold: Int) -> (exposed: [FigureKey: [Int]], undecided: Set<FigureKey>) {
        let left = smallValuesLeft(threshold: threshold)
        let exposed = left.compactMapValues { $0 }.filter { !$0.value.isEmpty && $0.value.count < threshold - 1 }
        return (exposed, Set(left.filter { $0.value == nil }.keys))
    }

    /// Hidden counts that break the protection rule; undecided ones are not listed.
    func exposed(threshold: Int) -> [FigureKey: [Int]] {
        exposure(threshold: threshold).exposed
    }
}
