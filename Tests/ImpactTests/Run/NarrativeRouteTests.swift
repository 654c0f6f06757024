import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A partner's narrative (highlights, challenges, what would help) arrives by every route: a CSV file, a
/// form's fields or its narrative list, a workbook's sheet (`WorkbookRunTests`) and the portal
/// (`PortalNarrativeTests`); it is checked like ripple notes and reaches the report and the feedback.
@Suite struct NarrativeRouteTests {
    private func writeNarrative(_ sample: SampleWorkspace, _ partner: String, _ cells: [String]) throws {
        let row = ([partner, "2026-Q2"] + cells).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try ("partner_id,quarter,highlights,challenges,what_would_help\n" + row.joined(separator: ",") + "\n")
            .write(toFile: sample.path + "/returns/2026-Q2/\(partner)-narrative.csv", atomically: true, encoding: .utf8)
    }

    private func form(_ sample: SampleWorkspace, _ partner: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: sample.path + "/returns/2026-Q2/\(partner).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func write(_ form: [String: Any], _ sample: SampleWorkspace, _ partner: String) throws {
        let data = try JSONSerialization.data(withJSONObject: form, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: sample.path + "/returns/2026-Q2/\(partner).json"))
    }

    @Test("A CSV partner's narrative file reaches the report and its feedback, paragraphs kept")
    func csvFile() throws {
        let sample = try SampleWorkspace()
        try writeNarrative(sample, "P001", ["First paragraph.\n\nSecond paragraph.", "Rooms cost more.", "A shared venue list."])
        let summary = try sample.run("2026-Q2")
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .accepted)
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        #expect(report.contains("> First paragraph.\n>\n> Second paragraph.\n>\n> — Bothy Light Counselling"))
        #expect(report.contains("- Challenge, Bothy Light Counselling (P001): Rooms cost more."))
        let feedback = try #require(sample.read("2026-Q2/feedback/P001.md"))
        #expect(feedback.contains("> First paragraph.\n>\n> Second paragraph.\n"))
        #expect(feedback.contains("> A shared venue list."))
    }

    @Test("A form may give its narrative as a list instead of the fields, never both")
    func formList() throws {
        let sample = try SampleWorkspace()
        var listed = try form(sample, "P002")
        for key in ["highlights", "challenges", "what_would_help"] { listed.removeValue(forKey: key) }
        listed["narrative"] = [["partner_id": "P002", "quarter": "2026-Q2", "highlights": "Told in the list."]]
        try write(listed, sample, "P002")
        var both = try form(sample, "P009")
        both["narrative"] = [["partner_id": "P009", "quarter": "2026-Q2", "challenges": "Twice told."]]
        try write(both, sample, "P009")

        let summary = try sample.run("2026-Q2")
        #expect(summary.returns.first { $0.partnerID == "P002" }?.verdict == .accepted)
        #expect(summary.returns.first { $0.partnerID == "P009" }?.verdict == .rejected)
        #expect(try #require(sample.read("2026-Q2/feedback/P002.md")).contains("> Told in the list."))
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        let findings = try store.submissions(in: Quarter("2026-Q2")!).filter { $0.partnerID == "P009" }.flatMap(\.findings)
        let twice = try #require(findings.first { $0.finding.code == .formError && $0.finding.severity == .error })
        #expect(twice.finding.pointer == "/highlights")
        #expect(twice.finding.message.contains("Give the narrative once"))
    }

    @Test("The narrative is checked like a note: its length, its key, and no way to reach a person")
    func checked() throws {
        let sample = try SampleWorkspace()
        try writeNarrative(sample, "P001", [String(repeating: "a", count: 4001), "", ""])
        try writeNarrative(sample, "P003", ["Fine.", "Email jo@example.net about it.", ""])
        let summary = try sample.run("2026-Q2")
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .rejected)
        let p003 = try #require(summary.returns.first { $0.partnerID == "P003" })
        #expect(p003.verdict == .accepted && p003.warnings == 1)
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        let findings = try store.submissions(in: Quarter("2026-Q2")!).flatMap(\.findings)
        #expect(
            findings.contains {
                $0.file.hasSuffix("P001-narrative.csv") && $0.finding.code == .constraintError && $0.finding.fieldName == "highlights"
            })
        let personal = try #require(findings.first { $0.finding.code == .personalData })
        #expect(personal.file.hasSuffix("P003-narrative.csv") && personal.finding.fieldName == "challenges")
        #expect(!personal.finding.message.contains("jo@example.net"))
        // The answer with an email address is left out of the report; the rest of the narrative stays.
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        #expect(!report.contains("jo@example.net") && !report.contains("about it"))
    }

    @Test("A programme that requires a narrative rejects a return without one, whatever its route")
    func required() throws {
        let sample = try SampleWorkspace()
        let settings = try String(contentsOfFile: sample.path + "/impact.yaml", encoding: .utf8)
        try (settings + "\nnarrative_required: true\n").write(toFile: sample.path + "/impact.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: sample.path + "/returns/2026-Q2/P001-narrative.csv")
        var silent = try form(sample, "P002")
        for key in ["highlights", "challenges", "what_would_help"] { silent.removeValue(forKey: key) }
        try write(silent, sample, "P002")
        let summary = try sample.run("2026-Q2")
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .rejected)
        #expect(summary.returns.first { $0.partnerID == "P002" }?.verdict == .rejected)
        #expect(summary.returns.first { $0.partnerID == "P003" }?.verdict == .accepted)
        #expect(summary.returns.first { $0.partnerID == "P009" }?.verdict == .accepted)
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        let findings = try store.submissions(in: Quarter("2026-Q2")!).filter { $0.partnerID == "P001" }.flatMap(\.findings)
        #expect(findings.contains { $0.finding.message.contains("has no narrative, and the programme asks for one") })
    }
}
