import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// `impact run` killed with SIGKILL at many moments leaves the store consistent and the outputs whole.
@Suite(.serialized) struct CrashSafetyTests {
    @Test(
        "SIGKILL at 12 moments of a run: the store passes its integrity check, outputs are old or new, never half-written, and the next run succeeds"
    )
    func killedRuns() throws {
        guard let executable = TestPaths.impactExecutable else {
            Issue.record("the impact executable was not built beside the tests (run swift build first)")
            return
        }
        let workspace = try SampleWorkspace()
        for quarter in SampleWorkspace.quarters.dropLast() { try workspace.run(quarter) }
        try workspace.run("2026-Q2")
        let reportPath = workspace.out + "/2026-Q2/impact-report.md"
        let complete = try String(contentsOfFile: reportPath, encoding: .utf8)
        // Make the next run do real work: a resubmitted form supersedes P002's return.
        let original = workspace.path + "/returns/2026-Q2/P002.json"
        var text = try String(contentsOfFile: original, encoding: .utf8)
        let submitted = try #require(text.range(of: #""submitted_on": "[0-9-]+""#, options: .regularExpression))
        text.replaceSubrange(submitted, with: #""submitted_on": "2026-08-02""#)
        try text.write(toFile: workspace.path + "/returns/2026-Q2/P002-resent.json", atomically: true, encoding: .utf8)

        var killedMidway = 0
        for attempt in 0..<12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "run", "--workspace", workspace.path, "--quarter", "2026-Q2", "--out", workspace.out, "--quiet", "--received-on",
                "2026-07-20",
            ]
            process.environment = ["SOURCE_DATE_EPOCH": String(SampleWorkspace.epoch), "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(20_000 + attempt * 45_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()
            let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
            #expect(try store.integrityCheck().isEmpty, "attempt \(attempt): integrity check failed")
            let report = try String(contentsOfFile: reportPath, encoding: .utf8)
            #expect(report.hasSuffix("\n") && report.contains("2026-Q2"), "attempt \(attempt): a half-written report")
            // Every Markdown output is whole (a killed run may leave a hidden temporary file, never a torn output).
            for name in try FileManager.default.contentsOfDirectory(atPath: workspace.out + "/2026-Q2/feedback") where name.hasSuffix(".md")
            {
                let feedback = try String(contentsOfFile: workspace.out + "/2026-Q2/feedback/" + name, encoding: .utf8)
                #expect(feedback.hasSuffix("\n") && feedback.contains("2026-Q2"), "attempt \(attempt): \(name) is half-written")
            }
        }
        #expect(killedMidway > 0, "no run was interrupted; the delays are too long for this machine")
        // The next run completes and the resubmission is in.
        let summary = try workspace.run("2026-Q2")
        #expect(summary.accepted + summary.returns.filter(\.unchanged).count >= 13)
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        #expect(try store.integrityCheck().isEmpty)
        #expect(try store.acceptedReturns(in: Quarter("2026-Q2")!).filter { $0.partnerID == "P002" }.count == 1)
        let final = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(final != complete, "the resubmission changes the report")
        #expect(final.lowercased().contains("resubmi"))
    }
}
