import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// No return can inject Markdown or HTML into a report, and templates cannot switch the escaping off.
@Suite struct ReportTestsEscaping {
    // MARK: - The escaper

    @Test(
        "Markdown and HTML specials are escaped",
        arguments: [
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            ("![img](http://x/y.png)", "\\!\\[img\\](http://x/y.png)"),
            ("| col |", "\\| col \\|"),
            ("# heading", "\\# heading"),
            ("> quoted", "&gt; quoted"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("1. item", "1\\. item"),
            ("12) item", "12\\) item"),
            ("===", "\\==="),
            ("---", "\\---"),
            ("*bold* _it_ ~~del~~ `code`", "\\*bold\\* \\_it\\_ \\~\\~del\\~\\~ \\`code\\`"),
            ("a \\ b", "a \\\\ b"),
            ("Smith & Sons &lt;", "Smith &amp; Sons &amp;lt;"),
            ("$x$", "\\$x\\$"),
            ("line one\nline two\r\n\n  three\u{2028}four\tfive", "line one line two three four five"),
            ("  padded  ", "padded"),
            ("bidi\u{202E}override\u{0007}", "bidioverride"),
            ("-3.5", "-3.5"),
            ("+5 pts", "+5 pts"),
            ("+£3,950.50", "+£3,950.50"),
            ("-x", "-x"),
            ("- -", "\\- -"),
            ("-", "\\-"),
            ("1.5", "1.5"),
            ("2026-07-30", "2026-07-30"),
        ])
    func escaper(input: String, expected: String) {
        #expect(MarkdownEscaper.escape(input) == expected)
    }

    @Test("Person references are withheld as whole words, whatever their case")
    func redactor() {
        let redactor = PersonRefRedactor(refs: ["K7QM-2041", "AB12"])
        #expect(redactor.redact("K7QM-2041 said") == "(person reference withheld) said")
        #expect(redactor.redact("see k7qm-2041.") == "see (person reference withheld).")
        #expect(redactor.redact("XAB12 and AB123 stay, AB12 goes") == "XAB12 and AB123 stay, (person reference withheld) goes")
        #expect(redactor.redact("file AB12-notes.csv") == "file (person reference withheld)-notes.csv")
        #expect(PersonRefRedactor(refs: []).redact("AB12") == "AB12")
    }

    @Test("Findings never show a person reference or note text, even one the history does not know")
    func withheldFindingValues() {
        let text = ContextText(redactor: PersonRefRedactor(refs: []))
        func message(_ finding: Finding) -> String { text.message(FileFinding(file: "x.csv", finding: finding)) }
        let key = Finding(
            .error, .primaryKey, rowNumber: 4, fieldName: "outcome_id", fieldNumber: 4, cell: "OG01",
            message:
                "Row 4: (partner_id, quarter, person_ref, outcome_id) = (P001, 2026-Q2, NEW1-0001, OG01) is already used at row 2."
        )
        #expect(
            message(key) == "Row 4: (partner_id, quarter, person_ref, outcome_id) = (value withheld) is already used at row 2.")
        let note = Finding(
            .error, .constraintError, rowNumber: 3, fieldName: "note", fieldNumber: 6, cell: "private words",
            message: "Row 3, column note: is too long, found \"private words\".")
        #expect(message(note) == "Row 3, column note: is too long, found (value withheld).")
        let form = Finding(
            .error, .formError, message: "/ripple/2/note: expected a string, found \"secret\"", pointer: "/ripple/2/note")
        #expect(message(form) == "/ripple/2/note: expected a string, found (value withheld)")
        for field in ["text", "title", "highlights", "challenges", "what_would_help"] {
            let story = Finding(
                .error, .constraintError, rowNumber: 2, fieldName: field, fieldNumber: 5, cell: "Mrs Brown's words",
                message: "Row 2, column \(field): \"Mrs Brown's words\" is not allowed.")
            #expect(message(story) == "Row 2, column \(field): (value withheld) is not allowed.")
        }
        let other = Finding(
            .error, .constraintError, rowNumber: 3, fieldName: "sessions_offered", fieldNumber: 10, cell: "450",
            message: "Row 3, column sessions_offered: must be at most 400, found \"450\".")
        #expect(message(other) == other.message)
    }

    // MARK: - A hostile return, end to end

    static let hostile = [
        "<script>alert(1)</script>", "[x](javascript:alert(1))", "| col |", "# heading", "> quoted", "- item", "1. item",
        "<img src=x onerror=alert(1)>", "{{programme}}",
    ]

    static var hostileInput: ReportInput {
        let q2 = FiguresFixture.q2
        let text = hostile.joined(separator: "\n")
        var reference = FiguresFixture.reference
        reference.partners[0].name = "# Evil <b>Partner</b> | x |"
        let value = AcceptedReturn(
            partnerID: "P001", quarter: q2, receivedOn: FiguresFixture.day("2026-07-01"), onTime: true, isResubmission: false,
            support: [FiguresFixture.support("P001", q2, "HOST-0001", "active", start: "2026-04-02", offered: 1, attended: 1)],
            outcomes: [FiguresFixture.outcome("P001", q2, "HOST-0001", "OG01", 1, 5)],
            ripple: [
                FiguresFixture.note("P001", "X1", "other", text, consent: true),
                FiguresFixture.note("P001", "X2", "other", "HIDDEN " + text, consent: false),
            ],
            narrative: Narrative(
                highlights: text, challenges: "# heading\n\n| a | b |", whatWouldHelp: "[x](javascript:alert(1))"))
        let finding = Finding(
            .error, .constraintError, rowNumber: 2, fieldName: "support_type", fieldNumber: 4, cell: text,
            message: "Row 2, column support_type: expected one of counselling, found \"\(text)\".")
        let rejected = SubmissionSummary(
            partnerID: "P002", quarter: q2, verdict: .rejected, receivedOn: FiguresFixture.day("2026-07-02"), onTime: true,
            isResubmission: false, files: ["returns/2026-Q2/[x](javascript:alert(1)).csv"],
            findings: [FileFinding(file: "returns/2026-Q2/[x](javascript:alert(1)).csv", finding: finding)])
        return ReportInput(
            settings: FiguresFixture.settings, reference: reference, quarter: q2, history: [q2: [value]], submissions: [rejected],
            strayFiles: [("returns/2026-Q2/<script>.csv", [])], generatedOn: "2026-08-10")
    }

