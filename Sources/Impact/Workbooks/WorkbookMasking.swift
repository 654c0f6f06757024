import Foundation
import TableSchema

// MARK: - Where the builder puts each table

extension SheetContent {
    /// The 0-based row of each table's header, as ``WorkbookBuilder`` lays the sheet out (nil for a table
    /// with no rows, written as a sentence instead of an Excel table).
    func headerRows() -> [Int?] {
        var row = 0
        for line in lines {
            if case .date = line { row += 1 }
            row += 1
        }
        if !tables.isEmpty { row += 1 }
        var result: [Int?] = []
        for table in tables {
            if table.heading != nil { row += 1 }
            guard !table.rows.isEmpty else {
                result.append(nil)
                row += 2
                continue
            }
            result.append(row)
            row += table.rows.count + (table.total != nil ? 1 : 0) + 2
        }
        return result
    }

    /// The sheet's Excel tables as the disclosure audit reads them.
    func auditTables() -> [AuditTable] {
        zip(tables, headerRows()).compactMap { table, header in
            guard let header else { return nil }
            return AuditTable(
                name: table.name, sheet: name, headerRow: header + 1, columns: table.columns.map(\.header),
                rows: table.rows.map { $0.map(\.auditCell) }, total: table.total.map { $0.map(\.auditCell) })
        }
    }
}

extension Shown {
    /// The cell as a workbook file holds it.
    var auditCell: AuditCell {
        switch self {
        case .count(let n): return .number(Double(n))
        case .percent(let x), .money(let x), .decimal(let x): return .number(x)
        case .date(let days): return .number(Double(days))
        case .text(let text): return .text(text)
        case .link(_, let text): return .text(text)
        case .confidential, .noData, .notApplicable: return .text(marker ?? "")
        }
    }
}

// MARK: - Applying the plan to a funder workbook

/// Hides in a funder workbook's exact content what the quarter's ``DisclosurePlan`` hides: counts, the
/// shares, means and "target met" worked out from them, and the sessions, attendance and money of a
/// partner whose people supported is hidden (those columns then protected under their totals by
/// ``Suppression``, as they are not counts of people).
enum DisclosureMask {
    /// The masked sheets and what they state about counts of people.
    static func apply(
        _ plan: DisclosurePlan, to sheets: [SheetContent], workbook: String
    ) throws(WorkbookClaimsError) -> (sheets: [SheetContent], publication: Publication) {
        let tables = sheets.flatMap { $0.auditTables() }
        var byName: [String: AuditTable] = [:]
        for table in tables where byName[table.name] == nil { byName[table.name] = table }
        let identity = try WorkbookClaims.identity(of: byName)
        let roles = WorkbookClaims.roles(of: byName, identity: identity)
        let notPeople = notPeopleHidden(plan, roles: roles, tables: byName, quarter: identity.quarter)

        var hide: Set<Cell> = []
        for placed in roles {
            let hidden: Bool
            switch placed.role {
            case .count(let key): hidden = plan.isHidden(key)
            case .share(let n, let d), .target(let n, let d, _): hidden = plan.isHidden(share: n, d)
            case .mean(let key): hidden = plan.isHidden(key)
            case .partnerRow: hidden = false
            case .notPeople(let partner, let column): hidden = notPeople.contains(NotPeople(partner: partner, column: column))
            }
            if hidden { hide.insert(Cell(table: placed.table, row: placed.row, column: placed.column)) }
        }
        var masked = sheets
        for s in masked.indices {
            for t in masked[s].tables.indices {
                let name = masked[s].tables[t].name
                for r in masked[s].tables[t].rows.indices {
                    for c in masked[s].tables[t].rows[r].indices where hide.contains(Cell(table: name, row: r, column: c)) {
                        if masked[s].tables[t].rows[r][c] != .noData { masked[s].tables[t].rows[r][c] = .confidential }
                    }
                }
                if let total = masked[s].tables[t].total {
                    for c in total.indices where hide.contains(Cell(table: name, row: nil, column: c)) {
                        masked[s].tables[t].total![c] = .confidential
                    }
                }
            }
        }
        let publication = try WorkbookClaims.publication(workbook: workbook, tables: masked.flatMap { $0.auditTables() })
        return (masked, publication)
    }

    struct Cell: Hashable {
        var table: String
        var row: Int?
        var column: Int
    }

    struct NotPeople: Hashable {
        var partner: String?
        var column: String
    }

