import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The impact lead's side of the loop in the store: the run keeps each partner's feedback page, and the actions
/// agreed on one quarter's feedback are counted in the next quarter's.
@Suite struct FeedbackLoopTests {
    @Test("A run keeps each partner's feedback page as written; a re-run replaces it")
    func pagesKept() throws {
        let sample = try SampleWorkspace()
        try sample.run("2026-Q2")
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        for partner in ["P001", "P002", "P014"] {
            let page = try #require(try store.feedbackPage(partnerID: partner, quarter: "2026-Q2"))
            #expect(page == sample.read("2026-Q2/feedback/\(partner).md"))
            #expect(try store.feedbackQuarters(partnerID: partner) == ["2026-Q2"])
        }
        #expect(try store.feedbackPage(partnerID: "P001", quarter: "2026-Q1") == nil)
    }

    @Test("Actions agreed on last quarter's feedback are counted in this quarter's: done and open, with due dates")
    func actionsCarriedForward() throws {
        let sample = try SampleWorkspace()
        try sample.run("2026-Q1")
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        let agreed = SampleWorkspace.epoch - 86_400 * 30
        let first = try store.recordFeedbackAction(
            partnerID: "P003", quarter: "2026-Q1", text: "Send the missing ripple notes", due: "2026-06-30", by: "Jo", at: agreed)
        try store.recordFeedbackAction(
            partnerID: "P003", quarter: "2026-Q1", text: "Check the baselines of OG02", due: nil, by: "Jo", at: agreed)
        try store.recordFeedbackAction(
            partnerID: "P003", quarter: "2025-Q4", text: "An older action, still open", due: nil, by: "Jo", at: agreed)
        try store.recordFeedbackAction(partnerID: "P001", quarter: "2026-Q1", text: "Another partner's", due: nil, by: "Jo", at: agreed)
        try store.markFeedbackActionDone(id: first, partnerID: "P003", by: "Jo", at: agreed + 86_400)
        #expect(throws: FeedbackRecordError.self) { try store.markFeedbackActionDone(id: first, partnerID: "P003", by: "Jo", at: agreed) }
        #expect(throws: FeedbackRecordError.self) { try store.markFeedbackActionDone(id: first, partnerID: "P001", by: "Jo", at: agreed) }
        #expect(throws: FeedbackRecordError.self) {
            try store.recordFeedbackAction(partnerID: "P003", quarter: "2026-Q1", text: "  ", due: nil, by: "Jo", at: agreed)
        }

        try sample.run("2026-Q2")
        let feedback = try #require(sample.read("2026-Q2/feedback/P003.md"))
        #expect(feedback.contains("## Actions agreed with the impact lead\n\nActions agreed last quarter (2026-Q1): 1 done, 1 open.\n"))
        #expect(feedback.contains("- Send the missing ripple notes (agreed on the 2026-Q1 feedback): done on "))
        #expect(feedback.contains("- Check the baselines of OG02 (agreed on the 2026-Q1 feedback): open."))
        #expect(feedback.contains("- An older action, still open (agreed on the 2025-Q4 feedback): open."))
        #expect(!feedback.contains("Another partner's"))
        #expect(try #require(sample.read("2026-Q2/feedback/P001.md")).contains("Actions agreed last quarter (2026-Q1): 0 done, 1 open."))
        #expect(try #require(sample.read("2026-Q2/feedback/P002.md")).contains("Actions agreed") == false)
    }

    @Test("Replies are kept in order with who and when, and never change")
    func messages() throws {
        let folder = TemporaryFolder()
        let store = try Store(path: folder.path + "/store.sqlite")
        try store.recordFeedbackMessage(
            partnerID: "P003", quarter: "2026-Q2", section: "Findings", author: .partner, name: "P003", body: " The dates are fixed. ",
            at: 10)
        try store.recordFeedbackMessage(
            partnerID: "P003", quarter: "2026-Q2", section: "Findings", author: .lead, name: "Jo", body: "Thank you.", at: 20)
        #expect(throws: FeedbackRecordError.self) {
            try store.recordFeedbackMessage(
                partnerID: "P003", quarter: "2026-Q2", section: "Findings", author: .lead, name: "Jo",
                body: String(repeating: "x", count: 4_001), at: 30)
        }
        let thread = try store.feedbackMessages(partnerID: "P003", quarter: "2026-Q2")
        #expect(thread.map(\.body) == ["The dates are fixed.", "Thank you."])
        #expect(thread.map(\.author) == [.partner, .lead] && thread.map(\.writtenAt) == [10, 20])
        #expect(try store.feedbackMessages(partnerID: "P001", quarter: "2026-Q2").isEmpty)
    }
}
