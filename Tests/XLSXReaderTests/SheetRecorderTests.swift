import Foundation
import TestSupport
import Testing

@testable import XLSXReader

/// The sheet callbacks that record rows as bytes (`SheetRecorder`) against the event-based reading they
/// replaced (`ReferenceSheetHandler`), on random sheets full of what other programs and hostile files write.
@Suite("Reading sheet rows as bytes")
struct SheetRecorderTests {
    static let sharedStrings = ["plain", "R&D <team>", "", "  spaced  ", "ルビ ☺", "42"]
    static let dateStyles = [false, true, false]

    @Test("rows, cells and errors are the event reading's, for any chunking and any early stop", arguments: 0..<40)
    func sameAsEventReading(seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed))
        var cells = 0
        for _ in 0..<20 {
            let xml = Array(Self.randomSheet(&random).utf8)
            var chunks: [Int] = []
            var left = xml.count
            while left > 0 {
                let size = min(left, Int.random(in: 1...(random.next() % 2 == 0 ? 7 : 4000), using: &random))
                chunks.append(size)
                left -= size
            }
            let stopAfter = random.next() % 4 == 0 ? Int.random(in: 1...6, using: &random) : nil
            let expected = Self.readWithEvents(xml, chunks: chunks, stopAfter: stopAfter)
            let actual = Self.readWithRecorder(xml, chunks: chunks, stopAfter: stopAfter)
            #expect(actual.rows == expected.rows, "\(String(decoding: xml, as: UTF8.self))")
            #expect(actual.error == expected.error, "\(String(decoding: xml, as: UTF8.self))")
            cells += expected.rows.reduce(0) { $0 + $1.cells.count }
        }
        #expect(cells > 5)
    }

    @Test("a literal is the text its cell converts to", arguments: 0..<10)
    func literalsAgreeWithCells(seed: Int) throws {
        var random = SplitMix(seed: UInt64(1000 + seed))
        var literals = 0
        for _ in 0..<20 {
            let xml = Array(Self.randomSheet(&random).utf8)
            literals += Self.readWithRecorder(xml, chunks: [xml.count], stopAfter: nil).literals
        }
        #expect(literals > 0)
    }

    @Test(
        "plain whole numbers",
        arguments: [
            ("0", true), ("7", true), ("-7", true), ("123456789012345", true), ("1234567890123456", false), ("007", false),
            ("-0", false), ("", false), ("-", false), ("1.0", false), ("1e3", false), (" 1", false), ("+1", false),
        ])
    func plainIntegers(text: String, plain: Bool) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer(SheetRowCells.isPlainInteger) == plain)
    }

    @Test(
        "integers read as Swift's Int(String) reads them",
        arguments: [
            "0", "12", "+5", "-3", "-0", "", "+", "-", " 1", "1 ", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "1x", "&#38;",
        ])
    func integers(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer(SheetRecorder.integer) == Int(text))
    }

    // MARK: - The two readings

    struct Reading {
        var rows: [SheetRow] = []
        var error: WorkbookReadError?
        var literals = 0
    }

    static func readWithEvents(_ xml: [UInt8], chunks: [Int], stopAfter: Int?) -> Reading {
        var reading = Reading()
        var rows: [SheetRow] = []
        do {
            let parser = try XMLStreamParser(partName: "sheet.xml", maxTextBytes: 1 << 20)
            var handler = ReferenceSheetHandler(part: "sheet.xml", sharedStrings: sharedStrings, dateStyles: dateStyles) { row in
                rows.append(row)
                return stopAfter.map { rows.count < $0 } ?? true
            }
            try feed(xml, chunks: chunks, parser: parser, into: &handler, stopped: { $0.stopped })
        } catch {
            reading.error = error
        }
        reading.rows = rows
        return reading
    }

    static func readWithRecorder(_ xml: [UInt8], chunks: [Int], stopAfter: Int?) -> Reading {
        var reading = Reading()
        var rows: [SheetRow] = []
        var literals = 0
        var table = SharedStringTable()
        for string in sharedStrings {
            table.bytes += string.utf8
            table.ends.append(table.bytes.count)
        }
        do {
            let parser = try XMLStreamParser(partName: "sheet.xml", maxTextBytes: 1 << 20, recordsSheetRows: true)
            var reader = SheetRowReader(strings: table, dateStyles: dateStyles) { cells in
                rows.append(cells.row)
                for index in 0..<cells.count {
                    let cell = cells.cell(index)
                    switch cells.literal(index) {
                    case .text(let bytes)?:
                        literals += 1
                        #expect(cell.content == .text(String(decoding: bytes, as: UTF8.self)))
                    case .integer(let digits)?:
                        literals += 1
                        #expect(!cell.isDateFormatted)
                        guard case .number(let number) = cell.content else {
                            Issue.record("an integer literal in \(cell)")
                            break
                        }
                        #expect(String(Int64(number)) == String(decoding: digits, as: UTF8.self))
                    case nil:
                        break
                    }
                }
                return stopAfter.map { rows.count < $0 } ?? true
            }
            try feed(xml, chunks: chunks, parser: parser, into: &reader, stopped: { $0.stopped })
        } catch {
            reading.error = error
        }
        reading.rows = rows
        reading.literals = literals
        return reading
    }

    /// Feeds the part chunk by chunk, as `WorkbookReader` does: stopping when the reader asks, finishing otherwise.
    static func feed<Reader: XMLPartReader>(
        _ xml: [UInt8], chunks: [Int], parser: XMLStreamParser, into reader: inout Reader, stopped: (Reader) -> Bool
    ) throws(WorkbookReadError) {
        var offset = 0
        for size in chunks {
            let chunk = Array(xml[offset..<(offset + size)])
            var failure: WorkbookReadError?
            chunk.withUnsafeBytes { bytes in
                do throws(WorkbookReadError) { try parser.parse(bytes, into: &reader) } catch { failure = error }
            }
            if let failure { throw failure }
            offset += size
            if stopped(reader) { return }
        }
        try parser.finish(into: &reader)
    }

    // MARK: - Random sheets

    static func randomSheet(_ random: inout SplitMix) -> String {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        let prefix = pick(["", "x:"])
        func tag(_ name: String) -> String { prefix + name }
        var xml = "<?xml version=\"1.0\"?><\(tag("worksheet")) \(prefix.isEmpty ? "xmlns" : "xmlns:x")=\"\(PackageBuilder.mainNamespace)\">"
        if chance(20) { xml += "<\(tag("row"))><\(tag("c"))><\(tag("v"))>1</\(tag("v"))></\(tag("c"))></\(tag("row"))>" }
        xml += "<\(tag("sheetData"))>\n"
        var rowNumber = 0
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            rowNumber += chance(80) ? 1 : Int.random(in: 0...3, using: &random)
            var attributes = ""
            switch random.next() % 40 {
            case 0, 1, 2: break
            case 3: attributes = " r=\"\(pick(["+\(rowNumber)", " \(rowNumber)", "x", "&amp;", "0", "1048577", "\(rowNumber - 2)"]))\""
            default: attributes = " r=\"\(rowNumber)\""
            }
            if chance(10) { attributes += " spans=\"1:5\" x:r=\"99\"" }
            xml += "<\(tag("row"))\(attributes)>"
            var column = 0
            for _ in 0..<Int.random(in: 0...7, using: &random) {
                column += chance(75) ? 1 : Int.random(in: 0...3, using: &random)
                xml += randomCell(&random, column: column, row: rowNumber, tag: tag)
                if chance(5) { xml += "\n  " }
            }
            if chance(3) { xml += "<\(tag("row"))><\(tag("c"))><\(tag("v"))>9</\(tag("v"))></\(tag("c"))></\(tag("row"))>" }
            xml += "</\(tag("row"))>"
        }
        xml += "</\(tag("sheetData"))>"
        if chance(20) { xml += "<\(tag("mergeCells"))><\(tag("c"))><\(tag("v"))>3</\(tag("v"))></\(tag("c"))></\(tag("mergeCells"))>" }
        return xml + "</\(tag("worksheet"))>"
    }

    static func randomCell(_ random: inout SplitMix, column: Int, row: Int, tag: (String) -> String) -> String {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        var attributes = ""
        switch random.next() % 40 {
        case 0, 1, 2, 3: break
        case 4: attributes += " r=\"\(pick(["A0", "$B$\(row)", "b\(row)", "C\(row + 1)", "XFE\(row)", "A", "&amp;1", "AA\(row)"]))\""
        default: attributes += " r=\"\(CellAddress.columnLetters(column - 1))\(row)\""
        }
        if chance(60) { attributes += " t=\"\(pick(["n", "s", "s", "s", "str", "inlineStr", "b", "e", "d", "x", "&amp;s", "S"]))\"" }
        if chance(40) { attributes += " s=\"\(pick(["0", "1", "2", "-1", "+1", "9", "x", ""]))\"" }
        if chance(5) { return "<\(tag("c"))\(attributes)/>" }
        var body = ""
        let value = pick([
            "0", "1", "5", "-12", "007", "-0", "3.5", "1e3", " 4 ", "", "abc", "é", "46218", "123456789012345", "1234567890123456",
            "TRUE", "#N/A", "2026-07-15T00:00:00", "R&amp;D", "<![CDATA[7]]>",
        ])
        if chance(25) { body += "<\(tag("f"))>\(pick(["SUM(1,2)", "A1&amp;\"!\"", ""]))</\(tag("f"))>" }
        if chance(80) { body += "<\(tag("v"))>\(value)</\(tag("v"))>" }
        if chance(5) { body += "<\(tag("v"))>\(value)</\(tag("v"))>" }
        if chance(20) {
            body += "<\(tag("is"))><\(tag("t"))>in</\(tag("t"))>"
            if chance(50) { body += "<\(tag("r"))><\(tag("t")) xml:space=\"preserve\"> line </\(tag("t"))></\(tag("r"))>" }
            if chance(50) { body += "<\(tag("rPh"))><\(tag("t"))>ph</\(tag("t"))></\(tag("rPh"))>" }
            body += "</\(tag("is"))>"
        }
        if chance(5) { body += "<\(tag("extLst"))><\(tag("t"))>x</\(tag("t"))></\(tag("extLst"))>" }
        return "<\(tag("c"))\(attributes)>\(body)</\(tag("c"))>"
    }
}

