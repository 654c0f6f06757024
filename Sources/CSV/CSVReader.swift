import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a ``CSVReader`` reads: encoding and delimiter (detected when not given), chunk size and limits.
public struct CSVReaderOptions: Sendable, Equatable {
    /// The file's encoding; `nil` detects it from the byte-order mark and the first bytes.
    public var encoding: TextEncoding?
    /// The cell delimiter; `nil` picks comma, tab or semicolon from the first line.
    public var delimiter: UInt8?
    /// Bytes read from the file at a time. Memory use does not grow with the file beyond this.
    public var chunkSize: Int
    /// The largest cell accepted, in bytes. A larger cell stops the file with an issue.
    public var maxFieldBytes: Int
    /// The most cells kept per row. Further cells are dropped with an issue.
    public var maxColumns: Int
    /// The largest file read, in bytes; `nil` for no limit.
    public var maxFileBytes: Int?

    /// Creates options; the defaults suit partner returns.
    public init(
        encoding: TextEncoding? = nil,
        delimiter: UInt8? = nil,
        chunkSize: Int = 64 * 1024,
        maxFieldBytes: Int = 1 << 20,
        maxColumns: Int = 1_000,
        maxFileBytes: Int? = nil
    ) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.chunkSize = max(chunkSize, 16)
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
        self.maxFileBytes = maxFileBytes
    }
}

/// What reading a whole file found out about it.
public struct CSVReadSummary: Sendable, Equatable {
    /// The encoding the file was read in.
    public var encoding: TextEncoding
    /// The delimiter the file was read with.
    public var delimiter: UInt8
    /// How many records were delivered (blank lines included).
    public var records: Int
    /// The file's size in bytes.
    public var byteCount: Int
    /// Problems found while reading, in file order.
    public var issues: [CSVIssue]
}

/// A streaming CSV reader over libcsv.
///
/// The file is read in fixed-size chunks, converted to UTF-8 when needed, and handed to libcsv;
/// completed records are delivered to the caller after each chunk, so memory stays flat however long
/// the file is. Unquoted cells lose surrounding spaces and tabs. CR, LF and CRLF all end a line, and an
/// empty line is delivered as a record with no cells so that row numbers match the spreadsheet.
public final class CSVReader {
    private enum Source {
        case file(path: String, descriptor: Int32)
        case memory([UInt8])
    }

    /// A name for the input in messages: the path, or the name given for in-memory bytes.
    public let name: String
    private let options: CSVReaderOptions
    private var source: Source
    private var parser = csv_parser()
    private var parserReady = false

    /// Opens a file for reading. Fails at once if it cannot be opened or is a folder.
    public init(path: String, options: CSVReaderOptions = CSVReaderOptions()) throws(CSVError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        // A pipe would block the open (or the read) for ever; a device may never end.
        if (info.st_mode & S_IFMT) != S_IFREG { throw .notRegularFile(path: path) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        // The file may have been swapped for something else between the stat and the open.
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notRegularFile(path: path)
        }
        self.name = path
        self.options = options
        self.source = .file(path: path, descriptor: descriptor)
        try initParser()
    }

    /// Reads bytes already in memory (a pasted return, a test case).
    public init(bytes: [UInt8], name: String = "<memory>", options: CSVReaderOptions = CSVReaderOptions()) throws(CSVError) {
        self.name = name
        self.options = options
        self.source = .memory(bytes)
        try initParser()
    }

    deinit {
        if parserReady { csv_free(&parser) }
        if case .file(_, let descriptor) = source { close(descriptor) }
    }

    private func initParser() throws(CSVError) {
        let status = csv_init(&parser, UInt8(CSV_REPALL_NL))
        guard status == 0 else {
            throw .parserFailed(path: name, code: status, reason: "could not initialise the parser")
        }
        parserReady = true
    }

    // MARK: - Reading

