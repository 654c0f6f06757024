import Foundation
import Testing

@testable import JSONSchema

/// Parses a decimal literal for tests (the literals below are all valid).
private func number(_ text: String) throws -> JSONNumber {
    try #require(JSONNumber(decimalLiteral: text))
}

// MARK: - Numbers

@Suite("Exact JSON numbers")
struct JSONNumberTests {
    /// (value, divisor, is a multiple) — chosen so binary floating point would get them wrong.
    static let multiples: [(String, String, Bool)] = [
        ("19.99", "0.01", true),
        ("0.0075", "0.0001", true),
        ("0.3", "0.1", true),
        ("0.7", "0.1", true),
        ("1.1", "0.1", true),
        ("0.35", "0.1", false),
        ("19.999", "0.01", false),
        ("4.5", "1.5", true),
        ("4.6", "1.5", false),
        ("1e308", "0.5", true),
        ("1e308", "3", false),
        ("12345678901234567890", "10", true),
        ("12345678901234567890", "7", false),
        ("123456789012345678901234567890", "3", true),
        ("123456789012345678901234567891", "123456789012345678901234567891", true),
        ("246913578024691357802469135782", "123456789012345678901234567891", true),
        ("246913578024691357802469135783", "123456789012345678901234567891", false),
        ("0", "0.0001", true),
        ("-19.99", "0.01", true),
        ("1e-7", "1e-8", true),
        ("1e-8", "1e-7", false),
    ]

    @Test("multipleOf uses exact decimal arithmetic", arguments: multiples)
    func multipleOf(_ value: String, _ divisor: String, _ expected: Bool) throws {
        #expect(try number(value).isMultiple(of: number(divisor)) == expected)
    }

    /// (smaller, larger) pairs.
    static let ordered: [(String, String)] = [
        ("12345678901234567890", "12345678901234567891"),
        ("9.99e307", "1e308"),
        ("-1e308", "-9.99e307"),
        ("0.1", "0.10000000000000001"),
        ("-0.5", "0"),
        ("99999999999999999999", "1e20"),
        ("1e-400", "2e-400"),
    ]

    @Test("numbers compare by exact value", arguments: ordered)
    func ordering(_ smaller: String, _ larger: String) throws {
        #expect(try number(smaller) < number(larger))
        #expect(try !(number(larger) < number(smaller)))
        #expect(try number(smaller) != number(larger))
    }

    @Test("equal values are equal and hash alike whatever their spelling")
    func equality() throws {
        let spellings = ["100", "1e2", "100.0", "1.00E+2", "10000e-2"]
        let values = try spellings.map(number)
        #expect(Set(values).count == 1)
        #expect(try number("-0") == number("0"))
        #expect(try JSONValue.number(number("1.0")) == JSONValue.number(JSONNumber(1)))
    }

    @Test("whole numbers are recognised exactly")
    func integers() throws {
        #expect(try number("1.0").isInteger)
        #expect(try number("1e308").isInteger)
        #expect(try number("12345678901234567890.000").isInteger)
        #expect(try !number("1.5").isInteger)
        #expect(try !number("1e-5").isInteger)
        #expect(try number("-42.0").intValue == -42)
        #expect(try number("1e30").intValue == nil)
    }

    @Test("text rendering is short and exact")
    func rendering() throws {
        #expect(try number("19.990").description == "19.99")
        #expect(try number("0.0001").description == "0.0001")
        #expect(try number("1e-7").description == "1e-7")
        #expect(try number("-1.5e3").description == "-1500")
        #expect(try number("1.5e300").description == "1.5e300")
        #expect(JSONNumber(Double(0.1))?.description == "0.1")
        #expect(JSONNumber(Double.nan) == nil)
    }
}

// MARK: - Values

