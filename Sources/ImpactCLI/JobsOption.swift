import ArgumentParser
import Impact

/// `--jobs N`, shared by the commands that work on partners independently.
struct JobsOption: ParsableArguments {
    @Option(help: "How many partners to work on at once; the results are the same for any number.")
    var jobs: Int = defaultJobs

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more, not \(jobs).") }
    }
}
