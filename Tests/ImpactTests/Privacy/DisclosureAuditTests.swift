import Foundation
import ImpactGenerator
import PropertyBased
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The disclosure audit and the complementary suppression it drives, held to an independent attacker
/// (``BruteForceAttacker``) on random linked tables small enough to enumerate.
@Suite struct DisclosureAuditTests {
    static let q1 = Quarter(year: 2026, number: 1)
    static let q2 = Quarter(year: 2026, number: 2)

    // MARK: - Random linked tables

    /// Partners × goals with partner rows and goal totals per funder, improved ≤ working towards ≤ people,
    /// two funders sharing partners, and two quarters in which a partner may leave a funder (the later
    /// workbook's trend row for the earlier quarter then covers fewer partners).
    struct LinkedTables: CustomStringConvertible {
        var partners: [String]
        var goals: [String]
        /// Priority groups (none, or one): people in a group are at most the people supported.
        var groups: [String] = []
        /// Types of support (none, or two): each partner's people shared out between them, which every
        /// workbook states (``Claim/partition``).
        var types: [String] = []
        /// Awards (none, or some): each partner's shared out between two purposes and between two routes, both
        /// stated, and published only as totals over a funder's partners, as the Fund sheet does.
        var awards = false
        /// Funder → partners covered, per quarter.
        var coverage: [Quarter: [String: [String]]]
        /// True counts: quarter → partner → "S", "G:g", "I:g".
        var truth: [Quarter: [String: [String: Int]]]
        var quarters: [Quarter]

        init(seed: Int) {
            var random = SplitMix(seed: UInt64(seed))
            let count = Int.random(in: 2...4, using: &random)
            partners = (1...count).map { "P\($0)" }
            goals = Int.random(in: 0...1, using: &random) == 0 ? ["OG1"] : ["OG1", "OG2"]
            // Half of the instances (odd seeds) also publish people in a priority group, per partner and in all.
            let withGroup = seed % 2 == 1
            // A third of them (seeds divisible by 3) publish people by type of support, per partner and in all.
            let withTypes = seed % 3 == 0
            // A fifth of them (seeds divisible by 5) publish awards by purpose and by route.
            let withAwards = seed % 5 == 0
            quarters =
                Int.random(in: 0...2, using: &random) == 0 ? [DisclosureAuditTests.q2] : [DisclosureAuditTests.q1, DisclosureAuditTests.q2]
            var f1 = partners.filter { _ in Int.random(in: 0...3, using: &random) > 0 }
            if f1.isEmpty { f1 = [partners[0]] }
            var f2 = partners.filter { !f1.contains($0) || Int.random(in: 0...2, using: &random) == 0 }
            if f2.isEmpty { f2 = [partners.last!] }
            coverage = [:]
            truth = [:]
            for (i, quarter) in quarters.enumerated() {
                var later = f1
                // In the second quarter a partner may leave the first funder.
                if i == 1 && f1.count > 1 && Int.random(in: 0...1, using: &random) == 0 { later.removeLast() }
                coverage[quarter] = ["F1": i == 1 ? later : f1, "F2": f2]
                var counts: [String: [String: Int]] = [:]
                for partner in partners {
                    let people = Int.random(in: 0...7, using: &random)
                    var row = ["S": people]
                    for goal in goals {
                        let working = Int.random(in: 0...people, using: &random)
                        row["G:\(goal)"] = working
                        row["I:\(goal)"] = Int.random(in: 0...working, using: &random)
                    }
                    if withGroup { row["P:lone_parent"] = Int.random(in: 0...people, using: &random) }
                    if withTypes {
                        let counselling = Int.random(in: 0...people, using: &random)
                        row["T:Counselling"] = counselling
                        row["T:Advocacy"] = people - counselling
                    }
                    if withAwards {
                        let made = Int.random(in: 0...5, using: &random)
                        let travel = Int.random(in: 0...made, using: &random)
                        let panel = Int.random(in: 0...made, using: &random)
                        row["W"] = made
                        (row["WP:Travel"], row["WP:Housing"]) = (travel, made - travel)
                        (row["WR:Panel"], row["WR:Coordinator"]) = (panel, made - panel)
                    }
                    counts[partner] = row
                }
                truth[quarter] = counts
            }
            if withGroup { groups = ["lone_parent"] }
            if withTypes { types = ["Counselling", "Advocacy"] }
            awards = withAwards
        }

