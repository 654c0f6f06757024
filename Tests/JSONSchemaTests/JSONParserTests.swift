import Foundation
import Testing

@testable import JSONSchema

// MARK: - Helpers

/// Parses text, returning the error or nil.
private func parseError(_ text: String, limits: JSONParser.Limits = .init()) -> JSONParseError? {
    do {
        _ = try JSONParser(limits: limits).parse(text)
        return nil
    } catch {
        return error
    }
}

/// A malformed document and what the parser must say about it.
struct BadDocument: Sendable, CustomTestStringConvertible {
    let text: String
    let line: Int
    let column: Int
    let message: String

    var testDescription: String { text.debugDescription }
}

// MARK: - Errors

@Suite("JSON parser errors")
struct JSONParserErrorTests {
    static let badDocuments: [BadDocument] = [
        BadDocument(text: "", line: 1, column: 1, message: "line 1, column 1: expected a value, but the document ended"),
        BadDocument(
            text: "{\"a\": 1} x", line: 1, column: 10,
            message: "line 1, column 10: unexpected 'x' after the end of the JSON document"),
        BadDocument(
            text: "[1] [2]", line: 1, column: 5,
            message: "line 1, column 5: unexpected '[' after the end of the JSON document"),
        BadDocument(
            text: "{\n  \"a\": 1,\n  \"b\": [1,2] \"c\": 3\n}", line: 3, column: 14,
            message: "line 3, column 14: expected ',' or '}' after an object member, found '\"'"),
        BadDocument(
            text: "[1, 2,]", line: 1, column: 7,
            message: "line 1, column 7: expected another array element after ',' (a trailing comma is not allowed), found ']'"),
        BadDocument(
            text: "{\"a\": 1,}", line: 1, column: 9,
            message: "line 1, column 9: expected another member after ',' (a trailing comma is not allowed), found '}'"),
        BadDocument(
            text: "{'a': 1}", line: 1, column: 2,
            message: "line 1, column 2: expected a key in double quotes or '}', found '''"),
        BadDocument(text: "{\"a\" 1}", line: 1, column: 6, message: "line 1, column 6: expected ':' after the key, found '1'"),
        BadDocument(
            text: "[True]", line: 1, column: 2,
            message: "line 1, column 2: expected a value (an object, array, string, number, true, false or null), found 'True'"),
        BadDocument(text: "[01]", line: 1, column: 2, message: "line 1, column 2: invalid number: leading zeros are not allowed"),
        BadDocument(text: "[1.]", line: 1, column: 2, message: "line 1, column 2: invalid number: '.' must be followed by a digit"),
        BadDocument(text: "[-]", line: 1, column: 2, message: "line 1, column 2: invalid number: '-' must be followed by a digit"),
        BadDocument(text: "[1e]", line: 1, column: 2, message: "line 1, column 2: invalid number: an exponent must have digits"),
        BadDocument(
            text: "[.5]", line: 1, column: 2,
            message: "line 1, column 2: expected a value (an object, array, string, number, true, false or null), found '.'"),
        BadDocument(
            text: "[\"a\tb\"]", line: 1, column: 4,
            message: "line 1, column 4: a tab is not allowed inside a string; write it as an escape such as \\n or \\t"),
        BadDocument(
            text: "[\"\\x\"]", line: 1, column: 3,
            message: "line 1, column 3: \\x is not a valid escape; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"),
        BadDocument(
            text: "[\"\\uD800\"]", line: 1, column: 3,
            message: "line 1, column 3: \\uD800 is half of a surrogate pair without its other half"),
        BadDocument(
            text: "[\"é\\uDC00\"]", line: 1, column: 4,
            message: "line 1, column 4: \\uDC00 is half of a surrogate pair without its other half"),
        BadDocument(
            text: "[\"\\uD83D\\u0041\"]", line: 1, column: 3,
            message: "line 1, column 3: \\uD83D is half of a surrogate pair without its other half"),
        BadDocument(
            text: "{\"a\": [1, 2}", line: 1, column: 12,
            message: "line 1, column 12: expected ',' or ']' after an array element, found '}'"),
        BadDocument(
            text: "{\"a\": \"unterminated}", line: 1, column: 21,
            message: "line 1, column 21: expected a closing '\"' for the string that starts at line 1, column 7, but the document ended"),
        BadDocument(
            text: "\r\n\r\n  nul", line: 3, column: 3,
            message: "line 3, column 3: expected a value (an object, array, string, number, true, false or null), found 'nul'"),
        BadDocument(
            text: "[\"😀\", x]", line: 1, column: 7,
            message: "line 1, column 7: expected a value (an object, array, string, number, true, false or null), found 'x'"),
    ]