    /// Sessions, attendance and money hidden: a partner's when its people supported is hidden, then more
    /// in each column until no hidden one can be worked out from the column's total.
    static func notPeopleHidden(
        _ plan: DisclosurePlan, roles: [PlacedRole], tables: [String: AuditTable], quarter: Quarter
    ) -> Set<NotPeople> {
        var result: Set<NotPeople> = []
        guard let partners = tables[WorkbookClaims.partners], let idColumn = partners.column(WorkbookClaims.partnerID) else {
            return result
        }
        var rowsOf: [String: Int] = [:]
        var peopleHidden: Set<String> = []
        var totalHidden = false
        for placed in roles where placed.table == partners.name {
            if case .count(let key) = placed.role, key.measure == .peopleSupported {
                if let r = placed.row {
                    let id = partners.rows[r][idColumn].text ?? ""
                    rowsOf[id] = r
                    if plan.isHidden(key) { peopleHidden.insert(id) }
                } else {
                    totalHidden = plan.isHidden(key)
                }
            }
        }
        let ids = rowsOf.keys.sorted { rowsOf[$0]! < rowsOf[$1]! }
        var columnTotalHidden: [String: Bool] = [:]
        for header in ["Sessions offered", "Sessions attended", "Discretionary spend"] {
            guard let c = partners.column(header) else { continue }
            let values = ids.map { id -> [Int] in
                let cell = partners.rows[rowsOf[id]!][c]
                if case .number(let x) = cell { return [Int((x * 100).rounded())] }
                return [0]
            }
            var also = Set(ids.indices.filter { peopleHidden.contains(ids[$0]) }.map { Suppression.Position.cell(row: $0, column: 0) })
            if totalHidden { also.insert(.columnTotal(0)) }
            let grid = Suppression(counts: values, rowTotals: false, columnTotals: true, threshold: 1, alsoSuppress: also)
            for (i, id) in ids.enumerated() where grid.isSuppressed(.cell(row: i, column: 0)) {
                result.insert(NotPeople(partner: id, column: header))
            }
            let total = !ids.isEmpty && grid.isSuppressed(.columnTotal(0))
            columnTotalHidden[header] = total
            if total { result.insert(NotPeople(partner: nil, column: header)) }
        }
        for id in ids
        where result.contains(NotPeople(partner: id, column: "Sessions offered"))
            || result.contains(NotPeople(partner: id, column: "Sessions attended"))
        {
            result.insert(NotPeople(partner: id, column: "Attendance rate"))
        }
        let sessionsTotalHidden = (columnTotalHidden["Sessions offered"] ?? false) || (columnTotalHidden["Sessions attended"] ?? false)
        if sessionsTotalHidden { result.insert(NotPeople(partner: nil, column: "Attendance rate")) }
        // Partition tables (sessions by type, the fund's amounts): a row's values go with its count, then more in
        // each column until none can be worked out from the column's total. Sessions' totals are the Partners
        // table's, hidden as it decided; the fund's tables total the same amount, so when either must hide it, both
        // do (another pass with it hidden; the shared totals only grow, so the passes end).
        var countHidden: [Cell: Bool] = [:]
        for placed in roles {
            if case .count(let key) = placed.role {
                countHidden[Cell(table: placed.table, row: placed.row, column: placed.column)] = plan.isHidden(key)
            }
        }
        var sharedTotals: Set<String> = []
        while true {
            var found: Set<NotPeople> = []
            var more = false
            for spec in WorkbookClaims.partitionTables {
                guard let table = tables[spec.table], let countColumn = table.column(spec.count) else { continue }
                let parts = WorkbookClaims.partLabels(table, spec)
                guard !parts.isEmpty else { continue }
                let totalCountHidden = countHidden[Cell(table: spec.table, row: nil, column: countColumn)] ?? false
                var rowsHidden: Set<Int> = []
                for header in spec.sums {
                    guard let c = table.column(header) else { continue }
                    let values = parts.map { part -> [Int] in
                        let row = table.rows[part.row]
                        if c < row.count, case .number(let x) = row[c] { return [Int((x * 100).rounded())] }
                        return [0]
                    }
                    var also = Set(
                        parts.indices.filter { countHidden[Cell(table: spec.table, row: parts[$0].row, column: countColumn)] ?? false }
                            .map { Suppression.Position.cell(row: $0, column: 0) })
                    let total =
                        spec.totalsArePartners
                        ? columnTotalHidden[header] ?? totalHidden : totalCountHidden || sharedTotals.contains(spec.totalColumn(header))
                    if total { also.insert(.columnTotal(0)) }
                    let grid = Suppression(counts: values, rowTotals: false, columnTotals: true, threshold: 1, alsoSuppress: also)
                    for (i, part) in parts.enumerated() where grid.isSuppressed(.cell(row: i, column: 0)) {
                        found.insert(NotPeople(partner: spec.rowID(part.label), column: header))
                        rowsHidden.insert(i)
                    }
                    if !spec.totalsArePartners, grid.isSuppressed(.columnTotal(0)), sharedTotals.insert(spec.totalColumn(header)).inserted {
                        more = true
                    }
                }
                if let rate = spec.rate {
                    for i in rowsHidden { found.insert(NotPeople(partner: spec.rowID(parts[i].label), column: rate)) }
                }
            }
            if !more {
                result.formUnion(found)
                break
            }
        }
        for column in sharedTotals { result.insert(NotPeople(partner: nil, column: column)) }
        // Trends: a quarter's attendance rate goes with its people supported (this quarter's with the totals).
        for placed in roles where placed.table == WorkbookClaims.trends {
            if case .count(let key) = placed.role, key.measure == .peopleSupported {
                let hidden = key.quarter == quarter ? sessionsTotalHidden || plan.isHidden(key) : plan.isHidden(key)
                if hidden { result.insert(NotPeople(partner: nil, column: "Trends:\(key.quarter)")) }
            }
        }
        return result
    }
}
