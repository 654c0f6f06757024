// MARK: - Relationships

/// Reads a `.rels` part: relationship IDs to their targets and types.
struct RelationshipsHandler: XMLEventHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
        var external: Bool
    }

    var relationships: [Relationship] = []

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        guard case .start(let element) = event, element.name == "Relationship" else { return }
        guard let id = element.attribute("Id"), let target = element.attribute("Target") else { return }
        relationships.append(
            Relationship(
                id: id, type: element.attribute("Type") ?? "", target: target,
                external: element.attribute("TargetMode") == "External"))
    }
}

// MARK: - Workbook

/// Reads `workbook.xml`: the sheets in order, the date system and the defined names.
struct WorkbookPartHandler: XMLEventHandler {
    struct SheetReference {
        var name: String
        var relationshipID: String
        var visibility: SheetVisibility
    }

    var sheets: [SheetReference] = []
    var dateSystem = DateSystem.from1900
    var definedNames: [String: String] = [:]
    private var definedName: String?
    private var definedText: [UInt8] = []

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "workbookPr":
                if let flag = element.attribute("date1904") { dateSystem = flag == "1" || flag == "true" ? .from1904 : .from1900 }
            case "sheet":
                guard let name = element.attribute("name"), let id = element.attribute("id") else { return }
                let visibility: SheetVisibility
                switch element.attribute("state") {
                case "hidden": visibility = .hidden
                case "veryHidden": visibility = .veryHidden
                default: visibility = .visible
                }
                sheets.append(SheetReference(name: name, relationshipID: id, visibility: visibility))
            case "definedName":
                // Names scoped to one sheet are left out: only workbook-wide names are reported.
                definedName = element.attribute("localSheetId") == nil ? element.attribute("name") : nil
                definedText = []
            default:
                break
            }
        case .text(let bytes):
            if definedName != nil { definedText += bytes }
        case .end(let name):
            if name == "definedName", let definedName {
                definedNames[definedName] = String(decoding: definedText, as: UTF8.self)
            }
            if name == "definedName" { definedName = nil }
        }
    }
}

// MARK: - Styles

/// Reads `styles.xml`: which cell formats (`s` indexes into `cellXfs`) show dates.
struct StylesHandler: XMLEventHandler {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    private var inCellFormats = false

    /// For each cell format index, whether it shows a date or time.
    var dateStyles: [Bool] {
        cellFormatIDs.map { id in
            if NumberFormat.builtInDateIDs.contains(id) { return true }
            return customFormats[id].map(NumberFormat.isDateFormat) ?? false
        }
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "numFmt":
                if let id = element.attribute("numFmtId").flatMap(Int.init), let code = element.attribute("formatCode") {
                    customFormats[id] = code
                }
            case "cellXfs":
                inCellFormats = true
            case "xf" where inCellFormats:
                cellFormatIDs.append(element.attribute("numFmtId").flatMap(Int.init) ?? 0)
            default:
                break
            }
        case .end(let name):
            if name == "cellXfs" { inCellFormats = false }
        case .text:
            break
        }
    }
}

// MARK: - Shared strings

/// Reads `sharedStrings.xml`: every `<si>` as one text (rich-text runs joined, phonetic guides left out).
struct SharedStringsHandler: XMLEventHandler {
    var strings: [String] = []
    let maxCount: Int
    let maxBytes: Int
    private var totalBytes = 0
    private var current: [UInt8] = []
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    init(maxCount: Int, maxBytes: Int) {
        self.maxCount = maxCount
        self.maxBytes = maxBytes
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "si":
                guard strings.count < maxCount else { throw .tooManySharedStrings(limit: maxCount) }
                inItem = true
                current.removeAll(keepingCapacity: true)
            case "rPh": phoneticDepth += 1
            case "t": inText = inItem && phoneticDepth == 0
            default: break
            }
        case .text(let bytes):
            guard inText else { return }
            totalBytes += bytes.count
            guard totalBytes <= maxBytes else { throw .tooManySharedStrings(limit: maxCount) }
            current += bytes
        case .end(let name):
            switch name {
            case "si":
                strings.append(String(decoding: current, as: UTF8.self))
                inItem = false
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }
    }
}

// MARK: - Sheets

/// Reads a worksheet part row by row, handing each row on as soon as it ends.
struct SheetHandler: XMLEventHandler {
    let part: String
    let sharedStrings: [String]
    let dateStyles: [Bool]
    /// Called with each row; returns false to stop reading.
    let emit: (SheetRow) throws(WorkbookReadError) -> Bool
    /// Set when `emit` asked to stop.
    var stopped = false

