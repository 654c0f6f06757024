import ArgumentParser
import Foundation
import Impact
import ImpactGenerator

/// The `impact` command line: a thin layer that parses arguments and calls the `Impact` library.
public struct ImpactCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Validate partners' quarterly returns and report a programme's impact.",
        discussion: """
            Partners check a return before sending it with `impact validate FILE...`, or in a browser
            on the page `impact serve` runs.
            See README.md and docs/ for the workspace layout and the findings.

            Exit status: 0 on success; 1 when the checks found what the command reports as a failure \
            (see each command); 2 for a usage error or a workspace that cannot be used.
            """,
        version: impactVersion,
        subcommands: [
            Validate.self, Run.self, Template.self, Generate.self, Serve.self, PartnerToken.self, Feedback.self,
            DisclosureAudit.self,
        ]
    )

    /// Creates the command (argument parsing fills it in).
    public init() {}

    /// The exit status of a usage error: 2, as the README documents (not the parser's 64).
    static let usageStatus: Int32 = 2

    /// Parses `arguments` (the process's when nil), runs the command, and returns the exit status: 0, 1,
    /// or 2 for a usage error or an ``ImpactError`` (whose message is printed to standard error).
    public static func run(arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints what an error says (help and version go to standard output) and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        if let error = error as? any StopsCommand {
            printError("impact: \(error)")
            return usageStatus
        }
        let status = exitCode(for: error)
        let message = fullMessage(for: error)
        if status == .success {
            if !message.isEmpty { print(message) }
            return 0
        }
        if !message.isEmpty { printError(message) }
        return status == .validationFailure ? usageStatus : status.rawValue
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The library's typed errors that stop a command (a workspace that cannot be used, a store that fails):
/// carried unchanged to ``ImpactCommand/run(arguments:)``, which prints `impact: ` and the error's own
/// message (it says what to do) and exits with status 2.
protocol StopsCommand: Error, CustomStringConvertible {}

extension ImpactError: StopsCommand {}
extension StoreError: StopsCommand {}
extension GeneratorError: StopsCommand {}
