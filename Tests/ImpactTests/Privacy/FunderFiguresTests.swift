import Foundation
import TableSchema
import TestSupport
import Testing
import XLSXReader

@testable import Impact

/// What funders see of a declared table's figures, and the kinds of row that tie the figures to the rows.
@Suite struct FunderFiguresTests {
    static let quarter = Quarter(year: 2026, number: 2)

    /// A workspace whose referrals table declares `figures` instead of the usual ones.
    static func workspace(_ folder: TemporaryFolder, figures: String) throws -> String {
        let path = try DeclaredTableWorkspace.make(in: folder)
        let settings = try String(contentsOfFile: path + "/impact.yaml", encoding: .utf8)
        let start = try #require(settings.range(of: "    figures:\n"))
        try (String(settings[..<start.upperBound]) + figures).write(toFile: path + "/impact.yaml", atomically: true, encoding: .utf8)
        return path
    }

    /// Referral rows with these outcomes (sources cycle through self, gp, police).
    static func referrals(_ partner: String, outcomes: [String]) -> String {
        var text = "partner_id,quarter,referral_ref,source,outcome,received_on\n"
        for (index, outcome) in outcomes.enumerated() {
            text +=
                "\(partner),2026-Q2,RF\(String(format: "%04d", index + 1)),\(["self", "gp", "police"][index % 3]),\(outcome),2026-05-01\n"
        }
        return text
    }

    /// Which figures a funder may see, and why the others are kept internal.
    @Test func whatFundersSee() throws {
        let schema = try Schema(contentsOf: TestPaths.repo("Tests/Fixtures/declared/referrals.schema.json"))
        let table = ReturnTable(
            name: "referrals", title: "Referrals",
            figures: [
                TableFigure(name: "Accepted", measure: .count, filter: ["outcome": ["accepted"]]),
                TableFigure(name: "Sources", measure: .distinct, field: "source"),
                TableFigure(name: "By reference", measure: .count, filter: ["referral_ref": ["RF0001"]]),
                TableFigure(name: "Dated", measure: .count, field: "received_on"),
                TableFigure(name: "For a quarter", measure: .count, filter: ["quarter": ["2026-Q2"]]),
                TableFigure(name: "From a partner", measure: .count, filter: ["partner_id": ["P001"]]),
                TableFigure(name: "Seen", measure: .sum, field: "received_on"),
            ])
        let view = FunderFigures.derive(table, schema: schema)
        #expect(view.published == [0, 3])
        #expect(view.withheld.map(\.figure) == ["Sources", "By reference", "For a quarter", "From a partner", "Seen"])
        #expect(view.withheld[1].reason.contains("key"))
        #expect(view.withheld[2].reason.contains("rule"))
        #expect(view.withheld[3].reason.contains("key"))
        // received_on is required, so every row counts in "Dated": the kinds are accepted or not.
        #expect(view.kinds == [[false, true], [true, true]])
    }

    /// The kinds worked out from the schema are exactly the kinds of the rows the validator accepts: every
    /// combination of values of the fields the figures read (each list value, blank, and a value outside the
    /// list), checked as a CSV file by the real validator, then counted by the figures' own rule.
    @Test(arguments: [
        ["outcome": ["accepted"]], ["outcome": ["accepted", "waiting"], "source": ["gp"]], ["source": ["gp", "nowhere"]],
    ])
    func kindsAreTheValidatorsKinds(filter: [String: [String]]) throws {
        var schema = try Schema(contentsOf: TestPaths.repo("Tests/Fixtures/declared/referrals.schema.json"))
        // Make outcome optional, so that blank is a value too.
        let outcome = try #require(schema.fieldIndex("outcome"))
        schema.fields[outcome].constraints.required = false
        let figures = [
            TableFigure(name: "A", measure: .count, filter: filter),
            TableFigure(name: "B", measure: .count, field: "outcome"),
            TableFigure(name: "C", measure: .count, filter: ["source": ["police", "self"]]),
        ]
        let view = FunderFigures.derive(ReturnTable(name: "referrals", title: "Referrals", figures: figures), schema: schema)
        #expect(view.published == [0, 1, 2])

        let outcomes = ["accepted", "waiting", "declined", "referred_on", "", "elsewhere"]
        let sources = ["self", "gp", "social_work", "police", "another_partner", "other", "", "nowhere"]
        var found: Set<[Bool]> = []
        for outcomeValue in outcomes {
            for sourceValue in sources {
                let header = ["partner_id", "quarter", "referral_ref", "source", "outcome", "received_on"]
                let cells = ["P001", "2026-Q2", "RF0001", sourceValue, outcomeValue, "2026-05-01"]
                let validator = TableValidator(schema: schema)
                var values: [CellValue] = []
                validator.onRow = { _, typed, valid in if valid { values = Array(typed) } }
                validator.checkHeader(header)
                validator.checkRow(OwnedCellRow(cells: cells.map { Array($0.utf8) }), rowNumber: 2)
                guard !values.isEmpty else { continue }
                var row: [String: String] = [:]
                for (field, value) in zip(schema.fields, values) where value != .null { row[field.name] = value.canonicalText }
                found.insert(figures.map { FunderFigures.counts($0, row: row) })
            }
        }
        #expect(Set(view.kinds) == found)
    }