    private var inSheetData = false
    private var lastRow = 0
    private var row: SheetRow?
    private var lastColumn = -1
    // The cell being read.
    private var cellColumn = 0
    private var cellType = "n"
    private var cellStyle = 0
    private var value: [UInt8]?
    private var formula: [UInt8]?
    private var inline: [UInt8]?
    private var capture: Capture = .none
    private var phoneticDepth = 0

    private enum Capture { case none, value, formula, inlineText }

    init(
        part: String, sharedStrings: [String], dateStyles: [Bool],
        emit: @escaping (SheetRow) throws(WorkbookReadError) -> Bool
    ) {
        self.part = part
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.emit = emit
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        if stopped { return }
        switch event {
        case .start(let element):
            switch element.name {
            case "sheetData":
                inSheetData = true
            case "row" where inSheetData:
                var number = lastRow + 1
                if let text = element.attribute("r") {
                    guard let given = Int(text) else { throw .badRow(part: part, row: text) }
                    number = given
                }
                guard number > lastRow, number <= CellAddress.maxRows else { throw .badRow(part: part, row: String(number)) }
                lastRow = number
                lastColumn = -1
                row = SheetRow(rowNumber: number, cells: [])
            case "c" where row != nil:
                var column = lastColumn + 1
                if let reference = element.attribute("r") {
                    guard let parsed = CellAddress.parse(reference), parsed.row == nil || parsed.row == lastRow else {
                        throw .badCellReference(part: part, reference: reference)
                    }
                    column = parsed.column
                }
                guard column > lastColumn, column < CellAddress.maxColumns else {
                    throw .badCellReference(part: part, reference: CellAddress.reference(column: column, row: lastRow))
                }
                lastColumn = column
                cellColumn = column
                cellType = element.attribute("t") ?? "n"
                cellStyle = element.attribute("s").flatMap(Int.init) ?? 0
                value = nil
                formula = nil
                inline = nil
            case "v" where row != nil:
                capture = .value
                value = value ?? []
            case "f" where row != nil:
                capture = .formula
                formula = formula ?? []
            case "is" where row != nil:
                inline = []
            case "rPh":
                phoneticDepth += 1
            case "t" where inline != nil && phoneticDepth == 0:
                capture = .inlineText
            default:
                break
            }
        case .text(let bytes):
            switch capture {
            case .none: break
            case .value: value? += bytes
            case .formula: formula? += bytes
            case .inlineText: inline? += bytes
            }
        case .end(let name):
            switch name {
            case "v", "f", "t": capture = .none
            case "rPh": phoneticDepth -= 1
            case "c" where row != nil:
                let cell = makeCell()
                row!.cells.append(cell)  // columns rise and stay within the grid, so a row holds at most 16,384
            case "row" where row != nil:
                let finished = row!
                row = nil
                if !(try emit(finished)) { stopped = true }
            case "sheetData":
                inSheetData = false
            default:
                break
            }
        }
    }

    private func makeCell() -> SheetCell {
        let isDate = cellStyle >= 0 && cellStyle < dateStyles.count && dateStyles[cellStyle]
        func text(_ bytes: [UInt8]?) -> String { String(decoding: bytes ?? [], as: UTF8.self) }
        let content: SheetCellContent
        switch cellType {
        case "s":
            if let index = Int(text(value).trimmed), index >= 0, index < sharedStrings.count {
                content = .text(sharedStrings[index])
            } else if value == nil {
                content = .blank
            } else {
                content = .error("#REF! (shared text \(text(value)) is missing)")
            }
        case "inlineStr":
            content = inline.map { .text(String(decoding: $0, as: UTF8.self)) } ?? (value.map { .text(text($0)) } ?? .blank)
        case "str":
            content = value.map { .text(text($0)) } ?? (formula.map { .formulaWithoutResult(text($0)) } ?? .blank)
        case "b":
            content = value.map { .boolean(text($0).trimmed == "1" || text($0).trimmed.lowercased() == "true") } ?? .blank
        case "e":
            content = .error(value.map { text($0).trimmed } ?? "#VALUE!")
        case "d":
            content = value.map { .isoDate(text($0).trimmed) } ?? .blank
        default:
            if let value, let number = Double(text(value).trimmed) {
                content = .number(number)
            } else if let value, !value.isEmpty {
                content = .text(text(value))
            } else if let formula {
                content = .formulaWithoutResult(text(formula))
            } else {
                content = .blank
            }
        }
        return SheetCell(column: cellColumn, content: content, isDateFormatted: isDate)
    }
}

extension String {
    fileprivate var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\n" || first == "\r" || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\n" || last == "\r" || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
