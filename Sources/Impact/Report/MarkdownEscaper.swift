import Mustache

// MARK: - Markdown escaping

/// Makes any text safe to place in a Markdown report, inline or in a table cell, so that no return can add
/// a heading, list, quote, link, image, table cell, code, emphasis or HTML.
///
/// - line breaks (CR, LF, vertical tab, form feed, NEL, U+2028, U+2029) and tabs become single spaces, so a
///   value never leaves its line or table cell; runs of spaces collapse and the ends are trimmed;
/// - control characters, the byte-order mark and bidirectional overrides are removed;
/// - `\` `` ` `` `*` `_` `[` `]` `#` `|` `!` `~` `$` are escaped with a backslash;
/// - `<` `>` `&` become `&lt;` `&gt;` `&amp;`;
/// - at the start of the value, a `-` or `+` followed by a space, or a run of `-`, `=` and spaces, is
///   escaped (no list item, thematic break or setext heading; `-3` and `+£5` stay as they are), and the
///   `.` or `)` of `12. ` or `3) ` is escaped (no numbered list).
enum MarkdownEscaper {
    /// The characters escaped with a backslash wherever they are.
    static let backslashed: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "#", "|", "!", "~", "$"]

    /// The text, escaped.
    static func escape(_ text: String) -> String {
        let flat = flatten(text)
        let scalars = Array(flat.unicodeScalars)
        var leading = ""
        var listMarker: Int?
        if let first = scalars.first {
            if first == "-" || first == "+" || first == "=" {
                let next = scalars.count > 1 ? scalars[1] : " "
                let onlyRules = scalars.allSatisfy { $0 == "-" || $0 == "=" || $0 == " " }
                if next == " " || onlyRules { leading = "\\" }
            } else if ("0"..."9").contains(first) {
                var index = 0
                while index < scalars.count && index < 10 && ("0"..."9").contains(scalars[index]) { index += 1 }
                if index < scalars.count, scalars[index] == "." || scalars[index] == ")",
                    index + 1 == scalars.count || scalars[index + 1] == " "
                {
                    listMarker = index
                }
            }
        }
        var out = leading
        out.reserveCapacity(flat.utf8.count + 8)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                if backslashed.contains(scalar) || index == listMarker { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text on one line: breaks and tabs as single spaces, controls removed, ends trimmed.
    static func flatten(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0x2028, 0x2029:
                pendingSpace = !out.isEmpty
            case 0x00...0x1F, 0x7F...0x9F, 0xFEFF, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

// MARK: - Mustache content type

/// The Mustache content type of the report templates: `{{value}}` is escaped with ``MarkdownEscaper``.
struct MarkdownContentType: MustacheContentType {
    /// The name templates are parsed under.
    static let name = "IMPACT_MARKDOWN"

    /// Registers the content type once, before any template is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(MarkdownContentType(), named: name)
        return true
    }()

    func escapeText(_ text: String) -> String {
        MarkdownEscaper.escape(text)
    }
}
