import CXlsxWriter

// MARK: - Criterion

/// A comparison against one value or between two, used by data validation and conditional formats.
public enum Criterion<Value: Hashable & Sendable>: Hashable, Sendable {
    /// Between two values, inclusive.
    case between(Value, Value)
    /// Outside two values.
    case notBetween(Value, Value)
    /// Equal to a value.
    case equalTo(Value)
    /// Not equal to a value.
    case notEqualTo(Value)
    /// Greater than a value.
    case greaterThan(Value)
    /// Less than a value.
    case lessThan(Value)
    /// Greater than or equal to a value.
    case greaterThanOrEqualTo(Value)
    /// Less than or equal to a value.
    case lessThanOrEqualTo(Value)

    /// The single value, or the bounds of a between.
    var operands: (Value, Value?) {
        switch self {
        case .between(let a, let b), .notBetween(let a, let b): return (a, b)
        case .equalTo(let a), .notEqualTo(let a), .greaterThan(let a), .lessThan(let a),
            .greaterThanOrEqualTo(let a), .lessThanOrEqualTo(let a):
            return (a, nil)
        }
    }

    var validationCriteria: UInt8 {
        let value: lxw_validation_criteria
        switch self {
        case .between: value = LXW_VALIDATION_CRITERIA_BETWEEN
        case .notBetween: value = LXW_VALIDATION_CRITERIA_NOT_BETWEEN
        case .equalTo: value = LXW_VALIDATION_CRITERIA_EQUAL_TO
        case .notEqualTo: value = LXW_VALIDATION_CRITERIA_NOT_EQUAL_TO
        case .greaterThan: value = LXW_VALIDATION_CRITERIA_GREATER_THAN
        case .lessThan: value = LXW_VALIDATION_CRITERIA_LESS_THAN
        case .greaterThanOrEqualTo: value = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO
        case .lessThanOrEqualTo: value = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO
        }
        return UInt8(value.rawValue)
    }

    var conditionalCriteria: UInt8 {
        let value: lxw_conditional_criteria
        switch self {
        case .between: value = LXW_CONDITIONAL_CRITERIA_BETWEEN
        case .notBetween: value = LXW_CONDITIONAL_CRITERIA_NOT_BETWEEN
        case .equalTo: value = LXW_CONDITIONAL_CRITERIA_EQUAL_TO
        case .notEqualTo: value = LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO
        case .greaterThan: value = LXW_CONDITIONAL_CRITERIA_GREATER_THAN
        case .lessThan: value = LXW_CONDITIONAL_CRITERIA_LESS_THAN
        case .greaterThanOrEqualTo: value = LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO
        case .lessThanOrEqualTo: value = LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO
        }
        return UInt8(value.rawValue)
    }
}

// MARK: - DataValidation

/// A data validation rule for a range: what may be typed into its cells, and the messages Excel shows.
public struct DataValidation: Hashable, Sendable {
    /// What the cells accept.
    public enum Rule: Hashable, Sendable {
        /// One of these values, from a dropdown. Values must not contain commas or double quotes, and
        /// together (with separating commas) must fit in Excel's 255 characters; longer lists belong
        /// on a (hidden) sheet, used with ``listFromRange(_:)``.
        case list([String])
        /// One of the values in a range, usually on a hidden lookup sheet.
        case listFromRange(SheetRange)
        /// A whole number meeting the criterion.
        case wholeNumber(Criterion<Int>)
        /// A number meeting the criterion.
        case decimal(Criterion<Double>)
        /// A date meeting the criterion.
        case date(Criterion<ExcelDate>)
        /// Text whose length meets the criterion.
        case textLength(Criterion<Int>)
        /// Anything for which a trusted formula, written for the top-left cell, is TRUE, such as `=ISNUMBER(B2)`.
        case custom(formula: String)
        /// Anything: only shows the input message.
        case any
    }

    /// How Excel reacts to a value that breaks the rule.
    public enum ErrorStyle: Hashable, Sendable {
        /// Refuse the value (the default).
        case stop
        /// Warn, and allow it on confirmation.
        case warning
        /// Inform, and allow it.
        case information
    }

    /// The rule.
    public var rule: Rule
    /// Let blank cells pass (Excel's default).
    public var ignoreBlank: Bool
    /// Show the dropdown arrow for list rules.
    public var showDropdown: Bool
    /// The title of the message shown when a cell is selected (at most 32 characters).
    public var inputTitle: String?
    /// The message shown when a cell is selected (at most 255 characters).
    public var inputMessage: String?
    /// The title of the error dialog (at most 32 characters).
    public var errorTitle: String?
    /// The text of the error dialog (at most 255 characters).
    public var errorMessage: String?
    /// How Excel reacts to invalid input.
    public var errorStyle: ErrorStyle

    /// Creates a validation.
    public init(
        _ rule: Rule, ignoreBlank: Bool = true, showDropdown: Bool = true,
        inputTitle: String? = nil, inputMessage: String? = nil,
        errorTitle: String? = nil, errorMessage: String? = nil, errorStyle: ErrorStyle = .stop
    ) {
        self.rule = rule
        self.ignoreBlank = ignoreBlank
        self.showDropdown = showDropdown
        self.inputTitle = inputTitle
        self.inputMessage = inputMessage
        self.errorTitle = errorTitle
        self.errorMessage = errorMessage
        self.errorStyle = errorStyle
    }
}

// MARK: - Adding validations

