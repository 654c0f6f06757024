import Foundation
import ZIPFoundation

/// Builds .xlsx packages part by part, for tests that need exactly the XML other programs write.
public enum PackageBuilder {
    public static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    public static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// The parts every workbook needs around its sheets: package and workbook relationships, the workbook.
    public static func parts(
        sheets: [(name: String, xml: String)], sharedStrings: [String]? = nil, styles: String? = nil,
        workbookProperties: String = "", definedNames: String = ""
    ) -> [String: String] {
        var parts: [String: String] = [:]
        parts["[Content_Types].xml"] =
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
        parts["_rels/.rels"] = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """
        var relationships = ""
        var sheetList = ""
        for (index, sheet) in sheets.enumerated() {
            relationships +=
                "<Relationship Id=\"rId\(index + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
            sheetList += "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            parts["xl/worksheets/sheet\(index + 1).xml"] = sheet.xml
        }
        if let sharedStrings {
            relationships +=
                "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            parts["xl/sharedStrings.xml"] =
                "<?xml version=\"1.0\"?><sst xmlns=\"\(mainNamespace)\">" + sharedStrings.joined() + "</sst>"
        }
        if let styles {
            relationships +=
                "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"/xl/styles.xml\"/>"
            parts["xl/styles.xml"] = "<?xml version=\"1.0\"?><styleSheet xmlns=\"\(mainNamespace)\">" + styles + "</styleSheet>"
        }
        parts["xl/_rels/workbook.xml.rels"] =
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relationships)</Relationships>"
        parts["xl/workbook.xml"] =
            "<?xml version=\"1.0\"?><workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">\(workbookProperties)<sheets>\(sheetList)</sheets>\(definedNames)</workbook>"
        return parts
    }

    /// A worksheet part holding `rows` (the XML of the `<row>` elements).
    public static func sheet(_ rows: String) -> String {
        "<?xml version=\"1.0\"?><worksheet xmlns=\"\(mainNamespace)\"><sheetData>\(rows)</sheetData></worksheet>"
    }

    /// Writes the parts as a zip package in `folder`, deflated unless `stored`.
    public static func write(
        _ parts: [String: String], in folder: TemporaryFolder, name: String = "book.xlsx", stored: Bool = false
    )
        throws -> String
    {
        try write(parts.mapValues { Array($0.utf8) }, in: folder, name: name, stored: stored)
    }

    /// Writes byte parts as a zip package in `folder`.
    public static func write(
        _ parts: [String: [UInt8]], in folder: TemporaryFolder, name: String = "book.xlsx", stored: Bool = false
    )
        throws -> String
    {
        let path = (folder.path as NSString).appendingPathComponent(name)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for name in parts.keys.sorted() {
            let data = Data(parts[name]!)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: stored ? .none : .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return path
    }
}
