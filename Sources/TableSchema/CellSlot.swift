import Dates

// MARK: - A row's cells, lent as bytes

/// A row's cells as one run of UTF-8 bytes and where each cell ends, lent for the length of a call: the
/// validator reads cells through it without making an `ArraySlice` (and retaining its buffer) per cell.
public struct UnsafeCells {
    /// The bytes every cell is a range of.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where each cell ends in `bytes`.
    let ends: UnsafeBufferPointer<Int>
    /// Where the first cell starts in `bytes`.
    let start: Int

    /// Lends cells that are ranges of `bytes`: cell `i` runs from `start` (for the first) or the end of
    /// cell `i - 1`, to `ends[i]`.
    public init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, start: Int) {
        self.bytes = bytes
        self.ends = ends
        self.start = start
    }

    /// How many cells the row has.
    public var count: Int { ends.count }

    /// The bytes of cell `index`, as a slice of ``bytes`` (indices are offsets into it).
    @inline(__always)
    subscript(index: Int) -> CellParser.Bytes {
        bytes[(index == 0 ? start : ends[index - 1])..<ends[index]]
    }
}

extension CellRow {
    /// Copies the cells into one buffer and lends them (rows that hold their cells apart, such as a
    /// workbook's).
    public func withUnsafeCells<R>(_ body: (UnsafeCells) -> R) -> R {
        var packed = PackedCellRow()
        for index in 0..<cellCount { packed.append(cell(index)) }
        return packed.withUnsafeCells(body)
    }
}

/// A row whose cells are packed into one buffer as they are added, and lent to the validator as they are
/// (no copy per cell): one value can serve every row of a table, emptied between rows.
public struct PackedCellRow: CellRow {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var ends: [Int] = []

    /// An empty row.
    public init() {}

    /// Starts the next row, keeping the buffers.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Adds the next cell (inlinable, so that each caller's sequence type is specialised: an unspecialised
    /// call per cell looks up the sequence's witnesses at run time).
    @inlinable
    public mutating func append(_ cell: some Sequence<UInt8>) {
        bytes.append(contentsOf: cell)
        ends.append(bytes.count)
    }

    /// Adds an empty cell.
    public mutating func appendEmpty() {
        ends.append(bytes.count)
    }

    public var cellCount: Int { ends.count }

    public func cell(_ index: Int) -> ArraySlice<UInt8> { bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]] }

    public func withUnsafeCells<R>(_ body: (UnsafeCells) -> R) -> R {
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in body(UnsafeCells(bytes: bytes, ends: ends, start: 0)) }
        }
    }
}

// MARK: - Typed values with no reference

/// A cell's typed value as the validator holds it while it checks a row. It holds no reference (text is a
/// range of the row's bytes, or of the validator's copy of the last value), so filling a row's slots,
/// reading them in keys and rules and clearing them retains and releases nothing. A list's items, which do
/// hold references, are kept beside the slots.
struct CellSlot {
    enum Kind: UInt8 {
        case null, text, integer, number, boolean, date, datetime, year, list
    }

    var kind: Kind
    /// The value of an integer, date, date and time, year or boolean (1 or 0), or a number's bit pattern.
    var bits: Int64
    /// The bytes of a text value.
    var text: UnsafeBufferPointer<UInt8>

    static var null: CellSlot { CellSlot(kind: .null, bits: 0, text: UnsafeBufferPointer(start: nil, count: 0)) }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> CellSlot { CellSlot(kind: .text, bits: 0, text: bytes) }

    static func scalar(_ kind: Kind, _ bits: Int64) -> CellSlot {
        CellSlot(kind: kind, bits: bits, text: UnsafeBufferPointer(start: nil, count: 0))
    }

    static func number(_ value: Double) -> CellSlot { scalar(.number, Int64(bitPattern: value.bitPattern)) }

    var number: Double { Double(bitPattern: UInt64(bitPattern: bits)) }

    /// The value as a ``CellValue`` with its own copy of any text; `list` is the row's list value for the field.
    func value(list: CellValue) -> CellValue {
        switch kind {
        case .null: return .null
        case .text: return .text(ArraySlice(text))
        case .integer: return .integer(bits)
        case .number: return .number(number)
        case .boolean: return .boolean(bits != 0)
        case .date: return .date(Int32(truncatingIfNeeded: bits))
        case .datetime: return .datetime(bits)
        case .year: return .year(Int32(truncatingIfNeeded: bits))
        case .list: return list
        }
    }

    /// The value in its canonical spelling (``CellValue/canonicalText``).
    func canonicalText(list: CellValue) -> String {
        kind == .text ? String(decoding: text, as: UTF8.self) : value(list: list).canonicalText
    }
}

// MARK: - What a row observer sees

/// A checked row's typed values, indexed like the schema's fields, lent to ``TableValidator/onRow`` for the
/// length of the call. Elements are ``CellValue``s with their own copy of any text, made when read; a
/// text's bytes can be read without a copy with ``withText(_:_:)``.
public struct TypedRow: RandomAccessCollection {
    let slots: UnsafeBufferPointer<CellSlot>
    let lists: [CellValue]

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots.count }

    /// The value of field `index`, holding its own copy of any text.
    public subscript(index: Int) -> CellValue {
        slots[index].value(list: lists.isEmpty ? .null : lists[index])
    }

    /// Every value, with the row's text copied once: each text value is a slice of one array holding all
    /// of the row's text, so a kept row costs two allocations however many text cells it has.
    public var ownedValues: [CellValue] {
        var total = 0
        for slot in slots where slot.kind == .text { total += slot.text.count }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for slot in slots where slot.kind == .text { bytes.append(contentsOf: slot.text) }
        var values: [CellValue] = []
        values.reserveCapacity(slots.count)
        var start = 0
        for (index, slot) in slots.enumerated() {
            if slot.kind == .text {
                values.append(.text(bytes[start..<(start + slot.text.count)]))
                start += slot.text.count
            } else {
                values.append(slot.value(list: lists.isEmpty ? .null : lists[index]))
            }
        }
        return values
    }

    /// Lends the bytes of field `index` to `body` when its value is text; nil otherwise.
    public func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let slot = slots[index]
        return slot.kind == .text ? body(slot.text) : nil
    }
}
