import Foundation
import GRDB
import TableSchema

// MARK: - What reports featured

extension Store {
    /// Records what a quarter's report featured, replacing what an earlier run of the quarter recorded.
    func record(featured: [(kind: String, partnerID: String, id: String)], quarter: Quarter) throws(StoreError) {
        try perform {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM featured WHERE quarter = ?", arguments: [quarter.description])
                for (position, item) in featured.enumerated() {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO featured (quarter, kind, partner_id, item_id, position) VALUES (?, ?, ?, ?, ?)",
                        arguments: [quarter.description, item.kind, item.partnerID, item.id, position])
                }
            }
        }
    }

    /// How many stories and notes of each partner the reports of quarters before `quarter` featured.
    func featuredCounts(before quarter: Quarter) throws(StoreError) -> [String: Int] {
        try perform {
            try queue.read { db in
                var counts: [String: Int] = [:]
                let rows = try Row.fetchAll(
                    db, sql: "SELECT partner_id, COUNT(*) FROM featured WHERE quarter < ? GROUP BY partner_id",
                    arguments: [quarter.description])
                for row in rows { counts[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1) }
                return counts
            }
        }
    }

    /// What a quarter's report featured, in the order it featured them.
    func featured(in quarter: Quarter) throws(StoreError) -> [(kind: String, partnerID: String, id: String)] {
        try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT kind, partner_id, item_id FROM featured WHERE quarter = ? ORDER BY position",
                    arguments: [quarter.description]
                ).map {
                    (try $0.decode(String.self, atIndex: 0), try $0.decode(String.self, atIndex: 1), try $0.decode(String.self, atIndex: 2))
                }
            }
        }
    }
}
