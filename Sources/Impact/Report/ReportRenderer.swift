import Mustache

// MARK: - Rendered reports

/// The Markdown outputs of a quarter.
struct RenderedReports: Sendable {
    /// `impact-report.md`.
    var report: String
    /// `feedback/<partner_id>.md` for each partner with a return or expected this quarter, in ID order.
    var feedback: [(partnerID: String, markdown: String)]

    /// Creates outputs.
    init(report: String, feedback: [(partnerID: String, markdown: String)]) {
        self.report = report
        self.feedback = feedback
    }
}

// MARK: - Renderer

/// Renders the impact report and the partner feedback from Mustache templates.
///
/// Rendering is deterministic: the same input gives byte-identical Markdown. Every value from a partner
/// (names, notes, narrative, findings, file names) is escaped for Markdown and HTML and stripped of person
/// references; quotes are only notes with consent to quote.
struct ReportRenderer: Sendable {
    /// The templates in use.
    let templates: ReportTemplates
    private let library: MustacheLibrary

    /// Creates a renderer, parsing the templates.
    init(templates: ReportTemplates) throws(ReportError) {
        self.templates = templates
        library = try templates.library()
    }

    /// The report and feedback of an input.
    func render(_ input: ReportInput) throws(ReportError) -> RenderedReports {
        let figures = FigureCalculator(settings: input.settings, reference: input.reference).figures(for: input)
        return try render(input, figures: figures)
    }

    /// The report and feedback of an input whose figures are already computed.
    func render(_ input: ReportInput, figures: ReportFigures, jobs: Int = 1) throws(ReportError) -> RenderedReports {
        // One redactor for every document: building it reads every person reference of the quarter.
        let redactor = PersonRefRedactor(refs: figures.personRefs)
        let report = try render(ImpactReportContext(input: input, figures: figures, redactor: redactor), template: "impact-report")
        // Partners' feedback is independent: rendered on `jobs` threads, kept in partner order.
        let partners = figures.submissions.partners.filter { FileNames.isSafe($0.partnerID) }
        let rendered = partners.parallelMap(jobs: jobs) { partner in
            Result { () throws(ReportError) in
                let context = FeedbackContext(partner: partner, input: input, figures: figures, redactor: redactor)
                return (partnerID: partner.partnerID, markdown: try render(context, template: "feedback"))
            }
        }
        var feedback: [(partnerID: String, markdown: String)] = []
        for result in rendered { feedback.append(try result.get()) }
        return RenderedReports(report: report, feedback: feedback)
    }

    /// `impact-report.md`.
    func impactReport(_ input: ReportInput, figures: ReportFigures) throws(ReportError) -> String {
        try render(ImpactReportContext(input: input, figures: figures), template: "impact-report")
    }

    /// `feedback/<partner_id>.md` for one partner of ``SubmissionFigures/partners``.
    func feedback(for partner: PartnerSubmission, input: ReportInput, figures: ReportFigures) throws(ReportError) -> String {
        try render(FeedbackContext(partner: partner, input: input, figures: figures), template: "feedback")
    }

    private func render(_ context: Any, template name: String) throws(ReportError) -> String {
        guard let text = library.render(context, withTemplate: name) else { throw .missingTemplate(name: name) }
        return Self.tidy(text)
    }

    // MARK: - Helpers

    /// The Markdown with trailing spaces removed, at most one blank line in a row, and one final line break.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line
            while line.last == " " { line = line.dropLast() }
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

// MARK: - Entry point

/// Renders a quarter's impact report and partner feedback: the entry point of the run stage.
///
/// - Returns: the text of `impact-report.md`, and for each partner with a return or expected this quarter
///   (in ID order) its ID and the text of `feedback/<partner_id>.md`.
func renderReports(
    _ input: ReportInput, templates: ReportTemplates, figures: ReportFigures? = nil, jobs: Int = 1
) throws(ReportError) -> (report: String, feedback: [(partnerID: String, markdown: String)]) {
    let renderer = try ReportRenderer(templates: templates)
    let rendered: RenderedReports
    if let figures {
        rendered = try renderer.render(input, figures: figures, jobs: jobs)
    } else {
        rendered = try renderer.render(input)
    }
    return (rendered.report, rendered.feedback)
}
