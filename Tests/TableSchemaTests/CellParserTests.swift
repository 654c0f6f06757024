import Foundation
import TableSchema
import Testing

/// Cell parsing per Table Schema type, straight from bytes.
@Suite("CellParser")
struct CellParserTests {
    // MARK: integer

    static let integerField = #"{"name": "n", "type": "integer"}"#
    static let groupedIntegerField = #"{"name": "n", "type": "integer", "groupChar": ","}"#

    @Test(arguments: [
        ("0", Int64(0)), ("12", 12), ("+12", 12), ("-7", -7), ("007", 7),
        ("9223372036854775807", Int64.max), ("-9223372036854775807", -Int64.max),
    ])
    func integers(_ text: String, _ expected: Int64) throws {
        #expect(try parse(text, Self.integerField) == .value(.integer(expected)))
    }

    @Test(arguments: [
        ("twelve", TypeProblem.wrongType), ("1.0", .wrongType), ("0x10", .wrongType), ("1e3", .wrongType),
        ("", .wrongType), ("+", .wrongType), ("--1", .wrongType), ("1 000", .wrongType), ("1,200", .wrongType),
        ("12a", .wrongType), ("£12", .wrongType),
        ("9223372036854775808", .outOfRange), ("99999999999999999999", .outOfRange), ("-99999999999999999999", .outOfRange),
    ])
    func integerProblems(_ text: String, _ problem: TypeProblem) throws {
        #expect(try parse(text, Self.integerField) == .invalid(problem))
    }

    @Test(arguments: [
        ("1,200", ParseOutcome.value(.integer(1200))), ("-1,234,567", .value(.integer(-1_234_567))),
        ("1200", .value(.integer(1200))),
        (",200", .invalid(.wrongType)), ("1,,200", .invalid(.wrongType)), ("1,200,", .invalid(.wrongType)),
    ])
    func integerGroupChar(_ text: String, _ expected: ParseOutcome) throws {
        #expect(try parse(text, Self.groupedIntegerField) == expected)
    }

    /// `bareNumber: false` lets an integer carry a currency symbol or a percent sign.
    @Test func integerNotBare() throws {
        let field = #"{"name": "n", "type": "integer", "bareNumber": false, "groupChar": ","}"#
        #expect(try parse("£1,200", field) == .value(.integer(1200)))
        #expect(try parse("95%", field) == .value(.integer(95)))
        #expect(try parse("-£5", field) == .value(.integer(-5)))
        #expect(try parse("£-5", field) == .value(.integer(-5)))
        #expect(try parse("£1,200.50", field) == .invalid(.wrongType))
    }

    // MARK: number

    static let numberField = #"{"name": "x", "type": "number"}"#
    static let amountField = #"{"name": "x", "type": "number", "bareNumber": false, "groupChar": ",", "decimalChar": "."}"#

    @Test(arguments: [
        ("0", 0.0), ("1200.50", 1200.5), ("-3.25", -3.25), ("+2", 2), (".5", 0.5), ("5.", 5), ("1e3", 1000),
        ("1E-2", 0.01), ("2.5e+2", 250), ("0.000123", 0.000123), ("0.1", 0.1), ("123456789012345678901234", 1.23456789012345678901234e23),
        ("1e-400", 0),
    ])
    func numbers(_ text: String, _ expected: Double) throws {
        #expect(try parse(text, Self.numberField) == .value(.number(expected)))
    }

    @Test(arguments: [
        ("NaN", TypeProblem.wrongType), ("INF", .wrongType), ("-inf", .wrongType), ("abc", .wrongType), ("", .wrongType),
        ("1.2.3", .wrongType), ("1e", .wrongType), ("1e+", .wrongType), ("1,200.50", .wrongType), ("£1", .wrongType),
        ("95%", .wrongType), ("GBP 12", .wrongType), ("1 2", .wrongType),
        ("1e400", .outOfRange), ("-1e400", .outOfRange),
    ])
    func numberProblems(_ text: String, _ problem: TypeProblem) throws {
        #expect(try parse(text, Self.numberField) == .invalid(problem))
    }

    /// `-0` is a number; it reads back as 0.
    @Test func negativeZero() throws {
        let value = try #require(try parse("-0", Self.numberField).value)
        #expect(value == .number(-0.0))
        #expect(value.numeric == 0)
        #expect(value.canonicalText == "0")
    }

