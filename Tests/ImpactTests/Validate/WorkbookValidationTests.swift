import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Workbooks made part by part, as other programs write them, checked through ``ValidationStage``.
@Suite("Validating workbooks")
struct WorkbookValidationTests {
    /// A cell to write: text, a number, or a number in a date format.
    enum Cell {
        case text(String)
        case number(Double)
        case date(Double)
        case raw(String)
    }

    static let supportHeader = [
        "partner_id", "quarter", "person_ref", "support_type", "support_status", "start_date", "end_date", "ending_type",
        "sessions_offered", "sessions_attended", "discretionary_spend", "panel_approval_ref",
    ].map(Cell.text)

    /// A valid support row; the start date is a serial in the given date system (2026-04-01).
    static func supportRow(_ ref: String, start: Double = 46_113) -> [Cell] {
        [
            .text("P003"), .text("2026-Q2"), .text(ref), .text("counselling"), .text("active"), .date(start), .text(""), .text(""),
            .number(6), .number(5),
        ]
    }

    /// A sheet's XML from rows of cells, numbered from `firstRow` (or by the row numbers given).
    static func sheet(_ rows: [(Int, [Cell])]) -> String {
        var xml = ""
        for (number, cells) in rows {
            xml += "<row r=\"\(number)\">"
            for (index, cell) in cells.enumerated() {
                let reference = Finding.columnLetters(index + 1) + String(number)
                switch cell {
                case .text(let text) where text.isEmpty: continue
                case .text(let text): xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
                case .number(let value): xml += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                case .date(let value): xml += "<c r=\"\(reference)\" s=\"1\"><v>\(value)</v></c>"
                case .raw(let inner): xml += "<c r=\"\(reference)\"\(inner)</c>"
                }
            }
            xml += "</row>"
        }
        return PackageBuilder.sheet(xml)
    }

    static let styles = "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"

    /// Writes a workbook of named sheets and validates it.
    func validate(
        _ sheets: [(String, [(Int, [Cell])])], date1904: Bool = false, hidden: Set<String> = [], quarter: String = "2026-Q2"
    ) throws -> FileReport {
        let folder = TemporaryFolder()
        var parts = PackageBuilder.parts(
            sheets: sheets.map { ($0.0, Self.sheet($0.1)) }, styles: Self.styles,
            workbookProperties: date1904 ? "<workbookPr date1904=\"1\"/>" : "")
        for name in hidden {
            parts["xl/workbook.xml"] = parts["xl/workbook.xml"]!.replacingOccurrences(
                of: "<sheet name=\"\(name)\"", with: "<sheet state=\"hidden\" name=\"\(name)\"")
        }
        let path = try PackageBuilder.write(parts, in: folder, name: "return.xlsx")
        return try report(InputFile(path: path)!, quarter: quarter)
    }

    func report(_ input: InputFile, quarter: String = "2026-Q2") throws -> FileReport {
        var options = ValidationOptions(
            workspace: try Workspace.load(folder: nil, reference: TestPaths.repo("SampleData/reference")), quarter: Quarter(quarter))
        options.keepRows = true
        return try #require(ValidationStage(options: options).run(files: [input]).first)
    }

    // MARK: - Sheets

