import CSV
import TableSchema

extension CSVRecord: CellRow {
    /// The number of cells.
    public var cellCount: Int { count }

    /// The bytes of one cell.
    public func cell(_ index: Int) -> ArraySlice<UInt8> { self[index] }
}
