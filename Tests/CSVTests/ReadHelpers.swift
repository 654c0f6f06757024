import CSV
import Testing

/// One record as the tests compare it: its spreadsheet row number and its cells as text.
struct Row: Equatable, CustomStringConvertible {
    var number: Int
    var cells: [String]

    init(_ number: Int, _ cells: [String]) {
        self.number = number
        self.cells = cells
    }

    var description: String { "\(number): \(cells)" }
}

/// Everything a read produced, so reads with different chunk sizes can be compared as one value.
struct ReadResult: Equatable {
    var rows: [Row]
    var issues: [CSVIssue]
    var encoding: TextEncoding
    var delimiter: UInt8
    var records: Int
    var byteCount: Int
}

/// Chunk sizes every case is read with: tiny (to split characters, CRLF pairs, surrogate pairs and
/// quoted fields across chunk boundaries), odd (to split UTF-16 code units) and the default.
let chunkSizes = [16, 17, 64, CSVReaderOptions().chunkSize]

/// Reads in-memory bytes with one set of options.
func readBytes(_ bytes: [UInt8], options: CSVReaderOptions = CSVReaderOptions()) throws -> ReadResult {
    let reader = try CSVReader(bytes: bytes, name: "test.csv", options: options)
    var rows: [Row] = []
    let summary = try reader.read { record in rows.append(Row(record.rowNumber, record.strings)) }
    return ReadResult(
        rows: rows, issues: summary.issues, encoding: summary.encoding, delimiter: summary.delimiter,
        records: summary.records, byteCount: summary.byteCount)
}

/// Reads the bytes with every chunk size in ``chunkSizes`` and expects identical results;
/// returns the result of the default chunk size. `byteCount` is left out of the comparison when
/// `stopsEarly` (a read stopped by a limit has read as far as its current chunk).
func readAllChunkSizes(
    _ bytes: [UInt8], options: CSVReaderOptions = CSVReaderOptions(), stopsEarly: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> ReadResult {
    var reference: ReadResult?
    for size in chunkSizes.reversed() {
        var sized = options
        sized.chunkSize = size
        var result = try readBytes(bytes, options: sized)
        if stopsEarly, let reference { result.byteCount = reference.byteCount }
        if let reference {
            #expect(result == reference, "chunk size \(size) differs from the default", sourceLocation: sourceLocation)
        } else {
            reference = result
        }
    }
    return reference!
}

/// Text as UTF-8 bytes.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Text as UTF-16 little-endian bytes, with or without the FF FE byte-order mark.
func utf16LE(_ text: String, bom: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = bom ? [0xFF, 0xFE] : []
    for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    return bytes
}

/// Text as UTF-16 big-endian bytes, with or without the FE FF byte-order mark.
func utf16BE(_ text: String, bom: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = bom ? [0xFE, 0xFF] : []
    for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
    return bytes
}
