import Foundation
import GRDB
import TableSchema

// MARK: - The two-way feedback loop

/// Words written about a partner's feedback for a quarter, by the partner (on the portal) or the impact lead
/// (`impact feedback respond`). Never changed once written.
public struct FeedbackMessage: Sendable, Equatable {
    /// Who wrote it.
    public enum Author: String, Sendable {
        case partner
        case lead
    }

    public var id: Int64
    public var partnerID: String
    public var quarter: String
    /// The section of the feedback page it answers (its heading, such as "Findings").
    public var section: String
    public var author: Author
    /// The writer's name: the partner's ID, or the impact lead's name.
    public var name: String
    public var body: String
    /// When it was written (seconds since 1970, UTC).
    public var writtenAt: Int64
}

/// An action the partner and the impact lead agreed about a quarter, and whether it is done.
public struct FeedbackAction: Sendable, Equatable {
    public var id: Int64
    public var partnerID: String
    /// The quarter whose feedback it was agreed on.
    public var quarter: String
    public var text: String
    /// When it is due (ISO date), if agreed.
    public var due: String?
    public var agreedBy: String
    public var agreedAt: Int64
    public var doneBy: String?
    public var doneAt: Int64?

    /// Whether it is done.
    public var isDone: Bool { doneAt != nil }
}

/// Why a feedback record was refused.
public enum FeedbackRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAction(id: Int64, partnerID: String)
    case alreadyDone(id: Int64, doneAt: Int64)
    case empty(String)
    case tooLong(String, limit: Int)

    public var description: String {
        switch self {
        case .unknownAction(let id, let partnerID):
            "\(partnerID) has no action \(id); list its actions with impact feedback show \(partnerID)"
        case .alreadyDone(let id, let doneAt):
            "action \(id) was already marked done on \(CellValue.datetime(doneAt).canonicalText.prefix(10))"
        case .empty(let what): "the \(what) is empty; write what was said or agreed"
        case .tooLong(let what, let limit): "the \(what) is longer than \(limit) characters; shorten it"
        }
    }
}

extension Store {
    /// The most characters a message or an action may hold.
    public static let maxFeedbackText = 4_000

    /// Records the feedback pages a run of `quarter` wrote, replacing what an earlier run wrote for them.
    func record(feedbackPages: [(partnerID: String, markdown: String)], quarter: Quarter, at time: Int64) throws(StoreError) {
        try perform {
            try queue.write { db in
                for page in feedbackPages {
                    let existing = try String.fetchOne(
                        db, sql: "SELECT markdown FROM feedback_page WHERE partner_id = ? AND quarter = ?",
                        arguments: [page.partnerID, quarter.description])
                    if existing == page.markdown { continue }
                    try db.execute(
                        sql: """
                            INSERT INTO feedback_page (partner_id, quarter, markdown, written_at) VALUES (?, ?, ?, ?)
                            ON CONFLICT (partner_id, quarter) DO UPDATE SET markdown = excluded.markdown, written_at = excluded.written_at
                            """, arguments: [page.partnerID, quarter.description, page.markdown, time])
                }
            }
        }
    }

    /// The quarters a partner has a feedback page for, newest first.
    public func feedbackQuarters(partnerID: String) throws(StoreError) -> [String] {
        try perform {
            try queue.read { db in
                try String.fetchAll(
                    db, sql: "SELECT quarter FROM feedback_page WHERE partner_id = ? ORDER BY quarter DESC", arguments: [partnerID])
            }
        }
    }

    /// A partner's feedback page for a quarter, as Markdown, or nil.
    public func feedbackPage(partnerID: String, quarter: String) throws(StoreError) -> String? {
        try perform {
            try queue.read { db in
                try String.fetchOne(
                    db, sql: "SELECT markdown FROM feedback_page WHERE partner_id = ? AND quarter = ?",
                    arguments: [partnerID, quarter])
            }
        }
    }

