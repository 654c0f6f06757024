import Foundation
import TableSchema

// MARK: - A funder workbook's tables, as the disclosure audit reads them

/// A cell as a workbook holds it.
enum AuditCell: Hashable, Sendable {
    case number(Double)
    case text(String)
    case empty

    var text: String? {
        if case .text(let t) = self { return t.trimmingCharacters(in: .whitespaces) }
        return nil
    }
}

/// One Excel table of a workbook: what the audit needs from it, whether it comes from the content about
/// to be written or from a workbook file read back.
struct AuditTable: Hashable, Sendable {
    /// The Excel table name (`Partners`).
    var name: String
    var sheet: String
    /// The 1-based row of its header.
    var headerRow: Int
    /// The first column (0-based).
    var firstColumn: Int = 0
    var columns: [String]
    var rows: [[AuditCell]]
    var total: [AuditCell]?

    /// The column of a header, found with or without the unit written after it (`Attendance rate (%)` is
    /// the `Attendance rate` column).
    func column(_ header: String) -> Int? {
        columns.firstIndex(of: header) ?? columns.firstIndex { WorkbookClaims.withoutUnit($0) == header }
    }

    func location(workbook: String, row: Int?, column: Int) -> CellLocation {
        CellLocation(
            workbook: workbook, sheet: sheet, row: headerRow + 1 + (row ?? rows.count), column: firstColumn + column)
    }
}

/// What a table cell means for the counts of people.
enum CellRole: Hashable, Sendable {
    /// A count of people.
    case count(FigureKey)
    /// A share of two counts.
    case share(numerator: FigureKey, denominator: FigureKey)
    /// "Met" / "Not met" of a share against a target.
    case target(numerator: FigureKey, denominator: FigureKey, target: Double)
    /// A mean over the people of a count.
    case mean(of: FigureKey)
    /// A partner's people supported cell, `[x]` when it has no return in the quarter.
    case partnerRow(quarter: Quarter, partnerID: String)
    /// Sessions, attendance or money of a partner (nil: the total row), hidden with the partner's
    /// people supported.
    case notPeople(partnerID: String?, column: String)
}

/// A cell's role: table, row (nil: the total row) and column.
struct PlacedRole: Hashable, Sendable {
    var table: String
    var row: Int?
    var column: Int
    var role: CellRole
}

/// Why a workbook cannot be audited.
enum WorkbookClaimsError: Error, Equatable, CustomStringConvertible {
    case notImpactWorkbook(String)
    case programmeWorkbook

    var description: String {
        switch self {
        case .notImpactWorkbook(let reason): return "not a workbook written by impact: \(reason)"
        case .programmeWorkbook:
            return "the programme's internal workbook (exact counts, not for funders): it is not audited and must not be sent to a funder"
        }
    }
}

/// The layout of a funder workbook: which cells hold which counts, by Excel table name and column header,
/// so that it is found again after someone has moved tables by hand.
enum WorkbookClaims {
    // Table names and headers, as ``WorkbookContent`` writes them.
    static let versions = "Versions"
    static let covered = "PartnersCovered"
    static let partners = "Partners"
    static let headline = "Headline"
    static let goalProgress = "GoalProgress"
    static let goalsByPartner = "GoalsByPartner"
    static let trends = "Trends"
    /// People in each priority group, per partner: a column per group after the partner's ID and name.
    static let reach = "Reach"
    /// Each type's people (over the partners reporting), sessions offered and attended, and attendance rate: a
    /// row per type, every type the partners recorded, so that each partner's types add up to its people
    /// supported.
    static let typeSessions = "TypeSessions"
    static let supportType = "Main type of support"
    static let people = "People"
    /// The fund's awards by purpose and by decision route, over the partners reporting: a row per purpose or
    /// route any of them used, so that each partner's purposes, and its routes, add up to its awards.
    static let fundByPurpose = "FundByPurpose"
    static let fundByRoute = "FundByRoute"
    static let awards = "Awards"
    static let amount = "Amount"
    /// A table whose rows share out a whole over the partners reporting (types of support, the fund's purposes and
    /// routes): a row per part, named in its first column, with the part's count, and the whole in the total row;
    /// the values after the count (sessions, money) go with the row's count.
    struct PartitionTable: Sendable {
        /// The Excel table name.
        var table: String
        /// The header of the column that names each part, and of the column of its count.
        var label: String
        var count: String
        /// The count the parts add up to, partner by partner, and the measure of a part.
        var whole: CountMeasure
        var part: @Sendable (String) -> CountMeasure
        /// The columns of values that go with each row's count: sums over its people or awards, and a rate of
        /// two of them.
        var sums: [String]
        var rate: String? = nil

