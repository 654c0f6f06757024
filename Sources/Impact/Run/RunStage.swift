import Crypto
import Dates
import Foundation
import TableSchema

#if os(Linux)
    import CMalloc
#endif

/// How to run a quarter.
public struct RunOptions: Sendable {
    /// The workspace folder (impact.yaml, reference/, returns/<quarter>/).
    public var workspace: String
    /// The quarter to run.
    public var quarter: Quarter
    /// Where outputs go; `<out>/<quarter>/…`.
    public var out: String
    /// A schemas folder overriding the workspace's and the built-in ones.
    public var schemas: String?
    /// The received date to record for CSV files first seen in this run (days since 1970), to backfill.
    public var receivedOn: Int32?
    /// The moment of the run (seconds since 1970): `SOURCE_DATE_EPOCH` when set, else the clock.
    public var now: Int64
    /// How many partners' returns are checked at once (the outputs are the same for any number).
    public var jobs: Int = defaultJobs

    /// Creates options.
    public init(workspace: String, quarter: Quarter, out: String, schemas: String? = nil, receivedOn: Int32? = nil, now: Int64) {
        self.workspace = workspace
        self.quarter = quarter
        self.out = out
        self.schemas = schemas
        self.receivedOn = receivedOn
        self.now = now
    }

    /// The moment outputs are stamped with: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
    public static func currentTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int64 {
        if let text = environment["SOURCE_DATE_EPOCH"], let value = Int64(text) { return value }
        return Int64(Date().timeIntervalSince1970)
    }
}

/// What happened to one partner's return in a run.
public struct RunReturnOutcome: Sendable, Equatable {
    public var partnerID: String
    public var files: [String]
    public var verdict: Verdict
    /// True when the store already held exactly these files.
    public var unchanged: Bool
    /// True when it replaced an earlier accepted return.
    public var supersededEarlier: Bool
    public var onTime: Bool
    public var errors: Int
    public var warnings: Int
}

/// The outcome of a run, for the closing summary.
public struct RunSummary: Sendable {
    public var quarter: Quarter
    public var returns: [RunReturnOutcome]
    /// Partners expected this quarter with nothing received.
    public var missing: [String]
    /// Files that could not be tied to a partner.
    public var strayFiles: [String]
    /// Output files written.
    public var outputs: [String]
    /// Problems in the reference tables.
    public var referenceProblems: [FileFinding]
    /// What disclosure control hid, and which funder workbooks it withheld.
    public var disclosure: DisclosureSummary?

    public var accepted: Int { returns.filter { $0.verdict == .accepted }.count }
    public var rejected: Int { returns.filter { $0.verdict == .rejected }.count }
    public var superseded: Int { returns.filter(\.supersededEarlier).count }
    public var late: [String] { returns.filter { !$0.onTime }.map(\.partnerID) }
}

/// Progress events, for a progress display.
public enum RunProgress: Sendable {
    case started(files: Int)
    case checked(partnerID: String, index: Int, of: Int, verdict: Verdict)
    case writing(String)
}

/// The quarterly run: ingest → validate → store → figures → render.
public struct RunStage: Sendable {
    public let options: RunOptions

    /// Creates the stage.
    public init(options: RunOptions) {
        self.options = options
    }

    /// A partner's candidate return: a form, or its CSV files.
    struct Candidate {
        var partnerID: String
        var files: [ScannedFile]
        var isForm: Bool
        var receivedOn: Int32
    }

    /// A file of the quarter with its fingerprint and what it seems to be.
    struct ScannedFile {
        var input: InputFile
        var relative: String
        var ledger: LedgerFile
        var partnerID: String?
        var table: String?
        var submittedOn: Int32?
    }

    // MARK: - Run

    /// Runs the quarter and writes the outputs.
    public func run(progress: (RunProgress) -> Void = { _ in }) throws(ImpactError) -> RunSummary {
        let workspace = options.workspace
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidWorkspace(workspace, reason: "the folder does not exist")
        }
        let settings = try Settings.load(workspace: workspace)
        let schemas = try SchemaSet.resolve(folder: options.schemas, workspace: workspace)
        let (reference, referenceProblems) = try ReferenceLoader.load(workspace: workspace, schemas: schemas)
        let returnsFolder = (workspace as NSString).appendingPathComponent("returns/\(options.quarter)")
        guard FileManager.default.fileExists(atPath: returnsFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidWorkspace(
                workspace, reason: "there is no returns/\(options.quarter)/ folder; put the quarter's returns there (or check --quarter)")
        }
        let store: Store
        do {
            store = try Store(path: (workspace as NSString).appendingPathComponent(Store.defaultRelativePath))
        } catch {
            throw .store("\(error)")
        }

