// MARK: - One file checked in batches, on several cores

/// Rows of a file held for checking on another core, with their numbers in the file. Rows that are views
/// into a reader's buffers (CSV records) keep those buffers alive instead of being copied.
public struct RowBatch<Row: CellRow> {
    /// The rows' numbers in the file, in order.
    public private(set) var rowNumbers: [Int] = []
    private var rows: [Row] = []

    /// An empty batch.
    public init() {}

    /// How many rows it holds.
    public var count: Int { rows.count }

    /// Adds a row.
    public mutating func append(_ row: Row, rowNumber: Int) {
        rows.append(row)
        rowNumbers.append(rowNumber)
    }

    /// The row at a position in the batch.
    public func row(_ position: Int) -> Row { rows[position] }

    /// The row with a number, when the batch holds it.
    func row(number: Int) -> Row? {
        var low = 0
        var high = rowNumbers.count
        while low < high {
            let middle = (low + high) / 2
            if rowNumbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        return low < rowNumbers.count && rowNumbers[low] == number ? rows[low] : nil
    }
}

extension RowBatch: Sendable where Row: Sendable {}

/// A key a row used, recorded by a batch's validator so that batches merge to what one pass finds.
struct KeyEvent {
    /// The `unique` field's position in ``TableValidator/uniqueValues``; nil for the primary key.
    var unique: Int?
    var key: KeyHash
    var row: Int
    /// Where in the batch's findings this key's finding would go.
    var finding: Int
    /// Whether the row had no error in the batch.
    var rowValid = true
}

extension TableValidator {
    /// A validator for a batch of the same file: the same schema, parameters, references, header (the columns
    /// already matched to fields) and tracked fields, with nothing checked yet. It records the keys its rows
    /// use instead of checking them: ``absorb(_:rows:)`` checks them, in file order.
    public func fork() -> TableValidator {
        let batch = TableValidator(schema: schema, parameters: parameters, references: references)
        batch.columnField = columnField
        batch.fieldColumn = fieldColumn
        batch.headerCount = headerCount
        batch.headerSeen = headerSeen
        batch.tracked = tracked.map { ($0.field, []) }
        for name in distinctValues.keys { batch.distinctValues[name] = [] }
        batch.keyEvents = []
        return batch
    }

    /// Takes in a batch checked by a ``fork()`` of this validator after every earlier batch, so that this
    /// validator ends as if it had checked all their rows itself: the same findings in the same order (each
    /// key checked here, in file order, its finding put where one pass puts it), counts, distinct values and
    /// references within the table.
    ///
    /// - Returns: the rows that had no error in their batch but have one now (a key used before).
    @discardableResult
    public func absorb<Row: CellRow>(_ batch: TableValidator, rows: RowBatch<Row>) -> Set<Int> {
        // Blank rows before the batch's first row with data are reported now; trailing ones wait.
        if batch.rowCount > 0 {
            for blankRow in pendingBlankRows {
                findings.append(
                    Finding(
                        .warning, .blankRow, rowNumber: blankRow,
                        message: "Row \(blankRow) is empty. Delete the empty row (it was skipped)."))
            }
            pendingBlankRows = batch.pendingBlankRows
        } else {
            pendingBlankRows += batch.pendingBlankRows
        }

        // Keys: against every earlier batch's.
        var batchFindings = batch.findings
        var inserted = 0
        var invalidated: Set<Int> = []
        for event in batch.keyEvents ?? [] {
            let first: Int?
            if let position = event.unique {
                first = uniqueValues[position].seen.firstRow(of: event.key, insertingAt: event.row)
            } else {
                first = primaryKeys.firstRow(of: event.key, insertingAt: event.row)
            }
            guard let first, let row = rows.row(number: event.row) else { continue }
            // Where one pass would have put it: after the row's cells, before its references and rules.
            let finding = row.withUnsafeCells { cells in
                event.unique.map { uniqueFinding(cells, position: $0, rowNumber: event.row, first: first) }
                    ?? primaryKeyFinding(cells, rowNumber: event.row, first: first)
            }
            batchFindings.insert(finding, at: event.finding + inserted)
            inserted += 1
            if event.rowValid { invalidated.insert(event.row) }
        }
        findings += batchFindings
        rowCount += batch.rowCount
        validRowCount += batch.validRowCount - invalidated.count

        // The first distinct values of the file are the first of each batch, in order.
        for (position, item) in tracked.enumerated() where item.field >= 0 {
            let name = schema.fields[item.field].name
            for value in batch.distinctOrder[name] ?? [] {
                if distinctValues[name, default: []].insert(value).inserted { distinctOrder[name, default: []].append(value) }
                if distinctValues[name, default: []].count >= 1000 {
                    tracked[position].field = -1
                    break
                }
            }
        }
        selfReferences += batch.selfReferences
        for (name, keys) in batch.selfKeys { selfKeys[name, default: []].formUnion(keys) }
        return invalidated
    }
}
