import Foundation
import TableSchema
import XLSX

// MARK: - Errors

/// Why the workbooks could not be written.
enum WorkbookError: Error, Sendable, CustomStringConvertible {
    /// A funder ID cannot name a workbook file.
    case invalidFunderID(String, reason: String)
    /// The output folder could not be made.
    case unwritableFolder(String, reason: String)
    /// libxlsxwriter or the file system refused a workbook.
    case workbook(path: String, reason: String)

    /// A sentence for the impact lead.
    var description: String {
        switch self {
        case .invalidFunderID(let id, let reason):
            return "the funder ID \"\(id)\" in reference/funders.csv cannot name a workbook: \(reason)"
        case .unwritableFolder(let path, let reason):
            return "cannot create the workbook folder \"\(path)\": \(reason)"
        case .workbook(let path, let reason):
            return "cannot write the workbook \"\(path)\": \(reason)"
        }
    }
}

// MARK: - Provenance

/// Where a workbook's figures came from: the input files with their SHA-256, the schema versions and
/// the program version, for the Provenance sheet.
struct WorkbookProvenance: Sendable, Hashable {
    /// SHA-256 (lowercase hex) of input files by workspace-relative path.
    var fileHashes: [String: String]
    /// Table schema versions by table name (`support` → `1.0.0`).
    var schemaVersions: [String: String]
    /// The program's version.
    var programVersion: String

    /// Creates provenance; with no schema versions given, those of the embedded schemas are used.
    init(
        fileHashes: [String: String] = [:], schemaVersions: [String: String]? = nil, programVersion: String = impactVersion
    ) {
        self.fileHashes = fileHashes
        self.schemaVersions = schemaVersions ?? WorkbookProvenance.embeddedSchemaVersions()
        self.programVersion = programVersion
    }

    /// Provenance from the store's ledger of the quarter and the schemas in force.
    init(ledger: [LedgerEntry], schemas: SchemaSet, programVersion: String = impactVersion) {
        var hashes: [String: String] = [:]
        for entry in ledger { hashes[entry.file.path] = entry.file.sha256 }
        var versions: [String: String] = [:]
        for (name, schema) in schemas.schemas { versions[name] = schema.version ?? "unversioned" }
        self.init(fileHashes: hashes, schemaVersions: versions, programVersion: programVersion)
    }

    /// The versions of the schemas built into the program.
    static func embeddedSchemaVersions() -> [String: String] {
        guard let set = try? SchemaSet.embedded() else { return [:] }
        var versions: [String: String] = [:]
        for (name, schema) in set.schemas { versions[name] = schema.version ?? "unversioned" }
        return versions
    }
}

// MARK: - Writer

/// Writes the quarter's Excel workbooks: `workbooks/<funder_id>.xlsx` for each funder, covering only the
/// partners it funds with small counts of people suppressed, and `workbooks/programme.xlsx` for the
/// impact lead with every partner and exact counts. No workbook holds a person reference, a partner's
/// narrative or a ripple-effect note without consent to quote.
///
/// The figures are those of ``FigureCalculator`` over the input narrowed to the workbook's partners.
struct WorkbookWriter: Sendable {
    /// The input files' hashes, schema versions and program version.
    var provenance: WorkbookProvenance

    /// The file name of the impact lead's workbook (no funder may use `programme` as its ID).
    static let programmeFileName = "programme.xlsx"

    /// How many workbooks are written at once (the files are the same for any number).
    var jobs: Int

    /// Creates a writer.
    init(provenance: WorkbookProvenance = WorkbookProvenance(), jobs: Int = 1) {
        self.provenance = provenance
        self.jobs = jobs
    }

