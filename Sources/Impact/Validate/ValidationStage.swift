import CSV
import Foundation
import JSONSchema
import TableSchema

/// How to validate: which schemas, reference tables, quarter and settings.
public struct ValidationOptions: Sendable {
    /// The schemas in force.
    public var schemas: SchemaSet
    /// The reference tables (partners, funders, outcome goals), checked once, for foreign keys.
    var references: ReferenceTables?
    /// The quarter being checked: rows for other quarters break the `quarter` rule.
    public var quarter: Quarter?
    /// Reads every CSV file as this table instead of recognising it from the header.
    public var kind: String?
    /// Programme settings (the coordinator limit for the spend rule).
    public var settings: Settings
    /// Input limits.
    public var limits: Limits
    /// Keeps every row's typed values in the reports (for the quarterly run); off for plain validation,
    /// so memory does not grow with the file.
    public var keepRows = false
    /// Gathers what the fund checks need of the support and awards rows (``FundLedger``); on only when the files
    /// checked together may hold awards, so that checking a support file alone costs nothing more.
    var gathersFund = true
    /// Cores one large CSV file is checked on (`impact validate --jobs`); the findings are the same for any
    /// number. The quarterly run checks partners' files side by side instead, each on one core.
    public var jobs = 1
    /// How large a CSV file must be before it is checked in batches on several cores.
    var parallelFromBytes = 4 << 20
    /// Rows per batch.
    var batchRows = 8192

    /// Creates options.
    init(
        schemas: SchemaSet, references: ReferenceTables? = nil, quarter: Quarter? = nil, kind: String? = nil,
        settings: Settings = Settings(), limits: Limits = Limits()
    ) {
        self.schemas = schemas
        self.references = references
        self.quarter = quarter
        self.kind = kind
        self.settings = settings
        self.limits = limits
    }
}

/// The validation stage: files in, a report of findings out.
///
/// Each file is read once, streaming; files are checked in the order their foreign keys need
/// (reference tables, then support, then outcomes and ripple), and reported in the order given.
/// Nothing here throws for a problem in a file: an unreadable or unrecognisable file becomes a
/// `source-error` finding and the other files still run.
public struct ValidationStage: Sendable {
    /// The options in force.
    public let options: ValidationOptions
    /// Creates the stage.
    public init(options: ValidationOptions) {
        self.options = options
    }

    /// A file after its table has been recognised.
    struct ClassifiedFile {
        var input: InputFile
        var table: String?
        var report: FileReport?
    }

    /// Validates files and folders.
    public func run(paths: [String]) -> ValidationReport {
        let discovered = InputFile.discover(paths)
        var reports: [String: FileReport] = [:]
        var order: [String] = []
        for problem in discovered.problems {
            order.append(problem.path)
            reports[problem.path] = FileReport(
                path: problem.path, kind: nil, format: .csv,
                findings: [Finding(.error, .sourceError, message: "\(problem.path): \(problem.reason). Check the path.")],
                unreadable: true)
        }
        order.append(contentsOf: discovered.files.map(\.path))
        for report in run(files: discovered.files) { reports[report.path] = report }
        return ValidationReport(files: order.compactMap { reports[$0] }, emptyFolders: discovered.emptyFolders)
    }

    /// Validates files already discovered; reports come back in the same order.
    public func run(files: [InputFile]) -> [FileReport] {
        var index = KeyIndex()
        var notes: [String] = []
        let referenceGiven = options.references != nil
        if let references = options.references {
            index = references.keys
            notes = references.notes
        }
        var classified = files.map { classify($0) }
        // The fund checks compare awards with the support table's spends: only when an awards table may be there.
        var options = self.options
        options.gathersFund = classified.contains { $0.input.format != .csv || $0.table == "awards" }
        return ValidationStage(options: options).validate(
            classified: &classified, referenceGiven: referenceGiven, index: index, notes: notes)
    }

