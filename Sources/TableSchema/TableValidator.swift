import Foundation

/// A row of cells as UTF-8 bytes, whatever it was read from (a CSV record, a form's object).
public protocol CellRow {
    /// How many cells the row has.
    var cellCount: Int { get }
    /// The bytes of cell `index` (0-based).
    func cell(_ index: Int) -> ArraySlice<UInt8>
    /// Lends the row's cells as one run of bytes for the length of `body` (by default, a copy).
    func withUnsafeCells<R>(_ body: (UnsafeCells) -> R) -> R
}

/// Key sets of other tables that foreign keys are checked against.
public struct KeyIndex: Sendable {
    private var sets: [String: Set<KeyHash>] = [:]

    /// An empty index.
    public init() {}

    private static func name(_ resource: String, _ fields: [String]) -> String {
        resource + "\u{1F}" + fields.joined(separator: "\u{1F}")
    }

    /// Adds keys of `resource` over `fields` (merging with keys already there).
    public mutating func add(resource: String, fields: [String], keys: Set<KeyHash>) {
        sets[Self.name(resource, fields), default: []].formUnion(keys)
    }

    /// Makes `resource` known with no keys yet (so that references to it are checked, and fail).
    public mutating func declare(resource: String, fields: [String]) {
        sets[Self.name(resource, fields), default: []] = sets[Self.name(resource, fields)] ?? []
    }

    /// The keys of `resource` over `fields`, or nil when that table is not available.
    public func keys(resource: String, fields: [String]) -> Set<KeyHash>? {
        sets[Self.name(resource, fields)]
    }
}

/// Validates one table against its schema: the header once, then each row as it streams past.
///
/// Findings are collected, never thrown, so that every problem in a file is reported in one pass.
/// Memory grows only with the key sets (16 bytes and a row number per key) and the findings.
public final class TableValidator {
    /// The schema rows are checked against.
    public let schema: Schema
    /// Everything found so far.
    public internal(set) var findings: [Finding] = []
    /// Non-blank data rows checked.
    public internal(set) var rowCount = 0
    /// Data rows that had no error.
    public internal(set) var validRowCount = 0
    /// Things the validator could not check, for the file's report (e.g. a missing reference table).
    public private(set) var notes: [String] = []
    /// Called for every non-blank data row with its typed values (indexed like `schema.fields`, lent for the
    /// length of the call) and whether the row had no error.
    public var onRow: ((_ rowNumber: Int, _ values: TypedRow, _ valid: Bool) -> Void)?

    let parameters: [String: RuleValue]
    let references: KeyIndex
    var columnField: [Int?] = []
    var fieldColumn: [Int?]
    var headerCount = 0
    var headerSeen = false
    /// The row being checked: each field's typed value (no references; text points into the row's bytes or
    /// the last-value cache).
    private let slots: UnsafeMutableBufferPointer<CellSlot>
    /// The values of list fields, by field (empty when the schema has no list field).
    private var lists: [CellValue]
    var pendingBlankRows: [Int] = []
    private let missingValues: [[[UInt8]]]
    /// Whether an empty cell is missing, by field (it is unless a schema says otherwise).
    private let emptyIsMissing: [Bool]
    /// The longest missing value of each field, in bytes (0 for the usual `""` alone).
    private let longestMissing: [Int]
    /// Every rule's `when` and assertion in one program, and each rule's roots in it (`when` -1: none).
    private let ruleProgram: CompiledExpression
    private let ruleRoots: [(when: Int, assertion: Int)]
    /// Bytes a rule's functions make while it checks a row, kept for the next.
    private let ruleScratch: UnsafeMutablePointer<[UInt8]>
    /// The rules a row breaks (by position), the array kept for the next row.
    private var violations: [Int] = []
    private let enumBytes: [[[UInt8]]?]
    private let required: [Bool]
    private let primaryKeyFields: [Int]
    var primaryKeys = KeyTable()
    /// Whether every primary-key field is in the schema (a schema that names a missing one is reported when
    /// it loads).
    private let checksPrimaryKey: Bool
    /// The fields with `unique: true`, in field order, with the values seen so far.
    var uniqueValues: [(field: Int, seen: KeyTable)] = []
    private var foreignKeyPlans: [ForeignKeyPlan] = []
    var tracked: [(field: Int, last: [UInt8])] = []
    /// The distinct values seen in the fields passed to ``trackDistinctValues(of:)`` (up to 1,000 each).
    public internal(set) var distinctValues: [String: Set<String>] = [:]
    /// The same values in the order they were first seen, so that batches merge to what one pass finds.
    var distinctOrder: [String: [String]] = [:]
    var selfReferences: [(plan: Int, key: KeyHash, row: Int, text: String)] = []
    var selfKeys: [String: Set<KeyHash>] = [:]
    /// When set, the keys each row uses are recorded for ``absorb(_:rows:)`` (a batch of a file checked in
    /// parallel).
    var keyEvents: [KeyEvent]?
    private let dateExamples: [String]
    private let plans: [FieldPlan]
    private let boundRules: [BoundRule]
    /// The last valid value of each field (null when there is none) and its bytes (up to
    /// ``cachedLength`` per field): partners send the same partner, quarter and category values row after
    /// row, so most cells are checked once per file, not once per row.
    private let lastSlots: UnsafeMutableBufferPointer<CellSlot>
    private let lastBytes: UnsafeMutableBufferPointer<UInt8>
    private let lastCounts: UnsafeMutableBufferPointer<Int>
    private let cacheMisses: UnsafeMutableBufferPointer<Int>
    private static let cachedLength = 32

