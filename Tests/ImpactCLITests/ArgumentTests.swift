import ArgumentParser
import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact
@testable import ImpactCLI

/// Each subcommand's argument parsing: good and bad arguments, the exit status they give (0, 1 or 2, never
/// the parser's 64), and help that mentions every option.
@Suite struct ArgumentTests {
    static let sample = TestPaths.repo("SampleData")

    /// Arguments that are refused before any work starts: each is a usage error, exit status 2.
    @Test(arguments: [
        ["validate"],
        ["validate", "x.csv", "--quarter", "2026-Q5"],
        ["validate", "x.csv", "--quarter", "26-Q2"],
        ["validate", "x.csv", "--kind", "referrals"],
        ["validate", "x.csv", "--format", "xml"],
        ["validate", "x.csv", "--bogus"],
        ["run", "--quarter", "2026-Q2"],
        ["run", "--workspace", "ws"],
        ["run", "--workspace", "ws", "--quarter", "Q2-2026"],
        ["run", "--workspace", "ws", "--quarter", "2026-Q2", "--received-on", "2026-02-30"],
        ["run", "--workspace", "ws", "--quarter", "2026-Q2", "--jobs", "0"],
        ["template", "--workspace", "ws", "--out", "template.txt"],
        ["template", "--out", "template.xlsx"],
        ["template", "--workspace", "ws", "--out", "folder", "--each-partner", "--partner", "P001"],
        ["template", "--workspace", "ws", "--out", "t.xlsx", "--rows", "0"],
        ["generate", "--out", "ws", "--format", "xml"],
        ["generate", "--out", "ws", "--last-quarter", "2026-Q0"],
        ["serve", "--workspace", "ws", "--port", "0"],
        ["serve", "--port", "8080"],
        ["partner-token", "create", "--workspace", "ws"],
        ["partner-token", "rotate", "P001", "--workspace", "ws"],
        ["disclosure-audit"],
        ["disclosure-audit", "a.xlsx", "--threshold", "0"],
        ["no-such-command"],
    ])
    func usageErrors(arguments: [String]) async {
        #expect(await ImpactCommand.run(arguments: arguments) == 2)
    }