        // Ingest: every file of the quarter, fingerprinted and identified.
        let discovered = InputFile.discover([returnsFolder])
        progress(.started(files: discovered.files.count))
        // Fingerprinting and reading forms' envelopes is independent per file: on every core.
        let scans = discovered.files.parallelMap(jobs: options.jobs) { input in
            Result { () throws(ImpactError) in try scan(input, store: store, schemas: schemas) }
        }
        var scanned: [ScannedFile] = []
        for result in scans { scanned.append(try result.get()) }

        // Group into candidates per partner; the latest received wins, earlier ones are superseded.
        var validation = ValidationOptions(
            schemas: schemas, referenceFolder: (workspace as NSString).appendingPathComponent("reference"),
            quarter: options.quarter, settings: settings)
        validation.keepRows = true
        let stage = ValidationStage(options: validation).loadingReferencesOnce()
        var candidates: [Candidate] = []
        var stray: [(file: LedgerFile, findings: [FileFinding])] = []
        var replaced: [(file: LedgerFile, findings: [FileFinding])] = []
        let byPartner = Dictionary(grouping: scanned.filter { $0.partnerID != nil }, by: { $0.partnerID! })
        for partnerID in byPartner.keys.sorted() {
            let files = byPartner[partnerID]!
            for form in files where form.input.format != .csv {
                candidates.append(Candidate(partnerID: partnerID, files: [form], isForm: true, receivedOn: received(form)))
            }
            var latestPerKind: [String: ScannedFile] = [:]
            for file in files where file.input.format == .csv {
                let kind = file.table ?? "unknown"
                if let current = latestPerKind[kind] {
                    let newer = (received(file), file.relative) > (received(current), current.relative) ? file : current
                    let older = newer.relative == file.relative ? current : file
                    latestPerKind[kind] = newer
                    replaced.append(
                        (
                            older.ledger,
                            [
                                FileFinding(
                                    file: older.relative,
                                    finding: Finding(
                                        .warning, .sourceError,
                                        message:
                                            "\(older.relative) was replaced by \(newer.relative), received later; only the later file is used."
                                    ))
                            ]
                        ))
                } else {
                    latestPerKind[kind] = file
                }
            }
            if !latestPerKind.isEmpty {
                let chosen = latestPerKind.values.sorted { $0.relative < $1.relative }
                candidates.append(
                    Candidate(partnerID: partnerID, files: chosen, isForm: false, receivedOn: chosen.map(received).max() ?? 0))
            }
        }
        for file in scanned where file.partnerID == nil {
            let report = stage.run(files: [file.input]).first
            let findings = (report?.findings ?? []).map { FileFinding(file: file.relative, finding: $0) }
            stray.append(
                (
                    file.ledger,
                    findings.isEmpty
                        ? [
                            FileFinding(
                                file: file.relative,
                                finding: Finding(
                                    .error, .sourceError,
                                    message: "\(file.relative): no partner_id could be read from this file, so it belongs to no return."))
                        ] : findings
                ))
        }
        candidates.sort {
            ($0.partnerID, $0.receivedOn, $0.files.map(\.relative).joined(separator: "\n"))
                < ($1.partnerID, $1.receivedOn, $1.files.map(\.relative).joined(separator: "\n"))
        }

        // Validate each candidate as one return; partners are independent, so on every core.
        var submissions = candidates.parallelMap(jobs: options.jobs) { validate($0, stage: stage, settings: settings) }
        for (index, submission) in submissions.enumerated() {
            progress(.checked(partnerID: submission.partnerID, index: index + 1, of: submissions.count, verdict: submission.verdict))
        }

