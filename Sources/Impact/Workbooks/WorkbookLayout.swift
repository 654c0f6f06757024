import XLSX

// MARK: - Column widths from the content

extension WorkbookBuilder {
    /// The width of the one column of a sheet of text (Cover), in characters.
    static let textSheetWidth = 100.0

    /// The width of each column a sheet's tables use: as wide as the widest value shown in it and its
    /// header's longest word (headers wrap), at most the ``ColumnSpec/width`` of its table (the widest of its
    /// tables, when several share a column); text wider than that wraps.
    func columnWidths(of sheet: SheetContent) -> [Double] {
        var widths: [Double] = []
        for table in sheet.tables where !table.rows.isEmpty {
            for (c, spec) in table.columns.enumerated() {
                var values = table.rows.compactMap { c < $0.count ? displayText($0[c]) : nil }
                if let total = table.total {
                    values.append(c == 0 ? WorkbookBuilder.label(total.first) : c < total.count ? displayText(total[c]) : "")
                }
                let width = TextFit.columnWidth(values: values, header: spec.header, minimum: 6, maximum: spec.width)
                if c < widths.count { widths[c] = max(widths[c], width) } else { widths.append(width) }
            }
        }
        return widths
    }

    /// Whether a value is text too wide for its column, so it must wrap.
    static func overflows(_ value: Shown, width: Double) -> Bool {
        guard case .text(let text) = value else { return false }
        return TextFit.displayWidth(text) > width - TextFit.padding || text.contains("\n")
    }

    /// A value as the workbook displays it (near enough to size its column): numbers with their format.
    func displayText(_ value: Shown) -> String {
        switch value {
        case .count(let n): return WorkbookBuilder.grouped(n)
        case .percent(let x): return WorkbookBuilder.fixed(x * 100, digits: 1) + "%"
        case .money(let x):
            let amount = WorkbookBuilder.grouped(Int(x.rounded(.towardZero))) + ".00"
            let symbol = Units.currencySymbol(content.settings.currency)
            return symbol.count == 1 ? symbol + amount : amount + " " + symbol
        case .decimal(let x): return (x >= 0 ? "+" : "") + WorkbookBuilder.fixed(x, digits: 1)
        case .date: return "30 Sep 2026"
        case .text(let text): return text
        case .link(_, let text): return text
        case .confidential, .noData, .notApplicable: return value.marker ?? ""
        }
    }

    /// A whole number with thousands separators: `12,345`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return n < 0 ? "-" + result : result
    }

    /// A number with a fixed count of decimals (without Foundation's locale).
    static func fixed(_ x: Double, digits: Int) -> String {
        let scale = Double((0..<digits).reduce(1) { value, _ in value * 10 })
        let scaled = Int((abs(x) * scale).rounded())
        let whole = grouped(scaled / Int(scale))
        let fraction = String(scaled % Int(scale))
        let padded = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        return (x < 0 && scaled != 0 ? "-" : "") + whole + (digits > 0 ? "." + padded : "")
    }
}
