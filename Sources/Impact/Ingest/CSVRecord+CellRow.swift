import CSV
import TableSchema

extension CSVRecord: CellRow {
    /// The number of cells.
    public var cellCount: Int { count }

    /// The bytes of one cell.
    public func cell(_ index: Int) -> ArraySlice<UInt8> { self[index] }

    /// The cells as the reader holds them, without a copy.
    public func withUnsafeCells<R>(_ body: (UnsafeCells) -> R) -> R {
        withUnsafeCellBytes { body(UnsafeCells(bytes: $0, ends: $1, start: $2)) }
    }
}
