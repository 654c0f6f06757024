import CLibXML2
import Foundation

// MARK: - Rows as the callbacks record them

/// What a cell's `t` attribute says it holds (absent or unknown: a number).
enum SheetCellType: UInt8 {
    case sharedString, inlineString, formulaString, boolean, error, isoDate, number

    init(_ attribute: UnsafeBufferPointer<UInt8>) {
        func equals(_ text: StaticString) -> Bool {
            attribute.count == text.utf8CodeUnitCount && memcmp(attribute.baseAddress!, text.utf8Start, attribute.count) == 0
        }
        switch attribute.count {
        case 1 where equals("s"): self = .sharedString
        case 1 where equals("b"): self = .boolean
        case 1 where equals("e"): self = .error
        case 1 where equals("d"): self = .isoDate
        case 3 where equals("str"): self = .formulaString
        case 9 where equals("inlineStr"): self = .inlineString
        default: self = .number
        }
    }
}

/// One cell as the sheet callbacks record it: its texts are ranges of its row's bytes, nil when the cell
/// has no such element.
struct RecordedCell {
    var column = 0
    var type = SheetCellType.number
    var style = 0
    /// The text of `<v>`.
    var value: Range<Int>?
    /// The text of `<f>`.
    var formula: Range<Int>?
    /// The text of `<is>`'s `<t>` runs (phonetic guides left out).
    var inline: Range<Int>?
}

/// A row read completely: its number, its cells in the recorder's `cells`, its bytes from `firstByte`.
struct RecordedRow {
    var number: Int
    var cells: Range<Int>
    var firstByte: Int
}

/// What the sheet callbacks write to: the rows completed since the last chunk, then the row in progress,
/// as cell records and one run of bytes (no allocation per cell or per row). Elements are matched by local
/// name, whatever their namespace prefix, and attributes by local name, the first of a name counting.
struct SheetRecorder {
    let part: String
    var bytes: [UInt8] = []
    var cells: [RecordedCell] = []
    var rows: [RecordedRow] = []
    /// A row or cell out of order or outside the grid; the callbacks stop at the first.
    var error: WorkbookReadError?

    private var inSheetData = false
    private var inRow = false
    private var rowNumber = 0
    private var rowFirstCell = 0
    private var rowFirstByte = 0
    private var lastRow = 0
    private var lastColumn = -1
    private var cell = RecordedCell()
    private var value: [UInt8]?
    private var formula: [UInt8]?
    private var inline: [UInt8]?
    private var capture = Capture.none
    private var phoneticDepth = 0

    private enum Capture { case none, value, formula, inlineText }

    /// The elements the recorder acts on.
    enum Element { case sheetData, row, c, v, f, inlineString, t, rPh, other }

    init(part: String) {
        self.part = part
    }

    static func element(_ name: UnsafePointer<UInt8>) -> Element {
        switch name[0] {
        case UInt8(ascii: "c"): return name[1] == 0 ? .c : .other
        case UInt8(ascii: "v"): return name[1] == 0 ? .v : .other
        case UInt8(ascii: "f"): return name[1] == 0 ? .f : .other
        case UInt8(ascii: "t"): return name[1] == 0 ? .t : .other
        case UInt8(ascii: "i"): return name[1] == UInt8(ascii: "s") && name[2] == 0 ? .inlineString : .other
        case UInt8(ascii: "r"):
            if name[1] == UInt8(ascii: "o") && name[2] == UInt8(ascii: "w") && name[3] == 0 { return .row }
            if name[1] == UInt8(ascii: "P") && name[2] == UInt8(ascii: "h") && name[3] == 0 { return .rPh }
            return .other
        case UInt8(ascii: "s"): return isName(name, "sheetData") ? .sheetData : .other
        default: return .other
        }
    }

    /// Whether a name libxml2 hands over (ending in a NUL) is `wanted`.
    static func isName(_ name: UnsafePointer<UInt8>, _ wanted: StaticString) -> Bool {
        let count = wanted.utf8CodeUnitCount
        return memcmp(name, wanted.utf8Start, count) == 0 && name[count] == 0
    }

