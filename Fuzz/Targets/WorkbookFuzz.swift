import Foundation
import Impact
import ZIPFoundation

/// Excel workbooks through `impact validate`'s stage, from bytes in memory.
///
/// Random bytes almost never make a zip whose checksums hold, so the XML is fuzzed inside a package that
/// is always well formed: the first byte picks the part the rest of the input becomes (the sheet, the shared
/// strings, the styles or the workbook part), and the other parts are a small valid return. With the first
/// byte's high bit set, the rest is the whole file instead, for the zip reader itself.
enum WorkbookFuzz {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// The parts of a one-sheet return, each replaceable by the input.
    static let parts: [String: String] = [
        "_rels/.rels":
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        "xl/_rels/workbook.xml.rels":
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"r2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"r3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>",
        "xl/workbook.xml":
            "<workbook xmlns=\"\(main)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"ripple\" sheetId=\"1\" r:id=\"r1\"/></sheets></workbook>",
        "xl/sharedStrings.xml":
            "<sst xmlns=\"\(main)\"><si><t>partner_id</t></si><si><t>quarter</t></si><si><t>note_id</t></si><si><t>theme</t></si><si><t>outcome_id</t></si><si><t>note</t></si><si><t>consent_to_quote</t></si><si><t>P003</t></si><si><t>2026-Q2</t></si><si><t>housing</t></si></sst>",
        "xl/styles.xml": "<styleSheet xmlns=\"\(main)\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>",
        "xl/worksheets/sheet1.xml":
            "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c><c r=\"G1\" t=\"s\"><v>6</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c><c r=\"B2\" t=\"s\"><v>8</v></c><c r=\"C2\"><v>1</v></c><c r=\"D2\" t=\"s\"><v>9</v></c><c r=\"F2\" t=\"inlineStr\"><is><t>A note.</t></is></c><c r=\"G2\" t=\"b\"><v>1</v></c></row></sheetData></worksheet>",
    ]

    static let replaceable = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"]

    static func run(_ data: [UInt8]) {
        let control = data.first ?? 0
        let rest = Array(data.dropFirst())
        let bytes: [UInt8]
        if control & 0x80 != 0 {
            bytes = rest
        } else {
            var files = parts.mapValues { Array($0.utf8) }
            files[replaceable[Int(control) % replaceable.count]] = rest
            guard let package = zip(files) else { return }
            bytes = package
        }
        ReturnFuzz.check(InputFile(name: "fuzz.xlsx", contents: bytes))
    }

    /// The parts as a zip package in memory, stored (no compression), in a fixed order.
    static func zip(_ files: [String: [UInt8]]) -> [UInt8]? {
        let archive: Archive
        do {
            archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        } catch {
            return nil
        }
        for name in files.keys.sorted() {
            let data = Data(files[name]!)
            do {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 0),
                    compressionMethod: .none, provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            } catch {
                return nil
            }
        }
        return archive.data.map { Array($0) }
    }
}
