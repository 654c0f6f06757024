import Foundation
import ImpactGenerator
import PropertyBased
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Disclosure control as properties over random inputs (swift-property-based, which shrinks a failing
/// input to a small one and prints the seed that reproduces it).
@Suite struct DisclosurePropertyTests {
    /// Random tables of counts, mostly small, with any threshold and either kind of totals.
    @Test("For random tables, every small count is hidden and no hidden cell can be worked out from what is published")
    func suppressionHoldsForRandomTables() async {
        await propertyCheck(
            count: 400, input: Gen.int(in: 0...12).array(of: 1...5).array(of: 1...5), Gen.bool, Gen.bool, Gen.int(in: 2...10)
        ) { counts, rowTotals, columnTotals, threshold in
            let grid = Suppression(counts: counts, rowTotals: rowTotals, columnTotals: columnTotals, threshold: threshold)
            for position in WorkbookSuppressionTests.published(grid) where grid.isPrimary(position) {
                #expect(grid.isSuppressed(position), "\(position) = \(grid.value(position) ?? -1) is shown")
            }
            let exposed = WorkbookSuppressionTests.exposed(grid)
            #expect(exposed.isEmpty, "\(exposed) can be worked out from the published values")
        }
    }

    /// A programme the property test once found (seed 9EPlJLAYlNIoC/4tnAUFL4YJVl8kdfPZQGyWhgIyaso=): a share
    /// whose printed totals no whole counts can meet (55 = 7·D) kept GLPK's branch and bound busy past its
    /// 10-second limit, so no funder workbook was written. Shares are now solved over the lattice of their
    /// whole solutions (`DisclosureAudit.ratioLattice`).
    @Test func shareWithNoWholeSolutionIsQuick() throws {
        let input = Self.programme(people: [8, 12, 1, 4, 0], seed: 728, threshold: 6)
        let folder = TemporaryFolder(prefix: "impact-disclosure")
        let written = try WorkbookWriter(provenance: WorkbookProvenance(fileHashes: [:])).write(
            input: input, to: folder.path, created: WorkbookWriterTests.created)
        #expect(written.contains { $0.hasSuffix("programme.xlsx") })
    }

    /// q·ΣN − p·ΣD = r over whole numbers is ΣN = n₀ + p·k, ΣD = d₀ + q·k.
    @Test(arguments: [(11, 7, 0), (11, 7, 5), (4, 3, -2), (13, 7, 1), (2, 1, 9), (1, 5, 3)])
    func ratioLattice(q: Int, p: Int, r: Int) throws {
        let lattice = try #require(DisclosureAudit.ratioLattice([(0, q), (1, q), (2, -p)], equals: r))
        #expect(lattice.positive == [0, 1] && lattice.negative == [2] && lattice.p == p && lattice.q == q)
        #expect(q * lattice.n0 - p * lattice.d0 == r)
        for k in -3...3 {
            #expect(q * (lattice.n0 + p * k) - p * (lattice.d0 + q * k) == r)
        }
        #expect(DisclosureAudit.ratioLattice([(0, 1), (1, -1)], equals: r) == nil)
        #expect(DisclosureAudit.ratioLattice([(0, 6), (1, -4)], equals: r) == nil)
        #expect(DisclosureAudit.ratioLattice([(0, 3), (1, 2), (2, -5)], equals: r) == nil)
    }

    /// Random programmes: two to five partners of 0–12 people, some improving or ending, each funded by one
    /// or two funders. Every funder workbook is written and read back.
    @Test("For random programmes, nothing from 1 to the threshold minus one survives in any funder workbook")
    func noSmallCountInRandomFunderWorkbooks() async {
        await propertyCheck(
            count: 25, input: Gen.int(in: 0...12).array(of: 2...5), Gen.int(in: 0...1_000), Gen.int(in: 3...6)
        ) { people, seed, threshold in
            let input = Self.programme(people: people, seed: seed, threshold: threshold)
            let folder = TemporaryFolder(prefix: "impact-disclosure")
            do {
                let written = try WorkbookWriter(provenance: WorkbookProvenance(fileHashes: [:])).write(
                    input: input, to: folder.path, created: WorkbookWriterTests.created)
                var funderBooks: [String] = []
                for funder in input.reference.funders {
                    let path = folder.path + "/workbooks/\(funder.id).xlsx"
                    // A workbook that cannot be protected is withheld; one that is written is checked.
                    guard written.contains(path) else { continue }
                    funderBooks.append(path)
                    let shown = try WorkbookWriterTests.smallCountsShown(in: XLSXFile(path: path), threshold: threshold)
                    #expect(shown.isEmpty, "\(funder.id) with people \(people), threshold \(threshold): \(shown)")
                }
                // The written workbooks, read back as files, pass the same attack together.
                let audit = try WorkbookDisclosureAudit.audit(paths: funderBooks)
                #expect(audit.exitCode == 0, "people \(people), threshold \(threshold): \(audit.exposed)")
            } catch {
                Issue.record("writing or reading the workbooks failed: \(error)")
            }
        }
    }

    /// Random referrals: two to five partners with 0–9 rows each, outcomes drawn at random, and two figures
    /// that share out the rows (accepted, not accepted) beside one that overlaps them (from GPs or social
    /// work). Every funder workbook is read back by this test's own reader and attacked by brute force: no
    /// hidden count of rows or figure can be narrowed, and nothing from 1 to N − 1 is shown.
    @Test("For random declared tables, no hidden count of rows or figures can be worked out from the funder workbooks")
    func declaredFiguresInRandomFunderWorkbooks() async throws {
        let schema = try Schema(contentsOf: TestPaths.repo("Tests/Fixtures/declared/referrals.schema.json"))
        await propertyCheck(count: 12, input: Gen.int(in: 0...9).array(of: 2...5), Gen.int(in: 0...1_000)) { rows, seed in
            var random = SplitMix(seed: UInt64(seed))
            var table = ReturnTable(
                name: "referrals", title: "Referrals received",
                figures: [
                    TableFigure(name: "Accepted", measure: .count, filter: ["outcome": ["accepted"]]),
                    TableFigure(name: "Not accepted", measure: .count, filter: ["outcome": ["waiting", "declined", "referred_on"]]),
                    TableFigure(name: "From GPs or social work", measure: .count, filter: ["source": ["gp", "social_work"]]),
                ])
            table.funderFigures = FunderFigures.derive(table, schema: schema)
            var input = Self.programme(people: rows.map { $0 + 5 }, seed: seed, threshold: 5)
            input.settings.declaredTables = [(table, "tables/referrals.schema.json")]
            let fields = ["partner_id", "quarter", "referral_ref", "source", "outcome", "received_on"]
            let quarter = WorkbookWriterTests.quarter
            for (index, count) in rows.enumerated() {
                guard let position = input.history[quarter]?.firstIndex(where: { $0.partnerID == String(format: "P%03d", index + 1) })
                else { continue }
                let id = String(format: "P%03d", index + 1)
                let records = (0..<count).map { n -> [String?] in
                    [
                        id, quarter.description, String(format: "RF%04d", n + 1),
                        ["self", "gp", "social_work", "police"].randomElement(using: &random),
                        ["accepted", "waiting", "declined", "referred_on"].randomElement(using: &random), "2026-05-01",
                    ]
                }
                input.history[quarter]![position].tables = [TableRecords(table: "referrals", fields: fields, rows: records)]
            }
            let folder = TemporaryFolder(prefix: "impact-disclosure")
            do {
                let written = try WorkbookWriter(provenance: WorkbookProvenance(fileHashes: [:])).write(
                    input: input, to: folder.path, created: WorkbookWriterTests.created)
                var claims: [Claim] = []
                for funder in input.reference.funders {
                    let path = folder.path + "/workbooks/\(funder.id).xlsx"
                    guard written.contains(path) else { continue }
                    let read = try DeclaredSheetClaims(
                        XLSXFile(path: path).sheet("Referrals received"), table: "referrals",
                        figures: ["Accepted", "Not accepted", "From GPs or social work"], quarter: quarter, label: "\(funder.id)!")
                    // Accepted or not (a required list), and from GPs or social work or not: four kinds.
                    #expect(read.partners.isEmpty || read.kinds.count == 4, "\(read.kinds)")
                    claims += read.claims
                }
                let attacker = BruteForceAttacker(claims: claims, threshold: 5)
                let exposure = attacker.exposure(threshold: 5)
                #expect(exposure.exposed.isEmpty, "rows \(rows), seed \(seed): \(exposure.exposed)")
            } catch {
                Issue.record("writing or reading the workbooks failed: \(error)")
            }
        }
    }

    /// A programme whose partners have the given numbers of people this quarter (and other numbers last
    /// quarter), with improvements, endings and funders chosen from `seed`.
    static func programme(people: [Int], seed: Int, threshold: Int) -> ReportInput {
        var random = SplitMix(seed: UInt64(seed))
        let quarter = WorkbookWriterTests.quarter
        let previous = WorkbookWriterTests.previous
        let start = Int32(Quarter(year: 2025, number: 1).firstDay)
        var settings = Settings()
        settings.programme = "Property Alliance"
        settings.disclosureThreshold = threshold
        let ids = people.indices.map { String(format: "P%03d", $0 + 1) }
        let partners = ids.enumerated().map { index, id in
            Partner(
                id: id, name: "Partner \(index + 1)", region: ["North", "South"][index % 2],
                funderIDs: index % 3 == 2 ? ["F1", "F2"] : [index % 2 == 0 ? "F1" : "F2"], activeFrom: start, activeTo: nil)
        }
        let goals = ["OG01", "OG02"]
        func returns(_ counts: [Int], _ q: Quarter) -> [AcceptedReturn] {
            zip(ids, counts).map { id, count in
                WorkbookWriterTests.accepted(
                    id, q, people: count, improved: Int.random(in: 0...count, using: &random),
                    goal: goals[Int.random(in: 0...1, using: &random)], ended: Int.random(in: 0...count, using: &random))
            }
        }
        let earlier = people.map { _ in Int.random(in: 0...12, using: &random) }
        let submissions = ids.map { id in
            SubmissionSummary(
                partnerID: id, quarter: quarter, verdict: .accepted, receivedOn: Int32(quarter.lastDay + 10), onTime: true,
                isResubmission: false, files: [], findings: [])
        }
        return ReportInput(
            settings: settings,
            reference: ReferenceData(
                partners: partners, funders: [Funder(id: "F1", name: "First Trust"), Funder(id: "F2", name: "Second Fund")],
                goals: [
                    OutcomeGoal(id: "OG01", title: "Feeling safer", pathway: "Safety", indicator: "score", targetImprovedShare: 0.5),
                    OutcomeGoal(id: "OG02", title: "Connections", pathway: "Connection", indicator: "score", targetImprovedShare: 0.6),
                ]),
            quarter: quarter, history: [previous: returns(earlier, previous), quarter: returns(people, quarter)],
            submissions: submissions, generatedOn: "2026-07-20")
    }
}