    /// Creates a validator.
    /// - Parameters:
    ///   - schema: the table's schema.
    ///   - parameters: values for the schema's rule parameters (`$name`); declared defaults fill gaps.
    ///   - references: key sets of other tables, for foreign keys.
    public init(schema: Schema, parameters: [String: RuleValue] = [:], references: KeyIndex = KeyIndex()) {
        self.schema = schema
        var merged: [String: RuleValue] = [:]
        for parameter in schema.parameters { merged[parameter.name] = parameter.defaultValue }
        for (name, value) in parameters where value != .null { merged[name] = value }
        self.parameters = merged
        self.references = references
        fieldColumn = Array(repeating: nil, count: schema.fields.count)
        let fieldCount = schema.fields.count
        slots = .allocate(capacity: fieldCount)
        slots.initialize(repeating: .null)
        lists = schema.fields.contains { $0.type == .list } ? Array(repeating: .null, count: fieldCount) : []
        missingValues = schema.fields.map { ($0.missingValues ?? schema.missingValues).map { Array($0.utf8) } }
        emptyIsMissing = missingValues.map { $0.contains([]) }
        longestMissing = missingValues.map { $0.map(\.count).max() ?? 0 }
        enumBytes = schema.fields.map { $0.constraints.enumValues?.map { Array($0.utf8) } }
        primaryKeyFields = schema.primaryKey.compactMap { schema.fieldIndex($0) }
        checksPrimaryKey = !primaryKeyFields.isEmpty && primaryKeyFields.count == schema.primaryKey.count
        required = schema.fields.enumerated().map { index, field in
            field.constraints.required || schema.primaryKey.contains(field.name)
        }
        dateExamples = schema.fields.map { field in
            let formats = field.dateFormats.isEmpty ? [DateFormat.iso] : field.dateFormats
            return formats.map { exampleDate(for: $0.spec) }.joined(separator: " or ")
        }
        plans = schema.fields.map { FieldPlan(field: $0) }
        boundRules = schema.rules.map { BoundRule(rule: $0, parameters: merged, schema: schema) }
        var expressions: [RuleExpression] = []
        var roots: [(when: Int, assertion: Int)] = []
        for rule in schema.rules {
            var when = -1
            if let condition = rule.when {
                when = expressions.count
                expressions.append(condition.binding(merged))
            }
            roots.append((when, expressions.count))
            expressions.append(rule.assertion.binding(merged))
        }
        let program = CompiledExpression(expressions)
        ruleProgram = program
        ruleRoots = roots.map { ($0.when < 0 ? -1 : program.roots[$0.when], program.roots[$0.assertion]) }
        ruleScratch = .allocate(capacity: 1)
        ruleScratch.initialize(to: [])
        lastSlots = .allocate(capacity: fieldCount)
        lastSlots.initialize(repeating: .null)
        lastBytes = .allocate(capacity: fieldCount * Self.cachedLength)
        lastBytes.initialize(repeating: 0)
        lastCounts = .allocate(capacity: fieldCount)
        lastCounts.initialize(repeating: 0)
        cacheMisses = .allocate(capacity: fieldCount)
        cacheMisses.initialize(repeating: 0)
        for index in schema.fields.indices where schema.fields[index].constraints.unique {
            uniqueValues.append((index, KeyTable()))
        }
        for foreignKey in schema.foreignKeys {
            let fields = foreignKey.fields.compactMap { schema.fieldIndex($0) }
            if foreignKey.resource.isEmpty || foreignKey.resource == schema.name {
                foreignKeyPlans.append(ForeignKeyPlan(key: foreignKey, fields: fields, keys: nil, isSelf: true, schema: schema))
            } else {
                let keys = references.keys(resource: foreignKey.resource, fields: foreignKey.referenceFields)
                // A key over columns a file may leave out is not worth a note on every file without them.
                if keys == nil, !fields.allSatisfy({ schema.fields[$0].columnOptional }) {
                    notes.append(
                        "\(foreignKey.fields.joined(separator: ", ")) not checked against \(foreignKey.resource): that table was not given."
                    )
                }
                foreignKeyPlans.append(ForeignKeyPlan(key: foreignKey, fields: fields, keys: keys, isSelf: false, schema: schema))
            }
        }
    }

    deinit {
        ruleScratch.deinitialize(count: 1)
        ruleScratch.deallocate()
        slots.deallocate()
        lastSlots.deallocate()
        lastBytes.deallocate()
        lastCounts.deallocate()
        cacheMisses.deallocate()
    }

    // MARK: - Header