    /// Two figures that share out the rows (outcome is a required list): rows 8, accepted 2, not accepted 6.
    /// Showing the rows and "not accepted" would give "accepted" away, so more is hidden, and an attacker
    /// holding every funder workbook, reading the files with its own code and brute force, learns nothing.
    @Test func figuresThatShareOutTheRowsAreProtected() throws {
        let folder = TemporaryFolder()
        let path = try Self.workspace(
            folder,
            figures: """
                      - {name: Accepted, measure: count, where: {outcome: accepted}}
                      - {name: Not accepted, measure: count, where: {outcome: [waiting, declined, referred_on]}}

                """)
        let data: [(String, [String])] = [
            ("P001", ["accepted", "accepted"] + Array(repeating: "waiting", count: 6)),
            ("P003", Array(repeating: "accepted", count: 7) + Array(repeating: "declined", count: 6)),
            ("P004", Array(repeating: "accepted", count: 9) + ["declined"]),
            ("P005", Array(repeating: "accepted", count: 5) + Array(repeating: "referred_on", count: 8)),
        ]
        for (partner, outcomes) in data {
            _ = folder.write("ws/returns/2026-Q2/\(partner)-referrals.csv", text: Self.referrals(partner, outcomes: outcomes))
        }
        _ = try RunStage(
            options: RunOptions(
                workspace: path, quarter: Self.quarter, out: path + "/out", receivedOn: Int32(Self.quarter.lastDay + 20),
                now: 1_785_000_000)
        ).run()
        var claims: [Claim] = []
        var p001Hidden = 0
        var books: [String] = []
        for funder in ["F01", "F02", "F03"] {
            let file = path + "/out/2026-Q2/workbooks/\(funder).xlsx"
            guard FileManager.default.fileExists(atPath: file) else { continue }
            books.append(file)
            let sheet = try XLSXFile(path: file).sheet("Referrals received")
            #expect(sheet["D4"] == .string("Accepted") && sheet["E4"] == .string("Not accepted"))
            let read = DeclaredSheetClaims(
                sheet, table: "referrals", figures: ["Accepted", "Not accepted"], quarter: Self.quarter, label: "\(funder)!")
            p001Hidden += read.hidden.filter { $0 == "P001" }.count
            // Accepted, or one of the three others: never both, never neither.
            #expect(Set(read.kinds) == [[true, false], [false, true]])
            claims += read.claims
        }
        #expect(!books.isEmpty)
        #expect(p001Hidden >= 2, "P001's accepted (2) is hidden, and at least one of its rows or not accepted with it")
        let attacker = BruteForceAttacker(claims: claims, threshold: 5)
        let exposure = attacker.exposure(threshold: 5)
        #expect(exposure.exposed.isEmpty, "\(exposure.exposed)")
        #expect(exposure.undecided.isEmpty)
        let audit = try WorkbookDisclosureAudit.audit(paths: books)
        #expect(audit.exitCode == 0, "\(audit.exposed) \(audit.contradictions)")
    }

    /// A workbook whose figures lost their kinds of row (edited by hand) cannot be audited: the audit says
    /// so rather than pass it.
    @Test func figuresWithoutKindsFailTheAudit() throws {
        let statements = [
            FigureStatement(
                claim: .count(
                    FigureKey(quarter: Self.quarter, measure: .tableFigure("referrals", "Accepted"), partners: ["P001"]), .hidden),
                location: CellLocation(workbook: "F01.xlsx", sheet: "Referrals", row: 5, column: 3)),
            FigureStatement(
                claim: .count(FigureKey(quarter: Self.quarter, measure: .tableRows("referrals"), partners: ["P001"]), .exact(8)),
                location: CellLocation(workbook: "F01.xlsx", sheet: "Referrals", row: 5, column: 2)),
        ]
        let result = try DisclosureAudit(threshold: 5).run(statements)
        #expect(result.contradictions.contains { $0.contains("without the kinds of row") })
    }

    /// The kinds survive the store: what a workbook published is read back for the next quarter's audit.
    @Test func kindsAreKeptInTheStore() {
        let statement = FigureStatement(
            claim: .kinds(
                quarter: Self.quarter, table: "referrals", figures: ["Accepted", "Not: accepted"], kinds: [[true, false], [false, true]]),
            location: CellLocation(workbook: "F01.xlsx", sheet: "Referrals received", row: 12, column: 0))
        let encoded = Publication(workbook: "F01.xlsx", funderID: "F01", quarter: Self.quarter, threshold: 5, statements: [statement])
            .encodedStatements
        let decoded = Publication.decode(encoded, workbook: "F01.xlsx")
        #expect(decoded.statements == [statement] && decoded.unreadable == 0)
        let code = CountMeasure.tableFigure("referrals", "Not: accepted").code
        #expect(CountMeasure(code: code) == .tableFigure("referrals", "Not: accepted"))
    }
}