    @Test("a sheet named anything is read by its header; findings name it, quoted when Excel would")
    func sheetByHeader() throws {
        let report = try validate([
            ("my sheet", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0001")), (3, Self.supportRow("AB12-0002") + [.text("x")])])
        ])
        #expect(report.kind == "workbook")
        #expect(report.rows == 2)
        #expect(report.sheets == ["support": "my sheet"])
        let finding = try #require(report.findings.first)
        #expect(finding.code == .typeError)
        #expect(finding.cellReference == "'my sheet'!K3")
        #expect(finding.message.hasPrefix("'my sheet'!K3 (discretionary_spend): "))
    }

    @Test("dates read the same under the 1900 and the 1904 date systems")
    func dateSystems() throws {
        let from1900 = try validate([("support", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0001"))])])
        let from1904 = try validate(
            [("support", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0001", start: 46_113 - 1_462))])], date1904: true)
        #expect(from1900.findings.isEmpty)
        #expect(from1904.findings.isEmpty)
        let start = try #require(from1900.tables.first).value("start_date", in: try #require(from1900.tables.first?.rows.first))
        #expect(start == .date(Int32(20_544)))  // 2026-04-01
        #expect(from1904.tables.first?.rows == from1900.tables.first?.rows)
    }

    @Test("a date typed into a General cell of a date column is still a date, never 46113")
    func serialInDateColumn() throws {
        var row = Self.supportRow("AB12-0001")
        row[5] = .number(46_113)
        let report = try validate([("support", [(1, Self.supportHeader), (2, row)])])
        #expect(report.findings.isEmpty)
        #expect(report.tables.first?.rows.first?.values[5] == .date(20_544))
    }

    @Test("an Excel error and a formula without a saved result are reported once, at their cells")
    func errorsAndFormulas() throws {
        var row = Self.supportRow("AB12-0001")
        row[8] = .raw(" t=\"e\"><f>1/0</f><v>#DIV/0!</v>")
        row[9] = .raw("><f>I2-1</f>")
        let report = try validate([("support", [(1, Self.supportHeader), (2, row)])])
        #expect(report.findings.map { $0.cellReference ?? "" } == ["support!I2", "support!J2"])
        #expect(report.findings[0].message.contains("the Excel error #DIV/0!"))
        #expect(report.findings[1].message.contains("formula =I2-1 but no result was saved"))
    }

    @Test("rows the workbook leaves out are empty rows, reported where a CSV file's would be")
    func gaps() throws {
        let report = try validate([
            ("support", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0001")), (5, Self.supportRow("AB12-0002"))])
        ])
        #expect(report.findings.map(\.code) == [.blankRow, .blankRow])
        #expect(report.findings.map { $0.rowNumber ?? 0 } == [3, 4])
        #expect(report.findings[0].message == "support row 3 is empty. Delete the empty row (it was skipped).")
    }

    @Test("hidden sheets are skipped, other sheets noted, and a table on two sheets is an error")
    func sheetChoices() throws {
        let report = try validate(
            [
                ("Notes", [(1, [.text("anything")])]),
                ("support", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0001"))]),
                ("old", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0009"))]),
                ("support copy", [(1, Self.supportHeader), (2, Self.supportRow("AB12-0003"))]),
            ], hidden: ["old"])
        #expect(report.notes.contains { $0.contains("Sheet \"Notes\" was not read") })
        #expect(report.rows == 1)
        #expect(report.findings.map(\.code) == [.sourceError])
        #expect(report.findings.first?.message.contains("which sheet \"support\" already holds") == true)
    }

    @Test("a workbook with no table sheet")
    func noTables() throws {
        let report = try validate([("Sheet1", [(1, [.text("hello")])])])
        #expect(!report.valid)
        #expect(report.findings.first?.message.contains("no sheet of this workbook holds a return table") == true)
    }

    @Test(
        "files named .xlsx or .xls that are not workbooks are unreadable, with what to do",
        arguments: [
            ([UInt8]("partner_id,quarter\n".utf8), "not a zip package"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100), "Excel 97-2003 (.xls)"),
        ])
    func notWorkbooks(bytes: [UInt8], says: String) throws {
        let folder = TemporaryFolder()
        for name in ["return.xlsx", "return.xls"] {
            let report = try report(InputFile(path: folder.write(name, bytes: bytes))!)
            #expect(report.unreadable)
            #expect(report.findings.first?.message.contains(says) == true)
            let memory = try self.report(InputFile(name: name, contents: bytes))
            #expect(memory.findings.first?.message.contains(says) == true)
        }
    }

    @Test("a workbook sent as bytes (the portal) reads as the same file on disk")
    func inMemory() throws {
        let folder = TemporaryFolder()
        let parts = PackageBuilder.parts(
            sheets: [("support", Self.sheet([(1, Self.supportHeader), (2, Self.supportRow("AB12-0001"))]))], styles: Self.styles)
        let path = try PackageBuilder.write(parts, in: folder, name: "r.xlsx")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromDisk = try report(InputFile(path: path)!)
        let fromMemory = try report(InputFile(name: "r.xlsx", contents: bytes))
        #expect(fromMemory.rows == 1)
        #expect(fromMemory.tables.first?.rows == fromDisk.tables.first?.rows)
    }

    @Test("JSON findings carry the sheet and the cell reference")
    func json() throws {
        var row = Self.supportRow("AB12-0001")
        row[8] = .text("six")
        let report = try validate([("support", [(1, Self.supportHeader), (2, row)])])
        let text = FindingsFormatter.json(ValidationReport(files: [report]))
        #expect(text.contains("\"sheet\": \"support\", \"cellReference\": \"support!I2\""))
    }

    @Test("an empty template is valid, its pre-filled rows unused")
    func emptyTemplate() throws {
        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("t.xlsx")
        try TemplateBuilder.forWorkspace(
            TestPaths.repo("SampleData"),
            options: TemplateOptions(partnerID: "P003", quarter: Quarter("2026-Q2"), rows: 50, created: Date(timeIntervalSince1970: 0))
        ).write(to: path)
        let report = try report(InputFile(path: path)!)
        #expect(report.rows == 0)
        #expect(report.findings.isEmpty)
        #expect(report.notes.isEmpty)
        #expect(Set(report.sheets.keys) == ["support", "outcomes", "ripple", "narrative", "stories", "awards"])
    }
}
