import CSV
import Testing

/// `CSVRecord` built from texts, and records delivered by the reader, as views into a batch.
@Suite("CSVRecord")
struct CSVRecordTests {
    @Test func recordFromCells() {
        let record = CSVRecord(rowNumber: 7, cells: ["P001", "", "Zoë"])
        #expect(record.rowNumber == 7)
        #expect(record.count == 3)
        #expect(Array(record[0]) == Array("P001".utf8))
        #expect(record[1].isEmpty)
        #expect(record.string(at: 2) == "Zoë")
        #expect(record.strings == ["P001", "", "Zoë"])
        #expect(!record.isBlank)
    }

    @Test func blankRecords() {
        #expect(CSVRecord(rowNumber: 1, cells: []).isBlank)
        #expect(CSVRecord(rowNumber: 1, cells: ["", ""]).isBlank)
        #expect(!CSVRecord(rowNumber: 1, cells: ["", "x"]).isBlank)
    }

    /// Records copied out of the reading closure stay valid after later batches are read.
    @Test func recordsOutliveTheirBatch() throws {
        let text = (1...50).map { "row\($0),value \($0)" }.joined(separator: "\n")
        let reader = try CSVReader(bytes: utf8(text), options: CSVReaderOptions(chunkSize: 16))
        var kept: [CSVRecord] = []
        _ = try reader.read { kept.append($0) }
        #expect(kept.count == 50)
        #expect(kept[0].strings == ["row1", "value 1"])
        #expect(kept[24].strings == ["row25", "value 25"])
        #expect(kept[49].strings == ["row50", "value 50"])
        #expect(kept.map(\.rowNumber) == Array(1...50))
    }
}
