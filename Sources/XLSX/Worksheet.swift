import CXlsxWriter
import Foundation

// MARK: - Links and comments

/// A link target for ``Worksheet/write(url:text:tooltip:row:column:format:)``.
public enum Hyperlink: Hashable, Sendable {
    /// A web or mail address; it must start with `http://`, `https://`, `ftp://`, `ftps://` or `mailto:`.
    case web(String)
    /// A cell in this workbook, such as the A1 cell of a contents sheet (the sheet may be added later).
    case cell(sheet: String, cell: CellReference)

    /// The URL in libxlsxwriter's spelling: the address itself, or `internal:'Sheet name'!A1`.
    public var target: String {
        switch self {
        case .web(let url): return url
        case .cell(let sheet, let cell): return "internal:" + SheetRange.quotedSheetName(sheet) + "!" + cell.a1
        }
    }
}

/// Options for a cell comment (a "note" in current Excel).
public struct CommentOptions: Hashable, Sendable {
    /// The author shown in the status bar; nil for none.
    public var author: String?
    /// Show the comment all the time instead of on hover.
    public var visible: Bool
    /// Box width in pixels; nil for Excel's 128.
    public var width: Int?
    /// Box height in pixels; nil for Excel's 74.
    public var height: Int?

    /// Creates comment options.
    public init(author: String? = nil, visible: Bool = false, width: Int? = nil, height: Int? = nil) {
        self.author = author
        self.visible = visible
        self.width = width
        self.height = height
    }
}

// MARK: - Worksheet

/// One worksheet of a ``Workbook``; get one from ``Workbook/addWorksheet(name:)``.
///
/// Rows and columns are zero-based, as in libxlsxwriter: `row: 0, column: 0` is A1. Every method
/// checks its cells against Excel's grid and its values against Excel's limits before calling C,
/// and throws ``XLSXError`` naming the sheet and the cell.
///
/// **Text is never a formula.** ``write(string:row:column:format:)`` and every other method that
/// takes display text store it as a string, whatever it starts with (`=`, `+`, `-`, `@`, tab, CR),
/// so text from partners can never run as a formula in a funder's Excel. Formulas are written only
/// by ``write(formula:row:column:format:result:)``, which is for formulas the program itself builds.
public final class Worksheet {
    /// The sheet's name as shown on its tab.
    public let name: String
    /// The sheet's zero-based position among the tabs.
    public let index: Int

    /// The marker that ends text cut short under ``LongTextPolicy/truncate``.
    public static let truncationMarker = "… [truncated]"
    /// Excel's limit on the characters in one cell (UTF-16 code units).
    public static let maxTextLength = 32_767

    let core: WorkbookCore
    private let sheetPointer: UnsafeMutablePointer<lxw_worksheet>
    /// Set by ``hide()``; read by the workbook when it closes.
    var isHidden = false
    /// Merged ranges, to refuse overlaps.
    var merges: [CellRange] = []
    /// Table ranges, to refuse overlaps.
    var tables: [CellRange] = []
    /// Text written with a wrapping format, to size its row from (``fitRowsToWrappedText()``).
    var wrappedText: [WrappedText] = []
    /// Column widths set, by column.
    var columnWidths: [Int: Double] = [:]
    /// Row heights set explicitly, by row.
    var rowHeights: [Int: Double] = [:]
    /// Rows hidden by ``setRowHeight(_:row:format:hidden:)``.
    var hiddenRows: Set<Int> = []

    init(name: String, index: Int, core: WorkbookCore, pointer: UnsafeMutablePointer<lxw_worksheet>) {
        self.name = name
        self.index = index
        self.core = core
        self.sheetPointer = pointer
    }

    // MARK: - Checks shared by every method

    /// The C worksheet, if its workbook is still open.
    func sheet() throws -> UnsafeMutablePointer<lxw_worksheet> {
        guard core.pointer != nil else { throw XLSXError.workbookClosed(path: core.path) }
        return sheetPointer
    }

    /// The C row and column for a cell inside Excel's grid.
    func place(_ row: Int, _ column: Int) throws -> (lxw_row_t, lxw_col_t) {
        guard (0..<CellReference.maxRows).contains(row), (0..<CellReference.maxColumns).contains(column) else {
            throw XLSXError.cellOutOfRange(sheet: name, row: row, column: column)
        }
        return (lxw_row_t(row), lxw_col_t(column))
    }

    /// Checks that a range is inside the grid with its corners in order.
    func check(_ range: CellRange) throws {
        _ = try place(range.first.row, range.first.column)
        _ = try place(range.last.row, range.last.column)
        guard range.first.row <= range.last.row, range.first.column <= range.last.column else {
            throw XLSXError.invalidRange(
                sheet: name, range: range.a1,
                reason: "the first cell must be above and left of the last")
        }
    }

