import Foundation
import TableSchema
import XLSX

/// What a template does for one column: the Excel validation made from the field's schema, the number
/// format, and the plain words that explain it (on the instructions sheet and in the cell's messages).
struct TemplateColumnRule: Sendable {
    /// The schema field.
    var field: String
    /// The validation Excel applies as the partner types, or nil when Excel cannot check the field.
    var validation: DataValidation?
    /// What the partner should enter, in a sentence ("A whole number from 0 to 400.").
    var summary: String
    /// The column's number format (`@` keeps IDs as text, dates show as day/month/year).
    var numberFormat: String?
    /// The value filled in and locked in every row, when the template is for one partner or quarter.
    var prefilled: String?
    /// True when the cell must not be left blank in a row that has other values.
    var required: Bool
    /// The parts of the schema Excel cannot check, left to `impact validate` (such as a pattern).
    var checkedOnlyByImpact: [String]
}

/// Where the template keeps lists too long or too variable for a validation's own text.
struct TemplateLists: Sendable {
    /// The hidden sheet's name.
    static let sheetName = "lists"
    /// Each list's title and values, in column order on the lists sheet.
    var columns: [(title: String, values: [String])] = []

    /// The range of a list, adding it when new; values start on row 2 under their title.
    mutating func range(title: String, values: [String]) -> SheetRange {
        let column: Int
        if let existing = columns.firstIndex(where: { $0.title == title }) {
            column = existing
        } else {
            column = columns.count
            columns.append((title, values))
        }
        return SheetRange(
            sheet: Self.sheetName, firstRow: 1, firstColumn: column, lastRow: max(1, values.count), lastColumn: column)
    }
}

/// Turns table schemas into template column rules.
struct TemplateRules: Sendable {
    /// The schemas.
    var schemas: SchemaSet
    /// The reference tables (partners and outcome goals for dropdowns).
    var reference: ReferenceData
    /// The partner the template is for, if one.
    var partner: Partner?
    /// The quarter the template is for, if one.
    var quarter: Quarter?
    /// The data rows each sheet is prepared for.
    var rows: Int

    /// The rule of every field of a table, in schema order, adding the lists they need.
    func rules(for schema: Schema, lists: inout TemplateLists) -> [TemplateColumnRule] {
        schema.fields.map { rule(for: $0, in: schema, lists: &lists) }
    }

    // MARK: - One field

