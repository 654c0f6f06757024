import CXlsxWriter

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Chart values

/// The kinds of chart.
public enum ChartType: Hashable, Sendable {
    /// Vertical bars.
    case column
    /// Vertical bars stacked per category.
    case columnStacked
    /// Horizontal bars.
    case bar
    /// Horizontal bars stacked per category.
    case barStacked
    /// Lines.
    case line
    /// A pie (one series).
    case pie
    /// A doughnut (one series).
    case doughnut
    /// Filled areas.
    case area

    var lxw: UInt8 {
        let value: lxw_chart_type
        switch self {
        case .column: value = LXW_CHART_COLUMN
        case .columnStacked: value = LXW_CHART_COLUMN_STACKED
        case .bar: value = LXW_CHART_BAR
        case .barStacked: value = LXW_CHART_BAR_STACKED
        case .line: value = LXW_CHART_LINE
        case .pie: value = LXW_CHART_PIE
        case .doughnut: value = LXW_CHART_DOUGHNUT
        case .area: value = LXW_CHART_AREA
        }
        return UInt8(value.rawValue)
    }

    /// Whether the chart has axes that can be titled.
    public var hasAxes: Bool { self != .pie && self != .doughnut }
}

/// Where a chart's legend goes.
public enum LegendPosition: Hashable, Sendable {
    /// No legend.
    case none
    /// Right (Excel's default).
    case right
    /// Left.
    case left
    /// Top.
    case top
    /// Bottom.
    case bottom
    /// Top right.
    case topRight
    /// Over the plot area, on the right.
    case overlayRight
    /// Over the plot area, on the left.
    case overlayLeft

    var lxw: UInt8 {
        let value: lxw_chart_legend_position
        switch self {
        case .none: value = LXW_CHART_LEGEND_NONE
        case .right: value = LXW_CHART_LEGEND_RIGHT
        case .left: value = LXW_CHART_LEGEND_LEFT
        case .top: value = LXW_CHART_LEGEND_TOP
        case .bottom: value = LXW_CHART_LEGEND_BOTTOM
        case .topRight: value = LXW_CHART_LEGEND_TOP_RIGHT
        case .overlayRight: value = LXW_CHART_LEGEND_OVERLAY_RIGHT
        case .overlayLeft: value = LXW_CHART_LEGEND_OVERLAY_LEFT
        }
        return UInt8(value.rawValue)
    }
}

/// One data series: values, optional category labels, optional name.
public struct ChartSeries: Hashable, Sendable {
    /// The values (one row or one column).
    public var values: SheetRange
    /// The category labels, such as quarter names (one row or one column).
    public var categories: SheetRange?
    /// The name shown in the legend (text, never a reference).
    public var name: String?

    /// Creates a series.
    public init(values: SheetRange, categories: SheetRange? = nil, name: String? = nil) {
        self.values = values
        self.categories = categories
        self.name = name
    }
}

/// The size and position of a chart placed on a worksheet.
public struct ChartPlacement: Hashable, Sendable {
    /// Width in pixels (libxlsxwriter's default is 480).
    public var width: Int
    /// Height in pixels (libxlsxwriter's default is 288).
    public var height: Int
    /// Offset right from the cell's left edge, in pixels.
    public var xOffset: Int
    /// Offset down from the cell's top edge, in pixels.
    public var yOffset: Int
    /// The chart's alternative text: what it shows, in words, for screen readers (Excel's "Alt Text").
    public var altText: String?

    /// Creates a placement.
    public init(width: Int = 480, height: Int = 288, xOffset: Int = 0, yOffset: Int = 0, altText: String? = nil) {
        self.width = width
        self.height = height
        self.xOffset = xOffset
        self.yOffset = yOffset
        self.altText = altText
    }
}

// MARK: - Chart

/// A chart of worksheet data; get one from ``Workbook/addChart(_:)``, add series, then place it
/// with ``Worksheet/insertChart(_:row:column:placement:)``.
///
/// Titles and series names are always text: libxlsxwriter reads names starting with `=` as cell
/// references, so such a name gets a zero-width space (U+200B) put in front; it looks the same.
public final class Chart {
    /// The chart's type.
    public let type: ChartType
    let core: WorkbookCore
    let pointer: UnsafeMutablePointer<lxw_chart>
    /// Number of series added.
    public private(set) var seriesCount = 0
    /// Where the chart was placed, once it has been.
    var placedAt: String?

    init(type: ChartType, core: WorkbookCore, pointer: UnsafeMutablePointer<lxw_chart>) {
        self.type = type
        self.core = core
        self.pointer = pointer
    }

    /// The C chart, if the workbook is still open.
    private func chart() throws -> UnsafeMutablePointer<lxw_chart> {
        guard core.pointer != nil else { throw XLSXError.workbookClosed(path: core.path) }
        return pointer
    }

    /// Text libxlsxwriter will not read as a reference.
    static func literal(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\0", with: "\u{FFFD}")
        return clean.hasPrefix("=") ? "\u{200B}" + clean : clean
    }