    /// Checks the header row and decides which column holds which field.
    public func checkHeader(_ labels: [String], rowNumber: Int = 1) {
        headerSeen = true
        headerCount = labels.count
        columnField = Array(repeating: nil, count: labels.count)
        let trimmed = labels.map { $0.trimmingSpacesAndBOM() }
        var unmatched: [Int] = []
        // Exact names first, then names that differ only in case, spaces or dashes.
        for (column, label) in trimmed.enumerated() {
            if label.isEmpty {
                findings.append(
                    Finding(
                        .warning, .blankLabel, rowNumber: rowNumber, fieldNumber: column + 1, cell: "",
                        message:
                            "Column \(column + 1) has no name in the header row, so its values were ignored. Give it the right column name or delete the column."
                    ))
                continue
            }
            if let field = schema.fieldIndex(label) {
                if let first = fieldColumn[field] {
                    findings.append(duplicate(label: label, column: column, first: first, rowNumber: rowNumber))
                } else {
                    fieldColumn[field] = column
                    columnField[column] = field
                }
            } else {
                unmatched.append(column)
            }
        }
        var stillUnmatched: [Int] = []
        for column in unmatched {
            let normal = normalizedLabel(trimmed[column])
            if let field = schema.fields.indices.first(where: { normalizedLabel(schema.fields[$0].name) == normal }) {
                if let first = fieldColumn[field] {
                    findings.append(duplicate(label: trimmed[column], column: column, first: first, rowNumber: rowNumber))
                } else {
                    fieldColumn[field] = column
                    columnField[column] = field
                }
            } else {
                stillUnmatched.append(column)
            }
        }
        // Near misses: a misspelt header is reported once, with the suggestion, and its column is
        // still checked as that field so one typo does not flood the report.
        var suggested: Set<Int> = []
        for column in stillUnmatched {
            let label = trimmed[column]
            let candidates = schema.fields.indices.filter { fieldColumn[$0] == nil && !suggested.contains($0) }
                .map { ($0, editDistance(normalizedLabel(label), normalizedLabel(schema.fields[$0].name))) }
                .filter { $0.1 <= max(1, min(3, schema.fields[$0.0].name.count / 3)) }
                .sorted { $0.1 < $1.1 }
            if let best = candidates.first, candidates.count == 1 || candidates[1].1 > best.1 {
                let name = schema.fields[best.0].name
                suggested.insert(best.0)
                fieldColumn[best.0] = column
                columnField[column] = best.0
                findings.append(
                    Finding(
                        .error, .missingLabel, rowNumber: rowNumber, fieldName: name, fieldNumber: column + 1, cell: label,
                        message:
                            "Column \(column + 1) is headed \(quoted(label)): did you mean \(quoted(name))? Rename the header to \(quoted(name)); the column's values were checked as \(name)."
                    ))
            } else {
                let hint =
                    candidates.isEmpty
                    ? "" : " (did you mean \(candidates.map { quoted(schema.fields[$0.0].name) }.joined(separator: " or "))?)"
                findings.append(
                    Finding(
                        .warning, .extraLabel, rowNumber: rowNumber, fieldName: label, fieldNumber: column + 1, cell: label,
                        message:
                            "Column \(column + 1) \(quoted(label)) is not part of the \(schema.name) table and will be ignored\(hint). The columns are: \(schema.fields.map(\.name).joined(separator: ", "))."
                    ))
            }
        }
        for (index, field) in schema.fields.enumerated() where fieldColumn[index] == nil {
            let isRequired = required[index]
            if field.columnOptional && !isRequired { continue }
            findings.append(
                Finding(
                    isRequired ? .error : .warning, .missingLabel, rowNumber: rowNumber, fieldName: field.name,
                    message: isRequired
                        ? "The header has no \(quoted(field.name)) column, which the \(schema.name) table needs. Add the column (\(field.title ?? field.name)) and fill it in for every row."
                        : "The header has no \(quoted(field.name)) column. It is optional, but add it if you have the information (\(field.title ?? field.name))."
                ))
        }
    }

    private func duplicate(label: String, column: Int, first: Int, rowNumber: Int) -> Finding {
        Finding(
            .error, .duplicateLabel, rowNumber: rowNumber, fieldName: label, fieldNumber: column + 1, cell: label,
            message:
                "Column \(column + 1) is headed \(quoted(label)), like column \(first + 1). Remove one of the two columns or give it its right name; column \(column + 1) was ignored."
        )
    }

    // MARK: - Rows

    /// Records the distinct values of some fields (for example which partners and quarters a file names).
    public func trackDistinctValues(of fields: [String]) {
        tracked = fields.compactMap { name in schema.fieldIndex(name).map { ($0, []) } }
        for name in fields { distinctValues[name] = [] }
    }

    private func noteDistinctValues() {
        for position in tracked.indices {
            let field = tracked[position].field
            guard field >= 0, slots[field].kind == .text else { continue }
            let bytes = slots[field].text
            if bytes.count == tracked[position].last.count && sameBytes(bytes[...], tracked[position].last) { continue }
            tracked[position].last = Array(bytes)
            let name = schema.fields[field].name
            let text = String(decoding: bytes, as: UTF8.self)
            if distinctValues[name, default: []].insert(text).inserted { distinctOrder[name, default: []].append(text) }
            if distinctValues[name, default: []].count >= 1000 { tracked[position].field = -1 }
        }
    }

    /// Checks one data row. Call ``checkHeader(_:rowNumber:)`` first.
    public func checkRow<Row: CellRow>(_ row: Row, rowNumber: Int) {
        if !headerSeen {
            checkHeader((0..<row.cellCount).map { String(decoding: row.cell($0), as: UTF8.self) })
            return
        }
        row.withUnsafeCells { checkRow($0, rowNumber: rowNumber) }
    }

