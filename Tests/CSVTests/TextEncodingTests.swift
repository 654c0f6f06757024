import CSV
import Testing

/// Encoding detection (`TextEncoding.detect`) and names.
@Suite("TextEncoding")
struct TextEncodingTests {
    @Test(
        arguments: [
            ([0xEF, 0xBB, 0xBF] + utf8("id,name"), TextEncoding.utf8WithBOM, 3),
            ([0xFF, 0xFE] + utf16LE("id", bom: false), .utf16LE, 2),
            ([0xFE, 0xFF] + utf16BE("id", bom: false), .utf16BE, 2),
            (utf16LE("id,name\r\n", bom: false), .utf16LE, 0),
            (utf16BE("id,name\r\n", bom: false), .utf16BE, 0),
            (utf8("id,name\n1,Zoë"), .utf8, 0),
            (utf8("id,name\n1,Ann"), .utf8, 0),
            // £ as the single byte A3 and € as 80: not UTF-8, so Windows-1252.
            (utf8("item,price\nTea,") + [0xA3] + utf8("3 ") + [0x80], .windows1252, 0),
            // Valid multi-byte UTF-8 with one bad byte is still UTF-8 (the bad byte is reported later).
            (utf8("é,") + [0xFF], .utf8, 0),
            // A sequence cut off by the end of the sample is no evidence against UTF-8.
            (utf8("abc") + [0xE2, 0x82], .utf8, 0),
            ([], .utf8, 0),
        ] as [([UInt8], TextEncoding, Int)])
    func detect(_ sample: [UInt8], _ encoding: TextEncoding, _ bomLength: Int) {
        let detected = TextEncoding.detect(sample: sample)
        #expect(detected.encoding == encoding)
        #expect(detected.bomLength == bomLength)
    }

    @Test(arguments: [
        ("utf-8", TextEncoding.utf8), ("UTF8", .utf8), ("utf-8-sig", .utf8WithBOM), ("utf_8_bom", .utf8WithBOM),
        ("cp1252", .windows1252), ("Windows-1252", .windows1252), ("latin1", .windows1252), ("ISO-8859-1", .windows1252),
        ("utf-16", .utf16LE), ("UTF-16LE", .utf16LE), ("utf16be", .utf16BE),
    ])
    func namesParse(_ name: String, _ encoding: TextEncoding) {
        #expect(TextEncoding(name: name) == encoding)
    }

    @Test func unknownNameIsNil() {
        #expect(TextEncoding(name: "ebcdic") == nil)
        #expect(TextEncoding(name: "") == nil)
    }

    @Test func rawValuesRoundTripAndDescriptionsAreHuman() {
        for encoding in TextEncoding.allCases {
            #expect(TextEncoding(name: encoding.rawValue) == encoding)
        }
        #expect(TextEncoding.utf8.description == "UTF-8")
        #expect(TextEncoding.utf8WithBOM.description == "UTF-8 with byte-order mark")
        #expect(TextEncoding.windows1252.description == "Windows-1252")
        #expect(TextEncoding.utf16LE.description == "UTF-16 little-endian")
        #expect(TextEncoding.utf16BE.description == "UTF-16 big-endian")
    }
}

/// Whole files in each encoding a partner sends, read cell by cell with every chunk size.
@Suite("CSVReader: encodings")
struct CSVReaderEncodingTests {
    /// Text with two-byte, three-byte and four-byte (surrogate pair in UTF-16) characters.
    static let text = "name,city,note\r\nZoë,Zürich,£1,200\r\n😀 Ann,Łódź,\"a, b\"\r\nÉmile,€,日本語\r\n"
    static let rows = [
        Row(1, ["name", "city", "note"]), Row(2, ["Zoë", "Zürich", "£1", "200"]), Row(3, ["😀 Ann", "Łódź", "a, b"]),
        Row(4, ["Émile", "€", "日本語"]),
    ]

    @Test func utf8WithoutBOM() throws {
        let result = try readAllChunkSizes(utf8(Self.text))
        #expect(result.encoding == .utf8)
        #expect(result.rows == Self.rows)
        #expect(result.issues.isEmpty)
    }

