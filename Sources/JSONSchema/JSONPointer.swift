// MARK: - JSONPointer

/// An RFC 6901 JSON pointer such as `/sessions/0/date`.
///
/// Tokens are stored unescaped; the string form escapes `~` as `~0` and `/` as `~1`.
/// The empty pointer `""` refers to the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public var tokens: [String]

    /// Creates a pointer from unescaped tokens (the root pointer when empty).
    public init(tokens: [String] = []) {
        self.tokens = tokens
    }

    /// Parses the string form of a pointer (`""` or `/a/b~1c`).
    ///
    /// - Throws: ``JSONPointerError`` when the text does not start with `/` or uses a `~` other than `~0`/`~1`.
    public init(_ text: String) throws(JSONPointerError) {
        if text.isEmpty {
            self.init()
            return
        }
        guard text.hasPrefix("/") else { throw .missingLeadingSlash(text) }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = JSONPointer.unescape(String(raw)) else { throw .invalidEscape(text) }
            tokens.append(token)
        }
        self.init(tokens: tokens)
    }

    /// Parses a URI fragment such as `#/$defs/a%20b` (percent-decoded first), or nil when it is not a pointer.
    public init?(uriFragment: String) {
        var fragment = Substring(uriFragment)
        if fragment.hasPrefix("#") { fragment = fragment.dropFirst() }
        guard let decoded = URIReference.percentDecode(String(fragment)),
            let pointer = try? JSONPointer(decoded)
        else { return nil }
        self = pointer
    }

    /// The escaped string form, e.g. `/a~1b/0`.
    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            out += JSONPointer.escape(token)
        }
        return out
    }

    /// A pointer to a member or element one level deeper.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// A pointer to an array element one level deeper.
    public func appending(index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// Escapes one token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out = ""
        for ch in token.unicodeScalars {
            switch ch {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Unescapes one token (`~1` → `/`, `~0` → `~`), or nil when it contains any other `~` sequence.
    public static func unescape(_ token: String) -> String? {
        guard token.utf8.contains(UInt8(ascii: "~")) else { return token }
        var out = ""
        var iterator = token.unicodeScalars.makeIterator()
        while let ch = iterator.next() {
            if ch == "~" {
                switch iterator.next() {
                case "0": out += "~"
                case "1": out += "/"
                default: return nil
                }
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Joins the string form of `parent` with one more (unescaped) token.
    public static func appending(_ token: String, to parent: String) -> String {
        parent + "/" + escape(token)
    }

    /// The array index a token denotes (`0`, `17`; not `01`, `-1` or `-`), or nil.
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, !utf8.isEmpty, utf8.count < 19 else { return nil }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        var value = 0
        for b in utf8 {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }
}

// MARK: - JSONPointerError

/// Why a string is not a valid JSON pointer.
public enum JSONPointerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A non-empty pointer must start with `/`.
    case missingLeadingSlash(String)
    /// `~` must be followed by `0` or `1`.
    case invalidEscape(String)

    /// A plain-English explanation.
    public var description: String {
        switch self {
        case .missingLeadingSlash(let text):
            return "\"\(text)\" is not a JSON pointer: it must be empty or start with '/'"
        case .invalidEscape(let text):
            return "\"\(text)\" is not a JSON pointer: '~' must be followed by 0 or 1"
        }
    }
}
