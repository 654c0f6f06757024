/// Everything that can go wrong while building or solving an ``IntegerProgram``.
///
/// GLPK ends the process on an invalid argument (an index out of range, a NaN bound, a name that is too
/// long), so every argument is checked in Swift first and rejected with ``invalidModel(_:)``. Return codes
/// and statuses from GLPK's solvers that are not an answer become ``solverFailed(code:during:)`` or
/// ``timeLimit(milliseconds:)`` at once; they are never turned into an outcome.
public enum GLPKError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An argument GLPK would not accept, or that would make the program meaningless: a variable index out
    /// of range, a NaN or wrongly infinite bound, a lower bound above the upper bound, an integer variable
    /// whose bounds hold no integer, a non-finite coefficient, a name GLPK cannot store, a time limit that
    /// is not positive. The text says which argument and which value.
    case invalidModel(String)
    /// GLPK returned a code that is neither an answer nor the time limit (`GLP_EFAIL`, `GLP_EITLIM`,
    /// `GLP_ESING`, …; see glpk.h), or left its solution in a status that is not one. `during` names the call.
    case solverFailed(code: Int32, during: String)
    /// The solve took longer than the program's ``IntegerProgram/timeLimitMilliseconds``. The program is
    /// left as it was before the solve (temporary bounds and rows removed) and can be solved again.
    case timeLimit(milliseconds: Int)

    /// A message that quotes the offending value or GLPK's code.
    public var description: String {
        switch self {
        case .invalidModel(let reason):
            "Invalid integer program: \(reason)"
        case .solverFailed(let code, let during):
            "GLPK failed with code \(code) during \(during)"
        case .timeLimit(let milliseconds):
            "GLPK did not finish within the time limit of \(milliseconds) ms"
        }
    }
}
