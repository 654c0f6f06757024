import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A run reads earlier quarters from the digests earlier runs stored: its outputs must be those of a run
/// that reads every row, and a digest that is damaged, stale or missing is made again.
@Suite(.serialized) struct ReturnDigestRunTests {
    /// How many digests the store holds, by key.
    static func digestKeys(_ store: Store) throws -> [String] {
        try store.dumpForTesting()["return_digest"]?.compactMap { row in
            row.range(of: #"key:"[^"]*""#, options: .regularExpression).map { String(row[$0]) }
        } ?? []
    }

    /// The outputs of a run of `quarter`.
    static func outputs(of workspace: SampleWorkspace, _ quarter: String) throws -> [String: Data] {
        try workspace.run(quarter)
        return try folderSnapshot(workspace.out + "/" + quarter)
    }

    @Test("Runs store every return's digest; a run reading earlier quarters from them writes the same bytes as one reading rows")
    func sameOutputs() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let loaded = try Workspace.load(folder: workspace.path, schemas: nil, requireReferences: true)
        let key = ReturnDigest.key(settings: loaded.settings)
        let accepted = try SampleWorkspace.quarters.reduce(0) { $0 + (try store.acceptedReturns(in: Quarter($1)!).count) }
        #expect(try Self.digestKeys(store) == Array(repeating: "key:\"\(key)\"", count: accepted))

        // The last quarter's run reads the three before it from digests alone, and its own rows.
        let stage = RunStage(options: workspace.options("2026-Q2"))
        let read = try stage.readHistory(from: store, known: [:], settings: loaded.settings)
        #expect(read.undigested.isEmpty)
        for (quarter, returns) in read.returns {
            let fromDigests = quarter < Quarter("2026-Q2")!
            #expect(returns.allSatisfy { ($0.digest != nil) == fromDigests && $0.support.isEmpty == fromDigests }, "\(quarter)")
        }

        let withDigests = try Self.outputs(of: workspace, "2026-Q2")
        try store.executeForTesting("DELETE FROM return_digest")
        let fromRows = try Self.outputs(of: workspace, "2026-Q2")
        #expect(withDigests.count > 15)
        #expect(withDigests == fromRows)
        // The run that found none stored them again.
        #expect(try Self.digestKeys(store).count == accepted)

        // A damaged digest: the run reads rows instead, writes the same outputs and stores a sound digest.
        try store.executeForTesting(
            "UPDATE return_digest SET data = x'0203' WHERE submission_id = (SELECT min(submission_id) FROM return_digest)")
        #expect(try Self.outputs(of: workspace, "2026-Q2") == fromRows)
        let again = try stage.readHistory(from: store, known: [:], settings: loaded.settings)
        #expect(again.undigested.isEmpty)
        #expect(again.returns[Quarter("2025-Q3")!]?.allSatisfy { $0.digest != nil } == true)

        // An earlier quarter resubmitted with another baseline: the new return is digested by its quarter's run,
        // the one it replaced is not read, and the next quarter's outputs are those of its rows.
        let original = workspace.path + "/returns/2026-Q1/P002.json"
        var text = try String(contentsOfFile: original, encoding: .utf8)
        let submitted = try #require(text.range(of: #""submitted_on": "[0-9-]+""#, options: .regularExpression))
        text.replaceSubrange(submitted, with: #""submitted_on": "2026-05-01""#)
        let baseline = try #require(text.range(of: #""baseline_score": [0-9]+"#, options: .regularExpression))
        text.replaceSubrange(baseline, with: #""baseline_score": 2"#)
        try text.write(toFile: workspace.path + "/returns/2026-Q1/P002-resent.json", atomically: true, encoding: .utf8)
        let resent = try workspace.run("2026-Q1")
        #expect(resent.superseded == 1)
        let afterResubmission = try stage.readHistory(from: store, known: [:], settings: loaded.settings)
        #expect(afterResubmission.undigested.isEmpty)
        let p002 = try #require(afterResubmission.returns[Quarter("2026-Q1")!]?.first { $0.partnerID == "P002" })
        #expect(p002.isResubmission && p002.digest?.baselines.first?.score == 2)
        let resubmittedWithDigests = try Self.outputs(of: workspace, "2026-Q2")
        #expect(resubmittedWithDigests != fromRows)
        try store.executeForTesting("DELETE FROM return_digest")
        #expect(try Self.outputs(of: workspace, "2026-Q2") == resubmittedWithDigests)
    }

    @Test("A changed coordinator limit makes the digests stale: the run counts from rows and stores new ones")
    func changedLimit() throws {
        let workspace = try SampleWorkspace()
        try workspace.runAll()
        let settingsPath = workspace.path + "/impact.yaml"
        let settings = try String(contentsOfFile: settingsPath, encoding: .utf8)
        let changed = settings.replacingOccurrences(
            of: #"coordinator_limit: *[0-9.]+"#, with: "coordinator_limit: 40", options: .regularExpression)
        #expect(changed != settings, "the sample sets a coordinator limit")
        try changed.write(toFile: settingsPath, atomically: true, encoding: .utf8)
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let loaded = try Workspace.load(folder: workspace.path, schemas: nil, requireReferences: true)
        let stage = RunStage(options: workspace.options("2026-Q2"))
        let stale = try stage.readHistory(from: store, known: [:], settings: loaded.settings)
        #expect(stale.returns.values.allSatisfy { $0.allSatisfy { $0.digest == nil } })

        let afterChange = try Self.outputs(of: workspace, "2026-Q2")
        #expect(try Self.digestKeys(store).allSatisfy { $0 == "key:\"\(ReturnDigest.key(settings: loaded.settings))\"" })
        let reread = try Self.outputs(of: workspace, "2026-Q2")
        try store.executeForTesting("DELETE FROM return_digest")
        #expect(try Self.outputs(of: workspace, "2026-Q2") == afterChange)
        #expect(reread == afterChange)
    }

    @Test("A generated programme of mixed formats with rejected returns: digests change no output")
    func generatedProgramme() throws {
        let folder = TemporaryFolder(prefix: "impact-digests")
        var generator = GeneratorOptions()
        generator.partners = 8
        generator.peoplePerPartner = 30
        generator.quarters = 3
        generator.format = .mixed
        generator.errorShare = 0.01
        for name in ["digests", "rows"] {
            _ = try WorkspaceGenerator(options: generator).write(to: folder.path + "/" + name)
        }
        for name in ["digests", "rows"] {
            let store = try Store(path: folder.path + "/" + name + "/" + Store.defaultRelativePath)
            for quarter in ["2025-Q4", "2026-Q1", "2026-Q2"] {
                let parsed = try #require(Quarter(quarter))
                let options = RunOptions(
                    workspace: folder.path + "/" + name, quarter: parsed, out: folder.path + "/" + name + "/out",
                    receivedOn: Int32(parsed.lastDay + 20), now: 1_795_392_000)
                if name == "rows" { try store.executeForTesting("DELETE FROM return_digest") }
                _ = try RunStage(options: options).run()
            }
        }
        let digests = try folderSnapshot(folder.path + "/digests/out")
        #expect(digests.count > 20)
        #expect(digests == (try folderSnapshot(folder.path + "/rows/out")))
    }
}