@Suite("JSON values")
struct JSONValueTests {
    @Test("objects compare without regard to member order but keep it")
    func objectEquality() {
        let a: JSONValue = ["x": 1, "y": [true, nil]]
        let b: JSONValue = ["y": [true, nil], "x": 1.0]
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.objectValue?.keys == ["x", "y"])
        #expect(b.objectValue?.keys == ["y", "x"])
        #expect(a != ["x": 1, "y": [true, nil], "z": 0])
        #expect(JSONValue.array([1, 2]) != [2, 1])
    }

    @Test("strings compare by code points, not canonical equivalence")
    func stringEquality() {
        let composed = JSONValue.string("\u{E9}")
        let decomposed = JSONValue.string("e\u{301}")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object.count == 2)
    }

    @Test("object editing keeps order and lookup in step")
    func objectEditing() {
        var object = JSONObject()
        for i in 0..<20 { object["k\(i)"] = .number(JSONNumber(i)) }
        object["k3"] = nil
        object["k5"] = "five"
        object["new"] = true
        #expect(object.count == 20)
        #expect(object["k3"] == nil)
        #expect(object["k5"] == "five")
        #expect(object["k19"] == 19)
        #expect(object.keys.last == "new")
        #expect(object.index(forKey: "k4") == 3)
    }

    @Test("compact serialisation round-trips through the parser")
    func serialisation() throws {
        let value: JSONValue = ["a\"b": [1, 2.5, "x\ny", nil, false], "c": ["d": "é😀\u{1}"]]
        let text = value.description
        #expect(text == #"{"a\"b":[1,2.5,"x\ny",null,false],"c":{"d":"é😀\u0001"}}"#)
        #expect(try JSONParser().parse(text).value == value)
    }
}

// MARK: - JSON pointers

@Suite("JSON pointers")
struct JSONPointerTests {
    static let pointers: [(String, [String])] = [
        ("", []),
        ("/", [""]),
        ("/a/0", ["a", "0"]),
        ("/a~1b/c~0d", ["a/b", "c~d"]),
        ("/~01", ["~1"]),
        ("/ /é", [" ", "é"]),
    ]

    @Test("parse and build round-trip with ~0 and ~1 escapes", arguments: pointers)
    func roundTrip(_ text: String, _ tokens: [String]) throws {
        let pointer = try JSONPointer(text)
        #expect(pointer.tokens == tokens)
        #expect(pointer.description == text)
        #expect(JSONPointer(tokens: tokens).description == text)
    }

    @Test("invalid pointers are rejected")
    func invalid() {
        #expect(throws: JSONPointerError.missingLeadingSlash("a/b")) { try JSONPointer("a/b") }
        #expect(throws: JSONPointerError.invalidEscape("/a~2")) { try JSONPointer("/a~2") }
        #expect(JSONPointer.unescape("~") == nil)
    }

    @Test("URI fragments are percent-decoded")
    func fragments() {
        #expect(JSONPointer(uriFragment: "#/$defs/a%20b/c%25d")?.tokens == ["$defs", "a b", "c%d"])
        #expect(JSONPointer(uriFragment: "#/bad%2") == nil)
    }

    @Test("pointers address values inside documents")
    func lookup() throws {
        let value: JSONValue = ["a/b": [10, ["c": "d"]]]
        #expect(value.value(at: try JSONPointer("/a~1b/1/c")) == "d")
        #expect(value.value(at: try JSONPointer("/a~1b/01")) == nil)
        #expect(value.value(at: try JSONPointer("/a~1b/-")) == nil)
        #expect(value.value(at: try JSONPointer("")) == value)
        #expect(JSONPointer.appending("x/y", to: "/a") == "/a/x~1y")
        #expect(JSONPointer(tokens: ["a"]).appending(index: 3).description == "/a/3")
    }
}

/// `JSONString.literal` works on UTF-8 bytes; it gives what the plain scalar-by-scalar escaper it replaced
/// gives, for every kind of character (quotes, backslashes, every control character, DEL, U+2028/U+2029,
/// other characters starting E2, accents, emoji), and what it writes parses back to the same text.
@Suite("JSONString")
struct JSONStringTests {
    /// The escaper as first written: one scalar at a time.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static let pieces: [String] =
        ["a", "Row 5: \"x\"", "\\", "é", "e\u{301}", "😀", "\u{2028}", "\u{2029}", "\u{2026}", "\u{20AC}", "\u{7F}", "\u{FFFD}", " "]
        + (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }

    @Test func matchesTheScalarEscaper() throws {
        var state: UInt64 = 7
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<(Int(state % 9)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += Self.pieces[Int((state >> 33) % UInt64(Self.pieces.count))]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let literal = JSONString.literal(text)
            #expect(literal == Self.reference(text), "\(Array(text.unicodeScalars))")
            #expect(try JSONParser().parse(literal).value == .string(text))
        }
    }
}
