import Foundation
import GLPK
import TableSchema

// MARK: - The quarter's disclosure plan

/// A share of two counts, as a decision can hide it.
struct ShareKey: Hashable, Sendable {
    var numerator: FigureKey
    var denominator: FigureKey
}

/// The quarter's disclosure decisions for every funder workbook together: which counts are hidden (the
/// same count is hidden in every workbook that shows it), which shares are hidden, and which workbooks
/// cannot be protected and are not written.
struct DisclosurePlan: Sendable {
    /// The disclosure threshold N.
    var threshold: Int
    /// Counts hidden, by their key over the partners that reported in the key's quarter.
    var hidden: Set<FigureKey> = []
    /// Shares hidden although both their counts are shown.
    var hiddenShares: Set<ShareKey> = []
    /// Partners with an accepted return, by quarter (a count over a partner without one is 0).
    var reported: [Quarter: Set<String>] = [:]
    /// Funder IDs whose workbooks are withheld, with why.
    var withheld: [String: String] = [:]
    /// Counts already narrowed by what was published before this run (nothing this run can mend).
    var earlierExposures: [DisclosureAudit.Exposure] = []
    /// Counts hidden because they are small, and hidden to protect them.
    var primary = 0
    var complementary = 0
    /// Rounds of audit and repair, integer programs solved, and the time taken.
    var rounds = 0
    var solves = 0
    var seconds = 0.0

    /// The key over the partners that reported in its quarter.
    func canonical(_ key: FigureKey) -> FigureKey {
        guard let partners = reported[key.quarter] else { return key }
        return FigureKey(quarter: key.quarter, measure: key.measure, partners: key.partners.filter { partners.contains($0) })
    }

    func isHidden(_ key: FigureKey) -> Bool { hidden.contains(canonical(key)) }

    func isHidden(share n: FigureKey, _ d: FigureKey) -> Bool {
        let key = ShareKey(numerator: canonical(n), denominator: canonical(d))
        return hiddenShares.contains(key) || isHidden(n) || isHidden(d)
    }

    /// Counts a claim the way the plan publishes it: nil when the plan hides it (shares, means) or it says
    /// nothing (a count over no partner).
    func published(_ claim: Claim) -> Claim? {
        switch claim {
        case .count(let key, let shown):
            let key = canonical(key)
            guard !key.partners.isEmpty else { return nil }
            if case .exact = shown, hidden.contains(key) { return .count(key, .hidden) }
            return .count(key, shown)
        case .share(let n, let d, let value):
            return isHidden(share: n, d) ? nil : .share(numerator: canonical(n), denominator: canonical(d), value: value)
        case .target(let n, let d, let target, let met):
            return isHidden(share: n, d)
                ? nil : .target(numerator: canonical(n), denominator: canonical(d), target: target, met: met)
        case .mean(let key):
            return isHidden(key) ? nil : .mean(of: canonical(key))
        case .noReturn:
            // Counts over partners without a return are already taken as 0 by `canonical`.
            return reported.isEmpty ? claim : nil
        case .kinds, .partition:
            return claim
        }
    }
}

/// Why the disclosure step stopped the run.
enum DisclosureError: Error, CustomStringConvertible {
    case solver(GLPKError)

    var description: String {
        switch self {
        case .solver(let error): return "the disclosure audit's solver failed (\(error)); no funder workbook was written"
        }
    }
}

// MARK: - Complementary suppression that passes its own audit

/// Chooses the hidden counts of every funder workbook of a quarter: primary suppression of the small
/// counts, then rounds of the audit (``DisclosureAudit``) and repair, hiding each time, for every count
/// the attacker can narrow, the value that costs least, until the audit finds nothing. A workbook whose
/// counts cannot be protected is withheld (fail closed).
///
/// What costs least: a count already hidden in a workbook published before (hiding it again tells
/// nothing new), then a share whose parts are not printed, then a count of the same measure for one
/// partner, then a total; among those the smallest non-zero count (a zero recovered from bounds
/// protects little).
struct DisclosureControl {
    let threshold: Int
    /// How many rounds before giving up (each round hides at least one value or withholds a workbook).
    var maxRounds = 500