        var description: String {
            "partners \(partners), goals \(goals), groups \(groups), types \(types), awards \(awards), coverage \(coverage), truth \(truth)"
        }

        func value(_ key: FigureKey) -> Int {
            let code: String
            switch key.measure {
            case .peopleSupported: code = "S"
            case .goalPeople(let g): code = "G:\(g)"
            case .goalImproved(let g): code = "I:\(g)"
            case .priorityGroup(let g): code = "P:\(g)"
            case .supportType(let t): code = "T:\(t)"
            case .awards: code = "W"
            case .awardPurpose(let p): code = "WP:\(p)"
            case .awardRoute(let r): code = "WR:\(r)"
            default: code = ""
            }
            return key.partners.reduce(0) { $0 + (truth[key.quarter]?[$1]?[code] ?? 0) }
        }

        /// What each funder workbook of a quarter states with nothing hidden.
        func publications(_ quarter: Quarter) -> [Publication] {
            coverage[quarter]!.keys.sorted().map { funder in
                let covered = coverage[quarter]![funder]!
                var keys: [FigureKey] = []
                for partner in covered { keys += measures(quarter, [partner]) }
                keys += measures(quarter, covered)
                if awards {
                    keys += [
                        CountMeasure.awards, .awardPurpose("Travel"), .awardPurpose("Housing"), .awardRoute("Panel"),
                        .awardRoute("Coordinator"),
                    ]
                    .map { FigureKey(quarter: quarter, measure: $0, partners: covered) }
                }
                // The trend row of the earlier quarter, over the partners covered now.
                if let index = quarters.firstIndex(of: quarter), index > 0 {
                    keys.append(FigureKey(quarter: quarters[index - 1], measure: .peopleSupported, partners: covered))
                }
                var statements = keys.enumerated().map { row, key in
                    FigureStatement(
                        claim: .count(key, .exact(value(key))),
                        location: CellLocation(workbook: "\(funder)-\(quarter).xlsx", sheet: "T", row: row + 2, column: 0))
                }
                statements += partition(quarter, covered, funder: funder)
                return Publication(
                    workbook: "\(funder)-\(quarter).xlsx", funderID: funder, quarter: quarter, threshold: 5, statements: statements)
            }
        }

        /// The statements that each partner's types add up to its people supported, and its purposes and routes to its
        /// awards (none without them).
        func partition(_ quarter: Quarter, _ covered: [String], funder: String) -> [FigureStatement] {
            let at = CellLocation(workbook: "\(funder)-\(quarter).xlsx", sheet: "T", row: 1, column: 0)
            var result: [FigureStatement] = []
            if !types.isEmpty {
                result.append(
                    FigureStatement(
                        claim: .partition(
                            quarter: quarter, whole: .peopleSupported, parts: types.map { .supportType($0) }, partners: covered),
                        location: at))
            }
            if awards {
                result += [
                    FigureStatement(
                        claim: .partition(
                            quarter: quarter, whole: .awards, parts: [.awardPurpose("Travel"), .awardPurpose("Housing")], partners: covered),
                        location: at),
                    FigureStatement(
                        claim: .partition(
                            quarter: quarter, whole: .awards, parts: [.awardRoute("Panel"), .awardRoute("Coordinator")], partners: covered),
                        location: at),
                ]
            }
            return result
        }

        func measures(_ quarter: Quarter, _ partners: [String]) -> [FigureKey] {
            [FigureKey(quarter: quarter, measure: .peopleSupported, partners: partners)]
                + goals.flatMap { g in
                    [
                        FigureKey(quarter: quarter, measure: .goalPeople(g), partners: partners),
                        FigureKey(quarter: quarter, measure: .goalImproved(g), partners: partners),
                    ]
                }
                + groups.map { FigureKey(quarter: quarter, measure: .priorityGroup($0), partners: partners) }
                + types.map { FigureKey(quarter: quarter, measure: .supportType($0), partners: partners) }
        }

