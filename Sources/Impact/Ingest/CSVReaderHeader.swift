import CSV

/// Reads the header row and the first data row of a CSV file, and nothing more.
enum CSVReaderHeader {
    struct Stop: Error {}

    /// The header and first data row (blank rows skipped); nil header for an empty file.
    static func firstRows(path: String, limits: Limits = Limits()) throws -> (header: [String], firstRow: [String]?)? {
        var options = limits.csvOptions
        options.chunkSize = 16 * 1024
        let reader = try CSVReader(path: path, options: options)
        var header: [String]?
        var first: [String]?
        do {
            _ = try reader.read { record in
                if record.isBlank { return }
                if header == nil {
                    header = record.strings
                } else {
                    first = record.strings
                    throw Stop()
                }
            }
        } catch is Stop {}
        return header.map { ($0, first) }
    }
}
