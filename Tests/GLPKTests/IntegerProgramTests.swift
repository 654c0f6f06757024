import Foundation
import GLPK
import Testing

// MARK: - Programs used by several tests

/// max 8a + 11b + 6c + 4d subject to 5a + 7b + 4c + 3d ≤ 14, all in [0, 1]. The LP optimum is 22
/// (a = b = 1, c = 0.5); the integer optimum is 21 (b = c = d = 1), so skipping branch and bound shows.
private func knapsack(integer: Bool = true) throws -> (IntegerProgram, objective: IntegerProgram.LinearForm) {
    let program = IntegerProgram()
    let weights = [5.0, 7, 4, 3]
    let values = [8.0, 11, 6, 4]
    let items = try weights.indices.map { try program.addVariable(lower: 0, upper: 1, integer: integer, name: "item\($0)") }
    try program.addConstraint(items.map { ($0, weights[$0]) }, lower: nil, upper: 14)
    return (program, items.map { ($0, values[$0]) })
}

/// A 2 × 2 table of non-negative integer cells a b / c d with fixed row and column totals.
private func table(rows: (Double, Double), columns: (Double, Double)) throws -> IntegerProgram {
    let program = IntegerProgram()
    for _ in 0..<4 { try program.addVariable(lower: 0, upper: nil) }
    try program.addConstraint([(0, 1), (1, 1)], lower: rows.0, upper: rows.0)
    try program.addConstraint([(2, 1), (3, 1)], lower: rows.1, upper: rows.1)
    try program.addConstraint([(0, 1), (2, 1)], lower: columns.0, upper: columns.0)
    try program.addConstraint([(1, 1), (3, 1)], lower: columns.1, upper: columns.1)
    return program
}

/// Jeroslow's program: 2 x₁ + … + 2 xₙ = n with n odd and binary x. The LP relaxation is feasible, the
/// integer program is not, and branch and bound without cuts needs about 2^(n/2) nodes to find that out.
private func jeroslow(_ n: Int, timeLimitMilliseconds: Int) throws -> (IntegerProgram, IntegerProgram.LinearConstraint) {
    let program = IntegerProgram(timeLimitMilliseconds: timeLimitMilliseconds)
    for _ in 0..<n { try program.addVariable(lower: 0, upper: 1) }
    return (program, .equal((0..<n).map { ($0, 2) }, to: Double(n)))
}

// MARK: - Optimising

@Suite("Integer programs")
struct IntegerProgramTests {
    @Test("Branch and bound finds the integer optimum, not the LP one", arguments: [true, false])
    func knapsackOptimum(integer: Bool) throws {
        let (program, objective) = try knapsack(integer: integer)
        let outcome = try program.maximize(objective)
        if integer {
            #expect(outcome == .optimal(value: 21, solution: [0, 1, 1, 1]))
        } else {
            #expect(outcome == .optimal(value: 22, solution: [1, 1, 0.5, 0]))
        }
    }

    @Test("Minimising the negated objective gives the negated optimum")
    func minimizeNegated() throws {
        let (program, objective) = try knapsack()
        let outcome = try program.minimize(objective.map { ($0.variable, -$0.coefficient) })
        #expect(outcome == .optimal(value: -21, solution: [0, 1, 1, 1]))
    }

    @Test(
        "Equality and range constraints: x + y = 11, 2 ≤ x − y ≤ 4 leaves x = 7 only",
        arguments: [false, true])
    func equalityAndRange(maximizing: Bool) throws {
        let program = IntegerProgram()
        let x = try program.addVariable(lower: 0, upper: nil)
        let y = try program.addVariable(lower: 0, upper: nil)
        try program.addConstraint([(x, 1), (y, 1)], lower: 11, upper: 11)
        try program.addConstraint([(x, 1), (y, -1)], lower: 2, upper: 4)
        // Over the reals x ranges over [6.5, 7.5].
        let outcome = maximizing ? try program.maximize([(x, 1)]) : try program.minimize([(x, 1)])
        #expect(outcome == .optimal(value: 7, solution: [7, 4]))
    }

