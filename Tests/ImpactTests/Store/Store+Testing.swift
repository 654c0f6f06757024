import GRDB

@testable import Impact

/// What the store tests need beyond the store's own interface, kept here rather than in the product: raw SQL
/// on the store's connection, its lock held as another run would, and a dump of every table.
extension Store {
    /// Runs raw SQL outside any run (tests use it to damage a store on purpose).
    func executeForTesting(_ sql: String) throws(StoreError) {
        try perform { try queue.writeWithoutTransaction { db in try db.execute(sql: sql) } }
    }

    /// Runs `body` while this connection holds the database's exclusive lock (tests use it to play
    /// another run), then rolls back.
    func holdingLockForTesting(_ body: () throws -> Void) throws(StoreError) {
        try perform {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.exclusive) {
                    try db.execute(sql: "DELETE FROM run WHERE id = -1")
                    try body()
                    return .rollback
                }
            }
        }
    }

    /// Every table's rows, rendered as text in a stable order, by table name.
    func dumpForTesting() throws(StoreError) -> [String: [String]] {
        try perform {
            try queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                var dump: [String: [String]] = [:]
                for table in tables {
                    let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                    dump[table] = rows.map(\.description).sorted()
                }
                return dump
            }
        }
    }
}