        var values: [String] { sums + (rate.map { [$0] } ?? []) }

        /// The ID under which a row's values are hidden (``CellRole/notPeople(partnerID:column:)``).
        func rowID(_ label: String) -> String { "\(table):\(label)" }

        /// Whether the total row's values are the Partners table's totals (of sessions), hidden as it decides.
        var totalsArePartners: Bool { whole == .peopleSupported }

        /// The column under which the total row's values are hidden: the Partners table's, or one shared by the
        /// tables that share out the same whole (the fund's purposes and routes total the same amount).
        func totalColumn(_ header: String) -> String { totalsArePartners ? header : "\(whole.code):\(header)" }
    }

    /// The partition tables of a funder's workbook.
    static let partitionTables = [
        PartitionTable(
            table: typeSessions, label: supportType, count: people, whole: .peopleSupported, part: { .supportType($0) },
            sums: ["Sessions offered", "Sessions attended"], rate: "Attendance rate"),
        PartitionTable(
            table: fundByPurpose, label: "Purpose", count: awards, whole: .awards, part: { .awardPurpose($0) }, sums: [amount]),
        PartitionTable(
            table: fundByRoute, label: "Decided by", count: awards, whole: .awards, part: { .awardRoute($0) }, sums: [amount]),
    ]
    /// Each priority group's people and share of the people supported, over the partners that recorded groups.
    static let reachShares = "ReachShares"
    static let priorityGroup = "Priority group"
    static let shareOfPeople = "Share of people supported"
    /// The prefix of a declared table's rows per partner (`TableRows_referrals`).
    static let tableRowsPrefix = "TableRows_"
    /// The prefix of a declared table's kinds of row (`TableKinds_referrals`, ``FunderFigures``).
    static let tableKindsPrefix = "TableKinds_"
    static let rows = "Rows"
    static let kind = "Kind"

    static let partnerID = "Partner ID"
    static let goalID = "Goal ID"
    static let peopleSupported = "People supported"
    static let newStarts = "New starts"
    static let endings = "Support endings"
    static let working = "People working towards it"
    static let improved = "People improved"
    static let shareImproved = "Share improved"
    static let targetMet = "Target met"
    static let target = "Target share improved"
    static let meanChange = "Mean change in score"
    static let partnersReporting = "Partners reporting"
    static let notPeopleColumns = ["Sessions offered", "Sessions attended", "Attendance rate", "Discretionary spend"]

