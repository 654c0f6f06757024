// MARK: - Messages

/// Plain-English wording for validation messages.
enum Messages {
    /// How a value is quoted in a message: strings in quotes (shortened), numbers as written,
    /// lists and objects by their size.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.description
        case .string(let s): return quote(s)
        case .array(let a):
            return a.isEmpty ? "an empty list" : "a list of \(plural(a.count, "item"))"
        case .object(let o):
            return o.isEmpty ? "an empty object" : "an object with \(plural(o.count, "field"))"
        }
    }

    /// How an allowed value (from `enum`/`const`) is shown: compact JSON, shortened.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .array, .object:
            let text = value.description
            return text.count > 60 ? String(text.prefix(57)) + "…" : text
        default: return describe(value)
        }
    }

    /// A string in double quotes with control characters escaped, shortened to about 60 characters.
    static func quote(_ s: String) -> String {
        var text = s
        if text.unicodeScalars.count > 60 {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(57))) + "…"
        }
        var out = ""
        JSONValue.writeString(text, into: &out)
        return out
    }

    /// `1 item`, `3 items`.
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// `an object`, `a string` (for schema-author messages).
    static func article(_ word: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (word.first.map { vowels.contains($0) } ?? false ? "an " : "a ") + word
    }

    /// Words for a set of JSON types: `a whole number`, `text or null`.
    static func typePhrase(_ set: TypeSet) -> String {
        var phrases: [String] = []
        if set.contains(.string) { phrases.append("text") }
        if set.contains(.number) {
            phrases.append("a number")
        } else if set.contains(.integer) {
            phrases.append("a whole number")
        }
        if set.contains(.boolean) { phrases.append("true or false") }
        if set.contains(.object) { phrases.append("an object") }
        if set.contains(.array) { phrases.append("a list") }
        if set.contains(.null) { phrases.append("null") }
        if phrases.isEmpty { return "nothing (no type is allowed)" }
        return alternatives(phrases)
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }

    /// `"a", "b", "c"`, listing at most `limit` values.
    static func valueList(_ values: [JSONValue], limit: Int = 12) -> String {
        let shown = values.prefix(limit).map(render).joined(separator: ", ")
        return values.count > limit ? shown + ", … (\(values.count) allowed values)" : shown
    }

    /// `expected one of "a", "b", found "c"` or `expected "a", found "c"`.
    static func expectedValues(_ values: [JSONValue], found: JSONValue) -> String {
        if values.count == 1, let only = values.first {
            return "expected \(render(only)), found \(describe(found))"
        }
        if values.isEmpty { return "no value is allowed here, found \(describe(found))" }
        return "expected one of \(valueList(values)), found \(describe(found))"
    }

    /// `characters`, counted in Unicode code points.
    static func characters(_ count: Int) -> String {
        plural(count, "character")
    }
}
