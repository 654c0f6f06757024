import Foundation
import TableSchema
import Yams

/// What a contract review meeting agreed, from the command line or a YAML file.
public struct MeetingRecord: Sendable {
    /// A reply to a section of the feedback.
    public struct Message: Decodable, Sendable {
        public var section: String
        public var text: String

        public init(section: String, text: String) {
            self.section = section
            self.text = text
        }
    }

    /// An agreed action, with when it is due.
    public struct Action: Decodable, Sendable {
        public var text: String
        public var due: String?

        public init(text: String, due: String?) {
            self.text = text
            self.due = due
        }
    }

    public var quarter: String?
    public var messages: [Message] = []
    public var actions: [Action] = []
    /// Numbers of actions now done.
    public var done: [Int64] = []

    /// A record for a quarter, empty.
    public init(quarter: String?) {
        self.quarter = quarter
    }

    private struct File: Decodable {
        var quarter: String?
        var messages: [Message]?
        var actions: [Action]?
        var done: [Int64]?
    }

    /// The file's record added to `record` (the file's quarter wins).
    public static func load(_ path: String, over record: MeetingRecord) throws(ImpactError) -> MeetingRecord {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadablePath(path, reason: "the file cannot be read")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw .invalidSettings(
                path: path,
                reason: "it should hold quarter, messages [{section, text}], actions [{text, due}] and done [numbers] (\(error))")
        }
        var result = record
        if let quarter = file.quarter { result.quarter = quarter }
        result.messages += file.messages ?? []
        for action in file.actions ?? [] {
            if let due = action.due, case .date = DateFormat.iso.parse(Array(due.utf8)[...]) {
            } else if let due = action.due {
                throw .invalidSettings(path: path, reason: "the due date \"\(due)\" is not a date like 2026-09-30")
            }
            result.actions.append(action)
        }
        result.done += file.done ?? []
        return result
    }
}