    /// Records words about a feedback page; returns the message's ID.
    @discardableResult
    public func recordFeedbackMessage(
        partnerID: String, quarter: String, section: String, author: FeedbackMessage.Author, name: String, body: String, at time: Int64
    ) throws -> Int64 {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw FeedbackRecordError.empty("reply") }
        guard text.count <= Self.maxFeedbackText else { throw FeedbackRecordError.tooLong("reply", limit: Self.maxFeedbackText) }
        return try perform {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO feedback_message (partner_id, quarter, section, author, name, body, written_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [partnerID, quarter, section, author.rawValue, name, text, time])
                return db.lastInsertedRowID
            }
        }
    }

    /// The words written about a partner's feedback for a quarter, oldest first.
    public func feedbackMessages(partnerID: String, quarter: String) throws(StoreError) -> [FeedbackMessage] {
        try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, section, author, name, body, written_at FROM feedback_message
                        WHERE partner_id = ? AND quarter = ? ORDER BY id
                        """, arguments: [partnerID, quarter]
                ).map { row in
                    FeedbackMessage(
                        id: try row.decode(Int64.self, atIndex: 0), partnerID: partnerID, quarter: quarter,
                        section: try row.decode(String.self, atIndex: 1),
                        author: FeedbackMessage.Author(rawValue: try row.decode(String.self, atIndex: 2)) ?? .partner,
                        name: try row.decode(String.self, atIndex: 3), body: try row.decode(String.self, atIndex: 4),
                        writtenAt: try row.decode(Int64.self, atIndex: 5))
                }
            }
        }
    }

    /// Records an agreed action; returns its ID.
    @discardableResult
    public func recordFeedbackAction(
        partnerID: String, quarter: String, text: String, due: String?, by name: String, at time: Int64
    ) throws -> Int64 {
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty else { throw FeedbackRecordError.empty("action") }
        guard words.count <= Self.maxFeedbackText else { throw FeedbackRecordError.tooLong("action", limit: Self.maxFeedbackText) }
        return try perform {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO feedback_action (partner_id, quarter, text, due, agreed_by, agreed_at) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [partnerID, quarter, words, due, name, time])
                return db.lastInsertedRowID
            }
        }
    }

    /// Marks a partner's action done.
    public func markFeedbackActionDone(id: Int64, partnerID: String, by name: String, at time: Int64) throws {
        let actions = try feedbackActions(partnerID: partnerID)
        guard let action = actions.first(where: { $0.id == id }) else {
            throw FeedbackRecordError.unknownAction(id: id, partnerID: partnerID)
        }
        if let doneAt = action.doneAt { throw FeedbackRecordError.alreadyDone(id: id, doneAt: doneAt) }
        try perform {
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE feedback_action SET done_by = ?, done_at = ? WHERE id = ? AND partner_id = ? AND done_at IS NULL",
                    arguments: [name, time, id, partnerID])
            }
        }
    }

    /// A partner's actions (every partner's when nil), by quarter then ID.
    public func feedbackActions(partnerID: String? = nil) throws(StoreError) -> [FeedbackAction] {
        try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, partner_id, quarter, text, due, agreed_by, agreed_at, done_by, done_at FROM feedback_action
                        WHERE ? IS NULL OR partner_id = ? ORDER BY partner_id, quarter, id
                        """, arguments: [partnerID, partnerID]
                ).map { row in
                    FeedbackAction(
                        id: try row.decode(Int64.self, atIndex: 0), partnerID: try row.decode(String.self, atIndex: 1),
                        quarter: try row.decode(String.self, atIndex: 2), text: try row.decode(String.self, atIndex: 3),
                        due: try row.decode(String?.self, atIndex: 4), agreedBy: try row.decode(String.self, atIndex: 5),
                        agreedAt: try row.decode(Int64.self, atIndex: 6), doneBy: try row.decode(String?.self, atIndex: 7),
                        doneAt: try row.decode(Int64?.self, atIndex: 8))
                }
            }
        }
    }
}
