import Dates
import Foundation
import TableSchema
import Testing

/// The rule expression language on its own: parsing, three-valued evaluation, functions.
@Suite("RuleExpression")
struct RuleExpressionTests {
    static let schema: Schema = {
        let json = """
            {"name": "t", "fields": [
              {"name": "a", "type": "integer"}, {"name": "b", "type": "integer"},
              {"name": "s"}, {"name": "d", "type": "date"}, {"name": "e", "type": "date"},
              {"name": "q"}, {"name": "flag", "type": "boolean"}, {"name": "x", "type": "number"}],
             "parameters": {"limit": {"default": 1000}, "quarter": {}, "label": {"default": "abc"}, "on": {"default": true}}}
            """
        return try! Schema(json: Data(json.utf8), source: "rules-test")
    }()

    /// Row values by field name (others blank).
    private func values(_ given: [String: CellValue]) -> [CellValue] {
        Self.schema.fields.map { given[$0.name] ?? .null }
    }

    private func evaluate(
        _ source: String, _ given: [String: CellValue] = [:], parameters: [String: RuleValue] = [:]
    ) throws -> Bool? {
        let expression = try RuleExpression(source, schema: Self.schema)
        return expression.evaluate(values: values(given), parameters: parameters)
    }

    @Test(
        arguments: [
            ("a <= b", ["a": CellValue.integer(1), "b": .integer(2)], true as Bool?),
            ("a <= b", ["a": .integer(3), "b": .integer(2)], false),
            ("a < b", ["a": .integer(2), "b": .integer(2)], false),
            ("a >= b", ["a": .integer(2), "b": .integer(2)], true),
            ("a > b", ["a": .integer(3), "b": .integer(2)], true),
            ("a = b", ["a": .integer(2), "b": .integer(2)], true),
            ("a == b", ["a": .integer(2), "b": .integer(3)], false),
            ("a != b", ["a": .integer(2), "b": .integer(3)], true),
            ("a <> b", ["a": .integer(2), "b": .integer(2)], false),
            ("a = 2.0", ["a": .integer(2)], true),
            ("x > -5", ["x": .number(-4.5)], true),
            ("s = \"ended\"", ["s": textValue("ended")], true),
            ("s = 'ended'", ["s": textValue("Ended")], false),
            ("lower(s) = 'ended'", ["s": textValue("Ended")], true),
            ("length(s) = 4", ["s": textValue("Zoë!")], true),
            ("s < 'b'", ["s": textValue("a")], true),
            ("flag", ["flag": .boolean(true)], true),
            ("not flag", ["flag": .boolean(true)], false),
            ("flag = true", ["flag": .boolean(false)], false),
            ("d <= e", ["d": .date(day(2026, 4, 1)), "e": .date(day(2026, 4, 2))], true),
            ("d >= '2026-04-02'", ["d": .date(day(2026, 4, 1))], false),
            ("'2026-04-01' = d", ["d": .date(day(2026, 4, 1))], true),
            ("d = date('2026-04-01')", ["d": .date(day(2026, 4, 1))], true),
            ("d <= quarter_end(q)", ["d": .date(day(2026, 6, 30)), "q": textValue("2026-Q2")], true),
            ("d <= quarter_end(q)", ["d": .date(day(2026, 7, 1)), "q": textValue("2026-Q2")], false),
            ("d >= quarter_start(q)", ["d": .date(day(2026, 3, 31)), "q": textValue("2026-Q2")], false),
            ("d >= quarter_start(q)", ["d": .date(day(2026, 4, 1)), "q": textValue("2026-Q2")], true),
            ("quarter_end('2024-Q1') = date('2024-03-31')", [:], true),
            ("quarter_end('2026-Q4') = date('2026-12-31')", [:], true),
            ("s is blank", [:], true),
            ("s is not blank", [:], false),
            ("s is not blank", ["s": textValue("x")], true),
            ("a > 1 and b > 1", ["a": .integer(2), "b": .integer(2)], true),
            ("a > 1 or b > 1", ["a": .integer(0), "b": .integer(0)], false),
            ("a > 1 or b > 1 and a > 5", ["a": .integer(2), "b": .integer(2)], true),  // and binds tighter
            ("(a > 1 or b > 1) and a > 5", ["a": .integer(2), "b": .integer(2)], false),
            ("not (a > 1)", ["a": .integer(0)], true),
        ] as [(String, [String: CellValue], Bool?)])
    func evaluates(_ source: String, _ given: [String: CellValue], _ expected: Bool?) throws {
        #expect(try evaluate(source, given) == expected)
    }

