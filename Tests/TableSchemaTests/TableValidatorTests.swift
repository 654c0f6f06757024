import CSV
import Foundation
import TableSchema
import Testing

/// A small schema exercising every constraint.
let peopleSchema: Schema = try! makeSchema(
    #"""
    {"name": "people", "missingValues": ["", "N/A"], "primaryKey": "person_id", "fields": [
      {"name": "person_id", "type": "integer"},
      {"name": "name", "title": "Full name", "example": "Ann Lee", "constraints": {"required": true, "minLength": 2, "maxLength": 5}},
      {"name": "status", "constraints": {"enum": ["active", "paused", "group_support"]}},
      {"name": "joined", "type": "date", "formats": ["%Y-%m-%d", "%d/%m/%Y"],
       "constraints": {"minimum": "2020-01-01", "maximum": "2026-12-31"}},
      {"name": "score", "type": "number", "constraints": {"minimum": 1, "maximum": 10}},
      {"name": "email", "format": "email", "constraints": {"unique": true}},
      {"name": "code", "example": "AB1", "constraints": {"pattern": "[A-Z]{2}[0-9]"}}
    ]}
    """#)

let peopleHeader = "person_id,name,status,joined,score,email,code"

/// Validates people rows under the standard header.
private func people(_ rows: String...) throws -> [Finding] {
    try validate(([peopleHeader] + rows).joined(separator: "\n") + "\n", schema: peopleSchema).findings
}

/// Header handling: how columns are matched to fields, and what a bad header reports.
@Suite("TableValidator: header")
struct TableValidatorHeaderTests {
    @Test func exactHeader() throws {
        #expect(try people("1,Ann,active,2026-04-01,5,ann@example.org,AB1").isEmpty)
    }

    /// Case, spaces, dashes and a byte-order mark do not matter; columns may come in any order.
    @Test func looseHeaderMatches() throws {
        let validator = try validate(
            "\u{FEFF}CODE, Person ID ,NAME,Status,joined,Score, EMAIL\nAB1,1,Ann,active,2026-04-01,5,ann@example.org\n",
            schema: peopleSchema)
        #expect(validator.findings.isEmpty, "\(validator.findings.map(\.message))")
        #expect(validator.fieldName(forColumn: 0) == "code")
        #expect(validator.fieldName(forColumn: 1) == "person_id")
        #expect(validator.fieldName(forColumn: 6) == "email")
        #expect(validator.fieldName(forColumn: 7) == nil)
    }

    /// A misspelt header gives one missing-label with the suggestion; the column is still checked
    /// as that field, so there is nothing per row about it.
    @Test func misspeltHeader() throws {
        let schema = try repositorySchema("support")
        let header = schema.fields.prefix(12).map(\.name).map { $0 == "sessions_offered" ? "sessions_ofered" : $0 }.joined(separator: ",")
        var rows = [header]
        for index in 1...5 { rows.append("P001,2026-Q2,PERS-\(1000 + index),counselling,active,2026-04-15,,,12,10,,") }
        let validator = try validate(rows.joined(separator: "\n"), schema: schema)
        #expect(validator.findings.count == 1)
        let finding = try #require(validator.findings.first)
        #expect(finding.code == .missingLabel)
        #expect(finding.severity == .error)
        #expect(finding.rowNumber == 1)
        #expect(finding.fieldName == "sessions_offered")
        #expect(finding.fieldNumber == 9)
        #expect(finding.cell == "sessions_ofered")
        #expect(
            finding.message
                == "Column 9 is headed \"sessions_ofered\": did you mean \"sessions_offered\"? Rename the header to \"sessions_offered\"; the column's values were checked as sessions_offered."
        )
        #expect(validator.fieldName(forColumn: 8) == "sessions_offered")
        // The column's values are checked under the right name.
        let bad = try validate(
            header + "\nP001,2026-Q2,PERS-1,counselling,active,2026-04-15,,,twelve,10,,\n", schema: schema)
        #expect(briefs(bad.findings) == [Brief(.missingLabel, row: 1, field: 9), Brief(.typeError, row: 2, field: 9)])
        #expect(bad.findings.last?.fieldName == "sessions_offered")
    }

    /// A missing required column is one error, not one per row.
    @Test func missingRequiredColumn() throws {
        let validator = try validate(
            "person_id,status,joined,score,email,code\n1,active,2026-04-01,5,a@b.org,AB1\n2,paused,2026-04-02,6,c@d.org,CD2\n",
            schema: peopleSchema)
        #expect(briefs(validator.findings) == [Brief(.missingLabel, row: 1)])
        let finding = try #require(validator.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.fieldName == "name")
        #expect(finding.fieldNumber == nil)
        #expect(
            finding.message
                == "The header has no \"name\" column, which the people table needs. Add the column (Full name) and fill it in for every row."
        )
    }

    /// A missing optional column is a warning.
    @Test func missingOptionalColumn() throws {
        let validator = try validate("person_id,name,status,joined,score,email\n1,Ann,active,2026-04-01,5,a@b.org\n", schema: peopleSchema)
        #expect(validator.findings.count == 1)
        #expect(validator.findings.first?.code == .missingLabel)
        #expect(validator.findings.first?.severity == .warning)
        #expect(
            validator.findings.first?.message
                == "The header has no \"code\" column. It is optional, but add it if you have the information (code).")
    }

    /// A primary-key column is required even without `required: true`.
    @Test func missingPrimaryKeyColumnIsAnError() throws {
        let validator = try validate("name,status,joined,score,email,code\nAnn,active,2026-04-01,5,a@b.org,AB1\n", schema: peopleSchema)
        #expect(validator.findings.map(\.severity) == [.error])
        #expect(validator.findings.first?.fieldName == "person_id")
    }

    @Test func duplicateLabel() throws {
        let validator = try validate(
            "person_id,name,Name,status,joined,score,email,code\n1,Ann,this column is ignored,active,2026-04-01,5,a@b.org,AB1\n",
            schema: peopleSchema)
        #expect(briefs(validator.findings) == [Brief(.duplicateLabel, row: 1, field: 3)])
        let finding = try #require(validator.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.fieldName == "Name")
        #expect(
            finding.message
                == "Column 3 is headed \"Name\", like column 2. Remove one of the two columns or give it its right name; column 3 was ignored."
        )
    }

    @Test func blankLabel() throws {
        let validator = try validate(
            "person_id,name,,status,joined,score,email,code\n1,Ann,ignored,active,2026-04-01,5,a@b.org,AB1\n", schema: peopleSchema)
        #expect(briefs(validator.findings) == [Brief(.blankLabel, row: 1, field: 3)])
        #expect(validator.findings.first?.severity == .warning)
        #expect(
            validator.findings.first?.message
                == "Column 3 has no name in the header row, so its values were ignored. Give it the right column name or delete the column."
        )
    }

    @Test func extraLabel() throws {
        let validator = try validate(
            "person_id,name,status,joined,score,email,code,notes\n1,Ann,active,2026-04-01,5,a@b.org,AB1,anything\n",
            schema: peopleSchema)
        #expect(briefs(validator.findings) == [Brief(.extraLabel, row: 1, field: 8)])
        let finding = try #require(validator.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.fieldName == "notes")
        #expect(
            finding.message
                == "Column 8 \"notes\" is not part of the people table and will be ignored. The columns are: person_id, name, status, joined, score, email, code."
        )
    }

    /// Two fields equally close to an unknown label: no guess, a hint naming both.
    @Test func ambiguousNearMiss() throws {
        let schema = try makeSchema(#"{"name": "t", "fields": [{"name": "score_1"}, {"name": "score_2"}]}"#)
        let validator = TableValidator(schema: schema)
        validator.checkHeader(["score_3"])
        #expect(validator.findings.map(\.code) == [.extraLabel, .missingLabel, .missingLabel])
        #expect(
            validator.findings.first?.message
                == "Column 1 \"score_3\" is not part of the t table and will be ignored (did you mean \"score_1\" or \"score_2\"?). The columns are: score_1, score_2."
        )
    }

    /// Without an explicit header, the first row checked is taken as the header.
    @Test func firstRowIsHeaderWhenNoneGiven() throws {
        let validator = TableValidator(schema: peopleSchema)
        validator.checkRow(CSVRecord(rowNumber: 1, cells: peopleHeader.components(separatedBy: ",")), rowNumber: 1)
        validator.checkRow(CSVRecord(rowNumber: 2, cells: ["x", "Ann", "active", "", "", "", ""]), rowNumber: 2)
        #expect(briefs(validator.findings) == [Brief(.typeError, row: 2, field: 1)])
        #expect(validator.rowCount == 1)
    }
}

/// Row structure: missing and extra cells, blank rows.
@Suite("TableValidator: rows")
struct TableValidatorRowTests {
    @Test func missingCells() throws {
        let found = try people("1,Ann,active,2026-04-01,5")
        #expect(briefs(found) == [Brief(.missingCell, row: 2, field: 6), Brief(.missingCell, row: 2, field: 7)])
        #expect(found.map(\.fieldName) == ["email", "code"])
        #expect(
            found.first?.message
                == "Row 2 stops after column 5: it has no cell for column 6 (email). Check for a missing comma or a value that spilled into the next row."
        )
    }

    /// Missing cells of required fields are reported as missing cells only, not also as empty.
    @Test func missingRequiredCellIsOneFinding() throws {
        let found = try people("1")
        #expect(briefs(found) == (2...7).map { Brief(.missingCell, row: 2, field: $0) })
    }

    @Test func extraCells() throws {
        let found = try people("1,Ann,active,2026-04-01,5,a@b.org,AB1,surplus,,also")
        #expect(briefs(found) == [Brief(.extraCell, row: 2, field: 8), Brief(.extraCell, row: 2, field: 10)])
        #expect(found.map(\.cell) == ["surplus", "also"])
        #expect(
            found.first?.message
                == "Row 2 has a value in column 8, beyond the last named column (7): \"surplus\". Move it to the right column or delete it."
        )
        // Empty trailing cells (a trailing comma) are not extra values.
        #expect(try people("1,Ann,active,2026-04-01,5,a@b.org,AB1,,").isEmpty)
    }

    /// Blank rows in the middle are warnings at their own row; trailing blank rows are nothing.
    @Test func blankRows() throws {
        let validator = try validate(
            peopleHeader + "\r\n\r\n1,Ann,active,,,,\r\n,,,,,,\r\n\r\n2,Bob,active,,,,\r\n\r\n,,\r\n\r\n", schema: peopleSchema)
        #expect(briefs(validator.findings) == [Brief(.blankRow, row: 2), Brief(.blankRow, row: 4), Brief(.blankRow, row: 5)])
        #expect(validator.findings.allSatisfy { $0.severity == .warning })
        #expect(validator.findings.first?.message == "Row 2 is empty. Delete the empty row (it was skipped).")
        #expect(validator.rowCount == 2)
        #expect(validator.validRowCount == 2)
    }

    /// Cells are trimmed before checking; missing values (here "" and "N/A") are blank.
    @Test func trimmingAndMissingValues() throws {
        #expect(try people("  1 , Ann ,active , 2026-04-01,5,N/A,").isEmpty)
        let found = try people("2,N/A,,,,,")
        #expect(briefs(found) == [Brief(.constraintError, row: 2, field: 2)])
        #expect(found.first?.rule == "required")
        #expect(found.first?.message == "Row 2, column name: a value is required but the cell is empty. Fill it in (for example Ann Lee).")
    }

    /// A field's own missing values replace the schema's.
    @Test func fieldMissingValues() throws {
        let schema = try makeSchema(
            #"{"missingValues": ["", "-"], "fields": [{"name": "a", "type": "integer", "missingValues": ["none"]}, {"name": "b", "type": "integer"}]}"#
        )
        let validator = try validate("a,b\nnone,-\n-,none\n", schema: schema)
        #expect(briefs(validator.findings) == [Brief(.typeError, row: 3, field: 1), Brief(.typeError, row: 3, field: 2)])
    }

    /// `onRow` sees every non-blank data row with typed values and its validity.
    @Test func onRowCallback() throws {
        let validator = TableValidator(schema: peopleSchema)
        var seen: [(Int, [CellValue], Bool)] = []
        validator.onRow = { seen.append(($0, Array($1), $2)) }
        try feed(Array((peopleHeader + "\n1,Ann,active,05/04/2026,2.5,,\n\nx,Bob,,,,,\n").utf8), to: validator)
        #expect(seen.map(\.0) == [2, 4])
        #expect(seen.map(\.2) == [true, false])
        #expect(seen.first?.1 == [.integer(1), textValue("Ann"), textValue("active"), .date(day(2026, 4, 5)), .number(2.5), .null, .null])
        #expect(seen.last?.1.first == .null)
    }

    /// A value repeated row after row is checked once and remembered (its bytes copied, since the reader's
    /// buffer moves on): rows keep their own values, rules and keys see them, and a column whose values keep
    /// changing stops being remembered without changing any result. Small read chunks move the buffer often.
    @Test func remembersRepeatedValues() throws {
        let schema = try makeSchema(
            #"{"fields": [{"name": "pad", "type": "string"}, {"name": "code", "type": "string"}, {"name": "long", "type": "string"},"#
                + #" {"name": "day", "type": "date"}, {"name": "n", "type": "integer"}],"#
                + #" "primaryKey": ["code", "long", "n"],"#
                + #" "rules": [{"name": "no-zz", "assert": "code != \"ZZ\"", "message": "code {code} on {day}"}]}"#)
        let long = String(repeating: "long-value-", count: 4)
        var lines = ["pad,code,long,day,n"]
        var expected: [(pad: String, code: String, day: Int32, n: Int)] = []
        for index in 0..<300 {
            let code = index < 100 ? "AB" : index < 200 ? ["C1", "C22", "C333"][index % 3] : "ZZ"
            // Rows 150 and 250 repeat the key of the row before them.
            let n = index == 150 || index == 250 ? index - 1 : index
            let (month, dayOfMonth) = index < 250 ? (4, 5) : (5, index % 9 + 1)
            // A pad of changing length moves the later cells within the reader's buffer.
            let pad = String(repeating: "p", count: index % 7 + 1)
            lines.append("\(pad),\(code),\(long),2026-0\(month)-0\(dayOfMonth),\(n)")
            expected.append((pad, code, day(2026, month, dayOfMonth), n))
        }
        var seen: [[CellValue]] = []
        let validator = TableValidator(schema: schema)
        validator.onRow = { _, values, _ in seen.append(Array(values)) }
        try feed(Array((lines.joined(separator: "\n") + "\n").utf8), to: validator, chunkSize: 7)
        #expect(seen.count == 300)
        for (values, row) in zip(seen, expected) {
            #expect(values == [textValue(row.pad), textValue(row.code), textValue(long), .date(row.day), .integer(Int64(row.n))])
        }
        let keys = validator.findings.filter { $0.code == .primaryKey }.map(\.rowNumber)
        // Row 152 repeats row 151's n, but not its code; row 252 repeats row 251's whole key.
        #expect(keys == [252])
        let rules = validator.findings.filter { $0.code == .ruleViolation }
        #expect(rules.count == 100)
        #expect(rules.first?.message == "Row 202: code ZZ on 2026-04-05")
        #expect(rules.last?.message == "Row 301: code ZZ on 2026-05-03")
    }
}

/// Type errors and constraint errors, with their messages.
@Suite("TableValidator: cells")
struct TableValidatorCellTests {
    /// The golden message: a type error read through the CSV reader at spreadsheet row 14.
    @Test(arguments: [16, 17, 64, 65_536])
    func typeErrorMessage(_ chunkSize: Int) throws {
        let schema = try repositorySchema("support")
        var lines = [schema.fields.prefix(12).map(\.name).joined(separator: ",")]
        for index in 2...13 { lines.append("P001,2026-Q2,PERS-\(1000 + index),counselling,active,15/04/2026,,,12,10,\"£1,000\",") }
        lines.append("P001,2026-Q2,PERS-2000,counselling,active,2026-04-15,,,twelve,10,,")
        let validator = try validate(lines.joined(separator: "\r\n") + "\r\n\r\n", schema: schema, chunkSize: chunkSize)
        #expect(validator.findings.count == 1)
        let finding = try #require(validator.findings.first)
        #expect(finding.message == "Row 14, column sessions_offered: expected a whole number, found \"twelve\".")
        #expect(finding.code == .typeError)
        #expect(finding.severity == .error)
        #expect(finding.rowNumber == 14)
        #expect(finding.fieldName == "sessions_offered")
        #expect(finding.fieldNumber == 9)
        #expect(finding.cell == "twelve")
        #expect(validator.rowCount == 13)
        #expect(validator.validRowCount == 12)
    }

    @Test(arguments: [
        ("x,Ann,,,,,", 1, "Row 2, column person_id: expected a whole number, found \"x\"."),
        ("99999999999999999999,Ann,,,,,", 1, "Row 2, column person_id: \"99999999999999999999\" is too large a number. Check the value."),
        ("1,Ann,,15th April,,,", 4, "Row 2, column joined: expected a date like 2026-07-15 or 15/07/2026, found \"15th April\"."),
        ("1,Ann,,31/02/2026,,,", 4, "Row 2, column joined: \"31/02/2026\" is not a real date: check the day and the month."),
        ("1,Ann,,,lots,,", 5, "Row 2, column score: expected a number such as 1200.50, found \"lots\"."),
        ("1,Ann,,,,ann at example.org,", 6, "Row 2, column email: \"ann at example.org\" is not a valid email."),
    ])
    func typeErrorMessages(_ row: String, _ field: Int, _ message: String) throws {
        let found = try people(row)
        #expect(found.count == 1)
        #expect(found.first?.code == .typeError)
        #expect(found.first?.fieldNumber == field)
        #expect(found.first?.message == message)
    }

    @Test func typeErrorMessagesOfOtherTypes() throws {
        let schema = try makeSchema(
            #"""
            {"fields": [
              {"name": "amount", "type": "number", "bareNumber": false, "groupChar": ","},
              {"name": "consent", "type": "boolean", "trueValues": ["Yes"], "falseValues": ["No"]},
              {"name": "at", "type": "datetime"}, {"name": "y", "type": "year"},
              {"name": "ids", "type": "list", "itemType": "integer", "delimiter": ";"}]}
            """#)
        let validator = try validate("amount,consent,at,y,ids\nlots,Maybe,soon,26,1;x\n", schema: schema)
        #expect(
            validator.findings.map(\.message) == [
                "Row 2, column amount: expected an amount such as 1200.50, 1,200.50 or £1,200.50, found \"lots\".",
                "Row 2, column consent: expected Yes or No, found \"Maybe\".",
                "Row 2, column at: expected a date and time like 2026-07-15T14:30:00Z, found \"soon\".",
                "Row 2, column y: expected a four-digit year like 2026, found \"26\".",
                "Row 2, column ids: \"x\" in the list is not a valid integer.",
            ])
    }

    /// An enum miss that differs only in case or spaces suggests the right spelling.
    @Test(arguments: [
        ("Active", "Row 2, column status: expected one of active, paused, group_support, found \"Active\". Did you mean \"active\"?"),
        (
            "group support",
            "Row 2, column status: expected one of active, paused, group_support, found \"group support\". Did you mean \"group_support\"?"
        ),
        (
            "GROUP-SUPPORT",
            "Row 2, column status: expected one of active, paused, group_support, found \"GROUP-SUPPORT\". Did you mean \"group_support\"?"
        ),
        ("closed", "Row 2, column status: expected one of active, paused, group_support, found \"closed\"."),
    ])
    func enumMessages(_ value: String, _ message: String) throws {
        let found = try people("1,Ann,\(value),,,,")
        #expect(briefs(found) == [Brief(.constraintError, row: 2, field: 3)])
        #expect(found.first?.rule == "enum")
        #expect(found.first?.cell == value)
        #expect(found.first?.message == message)
    }

    /// Enum values of typed fields compare as values ("02" is 2).
    @Test func typedEnum() throws {
        let schema = try makeSchema(#"{"fields": [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}]}"#)
        let validator = try validate("n\n02\n3\n", schema: schema)
        #expect(briefs(validator.findings) == [Brief(.constraintError, row: 3, field: 1)])
    }

    @Test(arguments: [
        ("1,Ann,,,0.5,,", 5, "minimum", "Row 2, column score: must be at least 1, found \"0.5\"."),
        ("1,Ann,,,10.5,,", 5, "maximum", "Row 2, column score: must be at most 10, found \"10.5\"."),
        ("1,Ann,,31/12/2019,,,", 4, "minimum", "Row 2, column joined: must be at least 2020-01-01, found \"31/12/2019\"."),
        ("1,Ann,,2027-01-01,,,", 4, "maximum", "Row 2, column joined: must be at most 2026-12-31, found \"2027-01-01\"."),
        ("1,é,,,,,", 2, "minLength", "Row 2, column name: is too short: at least 2 characters are needed, found 1."),
        ("1,Zoë Lee,,,,,", 2, "maxLength", "Row 2, column name: is too long: at most 5 characters are allowed, found 7. Shorten it."),
        ("1,Ann,,,,,ab1", 7, "pattern", "Row 2, column code: \"ab1\" is not in the form this column needs: write it like AB1."),
    ])
    func constraintMessages(_ row: String, _ field: Int, _ rule: String, _ message: String) throws {
        let found = try people(row)
        #expect(briefs(found) == [Brief(.constraintError, row: 2, field: field)])
        #expect(found.first?.rule == rule)
        #expect(found.first?.message == message)
    }

    /// Bounds are inclusive, and lengths count characters, not bytes.
    @Test func constraintBoundaries() throws {
        #expect(try people("1,Zé,,2020-01-01,1,,AB1").isEmpty)
        #expect(try people("2,Zoëé€,,31/12/2026,10,,ZZ9").isEmpty)
    }

    /// List lengths count items.
    @Test func listLength() throws {
        let schema = try repositorySchema("partners")
        let validator = try validate(
            "partner_id,name,region,funder_ids,active_from,active_to\nP001,Hope,North,;,2025-01-01,\n", schema: schema)
        #expect(validator.findings.map(\.message) == ["Row 2, column funder_ids: is too short: at least 1 items are needed, found 0."])
    }

    @Test func uniqueConstraint() throws {
        let found = try people("1,Ann,,,,a@b.org,", "2,Bob,,,,c@d.org,", "3,Cy,,,,a@b.org,", "4,Di,,,,,", "5,Ed,,,,,")
        #expect(briefs(found) == [Brief(.uniqueError, row: 4, field: 6)])
        #expect(found.first?.message == "Row 4, column email: \"a@b.org\" is already used at row 2; each email must be different.")
    }
}

/// Primary and foreign keys.
@Suite("TableValidator: keys")
struct TableValidatorKeyTests {
    /// A repeated key is reported once, on the later row, naming the first; keys compare as typed
    /// values, so 01 repeats 1.
    @Test func primaryKeyDuplicate() throws {
        let found = try people("1,Ann,,,,,", "2,Bob,,,,,", "01,Cy,,,,,", "1,Di,,,,,")
        #expect(briefs(found) == [Brief(.primaryKey, row: 4, field: 1), Brief(.primaryKey, row: 5, field: 1)])
        #expect(
            found.first?.message
                == "Row 4: person_id \"01\" is already used at row 2. Each row needs its own person_id; merge or correct the two rows.")
        #expect(found.first?.cell == "01")
    }

    @Test func compositePrimaryKey() throws {
        let schema = try repositorySchema("support")
        let header = schema.fields.prefix(12).map(\.name).joined(separator: ",")
        let row = "P001,2026-Q2,K7QM-2041,counselling,active,2026-04-15,,,12,10,,"
        let validator = try validate(
            [
                header, row,
                row.replacingOccurrences(of: "2026-Q2", with: "2026-Q1").replacingOccurrences(of: "2026-04-15", with: "2026-01-15"), row,
            ]
            .joined(separator: "\n"),
            schema: schema)
        #expect(briefs(validator.findings) == [Brief(.primaryKey, row: 4, field: 3)])
        #expect(
            validator.findings.first?.message
                == "Row 4: (partner_id, quarter, person_ref) = (P001, 2026-Q2, K7QM-2041) is already used at row 2. Each row needs its own partner_id + quarter + person_ref; merge or correct the two rows."
        )
        #expect(validator.primaryKeyRows.count == 2)
        #expect(validator.keys(over: ["partner_id", "quarter", "person_ref"])?.count == 2)
        #expect(validator.keys(over: ["partner_id"]) == nil)
    }

    /// A single-field foreign key with the schema's own message.
    @Test func singleFieldForeignKey() throws {
        let schema = try repositorySchema("support")
        var references = KeyIndex()
        references.add(resource: "partners", fields: ["partner_id"], keys: [KeyHash("P001"), KeyHash("P002")])
        let header = schema.fields.prefix(12).map(\.name).joined(separator: ",")
        let validator = try validate(
            header
                + "\nP001,2026-Q2,PERS-1,counselling,active,2026-04-15,,,12,10,,\nP009,2026-Q2,PERS-2,counselling,active,2026-04-15,,,12,10,,\n",
            schema: schema, references: references)
        #expect(briefs(validator.findings) == [Brief(.foreignKey, row: 3, field: 1)])
        #expect(validator.findings.first?.cell == "P009")
        #expect(
            validator.findings.first?.message
                == "Row 3: partner_id P009 is not a partner of the programme. Use your partner ID as the alliance gave it (for example P001)."
        )
        #expect(validator.notes.isEmpty)
    }

    /// A reference table that was not given: nothing is checked, and a note says so.
    @Test func referenceTableNotGiven() throws {
        let schema = try repositorySchema("support")
        let validator = try validate(
            schema.fields.prefix(12).map(\.name).joined(separator: ",") + "\nP009,2026-Q2,PERS-2,counselling,active,2026-04-15,,,12,10,,\n",
            schema: schema)
        #expect(validator.findings.isEmpty)
        #expect(validator.notes == ["partner_id not checked against partners: that table was not given."])
    }

    /// A declared but empty reference table makes every reference fail.
    @Test func declaredEmptyReferenceTable() throws {
        let schema = try repositorySchema("support")
        var references = KeyIndex()
        references.declare(resource: "partners", fields: ["partner_id"])
        #expect(references.keys(resource: "partners", fields: ["partner_id"]) == [])
        #expect(references.keys(resource: "partners", fields: ["name"]) == nil)
        let validator = try validate(
            schema.fields.prefix(12).map(\.name).joined(separator: ",") + "\nP001,2026-Q2,PERS-2,counselling,active,2026-04-15,,,12,10,,\n",
            schema: schema, references: references)
        #expect(briefs(validator.findings) == [Brief(.foreignKey, row: 2, field: 1)])
    }

    /// Multi-field key: outcomes rows must name a person in the same return's support table,
    /// whose keys come from validating that table.
    @Test func multiFieldForeignKey() throws {
        let support = try repositorySchema("support")
        let supportRun = try validate(
            support.fields.prefix(12).map(\.name).joined(separator: ",")
                + "\nP001,2026-Q2,PERS-1,counselling,active,2026-04-15,,,12,10,,\nP001,2026-Q2,PERS-2,education,active,2026-04-15,,,3,3,,\n",
            schema: support)
        #expect(supportRun.findings.isEmpty)
        let supportFields = ["partner_id", "quarter", "person_ref"]
        var references = KeyIndex()
        references.add(resource: "support", fields: supportFields, keys: try #require(supportRun.keys(over: supportFields)))
        references.add(resource: "partners", fields: ["partner_id"], keys: [KeyHash("P001")])
        references.add(resource: "outcome-goals", fields: ["outcome_id"], keys: [KeyHash("OG01"), KeyHash("OG02")])
        let outcomes = try repositorySchema("outcomes")
        let validator = try validate(
            "partner_id,quarter,person_ref,outcome_id,baseline_score,current_score\n"
                + "P001,2026-Q2,PERS-1,OG01,3,5\nP001,2026-Q2,PERS-3,OG01,3,5\nP001,2026-Q1,PERS-2,OG02,3,5\nP001,2026-Q2,PERS-2,OG07,4,4\n",
            schema: outcomes, references: references)
        #expect(
            briefs(validator.findings) == [
                Brief(.foreignKey, row: 3, field: 3), Brief(.foreignKey, row: 4, field: 3), Brief(.foreignKey, row: 5, field: 4),
            ])
        #expect(
            validator.findings.first?.message
                == "Row 3: person_ref PERS-3 has outcomes but no row in the support table of the same return (P001, 2026-Q2). Add the person to the support table, or correct the reference."
        )
        #expect(
            validator.findings.last?.message
                == "Row 5: outcome_id OG07 is not one of the programme's outcome goals. Use an ID from the list of outcome goals (reference/outcomes.csv)."
        )
    }

    /// Without a message template, a multi-field miss names the fields and values.
    @Test func multiFieldForeignKeyDefaultMessage() throws {
        let schema = try makeSchema(
            #"{"name": "visits", "fields": [{"name": "a", "type": "integer"}, {"name": "b"}], "foreignKeys": [{"fields": ["a", "b"], "reference": {"resource": "pairs", "fields": ["x", "y"]}}]}"#
        )
        var references = KeyIndex()
        references.add(resource: "pairs", fields: ["x", "y"], keys: [KeyHash(parts: [Array("1".utf8)[...], Array("A".utf8)[...]])])
        let validator = try validate("a,b\n1,A\n01,A\n1,B\n,B\n", schema: schema, references: references)
        #expect(briefs(validator.findings) == [Brief(.foreignKey, row: 4, field: 2)])
        #expect(validator.findings.first?.message == "Row 4: (a, b) = (1, B) has no matching row in the pairs table.")
    }

    /// List items are looked up one by one; only the missing item is reported.
    @Test func listItemForeignKey() throws {
        var references = KeyIndex()
        references.add(resource: "funders", fields: ["funder_id"], keys: [KeyHash("F01"), KeyHash("F02")])
        let validator = try validate(
            "partner_id,name,region,funder_ids,active_from,active_to\nP001,Hope,North,F01; F02,2025-01-01,\nP002,Light,South,F02;F03;F04,01/01/2025,\n",
            schema: try repositorySchema("partners"), references: references)
        #expect(briefs(validator.findings) == [Brief(.foreignKey, row: 3, field: 4), Brief(.foreignKey, row: 3, field: 4)])
        #expect(validator.findings.map(\.cell) == ["F03", "F04"])
        #expect(validator.findings.first?.message == "Row 3: funder ID F03 is not in the funders table (reference/funders.csv).")
    }

    /// A foreign key into the same table is resolved at the end, so forward references are fine.
    @Test func selfReferencingForeignKey() throws {
        let schema = try makeSchema(
            #"{"name": "people", "primaryKey": "id", "fields": [{"name": "id", "type": "integer"}, {"name": "manager", "type": "integer"}], "foreignKeys": [{"fields": "manager", "reference": {"resource": "", "fields": "id"}}]}"#
        )
        let validator = TableValidator(schema: schema)
        validator.checkHeader(["id", "manager"])
        let rows = [["1", ""], ["2", "3"], ["3", "1"], ["4", "9"], ["5", "5"]]
        for (index, cells) in rows.enumerated() {
            validator.checkRow(CSVRecord(rowNumber: index + 2, cells: cells), rowNumber: index + 2)
        }
        #expect(validator.findings.isEmpty)  // not decided before the table ends
        validator.finish()
        #expect(briefs(validator.findings) == [Brief(.foreignKey, row: 5, field: 2)])
        #expect(
            validator.findings.first?.message == "Row 5, column manager: \"9\" is not in the people table (id). Use a value listed there.")
    }

    @Test func keysOfAUniqueField() throws {
        let validator = try validate(peopleHeader + "\n1,Ann,,,,a@b.org,\n2,Bob,,,,c@d.org,\n", schema: peopleSchema)
        #expect(validator.keys(over: ["email"]) == [KeyHash("a@b.org"), KeyHash("c@d.org")])
        #expect(validator.keys(over: ["person_id"]) == [KeyHash("1"), KeyHash("2")])
        #expect(validator.keys(over: ["name"]) == nil)
    }

    /// Key fingerprints separate parts, so ("ab", "c") and ("a", "bc") differ.
    @Test func keyHashParts() {
        let ab = Array("ab".utf8)[...]
        let c = Array("c".utf8)[...]
        let a = Array("a".utf8)[...]
        let bc = Array("bc".utf8)[...]
        #expect(KeyHash(parts: [ab, c]) != KeyHash(parts: [a, bc]))
        #expect(KeyHash(parts: [ab]) == KeyHash("ab"))
        #expect(KeyHash("ab") == KeyHash(ab))
        #expect(KeyHash("ab") != KeyHash("ba"))
    }
}

/// Findings ordering.
@Suite("Finding")
struct FindingTests {
    @Test func sortedByPositionIsStable() {
        let findings = [
            Finding(.error, .typeError, rowNumber: 3, fieldNumber: 2, message: "a"),
            Finding(.warning, .blankLabel, rowNumber: 1, fieldNumber: 4, message: "b"),
            Finding(.error, .ruleViolation, rowNumber: 3, fieldNumber: 2, message: "c"),
            Finding(.error, .missingLabel, rowNumber: 1, message: "d"),
            Finding(.error, .sourceError, message: "e"),
        ]
        #expect(Finding.sortedByPosition(findings).map(\.message) == ["e", "d", "b", "a", "c"])
        #expect(Severity.error < Severity.warning)
        #expect(FindingCode.allCases.count == 17)
        #expect(FindingCode.ruleViolation.rawValue == "rule-violation")
    }

    @Test func quotedShortensLongValues() {
        #expect(quoted("abc") == "\"abc\"")
        let long = String(repeating: "x", count: 70)
        #expect(quoted(long) == "\"\(String(repeating: "x", count: 60))…\" (70 characters)")
    }
}
