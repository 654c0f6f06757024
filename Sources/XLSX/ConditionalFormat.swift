import CXlsxWriter

// MARK: - Conditional format values

/// A value a conditional-format rule compares cells with.
public enum ConditionValue: Hashable, Sendable {
    /// A number.
    case number(Double)
    /// Text, compared as text (it is quoted for Excel, inner quotes doubled).
    case text(String)
    /// A trusted formula or cell reference, such as `=$B$1`.
    case formula(String)

    /// The value in the form libxlsxwriter's `value_string` takes.
    var expression: String {
        switch self {
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .text(let t): return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .formula(let f): return f
        }
    }
}

/// A conditional format: a rule, and the format applied to cells that meet it.
public struct ConditionalFormat: Hashable {
    /// When the format applies.
    public enum Rule: Hashable, Sendable {
        /// The cell's value meets the criterion, such as `.lessThan(.number(0))`.
        case cellValue(Criterion<ConditionValue>)
        /// The cell is blank.
        case blanks
        /// The cell is not blank.
        case noBlanks
        /// The cell holds an error value.
        case errors
        /// The cell's text contains this text (which must not contain a double quote).
        case textContains(String)
        /// A trusted formula, written for the top-left cell of the range, is TRUE, such as `=$C2<$D2`.
        case formula(String)
        /// The value is a duplicate within the range.
        case duplicates
        /// The top n values of the range.
        case top(Int)
        /// The bottom n values of the range.
        case bottom(Int)
        /// A two-colour scale from the lowest to the highest value (needs no format).
        case twoColorScale(min: Color, max: Color)
        /// A three-colour scale through the 50th percentile (needs no format).
        case threeColorScale(min: Color, mid: Color, max: Color)
        /// Data bars in a colour (needs no format).
        case dataBar(Color)
    }

    /// The rule.
    public var rule: Rule
    /// The format for matching cells (Excel applies only font colour and style, fill, borders and
    /// number format from it). Required by every rule but the scales and data bars.
    public var format: Format?
    /// Stop evaluating later rules for a cell when this one matches.
    public var stopIfTrue: Bool

    /// Creates a conditional format.
    public init(_ rule: Rule, format: Format? = nil, stopIfTrue: Bool = false) {
        self.rule = rule
        self.format = format
        self.stopIfTrue = stopIfTrue
    }
}

// MARK: - Adding conditional formats

extension Worksheet {
    /// Adds a conditional format to a range.
    public func addConditionalFormat(_ conditional: ConditionalFormat, to range: CellRange) throws {
        let ws = try sheet()
        try check(range)
        let context = "conditional format on \(range.a1) on sheet \"\(name)\""
        let f = try lxw(conditional.format, "conditional format on \(range.a1)")
        let bag = CStringBag(operation: "worksheet_conditional_format_range")
        var c = lxw_conditional_format()
        c.format = f
        c.stop_if_true = conditional.stopIfTrue ? 1 : 0

        func type(_ t: lxw_conditional_format_types) -> UInt8 { UInt8(t.rawValue) }
        func needFormat() throws {
            guard f != nil else {
                throw XLSXError.invalidArgument(context: context, value: "format: nil", reason: "is not allowed; this rule needs a format")
            }
        }
        func expression(_ value: ConditionValue) throws -> UnsafeMutablePointer<CChar> {
            if case .number(let n) = value, !n.isFinite {
                throw XLSXError.invalidArgument(context: context, value: "\(n)", reason: "is not a finite number")
            }
            let text = value.expression
            guard !text.isEmpty, text.utf16.count <= 255 else {
                throw XLSXError.invalidArgument(context: context, value: text, reason: "must be 1 to 255 characters")
            }
            return try bag.string(text)
        }
        func count(_ n: Int) throws -> Double {
            guard (1...1000).contains(n) else {
                throw XLSXError.invalidArgument(context: context, value: "\(n)", reason: "is outside 1 to 1000")
            }
            return Double(n)
        }

        switch conditional.rule {
        case .cellValue(let criterion):
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_CELL)
            c.criteria = criterion.conditionalCriteria
            let (a, b) = criterion.operands
            if let b {
                c.min_value_string = try expression(a)
                c.max_value_string = try expression(b)
            } else {
                c.value_string = try expression(a)
            }
        case .blanks:
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_BLANKS)
        case .noBlanks:
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_NO_BLANKS)
        case .errors:
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_ERRORS)
        case .textContains(let text):
            try needFormat()
            guard !text.isEmpty, !text.contains("\""), text.utf16.count <= 255 else {
                throw XLSXError.invalidArgument(
                    context: context, value: text,
                    reason: "must be 1 to 255 characters without double quotes")
            }
            c.type = type(LXW_CONDITIONAL_TYPE_TEXT)
            c.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING.rawValue)
            c.value_string = try bag.string(text)
        case .formula(let formula):
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_FORMULA)
            c.value_string = try expression(.formula(formula))
        case .duplicates:
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_DUPLICATE)
        case .top(let n):
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_TOP)
            c.value = try count(n)
        case .bottom(let n):
            try needFormat()
            c.type = type(LXW_CONDITIONAL_TYPE_BOTTOM)
            c.value = try count(n)
        case .twoColorScale(let minColor, let maxColor):
            c.type = type(LXW_CONDITIONAL_2_COLOR_SCALE)
            c.min_color = minColor.lxw
            c.max_color = maxColor.lxw
        case .threeColorScale(let minColor, let midColor, let maxColor):
            c.type = type(LXW_CONDITIONAL_3_COLOR_SCALE)
            c.min_color = minColor.lxw
            c.mid_color = midColor.lxw
            c.max_color = maxColor.lxw
        case .dataBar(let color):
            c.type = type(LXW_CONDITIONAL_DATA_BAR)
            c.bar_color = color.lxw
        }

        let code = withExtendedLifetime(bag) {
            worksheet_conditional_format_range(
                ws, lxw_row_t(range.first.row), lxw_col_t(range.first.column),
                lxw_row_t(range.last.row), lxw_col_t(range.last.column), &c)
        }
        try core.check(code, "worksheet_conditional_format_range", sheet: name, cell: range.a1)
    }
}
