import ArgumentParser
import Foundation
import Impact
import ImpactGenerator
import TableSchema

/// `impact generate --out DIR`: a synthetic workspace of any size, for benchmarks, tests and demonstrations.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic workspace (settings, reference tables, quarters of returns) from a seed.",
        discussion: """
            The same seed and options give byte-identical files. References are pseudonymous and every \
            person is simulated: caseloads with pauses and endings, support lengths, scores that drift upwards.

            With --error-share above 0, that share of rows gets one planted problem each, and \
            OUT/generated-manifest.json lists every planted problem with its file, row and finding code.

            Example: impact generate --out /tmp/ws --partners 100 --people 500 --quarters 4
            """
    )

    @Option(help: "The folder to write; it must be new or empty.")
    var out: String

    @Option(help: "The seed.")
    var seed: UInt64 = 1

    @Option(help: "How many delivery partners.")
    var partners = 10

    @Option(help: "About how many people each partner supports per quarter (exactly this many with one partner).")
    var people = 500

    @Option(help: "How many outcome goals each person works towards (0 to 6).")
    var goalsPerPerson = 2

    @Option(help: "How many quarters of returns.")
    var quarters = 4

    @Option(help: "The most recent quarter, like 2026-Q2.")
    var lastQuarter = Quarter(year: 2026, number: 2)

    @Option(help: "How many funders.")
    var funders = 3

    @Option(help: "Ripple-effect notes per partner per quarter.")
    var ripple = 4

    @Option(help: "The share of rows (0 to 0.5) given one planted problem each.")
    var errorShare = 0.0

    @Option(
        help: ArgumentHelp(
            "Comma-separated finding codes to plant.",
            discussion: "Default: \(GeneratorOptions.plantableCodes.joined(separator: ","))."))
    var errors: String?

    @Option(help: "How returns are written: csv, json, yaml or mixed.")
    var format = "csv"

    @Option(help: "Comma-separated return tables to write: support, outcomes, ripple, and any of narrative, stories, awards.")
    var tables = "support,outcomes,ripple"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var parallel: JobsOption

    var options: GeneratorOptions {
        var options = GeneratorOptions()
        options.seed = seed
        options.partners = partners
        options.peoplePerPartner = people
        options.goalsPerPerson = goalsPerPerson
        options.quarters = quarters
        options.lastQuarter = lastQuarter.description
        options.funders = funders
        options.ripplePerPartner = ripple
        options.errorShare = errorShare
        if let errors { options.errorCodes = Self.list(errors) }
        options.format = GeneratorOptions.ReturnFormat(rawValue: format) ?? .csv
        options.tables = Self.list(tables)
        return options
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        guard GeneratorOptions.ReturnFormat(rawValue: format) != nil else {
            throw ValidationError("--format \"\(format)\" is not a format: use csv, json, yaml or mixed.")
        }
        do {
            try options.check()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let manifest = try WorkspaceGenerator(options: options, jobs: parallel.jobs).write(to: out)
        guard !quiet else { return }
        let rows = manifest.files.reduce(into: [String: Int]()) { totals, file in
            for (table, count) in file.rows { totals[table, default: 0] += count }
        }
        let counts = ["support", "outcomes", "ripple"].compactMap { table in rows[table].map { "\($0) \(table)" } }
        print(
            "Wrote \(out): \(partners) partner\(partners == 1 ? "" : "s"), \(manifest.quarters.first!)–\(manifest.quarters.last!), "
                + "\(manifest.files.count) return file\(manifest.files.count == 1 ? "" : "s"), rows: \(counts.joined(separator: ", ")).")
        if !manifest.planted.isEmpty {
            let byCode = Dictionary(grouping: manifest.planted, by: \.code).mapValues(\.count).sorted { $0.key < $1.key }
            print(
                "Planted \(manifest.planted.count) problem\(manifest.planted.count == 1 ? "" : "s") ("
                    + byCode.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "), listed in "
                    + "\((out as NSString).appendingPathComponent(WorkspaceGenerator.manifestName)).")
        }
    }
}
