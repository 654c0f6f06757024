import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The quarterly run end to end on a copy of the sample workspace.
@Suite(.serialized) struct RunStageTests {
    @Test("The sample quarters run in order: returns accepted, P007's missing quarter noticed, reports written")
    func sampleRun() throws {
        let workspace = try SampleWorkspace()
        let summaries = try workspace.runAll()
        let q1 = summaries[2]
        #expect(q1.missing.contains("P007"))
        #expect(q1.rejected == 0)
        let q2 = try #require(summaries.last)
        #expect(q2.accepted == 13)
        #expect(q2.rejected == 0)
        #expect(q2.missing.isEmpty, "\(q2.missing)")
        #expect(q2.outputs.contains { $0.hasSuffix("2026-Q2/impact-report.md") })
        #expect(q2.outputs.contains { $0.hasSuffix("2026-Q2/feedback/P001.md") })
        let report = try #require(workspace.read("2026-Q2/impact-report.md"))
        #expect(report.contains("2026-Q2"))
        #expect(try Store(path: workspace.path + "/" + Store.defaultRelativePath).integrityCheck().isEmpty)
        // Every step is timed, in run order (impact run --timings), and the times add up to no more than the run.
        #expect(
            q2.timings.map(\.step) == [
                "load", "scan", "check and record", "history", "figures", "workbook plans and disclosure", "outputs", "publications",
                "digests",
            ])
        #expect(q2.timings.allSatisfy { $0.seconds >= 0 } && q2.timings.reduce(0) { $0 + $1.seconds } < 600)
    }

    @Test("Figures match counts computed independently from the sample returns")
    func figuresMatchIndependentCounts() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        // Independently: distinct (partner, person) pairs in the 2026-Q2 support rows, read with plain
        // string handling from the CSV files and JSONSerialization / line scanning from the forms.
        let folder = TestPaths.repo("SampleData/returns/2026-Q2")
        var people: Set<String> = []
        var offered = 0
        var attended = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let path = folder + "/" + name
            if name.hasSuffix("-support.csv") {
                let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
                let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for line in lines.dropFirst() {
                    let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    people.insert(cells[0] + "|" + cells[header.firstIndex(of: "person_ref")!])
                    offered += Int(cells[header.firstIndex(of: "sessions_offered")!]) ?? 0
                    attended += Int(cells[header.firstIndex(of: "sessions_attended")!]) ?? 0
                }
            } else if name.hasSuffix(".json") {
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
                for row in object["support"] as! [[String: Any]] {
                    people.insert((row["partner_id"] as! String) + "|" + (row["person_ref"] as! String))
                    offered += row["sessions_offered"] as? Int ?? 0
                    attended += row["sessions_attended"] as? Int ?? 0
                }
            } else if name.hasSuffix(".yaml") {
                var partner = ""
                for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                    let text = line.trimmingCharacters(in: .whitespaces)
                    func value(_ key: String) -> String? {
                        guard text.hasPrefix(key + ":") || text.hasPrefix("- " + key + ":") else { return nil }
                        return text.components(separatedBy: ": ").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                    }
                    if let p = value("partner_id") { partner = p }
                    if let ref = value("person_ref"), line.hasPrefix("  ") { people.insert(partner + "|" + ref) }
                }
                // Sessions from the store's rows for forms in YAML (checked by the form/CSV equivalence tests).
            }
        }
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let returns = try store.acceptedReturns(in: Quarter("2026-Q2")!)
        let stored = Set(returns.flatMap { $0.support.map { $0.partnerID + "|" + $0.personRef } })
        #expect(stored == people)
        let yamlPartners = Set(["P005", "P011"])
        let storedOffered = returns.filter { !yamlPartners.contains($0.partnerID) }.flatMap(\.support).compactMap(\.sessionsOffered).reduce(
            0, +)
        let storedAttended = returns.filter { !yamlPartners.contains($0.partnerID) }.flatMap(\.support).compactMap(\.sessionsAttended)
            .reduce(0, +)
        #expect(storedOffered == offered)
        #expect(storedAttended == attended)
        let input = ReportInput(
            settings: try Settings.load(path: workspace.path + "/impact.yaml"),
            reference: try Workspace.load(folder: workspace.path, requireReferences: true).reference,
            quarter: Quarter("2026-Q2")!, history: try store.history(through: Quarter("2026-Q2")!),
            submissions: try store.submissions(in: Quarter("2026-Q2")!), strayFiles: [], generatedOn: "2026-11-23")
        let report = try renderReports(input, templates: .embedded()).report
        #expect(report.contains("\(people.count)"), "the report states the number of people supported (\(people.count))")
    }

    @Test("Running a quarter again changes nothing and gives byte-identical outputs")
    func rerunIsIdempotent() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let before = try #require(workspace.read("2026-Q2/impact-report.md"))
        let feedbackBefore = workspace.read("2026-Q2/feedback/P003.md")
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let submissionsBefore = try store.submissions(in: Quarter("2026-Q2")!)
        let again = try workspace.run("2026-Q2")
        let allUnchanged = again.returns.allSatisfy { $0.unchanged }
        #expect(allUnchanged)
        #expect(try store.submissions(in: Quarter("2026-Q2")!) == submissionsBefore)
        #expect(workspace.read("2026-Q2/impact-report.md") == before)
        #expect(workspace.read("2026-Q2/feedback/P003.md") == feedbackBefore)
    }

    @Test("A newer return supersedes the older one, which stays queryable; the report notes the resubmission")
    func resubmissionSupersedes() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let original = workspace.path + "/returns/2026-Q2/P002.json"
        var text = try String(contentsOfFile: original, encoding: .utf8)
        let submitted = try #require(text.range(of: #""submitted_on": "[0-9-]+""#, options: .regularExpression))
        text.replaceSubrange(submitted, with: #""submitted_on": "2026-08-01""#)
        try text.write(toFile: workspace.path + "/returns/2026-Q2/P002-resent.json", atomically: true, encoding: .utf8)
        let summary = try workspace.run("2026-Q2")
        #expect(summary.returns.contains { $0.partnerID == "P002" && $0.supersededEarlier })
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let p002 = try store.submissions(in: Quarter("2026-Q2")!).filter { $0.partnerID == "P002" }
        #expect(p002.map(\.verdict).sorted { $0.rawValue < $1.rawValue } == [.accepted, .superseded])
        #expect(p002.first { $0.verdict == .accepted }?.isResubmission == true)
        #expect(try store.acceptedReturns(in: Quarter("2026-Q2")!).filter { $0.partnerID == "P002" }.count == 1)
        let report = try #require(workspace.read("2026-Q2/impact-report.md"))
        #expect(report.lowercased().contains("resubmi"))
    }

    @Test("A broken return is rejected, stays where it was, and its findings reach the report; the rest still run")
    func rejectedReturnStays() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let broken = workspace.path + "/returns/2026-Q2/P001-support.csv"
        var text = try String(contentsOfFile: broken, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[8] = "twelve"
        text = ([String(lines[0]), cells.joined(separator: ",")] + lines.dropFirst(2).map(String.init)).joined(separator: "\n")
        try text.write(toFile: broken, atomically: true, encoding: .utf8)
        let summary = try workspace.run("2026-Q2")
        #expect(summary.returns.contains { $0.partnerID == "P001" && $0.verdict == .rejected && $0.errors == 1 })
        #expect(summary.accepted >= 12)
        #expect(FileManager.default.fileExists(atPath: broken))
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let rejected = try store.submissions(in: Quarter("2026-Q2")!).first { $0.partnerID == "P001" && $0.verdict == .rejected }
        #expect(rejected?.findings.contains { $0.finding.code == .typeError && $0.finding.cell == "twelve" } == true)
        let report = try #require(workspace.read("2026-Q2/impact-report.md"))
        #expect(report.contains("P001"))
    }

    @Test("A table with a header and no rows belongs to the partner its name starts with; with no partner's name it is stray")
    func headerOnlyFiles() throws {
        let workspace = try SampleWorkspace()
        let header = "partner_id,quarter,award_id,person_ref,date,amount,purpose,decided_by,panel_approval_ref\n"
        // P014 made no award this quarter and sends the awards template empty; the other file names no partner.
        for name in ["P014-awards.csv", "awards-blank.csv"] {
            try header.write(toFile: workspace.path + "/returns/2026-Q2/" + name, atomically: true, encoding: .utf8)
        }
        let summary = try workspace.run("2026-Q2")
        #expect(summary.returns.contains { $0.partnerID == "P014" && $0.verdict == .accepted })
        #expect(summary.strayFiles == ["returns/2026-Q2/awards-blank.csv"])
        #expect(RunStage.partner(named: "returns/2026-Q2/P014_awards.csv", among: ["P014"]) == "P014")
        #expect(RunStage.partner(named: "P0140-awards.csv", among: ["P014"]) == nil)
    }

    @Test("A missing workspace, quarter folder or reference table is a clear error")
    func workspaceErrors() throws {
        let folder = TemporaryFolder()
        #expect(throws: ImpactError.self) {
            try RunStage(options: RunOptions(workspace: folder.path + "/nope", quarter: Quarter("2026-Q2")!, out: folder.path, now: 0))
                .run()
        }
        let workspace = try SampleWorkspace()
        do {
            _ = try RunStage(options: RunOptions(workspace: workspace.path, quarter: Quarter("2031-Q1")!, out: workspace.out, now: 0)).run()
            Issue.record("a missing quarter folder must be an error")
        } catch {
            #expect("\(error)".contains("returns/2031-Q1"))
        }
        try FileManager.default.removeItem(atPath: workspace.path + "/reference/funders.csv")
        do {
            _ = try workspace.run("2026-Q2")
            Issue.record("a missing reference table must be an error")
        } catch {
            #expect("\(error)".contains("funders.csv"))
        }
    }

    @Test("Reports/examples hold the sample report and one feedback file, as the run writes them today")
    func examplesAreCurrent() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        for (output, example) in [("2026-Q2/impact-report.md", "impact-report.md"), ("2026-Q2/feedback/P003.md", "feedback-P003.md")] {
            let current = try #require(workspace.read(output))
            let path = TestPaths.repo("Reports/examples/\(example)")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(atPath: TestPaths.repo("Reports/examples"), withIntermediateDirectories: true)
                try current.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let stored = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            #expect(stored == current, "Reports/examples/\(example) is stale: run UPDATE_GOLDEN=1 swift test --filter examplesAreCurrent")
        }
    }
}
