import Crypto
import Foundation
import TableSchema

// MARK: - Ingest: the quarter's files, and whose return each is

/// Every file of the quarter's returns folder, fingerprinted and identified (the scan step's result).
struct QuarterFiles {
    var files: [ScannedFile]
}

/// A file of the quarter with its fingerprint and what it seems to be.
struct ScannedFile {
    var input: InputFile
    var relative: String
    var ledger: LedgerFile
    var partnerID: String?
    var table: String?
    var submittedOn: Int32?
    /// A CSV file of a known table with a header and no rows (no `partner_id` to read).
    var headerOnly = false
}

/// The quarter's files grouped into one candidate return per partner and form (the group step's result).
struct CandidateReturns {
    /// A partner's candidate return: a form, or its CSV files.
    struct Candidate {
        var partnerID: String
        var files: [ScannedFile]
        var isForm: Bool
        var receivedOn: Int32
    }

    /// The candidates, by partner, then received date, then files.
    var candidates: [Candidate]
    /// Files that belong to no partner, with why.
    var stray: [(file: LedgerFile, findings: [FileFinding])]
    /// CSV files replaced by a later file of the same table.
    var replaced: [(file: LedgerFile, findings: [FileFinding])]
}

extension RunStage {
    /// Fingerprints every file of the quarter and reads just enough of each to know whose return it is.
    func scan(
        _ workspace: Workspace, store: Store, stage: ValidationStage, progress: (RunProgress) -> Void
    ) throws(ImpactError) -> QuarterFiles {
        let discovered = InputFile.discover([workspace.returnsFolder(options.quarter)])
        progress(.started(files: discovered.files.count))
        // Fingerprinting and reading forms' envelopes is independent per file: on every core.
        let scans = discovered.files.parallelMap(jobs: options.jobs) { input in
            Result { () throws(ImpactError) in try scanFile(input, store: store, stage: stage) }
        }
        var files: [ScannedFile] = []
        for result in scans { files.append(try result.get()) }
        // A table with a header and no rows (no awards this quarter) belongs to the partner its name starts with.
        let partners = Set(workspace.reference.partners.map(\.id))
        for i in files.indices where files[i].partnerID == nil && files[i].headerOnly {
            files[i].partnerID = Self.partner(named: files[i].relative, among: partners)
        }
        return QuarterFiles(files: files)
    }

    /// The partner a file's name starts with, before a `-`, `_` or `.` (`P001-awards.csv` → `P001`), when it is
    /// one of the workspace's partners.
    static func partner(named path: String, among partners: Set<String>) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let end = name.firstIndex(where: { $0 == "-" || $0 == "_" || $0 == "." }) else { return nil }
        let id = String(name[..<end])
        return partners.contains(id) ? id : nil
    }

    /// Groups the files into candidate returns per partner; of a partner's CSV files of one table, the latest
    /// received wins and the earlier ones are superseded.
    func group(_ quarter: QuarterFiles, stage: ValidationStage) -> CandidateReturns {
        var candidates: [CandidateReturns.Candidate] = []
        var stray: [(file: LedgerFile, findings: [FileFinding])] = []
        var replaced: [(file: LedgerFile, findings: [FileFinding])] = []
        let byPartner = Dictionary(grouping: quarter.files.filter { $0.partnerID != nil }, by: { $0.partnerID! })
        for partnerID in byPartner.keys.sorted() {
            let files = byPartner[partnerID]!
            for form in files where form.input.format != .csv {
                candidates.append(.init(partnerID: partnerID, files: [form], isForm: true, receivedOn: received(form)))
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
                candidates.append(.init(partnerID: partnerID, files: chosen, isForm: false, receivedOn: chosen.map(received).max() ?? 0))
            }
        }
        for file in quarter.files where file.partnerID == nil {
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
        return CandidateReturns(candidates: candidates, stray: stray, replaced: replaced)
    }

    /// Fingerprints a file and reads just enough of it to know whose return it is.
    func scanFile(_ input: InputFile, store: Store, stage: ValidationStage) throws(ImpactError) -> ScannedFile {
        let schemas = stage.options.schemas
        let relative = relativePath(input.path)
        let (digest, size) = fingerprint(input.path)
        let known: Int64?
        do {
            known = try store.firstSeen(sha256: digest)
        } catch {
            throw .store(error)
        }
        var partnerID: String?
        var table: String?
        var submittedOn: Int32?
        var headerOnly = false
        switch input.format {
        case .csv:
            if let header = try? CSVReaderHeader.firstRows(path: input.path) {
                if case .table(let name) = schemas.recognise(header: header.header) {
                    table = name
                    headerOnly = header.firstRow == nil
                    if let row = header.firstRow,
                        let column = header.header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "partner_id" }),
                        column < row.count
                    {
                        let value = row[column].trimmingCharacters(in: .whitespaces)
                        partnerID = value.isEmpty ? nil : value
                    }
                }
            }
            if let schema = table.flatMap({ schemas[$0] }), schema.isReference {
                partnerID = nil
                headerOnly = false
            }
        case .xlsx:
            table = "workbook"
            partnerID = stage.workbookPartner(input)
        case .json, .yaml:
            table = "form"
            if let bytes = try? input.readAll(limit: stage.options.limits.maxFormBytes) {
                var envelope: [String: String]?
                if input.format == .yaml {
                    // Most YAML forms are plain block mappings: read the two values without the tables.
                    envelope = FormDocument.yamlEnvelope(bytes, keys: ["partner_id", "submitted_on"])
                }
                if envelope == nil {
                    let document =
                        try?
                        (input.format == .json
                        ? FormDocument.json(bytes, limits: stage.options.limits) : FormDocument.yaml(bytes, limits: stage.options.limits))
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
            partnerID: partnerID, table: table, submittedOn: submittedOn, headerOnly: headerOnly)
    }

    /// The day a file was received: a form's `submitted_on`, else when the ledger first saw it.
    func received(_ file: ScannedFile) -> Int32 {
        file.submittedOn ?? Int32(file.ledger.firstSeen / 86_400)
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
        Workspace.relative(path, to: options.workspace)
    }
}
