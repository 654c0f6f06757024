import CSV
import Foundation
import TableSchema
import XLSX

/// Rows to write into a template's sheets, taken from a return sent as CSV files: to move a return into Excel
/// (a partner correcting a rejected return), and to prove that a filled-in template reads back as its CSV.
///
/// Each cell is written as a partner typing it into Excel would leave it: a number as a number, a date as a
/// date, anything else (or anything that is not of its field's type) as the text it was.
public struct TemplateFilling: Sendable {
    /// The CSV file of each table.
    public var files: [String: String]

    /// Recognises each CSV file's table from its header; a file that is not a return table is an error.
    public init(csvFiles: [String], schemas: SchemaSet) throws(ImpactError) {
        var files: [String: String] = [:]
        for path in csvFiles {
            let header: [String]?
            do {
                header = try CSVReader.header(path: path)
            } catch {
                var reason = "\(error)"
                while reason.hasSuffix(".") { reason.removeLast() }
                throw .unreadablePath(path, reason: reason)
            }
            guard let header, case .table(let table) = schemas.recognise(header: header, among: schemas.returnTables) else {
                throw .invalidArgument(
                    name: "--fill-from", value: path,
                    reason: "is not a support, outcomes or ripple table (its header row matches none of them)")
            }
            guard files[table] == nil else {
                throw .invalidArgument(name: "--fill-from", value: path, reason: "is a second \(table) table; give one file per table")
            }
            files[table] = path
        }
        self.files = files
    }

    /// Writes the rows of the table's file, if there is one, into its sheet.
    public func fill(_ schema: Schema, sheet: Worksheet, book: Workbook) throws {
        guard let path = files[schema.name] else { return }
        let dateFormat = try book.addFormat(FormatSpec(numberFormat: "dd/mm/yyyy"))
        var fields: [Field?] = []
        var headerDone = false
        _ = try CSVReader(path: path).read { record in
            if !headerDone {
                if record.isBlank { return }
                fields = record.strings.map { name in
                    schema.fieldIndex(name.trimmingCharacters(in: .whitespaces)).map { schema.fields[$0] }
                }
                headerDone = true
                return
            }
            let row = record.rowNumber - 1
            let cells = record.strings
            for (column, text) in cells.enumerated() where !text.isEmpty {
                let field = column < fields.count ? fields[column] : nil
                try Self.write(text, field: field, schema: schema, to: sheet, row: row, column: column, dateFormat: dateFormat)
            }
        }
    }

    /// Writes one cell typed by its field.
    static func write(
        _ text: String, field: Field?, schema: Schema, to sheet: Worksheet, row: Int, column: Int, dateFormat: Format
    ) throws {
        let trimmed = Array(CellParser.trim(Array(text.utf8)[...]))
        let missing = field?.missingValues ?? schema.missingValues
        guard let field, !missing.contains(String(decoding: trimmed, as: UTF8.self)),
            case .value(let value) = CellParser.parse(trimmed[...], as: field)
        else {
            try sheet.write(string: text, row: row, column: column)
            return
        }
        switch value {
        case .integer(let number): try sheet.write(number: Double(number), row: row, column: column)
        case .number(let number): try sheet.write(number: number, row: row, column: column)
        case .date(let days):
            if let date = try? ExcelDate(daysSince1970: Int(days)) {
                try sheet.write(date: date, row: row, column: column, format: dateFormat)
            } else {
                try sheet.write(string: text, row: row, column: column)
            }
        default: try sheet.write(string: text, row: row, column: column)
        }
    }
}
