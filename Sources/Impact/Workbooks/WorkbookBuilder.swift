import Foundation
import XLSX

/// Writes a ``WorkbookContent`` with libxlsxwriter: one sheet per ``SheetContent``, every table an Excel
/// table with filters, real dates, currency and percentage formats, frozen header rows, landscape
/// fit-to-width printing and document properties.
struct WorkbookBuilder {
    let content: WorkbookContent

    /// The formats of one workbook.
    struct Formats {
        let title, heading, body, bodyWrap, header, text, textWrap, count, percent, money, decimal, date, marker, link: Format

        init(_ book: Workbook, currency: String) throws {
            // Lines of a sheet wrap, so that their rows are sized (``Worksheet/fitRowsToWrappedText()``).
            title = try book.addFormat(FormatSpec(bold: true, fontSize: 15, verticalAlignment: .top, wrapText: true))
            heading = try book.addFormat(FormatSpec(bold: true, fontSize: 12, verticalAlignment: .top, wrapText: true))
            body = try book.addFormat(FormatSpec())
            bodyWrap = try book.addFormat(FormatSpec(verticalAlignment: .top, wrapText: true))
            header = try book.addFormat(FormatSpec(bold: true, verticalAlignment: .top, wrapText: true))
            text = try book.addFormat(FormatSpec(verticalAlignment: .top))
            textWrap = try book.addFormat(FormatSpec(verticalAlignment: .top, wrapText: true))
            count = try book.addFormat(FormatSpec(numberFormat: "#,##0", verticalAlignment: .top))
            percent = try book.addFormat(FormatSpec(numberFormat: "0.0%", verticalAlignment: .top))
            money = try book.addFormat(
                FormatSpec(numberFormat: WorkbookBuilder.currencyFormat(currency), verticalAlignment: .top))
            decimal = try book.addFormat(FormatSpec(numberFormat: "+0.0;-0.0;0.0", verticalAlignment: .top))
            date = try book.addFormat(
                FormatSpec(numberFormat: "dd mmm yyyy", horizontalAlignment: .right, verticalAlignment: .top))
            marker = try book.addFormat(FormatSpec(horizontalAlignment: .right, verticalAlignment: .top))
            link = try book.addFormat(FormatSpec(underline: true, fontColor: Color(rgb: 0x0563C1), verticalAlignment: .top))
        }
    }

    /// An Excel number format for amounts in a currency (ISO code).
    static func currencyFormat(_ code: String) -> String {
        switch code.uppercased() {
        case "GBP": return "£#,##0.00"
        case "EUR": return "€#,##0.00"
        case "USD": return "$#,##0.00"
        default:
            let letters = code.filter { $0.isASCII && $0.isLetter }.prefix(3)
            return letters.isEmpty ? "#,##0.00" : "#,##0.00 \"\(letters)\""
        }
    }

    /// Where a table's data rows ended up.
    struct Placed {
        var sheet: String
        var firstDataRow: Int
        var lastDataRow: Int
    }

