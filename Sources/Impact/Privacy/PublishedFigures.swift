import Foundation
import TableSchema
import XLSX

// MARK: - What a funder workbook says about counts of people

/// A count of people that funder workbooks publish, for one partner in one quarter or summed over
/// several partners.
///
/// These are the counts the disclosure audit protects; sessions, money and notes are not counts of
/// people (docs/disclosure.md).
enum CountMeasure: Hashable, Sendable, Comparable {
    /// People supported.
    case peopleSupported
    /// People whose support started in the quarter.
    case newStarts
    /// People whose support ended.
    case endings
    /// Endings by type.
    case plannedEndings, unplannedEndings, transitionEndings
    /// Discretionary spends above the coordinator limit (one per person at most).
    case aboveLimit
    /// People working towards an outcome goal.
    case goalPeople(String)
    /// People who improved on an outcome goal.
    case goalImproved(String)
    /// Rows of a table the programme declares (each row is about a person: a referral, a visit).
    case tableRows(String)
    /// A `count` figure of a declared table (table, figure name): the rows it counts.
    case tableFigure(String, String)
    /// Rows of one kind of a declared table (table, kind): never published, the unknowns that a table's
    /// rows and figures are sums of (``FunderFigures``).
    case tableKind(String, Int)
    /// People in a priority group of the programme (its label, as the workbooks name it): at most the people
    /// supported; a person may be in several groups.
    case priorityGroup(String)
    /// People whose main type of support is one type (its label, as the workbooks name it): each person is
    /// counted under one type, so a partner's types add up to its people supported (``Claim/partition``).
    case supportType(String)
    /// Awards from the discretionary fund (counts of awards, not of people: a person may have several), all
    /// of them, of one purpose, or decided by one route (their labels, as the workbooks name them). Purposes
    /// share out the awards, and so do routes (``Claim/partition``).
    case awards
    case awardPurpose(String)
    case awardRoute(String)

    /// A stable code, for the store.
    var code: String {
        switch self {
        case .peopleSupported: return "people"
        case .newStarts: return "new_starts"
        case .endings: return "endings"
        case .plannedEndings: return "endings_planned"
        case .unplannedEndings: return "endings_unplanned"
        case .transitionEndings: return "endings_transition"
        case .aboveLimit: return "above_limit"
        case .goalPeople(let goal): return "goal_people:\(goal)"
        case .goalImproved(let goal): return "goal_improved:\(goal)"
        case .tableRows(let table): return "table_rows:\(table)"
        case .tableFigure(let table, let figure): return "table_figure:\(table):\(figure)"
        case .tableKind(let table, let kind): return "table_kind:\(table):\(kind)"
        case .priorityGroup(let group): return "priority_group:\(group)"
        case .supportType(let type): return "support_type:\(type)"
        case .awards: return "awards"
        case .awardPurpose(let purpose): return "award_purpose:\(purpose)"
        case .awardRoute(let route): return "award_route:\(route)"
        }
    }

    init?(code: String) {
        switch code {
        case "people": self = .peopleSupported
        case "new_starts": self = .newStarts
        case "endings": self = .endings
        case "endings_planned": self = .plannedEndings
        case "endings_unplanned": self = .unplannedEndings
        case "endings_transition": self = .transitionEndings
        case "above_limit": self = .aboveLimit
        case "awards": self = .awards
        default:
            if let named = CountMeasure.named.first(where: { code.hasPrefix($0.prefix) }) {
                self = named.make(String(code.dropFirst(named.prefix.count)))
            } else if code.hasPrefix("table_figure:") {
                // A table's name has no colon; a figure's name may.
                let rest = code.dropFirst("table_figure:".count)
                guard let colon = rest.firstIndex(of: ":") else { return nil }
                self = .tableFigure(String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
            } else if code.hasPrefix("table_kind:") {
                let parts = code.dropFirst("table_kind:".count).split(separator: ":")
                guard parts.count == 2, let kind = Int(parts[1]) else { return nil }
                self = .tableKind(String(parts[0]), kind)
            } else {
                return nil
            }
        }
    }

    /// The measures coded as a prefix and one name (`goal_people:OG01`), and how to make each from its name.
    private static let named: [(prefix: String, make: @Sendable (String) -> CountMeasure)] = [
        ("goal_people:", { .goalPeople($0) }), ("goal_improved:", { .goalImproved($0) }), ("table_rows:", { .tableRows($0) }),
        ("priority_group:", { .priorityGroup($0) }), ("support_type:", { .supportType($0) }),
        ("award_purpose:", { .awardPurpose($0) }), ("award_route:", { .awardRoute($0) }),
    ]

    /// Words for messages.
    var label: String {
        switch self {
        case .peopleSupported: return "people supported"
        case .newStarts: return "new starts"
        case .endings: return "support endings"
        case .plannedEndings: return "planned endings"
        case .unplannedEndings: return "unplanned endings"
        case .transitionEndings: return "transitions to other support"
        case .aboveLimit: return "spends above the coordinator limit"
        case .goalPeople(let goal): return "people working towards \(goal)"
        case .goalImproved(let goal): return "people improved on \(goal)"
        case .tableRows(let table): return "rows of the \(table) table"
        case .tableFigure(let table, let figure): return "\(figure) (\(table) table)"
        case .tableKind(let table, let kind): return "rows of kind \(kind + 1) of the \(table) table"
        case .priorityGroup(let group): return "people in the priority group \(group)"
        case .supportType(let type): return "people whose main support is \(type)"
        case .awards: return "awards from the fund"
        case .awardPurpose(let purpose): return "awards for \(purpose)"
        case .awardRoute(let route): return "awards decided by \(route)"
        }
    }
}

/// One published count: a measure in a quarter, summed over a set of partners (one partner for a
/// partner's row, several for a total).
struct FigureKey: Hashable, Sendable, Comparable {
    var quarter: Quarter
    var measure: CountMeasure
    /// Partner IDs, sorted and distinct.
    private(set) var partners: [String]
    /// The partner IDs joined by ";", the last part of the order (made once: keys are sorted often).
    private var partnersText: String