    /// Validates classified files (``run(files:)``).
    private func validate(
        classified: inout [ClassifiedFile], referenceGiven: Bool, index: KeyIndex, notes: [String]
    )
        -> [FileReport]
    {
        var index = index
        let rank = dependencyOrder()
        func order(_ file: ClassifiedFile) -> Int {
            if file.input.format != .csv { return rank["support"] ?? 0 }
            return file.table.flatMap { rank[$0] } ?? Int.max
        }
        let sequence = classified.indices.sorted { a, b in
            let left = order(classified[a])
            let right = order(classified[b])
            return left != right ? left < right : a < b
        }
        // Key sets are kept only where a later file can need them: to find the same row sent in two
        // files (a table that more than one file holds), or for another table's foreign keys.
        var filesPerTable: [String: Int] = [:]
        for file in classified where file.report == nil {
            for table in file.input.format == .csv ? [file.table ?? ""] : options.schemas.returnTables {
                filesPerTable[table, default: 0] += 1
            }
        }
        let referenced = Set(
            classified.compactMap { $0.table }.flatMap { table -> [String] in
                let tables = table == "form" || table == "workbook" ? options.schemas.returnTables : [table]
                return tables.flatMap { options.schemas[$0]?.foreignKeys.map(\.resource) ?? [] }
            })
        var paths: [String] = []
        var seenKeys: [String: [KeyHash: UInt64]] = [:]
        for position in sequence {
            guard classified[position].report == nil else { continue }
            var report: FileReport
            var validators: [(Schema, TableValidator)] = []
            if classified[position].input.format == .csv {
                guard let table = classified[position].table, let schema = options.schemas[table] else { continue }
                let (csvReport, validator) = validateCSV(classified[position].input, schema: schema, references: index)
                report = csvReport
                if let validator { validators = [(schema, validator)] }
            } else if classified[position].input.format == .xlsx {
                (report, validators) = validateWorkbook(classified[position].input, references: index)
            } else {
                (report, validators, _) = validateForm(classified[position].input, references: index)
            }
            for (schema, validator) in validators {
                // The same key in two files of one submission is a duplicate too.
                if !schema.primaryKey.isEmpty, filesPerTable[schema.name, default: 0] > 1 {
                    let fileIndex = UInt64(paths.count)
                    paths.append(report.path)
                    var seen = seenKeys[schema.name, default: [:]]
                    var duplicates: [Finding] = []
                    for (key, row) in validator.primaryKeyRows {
                        if let packed = seen[key] {
                            let earlier = (path: paths[Int(packed >> 32)], row: Int(packed & 0xFFFF_FFFF))
                            var finding = Finding(
                                .error, .primaryKey, rowNumber: row, fieldName: schema.primaryKey.last,
                                message:
                                    "Row \(row): the same \(schema.primaryKey.joined(separator: " + ")) is already in \(earlier.path) at row \(earlier.row). Send each row once."
                            )
                            if report.format == .xlsx, let sheet = report.sheets[schema.name] {
                                finding = onSheet(finding, sheet)
                            } else if report.format != .csv {
                                finding.rowNumber = nil
                                finding.pointer = "/\(schema.name)/\(row - 2)"
                                finding.message =
                                    "\(finding.pointer!): the same \(schema.primaryKey.joined(separator: " + ")) is already in \(earlier.path). Send each row once."
                            }
                            duplicates.append(finding)
                        } else {
                            seen[key] = fileIndex << 32 | UInt64(row)
                        }
                    }
                    seenKeys[schema.name] = seen
                    if !duplicates.isEmpty {
                        duplicates.sort { ($0.rowNumber ?? 0, $0.pointer ?? "") < ($1.rowNumber ?? 0, $1.pointer ?? "") }
                        report.findings =
                            report.format == .csv
                            ? Finding.sortedByPosition(report.findings + duplicates) : report.findings + duplicates
                    }
                }
                // Keys this file offers to the tables checked after it.
                if !(schema.isReference && referenceGiven), referenced.contains(schema.name) {
                    for key in keySetsOffered(by: schema) {
                        if let keys = validator.keys(over: key) {
                            index.add(resource: schema.name, fields: key, keys: keys)
                        }
                    }
                }
            }
            if validators.contains(where: { !$0.0.isReference }) { report.notes = notes + report.notes }
            classified[position].report = report
        }
        var reports = classified.map { $0.report ?? FileReport(path: $0.input.path, kind: nil, format: $0.input.format) }
        checkFund(&reports)
        return reports
    }

    /// Adds the fund's checks across rows and tables (``FundChecks``) to the reports of the files they concern,
    /// and drops the support table's check of a quarter's sum for partners that send awards.
    func checkFund(_ reports: inout [FileReport]) {
        var ledger = FundLedger()
        for (index, report) in reports.enumerated() { ledger.merge(report.fund, file: index) }
        // A partner sends awards when its awards table has a row: the template's empty awards sheet is not sending
        // them.
        let sendingAwards = Set(ledger.awards.map(\.partnerID))
        guard !sendingAwards.isEmpty else { return }
        var checks = FundChecks(limit: Money(amount: options.settings.coordinatorLimit).minorUnits, currency: options.settings.currency)
        for (index, report) in reports.enumerated() { checks.filePartners[index] = Set(report.partnerIDs) }
        var found: [Int: [Finding]] = [:]
        for item in checks.findings(ledger, partnersSendingAwards: sendingAwards) {
            found[item.file, default: []].append(place(item, in: reports[item.file]))
        }
        for index in reports.indices {
            let report = reports[index]
            var findings = report.findings
            // Each award is checked against the limit on its own row.
            if !report.partnerIDs.isEmpty, report.partnerIDs.allSatisfy(sendingAwards.contains) {
                findings.removeAll { $0.rule == FundChecks.replacedRule }
            }
            findings += found[index] ?? []
            if findings != report.findings {
                reports[index].findings = report.format == .csv ? Finding.sortedByPosition(findings) : findings
            }
        }
    }

