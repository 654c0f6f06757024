import Foundation
import TableSchema
import XLSXReader

/// One row of cell bytes in the order of a header or a schema's fields: a form's item, or a sheet's row.
struct OwnedCellRow: CellRow {
    var cells: [[UInt8]]
    var cellCount: Int { cells.count }
    func cell(_ index: Int) -> ArraySlice<UInt8> { cells[index][...] }
}

extension ValidationStage {
    /// A sheet found to hold one of the tables.
    struct TableSheet {
        var sheet: WorkbookSheet
        var table: String
        var position: Int
    }

    /// Reads a workbook return: each visible sheet whose name or header row is a table's is checked exactly as
    /// a CSV file of that table would be, and every finding names its sheet and cell (`support!J14`).
    ///
    /// Sheets are checked in foreign-key order (support before outcomes), whatever their tab order.
    func validateWorkbook(_ input: InputFile, references: KeyIndex) -> (FileReport, [(Schema, TableValidator)]) {
        let reader: WorkbookReader
        do {
            reader = try openWorkbook(input)
        } catch let failure as InputFile.ReadFailure {
            return (unreadableReport(input, failure.description), [])
        } catch {
            return (unreadableReport(input, "\(input.path): \(error)"), [])
        }
        let isTemplate = reader.definedNames[TemplateMarks.definedName] != nil
        // A workbook's XML is about ten times its zipped size: reading ahead pays from an eighth of a CSV
        // file's threshold.
        let readAhead = options.jobs > 1 && size(of: input) >= options.parallelFromBytes / 8
        var findings: [Finding] = []
        var notes: [String] = []
        var tableSheets: [TableSheet] = []
        var sheetFailures = false
        for (position, sheet) in reader.sheets.enumerated() where sheet.visibility == .visible {
            let header: [String]?
            do {
                header = try firstRowTexts(of: sheet, in: reader)
            } catch {
                findings.append(Finding(.error, .sourceError, message: "Sheet \(quoted(sheet.name)): \(error)", sheet: sheet.name))
                sheetFailures = true
                continue
            }
            let byName = sheet.name.trimmingCharacters(in: .whitespaces).lowercased()
            var table: String?
            if options.schemas.returnTables.contains(byName) {
                table = byName
            } else if let header,
                case .table(let recognised) = options.schemas.recognise(header: header, among: options.schemas.returnTables)
            {
                table = recognised
            }
            guard let table else {
                if header != nil && !(isTemplate && position == 0) {
                    notes.append(
                        "Sheet \(quoted(sheet.name)) was not read: neither its name nor its first row is that of a return table (\(options.schemas.returnTables.joined(separator: ", ")))."
                    )
                }
                continue
            }
            if let earlier = tableSheets.first(where: { $0.table == table }) {
                findings.append(
                    Finding(
                        .error, .sourceError,
                        message:
                            "Sheet \(quoted(sheet.name)) holds the \(table) table, which sheet \(quoted(earlier.sheet.name)) already holds. Put all the \(table) rows on one sheet.",
                        sheet: sheet.name))
                continue
            }
            tableSheets.append(TableSheet(sheet: sheet, table: table, position: position))
        }
        if tableSheets.isEmpty && !sheetFailures {
            findings.append(
                Finding(
                    .error, .sourceError,
                    message:
                        "\(input.path): no sheet of this workbook holds a return table. Name each sheet after its table (\(options.schemas.returnTables.joined(separator: ", "))) and keep the column names in its first row."
                ))
        }

        // The tables, in foreign-key order: support's keys are there for outcomes.
        let rank = dependencyOrder()
        var index = references
        var validators: [(Schema, TableValidator)] = []
        var tables: [TableRows] = []
        var fund = FundLedger()
        var rowCount = 0
        var partnerIDs: Set<String> = []
        var quarters: Set<String> = []
        for found in tableSheets.sorted(by: { (rank[$0.table] ?? 0, $0.position) < (rank[$1.table] ?? 0, $1.position) }) {
            guard let schema = options.schemas[found.table] else { continue }
            let validator = makeValidator(schema: schema, references: index)
            validator.trackDistinctValues(of: ["partner_id", "quarter"])
            let rows = RowObserver(schema: schema, keepRows: options.keepRows, gathersFund: options.gathersFund)
            rows.observe(validator)
            var sheetFindings: [Finding] = []
            do {
                sheetFindings = try checkSheet(
                    found.sheet, schema: schema, validator: validator, reader: reader, isTemplate: isTemplate,
                    readAhead: readAhead)
            } catch {
                sheetFindings.append(Finding(.error, .sourceError, message: "\(error)"))
            }
            validator.finish()
            validator.onRow = nil
            rowCount += validator.rowCount
            partnerIDs.formUnion(validator.distinctValues["partner_id"] ?? [])
            quarters.formUnion(validator.distinctValues["quarter"] ?? [])
            notes += validator.notes
            // A cell that is an Excel error or an unsaved formula has its own finding; the validator's is dropped.
            let placed = Set(
                sheetFindings.compactMap { finding in finding.rowNumber.flatMap { row in finding.fieldNumber.map { [row, $0] } } })
            fund.merge(rows.fund)
            for finding in validator.findings + rows.personalFindings {
                if let row = finding.rowNumber, let column = finding.fieldNumber, placed.contains([row, column]) { continue }
                sheetFindings.append(finding)
            }
            findings += Finding.sortedByPosition(sheetFindings).map { onSheet($0, found.sheet.name) }
            if options.keepRows { tables.append(TableRows(table: found.table, fields: schema.fields.map(\.name), rows: rows.kept)) }
            for key in keySetsOffered(by: schema) {
                if let keys = validator.keys(over: key) { index.add(resource: schema.name, fields: key, keys: keys) }
            }
            validators.append((schema, validator))
        }
        var seenNotes: Set<String> = []
        var report = FileReport(
            path: input.path, kind: "workbook", format: .xlsx, rows: rowCount, findings: findings,
            notes: notes.filter { seenNotes.insert($0).inserted }, partnerIDs: partnerIDs.sorted(), quarters: quarters.sorted())
        report.tables = tables
        report.fund = fund
        report.sheets = Dictionary(tableSheets.map { ($0.table, $0.sheet.name) }, uniquingKeysWith: { first, _ in first })
        return (report, validators)
    }