    /// Writes the workbook: `sheets` as given (a funder's, masked), or else the content's own.
    func build(path: String, created: Date, sheets given: [SheetContent]? = nil) throws {
        let book = try Workbook(path: path, options: WorkbookOptions(created: created))
        let settings = content.settings
        book.properties = DocumentProperties(
            title: content.title, subject: "Quarterly impact figures for \(content.audience)", author: settings.programme,
            company: settings.programme, category: "Official statistics style workbook",
            keywords: "impact, \(content.quarter), \(content.scope.funder?.id ?? "programme")",
            comments: content.disclosure.active
                ? "Counts of people from 1 to \(content.disclosure.threshold - 1) are suppressed; see the Cover sheet."
                : "Programme workbook with exact counts; not for funders.")
        let formats = try Formats(book, currency: settings.currency)
        let sheets = given ?? content.sheets()
        let worksheets = try sheets.map { try book.addWorksheet(name: $0.name) }
        var placed: [String: Placed] = [:]
        var chartAnchors: [(sheet: Int, row: Int, column: Int)] = []

        for (index, sheet) in sheets.enumerated() {
            let ws = worksheets[index]
            let widths = sheet.tables.isEmpty ? [WorkbookBuilder.textSheetWidth] : columnWidths(of: sheet)
            /// A line of the sheet: across every column the sheet uses (merged), wrapped.
            func writeLine(_ text: String, row: Int, format: Format) throws {
                if widths.count > 1 {
                    try ws.merge(
                        CellRange(firstRow: row, firstColumn: 0, lastRow: row, lastColumn: widths.count - 1), string: text, format: format)
                } else {
                    try ws.write(string: text, row: row, column: 0, format: format)
                }
            }
            var row = 0
            for line in sheet.lines {
                switch line {
                case .title(let text): try writeLine(text, row: row, format: formats.title)
                case .heading(let text): try writeLine(text, row: row, format: formats.heading)
                case .body(let text): try writeLine(text, row: row, format: formats.bodyWrap)
                case .date(let label, let days):
                    try writeLine(label, row: row, format: formats.heading)
                    row += 1
                    try ws.write(
                        date: try ExcelDate(daysSince1970: days), row: row, column: 0,
                        format: try book.addFormat(FormatSpec(numberFormat: "d mmmm yyyy", horizontalAlignment: .left)))
                case .link(let target, let text):
                    try ws.write(
                        url: .cell(sheet: target, cell: CellReference(row: 0, column: 0)), text: text, row: row, column: 0,
                        format: formats.link)
                case .blank: break
                }
                row += 1
            }
            if !sheet.tables.isEmpty { row += 1 }
            var firstHeader: Int?
            for table in sheet.tables {
                if let heading = table.heading {
                    try writeLine(heading, row: row, format: formats.heading)
                    row += 1
                }
                guard !table.rows.isEmpty else {
                    try writeLine("There is nothing to show here for this quarter.", row: row, format: formats.bodyWrap)
                    row += 2
                    continue
                }
                if firstHeader == nil { firstHeader = row }
                let hasTotal = table.total != nil
                let lastRow = row + table.rows.count + (hasTotal ? 1 : 0)
                let columns = table.columns.enumerated().map { c, spec in
                    TableColumn(
                        header: spec.header, headerFormat: formats.header,
                        total: hasTotal && c == 0 ? .label(WorkbookBuilder.label(table.total?.first)) : nil)
                }
                try ws.addTable(
                    CellRange(firstRow: row, firstColumn: 0, lastRow: lastRow, lastColumn: table.columns.count - 1),
                    options: TableOptions(name: table.name, columns: columns, style: .medium(2), totalRow: hasTotal))
                for (r, values) in table.rows.enumerated() {
                    for (c, value) in values.enumerated() {
                        // Text wider than its column wraps (the column is as wide as it may be).
                        let wrap = table.wrap || WorkbookBuilder.overflows(value, width: c < widths.count ? widths[c] : 0)
                        try write(value, ws, row: row + 1 + r, column: c, formats, wrap: wrap)
                    }
                }
                if let total = table.total {
                    for (c, value) in total.enumerated() where c > 0 {
                        try write(value, ws, row: lastRow, column: c, formats, wrap: false)
                    }
                }
                placed[table.name] = Placed(sheet: sheet.name, firstDataRow: row + 1, lastDataRow: row + table.rows.count)
                row = lastRow + 2
            }
            for (c, width) in widths.enumerated() { try ws.setColumnWidth(width, column: c) }
            if sheet.tables.isEmpty { try ws.hideGridlines() }
            // libxlsxwriter does not autofit: every row of wrapped text is sized from its text and column width.
            try ws.fitRowsToWrappedText()
            if let firstHeader { try ws.freezePanes(row: firstHeader + 1, column: 0) }
            try ws.setPageSetup(
                PageSetup(
                    orientation: .landscape, paperSize: .a4, fitToPages: (width: 1, height: 0),
                    // A header repeated on every page would stand over the rows of the sheet's other tables.
                    repeatRows: sheet.tables.count == 1 ? firstHeader.map { $0...$0 } : nil,
                    margins: PageSetup.Margins(left: 0.5, right: 0.5, top: 0.6, bottom: 0.6),
                    footer: HeaderFooter(left: [.text(sheet.name)], right: [.text("Page "), .pageNumber])))
            let widest = sheet.tables.map(\.columns.count).max() ?? 0
            if widest <= 4 {
                chartAnchors.append((index, firstHeader ?? row, widest + 1))
            } else {
                chartAnchors.append((index, row, 0))
            }
        }

        for (index, sheet) in sheets.enumerated() {
            var (_, anchorRow, anchorColumn) = chartAnchors[index]
            for spec in sheet.charts {
                guard let source = placed[spec.table] else { continue }
                let chart = try book.addChart(WorkbookBuilder.chartType(spec.kind))
                for (column, name) in spec.series {
                    try chart.addSeries(
                        ChartSeries(
                            values: SheetRange(
                                sheet: source.sheet, firstRow: source.firstDataRow, firstColumn: column,
                                lastRow: source.lastDataRow,
                                lastColumn: column),
                            categories: SheetRange(
                                sheet: source.sheet, firstRow: source.firstDataRow, firstColumn: spec.categoryColumn,
                                lastRow: source.lastDataRow, lastColumn: spec.categoryColumn),
                            name: name))
                }
                try chart.setTitle(spec.title)
                try chart.setAxisTitles(category: spec.categoryTitle, value: spec.valueTitle)
                if let format = spec.valueFormat { try chart.setValueAxisNumberFormat(format) }
                if let range = spec.valueRange { try chart.setValueAxisRange(minimum: range.lowerBound, maximum: range.upperBound) }
                // Goals from the top down, as the table lists them.
                if spec.kind == .bar { try chart.setCategoriesInReadingOrder() }
                try chart.setLegend(spec.series.count > 1 ? .bottom : .none)
                try worksheets[index].insertChart(
                    chart, row: anchorRow, column: anchorColumn,
                    placement: ChartPlacement(width: 560, height: 300, altText: spec.altText))
                anchorRow += 17
            }
        }
        try book.close()
    }

