import CGLPK

// MARK: - Integer program

/// A mixed-integer linear program: variables with bounds (integer or continuous) and linear rows with bounds,
/// solved with GLPK's branch-and-bound (`glp_simplex`, then `glp_intopt`).
///
/// Build a program once with ``addVariable(lower:upper:integer:name:)`` and
/// ``addConstraint(_:lower:upper:)``, then solve it as often as needed with ``minimize(_:fixing:where:)``,
/// ``maximize(_:fixing:where:)`` and ``feasibleSolution(fixing:where:)``. Each solve may tighten the bounds of
/// some variables (`fixing:`) and add linear constraints (`where:`) for that solve only; they are removed
/// afterwards, whatever the outcome. GLPK keeps the last simplex basis between solves, so re-solving after
/// such small changes starts warm.
///
/// ```swift
/// let program = IntegerProgram()
/// let a = try program.addVariable(lower: 0, upper: nil)
/// let b = try program.addVariable(lower: 0, upper: nil)
/// try program.addConstraint([(a, 1), (b, 1)], lower: 10, upper: 10)
/// let largest = try program.maximize([(a, 1)])                     // .optimal(value: 10, …)
/// let split = try program.feasibleSolution(where: [(a, 1)], equals: 4)  // [4, 6]
/// ```
///
/// The program is not `Sendable`: keep it within one task. Several programs may be used from different
/// tasks at once; their calls into GLPK are serialised on one process-wide thread (see `GLPKThread`), so
/// a solve waits while another program's solve runs.
public final class IntegerProgram {
    /// A linear form Σ `coefficient` · x[`variable`]. A variable may appear more than once; its
    /// coefficients are added.
    public typealias LinearForm = [(variable: Int, coefficient: Double)]

    /// The time limit new programs get: ten seconds per solve.
    public static let defaultTimeLimitMilliseconds = 10_000

    /// The most wall-clock time one solve may take, in milliseconds; it must be positive.
    ///
    /// A solve that runs over throws ``GLPKError/timeLimit(milliseconds:)``, even when GLPK has found an
    /// integer solution by then: the answer would not be known to be optimal.
    public var timeLimitMilliseconds: Int

    /// The number of variables added so far.
    public var variableCount: Int { variables.count }

    /// The number of (permanent) constraints added so far.
    public private(set) var constraintCount = 0

    // MARK: State kept in Swift

    /// Every variable, in index order, with its bounds as given to GLPK (integer variables' bounds rounded
    /// inwards to integers).
    var variables: [Variable] = []
    /// Constraints added since the last solve, not yet passed to GLPK.
    var pendingRows: [Row] = []

    // MARK: State mirrored in GLPK (touched on the GLPK thread only)

    /// The GLPK problem object, created at the first solve; deleted on the GLPK thread in `deinit`.
    var problem: OpaquePointer?
    /// How many of ``variables`` the problem object holds.
    var synchronizedVariables = 0
    /// The columns (1-based) with a nonzero objective coefficient in the problem object.
    var objectiveColumns: [Int32] = []
    /// Whether a simplex basis from an earlier solve is there to start from.
    var hasWarmBasis = false

    /// Creates an empty program.
    ///
    /// - Parameter timeLimitMilliseconds: The most time one solve may take; see ``timeLimitMilliseconds``.
    public init(timeLimitMilliseconds: Int = IntegerProgram.defaultTimeLimitMilliseconds) {
        self.timeLimitMilliseconds = timeLimitMilliseconds
    }

    deinit {
        guard let problem else { return }
        let handle = ProblemHandle(pointer: problem)
        GLPKThread.shared.async { glp_delete_prob(handle.pointer) }
    }

    // MARK: - Building

    /// Adds a variable and returns its index (0-based, in the order added).
    ///
    /// - Parameters:
    ///   - lower: The lower bound; nil (or -∞) for none.
    ///   - upper: The upper bound; nil (or +∞) for none. Equal bounds fix the variable.
    ///   - integer: Whether the variable must take an integer value. Its bounds are then rounded inwards
    ///     to integers (values within 1e-9 of an integer count as that integer).
    ///   - name: A name for GLPK's own listings, at most 255 bytes of UTF-8.
    /// - Throws: ``GLPKError/invalidModel(_:)`` for a NaN bound, a lower bound of +∞ or an upper bound of -∞,
    ///   a lower bound above the upper bound, integer bounds with no integer between them, or a bad name.
    @discardableResult
    public func addVariable(
        lower: Double?, upper: Double?, integer: Bool = true, name: String? = nil
    ) throws(GLPKError) -> Int {
        let index = variables.count
        let context = "variable \(index)\(name.map { " (\($0))" } ?? "")"
        guard index < Self.maximumCount else {
            throw .invalidModel("more than \(Self.maximumCount) variables")
        }
        var bounds = try Bounds(lower: lower, upper: upper, context: context)
        if integer {
            guard let integral = bounds.integral() else {
                throw .invalidModel("\(context): no integer lies between \(bounds)")
            }
            bounds = integral
        }
        if let name {
            guard name.utf8.count <= 255, !name.utf8.contains(0) else {
                throw .invalidModel("\(context): a name must have at most 255 bytes and no NUL")
            }
        }
        variables.append(Variable(bounds: bounds, integer: integer, name: name))
        return index
    }