    /// Reads the whole input, calling `body` for every record in order (the header first).
    ///
    /// - Returns: the encoding, delimiter, record count and the issues found.
    /// - Throws: ``CSVError`` when the input cannot be read, or whatever `body` throws.
    public func read(_ body: (CSVRecord) throws -> Void) throws -> CSVReadSummary {
        let state = UnsafeMutablePointer<ParseState>.allocate(capacity: 1)
        state.initialize(to: ParseState(maxColumns: options.maxColumns, maxFieldBytes: options.maxFieldBytes))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        var buffer = [UInt8](repeating: 0, count: options.chunkSize)
        var converted: [UInt8] = []
        var offset = 0
        var transcoder: Transcoder?
        var issues: [CSVIssue] = []
        var stopped = false

        if let limit = options.maxFileBytes {
            var size: Int?
            switch source {
            case .file(_, let descriptor):
                var info = stat()
                if fstat(descriptor, &info) == 0 { size = Int(info.st_size) }
            case .memory(let bytes):
                size = bytes.count
            }
            if let size, size > limit {
                issues.append(CSVIssue(kind: .fileTooLarge(size: size, limit: limit), rowNumber: 1))
                return CSVReadSummary(
                    encoding: options.encoding ?? .utf8, delimiter: options.delimiter ?? 0x2C, records: 0,
                    byteCount: size, issues: issues)
            }
        }

        var encoding = options.encoding ?? .utf8
        var delimiter = options.delimiter ?? 0x2C
        // Without a given delimiter, parsing waits until the first line is complete (or 64 KiB long),
        // so that the sniffed delimiter does not depend on the chunk size.
        var sniffing = options.delimiter == nil
        var firstLine: [UInt8] = []
        var firstLineQuoted = false
        while !stopped {
            var count = try fill(&buffer, at: offset)
            if count == 0 { break }
            var skip = 0
            if transcoder == nil {
                // First chunk: recognise the encoding and delimiter.
                if let given = options.encoding {
                    encoding = given
                    let detected = TextEncoding.detect(sample: buffer[0..<count])
                    if detected.encoding == given || (given == .utf8 && detected.encoding == .utf8WithBOM) {
                        skip = detected.bomLength
                    }
                } else {
                    let detected = TextEncoding.detect(sample: buffer[0..<count])
                    encoding = detected.encoding
                    skip = detected.bomLength
                }
                transcoder = Transcoder(encoding: encoding)
            }
            let chunkOffset = offset
            offset += count
            count -= skip
            let didConvert = buffer.withUnsafeBytes { raw in
                transcoder!.convert(
                    UnsafeRawBufferPointer(rebasing: raw[skip..<(skip + count)]), baseOffset: chunkOffset + skip,
                    into: &converted)
            }
            let data = didConvert ? converted[...] : buffer[skip..<(skip + count)]
            if sniffing {
                firstLine.append(contentsOf: data)
                guard Self.containsLineEnd(data, quoted: &firstLineQuoted) || firstLine.count >= 65_536 else { continue }
                sniffing = false
                delimiter = Self.sniffDelimiter(firstLine[...])
                csv_set_delim(&parser, delimiter)
                try parse(firstLine[...], state: state)
                firstLine = []
            } else {
                if chunkOffset == 0 { csv_set_delim(&parser, delimiter) }
                try parse(data, state: state)
            }
            // A cell over the limit, either completed in this chunk or still growing at its end.
            let tooLarge =
                state.pointee.oversizedField
                ?? (parser.entry_pos > options.maxFieldBytes ? state.pointee.currentPosition : nil)
            try deliver(state: state, transcoder: &transcoder!, issues: &issues, body: body)
            if let tooLarge {
                issues.append(
                    CSVIssue(
                        kind: .fieldTooLarge(limit: options.maxFieldBytes), rowNumber: tooLarge.row,
                        fieldNumber: tooLarge.field))
                stopped = true
            }
        }

        if !stopped {
            if var transcoder {
                if sniffing {
                    // The whole input was one line without a line end.
                    delimiter = Self.sniffDelimiter(firstLine[...])
                    csv_set_delim(&parser, delimiter)
                    try parse(firstLine[...], state: state)
                }
                if transcoder.finish(endOffset: offset, into: &converted) && !converted.isEmpty {
                    try parse(converted[...], state: state)
                }
                // libcsv states: 2 = FIELD_BEGUN; `quoted` is set while inside a quoted cell.
                if state.pointee.oversizedField == nil && parser.pstate == 2 && parser.quoted != 0 {
                    issues.append(
                        CSVIssue(
                            kind: .unterminatedQuote, rowNumber: state.pointee.rowNumber + 1,
                            fieldNumber: state.pointee.currentFields + 1))
                    state.pointee.dropOpenRecord()
                    csv_free(&parser)
                    parserReady = false
                    try initParser()
                } else {
                    let status = csv_fini(&parser, fieldCallback, rowCallback, state)
                    if status != 0 { throw parserError() }
                }
                try deliver(state: state, transcoder: &transcoder, issues: &issues, body: body)
                if let tooLarge = state.pointee.oversizedField {
                    issues.append(
                        CSVIssue(
                            kind: .fieldTooLarge(limit: options.maxFieldBytes), rowNumber: tooLarge.row,
                            fieldNumber: tooLarge.field))
                }
            }
        }
        return CSVReadSummary(
            encoding: encoding, delimiter: delimiter, records: state.pointee.rowNumber, byteCount: offset,
            issues: issues)
    }

