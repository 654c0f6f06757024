import CXlsxWriter

// MARK: - Page setup values

/// A header or footer line: left, centre and right sections built from text and fields.
///
/// Literal text is escaped (`&` becomes `&&`), so text never turns into a header control code.
public struct HeaderFooter: Hashable, Sendable {
    /// One piece of a section.
    public enum Item: Hashable, Sendable {
        /// Literal text.
        case text(String)
        /// The current page number.
        case pageNumber
        /// The number of pages.
        case pageCount
        /// The sheet's name.
        case sheetName
        /// The workbook's file name.
        case fileName
        /// The date of printing.
        case date

        var code: String {
            switch self {
            case .text(let text): return text.replacingOccurrences(of: "&", with: "&&")
            case .pageNumber: return "&P"
            case .pageCount: return "&N"
            case .sheetName: return "&A"
            case .fileName: return "&F"
            case .date: return "&D"
            }
        }
    }

    /// The left-aligned section.
    public var left: [Item]
    /// The centred section.
    public var center: [Item]
    /// The right-aligned section.
    public var right: [Item]

    /// Creates a header or footer from its three sections.
    public init(left: [Item] = [], center: [Item] = [], right: [Item] = []) {
        self.left = left
        self.center = center
        self.right = right
    }

    /// The Excel control string, such as `&LImpact report&RPage &P of &N`.
    public var code: String {
        var result = ""
        if !left.isEmpty { result += "&L" + left.map(\.code).joined() }
        if !center.isEmpty { result += "&C" + center.map(\.code).joined() }
        if !right.isEmpty { result += "&R" + right.map(\.code).joined() }
        return result
    }
}

/// How a sheet prints.
public struct PageSetup: Hashable, Sendable {
    /// Page orientation.
    public enum Orientation: Hashable, Sendable {
        /// Taller than wide (Excel's default).
        case portrait
        /// Wider than tall.
        case landscape
    }

    /// Paper sizes, with Excel's codes.
    public enum PaperSize: UInt8, Hashable, Sendable {
        /// US Letter.
        case letter = 1
        /// US Legal.
        case legal = 5
        /// A3.
        case a3 = 8
        /// A4.
        case a4 = 9
        /// A5.
        case a5 = 11
    }

    /// Page margins in inches.
    public struct Margins: Hashable, Sendable {
        /// Left margin.
        public var left: Double
        /// Right margin.
        public var right: Double
        /// Top margin.
        public var top: Double
        /// Bottom margin.
        public var bottom: Double

        /// Creates margins; the defaults are Excel's "Normal".
        public init(left: Double = 0.7, right: Double = 0.7, top: Double = 0.75, bottom: Double = 0.75) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
        }
    }

    /// Orientation.
    public var orientation: Orientation
    /// Paper size; nil leaves the printer's default.
    public var paperSize: PaperSize?
    /// Shrink to this many pages wide and tall; 0 for either means "as many as needed", so
    /// `(width: 1, height: 0)` fits the sheet to the page width.
    public var fitToPages: (width: Int, height: Int)?
    /// Rows (zero-based, inclusive) repeated at the top of every printed page, such as `0...0` for a header row.
    public var repeatRows: ClosedRange<Int>?
    /// Only print this range.
    public var printArea: CellRange?
    /// Margins; nil keeps Excel's.
    public var margins: Margins?
    /// Centre the printout horizontally.
    public var centerHorizontally: Bool
    /// The header on every page.
    public var header: HeaderFooter?
    /// The footer on every page.
    public var footer: HeaderFooter?

    /// Creates a page setup; the defaults are Excel's.
    public init(
        orientation: Orientation = .portrait, paperSize: PaperSize? = nil,
        fitToPages: (width: Int, height: Int)? = nil, repeatRows: ClosedRange<Int>? = nil,
        printArea: CellRange? = nil, margins: Margins? = nil, centerHorizontally: Bool = false,
        header: HeaderFooter? = nil, footer: HeaderFooter? = nil
    ) {
        self.orientation = orientation
        self.paperSize = paperSize
        self.fitToPages = fitToPages
        self.repeatRows = repeatRows
        self.printArea = printArea
        self.margins = margins
        self.centerHorizontally = centerHorizontally
        self.header = header
        self.footer = footer
    }

    /// Page setups are equal when every setting is.
    public static func == (a: PageSetup, b: PageSetup) -> Bool {
        a.orientation == b.orientation && a.paperSize == b.paperSize
            && a.fitToPages?.width == b.fitToPages?.width && a.fitToPages?.height == b.fitToPages?.height
            && a.repeatRows == b.repeatRows && a.printArea == b.printArea && a.margins == b.margins
            && a.centerHorizontally == b.centerHorizontally && a.header == b.header && a.footer == b.footer
    }

    /// Hashes every setting.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(orientation)
        hasher.combine(paperSize)
        hasher.combine(fitToPages?.width)
        hasher.combine(fitToPages?.height)
        hasher.combine(repeatRows)
        hasher.combine(printArea)
        hasher.combine(margins)
        hasher.combine(centerHorizontally)
        hasher.combine(header)
        hasher.combine(footer)
    }
}