    private func checkRow(_ cells: UnsafeCells, rowNumber: Int) {
        let count = cells.count
        var blank = true
        for index in 0..<count where !CellParser.trim(cells[index]).isEmpty {
            blank = false
            break
        }
        if blank {
            pendingBlankRows.append(rowNumber)
            return
        }
        if !pendingBlankRows.isEmpty {
            for blankRow in pendingBlankRows {
                findings.append(
                    Finding(
                        .warning, .blankRow, rowNumber: blankRow,
                        message: "Row \(blankRow) is empty. Delete the empty row (it was skipped)."))
            }
            pendingBlankRows.removeAll()
        }
        rowCount += 1
        let findingsBefore = findings.count
        let eventsBefore = keyEvents?.count ?? 0

        for index in slots.indices { slots[index] = .null }
        if !lists.isEmpty { for index in lists.indices { lists[index] = .null } }
        if count > headerCount {
            for column in headerCount..<count {
                let text = CellParser.trim(cells[column])
                if text.isEmpty { continue }
                let value = String(decoding: text, as: UTF8.self)
                findings.append(
                    Finding(
                        .error, .extraCell, rowNumber: rowNumber, fieldNumber: column + 1, cell: value,
                        message:
                            "Row \(rowNumber) has a value in column \(column + 1), beyond the last named column (\(headerCount)): \(quoted(value)). Move it to the right column or delete it."
                    ))
            }
        }
        if count < headerCount {
            for column in count..<headerCount {
                let name = columnField[column].map { schema.fields[$0].name }
                findings.append(
                    Finding(
                        .error, .missingCell, rowNumber: rowNumber, fieldName: name, fieldNumber: column + 1,
                        message:
                            "Row \(rowNumber) stops after column \(count): it has no cell for column \(column + 1)\(name.map { " (\($0))" } ?? ""). Check for a missing comma or a value that spilled into the next row."
                    ))
            }
        }
        for column in 0..<min(count, headerCount) {
            guard let field = columnField[column] else { continue }
            slots[field] = checkCell(cells[column], field: field, column: column, rowNumber: rowNumber)
        }
        checkKeys(rowNumber: rowNumber, cells: cells)
        checkRules(rowNumber: rowNumber, cells: cells)
        if !tracked.isEmpty { noteDistinctValues() }

        // Only this row's findings are looked at: counting all of them every row made a file with many
        // findings quadratic (100,000 rows with 12,000 findings took 30 s instead of 0.4 s).
        var valid = true
        for index in findingsBefore..<findings.count where findings[index].severity == .error {
            valid = false
            break
        }
        if valid { validRowCount += 1 }
        if let count = keyEvents?.count, count > eventsBefore {
            for index in eventsBefore..<count { keyEvents![index].rowValid = valid }
        }
        onRow?(rowNumber, TypedRow(slots: UnsafeBufferPointer(slots), lists: lists), valid)
    }

    /// Ends the table: resolves references within the table and forgets trailing blank rows.
    public func finish() {
        pendingBlankRows.removeAll()
        for reference in selfReferences {
            let plan = foreignKeyPlans[reference.plan]
            let keys = selfKeys[plan.key.referenceFields.joined(separator: "\u{1F}")] ?? []
            if !keys.contains(reference.key) {
                findings.append(foreignKeyFinding(plan.key, fields: plan.fields, rowNumber: reference.row, text: reference.text))
            }
        }
        selfReferences.removeAll()
    }

    /// Hands over everything found, leaving the validator with none (so that a large file's findings are not
    /// held twice while its report is made).
    public func takeFindings() -> [Finding] {
        defer { findings = [] }
        return findings
    }

    /// The field name a column was read as, if any (0-based column).
    public func fieldName(forColumn column: Int) -> String? {
        guard column >= 0, column < columnField.count, let field = columnField[column] else { return nil }
        return schema.fields[field].name
    }

    /// Every primary key seen so far, with the row it was first seen at.
    public var primaryKeyRows: [KeyHash: Int] {
        Dictionary(uniqueKeysWithValues: primaryKeys.entries.map { ($0.key, $0.row) })
    }

    /// The keys this table holds over `fields` (its primary key or a unique field), for foreign keys
    /// in other tables.
    public func keys(over fields: [String]) -> Set<KeyHash>? {
        if fields == schema.primaryKey { return Set(primaryKeys.entries.map(\.key)) }
        if fields.count == 1, let index = schema.fieldIndex(fields[0]), let values = uniqueValues.first(where: { $0.field == index })?.seen
        {
            return Set(values.entries.map(\.key))
        }
        return nil
    }

    // MARK: - Cells

    private func checkCell(_ raw: CellParser.Bytes, field index: Int, column: Int, rowNumber: Int) -> CellSlot {
        let bytes = CellParser.trim(raw)
        let cached = lastBytes.baseAddress! + index * Self.cachedLength
        if lastSlots[index].kind != .null, bytes.count == lastCounts[index], sameBytes(bytes, cached) {
            return lastSlots[index]
        }
        let slot = checkNewCell(bytes, field: index, column: column, rowNumber: rowNumber)
        // Remember short valid values; give up on columns whose values keep changing.
        if cacheMisses[index] < 64 {
            if let slot, slot.kind != .list, bytes.count <= Self.cachedLength {
                _ = UnsafeMutableBufferPointer(start: cached, count: bytes.count).initialize(from: bytes)
                lastCounts[index] = bytes.count
                lastSlots[index] = slot.kind == .text ? .text(UnsafeBufferPointer(start: cached, count: bytes.count)) : slot
            }
            cacheMisses[index] += 1
        } else if lastSlots[index].kind != .null {
            lastSlots[index] = .null
        }
        return slot ?? .null
    }

