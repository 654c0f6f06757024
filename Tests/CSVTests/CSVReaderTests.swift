import CSV
import Foundation
import TestSupport
import Testing

/// The reader's structure handling: line ends, quoting, trimming, blank lines and row numbers.
/// Every case is read with chunk sizes 16, 17, 64 and the default, which must agree.
@Suite("CSVReader: structure")
struct CSVReaderStructureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var rows: [Row]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "CRLF", text: "id,name\r\n1,Ann\r\n2,Bob\r\n",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann"]), Row(3, ["2", "Bob"])]),
        Case(
            name: "LF", text: "id,name\n1,Ann\n2,Bob\n",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann"]), Row(3, ["2", "Bob"])]),
        Case(
            name: "CR only (classic Mac)", text: "id,name\r1,Ann\r2,Bob\r",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann"]), Row(3, ["2", "Bob"])]),
        Case(
            name: "mixed line ends, no final line end", text: "id,name\r\n1,Ann\n2,Bob\r3,Cy",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann"]), Row(3, ["2", "Bob"]), Row(4, ["3", "Cy"])]),
        Case(
            name: "CRLF pairs placed on every chunk boundary",
            // 15 bytes then CRLF: with chunk size 16 the CR ends one chunk and the LF starts the next.
            text: "abcdefghijklmn,\r\nabcdefghijklmn,\r\nx,y\r\n",
            rows: [Row(1, ["abcdefghijklmn", ""]), Row(2, ["abcdefghijklmn", ""]), Row(3, ["x", "y"])]),
        Case(
            name: "quoted comma, doubled quote and embedded line ends count as one row",
            text: "id,note\r\n1,\"Hello, world\"\r\n2,\"She said \"\"hi\"\"\"\r\n3,\"line one\r\nline two\nline three\"\r\n4,last\r\n",
            rows: [
                Row(1, ["id", "note"]), Row(2, ["1", "Hello, world"]), Row(3, ["2", "She said \"hi\""]),
                Row(4, ["3", "line one\r\nline two\nline three"]), Row(5, ["4", "last"]),
            ]),
        Case(
            name: "a quoted field longer than several chunks",
            text: "id,note\n1,\"" + String(repeating: "word, \"\"quoted\"\"\n", count: 8) + "\"\n2,x\n",
            rows: [
                Row(1, ["id", "note"]), Row(2, ["1", String(repeating: "word, \"quoted\"\n", count: 8)]),
                Row(3, ["2", "x"]),
            ]),
        Case(
            name: "stray spaces around unquoted values are trimmed, quoted spaces kept",
            text: "id , name\n  1 ,  Ann Lee  \n2,\" padded \"\n",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann Lee"]), Row(3, ["2", " padded "])]),
        Case(
            name: "empty cells are kept",
            text: "a,b,c\n,,\n1,,3\n",
            rows: [Row(1, ["a", "b", "c"]), Row(2, ["", "", ""]), Row(3, ["1", "", "3"])]),
        Case(
            name: "blank lines are zero-cell records with their own row numbers (LF)",
            text: "id,name\n\n1,Ann\n\n\n2,Bob\n",
            rows: [
                Row(1, ["id", "name"]), Row(2, []), Row(3, ["1", "Ann"]), Row(4, []), Row(5, []),
                Row(6, ["2", "Bob"]),
            ]),
        Case(
            name: "blank lines with CRLF",
            text: "id,name\r\n\r\n1,Ann\r\n\r\n2,Bob\r\n",
            rows: [Row(1, ["id", "name"]), Row(2, []), Row(3, ["1", "Ann"]), Row(4, []), Row(5, ["2", "Bob"])]),
        Case(
            name: "blank lines with CR only",
            text: "id,name\r\r1,Ann\r",
            rows: [Row(1, ["id", "name"]), Row(2, []), Row(3, ["1", "Ann"])]),
        Case(
            name: "trailing blank rows are delivered too (the validator decides they are harmless)",
            text: "id,name\r\n1,Ann\r\n\r\n\r\n",
            rows: [Row(1, ["id", "name"]), Row(2, ["1", "Ann"]), Row(3, []), Row(4, [])]),
        Case(
            name: "a line of spaces is blank",
            text: "id\n   \n1\n",
            rows: [Row(1, ["id"]), Row(2, []), Row(3, ["1"])]),
        Case(
            name: "one empty quoted cell is a cell, not a blank line",
            text: "id\n\"\"\n",
            rows: [Row(1, ["id"]), Row(2, [""])]),
        Case(name: "empty input", text: "", rows: []),
        Case(name: "header only, no line end", text: "id,name", rows: [Row(1, ["id", "name"])]),
    ]

    @Test(arguments: cases)
    func records(_ testCase: Case) throws {
        let result = try readAllChunkSizes(utf8(testCase.text))
        #expect(result.rows == testCase.rows)
        #expect(result.records == testCase.rows.count)
        #expect(result.issues.isEmpty)
        #expect(result.byteCount == testCase.text.utf8.count)
        #expect(result.delimiter == UInt8(ascii: ","))
    }

    /// Summary counts every record, blank ones included, and `isBlank` tells which are blank.
    @Test func blankRecordsAreBlank() throws {
        let reader = try CSVReader(bytes: utf8("a\n\n,\nb\n"), options: CSVReaderOptions(chunkSize: 16))
        var blanks: [Bool] = []
        var counts: [Int] = []
        let summary = try reader.read { record in
            blanks.append(record.isBlank)
            counts.append(record.count)
        }
        #expect(blanks == [false, true, true, false])
        #expect(counts == [1, 0, 2, 1])
        #expect(summary.records == 4)
    }
}

/// Delimiter sniffing from the first line, and an explicit delimiter.
@Suite("CSVReader: delimiters")
struct CSVReaderDelimiterTests {
    @Test(arguments: [
        ("id,name,amount\n1,Ann,2;5\n", UInt8(ascii: ","), ["1", "Ann", "2;5"]),
        ("id\tname\tamount\n1\tAnn\t2,5\n", UInt8(ascii: "\t"), ["1", "Ann", "2,5"]),
        ("id;name;amount\n1;Ann;2,5\n", UInt8(ascii: ";"), ["1", "Ann", "2,5"]),
        // Delimiters inside quotes do not count: one comma outside quotes beats three quoted semicolons.
        ("\"a;b;c;d\",e\n1,2\n", UInt8(ascii: ","), ["1", "2"]),
        // No delimiter at all: a one-column comma file.
        ("name\nAnn\n", UInt8(ascii: ","), ["Ann"]),
        // A first line longer than the smallest chunks, with no delimiter in its first 16 bytes.
        ("a_very_long_column_name;b\n1;2,5\n", UInt8(ascii: ";"), ["1", "2,5"]),
        ("a_very_long_column_name\tb\n1\t2,5\n", UInt8(ascii: "\t"), ["1", "2,5"]),
        // A quoted line end in the header does not end the first line.
        ("\"multi\nline label\";b;c\n1;2;3\n", UInt8(ascii: ";"), ["1", "2", "3"]),
    ])
    func sniffs(_ text: String, _ delimiter: UInt8, _ secondRow: [String]) throws {
        let result = try readAllChunkSizes(utf8(text))
        #expect(result.delimiter == delimiter)
        #expect(result.rows.count == 2)
        #expect(result.rows.last == Row(2, secondRow))
    }

    /// A file that is one line without a line end is sniffed too.
    @Test func singleLineWithoutLineEnd() throws {
        let result = try readAllChunkSizes(utf8("partner_id;quarter;person_ref"))
        #expect(result.delimiter == UInt8(ascii: ";"))
        #expect(result.rows == [Row(1, ["partner_id", "quarter", "person_ref"])])
    }

    @Test func tabDelimitedKeepsEmptyCells() throws {
        let result = try readAllChunkSizes(utf8("a\tb\tc\n1\t\t3\n"))
        #expect(result.delimiter == 0x09)
        #expect(result.rows == [Row(1, ["a", "b", "c"]), Row(2, ["1", "", "3"])])
    }

    @Test func explicitDelimiterWins() throws {
        let result = try readAllChunkSizes(utf8("a,b;c\n1,2;3\n"), options: CSVReaderOptions(delimiter: UInt8(ascii: ";")))
        #expect(result.delimiter == UInt8(ascii: ";"))
        #expect(result.rows == [Row(1, ["a,b", "c"]), Row(2, ["1,2", "3"])])
    }
}

/// Problems inside a readable file become issues with row, field and byte offset.
@Suite("CSVReader: issues")
struct CSVReaderIssueTests {
    /// An invalid UTF-8 byte is replaced by U+FFFD and reported where it is.
    @Test func invalidUTF8Byte() throws {
        let bytes = utf8("id,note\n1,café\n2,bad") + [0xFF] + utf8("byte\n3,ok\n")
        let offset = try #require(bytes.firstIndex(of: 0xFF))
        let result = try readAllChunkSizes(bytes)
        #expect(result.encoding == .utf8)
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", "café"]), Row(3, ["2", "bad\u{FFFD}byte"]), Row(4, ["3", "ok"])])
        #expect(result.issues == [CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 3, fieldNumber: 2, byteOffset: offset)])
    }

    /// Several bad sequences: each field reports its own count and the offset of its first problem.
    @Test func invalidSequencesInSeveralFields() throws {
        // C3 28 is a broken two-byte sequence (one problem), ED A0 80 a UTF-8-encoded surrogate (three).
        let bytes = utf8("a,b\nx") + [0xC3, 0x28] + utf8(",ok\n\"q") + [0xED, 0xA0, 0x80] + utf8("\",é\n")
        let first = 5
        let second = try #require(bytes.firstIndex(of: 0xED))
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(encoding: .utf8))
        #expect(result.rows == [Row(1, ["a", "b"]), Row(2, ["x\u{FFFD}(", "ok"]), Row(3, ["q\u{FFFD}\u{FFFD}\u{FFFD}", "é"])])
        #expect(
            result.issues == [
                CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 1, byteOffset: first),
                CSVIssue(kind: .invalidBytes(count: 3), rowNumber: 3, fieldNumber: 1, byteOffset: second),
            ])
    }

    /// A multi-byte sequence cut off by the end of the file.
    @Test func truncatedSequenceAtEndOfFile() throws {
        let bytes = utf8("a,b\n1,€") + [0xE2, 0x82]
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(encoding: .utf8))
        #expect(result.rows == [Row(1, ["a", "b"]), Row(2, ["1", "€\u{FFFD}"])])
        #expect(result.issues == [CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 2, byteOffset: bytes.count - 2)])
    }

    /// A NUL byte is removed from the cell and reported.
    @Test func nulByte() throws {
        let bytes = utf8("id,note\n1,ab") + [0x00] + utf8("cd\n2,x\n")
        let result = try readAllChunkSizes(bytes)
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", "abcd"]), Row(3, ["2", "x"])])
        #expect(result.issues == [CSVIssue(kind: .nulBytes(count: 1), rowNumber: 2, fieldNumber: 2, byteOffset: 12)])
    }

    /// A quote still open at the end of the file is reported at the row where it opened; that
    /// record is not delivered, the ones before it are.
    @Test func unterminatedQuote() throws {
        let text = "id,note\r\n1,fine\r\n2,\"never closed\r\n3,swallowed\r\n"
        let result = try readAllChunkSizes(utf8(text))
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", "fine"])])
        #expect(result.issues == [CSVIssue(kind: .unterminatedQuote, rowNumber: 3, fieldNumber: 2)])
        #expect(result.records == 2)
    }

    /// A blank line before the unclosed quote still counts as a row.
    @Test func unterminatedQuoteAfterBlankLine() throws {
        let result = try readAllChunkSizes(utf8("id\n\n\"open"))
        #expect(result.rows == [Row(1, ["id"]), Row(2, [])])
        #expect(result.issues == [CSVIssue(kind: .unterminatedQuote, rowNumber: 3, fieldNumber: 1)])
    }

    /// A cell over `maxFieldBytes` stops reading with an issue naming the row and cell, whatever the
    /// chunk size and whether the cell ends inside the chunk or not.
    @Test(arguments: [
        "id,note\n1,short\n2," + String(repeating: "x", count: 40) + "\n3,after\n",
        "id,note\n1,short\n2,\"" + String(repeating: "x,", count: 20) + "\"\n3,after\n",
        "id,note\n1,short\n2," + String(repeating: "x", count: 40),
    ])
    func fieldTooLarge(_ text: String) throws {
        let result = try readAllChunkSizes(utf8(text), options: CSVReaderOptions(maxFieldBytes: 32), stopsEarly: true)
        #expect(result.issues == [CSVIssue(kind: .fieldTooLarge(limit: 32), rowNumber: 3, fieldNumber: 2)])
        #expect(result.records == 2)
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", "short"])])
    }

    /// Issues come in file order: an encoding problem before the oversized cell is reported first.
    @Test func fieldTooLargeAfterEncodingIssue() throws {
        let bytes = utf8("id,note\n1,caf") + [0xE9] + utf8("\n2,") + Array(repeating: UInt8(ascii: "z"), count: 40) + utf8("\n")
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(encoding: .utf8, maxFieldBytes: 32), stopsEarly: true)
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", "caf\u{FFFD}"])])
        #expect(
            result.issues == [
                CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 2, byteOffset: 13),
                CSVIssue(kind: .fieldTooLarge(limit: 32), rowNumber: 3, fieldNumber: 2),
            ])
    }

    /// A cell exactly at the limit is fine.
    @Test func fieldAtLimitIsAccepted() throws {
        let cell = String(repeating: "y", count: 32)
        let result = try readAllChunkSizes(utf8("id,note\n1,\(cell)\n"), options: CSVReaderOptions(maxFieldBytes: 32))
        #expect(result.issues.isEmpty)
        #expect(result.rows == [Row(1, ["id", "note"]), Row(2, ["1", cell])])
    }

    /// Cells beyond `maxColumns` are dropped with one issue per row.
    @Test func tooManyColumns() throws {
        let result = try readAllChunkSizes(utf8("a,b,c\n1,2,3,4,5\n6,7,8\n9,10,11,12\n"), options: CSVReaderOptions(maxColumns: 3))
        #expect(result.rows == [Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"]), Row(3, ["6", "7", "8"]), Row(4, ["9", "10", "11"])])
        #expect(
            result.issues == [
                CSVIssue(kind: .tooManyColumns(count: 5, limit: 3), rowNumber: 2, fieldNumber: 4),
                CSVIssue(kind: .tooManyColumns(count: 4, limit: 3), rowNumber: 4, fieldNumber: 4),
            ])
    }

    /// A file over `maxFileBytes` is not read at all.
    @Test func fileTooLarge() throws {
        let folder = TemporaryFolder()
        let path = folder.write("big.csv", text: "id,name\n" + String(repeating: "1,Ann\n", count: 20))
        let reader = try CSVReader(path: path, options: CSVReaderOptions(maxFileBytes: 50))
        var delivered = 0
        let summary = try reader.read { _ in delivered += 1 }
        #expect(delivered == 0)
        #expect(summary.records == 0)
        #expect(summary.byteCount == 128)
        #expect(summary.issues == [CSVIssue(kind: .fileTooLarge(size: 128, limit: 50), rowNumber: 1)])
    }

    /// The same limit applies to bytes given in memory (a pasted return).
    @Test func bytesTooLarge() throws {
        let bytes = utf8("id,name\n" + String(repeating: "1,Ann\n", count: 20))
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(maxFileBytes: 50))
        #expect(result.rows.isEmpty)
        #expect(result.issues == [CSVIssue(kind: .fileTooLarge(size: 128, limit: 50), rowNumber: 1)])
    }

    /// A file at the limit is read.
    @Test func fileAtLimitIsRead() throws {
        let folder = TemporaryFolder()
        let path = folder.write("ok.csv", text: "id\n1\n")
        let reader = try CSVReader(path: path, options: CSVReaderOptions(maxFileBytes: 5))
        var rows: [Row] = []
        let summary = try reader.read { rows.append(Row($0.rowNumber, $0.strings)) }
        #expect(rows == [Row(1, ["id"]), Row(2, ["1"])])
        #expect(summary.issues.isEmpty)
    }
}