    /// Reads the first record only (the header row) without consuming a file reader's position for others.
    public static func header(path: String, options: CSVReaderOptions = CSVReaderOptions()) throws -> [String]? {
        var small = options
        small.chunkSize = 8 * 1024
        return try header(of: CSVReader(path: path, options: small))
    }

    /// Reads the first record only (the header row) of bytes in memory.
    public static func header(bytes: [UInt8], options: CSVReaderOptions = CSVReaderOptions()) throws -> [String]? {
        var small = options
        small.chunkSize = 8 * 1024
        return try header(of: CSVReader(bytes: bytes, options: small))
    }

    private static func header(of reader: CSVReader) throws -> [String]? {
        var header: [String]?
        struct Done: Error {}
        do {
            _ = try reader.read { record in
                if record.isBlank { return }
                header = record.strings
                throw Done()
            }
        } catch is Done {}
        return header
    }

    // MARK: - Internals

    private func fill(_ buffer: inout [UInt8], at offset: Int) throws(CSVError) -> Int {
        switch source {
        case .memory(let bytes):
            let count = min(buffer.count, bytes.count - offset)
            guard count > 0 else { return 0 }
            buffer.replaceSubrange(0..<count, with: bytes[offset..<(offset + count)])
            return count
        case .file(let path, let descriptor):
            var total = 0
            while total < buffer.count {
                let got = buffer.withUnsafeMutableBytes { raw in
                    Glibc.read(descriptor, raw.baseAddress! + total, raw.count - total)
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw .readFailed(path: path, reason: String(cString: strerror(errno)))
                }
                if got == 0 { break }
                total += got
            }
            return total
        }
    }

    private func parse(_ bytes: ArraySlice<UInt8>, state: UnsafeMutablePointer<ParseState>) throws(CSVError) {
        let parsed = bytes.withUnsafeBytes { raw in
            csv_parse(&parser, raw.baseAddress, raw.count, fieldCallback, rowCallback, state)
        }
        if parsed != bytes.count { throw parserError() }
    }

    private func parserError() -> CSVError {
        let code = csv_error(&parser)
        return .parserFailed(path: name, code: code, reason: String(cString: csv_strerror(code)))
    }

