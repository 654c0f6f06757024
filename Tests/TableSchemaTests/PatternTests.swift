import Foundation
import TableSchema
import Testing

/// `pattern` constraints: the byte matcher for simple patterns, the regex fallback for the rest,
/// both anchored at both ends.
@Suite("Pattern")
struct PatternTests {
    private func matches(_ pattern: Pattern, _ text: String) -> Bool {
        pattern.matches(Array(text.utf8)[...])
    }

    /// The patterns the real schemas use are simple (no regex engine) and anchored.
    @Test(arguments: [
        ("P[0-9]{3}", ["P001", "P999"], ["P01", "P0001", "p001", "XP001", "P001 ", ""]),
        ("[0-9]{4}-Q[1-4]", ["2026-Q2", "1999-Q4"], ["2026-Q5", "2026-q2", "26-Q2", "2026-Q22"]),
        (
            "[A-Za-z0-9][A-Za-z0-9-]{3,19}", ["K7QM-2041", "abcd", "a-------------------"],
            ["-K7QM", "abc", "a--------------------", "K7QM_2041", "Zoë1"]
        ),
        ("PA-[0-9]{4,6}", ["PA-2041", "PA-204170"], ["PA-204", "PA-2041700", "pa-2041"]),
        ("OG[0-9]{2}", ["OG01"], ["OG1", "OG001"]),
        ("[A-Za-z][A-Za-z0-9_-]{0,31}", ["a", "theme_1-x"], ["1a", "_a"]),
        (#"\d{2,}"#, ["12", "123456"], ["1", "12a"]),
        (#"a.c"#, ["abc", "aéc", "a😀c"], ["ac", "abbc", "a\nc"]),
        (#"[^,]+"#, ["abc", "é ü", "a;b"], ["a,b", ""]),
        (#"\w+@\w+\.org"#, ["ann@example.org", "a_1@b.org"], ["ann@example.com", "ann@exa-mple.org"]),
        (#"x?y*z+"#, ["z", "xz", "yyyzz", "xyzz"], ["", "xx z", "xy", "yx z"]),
        (#"[a\-z]{3}"#, ["a-z", "zza"], ["abc"]),
        (#"\s*[0-9]+\s*"#, ["12", " 12 ", "\t1"], ["1 2"]),
        (#"\.\*\+"#, [".*+"], ["a*+"]),
        ("abc", ["abc"], ["ab", "abcd", "ABC"]),
    ])
    func simplePatterns(_ source: String, _ good: [String], _ bad: [String]) throws {
        let pattern = try #require(Pattern(source))
        #expect(pattern.isSimple, "\(source) should not need the regex engine")
        #expect(pattern.source == source)
        for text in good { #expect(matches(pattern, text), "\(source) should match \(text)") }
        for text in bad { #expect(!matches(pattern, text), "\(source) should not match \(text)") }
    }

    /// Groups, alternation, anchors, lazy quantifiers and escapes like `\b` go to the regex
    /// engine, still anchored at both ends.
    @Test(arguments: [
        ("(ab|cd)+", ["ab", "abcd", "cdab"], ["abc", "", "ab cd", "ab\n"]),  // "$" would let a final newline through
        ("^P[0-9]{3}$", ["P001"], ["P0001", "xP001", "P001\n"]),
        ("yes|no", ["yes", "no"], ["yesno", "maybe", "yes no"]),
        ("[0-9]{4}-Q[1-4](-rev[0-9])?", ["2026-Q2", "2026-Q2-rev1"], ["2026-Q2-rev"]),
        (#"a+?b"#, ["ab", "aaab"], ["b"]),
        (#"\bword\b"#, ["word"], ["words"]),
        (#"\p{L}+"#, ["Zoë", "日本"], ["Zoë1", ""]),
        ("é+", ["é", "éé"], ["e"]),
        (#"\D+"#, ["abc"], ["a1"]),
    ])
    func fallbackPatterns(_ source: String, _ good: [String], _ bad: [String]) throws {
        let pattern = try #require(Pattern(source))
        #expect(!pattern.isSimple, "\(source) needs the regex engine")
        for text in good { #expect(matches(pattern, text), "\(source) should match \(text)") }
        for text in bad { #expect(!matches(pattern, text), "\(source) should not match \(text)") }
    }

    @Test(arguments: ["[a-", "(ab", "a{2,1}", "*a", "[z-a]", "a{-3}", "a{+3}", "a{1,-2}", "OG[Clo(edVan]{-3}09+"])
    func invalidPatterns(_ source: String) {
        #expect(Pattern(source) == nil)
    }

    /// Property: on ASCII input, the byte matcher agrees with the regex engine for every simple pattern.
    @Test func simpleMatcherAgreesWithRegexOnASCII() throws {
        let patterns = [
            "P[0-9]{3}", "[A-Za-z0-9][A-Za-z0-9-]{3,19}", "a.c", "[^,]+", #"\w+"#, #"\d{2,4}x?"#, "x?y*z+", "[a-c]*c",
            #"\s?[0-9]+\.[0-9]{2}"#, "a{0,3}a", ".*-.*", "[ab]+b[ab]*", "", #"[\d\-]+"#,
        ]
        let alphabet = Array("abcxyzP0123456789-., _\t")
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var disagreements: [String] = []
        for source in patterns {
            let pattern = try #require(Pattern(source))
            #expect(pattern.isSimple, "\(source)")
            let regex = try NSRegularExpression(pattern: "^(?:\(source))\\z")
            for _ in 0..<400 {
                let text = String((0..<(next() % 9)).map { _ in alphabet[next() % alphabet.count] })
                let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                if matches(pattern, text) != expected { disagreements.append("\(source) on \"\(text)\": expected \(expected)") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Found by the `pattern` fuzz target: the byte matcher and the regex engine must agree on text the
    /// property test above never tries, such as line terminators and digits and spaces beyond ASCII.
    @Test(arguments: [
        ("..+.", "y\u{0C}ab", false),  // "." stops at a form feed, as the regex engine's does
        ("a.c", "a\rc", false),
        ("a.c", "a\u{0B}c", false),
        ("a.c", "a\u{85}c", false),
        ("a.c", "a\u{2028}c", false),
        ("a.c", "a\u{2029}c", false),
        ("a.c", "a\u{202F}c", true),
        ("", "\n", false),  // the whole value must match: no final newline slips past the end
        ("[A-Za-z0-[9A-]Za-z0-9-]{3,19}", "K7QM-2041", true),  // "[" in a class starts a nested set there
        ("[:alpha:]+", "abc", true),  // a POSIX class there, not the letters ":alph"
        ("[a-z&&[^aeiou]]+", "xyz", true),
        ("[A-Za-z][A-Z--a9z0_-]{0,31}", "F_1", false),  // "--" is set difference there (found by CI's fuzz run)
        (#"\d{2}"#, "\u{663}\u{664}", true),  // Arabic-Indic digits are digits to the regex engine
        (#"\w+"#, "Zoë", true),
        (#"[0-9]+\s[0-9]+"#, "1\u{A0}2", true),  // a no-break space is a space there
        (#"\d{2}"#, "12", true),
    ])
    func agreesWithTheRegexEngineBeyondASCII(_ source: String, _ text: String, _ expected: Bool) throws {
        let pattern = try #require(Pattern(source))
        let regex = try NSRegularExpression(pattern: "^(?:\(source))\\z")
        #expect((regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil) == expected, "the regex engine")
        #expect(matches(pattern, text) == expected, "\(source) on \(text.debugDescription)")
    }

    /// A bad pattern in a schema names its JSON pointer.
    @Test func badPatternInSchema() {
        let error = schemaError(#"{"fields": [{"name": "a"}, {"name": "b", "constraints": {"pattern": "[a-"}}]}"#)
        #expect(error?.pointer == "/fields/1/constraints/pattern")
        #expect(error?.message == "the pattern \"[a-\" is not a valid regular expression")
    }
}