    // MARK: Callbacks

    /// An element starts; `attribute` finds the first attribute of a local name, as raw bytes.
    mutating func start(_ element: Element, attribute: (StaticString) -> UnsafeBufferPointer<UInt8>?) {
        switch element {
        case .sheetData:
            inSheetData = true
        case .row where inSheetData:
            startRow(attribute("r"))
        case .c where inRow:
            startCell(reference: attribute("r"), type: attribute("t"), style: attribute("s"))
        case .v where inRow:
            capture = .value
            if value == nil { value = [] }
        case .f where inRow:
            capture = .formula
            if formula == nil { formula = [] }
        case .inlineString where inRow:
            inline = []
        case .rPh:
            phoneticDepth += 1
        case .t where inline != nil && phoneticDepth == 0:
            capture = .inlineText
        default:
            break
        }
    }

    mutating func text(_ text: UnsafeBufferPointer<UInt8>) {
        switch capture {
        case .none: break
        case .value: value?.append(contentsOf: text)
        case .formula: formula?.append(contentsOf: text)
        case .inlineText: inline?.append(contentsOf: text)
        }
    }

    mutating func end(_ element: Element) {
        switch element {
        case .v, .f, .t:
            capture = .none
        case .rPh:
            phoneticDepth -= 1
        case .c where inRow:
            var finished = cell
            finished.value = store(value)
            finished.formula = store(formula)
            finished.inline = store(inline)
            cells.append(finished)  // columns rise and stay within the grid, so a row holds at most 16,384
        case .row where inRow:
            inRow = false
            rows.append(RecordedRow(number: rowNumber, cells: rowFirstCell..<cells.count, firstByte: rowFirstByte))
            rowFirstCell = cells.count
            rowFirstByte = bytes.count
        case .sheetData:
            inSheetData = false
        default:
            break
        }
    }

    /// A cell's text appended to the row's bytes, as a range from the row's first byte.
    private mutating func store(_ text: [UInt8]?) -> Range<Int>? {
        guard let text else { return nil }
        let start = bytes.count - rowFirstByte
        bytes.append(contentsOf: text)
        return start..<(start + text.count)
    }

    private mutating func startRow(_ reference: UnsafeBufferPointer<UInt8>?) {
        if inRow {
            // A row inside a row: the outer one is dropped, as it never ends.
            cells.removeSubrange(rowFirstCell...)
            bytes.removeSubrange(rowFirstByte...)
        }
        inRow = false
        var number = lastRow + 1
        if let reference {
            guard let given = Self.integer(reference) else {
                error = .badRow(part: part, row: XMLStreamParser.attributeValue(reference))
                return
            }
            number = given
        }
        guard number > lastRow, number <= CellAddress.maxRows else {
            error = .badRow(part: part, row: String(number))
            return
        }
        lastRow = number
        lastColumn = -1
        rowNumber = number
        inRow = true
    }

    private mutating func startCell(
        reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?, style: UnsafeBufferPointer<UInt8>?
    ) {
        var column = lastColumn + 1
        if let reference {
            guard let parsed = CellAddress.parse(bytes: reference), parsed.row == nil || parsed.row == lastRow else {
                error = .badCellReference(part: part, reference: XMLStreamParser.attributeValue(reference))
                return
            }
            column = parsed.column
        }
        guard column > lastColumn, column < CellAddress.maxColumns else {
            error = .badCellReference(part: part, reference: CellAddress.reference(column: column, row: lastRow))
            return
        }
        lastColumn = column
        cell.column = column
        cell.type = type.map(SheetCellType.init) ?? .number
        cell.style = style.flatMap(Self.integer) ?? 0
        value = nil
        formula = nil
        inline = nil
    }

