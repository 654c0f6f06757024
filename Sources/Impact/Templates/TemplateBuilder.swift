import Foundation
import TableSchema
import XLSX

/// What to make a template for.
public struct TemplateOptions: Sendable {
    /// The partner whose ID is filled in and locked on every row, if one.
    public var partnerID: String?
    /// The quarter filled in and locked on every row, if one.
    public var quarter: Quarter?
    /// The data rows each sheet is prepared for (validations, highlighting, filled-in IDs).
    public var rows: Int
    /// The creation time written into the file (`SOURCE_DATE_EPOCH` for byte-identical output).
    public var created: Date

    /// The largest `rows` accepted.
    public static let maxRows = 100_000

    /// Creates options.
    public init(partnerID: String? = nil, quarter: Quarter? = nil, rows: Int = 1_000, created: Date) {
        self.partnerID = partnerID
        self.quarter = quarter
        self.rows = rows
        self.created = created
    }
}

/// Writes the Excel template a partner fills in: an instructions sheet with the field guide, one sheet per
/// return table with Excel's own checks made from the schemas, and a hidden sheet of dropdown lists.
///
/// The sheets are named after the tables and their first rows are the schema's column names, so the filled-in
/// workbook reads back through `impact validate` as it is. The defined name ``TemplateMarks/definedName``
/// tells the reader that rows holding nothing but the filled-in partner ID and quarter are unused.
public struct TemplateBuilder {
    /// The schemas.
    public let schemas: SchemaSet
    /// The reference tables.
    let reference: ReferenceData
    /// The programme settings (its name).
    public let settings: Settings
    /// What to make.
    public let options: TemplateOptions

    /// Creates a builder; throws when the partner is not in the reference table.
    init(schemas: SchemaSet, reference: ReferenceData, settings: Settings, options: TemplateOptions) throws(ImpactError) {
        if let id = options.partnerID, !reference.partners.contains(where: { $0.id == id }) {
            throw .invalidArgument(
                name: "--partner", value: id,
                reason:
                    "is not in reference/partners.csv. Use one of its partner IDs (\(reference.partners.prefix(3).map(\.id).joined(separator: ", "))…)"
            )
        }
        guard (1...TemplateOptions.maxRows).contains(options.rows) else {
            throw .invalidArgument(name: "--rows", value: String(options.rows), reason: "must be from 1 to \(TemplateOptions.maxRows)")
        }
        self.schemas = schemas
        self.reference = reference
        self.settings = settings
        self.options = options
    }

    /// A builder for a workspace: its schemas (Schemas/, else the built-in ones), reference tables and settings.
    public static func forWorkspace(_ workspace: Workspace, options: TemplateOptions) throws(ImpactError) -> TemplateBuilder {
        try TemplateBuilder(schemas: workspace.schemas, reference: workspace.reference, settings: workspace.settings, options: options)
    }

    /// A builder for a workspace folder, loaded as every command loads it.
    public static func forWorkspace(_ folder: String, options: TemplateOptions) throws(ImpactError) -> TemplateBuilder {
        try forWorkspace(Workspace.load(folder: folder, requireReferences: true), options: options)
    }

