import Foundation
import TableSchema
import TestSupport
import Testing
import XLSXReader

@testable import Impact

/// A return table a programme declares in impact.yaml (`referrals`, with a pattern, enums, a date and a
/// foreign key to partners) works everywhere the built-in tables do, with no code.
@Suite struct DeclaredTableTests {
    static let quarter = Quarter(year: 2026, number: 2)

    static func workspace(_ folder: TemporaryFolder) throws -> (path: String, workspace: Workspace) {
        let path = try DeclaredTableWorkspace.make(in: folder)
        return (path, try Workspace.load(folder: path, requireReferences: true))
    }

    @Test("The workspace loads the declared table after the built-in ones, with its figures")
    func loads() throws {
        let folder = TemporaryFolder()
        let (_, workspace) = try Self.workspace(folder)
        #expect(workspace.schemas.returnTables == ["support", "outcomes", "ripple", "narrative", "stories", "awards", "referrals"])
        let table = try #require(workspace.schemas.returnTable("referrals"))
        #expect(table.title == "Referrals received" && !table.required && !table.isBuiltIn)
        #expect(table.figures.map(\.measure) == [.count, .count, .distinct])
        #expect(table.figures[1].filter == ["source": ["gp", "social_work"]])
        #expect(workspace.schemas["referrals"]?.fieldIndex("referral_ref") == 2)
    }

    @Test("As in the issue's example, the schema may sit alone in the workspace's Schemas/: the built-in ones fill in")
    func schemaInSchemasFolder() throws {
        let folder = TemporaryFolder()
        let path = try DeclaredTableWorkspace.make(in: folder)
        try FileManager.default.createDirectory(atPath: path + "/Schemas", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: path + "/tables/referrals.schema.json", toPath: path + "/Schemas/referrals.schema.json")
        let settings = try String(contentsOfFile: path + "/impact.yaml", encoding: .utf8)
        try settings.replacingOccurrences(of: "schema: tables/", with: "schema: Schemas/")
            .write(toFile: path + "/impact.yaml", atomically: true, encoding: .utf8)
        let workspace = try Workspace.load(folder: path, requireReferences: true)
        #expect(workspace.schemas.returnTables == ["support", "outcomes", "ripple", "narrative", "stories", "awards", "referrals"])
        #expect(workspace.schemas["support"] != nil && workspace.schemas["partners"] != nil)
        #expect(workspace.schemas.formSchema != nil)
    }

