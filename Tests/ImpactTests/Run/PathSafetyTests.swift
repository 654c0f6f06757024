import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// IDs that become file names cannot steer a run's writes: whatever the reference tables and returns
/// hold, a run writes only under `--out` and in the workspace's store folder.
@Suite struct PathSafetyTests {
    /// Every file under a folder with its size and modification time.
    static func snapshot(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            guard attributes?[.type] as? FileAttributeType != .typeDirectory else { continue }
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            result[relative] = "\(size) \(modified)"
        }
        return result
    }

    @Test("Partner and funder IDs like ../../escape do not steer writes outside --out and the store")
    func hostileIDsStayInside() throws {
        let root = TemporaryFolder(prefix: "impact-paths")
        let workspace = root.path + "/work/space"
        var options = GeneratorOptions()
        options.partners = 3
        options.peoplePerPartner = 8
        options.quarters = 1
        _ = try WorkspaceGenerator(options: options).write(to: workspace)
        // The workspace's own schemas, loosened so the hostile IDs pass validation: the file-name checks
        // must hold even when the schemas do not protect them.
        try FileManager.default.createDirectory(atPath: workspace + "/Schemas", withIntermediateDirectories: true)
        for file in EmbeddedSchemas.files {
            let loosened = file.json.replacingOccurrences(of: "P[0-9]{3,4}", with: ".+")
                .replacingOccurrences(of: "[A-Za-z][A-Za-z0-9_-]{0,31}", with: ".+")
            try loosened.write(toFile: workspace + "/Schemas/" + file.name, atomically: true, encoding: .utf8)
        }
        let escapePartner = "../../../escape-partner"
        let escapeFunder = "../../../escape-funder"
        let reference = workspace + "/reference/"
        var partners = try String(contentsOfFile: reference + "partners.csv", encoding: .utf8)
        partners += "\(escapePartner),Escape,North,\(escapeFunder),2025-01-01,\n"
        try partners.write(toFile: reference + "partners.csv", atomically: true, encoding: .utf8)
        var funders = try String(contentsOfFile: reference + "funders.csv", encoding: .utf8)
        funders += "\(escapeFunder),Escape Fund\n"
        try funders.write(toFile: reference + "funders.csv", atomically: true, encoding: .utf8)
        let returns = workspace + "/returns/2026-Q2/"
        for table in ["support", "outcomes", "ripple"] {
            let text = try String(contentsOfFile: returns + "P001-\(table).csv", encoding: .utf8)
            try text.replacingOccurrences(of: "P001,", with: "\(escapePartner),")
                .write(toFile: returns + "escape-\(table).csv", atomically: true, encoding: .utf8)
        }

        let before = Self.snapshot(root.path)
        let out = root.path + "/work/out"
        var thrown: (any Error)?
        var summary: RunSummary?
        do {
            summary = try RunStage(
                options: RunOptions(
                    workspace: workspace, quarter: Quarter("2026-Q2")!, out: out,
                    receivedOn: Int32(Quarter("2026-Q2")!.lastDay + 10), now: 1_795_392_000)
            ).run()
        } catch {
            thrown = error
        }
        let after = Self.snapshot(root.path)
        let written = after.filter { before[$0.key] != $0.value }.map(\.key).sorted()
        #expect(!written.isEmpty)
        let outside = written.filter { !$0.hasPrefix("work/out") && !$0.hasPrefix("work/space/.impact") }
        #expect(outside.isEmpty, "written outside --out and the store: \(outside)")
        #expect(!FileManager.default.fileExists(atPath: root.path + "/escape-partner.md"))
        #expect(!written.contains { $0.contains("escape") }, "\(written.filter { $0.contains("escape") })")
        if let thrown { Issue.record("the run stopped: \(thrown)") }
        // Both IDs are reported as problems in the reference tables; the other outputs are written.
        #expect(
            summary?.referenceProblems.contains { $0.file == "reference/partners.csv" && $0.finding.message.contains(escapePartner) }
                == true)
        #expect(
            summary?.referenceProblems.contains { $0.file == "reference/funders.csv" && $0.finding.message.contains(escapeFunder) } == true)
        #expect(FileManager.default.fileExists(atPath: out + "/2026-Q2/workbooks/programme.xlsx"))
        #expect(FileManager.default.fileExists(atPath: out + "/2026-Q2/feedback/P002.md"))
    }
}
