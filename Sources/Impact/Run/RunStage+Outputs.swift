import Dates
import Foundation

// MARK: - Figures: computed once for the report, the feedback and every workbook

/// The quarter's figures and the funder workbooks' disclosure plan (the compute step's result).
struct ComputedQuarter {
    /// What the report and the workbooks are made from.
    var input: ReportInput
    /// The figures, computed once.
    var figures: ReportFigures
    /// The workbook writer and every workbook planned, with what disclosure control hides.
    var writer: WorkbookWriter
    var workbooks: WorkbookWriter.Prepared
    /// What disclosure control hid, and which funder workbooks it withheld.
    var disclosure: DisclosureSummary
}

/// The files written (the render step's result), and what the funder workbooks published.
struct RenderedOutputs {
    var paths: [String]
    var publications: [Publication]
    /// Each partner's feedback as written, for the portal (kept in the store).
    var feedback: [(partnerID: String, markdown: String)] = []
}

extension RunStage {
    /// Computes the figures from what the store holds, and plans every funder workbook together with what
    /// was published before (disclosure control).
    func compute(_ recorded: RecordedQuarter, workspace: Workspace, clock: inout StepClock) throws(ImpactError) -> ComputedQuarter {
        var input = ReportInput(
            settings: workspace.settings, reference: workspace.reference, quarter: options.quarter, history: recorded.history,
            submissions: recorded.submissions, strayFiles: recorded.strayFiles,
            generatedOn: CivilDate(daysSinceEpoch: Int(options.now / 86_400)).iso)
        input.commentary = try Commentary.load(workspace: workspace, quarter: options.quarter)
        input.featuredChoice = try FeaturedChoice.load(workspace: workspace, quarter: options.quarter)
        input.featuredBefore = recorded.featuredBefore
        input.actions = recorded.actions
        let (figures, tallies) = FigureCalculator(settings: input.settings, reference: input.reference, jobs: options.jobs)
            .tallied(input)
        clock.lap("figures")
        let writer = WorkbookWriter(
            provenance: WorkbookProvenance(ledger: recorded.ledger, schemas: workspace.schemas), jobs: options.jobs)
        let prepared: WorkbookWriter.Prepared
        do {
            // The funders' workbooks cover some of the partners: they reuse the partners' tallies.
            prepared = try writer.prepare(
                input: input, earlier: recorded.earlierPublications, programmeFigures: figures, tallies: tallies)
        } catch let error as ImpactError {
            throw error
        } catch {
            throw .unwritablePath((outFolder as NSString).appendingPathComponent("workbooks"), reason: "\(error)")
        }
        let disclosure = DisclosureSummary(plan: prepared.plan, funders: prepared.funders.map(\.funder.id))
        input.disclosure = disclosure
        clock.lap("workbook plans and disclosure")
        return ComputedQuarter(input: input, figures: figures, writer: writer, workbooks: prepared, disclosure: disclosure)
    }

    // MARK: - Render and output

    /// Writes the report and feedback, and the workbooks, side by side.
    func render(_ quarter: ComputedQuarter, workspace: Workspace) throws(ImpactError) -> RenderedOutputs {
        let outFolder = self.outFolder
        let written = [0, 1].parallelMap(jobs: min(2, options.jobs)) { part in
            Result { () throws(ImpactError) -> RenderedOutputs in
                if part == 0 {
                    let written = try writeReports(quarter.input, figures: quarter.figures, workspace: workspace, outFolder: outFolder)
                    return RenderedOutputs(paths: written.paths, publications: [], feedback: written.feedback)
                }
                do {
                    let result = try quarter.writer.write(
                        quarter.workbooks, to: outFolder, created: Date(timeIntervalSince1970: TimeInterval(options.now)))
                    return RenderedOutputs(paths: result.paths, publications: result.publications)
                } catch let error as ImpactError {
                    throw error
                } catch {
                    throw .unwritablePath((outFolder as NSString).appendingPathComponent("workbooks"), reason: "\(error)")
                }
            }
        }
        var rendered = RenderedOutputs(paths: [], publications: [])
        for part in written {
            let result = try part.get()
            rendered.paths += result.paths
            rendered.publications += result.publications
            rendered.feedback += result.feedback
        }
        return rendered
    }

    /// How many output files are written at once, each waiting for its flush to disk.
    static let fileWriters = 8

    /// Renders the impact report and partner feedback and writes them atomically under `outFolder`.
    ///
    /// Templates come from the workspace's `Reports/templates/` when it has one, else from the copies
    /// built into the program.
    func writeReports(
        _ input: ReportInput, figures: ReportFigures, workspace: Workspace, outFolder: String
    ) throws(ImpactError)
        -> (paths: [String], feedback: [(partnerID: String, markdown: String)])
    {
        let rendered: (report: String, feedback: [(partnerID: String, markdown: String)])
        do {
            let templates = try ReportTemplates.forWorkspace(options.workspace)
            rendered = try renderReports(input, templates: templates, figures: figures, jobs: options.jobs)
        } catch {
            throw .template(error)
        }
        var written: [String] = []
        let reportPath = (outFolder as NSString).appendingPathComponent("impact-report.md")
        try AtomicFile.write(rendered.report, to: reportPath)
        written.append(reportPath)
        for (partnerID, _) in rendered.feedback where !FileNames.isSafe(partnerID) {
            throw .invalidArgument(
                name: "partner_id", value: partnerID, reason: "it cannot be used as a file name; use letters, digits, - and _")
        }
        // Each file waits for the disk (it is flushed before it is moved into place), so several are written at
        // once, more than there are cores; the first failure, in partner order, is the one reported.
        let feedbackFolder = (outFolder as NSString).appendingPathComponent("feedback")
        do {
            // Made once here, not by each writer at the same moment.
            if !rendered.feedback.isEmpty {
                try FileManager.default.createDirectory(atPath: feedbackFolder, withIntermediateDirectories: true)
            }
        } catch {
            throw .unwritablePath(feedbackFolder, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        let feedbackPaths = rendered.feedback.map { (outFolder as NSString).appendingPathComponent("feedback/\($0.partnerID).md") }
        let writes = Array(zip(rendered.feedback, feedbackPaths)).parallelMap(jobs: max(options.jobs, Self.fileWriters)) {
            feedback, path in
            Result { () throws(ImpactError) in try AtomicFile.write(feedback.markdown, to: path) }
        }
        for write in writes { try write.get() }
        return (written + feedbackPaths, rendered.feedback)
    }
}
