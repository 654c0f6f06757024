import TableSchema
import Testing

@testable import Impact

/// What a funder's sheet of a declared table says, read cell by cell by the tests' own code (not the audit's
/// reader): each partner's rows and figures from row 5 (rows in column C, the figures after it) down to the
/// total, and the kinds of row beneath. A number from 1 to 4, or anything but a number or `[c]`, is recorded as
/// an issue.
struct DeclaredSheetClaims {
    var claims: [Claim] = []
    /// The partner (or "Total") of each hidden cell, one entry a cell.
    var hidden: [String] = []
    /// The kinds of row, as the sheet prints them.
    var kinds: [[Bool]] = []
    /// The partners listed, in order.
    var partners: [String] = []

    init(_ sheet: [String: StoredCell], table: String, figures: [String], quarter: Quarter, label: String = "") {
        let measures = [CountMeasure.tableRows(table)] + figures.map { CountMeasure.tableFigure(table, $0) }
        let columns = ["C", "D", "E", "F", "G", "H"]
        var row = 5
        while case .string(let id)? = sheet["A\(row)"] {
            for (offset, measure) in measures.enumerated() {
                let reference = "\(columns[offset])\(row)"
                let key = FigureKey(quarter: quarter, measure: measure, partners: id == "Total" ? partners : [id])
                switch sheet[reference] {
                case .number(let n)?:
                    if (1...4).contains(n) { Issue.record("\(label)\(reference) shows \(n)") }
                    claims.append(.count(key, .exact(Int(n))))
                case .string("[c]")?:
                    hidden.append(id)
                    claims.append(.count(key, .hidden))
                default:
                    Issue.record("\(label)\(reference) is neither a number nor [c]")
                }
            }
            if id == "Total" { break }
            partners.append(id)
            row += 1
        }
        var kindRow = row + 4
        while case .number? = sheet["A\(kindRow)"] {
            // Kind in column A, then Yes or No for each figure from column B.
            kinds.append(figures.indices.map { sheet["\(["B", "C", "D", "E", "F"][$0])\(kindRow)"] == .string("Yes") })
            kindRow += 1
        }
        if !kinds.isEmpty { claims.append(.kinds(quarter: quarter, table: table, figures: figures, kinds: kinds)) }
    }
}
