import Foundation
import TestSupport
import Testing
import XLSX

@testable import XLSXReader

@Suite("Reading tables")
struct TableReadingTests {
    private static let tableType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"

    /// A table part; `columns` are written as given, so they may hold XML entities.
    private static func tableXML(
        name: String = "Partners", ref: String = "A5:C9", attributes: String = "",
        columns: [String] = ["Partner ID", "Spend", "People"], namespace: String = PackageBuilder.mainNamespace
    ) -> String {
        let columnList = columns.enumerated().map { "<tableColumn id=\"\($0.offset + 1)\" name=\"\($0.element)\"/>" }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <table xmlns="\(namespace)" id="1" name="\(name)" displayName="\(name)" ref="\(ref)"\(attributes)>\
            <autoFilter ref="\(ref)"/><tableColumns count="\(columns.count)">\(columnList)</tableColumns>\
            <tableStyleInfo name="TableStyleMedium9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>\
            </table>
            """
    }

    /// A package with two sheets, "R&D" and "Empty"; "R&D" has the relationships `relationships` (the XML of
    /// `<Relationship>` elements; none gives it no `.rels` part at all) and the extra parts `parts`.
    private static func package(
        relationships: String?, parts extra: [String: String] = [:], in folder: TemporaryFolder
    ) throws -> String {
        let sheet = """
            <?xml version="1.0"?><worksheet xmlns="\(PackageBuilder.mainNamespace)" xmlns:r="\(PackageBuilder.relationshipNamespace)">\
            <sheetData><row r="5"><c r="A5" t="inlineStr"><is><t>Partner ID</t></is></c></row></sheetData>\
            <tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>
            """
        var parts = PackageBuilder.parts(sheets: [("R&amp;D", sheet), ("Empty", PackageBuilder.sheet(""))])
        if let relationships {
            parts["xl/worksheets/_rels/sheet1.xml.rels"] =
                "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relationships)</Relationships>"
        }
        parts.merge(extra) { $1 }
        return try PackageBuilder.write(parts, in: folder)
    }

    private static func tableRelationship(_ id: String, _ target: String, external: Bool = false) -> String {
        "<Relationship Id=\"\(id)\" Type=\"\(tableType)\" Target=\"\(target)\"\(external ? " TargetMode=\"External\"" : "")/>"
    }

    private static func tablesError(_ path: String, limits: WorkbookReadLimits = WorkbookReadLimits()) -> WorkbookReadError? {
        do {
            let reader = try WorkbookReader(path: path, limits: limits)
            let tables = try reader.tables(of: reader.sheets[0])
            Issue.record("expected an error, read \(tables)")
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Written by libxlsxwriter

    @Test("tables written with the XLSX module read back: names, ranges, header and total rows, columns")
    func writtenTables() throws {
        let folder = TemporaryFolder()
        let path = (folder.path as NSString).appendingPathComponent("tables.xlsx")
        let book = try Workbook(path: path, options: WorkbookOptions(created: Date(timeIntervalSince1970: 0)))
        let notes = try book.addWorksheet(name: "Notes")
        try notes.write(string: "no tables here", row: 0, column: 0)
        let sheet = try book.addWorksheet(name: "Returns & partners")
        try sheet.write(string: "Partners this quarter", row: 0, column: 0)
        let partners: [(String, Double, Double)] = [("P-001", 1200, 12), ("P-002", 350.5, 7), ("P-003", 0, 30)]
        for (offset, partner) in partners.enumerated() {
            try sheet.write(string: partner.0, row: 5 + offset, column: 0)
            try sheet.write(number: partner.1, row: 5 + offset, column: 1)
            try sheet.write(number: partner.2, row: 5 + offset, column: 2)
        }
        try sheet.addTable(
            CellRange(firstRow: 4, firstColumn: 0, lastRow: 8, lastColumn: 2),
            options: TableOptions(
                name: "Partners",
                columns: [
                    TableColumn(header: "Partner ID", total: .label("Total")),
                    TableColumn(header: "R&D spend (£)", total: .function(.sum)),
                    TableColumn(header: "People  helped", total: .function(.sum)),
                ],
                totalRow: true))
        try sheet.write(string: "North & East", row: 11, column: 4)
        try sheet.write(number: 4, row: 11, column: 5)
        try sheet.addTable(
            CellRange(firstRow: 10, firstColumn: 4, lastRow: 11, lastColumn: 5),
            options: TableOptions(columns: [TableColumn(header: "Area & region"), TableColumn(header: "Sites <open>")]))
        try book.close()

        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Notes", "Returns & partners"])
        #expect(try reader.tables(of: reader.sheets[0]) == [])
        let tables = try reader.tables(of: reader.sheets[1])
        #expect(
            tables == [
                WorkbookTable(
                    name: "Partners", displayName: "Partners", sheet: "Returns & partners", firstRow: 5, firstColumn: 0, lastRow: 9,
                    lastColumn: 2, headerRowCount: 1, totalsRowCount: 1, columns: ["Partner ID", "R&D spend (£)", "People  helped"]),
                WorkbookTable(
                    name: "Table2", displayName: "Table2", sheet: "Returns & partners", firstRow: 11, firstColumn: 4, lastRow: 12,
                    lastColumn: 5, headerRowCount: 1, totalsRowCount: 0, columns: ["Area & region", "Sites <open>"]),
            ])
        // The range locates the header row among the cells read.
        let headerRow = try #require(try PackageBuilder.readAll(path)["Returns & partners"]?.first { $0.rowNumber == tables[0].firstRow })
        #expect(
            headerRow.cells.filter { (tables[0].firstColumn...tables[0].lastColumn).contains($0.column) }.map(\.content)
                == tables[0].columns.map { .text($0) })
    }

    // MARK: - Hand-made and hand-edited packages

    @Test("a table moved and renamed by hand is found wherever its relationships say, in their order")
    func handEditedTables() throws {
        let folder = TemporaryFolder()
        let relationships = [
            "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"../comments1.xml\"/>",
            Self.tableRelationship("rId7", "../tables/table7.xml"),
            Self.tableRelationship("rId1", "/xl/tables/table1.xml"),
            Self.tableRelationship("rId2", "http://example.com/tables/table3.xml", external: true),
            Self.tableRelationship("rId3", "../tables/../tables/table7.xml"),
        ].joined()
        let strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        let parts = [
            "xl/tables/table7.xml": Self.tableXML(
                name: "Moved", ref: "$K$20:$H$12", attributes: " headerRowCount=\"0\" totalsRowShown=\"1\"",
                columns: [
                    "R&amp;D", "A &#38; B &#x26; C &amp;#38; &lt;D&gt; &quot;E&quot;", "Line_x000a_break", "Tab&#9;and _x005F_x0041_",
                    "Smile _xD83D__xDE00_",
                ], namespace: strict),
            "xl/tables/table1.xml": """
            <?xml version="1.0"?><x:table xmlns:x="\(PackageBuilder.mainNamespace)" id="1" name="Partners" \
            displayName="Partners_2026" ref="A5:C9" totalsRowCount="1" totalsRowShown="0">\
            <x:tableColumns count="2"><x:tableColumn id="1" name="Partner ID"/><x:tableColumn id="2" name="Spend"/></x:tableColumns>\
            <x:extLst><x:ext uri="{x}"><x:tableColumn name="not a column"/></x:ext></x:extLst></x:table>
            """,
        ]
        let path = try Self.package(relationships: relationships, parts: parts, in: folder)
        let reader = try WorkbookReader(path: path)
        let tables = try reader.tables(of: reader.sheets[0])
        #expect(
            tables == [
                WorkbookTable(
                    name: "Moved", displayName: "Moved", sheet: "R&D", firstRow: 12, firstColumn: 7, lastRow: 20, lastColumn: 10,
                    headerRowCount: 0, totalsRowCount: 0,
                    columns: ["R&D", "A & B & C &#38; <D> \"E\"", "Line\nbreak", "Tab\tand _x0041_", "Smile 😀"]),
                WorkbookTable(
                    name: "Partners", displayName: "Partners_2026", sheet: "R&D", firstRow: 5, firstColumn: 0, lastRow: 9,
                    lastColumn: 2, headerRowCount: 1, totalsRowCount: 1, columns: ["Partner ID", "Spend"]),
            ])
    }

    @Test("sheets without tables: no relationships, or none to a table")
    func noTables() throws {
        let folder = TemporaryFolder()
        let reader = try WorkbookReader(path: try Self.package(relationships: nil, in: folder))
        #expect(try reader.tables(of: reader.sheets[0]) == [])
        #expect(try reader.tables(of: reader.sheets[1]) == [])
        let other =
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing\" Target=\"../drawings/drawing1.xml\"/>"
        let otherFolder = TemporaryFolder()
        let withOther = try WorkbookReader(path: try Self.package(relationships: other, in: otherFolder))
        #expect(try withOther.tables(of: withOther.sheets[0]) == [])
    }

    @Test("a table relationship to outside the package is left out")
    func externalTable() throws {
        let folder = TemporaryFolder()
        let relationships =
            Self.tableRelationship("rId1", "file:///etc/passwd", external: true)
            + Self.tableRelationship("rId2", "../tables/table1.xml", external: true)
        let path = try Self.package(relationships: relationships, parts: ["xl/tables/table1.xml": Self.tableXML()], in: folder)
        let reader = try WorkbookReader(path: path)
        #expect(try reader.tables(of: reader.sheets[0]) == [])
    }

    @Test("a missing table part")
    func missingTablePart() throws {
        let folder = TemporaryFolder()
        let relationships = Self.tableRelationship("rId1", "../tables/table1.xml") + Self.tableRelationship("rId2", "../tables/table2.xml")
        let path = try Self.package(relationships: relationships, parts: ["xl/tables/table1.xml": Self.tableXML()], in: folder)
        #expect(Self.tablesError(path) == .missingPart("xl/tables/table2.xml"))
    }

    @Test("a sheet whose cells part is unknown")
    func unknownSheetPart() throws {
        let folder = TemporaryFolder()
        var parts = PackageBuilder.parts(sheets: [("Data", PackageBuilder.sheet(""))])
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"]!.replacingOccurrences(of: "r:id=\"rId1\"", with: "r:id=\"rId404\"")
        let reader = try WorkbookReader(path: try PackageBuilder.write(parts, in: folder))
        #expect(throws: WorkbookReadError.missingPart("the cells of sheet \"Data\"")) { try reader.tables(of: reader.sheets[0]) }
    }

    @Test(
        "a table range that is not a range of cells",
        arguments: ["", "A5:", ":C9", "A:C", "5:9", "A0:C9", "A5:XFE9", "A5:C9:D10", "Partners", "A5 C9", "R5C1:R9C3"])
    func badRange(ref: String) throws {
        let folder = TemporaryFolder()
        let path = try Self.package(
            relationships: Self.tableRelationship("rId1", "../tables/table1.xml"),
            parts: ["xl/tables/table1.xml": Self.tableXML(ref: ref)], in: folder)
        #expect(
            Self.tablesError(path)
                == .malformedPart(
                    part: "xl/tables/table1.xml", reason: "the range \"\(ref)\" of table \"Partners\" is not a range of cells"))
    }

    @Test(
        "other broken table parts",
        arguments: [
            (
                "<?xml version=\"1.0\"?><worksheet xmlns=\"\(PackageBuilder.mainNamespace)\"/>",
                "it is not a table part (its root element is <worksheet>)"
            ),
            ("<?xml version=\"1.0\"?><table id=\"1\" ref=\"A1:B2\"/>", "the table has no name"),
            ("<?xml version=\"1.0\"?><table id=\"1\" displayName=\"T\"/>", "the table \"T\" has no range (ref)"),
            (tableXML(attributes: " headerRowCount=\"-1\""), "the headerRowCount \"-1\" of table \"Partners\" is not a count of rows"),
            (tableXML(attributes: " totalsRowCount=\"one\""), "the totalsRowCount \"one\" of table \"Partners\" is not a count of rows"),
        ])
    func brokenTablePart(xml: String, reason: String) throws {
        let folder = TemporaryFolder()
        let path = try Self.package(
            relationships: Self.tableRelationship("rId1", "../tables/table1.xml"), parts: ["xl/tables/table1.xml": xml], in: folder)
        #expect(Self.tablesError(path) == .malformedPart(part: "xl/tables/table1.xml", reason: reason))
    }

    @Test("a table part is held to the part size limit, and a sheet to as many tables as the zip has entries")
    func limits() throws {
        let folder = TemporaryFolder()
        let columns = (1...2_000).map { "Column \($0)" }
        let big = try Self.package(
            relationships: Self.tableRelationship("rId1", "../tables/table1.xml"),
            parts: ["xl/tables/table1.xml": Self.tableXML(ref: "A1:BXX2", columns: columns)], in: folder)
        var limits = WorkbookReadLimits()
        limits.maxPartBytes = 20_000
        #expect(Self.tablesError(big, limits: limits) == .partTooLarge(part: "xl/tables/table1.xml", limit: 20_000))
        let reader = try WorkbookReader(path: big)
        #expect(try reader.tables(of: reader.sheets[0]).first?.columns == columns)

        let many = (1...40).map { Self.tableRelationship("rId\($0)", "../tables/table\($0).xml") }.joined()
        limits = WorkbookReadLimits()
        limits.maxEntries = 20
        let manyFolder = TemporaryFolder()
        #expect(
            Self.tablesError(try Self.package(relationships: many, in: manyFolder), limits: limits)
                == .malformedPart(part: "xl/worksheets/_rels/sheet1.xml.rels", reason: "it lists more than 20 tables"))
    }

    // MARK: - Escapes

    @Test(
        "_xHHHH_ escapes in names",
        arguments: [
            ("plain", "plain"), ("Line_x000a_break", "Line\nbreak"), ("_x000D__x000A_", "\r\n"), ("a_x005F_x0041_", "a_x0041_"),
            ("_xD83D__xDE00_", "😀"), ("lone _xD800_ half", "lone _xD800_ half"), ("_x00zz_", "_x00zz_"), ("_x0041", "_x0041"),
            ("_X0041_", "_X0041_"), ("é_x00E9_", "éé"), ("__x0041__", "_A_"),
        ])
    func escapes(text: String, unescaped: String) {
        #expect(OOXMLText.unescaped(text) == unescaped)
    }
}