    /// Writes one template per partner into `folder` (made if missing): `<partner>-<quarter>.xlsx` for each
    /// partner expected to send a return for the quarter, or `<partner>.xlsx` for every partner when no
    /// quarter is given. Returns the paths written, in partner order.
    public static func writeForEachPartner(
        workspace: Workspace, options: TemplateOptions, folder: String
    ) throws(ImpactError) -> [String] {
        let first = try forWorkspace(workspace, options: options)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritablePath(folder, reason: error.localizedDescription)
        }
        var written: [String] = []
        for partner in first.reference.partners where options.quarter.map(partner.isExpected) ?? true {
            // IDs become file names: the reference loader has already left out any that cannot.
            var each = options
            each.partnerID = partner.id
            let name = partner.id + (options.quarter.map { "-\($0)" } ?? "") + ".xlsx"
            let path = (folder as NSString).appendingPathComponent(name)
            try TemplateBuilder(schemas: first.schemas, reference: first.reference, settings: first.settings, options: each)
                .write(to: path)
            written.append(path)
        }
        return written
    }

    /// The partner the template is for.
    var partner: Partner? { options.partnerID.flatMap { id in reference.partners.first { $0.id == id } } }

    /// The rules of every return table, in sheet order, with the lists they use.
    func tableRules() -> (tables: [(schema: Schema, rules: [TemplateColumnRule])], lists: TemplateLists) {
        let maker = TemplateRules(
            schemas: schemas, reference: reference, partner: partner, quarter: options.quarter, rows: options.rows)
        var lists = TemplateLists()
        var tables: [(Schema, [TemplateColumnRule])] = []
        for name in schemas.returnTables {
            guard let schema = schemas[name] else { continue }
            tables.append((schema, maker.rules(for: schema, lists: &lists)))
        }
        return (tables, lists)
    }

    // MARK: - Writing

    /// Writes the template to `path`, atomically: the XLSX workbook writes a hidden temporary file beside it and
    /// renames only a complete one onto it.
    ///
    /// `filling`, when given, is called with each table's schema, sheet and workbook after the template's own cells are
    /// written, to write rows as a partner would (tests and demonstrations).
    public func write(to path: String, filling: ((Schema, Worksheet, Workbook) throws -> Void)? = nil) throws(ImpactError) {
        do {
            try build(path: path, filling: filling)
        } catch {
            throw .unwritablePath(path, reason: "\(error)")
        }
    }

    /// Builds the workbook at `path`.
    func build(path: String, filling: ((Schema, Worksheet, Workbook) throws -> Void)?) throws {
        let book = try Workbook(path: path, options: WorkbookOptions(created: options.created))
        book.properties = DocumentProperties(
            title: "Quarterly return template", subject: settings.programme, author: settings.programme,
            keywords: [partner?.id, options.quarter?.description].compactMap { $0 }.joined(separator: ", "),
            comments: "Made by impact from the programme's schemas. Check the filled-in workbook with impact validate.")
        let formats = try TemplateFormats(book)
        let (tables, lists) = tableRules()

        let instructions = try book.addWorksheet(name: "Instructions")
        let sheets = try tables.map { try book.addWorksheet(name: $0.schema.name) }
        let listSheet = try book.addWorksheet(name: TemplateLists.sheetName)
        try writeInstructions(instructions, tables: tables, formats: formats)
        for (index, table) in tables.enumerated() {
            try writeTable(sheets[index], schema: table.schema, rules: table.rules, formats: formats)
            try filling?(table.schema, sheets[index], book)
        }
        for (column, list) in lists.columns.enumerated() {
            try listSheet.write(string: list.title, row: 0, column: column, format: formats.header)
            for (row, value) in list.values.enumerated() {
                try listSheet.write(string: value, row: row + 1, column: column)
            }
            try listSheet.setColumnWidth(Double(min(40, max(12, list.title.count + 2))), column: column)
        }
        try listSheet.hide()
        try book.defineName(
            TemplateMarks.definedName,
            refersTo: SheetRange(sheet: TemplateLists.sheetName, firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 0))
        try instructions.activate()
        try book.close()
    }

    // MARK: - Sheets

    private func writeInstructions(
        _ sheet: Worksheet, tables: [(schema: Schema, rules: [TemplateColumnRule])], formats: TemplateFormats
    ) throws {
        try sheet.setColumnWidth(22, column: 0)
        try sheet.setColumnWidth(26, column: 1)
        try sheet.setColumnWidth(10, column: 2)
        try sheet.setColumnWidth(48, column: 3)
        try sheet.setColumnWidth(60, column: 4)
        try sheet.setColumnWidth(16, column: 5)
        var row = 0
        try sheet.write(string: "\(settings.programme): quarterly return", row: row, column: 0, format: formats.title)
        row += 1
        if let partner {
            try sheet.write(string: "For \(partner.name) (\(partner.id))", row: row, column: 0, format: formats.body)
            row += 1
        }
        if let quarter = options.quarter {
            try sheet.write(string: "Quarter \(quarter.description)", row: row, column: 0, format: formats.body)
            row += 1
        }
        row += 1
        try sheet.write(string: "How to fill it in", row: row, column: 0, format: formats.heading)
        row += 1
        var steps = [
            "Put one row per person you supported on the support sheet, one row per person per outcome goal on the outcomes sheet, and one row per ripple-effect note on the ripple sheet.",
            "Click a cell to see what it needs. Columns with a list have a dropdown; Excel refuses a value that breaks a rule and says why.",
            "A required cell left blank turns red as soon as its row has other values.",
            "Never write a name, initials, a date of birth or contact details: use your own pseudonymous person references.",
            "Keep the sheet names and the first row as they are. Save as Excel Workbook (.xlsx), then check it with impact validate or the partner portal before you send it.",
        ]
        if tables.contains(where: { $0.schema.name == "narrative" }) {
            steps.insert(
                "Tell us about your quarter in your own words on the narrative sheet: your highlights, your challenges and what would help, each in its cell of the one row (Alt+Enter starts a new paragraph). Leave out names and anything that could identify a person.",
                at: 1)
        }
        if partner != nil || options.quarter != nil {
            steps.insert("Your partner ID and the quarter are filled in on every row and locked.", at: 1)
        }
        for (index, step) in steps.enumerated() {
            try sheet.write(string: "\(index + 1).", row: row, column: 0, format: formats.body)
            try sheet.merge(CellRange(firstRow: row, firstColumn: 1, lastRow: row, lastColumn: 4), string: step, format: formats.wrap)
            try sheet.setRowHeight(step.count > 200 ? 48 : 32, row: row)
            row += 1
        }
        for table in tables {
            row += 1
            try sheet.write(
                string: "The \(table.schema.name) sheet: \(table.schema.title ?? table.schema.name)", row: row, column: 0,
                format: formats.heading)
            row += 1
            for (column, label) in ["Column", "Title", "Required", "What to enter", "Description", "Example"].enumerated() {
                try sheet.write(string: label, row: row, column: column, format: formats.header)
            }
            row += 1
            for (field, rule) in zip(table.schema.fields, table.rules) {
                try sheet.write(string: field.name, row: row, column: 0, format: formats.wrap)
                try sheet.write(string: field.title ?? "", row: row, column: 1, format: formats.wrap)
                try sheet.write(string: rule.required ? "yes" : "no", row: row, column: 2, format: formats.wrap)
                let later =
                    rule.checkedOnlyByImpact.isEmpty
                    ? "" : " (impact validate also checks its \(rule.checkedOnlyByImpact.joined(separator: " and ")).)"
                try sheet.write(string: rule.summary + later, row: row, column: 3, format: formats.wrap)
                try sheet.write(string: field.description ?? "", row: row, column: 4, format: formats.wrap)
                try sheet.write(string: field.example ?? "", row: row, column: 5, format: formats.wrap)
                row += 1
            }
        }
        if !reference.goals.isEmpty {
            row += 1
            try sheet.write(string: "Outcome goals", row: row, column: 0, format: formats.heading)
            row += 1
            for (column, label) in ["outcome_id", "Title", "", "Pathway"].enumerated() where !label.isEmpty {
                try sheet.write(string: label, row: row, column: column, format: formats.header)
            }
            row += 1
            for goal in reference.goals {
                try sheet.write(string: goal.id, row: row, column: 0, format: formats.wrap)
                try sheet.merge(
                    CellRange(firstRow: row, firstColumn: 1, lastRow: row, lastColumn: 2), string: goal.title, format: formats.wrap)
                try sheet.write(string: goal.pathway, row: row, column: 3, format: formats.wrap)
                row += 1
            }
        }
    }

    /// The most characters a short text column holds; a longer one (the narrative's answers) gets a wide column
    /// of wrapped text.
    static let shortTextLength = 500
    /// The height of the one row of a table with one row per return (points; Excel allows up to 409).
    static let oneRowHeight = 300.0

    private func writeTable(_ sheet: Worksheet, schema: Schema, rules: [TemplateColumnRule], formats: TemplateFormats) throws {
        // A table keyed on the partner and the quarter alone (the narrative) has one row per return: the sheet
        // offers that one row, tall, its long answers in wide wrapped cells.
        let oneRow = Set(schema.primaryKey) == Set(ReturnTable.envelopeFields)
        let lastRow = oneRow ? 1 : options.rows  // zero-based: rows 1...rows hold data
        // The columns a partner types in; a row with a value in any of them is in use.
        let typed = rules.indices.filter { rules[$0].prefilled == nil }
        for (column, rule) in rules.enumerated() {
            let field = schema.fields[column]
            let long = field.type == .string && (field.constraints.maxLength ?? 0) > Self.shortTextLength
            let format = try formats.column(rule.numberFormat, locked: rule.prefilled != nil, wrapped: long)
            let width = long ? 60 : Double(min(45, max(14, field.name.count + 4)))
            try sheet.setColumnWidth(width, column: column, format: format)
            try sheet.write(string: field.name, row: 0, column: column, format: formats.header)
            var note = (field.title.map { $0 + ". " } ?? "") + (field.description ?? "")
            note += (note.isEmpty ? "" : "\n") + rule.summary + (rule.required ? " Required." : "")
            try sheet.writeComment(
                note, row: 0, column: column, options: CommentOptions(author: settings.programme, width: 320, height: 140))
            if let value = rule.prefilled {
                for row in 1...lastRow { try sheet.write(string: value, row: row, column: column, format: format) }
            }
            let range = CellRange(firstRow: 1, firstColumn: column, lastRow: lastRow, lastColumn: column)
            if let validation = rule.validation { try sheet.addDataValidation(validation, to: range) }
            if rule.required, rule.prefilled == nil, let first = typed.first, let last = typed.last {
                let cell = CellReference.columnLetters(column) + "2"
                let span = "$\(CellReference.columnLetters(first))2:$\(CellReference.columnLetters(last))2"
                try sheet.addConditionalFormat(
                    ConditionalFormat(.formula("=AND(COUNTA(\(span))>0,LEN(\(cell))=0)"), format: formats.missing), to: range)
            }
        }
        if oneRow { try sheet.setRowHeight(Self.oneRowHeight, row: 1) }
        try sheet.freezePanes(row: 1, column: 0)
        var protection = SheetProtection()
        protection.formatColumns = true
        protection.formatRows = true
        protection.insertRows = true
        protection.deleteRows = true
        protection.sort = true
        protection.autofilter = true
        try sheet.protect(allowing: protection)
    }
}