    @Test("Continuous variables keep fractional values; integer ones are whole numbers")
    func mixed() throws {
        let program = IntegerProgram()
        let half = try program.addVariable(lower: nil, upper: nil, integer: false)
        let whole = try program.addVariable(lower: nil, upper: nil)
        try program.addConstraint([(half, 2)], lower: 1, upper: 1)
        try program.addConstraint([(whole, 3), (half, -1)], lower: nil, upper: 10)
        let outcome = try program.maximize([(whole, 1)])
        #expect(outcome == .optimal(value: 3, solution: [0.5, 3]))
    }

    @Test("Repeated terms add up; zero coefficients are dropped")
    func repeatedTerms() throws {
        let program = IntegerProgram()
        let x = try program.addVariable(lower: 0, upper: 5)
        let y = try program.addVariable(lower: 0, upper: 5)
        try program.addConstraint([(x, 1), (x, 1), (y, 0)], lower: nil, upper: 7)  // 2x ≤ 7
        #expect(try program.maximize([(x, 1), (x, 2), (y, 0)]) == .optimal(value: 9, solution: [3, 0]))
    }

    @Test("An empty program has the optimum 0")
    func empty() throws {
        let program = IntegerProgram()
        #expect(try program.minimize([]) == .optimal(value: 0, solution: []))
        #expect(try program.feasibleSolution() == [])
    }

    // MARK: - Infeasible and unbounded

    @Test(
        "Infeasible programs",
        arguments: [
            // Infeasible over the reals: x + y ≥ 3 with x, y ≤ 1.
            ([(0, 1.0), (1, 1.0)], 3.0, Double?.none),
            // Feasible over the reals (x = 0.5), not over the integers: 2x = 1.
            ([(0, 2.0)], 1.0, 1.0),
        ])
    func infeasible(terms: [(Int, Double)], lower: Double, upper: Double?) throws {
        let program = IntegerProgram()
        try program.addVariable(lower: 0, upper: 1)
        try program.addVariable(lower: 0, upper: 1)
        try program.addConstraint(terms.map { ($0.0, $0.1) }, lower: lower, upper: upper)
        #expect(try program.minimize([(0, 1)]) == .infeasible)
        #expect(try program.maximize([(0, 1)]) == .infeasible)
        #expect(try program.feasibleSolution() == nil)
    }

    @Test("Unbounded programs, in either direction")
    func unbounded() throws {
        let program = IntegerProgram()
        let x = try program.addVariable(lower: 0, upper: nil)
        let y = try program.addVariable(lower: nil, upper: 4)
        try program.addConstraint([(x, 1), (y, -1)], lower: 1, upper: nil)
        #expect(try program.maximize([(x, 1)]) == .unbounded)
        #expect(try program.minimize([(y, 1)]) == .unbounded)
        #expect(try program.minimize([(x, 1)]) == .optimal(value: 0, solution: [0, -1]))
        #expect(try program.maximize([(x, 1)], fixing: [x: 0...10]) == .optimal(value: 10, solution: [10, 4]))
        #expect(try program.maximize([(x, 1)]) == .unbounded)
    }

    @Test("Unbounded over the reals but without integer solutions is infeasible")
    func unboundedRelaxationWithoutIntegerSolutions() throws {
        let program = IntegerProgram()
        let x = try program.addVariable(lower: nil, upper: nil)
        let y = try program.addVariable(lower: 0, upper: nil)
        try program.addConstraint([(x, 2)], lower: 1, upper: 1)
        #expect(try program.maximize([(y, 1)]) == .infeasible)
    }

    // MARK: - Tables

    /// Row totals, column totals, and the range of the top-left cell: the Fréchet bounds
    /// max(0, r₁ + c₁ − n) … min(r₁, c₁).
    static let margins: [((Double, Double), (Double, Double), ClosedRange<Double>)] = [
        ((3, 7), (4, 6), 0...3),
        ((8, 2), (9, 1), 7...8),
        ((5, 5), (5, 5), 0...5),
        ((3, 7), (10, 0), 3...3),  // a zero column total pins every cell
        ((6, 4), (6, 4), 2...6),
        ((0, 9), (4, 5), 0...0),
    ]