    /// Hands completed records to the caller and checks their UTF-8.
    private func deliver(
        state: UnsafeMutablePointer<ParseState>, transcoder: inout Transcoder, issues: inout [CSVIssue],
        body: (CSVRecord) throws -> Void
    ) throws {
        let marks = state.pointee.records
        guard !marks.isEmpty else { return }
        var bytes = state.pointee.bytes
        var ends = state.pointee.fieldEnds
        let delivered = marks.last!.fieldEnd
        let deliveredBytes = delivered == 0 ? 0 : ends[delivered - 1]
        let plain = bytes.withUnsafeBytes { raw in
            UTF8Repair.isPlainASCII(UnsafeRawBufferPointer(rebasing: raw[0..<deliveredBytes]))
        }
        if !plain {
            repair(bytes: &bytes, ends: &ends, upTo: delivered, marks: marks, transcoder: &transcoder, issues: &issues)
        }
        for (index, mark) in marks.enumerated() {
            let firstEnd = index == 0 ? 0 : marks[index - 1].fieldEnd
            let start = firstEnd == 0 ? 0 : ends[firstEnd - 1]
            if mark.truncatedFrom > 0 {
                issues.append(
                    CSVIssue(
                        kind: .tooManyColumns(count: mark.truncatedFrom, limit: options.maxColumns),
                        rowNumber: mark.rowNumber, fieldNumber: options.maxColumns + 1))
            }
            try body(
                CSVRecord(
                    rowNumber: mark.rowNumber, bytes: bytes, ends: ends, firstEnd: firstEnd,
                    count: mark.fieldEnd - firstEnd, start: start))
        }
        state.pointee.removeDelivered()
        transcoder.compact()
    }

    /// Rewrites the delivered part of the batch with invalid bytes replaced and NULs removed.
    private func repair(
        bytes: inout [UInt8], ends: inout [Int], upTo delivered: Int, marks: [RecordMark],
        transcoder: inout Transcoder, issues: inout [CSVIssue]
    ) {
        var newBytes: [UInt8] = []
        newBytes.reserveCapacity(bytes.count)
        var newEnds: [Int] = []
        newEnds.reserveCapacity(ends.count)
        var markIndex = 0
        var start = 0
        for fieldIndex in 0..<ends.count {
            let end = ends[fieldIndex]
            let field = bytes[start..<end]
            if fieldIndex < delivered && !UTF8Repair.isPlainASCII(field) {
                while marks[markIndex].fieldEnd <= fieldIndex { markIndex += 1 }
                let firstOfRecord = markIndex == 0 ? 0 : marks[markIndex - 1].fieldEnd
                let result = UTF8Repair.repair(field)
                if result.problems > 0 {
                    var offset: Int?
                    for _ in 0..<result.problems {
                        let next = transcoder.nextProblemOffset()
                        if offset == nil { offset = next }
                    }
                    let nulCount = field.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
                    let invalidCount = result.problems - nulCount
                    let row = marks[markIndex].rowNumber
                    let column = fieldIndex - firstOfRecord + 1
                    if invalidCount > 0 {
                        issues.append(
                            CSVIssue(kind: .invalidBytes(count: invalidCount), rowNumber: row, fieldNumber: column, byteOffset: offset))
                    }
                    if nulCount > 0 {
                        issues.append(CSVIssue(kind: .nulBytes(count: nulCount), rowNumber: row, fieldNumber: column, byteOffset: offset))
                    }
                }
                newBytes.append(contentsOf: result.bytes)
            } else {
                newBytes.append(contentsOf: field)
            }
            newEnds.append(newBytes.count)
            start = end
        }
        bytes = newBytes
        ends = newEnds
    }

    /// Picks the delimiter from the first line: the most frequent of comma, tab and semicolon outside quotes.
    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0
        var tabs = 0
        var semicolons = 0
        var quoted = false
        for byte in bytes {
            if byte == 0x22 { quoted.toggle() }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            switch byte {
            case 0x2C: commas += 1
            case 0x09: tabs += 1
            case 0x3B: semicolons += 1
            default: break
            }
        }
        if tabs > commas && tabs >= semicolons { return 0x09 }
        if semicolons > commas && semicolons > tabs { return 0x3B }
        return 0x2C
    }

    /// True when the bytes hold a CR or LF outside quotes; `quoted` carries the quote state from
    /// one call to the next.
    static func containsLineEnd(_ bytes: ArraySlice<UInt8>, quoted: inout Bool) -> Bool {
        for byte in bytes {
            if byte == 0x22 {
                quoted.toggle()
            } else if !quoted && (byte == 0x0A || byte == 0x0D) {
                return true
            }
        }
        return false
    }
}

// MARK: - State shared with the C callbacks

