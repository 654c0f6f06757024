import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The impact lead's commentary (`Reports/commentary/<quarter>.md`) opens the report, made safe; a quarter
/// without one is a warning in the run summary.
@Suite struct CommentaryTests {
    private let text = ContextText(redactor: PersonRefRedactor(refs: ["K7QM-2041"]))

    @Test(
        "Commentary keeps its Markdown, but its headings sit under the report's section and HTML shows as text",
        arguments: [
            ("# Summary\nAll well.", "### Summary\nAll well."),
            ("## Why\n### Detail\n#### Finer\n###### Six", "#### Why\n##### Detail\n###### Finer\n###### Six"),
            ("#no space stays", "#no space stays"),
            ("    # indented code stays", "    # indented code stays"),
            ("A title\n===\nbody", "A title\n\\===\nbody"),
            ("A title\n---\nbody", "A title\n\n---\nbody"),
            ("Lists *stay*:\n\n- one\n- [a link](https://example.org)", "Lists *stay*:\n\n- one\n- [a link](https://example.org)"),
            ("<script>alert(1)</script> and <b>bold</b>", "&lt;script>alert(1)&lt;/script> and &lt;b>bold&lt;/b>"),
            ("K7QM-2041 did well", "(person reference withheld) did well"),
            ("```\n# not a heading <b>\n```\n# heading", "```\n# not a heading <b>\n```\n### heading"),
            ("\n\n  \nText\r\n\r\n", "Text"),
        ])
    func madeSafe(input: String, expected: String) {
        #expect(text.commentary(input) == expected)
    }

    @Test("The quarter's commentary opens the report; without one the run summary warns and the report has no such section")
    func openingTheReport() throws {
        let sample = try SampleWorkspace()
        // The sample has a commentary for 2026-Q2: without it first.
        let folder = sample.path + "/Reports/commentary"
        let written = try String(contentsOfFile: folder + "/2026-Q2.md", encoding: .utf8)
        #expect(written.hasPrefix("# The quarter in brief"))
        try FileManager.default.removeItem(atPath: folder + "/2026-Q2.md")
        try sample.run("2026-Q1")
        let without = try sample.run("2026-Q2")
        #expect(without.commentary == nil)
        #expect(RunSummaryFormatter.text(without).contains("Warning: the report has no commentary for 2026-Q2"))
        #expect(sample.read("2026-Q2/impact-report.md")?.contains("Summary from the impact lead") == false)

        try "# The quarter in brief\n\nReferrals rose; <i>travel</i> is still the barrier partners name most.\n"
            .write(toFile: folder + "/2026-Q2.md", atomically: true, encoding: .utf8)
        let with = try sample.run("2026-Q2")
        #expect(with.commentary == "Reports/commentary/2026-Q2.md")
        #expect(!RunSummaryFormatter.text(with).contains("no commentary"))
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        let summary = try #require(report.range(of: "## Summary from the impact lead\n\n### The quarter in brief\n\n"))
        let headlines = try #require(report.range(of: "## Headline figures"))
        #expect(summary.upperBound < headlines.lowerBound)
        #expect(
            report.contains(
                "Referrals rose; &lt;i>travel&lt;/i> is still the barrier partners name most.\n\n*From Reports/commentary/2026-Q2.md.*"))
        // Another quarter's commentary is not this one's.
        try FileManager.default.moveItem(atPath: folder + "/2026-Q2.md", toPath: folder + "/2026-Q1.md")
        #expect(try sample.run("2026-Q2").commentary == nil)
    }

    @Test("A commentary that cannot be read stops the run with what to do")
    func unreadable() throws {
        let sample = try SampleWorkspace()
        let folder = sample.path + "/Reports/commentary"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data([0x41, 0xFF, 0xFE, 0x42]).write(to: URL(fileURLWithPath: folder + "/2026-Q2.md"))
        #expect {
            try sample.run("2026-Q2")
        } throws: { error in
            "\(error)".contains("not UTF-8") || ((error as? ImpactError)?.description.contains("not UTF-8") ?? false)
        }
        try FileManager.default.removeItem(atPath: folder + "/2026-Q2.md")
        try "   \n".write(toFile: folder + "/2026-Q2.md", atomically: true, encoding: .utf8)
        #expect(try sample.run("2026-Q2").commentary == nil)
    }
}
