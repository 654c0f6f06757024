import CGLPK

// MARK: - Solving on the GLPK thread

// Everything in this file calls into GLPK and runs on the GLPK thread only, inside `GLPKThread.perform`.
// Arguments have been checked in Swift before they get here: GLPK ends the process on a bad one.

extension IntegerProgram {
    /// Runs one solve: brings the problem object up to date, applies the temporary changes, solves the LP
    /// relaxation with the simplex method and then the integer program by branch and bound, and takes the
    /// temporary changes back out, whatever happened.
    func solve(_ request: SolveRequest) -> Result<Outcome, GLPKError> {
        let problem = synchronizedProblem()
        let deadline = ContinuousClock.now + .milliseconds(request.timeLimitMilliseconds)

        setObjective(request.objective, direction: request.direction ?? GLP_MIN, in: problem)
        for (column, bounds) in request.columnBounds {
            setBounds(bounds, ofColumn: column, in: problem)
        }
        defer {
            for (column, _) in request.columnBounds {
                setBounds(variables[Int(column) - 1].bounds, ofColumn: column, in: problem)
            }
        }
        let temporaryRows = TemporaryRows(request.rows, in: problem)
        defer { temporaryRows.remove(from: problem) }

        return Result { () throws(GLPKError) -> Outcome in
            switch try solveRelaxation(problem, deadline: deadline, limit: request.timeLimitMilliseconds) {
            case .infeasible:
                // No real solution, so no integer one.
                return .infeasible
            case .unbounded:
                // Unbounded over the reals. With rational data (every Double is rational) the integer points
                // of a polyhedron have the same directions of recession, so the integer program is unbounded
                // too — if it has an integer solution at all. Find out with the objective set to 0.
                setObjective(SparseForm(), direction: GLP_MIN, in: problem)
                guard try solveRelaxation(problem, deadline: deadline, limit: request.timeLimitMilliseconds) == .optimal
                else {
                    throw .solverFailed(code: glp_get_status(problem), during: "glp_simplex with the objective 0")
                }
                let solution = try branchAndBound(problem, deadline: deadline, limit: request.timeLimitMilliseconds)
                return solution == nil ? .infeasible : .unbounded
            case .optimal:
                guard let solution = try branchAndBound(problem, deadline: deadline, limit: request.timeLimitMilliseconds)
                else { return .infeasible }
                return .optimal(value: request.objective.value(at: solution), solution: solution)
            }
        }
    }

    // MARK: - The problem object

    /// The problem object, created if need be, holding every variable and constraint added so far.
    private func synchronizedProblem() -> OpaquePointer {
        let problem = self.problem ?? glp_create_prob()!
        self.problem = problem
        if synchronizedVariables < variables.count {
            let first = glp_add_cols(problem, Int32(variables.count - synchronizedVariables))
            for (offset, variable) in variables[synchronizedVariables...].enumerated() {
                let column = first + Int32(offset)
                glp_set_col_kind(problem, column, variable.integer ? GLP_IV : GLP_CV)
                setBounds(variable.bounds, ofColumn: column, in: problem)
                if let name = variable.name {
                    name.withCString { glp_set_col_name(problem, column, $0) }
                }
            }
            synchronizedVariables = variables.count
        }
        if !pendingRows.isEmpty {
            appendRows(pendingRows, to: problem)
            pendingRows.removeAll()
        }
        return problem
    }

    /// Replaces the objective: zeroes the previous coefficients, then sets the new ones.
    private func setObjective(_ objective: SparseForm, direction: Int32, in problem: OpaquePointer) {
        for column in objectiveColumns {
            glp_set_obj_coef(problem, column, 0)
        }
        for k in 1..<objective.columns.count {
            glp_set_obj_coef(problem, objective.columns[k], objective.coefficients[k])
        }
        objectiveColumns = Array(objective.columns.dropFirst())
        glp_set_obj_dir(problem, direction)
    }

    private func setBounds(_ bounds: Bounds, ofColumn column: Int32, in problem: OpaquePointer) {
        let (type, lower, upper) = bounds.glpk
        glp_set_col_bnds(problem, column, type, lower, upper)
    }

    // MARK: - The LP relaxation

    /// What the simplex method found.
    private enum Relaxation {
        case optimal, infeasible, unbounded
    }

    /// Solves the LP relaxation with the LP presolver off, so that GLPK keeps the final basis: the next
    /// solve starts from it, and `glp_intopt` (also without presolver) needs it.
    private func solveRelaxation(
        _ problem: OpaquePointer, deadline: ContinuousClock.Instant, limit: Int
    ) throws(GLPKError) -> Relaxation {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        // From an earlier optimal basis the dual simplex suits changed bounds best; GLP_DUALP falls back to
        // the primal simplex if the dual one fails (after a new objective the basis may not be dual feasible).
        parameters.meth = hasWarmBasis ? GLP_DUALP : GLP_PRIMAL
        if let relaxation = try simplex(problem, &parameters, deadline: deadline, limit: limit) {
            return relaxation
        }
        // The dual simplex stopped on finding the dual infeasible (status GLP_INFEAS): the LP is either
        // unbounded or infeasible. The primal simplex, from where the dual one stopped, tells which.
        parameters.meth = GLP_PRIMAL
        if let relaxation = try simplex(problem, &parameters, deadline: deadline, limit: limit) {
            return relaxation
        }
        throw .solverFailed(code: glp_get_status(problem), during: "glp_simplex (solution status)")
    }