/// Where one completed record ends in the batch.
struct RecordMark {
    var fieldEnd: Int
    var rowNumber: Int
    var truncatedFrom: Int
}

/// The batch the C callbacks fill: a plain struct behind the `void *` argument (no retain per field).
struct ParseState {
    var bytes: [UInt8] = []
    var fieldEnds: [Int] = []
    var records: [RecordMark] = []
    var currentFields = 0
    var droppedFields = 0
    var rowNumber = 0
    var lastEndedByCR = false
    let maxColumns: Int
    let maxFieldBytes: Int
    /// Where the first cell over `maxFieldBytes` was; once set, nothing more is recorded.
    var oversizedField: (row: Int, field: Int)?

    /// The row and cell position of the cell being read now.
    var currentPosition: (row: Int, field: Int) { (rowNumber + 1, currentFields + droppedFields + 1) }

    init(maxColumns: Int, maxFieldBytes: Int = .max) {
        self.maxColumns = maxColumns
        self.maxFieldBytes = maxFieldBytes
        bytes.reserveCapacity(128 * 1024)
        fieldEnds.reserveCapacity(16 * 1024)
        records.reserveCapacity(2048)
    }

    mutating func addField(_ pointer: UnsafeRawPointer?, _ length: Int) {
        if oversizedField != nil { return }
        if length > maxFieldBytes {
            oversizedField = currentPosition
            return
        }
        lastEndedByCR = false
        if currentFields >= maxColumns {
            droppedFields += 1
            return
        }
        if let pointer, length > 0 {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        }
        fieldEnds.append(bytes.count)
        currentFields += 1
    }

    mutating func endRow(_ terminator: Int32) {
        if oversizedField != nil { return }
        // With CSV_REPALL_NL libcsv reports the LF of a CRLF as an empty record: skip it.
        if currentFields == 0 && droppedFields == 0 && terminator == 0x0A && lastEndedByCR {
            lastEndedByCR = false
            return
        }
        rowNumber += 1
        let truncated = droppedFields > 0 ? currentFields + droppedFields : 0
        records.append(RecordMark(fieldEnd: fieldEnds.count, rowNumber: rowNumber, truncatedFrom: truncated))
        currentFields = 0
        droppedFields = 0
        lastEndedByCR = terminator == 0x0D
    }

    /// Forgets the fields of a record that never ended (an unclosed quote at the end of the file).
    mutating func dropOpenRecord() {
        let keep = records.last?.fieldEnd ?? 0
        fieldEnds.removeSubrange(keep...)
        bytes.removeSubrange((keep == 0 ? 0 : fieldEnds[keep - 1])...)
        currentFields = 0
        droppedFields = 0
    }

    /// Removes delivered records, keeping the fields of the record still in progress.
    mutating func removeDelivered() {
        guard let last = records.last else { return }
        let deliveredFields = last.fieldEnd
        let deliveredBytes = deliveredFields == 0 ? 0 : fieldEnds[deliveredFields - 1]
        // The delivered records may still be held (a file checked in batches keeps them instead of copying
        // them): the rest starts new buffers, as large as the old ones up to 1 MiB of bytes (one huge cell
        // must not make every later buffer that large), rather than copying the held ones.
        var restBytes: [UInt8] = []
        restBytes.reserveCapacity(max(bytes.count - deliveredBytes, min(bytes.capacity, 1 << 20)))
        restBytes.append(contentsOf: bytes[deliveredBytes...])
        bytes = restBytes
        var restEnds: [Int] = []
        restEnds.reserveCapacity(max(fieldEnds.count - deliveredFields, min(fieldEnds.capacity, 1 << 17)))
        for end in fieldEnds[deliveredFields...] { restEnds.append(end - deliveredBytes) }
        fieldEnds = restEnds
        records.removeAll(keepingCapacity: true)
    }
}

private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?) {
    data?.assumingMemoryBound(to: ParseState.self).pointee.addField(field, length)
}

private func rowCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    data?.assumingMemoryBound(to: ParseState.self).pointee.endRow(terminator)
}