    /// A header or measure without the unit in brackets at its end: `Share improved OG01 (%)` →
    /// `Share improved OG01`; text without one is returned as it is.
    static func withoutUnit(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) else { return text }
        return String(text[..<open.lowerBound])
    }

    /// Headline rows that are counts of people, by their Measure text.
    static let headlineCounts: [(String, CountMeasure)] = [
        ("People supported", .peopleSupported), ("New starts", .newStarts), ("Support endings", .endings),
        ("Planned endings", .plannedEndings), ("Unplanned endings", .unplannedEndings),
        ("Transitions to other support", .transitionEndings),
        ("Discretionary spends above the coordinator limit", .aboveLimit),
    ]
    /// Headline rows hidden with the Partners table's totals of sessions and money.
    static let headlineNotPeople: [(String, String)] = [
        ("Sessions offered", "Sessions offered"), ("Sessions attended", "Sessions attended"),
        ("Attendance rate", "Attendance rate"),
    ]

    /// The workbook's identity: quarter, funder and threshold, from its Versions table.
    struct Identity: Hashable {
        var quarter: Quarter
        var funderID: String
        var threshold: Int
        /// The partners the workbook covers (its Trends rows sum over them).
        var covered: [String]
    }

    static func identity(of tables: [String: AuditTable]) throws(WorkbookClaimsError) -> Identity {
        guard let versions = tables[versions], versions.columns.count >= 2 else {
            throw .notImpactWorkbook("it has no Versions table (Provenance sheet)")
        }
        var items: [String: AuditCell] = [:]
        for row in versions.rows where row.count >= 2 {
            if let item = row[0].text { items[item] = row[1] }
        }
        guard let program = items["Program"]?.text, program.hasPrefix("impact") else {
            throw .notImpactWorkbook("its Versions table does not name impact as the program")
        }
        guard let quarterText = items["Quarter"]?.text, let quarter = Quarter(quarterText) else {
            throw .notImpactWorkbook("its Versions table has no quarter")
        }
        guard let funder = items["Funder ID"]?.text, !funder.isEmpty else {
            if items["Audience"]?.text?.hasPrefix("programme") == true { throw .programmeWorkbook }
            throw .notImpactWorkbook("its Versions table has no Funder ID (written by an earlier version of impact?)")
        }
        guard case .number(let n)? = items["Disclosure threshold"], n >= 1, n == n.rounded() else {
            throw .notImpactWorkbook("its Versions table has no disclosure threshold")
        }
        guard let coveredTable = tables[covered], let column = coveredTable.column(partnerID) else {
            // A funder with no partners has no such table (nothing to list); otherwise the Trends rows
            // cannot be read without it.
            let reporting = tables[trends].flatMap { table in
                table.column(partnersReporting).map { c in
                    table.rows.contains { c < $0.count && $0[c] != .number(0) && $0[c] != .empty }
                }
            }
            if reporting == true { throw .notImpactWorkbook("it has no PartnersCovered table") }
            return Identity(quarter: quarter, funderID: funder, threshold: Int(n), covered: [])
        }
        let ids = coveredTable.rows.compactMap { $0.count > column ? $0[column].text : nil }.filter { !$0.isEmpty }
        return Identity(quarter: quarter, funderID: funder, threshold: Int(n), covered: ids)
    }

    // MARK: - Roles

    /// Every cell of the workbook's tables that speaks of counts of people, with its role.
    static func roles(of tables: [String: AuditTable], identity: Identity) -> [PlacedRole] {
        let q = identity.quarter
        var result: [PlacedRole] = []
        func place(_ table: AuditTable, _ row: Int?, _ header: String, _ role: CellRole) {
            if let c = table.column(header) { result.append(PlacedRole(table: table.name, row: row, column: c, role: role)) }
        }

        // Partners: one row per partner; `[x]` where it has no return.
        var reporting: [String] = []
        if let table = tables[partners], let idColumn = table.column(partnerID) {
            let peopleColumn = table.column(peopleSupported)
            for (r, row) in table.rows.enumerated() {
                guard idColumn < row.count, let id = row[idColumn].text, !id.isEmpty else { continue }
                let noData = peopleColumn.map { $0 < row.count && row[$0].text == Markers.noData } ?? false
                place(table, r, peopleSupported, .partnerRow(quarter: q, partnerID: id))
                if noData { continue }
                reporting.append(id)
                place(table, r, peopleSupported, .count(FigureKey(quarter: q, measure: .peopleSupported, partners: [id])))
                place(table, r, newStarts, .count(FigureKey(quarter: q, measure: .newStarts, partners: [id])))
                place(table, r, endings, .count(FigureKey(quarter: q, measure: .endings, partners: [id])))
                for header in notPeopleColumns { place(table, r, header, .notPeople(partnerID: id, column: header)) }
            }
            if table.total != nil {
                place(table, nil, peopleSupported, .count(FigureKey(quarter: q, measure: .peopleSupported, partners: reporting)))
                place(table, nil, newStarts, .count(FigureKey(quarter: q, measure: .newStarts, partners: reporting)))
                place(table, nil, endings, .count(FigureKey(quarter: q, measure: .endings, partners: reporting)))
                for header in notPeopleColumns { place(table, nil, header, .notPeople(partnerID: nil, column: header)) }
            }
        }

        // Headline: counts of the reporting partners by Measure.
        if let table = tables[headline], table.columns.count >= 2 {
            for (r, row) in table.rows.enumerated() {
                guard let shown = row.first?.text else { continue }
                let label = headlineCounts.contains { $0.0 == shown } ? shown : withoutUnit(shown)
                if let measure = headlineCounts.first(where: { $0.0 == label })?.1 {
                    result.append(
                        PlacedRole(
                            table: table.name, row: r, column: 1,
                            role: .count(FigureKey(quarter: q, measure: measure, partners: reporting))))
                } else if let column = headlineNotPeople.first(where: { $0.0 == label })?.1 {
                    result.append(PlacedRole(table: table.name, row: r, column: 1, role: .notPeople(partnerID: nil, column: column)))
                } else if label == "Discretionary spend" || shown.hasPrefix("Discretionary spend (") {
                    result.append(
                        PlacedRole(
                            table: table.name, row: r, column: 1, role: .notPeople(partnerID: nil, column: "Discretionary spend")))
                }
            }
        }

        // Goals: totals over the reporting partners, and by partner.
        func goalRoles(_ table: AuditTable, _ r: Int, goal: String, partners: [String], withTarget: Bool) {
            let people = FigureKey(quarter: q, measure: .goalPeople(goal), partners: partners)
            let better = FigureKey(quarter: q, measure: .goalImproved(goal), partners: partners)
            place(table, r, working, .count(people))
            place(table, r, improved, .count(better))
            place(table, r, shareImproved, .share(numerator: better, denominator: people))
            place(table, r, meanChange, .mean(of: people))
            if withTarget, let t = table.column(target), t < table.rows[r].count, case .number(let value) = table.rows[r][t] {
                place(table, r, targetMet, .target(numerator: better, denominator: people, target: value))
            }
        }
        if let table = tables[goalProgress], let g = table.column(goalID) {
            for (r, row) in table.rows.enumerated() {
                guard g < row.count, let goal = row[g].text, !goal.isEmpty else { continue }
                goalRoles(table, r, goal: goal, partners: reporting, withTarget: true)
            }
        }
        if let table = tables[goalsByPartner], let g = table.column(goalID), let p = table.column(partnerID) {
            for (r, row) in table.rows.enumerated() {
                guard g < row.count, p < row.count, let goal = row[g].text, let id = row[p].text, !goal.isEmpty, !id.isEmpty
                else { continue }
                goalRoles(table, r, goal: goal, partners: [id], withTarget: false)
            }
        }

        /// Counts per partner, one row each, in the given columns, and their totals over the partners listed
        /// (a row whose counts are all `[z]` is not: that partner has none to add).
        func perPartner(_ table: AuditTable, idColumn: Int, _ measures: [(column: Int, measure: CountMeasure)]) {
            var listed: [String] = []
            for (r, row) in table.rows.enumerated() {
                guard idColumn < row.count, let id = row[idColumn].text, !id.isEmpty else { continue }
                let notApplicable = measures.allSatisfy { $0.column < row.count && row[$0.column].text == Markers.notApplicable }
                if !notApplicable || measures.isEmpty { listed.append(id) }
                for (column, measure) in measures {
                    result.append(
                        PlacedRole(
                            table: table.name, row: r, column: column, role: .count(FigureKey(quarter: q, measure: measure, partners: [id]))
                        ))
                }
            }
            guard table.total != nil else { return }
            for (column, measure) in measures {
                result.append(
                    PlacedRole(
                        table: table.name, row: nil, column: column, role: .count(FigureKey(quarter: q, measure: measure, partners: listed))
                    ))
            }
        }

        // Declared tables: each partner's rows and figures (every column after the rows), and their totals
        // over the partners listed.
        for table in tables.values.sorted(by: { $0.name < $1.name }) where table.name.hasPrefix(tableRowsPrefix) {
            guard let idColumn = table.column(partnerID), let rowsColumn = table.column(rows) else { continue }
            let name = String(table.name.dropFirst(tableRowsPrefix.count))
            perPartner(
                table, idColumn: idColumn,
                [(rowsColumn, CountMeasure.tableRows(name))]
                    + table.columns.enumerated().filter { $0.offset > rowsColumn }.map {
                        ($0.offset, CountMeasure.tableFigure(name, $0.element))
                    })
        }

        // Reach: people in each priority group (the columns after the partner's name), per partner and in all.
        if let table = tables[reach], let idColumn = table.column(partnerID) {
            perPartner(
                table, idColumn: idColumn,
                table.columns.enumerated().filter { $0.offset > idColumn + 1 }.map {
                    ($0.offset, CountMeasure.priorityGroup(withoutUnit($0.element)))
                })
        }

        // Reach shares: each group over the partners that recorded groups (the Reach table's total row).
        if let table = tables[reachShares], let groupColumn = table.column(priorityGroup),
            let reachTable = tables[reach], let idColumn = reachTable.column(partnerID)
        {
            let groupColumns = reachTable.columns.indices.filter { $0 > idColumn + 1 }
            let naming = reachTable.rows.compactMap { row -> String? in
                guard idColumn < row.count, let id = row[idColumn].text, !id.isEmpty else { return nil }
                let none = groupColumns.allSatisfy { $0 < row.count && row[$0].text == Markers.notApplicable }
                return none ? nil : id
            }
            for (r, row) in table.rows.enumerated() {
                guard groupColumn < row.count, let label = row[groupColumn].text, !label.isEmpty else { continue }
                let group = FigureKey(quarter: q, measure: .priorityGroup(label), partners: naming)
                place(table, r, people, .count(group))
                place(
                    table, r, shareOfPeople,
                    .share(numerator: group, denominator: FigureKey(quarter: q, measure: .peopleSupported, partners: naming)))
            }
        }

        // Types of support and the fund: each part's count over the partners reporting, its values going with
        // it; the total row is the whole.
        for spec in partitionTables {
            guard let table = tables[spec.table] else { continue }
            for (r, label) in partLabels(table, spec) {
                place(table, r, spec.count, .count(FigureKey(quarter: q, measure: spec.part(label), partners: reporting)))
                for header in spec.values { place(table, r, header, .notPeople(partnerID: spec.rowID(label), column: header)) }
            }
            if table.total != nil {
                place(table, nil, spec.count, .count(FigureKey(quarter: q, measure: spec.whole, partners: reporting)))
                for header in spec.values { place(table, nil, header, .notPeople(partnerID: nil, column: spec.totalColumn(header))) }
            }
        }

        // Trends: each quarter's counts over the partners the workbook covers.
        if let table = tables[trends], let quarterColumn = table.column("Quarter") {
            for (r, row) in table.rows.enumerated() {
                guard quarterColumn < row.count, let text = row[quarterColumn].text, let tq = Quarter(text) else { continue }
                let scope = identity.covered
                place(table, r, peopleSupported, .count(FigureKey(quarter: tq, measure: .peopleSupported, partners: scope)))
                place(table, r, newStarts, .count(FigureKey(quarter: tq, measure: .newStarts, partners: scope)))
                place(table, r, "Attendance rate", .notPeople(partnerID: nil, column: "Trends:\(tq)"))
                for (c, header) in table.columns.map(withoutUnit).enumerated() where header.hasPrefix("\(shareImproved) ") {
                    let goal = String(header.dropFirst(shareImproved.count + 1))
                    result.append(
                        PlacedRole(
                            table: table.name, row: r, column: c,
                            role: .share(
                                numerator: FigureKey(quarter: tq, measure: .goalImproved(goal), partners: scope),
                                denominator: FigureKey(quarter: tq, measure: .goalPeople(goal), partners: scope))))
                }
            }
        }
        return result
    }

    /// The rows of a partition table that name a part, with the part's label.
    static func partLabels(_ table: AuditTable, _ spec: PartitionTable) -> [(row: Int, label: String)] {
        guard let column = table.column(spec.label) else { return [] }
        return table.rows.enumerated().compactMap { r, row in
            guard column < row.count, let label = row[column].text, !label.isEmpty else { return nil }
            return (r, label)
        }
    }

    /// The partners of the Partners table with a return (people supported not `[x]`), in its order.
    static func reportingPartners(_ tables: [String: AuditTable]) -> [String] {
        guard let table = tables[partners], let idColumn = table.column(partnerID) else { return [] }
        let peopleColumn = table.column(peopleSupported)
        return table.rows.compactMap { row in
            guard idColumn < row.count, let id = row[idColumn].text, !id.isEmpty else { return nil }
            let noData = peopleColumn.map { $0 < row.count && row[$0].text == Markers.noData } ?? false
            return noData ? nil : id
        }
    }

    // MARK: - Claims

    /// What a workbook's tables state about counts of people, cell by cell.
    static func publication(workbook: String, tables list: [AuditTable]) throws(WorkbookClaimsError) -> Publication {
        var tables: [String: AuditTable] = [:]
        for table in list where tables[table.name] == nil { tables[table.name] = table }
        let identity = try identity(of: tables)
        var statements: [FigureStatement] = []
        for placed in roles(of: tables, identity: identity) {
            guard let table = tables[placed.table] else { continue }
            let cells = placed.row.map { table.rows[$0] } ?? table.total ?? []
            guard placed.column < cells.count else { continue }
            let cell = cells[placed.column]
            let at = table.location(workbook: workbook, row: placed.row, column: placed.column)
            if let claim = claim(placed.role, cell) { statements.append(FigureStatement(claim: claim, location: at)) }
        }
        // Declared tables' kinds of row: which figures count each kind (``FunderFigures``).
        for table in tables.values.sorted(by: { $0.name < $1.name }) where table.name.hasPrefix(tableKindsPrefix) {
            guard table.columns.first == kind else { continue }
            let figures = Array(table.columns.dropFirst())
            let described = table.rows.map { row in figures.indices.map { c in c + 1 < row.count && row[c + 1].text == "Yes" } }
            statements.append(
                FigureStatement(
                    claim: .kinds(
                        quarter: identity.quarter, table: String(table.name.dropFirst(tableKindsPrefix.count)), figures: figures,
                        kinds: described),
                    location: table.location(workbook: workbook, row: table.rows.isEmpty ? nil : 0, column: 0)))
        }
        // Partition tables: every type of support the partners reporting recorded is a row, and each person has
        // one type; every purpose, and every route, they used is a row, and each award has one of each.
        let reporting = reportingPartners(tables)
        for spec in partitionTables {
            guard let table = tables[spec.table], !reporting.isEmpty else { continue }
            let parts = partLabels(table, spec).map { spec.part($0.label) }
            guard !parts.isEmpty else { continue }
            statements.append(
                FigureStatement(
                    claim: .partition(quarter: identity.quarter, whole: spec.whole, parts: parts, partners: reporting),
                    location: table.location(workbook: workbook, row: 0, column: 0)))
        }
        // Trends: a quarter with no partner reporting says every covered partner had no return.
        if let table = tables[trends], let qc = table.column("Quarter"), let rc = table.column(partnersReporting) {
            for (r, row) in table.rows.enumerated() where qc < row.count && rc < row.count {
                guard let text = row[qc].text, let tq = Quarter(text), case .number(0) = row[rc] else { continue }
                for partner in identity.covered {
                    statements.append(
                        FigureStatement(
                            claim: .noReturn(quarter: tq, partnerID: partner),
                            location: table.location(workbook: workbook, row: r, column: rc)))
                }
            }
        }
        return Publication(
            workbook: workbook, funderID: identity.funderID, quarter: identity.quarter, threshold: identity.threshold,
            statements: statements)
    }

    /// The claim a cell makes in its role, if any.
    static func claim(_ role: CellRole, _ cell: AuditCell) -> Claim? {
        switch role {
        case .count(let key):
            guard let shown = countShown(cell) else { return nil }
            return .count(key, shown)
        case .share(let n, let d):
            guard case .number(let value) = cell else { return nil }
            return .share(numerator: n, denominator: d, value: value)
        case .target(let n, let d, let target):
            guard let text = cell.text, text == "Met" || text == "Not met" else { return nil }
            return .target(numerator: n, denominator: d, target: target, met: text == "Met")
        case .mean(let key):
            guard case .number = cell else { return nil }
            return .mean(of: key)
        case .partnerRow(let quarter, let partner):
            return cell.text == Markers.noData ? .noReturn(quarter: quarter, partnerID: partner) : nil
        case .notPeople:
            return nil
        }
    }

    /// A count cell: a whole number, `[c]`, `<N`, or (any other text someone typed) hidden; `[x]`, `[z]` and
    /// blanks say nothing.
    static func countShown(_ cell: AuditCell) -> CountShown? {
        switch cell {
        case .number(let value):
            guard value == value.rounded(), abs(value) < 1e12 else { return .hidden }
            return .exact(Int(value))
        case .text(let raw):
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text == Markers.noData || text == Markers.notApplicable || text.isEmpty { return nil }
            if text.hasPrefix("<"), let n = Int(text.dropFirst()) { return .below(n) }
            if let n = Int(text) { return .exact(n) }
            return .hidden
        case .empty:
            return nil
        }
    }
}