/// The few formats a template uses.
struct TemplateFormats {
    let title: Format
    let heading: Format
    let body: Format
    let wrap: Format
    let header: Format
    let missing: Format
    private let book: Workbook

    init(_ book: Workbook) throws {
        self.book = book
        title = try book.addFormat(FormatSpec(bold: true, fontSize: 16))
        heading = try book.addFormat(FormatSpec(bold: true, fontSize: 12))
        body = try book.addFormat(FormatSpec())
        wrap = try book.addFormat(FormatSpec(verticalAlignment: .top, wrapText: true))
        header = try book.addFormat(
            FormatSpec(bold: true, fillColor: Color(rgb: 0xD9E1F2), verticalAlignment: .top, wrapText: true, border: .thin))
        missing = try book.addFormat(FormatSpec(fontColor: Color(rgb: 0x9C0006), fillColor: Color(rgb: 0xFFC7CE)))
    }

    /// The format of a data column: unlocked for typing (locked and shaded when filled in for the partner).
    func column(_ numberFormat: String?, locked: Bool, wrapped: Bool = false) throws -> Format {
        try book.addFormat(
            FormatSpec(
                fillColor: locked ? Color(rgb: 0xEDEDED) : nil, numberFormat: numberFormat,
                verticalAlignment: wrapped ? .top : nil, wrapText: wrapped, locked: locked))
    }
}
