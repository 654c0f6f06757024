import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact
@testable import ImpactGenerator

/// `impact generate`: deterministic workspaces whose planted problems the validator finds exactly, and whose
/// clean quarters run end to end.
@Suite struct WorkspaceGeneratorTests {
    /// Small options that still exercise every planted code, several partners and a co-funded partner or two.
    static func small(
        format: GeneratorOptions.ReturnFormat = .csv, errorShare: Double = 0, seed: UInt64 = 11
    )
        -> GeneratorOptions
    {
        var options = GeneratorOptions()
        options.seed = seed
        options.partners = 8
        options.peoplePerPartner = 30
        options.quarters = 2
        options.ripplePerPartner = 3
        options.errorShare = errorShare
        options.format = format
        return options
    }

    /// A finding or a planted problem reduced to what both must agree on.
    struct Located: Hashable, CustomStringConvertible {
        var file: String
        var code: String
        var place: String
        var field: String?
        var description: String { "\(file) \(code) at \(place) \(field ?? "-")" }
    }

    static func found(_ workspace: String, _ manifest: GeneratedManifest) throws -> [Located: Int] {
        let options = try ValidationOptions(workspace: Workspace.load(folder: workspace))
        let report = ValidationStage(options: options).run(paths: manifest.files.map { workspace + "/" + $0.path })
        var found: [Located: Int] = [:]
        for file in report.files {
            let relative = String(file.path.dropFirst(workspace.count + 1))
            for finding in file.findings {
                let place = finding.pointer ?? finding.rowNumber.map(String.init) ?? "-"
                found[Located(file: relative, code: finding.code.rawValue, place: place, field: finding.fieldName), default: 0] += 1
            }
        }
        return found
    }

    static func planted(_ manifest: GeneratedManifest) -> [Located: Int] {
        var planted: [Located: Int] = [:]
        for problem in manifest.planted {
            let place = problem.pointer ?? String(problem.row)
            planted[Located(file: problem.file, code: problem.code, place: place, field: problem.field), default: 0] += 1
        }
        return planted
    }

    // MARK: - Determinism