    /// Adds the constraint `lower` ≤ Σ coefficient · x ≤ `upper`.
    ///
    /// - Parameters:
    ///   - terms: The linear form; each variable must exist, each coefficient must be finite.
    ///   - lower: The lower bound; nil (or -∞) for none.
    ///   - upper: The upper bound; nil (or +∞) for none. Equal bounds make an equality.
    /// - Throws: ``GLPKError/invalidModel(_:)`` for an unknown variable, a non-finite coefficient or bad bounds.
    public func addConstraint(_ terms: LinearForm, lower: Double?, upper: Double?) throws(GLPKError) {
        let context = "constraint \(constraintCount)"
        guard constraintCount < Self.maximumCount else {
            throw .invalidModel("more than \(Self.maximumCount) constraints")
        }
        let row = try Row(terms, lower: lower, upper: upper, variableCount: variables.count, context: context)
        pendingRows.append(row)
        constraintCount += 1
    }

    // MARK: - Solving

    /// Minimises a linear form over the program's integer solutions.
    ///
    /// - Parameters:
    ///   - objective: The linear form to minimise (empty for 0).
    ///   - fixing: Extra bounds on some variables for this solve only, intersected with their own bounds.
    ///     Bounds that leave a variable no (integer) value make the outcome ``Outcome/infeasible``.
    ///   - constraints: Extra constraints for this solve only.
    /// - Returns: The optimum and a solution attaining it, or that there is no solution, or that the
    ///   objective is unbounded below on the integer solutions.
    /// - Throws: ``GLPKError/invalidModel(_:)`` for a bad argument, ``GLPKError/timeLimit(milliseconds:)``,
    ///   or ``GLPKError/solverFailed(code:during:)``.
    public func minimize(
        _ objective: LinearForm, fixing: [Int: ClosedRange<Double>] = [:], where constraints: [LinearConstraint] = []
    ) throws(GLPKError) -> Outcome {
        try optimize(objective, direction: GLP_MIN, fixing: fixing, where: constraints)
    }

    /// Maximises a linear form over the program's integer solutions; the counterpart of
    /// ``minimize(_:fixing:where:)``, with ``Outcome/unbounded`` meaning unbounded above.
    public func maximize(
        _ objective: LinearForm, fixing: [Int: ClosedRange<Double>] = [:], where constraints: [LinearConstraint] = []
    ) throws(GLPKError) -> Outcome {
        try optimize(objective, direction: GLP_MAX, fixing: fixing, where: constraints)
    }

    /// Finds an integer solution that also satisfies some temporary bounds and constraints, if there is one.
    ///
    /// - Parameters:
    ///   - fixing: Extra bounds on some variables for this solve only, intersected with their own bounds.
    ///   - constraints: Extra constraints for this solve only.
    /// - Returns: Some solution (one value per variable; integer variables hold whole numbers), or nil when
    ///   there is none.
    public func feasibleSolution(
        fixing: [Int: ClosedRange<Double>] = [:], where constraints: [LinearConstraint] = []
    ) throws(GLPKError) -> [Double]? {
        try optimize([], direction: nil, fixing: fixing, where: constraints).solution
    }

    /// Finds an integer solution in which a linear form takes the given value, if there is one: "is there
    /// a solution where x3 + x7 + x9 = 2?". The equality is a temporary row, deleted afterwards.
    public func feasibleSolution(
        where terms: LinearForm, equals value: Double, fixing: [Int: ClosedRange<Double>] = [:]
    ) throws(GLPKError) -> [Double]? {
        try feasibleSolution(fixing: fixing, where: [.equal(terms, to: value)])
    }