    /// Writes every workbook of a quarter into `folder/workbooks/`, and returns their paths (funders in ID
    /// order, then the programme's), with nothing published before (see ``prepare(input:earlier:programmeFigures:tallies:)``).
    ///
    /// - Parameters:
    ///   - input: the quarter's report input.
    ///   - folder: the quarter's output folder; `workbooks/` is created inside it.
    ///   - created: the creation time stamped into every workbook; pass `SOURCE_DATE_EPOCH` (or another
    ///     fixed time) so that the same input gives byte-identical files.
    ///   - programmeFigures: the figures of the whole input, when already computed for the report.
    /// - Throws: ``WorkbookError`` when a funder ID is not letters, digits, `-` and `_`, when the folder
    ///   cannot be made, or when a workbook cannot be written. Funder IDs are all checked before anything
    ///   is written. A funder workbook that cannot be protected is not written (fail closed).
    func write(
        input: ReportInput, to folder: String, created: Date, programmeFigures: ReportFigures? = nil
    ) throws
        -> [String]
    {
        let prepared = try prepare(input: input, earlier: [], programmeFigures: programmeFigures)
        return try write(prepared, to: folder, created: created).paths
    }

    /// The quarter's workbooks, computed and protected, before they are written.
    struct Prepared {
        var funders: [(funder: Funder, content: WorkbookContent, sheets: [SheetContent])]
        var programme: WorkbookContent
        var plan: DisclosurePlan
    }

    /// What writing the quarter's workbooks did.
    struct Written {
        /// Files written: funders' in ID order, then the programme's.
        var paths: [String]
        /// What each funder workbook written states about counts of people, for the history.
        var publications: [Publication]
    }

    /// Computes every workbook's content and the quarter's disclosure plan over all funder workbooks
    /// together with `earlier` (what was published before, from the store).
    func prepare(
        input: ReportInput, earlier: [Publication], programmeFigures: ReportFigures?, tallies: PartnerTallies = PartnerTallies()
    ) throws -> Prepared {
        try WorkbookWriter.checkFunderIDs(input.reference.funders.map(\.id))
        let scopes: [(Funder, WorkbookScope)] = input.reference.funders.map { funder in
            let ids = Set(input.reference.partners.filter { $0.funderIDs.contains(funder.id) }.map(\.id))
            return (funder, .funder(funder, partnerIDs: ids))
        }
        // Each funder's figures are independent: on every core.
        let contents = scopes.parallelMap(jobs: jobs) { funder, scope in
            let content = WorkbookContent(input: input, scope: scope, provenance: provenance, tallies: tallies)
            return (funder: funder, content: content, sheets: content.sheets())
        }
        var current: [Publication] = []
        for item in contents {
            current.append(
                try WorkbookClaims.publication(
                    workbook: "\(item.funder.id).xlsx", tables: item.sheets.flatMap { $0.auditTables() }))
        }
        let programme = WorkbookContent(input: input, scope: .programme, provenance: provenance, figures: programmeFigures)
        var reported: [Quarter: Set<String>] = [:]
        for (quarter, returns) in input.history { reported[quarter] = Set(returns.map(\.partnerID)) }
        reported[input.quarter, default: []].formUnion(programme.figures.current.partners.map(\.partnerID))
        let control = DisclosureControl(threshold: input.settings.disclosureThreshold)
        let plan = try control.plan(
            current: current, earlier: earlier, reported: reported,
            truth: WorkbookWriter.truth(
                programme.figures.history + [programme.figures.current], groups: input.reference.priorityGroups))
        return Prepared(funders: contents, programme: programme, plan: plan)
    }

    /// Writes prepared workbooks: the funders' masked by the plan (a withheld one is not written, and an
    /// older file of its name is removed), then the programme's.
    func write(_ prepared: Prepared, to folder: String, created: Date) throws -> Written {
        let out = (folder as NSString).appendingPathComponent("workbooks")
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw WorkbookError.unwritableFolder(out, reason: error.localizedDescription)
        }
        var jobs: [(content: WorkbookContent, sheets: [SheetContent], path: String)] = []
        var publications: [Publication] = []
        for item in prepared.funders {
            let name = "\(item.funder.id).xlsx"
            let path = (out as NSString).appendingPathComponent(name)
            if prepared.plan.withheld[item.funder.id] != nil {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            let masked = try DisclosureMask.apply(prepared.plan, to: item.sheets, workbook: name)
            publications.append(masked.publication)
            jobs.append((item.content, masked.sheets, path))
        }
        jobs.append(
            (
                prepared.programme, prepared.programme.sheets(),
                (out as NSString).appendingPathComponent(WorkbookWriter.programmeFileName)
            ))
        // Workbooks are independent: written on every core, each by its own libxlsxwriter workbook.
        let results = jobs.parallelMap(jobs: self.jobs) { job in
            Result { try writeOne(job.content, sheets: job.sheets, path: job.path, created: created) }
        }
        for result in results { try result.get() }
        return Written(paths: jobs.map(\.path), publications: publications)
    }

