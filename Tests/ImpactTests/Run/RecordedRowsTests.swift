import Foundation
import TableSchema
import Testing

@testable import Impact

/// The record step keeps the rows it has just stored instead of reading them back: the quarter's history it
/// gives must be exactly what the store gives back, for new, resubmitted and unchanged returns alike.
@Suite struct RecordedRowsTests {
    /// Runs a quarter's steps up to the record step and returns its history with a fresh read of the store.
    static func recordAndReread(
        _ workspace: SampleWorkspace, _ quarter: String
    ) throws -> (
        recorded: [Quarter: [AcceptedReturn]], reread: [Quarter: [AcceptedReturn]], kept: Int
    ) {
        let stage = RunStage(options: workspace.options(quarter))
        let loaded = try Workspace.load(folder: workspace.path, schemas: nil, requireReferences: true)
        let store = try stage.openStore(loaded)
        var validation = ValidationOptions(workspace: loaded, quarter: stage.options.quarter)
        validation.keepRows = true
        let validationStage = ValidationStage(options: validation)
        let files = try stage.scan(loaded, store: store, stage: validationStage, progress: { _ in })
        var (checked, outcomes) = try stage.checkAndRecord(
            stage.group(files, stage: validationStage), stage: validationStage, settings: loaded.settings, in: store,
            progress: { _ in })
        var clock = StepClock()
        let recorded = try stage.readBack(&checked, outcomes: outcomes, from: store, settings: loaded.settings, clock: &clock)
        let kept = recorded.outcomes.filter(\.storedRows).count
        return (recorded.history, try store.history(through: stage.options.quarter), kept)
    }

    @Test("New, resubmitted and unchanged returns: the history in memory is the history in the store")
    func keptRowsAreTheStoredRows() throws {
        let workspace = try SampleWorkspace()
        for quarter in SampleWorkspace.quarters {
            let (recorded, reread, kept) = try Self.recordAndReread(workspace, quarter)
            #expect(kept > 0, "\(quarter): rows kept in memory")
            #expect(recorded == reread, "\(quarter)")
        }
        // A resubmission supersedes P002's return; the others are unchanged and come from the store.
        let original = workspace.path + "/returns/2026-Q2/P002.json"
        var text = try String(contentsOfFile: original, encoding: .utf8)
        let submitted = try #require(text.range(of: #""submitted_on": "[0-9-]+""#, options: .regularExpression))
        text.replaceSubrange(submitted, with: #""submitted_on": "2026-08-01""#)
        try text.write(toFile: workspace.path + "/returns/2026-Q2/P002-resent.json", atomically: true, encoding: .utf8)
        let (recorded, reread, kept) = try Self.recordAndReread(workspace, "2026-Q2")
        #expect(kept == 1)
        #expect(recorded == reread)
        let p002 = try #require(recorded[Quarter("2026-Q2")!]?.first { $0.partnerID == "P002" })
        #expect(p002.isResubmission)
    }
}