@Suite("Reading a sheet ahead on another thread")
struct ReadAheadTests {
    /// A sheet of `count` rows of three cells (text, number, date-styled number), broken at row `brokenAt`.
    static func workbook(rows count: Int, brokenAt: Int?, in folder: TemporaryFolder) throws -> String {
        var rows = ""
        for number in 1...count {
            let reference = number == brokenAt ? "A0" : "A\(number)"
            rows +=
                "<row r=\"\(number)\"><c r=\"\(reference)\" t=\"s\"><v>\(number % 3)</v></c><c r=\"B\(number)\"><v>\(number)</v></c><c r=\"C\(number)\" s=\"1\"><v>46218</v></c></row>"
        }
        let styles = "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
        return try PackageBuilder.write(
            PackageBuilder.parts(
                sheets: [("s", PackageBuilder.sheet(rows))],
                sharedStrings: ["<si><t>a</t></si>", "<si><t>b</t></si>", "<si><t>c</t></si>"],
                styles: styles), in: folder)
    }

    static func read(_ path: String, ahead: Bool) -> (rows: [SheetRow], error: WorkbookReadError?) {
        var rows: [SheetRow] = []
        do {
            let reader = try WorkbookReader(path: path)
            if ahead {
                try reader.readRowCellsAhead(of: reader.sheets[0]) { rows.append($0.row) }
            } else {
                try reader.readRowCells(of: reader.sheets[0]) { row in
                    rows.append(row.row)
                    return true
                }
            }
            return (rows, nil)
        } catch {
            return (rows, error)
        }
    }