        // Store: one transaction.
        let outcomes: [SubmissionOutcome]
        do {
            outcomes = try store.apply(
                RunInput(
                    quarter: options.quarter, startedAt: options.now, programVersion: impactVersion, submissions: submissions,
                    strayFiles: stray + replaced))
        } catch {
            throw .store("\(error)")
        }
        // The rows are in the store now; let them go before the history is read back (half a gigabyte
        // for a 1,000-partner quarter).
        for index in submissions.indices { submissions[index].accepted = nil }
        #if os(Linux)
            // They were allocated on the worker threads' malloc arenas, which the main thread's reading of
            // the history would not reuse: give the freed pages back (300 MB at 1,000 partners).
            malloc_trim(0)
        #endif

        // Figures and reports from what the store now holds.
        let history: [Quarter: [AcceptedReturn]]
        let quarterSubmissions: [SubmissionSummary]
        let strayInStore: [(path: String, findings: [FileFinding])]
        let ledger: [LedgerEntry]
        let earlier: [Publication]
        do {
            earlier = try store.publications(except: options.quarter)
            history = try store.history(through: options.quarter)
            quarterSubmissions = try store.submissions(in: options.quarter)
            strayInStore = try store.strayFiles(in: options.quarter)
            ledger = try store.ledger(in: options.quarter)
        } catch {
            throw .store("\(error)")
        }
        let outFolder = (options.out as NSString).appendingPathComponent(options.quarter.description)
        var input = ReportInput(
            settings: settings, reference: reference, quarter: options.quarter, history: history,
            submissions: quarterSubmissions, strayFiles: strayInStore,
            generatedOn: CivilDate(daysSinceEpoch: Int(options.now / 86_400)).iso)
        var outputs: [String] = []
        progress(.writing(outFolder))
        // The figures are computed once, for the report, the feedback and the programme's workbook.
        let figures = FigureCalculator(settings: input.settings, reference: input.reference, jobs: options.jobs).figures(for: input)
        // Disclosure control plans every funder workbook together, with what was published before.
        let writer = WorkbookWriter(provenance: WorkbookProvenance(ledger: ledger, schemas: schemas), jobs: options.jobs)
        let prepared: WorkbookWriter.Prepared
        do {
            prepared = try writer.prepare(input: input, earlier: earlier, programmeFigures: figures)
        } catch let error as ImpactError {
            throw error
        } catch {
            throw .unwritablePath((outFolder as NSString).appendingPathComponent("workbooks"), reason: "\(error)")
        }
        let disclosure = DisclosureSummary(plan: prepared.plan, funders: prepared.funders.map(\.funder.id))
        input.disclosure = disclosure
        let reportInput = input
        // The report and feedback, and the workbooks, are written side by side.
        let written = [0, 1].parallelMap(jobs: min(2, options.jobs)) { part in
            Result { () throws(ImpactError) -> (paths: [String], publications: [Publication]) in
                if part == 0 {
                    return (try writeReports(reportInput, figures: figures, workspace: workspace, outFolder: outFolder), [])
                }
                do {
                    let result = try writer.write(
                        prepared, to: outFolder, created: Date(timeIntervalSince1970: TimeInterval(options.now)))
                    return (result.paths, result.publications)
                } catch let error as ImpactError {
                    throw error
                } catch {
                    throw .unwritablePath((outFolder as NSString).appendingPathComponent("workbooks"), reason: "\(error)")
                }
            }
        }
        var publications: [Publication] = []
        for part in written {
            let result = try part.get()
            outputs += result.paths
            publications += result.publications
        }
        do {
            try store.record(publications: publications, quarter: options.quarter, at: options.now)
        } catch {
            throw .store("\(error)")
        }

