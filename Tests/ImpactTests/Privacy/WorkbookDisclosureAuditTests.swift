import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// `impact disclosure-audit` on workbook files: what the run writes passes, a workbook edited by hand
/// to show a complementary cell fails, and files that are not funder workbooks are told apart.
@Suite struct WorkbookDisclosureAuditTests {
    /// One funder, three partners of 3, 20 and 30 people: 3 is hidden, and so is a second count.
    static func input() -> ReportInput {
        var settings = Settings()
        settings.programme = "Audit Alliance"
        settings.disclosureThreshold = 5
        let start = Int32(Quarter(year: 2025, number: 1).firstDay)
        let quarter = WorkbookWriterTests.quarter
        let people = ["P001": 3, "P002": 20, "P003": 30]
        let partners = people.keys.sorted().map {
            Partner(id: $0, name: "Partner \($0)", region: "North", funderIDs: ["F1"], activeFrom: start, activeTo: nil)
        }
        let returns = people.keys.sorted().map { id in
            WorkbookWriterTests.accepted(id, quarter, people: people[id]!, improved: people[id]! / 2, goal: "OG01")
        }
        let submissions = people.keys.sorted().map { id in
            SubmissionSummary(
                partnerID: id, quarter: quarter, verdict: .accepted, receivedOn: Int32(quarter.lastDay + 10), onTime: true,
                isResubmission: false, files: [], findings: [])
        }
        return ReportInput(
            settings: settings,
            reference: ReferenceData(
                partners: partners, funders: [Funder(id: "F1", name: "First Trust")],
                goals: [OutcomeGoal(id: "OG01", title: "Feeling safer", pathway: "Safety", indicator: "score", targetImprovedShare: 0.5)]),
            quarter: quarter, history: [quarter: returns], submissions: submissions, generatedOn: "2026-07-20")
    }

    @Test func writtenWorkbooksPassAndAHandEditedOneFails() throws {
        let folder = TemporaryFolder(prefix: "impact-audit")
        let input = Self.input()
        let writer = WorkbookWriter(provenance: WorkbookProvenance(fileHashes: [:]))
        let written = try writer.write(input: input, to: folder.path, created: WorkbookWriterTests.created)
        let funderBook = written[0]
        let passed = try WorkbookDisclosureAudit.audit(paths: written)
        #expect(passed.exitCode == 0, "\(passed.exposed) \(passed.contradictions)")
        #expect(passed.files.count == 2)
        #expect(passed.files[1].verdict == .programme)

        // Someone publishes a complementary cell by hand: its value goes back where `[c]` was.
        let prepared = try writer.prepare(input: input, earlier: [], programmeFigures: nil)
        let item = prepared.funders[0]
        let masked = try DisclosureMask.apply(prepared.plan, to: item.sheets, workbook: "F1.xlsx").sheets
        var edited = masked
        var restored: String?
        search: for s in edited.indices where edited[s].name == "Partners" {
            for t in edited[s].tables.indices where edited[s].tables[t].name == "Partners" {
                let people = try #require(edited[s].tables[t].columns.firstIndex { $0.header == "People supported" })
                for r in edited[s].tables[t].rows.indices {
                    for c in [people] where edited[s].tables[t].rows[r][c] == .confidential {
                        if case .count(let value) = item.sheets[s].tables[t].rows[r][c], value >= 5 {
                            edited[s].tables[t].rows[r][c] = .count(value)
                            restored = "row \(r) column \(c) = \(value)"
                            break search
                        }
                    }
                }
            }
        }
        #expect(restored != nil, "the plan hid no complementary count in the Partners table")
        let path = folder.path + "/edited-F1.xlsx"
        try WorkbookBuilder(content: item.content).build(path: path, created: WorkbookWriterTests.created, sheets: edited)
        let failed = try WorkbookDisclosureAudit.audit(paths: [path])
        #expect(failed.exitCode == 1)
        #expect(failed.exposed.contains { $0.what.hasPrefix("P001 people supported") }, "\(failed.exposed)")
        // The untouched file still passes on its own.
        #expect(try WorkbookDisclosureAudit.audit(paths: [funderBook]).exitCode == 0)
    }

