import CSV
import Foundation
import TableSchema

extension ReferenceTables {
    /// The usual file of each reference table in a workspace's `reference/` folder.
    static let standardFiles = [
        "partners": "partners.csv", "funders": "funders.csv", "outcome-goals": "outcomes.csv", "themes": "themes.csv",
        "priority-groups": "priority-groups.csv",
    ]

    /// Reads and checks the reference tables of a folder, once: each table from its usual file name, else from
    /// the CSV file whose header is that table's. Rows with errors are left out and their findings returned.
    ///
    /// With `required`, each of the three tables must be there under its usual name (a quarterly run, the
    /// portal and templates cannot work without them).
    static func load(
        folder: String, workspace: String?, schemas: SchemaSet, settings: Settings, limits: Limits, required: Bool
    ) throws(ImpactError) -> ReferenceTables {
        var options = ValidationOptions(schemas: schemas, settings: settings, limits: limits)
        options.keepRows = true
        let stage = ValidationStage(options: options)
        var files: [String: InputFile] = [:]
        for table in SchemaSet.referenceTables.sorted() {
            let path = (folder as NSString).appendingPathComponent(standardFiles[table]!)
            if FileManager.default.fileExists(atPath: path), let input = InputFile(path: path, explicit: true) {
                files[table] = input
            } else if required {
                throw .missingReference(path: path)
            }
        }
        let found = files.count
        for table in SchemaSet.optionalReferenceTables where schemas[table] != nil {
            let path = (folder as NSString).appendingPathComponent(standardFiles[table]!)
            if FileManager.default.fileExists(atPath: path), let input = InputFile(path: path, explicit: true) {
                files[table] = input
            }
        }
        if found < SchemaSet.referenceTables.count {
            for file in InputFile.discover([folder]).files where file.format == .csv {
                guard let header = try? CSVReader.header(path: file.path, options: limits.csvOptions),
                    case .table(let table) = schemas.recognise(header: header, among: SchemaSet.referenceTables)
                else { continue }
                if files[table] == nil { files[table] = file }
            }
        }
        func relative(_ path: String) -> String { Workspace.relative(path, to: workspace) }
        var keys = KeyIndex()
        var notes: [String] = []
        var tables: [String: TableRows] = [:]
        var problems: [FileFinding] = []
        let rank = stage.dependencyOrder()
        for table in files.keys.sorted(by: { (rank[$0] ?? 0, $0) < (rank[$1] ?? 0, $1) }) {
            guard let schema = schemas[table], let file = files[table] else { continue }
            let (report, validator) = stage.validateCSV(file, schema: schema, references: keys)
            if report.unreadable {
                throw .unreadablePath(file.path, reason: report.findings.first?.message ?? "it cannot be read")
            }
            if let validator {
                for key in stage.keySetsOffered(by: schema) {
                    if let set = validator.keys(over: key) { keys.add(resource: table, fields: key, keys: set) }
                }
            }
            if !report.valid {
                notes.append(
                    "The reference table \(file.path) has \(report.errorCount) error(s); check it with impact validate \(file.path).")
            }
            let errors = report.findings.filter { $0.severity == .error }
            problems += errors.map { FileFinding(file: relative(file.path), finding: $0) }
            // A row whose only errors are unknown foreign keys is still used (a partner keeps its known funders);
            // the errors are reported all the same.
            let brokenRows = Set(errors.filter { $0.code != .foreignKey }.compactMap(\.rowNumber))
            if var rows = report.tables.first {
                for index in rows.rows.indices where !rows.rows[index].valid && !brokenRows.contains(rows.rows[index].rowNumber) {
                    rows.rows[index].valid = true
                }
                tables[table] = rows
            }
        }
        func text(_ rows: TableRows?, _ row: ReturnRow, _ field: String) -> String {
            rows?.value(field, in: row).text ?? ""
        }
        // IDs become file names (a funder's workbook, a partner's feedback): one that cannot is a problem in
        // the reference table, whatever the schemas allow, and never a path.
        func cannotName(_ table: String, _ row: ReturnRow, _ field: String, _ id: String, _ consequence: String) {
            problems.append(
                FileFinding(
                    file: relative(files[table]?.path ?? table),
                    finding: Finding(
                        .error, .constraintError, rowNumber: row.rowNumber, fieldName: field,
                        message: "Row \(row.rowNumber): the \(field) \"\(id)\" cannot name \(consequence)")))
        }
        var funders: [Funder] = []
        var seen: [String: String] = [:]
        for row in (tables["funders"]?.rows ?? []).filter(\.valid) {
            let funder = Funder(id: text(tables["funders"], row, "funder_id"), name: text(tables["funders"], row, "name"))
            if let reason = FileNames.funderIDProblem(funder.id, seen: seen) {
                cannotName(
                    "funders", row, "funder_id", funder.id,
                    "the funder's workbook: \(reason). Correct it; until then this funder gets no workbook.")
                continue
            }
            seen[funder.id.lowercased()] = funder.id
            funders.append(funder)
        }
        let goals = (tables["outcome-goals"]?.rows ?? []).filter(\.valid).map { row -> OutcomeGoal in
            let rows = tables["outcome-goals"]
            var target = 0.0
            if case .number(let value) = rows?.value("target_improved_share", in: row) { target = value }
            if case .integer(let value) = rows?.value("target_improved_share", in: row) { target = Double(value) }
            return OutcomeGoal(
                id: text(rows, row, "outcome_id"), title: text(rows, row, "title"), pathway: text(rows, row, "pathway"),
                indicator: text(rows, row, "indicator"), targetImprovedShare: target)
        }
        let funderIDs = Set(funders.map(\.id))
        let partners = (tables["partners"]?.rows ?? []).filter(\.valid).compactMap { row -> Partner? in
            let rows = tables["partners"]
            let id = text(rows, row, "partner_id")
            if let reason = FileNames.fileNameProblem(id) {
                cannotName(
                    "partners", row, "partner_id", id,
                    "the partner's feedback file: \(reason). Correct it; until then this partner's returns are not tied to it.")
                return nil
            }
            var funding: [String] = []
            if case .list(let items) = rows?.value("funder_ids", in: row) { funding = items.compactMap(\.text) }
            guard case .date(let from) = rows?.value("active_from", in: row) else { return nil }
            var to: Int32?
            if case .date(let day) = rows?.value("active_to", in: row) { to = day }
            return Partner(
                id: text(rows, row, "partner_id"), name: text(rows, row, "name"), region: text(rows, row, "region"),
                funderIDs: funding.filter { funderIDs.contains($0) }, activeFrom: from, activeTo: to)
        }
        let themes = (tables["themes"]?.rows ?? []).filter(\.valid).map { row -> LearningTheme in
            let rows = tables["themes"]
            var keywords: [String] = []
            if case .list(let items) = rows?.value("keywords", in: row) {
                keywords = items.compactMap { $0.text?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            return LearningTheme(id: text(rows, row, "theme_id"), label: text(rows, row, "label"), keywords: keywords)
        }
        let groups = (tables["priority-groups"]?.rows ?? []).filter(\.valid).map { row -> PriorityGroup in
            PriorityGroup(id: text(tables["priority-groups"], row, "group_id"), label: text(tables["priority-groups"], row, "label"))
        }
        // A programme without priority groups has none a return may name: the support table's references are
        // checked against an empty list, not skipped.
        for table in SchemaSet.optionalReferenceTables where files[table] == nil {
            for key in schemas[table].map({ stage.keySetsOffered(by: $0) }) ?? [] { keys.declare(resource: table, fields: key) }
        }
        return ReferenceTables(
            folder: folder,
            data: ReferenceData(partners: partners, funders: funders, goals: goals, themes: themes, priorityGroups: groups),
            problems: problems,
            keys: keys, notes: notes)
    }
}