    @Test("malformed documents report a plain message with line and column", arguments: badDocuments)
    func malformed(_ bad: BadDocument) throws {
        let error = try #require(parseError(bad.text))
        #expect(error.description == bad.message)
        #expect(error.position?.line == bad.line)
        #expect(error.position?.column == bad.column)
    }

    @Test("lone surrogates are errors carrying the code unit and position")
    func loneSurrogate() throws {
        let error = try #require(parseError("{\"name\": \"ab\\uDBFFcd\"}"))
        #expect(error == .loneSurrogate(codeUnit: 0xDBFF, at: SourcePosition(line: 1, column: 13, offset: 12)))
    }

    @Test("100,000 nested arrays throw quickly instead of overflowing the stack")
    func deepNesting() throws {
        let text = String(repeating: "[", count: 100_000)
        let clock = ContinuousClock()
        var caught: JSONParseError?
        let elapsed = clock.measure { caught = parseError(text) }
        let error = try #require(caught)
        #expect(error == .nestingTooDeep(limit: 256, at: SourcePosition(line: 1, column: 257, offset: 256)))
        #expect(error.description == "line 1, column 257: arrays and objects are nested more than 256 levels deep")
        #expect(elapsed < .seconds(1))
    }

    @Test("deep nesting of objects is limited the same way, and the limit is configurable")
    func deepObjects() throws {
        let text = String(repeating: "{\"a\":", count: 100_000)
        #expect(parseError(text).map { if case .nestingTooDeep = $0 { true } else { false } } == true)
        let limited = JSONParser.Limits(maxDepth: 3)
        #expect(parseError("[[[1]]]", limits: limited) == nil)
        #expect(parseError("[[[[1]]]]", limits: limited) == .nestingTooDeep(limit: 3, at: SourcePosition(line: 1, column: 4, offset: 3)))
    }

    @Test("size limits for the document, strings and numbers")
    func sizeLimits() {
        #expect(parseError("[1, 2, 3]", limits: .init(maxDocumentBytes: 4)) == .documentTooLarge(size: 9, limit: 4))
        #expect(
            parseError("[\"abcdef\"]", limits: .init(maxStringLength: 5))
                == .stringTooLong(limit: 5, at: SourcePosition(line: 1, column: 2, offset: 1)))
        #expect(parseError("[\"abcde\"]", limits: .init(maxStringLength: 5)) == nil)
        #expect(
            parseError("[\"a\\nbcdef\"]", limits: .init(maxStringLength: 5))
                == .stringTooLong(limit: 5, at: SourcePosition(line: 1, column: 2, offset: 1)))
        #expect(
            parseError("[12345678901]", limits: .init(maxNumberLength: 10))
                == .numberTooLong(limit: 10, at: SourcePosition(line: 1, column: 2, offset: 1)))
        #expect(parseError("[1e9999999999]") != nil)
    }

    @Test("invalid UTF-8 and other encodings are rejected")
    func encodings() throws {
        let badByte: [UInt8] = Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSONParseError.invalidUTF8(at: SourcePosition(line: 1, column: 4, offset: 3))) {
            try JSONParser().parse(badByte)
        }
        let overlong: [UInt8] = Array("[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(overlong) }
        let encodedSurrogate: [UInt8] = Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(encodedSurrogate) }
        let utf16: [UInt8] = [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00]
        #expect(throws: JSONParseError.unsupportedEncoding(name: "UTF-16")) { try JSONParser().parse(utf16) }
    }
}

// MARK: - Values, positions and warnings

@Suite("JSON parser values")
struct JSONParserValueTests {
    @Test("a UTF-8 byte-order mark is skipped and positions start after it")
    func byteOrderMark() throws {
        let document = try JSONParser().parse([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8))
        #expect(document.value == ["a": 1])
        #expect(document.position(of: "/a") == SourcePosition(line: 1, column: 7, offset: 9))
    }