    /// A fund finding placed on its file: as it is on a CSV file, on the table's sheet of a workbook, at the row's
    /// pointer in a form.
    func place(_ item: FundChecks.RowFinding, in report: FileReport) -> Finding {
        var finding = item.finding
        switch report.format {
        case .csv:
            return finding
        case .xlsx:
            return report.sheets[item.table].map { onSheet(finding, $0) } ?? finding
        default:
            guard let row = finding.rowNumber else { return finding }
            let rowPointer = "/\(item.table)/\(row - 2)"
            let pointer = finding.fieldName.map { rowPointer + "/" + JSONPointer.escape($0) } ?? rowPointer
            finding.message = relocatedMessage(finding.message, row: row, table: item.table, pointer: pointer)
            finding.pointer = pointer
            finding.rowNumber = nil
            finding.fieldNumber = nil
            return finding
        }
    }

    // MARK: - Stages

    /// Recognises a file's table from its header (or `--kind`).
    func classify(_ input: InputFile) -> ClassifiedFile {
        if input.format == .xlsx { return ClassifiedFile(input: input, table: "workbook") }
        if input.format != .csv { return ClassifiedFile(input: input, table: "form") }
        if let kind = options.kind { return ClassifiedFile(input: input, table: kind) }
        let header: [String]?
        do {
            if let contents = input.contents {
                header = try CSVReader.header(bytes: contents, options: options.limits.csvOptions)
            } else {
                header = try CSVReader.header(path: input.path, options: options.limits.csvOptions)
            }
        } catch {
            return ClassifiedFile(input: input, table: nil, report: unreadable(input, error))
        }
        guard let header else {
            return ClassifiedFile(
                input: input, table: nil,
                report: FileReport(
                    path: input.path, kind: nil, format: .csv,
                    findings: [
                        Finding(.error, .sourceError, message: "\(input.path) is empty: it has no header row and no data.")
                    ]))
        }
        switch options.schemas.recognise(header: header) {
        case .table(let table):
            return ClassifiedFile(input: input, table: table)
        case .unrecognised(let matches):
            let compared = matches.map { "\($0.table) (\($0.matched) of \($0.fields) columns)" }.joined(separator: ", ")
            return ClassifiedFile(
                input: input, table: nil,
                report: FileReport(
                    path: input.path, kind: nil, format: .csv,
                    findings: [
                        Finding(
                            .error, .sourceError, rowNumber: 1,
                            message:
                                "\(input.path): cannot tell which table this is from its header row. It was compared with \(compared). Check the header row, or say which table it is with --kind."
                        )
                    ]))
        }
    }

    /// Reads and checks one CSV file, streaming.
    func validateCSV(_ input: InputFile, schema: Schema, references: KeyIndex) -> (FileReport, TableValidator?) {
        let validator = makeValidator(schema: schema, references: references)
        validator.trackDistinctValues(of: ["partner_id", "quarter"])
        let rows = RowObserver(schema: schema, keepRows: options.keepRows, gathersFund: options.gathersFund)
        rows.observe(validator)
        let summary: CSVReadSummary
        do {
            let reader =
                try input.contents.map { try CSVReader(bytes: $0, name: input.path, options: options.limits.csvOptions) }
                ?? CSVReader(path: input.path, options: options.limits.csvOptions)
            var headerDone = false
            // A large file is checked in batches on several cores; the report is the same.
            var batches =
                options.jobs > 1 && size(of: input) >= options.parallelFromBytes
                ? BatchedValidation(validator: validator, rows: rows, options: options) : nil
            summary = try reader.read { record in
                if !headerDone {
                    if record.isBlank { return }
                    validator.checkHeader(record.strings, rowNumber: record.rowNumber)
                    headerDone = true
                    return
                }
                if batches != nil {
                    batches!.append(record, rowNumber: record.rowNumber)
                } else {
                    validator.checkRow(record, rowNumber: record.rowNumber)
                }
            }
            batches?.finish()
        } catch {
            return (unreadable(input, error), nil)
        }
        validator.finish()
        var findings = validator.takeFindings()
        findings.append(contentsOf: summary.issues.map { finding(for: $0, path: input.path, validator: validator) })
        findings.append(contentsOf: rows.personalFindings)
        var report = FileReport(
            path: input.path, kind: schema.name, format: .csv, encoding: summary.encoding.rawValue,
            rows: validator.rowCount, findings: Finding.sortedByPosition(findings),
            notes: validator.notes, partnerIDs: (validator.distinctValues["partner_id"] ?? []).sorted(),
            quarters: (validator.distinctValues["quarter"] ?? []).sorted())
        if options.keepRows { report.tables = [TableRows(table: schema.name, fields: schema.fields.map(\.name), rows: rows.kept)] }
        report.fund = rows.fund
        return (report, validator)
    }

