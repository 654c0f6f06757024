import ArgumentParser

/// The `impact` command line: a thin layer that parses arguments and calls the `Impact` library.
public struct ImpactCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Validate partners' quarterly returns and report a programme's impact.",
        discussion: """
            Partners check a return before sending it with `impact validate FILE...`, or in a browser
            on the page `impact serve` runs.
            See README.md and docs/ for the workspace layout and the findings.
            """,
        version: "0.1.0",
        subcommands: [
            Validate.self, Run.self, Template.self, Generate.self, Serve.self, PartnerToken.self, DisclosureAudit.self,
        ]
    )

    /// Creates the command (argument parsing fills it in).
    public init() {}
}