    /// Plans the quarter.
    ///
    /// - Parameters:
    ///   - current: what each funder workbook of this run would state with nothing hidden (exact counts).
    ///   - earlier: what was published before (other quarters' workbooks), as published.
    ///   - reported: partners with an accepted return, by quarter.
    ///   - truth: the true counts (witnesses for the audit; the audit's verdicts do not depend on them).
    func plan(
        current: [Publication], earlier: [Publication], reported: [Quarter: Set<String>],
        truth: [DisclosureAudit.Atom: Int]
    ) throws(DisclosureError) -> DisclosurePlan {
        let started = Date()
        var plan = DisclosurePlan(threshold: threshold, reported: reported)
        let audit = DisclosureAudit(threshold: threshold, cache: DisclosureAudit.Cache())
        let small = 1..<max(1, threshold)

        let history = earlier.flatMap(\.statements).compactMap { s in
            plan.published(s.claim).map { FigureStatement(claim: $0, location: s.location) }
        }
        var historyHidden: Set<FigureKey> = []
        var historyExact: Set<FigureKey> = []
        for s in history {
            if case .count(let key, let shown) = s.claim {
                if case .exact = shown { historyExact.insert(key) } else { historyHidden.insert(key) }
            }
        }
        // What was published before, alone: anything it exposes is reported, not mended.
        let before = try solve(audit, history, truth: truth, plan: &plan)
        plan.earlierExposures = before.exposures
        let earlierKeys = Set(before.exposures.map(\.key))

        // Primary suppression.
        var values: [FigureKey: Int] = [:]
        for publication in current {
            for s in publication.statements {
                if case .count(let key, .exact(let value)) = s.claim {
                    let key = plan.canonical(key)
                    values[key] = value
                    if small.contains(value) { plan.hidden.insert(key) }
                }
            }
        }
        let primaryKeys = plan.hidden
        plan.primary = primaryKeys.count

        while plan.rounds < maxRounds {
            plan.rounds += 1
            let active = current.filter { plan.withheld[$0.funderID] == nil }
            var statements = history
            for publication in active {
                for s in publication.statements {
                    if let claim = plan.published(s.claim) { statements.append(FigureStatement(claim: claim, location: s.location)) }
                }
            }
            let result = try solve(audit, statements, truth: truth, plan: &plan)
            if !result.contradictions.isEmpty {
                let reason =
                    "its figures contradict figures published before (\(result.contradictions[0])); re-running an earlier quarter after its data changed needs the later workbooks re-issued"
                for publication in active { plan.withheld[publication.funderID] = reason }
                break
            }
            let exposures = result.exposures.filter { !earlierKeys.contains($0.key) }
            guard !exposures.isEmpty else { break }

            // What is shown now, for choosing.
            var shownCounts: [FigureKey: Int] = [:]
            var shownShares: Set<ShareKey> = []
            var exactKeys: Set<FigureKey> = []
            var workbooksOf: [FigureKey: Set<String>] = [:]
            for publication in active {
                for s in publication.statements {
                    for key in s.claim.keys { workbooksOf[plan.canonical(key), default: []].insert(publication.funderID) }
                    guard let claim = plan.published(s.claim) else { continue }
                    switch claim {
                    case .count(let key, .exact(let value)): shownCounts[key] = value
                    case .share(let n, let d, _), .target(let n, let d, _, _): shownShares.insert(ShareKey(numerator: n, denominator: d))
                    default: break
                    }
                }
            }
            for s in statements {
                if case .count(let key, .exact) = s.claim { exactKeys.insert(key) }
            }

            var picked: Set<FigureKey> = []
            var pickedShares: Set<ShareKey> = []
            var pickedParents: Set<FigureKey> = []
            var progress = false
            for exposure in exposures {
                let x = exposure.key
                let related = { (k: FigureKey) in k.quarter == x.quarter && DisclosureControl.family(k.measure, x.measure) }
                // The partners of every published total that holds one of x's partners.
                var reach = Set(x.partners)
                for key in exactKeys where related(key) && !key.partners.allSatisfy({ !x.partners.contains($0) }) {
                    reach.formUnion(key.partners)
                }
                var counts = shownCounts.keys.filter {
                    $0 != x && related($0) && !historyExact.contains($0) && !reach.isDisjoint(with: $0.partners)
                }
                let shares = shownShares.filter { share in
                    (related(share.numerator) || related(share.denominator)) && !reach.isDisjoint(with: share.numerator.partners)
                        && !(exactKeys.contains(share.numerator) && exactKeys.contains(share.denominator))
                }
                if counts.isEmpty && shares.isEmpty {
                    counts = shownCounts.keys.filter {
                        $0 != x && $0.quarter == x.quarter && !historyExact.contains($0) && !reach.isDisjoint(with: $0.partners)
                    }
                }
                if counts.isEmpty && shares.isEmpty {
                    // Nothing left to hide: withhold every workbook that speaks of these partners.
                    var involved: Set<String> = []
                    for (key, workbooks) in workbooksOf where key.quarter == x.quarter && !reach.isDisjoint(with: key.partners) {
                        involved.formUnion(workbooks)
                    }
                    if involved.isEmpty { involved = Set(active.map(\.funderID)) }
                    let at = exposure.locations.first.map { " (\($0.reference))" } ?? ""
                    for funder in involved where plan.withheld[funder] == nil {
                        plan.withheld[funder] =
                            "\(x.label)\(at) could still be worked out as \(exposure.rangeText) from the figures published, and nothing left to hide would prevent it"
                    }
                    progress = true
                    break
                }
                // One value a round for the exposures under the same smallest published total (hiding one
                // often protects them all); exposures under other totals are mended in the same round.
                let parent =
                    exactKeys.filter { related($0) && Set($0.partners).isSuperset(of: x.partners) && $0 != x }
                    .min { ($0.partners.count, $0) < ($1.partners.count, $1) } ?? x
                guard pickedParents.insert(parent).inserted else { continue }
                if let share = shares.sorted(by: { ($0.numerator, $0.denominator) < ($1.numerator, $1.denominator) }).first,
                    counts.allSatisfy({ !historyHidden.contains($0) })
                {
                    plan.hiddenShares.insert(share)
                    pickedShares.insert(share)
                    progress = true
                    continue
                }
                guard
                    let best = counts.filter({ !picked.contains($0) }).min(by: { a, b in
                        let ca = DisclosureControl.cost(a, x, shownCounts[a] ?? 0, historyHidden)
                        let cb = DisclosureControl.cost(b, x, shownCounts[b] ?? 0, historyHidden)
                        return ca == cb ? a < b : ca.lexicographicallyPrecedes(cb)
                    })
                else { continue }
                plan.hidden.insert(best)
                picked.insert(best)
                progress = true
            }
            guard progress else { break }
        }
        plan.complementary = plan.hidden.subtracting(primaryKeys).count
        plan.seconds = Date().timeIntervalSince(started)
        return plan
    }

