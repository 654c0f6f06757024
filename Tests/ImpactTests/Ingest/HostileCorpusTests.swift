import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A corpus of hostile returns, built at test time (some are tens of megabytes), each checked alone by
/// `impact validate`'s stage and all together in a quarterly run beside a partner's good return. Every file
/// gives findings naming it, or is valid; nothing crashes or hangs, and the good return is still accepted.
@Suite(.serialized) struct HostileCorpusTests {
    static let supportHeader =
        "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref"
    static let rippleHeader = "partner_id,quarter,note_id,theme,outcome_id,note,consent_to_quote"
    static let goodRow = "P0NN,2026-Q2,K7QM-2041,counselling,active,2026-04-01,,,4,3,,"

    /// One hostile file: its name, its bytes, and whether a careful reader would call it valid.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: @Sendable () -> [UInt8]
        var valid = false
        var description: String { name }
    }

    static func csv(_ partner: Int, _ header: String, _ rows: [String], ending: String = "\n") -> [UInt8] {
        let id = "P0\(partner)"
        return Array(([header] + rows.map { $0.replacingOccurrences(of: "P0NN", with: id) }).joined(separator: ending).utf8)
            + Array(ending.utf8)
    }

    static let cases: [Case] = [
        Case(name: "P010-support.csv", bytes: { csv(10, supportHeader, [goodRow]) + [0xC0, 0xAF, 0x2C, 0xFF, 0x0A] }),
        Case(name: "P011-support.csv", bytes: { csv(11, supportHeader, [goodRow.replacingOccurrences(of: "K7QM", with: "K7\u{0}M")]) }),
        Case(
            name: "P012-support.csv",
            bytes: {
                csv(12, supportHeader, [goodRow.replacingOccurrences(of: "counselling", with: String(repeating: "x", count: 50_000_000))])
            }),
        Case(name: "P013-support.csv", bytes: { Array((1...20_000).map { "c\($0)" }.joined(separator: ",").utf8) + [0x0A] }),
        Case(
            name: "P014-support.csv", bytes: { csv(14, supportHeader, [goodRow]) + [UInt8](repeating: 0x0A, count: 1_000_000) },
            valid: true),
        Case(name: "P015-support.csv", bytes: { csv(15, supportHeader, [goodRow]) + Array("P015,2026-Q2,\"unterminated".utf8) }),
        Case(
            name: "P016-support.csv",
            bytes: {
                Array("\(supportHeader)\r\n\(goodRow.replacingOccurrences(of: "P0NN", with: "P016"))\n".utf8)
                    + Array(
                        "\(goodRow.replacingOccurrences(of: "P0NN", with: "P016").replacingOccurrences(of: "K7QM", with: "K8QM"))\r".utf8)
            }, valid: true),
        Case(
            name: "P017-support.csv", bytes: { csv(17, supportHeader, [goodRow.replacingOccurrences(of: "K7QM-", with: "K7QM\u{FEFF}-")]) }),
        Case(
            name: "P018-support.csv",
            bytes: {
                csv(
                    18, supportHeader,
                    [
                        "P0NN,2026-Q2,AAAA-0001,counselling,active,2026-04-01,,,1e400,3,,",
                        "P0NN,2026-Q2,AAAA-0002,counselling,active,2026-04-01,,,-0,0,NaN,",
                        "P0NN,2026-Q2,AAAA-0003,counselling,active,2026-02-30,,,0x10,3,,",
                        "P0NN,2026-Q2,AAAA-0004,counselling,active,31/02/2026,,,4,3,1e400,",
                    ])
            }),
        Case(
            name: "P019-ripple.csv",
            bytes: {
                csv(
                    19, rippleHeader,
                    [
                        "P0NN,2026-Q2,R1,housing,,\"=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\",true",
                        "P0NN,2026-Q2,R2,housing,,<script>alert(1)</script> **bold** [link](http://example.com),true",
                    ])
            }, valid: true),
        Case(name: "P020.json", bytes: { Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8) }),
        Case(
            name: "P021.yaml",
            bytes: {
                var text = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
                for level in 1...9 {
                    text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
                }
                return Array(text.utf8)
            }),
        Case(name: "P022.yaml", bytes: { Array("partner_id: P022\nquarter: 2026-Q2\npartner_id: P023\n".utf8) }),
        Case(name: "P023-support.csv", bytes: { [] }),
    ]

    static func validate(_ path: String) throws -> FileReport? {
        ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded())).run(paths: [path]).files.first
    }

    @Test("Each hostile file alone gives findings naming what is wrong, or is valid, within a time bound", arguments: cases)
    func alone(_ hostile: Case) throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        let path = folder.write(hostile.name, bytes: hostile.bytes())
        let started = Date()
        let report = try #require(try Self.validate(path))
        // A hang detector, not a speed test: a debug build on a busy machine stays far below this.
        #expect(Date().timeIntervalSince(started) < 120, "\(hostile.name) took too long")
        #expect(report.path == path)
        if hostile.valid {
            #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings.prefix(3).map(\.message))")
        } else {
            #expect(!report.findings.isEmpty, "\(hostile.name) gave no finding")
            #expect(report.findings.allSatisfy { !$0.message.isEmpty })
        }
    }

    @Test("A directory, a missing file and a symlink loop where files were expected are clear errors")
    func notFiles() throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        try FileManager.default.createDirectory(atPath: folder.path + "/P030-support.csv", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/loop-a.csv", withDestinationPath: folder.path + "/loop-b.csv")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/loop-b.csv", withDestinationPath: folder.path + "/loop-a.csv")
        let stage = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded()))
        for path in ["/loop-a.csv", "/nothing-here.csv"].map({ folder.path + $0 }) {
            let report = stage.run(paths: [path])
            #expect(report.files.count == 1)
            #expect(report.files.first?.findings.first?.code == .sourceError, "\(path)")
            #expect(report.files.first?.findings.first?.message.contains(path) == true, "\(path)")
        }
        // Searching the folder skips the directory named like a file and the loop, and does not hang.
        let folderReport = stage.run(paths: [folder.path])
        #expect(folderReport.files.allSatisfy { $0.findings.contains { $0.code == .sourceError } })
    }

    @Test("The whole corpus in one quarter: the run completes and the good partner's return is accepted")
    func inARun() throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        let workspace = folder.path + "/ws"
        var options = GeneratorOptions()
        options.partners = 25
        options.peoplePerPartner = 10
        options.quarters = 1
        options.ripplePerPartner = 2
        _ = try WorkspaceGenerator(options: options).write(to: workspace)
        let returns = workspace + "/returns/2026-Q2/"
        // The hostile files replace partners 10 to 23's returns; P001–P009 and P024–P025 stay good.
        for partner in 10...23 {
            for table in ["support", "outcomes", "ripple"] {
                try? FileManager.default.removeItem(atPath: returns + "P0\(partner)-\(table).csv")
            }
        }
        for hostile in Self.cases {
            #expect(FileManager.default.createFile(atPath: returns + hostile.name, contents: Data(hostile.bytes())))
        }
        try FileManager.default.createDirectory(atPath: returns + "P030-support.csv", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: returns + "loop-a.csv", withDestinationPath: returns + "loop-b.csv")
        try FileManager.default.createSymbolicLink(atPath: returns + "loop-b.csv", withDestinationPath: returns + "loop-a.csv")

        let summary = try RunStage(
            options: RunOptions(
                workspace: workspace, quarter: Quarter("2026-Q2")!, out: folder.path + "/out",
                receivedOn: Int32(Quarter("2026-Q2")!.lastDay + 10), now: 1_795_392_000)
        ).run()
        let accepted = Set(summary.returns.filter { $0.verdict == .accepted }.map(\.partnerID))
        for good in ["P001", "P005", "P009", "P024", "P025"] { #expect(accepted.contains(good), "\(good)") }
        #expect(summary.rejected > 0)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/2026-Q2/impact-report.md"))
        // Nothing a partner sent was deleted or moved.
        for hostile in Self.cases { #expect(FileManager.default.fileExists(atPath: returns + hostile.name), "\(hostile.name)") }
    }
}
