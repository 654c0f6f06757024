/// A schema file that cannot be used, with where the problem is.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The schema file (or a name for an in-memory descriptor).
    public var file: String
    /// The JSON pointer of the offending value inside the descriptor ("" for the whole document).
    public var pointer: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates a schema error.
    public init(file: String, pointer: String, message: String) {
        self.file = file
        self.pointer = pointer
        self.message = message
    }

    /// `file at /pointer: message`.
    public var description: String {
        "invalid schema \(file) at \(pointer.isEmpty ? "/" : pointer): \(message)"
    }
}