    /// The rows completed so far, handed over whole (the recorder goes on with new buffers, holding the row
    /// in progress): for rows read on one thread and checked on another.
    mutating func takeRows() -> RecordedRows {
        let taken = RecordedRows(bytes: bytes, cells: cells, rows: rows)
        bytes = Array(bytes[rowFirstByte...])
        cells = Array(cells[rowFirstCell...])
        rows = []
        rowFirstCell = 0
        rowFirstByte = 0
        return taken
    }

    /// Drops the rows handed on; the row in progress moves to the front.
    mutating func removeRows() {
        rows.removeAll(keepingCapacity: true)
        cells.removeSubrange(..<rowFirstCell)
        bytes.removeSubrange(..<rowFirstByte)
        rowFirstCell = 0
        rowFirstByte = 0
    }

    /// An integer as Swift's `Int(_: String)` reads one: an optional sign, then at least one digit, nothing
    /// else, within `Int`'s range.
    static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { return nil }
        var number = 0
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(Int(digit)) : times.addingReportingOverflow(Int(digit))
            guard !overflow, !overflowSum else { return nil }
            number = sum
            index += 1
        }
        return number
    }
}

// MARK: - Rows as they are handed on

/// The shared strings of a workbook as one run of UTF-8 bytes and where each string ends.
struct SharedStringTable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }

    func string(_ index: Int) -> String {
        String(decoding: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]], as: UTF8.self)
    }
}

/// A cell's text when it needs no conversion: see ``SheetRowCells/literal(_:)``.
public enum SheetCellLiteral {
    /// Text as the cell holds it: a shared or inline string, or a formula's text result.
    case text(UnsafeBufferPointer<UInt8>)
    /// A whole number of at most 15 digits with no leading zero, in a cell not formatted as a date: Excel
    /// shows it as stored (`42`, `-7`), so these are the digits of ``SheetCellContent/number(_:)``.
    case integer(UnsafeBufferPointer<UInt8>)
}

/// One stored row of a sheet, lent for the length of a call: its cells as the workbook records them, read
/// as ``SheetCell``s or, for most cells, as the bytes of their text.
public struct SheetRowCells {
    /// The 1-based row number, as Excel shows it.
    public let rowNumber: Int
    let bytes: UnsafeBufferPointer<UInt8>
    let cells: UnsafeBufferPointer<RecordedCell>
    let strings: UnsafeBufferPointer<UInt8>
    let stringEnds: UnsafeBufferPointer<Int>
    let dateStyles: UnsafeBufferPointer<Bool>

    /// How many cells the row stores.
    public var count: Int { cells.count }

    /// The 0-based column of cell `index`; columns rise along the row.
    public func column(_ index: Int) -> Int { cells[index].column }

    /// The row as ``SheetRow``: every cell converted.
    public var row: SheetRow {
        SheetRow(rowNumber: rowNumber, cells: (0..<count).map(cell))
    }

