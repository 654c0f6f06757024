import Foundation
import JSONSchema
import TableSchema

/// What a structured form holds besides its rows: who sent it, for which quarter, and what they said.
struct FormEnvelope: Sendable, Equatable {
    /// The partner that sent the form.
    var partnerID: String?
    /// The quarter the form covers.
    var quarter: String?
    /// When the form was submitted (ISO date), if given.
    var submittedOn: String?
    /// The partner's highlights of the quarter.
    var highlights: String?
    /// The partner's challenges.
    var challenges: String?
    /// What the partner says would help.
    var whatWouldHelp: String?
}

extension ValidationStage {
    /// The envelope fields a form may have besides the three tables.
    static let envelopeFields = ["partner_id", "quarter", "submitted_on", "highlights", "challenges", "what_would_help"]

    /// Reads a structured form and checks its envelope (JSON Schema) and its rows (the table schemas).
    ///
    /// Rows are checked exactly as CSV rows are; each finding is then placed at the JSON pointer of the
    /// row's value (`/support/3/sessions_offered`) and, when known, its line and column.
    func validateForm(_ input: InputFile, references: KeyIndex) -> (FileReport, [(Schema, TableValidator)], FormEnvelope?) {
        let bytes: [UInt8]
        do {
            bytes = try input.readAll(limit: options.limits.maxFormBytes)
        } catch {
            return (unreadableReport(input, error.description), [], nil)
        }
        let document: FormDocument
        do {
            document =
                input.format == .json
                ? try FormDocument.json(bytes, limits: options.limits) : try FormDocument.yaml(bytes, limits: options.limits)
        } catch {
            return (
                FileReport(
                    path: input.path, kind: "form", format: input.format,
                    findings: [
                        Finding(
                            .error, .sourceError, message: "\(input.path): \(error.description). Correct the file and check it again.",
                            line: error.line, column: error.column)
                    ]), [], nil
            )
        }
        var findings: [Finding] = []
        func locate(_ finding: inout Finding, _ pointer: String) {
            finding.pointer = pointer
            if let position = document.position(of: pointer) {
                finding.line = position.line
                finding.column = position.column
            }
        }
        for duplicate in document.duplicateKeys {
            var finding = Finding(
                .error, .sourceError, fieldName: duplicate.key,
                message:
                    "\(duplicate.objectPointer.isEmpty ? "/" : duplicate.objectPointer): the key \(quoted(duplicate.key)) appears twice (line \(duplicate.position.line) and line \(duplicate.firstPosition.line)). Keep one.",
                line: duplicate.position.line, column: duplicate.position.column)
            finding.pointer = nil
            findings.append(finding)
        }
        guard case .object(let root) = document.value else {
            return (
                FileReport(
                    path: input.path, kind: "form", format: input.format,
                    findings: [
                        Finding(
                            .error, .sourceError,
                            message:
                                "\(input.path) is not a quarterly return form: it should be an object with partner_id, quarter, submitted_on and the support, outcomes and ripple lists."
                        )
                    ]), [], nil
            )
        }
        // The envelope: JSON Schema, then fields the form does not have.
        if let schema = options.schemas.formSchema {
            for error in schema.validate(document.value) {
                var pointer = error.instancePointer
                if error.keyword == "required", let name = firstQuoted(error.message) {
                    pointer += "/" + JSONPointer.escape(name)
                }
                var finding = Finding(
                    .error, .formError, fieldName: pointer.split(separator: "/").last.map(String.init),
                    message: "\(pointer.isEmpty ? "/" : pointer): \(error.message)", rule: error.keyword)
                locate(&finding, pointer)
                findings.append(finding)
            }
        }
        for key in root.keys where !Self.envelopeFields.contains(key) && !options.schemas.returnTables.contains(key) {
            var finding = Finding(
                .warning, .formError, fieldName: key,
                message:
                    "/\(JSONPointer.escape(key)): \(quoted(key)) is not a field of the form and was ignored. The form's fields are \((Self.envelopeFields + options.schemas.returnTables).joined(separator: ", ")).",
                rule: "additionalProperties")
            locate(&finding, "/" + JSONPointer.escape(key))
            findings.append(finding)
        }
        let narrativeKeys = ["highlights", "challenges", "what_would_help"]
        if root["narrative"] != nil, let given = narrativeKeys.first(where: { root[$0]?.stringValue != nil }) {
            var finding = Finding(
                .error, .formError, fieldName: given,
                message:
                    "/\(given): the form has both the narrative list and the \(narrativeKeys.joined(separator: ", ")) fields. Give the narrative once: keep the fields and remove the narrative list, or the other way round.",
                rule: "envelope")
            locate(&finding, "/" + given)
            findings.append(finding)
        }
        for key in narrativeKeys {
            guard let text = root[key]?.stringValue, let problem = PersonalDataScan.textProblem(text) else { continue }
            var finding = Finding(
                .warning, .personalData, fieldName: key, message: "/\(key): \(PersonalDataScan.advice(problem))")
            locate(&finding, "/" + key)
            findings.append(finding)
        }
        let envelope = FormEnvelope(
            partnerID: root["partner_id"]?.stringValue, quarter: root["quarter"]?.stringValue,
            submittedOn: root["submitted_on"]?.stringValue, highlights: root["highlights"]?.stringValue,
            challenges: root["challenges"]?.stringValue, whatWouldHelp: root["what_would_help"]?.stringValue)

        // The tables, in foreign-key order: support's keys are there for outcomes.
        var index = references
        var validators: [(Schema, TableValidator)] = []
        var rowCount = 0
        var tables: [TableRows] = []
        var fund = FundLedger()
        for table in options.schemas.returnTables {
            guard let schema = options.schemas[table], case .array(let items)? = root[table] else { continue }
            let validator = makeValidator(schema: schema, references: index)
            validator.checkHeader(schema.fields.map(\.name))
            let rows = RowObserver(schema: schema, keepRows: options.keepRows, gathersFund: options.gathersFund)
            rows.observe(validator)
            var unknownKeys: Set<String> = []
            let names = schema.fields.map(\.name)
            let known = Set(names)
            var cells = PackedCellRow()
            for (position, item) in items.enumerated() {
                guard case .object(let object) = item else { continue }  // the form schema reports it
                let rowPointer = "/\(table)/\(position)"
                cells.removeAll()
                for name in names {
                    switch object[name] {
                    case .string(let text)?: cells.append(text.utf8)
                    case .number(let number)?: cells.append(number.description.utf8)
                    case .bool(let flag)?: cells.append((flag ? "true" : "false").utf8)
                    case .null?, nil: cells.append(EmptyCollection())
                    case .array?, .object?:
                        cells.append(EmptyCollection())
                        var finding = Finding(
                            .error, .typeError, fieldName: name,
                            message: "\(rowPointer)/\(name): expected a single value, found a list or an object.")
                        locate(&finding, rowPointer + "/" + JSONPointer.escape(name))
                        findings.append(finding)
                    }
                }
                for key in object.keys where !known.contains(key) && !unknownKeys.contains(key) {
                    unknownKeys.insert(key)
                    var finding = Finding(
                        .warning, .formError, fieldName: key,
                        message:
                            "\(rowPointer)/\(JSONPointer.escape(key)): \(quoted(key)) is not a field of the \(table) table and was ignored (reported once).",
                        rule: "additionalProperties")
                    locate(&finding, rowPointer + "/" + JSONPointer.escape(key))
                    findings.append(finding)
                }
                for (name, expected) in [("partner_id", envelope.partnerID), ("quarter", envelope.quarter)] {
                    guard let expected, case .string(let actual)? = object[name], actual != expected, Self.trimmed(actual) != expected
                    else {
                        continue
                    }
                    var finding = Finding(
                        .error, .formError, fieldName: name, cell: actual,
                        message:
                            "\(rowPointer)/\(name): this row says \(quoted(actual)) but the form is for \(name) \(quoted(expected)). A form holds one partner's return for one quarter.",
                        rule: "envelope")
                    locate(&finding, "\(rowPointer)/\(name)")
                    findings.append(finding)
                }
                validator.checkRow(cells, rowNumber: position + 2)
            }
            validator.finish()
            validator.onRow = nil
            rowCount += validator.rowCount
            if options.keepRows { tables.append(TableRows(table: table, fields: schema.fields.map(\.name), rows: rows.kept)) }
            fund.merge(rows.fund)
            for var finding in validator.findings + rows.personalFindings where finding.rowNumber != 1 {
                let itemIndex = (finding.rowNumber ?? 2) - 2
                let rowPointer = "/\(table)/\(itemIndex)"
                let pointer = finding.fieldName.map { rowPointer + "/" + JSONPointer.escape($0) } ?? rowPointer
                finding.message = relocatedMessage(finding.message, row: finding.rowNumber, table: table, pointer: pointer)
                finding.rowNumber = nil
                finding.fieldNumber = nil
                locate(&finding, pointer)
                findings.append(finding)
            }
            for key in keySetsOffered(by: schema) {
                if let keys = validator.keys(over: key) { index.add(resource: schema.name, fields: key, keys: keys) }
            }
            validators.append((schema, validator))
        }
        let notes = validators.flatMap { $0.1.notes }
        var seenNotes: Set<String> = []
        var report = FileReport(
            path: input.path, kind: "form", format: input.format, rows: rowCount,
            findings: findings.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) },
            notes: notes.filter { seenNotes.insert($0).inserted },
            partnerIDs: envelope.partnerID.map { [$0] } ?? [], quarters: envelope.quarter.map { [$0] } ?? [])
        report.tables = tables
        report.fund = fund
        report.envelope = envelope
        return (report, validators, envelope)
    }

    /// Rewrites "Row 5, column x: …" as "/support/3/x: …", and "at row 4" as "at /support/2".
    func relocatedMessage(_ message: String, row: Int?, table: String, pointer: String) -> String {
        var text = message
        if let row {
            for prefix in ["Row \(row), column ", "Row \(row): "] where text.hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
                if prefix.hasSuffix("column "), let colon = text.range(of: ": ") {
                    text = String(text[colon.upperBound...])
                }
                text = "\(pointer): " + text
                break
            }
        }
        while let range = text.range(of: "at row "), let end = text[range.upperBound...].firstIndex(where: { !$0.isNumber }),
            let number = Int(text[range.upperBound..<end])
        {
            text.replaceSubrange(range.lowerBound..<end, with: "at /\(table)/\(number - 2)")
        }
        return text
    }

    private func firstQuoted(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "\""), let close = text[text.index(after: open)...].firstIndex(of: "\"") else {
            return nil
        }
        return String(text[text.index(after: open)..<close])
    }
}

extension ValidationStage {
    /// `text` without the spaces and tabs at its ends; the text itself when it has none (every row of a form
    /// repeats its partner and quarter, so this is done a million times).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
            CharacterSet.whitespaces.contains(first) || CharacterSet.whitespaces.contains(last)
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
