import Foundation
import TestSupport
import Testing

@testable import XLSXReader

/// Workbooks made to hurt a reader: each must give a clear error, quickly, and never hang, crash or fill memory.
@Suite("Hostile workbooks")
struct HostileWorkbookTests {
    private func simpleParts(rows: String = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>") -> [String: String] {
        PackageBuilder.parts(sheets: [("s", PackageBuilder.sheet(rows))])
    }

    private func readError(_ path: String, limits: WorkbookReadLimits = WorkbookReadLimits()) -> WorkbookReadError? {
        do {
            _ = try PackageBuilder.readAll(path, limits: limits)
            return nil
        } catch let error as WorkbookReadError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("entity expansion (billion laughs) is refused at the document type declaration")
    func billionLaughs() throws {
        let folder = TemporaryFolder()
        var entities = "<!ENTITY a0 \"lol\">"
        for level in 1...9 { entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">" }
        var parts = PackageBuilder.parts(
            sheets: [("s", PackageBuilder.sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"))], sharedStrings: [])
        parts["xl/sharedStrings.xml"] =
            "<?xml version=\"1.0\"?><!DOCTYPE sst [\(entities)]><sst xmlns=\"\(PackageBuilder.mainNamespace)\"><si><t>&a9;</t></si></sst>"
        let error = readError(try PackageBuilder.write(parts, in: folder))
        guard case .malformedPart(let part, let reason)? = error else {
            Issue.record("expected a malformed part, got \(String(describing: error))")
            return
        }
        #expect(part == "xl/sharedStrings.xml")
        #expect(reason.contains("document type"))
    }

    @Test("an external entity is never fetched")
    func externalEntity() throws {
        let folder = TemporaryFolder()
        var parts = simpleParts()
        parts["xl/worksheets/sheet1.xml"] =
            "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><worksheet xmlns=\"\(PackageBuilder.mainNamespace)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>"
        let error = readError(try PackageBuilder.write(parts, in: folder))
        #expect(error?.description.contains("document type") == true)
    }

    @Test("a zip bomb stops at the unpacked-size limit, whatever size the zip declares")
    func zipBomb() throws {
        let folder = TemporaryFolder()
        let row = "<row><c><v>1</v></c></row>"
        let rows = String(repeating: row, count: 200_000)  // about 5 MB, deflating to a few KB
        let path = try PackageBuilder.write(simpleParts(rows: rows), in: folder)
        var limits = WorkbookReadLimits()
        limits.maxSheetBytes = 1_000_000
        #expect(readError(path, limits: limits) == .partTooLarge(part: "xl/worksheets/sheet1.xml", limit: 1_000_000))
        // The same file with the sheet's declared size forged small: unpacking itself must stop at the limit.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(forgeUncompressedSize(of: "xl/worksheets/sheet1.xml", to: 100, in: &bytes) == 2)
        let forged = folder.write("forged.xlsx", bytes: bytes)
        #expect(readError(forged, limits: limits) == .partTooLarge(part: "xl/worksheets/sheet1.xml", limit: 1_000_000))
    }

    @Test("a huge shared-string table is refused by count")
    func hugeSharedStrings() throws {
        let folder = TemporaryFolder()
        let strings = (0..<101).map { "<si><t>s\($0)</t></si>" }
        let parts = PackageBuilder.parts(
            sheets: [("s", PackageBuilder.sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"))], sharedStrings: strings)
        var limits = WorkbookReadLimits()
        limits.maxSharedStrings = 100
        #expect(readError(try PackageBuilder.write(parts, in: folder), limits: limits) == .tooManySharedStrings(limit: 100))
    }

    @Test("a text longer than the cell limit stops the part")
    func hugeText() throws {
        let folder = TemporaryFolder()
        let text = String(repeating: "x", count: 70_000)
        let path = try PackageBuilder.write(
            simpleParts(rows: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\(text)</t></is></c></row>"), in: folder)
        var limits = WorkbookReadLimits()
        limits.maxCellBytes = 65_536
        #expect(readError(path, limits: limits)?.description.contains("longer than 65536 bytes") == true)
    }

    @Test("nesting deeper than any workbook needs is refused")
    func deepNesting() throws {
        let folder = TemporaryFolder()
        let deep = String(repeating: "<x>", count: 5_000) + String(repeating: "</x>", count: 5_000)
        let path = try PackageBuilder.write(simpleParts(rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + deep), in: folder)
        guard case .malformedPart? = readError(path) else {
            Issue.record("deep nesting was read")
            return
        }
    }

    @Test(
        "broken structure gives an error naming the part",
        arguments: [
            ("<row r=\"2\"/><row r=\"1\"/>", WorkbookReadError.badRow(part: "xl/worksheets/sheet1.xml", row: "1")),
            ("<row r=\"1048577\"/>", .badRow(part: "xl/worksheets/sheet1.xml", row: "1048577")),
            ("<row r=\"x\"/>", .badRow(part: "xl/worksheets/sheet1.xml", row: "x")),
            ("<row r=\"1\"><c r=\"B2\"><v>1</v></c></row>", .badCellReference(part: "xl/worksheets/sheet1.xml", reference: "B2")),
            ("<row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row>", .badCellReference(part: "xl/worksheets/sheet1.xml", reference: "A1")),
        ])
    func brokenStructure(rows: String, expected: WorkbookReadError) throws {
        let folder = TemporaryFolder()
        #expect(readError(try PackageBuilder.write(simpleParts(rows: rows), in: folder)) == expected)
    }

    @Test("XML that is not well formed")
    func malformedXML() throws {
        let folder = TemporaryFolder()
        var parts = simpleParts()
        parts["xl/worksheets/sheet1.xml"] = "<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>"
        let error = readError(try PackageBuilder.write(parts, in: folder))
        guard case .malformedPart(let part, _)? = error else {
            Issue.record("expected a malformed part, got \(String(describing: error))")
            return
        }
        #expect(part == "xl/worksheets/sheet1.xml")
    }

    @Test("missing parts")
    func missingParts() throws {
        let folder = TemporaryFolder()
        var noWorkbook = simpleParts()
        noWorkbook["xl/workbook.xml"] = nil
        #expect(readError(try PackageBuilder.write(noWorkbook, in: folder, name: "a.xlsx")) == .missingPart("xl/workbook.xml"))
        var noSheet = simpleParts()
        noSheet["xl/worksheets/sheet1.xml"] = nil
        #expect(readError(try PackageBuilder.write(noSheet, in: folder, name: "b.xlsx")) == .missingPart("xl/worksheets/sheet1.xml"))
    }

    @Test("a part whose bytes do not match its checksum is damaged")
    func damaged() throws {
        let folder = TemporaryFolder()
        let path = try PackageBuilder.write(simpleParts(rows: "<row r=\"1\"><c r=\"A1\"><v>12345</v></c></row>"), in: folder, stored: true)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let needle = Array("12345".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle })
        bytes[at] = UInt8(ascii: "9")
        let damaged = folder.write("damaged.xlsx", bytes: bytes)
        #expect(readError(damaged) == .damaged(part: "xl/worksheets/sheet1.xml"))
    }

    @Test(
        "files that are not workbooks",
        arguments: [
            ([UInt8]("partner_id,quarter\nP001,2026-Q3\n".utf8), "not a zip package"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504), "password-protected"),
            ([], "empty"),
            ([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60), "cannot be opened"),
        ])
    func notWorkbooks(bytes: [UInt8], says: String) throws {
        let folder = TemporaryFolder()
        let path = folder.write("return.xlsx", bytes: bytes)
        #expect(readError(path)?.description.contains(says) == true)
        do {
            _ = try WorkbookReader(bytes: bytes)
            Issue.record("read from memory")
        } catch {
            #expect(error.description.contains(says))
        }
    }

    @Test("a zip whose entries point past its end is an error from memory as from disk (ZIPFoundation's memory archive traps)")
    func entriesPastTheEnd() throws {
        // Found by the workbook fuzz target: the first byte only tells the target to use the whole file.
        let input = try Data(
            contentsOf: URL(fileURLWithPath: TestPaths.repo("Fuzz/regressions/workbook/zipfoundation-memory-entry-past-end")))
        let bytes = Array(input.dropFirst())
        let folder = TemporaryFolder()
        let path = folder.write("forged.xlsx", bytes: bytes)
        var fromDisk: WorkbookReadError?
        do { _ = try PackageBuilder.readAll(path) } catch let error as WorkbookReadError { fromDisk = error }
        var fromMemory: WorkbookReadError?
        do { _ = try WorkbookReader(bytes: bytes) } catch { fromMemory = error }
        #expect(fromDisk != nil)
        #expect(fromMemory != nil)
    }

    @Test("a zip with too many entries")
    func tooManyEntries() throws {
        let folder = TemporaryFolder()
        var parts = simpleParts()
        for index in 0..<30 { parts["extra/\(index).txt"] = "x" }
        var limits = WorkbookReadLimits()
        limits.maxEntries = 20
        #expect(readError(try PackageBuilder.write(parts, in: folder), limits: limits)?.description.contains("more than 20 parts") == true)
    }

    /// Rewrites the uncompressed size an entry declares, in its local header and in the central directory.
    private func forgeUncompressedSize(of name: String, to size: UInt32, in bytes: inout [UInt8]) -> Int {
        let nameBytes = Array(name.utf8)
        var forged = 0
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func put32(_ value: UInt32, _ at: Int) {
            for shift in 0..<4 { bytes[at + shift] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(shift))) }
        }
        var index = 0
        while index + 46 < bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x03, bytes[index + 3] == 0x04,
                u16(index + 26) == nameBytes.count, Array(bytes[(index + 30)..<(index + 30 + nameBytes.count)]) == nameBytes
            {
                put32(size, index + 22)
                forged += 1
            } else if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x01, bytes[index + 3] == 0x02,
                u16(index + 28) == nameBytes.count, Array(bytes[(index + 46)..<(index + 46 + nameBytes.count)]) == nameBytes
            {
                put32(size, index + 24)
                forged += 1
            }
            index += 1
        }
        return forged
    }
}