    /// What a declaration can get wrong, each with a message that says what to fix.
    @Test(arguments: [
        ("  - name: support\n    schema: tables/referrals.schema.json\n", "already a table of every programme"),
        ("  - name: referrals\n    schema: tables/missing.schema.json\n", "cannot be read"),
        ("  - name: visits\n    schema: tables/referrals.schema.json\n", "whose name is \"referrals\""),
        (
            "  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: X, measure: mean, field: source}\n",
            "use count, sum or distinct"
        ),
        ("  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: X, measure: sum}\n", "needs a field"),
        (
            "  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: X, measure: distinct, field: person_ref}\n",
            "does not have"
        ),
        ("  - name: referrals\n    schema: tables/no-quarter.schema.json\n", "has no quarter field"),
        ("  - name: re/ferrals\n    schema: tables/referrals.schema.json\n", "letters, digits"),
        (
            "  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: A, measure: count}\n      - {name: a, measure: count}\n",
            "used twice"
        ),
        (
            "  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: Rows, measure: count}\n",
            "a column the sheet already has"
        ),
        (
            "  - name: referrals\n    schema: tables/referrals.schema.json\n    figures:\n      - {name: \" \", measure: count}\n",
            "of one line"
        ),
    ])
    func declarationErrors(entry: String, message: String) throws {
        let folder = TemporaryFolder()
        let path = try DeclaredTableWorkspace.make(in: folder)
        // The same schema without its quarter field (nor the key and rule that use it).
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/tables/referrals.schema.json"))
        var schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        schema["fields"] = (schema["fields"] as? [[String: Any]])?.filter { $0["name"] as? String != "quarter" }
        schema["primaryKey"] = ["partner_id", "referral_ref"]
        schema["rules"] = nil
        try JSONSerialization.data(withJSONObject: schema).write(to: URL(fileURLWithPath: path + "/tables/no-quarter.schema.json"))
        let settings = try String(contentsOfFile: TestPaths.repo("SampleData/impact.yaml"), encoding: .utf8)
        try (settings + "\ntables:\n" + entry).write(toFile: path + "/impact.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try Workspace.load(folder: path, requireReferences: true)
            Issue.record("the workspace loaded")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("impact validate finds a bad cell of a referrals CSV file at its row and column")
    func validate() throws {
        let folder = TemporaryFolder()
        let (_, workspace) = try Self.workspace(folder)
        let file = folder.write(
            "referrals.csv",
            text: DeclaredTableWorkspace.referrals("P001", "2026-Q2", count: 2)
                + "P001,2026-Q2,rf03,postman,accepted,2026-06-31\nP999,2026-Q2,RF0004,gp,accepted,2026-06-01\n")
        let report = ValidationStage(options: ValidationOptions(workspace: workspace, quarter: Self.quarter)).run(paths: [file])
        let findings = try #require(report.files.first).findings
        #expect(report.files.first?.kind == "referrals")
        func at(_ row: Int, _ field: String) -> Finding? { findings.first { $0.rowNumber == row && $0.fieldName == field } }
        #expect(at(4, "referral_ref")?.code == .constraintError)
        #expect(at(4, "source")?.message.contains("expected one of self, gp") == true)
        #expect(at(4, "received_on")?.code == .typeError)
        #expect(findings.contains { $0.rowNumber == 5 && $0.code == .foreignKey })
        #expect(findings.filter { $0.severity == .error }.count == 4)
    }

    @Test("A form holds the declared table as a list under its name, checked like its CSV file")
    func form() throws {
        let folder = TemporaryFolder()
        let (path, workspace) = try Self.workspace(folder)
        let original = try String(contentsOfFile: path + "/returns/2026-Q2/P002.json", encoding: .utf8)
        let form = original.replacingOccurrences(
            of: "\"support\":",
            with:
                "\"referrals\": [{\"partner_id\": \"P002\", \"quarter\": \"2026-Q2\", \"referral_ref\": \"RF0001\", \"source\": \"postman\", \"outcome\": \"accepted\", \"received_on\": \"2026-05-01\"}],\n  \"support\":"
        )
        #expect(form != original)
        let file = folder.write("P002.json", text: form)
        let report = ValidationStage(options: ValidationOptions(workspace: workspace, quarter: Self.quarter)).run(paths: [file])
        let findings = try #require(report.files.first).findings.filter { $0.severity == .error }
        #expect(findings.count == 1)
        #expect(findings.first?.fieldName == "source" && findings.first?.pointer == "/referrals/0/source")
    }

    @Test("impact run accepts a return holding it, keeps its rows, and reports them per partner")
    func run() throws {
        let folder = TemporaryFolder()
        let (path, _) = try Self.workspace(folder)
        _ = folder.write("ws/returns/2026-Q2/P001-referrals.csv", text: DeclaredTableWorkspace.referrals("P001", "2026-Q2", count: 7))
        _ = folder.write("ws/returns/2026-Q2/P003-referrals.csv", text: DeclaredTableWorkspace.referrals("P003", "2026-Q2", count: 2))
        let summary = try RunStage(
            options: RunOptions(
                workspace: path, quarter: Self.quarter, out: path + "/out", receivedOn: Int32(Self.quarter.lastDay + 20),
                now: 1_785_000_000)
        ).run()
        let p001 = try #require(summary.returns.first { $0.partnerID == "P001" })
        #expect(p001.verdict == .accepted && p001.files.contains("returns/2026-Q2/P001-referrals.csv"))

        let store = try Store(path: path + "/" + Store.defaultRelativePath)
        let accepted = try store.acceptedReturns(in: Self.quarter)
        let kept = try #require(accepted.first { $0.partnerID == "P001" }?.records(of: "referrals"))
        #expect(kept.rows.count == 7 && kept.fields.first == "partner_id")
        #expect(kept.rows[1] == ["P001", "2026-Q2", "RF0002", "gp", "waiting", "2026-05-02"])

        let report = try String(contentsOfFile: path + "/out/2026-Q2/impact-report.md", encoding: .utf8)
        #expect(report.contains("## Referrals received"))
        #expect(report.contains("| Partner | Rows | Referrals accepted | From GPs or social work | Sources |"))
        // P001: 7 rows; accepted at 0, 2, 4, 6; gp or social work at 1, 2, 5, 6; four sources.
        #expect(report.contains("(P001) | 7 | 4 | 4 | 4 |"), "\(report)")
        #expect(report.contains("(P002) | 0 | 0 | 0 | 0 |"))
        #expect(report.contains("| **All partners** | **9** | **5** | **5** | **6** |"))
        // Each partner's feedback shows its own rows and figures beside every partner's.
        let feedback = try String(contentsOfFile: path + "/out/2026-Q2/feedback/P001.md", encoding: .utf8)
        #expect(feedback.contains("### Referrals received in 2026-Q2"))
        #expect(feedback.contains("| Rows | 7 | 9 |"))
        #expect(feedback.contains("| Referrals accepted | 4 | 5 |"))

        let programme = XLSXFile(path: path + "/out/2026-Q2/workbooks/programme.xlsx")
        #expect(try programme.sheetNames().contains("Referrals received"))
        #expect(try programme.sharedStrings().contains("Referrals accepted"))
        #expect(try programme.sheet("Referrals received")["C5"] == .number(7))  // P001's rows
        #expect(try programme.sheet("Referrals received")["C7"] == .number(2))  // P003's rows

        // A funder sees each partner's rows and the two count figures (not the distinct count), small ones
        // hidden, the kinds of row beneath, and every workbook passes the audit.
        var books: [String] = []
        for funder in ["F01", "F02", "F03"] {
            let file = path + "/out/2026-Q2/workbooks/\(funder).xlsx"
            guard FileManager.default.fileExists(atPath: file) else { continue }
            books.append(file)
            let book = XLSXFile(path: file)
            #expect(try book.sheetNames().contains("Referrals received"))
            #expect(try !book.sharedStrings().contains("Sources"), "a distinct count stays internal")
            let sheet = try book.sheet("Referrals received")
            #expect(sheet["C4"] == .string("Rows") && sheet["D4"] == .string("Referrals accepted"))
            #expect(sheet["E4"] == .string("From GPs or social work") && sheet["F4"] == nil)
            var row = 5
            while case .string(let id)? = sheet["A\(row)"] {
                for column in ["C", "D", "E"] {
                    if case .number(let n)? = sheet["\(column)\(row)"] {
                        #expect(!(1...4).contains(n), "\(funder) shows a small count at \(column)\(row): \(n)")
                    }
                }
                if id == "Total" { break }
                row += 1
            }
            // The kinds: accepted or not, from GPs or social work or not (both fields are required enums).
            #expect(sheet["A\(row + 3)"] == .string("Kind"))
            let kinds = (1...4).map { k in [sheet["B\(row + 3 + k)"], sheet["C\(row + 3 + k)"]] }
            #expect(Set(kinds.map { $0.map { $0 == .string("Yes") } }) == [[false, false], [false, true], [true, false], [true, true]])
        }
        #expect(books.count >= 2)
        let audit = try WorkbookDisclosureAudit.audit(paths: books)
        #expect(audit.exitCode == 0, "\(audit.exposed)")
        #expect(audit.checked > 0)
    }

    /// The funder workbooks' referrals sheets (rows, the two count figures and the kinds of row), read from the
    /// files by this test (not by the audit's reader), attacked by the independent ``BruteForceAttacker``: no
    /// hidden count of rows or figure is narrowed. Partners are
    /// co-funded (P005: F01 and F03; P008: F02 and F03) and two have small counts.
    @Test("A brute-force attacker holding every funder workbook learns nothing about a hidden count of rows or a figure")
    func bruteForce() throws {
        let folder = TemporaryFolder()
        let (path, _) = try Self.workspace(folder)
        for (partner, count) in [("P001", 7), ("P003", 2), ("P005", 3), ("P008", 6), ("P004", 9)] {
            _ = folder.write(
                "ws/returns/2026-Q2/\(partner)-referrals.csv", text: DeclaredTableWorkspace.referrals(partner, "2026-Q2", count: count))
        }
        _ = try RunStage(
            options: RunOptions(
                workspace: path, quarter: Self.quarter, out: path + "/out", receivedOn: Int32(Self.quarter.lastDay + 20),
                now: 1_785_000_000)
        ).run()
        var claims: [Claim] = []
        var hiddenCells = 0
        for funder in ["F01", "F02", "F03"] {
            // Rows in C, the two count figures in D and E, each partner's and their total; the kinds beneath.
            let read = DeclaredSheetClaims(
                try XLSXFile(path: path + "/out/2026-Q2/workbooks/\(funder).xlsx").sheet("Referrals received"), table: "referrals",
                figures: ["Referrals accepted", "From GPs or social work"], quarter: Self.quarter, label: "\(funder)!")
            #expect(read.kinds.count == 4)
            hiddenCells += read.hidden.count
            claims += read.claims
        }
        #expect(hiddenCells >= 3, "P003's and P005's rows are hidden, and what protects them")
        let attacker = BruteForceAttacker(claims: claims, threshold: 5)
        #expect(attacker.exposed(threshold: 5).isEmpty, "\(attacker.exposed(threshold: 5))")
    }

    @Test("A title Excel cannot use as a sheet name, or one a sheet already has, gives way to the table's name")
    func sheetNames() throws {
        let folder = TemporaryFolder()
        let (path, _) = try Self.workspace(folder)
        let settings = try String(contentsOfFile: path + "/impact.yaml", encoding: .utf8)
        try settings.replacingOccurrences(of: "    title: Referrals received\n", with: "    title: Summary\n")
            .write(toFile: path + "/impact.yaml", atomically: true, encoding: .utf8)
        _ = folder.write("ws/returns/2026-Q2/P001-referrals.csv", text: DeclaredTableWorkspace.referrals("P001", "2026-Q2", count: 6))
        _ = try RunStage(
            options: RunOptions(
                workspace: path, quarter: Self.quarter, out: path + "/out", receivedOn: Int32(Self.quarter.lastDay + 20),
                now: 1_785_000_000)
        ).run()
        let names = try XLSXFile(path: path + "/out/2026-Q2/workbooks/programme.xlsx").sheetNames()
        #expect(names.filter { $0 == "Summary" }.count == 1)
        #expect(names.contains("referrals"))
    }

    @Test("A return without a declared required table is rejected, saying what to send")
    func required() throws {
        let folder = TemporaryFolder()
        let (path, _) = try Self.workspace(folder)
        let settings = try String(contentsOfFile: path + "/impact.yaml", encoding: .utf8)
        try settings.replacingOccurrences(
            of: "    title: Referrals received\n", with: "    title: Referrals received\n    required: true\n"
        )
        .write(toFile: path + "/impact.yaml", atomically: true, encoding: .utf8)
        _ = folder.write("ws/returns/2026-Q2/P001-referrals.csv", text: DeclaredTableWorkspace.referrals("P001", "2026-Q2", count: 1))
        let summary = try RunStage(
            options: RunOptions(
                workspace: path, quarter: Self.quarter, out: path + "/out", receivedOn: Int32(Self.quarter.lastDay + 20),
                now: 1_785_000_000)
        ).run()
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .accepted)
        #expect(summary.returns.first { $0.partnerID == "P003" }?.verdict == .rejected)
        let feedback = try String(contentsOfFile: path + "/out/2026-Q2/feedback/P003.md", encoding: .utf8)
        #expect(feedback.contains("has no referrals table"))
    }

    @Test("impact template has a referrals sheet with its dropdowns, and the field guide describes it")
    func template() throws {
        let folder = TemporaryFolder()
        let (_, workspace) = try Self.workspace(folder)
        let file = folder.path + "/template.xlsx"
        try TemplateBuilder.forWorkspace(workspace, options: TemplateOptions(created: Date(timeIntervalSince1970: 1_785_000_000)))
            .write(to: file)
        let reader = try WorkbookReader(path: file)
        #expect(
            reader.sheets.map(\.name) == [
                "Instructions", "support", "outcomes", "ripple", "narrative", "stories", "awards", "referrals", "lists",
            ])
        let xml = try XLSXPackage(path: file).xml("xl/worksheets/sheet8.xml")
        let validations = xml.components(separatedBy: "<dataValidation ").dropFirst()
        let source = try #require(validations.first { $0.contains("sqref=\"D2:D") })
        #expect(source.contains("type=\"list\""))
        let outcome = try #require(validations.first { $0.contains("sqref=\"E2:E") })
        #expect(outcome.contains("type=\"list\""))
        #expect(validations.contains { $0.contains("sqref=\"F2:F") && $0.contains("type=\"date\"") })
        let strings = try XLSXFile(path: file).sharedStrings()
        #expect(strings.contains("Referrals received") || strings.contains { $0.contains("Referrals received") })
        #expect(strings.contains { $0.contains("two letters and four digits") })
        // A filled-in template's referrals sheet is checked as the CSV file would be.
        let report = ValidationStage(options: ValidationOptions(workspace: workspace)).run(paths: [file])
        #expect(report.files.first?.findings.filter { $0.severity == .error }.isEmpty == true)
    }
}