    /// Arguments that parse: the values arrive typed (a quarter, a day), checked once by the parser.
    @Test func typedValues() throws {
        let run = try #require(
            try ImpactCommand.parseAsRoot([
                "run", "--workspace", "ws", "--quarter", "2026-Q2", "--received-on", "2026-07-20", "--jobs", "3",
            ]) as? Run)
        #expect(run.quarter == Quarter(year: 2026, number: 2))
        #expect(run.receivedOn?.daysSinceEpoch == 20_654)
        #expect(run.workspace.folder == "ws")
        #expect(run.parallel.jobs == 3)
        let validate = try #require(try ImpactCommand.parseAsRoot(["validate", "a.csv", "b"]) as? Validate)
        #expect(validate.paths == ["a.csv", "b"])
        #expect(validate.quarter == nil)
        #expect(validate.workspace.workspace == nil)
    }

    @Test(arguments: [("2026-Q2", true), ("2026-Q4", true), ("2026-Q5", false), ("2026-q2", false), ("2026Q2", false), ("", false)])
    func quarterArgument(text: String, valid: Bool) {
        #expect((Quarter(argument: text) != nil) == valid)
    }

    @Test(arguments: [("2026-07-20", true), ("2028-02-29", true), ("2026-02-29", false), ("20/07/2026", false), ("", false)])
    func dayArgument(text: String, valid: Bool) {
        #expect((Day(argument: text) != nil) == valid)
    }

    // MARK: - Running

    /// A clean quarter exits 0, returns with errors exit 1, an input that cannot be read or a workspace that
    /// cannot be used exits 2.
    @Test func validateExitStatus() async {
        #expect(await ImpactCommand.run(arguments: ["validate", Self.sample + "/returns/2026-Q2", "--workspace", Self.sample]) == 0)
        #expect(await ImpactCommand.run(arguments: ["validate", Self.sample + "/invalid", "--workspace", Self.sample]) == 1)
        #expect(await ImpactCommand.run(arguments: ["validate", "/no/such/file.csv"]) == 2)
        #expect(await ImpactCommand.run(arguments: ["validate", Self.sample + "/returns", "--workspace", "/no/such/ws"]) == 2)
    }

    /// A folder with no return in it (empty, or named like a file) is a usage error, so that a script checking
    /// an upload folder does not pass when nothing arrived.
    @Test func emptyFolders() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/upload", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path + "/returns.csv", withIntermediateDirectories: true)
        _ = folder.write("notes/readme.pdf", text: "not a return")
        for path in ["upload", "returns.csv", "notes"] {
            #expect(await ImpactCommand.run(arguments: ["validate", folder.path + "/" + path]) == 2, "\(path)")
            #expect(InputFile.discover([folder.path + "/" + path]).emptyFolders == [folder.path + "/" + path])
        }
        _ = folder.write("upload/P001-support.csv", text: "partner_id,quarter\n")
        #expect(InputFile.discover([folder.path + "/upload"]).emptyFolders.isEmpty)
        #expect(
            await ImpactCommand.run(arguments: ["validate", folder.path + "/upload"]) == 1, "a return with errors, not an empty folder")
        #expect(ImpactError.noReturnFound(folder: "upload").description.contains("no return was found in \"upload\""))
    }

    /// A workspace that cannot be used is reported by the command, with exit status 2.
    @Test func workspaceErrors() async {
        #expect(await ImpactCommand.run(arguments: ["run", "--workspace", "/no/such/ws", "--quarter", "2026-Q2"]) == 2)
        #expect(await ImpactCommand.run(arguments: ["run", "--workspace", Self.sample, "--quarter", "2019-Q1", "--out", "/tmp/x"]) == 2)
        #expect(await ImpactCommand.run(arguments: ["partner-token", "create", "P999", "--workspace", Self.sample]) == 2)
        #expect(await ImpactCommand.run(arguments: ["template", "--workspace", "/no/such/ws", "--out", "/tmp/t.xlsx"]) == 2)
    }

    @Test func helpAndVersion() async {
        #expect(await ImpactCommand.run(arguments: ["--help"]) == 0)
        #expect(await ImpactCommand.run(arguments: ["--version"]) == 0)
        #expect(await ImpactCommand.run(arguments: ["validate", "--help"]) == 0)
    }

    // MARK: - Help

    /// Every option a command declares (its own and its option groups') is in its help text.
    @Test(arguments: [
        ["validate", "x"], ["run", "--workspace", "ws", "--quarter", "2026-Q2"], ["template", "--workspace", "ws", "--out", "t.xlsx"],
        ["generate", "--out", "ws"], ["serve", "--workspace", TestPaths.repo("SampleData")],
        ["partner-token", "create", "P001", "--workspace", "ws"],
        ["partner-token", "revoke", "P001", "--workspace", "ws"], ["disclosure-audit", "a.xlsx"],
        ["feedback", "respond", "P003", "--quarter", "2026-Q2", "--message", "x", "--workspace", "ws"],
        ["feedback", "done", "P003", "--action", "1", "--workspace", "ws"], ["feedback", "show", "P003", "--workspace", "ws"],
    ])
    func helpMentionsEveryOption(arguments: [String]) throws {
        let command = try ImpactCommand.parseAsRoot(arguments)
        let names = Self.optionNames(command)
        #expect(names.count >= 1)
        let help = ImpactCommand.helpMessage(for: type(of: command))
        for name in names {
            #expect(help.contains(name), "\(arguments[0]) help does not mention \(name)")
        }
    }

    @Test func optionNamesAreFound() throws {
        let names = Self.optionNames(try ImpactCommand.parseAsRoot(["run", "--workspace", "ws", "--quarter", "2026-Q2"]))
        #expect(Set(names).isSuperset(of: ["--workspace", "--schemas", "--quarter", "--received-on", "--jobs", "--strict"]))
    }

    /// The long names of the options and flags a parsed command holds, found by reflection so that a new option
    /// is covered without editing the test.
    static func optionNames(_ value: Any, depth: Int = 0) -> [String] {
        var names: [String] = []
        for child in Mirror(reflecting: value).children {
            let type = String(describing: Swift.type(of: child.value))
            if let label = child.label, label.hasPrefix("_"), type.hasPrefix("Option<") || type.hasPrefix("Flag<") {
                names.append("--" + kebab(String(label.dropFirst())))
            } else if depth < 6, type.hasPrefix("OptionGroup<") || type.hasPrefix("Parsed<") || child.label == "value" {
                names += optionNames(child.value, depth: depth + 1)
            }
        }
        return names
    }

    /// `receivedOn` → `received-on`, `maxUploadMB` → `max-upload-mb`, as the parser names them.
    static func kebab(_ name: String) -> String {
        var out = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { out += "-" }
            out.append(Character(character.lowercased()))
            previous = character
        }
        return out
    }
}
