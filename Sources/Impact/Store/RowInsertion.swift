import GRDB
import GRDBSQLite

/// Binds one INSERT statement's parameters in order, straight through SQLite's C API: GRDB's
/// `StatementArguments` boxes every value in an existential, which cost half of recording a quarter's rows.
/// Values are bound as GRDB binds them (text copied, integers as 64-bit, `Double` as real, `Bool` as 0 or 1,
/// nil as NULL), so the stored rows are the same.
struct ParameterBinder {
    /// SQLite's "copy the bytes now" destructor.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    let statement: SQLiteStatement
    private(set) var index: CInt = 1
    /// The first error a binding returned (none should: a statement reset, a parameter in range).
    private(set) var failure: CInt = SQLITE_OK

    init(_ statement: SQLiteStatement) {
        self.statement = statement
    }

    mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // A zero-length text is bound with a non-null pointer, so that SQLite stores '' and not NULL. As GRDB
            // binds a String (as C text), the text ends at a NUL character, should one be there.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            let length = bytes.firstIndex(of: 0) ?? bytes.count
            check(sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), CInt(length), Self.transient))
        }
        index += 1
    }

    mutating func add(_ value: Int64) {
        check(sqlite3_bind_int64(statement, index, value))
        index += 1
    }

    mutating func add(_ value: Int) { add(Int64(value)) }

    mutating func add(_ value: Int32) { add(Int64(value)) }

    mutating func add(_ value: Bool) { add(Int64(value ? 1 : 0)) }

    mutating func add(_ value: Double) {
        check(sqlite3_bind_double(statement, index, value))
        index += 1
    }

    mutating func addNull() {
        check(sqlite3_bind_null(statement, index))
        index += 1
    }

    private mutating func check(_ code: CInt) {
        if failure == SQLITE_OK { failure = code }
    }

    mutating func add(_ value: String?) { if let value { add(value) } else { addNull() } }
    mutating func add(_ value: Int?) { if let value { add(value) } else { addNull() } }
    mutating func add(_ value: Int32?) { if let value { add(value) } else { addNull() } }
    mutating func add(_ value: Double?) { if let value { add(value) } else { addNull() } }
}

extension Statement {
    /// Runs the statement with the parameters `bind` binds (which must bind every one), then resets it and
    /// clears them; an SQLite error is thrown as GRDB's `DatabaseError`.
    func executeBound(_ bind: (inout ParameterBinder) -> Void) throws {
        let statement = sqliteStatement
        func failure(_ code: CInt) -> DatabaseError {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        // GRDB resets a statement before it runs it, not after: a statement it ran last is reset here.
        sqlite3_reset(statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var binder = ParameterBinder(statement)
        bind(&binder)
        guard binder.failure == SQLITE_OK else { throw failure(binder.failure) }
        precondition(binder.index - 1 == sqlite3_bind_parameter_count(statement), "every parameter is bound")
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw failure(code) }
    }
}
