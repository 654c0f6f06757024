import CSV
import Foundation
import TableSchema

// MARK: - One large CSV file on several cores

extension ValidationStage {
    /// The size of a file in bytes (0 when it cannot be told).
    func size(of input: InputFile) -> Int {
        if let contents = input.contents { return contents.count }
        let attributes = try? FileManager.default.attributesOfItem(atPath: input.path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// Checks a file's rows in batches on several cores while the reader goes on reading: each full batch is
/// checked by its own ``TableValidator/fork()`` (and its own row observer) on a worker thread, and the
/// reader merges finished batches into the file's validator in file order, so the findings, counts, kept
/// rows and personal-data warnings are exactly those of one pass (a test compares them for every `--jobs`
/// and batch size). At most two batches per job are in flight, so memory stays bounded.
struct BatchedValidation {
    let validator: TableValidator
    let rows: RowObserver
    let schema: Schema
    let keepRows: Bool
    let gathersFund: Bool
    let jobs: Int
    let batchRows: Int
    private var current = RowBatch<CSVRecord>()
    private var inFlight: [PendingBatch] = []
    private let workers = DispatchQueue(label: "impact.validate.batches", attributes: .concurrent)

    init(validator: TableValidator, rows: RowObserver, options: ValidationOptions) {
        self.validator = validator
        self.rows = rows
        schema = validator.schema
        keepRows = options.keepRows
        gathersFund = options.gathersFund
        jobs = options.jobs
        batchRows = max(1, options.batchRows)
    }

    /// Adds a record (kept, not copied: it holds the reader's buffer); a full batch goes to a worker.
    mutating func append(_ record: CSVRecord, rowNumber: Int) {
        current.append(record, rowNumber: rowNumber)
        if current.count >= batchRows { dispatch() }
    }

    /// Checks what is left and merges every batch.
    mutating func finish() {
        if current.count > 0 { dispatch() }
        while !inFlight.isEmpty { mergeOldest() }
    }

    private mutating func dispatch() {
        let fork = validator.fork()
        let observer = RowObserver(schema: schema, keepRows: keepRows, gathersFund: gathersFund)
        observer.observe(fork)
        let pending = PendingBatch(rows: current, validator: fork, observer: observer)
        current = RowBatch<CSVRecord>()
        workers.async {
            for position in 0..<pending.rows.count {
                pending.validator.checkRow(pending.rows.row(position), rowNumber: pending.rows.rowNumbers[position])
            }
            pending.done.signal()
        }
        inFlight.append(pending)
        // Merge what is done, without waiting; wait only when too many batches are in flight.
        while let oldest = inFlight.first, oldest.done.wait(timeout: .now()) == .success {
            oldest.done.signal()
            mergeOldest()
        }
        if inFlight.count > jobs * 2 { mergeOldest() }
    }

    private mutating func mergeOldest() {
        let oldest = inFlight.removeFirst()
        oldest.done.wait()
        let invalidated = validator.absorb(oldest.validator, rows: oldest.rows)
        rows.absorb(oldest.observer, invalidated: invalidated)
    }
}

/// A batch on its way through a worker: touched by that worker only until `done` is signalled, then by the
/// reader only.
private final class PendingBatch: @unchecked Sendable {
    let rows: RowBatch<CSVRecord>
    let validator: TableValidator
    let observer: RowObserver
    let done = DispatchSemaphore(value: 0)

    init(rows: RowBatch<CSVRecord>, validator: TableValidator, observer: RowObserver) {
        self.rows = rows
        self.validator = validator
        self.observer = observer
    }
}