        /// The truth as the audit's unknowns.
        var atoms: [DisclosureAudit.Atom: Int] {
            var result: [DisclosureAudit.Atom: Int] = [:]
            for (quarter, byPartner) in truth {
                for (partner, row) in byPartner {
                    for (code, value) in row {
                        let measure: CountMeasure
                        if code == "S" {
                            measure = .peopleSupported
                        } else if code.hasPrefix("G:") {
                            measure = .goalPeople(String(code.dropFirst(2)))
                        } else if code.hasPrefix("P:") {
                            measure = .priorityGroup(String(code.dropFirst(2)))
                        } else if code.hasPrefix("T:") {
                            measure = .supportType(String(code.dropFirst(2)))
                        } else if code == "W" {
                            measure = .awards
                        } else if code.hasPrefix("WP:") {
                            measure = .awardPurpose(String(code.dropFirst(3)))
                        } else if code.hasPrefix("WR:") {
                            measure = .awardRoute(String(code.dropFirst(3)))
                        } else {
                            measure = .goalImproved(String(code.dropFirst(2)))
                        }
                        result[DisclosureAudit.Atom(quarter: quarter, partner: partner, measure: measure)] = value
                    }
                }
            }
            return result
        }

        /// Runs each quarter in order, as `impact run` does, and returns everything published.
        func publishAll(threshold: Int) throws -> (claims: [Claim], withheld: Int) {
            var earlier: [Publication] = []
            var withheld = 0
            let reported = Dictionary(uniqueKeysWithValues: quarters.map { ($0, Set(partners)) })
            for quarter in quarters {
                let plan = try DisclosureControl(threshold: threshold).plan(
                    current: publications(quarter), earlier: earlier, reported: reported, truth: atoms)
                withheld += plan.withheld.count
                for publication in publications(quarter) where plan.withheld[publication.funderID] == nil {
                    var published = publication
                    published.statements = publication.statements.compactMap { s in
                        plan.published(s.claim).map { FigureStatement(claim: $0, location: s.location) }
                    }
                    earlier.append(published)
                }
            }
            return (earlier.flatMap(\.statements).map(\.claim), withheld)
        }
    }

    // MARK: - Properties

