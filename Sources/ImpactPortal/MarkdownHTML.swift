import Foundation

/// Renders the Markdown `impact` writes (the partner feedback) as HTML for the portal: headings, paragraphs,
/// tables, block quotes, lists and fenced code; bold and code spans inline. It renders only that subset, and
/// escapes everything: the feedback's values were escaped for Markdown when it was written (backslashes and
/// `&lt;`), and each is shown here as the character it stands for, never as markup.
enum MarkdownHTML {
    /// A part of the page under one second-level heading (nil before the first).
    struct Section: Equatable {
        /// The heading's text, as shown.
        var heading: String?
        /// The HTML of the heading and what follows it up to the next second-level heading.
        var html: String
    }

    /// The HTML of a Markdown text, section by section.
    static func sections(_ markdown: String) -> [Section] {
        var sections = [Section(heading: nil, html: "")]
        let lines = markdown.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        var index = 0
        func emit(_ html: String) { sections[sections.count - 1].html += html + "\n" }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") {
                var code: [String] = []
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    code.append(lines[index])
                    index += 1
                }
                index += 1
                emit("<pre><code>\(HTML.escape(code.joined(separator: "\n")))</code></pre>")
                continue
            }
            let hashes = trimmed.prefix { $0 == "#" }.count
            if (1...6).contains(hashes), trimmed.dropFirst(hashes).first == " " {
                let text = String(trimmed.dropFirst(hashes + 1))
                if hashes == 2 { sections.append(Section(heading: plain(text), html: "")) }
                let level = min(6, hashes)
                emit("<h\(level) id=\"\(anchor(plain(text)))\">\(inline(text))</h\(level)>")
                index += 1
                continue
            }
            if trimmed.hasPrefix("|"), index + 1 < lines.count, isDelimiterRow(lines[index + 1]) {
                let header = cells(trimmed)
                let alignments = cells(lines[index + 1]).map { $0.hasSuffix(":") ? " class=\"number\"" : "" }
                index += 2
                var html = "<div class=\"grid\" role=\"region\" tabindex=\"0\" aria-label=\"Table\"><table><thead><tr>"
                for (column, cell) in header.enumerated() {
                    html += "<th scope=\"col\"\(column < alignments.count ? alignments[column] : "")>\(inline(cell))</th>"
                }
                html += "</tr></thead><tbody>"
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    html += "<tr>"
                    for (column, cell) in cells(lines[index]).enumerated() {
                        html += "<td\(column < alignments.count ? alignments[column] : "")>\(inline(cell))</td>"
                    }
                    html += "</tr>"
                    index += 1
                }
                emit(html + "</tbody></table></div>")
                continue
            }
            if trimmed.hasPrefix(">") {
                var paragraphs: [[String]] = [[]]
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
                    let content = lines[index].trimmingCharacters(in: .whitespaces).dropFirst().trimmingCharacters(in: .whitespaces)
                    if content.isEmpty { paragraphs.append([]) } else { paragraphs[paragraphs.count - 1].append(content) }
                    index += 1
                }
                let html = paragraphs.filter { !$0.isEmpty }.map { "<p>\(inline($0.joined(separator: " ")))</p>" }.joined()
                emit("<blockquote>\(html)</blockquote>")
                continue
            }
            if trimmed.hasPrefix("- ") {
                var items: [String] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("- ") {
                    items.append("<li>\(inline(String(lines[index].trimmingCharacters(in: .whitespaces).dropFirst(2))))</li>")
                    index += 1
                }
                emit("<ul>\(items.joined())</ul>")
                continue
            }
            var paragraph: [String] = []
            while index < lines.count {
                let text = lines[index].trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.hasPrefix("#") || text.hasPrefix("|") || text.hasPrefix(">") || text.hasPrefix("- ")
                    || text.hasPrefix("```")
                {
                    break
                }
                paragraph.append(text)
                index += 1
            }
            emit("<p>\(inline(paragraph.joined(separator: " ")))</p>")
        }
        return sections.filter { $0.heading != nil || !$0.html.isEmpty }
    }

    // MARK: - Inline

    /// Inline Markdown as HTML: backslash escapes and the entities the escaper writes become their characters,
    /// `**bold**` and `` `code` `` become elements, and everything else is escaped.
    static func inline(_ text: String) -> String {
        var out = ""
        var strong = false
        var code = false
        var characters = Substring(text)
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\\", let next = characters.first, next.isASCII, next.isPunctuation || next.isSymbol {
                out += HTML.escape(String(next))
                characters = characters.dropFirst()
            } else if character == "&", let entity = entities.first(where: { characters.hasPrefix($0.name) }) {
                out += HTML.escape(entity.character)
                characters = characters.dropFirst(entity.name.count)
            } else if character == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if character == "*", characters.first == "*", !code {
                out += strong ? "</strong>" : "<strong>"
                strong.toggle()
                characters = characters.dropFirst()
            } else {
                out += HTML.escape(String(character))
            }
        }
        if code { out += "</code>" }
        if strong { out += "</strong>" }
        return out
    }

    /// The entities ``MarkdownEscaper`` writes, after their `&`.
    private static let entities: [(name: String, character: String)] = [
        ("lt;", "<"), ("gt;", ">"), ("amp;", "&"), ("quot;", "\""), ("#39;", "'"),
    ]

    /// Text without its Markdown: what a heading says, for a label or a section's name.
    static func plain(_ text: String) -> String {
        let html = inline(text).replacingOccurrences(of: "<strong>", with: "").replacingOccurrences(of: "</strong>", with: "")
            .replacingOccurrences(of: "<code>", with: "").replacingOccurrences(of: "</code>", with: "")
        return html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// An `id` for a heading: lower-case letters and digits joined by dashes.
    static func anchor(_ text: String) -> String {
        let words = text.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return "s-" + words.joined(separator: "-")
    }

    // MARK: - Tables

    private static func isDelimiterRow(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("|") && trimmed.contains("-") && trimmed.allSatisfy { "|-: ".contains($0) }
    }

    /// A table row's cells: split at `|` that no backslash escapes.
    private static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.trimmingCharacters(in: .whitespaces) {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current)
        // The text before the first pipe and after the last is not a cell.
        return Array(cells.dropFirst().dropLast()).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