    /// Cell `index`, converted.
    public func cell(_ index: Int) -> SheetCell {
        let cell = cells[index]
        let isDate = isDateFormatted(cell)
        func text(_ range: Range<Int>?) -> String {
            guard let range else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        let value = cell.value
        let content: SheetCellContent
        switch cell.type {
        case .sharedString:
            if let index = Int(text(value).trimmedOfXMLSpace), index >= 0, index < stringEnds.count {
                content = .text(String(decoding: sharedString(index), as: UTF8.self))
            } else if value == nil {
                content = .blank
            } else {
                content = .error("#REF! (shared text \(text(value)) is missing)")
            }
        case .inlineString:
            content = cell.inline.map { .text(text($0)) } ?? (value.map { .text(text($0)) } ?? .blank)
        case .formulaString:
            content = value.map { .text(text($0)) } ?? (cell.formula.map { .formulaWithoutResult(text($0)) } ?? .blank)
        case .boolean:
            content =
                value.map { .boolean(text($0).trimmedOfXMLSpace == "1" || text($0).trimmedOfXMLSpace.lowercased() == "true") } ?? .blank
        case .error:
            content = .error(value.map { text($0).trimmedOfXMLSpace } ?? "#VALUE!")
        case .isoDate:
            content = value.map { .isoDate(text($0).trimmedOfXMLSpace) } ?? .blank
        case .number:
            if let value, let number = Double(text(value).trimmedOfXMLSpace) {
                content = .number(number)
            } else if let value, !value.isEmpty {
                content = .text(text(value))
            } else if let formula = cell.formula {
                content = .formulaWithoutResult(text(formula))
            } else {
                content = .blank
            }
        }
        return SheetCell(column: cell.column, content: content, isDateFormatted: isDate)
    }

    /// Cell `index`'s text as bytes, when the cell needs no conversion: a shared string, an inline string or a
    /// formula's text result (``SheetCellLiteral/text(_:)``, the text of ``SheetCellContent/text(_:)``), or a
    /// plain whole number (``SheetCellLiteral/integer(_:)``). Nil for any other cell: read it with ``cell(_:)``.
    public func literal(_ index: Int) -> SheetCellLiteral? {
        let cell = cells[index]
        switch cell.type {
        case .sharedString:
            guard let range = cell.value, let string = Self.index(UnsafeBufferPointer(rebasing: bytes[range])),
                string < stringEnds.count
            else { return nil }
            return .text(sharedString(string))  // the table holds well-formed UTF-8
        case .inlineString:
            guard let range = cell.inline ?? cell.value else { return nil }
            return Self.wellFormed(UnsafeBufferPointer(rebasing: bytes[range])).map(SheetCellLiteral.text)
        case .formulaString:
            guard let range = cell.value else { return nil }
            return Self.wellFormed(UnsafeBufferPointer(rebasing: bytes[range])).map(SheetCellLiteral.text)
        case .number:
            guard let range = cell.value, !isDateFormatted(cell) else { return nil }
            let digits = UnsafeBufferPointer(rebasing: bytes[range])
            return Self.isPlainInteger(digits) ? .integer(digits) : nil
        case .boolean, .error, .isoDate:
            return nil
        }
    }

    /// Whether the cell's style shows a date or time, so that its number is a date serial.
    private func isDateFormatted(_ cell: RecordedCell) -> Bool {
        cell.style >= 0 && cell.style < dateStyles.count && dateStyles[cell.style]
    }

    private func sharedString(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : stringEnds[index - 1]
        return UnsafeBufferPointer(rebasing: strings[start..<stringEnds[index]])
    }

    /// A shared-string index written as digits only (the common case; anything else takes the slow way).
    private static func index(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var number = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            number = number * 10 + Int(digit)
        }
        return number
    }

    /// An optional minus, then 1 to 15 digits, the first not 0 unless it is the only one (`-0` excluded):
    /// exactly the numbers whose text Excel's General format gives back unchanged.
    static func isPlainInteger(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        if text.first == UInt8(ascii: "-") { start = 1 }
        let digits = text.count - start
        guard digits >= 1, digits <= 15 else { return false }
        if text[start] == UInt8(ascii: "0") && (digits > 1 || start == 1) { return false }
        for index in start..<text.count where text[index] &- UInt8(ascii: "0") >= 10 { return false }
        return true
    }

    /// The bytes when they are well-formed UTF-8 (as libxml2 hands text over), else nil.
    private static func wellFormed(_ text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        if text.allSatisfy({ $0 < 0x80 }) { return text }
        return String(validating: text, as: UTF8.self) == nil ? nil : text
    }
}

extension String {
    /// The text without the XML white space (space, tab, line feed, carriage return) at either end.
    var trimmedOfXMLSpace: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\n" || first == "\r" || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\n" || last == "\r" || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}

// MARK: - Handing rows on

/// Completed rows with their cells and bytes, as ``SheetRecorder`` holds them (a chunk's worth, or more).
struct RecordedRows {
    var bytes: [UInt8]
    var cells: [RecordedCell]
    var rows: [RecordedRow]