/// Opening inputs that cannot be read throws ``CSVError`` with a message that helps.
@Suite("CSVReader: files")
struct CSVReaderFileTests {
    @Test func missingFileThrows() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/no-such-return.csv"
        let error = #expect(throws: CSVError.self) { try CSVReader(path: path) }
        guard case .cannotOpen(let errorPath, let reason)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(reason == "No such file or directory")
        #expect(
            error?.description
                == "cannot open \"\(path)\": No such file or directory. Check the path and that the file is readable.")
    }

    @Test func directoryThrows() throws {
        let folder = TemporaryFolder()
        #expect(throws: CSVError.isDirectory(path: folder.path)) { try CSVReader(path: folder.path) }
        #expect(CSVError.isDirectory(path: folder.path).description == "\"\(folder.path)\" is a folder, not a file.")
    }

    @Test func errorDescriptions() {
        #expect(
            CSVError.readFailed(path: "a.csv", reason: "Input/output error").description == "reading \"a.csv\" failed: Input/output error.")
        #expect(
            CSVError.parserFailed(path: "a.csv", code: 2, reason: "out of memory").description
                == "the CSV parser stopped on \"a.csv\" (libcsv error 2: out of memory).")
    }

    /// A file on disk reads like the same bytes in memory, and `name` is the path.
    @Test func fileMatchesMemory() throws {
        let folder = TemporaryFolder()
        let text = "id,name\r\n1,\"Ann, Lee\"\r\n\r\n2,Bob\r\n"
        let path = folder.write("return.csv", text: text)
        for size in chunkSizes {
            let reader = try CSVReader(path: path, options: CSVReaderOptions(chunkSize: size))
            #expect(reader.name == path)
            var rows: [Row] = []
            let summary = try reader.read { rows.append(Row($0.rowNumber, $0.strings)) }
            #expect(rows == [Row(1, ["id", "name"]), Row(2, ["1", "Ann, Lee"]), Row(3, []), Row(4, ["2", "Bob"])])
            #expect(summary.byteCount == text.utf8.count)
        }
    }

    /// `header(path:)` skips leading blank lines and returns the first record.
    @Test func headerSkipsBlankLines() throws {
        let folder = TemporaryFolder()
        let path = folder.write("h.csv", text: "\r\n\r\npartner_id , quarter\r\nP001,2026-Q2\r\n")
        #expect(try CSVReader.header(path: path) == ["partner_id", "quarter"])
        let empty = folder.write("empty.csv", text: "")
        #expect(try CSVReader.header(path: empty) == nil)
        #expect(throws: CSVError.self) { try CSVReader.header(path: folder.path + "/missing.csv") }
    }

    /// An error thrown by the caller's closure stops reading and comes out of `read`.
    @Test func bodyErrorPropagates() throws {
        struct Stop: Error, Equatable {}
        let reader = try CSVReader(bytes: utf8("a\nb\nc\n"), options: CSVReaderOptions(chunkSize: 16))
        var seen: [String] = []
        #expect(throws: Stop()) {
            _ = try reader.read { record in
                seen.append(record.string(at: 0))
                if seen.count == 2 { throw Stop() }
            }
        }
        #expect(seen == ["a", "b"])
    }

    /// Options clamp the chunk size to at least 16 bytes.
    @Test func chunkSizeIsClamped() {
        #expect(CSVReaderOptions(chunkSize: 1).chunkSize == 16)
        #expect(CSVReaderOptions(chunkSize: 17).chunkSize == 17)
    }

    /// Memory streaming sanity: 200,000 rows through a small buffer arrive complete and in order.
    @Test func manyRowsWithSmallChunks() throws {
        let folder = TemporaryFolder()
        var text = "id,name,amount\n"
        text.reserveCapacity(4_000_000)
        for index in 1...200_000 { text += "\(index),person-\(index),\(index % 97).5\n" }
        let path = folder.write("big.csv", text: text)
        let reader = try CSVReader(path: path, options: CSVReaderOptions(chunkSize: 256))
        var count = 0
        var lastRow = Row(0, [])
        var ordered = true
        let summary = try reader.read { record in
            count += 1
            if record.rowNumber != count { ordered = false }
            if record.rowNumber == 200_001 { lastRow = Row(record.rowNumber, record.strings) }
        }
        #expect(count == 200_001)
        #expect(ordered)
        #expect(summary.records == 200_001)
        #expect(summary.issues.isEmpty)
        #expect(summary.byteCount == text.utf8.count)
        #expect(lastRow == Row(200_001, ["200000", "person-200000", "\(200_000 % 97).5"]))
    }
}