    @Test(
        "The same seed and options give byte-identical workspaces, on one thread or many; another seed gives another",
        arguments: [
            GeneratorOptions.ReturnFormat.csv, .mixed,
        ])
    func deterministic(format: GeneratorOptions.ReturnFormat) throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        let options = Self.small(format: format, errorShare: 0.05)
        _ = try WorkspaceGenerator(options: options, jobs: 4).write(to: folder.path + "/a")
        _ = try WorkspaceGenerator(options: options, jobs: 1).write(to: folder.path + "/b")
        var other = options
        other.seed += 1
        _ = try WorkspaceGenerator(options: other).write(to: folder.path + "/c")
        let a = try folderSnapshot(folder.path + "/a")
        #expect(a.count > 10)
        #expect(a == (try folderSnapshot(folder.path + "/b")))
        let c = try folderSnapshot(folder.path + "/c")
        #expect(a.keys.sorted() == c.keys.sorted())
        #expect(a["returns/2026-Q2/P001-support.csv"] != c["returns/2026-Q2/P001-support.csv"])
    }

    @Test("Planting problems does not change the people: the clean rows are the same with or without them")
    func plantingKeepsThePeople() throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        var options = Self.small()
        options.tables = ["support"]
        _ = try WorkspaceGenerator(options: options).write(to: folder.path + "/clean")
        options.errorShare = 0.05
        options.errorCodes = ["type-error"]
        let manifest = try WorkspaceGenerator(options: options).write(to: folder.path + "/planted")
        #expect(!manifest.planted.isEmpty)
        let clean = try String(contentsOfFile: folder.path + "/clean/returns/2026-Q2/P002-support.csv", encoding: .utf8)
        let planted = try String(contentsOfFile: folder.path + "/planted/returns/2026-Q2/P002-support.csv", encoding: .utf8)
        let cleanLines = clean.split(separator: "\n")
        let plantedLines = planted.split(separator: "\n")
        #expect(cleanLines.count == plantedLines.count)
        let differing = zip(cleanLines, plantedLines).filter { $0 != $1 }
        let plantedHere = manifest.planted.filter { $0.file == "returns/2026-Q2/P002-support.csv" }
        #expect(differing.count == plantedHere.count)
        #expect(differing.allSatisfy { $0.1.contains(",three,") })
    }

    // MARK: - Planted problems are found exactly

    @Test(
        "The validator finds exactly the planted problems, no more and no fewer",
        arguments: [
            GeneratorOptions.ReturnFormat.csv, .json, .yaml, .mixed,
        ])
    func plantedProblemsFound(format: GeneratorOptions.ReturnFormat) throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        let manifest = try WorkspaceGenerator(options: Self.small(format: format, errorShare: 0.08)).write(to: folder.path + "/ws")
        let planted = Self.planted(manifest)
        let codes = Set(manifest.planted.map(\.code))
        let expectedCodes =
            format == .json || format == .yaml
            ? Set(GeneratorOptions.plantableCodes).subtracting(GeneratorOptions.csvOnlyCodes)
            : Set(GeneratorOptions.plantableCodes)
        #expect(codes == expectedCodes)
        let found = try Self.found(folder.path + "/ws", manifest)
        let missing = planted.filter { found[$0.key, default: 0] < $0.value }.keys.map(\.description).sorted()
        let extra = found.filter { planted[$0.key, default: 0] < $0.value }.keys.map(\.description).sorted()
        #expect(missing.isEmpty, "planted but not found: \(missing.prefix(10))")
        #expect(extra.isEmpty, "found but not planted: \(extra.prefix(10))")
    }

    @Test("The manifest's row counts are the rows the validator reads")
    func manifestRowCounts() throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        let manifest = try WorkspaceGenerator(options: Self.small()).write(to: folder.path + "/ws")
        let options = try ValidationOptions(workspace: Workspace.load(folder: folder.path + "/ws"))
        let report = ValidationStage(options: options).run(paths: manifest.files.map { folder.path + "/ws/" + $0.path })
        #expect(report.files.count == manifest.files.count)
        for (file, written) in zip(report.files, manifest.files) {
            #expect(file.rows == written.rows.values.reduce(0, +), "\(written.path)")
        }
    }

    // MARK: - A generated workspace runs

    @Test("A clean generated workspace validates without findings and runs every quarter with every return accepted")
    func cleanWorkspaceRuns() throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        let workspace = folder.path + "/ws"
        let manifest = try WorkspaceGenerator(options: Self.small(format: .mixed)).write(to: workspace)
        #expect(manifest.planted.isEmpty)
        #expect(try Self.found(workspace, manifest).isEmpty)
        for quarter in manifest.quarters {
            let parsed = try #require(Quarter(quarter))
            let summary = try RunStage(
                options: RunOptions(
                    workspace: workspace, quarter: parsed, out: folder.path + "/out", receivedOn: Int32(parsed.lastDay + 15), now: 0)
            ).run()
            #expect(summary.accepted == 8, "\(quarter)")
            #expect(summary.rejected == 0, "\(quarter)")
            #expect(summary.missing.isEmpty, "\(quarter)")
            #expect(summary.referenceProblems.isEmpty, "\(summary.referenceProblems.prefix(3))")
        }
        let report = try String(contentsOfFile: folder.path + "/out/2026-Q2/impact-report.md", encoding: .utf8)
        #expect(report.contains("Synthetic Survivor Support Alliance"))
    }

    @Test("Every partner has its own name and ID, even in a programme of thousands")
    func uniquePartnerNames() {
        let indices = Array(1...5_000)
        #expect(Set(indices.map(WorkspaceGenerator.partnerName)).count == indices.count)
        #expect(Set(indices.map(WorkspaceGenerator.partnerID)).count == indices.count)
        #expect(WorkspaceGenerator.partnerID(7) == "P007")
        #expect(WorkspaceGenerator.partnerID(1234) == "P1234")
    }

    // MARK: - Options and safety

    @Test("It refuses a folder that already holds files, and leaves them alone")
    func refusesNonEmptyFolder() throws {
        let folder = TemporaryFolder(prefix: "impact-generate")
        folder.write("keep.txt", text: "a partner's file")
        #expect(throws: GeneratorError.notEmpty(folder.path)) {
            _ = try WorkspaceGenerator(options: Self.small()).write(to: folder.path)
        }
        #expect(try String(contentsOfFile: folder.path + "/keep.txt", encoding: .utf8) == "a partner's file")
    }

    @Test(
        "Options out of range are refused with a message that says what to change",
        arguments: [
            ("--partners", 0), ("--partners", 10_000), ("--people", 0), ("--goals-per-person", 7), ("--quarters", 0),
            ("--funders", 0), ("--ripple", -1),
        ])
    func badOptions(flag: String, value: Int) {
        var options = GeneratorOptions()
        switch flag {
        case "--partners": options.partners = value
        case "--people": options.peoplePerPartner = value
        case "--goals-per-person": options.goalsPerPerson = value
        case "--quarters": options.quarters = value
        case "--funders": options.funders = value
        default: options.ripplePerPartner = value
        }
        #expect(throws: GeneratorError.self) { try options.check() }
        do {
            try options.check()
        } catch {
            #expect(error.description.hasPrefix(flag))
            #expect(error.description.contains(String(value)))
        }
    }

    @Test("Unknown codes, tables and quarters are refused by name")
    func badNames() {
        var options = GeneratorOptions()
        options.errorCodes = ["typo-error"]
        #expect(
            throws: GeneratorError.invalid(
                "--errors: \"typo-error\" is not a code the generator plants; use some of \(GeneratorOptions.plantableCodes.joined(separator: ", "))."
            )
        ) { try options.check() }
        options = GeneratorOptions()
        options.tables = ["outcomes"]
        #expect(throws: GeneratorError.self) { try options.check() }
        options = GeneratorOptions()
        options.lastQuarter = "2026-Q5"
        #expect(throws: GeneratorError.self) { try options.check() }
    }
}
