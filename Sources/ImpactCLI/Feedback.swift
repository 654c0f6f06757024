import ArgumentParser
import Foundation
import Impact
import TableSchema

/// `impact feedback respond|done|show`: the impact lead's side of the feedback loop. Replies and agreed actions
/// go into the store with who and when; partners read and answer them on the portal, and the next quarter's
/// feedback counts the actions done and open.
struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a partner's feedback, record agreed actions and mark them done.",
        subcommands: [Respond.self, Done.self, Show.self]
    )

    /// The options every subcommand takes: the partner and the workspace, and who is writing.
    struct Target: ParsableArguments {
        @OptionGroup var of: PartnerOptions

        @Option(help: "Who is writing, as partners will see it.")
        var by = "impact lead"

        var partner: String { of.partner }

        func store() throws -> Store { try of.store() }
    }

    /// Now, in seconds since 1970 (`SOURCE_DATE_EPOCH` when set, so that a scripted history is reproducible).
    static var now: Int64 {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text) { return seconds }
        return Int64(Date().timeIntervalSince1970)
    }

    // MARK: - respond

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reply to a section of a partner's feedback, or record an agreed action.",
            discussion: """
                Examples:
                  impact feedback respond P003 --quarter 2026-Q2 --section Findings --message "Thanks, the dates are fixed now." --workspace WS
                  impact feedback respond P003 --quarter 2026-Q2 --action "Send the missing ripple notes" --due 2026-09-30 --workspace WS
                  impact feedback respond P003 --file meeting.yaml --workspace WS
                A file holds what a contract review meeting agreed:
                  quarter: 2026-Q2
                  messages: [{section: Findings, text: "..."}]
                  actions: [{text: "...", due: 2026-09-30}]
                  done: [3]
                """)

        @OptionGroup var target: Target

        @Option(help: "The quarter whose feedback this is about, like 2026-Q2.")
        var quarter: Quarter?

        @Option(help: "The section of the feedback page the reply answers (its heading).")
        var section = "General"

        @Option(help: "A reply, shown to the partner under the section.")
        var message: String?

        @Option(help: "An agreed action (repeat for several).")
        var action: [String] = []

        @Option(help: "When the actions are due, like 2026-09-30.")
        var due: Day?

        @Option(help: "A YAML file of messages, actions and actions done (see above).")
        var file: String?

        func validate() throws {
            guard message != nil || !action.isEmpty || file != nil else {
                throw ValidationError("say what to record: --message, --action or --file.")
            }
            guard file != nil || quarter != nil else { throw ValidationError("give the quarter with --quarter 2026-Q2.") }
        }

        func run() throws {
            let store = try target.store()
            let now = Feedback.now
            var record = MeetingRecord(quarter: quarter?.description)
            if let message { record.messages.append(MeetingRecord.Message(section: section, text: message)) }
            let dueText = due.map { CellValue.date($0.daysSinceEpoch).canonicalText }
            record.actions += action.map { MeetingRecord.Action(text: $0, due: dueText) }
            if let file { record = try MeetingRecord.load(file, over: record) }
            guard let text = record.quarter, let quarter = Quarter(text) else {
                throw ImpactError.invalidArgument(name: "quarter", value: record.quarter ?? "", reason: "it is not a quarter like 2026-Q2")
            }
            for item in record.messages {
                try store.recordFeedbackMessage(
                    partnerID: target.partner, quarter: quarter.description, section: item.section, author: .lead, name: target.by,
                    body: item.text, at: now)
            }
            for item in record.actions {
                let id = try store.recordFeedbackAction(
                    partnerID: target.partner, quarter: quarter.description, text: item.text, due: item.due, by: target.by, at: now)
                print("Action \(id) for \(target.partner): \(item.text)" + (item.due.map { " (due \($0))" } ?? ""))
            }
            for id in record.done {
                try store.markFeedbackActionDone(id: id, partnerID: target.partner, by: target.by, at: now)
                print("Action \(id) of \(target.partner) marked done.")
            }
            if !record.messages.isEmpty {
                print(
                    "Recorded \(record.messages.count) repl\(record.messages.count == 1 ? "y" : "ies") to \(target.partner)'s \(quarter) feedback."
                )
            }
        }
    }

    // MARK: - done

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a partner's agreed actions done.")

        @OptionGroup var target: Target

        @Option(help: "The action's number, as impact feedback show lists it (repeat for several).")
        var action: [Int64] = []

        func validate() throws {
            guard !action.isEmpty else { throw ValidationError("give the action's number with --action N.") }
        }

        func run() throws {
            let store = try target.store()
            for id in action {
                try store.markFeedbackActionDone(id: id, partnerID: target.partner, by: target.by, at: Feedback.now)
                print("Action \(id) of \(target.partner) marked done.")
            }
        }
    }

    // MARK: - show

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a partner's actions and the replies on its feedback.")

        @OptionGroup var target: Target

        @Option(help: "Only this quarter's replies (default: every quarter with a feedback page).")
        var quarter: Quarter?

        func run() throws {
            let store = try target.store()
            let actions = try store.feedbackActions(partnerID: target.partner)
            print("Actions of \(target.partner): \(actions.filter(\.isDone).count) done, \(actions.filter { !$0.isDone }.count) open.")
            for action in actions {
                let status =
                    action.doneAt.map { "done \(day($0)) by \(action.doneBy ?? "?")" } ?? "open" + (action.due.map { ", due \($0)" } ?? "")
                print(
                    "  \(action.id). [\(action.quarter)] \(action.text) (\(status); agreed \(day(action.agreedAt)) by \(action.agreedBy))")
            }
            let quarters = try quarter.map { [$0.description] } ?? store.feedbackQuarters(partnerID: target.partner)
            for quarter in quarters {
                let messages = try store.feedbackMessages(partnerID: target.partner, quarter: quarter)
                guard !messages.isEmpty else { continue }
                print("Replies on the \(quarter) feedback:")
                for message in messages {
                    let who = message.author == .partner ? "\(message.name) (partner)" : message.name
                    print("  [\(message.section)] \(who), \(day(message.writtenAt)): \(message.body)")
                }
            }
        }

        private func day(_ seconds: Int64) -> String { String(CellValue.datetime(seconds).canonicalText.prefix(10)) }
    }
}
