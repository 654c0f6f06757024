import Foundation
import TableSchema
import XLSX

// MARK: - Errors

/// Why the workbooks could not be written.
public enum WorkbookError: Error, Sendable, CustomStringConvertible {
    /// A funder ID cannot name a workbook file.
    case invalidFunderID(String, reason: String)
    /// The output folder could not be made.
    case unwritableFolder(String, reason: String)
    /// libxlsxwriter or the file system refused a workbook.
    case workbook(path: String, reason: String)

    /// A sentence for the impact lead.
    public var description: String {
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
public struct WorkbookProvenance: Sendable, Hashable {
    /// SHA-256 (lowercase hex) of input files by workspace-relative path.
    public var fileHashes: [String: String]
    /// Table schema versions by table name (`support` → `1.0.0`).
    public var schemaVersions: [String: String]
    /// The program's version.
    public var programVersion: String

    /// Creates provenance; with no schema versions given, those of the embedded schemas are used.
    public init(
        fileHashes: [String: String] = [:], schemaVersions: [String: String]? = nil, programVersion: String = impactVersion
    ) {
        self.fileHashes = fileHashes
        self.schemaVersions = schemaVersions ?? WorkbookProvenance.embeddedSchemaVersions()
        self.programVersion = programVersion
    }

    /// Provenance from the store's ledger of the quarter and the schemas in force.
    public init(ledger: [LedgerEntry], schemas: SchemaSet, programVersion: String = impactVersion) {
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
public struct WorkbookWriter: Sendable {
    /// The input files' hashes, schema versions and program version.
    public var provenance: WorkbookProvenance

    /// The file name of the impact lead's workbook (no funder may use `programme` as its ID).
    public static let programmeFileName = "programme.xlsx"

    /// How many workbooks are written at once (the files are the same for any number).
    public var jobs: Int

    /// Creates a writer.
    public init(provenance: WorkbookProvenance = WorkbookProvenance(), jobs: Int = 1) {
        self.provenance = provenance
        self.jobs = jobs
    }

    /// Writes every workbook of a quarter into `folder/workbooks/`, and returns their paths (funders in ID
    /// order, then the programme's).
    ///
    /// - Parameters:
    ///   - input: the quarter's report input.
    ///   - folder: the quarter's output folder; `workbooks/` is created inside it.
    ///   - created: the creation time stamped into every workbook; pass `SOURCE_DATE_EPOCH` (or another
    ///     fixed time) so that the same input gives byte-identical files.
    /// - Throws: ``WorkbookError`` when a funder ID is not letters, digits, `-` and `_`, when the folder
    ///   cannot be made, or when a workbook cannot be written. Funder IDs are all checked before anything
    ///   is written.
    ///   `programmeFigures`, when given, are the figures of the whole input, already computed for the report.
    public func write(
        input: ReportInput, to folder: String, created: Date, programmeFigures: ReportFigures? = nil
    ) throws
        -> [String]
    {
        try WorkbookWriter.checkFunderIDs(input.reference.funders.map(\.id))
        let out = (folder as NSString).appendingPathComponent("workbooks")
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw WorkbookError.unwritableFolder(out, reason: error.localizedDescription)
        }
        // Workbooks are independent: written on every core, each by its own libxlsxwriter workbook.
        var jobs: [(scope: WorkbookScope, path: String)] = input.reference.funders.map { funder in
            let ids = Set(input.reference.partners.filter { $0.funderIDs.contains(funder.id) }.map(\.id))
            return (.funder(funder, partnerIDs: ids), (out as NSString).appendingPathComponent("\(funder.id).xlsx"))
        }
        jobs.append((.programme, (out as NSString).appendingPathComponent(WorkbookWriter.programmeFileName)))
        let results = jobs.parallelMap(jobs: self.jobs) { job in
            Result { try writeOne(input: input, scope: job.scope, path: job.path, created: created, figures: programmeFigures) }
        }
        for result in results { try result.get() }
        return jobs.map(\.path)
    }

    /// Throws unless every ID is 1–64 ASCII letters, digits, `-` and `_`, is not `programme`, and no two
    /// differ only in case (they would share a file on case-insensitive file systems).
    public static func checkFunderIDs(_ ids: [String]) throws {
        var seen: [String: String] = [:]
        for id in ids {
            if let reason = funderIDProblem(id, seen: seen) { throw WorkbookError.invalidFunderID(id, reason: reason) }
            seen[id.lowercased()] = id
        }
    }

    /// Why a funder ID cannot name its workbook, or nil when it can. `seen` maps the lower-cased IDs
    /// already accepted to their spelling.
    public static func funderIDProblem(_ id: String, seen: [String: String]) -> String? {
        if let reason = fileNameProblem(id) { return reason }
        let key = id.lowercased()
        if key == "programme" { return "\"programme\" names the impact lead's workbook" }
        if let other = seen[key] { return "it differs from the funder ID \"\(other)\" only in case" }
        return nil
    }

    /// Why an ID cannot be a file name, or nil when it is 1–64 ASCII letters, digits, `-` and `_`.
    public static func fileNameProblem(_ id: String) -> String? {
        if id.isEmpty { return "it is empty" }
        if id.count > 64 { return "it is longer than 64 characters" }
        if let bad = id.unicodeScalars.first(where: {
            !(($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_")
        }) {
            let shown = bad.value < 0x20 || bad.value == 0x7F ? String(format: "U+%04X", bad.value) : "\"\(bad)\""
            return "it contains \(shown); only letters A–Z and a–z, digits, \"-\" and \"_\" are allowed"
        }
        return nil
    }

    private func writeOne(input: ReportInput, scope: WorkbookScope, path: String, created: Date, figures: ReportFigures?) throws {
        let content = WorkbookContent(
            input: input, scope: scope, provenance: provenance, figures: scope.funder == nil ? figures : nil)
        do {
            try WorkbookBuilder(content: content).build(path: path, created: created)
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
            settings: settings, reference: ReferenceData(partners: partners, funders: [funder], goals: reference.goals),
            quarter: quarter, history: history.mapValues { $0.filter { scope.includes($0.partnerID) } },
            submissions: submissions.filter { scope.includes($0.partnerID) }, strayFiles: [], generatedOn: generatedOn)
    }
}
