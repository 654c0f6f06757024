import CSV

/// The CSV reader over any bytes.
enum CSVFuzz {
    static func run(_ data: [UInt8]) {
        // The first byte picks the chunk size and limits, so chunk boundaries fall everywhere and the
        // field and column limits are reached by small inputs.
        let control = data.first ?? 0
        let bytes = Array(data.dropFirst())
        let options = CSVReaderOptions(
            chunkSize: 16 + Int(control & 0x3F), maxFieldBytes: control & 0x40 == 0 ? 64 : 1 << 20,
            maxColumns: control & 0x80 == 0 ? 8 : 1_000)
        guard let reader = try? CSVReader(bytes: bytes, options: options) else { return }
        var lastRow = 0
        var cells = 0
        let summary = try? reader.read { record in
            invariant(record.rowNumber > lastRow, "row numbers go up (\(record.rowNumber) after \(lastRow))")
            lastRow = record.rowNumber
            invariant(record.count <= options.maxColumns, "at most \(options.maxColumns) cells, got \(record.count)")
            for index in 0..<record.count {
                let cell = record[index]
                invariant(cell.count <= options.maxFieldBytes * 4 + 4, "a cell is larger than the field limit allows")
                invariant(!cell.contains(0), "NUL bytes are removed from cells")
                invariant(String(validating: cell, as: UTF8.self) != nil, "cells are valid UTF-8")
            }
            cells += record.count
        }
        if let summary {
            invariant(summary.byteCount <= bytes.count, "read \(summary.byteCount) bytes of \(bytes.count)")
            for issue in summary.issues { invariant(issue.rowNumber >= 1, "issues name a row") }
        }
    }
}