/// What users may still do on a protected sheet (Excel's "Protect Sheet" dialog).
///
/// By default they can select cells and nothing else; cells formatted with `locked: false`
/// stay editable.
public struct SheetProtection: Hashable, Sendable {
    /// Select locked cells.
    public var selectLockedCells = true
    /// Select unlocked cells.
    public var selectUnlockedCells = true
    /// Format cells.
    public var formatCells = false
    /// Format columns (including widths).
    public var formatColumns = false
    /// Format rows (including heights).
    public var formatRows = false
    /// Insert columns.
    public var insertColumns = false
    /// Insert rows.
    public var insertRows = false
    /// Insert hyperlinks.
    public var insertHyperlinks = false
    /// Delete columns.
    public var deleteColumns = false
    /// Delete rows.
    public var deleteRows = false
    /// Sort.
    public var sort = false
    /// Use autofilters.
    public var autofilter = false
    /// Use pivot tables.
    public var pivotTables = false
    /// Edit objects such as charts.
    public var editObjects = false
    /// Edit scenarios.
    public var editScenarios = false

    /// Creates the default protection: selecting allowed, everything else locked.
    public init() {}
}

// MARK: - Layout

extension Worksheet {
    /// Merges a range into one cell showing `string` (stored as text), with an optional format.
    ///
    /// Throws ``XLSXError/invalidRange(sheet:range:reason:)`` for a single cell and
    /// ``XLSXError/overlappingRange(sheet:range:existing:kind:)`` when the range overlaps another
    /// merge or a table.
    public func merge(_ range: CellRange, string: String = "", format: Format? = nil) throws {
        let ws = try sheet()
        try check(range)
        guard range.first != range.last else {
            throw XLSXError.invalidRange(sheet: name, range: range.a1, reason: "a merge needs more than one cell")
        }
        if let clash = merges.first(where: { $0.overlaps(range) }) {
            throw XLSXError.overlappingRange(sheet: name, range: range.a1, existing: clash.a1, kind: "merged range")
        }
        if let clash = tables.first(where: { $0.overlaps(range) }) {
            throw XLSXError.overlappingRange(sheet: name, range: range.a1, existing: clash.a1, kind: "table")
        }
        let f = try lxw(format, "merge at \(range.a1)")
        let text = try fit(string, cell: range.first.a1)
        let code = worksheet_merge_range(
            ws, lxw_row_t(range.first.row), lxw_col_t(range.first.column),
            lxw_row_t(range.last.row), lxw_col_t(range.last.column), text, f)
        try core.check(code, "worksheet_merge_range", sheet: name, cell: range.a1)
        merges.append(range)
        if range.first.row == range.last.row {
            noteWrapped(text, row: range.first.row, columns: range.first.column...range.last.column, format: format)
        }
    }

    /// Sets the width (in characters of the default font, 0…255) of one or more columns, and
    /// optionally their format and visibility.
    public func setColumnWidth(_ width: Double, columns: ClosedRange<Int>, format: Format? = nil, hidden: Bool = false) throws {
        let ws = try sheet()
        let (_, first) = try place(0, columns.lowerBound)
        let (_, last) = try place(0, columns.upperBound)
        let label = CellReference.columnLetters(columns.lowerBound) + ":" + CellReference.columnLetters(columns.upperBound)
        guard width.isFinite, (0...255).contains(width) else {
            throw XLSXError.invalidArgument(
                context: "column width for \(label) on sheet \"\(name)\"", value: "\(width)",
                reason: "is outside 0 to 255 characters")
        }
        let f = try lxw(format, "setColumnWidth for \(label)")
        var options = lxw_row_col_options()
        options.hidden = hidden ? 1 : 0
        let code = worksheet_set_column_opt(ws, first, last, width, f, &options)
        try core.check(code, "worksheet_set_column_opt", sheet: name, cell: label)
        for column in columns { columnWidths[column] = hidden ? 0 : width }
    }