    @Test("escapes and surrogate pairs decode to the right characters")
    func escapes() throws {
        let document = try JSONParser().parse(#"["\u00e9\uD83D\uDE00\n\t\"\\\/", "\u0000"]"#)
        #expect(document.value == ["é😀\n\t\"\\/", "\u{0}"])
    }

    @Test("every value has a line and column, counted in characters")
    func positions() throws {
        let text = """
            {
              "name": "Zoë 😀", "sessions": [
                {"date": "2026-07-15"},
                {"date": "15th July"}
              ],
              "a/b": {"~": true}
            }
            """
        let document = try JSONParser().parse(text)
        #expect(document.position(of: "") == SourcePosition(line: 1, column: 1, offset: 0))
        #expect(document.position(of: "/name")?.line == 2)
        #expect(document.position(of: "/name")?.column == 11)
        // "Zoë 😀" is 5 characters but 9 bytes: the columns after it count characters.
        #expect(document.position(of: "/sessions")?.column == 32)
        let date = try #require(document.position(of: "/sessions/1/date"))
        #expect(date.line == 4 && date.column == 14)
        let dateKey = try #require(document.keyPosition(of: try JSONPointer("/sessions/1/date")))
        #expect(dateKey.line == 4 && dateKey.column == 6)
        let escaped = try #require(document.position(of: "/a~1b/~0"))
        #expect(escaped.line == 6 && escaped.column == 16)
        #expect(document.position(of: "/sessions/2") == nil)
        #expect(document.position(of: "/missing") == nil)
        #expect(document.position(of: "no-slash") == nil)
    }

    @Test("repeated keys are warnings with the object's pointer, and the last value wins")
    func duplicateKeys() throws {
        let text = """
            {"rows": [
              {"id": 1},
              {"id": 2, "name": "x", "id": 3}
            ], "rows": [] , "z/~": {"k": 1, "k": 2}}
            """
        let document = try JSONParser().parse(text)
        #expect(document.warnings.count == 3)
        let first = try #require(document.warnings.first)
        #expect(first.objectPointer == "/rows/1")
        #expect(first.key == "id")
        #expect(first.position == SourcePosition(line: 3, column: 26, offset: 49))
        #expect(first.firstPosition.line == 3 && first.firstPosition.column == 4)
        #expect(
            first.description
                == "line 3, column 26: the key \"id\" appears more than once in the object at /rows/1 (first at line 3, column 4); the last value is used"
        )
        #expect(document.warnings[1].objectPointer == "")
        #expect(document.warnings[1].key == "rows")
        #expect(document.warnings[2].objectPointer == "/z~1~0")
        #expect(document.value["rows"] == [])
        #expect(document.value["z/~"]?["k"] == 2)
        // Member order keeps the first position of a repeated key.
        #expect(document.value.objectValue?.keys == ["rows", "z/~"])
        #expect(document.position(of: "/rows")?.line == 4)
    }

    @Test("large objects keep order and fast lookup")
    func largeObjects() throws {
        let keys = (0..<500).map { "key\($0)" }
        let text = "{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",") + "}"
        let document = try JSONParser().parse(text)
        let object = try #require(document.value.objectValue)
        #expect(object.keys == keys)
        #expect(object["key321"] == 321)
        let needle = Array("\"key321\": ".utf8)
        let bytes = Array(text.utf8)
        let start = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
        #expect(document.position(of: "/key321")?.offset == start + needle.count)
    }

    @Test("numbers keep their exact decimal value")
    func numbers() throws {
        let document = try JSONParser().parse("[1.0, 1e308, 12345678901234567890, 0.1, -0, 19.99, 1E+2, 2.50e-3]")
        let numbers = try #require(document.value.arrayValue).compactMap(\.numberValue)
        #expect(numbers.map(\.description) == ["1", "1e308", "12345678901234567890", "0.1", "0", "19.99", "100", "0.0025"])
        #expect(numbers[0].isInteger && numbers[1].isInteger && numbers[2].isInteger && !numbers[3].isInteger)
    }
}
