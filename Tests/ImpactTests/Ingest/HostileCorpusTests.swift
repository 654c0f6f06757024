import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A corpus of hostile returns, each checked alone by `impact validate`'s stage and all together in a
/// quarterly run beside partners' good returns. Every file gives findings naming it, or is valid; nothing
/// crashes or hangs, and the good returns are still accepted.
///
/// Most files are kept in `Tests/Fixtures/hostile/` (its README says what each one is). Two are built
/// here because they are large (a 50 MB cell, a million empty lines), and the ones git cannot hold (a
/// folder, a symlink loop, a pipe, an unreadable file) are made in the test's temporary folder.
@Suite(.serialized) struct HostileCorpusTests {
    static let supportHeader =
        "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref"
    static let goodRow = "P0NN,2026-Q2,K7QM-2041,counselling,active,2026-04-01,,,4,3,,"

    /// One hostile file: its name, its bytes, and whether a careful reader would call it valid.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: @Sendable () -> [UInt8]
        var valid = false
        var description: String { name }

        /// A file kept in Tests/Fixtures/hostile/.
        static func fixture(_ name: String, valid: Bool = false) -> Case {
            Case(
                name: name,
                bytes: { FileManager.default.contents(atPath: TestPaths.repo("Tests/Fixtures/hostile/" + name)).map { [UInt8]($0) } ?? [] },
                valid: valid)
        }
    }

    static func csv(_ partner: Int, _ header: String, _ rows: [String], ending: String = "\n") -> [UInt8] {
        let id = "P0\(partner)"
        return Array(([header] + rows.map { $0.replacingOccurrences(of: "P0NN", with: id) }).joined(separator: ending).utf8)
            + Array(ending.utf8)
    }

    static let cases: [Case] = [
        .fixture("P010-support.csv"),  // invalid UTF-8: an overlong "/" (C0 AF) and a lone FF
        .fixture("P011-support.csv"),  // a NUL byte inside a person_ref
        Case(
            name: "P012-support.csv",
            bytes: {
                csv(12, supportHeader, [goodRow.replacingOccurrences(of: "counselling", with: String(repeating: "x", count: 50_000_000))])
            }),
        .fixture("P013-support.csv"),  // 20,000 columns
        Case(
            name: "P014-support.csv", bytes: { csv(14, supportHeader, [goodRow]) + [UInt8](repeating: 0x0A, count: 1_000_000) },
            valid: true),
        .fixture("P015-support.csv"),  // a quote still open at the end of the file
        .fixture("P016-support.csv", valid: true),  // CRLF, LF and CR line ends in one file
        .fixture("P017-support.csv"),  // a byte-order mark inside a value
        .fixture("P018-support.csv"),  // 1e400, -0, NaN, 0x10, 2026-02-30, 31/02/2026
        .fixture("P019-ripple.csv", valid: true),  // =HYPERLINK(…), HTML and Markdown in consented notes
        .fixture("P020.json"),  // JSON nested 100,000 deep
        .fixture("P021.yaml"),  // a billion-laughs alias bomb
        .fixture("P022.yaml"),  // a duplicate key
        .fixture("P023-support.csv"),  // an empty file
        .fixture("P040.xlsx"),  // a workbook whose shared strings are a billion-laughs entity bomb
        .fixture("P041.xlsx"),  // a workbook sheet naming file:///etc/passwd as an external entity
        .fixture("P042.xlsx"),  // a CSV file named .xlsx
        .fixture("P043.xls"),  // a legacy (or password-protected) OLE2 file
        .fixture("P044.xlsx"),  // an Excel error (#DIV/0!) and a formula whose result was never saved
        .fixture("P045.xlsx"),  // a workbook part whose bytes no longer match its CRC-32
        .fixture("P046.xlsx"),  // sheet rows out of order
    ]

    /// Makes the files git cannot hold in a folder: a folder named like a return, a symlink loop, a named
    /// pipe (opening it would wait for ever) and a file nobody may read.
    static func makeSpecialFiles(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/P030-support.csv", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop-a.csv", withDestinationPath: folder + "/loop-b.csv")
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop-b.csv", withDestinationPath: folder + "/loop-a.csv")
        #expect(mkfifo(folder + "/P026-support.csv", 0o644) == 0)
        #expect(mkfifo(folder + "/P026.json", 0o644) == 0)
        let unreadable = folder + "/P027-support.csv"
        #expect(FileManager.default.createFile(atPath: unreadable, contents: Data(csv(27, supportHeader, [goodRow]))))
        #expect(chmod(unreadable, 0) == 0)
    }

    /// Runs the `impact` executable so that file permissions bind even for root: as root, without the
    /// capabilities that let root read any file (util-linux's setpriv drops them from the bounding set).
    static func impact(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let executable = try #require(TestPaths.impactExecutable, "build the impact executable first (swift build)")
        let process = Process()
        if geteuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--bounding-set=-dac_override,-dac_read_search", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.environment = ["PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795392000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

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

    @Test("A directory, a missing file, a symlink loop and a pipe where files were expected are clear errors")
    func notFiles() throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        try Self.makeSpecialFiles(in: folder.path)
        let stage = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded()))
        for name in ["loop-a.csv", "nothing-here.csv", "P026-support.csv", "P026.json"] {
            let path = folder.path + "/" + name
            let report = stage.run(paths: [path])
            #expect(report.files.count == 1)
            #expect(report.files.first?.findings.first?.code == .sourceError, "\(name)")
            #expect(report.files.first?.findings.first?.message.contains(path) == true, "\(name)")
        }
        // Searching the folder skips the directory named like a file and the loop, and does not hang on the pipes.
        // (The unreadable file is readable here when the tests run as root; `unreadable()` checks it.)
        let folderReport = stage.run(paths: [folder.path])
        let checked = folderReport.files.filter { !$0.path.hasSuffix("P027-support.csv") }
        #expect(checked.map { ($0.path as NSString).lastPathComponent }.sorted() == ["P026-support.csv", "P026.json"])
        #expect(checked.allSatisfy { $0.findings.contains { $0.code == .sourceError } })
    }

    @Test("An unreadable file is a clear error naming it, in impact validate and in a quarterly run")
    func unreadable() throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        try Self.makeSpecialFiles(in: folder.path)
        let path = folder.path + "/P027-support.csv"
        let (status, output) = try Self.impact(["validate", path])
        #expect(status == 2, "\(output)")
        #expect(output.contains(path) && output.contains("Permission denied"), "\(output)")
    }

    @Test("The whole corpus in one quarter: the run completes and the good partner's return is accepted")
    func inARun() throws {
        let folder = TemporaryFolder(prefix: "impact-hostile")
        let workspace = folder.path + "/ws"
        var options = GeneratorOptions()
        options.partners = 28
        options.peoplePerPartner = 10
        options.quarters = 1
        options.ripplePerPartner = 2
        _ = try WorkspaceGenerator(options: options).write(to: workspace)
        let returns = workspace + "/returns/2026-Q2/"
        // The hostile files replace the returns of partners 10 to 23, 26 and 27; P001–P009, P024, P025 and P028
        // stay good.
        for partner in Array(10...23) + [26, 27] {
            for table in ["support", "outcomes", "ripple"] {
                try? FileManager.default.removeItem(atPath: returns + "P0\(partner)-\(table).csv")
            }
        }
        for hostile in Self.cases {
            #expect(FileManager.default.createFile(atPath: returns + hostile.name, contents: Data(hostile.bytes())))
        }
        try Self.makeSpecialFiles(in: returns)

        // The executable, so that the unreadable file is unreadable even to root.
        let (status, output) = try Self.impact([
            "run", "--workspace", workspace, "--quarter", "2026-Q2", "--out", folder.path + "/out", "--received-on", "2026-07-10",
        ])
        #expect(status == 0, "\(output.suffix(2_000))")
        let store = try Store(path: workspace + "/" + Store.defaultRelativePath)
        let verdicts = Dictionary(
            try store.submissions(in: Quarter("2026-Q2")!).map { ($0.partnerID, $0.verdict) }, uniquingKeysWith: { a, _ in a })
        for good in ["P001", "P005", "P009", "P024", "P025", "P028"] { #expect(verdicts[good] == .accepted, "\(good)") }
        // The pipes and the unreadable file cannot be tied to a partner: they are reported with their reasons.
        let stray = try store.strayFiles(in: Quarter("2026-Q2")!)
        for (name, reason) in [
            ("P026-support.csv", "not an ordinary file"), ("P026.json", "not an ordinary file"), ("P027-support.csv", "Permission denied"),
        ] {
            let findings = stray.first { $0.path.hasSuffix("/" + name) }?.findings.map(\.finding) ?? []
            #expect(findings.contains { $0.code == .sourceError && $0.message.contains(reason) }, "\(name): \(findings.map(\.message))")
            #expect(output.contains(name), "\(name) is not in the run's summary")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/2026-Q2/impact-report.md"))
        // Nothing a partner sent was deleted or moved.
        for hostile in Self.cases { #expect(FileManager.default.fileExists(atPath: returns + hostile.name), "\(hostile.name)") }
    }
}