    private func solve(
        _ audit: DisclosureAudit, _ statements: [FigureStatement], truth: [DisclosureAudit.Atom: Int], plan: inout DisclosurePlan
    ) throws(DisclosureError) -> DisclosureAudit.Result {
        do {
            let result = try audit.run(statements, truth: truth)
            plan.solves += result.solves
            return result
        } catch {
            throw .solver(error)
        }
    }

    /// Measures tied together by the attacker's equations: a measure and its totals, endings and their
    /// types, a goal's people and its improved, the parts of a partition and their whole.
    static func family(_ a: CountMeasure, _ b: CountMeasure) -> Bool {
        switch (a, b) {
        case (.tableRows(let t), .tableRows(let u)), (.tableRows(let t), .tableFigure(let u, _)),
            (.tableFigure(let t, _), .tableRows(let u)), (.tableFigure(let t, _), .tableFigure(let u, _)):
            return t == u
        case (.goalPeople(let g), .goalPeople(let h)), (.goalPeople(let g), .goalImproved(let h)),
            (.goalImproved(let g), .goalPeople(let h)), (.goalImproved(let g), .goalImproved(let h)):
            return g == h
        default:
            // Parts of a partition, and the whole they share out (types and the people supported; purposes, routes
            // and the awards).
            if partitionWhole(a) != nil || partitionWhole(b) != nil {
                return (partitionWhole(a) ?? a) == (partitionWhole(b) ?? b)
            }
            let endings: [CountMeasure] = [.endings, .plannedEndings, .unplannedEndings, .transitionEndings]
            if endings.contains(a) && endings.contains(b) { return true }
            return a == b
        }
    }