    /// The C format, if the format belongs to this workbook.
    func lxw(_ format: Format?, _ context: String) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        guard format.core === core else {
            throw XLSXError.foreignObject(kind: "format", context: "\(context) on sheet \"\(name)\"")
        }
        return format.pointer
    }

    /// Text ready for C: NULs replaced, and cut to `limit` under the workbook's long-text policy.
    func fit(_ text: String, cell: String, limit: Int = Worksheet.maxTextLength) throws -> String {
        var text = text
        if text.contains("\0") { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        let length = text.utf16.count
        guard length > limit else { return text }
        switch core.options.longText {
        case .reject:
            throw XLSXError.textTooLong(sheet: name, cell: cell, length: length, limit: limit)
        case .truncate:
            let room = limit - Worksheet.truncationMarker.utf16.count
            var kept = 0
            var end = text.startIndex
            for index in text.indices {
                let next = text[index].utf16.count
                if kept + next > room { break }
                kept += next
                end = text.index(after: index)
            }
            return String(text[..<end]) + Worksheet.truncationMarker
        }
    }

    /// Checks an argument string against a length limit (characters, as Excel counts them).
    func limit(_ text: String, _ max: Int, _ what: String) throws {
        if text.utf16.count > max {
            throw XLSXError.invalidArgument(
                context: "\(what) on sheet \"\(name)\"", value: text,
                reason: "is \(text.utf16.count) characters long; the limit is \(max)")
        }
    }

    // MARK: - Cell values

    /// Writes text as a string cell (a shared string), never as a formula.
    ///
    /// Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is stored as text just
    /// like any other. Text over 32,767 characters is truncated or rejected by the workbook's
    /// ``LongTextPolicy``; NUL characters become U+FFFD. Empty text with no format writes nothing.
    public func write(string: String, row: Int, column: Int, format: Format? = nil) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let f = try lxw(format, "write(string:) at \(cell)")
        let text = try fit(string, cell: cell)
        let code = worksheet_write_string(ws, r, c, text, f)
        try core.check(code, "worksheet_write_string", sheet: name, cell: cell)
        noteWrapped(text, row: row, columns: column...column, format: format)
    }

    /// Writes a number; NaN and infinities are refused because Excel cannot store them.
    public func write(number: Double, row: Int, column: Int, format: Format? = nil) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        guard number.isFinite else {
            throw XLSXError.invalidValue(sheet: name, cell: cell, value: "\(number)", reason: "Excel cannot store NaN or infinity")
        }
        let f = try lxw(format, "write(number:) at \(cell)")
        let code = worksheet_write_number(ws, r, c, number, f)
        try core.check(code, "worksheet_write_number", sheet: name, cell: cell)
    }

    /// Writes an integer as a number (exact up to 2^53, as in Excel).
    public func write(number: Int, row: Int, column: Int, format: Format? = nil) throws {
        try write(number: Double(number), row: row, column: column, format: format)
    }

    /// Writes a date as a real Excel date: its serial number with a date number format.
    ///
    /// With no format, the workbook's ``WorkbookOptions/defaultDateFormat`` is used; a format
    /// without a number format gets the default date format added, so the cell never shows a bare
    /// serial number.
    public func write(date: ExcelDate, row: Int, column: Int, format: Format? = nil) throws {
        let cell = CellReference(row: row, column: column).a1
        _ = try lxw(format, "write(date:) at \(cell)")
        var spec = format?.spec ?? FormatSpec()
        if spec.numberFormat == nil { spec.numberFormat = core.options.defaultDateFormat }
        let dateFormat = try core.format(for: spec)
        try write(number: Double(date.serial), row: row, column: column, format: dateFormat)
    }

    /// Writes the calendar date on which an instant falls in UTC; as for an ``ExcelDate``.
    public func write(date: Date, row: Int, column: Int, format: Format? = nil) throws {
        try write(date: ExcelDate(date), row: row, column: column, format: format)
    }

    /// Writes TRUE or FALSE.
    public func write(boolean: Bool, row: Int, column: Int, format: Format? = nil) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let f = try lxw(format, "write(boolean:) at \(cell)")
        let code = worksheet_write_boolean(ws, r, c, boolean ? 1 : 0, f)
        try core.check(code, "worksheet_write_boolean", sheet: name, cell: cell)
    }

    /// Writes a formula, such as `=SUM(B2:B9)`. **Only for formulas the program builds itself**;
    /// never pass text that came from a partner or a file (use ``write(string:row:column:format:)``).
    ///
    /// `result` is the value cached in the file for viewers that do not recalculate (Excel does on
    /// opening); without it libxlsxwriter caches 0. The leading `=` is optional.
    public func write(formula: String, row: Int, column: Int, format: Format? = nil, result: Double? = nil) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let f = try lxw(format, "write(formula:) at \(cell)")
        let body = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
        guard !body.isEmpty, !body.contains("\0") else {
            throw XLSXError.invalidValue(sheet: name, cell: cell, value: formula, reason: "a formula cannot be empty or contain NUL")
        }
        guard body.utf16.count <= 8192 else {
            throw XLSXError.invalidValue(
                sheet: name, cell: cell, value: String(formula.prefix(40)) + "…",
                reason: "formulas are limited to 8,192 characters")
        }
        let code: lxw_error
        if let result {
            guard result.isFinite else {
                throw XLSXError.invalidValue(sheet: name, cell: cell, value: "\(result)", reason: "a cached result must be finite")
            }
            code = worksheet_write_formula_num(ws, r, c, body, f, result)
        } else {
            code = worksheet_write_formula(ws, r, c, body, f)
        }
        try core.check(code, "worksheet_write_formula", sheet: name, cell: cell)
    }

    /// Writes a hyperlink with display text (stored as a string, never a formula).
    ///
    /// For links inside the workbook use ``Hyperlink/cell(sheet:cell:)``, such as a "Back to contents"
    /// link to `Contents!A1`. Without a format libxlsxwriter uses Excel's blue underlined hyperlink style.
    /// URLs are limited to 2,079 characters and tooltips to 255.
    public func write(
        url: Hyperlink, text: String? = nil, tooltip: String? = nil,
        row: Int, column: Int, format: Format? = nil
    ) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let f = try lxw(format, "write(url:) at \(cell)")
        let target = url.target
        switch url {
        case .web(let address):
            let lower = address.lowercased()
            guard ["http://", "https://", "ftp://", "ftps://", "mailto:"].contains(where: { lower.hasPrefix($0) }),
                !address.contains("\0")
            else {
                throw XLSXError.invalidValue(
                    sheet: name, cell: cell, value: address,
                    reason: "a web link must start with http://, https://, ftp://, ftps:// or mailto:")
            }
        case .cell(let sheetName, let target):
            try Workbook.validateSheetName(sheetName)
            guard target.isInExcelGrid else {
                throw XLSXError.cellOutOfRange(sheet: sheetName, row: target.row, column: target.column)
            }
        }
        guard target.utf16.count <= 2079 else {
            throw XLSXError.invalidValue(
                sheet: name, cell: cell, value: String(target.prefix(60)) + "…",
                reason: "Excel limits links to 2,079 characters")
        }
        if let tooltip { try limit(tooltip, 255, "hyperlink tooltip at \(cell)") }
        let bag = CStringBag(operation: "worksheet_write_url_opt")
        let display = try text.map { try fit($0, cell: cell) }
        let code = try withExtendedLifetime(bag) {
            worksheet_write_url_opt(
                ws, r, c, try bag.string(target), f,
                try bag.optional(display), try bag.optional(tooltip))
        }
        try core.check(code, "worksheet_write_url_opt", sheet: name, cell: cell)
        noteWrapped(display ?? target, row: row, columns: column...column, format: format)
    }

    /// Writes a formatted empty cell (libxlsxwriter skips blank cells that have no format).
    public func writeBlank(row: Int, column: Int, format: Format? = nil) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let f = try lxw(format, "writeBlank at \(cell)")
        let code = worksheet_write_blank(ws, r, c, f)
        try core.check(code, "worksheet_write_blank", sheet: name, cell: cell)
    }

    /// Attaches a comment (a note) to a cell.
    public func writeComment(_ text: String, row: Int, column: Int, options: CommentOptions = CommentOptions()) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        let body = try fit(text, cell: cell)
        if let author = options.author { try limit(author, 255, "comment author at \(cell)") }
        for (label, size) in [("width", options.width), ("height", options.height)] {
            if let size, !(1...65_535).contains(size) {
                throw XLSXError.invalidArgument(
                    context: "comment \(label) at \(cell) on sheet \"\(name)\"",
                    value: "\(size)", reason: "must be 1 to 65,535 pixels")
            }
        }
        let bag = CStringBag(operation: "worksheet_write_comment_opt")
        var lxwOptions = lxw_comment_options()
        lxwOptions.visible = UInt8(options.visible ? LXW_COMMENT_DISPLAY_VISIBLE.rawValue : LXW_COMMENT_DISPLAY_HIDDEN.rawValue)
        lxwOptions.author = try bag.optional(options.author)
        lxwOptions.width = UInt16(options.width ?? 0)
        lxwOptions.height = UInt16(options.height ?? 0)
        let code = try withExtendedLifetime(bag) {
            worksheet_write_comment_opt(ws, r, c, try bag.string(body), &lxwOptions)
        }
        try core.check(code, "worksheet_write_comment_opt", sheet: name, cell: cell)
    }
}
