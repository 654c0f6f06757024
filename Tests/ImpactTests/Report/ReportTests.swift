import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Shared helpers of the report tests.
enum ReportTestSupport {
    static func render(_ input: ReportInput = FiguresFixture.input) throws -> RenderedReports {
        try ReportRenderer(templates: .embedded()).render(input)
    }

    /// Every output of a rendering, report first.
    static func outputs(_ rendered: RenderedReports) -> [(name: String, text: String)] {
        [("impact-report.md", rendered.report)] + rendered.feedback.map { ("feedback/\($0.partnerID).md", $0.markdown) }
    }

    /// Compares text with a golden file, rewriting the file when UPDATE_GOLDEN=1.
    static func compare(_ text: String, golden relative: String) throws {
        let path = TestPaths.repo(relative)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let data = try #require(FileManager.default.contents(atPath: path), "missing \(relative); run with UPDATE_GOLDEN=1")
        let expected = String(decoding: data, as: UTF8.self)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            let gotLine = line < got.count ? String(got[line]) : "(end)"
            let wantLine = line < want.count ? String(want[line]) : "(end)"
            Issue.record(
                "\(relative) is stale at line \(line + 1) (run with UPDATE_GOLDEN=1 after an intended change):\n  got:      \(gotLine)\n  expected: \(wantLine)"
            )
        }
    }
}

@Suite struct ReportTests {
    // MARK: - Golden files

    @Test("The impact report of the fixture matches its golden file")
    func goldenReport() throws {
        try ReportTestSupport.compare(try ReportTestSupport.render().report, golden: "Tests/ImpactTests/Golden/impact-report.md")
    }

    @Test("Feedback of the fixture matches the golden files", arguments: ["P001", "P002", "P003", "P004"])
    func goldenFeedback(partner: String) throws {
        let feedback = try #require(try ReportTestSupport.render().feedback.first { $0.partnerID == partner })
        try ReportTestSupport.compare(feedback.markdown, golden: "Tests/ImpactTests/Golden/feedback-\(partner).md")
    }

    @Test("docs/metrics.md is generated from MetricDefinitions (UPDATE_GOLDEN=1 rewrites it)")
    func metricsDocument() throws {
        try ReportTestSupport.compare(MetricDefinitions.markdown(), golden: "docs/metrics.md")
    }