    @Test("the same rows, then the same error, as reading on one thread", arguments: [nil, 1, 7_000, 19_999, 20_000])
    func sameAsOneThread(brokenAt: Int?) throws {
        let folder = TemporaryFolder()
        let path = try Self.workbook(rows: 20_000, brokenAt: brokenAt, in: folder)
        let one = Self.read(path, ahead: false)
        let ahead = Self.read(path, ahead: true)
        #expect(ahead.rows.count == one.rows.count)
        #expect(ahead.rows == one.rows)
        #expect(ahead.error == one.error)
        #expect(one.rows.count == (brokenAt ?? 20_001) - 1)
    }

    @Test("a check that throws stops the reading thread, and the error is the check's")
    func checkThrows() throws {
        let folder = TemporaryFolder()
        let path = try Self.workbook(rows: 20_000, brokenAt: nil, in: folder)
        let reader = try WorkbookReader(path: path)
        var seen = 0
        #expect(throws: WorkbookReadError.missingPart("stop")) {
            try reader.readRowCellsAhead(of: reader.sheets[0]) { (row) throws(WorkbookReadError) in
                seen += 1
                if row.rowNumber == 50 { throw .missingPart("stop") }
            }
        }
        #expect(seen == 50)
        // The reader is free again: the sheet reads whole.
        var rows = 0
        try reader.readRowCells(of: reader.sheets[0]) { _ in
            rows += 1
            return true
        }
        #expect(rows == 20_000)
    }
}