    /// What partners type in an amount column with `bareNumber: false`.
    @Test(arguments: [
        ("£1,200.50", 1200.5), ("1,200.50", 1200.5), ("1200.50", 1200.5), ("GBP 12", 12), ("12 GBP", 12), ("GBP12", 12),
        ("95%", 95), ("$3", 3), ("€4.5", 4.5), ("¥100", 100), ("-£5", -5), ("£-5", -5), ("£0", 0),
    ])
    func amounts(_ text: String, _ expected: Double) throws {
        #expect(try parse(text, Self.amountField) == .value(.number(expected)))
    }

    @Test(arguments: ["£", "GBP", "£1,20,0.5.0", "twelve pounds", "£ 1.2.3", "1,200.50p", "£1,,200"])
    func amountProblems(_ text: String) throws {
        #expect(try parse(text, Self.amountField) == .invalid(.wrongType))
    }

    /// Continental style: `.` groups thousands, `,` is the decimal separator.
    @Test func decimalComma() throws {
        let field = #"{"name": "x", "type": "number", "decimalChar": ",", "groupChar": "."}"#
        #expect(try parse("1.200,50", field) == .value(.number(1200.5)))
        #expect(try parse("0,25", field) == .value(.number(0.25)))
        #expect(try parse("1,200.50", field) == .invalid(.wrongType))
    }

    /// Property: plain decimal texts parse to exactly what `Double(_:)` gives (correct rounding on
    /// both the fast path and the slow path).
    @Test func numbersMatchStandardLibrary() throws {
        let field = try makeField(Self.numberField)
        var state: UInt64 = 0x9E37_79B9
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<2000 {
            let integerDigits = Int(next() % 12)
            let fractionDigits = Int(next() % 10)
            var text = next() % 4 == 0 ? "-" : ""
            text += integerDigits == 0 ? "0" : (0..<integerDigits).map { _ in String(next() % 10) }.joined()
            if fractionDigits > 0 { text += "." + (0..<fractionDigits).map { _ in String(next() % 10) }.joined() }
            if next() % 3 == 0 { text += "e" + String(Int(next() % 60) - 30) }
            let expected = try #require(Double(text))
            #expect(CellParser.parse(Array(text.utf8)[...], as: field) == .value(.number(expected)), "\(text)")
        }
    }

    // MARK: boolean

    @Test(arguments: [("true", true), ("True", true), ("TRUE", true), ("1", true), ("false", false), ("False", false), ("0", false)])
    func defaultBooleans(_ text: String, _ expected: Bool) throws {
        #expect(try parse(text, #"{"name": "b", "type": "boolean"}"#) == .value(.boolean(expected)))
    }

    @Test(arguments: ["yes", "No", "tRuE", "2", "t", ""])
    func defaultBooleanProblems(_ text: String) throws {
        #expect(try parse(text, #"{"name": "b", "type": "boolean"}"#) == .invalid(.wrongType))
    }

    /// The ripple schema's consent column takes Yes/No as partners write them.
    @Test func yesNoBooleans() throws {
        let field = try repositorySchema("ripple").fields.first { $0.name == "consent_to_quote" }!
        for yes in ["Yes", "yes", "YES", "y", "Y", "true", "1"] {
            #expect(CellParser.parse(Array(yes.utf8)[...], as: field) == .value(.boolean(true)), "\(yes)")
        }
        for no in ["No", "no", "NO", "n", "N", "false", "0"] {
            #expect(CellParser.parse(Array(no.utf8)[...], as: field) == .value(.boolean(false)), "\(no)")
        }
        #expect(CellParser.parse(Array("Maybe".utf8)[...], as: field) == .invalid(.wrongType))
        #expect(CellParser.parse(Array("yES".utf8)[...], as: field) == .invalid(.wrongType))
    }

    // MARK: date, datetime, year

    static let isoDate = #"{"name": "d", "type": "date"}"#
    static let ukOrIso = #"{"name": "d", "type": "date", "formats": ["%Y-%m-%d", "%d/%m/%Y"]}"#

    @Test(arguments: [
        ("2026-04-15", isoDate, day(2026, 4, 15)), ("2024-02-29", isoDate, day(2024, 2, 29)),
        ("2000-02-29", isoDate, day(2000, 2, 29)), ("1970-01-01", isoDate, 0), ("1969-12-31", isoDate, -1),
        ("2026-04-15", ukOrIso, day(2026, 4, 15)), ("15/04/2026", ukOrIso, day(2026, 4, 15)),
        ("5/4/2026", ukOrIso, day(2026, 4, 5)), ("05/04/2026", ukOrIso, day(2026, 4, 5)), ("31/12/2026", ukOrIso, day(2026, 12, 31)),
    ])
    func dates(_ text: String, _ field: String, _ days: Int32) throws {
        #expect(try parse(text, field) == .value(.date(days)))
    }