    @Test("The report's definitions are the same text as docs/metrics.md")
    func definitionsInReport() throws {
        let rendered = try ReportTestSupport.render()
        let document = MetricDefinitions.markdown()
        for metric in MetricDefinitions.all {
            let line = "- **\(metric.name)**: \(metric.definition)"
            #expect(document.contains(line))
            #expect(rendered.report.contains(line), "the report lacks the definition of \(metric.id)")
            for feedback in rendered.feedback { #expect(feedback.markdown.contains(line)) }
        }
        #expect(rendered.report.contains(MetricDefinitions.formats))
    }

    // MARK: - What the report holds

    @Test("Feedback for every partner expected or with a return, in ID order")
    func feedbackPartners() throws {
        let rendered = try ReportTestSupport.render()
        // P005's contract ended in 2025; P003 is expected but sent nothing.
        #expect(rendered.feedback.map(\.partnerID) == ["P001", "P002", "P003", "P004"])
        let p003 = try #require(rendered.feedback.first { $0.partnerID == "P003" }?.markdown)
        #expect(p003.contains("No return was received for 2026-Q2; it was due by 2026-07-30."))
    }

    @Test("Headline figures, goals, completeness and the charts are in the report")
    func reportContents() throws {
        let report = try ReportTestSupport.render().report
        #expect(report.hasPrefix("# Test Alliance: impact report for 2026-Q2\n"))
        #expect(report.contains("| People supported | 7 | 5 | +2 |"))
        #expect(report.contains("| Attendance rate | 60% | 85% | -25 pts |"))
        #expect(report.contains("| Discretionary fund spent | £3,950.50 | £0.00 | +£3,950.50 |"))
        #expect(report.contains("| OG01 | Feeling safer | 4 | +2.3 | 3 | 75% | 60% | met | +75 pts |"))
        #expect(report.contains("| OG02 | A settled home | 3 | +1.0 | 1 | 33% | 50% | not met | +33 pts |"))
        #expect(report.contains("```mermaid\nxychart-beta\n    title \"Share improved against target (%)\""))
        #expect(report.contains("    bar [75, 33]\n    line [60, 50]"))
        #expect(report.contains("    bar [2, 5, 7]"))
        #expect(report.contains("| Completeness | 75% |"))
        #expect(report.contains("| Timeliness | 50% |"))
        #expect(report.contains("- Saltire Steps (P003)\n"))
        #expect(report.contains("- Larchwood Survivors' Network (P002): received 2026-08-05, 6 days after the due date"))
        #expect(
            report.contains(
                "| Tidewrack Project (P004) | 2026-07-28 | 3 | 0 | returns/2026-Q2/p004-support.csv; returns/2026-Q2/p004-outcomes.csv |"
            ))
        #expect(
            report.contains("- Larchwood Survivors' Network (P002): accepted, received 2026-08-05, replacing 1 earlier return(s)")
        )
        #expect(report.contains("| primary-key | 1 | 0 | 1 |"))
        #expect(report.contains("| Bothy Light Counselling (P001) | OG02 | 2026-Q1 | 5 | 4 | 1 |"))
        #expect(report.contains("- Bothy Light Counselling (P001): 1\n"))
        #expect(report.contains("> Started a college course &amp; loves it.\n>\n> — Bothy Light Counselling, OG01 Feeling safer"))
    }

    @Test("No person reference from the input appears in any report or feedback")
    func noPersonRefs() throws {
        let rendered = try ReportTestSupport.render()
        let refs = FiguresFixture.allPersonRefs
        #expect(refs.count == 10)
        for output in ReportTestSupport.outputs(rendered) {
            for ref in refs {
                #expect(!output.text.lowercased().contains(ref.lowercased()), "\(output.name) shows the person reference \(ref)")
            }
        }
        // The reference typed into P001's narrative is withheld, the rest of the sentence kept.
        #expect(rendered.report.contains("> Waiting list of 12 people: (person reference withheld) waited 10 weeks."))
    }

    @Test("A note without consent to quote never appears; only consented notes are quoted")
    func consentedQuotesOnly() throws {
        let rendered = try ReportTestSupport.render()
        for output in ReportTestSupport.outputs(rendered) {
            #expect(!output.text.contains("SECRET"), "\(output.name) shows a note without consent")
            #expect(!output.text.contains("new flat near the hospital"))
        }
        #expect(rendered.report.contains("> She now visits her sister every week."))
        #expect(rendered.report.contains("> Says the group is \\*the\\* best part of the week."))
    }

    // MARK: - Determinism

    @Test("Rendering is deterministic: twice, and with the input in another order, byte for byte")
    func deterministic() throws {
        let first = try ReportTestSupport.render()
        let second = try ReportTestSupport.render()
        var shuffled = FiguresFixture.input
        shuffled.submissions.reverse()
        shuffled.history = Dictionary(uniqueKeysWithValues: shuffled.history.map { ($0.key, $0.value.reversed()) })
        shuffled.reference = ReferenceData(
            partners: FiguresFixture.reference.partners.reversed(), funders: FiguresFixture.reference.funders,
            goals: FiguresFixture.reference.goals.reversed())
        let third = try ReportTestSupport.render(shuffled)
        for other in [second, third] {
            #expect(other.report == first.report)
            #expect(other.feedback.map(\.partnerID) == first.feedback.map(\.partnerID))
            #expect(other.feedback.map(\.markdown) == first.feedback.map(\.markdown))
        }
    }

    @Test("The entry point of the run stage gives the renderer's outputs")
    func entryPoint() throws {
        let result = try renderReports(FiguresFixture.input, templates: .embedded())
        let rendered = try ReportTestSupport.render()
        #expect(result.report == rendered.report)
        #expect(result.feedback.map(\.partnerID) == rendered.feedback.map(\.partnerID))
    }

    @Test("A quarter with no returns at all renders, with no data instead of NaN")
    func emptyQuarter() throws {
        let input = ReportInput(
            settings: FiguresFixture.settings, reference: FiguresFixture.reference, quarter: FiguresFixture.q2, history: [:],
            submissions: [],
            generatedOn: "2026-08-10")
        let rendered = try ReportTestSupport.render(input)
        #expect(rendered.report.contains("| Attendance rate | no data | no data | no data |"))
        #expect(rendered.report.contains("| Completeness | 0% |"))
        for output in ReportTestSupport.outputs(rendered) {
            for bad in ["nan", "NaN", "inf"] {
                #expect(!output.text.contains(" \(bad) ") && !output.text.contains("| \(bad)"), "\(output.name) shows \(bad)")
            }
        }
        #expect(rendered.feedback.map(\.partnerID) == ["P001", "P002", "P003", "P004"])
    }

    // MARK: - Formats

    @Test("Numbers are written with fixed rules")
    func formats() {
        #expect(ReportFormat.percent(0.285) == "29%")  // a half, away from zero
        #expect(ReportFormat.percent(2.0 / 3.0) == "67%")
        #expect(ReportFormat.percent(nil) == "no data")
        #expect(ReportFormat.points(-25.09) == "-25 pts")
        #expect(ReportFormat.points(0.2) == "0 pts")
        #expect(ReportFormat.oneDecimal(2.25) == "2.3")
        #expect(ReportFormat.oneDecimal(-0.04) == "0.0")
        #expect(ReportFormat.signedOneDecimal(-1.25) == "-1.3")
        #expect(ReportFormat.measure(123.5) == "123.5")
        #expect(ReportFormat.measure(1106) == "1,106")
        #expect(ReportFormat.money(Money(amount: 1200.5), currency: "GBP") == "£1,200.50")
        #expect(ReportFormat.money(Money(amount: 0.07), currency: "EUR") == "€0.07")
        #expect(ReportFormat.money(Money(amount: 1_234_567.891), currency: "USD") == "USD 1,234,567.89")
        #expect(ReportFormat.signedMoney(Money(minorUnits: -500), currency: "GBP") == "-£5.00")
        #expect(ReportFormat.signedCount(0) == "0")
        #expect(ReportFormat.signedMeasure(26) == "+26")
        #expect(ReportFormat.signedMeasure(-0.5) == "-0.5")
        #expect(ReportFormat.count(1_100) == "1,100")
        #expect(ReportFormat.date(Int(FiguresFixture.day("2026-07-30"))) == "2026-07-30")
    }
}