    /// Checks a series range: known sheet, inside the grid, corners in order, one row or column.
    private func validate(_ range: SheetRange, _ role: String) throws {
        let context = "chart series \(role) \(range.reference)"
        guard core.existingSheetName(range.sheet) != nil else { throw XLSXError.unknownSheet(range.sheet, context: context) }
        let r = range.range
        guard r.first.isInExcelGrid, r.last.isInExcelGrid else {
            throw XLSXError.cellOutOfRange(
                sheet: range.sheet, row: r.first.isInExcelGrid ? r.last.row : r.first.row,
                column: r.first.isInExcelGrid ? r.last.column : r.first.column)
        }
        guard r.first.row <= r.last.row, r.first.column <= r.last.column else {
            throw XLSXError.invalidRange(sheet: range.sheet, range: r.a1, reason: "the first cell must be above and left of the last")
        }
        guard r.rowCount == 1 || r.columnCount == 1 else {
            throw XLSXError.invalidRange(sheet: range.sheet, range: r.a1, reason: "a chart series must be one row or one column")
        }
    }

    /// Adds a series.
    ///
    /// The ranges are given to libxlsxwriter by sheet name and cell indices (so it can cache the
    /// data in the chart) and the formula in the file is built with ``SheetRange/reference``, quoting
    /// the sheet name as Excel needs, for example `Summary!$B$2:$B$5` or `'Data quality'!$B$2:$B$5`.
    public func addSeries(_ series: ChartSeries) throws {
        let chart = try chart()
        try validate(series.values, "values")
        if let categories = series.categories { try validate(categories, "categories") }
        if (type == .pie || type == .doughnut) && seriesCount >= 1 {
            throw XLSXError.invalidArgument(
                context: "chart series", value: series.values.reference,
                reason: "cannot be added: a pie or doughnut chart shows one series")
        }
        guard let made = chart_add_series(chart, nil, nil) else { throw XLSXError.outOfMemory(operation: "chart_add_series") }
        seriesCount += 1
        let v = series.values.range
        chart_series_set_values(
            made, series.values.sheet, lxw_row_t(v.first.row), lxw_col_t(v.first.column),
            lxw_row_t(v.last.row), lxw_col_t(v.last.column))
        try override(made.pointee.values, with: series.values)
        if let categories = series.categories {
            let k = categories.range
            chart_series_set_categories(
                made, categories.sheet, lxw_row_t(k.first.row), lxw_col_t(k.first.column),
                lxw_row_t(k.last.row), lxw_col_t(k.last.column))
            try override(made.pointee.categories, with: categories)
        }
        if let name = series.name { chart_series_set_name(made, Chart.literal(name)) }
    }

    /// Replaces the formula libxlsxwriter built for a range with ours when they differ:
    /// `lxw_quote_sheetname` leaves names such as `2026` or `R1C1` bare, which Excel rejects.
    private func override(_ target: UnsafeMutablePointer<lxw_series_range>?, with range: SheetRange) throws {
        guard let target else { throw XLSXError.outOfMemory(operation: "chart_series_set_values") }
        let wanted = range.reference
        if let current = target.pointee.formula, String(cString: current) == wanted { return }
        guard let copy = lxw_strdup(wanted) else { throw XLSXError.outOfMemory(operation: "chart series formula") }
        free(target.pointee.formula)
        target.pointee.formula = copy
    }

    /// Sets the chart title (text); nil leaves Excel's automatic title (the series name, for one series).
    public func setTitle(_ title: String?) throws {
        let chart = try chart()
        if let title {
            chart_title_set_name(chart, Chart.literal(title))
        }
    }

    /// Hides the title, including the automatic one.
    public func hideTitle() throws {
        chart_title_off(try chart())
    }

    /// Whether the category axis is vertical (bar charts), so that libxlsxwriter's x axis is the value axis.
    var isHorizontal: Bool { type == .bar || type == .barStacked }

    /// libxlsxwriter's axis for the categories or for the values: in a bar chart its x axis is the
    /// horizontal one, which holds the values, and its y axis holds the categories.
    private func axis(values: Bool, _ context: String, _ value: String) throws -> UnsafeMutablePointer<lxw_chart_axis> {
        let chart = try chart()
        guard type.hasAxes else {
            throw XLSXError.invalidArgument(
                context: context, value: value, reason: "cannot be set: pie and doughnut charts have no axes")
        }
        let onY = values != isHorizontal
        guard let axis = chart_axis_get(chart, onY ? LXW_CHART_AXIS_TYPE_Y : LXW_CHART_AXIS_TYPE_X) else {
            throw XLSXError.invalidArgument(context: context, value: value, reason: "has no axis to go on")
        }
        return axis
    }

    /// Sets the axis titles (text): `category` on the axis of the category labels (horizontal in column and
    /// line charts, vertical in bar charts), `value` on the axis of the values. Pie and doughnut charts have
    /// no axes.
    public func setAxisTitles(category: String?, value: String?) throws {
        for (title, isValue) in [(category, false), (value, true)] {
            guard let title else { continue }
            chart_axis_set_name(try axis(values: isValue, "chart axis titles", title), Chart.literal(title))
        }
    }