    /// Checks every argument of a solve in Swift, then runs it on the GLPK thread.
    private func optimize(
        _ objective: LinearForm, direction: Int32?, fixing: [Int: ClosedRange<Double>], where constraints: [LinearConstraint]
    ) throws(GLPKError) -> Outcome {
        guard timeLimitMilliseconds > 0 else {
            throw .invalidModel("the time limit must be positive, not \(timeLimitMilliseconds) ms")
        }
        let form = try SparseForm(objective, variableCount: variables.count, context: "the objective")
        var columnBounds: [(column: Int32, bounds: Bounds)] = []
        for (index, range) in fixing.sorted(by: { $0.key < $1.key }) {
            let context = "temporary bounds on variable \(index)"
            guard variables.indices.contains(index) else {
                throw .invalidModel("\(context): there are \(variables.count) variables")
            }
            let extra = try Bounds(range, context: context)
            // Bounds that leave no value answer the question without GLPK (which would reject them).
            guard let bounds = variables[index].bounds.intersection(extra, integer: variables[index].integer) else {
                return .infeasible
            }
            columnBounds.append((Int32(index + 1), bounds))
        }
        var rows: [Row] = []
        for (number, constraint) in constraints.enumerated() {
            rows.append(
                try Row(
                    constraint.terms, lower: constraint.lower, upper: constraint.upper, variableCount: variables.count,
                    context: "temporary constraint \(number)"))
        }
        let request = SolveRequest(
            direction: direction, objective: form, columnBounds: columnBounds, rows: rows,
            timeLimitMilliseconds: min(timeLimitMilliseconds, Int(Int32.max)))
        return try GLPKThread.shared.perform { self.solve(request) }.get()
    }

    /// GLPK's limit on rows and columns.
    static let maximumCount = 100_000_000
}

@available(*, unavailable, message: "IntegerProgram is not thread-safe; keep it within one task")
extension IntegerProgram: Sendable {}

// MARK: - Outcome and temporary constraints

extension IntegerProgram {
    /// The result of minimising or maximising over a program.
    public enum Outcome: Sendable, Equatable {
        /// The optimum `value` of the objective, attained at `solution` (one value per variable; integer
        /// variables hold whole numbers). `value` is the objective evaluated at `solution`; rounding it when
        /// the objective has integer coefficients is the caller's job.
        case optimal(value: Double, solution: [Double])
        /// The program (with the solve's temporary bounds and constraints) has no integer solution.
        case infeasible
        /// The program has integer solutions, and the objective gets arbitrarily good over them.
        case unbounded

        /// The optimum, when there is one.
        public var value: Double? {
            if case .optimal(let value, _) = self { value } else { nil }
        }

        /// The optimal solution, when there is one.
        public var solution: [Double]? {
            if case .optimal(_, let solution) = self { solution } else { nil }
        }
    }

    /// A constraint `lower` ≤ Σ coefficient · x ≤ `upper` that holds for one solve only.
    public struct LinearConstraint: Sendable {
        /// The linear form.
        public var terms: LinearForm
        /// The lower bound; nil (or -∞) for none.
        public var lower: Double?
        /// The upper bound; nil (or +∞) for none.
        public var upper: Double?

        /// Creates the constraint `lower` ≤ `terms` ≤ `upper`.
        public init(_ terms: LinearForm, lower: Double?, upper: Double?) {
            self.terms = terms
            self.lower = lower
            self.upper = upper
        }

        /// The constraint `terms` = `value`.
        public static func equal(_ terms: LinearForm, to value: Double) -> LinearConstraint {
            LinearConstraint(terms, lower: value, upper: value)
        }
    }
}

// MARK: - Checked model pieces

/// Bounds checked in Swift: no NaN, infinities stored as nil, lower ≤ upper.
struct Bounds: Equatable, CustomStringConvertible {
    var lower: Double?
    var upper: Double?

    init(uncheckedLower lower: Double?, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }

    /// Checks bounds given by a caller.
    init(lower: Double?, upper: Double?, context: String) throws(GLPKError) {
        if let lower, lower.isNaN || lower == .infinity {
            throw .invalidModel("\(context): the lower bound must be a number below +∞, not \(lower)")
        }
        if let upper, upper.isNaN || upper == -.infinity {
            throw .invalidModel("\(context): the upper bound must be a number above -∞, not \(upper)")
        }
        self.lower = lower.flatMap { $0 == -.infinity ? nil : $0 }
        self.upper = upper.flatMap { $0 == .infinity ? nil : $0 }
        if let low = self.lower, let high = self.upper, low > high {
            throw .invalidModel("\(context): the lower bound \(low) is above the upper bound \(high)")
        }
    }