    @Test("2 × 2 tables: the top-left cell's range is the Fréchet bounds", arguments: margins)
    func tableRange(rows: (Double, Double), columns: (Double, Double), expected: ClosedRange<Double>) throws {
        let program = try table(rows: rows, columns: columns)
        let low = try #require(try program.minimize([(0, 1)]).value)
        let high = try #require(try program.maximize([(0, 1)]).value)
        #expect(low...high == expected)
        if expected.lowerBound == expected.upperBound {
            // Pinned: the solution is the same both ways.
            #expect(try program.minimize([(0, 1)]).solution == program.maximize([(0, 1)]).solution)
        }
    }

    // MARK: - Temporary bounds and rows

    @Test("Temporary bounds on a variable hold for one solve only")
    func temporaryBounds() throws {
        let program = try table(rows: (3, 7), columns: (4, 6))
        let solution = try #require(try program.feasibleSolution(fixing: [0: 2...2]))
        #expect(solution == [2, 1, 2, 5])
        #expect(try program.feasibleSolution(fixing: [0: 4...9]) == nil)
        // A range without an integer in it: no solution, and no error from GLPK.
        #expect(try program.feasibleSolution(fixing: [0: 1.2...1.8]) == nil)
        #expect(try program.maximize([(3, 1)], fixing: [0: 1...2]) == .optimal(value: 5, solution: [2, 1, 2, 5]))
        #expect(try program.maximize([(0, 1)]).value == 3)
        #expect(try program.minimize([(0, 1)], fixing: [0: 1...(.infinity)]).value == 1)
        #expect(try program.minimize([(0, 1)]).value == 0)
    }

    @Test("Is there a solution where a sum takes a value? The temporary row is deleted afterwards", arguments: 0...5)
    func sumEquals(total: Int) throws {
        let program = IntegerProgram()
        for _ in 0..<4 { try program.addVariable(lower: 0, upper: 1) }
        try program.addConstraint([(0, 1), (1, 1)], lower: nil, upper: 1)
        // x0 + x1 ≤ 1, so x0 + x1 + x2 + x3 ranges over 0 … 3.
        let before = try program.maximize([(0, 1), (2, 1)])
        let solution = try program.feasibleSolution(where: [(0, 1), (1, 1), (2, 1), (3, 1)], equals: Double(total))
        if total <= 3 {
            let found = try #require(solution)
            #expect(found.reduce(0, +) == Double(total))
            #expect(found[0] + found[1] <= 1)
        } else {
            #expect(solution == nil)
        }
        #expect(program.variableCount == 4)
        #expect(program.constraintCount == 1)
        #expect(try program.maximize([(0, 1), (2, 1)]) == before)
        #expect(try program.maximize([(0, 1), (1, 1), (2, 1), (3, 1)]).value == 3)
        #expect(try program.minimize([(0, 1), (1, 1), (2, 1), (3, 1)]).value == 0)
    }

    @Test("Optimising under temporary constraints")
    func optimizeWhere() throws {
        let program = try table(rows: (3, 7), columns: (4, 6))
        // d = 3 + a, so d ≤ 5 means a ≤ 2.
        let lowerRight = IntegerProgram.LinearConstraint([(3, 1)], lower: nil, upper: 5)
        #expect(try program.maximize([(0, 1)], where: [lowerRight]).value == 2)
        #expect(try program.minimize([(0, 1)], where: [lowerRight, .equal([(1, 1)], to: 2)]).value == 1)
        #expect(try program.maximize([(0, 1)], where: [.equal([(1, 1), (2, 1)], to: 100)]) == .infeasible)
        #expect(try program.maximize([(0, 1)]).value == 3)
        #expect(program.constraintCount == 4)
    }

