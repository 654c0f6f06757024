import Foundation
import TableSchema

/// Reads a workspace's reference tables (partners, funders, outcome goals) into typed values.
public enum ReferenceLoader {
    /// The reference files a workspace must have, by table.
    public static let files = [
        "partners": "reference/partners.csv", "funders": "reference/funders.csv", "outcome-goals": "reference/outcomes.csv",
    ]

    /// Loads and checks the reference tables; rows with errors are left out and their findings returned.
    public static func load(workspace: String, schemas: SchemaSet) throws(ImpactError) -> (ReferenceData, [FileFinding]) {
        var options = ValidationOptions(schemas: schemas)
        options.keepRows = true
        var tables: [String: TableRows] = [:]
        var problems: [FileFinding] = []
        for table in ["funders", "outcome-goals", "partners"] {
            let relative = files[table]!
            let path = (workspace as NSString).appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: path) else { throw .missingReference(path: path) }
            options.kind = table
            let stage = ValidationStage(options: options)
            guard let report = stage.run(files: [InputFile(path: path, explicit: true)].compactMap { $0 }).first else { continue }
            if report.unreadable {
                throw .unreadablePath(path, reason: report.findings.first?.message ?? "it cannot be read")
            }
            problems += report.findings.filter { $0.severity == .error }.map { FileFinding(file: relative, finding: $0) }
            tables[table] = report.tables.first
        }
        func text(_ rows: TableRows?, _ row: ReturnRow, _ field: String) -> String {
            rows?.value(field, in: row).text ?? ""
        }
        // IDs become file names (a funder's workbook, a partner's feedback): one that cannot is a problem in
        // the reference table, whatever the schemas allow, and never a path.
        func cannotName(_ table: String, _ row: ReturnRow, _ field: String, _ id: String, _ consequence: String) {
            problems.append(
                FileFinding(
                    file: files[table]!,
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
        return (ReferenceData(partners: partners, funders: funders, goals: goals), problems)
    }
}