    // MARK: - Helpers

    /// A validator for one table with the run's rule parameters.
    func makeValidator(schema: Schema, references: KeyIndex) -> TableValidator {
        var parameters: [String: RuleValue] = [
            "coordinator_limit": .number(options.settings.coordinatorLimit), "currency": .text(options.settings.currency),
        ]
        if let quarter = options.quarter { parameters["quarter"] = .text(quarter.description) }
        return TableValidator(schema: schema, parameters: parameters, references: references)
    }

    private func unreadable(_ input: InputFile, _ error: any Error) -> FileReport {
        unreadableReport(input, "\(error)")
    }

    func unreadableReport(_ input: InputFile, _ message: String) -> FileReport {
        FileReport(
            path: input.path, kind: nil, format: input.format, findings: [Finding(.error, .sourceError, message: message)],
            unreadable: true)
    }

    /// Converts a problem the CSV reader found into a finding.
    func finding(for issue: CSVIssue, path: String, validator: TableValidator) -> Finding {
        let name = issue.fieldNumber.flatMap { validator.fieldName(forColumn: $0 - 1) }
        let place = "Row \(issue.rowNumber)" + (issue.fieldNumber.map { ", column \(name ?? String($0))" } ?? "")
        let at = issue.byteOffset.map { " (byte \($0) of the file)" } ?? ""
        switch issue.kind {
        case .invalidBytes(let count):
            return Finding(
                .error, .encodingError, rowNumber: issue.rowNumber, fieldName: name, fieldNumber: issue.fieldNumber,
                message:
                    "\(place): \(count == 1 ? "a byte is" : "\(count) bytes are") not valid text\(at) and \(count == 1 ? "was" : "were") replaced by �. Retype the value, and save the file as \"CSV UTF-8\".",
                byteOffset: issue.byteOffset)
        case .nulBytes(let count):
            return Finding(
                .error, .encodingError, rowNumber: issue.rowNumber, fieldName: name, fieldNumber: issue.fieldNumber,
                message:
                    "\(place): the cell contains \(count == 1 ? "a NUL byte" : "\(count) NUL bytes") (an invisible control character)\(at), which was removed. Retype the value.",
                byteOffset: issue.byteOffset)
        case .unterminatedQuote:
            return Finding(
                .error, .sourceError, rowNumber: issue.rowNumber, fieldName: name, fieldNumber: issue.fieldNumber,
                message:
                    "\(place): a quoted value starts here but its closing quote mark is missing, so the rest of the file (from this row on) could not be read. Close or remove the stray \" mark."
            )
        case .fieldTooLarge(let limit):
            return Finding(
                .error, .sourceError, rowNumber: issue.rowNumber, fieldNumber: issue.fieldNumber,
                message:
                    "\(place): a single cell is larger than \(limit / 1024) KiB, so reading stopped here. Check for a missing closing quote, or shorten the value."
            )
        case .tooManyColumns(let count, let limit):
            return Finding(
                .error, .sourceError, rowNumber: issue.rowNumber,
                message: "Row \(issue.rowNumber) has \(count) cells, more than the \(limit) that can be read; the rest were ignored.")
        case .fileTooLarge(let size, let limit):
            return Finding(
                .error, .sourceError,
                message:
                    "\(path) is \(size / 1_048_576) MiB, larger than the \(limit / 1_048_576) MiB limit, and was not read. Split it into smaller returns."
            )
        }
    }

    /// Tables ordered so that each comes after the tables its foreign keys refer to.
    func dependencyOrder() -> [String: Int] {
        var rank: [String: Int] = [:]
        func visit(_ name: String, _ depth: Int) -> Int {
            if let known = rank[name] { return known }
            if depth > 16 { return 0 }
            let schema = options.schemas[name]
            let level =
                (schema?.foreignKeys ?? []).map { key in
                    key.resource.isEmpty || key.resource == name ? 0 : visit(key.resource, depth + 1) + 1
                }.max() ?? 0
            rank[name] = level
            return level
        }
        for name in options.schemas.schemas.keys.sorted() { _ = visit(name, 0) }
        return rank
    }

    /// The key field lists a table offers to foreign keys: its primary key and its unique fields.
    func keySetsOffered(by schema: Schema) -> [[String]] {
        var keys: [[String]] = []
        if !schema.primaryKey.isEmpty { keys.append(schema.primaryKey) }
        for field in schema.fields where field.constraints.unique && [field.name] != schema.primaryKey {
            keys.append([field.name])
        }
        return keys
    }
}