    @Test func utf8WithBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + utf8(Self.text)
        let result = try readAllChunkSizes(bytes)
        #expect(result.encoding == .utf8WithBOM)
        #expect(result.rows == Self.rows)
        #expect(result.rows.first?.cells.first == "name")  // no U+FEFF left on the first label
        #expect(result.issues.isEmpty)
        #expect(result.byteCount == bytes.count)
    }

    /// A BOM is skipped when the caller names UTF-8 explicitly too.
    @Test func utf8BOMSkippedWithExplicitEncoding() throws {
        let result = try readAllChunkSizes([0xEF, 0xBB, 0xBF] + utf8("id\n1\n"), options: CSVReaderOptions(encoding: .utf8))
        #expect(result.encoding == .utf8)
        #expect(result.rows == [Row(1, ["id"]), Row(2, ["1"])])
    }

    @Test func utf16LittleEndianWithBOM() throws {
        let result = try readAllChunkSizes(utf16LE(Self.text))
        #expect(result.encoding == .utf16LE)
        #expect(result.delimiter == UInt8(ascii: ","))
        #expect(result.rows == Self.rows)
        #expect(result.issues.isEmpty)
    }

    @Test func utf16BigEndianWithBOM() throws {
        let result = try readAllChunkSizes(utf16BE(Self.text))
        #expect(result.encoding == .utf16BE)
        #expect(result.rows == Self.rows)
        #expect(result.issues.isEmpty)
    }

    @Test func utf16LittleEndianWithoutBOM() throws {
        let result = try readAllChunkSizes(utf16LE("id,name\r\n1,Zoë\r\n", bom: false))
        #expect(result.encoding == .utf16LE)
        #expect(result.rows == [Row(1, ["id", "name"]), Row(2, ["1", "Zoë"])])
    }

    /// Excel's "Unicode text": UTF-16 LE with a BOM, tab-delimited, CRLF.
    @Test func excelUnicodeText() throws {
        let text = "partner_id\tquarter\tnote\r\nP001\t2026-Q2\tZoë said \"hi\", twice\r\nP002\t2026-Q2\t£5\r\n"
        let result = try readAllChunkSizes(utf16LE(text))
        #expect(result.encoding == .utf16LE)
        #expect(result.delimiter == 0x09)
        #expect(
            result.rows == [
                Row(1, ["partner_id", "quarter", "note"]), Row(2, ["P001", "2026-Q2", "Zoë said \"hi\", twice"]),
                Row(3, ["P002", "2026-Q2", "£5"]),
            ])
        #expect(result.issues.isEmpty)
    }

    /// Windows-1252: `£` is A3, `€` is 80, `é` is E9, curly quotes are 93/94.
    @Test func windows1252() throws {
        let bytes: [UInt8] =
            utf8("Caf") + [0xE9] + utf8(",Price\r\nTea,") + [0xA3] + utf8("3.50\r\nBun,") + [0x80] + utf8("2\r\nQuote,")
            + [0x93] + utf8("hi") + [0x94] + utf8("\r\n")
        let result = try readAllChunkSizes(bytes)
        #expect(result.encoding == .windows1252)
        #expect(
            result.rows == [
                Row(1, ["Café", "Price"]), Row(2, ["Tea", "£3.50"]), Row(3, ["Bun", "€2"]), Row(4, ["Quote", "\u{201C}hi\u{201D}"]),
            ])
        #expect(result.issues.isEmpty)
    }

    /// When the first non-ASCII byte comes late, the caller can name the encoding; every chunk size agrees.
    @Test func windows1252Explicit() throws {
        let bytes = utf8("partner_id,quarter,amount\r\nP001,2026-Q2,") + [0xA3] + utf8("1,200.50\r\n")
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(encoding: .windows1252))
        #expect(result.encoding == .windows1252)
        #expect(result.rows == [Row(1, ["partner_id", "quarter", "amount"]), Row(2, ["P001", "2026-Q2", "£1", "200.50"])])
        #expect(result.issues.isEmpty)
    }

    /// The five bytes Windows leaves undefined map to C1 controls instead of failing.
    @Test func windows1252UndefinedBytes() throws {
        let result = try readAllChunkSizes([0x81, 0x8D, 0x8F, 0x90, 0x9D] + utf8("\n"), options: CSVReaderOptions(encoding: .windows1252))
        #expect(result.rows == [Row(1, ["\u{81}\u{8D}\u{8F}\u{90}\u{9D}"])])
        #expect(result.issues.isEmpty)
    }

    /// A NUL in a Windows-1252 file is reported like one in UTF-8.
    @Test func windows1252Nul() throws {
        let bytes = utf8("a\n") + [0xA3, 0x00, 0x31] + utf8("\n")
        let result = try readAllChunkSizes(bytes, options: CSVReaderOptions(encoding: .windows1252))
        #expect(result.rows == [Row(1, ["a"]), Row(2, ["£1"])])
        #expect(result.issues == [CSVIssue(kind: .nulBytes(count: 1), rowNumber: 2, fieldNumber: 1, byteOffset: 3)])
    }

    /// An unpaired UTF-16 surrogate becomes U+FFFD, reported at its offset in the original file.
    @Test(arguments: [UInt16(0xD800), 0xDC00])
    func utf16UnpairedSurrogate(_ surrogate: UInt16) throws {
        var bytes = utf16LE("a,b\r\n")
        let offset = bytes.count
        bytes += [UInt8(surrogate & 0xFF), UInt8(surrogate >> 8)] + utf16LE("x,y\r\n", bom: false)
        let result = try readAllChunkSizes(bytes)
        #expect(result.rows == [Row(1, ["a", "b"]), Row(2, ["\u{FFFD}x", "y"])])
        #expect(result.issues == [CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 1, byteOffset: offset)])
    }

    /// A high surrogate at the very end of a UTF-16 file has no low half.
    @Test func utf16HighSurrogateAtEnd() throws {
        var bytes = utf16BE("a\n1,")
        let offset = bytes.count
        bytes += [0xD8, 0x3D]
        let result = try readAllChunkSizes(bytes)
        #expect(result.rows == [Row(1, ["a"]), Row(2, ["1", "\u{FFFD}"])])
        #expect(result.issues == [CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 2, byteOffset: offset)])
    }

    /// An odd number of bytes in a UTF-16 file: the last byte is a problem.
    @Test func utf16OddTrailingByte() throws {
        let bytes = utf16LE("a\n1") + [0x32]
        let result = try readAllChunkSizes(bytes)
        #expect(result.rows == [Row(1, ["a"]), Row(2, ["1\u{FFFD}"])])
        #expect(result.issues == [CSVIssue(kind: .invalidBytes(count: 1), rowNumber: 2, fieldNumber: 1, byteOffset: bytes.count - 1)])
    }

    /// A UTF-16 NUL code unit is removed and reported at its offset.
    @Test func utf16Nul() throws {
        var bytes = utf16LE("a\nb")
        let offset = bytes.count
        bytes += [0x00, 0x00] + utf16LE("c\n", bom: false)
        let result = try readAllChunkSizes(bytes)
        #expect(result.rows == [Row(1, ["a"]), Row(2, ["bc"])])
        #expect(result.issues == [CSVIssue(kind: .nulBytes(count: 1), rowNumber: 2, fieldNumber: 1, byteOffset: offset)])
    }
}