    @Test(arguments: [
        ("2026-02-30", isoDate, TypeProblem.impossibleDate), ("2026-02-29", isoDate, .impossibleDate),
        ("1900-02-29", isoDate, .impossibleDate), ("2026-13-01", isoDate, .impossibleDate), ("2026-00-10", isoDate, .impossibleDate),
        ("2026-04-31", isoDate, .impossibleDate), ("0000-01-01", isoDate, .impossibleDate),
        ("31/02/2026", ukOrIso, .impossibleDate), ("30/02/2026", ukOrIso, .impossibleDate),
        ("15/04/2026", isoDate, .wrongType), ("2026/04/15", ukOrIso, .wrongType), ("15-04-2026", ukOrIso, .wrongType),
        ("2026-04-15T10:00", isoDate, .wrongType), ("yesterday", ukOrIso, .wrongType), ("26-04-15", isoDate, .wrongType),
        ("", isoDate, .wrongType), ("15/04/26", ukOrIso, .wrongType), ("2026-04-150", isoDate, .wrongType),
    ])
    func dateProblems(_ text: String, _ field: String, _ problem: TypeProblem) throws {
        #expect(try parse(text, field) == .invalid(problem))
    }

    /// `format` alone (the standard spelling) gives one accepted format; `default`/`any` mean ISO.
    @Test func dateFormatKey() throws {
        #expect(try parse("15/04/2026", #"{"name": "d", "type": "date", "format": "%d/%m/%Y"}"#) == .value(.date(day(2026, 4, 15))))
        #expect(try parse("2026-04-15", #"{"name": "d", "type": "date", "format": "%d/%m/%Y"}"#) == .invalid(.wrongType))
        #expect(try parse("2026-04-15", #"{"name": "d", "type": "date", "format": "default"}"#) == .value(.date(day(2026, 4, 15))))
        #expect(try parse("2026-04-15", #"{"name": "d", "type": "date", "format": "any"}"#) == .value(.date(day(2026, 4, 15))))
    }

    @Test(arguments: [
        ("2026-04-15T14:30:00Z", Int64(day(2026, 4, 15)) * 86_400 + 52_200),
        ("2026-04-15 14:30:00", Int64(day(2026, 4, 15)) * 86_400 + 52_200),
        ("2026-04-15T14:30:00.250Z", Int64(day(2026, 4, 15)) * 86_400 + 52_200),
        ("2026-04-15T14:30:00+01:00", Int64(day(2026, 4, 15)) * 86_400 + 52_200 - 3600),
        ("2026-04-15T14:30:00-02:30", Int64(day(2026, 4, 15)) * 86_400 + 52_200 + 9000),
        ("1970-01-01T00:00:00Z", 0),
    ])
    func datetimes(_ text: String, _ seconds: Int64) throws {
        #expect(try parse(text, #"{"name": "t", "type": "datetime"}"#) == .value(.datetime(seconds)))
    }

    @Test(arguments: [
        ("2026-02-30T10:00:00Z", TypeProblem.impossibleDate), ("2026-04-15", .wrongType), ("2026-04-15T24:00:00Z", .wrongType),
        ("2026-04-15T10:60:00Z", .wrongType), ("2026-04-15T10:00:00+1:00", .wrongType), ("2026-04-15T10:00:00ZZ", .wrongType),
        ("2026-04-15X10:00:00", .wrongType), ("15/04/2026 10:00:00", .wrongType),
    ])
    func datetimeProblems(_ text: String, _ problem: TypeProblem) throws {
        #expect(try parse(text, #"{"name": "t", "type": "datetime"}"#) == .invalid(problem))
    }

    @Test func years() throws {
        let field = #"{"name": "y", "type": "year"}"#
        #expect(try parse("2026", field) == .value(.year(2026)))
        #expect(try parse("0999", field) == .value(.year(999)))
        for bad in ["26", "20266", "year", "-2026", "2026.0"] {
            #expect(try parse(bad, field) == .invalid(.wrongType), "\(bad)")
        }
    }

    // MARK: list, any, string formats

