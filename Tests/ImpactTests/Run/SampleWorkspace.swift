import Foundation
import TableSchema
import TestSupport

@testable import Impact

/// A private copy of SampleData with its quarters run in order, as `scripts/run-sample` does.
final class SampleWorkspace {
    let folder = TemporaryFolder(prefix: "impact-run")
    var path: String { folder.path + "/ws" }
    var out: String { folder.path + "/out" }
    static let quarters = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    static let received = ["2025-10-20", "2026-01-20", "2026-04-20", "2026-07-20"]
    /// 2026-11-23T00:00:00Z, the fixed moment of every test run.
    static let epoch: Int64 = 1_795_392_000

    init() throws {
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: path)
        try? FileManager.default.removeItem(atPath: path + "/out")
        try? FileManager.default.removeItem(atPath: path + "/.impact")
        try? FileManager.default.removeItem(atPath: path + "/invalid")
    }

    func options(_ quarter: String) -> RunOptions {
        let index = Self.quarters.firstIndex(of: quarter) ?? 3
        guard case .date(let date) = DateFormat.iso.parse(Array(Self.received[index].utf8)[...]) else { fatalError("bad date") }
        return RunOptions(
            workspace: path, quarter: Quarter(quarter)!, out: out, receivedOn: Int32(date.daysSinceEpoch), now: Self.epoch)
    }

    @discardableResult
    func run(_ quarter: String) throws -> RunSummary {
        try RunStage(options: options(quarter)).run()
    }

    @discardableResult
    func runAll() throws -> [RunSummary] {
        try Self.quarters.map { try run($0) }
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: out + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }
}