    /// Checks a cell not seen just before; nil when it has a problem (reported) or is blank.
    private func checkNewCell(_ bytes: CellParser.Bytes, field index: Int, column: Int, rowNumber: Int) -> CellSlot? {
        let plan = plans[index]
        if isMissing(bytes, field: index) {
            if required[index] {
                findings.append(
                    Finding(
                        .error, .constraintError, rowNumber: rowNumber, fieldName: plan.field.name, fieldNumber: column + 1,
                        cell: String(decoding: bytes, as: UTF8.self),
                        message:
                            "Row \(rowNumber), column \(plan.field.name): a value is required but the cell is empty. \(hint(plan.field))",
                        rule: "required"))
            }
            return nil
        }
        var problem = TypeProblem.wrongType
        let parsed: CellSlot?
        if plan.type == .list {
            let items = CellParser.parseList(bytes, field: plan, problem: &problem)
            if let items { lists[index] = items }
            parsed = items == nil ? nil : .scalar(.list, 0)
        } else {
            parsed = CellParser.parse(bytes, type: plan.type, field: plan, problem: &problem)
        }
        guard let value = parsed else {
            let text = String(decoding: bytes, as: UTF8.self)
            findings.append(
                Finding(
                    .error, .typeError, rowNumber: rowNumber, fieldName: plan.field.name, fieldNumber: column + 1, cell: text,
                    message:
                        "Row \(rowNumber), column \(plan.field.name): \(typeMessage(plan.field, index: index, text: text, problem: problem))"
                ))
            return nil
        }
        guard plan.hasConstraints else { return value }
        let findingsBefore = findings.count
        if let allowed = enumBytes[index] {
            var found = false
            if value.kind == .text {
                for option in allowed where option.count == bytes.count && sameBytes(bytes, option) {
                    found = true
                    break
                }
            } else {
                found = plan.enumValues!.contains(value.canonicalText(list: listValue(index)))
            }
            if !found {
                let text = String(decoding: bytes, as: UTF8.self)
                let close = plan.enumValues!.first { $0.lowercased() == text.lowercased().replacingSpaces() }
                let suggestion = close.map { " Did you mean \(quoted($0))?" } ?? ""
                constraintError(
                    plan.field, column: column, rowNumber: rowNumber, text: text, rule: "enum",
                    "expected one of \(plan.enumValues!.joined(separator: ", ")), found \(quoted(text)).\(suggestion)")
            }
        }
        if let minimum = plan.minimum, let order = compare(value, minimum, field: index), order < 0 {
            constraintError(
                plan.field, column: column, rowNumber: rowNumber, text: String(decoding: bytes, as: UTF8.self), rule: "minimum",
                "must be at least \(minimum.canonicalText), found \(quoted(String(decoding: bytes, as: UTF8.self))).")
        }
        if let maximum = plan.maximum, let order = compare(value, maximum, field: index), order > 0 {
            constraintError(
                plan.field, column: column, rowNumber: rowNumber, text: String(decoding: bytes, as: UTF8.self), rule: "maximum",
                "must be at most \(maximum.canonicalText), found \(quoted(String(decoding: bytes, as: UTF8.self))).")
        }
        if plan.minLength != nil || plan.maxLength != nil {
            let length: Int
            if value.kind == .list, case .list(let items) = lists[index] {
                length = items.count
            } else {
                length = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            }
            let unit = plan.type == .list ? "items" : "characters"
            if let minimum = plan.minLength, length < minimum {
                constraintError(
                    plan.field, column: column, rowNumber: rowNumber, text: String(decoding: bytes, as: UTF8.self), rule: "minLength",
                    "is too short: at least \(minimum) \(unit) are needed, found \(length).")
            }
            if let maximum = plan.maxLength, length > maximum {
                constraintError(
                    plan.field, column: column, rowNumber: rowNumber, text: String(decoding: bytes, as: UTF8.self), rule: "maxLength",
                    "is too long: at most \(maximum) \(unit) are allowed, found \(length). Shorten it.")
            }
        }
        if let pattern = plan.pattern, value.kind == .text, !pattern.matches(bytes) {
            let text = String(decoding: bytes, as: UTF8.self)
            // In words, with the field's example; the pattern itself only when there is no example to show.
            let form =
                plan.field.example.map { "is not in the form this column needs: write it like \($0)" }
                ?? "is not in the form this column needs (the pattern \(pattern.source))"
            constraintError(
                plan.field, column: column, rowNumber: rowNumber, text: text, rule: "pattern",
                "\(quoted(text)) \(form). \(plan.field.description ?? "")")
        }
        // A value that breaks a constraint is not used by keys and rules (it is already reported).
        return findings.count == findingsBefore ? value : nil
    }

    private func constraintError(
        _ field: borrowing Field, column: Int, rowNumber: Int, text: String, rule: String, _ detail: String
    ) {
        findings.append(
            Finding(
                .error, .constraintError, rowNumber: rowNumber, fieldName: field.name, fieldNumber: column + 1, cell: text,
                message: "Row \(rowNumber), column \(field.name): \(detail)".trimmingTrailingSpace(), rule: rule))
    }