    @Test("Random linked tables: after suppression no small count is shown and the brute-force attacker narrows no hidden count")
    func suppressionProtectsRandomLinkedTables() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000)) { seed in
            let tables = LinkedTables(seed: seed)
            do {
                let (claims, _) = try tables.publishAll(threshold: 5)
                for claim in claims {
                    if case .count(let key, .exact(let value)) = claim {
                        #expect(!(1...4).contains(value), "\(key.label) is shown as \(value): \(tables)")
                    }
                }
                let attacker = BruteForceAttacker(claims: claims, threshold: 5)
                let exposed = attacker.exposed(threshold: 5)
                #expect(exposed.isEmpty, "the brute-force attacker narrows \(exposed) in \(tables)")
            } catch {
                Issue.record("planning failed: \(error)")
            }
        }
    }

    @Test("Random linked tables with primary suppression only: the GLPK audit finds exactly what brute force finds")
    func auditAgreesWithBruteForce() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            let tables = LinkedTables(seed: seed)
            var statements: [FigureStatement] = []
            for quarter in tables.quarters {
                for publication in tables.publications(quarter) {
                    for s in publication.statements {
                        guard case .count(let key, .exact(let value)) = s.claim else {
                            statements.append(s)
                            continue
                        }
                        let shown: CountShown = (1...4).contains(value) ? .hidden : .exact(value)
                        statements.append(FigureStatement(claim: .count(key, shown), location: s.location))
                    }
                }
            }
            let attacker = BruteForceAttacker(claims: statements.map(\.claim), threshold: 5)
            // A count too costly for brute force to decide is compared on neither side.
            let (expected, undecided) = attacker.exposure(threshold: 5)
            do {
                let result = try DisclosureAudit(threshold: 5).run(statements)
                var found: [FigureKey: [Int]] = [:]
                for exposure in result.exposures where !undecided.contains(exposure.key) {
                    found[exposure.key] = exposure.smallValuesLeft
                }
                #expect(found == expected, "audit \(found) against brute force \(expected) in \(tables)")
                #expect(result.contradictions.isEmpty)
            } catch {
                Issue.record("the audit failed: \(error)")
            }
        }
    }

    // MARK: - The sample's leaks, as regression tests

    static func key(_ quarter: Quarter, _ measure: CountMeasure, _ partners: [String]) -> FigureKey {
        FigureKey(quarter: quarter, measure: measure, partners: partners)
    }

    static func statement(_ key: FigureKey, _ shown: CountShown, row: Int) -> FigureStatement {
        FigureStatement(claim: .count(key, shown), location: CellLocation(workbook: "F02.xlsx", sheet: "Outcomes", row: row, column: 4))
    }

    /// 2025-Q3, F02, Outcomes, OG06: 11 people improved; P002 8, three `<5` and two `[c]`: each `<5` is 1.
    @Test func sampleOutcomesLeakIsFound() throws {
        let q = Quarter(year: 2025, number: 3)
        let partners = ["P002", "P003", "P006", "P008", "P011", "P013"]
        var statements = [Self.statement(Self.key(q, .goalImproved("OG06"), partners), .exact(11), row: 10)]
        statements.append(Self.statement(Self.key(q, .goalImproved("OG06"), ["P002"]), .exact(8), row: 20))
        for (i, p) in ["P003", "P006", "P008"].enumerated() {
            statements.append(Self.statement(Self.key(q, .goalImproved("OG06"), [p]), .below(5), row: 21 + i))
        }
        for (i, p) in ["P011", "P013"].enumerated() {
            statements.append(Self.statement(Self.key(q, .goalImproved("OG06"), [p]), .hidden, row: 24 + i))
        }
        let result = try DisclosureAudit(threshold: 5).run(statements)
        let exact = result.exposures.filter { $0.least == 1 && $0.greatest == 1 }.map { $0.key.partners[0] }
        #expect(exact == ["P003", "P006", "P008"])
        // The independent attacker, who knows less (it reads `<5` as hidden), still narrows them.
        let attacker = BruteForceAttacker(claims: statements.map(\.claim), threshold: 5)
        #expect(Set(attacker.exposed(threshold: 5).keys.map { $0.partners[0] }).isSuperset(of: ["P003", "P006", "P008"]))
    }

    /// 2026-Q2, F01, Partners, New starts: total 29, the visible partners 27, two `<5`: both are 1.
    @Test func samplePartnersLeakIsFound() throws {
        let q = Quarter(year: 2026, number: 2)
        let visible = [("P002", 10), ("P003", 9), ("P004", 8)]
        let partners = visible.map(\.0) + ["P001", "P007"]
        var statements = [Self.statement(Self.key(q, .newStarts, partners), .exact(29), row: 30)]
        for (i, (p, n)) in visible.enumerated() { statements.append(Self.statement(Self.key(q, .newStarts, [p]), .exact(n), row: 20 + i)) }
        statements.append(Self.statement(Self.key(q, .newStarts, ["P001"]), .below(5), row: 24))
        statements.append(Self.statement(Self.key(q, .newStarts, ["P007"]), .below(5), row: 25))
        let result = try DisclosureAudit(threshold: 5).run(statements)
        #expect(result.exposures.map { "\($0.key.partners[0]) \($0.rangeText)" } == ["P001 exactly 1", "P007 exactly 1"])
    }

    /// The same two shapes, planned from their true values: nothing is exposed afterwards.
    @Test func samplePatternsAreProtectedWhenPlanned() throws {
        let q = Quarter(year: 2026, number: 2)
        let values = ["P001": 1, "P002": 10, "P003": 9, "P004": 8, "P007": 1]
        let partners = values.keys.sorted()
        var statements = [Self.statement(Self.key(q, .newStarts, partners), .exact(29), row: 30)]
        for (i, p) in partners.enumerated() {
            statements.append(Self.statement(Self.key(q, .newStarts, [p]), .exact(values[p]!), row: 20 + i))
        }
        let publication = Publication(workbook: "F01.xlsx", funderID: "F01", quarter: q, threshold: 5, statements: statements)
        let plan = try DisclosureControl(threshold: 5).plan(current: [publication], earlier: [], reported: [:], truth: [:])
        let published = statements.compactMap { plan.published($0.claim) }
        #expect(BruteForceAttacker(claims: published, threshold: 5).exposed(threshold: 5).isEmpty)
        #expect(
            try DisclosureAudit(threshold: 5).run(published.map { FigureStatement(claim: $0, location: statements[0].location) }).exposures
                .isEmpty)
        #expect(plan.primary == 2 && plan.complementary >= 1)
    }

    // MARK: - Shares and means

    @Test func aShareOverHiddenCountsIsAnExposure() throws {
        // People 2 and improved 1, both hidden, but the share 50% is printed beside a total of 40.
        let q = Self.q2
        let people = Self.key(q, .goalPeople("OG1"), ["P1"])
        let improved = Self.key(q, .goalImproved("OG1"), ["P1"])
        let statements = [
            Self.statement(people, .hidden, row: 2), Self.statement(improved, .hidden, row: 3),
            FigureStatement(
                claim: .share(numerator: improved, denominator: people, value: 0.5),
                location: CellLocation(workbook: "F1.xlsx", sheet: "Outcomes", row: 2, column: 6)),
            Self.statement(Self.key(q, .goalPeople("OG1"), ["P1", "P2"]), .exact(12), row: 4),
            Self.statement(Self.key(q, .goalPeople("OG1"), ["P2"]), .exact(10), row: 5),
        ]
        let result = try DisclosureAudit(threshold: 5).run(statements)
        #expect(result.exposures.contains { $0.key == improved && $0.least == 1 && $0.greatest == 1 })
    }

    @Test func aMeanOverAHiddenCountIsAnExposure() throws {
        let people = Self.key(Self.q2, .goalPeople("OG1"), ["P1"])
        let statements = [
            Self.statement(people, .hidden, row: 2),
            FigureStatement(claim: .mean(of: people), location: CellLocation(workbook: "F1.xlsx", sheet: "Outcomes", row: 2, column: 8)),
        ]
        let result = try DisclosureAudit(threshold: 5).run(statements)
        #expect(result.exposures.count == 1 && result.exposures[0].note != nil)
    }

    @Test(arguments: [(0.5, 1, 2), (0.4166666666666667, 5, 12), (0.0, 0, 1), (1.0, 1, 1), (0.3333333333333333, 1, 3)])
    func sharesAreReadAsFractions(value: Double, numerator: Int, denominator: Int) {
        #expect(DisclosureAudit.fraction(value)! == (numerator, denominator))
    }

    /// Shares over many people are read back exactly: N/D for every D up to a million, as printed (a
    /// double). With a looser tolerance a simpler fraction near N/D stood in for it, and a 1,000-partner run
    /// withheld every funder workbook as contradictory.
    @Test func sharesOverManyPeopleAreReadExactly() {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        var state: UInt64 = 42
        var checked = 0
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let denominator = Int((state >> 33) % 1_000_000) + 1
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let numerator = Int((state >> 33) % UInt64(denominator + 1))
            let g = max(1, gcd(numerator, denominator))
            let read = DisclosureAudit.fraction(Double(numerator) / Double(denominator))
            #expect(read.map { [$0.0, $0.1] } == [numerator / g, denominator / g], "\(numerator)/\(denominator)")
            checked += 1
        }
        #expect(checked == 20_000)
        // The pair a 1,000-partner quarter printed: 124,863 people improved of 249,727.
        #expect(DisclosureAudit.fraction(124_863.0 / 249_727.0).map { [$0.0, $0.1] } == [124_863, 249_727])
    }

    @Test func contradictoryPublicationsAreReported() throws {
        let key = Self.key(Self.q2, .peopleSupported, ["P1"])
        let statements = [Self.statement(key, .exact(7), row: 2), Self.statement(key, .exact(9), row: 3)]
        #expect(try !DisclosureAudit(threshold: 5).run(statements).contradictions.isEmpty)
    }

    // MARK: - Publications in the store

    /// People by type of support add up to the people supported: with 20 people and 17 in counselling shown, a
    /// hidden advocacy count is 3, which the audit and the brute-force attacker find only when the workbook states
    /// the partition (without it, advocacy is anything up to 20).
    @Test("A hidden type of support is worked out from the other types and the people supported", arguments: [true, false])
    func typesShareOutPeople(stated: Bool) throws {
        let partners = ["P1", "P2"]
        var statements = [
            Self.statement(Self.key(Self.q2, .peopleSupported, partners), .exact(20), row: 2),
            Self.statement(Self.key(Self.q2, .supportType("Counselling"), partners), .exact(17), row: 3),
            Self.statement(Self.key(Self.q2, .supportType("Advocacy"), partners), .hidden, row: 4),
        ]
        if stated {
            statements.append(
                FigureStatement(
                    claim: .partition(
                        quarter: Self.q2, whole: .peopleSupported, parts: [.supportType("Counselling"), .supportType("Advocacy")],
                        partners: partners),
                    location: CellLocation(workbook: "F02.xlsx", sheet: "Support by type", row: 1, column: 0)))
        }
        let result = try DisclosureAudit(threshold: 5).run(statements)
        let attacker = BruteForceAttacker(claims: statements.map(\.claim), threshold: 5).exposed(threshold: 5)
        let advocacy = Self.key(Self.q2, .supportType("Advocacy"), partners)
        if stated {
            #expect(result.exposures.map(\.key) == [advocacy])
            #expect(result.exposures.first?.rangeText == "exactly 3")
            #expect(attacker[advocacy] == [3])
        } else {
            #expect(result.exposures.isEmpty)
            #expect(attacker.isEmpty)
        }
    }

    /// Awards by purpose add up to the awards, and so do awards by route: with 9 awards, 2 for travel and 6 for
    /// housing shown, a hidden count for utilities is 1; with the routes (7 by coordinators) it stays 1.
    @Test("A hidden purpose of awards is worked out from the other purposes and all awards", arguments: [true, false])
    func purposesShareOutAwards(stated: Bool) throws {
        let partners = ["P1", "P2"]
        var statements = [
            Self.statement(Self.key(Self.q2, .awards, partners), .exact(9), row: 2),
            Self.statement(Self.key(Self.q2, .awardPurpose("Travel"), partners), .exact(2), row: 3),
            Self.statement(Self.key(Self.q2, .awardPurpose("Housing"), partners), .exact(6), row: 4),
            Self.statement(Self.key(Self.q2, .awardPurpose("Utilities"), partners), .hidden, row: 5),
            Self.statement(Self.key(Self.q2, .awardRoute("Coordinator"), partners), .exact(7), row: 6),
            Self.statement(Self.key(Self.q2, .awardRoute("Panel"), partners), .exact(2), row: 7),
        ]
        if stated {
            let location = CellLocation(workbook: "F02.xlsx", sheet: "Fund", row: 1, column: 0)
            statements += [
                FigureStatement(
                    claim: .partition(
                        quarter: Self.q2, whole: .awards, parts: ["Travel", "Housing", "Utilities"].map { .awardPurpose($0) },
                        partners: partners), location: location),
                FigureStatement(
                    claim: .partition(
                        quarter: Self.q2, whole: .awards, parts: ["Coordinator", "Panel"].map { .awardRoute($0) }, partners: partners),
                    location: location),
            ]
        }
        let result = try DisclosureAudit(threshold: 5).run(statements)
        let attacker = BruteForceAttacker(claims: statements.map(\.claim), threshold: 5).exposed(threshold: 5)
        let utilities = Self.key(Self.q2, .awardPurpose("Utilities"), partners)
        if stated {
            #expect(result.exposures.map(\.key) == [utilities])
            #expect(result.exposures.first?.rangeText == "exactly 1")
            #expect(attacker[utilities] == [1])
        } else {
            #expect(result.exposures.isEmpty)
            #expect(attacker.isEmpty)
        }
    }

    @Test(
        "Every measure is read back from its stored code",
        arguments: [
            CountMeasure.peopleSupported, .newStarts, .endings, .plannedEndings, .unplannedEndings, .transitionEndings, .aboveLimit,
            .goalPeople("OG01"), .goalImproved("OG02"), .tableRows("referrals"), .tableFigure("referrals", "From GPs: yes"),
            .tableKind("referrals", 3), .priorityGroup("Lone parents or carers"), .supportType("Peer support"), .awards,
            .awardPurpose("Housing"), .awardRoute("Panel"),
        ])
    func measureCodes(measure: CountMeasure) {
        #expect(CountMeasure(code: measure.code) == measure)
    }

    @Test func statementsSurviveTheStore() {
        let tables = LinkedTables(seed: 7)
        for publication in tables.publications(Self.q2) {
            var all = publication.statements
            all.append(
                FigureStatement(
                    claim: .share(
                        numerator: tables.measures(Self.q2, ["P1"])[0], denominator: tables.measures(Self.q2, ["P1"])[0], value: 0.25),
                    location: all[0].location))
            all.append(FigureStatement(claim: .noReturn(quarter: Self.q1, partnerID: "P2"), location: all[0].location))
            all.append(
                FigureStatement(
                    claim: .partition(
                        quarter: Self.q2, whole: .peopleSupported, parts: [.supportType("Counselling"), .supportType("Group: peer")],
                        partners: ["P1", "P2"]), location: all[0].location))
            all.append(FigureStatement(claim: .count(tables.measures(Self.q2, ["P1"])[0], .hidden), location: all[0].location))
            var copy = publication
            copy.statements = all
            let decoded = Publication.decode(copy.encodedStatements, workbook: publication.workbook)
            #expect(decoded.unreadable == 0)
            #expect(decoded.statements == all)
        }
    }
}
