import Foundation
import XLSXReader

// MARK: - impact disclosure-audit

/// The audit of workbook files, for `impact disclosure-audit`: the same attack as a run's, on what the
/// files given together state (their Excel tables found by name, so a workbook edited by hand is read
/// as it now is).
public struct WorkbookDisclosureAudit: Sendable {
    /// What became of one file.
    public enum FileVerdict: Sendable, Hashable {
        /// A funder workbook, read and audited.
        case funder(funderID: String, quarter: String, counts: Int)
        /// The programme's internal workbook: not audited, never for funders.
        case programme
        /// Not a workbook written by impact (or unreadable), and why.
        case notImpact(String)
    }

    /// A hidden count the attacker narrows.
    public struct ExposedCount: Sendable, Hashable {
        /// Where it is printed: `F01.xlsx Partners!G7` (several places when several workbooks show it).
        public var cells: [String]
        /// What it counts: `P003 people supported, 2026-Q2`.
        public var what: String
        /// What the attacker gets: `exactly 1`, `2 to 3`, with the small values left.
        public var attackerGets: String
        /// What it should have: `any of 1 to 4, or none of them`.
        public var shouldHave: String
    }

    /// The files, in the order given.
    public var files: [(path: String, verdict: FileVerdict)]
    public var exposed: [ExposedCount]
    /// Where the files contradict each other (edited by hand): the audit cannot vouch for them.
    public var contradictions: [String]
    /// Protected counts checked, and the threshold used.
    public var checked: Int
    public var threshold: Int

    /// 0 when every count is protected, 1 when any is exposed (or the files contradict each other), 2
    /// when a file is not an impact workbook.
    public var exitCode: Int32 {
        if files.contains(where: { if case .notImpact = $0.verdict { return true } else { return false } }) { return 2 }
        return exposed.isEmpty && contradictions.isEmpty ? 0 : 1
    }

    /// Reads every file and runs the attack on the funder workbooks together.
    ///
    /// - Parameter threshold: N, when given; else the largest the workbooks state.
    public static func audit(paths: [String], threshold given: Int? = nil) throws -> WorkbookDisclosureAudit {
        var files: [(String, FileVerdict)] = []
        var publications: [Publication] = []
        for path in paths {
            let name = (path as NSString).lastPathComponent
            do {
                let tables = try readTables(path: path)
                let publication = try WorkbookClaims.publication(workbook: name, tables: tables)
                publications.append(publication)
                let counts = publication.statements.filter { if case .count = $0.claim { true } else { false } }.count
                files.append(
                    (path, .funder(funderID: publication.funderID, quarter: publication.quarter.description, counts: counts)))
            } catch WorkbookClaimsError.programmeWorkbook {
                files.append((path, .programme))
            } catch let error as WorkbookClaimsError {
                files.append((path, .notImpact(error.description)))
            } catch let error as WorkbookReadError {
                files.append((path, .notImpact("it cannot be read as a workbook: \(error)")))
            }
        }
        let threshold = given ?? publications.map(\.threshold).max() ?? 5
        let audit = DisclosureAudit(threshold: threshold)
        let result = try audit.run(publications.flatMap(\.statements))
        let small = threshold > 1 ? "any of 1 to \(threshold - 1), or none of them" : "anything"
        let exposed = result.exposures.map { exposure -> ExposedCount in
            let cells = exposure.locations.map { "\($0.workbook) \($0.reference)" }
            var gets = exposure.rangeText
            if let note = exposure.note {
                gets = note
            } else if exposure.smallValuesLeft.count == 1 {
                gets =
                    "exactly \(exposure.smallValuesLeft[0])"
                    + (exposure.least == exposure.greatest ? "" : " if it is small (\(exposure.rangeText) in all)")
            } else if !exposure.smallValuesLeft.isEmpty {
                let left = exposure.smallValuesLeft.map(String.init).joined(separator: ", ")
                gets = "\(exposure.rangeText), so if it is small only \(left)"
            }
            return ExposedCount(cells: cells, what: exposure.key.label, attackerGets: gets, shouldHave: small)
        }
        return WorkbookDisclosureAudit(
            files: files, exposed: exposed, contradictions: result.contradictions, checked: result.checked, threshold: threshold)
    }

    /// Every Excel table of a workbook file, with its cells.
    static func readTables(path: String) throws -> [AuditTable] {
        let reader = try WorkbookReader(path: path)
        var result: [AuditTable] = []
        for sheet in reader.sheets {
            let tables = try reader.tables(of: sheet)
            guard !tables.isEmpty else { continue }
            var cells: [Int: [Int: AuditCell]] = [:]
            let wanted = Set(tables.flatMap { Array($0.firstRow...max($0.firstRow, $0.lastRow)) })
            let lastWanted = wanted.max() ?? 0
            try reader.readRows(of: sheet) { row throws(WorkbookReadError) in
                if wanted.contains(row.rowNumber) {
                    var line: [Int: AuditCell] = [:]
                    for cell in row.cells {
                        switch cell.content {
                        case .number(let x): line[cell.column] = .number(x)
                        case .text(let t), .isoDate(let t): line[cell.column] = .text(t)
                        case .boolean(let b): line[cell.column] = .text(b ? "TRUE" : "FALSE")
                        case .error(let e): line[cell.column] = .text(e)
                        case .formulaWithoutResult, .blank: line[cell.column] = .empty
                        }
                    }
                    cells[row.rowNumber] = line
                }
                return row.rowNumber < lastWanted
            }
            for table in tables {
                func line(_ r: Int) -> [AuditCell] {
                    (table.firstColumn...max(table.firstColumn, table.lastColumn)).map { cells[r]?[$0] ?? .empty }
                }
                let bodyFirst = table.firstRow + table.headerRowCount
                let bodyLast = table.lastRow - table.totalsRowCount
                let body = bodyFirst <= bodyLast ? (bodyFirst...bodyLast).map(line) : []
                result.append(
                    AuditTable(
                        name: table.name, sheet: sheet.name, headerRow: table.firstRow + table.headerRowCount - 1,
                        firstColumn: table.firstColumn, columns: table.columns, rows: body,
                        total: table.totalsRowCount > 0 ? line(table.lastRow) : nil))
            }
        }
        return result
    }
}