    /// The count a measure's workbook table shares out (``Claim/partition``), if it is such a part.
    static func partitionWhole(_ measure: CountMeasure) -> CountMeasure? {
        switch measure {
        case .supportType: return .peopleSupported
        case .awardPurpose, .awardRoute: return .awards
        default: return nil
        }
    }

    /// Whether hiding a count of one measure protects another as well as one of its own: the same measure, or
    /// two types of support (which share out the people supported, so another type is the natural complement),
    /// two purposes of awards, or two decision routes.
    static func alike(_ a: CountMeasure, _ b: CountMeasure) -> Bool {
        if case .supportType = a, case .supportType = b { return true }
        if case .awardPurpose = a, case .awardPurpose = b { return true }
        if case .awardRoute = a, case .awardRoute = b { return true }
        return a == b
    }

    /// The cost of hiding a count to protect `x`: lower is cheaper.
    static func cost(_ k: FigureKey, _ x: FigureKey, _ value: Int, _ hiddenBefore: Set<FigureKey>) -> [Int] {
        [
            hiddenBefore.contains(k) ? 0 : 1, alike(k.measure, x.measure) ? 0 : 1, k.partners.count > 1 ? 1 : 0, value == 0 ? 1 : 0,
            value, k.partners.count,
        ]
    }
}

// MARK: - For the run summary and the report

/// What the disclosure step of a run did, for the run summary and the impact report.
public struct DisclosureSummary: Sendable, Hashable {
    /// A funder workbook that was not written, and why.
    public struct Withheld: Sendable, Hashable {
        public var funderID: String
        public var reason: String
    }

    /// Funder workbooks written.
    public var written: Int
    /// Funder workbooks withheld because they could not be protected.
    public var withheld: [Withheld]
    /// Counts of people hidden because they are small (1 to N − 1), and to protect those.
    public var primary: Int
    public var complementary: Int
    /// Counts already narrowed by workbooks published before this run.
    public var earlierExposures: [String]
    /// Audit rounds, integer programs solved, and seconds taken.
    public var rounds: Int
    public var solves: Int
    public var seconds: Double

    init(plan: DisclosurePlan, funders: [String]) {
        withheld = funders.compactMap { id in plan.withheld[id].map { Withheld(funderID: id, reason: $0) } }
        written = funders.count - withheld.count
        primary = plan.primary
        complementary = plan.complementary
        earlierExposures = plan.earlierExposures.map { exposure in
            let at = exposure.locations.first.map { " (\($0.reference))" } ?? ""
            return "\(exposure.key.label)\(at): \(exposure.rangeText)"
        }
        rounds = plan.rounds
        solves = plan.solves
        seconds = plan.seconds
    }
}