    @Test("A return's notes, narrative, name, findings and file names cannot inject Markdown or HTML")
    func hostileReturn() throws {
        let rendered = try ReportTestSupport.render(Self.hostileInput)
        #expect(rendered.report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(rendered.report.contains("\\# Evil &lt;b&gt;Partner&lt;/b&gt; \\| x \\|"))
        // A value is never read as a template.
        #expect(rendered.report.contains("{{programme}}"))
        for output in ReportTestSupport.outputs(rendered) {
            let text = output.text
            #expect(!text.contains("<script"), "\(output.name) has raw HTML")
            #expect(!text.contains("<img"), "\(output.name) has raw HTML")
            #expect(!text.contains("<b>"), "\(output.name) has raw HTML")
            #expect(!text.contains("[x]("), "\(output.name) has a link")
            #expect(!text.contains("HIDDEN"), "\(output.name) shows a note without consent")
            #expect(!text.contains("HOST-0001"), "\(output.name) shows a person reference")
            for line in text.split(separator: "\n") {
                // Every heading, list item, quote or table row comes from the template, never from a value.
                #expect(!line.hasPrefix("# heading") && !line.hasPrefix("# Evil"), "\(output.name): \(line)")
                #expect(!line.hasPrefix("- item") && !line.hasPrefix("1. item"), "\(output.name): \(line)")
                #expect(!line.contains("| col |") && !line.contains("| a | b |"), "\(output.name): \(line)")
                #expect(!line.hasPrefix("> > quoted") && !line.hasPrefix("> quoted"), "\(output.name): \(line)")
            }
            // Table rows keep the template's number of cells: no value adds an unescaped pipe.
            for line in text.split(separator: "\n") where line.hasPrefix("| ") && line.contains("Evil") {
                let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
                #expect(cells >= 3, "\(output.name): \(line)")
            }
        }
        // The quoted note stays one blockquote line; the narrative's paragraphs stay quoted.
        let quoteLine = rendered.report.split(separator: "\n").first { $0.contains("alert(1)&lt;/script&gt; \\[x\\]") }
        #expect(quoteLine?.hasPrefix("> ") == true)
        #expect(rendered.report.contains("> \\# heading\n>\n> \\| a \\| b \\|"))
    }

    // MARK: - Templates

    @Test("A template may not switch off escaping")
    func unsafeTemplates() {
        let base = ReportTemplates.embedded().texts
        func attempt(_ template: String) -> ReportError? {
            var texts = base
            texts["feedback"] = template
            do {
                _ = try ReportTemplates(texts: texts, origin: "test")
                return nil
            } catch {
                return error
            }
        }
        #expect(attempt("{{{name}}}") != nil)
        #expect(attempt("{{& name}}") != nil)
        #expect(attempt("{{% CONTENT_TYPE: TEXT}}{{name}}") != nil)
        #expect(attempt("{{=<% %>=}}<%{name}%>") != nil)
        #expect(attempt("{{#unclosed}}") != nil)
        #expect(attempt("{{name}} and {{{definition}}}") == nil)
    }

    @Test("The embedded templates are the files in Reports/templates/ (run scripts/embed-templates after editing them)")
    func embeddedTemplatesAreCurrent() throws {
        let folder = TestPaths.repo("Reports/templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }.sorted()
        #expect(EmbeddedTemplates.files.map(\.name) == names)
        for file in EmbeddedTemplates.files {
            let onDisk = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file.name), encoding: .utf8)
            #expect(file.text == onDisk, "Reports/templates/\(file.name) changed; run scripts/embed-templates")
        }
        #expect(Set(ReportTemplates.names.map { "\($0).mustache" }) == Set(names))
    }

    @Test("A workspace's Reports/templates/ overrides the built-in templates, file by file")
    func workspaceTemplates() throws {
        let workspace = TemporaryFolder()
        #expect(try ReportTemplates.forWorkspace(workspace.path).origin == "built-in templates")
        workspace.write("Reports/templates/feedback.mustache", text: "Feedback for {{name}}: {{quarter}}\n")
        let templates = try ReportTemplates.forWorkspace(workspace.path)
        #expect(templates.texts["feedback"] == "Feedback for {{name}}: {{quarter}}\n")
        #expect(templates.texts["impact-report"] == ReportTemplates.embedded().texts["impact-report"])
        let rendered = try ReportRenderer(templates: templates).render(FiguresFixture.input)
        #expect(rendered.feedback.first?.markdown == "Feedback for Bothy Light Counselling: 2026-Q2\n")
        workspace.write("Reports/templates/impact-report.mustache", text: "{{{programme}}}")
        #expect(throws: ReportError.self) { try ReportTemplates.forWorkspace(workspace.path) }
    }
}