    @Test func lists() throws {
        let integers = #"{"name": "l", "type": "list", "itemType": "integer"}"#
        #expect(try parse("1,2, 3", integers) == .value(.list([.integer(1), .integer(2), .integer(3)])))
        #expect(try parse("1,,2,", integers) == .value(.list([.integer(1), .integer(2)])))
        #expect(try parse("1,x,3", integers) == .invalid(.badItem("x")))
        let funders = #"{"name": "funder_ids", "type": "list", "delimiter": ";"}"#
        #expect(try parse("F01; F02 ;F03", funders) == .value(.list([textValue("F01"), textValue("F02"), textValue("F03")])))
        #expect(try parse("F01,F02", funders) == .value(.list([textValue("F01,F02")])))
        let dates = #"{"name": "l", "type": "list", "itemType": "date", "delimiter": ";"}"#
        #expect(try parse("2026-04-01;2026-04-02", dates) == .value(.list([.date(day(2026, 4, 1)), .date(day(2026, 4, 2))])))
        #expect(try parse("2026-04-01;2026-02-30", dates) == .invalid(.badItem("2026-02-30")))
        #expect(CellValue.list([.integer(1), textValue("a")]).canonicalText == "1;a")
    }

    @Test func anyAndPlainStrings() throws {
        #expect(try parse("anything at all", #"{"name": "a", "type": "any"}"#) == .value(textValue("anything at all")))
        #expect(try parse("Zoë", #"{"name": "s"}"#) == .value(textValue("Zoë")))
        #expect(try parse("x", #"{"name": "s", "format": "default"}"#) == .value(textValue("x")))
    }

    @Test(arguments: [
        ("email", "ann@example.org", true), ("email", "ann.lee+q2@mail.example.co.uk", true),
        ("email", "ann@example", false), ("email", "@example.org", false), ("email", "ann@", false),
        ("email", "ann lee@example.org", false), ("email", "ann@b@example.org", false), ("email", "ann.example.org", false),
        ("uri", "https://example.org/a?b=c", true), ("uri", "mailto:ann@example.org", true), ("uri", "urn:isbn:0451450523", true),
        ("uri", "example.org", false), ("uri", ":nothing", false), ("uri", "http://exa mple.org", false), ("uri", "ht_tp://x", false),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", true), ("uuid", "123E4567-E89B-12D3-A456-426614174000", true),
        ("uuid", "123e4567e89b12d3a456426614174000", false), ("uuid", "123e4567-e89b-12d3-a456-42661417400g", false),
        ("uuid", "123e4567-e89b-12d3-a456-4266141740000", false), ("uuid", "123e4567_e89b-12d3-a456-426614174000", false),
    ])
    func stringFormats(_ format: String, _ text: String, _ valid: Bool) throws {
        let outcome = try parse(text, #"{"name": "s", "format": "\#(format)"}"#)
        #expect(outcome == (valid ? .value(textValue(text)) : .invalid(.wrongType)))
    }

    // MARK: helpers

    @Test(arguments: [
        ("  x  ", "x"), ("\tx\r\n", "x"), ("\u{A0}x\u{A0}", "x"), ("\u{FEFF}x", "x"), ("", ""), ("   ", ""), ("a b", "a b"),
        ("\u{A0}", ""),
    ])
    func trim(_ input: String, _ expected: String) {
        #expect(Array(CellParser.trim(Array(input.utf8)[...])) == Array(expected.utf8))
    }

    @Test func canonicalTexts() {
        #expect(CellValue.null.canonicalText == "")
        #expect(CellValue.integer(-12).canonicalText == "-12")
        #expect(CellValue.number(1200.5).canonicalText == "1200.5")
        #expect(CellValue.number(1200).canonicalText == "1200")
        #expect(CellValue.number(0.1).canonicalText == "0.1")
        #expect(CellValue.boolean(true).canonicalText == "true")
        #expect(CellValue.date(day(2026, 4, 5)).canonicalText == "2026-04-05")
        #expect(CellValue.datetime(Int64(day(2026, 4, 15)) * 86_400 + 52_205).canonicalText == "2026-04-15T14:30:05Z")
        #expect(CellValue.datetime(-1).canonicalText == "1969-12-31T23:59:59Z")
        #expect(CellValue.year(2026).canonicalText == "2026")
    }

    @Test func comparisons() {
        #expect(CellValue.compare(.integer(2), .number(2.5)) == -1)
        #expect(CellValue.compare(.number(3), .integer(3)) == 0)
        #expect(CellValue.compare(.date(10), .date(9)) == 1)
        #expect(CellValue.compare(textValue("b"), textValue("a")) == 1)
        #expect(CellValue.compare(textValue("a"), textValue("a")) == 0)
        #expect(CellValue.compare(.date(10), .integer(10)) == nil)
        #expect(CellValue.compare(textValue("1"), .integer(1)) == nil)
    }
}