    /// Sets the width of one column; see ``setColumnWidth(_:columns:format:hidden:)``.
    public func setColumnWidth(_ width: Double, column: Int, format: Format? = nil, hidden: Bool = false) throws {
        try setColumnWidth(width, columns: column...column, format: format, hidden: hidden)
    }

    /// Sets a row's height in points (0…409), and optionally its format and visibility.
    public func setRowHeight(_ height: Double, row: Int, format: Format? = nil, hidden: Bool = false) throws {
        let ws = try sheet()
        let (r, _) = try place(row, 0)
        guard height.isFinite, (0...409).contains(height) else {
            throw XLSXError.invalidArgument(
                context: "height of row \(row + 1) on sheet \"\(name)\"", value: "\(height)",
                reason: "is outside 0 to 409 points")
        }
        let f = try lxw(format, "setRowHeight for row \(row + 1)")
        var options = lxw_row_col_options()
        options.hidden = hidden ? 1 : 0
        let code = worksheet_set_row_opt(ws, r, height, f, &options)
        try core.check(code, "worksheet_set_row_opt", sheet: name, cell: "row \(row + 1)")
        rowHeights[row] = height
        if hidden { hiddenRows.insert(row) } else { hiddenRows.remove(row) }
    }

    /// Freezes the rows above `row` and the columns left of `column`; `freezePanes(row: 1, column: 0)`
    /// keeps a header row in view.
    public func freezePanes(row: Int, column: Int) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        worksheet_freeze_panes(ws, r, c)
    }

    /// Adds filter buttons to the header row of a range (the first row of the range).
    public func autofilter(_ range: CellRange) throws {
        let ws = try sheet()
        try check(range)
        let code = worksheet_autofilter(
            ws, lxw_row_t(range.first.row), lxw_col_t(range.first.column),
            lxw_row_t(range.last.row), lxw_col_t(range.last.column))
        try core.check(code, "worksheet_autofilter", sheet: name, cell: range.a1)
    }

    /// Shows or hides gridlines on screen and in print (Excel shows them on screen only by default).
    public func setGridlines(screen: Bool, print: Bool) throws {
        let ws = try sheet()
        let option: lxw_gridlines
        switch (screen, print) {
        case (false, false): option = LXW_HIDE_ALL_GRIDLINES
        case (true, false): option = LXW_SHOW_SCREEN_GRIDLINES
        case (false, true): option = LXW_SHOW_PRINT_GRIDLINES
        case (true, true): option = LXW_SHOW_ALL_GRIDLINES
        }
        worksheet_gridlines(ws, UInt8(option.rawValue))
    }

    /// Hides gridlines on screen and in print.
    public func hideGridlines() throws {
        try setGridlines(screen: false, print: false)
    }

    /// Colours the sheet's tab.
    public func setTabColor(_ color: Color) throws {
        let ws = try sheet()
        worksheet_set_tab_color(ws, color.lxw)
    }

    /// Sets the zoom (10…400 per cent).
    public func setZoom(_ percent: Int) throws {
        let ws = try sheet()
        guard (10...400).contains(percent) else {
            throw XLSXError.invalidArgument(context: "zoom on sheet \"\(name)\"", value: "\(percent)", reason: "is outside 10 to 400")
        }
        worksheet_set_zoom(ws, UInt16(percent))
    }

    // MARK: - Visibility and selection

    /// Hides the sheet (for lookup lists and the like). At ``Workbook/close()`` at least one sheet
    /// must be visible and the active sheet must not be hidden.
    public func hide() throws {
        let ws = try sheet()
        worksheet_hide(ws)
        isHidden = true
        // libxlsxwriter moves the active sheet back to the first one when the active one is hidden.
        if core.activeSheetIndex == index { core.activeSheetIndex = 0 }
    }

    /// Makes this the sheet Excel opens on (and selects it).
    public func activate() throws {
        let ws = try sheet()
        try requireVisible("activate")
        worksheet_activate(ws)
        core.activeSheetIndex = index
    }

    /// Selects the sheet's tab (several tabs can be selected; the active one always is).
    public func select() throws {
        let ws = try sheet()
        try requireVisible("select")
        worksheet_select(ws)
    }

    /// Makes this the leftmost tab shown in the tab bar when there are too many to fit.
    public func setFirstSheet() throws {
        let ws = try sheet()
        try requireVisible("make the first visible tab")
        worksheet_set_first_sheet(ws)
    }

    private func requireVisible(_ action: String) throws {
        if isHidden {
            throw XLSXError.invalidVisibility(sheet: name, reason: "a hidden sheet cannot be used to \(action)")
        }
    }

    // MARK: - Printing and protection

    /// Applies print settings.
    public func setPageSetup(_ setup: PageSetup) throws {
        let ws = try sheet()
        let header = setup.header?.code
        let footer = setup.footer?.code
        if let header { try limit(header, 255, "page header") }
        if let footer { try limit(footer, 255, "page footer") }
        if let fit = setup.fitToPages, !((0...32_767).contains(fit.width) && (0...32_767).contains(fit.height)) {
            throw XLSXError.invalidArgument(
                context: "fit to pages on sheet \"\(name)\"", value: "\(fit.width)x\(fit.height)",
                reason: "must be 0 to 32,767 pages each way")
        }
        if let margins = setup.margins {
            for value in [margins.left, margins.right, margins.top, margins.bottom] where !(value.isFinite && value >= 0 && value < 50) {
                throw XLSXError.invalidArgument(
                    context: "page margin on sheet \"\(name)\"", value: "\(value)",
                    reason: "must be 0 or more inches and less than 50")
            }
        }
        var repeatPlace: (lxw_row_t, lxw_row_t)?
        if let rows = setup.repeatRows {
            let (first, _) = try place(rows.lowerBound, 0)
            let (last, _) = try place(rows.upperBound, 0)
            repeatPlace = (first, last)
        }
        if let area = setup.printArea { try check(area) }

        if setup.orientation == .landscape { worksheet_set_landscape(ws) } else { worksheet_set_portrait(ws) }
        if let paper = setup.paperSize { worksheet_set_paper(ws, paper.rawValue) }
        if let fit = setup.fitToPages { worksheet_fit_to_pages(ws, UInt16(fit.width), UInt16(fit.height)) }
        if let margins = setup.margins {
            worksheet_set_margins(ws, margins.left, margins.right, margins.top, margins.bottom)
        }
        if setup.centerHorizontally { worksheet_center_horizontally(ws) }
        if let (first, last) = repeatPlace {
            try core.check(
                worksheet_repeat_rows(ws, first, last), "worksheet_repeat_rows", sheet: name,
                cell: "rows \(first + 1)-\(last + 1)")
        }
        if let area = setup.printArea {
            let code = worksheet_print_area(
                ws, lxw_row_t(area.first.row), lxw_col_t(area.first.column),
                lxw_row_t(area.last.row), lxw_col_t(area.last.column))
            try core.check(code, "worksheet_print_area", sheet: name, cell: area.a1)
        }
        if let header {
            try core.check(
                worksheet_set_header(ws, header.replacingOccurrences(of: "\0", with: "")),
                "worksheet_set_header", sheet: name)
        }
        if let footer {
            try core.check(
                worksheet_set_footer(ws, footer.replacingOccurrences(of: "\0", with: "")),
                "worksheet_set_footer", sheet: name)
        }
    }

    /// Protects the sheet: locked cells (the default) can no longer be edited; cells whose format
    /// has `locked: false` stay editable. The optional password uses Excel's legacy hash, which
    /// deters accidents, not attackers.
    public func protect(password: String? = nil, allowing options: SheetProtection = SheetProtection()) throws {
        let ws = try sheet()
        if let password {
            try limit(password, 255, "protection password")
            if password.contains("\0") {
                throw XLSXError.invalidArgument(
                    context: "protection password on sheet \"\(name)\"", value: "…",
                    reason: "must not contain NUL")
            }
        }
        var p = lxw_protection()
        p.no_select_locked_cells = options.selectLockedCells ? 0 : 1
        p.no_select_unlocked_cells = options.selectUnlockedCells ? 0 : 1
        p.format_cells = options.formatCells ? 1 : 0
        p.format_columns = options.formatColumns ? 1 : 0
        p.format_rows = options.formatRows ? 1 : 0
        p.insert_columns = options.insertColumns ? 1 : 0
        p.insert_rows = options.insertRows ? 1 : 0
        p.insert_hyperlinks = options.insertHyperlinks ? 1 : 0
        p.delete_columns = options.deleteColumns ? 1 : 0
        p.delete_rows = options.deleteRows ? 1 : 0
        p.sort = options.sort ? 1 : 0
        p.autofilter = options.autofilter ? 1 : 0
        p.pivot_tables = options.pivotTables ? 1 : 0
        p.objects = options.editObjects ? 1 : 0
        p.scenarios = options.editScenarios ? 1 : 0
        if let password {
            password.withCString { worksheet_protect(ws, $0, &p) }
        } else {
            worksheet_protect(ws, nil, &p)
        }
    }
}
