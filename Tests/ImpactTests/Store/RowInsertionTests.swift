import GRDB
import Testing

@testable import Impact

/// Values bound straight through SQLite's C API are stored exactly as GRDB stores the same Swift values.
@Suite struct RowInsertionTests {
    static let strings: [String?] = ["", "plain", "ルビ ☺ é", "a\u{0}b", "  spaced  ", "'quoted' \"too\"", nil]

    @Test("text, integers, reals, booleans and NULL are stored as GRDB stores them")
    func sameAsGRDB() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (via TEXT, s TEXT, i INTEGER, j INTEGER, d REAL, b INTEGER, n INTEGER)")
            let statement = try db.makeStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)")
            for (index, text) in Self.strings.enumerated() {
                let integer: Int? = index == 3 ? nil : index * 1_000_000_007 - 3
                let small: Int32? = index == 2 ? nil : Int32(index) - 2
                let real: Double? = index == 4 ? nil : Double(index) / 3 - 0.1
                try statement.execute(arguments: ["grdb", text, integer, small, real, index % 2 == 0, nil as Int?])
                try statement.executeBound { values in
                    values.add("bound")
                    values.add(text)
                    values.add(integer)
                    values.add(small)
                    values.add(real)
                    values.add(index % 2 == 0)
                    values.add(nil as Int?)
                }
            }
            let columns = ["s", "i", "j", "d", "b", "n"].map { "quote(\($0)) || ':' || typeof(\($0))" }.joined(separator: " || ' ' || ")
            let grdb = try String.fetchAll(db, sql: "SELECT \(columns) FROM t WHERE via = 'grdb' ORDER BY rowid")
            let bound = try String.fetchAll(db, sql: "SELECT \(columns) FROM t WHERE via = 'bound' ORDER BY rowid")
            #expect(grdb.count == Self.strings.count)
            #expect(bound == grdb)
            #expect(grdb[0].hasPrefix("'':text"))
            #expect(grdb[3].hasPrefix("'a':text"))
        }
    }

    @Test("an SQLite error is thrown as GRDB's, and the statement is ready again afterwards")
    func errors() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY)")
            let statement = try db.makeStatement(sql: "INSERT INTO t VALUES (?)")
            try statement.executeBound { $0.add("a") }
            #expect(throws: DatabaseError.self) { try statement.executeBound { $0.add("a") } }
            try statement.executeBound { $0.add("b") }
            #expect(try String.fetchAll(db, sql: "SELECT k FROM t ORDER BY k") == ["a", "b"])
        }
    }
}