    /// Three-valued logic: a blank or incomparable operand makes a comparison unknown, and unknown
    /// combines as in SQL.
    @Test(
        arguments: [
            ("a <= b", ["b": CellValue.integer(2)], nil as Bool?),
            ("a <= b", [:], nil),
            ("a = blank", ["a": .integer(1)], nil),
            ("s = 1", ["s": textValue("1")], nil),  // text against number: incomparable
            ("d <= quarter_end(q)", ["d": .date(day(2026, 7, 1)), "q": textValue("2026-Q5")], nil),
            ("d <= quarter_end(q)", ["d": .date(day(2026, 7, 1))], nil),
            ("a > 1 and b > 1", ["a": .integer(2)], nil),
            ("a > 1 and b > 1", ["a": .integer(0)], false),  // false and unknown = false
            ("a > 1 or b > 1", ["a": .integer(2)], true),  // true or unknown = true
            ("a > 1 or b > 1", ["a": .integer(0)], nil),
            ("not (a > 1)", [:], nil),
            ("flag", [:], nil),
            ("d = date('2026-02-30')", ["d": .date(day(2026, 3, 2))], nil),
        ] as [(String, [String: CellValue], Bool?)])
    func threeValuedLogic(_ source: String, _ given: [String: CellValue], _ expected: Bool?) throws {
        #expect(try evaluate(source, given) == expected)
    }

    @Test func parameters() throws {
        #expect(try evaluate("x > $limit", ["x": .number(1500)], parameters: ["limit": .number(1000)]) == true)
        #expect(try evaluate("x > $limit", ["x": .number(1500)], parameters: ["limit": .number(2000)]) == false)
        // The expression itself does not apply defaults: a parameter not passed is blank.
        #expect(try evaluate("x > $limit", ["x": .number(1500)]) == nil)
        #expect(try evaluate("$quarter is blank") == true)
        #expect(try evaluate("q = $quarter", ["q": textValue("2026-Q2")], parameters: ["quarter": .text("2026-Q2")]) == true)
        #expect(try evaluate("$on", parameters: ["on": .bool(true)]) == true)
    }

    @Test func fieldIndicesInOrderOfFirstUse() throws {
        let expression = try RuleExpression("b >= a and a > 0 or s is blank", schema: Self.schema)
        #expect(expression.fieldIndices == [1, 0, 2])
        #expect(expression.source == "b >= a and a > 0 or s is blank")
    }