    /// Checks a temporary range (infinite ends mean no bound on that side).
    init(_ range: ClosedRange<Double>, context: String) throws(GLPKError) {
        try self.init(lower: range.lowerBound, upper: range.upperBound, context: context)
    }

    /// The bounds rounded inwards to integers, or nil when no integer lies between them.
    func integral() -> Bounds? {
        let low = lower.map { Self.integer(near: $0, otherwise: .up) }
        let high = upper.map { Self.integer(near: $0, otherwise: .down) }
        if let low, let high, low > high { return nil }
        return Bounds(uncheckedLower: low, upper: high)
    }

    /// Both sets of bounds at once, rounded inwards for an integer variable; nil when nothing is left.
    func intersection(_ other: Bounds, integer: Bool) -> Bounds? {
        let low = [lower, other.lower].compactMap { $0 }.max()
        let high = [upper, other.upper].compactMap { $0 }.min()
        if let low, let high, low > high { return nil }
        let both = Bounds(uncheckedLower: low, upper: high)
        return integer ? both.integral() : both
    }

    /// `value` itself when it is within 1e-9 (relative) of an integer, else `value` rounded by `rule`.
    private static func integer(near value: Double, otherwise rule: FloatingPointRoundingRule) -> Double {
        let nearest = value.rounded()
        let tolerance = 1e-9 * max(1, abs(value))
        return (abs(value - nearest) <= tolerance ? nearest : value.rounded(rule)) + 0  // + 0 turns -0 into 0
    }

    var description: String {
        "[\(lower.map { "\($0)" } ?? "-∞"), \(upper.map { "\($0)" } ?? "+∞")]"
    }
}

/// A variable as GLPK will hold it.
struct Variable {
    var bounds: Bounds
    var integer: Bool
    var name: String?
}

/// A linear form checked against the variables, with repeated variables added up and zero coefficients
/// dropped, indexed for GLPK: `columns[k]` is 1-based and `columns[0]`, `coefficients[0]` are unused
/// placeholders, because GLPK's array arguments start at 1.
struct SparseForm {
    var columns: [Int32] = [0]
    var coefficients: [Double] = [0]

    /// The number of terms.
    var count: Int { columns.count - 1 }

    /// The form with no terms.
    init() {}

    init(_ terms: IntegerProgram.LinearForm, variableCount: Int, context: String) throws(GLPKError) {
        var sums: [Int: Double] = [:]
        for (variable, coefficient) in terms {
            guard variable >= 0, variable < variableCount else {
                throw .invalidModel("\(context): no variable \(variable) (there are \(variableCount))")
            }
            guard coefficient.isFinite else {
                throw .invalidModel("\(context): the coefficient of variable \(variable) is \(coefficient)")
            }
            sums[variable, default: 0] += coefficient
        }
        for (variable, coefficient) in sums.sorted(by: { $0.key < $1.key }) where coefficient != 0 {
            guard coefficient.isFinite else {
                throw .invalidModel("\(context): the coefficients of variable \(variable) add up to \(coefficient)")
            }
            columns.append(Int32(variable + 1))
            coefficients.append(coefficient)
        }
    }

    /// Σ coefficient · x at a solution.
    func value(at solution: [Double]) -> Double {
        var total = 0.0
        for k in 1..<columns.count {
            total += coefficients[k] * solution[Int(columns[k]) - 1]
        }
        return total + 0
    }
}

/// A constraint as GLPK will hold it.
struct Row {
    var form: SparseForm
    var bounds: Bounds

    init(
        _ terms: IntegerProgram.LinearForm, lower: Double?, upper: Double?, variableCount: Int, context: String
    ) throws(GLPKError) {
        form = try SparseForm(terms, variableCount: variableCount, context: context)
        bounds = try Bounds(lower: lower, upper: upper, context: context)
    }
}

/// Everything one solve needs, checked.
struct SolveRequest {
    /// `GLP_MIN` or `GLP_MAX`; nil for a feasibility question (objective 0).
    var direction: Int32?
    var objective: SparseForm
    /// Temporary bounds, already intersected with the variables' own; columns are 1-based.
    var columnBounds: [(column: Int32, bounds: Bounds)]
    /// Temporary rows.
    var rows: [Row]
    var timeLimitMilliseconds: Int
}

/// A GLPK problem pointer handed to the GLPK thread for deletion.
///
/// `@unchecked Sendable`: after `deinit` nothing else holds the pointer, and only the GLPK thread uses it.
struct ProblemHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