    @Test("Constraints added after a solve take part in the next one")
    func growAfterSolving() throws {
        let (program, objective) = try knapsack()
        #expect(try program.maximize(objective).value == 21)
        try program.addConstraint([(3, 1)], lower: 0, upper: 0)
        #expect(try program.maximize(objective) == .optimal(value: 19, solution: [1, 1, 0, 0]))
        let extra = try program.addVariable(lower: 0, upper: 2, integer: false)
        try program.addConstraint([(extra, 1), (0, 1)], lower: nil, upper: 1.5)
        #expect(try program.maximize(objective + [(extra, 1)]) == .optimal(value: 19.5, solution: [1, 1, 0, 0, 0.5]))
    }

    @Test("Repeated solves with changing objectives and bounds give the same answers")
    func repeatedSolves() throws {
        let program = try table(rows: (30, 70), columns: (45, 55))
        let questions: [(IntegerProgram) throws -> Double?] = [
            { try $0.minimize([(0, 1)]).value },
            { try $0.maximize([(0, 1)]).value },
            { try $0.maximize([(3, 1)], fixing: [0: 10...12]).value },
            { try $0.minimize([(1, 1), (2, 1)]).value },
            { try $0.feasibleSolution(where: [(0, 1), (3, 1)], equals: 40)?[0] },
            { try $0.maximize([(2, 1)], fixing: [1: 0...0]).value },
            { try $0.feasibleSolution(fixing: [3: 56...100])?[0] },
        ]
        let first = try questions.map { try $0(program) }
        #expect(first == [0, 30, 37, 15, nil, 15, nil])
        for round in 0..<30 {
            for (number, question) in questions.enumerated() {
                #expect(try question(program) == first[number], "round \(round), question \(number)")
            }
        }
        // A fresh program agrees with the warm-started one.
        let fresh = try table(rows: (30, 70), columns: (45, 55))
        #expect(try questions.map { try $0(fresh) } == first)
    }

    // MARK: - Invalid arguments

