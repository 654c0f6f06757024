/// One record (row) of a CSV file: its cells as UTF-8 bytes, and its row number.
///
/// A record is a view into the reader's current batch and is meant to be used inside the reading
/// closure; copying it out is safe (the storage is reference-counted) but keeps the batch alive.
public struct CSVRecord: Sendable {
    /// The row number a spreadsheet shows for this record: the header is row 1, and a record whose
    /// quoted cells span several lines still counts as one row.
    public let rowNumber: Int
    /// The number of cells in the record.
    public let count: Int

    @usableFromInline let bytes: [UInt8]
    @usableFromInline let ends: [Int]
    @usableFromInline let firstEnd: Int
    @usableFromInline let start: Int

    init(rowNumber: Int, bytes: [UInt8], ends: [Int], firstEnd: Int, count: Int, start: Int) {
        self.rowNumber = rowNumber
        self.bytes = bytes
        self.ends = ends
        self.firstEnd = firstEnd
        self.count = count
        self.start = start
    }

    /// Creates a record from cell texts (for tests and for rows that come from elsewhere).
    public init(rowNumber: Int, cells: [String]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for cell in cells {
            bytes.append(contentsOf: cell.utf8)
            ends.append(bytes.count)
        }
        self.init(rowNumber: rowNumber, bytes: bytes, ends: ends, firstEnd: 0, count: cells.count, start: 0)
    }

    /// The bytes of cell `index` (0-based), already free of surrounding unquoted spaces.
    @inlinable
    public subscript(index: Int) -> ArraySlice<UInt8> {
        let from = index == 0 ? start : ends[firstEnd + index - 1]
        return bytes[from..<ends[firstEnd + index]]
    }

    /// Lends the record's bytes, where each cell ends in them, and where the first cell starts: cell `i`
    /// runs from the end of cell `i - 1` (or the start) to `ends[i]`.
    public func withUnsafeCellBytes<R>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>, _ start: Int) -> R
    ) -> R {
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                body(bytes, UnsafeBufferPointer(rebasing: ends[firstEnd..<(firstEnd + count)]), start)
            }
        }
    }

    /// The text of cell `index` (0-based).
    public func string(at index: Int) -> String {
        String(decoding: self[index], as: UTF8.self)
    }

    /// All cells as text.
    public var strings: [String] {
        (0..<count).map { string(at: $0) }
    }

    /// True when every cell is empty (or the line had no cells at all).
    public var isBlank: Bool {
        for index in 0..<count where !self[index].isEmpty { return false }
        return true
    }
}
