/// How serious a finding is. Warnings never block a return.
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning

    /// Errors sort before warnings.
    public static func < (left: Severity, right: Severity) -> Bool {
        left == .error && right == .warning
    }
}

/// The stable codes of findings, in the Frictionless vocabulary where one exists.
public enum FindingCode: String, Sendable, Hashable, Codable, CaseIterable {
    /// A cell is not of its field's type.
    case typeError = "type-error"
    /// A cell breaks a constraint (required, enum, minimum, pattern, ...).
    case constraintError = "constraint-error"
    /// A row has fewer cells than the header.
    case missingCell = "missing-cell"
    /// A row has more cells than the header.
    case extraCell = "extra-cell"
    /// A row in the middle of the data has no values at all.
    case blankRow = "blank-row"
    /// A header cell is empty.
    case blankLabel = "blank-label"
    /// Two header cells have the same name.
    case duplicateLabel = "duplicate-label"
    /// A column the schema expects is not in the header (or is misspelt).
    case missingLabel = "missing-label"
    /// The header has a column the schema does not know.
    case extraLabel = "extra-label"
    /// Two rows have the same primary key.
    case primaryKey = "primary-key"
    /// Two rows have the same value in a field that must be unique.
    case uniqueError = "unique-error"
    /// A value refers to a row of another table that does not exist.
    case foreignKey = "foreign-key"
    /// Bytes that are not valid text in the file's encoding, or NUL bytes.
    case encodingError = "encoding-error"
    /// The file cannot be read as a table (unreadable, unclosed quote, too large, unrecognised).
    case sourceError = "source-error"
    /// A cross-field rule declared in the schema does not hold.
    case ruleViolation = "rule-violation"
    /// A structured form breaks its JSON Schema.
    case formError = "form-error"
    /// A value looks like personal data a return must never carry: a name or date of birth as a person
    /// reference, or an email address, phone number or postcode in free text (a warning).
    case personalData = "personal-data"
}

/// One problem found in a return: this project's diagnostic.
///
/// Row numbers count the header as row 1, as a spreadsheet shows them. Forms carry a JSON pointer
/// (and, for YAML, a line and column) instead of, or beside, a row.
public struct Finding: Sendable, Hashable {
    /// Error or warning.
    public var severity: Severity
    /// The stable code.
    public var code: FindingCode
    /// The spreadsheet row (header = 1), when the finding is about a row.
    public var rowNumber: Int?
    /// The column's field name, when the finding is about a column.
    public var fieldName: String?
    /// The 1-based column position, when the finding is about a column.
    public var fieldNumber: Int?
    /// The offending value as written, when there is one.
    public var cell: String?
    /// A plain-words message a partner can act on.
    public var message: String
    /// The byte offset in the file, where useful (encoding problems).
    public var byteOffset: Int?
    /// The JSON pointer of the value in a structured form.
    public var pointer: String?
    /// The 1-based line in a structured form.
    public var line: Int?
    /// The 1-based column (character) in a structured form's line.
    public var column: Int?
    /// The rule or keyword that produced the finding, when there is one.
    public var rule: String?
    /// The sheet of a workbook the finding is on, for returns sent as workbooks.
    public var sheet: String?

    /// Creates a finding.
    public init(
        _ severity: Severity, _ code: FindingCode, rowNumber: Int? = nil, fieldName: String? = nil,
        fieldNumber: Int? = nil, cell: String? = nil, message: String, byteOffset: Int? = nil, pointer: String? = nil,
        line: Int? = nil, column: Int? = nil, rule: String? = nil, sheet: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.rowNumber = rowNumber
        self.fieldName = fieldName
        self.fieldNumber = fieldNumber
        self.cell = cell
        self.message = message
        self.byteOffset = byteOffset
        self.pointer = pointer
        self.line = line
        self.column = column
        self.rule = rule
        self.sheet = sheet
    }

    /// An amount as rule messages write it: grouped, with the currency's symbol (`£1,200.50`, `£600`).
    public static func moneyText(_ amount: Double, currency: String?) -> String { Money.text(amount, currency: currency) }

    /// Where a partner finds the problem in a workbook: `support!J14` for a cell, `support!14:14` for a row,
    /// `support` for the whole sheet; nil when the finding is not on a sheet.
    public var cellReference: String? {
        guard let sheet else { return nil }
        let name = Self.sheetNameInReference(sheet)
        guard let rowNumber else { return name }
        guard let fieldNumber else { return "\(name)!\(rowNumber):\(rowNumber)" }
        return "\(name)!\(Self.columnLetters(fieldNumber))\(rowNumber)"
    }

    /// Excel's letters for a 1-based column: 1 is `A`, 27 is `AA`.
    public static func columnLetters(_ column: Int) -> String {
        var number = max(column, 1)
        var letters: [UInt8] = []
        while number > 0 {
            letters.append(UInt8(65 + (number - 1) % 26))
            number = (number - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// A sheet name as Excel writes it in a reference: quoted (with quotes doubled) unless it is plain.
    public static func sheetNameInReference(_ sheet: String) -> String {
        let plain =
            !sheet.isEmpty && sheet.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
            && !("0"..."9").contains(sheet.unicodeScalars.first!)
        return plain ? sheet : "'" + sheet.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// Orders findings by row, then column, keeping the order they were found in otherwise.
    public static func sortedByPosition(_ findings: [Finding]) -> [Finding] {
        func key(_ index: Int) -> (Int, Int) { (findings[index].rowNumber ?? 0, findings[index].fieldNumber ?? 0) }
        // Findings mostly arrive in row order already: then the same array is returned, not a copy (a file
        // with a hundred thousand findings would otherwise hold several).
        if findings.indices.dropFirst().allSatisfy({ key($0 - 1) <= key($0) }) { return findings }
        let order = findings.indices.sorted { a, b in
            let left = key(a)
            let right = key(b)
            return left != right ? left < right : a < b
        }
        return order.map { findings[$0] }
    }
}

/// Quotes a value for a message, shortening long values.
public func quoted(_ text: String, limit: Int = 60) -> String {
    if text.count <= limit { return "\"\(text)\"" }
    return "\"\(text.prefix(limit))…\" (\(text.count) characters)"
}