    /// ``CellValue/compare(_:_:)`` of a field's value with a bound, without making a `CellValue` for the usual
    /// numbers and dates.
    private func compare(_ slot: CellSlot, _ bound: CellValue, field: Int) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch (slot.kind, bound) {
        case (.date, .date(let days)): return order(Int32(truncatingIfNeeded: slot.bits), days)
        case (.datetime, .datetime(let seconds)): return order(slot.bits, seconds)
        case (.integer, _), (.number, _), (.year, _):
            guard let limit = bound.numeric else { return nil }
            return order(slot.kind == .number ? slot.number : Double(slot.bits), limit)
        default:
            return CellValue.compare(slot.value(list: listValue(field)), bound)
        }
    }

    private func isMissing(_ bytes: CellParser.Bytes, field: Int) -> Bool {
        if bytes.isEmpty { return emptyIsMissing[field] }
        if bytes.count > longestMissing[field] { return false }
        for missing in missingValues[field] where missing.count == bytes.count && sameBytes(bytes, missing) {
            return true
        }
        return false
    }

    private func hint(_ field: borrowing Field) -> String {
        if let example = field.example { return "Fill it in (for example \(example))." }
        return "Fill it in."
    }

    private func typeMessage(_ field: borrowing Field, index: Int, text: String, problem: TypeProblem) -> String {
        let found = quoted(text)
        switch (field.type, problem) {
        case (_, .outOfRange):
            return "\(found) is too large a number. Check the value."
        case (.date, .impossibleDate), (.datetime, .impossibleDate):
            return "\(found) is not a real date: check the day and the month."
        case (.integer, _):
            return "expected a whole number, found \(found)."
        case (.number, _):
            return field.bareNumber
                ? "expected a number such as 1200.50, found \(found)."
                : "expected an amount such as 1200.50, 1,200.50 or £1,200.50, found \(found)."
        case (.boolean, _):
            return "expected \(field.trueValues.first ?? "true") or \(field.falseValues.first ?? "false"), found \(found)."
        case (.date, _):
            return "expected a date like \(dateExamples[index]), found \(found)."
        case (.datetime, _):
            return "expected a date and time like 2026-07-15T14:30:00Z, found \(found)."
        case (.year, _):
            return "expected a four-digit year like 2026, found \(found)."
        case (.list, .badItem(let item)):
            return "\(quoted(item)) in the list is not a valid \(field.itemType.rawValue)."
        case (.string, _):
            return "\(found) is not a valid \(field.format ?? "value")."
        default:
            return "\(found) is not a valid \(field.type.rawValue)."
        }
    }

    // MARK: - Keys

    /// Adds field `field`'s value to a key; false when the field is blank.
    private func addKey(_ field: Int, to builder: inout KeyHash.Builder) -> Bool {
        let slot = slots[field]
        switch slot.kind {
        case .null: return false
        case .text: builder.add(slot.text)
        default: builder.add(slot.canonicalText(list: listValue(field)).utf8)
        }
        return true
    }

    private func listValue(_ field: Int) -> CellValue {
        lists.isEmpty ? .null : lists[field]
    }

    /// Field `field`'s value in its canonical spelling.
    private func canonicalText(_ field: Int) -> String {
        slots[field].canonicalText(list: listValue(field))
    }

    private func rawText(_ cells: UnsafeCells, field: Int) -> String {
        guard let column = fieldColumn[field], column < cells.count else { return "" }
        return String(decoding: CellParser.trim(cells[column]), as: UTF8.self)
    }

    private func checkKeys(rowNumber: Int, cells: UnsafeCells) {
        if checksPrimaryKey {
            var builder = KeyHash.Builder()
            var complete = true
            for field in primaryKeyFields where !addKey(field, to: &builder) {
                complete = false
                break
            }
            if complete {
                let key = builder.finish()
                if keyEvents != nil {
                    // A batch: the keys are checked when the batches are merged, in file order.
                    keyEvents!.append(KeyEvent(unique: nil, key: key, row: rowNumber, finding: findings.count))
                } else if let first = primaryKeys.firstRow(of: key, insertingAt: rowNumber) {
                    findings.append(primaryKeyFinding(cells, rowNumber: rowNumber, first: first))
                }
            }
        }
        for position in uniqueValues.indices {
            let field = uniqueValues[position].field
            var builder = KeyHash.Builder()
            guard addKey(field, to: &builder) else { continue }
            let key = builder.finish()
            if keyEvents != nil {
                keyEvents!.append(KeyEvent(unique: position, key: key, row: rowNumber, finding: findings.count))
            } else if let first = uniqueValues[position].seen.firstRow(of: key, insertingAt: rowNumber) {
                findings.append(uniqueFinding(cells, position: position, rowNumber: rowNumber, first: first))
            }
        }
        for (planIndex, plan) in foreignKeyPlans.enumerated() {
            guard plan.fields.count == plan.key.fields.count else { continue }
            let isSelf = plan.isSelf
            if !isSelf && plan.keys == nil { continue }
            if plan.fields.count == 1, slots[plan.fields[0]].kind == .list, case .list(let items) = lists[plan.fields[0]] {
                for item in items {
                    let text = item.canonicalText
                    let key = KeyHash(text)
                    if isSelf {
                        selfReferences.append((planIndex, key, rowNumber, text))
                    } else if !plan.keys!.contains(key) {
                        findings.append(foreignKeyFinding(plan.key, fields: plan.fields, rowNumber: rowNumber, text: text))
                    }
                }
                continue
            }
            var builder = KeyHash.Builder()
            var complete = true
            for field in plan.fields where !addKey(field, to: &builder) {
                complete = false
                break
            }
            guard complete else { continue }
            let key = builder.finish()
            let text = plan.fields.map { rawText(cells, field: $0) }.joined(separator: ", ")
            if isSelf {
                selfReferences.append((planIndex, key, rowNumber, text))
            } else if !plan.keys!.contains(key) {
                findings.append(foreignKeyFinding(plan.key, fields: plan.fields, rowNumber: rowNumber, text: text))
            }
        }
        // Keys of this table that its own foreign keys may refer to.
        for plan in foreignKeyPlans where plan.isSelf {
            let fields = plan.referenceFieldIndices
            var builder = KeyHash.Builder()
            var complete = true
            for field in fields where !addKey(field, to: &builder) {
                complete = false
                break
            }
            if complete { selfKeys[plan.key.referenceFields.joined(separator: "\u{1F}"), default: []].insert(builder.finish()) }
        }
    }

    /// A row whose primary key an earlier row (`first`) has.
    func primaryKeyFinding(_ cells: UnsafeCells, rowNumber: Int, first: Int) -> Finding {
        let names = schema.primaryKey
        let texts = primaryKeyFields.map { rawText(cells, field: $0) }
        let last = primaryKeyFields.last!
        let described =
            names.count == 1
            ? "\(names[0]) \(quoted(texts[0]))"
            : "(\(names.joined(separator: ", "))) = (\(texts.joined(separator: ", ")))"
        return Finding(
            .error, .primaryKey, rowNumber: rowNumber, fieldName: schema.fields[last].name,
            fieldNumber: fieldColumn[last].map { $0 + 1 }, cell: texts.last,
            message:
                "Row \(rowNumber): \(described) is already used at row \(first). Each row needs its own \(names.joined(separator: " + ")); merge or correct the two rows."
        )
    }

    /// A row whose value of a `unique` field (``uniqueValues``[`position`]) an earlier row (`first`) has.
    func uniqueFinding(_ cells: UnsafeCells, position: Int, rowNumber: Int, first: Int) -> Finding {
        let field = uniqueValues[position].field
        let name = schema.fields[field].name
        let text = rawText(cells, field: field)
        return Finding(
            .error, .uniqueError, rowNumber: rowNumber, fieldName: name, fieldNumber: fieldColumn[field].map { $0 + 1 }, cell: text,
            message: "Row \(rowNumber), column \(name): \(quoted(text)) is already used at row \(first); each \(name) must be different.")
    }

    private func foreignKeyFinding(_ key: ForeignKey, fields: [Int], rowNumber: Int, text: String) -> Finding {
        let last = fields.last!
        let name = schema.fields[last].name
        var message: String
        if let template = key.message {
            message =
                "Row \(rowNumber): "
                + fill(template) { field in
                    field == name && fields.count == 1 ? text : (self.schema.fieldIndex(field).map { self.canonicalText($0) } ?? "")
                }
        } else if fields.count == 1 {
            message =
                "Row \(rowNumber), column \(name): \(quoted(text)) is not in the \(key.resource.isEmpty ? schema.name : key.resource) table (\(key.referenceFields.joined(separator: ", "))). Use a value listed there."
        } else {
            message =
                "Row \(rowNumber): (\(key.fields.joined(separator: ", "))) = (\(text)) has no matching row in the \(key.resource.isEmpty ? schema.name : key.resource) table."
        }
        message = message.trimmingTrailingSpace()
        return Finding(
            .error, .foreignKey, rowNumber: rowNumber, fieldName: name, fieldNumber: fieldColumn[last].map { $0 + 1 },
            cell: fields.count == 1 ? text : canonicalText(last), message: message)
    }

    // MARK: - Rules

    private func checkRules(rowNumber: Int, cells: UnsafeCells) {
        let slots = UnsafeBufferPointer(self.slots)
        let program = ruleProgram
        lists.withUnsafeBufferPointer { lists in
            for (index, (when, assertion)) in ruleRoots.enumerated() {
                if when >= 0, program.evaluate(when, slots: slots, lists: lists, scratch: ruleScratch) != true { continue }
                if program.evaluate(assertion, slots: slots, lists: lists, scratch: ruleScratch) == false {
                    violations.append(index)
                }
            }
        }
        guard !violations.isEmpty else { return }
        defer { violations.removeAll(keepingCapacity: true) }
        for index in violations {
            let bound = boundRules[index]
            let rule = bound.rule
            let first = rule.assertion.fieldIndices.first ?? rule.when?.fieldIndices.first
            let name = first.map { schema.fields[$0].name }
            var message = ""
            for piece in bound.message {
                switch piece {
                case .text(let text): message += text
                case .field(let index, let money):
                    let text = rawText(cells, field: index)
                    if money, bound.currency != nil, let amount = Money.amount(in: text) {
                        message += Money.text(amount, currency: bound.currency)
                    } else {
                        message += text.isEmpty ? "blank" : text
                    }
                }
            }
            findings.append(
                Finding(
                    rule.severity, .ruleViolation, rowNumber: rowNumber, fieldName: name,
                    fieldNumber: first.flatMap { fieldColumn[$0] }.map { $0 + 1 },
                    cell: first.map { rawText(cells, field: $0) }, message: "Row \(rowNumber): \(message)", rule: rule.name))
        }
    }

    private func fill(_ template: String, _ value: (String) -> String) -> String {
        MessagePiece.pieces(of: template).reduce(into: "") { result, piece in
            switch piece {
            case .text(let text): result += text
            case .placeholder(let name): result += value(name)
            }
        }
    }
}