    func rule(for field: Field, in schema: Schema, lists: inout TemplateLists) -> TemplateColumnRule {
        let constraints = field.constraints
        var rule = TemplateColumnRule(
            field: field.name, validation: nil, summary: "", numberFormat: nil, prefilled: nil,
            required: constraints.required, checkedOnlyByImpact: [])
        let title = String((field.title ?? field.name).prefix(32))
        func make(_ kind: DataValidation.Rule, _ summary: String, error: String? = nil, style: DataValidation.ErrorStyle = .stop) {
            rule.summary = summary
            var help = summary
            if let description = field.description { help += " " + description }
            rule.validation = DataValidation(
                kind, inputTitle: title, inputMessage: Self.clip(help, 255),
                errorTitle: String("Check \(title)".prefix(32)).trimmingCharacters(in: .whitespaces),
                errorMessage: Self.clip(error ?? summary, 255), errorStyle: style)
        }

        // Filled in for the partner: one value, locked.
        if field.name == "partner_id", let partner {
            rule.prefilled = partner.id
            rule.numberFormat = "@"
            make(.list([partner.id]), "Filled in for you: \(partner.id) (\(partner.name)).")
            return rule
        }
        if field.name == "quarter", let quarter {
            rule.prefilled = quarter.description
            rule.numberFormat = "@"
            make(.list([quarter.description]), "Filled in for you: \(quarter.description).")
            return rule
        }

        // Foreign keys: a dropdown of the keys that exist.
        for key in schema.foreignKeys {
            guard let position = key.fields.firstIndex(of: field.name), position < key.referenceFields.count else { continue }
            switch key.resource {
            case "partners" where !reference.partners.isEmpty:
                let range = lists.range(title: "partner_id", values: reference.partners.map(\.id))
                rule.numberFormat = "@"
                make(.listFromRange(range), "Choose your partner ID from the list.")
                return rule
            case "outcome-goals" where !reference.goals.isEmpty:
                let range = lists.range(title: "outcome_id", values: reference.goals.map(\.id))
                rule.numberFormat = "@"
                make(
                    .listFromRange(range),
                    "Choose an outcome goal ID from the list (the goals are listed on the Instructions sheet).")
                return rule
            case let resource where schemas.returnTables.contains(resource) && !["partner_id", "quarter"].contains(field.name):
                guard let target = schemas[resource], let column = target.fieldIndex(key.referenceFields[position]) else { continue }
                let range = SheetRange(sheet: resource, firstRow: 1, firstColumn: column, lastRow: rows, lastColumn: column)
                rule.numberFormat = "@"
                make(
                    .listFromRange(range), "Choose a \(key.referenceFields[position]) already on the \(resource) sheet.",
                    error:
                        "This \(key.referenceFields[position]) is not on the \(resource) sheet yet. Add the person there first, or correct the reference.",
                    style: .warning)
                return rule
            default:
                continue
            }
        }

        if let values = constraints.enumValues, !values.isEmpty {
            let range = lists.range(title: "\(schema.name).\(field.name)", values: values)
            rule.numberFormat = "@"
            make(.listFromRange(range), "Choose one of: \(values.joined(separator: ", ")).")
            return rule
        }

        switch field.type {
        case .boolean:
            let yes = field.trueValues.first ?? "true"
            let no = field.falseValues.first ?? "false"
            make(.list([yes, no]), "Choose \(yes) or \(no).")
        case .integer:
            let (criterion, words) = Self.bounds(
                constraints.minimum.flatMap(Self.integer), constraints.maximum.flatMap(Self.integer), noun: "A whole number",
                unbounded: .between(Int(Int32.min), Int(Int32.max)), text: String.init)
            rule.numberFormat = "0"
            make(.wholeNumber(criterion), words)
        case .number:
            let (criterion, words) = Self.bounds(
                constraints.minimum.flatMap(\.numeric), constraints.maximum.flatMap(\.numeric), noun: "A number",
                unbounded: .between(-1e307, 1e307), text: Self.number)
            make(.decimal(criterion), words)
        case .date, .datetime:
            let low = constraints.minimum.flatMap(Self.date) ?? (try? ExcelDate(year: 1900, month: 1, day: 1))
            let high = constraints.maximum.flatMap(Self.date) ?? (try? ExcelDate(year: 9999, month: 12, day: 31))
            rule.numberFormat = field.type == .date ? "dd/mm/yyyy" : "dd/mm/yyyy hh:mm"
            if let low, let high {
                let words =
                    constraints.minimum == nil && constraints.maximum == nil
                    ? "A date, as day/month/year."
                    : constraints.maximum == nil
                        ? "A date on or after \(Self.written(low)), as day/month/year."
                        : "A date from \(Self.written(low)) to \(Self.written(high)), as day/month/year."
                make(.date(.between(low, high)), words)
            }
        case .string:
            rule.numberFormat = "@"
            switch (constraints.minLength, constraints.maxLength) {
            case (let low?, let high?):
                make(.textLength(.between(low, high)), "Text of \(low) to \(high) characters.")
            case (nil, let high?):
                make(.textLength(.between(0, high)), "Text of at most \(high) characters.")
            case (let low?, nil):
                make(.textLength(.greaterThanOrEqualTo(low)), "Text of at least \(low) characters.")
            case (nil, nil):
                let example = field.example.map { " For example \($0)." } ?? ""
                make(.any, "Text.\(example)")
            }
        default:
            make(.any, "Any value.")
        }
        if let pattern = constraints.pattern {
            rule.checkedOnlyByImpact.append(field.example.map { "form (written like \($0))" } ?? "pattern \(pattern.source)")
            if let example = field.example, !rule.summary.contains(example) { rule.summary += " For example \(example)." }
            if var validation = rule.validation {
                validation.inputMessage = Self.clip(
                    rule.summary + (field.description.map { " " + $0 } ?? ""), 255)
                rule.validation = validation
            }
        }
        if constraints.unique { rule.checkedOnlyByImpact.append("unique") }
        return rule
    }

    // MARK: - Values

    /// The criterion for optional bounds, and the words for it ("A whole number from 0 to 400.").
    static func bounds<Value>(
        _ low: Value?, _ high: Value?, noun: String, unbounded: Criterion<Value>, text: (Value) -> String
    ) -> (Criterion<Value>, String) {
        switch (low, high) {
        case (let low?, let high?): return (.between(low, high), "\(noun) from \(text(low)) to \(text(high)).")
        case (let low?, nil): return (.greaterThanOrEqualTo(low), "\(noun), \(text(low)) or more.")
        case (nil, let high?): return (.lessThanOrEqualTo(high), "\(noun), \(text(high)) or less.")
        case (nil, nil): return (unbounded, "\(noun).")
        }
    }

    static func integer(_ value: CellValue) -> Int? {
        switch value {
        case .integer(let number): return Int(number)
        case .number(let number) where number == number.rounded(): return Int(number)
        default: return nil
        }
    }

    static func date(_ value: CellValue) -> ExcelDate? {
        switch value {
        case .date(let days): return try? ExcelDate(daysSince1970: Int(days))
        case .datetime(let seconds): return try? ExcelDate(daysSince1970: Int(seconds / 86_400))
        default: return nil
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A date as a partner in the UK writes it.
    static func written(_ date: ExcelDate) -> String {
        let day = date.day < 10 ? "0\(date.day)" : "\(date.day)"
        let month = date.month < 10 ? "0\(date.month)" : "\(date.month)"
        return "\(day)/\(month)/\(date.year)"
    }

    /// Text cut to Excel's limit for a validation message, ending in "…" when cut.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
