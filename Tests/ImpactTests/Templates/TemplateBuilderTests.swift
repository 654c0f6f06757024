import Foundation
import TableSchema
import TestSupport
import Testing
import XLSXReader

@testable import Impact

@Suite("Excel templates")
struct TemplateBuilderTests {
    static let created = Date(timeIntervalSince1970: 1_782_898_200)

    func template(
        partner: String? = "P001", quarter: String? = "2026-Q3", rows: Int = 100, in folder: TemporaryFolder
    ) throws
        -> String
    {
        let path = (folder.path as NSString).appendingPathComponent("template.xlsx")
        try TemplateBuilder.forWorkspace(
            TestPaths.repo("SampleData"),
            options: TemplateOptions(partnerID: partner, quarter: quarter.flatMap(Quarter.init), rows: rows, created: Self.created)
        ).write(to: path)
        return path
    }

    @Test("sheets, header rows, the hidden lists and the template mark")
    func structure() throws {
        let folder = TemporaryFolder()
        let reader = try WorkbookReader(path: try template(in: folder))
        #expect(reader.sheets.map(\.name) == ["Instructions", "support", "outcomes", "ripple", "narrative", "stories", "awards", "lists"])
        #expect(reader.sheets.map(\.visibility) == [.visible, .visible, .visible, .visible, .visible, .visible, .visible, .hidden])
        #expect(reader.definedNames[TemplateMarks.definedName] == "lists!$A$1")
        let schemas = try SchemaSet.embedded()
        for sheet in reader.sheets where SchemaSet.builtInReturnTables.contains(sheet.name) {
            var rows: [SheetRow] = []
            try reader.readRows(of: sheet) { row in
                rows.append(row)
                return true
            }
            #expect(rows.first?.cells.map(\.content) == schemas[sheet.name]!.fields.map { .text($0.name) })
            // Every prepared row has the partner and the quarter, and nothing else; the narrative has one row.
            #expect(rows.count == (sheet.name == "narrative" ? 2 : 101))
            #expect(rows.dropFirst().allSatisfy { $0.cells.map(\.content) == [.text("P001"), .text("2026-Q3")] })
        }
        var lists: [SheetRow] = []
        try reader.readRows(of: reader.sheets[7]) { row in
            lists.append(row)
            return true
        }
        let titles = lists.first?.cells.map(\.content) ?? []
        #expect(titles.contains(.text("support.support_type")))
        #expect(titles.contains(.text("outcome_id")))
        let goals = try String(contentsOfFile: TestPaths.repo("SampleData/reference/outcomes.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.prefix(4)) }
        let goalColumn = try #require(titles.firstIndex(of: .text("outcome_id")))
        let listed = lists.dropFirst().compactMap { row in row.cells.first { $0.column == goalColumn }?.content }
        #expect(listed == goals.map { .text($0) })
    }

    @Test("Excel's checks on the support sheet, made from its schema")
    func supportValidations() throws {
        let folder = TemporaryFolder()
        let xml = try XLSXPackage(path: try template(in: folder)).xml("xl/worksheets/sheet2.xml")
        let validations = xml.components(separatedBy: "<dataValidation ").dropFirst().map { String($0) }
        #expect(validations.count == 15)
        func on(_ column: String) -> String { validations.first { $0.contains("sqref=\"\(column)2:\(column)101\"") } ?? "" }
        #expect(on("A").contains("type=\"list\"") && on("A").contains("<formula1>\"P001\"</formula1>"))
        #expect(on("D").contains("<formula1>lists!$A$2:$A$9</formula1>"))
        #expect(on("F").contains("type=\"date\"") && on("F").contains("<formula1>36526</formula1>"))  // 2000-01-01
        #expect(on("I").contains("type=\"whole\"") && on("I").contains("<formula1>0</formula1><formula2>400</formula2>"))
        #expect(on("K").contains("type=\"decimal\"") && on("K").contains("<formula2>100000</formula2>"))
        #expect(on("I").contains("error=\"A whole number from 0 to 400.\""))
        #expect(xml.contains("<sheetProtection sheet=\"1\""))
        #expect(xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        // Required cells typed by the partner are highlighted when blank in a row in use; filled-in ones are not.
        #expect(xml.contains("<formula>AND(COUNTA($C2:$O2)&gt;0,LEN(C2)=0)</formula>"))
        #expect(!xml.contains("LEN(A2)=0"))
        #expect(!xml.contains("LEN(G2)=0"))  // end_date is optional
    }

    @Test("outcomes and ripple: foreign keys as dropdowns, lengths, Yes/No")
    func otherValidations() throws {
        let folder = TemporaryFolder()
        let package = XLSXPackage(path: try template(partner: nil, quarter: nil, in: folder))
        let outcomes = try package.xml("xl/worksheets/sheet3.xml")
        #expect(outcomes.contains("<formula1>lists!$A$2:$A$"))  // partner IDs from reference/partners.csv
        #expect(outcomes.contains("<formula1>support!$C$2:$C$101</formula1>"))  // person_ref from the support sheet
        #expect(outcomes.contains("errorStyle=\"warning\""))
        let ripple = try package.xml("xl/worksheets/sheet4.xml")
        #expect(ripple.contains("type=\"textLength\""))
        #expect(ripple.contains("<formula1>3</formula1><formula2>2000</formula2>"))
        #expect(ripple.contains("<formula1>\"Yes,No\"</formula1>"))
        let comments = try package.xml("xl/comments1.xml")
        #expect(comments.contains("Your organisation"))
    }

    @Test("data cells are unlocked, filled-in and header cells locked")
    func locking() throws {
        let folder = TemporaryFolder()
        let styles = try XLSXPackage(path: try template(in: folder)).xml("xl/styles.xml")
        #expect(styles.contains("<protection locked=\"0\"/>"))
    }

    @Test("one template per partner expected in the quarter, each with its own ID filled in")
    func eachPartner() throws {
        let folder = TemporaryFolder()
        let quarter = Quarter("2026-Q3")!
        let written = try TemplateBuilder.writeForEachPartner(
            workspace: Workspace.load(folder: TestPaths.repo("SampleData"), requireReferences: true),
            options: TemplateOptions(quarter: quarter, rows: 5, created: Self.created),
            folder: folder.path + "/templates")
        let reference = try Workspace.load(folder: TestPaths.repo("SampleData"), requireReferences: true).reference
        let expected = reference.partners.filter { $0.isExpected(in: quarter) }.map(\.id)
        #expect(!expected.isEmpty && expected.count < reference.partners.count + 1)
        #expect(written.map { ($0 as NSString).lastPathComponent } == expected.map { "\($0)-2026-Q3.xlsx" })
        for (path, id) in zip(written, expected) {
            let reader = try WorkbookReader(path: path)
            var second: SheetRow?
            try reader.readRows(of: reader.sheets[1]) { row in
                if row.rowNumber == 2 { second = row }
                return row.rowNumber < 2
            }
            #expect(second?.cells.first?.content == .text(id))
        }
    }

    @Test("the same inputs give the same bytes")
    func reproducible() throws {
        let first = TemporaryFolder()
        let second = TemporaryFolder()
        let a = try Data(contentsOf: URL(fileURLWithPath: try template(in: first)))
        let b = try Data(contentsOf: URL(fileURLWithPath: try template(in: second)))
        #expect(a == b)
    }

    @Test("a partner not in the reference table, and rows out of range, are refused before anything is written")
    func refusals() throws {
        let folder = TemporaryFolder()
        #expect(throws: ImpactError.self) { try template(partner: "P999", in: folder) }
        #expect(throws: ImpactError.self) { try template(rows: 0, in: folder) }
        #expect(filesIn(folder.path).isEmpty)
    }

    @Test(
        "what each field asks for, in plain words",
        arguments: [
            ("support", "sessions_offered", "A whole number from 0 to 400."),
            ("support", "start_date", "A date on or after 01/01/2000, as day/month/year."),
            ("support", "discretionary_spend", "A number from 0 to 100000."),
            ("support", "support_status", "Choose one of: active, paused, ended."),
            ("outcomes", "outcome_id", "Choose an outcome goal ID from the list (the goals are listed on the Instructions sheet)."),
            ("outcomes", "person_ref", "Choose a person_ref already on the support sheet."),
            ("ripple", "note", "Text of 3 to 2000 characters."),
            ("ripple", "consent_to_quote", "Choose Yes or No."),
            ("ripple", "note_id", "Text of at most 20 characters."),
        ])
    func summaries(table: String, field: String, summary: String) throws {
        let schemas = try SchemaSet.embedded()
        let reference = try Workspace.load(folder: TestPaths.repo("SampleData"), requireReferences: true).reference
        let rules = TemplateRules(schemas: schemas, reference: reference, partner: nil, quarter: nil, rows: 100)
        var lists = TemplateLists()
        let schema = try #require(schemas[table])
        let rule = try #require(rules.rules(for: schema, lists: &lists).first { $0.field == field })
        #expect(rule.summary == summary)
    }

    private func filesIn(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}