/// A piece of a message template: text as written, or a `{placeholder}` (`{field}`, `{$parameter}`, either
/// with a format after a colon: `{discretionary_spend:money}`).
enum MessagePiece {
    case text(String)
    case placeholder(String)

    /// The formats a placeholder may ask for.
    static let formats: Set<String> = ["money"]

    /// A placeholder's name and format (nil when it has none).
    static func split(_ placeholder: String) -> (name: String, format: String?) {
        guard let colon = placeholder.lastIndex(of: ":") else { return (placeholder, nil) }
        return (String(placeholder[..<colon]), String(placeholder[placeholder.index(after: colon)...]))
    }

    /// Splits a template. A `{` inside an open placeholder is text (the placeholder starts again after it),
    /// and an unclosed placeholder at the end is text.
    static func pieces(of template: String) -> [MessagePiece] {
        var pieces: [MessagePiece] = []
        var text = ""
        var current: String?
        for character in template {
            if character == "{" {
                if let pending = current { text += "{" + pending }
                current = ""
            } else if character == "}", let name = current {
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                pieces.append(.placeholder(name))
                current = nil
            } else if current != nil {
                current!.append(character)
            } else {
                text.append(character)
            }
        }
        if let pending = current { text += "{" + pending }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }
}

// MARK: - Helpers

/// True when a cell's bytes equal `other`'s first `bytes.count` bytes.
@inline(__always)
func sameBytes(_ bytes: CellParser.Bytes, _ other: UnsafePointer<UInt8>) -> Bool {
    bytes.isEmpty || memcmp(bytes.base.baseAddress! + bytes.startIndex, other, bytes.count) == 0
}

/// True when a cell's bytes equal `other` (of the same length).
@inline(__always)
func sameBytes(_ bytes: CellParser.Bytes, _ other: [UInt8]) -> Bool {
    other.withUnsafeBufferPointer { other in other.baseAddress.map { sameBytes(bytes, $0) } ?? bytes.isEmpty }
}

/// Lower-cases and turns spaces, dashes and dots into underscores, so `Person Ref` meets `person_ref`.
func normalizedLabel(_ label: String) -> String {
    String(
        label.lowercased().map { character -> Character in
            character == " " || character == "-" || character == "." ? "_" : character
        })
}