    @Test(
        "Invalid variables throw instead of crashing",
        arguments: [
            (1.0, 0.0, true, nil), (.nan, 1.0, true, nil), (0.0, .nan, false, nil), (.infinity, nil, false, nil),
            (nil, -.infinity, false, nil), (0.2, 0.8, true, nil), (0.0, 1.0, true, String(repeating: "x", count: 256)),
            (0.0, 1.0, true, "a\u{0}b"),
        ] as [(Double?, Double?, Bool, String?)])
    func invalidVariable(lower: Double?, upper: Double?, integer: Bool, name: String?) {
        let program = IntegerProgram()
        #expect(throws: GLPKError.self) {
            try program.addVariable(lower: lower, upper: upper, integer: integer, name: name)
        }
        #expect(program.variableCount == 0)
    }

    @Test(
        "Invalid constraints throw instead of crashing",
        arguments: [
            ([(2, 1.0)], 0.0, 1.0), ([(-1, 1.0)], 0.0, 1.0), ([(0, .nan)], 0.0, 1.0), ([(0, .infinity)], 0.0, 1.0),
            ([(0, 1.0)], 2.0, 1.0), ([(0, 1.0)], .nan, nil), ([(0, 1.0)], nil, -.infinity),
            ([(0, .greatestFiniteMagnitude), (0, .greatestFiniteMagnitude)], nil, 1.0),
        ] as [([(Int, Double)], Double?, Double?)])
    func invalidConstraint(terms: [(Int, Double)], lower: Double?, upper: Double?) throws {
        let program = IntegerProgram()
        try program.addVariable(lower: 0, upper: 10)
        try program.addVariable(lower: 0, upper: 10)
        let form = terms.map { (variable: $0.0, coefficient: $0.1) }
        #expect(throws: GLPKError.self) { try program.addConstraint(form, lower: lower, upper: upper) }
        #expect(throws: GLPKError.self) {
            try program.feasibleSolution(where: [.init(form, lower: lower, upper: upper)])
        }
        #expect(program.constraintCount == 0)
        #expect(try program.maximize([(0, 1), (1, 1)]).value == 20)
    }

    @Test("Invalid solve arguments throw instead of crashing")
    func invalidSolve() throws {
        let program = try table(rows: (3, 7), columns: (4, 6))
        #expect(throws: GLPKError.invalidModel("temporary bounds on variable 4: there are 4 variables")) {
            try program.feasibleSolution(fixing: [4: 0...1])
        }
        #expect(throws: GLPKError.self) { try program.feasibleSolution(fixing: [-1: 0...1]) }
        #expect(throws: GLPKError.self) { try program.feasibleSolution(fixing: [0: .infinity...(.infinity)]) }
        #expect(throws: GLPKError.self) { try program.feasibleSolution(where: [(0, 1)], equals: .nan) }
        #expect(throws: GLPKError.self) { try program.minimize([(4, 1)]) }
        #expect(throws: GLPKError.self) { try program.maximize([(0, .infinity)]) }
        program.timeLimitMilliseconds = 0
        #expect(throws: GLPKError.self) { try program.minimize([(0, 1)]) }
        program.timeLimitMilliseconds = 1_000
        #expect(try program.maximize([(0, 1)]).value == 3)
    }

    @Test("Integer bounds are rounded inwards, with a tolerance for values that are integers already")
    func integerBounds() throws {
        let program = IntegerProgram()
        let x = try program.addVariable(lower: 0.5, upper: 3.9999999999999)
        let y = try program.addVariable(lower: -2.7, upper: -0.2)
        #expect(try program.minimize([(x, 1), (y, 1)]) == .optimal(value: -1, solution: [1, -2]))
        #expect(try program.maximize([(x, 1), (y, 1)]) == .optimal(value: 3, solution: [4, -1]))
    }

    // MARK: - Time limit

    @Test("Running out of time is an error, and the program stays usable")
    func timeLimit() throws {
        let (program, parity) = try jeroslow(41, timeLimitMilliseconds: 100)
        let start = ContinuousClock.now
        #expect(throws: GLPKError.timeLimit(milliseconds: 100)) { try program.feasibleSolution(where: [parity]) }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(program.constraintCount == 0)
        #expect(try program.maximize((0..<41).map { ($0, 1) }).value == 41)
        #expect(try program.feasibleSolution(where: (0..<41).map { ($0, 2) }, equals: 40)?.reduce(0, +) == 20)
    }

    // MARK: - Threads

    @Test("Programs solved concurrently from several tasks give the right answers")
    func concurrentTasks() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let (program, objective) = try knapsack()
                    let extra = Double(task % 4)
                    let cells = try table(rows: (3 + extra, 7), columns: (4, 6 + extra))
                    for _ in 0..<25 {
                        #expect(try program.maximize(objective).value == 21)
                        await Task.yield()  // may resume on another thread
                        #expect(try cells.maximize([(0, 1)]).value == min(3 + extra, 4))
                        #expect(try program.feasibleSolution(where: [(0, 1), (1, 1), (2, 1)], equals: 3) == nil)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("A program built on one thread, solved on another and released on a third")
    func crossThreadLifecycle() throws {
        // GLPK keeps its memory accounting per thread; deleting a problem from a thread other than the one
        // that created it would end the process ("glp_free: memory allocation error").
        final class Box: @unchecked Sendable {
            var program: IntegerProgram?
            var outcome: IntegerProgram.Outcome?
        }
        let box = Box()
        func onNewThread(_ body: @escaping @Sendable () -> Void) {
            let done = DispatchSemaphore(value: 0)
            Thread {
                body()
                done.signal()
            }.start()
            done.wait()
        }
        onNewThread {
            box.program = try? knapsack().0
            _ = try? box.program?.minimize([(0, 1)])
        }
        onNewThread {
            box.outcome = try? box.program?.maximize([(1, 1), (2, 1), (3, 1)])
            try? box.program?.addConstraint([(2, 1)], lower: 0, upper: 0)
        }
        onNewThread { box.program = nil }
        #expect(box.outcome?.value == 3)
        // The deletion is queued on the GLPK thread; a later solve runs after it.
        #expect(try knapsack().0.maximize([(0, 1)]).value == 1)
    }
}