    /// Sets the axis titles as ``setAxisTitles(category:value:)`` does: `x` is the category axis and `y` the
    /// value axis, whichever way the chart lies.
    public func setAxisTitles(x: String?, y: String?) throws {
        try setAxisTitles(category: x, value: y)
    }

    /// Sets the number format of the value axis, such as `£#,##0` or `0%`.
    public func setValueAxisNumberFormat(_ format: String) throws {
        guard !format.isEmpty, format.utf8.count <= 127, !format.contains("\0") else {
            throw XLSXError.invalidArgument(context: "chart value axis format", value: format, reason: "must be 1 to 127 bytes")
        }
        chart_axis_set_num_format(try axis(values: true, "chart value axis format", format), format)
    }

    /// Fixes the value axis's range, such as 0 to 1 for shares shown as 0% to 100%; nil leaves an end automatic.
    public func setValueAxisRange(minimum: Double?, maximum: Double?) throws {
        let axis = try axis(values: true, "chart value axis range", "\(minimum ?? .nan) to \(maximum ?? .nan)")
        for bound in [minimum, maximum] {
            if let bound, !bound.isFinite {
                throw XLSXError.invalidArgument(context: "chart value axis range", value: "\(bound)", reason: "must be finite")
            }
        }
        if let minimum, let maximum, minimum >= maximum {
            throw XLSXError.invalidArgument(
                context: "chart value axis range", value: "\(minimum) to \(maximum)", reason: "the minimum must be below the maximum")
        }
        if let minimum { chart_axis_set_min(axis, minimum) }
        if let maximum { chart_axis_set_max(axis, maximum) }
    }

    /// Draws the categories in reading order: a bar chart draws its first category at the bottom, so its
    /// category axis is reversed (the first at the top, as in the table the data come from) and the value
    /// axis crosses it at its far end, which keeps the value axis at the bottom.
    public func setCategoriesInReadingOrder() throws {
        let axis = try axis(values: false, "chart category order", "reading order")
        chart_axis_set_reverse(axis)
        chart_axis_set_crossing_max(axis)
    }

    /// Moves or removes the legend.
    public func setLegend(_ position: LegendPosition) throws {
        chart_legend_set_position(try chart(), position.lxw)
    }

    /// Uses one of Excel's 48 built-in chart styles (colours and effects); 2 is Excel's default.
    public func setStyle(_ style: Int) throws {
        let chart = try chart()
        guard (1...48).contains(style) else {
            throw XLSXError.invalidArgument(context: "chart style", value: "\(style)", reason: "is outside Excel's styles 1 to 48")
        }
        chart_set_style(chart, UInt8(style))
    }
}

// MARK: - Placing charts

extension Worksheet {
    /// Places a chart with its top-left corner in a cell. A chart can be placed once, and needs at least one series.
    public func insertChart(_ chart: Chart, row: Int, column: Int, placement: ChartPlacement = ChartPlacement()) throws {
        let ws = try sheet()
        let (r, c) = try place(row, column)
        let cell = CellReference(row: row, column: column).a1
        guard chart.core === core else {
            throw XLSXError.foreignObject(kind: "chart", context: "insertChart at \(cell) on sheet \"\(name)\"")
        }
        guard chart.placedAt == nil else { throw XLSXError.chartAlreadyInserted(sheet: name, cell: cell) }
        guard chart.seriesCount > 0 else {
            throw XLSXError.invalidArgument(
                context: "insertChart at \(cell) on sheet \"\(name)\"", value: "\(chart.type)",
                reason: "has no data series; add one before placing the chart")
        }
        guard (1...32_767).contains(placement.width), (1...32_767).contains(placement.height),
            (0...32_767).contains(placement.xOffset), (0...32_767).contains(placement.yOffset)
        else {
            throw XLSXError.invalidArgument(
                context: "insertChart at \(cell) on sheet \"\(name)\"",
                value: "\(placement.width)x\(placement.height)+\(placement.xOffset)+\(placement.yOffset)",
                reason: "needs a size of 1 to 32,767 pixels and offsets of 0 to 32,767")
        }
        if let altText = placement.altText { try limit(altText, 2000, "chart alt text at \(cell)") }
        let bag = CStringBag(operation: "worksheet_insert_chart_opt")
        var options = lxw_chart_options()
        options.x_offset = Int32(placement.xOffset)
        options.y_offset = Int32(placement.yOffset)
        options.x_scale = Double(placement.width) / 480
        options.y_scale = Double(placement.height) / 288
        options.description = try bag.optional(placement.altText?.replacingOccurrences(of: "\0", with: "\u{FFFD}"))
        let code = withExtendedLifetime(bag) { worksheet_insert_chart_opt(ws, r, c, chart.pointer, &options) }
        try core.check(code, "worksheet_insert_chart_opt", sheet: name, cell: cell)
        chart.placedAt = "\(name)!\(cell)"
    }
}