    /// Lends each row to `body`, in order, until it returns false; returns whether it did.
    static func forEach<E: Error>(
        bytes: [UInt8], cells: [RecordedCell], rows: [RecordedRow], strings: SharedStringTable, dateStyles: [Bool],
        _ body: (SheetRowCells) throws(E) -> Bool
    ) throws(E) -> Bool {
        try bytes.withUnsafeBufferPointer { (bytes) throws(E) in
            try cells.withUnsafeBufferPointer { (cells) throws(E) in
                try strings.bytes.withUnsafeBufferPointer { (stringBytes) throws(E) in
                    try strings.ends.withUnsafeBufferPointer { (stringEnds) throws(E) in
                        try dateStyles.withUnsafeBufferPointer { (dateStyles) throws(E) in
                            for row in rows {
                                let view = SheetRowCells(
                                    rowNumber: row.number, bytes: UnsafeBufferPointer(rebasing: bytes[row.firstByte...]),
                                    cells: UnsafeBufferPointer(rebasing: cells[row.cells]), strings: stringBytes,
                                    stringEnds: stringEnds, dateStyles: dateStyles)
                                if !(try body(view)) { return false }
                            }
                            return true
                        }
                    }
                }
            }
        }
    }
}

/// Hands each row the sheet callbacks completed to `emit`, in order, after each chunk.
struct SheetRowReader: XMLPartReader {
    static let recordsSheetRows = true
    let strings: SharedStringTable
    let dateStyles: [Bool]
    /// Called with each row; returns false to stop reading.
    let emit: (SheetRowCells) throws(WorkbookReadError) -> Bool
    /// Set when `emit` asked to stop.
    var stopped = false

    mutating func take(from state: inout XMLStreamParser.SAXState) throws(WorkbookReadError) {
        defer { state.sheet!.removeRows() }
        if stopped { return }
        stopped =
            !(try RecordedRows.forEach(
                bytes: state.sheet!.bytes, cells: state.sheet!.cells, rows: state.sheet!.rows, strings: strings,
                dateStyles: dateStyles, emit))
        if !stopped, let error = state.sheet!.error { throw error }
    }
}

/// Sends each chunk's completed rows to another thread, which checks them while this one reads on.
struct SheetRowForwarder: XMLPartReader {
    static let recordsSheetRows = true
    let channel: RecordedRowsChannel

    /// True once the receiving side has given up (it threw): reading stops.
    var stopped: Bool { channel.isCancelled }

    mutating func take(from state: inout XMLStreamParser.SAXState) throws(WorkbookReadError) {
        let rows = state.sheet!.takeRows()
        if !rows.rows.isEmpty { channel.send(rows) }
        if let error = state.sheet!.error { throw error }
    }
}

/// Chunks of rows from the thread that reads a sheet to the one that checks it, at most `capacity` waiting;
/// then how the reading ended.
final class RecordedRowsChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [RecordedRows] = []
    private var ended = false
    private var failure: WorkbookReadError?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Waits while the channel is full, then adds a chunk (dropped once the receiver has given up).
    func send(_ rows: RecordedRows) {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return }
        waiting.append(rows)
        condition.broadcast()
    }

    /// The reading is over, with the error it ended with, if any.
    func end(_ error: WorkbookReadError?) {
        condition.lock()
        defer { condition.unlock() }
        failure = error
        ended = true
        condition.broadcast()
    }

    /// The next chunk; nil once the reading is over and every chunk was received.
    func receive() -> Result<RecordedRows, WorkbookReadError>? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !ended { condition.wait() }
        if !waiting.isEmpty {
            condition.broadcast()
            return .success(waiting.removeFirst())
        }
        return failure.map { .failure($0) }
    }

    /// The receiver gives up: the reader stops at its next chunk. Waits until it has.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        waiting.removeAll()
        condition.broadcast()
        while !ended { condition.wait() }
    }
}