        let returnOutcomes = zip(submissions, outcomes).map { submission, outcome in
            RunReturnOutcome(
                partnerID: submission.partnerID, files: submission.files.map(\.path), verdict: submission.verdict,
                unchanged: outcome == .unchanged, supersededEarlier: outcome == .supersededEarlier, onTime: submission.onTime,
                errors: submission.findings.filter { $0.finding.severity == .error }.count,
                warnings: submission.findings.filter { $0.finding.severity == .warning }.count)
        }
        let received = Set(submissions.map(\.partnerID))
        let missing = reference.partners.filter { $0.isExpected(in: options.quarter) && !received.contains($0.id) }.map(\.id)
        return RunSummary(
            quarter: options.quarter, returns: returnOutcomes, missing: missing, strayFiles: stray.map(\.file.path),
            outputs: outputs, referenceProblems: referenceProblems, disclosure: disclosure)
    }

    // MARK: - Steps

    /// Fingerprints a file and reads just enough of it to know whose return it is.
    func scan(_ input: InputFile, store: Store, schemas: SchemaSet) throws(ImpactError) -> ScannedFile {
        let relative = relativePath(input.path)
        let (digest, size) = fingerprint(input.path)
        let known: Int64?
        do {
            known = try store.firstSeen(sha256: digest)
        } catch {
            throw .store("\(error)")
        }
        var partnerID: String?
        var table: String?
        var submittedOn: Int32?
        switch input.format {
        case .csv:
            if let header = try? CSVReaderHeader.firstRows(path: input.path) {
                if case .table(let name) = schemas.recognise(header: header.header) {
                    table = name
                    if let row = header.firstRow,
                        let column = header.header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "partner_id" }),
                        column < row.count
                    {
                        let value = row[column].trimmingCharacters(in: .whitespaces)
                        partnerID = value.isEmpty ? nil : value
                    }
                }
            }
            if let schema = table.flatMap({ schemas[$0] }), schema.isReference { partnerID = nil }
        case .xlsx:
            table = "workbook"
            partnerID = ValidationStage(options: ValidationOptions(schemas: schemas)).workbookPartner(input)
        case .json, .yaml:
            table = "form"
            if let bytes = try? input.readAll(limit: Limits().maxFormBytes) {
                var envelope: [String: String]?
                if input.format == .yaml {
                    // Most YAML forms are plain block mappings: read the two values without the tables.
                    envelope = FormDocument.yamlEnvelope(bytes, keys: ["partner_id", "submitted_on"])
                }
                if envelope == nil {
                    let document =
                        try?
                        (input.format == .json ? FormDocument.json(bytes, limits: Limits()) : FormDocument.yaml(bytes, limits: Limits()))
                    envelope = [:]
                    envelope?["partner_id"] = document?.value["partner_id"]?.stringValue
                    envelope?["submitted_on"] = document?.value["submitted_on"]?.stringValue
                }
                partnerID = envelope?["partner_id"]
                if let text = envelope?["submitted_on"],
                    case .date(let date) = DateFormat.iso.parse(Array(text.utf8)[...])
                {
                    submittedOn = Int32(date.daysSinceEpoch)
                }
            }
        }
        let firstSeen = known ?? (options.receivedOn.map { Int64($0) * 86_400 } ?? options.now)
        return ScannedFile(
            input: input, relative: relative,
            ledger: LedgerFile(path: relative, sha256: digest, size: size, kind: table, firstSeen: firstSeen),
            partnerID: partnerID, table: table, submittedOn: submittedOn)
    }

    /// The day a file was received: a form's `submitted_on`, else when the ledger first saw it.
    func received(_ file: ScannedFile) -> Int32 {
        file.submittedOn ?? Int32(file.ledger.firstSeen / 86_400)
    }

    /// Checks one candidate return and turns it into what the store records.
    func validate(_ candidate: Candidate, stage: ValidationStage, settings: Settings) -> SubmissionInput {
        let reports = stage.run(files: candidate.files.map(\.input))
        var findings: [FileFinding] = []
        for (file, report) in zip(candidate.files, reports) {
            findings += report.findings.map { FileFinding(file: file.relative, finding: $0) }
            let others = report.partnerIDs.filter { $0 != candidate.partnerID }
            if !others.isEmpty {
                findings.append(
                    FileFinding(
                        file: file.relative,
                        finding: Finding(
                            .error, .sourceError,
                            message:
                                "\(file.relative) holds rows for \(([candidate.partnerID] + others).joined(separator: " and ")): a return holds one partner's rows. Split the file."
                        )))
            }
        }
        // The tables the return holds: its CSV files', or a readable workbook's sheets. A form is checked by its
        // own schema, and an unreadable workbook already has its error.
        let tables: Set<String>? =
            candidate.isForm
            ? reports.first { $0.format == .xlsx && !$0.unreadable }.map { Set($0.sheets.keys) }
            : Set(candidate.files.compactMap(\.table))
        if let tables {
            for required in ["support", "outcomes"] where !tables.contains(required) {
                findings.append(
                    FileFinding(
                        file: candidate.files.first?.relative ?? "",
                        finding: Finding(
                            .error, .sourceError,
                            message:
                                "The return of \(candidate.partnerID) has no \(required) table. Send the \(required) file with the others.")
                    ))
            }
        }
        let verdict: Verdict = findings.contains { $0.finding.severity == .error } ? .rejected : .accepted
        let dueBy = Int32(options.quarter.lastDay + settings.dueDays)
        let onTime = candidate.receivedOn <= dueBy
        var accepted: AcceptedReturn?
        if verdict == .accepted {
            accepted = Self.acceptedReturn(
                partnerID: candidate.partnerID, quarter: options.quarter, reports: reports, receivedOn: candidate.receivedOn, onTime: onTime
            )
        }
        let hashes = candidate.files.map(\.ledger.sha256).sorted().joined(separator: "\n")
        return SubmissionInput(
            partnerID: candidate.partnerID, quarter: options.quarter,
            fingerprint: Secrets.hex(SHA256.hash(data: Data(hashes.utf8))),
            files: candidate.files.map(\.ledger), findings: findings, verdict: verdict, receivedOn: candidate.receivedOn,
            onTime: onTime, accepted: accepted)
    }

    /// Builds the typed return from validated rows.
    static func acceptedReturn(
        partnerID: String, quarter: Quarter, reports: [FileReport], receivedOn: Int32, onTime: Bool
    ) -> AcceptedReturn {
        var result = AcceptedReturn(
            partnerID: partnerID, quarter: quarter, receivedOn: receivedOn, onTime: onTime, isResubmission: false, support: [],
            outcomes: [], ripple: [], narrative: nil)
        for report in reports {
            if let envelope = report.envelope {
                let narrative = Narrative(
                    highlights: envelope.highlights, challenges: envelope.challenges, whatWouldHelp: envelope.whatWouldHelp)
                if !narrative.isEmpty { result.narrative = narrative }
            }
            for table in report.tables {
                for row in table.rows {
                    func text(_ name: String) -> String? { table.value(name, in: row).text }
                    func integer(_ name: String) -> Int? {
                        if case .integer(let value) = table.value(name, in: row) { return Int(value) }
                        return nil
                    }
                    func date(_ name: String) -> Int32? {
                        if case .date(let value) = table.value(name, in: row) { return value }
                        return nil
                    }
                    switch table.table {
                    case "support":
                        var spend: Double?
                        if case .number(let value) = table.value("discretionary_spend", in: row) { spend = value }
                        if case .integer(let value) = table.value("discretionary_spend", in: row) { spend = Double(value) }
                        result.support.append(
                            SupportRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                personRef: text("person_ref") ?? "", supportType: text("support_type") ?? "",
                                status: text("support_status") ?? "", startDate: date("start_date"), endDate: date("end_date"),
                                endingType: text("ending_type"), sessionsOffered: integer("sessions_offered"),
                                sessionsAttended: integer("sessions_attended"), discretionarySpend: spend,
                                panelApprovalRef: text("panel_approval_ref")))
                    case "outcomes":
                        result.outcomes.append(
                            OutcomeRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                personRef: text("person_ref") ?? "", outcomeID: text("outcome_id") ?? "",
                                baselineScore: integer("baseline_score") ?? 0, currentScore: integer("current_score") ?? 0))
                    case "ripple":
                        var consent = false
                        if case .boolean(let value) = table.value("consent_to_quote", in: row) { consent = value }
                        result.ripple.append(
                            RippleRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                noteID: text("note_id") ?? "", theme: text("theme") ?? "", outcomeID: text("outcome_id"),
                                note: text("note") ?? "", consentToQuote: consent))
                    default:
                        break
                    }
                }
            }
        }
        return result
    }

    /// SHA-256 (hex) and size of a file, read in chunks.
    func fingerprint(_ path: String) -> (String, Int) {
        var hasher = SHA256()
        var size = 0
        // Only ordinary files: opening a pipe would wait for ever (the file is reported when it is checked).
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let handle = FileHandle(forReadingAtPath: path) {
            while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += chunk.count
            }
            try? handle.close()
        }
        return (Secrets.hex(hasher.finalize()), size)
    }

    /// A path relative to the workspace, for the ledger and reports.
    func relativePath(_ path: String) -> String {
        let base = (options.workspace as NSString).standardizingPath
        let full = (path as NSString).standardizingPath
        if full.hasPrefix(base + "/") { return String(full.dropFirst(base.count + 1)) }
        return path
    }
}

/// The program's version, recorded in the ledger and provenance.
public let impactVersion = "0.1.0"
