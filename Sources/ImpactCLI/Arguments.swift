import ArgumentParser
import Dates
import Impact
import TableSchema

// MARK: - Values

/// `--quarter 2026-Q2`: parsed once, by the argument parser, so no command checks it again.
extension Quarter: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

/// A calendar day written `2026-07-20`, such as `--received-on`.
struct Day: ExpressibleByArgument, Sendable, Equatable {
    /// Days since 1970-01-01.
    var daysSinceEpoch: Int32

    init?(argument: String) {
        guard case .date(let date) = DateFormat.iso.parse(Array(argument.utf8)[...]) else { return nil }
        daysSinceEpoch = Int32(date.daysSinceEpoch)
    }
}

// MARK: - Shared options

/// `--workspace` and `--schemas`: which workspace a command works on, loaded one way for every command
/// (``Workspace/load(folder:schemas:reference:requireReferences:)``).
struct WorkspaceOptions: ParsableArguments {
    @Option(help: "The workspace folder: impact.yaml, reference/, Schemas/ and returns/<quarter>/.")
    var workspace: String?

    @Option(help: "The folder of *.schema.json files (default: the workspace's Schemas/, else the built-in schemas).")
    var schemas: String?

    /// For the commands that cannot work without a workspace: call from `validate()`.
    func requireWorkspace() throws {
        guard workspace != nil else {
            throw ValidationError("give the workspace with --workspace FOLDER (the folder that holds impact.yaml).")
        }
    }

    /// The workspace folder; only after ``requireWorkspace()`` has passed.
    var folder: String { workspace ?? "." }

    /// Loads the workspace: settings, schemas and reference tables, once.
    func load(reference: String? = nil, requireReferences: Bool = true) throws(ImpactError) -> Workspace {
        try Workspace.load(folder: workspace, schemas: schemas, reference: reference, requireReferences: requireReferences)
    }
}

/// A partner of a workspace, for the commands about one partner (its portal tokens, its feedback).
struct PartnerOptions: ParsableArguments {
    @Argument(help: "The partner's ID, as in reference/partners.csv.")
    var partner: String

    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        try workspace.requireWorkspace()
    }

    /// Opens the store (tokens, feedback) after checking that the partner is in the reference table.
    func store() throws -> Store {
        let loaded = try workspace.load()
        guard loaded.reference.partners.contains(where: { $0.id == partner }) else {
            throw ImpactError.invalidArgument(
                name: "partner", value: partner,
                reason: "it is not a partner in \(loaded.path("reference/partners.csv")). Check the ID, or add the partner first")
        }
        return try Store(path: loaded.path(Store.defaultRelativePath))
    }
}

/// `--jobs N`, shared by the commands that work on partners independently.
struct JobsOption: ParsableArguments {
    @Option(
        help: "How many cores to use (partners side by side, or the batches of one large file); the results are the same for any number.")
    var jobs: Int = defaultJobs

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more, not \(jobs).") }
    }
}