extension Worksheet {
    /// Adds a data validation rule to a range.
    public func addDataValidation(_ validation: DataValidation, to range: CellRange) throws {
        let ws = try sheet()
        try check(range)
        let context = "data validation on \(range.a1)"
        if let text = validation.inputTitle { try limit(text, 32, "\(context): input title") }
        if let text = validation.inputMessage { try limit(text, 255, "\(context): input message") }
        if let text = validation.errorTitle { try limit(text, 32, "\(context): error title") }
        if let text = validation.errorMessage { try limit(text, 255, "\(context): error message") }

        let bag = CStringBag(operation: "worksheet_data_validation_range")
        var v = lxw_data_validation()
        func on(_ flag: Bool) -> UInt8 {
            UInt8(flag ? LXW_VALIDATION_ON.rawValue : LXW_VALIDATION_OFF.rawValue)
        }
        v.ignore_blank = on(validation.ignoreBlank)
        v.dropdown = on(validation.showDropdown)
        v.input_title = try bag.optional(validation.inputTitle)
        v.input_message = try bag.optional(validation.inputMessage)
        v.error_title = try bag.optional(validation.errorTitle)
        v.error_message = try bag.optional(validation.errorMessage)
        switch validation.errorStyle {
        case .stop: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
        case .warning: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)
        case .information: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_INFORMATION.rawValue)
        }

        func type(_ t: lxw_validation_types) -> UInt8 { UInt8(t.rawValue) }
        func numbers(_ criterion: Criterion<Double>) throws {
            v.criteria = criterion.validationCriteria
            let (a, b) = criterion.operands
            for value in [a, b ?? 0] where !value.isFinite {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: "\(value)", reason: "is not a finite number")
            }
            if let b {
                v.minimum_number = a
                v.maximum_number = b
            } else {
                v.value_number = a
            }
        }

        switch validation.rule {
        case .list(let values):
            guard !values.isEmpty else {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: "[]", reason: "a list needs at least one value")
            }
            if let bad = values.first(where: { $0.contains(",") || $0.contains("\"") || $0.contains("\0") }) {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: bad,
                    reason: "cannot be a list value: Excel lists cannot hold commas or double quotes; use listFromRange")
            }
            let joined = values.joined(separator: ",")
            if joined.utf16.count > 255 {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: String(joined.prefix(40)) + "…",
                    reason: "is \(joined.utf16.count) characters with commas; Excel's limit for a list is 255, use listFromRange")
            }
            v.validate = type(LXW_VALIDATION_TYPE_LIST)
            v.value_list = try bag.stringArray(values)
        case .listFromRange(let source):
            guard core.existingSheetName(source.sheet) != nil else {
                throw XLSXError.unknownSheet(source.sheet, context: context)
            }
            guard source.range.first.isInExcelGrid, source.range.last.isInExcelGrid else {
                throw XLSXError.cellOutOfRange(sheet: source.sheet, row: source.range.last.row, column: source.range.last.column)
            }
            v.validate = type(LXW_VALIDATION_TYPE_LIST_FORMULA)
            v.value_formula = try bag.string(source.formula)
        case .wholeNumber(let criterion):
            v.validate = type(LXW_VALIDATION_TYPE_INTEGER)
            try numbers(criterion.mapped { Double($0) })
        case .decimal(let criterion):
            v.validate = type(LXW_VALIDATION_TYPE_DECIMAL)
            try numbers(criterion)
        case .date(let criterion):
            // The serial-number form avoids converting through lxw_datetime and matches write(date:).
            v.validate = type(LXW_VALIDATION_TYPE_DATE_NUMBER)
            try numbers(criterion.mapped { Double($0.serial) })
        case .textLength(let criterion):
            let (a, b) = criterion.operands
            for value in [a, b ?? 0] where value < 0 {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: "\(value)", reason: "is not a text length")
            }
            v.validate = type(LXW_VALIDATION_TYPE_LENGTH)
            try numbers(criterion.mapped { Double($0) })
        case .custom(let formula):
            guard !formula.isEmpty, formula.utf16.count <= 255 else {
                throw XLSXError.invalidArgument(
                    context: "\(context) on sheet \"\(name)\"", value: formula,
                    reason: "must be a formula of 1 to 255 characters")
            }
            v.validate = type(LXW_VALIDATION_TYPE_CUSTOM_FORMULA)
            v.value_formula = try bag.string(formula)
        case .any:
            v.validate = type(LXW_VALIDATION_TYPE_ANY)
        }

        let code = withExtendedLifetime(bag) {
            worksheet_data_validation_range(
                ws, lxw_row_t(range.first.row), lxw_col_t(range.first.column),
                lxw_row_t(range.last.row), lxw_col_t(range.last.column), &v)
        }
        try core.check(code, "worksheet_data_validation_range", sheet: name, cell: range.a1)
    }
}

extension Criterion {
    /// The same comparison over transformed values.
    func mapped<T>(_ transform: (Value) -> T) -> Criterion<T> {
        switch self {
        case .between(let a, let b): return .between(transform(a), transform(b))
        case .notBetween(let a, let b): return .notBetween(transform(a), transform(b))
        case .equalTo(let a): return .equalTo(transform(a))
        case .notEqualTo(let a): return .notEqualTo(transform(a))
        case .greaterThan(let a): return .greaterThan(transform(a))
        case .lessThan(let a): return .lessThan(transform(a))
        case .greaterThanOrEqualTo(let a): return .greaterThanOrEqualTo(transform(a))
        case .lessThanOrEqualTo(let a): return .lessThanOrEqualTo(transform(a))
        }
    }
}
