@testable import XLSXReader

/// The event-based sheet reader the row recorder replaced (`SheetRecorder`), kept as the independent reading
/// the recorder is compared with: it sees the part as elements, attributes and text, one `String` each.
struct ReferenceSheetHandler: XMLEventHandler {
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