    @Test func otherFilesAreNotAudited() throws {
        let folder = TemporaryFolder(prefix: "impact-audit")
        let csv = folder.path + "/support.csv"
        try "partner_id,quarter\nP001,2026-Q2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let template = folder.path + "/template.xlsx"
        try TemplateBuilder(
            schemas: SchemaSet.embedded(), reference: ReferenceData(partners: [], funders: [], goals: []), settings: Settings(),
            options: TemplateOptions(created: WorkbookWriterTests.created)
        ).write(to: template)
        let audit = try WorkbookDisclosureAudit.audit(paths: [csv, template])
        #expect(audit.exitCode == 2)
        #expect(audit.files.allSatisfy { if case .notImpact = $0.verdict { true } else { false } })
    }

    /// The generated workspace of small partners: `impact generate --partners 24 --people 14
    /// --quarters 2 --funders 4`, both quarters run, every funder workbook audited together.
    @Test func aGeneratedWorkspaceOfSmallPartnersPassesTheAudit() throws {
        let folder = TemporaryFolder(prefix: "impact-audit-generated")
        let workspace = folder.path + "/ws"
        var options = GeneratorOptions()
        options.partners = 24
        options.peoplePerPartner = 14
        options.quarters = 2
        options.funders = 4
        let manifest = try WorkspaceGenerator(options: options).write(to: workspace)
        var paths: [String] = []
        var hidden = 0
        for quarter in manifest.quarters {
            let parsed = try #require(Quarter(quarter))
            let summary = try RunStage(
                options: RunOptions(
                    workspace: workspace, quarter: parsed, out: folder.path + "/out", receivedOn: Int32(parsed.lastDay + 20),
                    now: SampleWorkspace.epoch)
            ).run()
            let disclosure = try #require(summary.disclosure)
            #expect(disclosure.withheld.isEmpty)
            hidden += disclosure.primary + disclosure.complementary
            paths += (1...4).map { String(format: "\(folder.path)/out/\(quarter)/workbooks/F%02d.xlsx", $0) }
        }
        #expect(hidden > 50)
        let audit = try WorkbookDisclosureAudit.audit(paths: paths)
        #expect(audit.exitCode == 0, "\(audit.exposed.prefix(5)) \(audit.files.map(\.verdict))")
        #expect(audit.files.count == 8)
    }

    @Test func theSampleQuartersPassTheAuditTogether() throws {
        let workspace = try SampleWorkspace()
        let summaries = try workspace.runAll()
        var paths: [String] = []
        for quarter in SampleWorkspace.quarters {
            for funder in ["F01", "F02", "F03"] { paths.append("\(workspace.out)/\(quarter)/workbooks/\(funder).xlsx") }
        }
        #expect(summaries.allSatisfy { $0.disclosure?.withheld.isEmpty == true })
        let audit = try WorkbookDisclosureAudit.audit(paths: paths)
        #expect(audit.exitCode == 0, "\(audit.exposed.prefix(5)) \(audit.contradictions)")
        #expect(audit.files.count == 12)
        // The two cells the issue found: hidden now, and their neighbours too.
        let f02 = try WorkbookDisclosureAudit.readTables(path: "\(workspace.out)/2025-Q3/workbooks/F02.xlsx")
        let byPartner = try #require(f02.first { $0.name == "GoalsByPartner" })
        let improved = try #require(byPartner.column("People improved"))
        let hiddenOG06 = byPartner.rows.filter { $0[2] == .text("OG06") && $0[improved] == .text("[c]") }.count
        #expect(hiddenOG06 >= 4)
        // Every hidden count in them is one marker, [c].
        for table in f02 {
            for row in table.rows { #expect(!row.contains(.text("<5"))) }
        }
    }
}