    init(quarter: Quarter, measure: CountMeasure, partners: some Sequence<String>) {
        self.quarter = quarter
        self.measure = measure
        self.partners = Array(Set(partners)).sorted()
        partnersText = self.partners.joined(separator: ";")
    }

    /// By quarter, measure code, number of partners, then the partner IDs joined by ";".
    static func < (a: FigureKey, b: FigureKey) -> Bool {
        if a.quarter != b.quarter { return a.quarter < b.quarter }
        if a.measure != b.measure {
            let (codeA, codeB) = (a.measure.code, b.measure.code)
            if codeA != codeB { return codeA < codeB }
        }
        if a.partners.count != b.partners.count { return a.partners.count < b.partners.count }
        return a.partnersText < b.partnersText
    }

    /// Words for messages: "P003 people supported, 2026-Q2" or "people supported of 12 partners, 2026-Q2".
    var label: String {
        let whose = partners.count == 1 ? "\(partners[0]) " : ""
        let over = partners.count == 1 ? "" : " of \(partners.count) partners"
        return "\(whose)\(measure.label)\(over), \(quarter)"
    }
}

/// What a workbook shows for a count.
enum CountShown: Hashable, Sendable {
    /// The number itself.
    case exact(Int)
    /// `[c]`: hidden; any whole number from 0 up.
    case hidden
    /// `<N` (workbooks of earlier versions, or edited by hand): from 1 to N − 1.
    case below(Int)
}

/// One fact a funder workbook states about the counts of people.
enum Claim: Hashable, Sendable {
    /// A count, shown or hidden.
    case count(FigureKey, CountShown)
    /// A share shown as a number: numerator ÷ denominator = value.
    case share(numerator: FigureKey, denominator: FigureKey, value: Double)
    /// "Met" or "Not met" beside a share: numerator ÷ denominator is at least the target, or below it.
    case target(numerator: FigureKey, denominator: FigureKey, target: Double, met: Bool)
    /// A mean over the people of a count (mean change in score): it tells the count's divisors.
    case mean(of: FigureKey)
    /// `[x]` for a partner in a quarter: no accepted return, so every count of it is 0.
    case noReturn(quarter: Quarter, partnerID: String)
    /// The kinds of row a declared table's schema allows in a quarter, and which of the figures shown count
    /// each (``FunderFigures``): every partner's rows are the sum of its rows of each kind, and each figure
    /// the sum over the kinds it counts.
    case kinds(quarter: Quarter, table: String, figures: [String], kinds: [[Bool]])
    /// Counts that share out another in a quarter: for each of the partners, the parts add up to the whole (a
    /// workbook's types of support are every type its partners recorded, and each person has one).
    case partition(quarter: Quarter, whole: CountMeasure, parts: [CountMeasure], partners: [String])

    /// The count keys the claim speaks of.
    var keys: [FigureKey] {
        switch self {
        case .count(let key, _): return [key]
        case .share(let n, let d, _), .target(let n, let d, _, _): return [n, d]
        case .mean(let key): return [key]
        case .noReturn, .kinds, .partition: return []
        }
    }
}

/// Where a claim is printed: workbook, sheet and cell.
struct CellLocation: Hashable, Sendable, Comparable {
    /// The workbook (its file name).
    var workbook: String
    var sheet: String
    /// 1-based row, as Excel shows it.
    var row: Int
    /// 0-based column.
    var column: Int

    /// `Partners!G7`.
    var reference: String {
        let quoted = sheet.contains(" ") ? "'\(sheet)'" : sheet
        return "\(quoted)!\(CellReference.columnLetters(column))\(row)"
    }

    static func < (a: CellLocation, b: CellLocation) -> Bool {
        (a.workbook, a.sheet, a.row, a.column) < (b.workbook, b.sheet, b.row, b.column)
    }
}

/// A claim and where it is printed.
struct FigureStatement: Hashable, Sendable {
    var claim: Claim
    var location: CellLocation
}

/// Everything one funder workbook states about counts of people.
struct Publication: Hashable, Sendable {
    /// The workbook's file name (`F01.xlsx`).
    var workbook: String
    /// The funder it was written for.
    var funderID: String
    /// The quarter it reports.
    var quarter: Quarter
    /// Its disclosure threshold N: counts from 1 to N − 1 are protected.
    var threshold: Int
    var statements: [FigureStatement]
}

// MARK: - Keeping publications in the store

extension Publication {
    /// One statement per line, tab-separated, so that the store keeps what each workbook published.
    var encodedStatements: String {
        statements.map(Publication.encode).joined(separator: "\n")
    }