    /// The true counts of every partner in every quarter of the figures, for the audit's first witness.
    static func truth(_ quarters: [QuarterFigures], groups: [PriorityGroup] = []) -> [DisclosureAudit.Atom: Int] {
        var truth: [DisclosureAudit.Atom: Int] = [:]
        for figures in quarters {
            // Every type any partner recorded: a workbook's types are columns for each of its partners.
            let types = Set(figures.partners.flatMap { $0.support.byType.map(\.type) })
            for partner in figures.partners {
                func set(_ measure: CountMeasure, _ value: Int) {
                    truth[DisclosureAudit.Atom(quarter: figures.quarter, partner: partner.partnerID, measure: measure)] = value
                }
                let support = partner.support
                set(.peopleSupported, support.peopleSupported)
                set(.newStarts, support.newStarts)
                set(.endings, support.status.ended)
                set(.plannedEndings, support.endings.planned)
                set(.unplannedEndings, support.endings.unplanned)
                set(.transitionEndings, support.endings.transition)
                set(.aboveLimit, support.discretionary.aboveLimitCount)
                for goal in partner.goals {
                    set(.goalPeople(goal.goalID), goal.people)
                    set(.goalImproved(goal.goalID), goal.improved)
                }
                for group in groups { set(.priorityGroup(group.label), support.reach.people(in: group.id)) }
                for type in types {
                    set(.supportType(SupportTypes.label(type)), support.byType.first { $0.type == type }?.people ?? 0)
                }
            }
        }
        return truth
    }

    /// Throws unless every ID is 1–64 ASCII letters, digits, `-` and `_`, is not `programme`, and no two
    /// differ only in case (they would share a file on case-insensitive file systems).
    static func checkFunderIDs(_ ids: [String]) throws {
        var seen: [String: String] = [:]
        for id in ids {
            if let reason = FileNames.funderIDProblem(id, seen: seen) { throw WorkbookError.invalidFunderID(id, reason: reason) }
            seen[id.lowercased()] = id
        }
    }

    private func writeOne(_ content: WorkbookContent, sheets: [SheetContent], path: String, created: Date) throws {
        do {
            try WorkbookBuilder(content: content).build(path: path, created: created, sheets: sheets)
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError.workbook(path: path, reason: "\(error)")
        }
    }
}

/// Whose workbook: a funder's (its partners, suppressed) or the programme's (everything, exact).
enum WorkbookScope: Sendable {
    case funder(Funder, partnerIDs: Set<String>)
    case programme

    var funder: Funder? {
        if case .funder(let funder, _) = self { return funder }
        return nil
    }

    var suppresses: Bool { funder != nil }

    func includes(_ partnerID: String) -> Bool {
        switch self {
        case .funder(_, let ids): return ids.contains(partnerID)
        case .programme: return true
        }
    }
}

extension ReportInput {
    /// The input narrowed to some partners: their reference rows, returns and submissions only (stray files
    /// only for the programme).
    func scoped(to scope: WorkbookScope) -> ReportInput {
        guard case .funder(let funder, _) = scope else { return self }
        let partners = reference.partners.filter { scope.includes($0.id) }
        return ReportInput(
            settings: settings,
            reference: ReferenceData(
                partners: partners, funders: [funder], goals: reference.goals, themes: reference.themes,
                priorityGroups: reference.priorityGroups),
            quarter: quarter, history: history.mapValues { $0.filter { scope.includes($0.partnerID) } },
            submissions: submissions.filter { scope.includes($0.partnerID) }, strayFiles: [], generatedOn: generatedOn)
    }
}