    /// Runs `glp_simplex` (a second time from the standard basis if the kept one cannot be factorised);
    /// nil when the solution status is no answer.
    private func simplex(
        _ problem: OpaquePointer, _ parameters: inout glp_smcp, deadline: ContinuousClock.Instant, limit: Int
    ) throws(GLPKError) -> Relaxation? {
        parameters.tm_lim = try remainingMilliseconds(until: deadline, limit: limit)
        var code = glp_simplex(problem, &parameters)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            glp_std_basis(problem)
            parameters.meth = GLP_PRIMAL
            parameters.tm_lim = try remainingMilliseconds(until: deadline, limit: limit)
            code = glp_simplex(problem, &parameters)
        }
        switch code {
        case 0:
            break
        case GLP_ETMLIM:
            throw .timeLimit(milliseconds: limit)
        case GLP_ENOPFS:
            // Reported only by the presolver, which is off; kept for safety.
            return .infeasible
        default:
            hasWarmBasis = false
            throw .solverFailed(code: code, during: "glp_simplex")
        }
        hasWarmBasis = true
        switch glp_get_status(problem) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default: return nil
        }
    }

    // MARK: - Branch and bound

    /// Runs `glp_intopt` from the optimal basis of the LP relaxation; returns the optimal integer solution
    /// (integer variables rounded to whole numbers), or nil when there is none.
    private func branchAndBound(
        _ problem: OpaquePointer, deadline: ContinuousClock.Instant, limit: Int
    ) throws(GLPKError) -> [Double]? {
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF  // the LP relaxation's optimal basis is there
        parameters.mip_gap = 0
        parameters.tm_lim = try remainingMilliseconds(until: deadline, limit: limit)
        let code = glp_intopt(problem, &parameters)
        switch code {
        case 0: break
        case GLP_ETMLIM: throw .timeLimit(milliseconds: limit)
        default: throw .solverFailed(code: code, during: "glp_intopt")
        }
        switch glp_mip_status(problem) {
        case GLP_OPT:
            return variables.indices.map { index in
                let value = glp_mip_col_val(problem, Int32(index + 1))
                return variables[index].integer ? value.rounded() + 0 : value
            }
        case GLP_NOFEAS:
            return nil
        case let status:
            throw .solverFailed(code: status, during: "glp_intopt (solution status)")
        }
    }

    /// The time left before `deadline`, in whole milliseconds for GLPK's `tm_lim`.
    private func remainingMilliseconds(until deadline: ContinuousClock.Instant, limit: Int) throws(GLPKError) -> Int32 {
        let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { throw .timeLimit(milliseconds: limit) }
        return Int32(clamping: milliseconds)
    }
}

// MARK: - Temporary rows

/// Rows added for one solve, and the basis from before they were added.
///
/// Deleting a row whose auxiliary variable left the basis would leave GLPK with an invalid basis; putting
/// back the basis from before the rows were added keeps the warm start for the next solve.
private struct TemporaryRows {
    private let first: Int32
    private let count: Int32
    private let rowStatuses: [Int32]
    private let columnStatuses: [Int32]

    init(_ rows: [Row], in problem: OpaquePointer) {
        count = Int32(rows.count)
        guard count > 0 else {
            first = 0
            rowStatuses = []
            columnStatuses = []
            return
        }
        rowStatuses = (0..<glp_get_num_rows(problem)).map { glp_get_row_stat(problem, $0 + 1) }
        columnStatuses = (0..<glp_get_num_cols(problem)).map { glp_get_col_stat(problem, $0 + 1) }
        first = appendRows(rows, to: problem)
    }

    /// Deletes the rows and puts the earlier basis back.
    func remove(from problem: OpaquePointer) {
        guard count > 0 else { return }
        // glp_del_rows reads the row numbers from num[1...nrs]; num[0] is ignored.
        let numbers: [Int32] = [0] + (first..<(first + count))
        numbers.withUnsafeBufferPointer { glp_del_rows(problem, count, $0.baseAddress) }
        for (offset, status) in rowStatuses.enumerated() {
            glp_set_row_stat(problem, Int32(offset + 1), status)
        }
        for (offset, status) in columnStatuses.enumerated() {
            glp_set_col_stat(problem, Int32(offset + 1), status)
        }
    }
}

// MARK: - GLPK's view of checked values

/// Appends rows to a problem; returns the index (1-based) of the first. `rows` must not be empty.
@discardableResult
private func appendRows(_ rows: [Row], to problem: OpaquePointer) -> Int32 {
    let first = glp_add_rows(problem, Int32(rows.count))
    for (offset, row) in rows.enumerated() {
        let index = first + Int32(offset)
        row.form.columns.withUnsafeBufferPointer { columns in
            row.form.coefficients.withUnsafeBufferPointer { coefficients in
                glp_set_mat_row(problem, index, Int32(row.form.count), columns.baseAddress, coefficients.baseAddress)
            }
        }
        let (type, lower, upper) = row.bounds.glpk
        glp_set_row_bnds(problem, index, type, lower, upper)
    }
    return first
}

extension Bounds {
    /// The bound type and values for `glp_set_col_bnds` / `glp_set_row_bnds`. Equal bounds become `GLP_FX`:
    /// GLPK rejects a double bound whose ends are equal (`GLP_EBOUND`).
    var glpk: (type: Int32, lower: Double, upper: Double) {
        switch (lower, upper) {
        case (nil, nil): (GLP_FR, 0, 0)
        case (let low?, nil): (GLP_LO, low, 0)
        case (nil, let high?): (GLP_UP, 0, high)
        case (let low?, let high?): (low == high ? GLP_FX : GLP_DB, low, high)
        }
    }
}