    static func encode(_ statement: FigureStatement) -> String {
        let at = "\(statement.location.sheet)\t\(statement.location.row)\t\(statement.location.column)"
        func key(_ k: FigureKey) -> String { "\(k.quarter)\t\(k.measure.code)\t\(k.partners.joined(separator: ";"))" }
        switch statement.claim {
        case .count(let k, let shown):
            let text: String
            switch shown {
            case .exact(let n): text = "\(n)"
            case .hidden: text = Markers.confidential
            case .below(let n): text = "<\(n)"
            }
            return "count\t\(at)\t\(key(k))\t\(text)"
        case .share(let n, let d, let value):
            return "share\t\(at)\t\(key(n))\t\(key(d))\t\(value)"
        case .target(let n, let d, let target, let met):
            return "target\t\(at)\t\(key(n))\t\(key(d))\t\(target)\t\(met ? 1 : 0)"
        case .mean(let k):
            return "mean\t\(at)\t\(key(k))"
        case .noReturn(let quarter, let partner):
            return "no_return\t\(at)\t\(quarter)\t\(partner)"
        case .kinds(let quarter, let table, let figures, let kinds):
            let rows = kinds.map { kind in String(kind.map { $0 ? "1" : "0" }) }.joined(separator: ";")
            return "kinds\t\(at)\t\(quarter)\t\(table)\t\(figures.joined(separator: "\u{1F}"))\t\(rows)"
        case .partition(let quarter, let whole, let parts, let partners):
            let codes = parts.map(\.code).joined(separator: "\u{1F}")
            return "partition\t\(at)\t\(quarter)\t\(whole.code)\t\(codes)\t\(partners.joined(separator: ";"))"
        }
    }

    /// Reads statements written by ``encodedStatements``; a line that cannot be read is skipped and
    /// counted.
    static func decode(_ text: String, workbook: String) -> (statements: [FigureStatement], unreadable: Int) {
        var statements: [FigureStatement] = []
        var unreadable = 0
        // Split as bytes: a line feed and a tab are each one character of their own, and the store holds
        // hundreds of thousands of these lines after a year of a large programme.
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let f = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard f.count >= 4, let row = Int(f[2]), let column = Int(f[3]) else {
                unreadable += 1
                continue
            }
            let at = CellLocation(workbook: workbook, sheet: f[1], row: row, column: column)
            func key(_ i: Int) -> FigureKey? {
                guard f.count >= i + 3, let q = Quarter(f[i]), let m = CountMeasure(code: f[i + 1]) else { return nil }
                return FigureKey(quarter: q, measure: m, partners: f[i + 2].split(separator: ";").map(String.init))
            }
            var claim: Claim?
            switch f[0] {
            case "count":
                if let k = key(4), f.count == 8 {
                    if let n = Int(f[7]) {
                        claim = .count(k, .exact(n))
                    } else if f[7] == Markers.confidential {
                        claim = .count(k, .hidden)
                    } else if f[7].hasPrefix("<"), let n = Int(f[7].dropFirst()) {
                        claim = .count(k, .below(n))
                    }
                }
            case "share":
                if let n = key(4), let d = key(7), f.count == 11, let value = Double(f[10]) {
                    claim = .share(numerator: n, denominator: d, value: value)
                }
            case "target":
                if let n = key(4), let d = key(7), f.count == 12, let target = Double(f[10]) {
                    claim = .target(numerator: n, denominator: d, target: target, met: f[11] == "1")
                }
            case "mean":
                if let k = key(4), f.count == 7 { claim = .mean(of: k) }
            case "no_return":
                if f.count == 6, let q = Quarter(f[4]) { claim = .noReturn(quarter: q, partnerID: f[5]) }
            case "kinds":
                if f.count == 8, let q = Quarter(f[4]) {
                    let figures = f[6].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                    let kinds = f[7].split(separator: ";").map { $0.map { $0 == "1" } }
                    if kinds.allSatisfy({ $0.count == figures.count }) {
                        claim = .kinds(quarter: q, table: f[5], figures: figures, kinds: kinds)
                    }
                }
            case "partition":
                if f.count == 8, let q = Quarter(f[4]), let whole = CountMeasure(code: f[5]) {
                    let parts = f[6].split(separator: "\u{1F}").map { CountMeasure(code: String($0)) }
                    let partners = f[7].split(separator: ";").map(String.init)
                    if !parts.isEmpty, !parts.contains(nil) {
                        claim = .partition(quarter: q, whole: whole, parts: parts.compactMap { $0 }, partners: partners)
                    }
                }
            default: break
            }
            if let claim { statements.append(FigureStatement(claim: claim, location: at)) } else { unreadable += 1 }
        }
        return (statements, unreadable)
    }
}