/// The Levenshtein distance between two short strings.
func editDistance(_ left: String, _ right: String) -> Int {
    let a = Array(left.unicodeScalars)
    let b = Array(right.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Renders 15 July 2026 (2:30:00 pm) in a date format, for messages.
func exampleDate(for spec: String) -> String {
    var result = ""
    var iterator = spec.makeIterator()
    while let character = iterator.next() {
        guard character == "%" else {
            result.append(character)
            continue
        }
        switch iterator.next() {
        case "Y": result += "2026"
        case "y": result += "26"
        case "m": result += "07"
        case "d": result += "15"
        case "b": result += "Jul"
        case "B": result += "July"
        case "H": result += "14"
        case "M": result += "30"
        case "S": result += "00"
        default: result += "%"
        }
    }
    return result
}

extension String {
    func trimmingSpacesAndBOM() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\u{FEFF}" || first == "\u{A0}" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\u{A0}" || last == "\r" || last == "\n" {
            scalars.removeLast()
        }
        return String(scalars)
    }

    func trimmingTrailingSpace() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    func replacingSpaces() -> String {
        String(map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}

/// A field with what its checks need worked out once, so the per-cell path copies nothing.
final class FieldPlan {
    let field: Field
    let hasConstraints: Bool
    let type: FieldType
    let format: String?
    let dateFormats: [DateFormat]
    let trueValues: [[UInt8]]
    let falseValues: [[UInt8]]
    let bareNumber: Bool
    let groupChar: UInt8?
    let decimalChar: UInt8
    let delimiter: UInt8
    let itemType: FieldType
    let enumValues: [String]?
    let minimum: CellValue?
    let maximum: CellValue?
    let minLength: Int?
    let maxLength: Int?
    let pattern: Pattern?

    init(field: Field) {
        self.field = field
        type = field.type
        format = field.format
        dateFormats = field.dateFormats.isEmpty ? [DateFormat.iso] : field.dateFormats
        trueValues = field.trueValues.map { Array($0.utf8) }
        falseValues = field.falseValues.map { Array($0.utf8) }
        bareNumber = field.bareNumber
        groupChar = field.groupChar
        decimalChar = field.decimalChar
        delimiter = field.delimiter
        itemType = field.itemType
        let constraints = field.constraints
        enumValues = constraints.enumValues
        minimum = constraints.minimum
        maximum = constraints.maximum
        minLength = constraints.minLength
        maxLength = constraints.maxLength
        pattern = constraints.pattern
        hasConstraints =
            constraints.enumValues != nil || constraints.minimum != nil || constraints.maximum != nil
            || constraints.minLength != nil || constraints.maxLength != nil || constraints.pattern != nil
    }
}

/// A rule with what its finding needs worked out once per file (its expressions are in the validator's one
/// rule program).
final class BoundRule {
    let rule: Rule
    /// The rule's message with its parameters filled in: text, and the fields whose cells it quotes.
    let message: [Piece]

    enum Piece {
        case text(String)
        /// A field's cell as written, or as an amount of money (`{field:money}`).
        case field(Int, money: Bool)
    }

    /// The currency amounts are written in (`$currency`, an ISO code), when the validator is given one.
    let currency: String?

    init(rule: Rule, parameters: [String: RuleValue], schema: Schema) {
        self.rule = rule
        let currency: String? = if case .text(let code)? = parameters["currency"] { code } else { nil }
        self.currency = currency
        message = MessagePiece.pieces(of: rule.message).map { piece in
            switch piece {
            case .text(let text): return .text(text)
            case .placeholder(let placeholder):
                let (name, format) = MessagePiece.split(placeholder)
                if name.hasPrefix("$") {
                    let value = parameters[String(name.dropFirst())]
                    if format == "money", case .number(let amount)? = value { return .text(Money.text(amount, currency: currency)) }
                    return .text(value?.description ?? "blank")
                }
                return schema.fieldIndex(name).map { .field($0, money: format == "money") } ?? .text("")
            }
        }
    }
}

/// A foreign key with its field positions worked out, held by reference so rows copy nothing.
final class ForeignKeyPlan {
    let key: ForeignKey
    let fields: [Int]
    let keys: Set<KeyHash>?
    let isSelf: Bool
    let referenceFieldIndices: [Int]

    init(key: ForeignKey, fields: [Int], keys: Set<KeyHash>?, isSelf: Bool, schema: Schema) {
        self.key = key
        self.fields = fields
        self.keys = keys
        self.isSelf = isSelf
        referenceFieldIndices = key.referenceFields.compactMap { schema.fieldIndex($0) }
    }
}

// MARK: - Money in messages

/// Amounts of money as messages write them: the currency's symbol (or its code after the amount), thousands
/// grouped, pence shown only when there are any: `£1,500`, `£1,200.50`, `1,500 CHF`.
enum Money {
    static let symbols = ["GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "IEP": "£"]

    static func text(_ amount: Double, currency: String?) -> String {
        let cents = Int64((abs(amount) * 100).rounded())
        var whole = String(cents / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        var number = whole + grouped
        if cents % 100 != 0 { number += "." + String(format: "%02d", Int(cents % 100)) }
        let sign = amount < 0 ? "-" : ""
        guard let currency else { return sign + number }
        if let symbol = symbols[currency.uppercased()] { return sign + symbol + number }
        return sign + number + " " + currency
    }

    /// The amount a cell holds, written as partners write amounts (`£1,200.50`, `1200`, `GBP 12`); nil when it
    /// is not one.
    static func amount(in text: String) -> Double? {
        let kept = text.filter { $0.isNumber || $0 == "." || $0 == "-" }
        guard !kept.isEmpty, kept.contains(where: \.isNumber) else { return nil }
        return Double(kept)
    }
}