    // MARK: - Sheets

    /// Opens a workbook from disk or memory, within the limits.
    func openWorkbook(_ input: InputFile) throws -> WorkbookReader {
        var limits = WorkbookReadLimits()
        limits.maxCellBytes = options.limits.maxFieldBytes
        if let contents = input.contents {
            guard contents.count <= options.limits.maxFileBytes else {
                throw InputFile.ReadFailure(description: InputFile.tooLarge(input.path, contents.count, options.limits.maxFileBytes))
            }
            return try WorkbookReader(bytes: contents, limits: limits)
        }
        let size = try input.ordinaryFileSize()
        guard size <= options.limits.maxFileBytes else {
            throw InputFile.ReadFailure(description: InputFile.tooLarge(input.path, size, options.limits.maxFileBytes))
        }
        let descriptor = open(input.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputFile.ReadFailure(
                description: "\(input.path) cannot be read: \(String(cString: strerror(errno))). Check that the file is readable.")
        }
        close(descriptor)
        return try WorkbookReader(path: input.path, limits: limits)
    }

    /// The partner a workbook's rows name: `partner_id` in the first data row of the first sheet that holds a
    /// return table; nil when the workbook cannot be read or names none.
    public func workbookPartner(_ input: InputFile) -> String? {
        guard let reader = try? openWorkbook(input) else { return nil }
        for sheet in reader.sheets where sheet.visibility == .visible {
            var header: [String]?
            var partner: String?
            try? reader.readRows(of: sheet) { row in
                let texts = Self.headerTexts(row)
                if texts.allSatisfy({ $0.isEmpty }) { return true }
                guard let labels = header else {
                    header = texts
                    return texts.contains { $0.trimmingCharacters(in: .whitespaces) == "partner_id" }
                }
                if let column = labels.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "partner_id" }),
                    column < texts.count
                {
                    let value = texts[column].trimmingCharacters(in: .whitespaces)
                    partner = value.isEmpty ? nil : value
                }
                return false
            }
            if let partner { return partner }
        }
        return nil
    }

    /// The texts of a sheet's first stored row that has a value; nil for an empty sheet.
    func firstRowTexts(of sheet: WorkbookSheet, in reader: WorkbookReader) throws -> [String]? {
        var header: [String]?
        try reader.readRows(of: sheet) { row in
            let texts = Self.headerTexts(row)
            if texts.allSatisfy({ $0.isEmpty }) { return true }
            header = texts
            return false
        }
        return header
    }

    /// Some rows of a workbook's sheets as the partner sees them (dates as dates), by sheet name and row
    /// number, each row's texts by column from A: for showing a finding among its neighbours.
    public static func workbookRows(_ bytes: [UInt8], wanted: [String: Set<Int>]) -> [String: [Int: [String]]] {
        guard let reader = try? WorkbookReader(bytes: bytes) else { return [:] }
        var result: [String: [Int: [String]]] = [:]
        for sheet in reader.sheets {
            guard let numbers = wanted[sheet.name], let last = numbers.max() else { continue }
            var rows: [Int: [String]] = [:]
            try? reader.readRows(of: sheet) { row in
                if numbers.contains(row.rowNumber) {
                    var texts: [String] = []
                    for cell in row.cells {
                        while texts.count < cell.column { texts.append("") }
                        texts.append(cellText(cell, type: nil, dates: reader.dateSystem).0)
                    }
                    rows[row.rowNumber] = texts
                }
                return row.rowNumber < last
            }
            result[sheet.name] = rows
        }
        return result
    }

    /// A header row's texts by column from A, gaps as empty labels, trailing empties dropped.
    static func headerTexts(_ row: SheetRow) -> [String] {
        var texts: [String] = []
        for cell in row.cells {
            let text: String
            switch cell.content {
            case .text(let value): text = value
            case .number(let number): text = numberText(number)
            case .boolean(let flag): text = flag ? "TRUE" : "FALSE"
            case .error(let value), .isoDate(let value): text = value
            case .formulaWithoutResult, .blank: text = ""
            }
            if text.isEmpty { continue }
            while texts.count < cell.column { texts.append("") }
            texts.append(text)
        }
        return texts
    }

    /// Checks every row of one sheet with `validator`; returns the findings about cells the validator cannot
    /// see (Excel errors, formulas without a saved result, dates that do not exist, too many columns).
    private func checkSheet(
        _ sheet: WorkbookSheet, schema: Schema, validator: TableValidator, reader: WorkbookReader, isTemplate: Bool,
        readAhead: Bool
    ) throws -> [Finding] {
        var findings: [Finding] = []
        var header: [String]?
        var fieldTypes: [FieldType?] = []
        var prefilled: Set<Int> = []
        var previousRow = 0
        var tooWide = false
        let dates = reader.dateSystem
        let maxColumns = options.limits.maxColumns
        var cells = PackedCellRow()
        func check(_ row: SheetRowCells) {
            guard let labels = header else {
                let texts = Self.headerTexts(row.row)
                if texts.allSatisfy({ $0.isEmpty }) { return }
                validator.checkHeader(texts, rowNumber: row.rowNumber)
                header = texts
                previousRow = row.rowNumber
                fieldTypes = texts.indices.map { column in
                    validator.fieldName(forColumn: column).flatMap { schema.fieldIndex($0) }.map { schema.fields[$0].type }
                }
                if isTemplate {
                    prefilled = Set(
                        texts.indices.filter { column in
                            validator.fieldName(forColumn: column).map { TemplateMarks.prefilledFields.contains($0) } ?? false
                        })
                }
                return
            }
            // Rows the workbook does not store are empty rows, as a CSV file would have them.
            while previousRow + 1 < row.rowNumber {
                previousRow += 1
                validator.checkRow(OwnedCellRow(cells: []), rowNumber: previousRow)
            }
            previousRow = row.rowNumber
            // The row's cells by column from A, each empty one a gap: as many as the header, or up to the last
            // cell with text when there are more.
            cells.removeAll()
            var onlyPrefilled = true
            func place(_ text: UnsafeBufferPointer<UInt8>, column: Int) {
                if text.isEmpty { return }
                while cells.cellCount < column { cells.appendEmpty() }
                cells.append(text)
                if !prefilled.contains(column) { onlyPrefilled = false }
            }
            for index in 0..<row.count {
                let column = row.column(index)
                guard column < maxColumns else {
                    if !tooWide {
                        tooWide = true
                        findings.append(
                            Finding(
                                .error, .sourceError, rowNumber: row.rowNumber,
                                message:
                                    "Row \(row.rowNumber) has cells beyond column \(Finding.columnLetters(maxColumns)), more than can be read; they were ignored (reported once)."
                            ))
                    }
                    break
                }
                let type = column < fieldTypes.count ? fieldTypes[column] : nil
                // Most cells are a shared string or a plain whole number, whose bytes are the field's text.
                switch row.literal(index) {
                case .text(let bytes)?:
                    place(bytes, column: column)
                case .integer(let digits)? where type != .date && type != .datetime:
                    place(digits, column: column)
                default:
                    var (text, problem) = Self.cellText(row.cell(index), type: type, dates: dates)
                    if let problem {
                        findings.append(
                            Finding(
                                .error, .typeError, rowNumber: row.rowNumber, fieldName: validator.fieldName(forColumn: column),
                                fieldNumber: column + 1, cell: text,
                                message:
                                    "Row \(row.rowNumber), column \(validator.fieldName(forColumn: column) ?? Finding.columnLetters(column + 1)): \(problem)"
                            ))
                    }
                    text.withUTF8 { place($0, column: column) }
                }
            }
            while cells.cellCount < labels.count { cells.appendEmpty() }
            // An unused row of a template holds only what the template filled in for the partner.
            if isTemplate, !prefilled.isEmpty, onlyPrefilled { cells.removeAll() }
            validator.checkRow(cells, rowNumber: row.rowNumber)
        }
        // A large workbook's XML is read on a core of its own while this one checks the rows already read.
        if readAhead {
            try reader.readRowCellsAhead(of: sheet, check)
        } else {
            try reader.readRowCells(of: sheet) { row in
                check(row)
                return true
            }
        }
        return findings
    }

    // MARK: - Cell text

    /// A cell as the text a CSV file would hold for the field's type, or a problem to report.
    ///
    /// Dates come from serial numbers under the workbook's date system, when the cell shows a date or the
    /// field is a date: a date is never read as 46218.
    static func cellText(_ cell: SheetCell, type: FieldType?, dates: DateSystem) -> (String, String?) {
        switch cell.content {
        case .text(let text):
            return (text, nil)
        case .number(let number):
            let wantsDate = type == .date || type == .datetime
            guard wantsDate || cell.isDateFormatted else { return (numberText(number), nil) }
            guard let date = dates.dateTime(serial: number) else {
                if !cell.isDateFormatted { return (numberText(number), nil) }
                return (
                    numberText(number),
                    "the cell is formatted as a date but \(numberText(number)) is not a date Excel can show. Type the date again, as day/month/year."
                )
            }
            switch type {
            case .date?: return (date.isoDate, nil)
            case .datetime?: return (date.isoDateTime, nil)
            default: return (date.hasTime ? date.isoDateTime : date.isoDate, nil)
            }
        case .boolean(let flag):
            return (type == .boolean ? (flag ? "true" : "false") : (flag ? "TRUE" : "FALSE"), nil)
        case .error(let value):
            return (
                value,
                "the cell shows the Excel error \(value) instead of a value. Correct the formula that makes it, or type the value."
            )
        case .isoDate(let text):
            return (type == .date ? String(text.prefix(10)) : text, nil)
        case .formulaWithoutResult(let formula):
            return (
                "",
                "the cell holds the formula =\(formula) but no result was saved with it. Open the workbook in Excel or LibreOffice and save it again, or type the value."
            )
        case .blank:
            return ("", nil)
        }
    }

    /// A number as Excel shows it in a General cell: up to 15 significant digits, no trailing zeros.
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(format: "%.15g", number)
    }

    // MARK: - Locations

    /// A finding placed on its sheet, its message starting with the cell a partner can go to.
    func onSheet(_ finding: Finding, _ sheet: String) -> Finding {
        var placed = finding
        placed.sheet = sheet
        guard let row = finding.rowNumber, let reference = placed.cellReference else {
            placed.message = "Sheet \(quoted(sheet)): " + finding.message
            return placed
        }
        var text = finding.message
        let cellPrefix = "Row \(row), column "
        if text.hasPrefix(cellPrefix), let colon = text.range(of: ": "), finding.fieldNumber != nil {
            let column = text[text.index(text.startIndex, offsetBy: cellPrefix.count)..<colon.lowerBound]
            text = "\(reference) (\(column)): " + text[colon.upperBound...]
        } else if text.hasPrefix("Row \(row): ") {
            text = "\(reference): " + text.dropFirst("Row \(row): ".count)
        } else if text.hasPrefix("Row \(row) "), finding.fieldNumber == nil {
            text = "\(Finding.sheetNameInReference(sheet)) row \(row) " + text.dropFirst("Row \(row) ".count)
        } else {
            text = "\(reference): " + text
        }
        placed.message = text
        return placed
    }
}
