import Foundation

extension RunStage {
    /// Renders the impact report and partner feedback and writes them atomically under `outFolder`.
    ///
    /// Templates come from the workspace's `Reports/templates/` when it has one, else from the copies
    /// built into the program.
    func writeReports(
        _ input: ReportInput, figures: ReportFigures, workspace: String, outFolder: String
    ) throws(ImpactError)
        -> [String]
    {
        let own = (workspace as NSString).appendingPathComponent("Reports/templates")
        let templates: ReportTemplates
        do {
            templates = FileManager.default.fileExists(atPath: own) ? try ReportTemplates.load(folder: own) : ReportTemplates.embedded()
        } catch {
            throw .template("\(error)")
        }
        let rendered: (report: String, feedback: [(partnerID: String, markdown: String)])
        do {
            rendered = try renderReports(input, templates: templates, figures: figures, jobs: options.jobs)
        } catch {
            throw .template("\(error)")
        }
        var written: [String] = []
        let reportPath = (outFolder as NSString).appendingPathComponent("impact-report.md")
        try AtomicFile.write(rendered.report, to: reportPath)
        written.append(reportPath)
        for (partnerID, markdown) in rendered.feedback {
            guard FileNames.isSafe(partnerID) else {
                throw .invalidArgument(
                    name: "partner_id", value: partnerID, reason: "it cannot be used as a file name; use letters, digits, - and _")
            }
            let path = (outFolder as NSString).appendingPathComponent("feedback/\(partnerID).md")
            try AtomicFile.write(markdown, to: path)
            written.append(path)
        }
        return written
    }
}
