import Foundation
import TestSupport
import Testing

@testable import Impact
@testable import ImpactCLI

/// `impact feedback respond|done|show` record the impact lead's replies and actions in the workspace's store.
@Suite struct FeedbackCommandTests {
    @Test("respond records a reply and actions, from options or a meeting file; done marks them; mistakes exit 2")
    func respondAndDone() async throws {
        let folder = TemporaryFolder()
        let workspace = folder.path + "/ws"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        for item in ["impact.yaml", "reference"] {
            try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData/" + item), toPath: workspace + "/" + item)
        }
        let base = ["--workspace", workspace, "--by", "Jo Impact"]
        #expect(
            await ImpactCommand.run(
                arguments: ["feedback", "respond", "P003", "--quarter", "2026-Q2", "--section", "Findings", "--message", "Thanks."]
                    + base) == 0)
        #expect(
            await ImpactCommand.run(
                arguments: ["feedback", "respond", "P003", "--quarter", "2026-Q2", "--action", "Send the notes", "--due", "2026-09-30"]
                    + base) == 0)
        let meeting = folder.path + "/meeting.yaml"
        try "quarter: 2026-Q2\nmessages:\n  - {section: General, text: Good meeting.}\nactions:\n  - {text: Book a visit}\ndone: [1]\n"
            .write(toFile: meeting, atomically: true, encoding: .utf8)
        #expect(await ImpactCommand.run(arguments: ["feedback", "respond", "P003", "--file", meeting] + base) == 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "done", "P003", "--action", "2"] + base) == 0)
        // Already done, unknown, another partner's, no such partner, nothing to record: refused.
        #expect(await ImpactCommand.run(arguments: ["feedback", "done", "P003", "--action", "2"] + base) != 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "done", "P003", "--action", "99"] + base) != 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "done", "P001", "--action", "1"] + base) != 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "respond", "P999", "--quarter", "2026-Q2", "--message", "x"] + base) != 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "respond", "P003", "--quarter", "2026-Q2"] + base) != 0)
        #expect(await ImpactCommand.run(arguments: ["feedback", "show", "P003"] + base) == 0)

        let store = try Store(path: workspace + "/" + Store.defaultRelativePath)
        let actions = try store.feedbackActions(partnerID: "P003")
        #expect(actions.map(\.text) == ["Send the notes", "Book a visit"])
        #expect(actions.map(\.due) == ["2026-09-30", nil])
        #expect(actions.allSatisfy { $0.isDone && $0.doneBy == "Jo Impact" && $0.agreedBy == "Jo Impact" })
        let messages = try store.feedbackMessages(partnerID: "P003", quarter: "2026-Q2")
        #expect(messages.map(\.section) == ["Findings", "General"])
        #expect(messages.allSatisfy { $0.author == .lead && $0.name == "Jo Impact" })
    }
}
