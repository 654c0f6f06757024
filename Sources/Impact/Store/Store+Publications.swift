import Foundation
import GRDB
import TableSchema

// MARK: - What funder workbooks published

extension Store {
    /// What every funder workbook recorded so far states, except those of `quarter` (the run about to
    /// replace them), in quarter and workbook order.
    func publications(except quarter: Quarter) throws(StoreError) -> [Publication] {
        let rows = try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT quarter, workbook, funder_id, threshold, statements FROM publication
                        WHERE quarter <> ? ORDER BY quarter, workbook
                        """, arguments: [quarter.description]
                ).map {
                    (
                        try $0.decode(String.self, atIndex: 0), try $0.decode(String.self, atIndex: 1),
                        try $0.decode(String.self, atIndex: 2), try $0.decode(Int.self, atIndex: 3),
                        try $0.decode(String.self, atIndex: 4)
                    )
                }
            }
        }
        return rows.compactMap { quarterText, workbook, funder, threshold, text in
            guard let q = Quarter(quarterText) else { return nil }
            return Publication(
                workbook: workbook, funderID: funder, quarter: q, threshold: threshold,
                statements: Publication.decode(text, workbook: "\(q)/\(workbook)").statements)
        }
    }

    /// Records what the workbooks of `quarter` published; a re-run of the quarter replaces the record of
    /// each workbook it writes again (rows whose statements are unchanged are left as they are), and keeps
    /// that of a workbook it withholds (the earlier edition is still out there).
    func record(publications: [Publication], quarter: Quarter, at time: Int64) throws(StoreError) {
        try perform {
            try queue.write { db in
                for publication in publications {
                    let text = publication.encodedStatements
                    let existing = try String.fetchOne(
                        db, sql: "SELECT statements FROM publication WHERE quarter = ? AND workbook = ?",
                        arguments: [quarter.description, publication.workbook])
                    if existing == text { continue }
                    try db.execute(
                        sql: """
                            INSERT INTO publication (quarter, workbook, funder_id, threshold, published_at, statements)
                            VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT (quarter, workbook) DO UPDATE SET
                                funder_id = excluded.funder_id, threshold = excluded.threshold,
                                published_at = excluded.published_at, statements = excluded.statements
                            """,
                        arguments: [
                            quarter.description, publication.workbook, publication.funderID, publication.threshold, time, text,
                        ])
                }
            }
        }
    }
}