    @Test(arguments: [
        ("a <=", "in \"a <=\" at character 5: expected a field, value or \"(\", found end of expression"),
        ("sessions <= 1", "in \"sessions <= 1\" at character 1: \"sessions\" is not a field of this schema"),
        (
            "foo(q) = 1",
            "in \"foo(q) = 1\" at character 5: unknown function \"foo\"; use one of date, length, lower, quarter_end, quarter_start"
        ),
        (
            "x > $nope",
            "in \"x > $nope\" at character 5: \"$nope\" is not a declared parameter of this schema (add it under \"parameters\")"
        ),
        ("s = 'open", "in \"s = 'open\" at character 5: the string is not closed"),
        ("a # b", "in \"a # b\" at character 3: unexpected \"#\""),
        ("s is null", "in \"s is null\" at character 6: expected \"blank\" after \"is\""),
        ("a = 1.2.3", "in \"a = 1.2.3\" at character 5: \"1.2.3\" is not a number"),
        ("(a = 1", "in \"(a = 1\" at character 7: expected \")\""),
        ("a = 1 b", "in \"a = 1 b\" at character 7: unexpected \"b\""),
        ("x > $", "in \"x > $\" at character 5: \"$\" must be followed by a parameter name"),
        ("lower(s = 'a'", "in \"lower(s = 'a'\" at character 14: expected \")\" after the argument of lower"),
        ("", "in \"\" at character 1: expected a field, value or \"(\", found end of expression"),
    ])
    func syntaxErrors(_ source: String, _ message: String) {
        #expect(throws: RuleSyntaxError.self) { try RuleExpression(source, schema: Self.schema) }
        do {
            _ = try RuleExpression(source, schema: Self.schema)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func quarters() throws {
        let quarter = try #require(Quarter("2026-Q2"))
        #expect(quarter.description == "2026-Q2")
        #expect(CivilDate(daysSinceEpoch: quarter.firstDay).iso == "2026-04-01")
        #expect(CivilDate(daysSinceEpoch: quarter.lastDay).iso == "2026-06-30")
        #expect(quarter.previous == Quarter(year: 2026, number: 1))
        #expect(Quarter(year: 2026, number: 1).previous == Quarter(year: 2025, number: 4))
        #expect(Quarter(year: 2026, number: 4).next == Quarter(year: 2027, number: 1))
        #expect(Quarter(year: 2025, number: 4) < quarter)
        for bad in ["2026-Q5", "2026-Q0", "26-Q2", "2026Q2", "2026-q2", "2026-Q12", ""] {
            #expect(Quarter(bad) == nil, "\(bad)")
        }
    }

    @Test func ruleValueDescriptions() {
        #expect(RuleValue.null.description == "blank")
        #expect(RuleValue.number(1000).description == "1000")
        #expect(RuleValue.number(1200.5).description == "1200.5")
        #expect(RuleValue.text("x").description == "x")
        #expect(RuleValue.bool(false).description == "false")
        #expect(RuleValue.date(Int(day(2026, 4, 5))).description == "2026-04-05")
    }
}

/// Every rule of the real support schema, triggered and not triggered, through the validator.
@Suite("Support schema rules")
struct SupportRuleTests {
    static let schema = try! repositorySchema("support")

    /// A valid row, by field name.
    static let base: [String: String] = [
        "partner_id": "P001", "quarter": "2026-Q2", "person_ref": "K7QM-2041", "support_type": "counselling",
        "support_status": "active", "start_date": "2026-04-15", "end_date": "", "ending_type": "",
        "sessions_offered": "12", "sessions_attended": "10", "discretionary_spend": "", "panel_approval_ref": "",
    ]

    /// Header plus one row per change set (each applied to the base row, with its own person_ref).
    static func csv(_ rows: [[String: String]]) -> String {
        let names = schema.fields.map(\.name)
        var lines = [names.joined(separator: ",")]
        for (index, changes) in rows.enumerated() {
            var row = base
            row["person_ref"] = "PERS-\(1000 + index)"
            row.merge(changes) { $1 }
            lines.append(
                names.map { name in
                    let value = row[name] ?? ""
                    return value.contains(",") ? "\"\(value)\"" : value
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private func findings(_ changes: [String: String], parameters: [String: RuleValue] = [:]) throws -> [Finding] {
        try validate(Self.csv([changes]), schema: Self.schema, parameters: parameters).findings
    }

    private func rules(_ findings: [Finding]) -> [String] {
        findings.filter { $0.code == .ruleViolation }.compactMap(\.rule)
    }

    @Test func schemaHasTheEightRules() {
        #expect(
            Self.schema.rules.map(\.name) == [
                "attended-within-offered", "ended-needs-end-date", "ended-needs-ending-type", "end-not-before-start",
                "start-within-quarter", "spend-above-limit-needs-panel", "quarter-matches-run", "ending-type-only-when-ended",
                "transition-to-only-for-transitions",
            ])
    }

    /// The base row and its variants that keep every rule are clean.
    @Test(
        arguments: [
            [:],
            ["sessions_attended": "12"],
            ["support_status": "ended", "end_date": "2026-06-30", "ending_type": "planned"],
            ["support_status": "ended", "end_date": "30/06/2026", "ending_type": "transition"],
            ["end_date": "2026-04-15"],
            ["start_date": "2026-06-30"],
            ["start_date": "01/01/2020"],
            ["discretionary_spend": "1000"],
            ["discretionary_spend": "£1,000.00"],
            ["discretionary_spend": "£1,200.50", "panel_approval_ref": "PA-20417"],
            ["discretionary_spend": "0"],
        ] as [[String: String]])
    func noViolation(_ changes: [String: String]) throws {
        let found = try findings(changes)
        #expect(found.isEmpty, "\(found.map(\.message))")
    }

    @Test func attendedWithinOffered() throws {
        let found = try findings(["sessions_attended": "13"])
        #expect(found.count == 1)
        let finding = try #require(found.first)
        #expect(finding.code == .ruleViolation)
        #expect(finding.severity == .error)
        #expect(finding.rule == "attended-within-offered")
        #expect(finding.rowNumber == 2)
        #expect(finding.fieldName == "sessions_attended")
        #expect(finding.fieldNumber == 10)
        #expect(finding.cell == "13")
        #expect(
            finding.message
                == "Row 2: sessions_attended (13) is more than sessions_offered (12): a person cannot attend more sessions than were offered. Check both numbers."
        )
    }

    /// A blank operand makes the rule unknown, not violated: only the required-cell error shows.
    @Test func blankOperandDoesNotViolate() throws {
        let found = try findings(["sessions_attended": ""])
        #expect(found.map(\.code) == [.constraintError])
        #expect(found.first?.rule == "required")
        let typeError = try findings(["sessions_offered": "twelve"])
        #expect(typeError.map(\.code) == [.typeError])
    }

    @Test func endedNeedsEndDateAndEndingType() throws {
        #expect(rules(try findings(["support_status": "ended", "ending_type": "planned"])) == ["ended-needs-end-date"])
        #expect(rules(try findings(["support_status": "ended", "end_date": "2026-06-01"])) == ["ended-needs-ending-type"])
        let both = try findings(["support_status": "ended"])
        #expect(rules(both) == ["ended-needs-end-date", "ended-needs-ending-type"])
        #expect(both[0].fieldName == "end_date")
        #expect(both[0].fieldNumber == 7)
        #expect(both[0].cell == "")
        #expect(both[0].message == "Row 2: The support is marked as ended but end_date is blank. Add the date the support ended.")
    }

    @Test func endNotBeforeStart() throws {
        let found = try findings(["end_date": "01/04/2026"])
        #expect(rules(found) == ["end-not-before-start"])
        #expect(found.first?.fieldName == "end_date")
        #expect(found.first?.message == "Row 2: end_date (01/04/2026) is before start_date (2026-04-15). Check both dates.")
    }

    @Test func startWithinQuarter() throws {
        let found = try findings(["start_date": "2026-07-01"])
        #expect(rules(found) == ["start-within-quarter"])
        #expect(
            found.first?.message
                == "Row 2: start_date (2026-07-01) is after the end of the quarter 2026-Q2. Only people supported during the quarter belong in its return."
        )
        // A malformed quarter is a pattern error; the rule cannot be decided and stays silent.
        let malformed = try findings(["quarter": "2026-Q5", "start_date": "2026-12-01"])
        #expect(malformed.map(\.code) == [.constraintError])
        #expect(malformed.first?.rule == "pattern")
    }

    @Test func spendAboveLimitNeedsPanel() throws {
        let found = try findings(["discretionary_spend": "£1,200.50"])
        #expect(rules(found) == ["spend-above-limit-needs-panel"])
        let finding = try #require(found.first)
        #expect(finding.fieldName == "panel_approval_ref")
        #expect(finding.fieldNumber == 12)
        #expect(
            finding.message
                == "Row 2: A discretionary spend of £1,200.50 is above the coordinator's limit of 1,000 and needs a panel_approval_ref (the panel's approval reference). Add it, or check the amount."
        )
    }

    /// `{field:money}` and `{$parameter:money}` write amounts in the `$currency` given, however the cell wrote it.
    @Test(arguments: [
        ("1500", "GBP", "of £1,500 is above the coordinator's limit of £1,000 "),
        ("GBP 1,200.5", "GBP", "of £1,200.50 is above the coordinator's limit of £1,000 "),
        ("1500", "EUR", "of €1,500 is above the coordinator's limit of €1,000 "),
        ("12345.678", "CHF", "of 12,345.68 CHF is above the coordinator's limit of 1,000 CHF "),
    ])
    func moneyInMessages(cell: String, currency: String, expected: String) throws {
        let found = try findings(["discretionary_spend": cell], parameters: ["currency": .text(currency)])
        #expect(found.first?.message.contains(expected) == true, "\(found.first?.message ?? "")")
    }

    /// `$coordinator_limit` defaults to 1000 and the caller's value overrides it.
    @Test func coordinatorLimitOverride() throws {
        #expect(try findings(["discretionary_spend": "1500"], parameters: ["coordinator_limit": .number(2000)]).isEmpty)
        let over = try findings(["discretionary_spend": "2500"], parameters: ["coordinator_limit": .number(2000)])
        #expect(rules(over) == ["spend-above-limit-needs-panel"])
        #expect(over.first?.message.contains("limit of 2,000 ") == true)
        // A null value does not wipe out the default.
        #expect(
            rules(try findings(["discretionary_spend": "1500"], parameters: ["coordinator_limit": .null])) == [
                "spend-above-limit-needs-panel"
            ])
    }

    /// `$quarter` is blank unless the run names a quarter; then every row must be for it.
    @Test func quarterMatchesRun() throws {
        let changes = ["quarter": "2026-Q1", "start_date": "2026-01-15"]
        #expect(try findings(changes).isEmpty)
        #expect(try findings(changes, parameters: ["quarter": .text("2026-Q1")]).isEmpty)
        let found = try findings(changes, parameters: ["quarter": .text("2026-Q2")])
        #expect(rules(found) == ["quarter-matches-run"])
        #expect(found.first?.fieldName == "quarter")
        #expect(
            found.first?.message
                == "Row 2: This row is for quarter 2026-Q1, but the return is being checked for 2026-Q2. Correct the quarter or send the row with the right return."
        )
    }

    @Test func endingTypeOnlyWhenEndedIsAWarning() throws {
        let found = try findings(["ending_type": "planned"])
        #expect(rules(found) == ["ending-type-only-when-ended"])
        #expect(found.first?.severity == .warning)
        #expect(
            found.first?.message
                == "Row 2: ending_type is planned but the support is active, not ended. Leave ending_type blank unless the support ended.")
    }

    /// Warnings do not make a row invalid; errors do.
    @Test func validRowCounting() throws {
        let validator = try validate(
            Self.csv([[:], ["ending_type": "planned"], ["sessions_attended": "99"]]), schema: Self.schema)
        #expect(validator.rowCount == 3)
        #expect(validator.validRowCount == 2)
    }
}
