import ArgumentParser

/// The `impact` command line: a thin layer that parses arguments and calls the `Impact` library.
@main
struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Validate partners' quarterly returns and report a programme's impact.",
        discussion: """
            Partners check a return before sending it with `impact validate FILE...`.
            See README.md and docs/ for the workspace layout and the findings.
            """,
        version: "0.1.0",
        subcommands: [Validate.self, Run.self, Generate.self]
    )
}