    static func chartType(_ kind: ChartSpec.Kind) -> ChartType {
        switch kind {
        case .column: return .column
        case .bar: return .bar
        case .line: return .line
        }
    }

    static func label(_ value: Shown?) -> String {
        if case .text(let text)? = value { return text }
        return "Total"
    }

    func write(_ value: Shown, _ ws: Worksheet, row: Int, column: Int, _ formats: Formats, wrap: Bool) throws {
        switch value {
        case .count(let n): try ws.write(number: n, row: row, column: column, format: formats.count)
        case .percent(let x): try ws.write(number: x, row: row, column: column, format: formats.percent)
        case .money(let x): try ws.write(number: x, row: row, column: column, format: formats.money)
        case .decimal(let x): try ws.write(number: x, row: row, column: column, format: formats.decimal)
        case .text(let text): try ws.write(string: text, row: row, column: column, format: wrap ? formats.textWrap : formats.text)
        case .date(let days):
            try ws.write(date: try ExcelDate(daysSince1970: days), row: row, column: column, format: formats.date)
        case .confidential, .noData, .notApplicable:
            try ws.write(string: value.marker ?? "", row: row, column: column, format: formats.marker)
        case .link(let sheet, let text):
            try ws.write(
                url: .cell(sheet: sheet, cell: CellReference(row: 0, column: 0)), text: text, row: row, column: column,
                format: formats.link)
        }
    }
}
