import Foundation
import TableSchema

// MARK: - Text from partners, made safe before escaping

/// Prepares text that partners wrote for a report context: person references removed, findings about
/// person references or notes stripped of the values they quote, narrative split into paragraphs.
/// Markdown escaping happens afterwards, when the template renders the value.
struct ContextText {
    /// Removes person references.
    let redactor: PersonRefRedactor

    /// Fields whose values are never shown in findings: they hold person references, or free text (notes,
    /// narrative, stories) that may not have consent to be quoted or may hold personal data.
    static let withheldFields: Set<String> = PersonalDataScan.textFieldNames.union(["person_ref"])
    /// What a withheld value reads.
    static let withheldValue = "(value withheld)"

    /// Partner text with person references removed.
    func text(_ value: String) -> String { redactor.redact(value) }

    /// The paragraphs of a narrative answer: split at blank lines, each on one line, person references
    /// removed; empty paragraphs dropped.
    func paragraphs(_ value: String?) -> [String] {
        guard let value else { return [] }
        var paragraphs: [String] = []
        var current: [String] = []
        let lines = value.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs.map(text)
    }

    /// The impact lead's commentary as Markdown for the report: person references removed, HTML shown as text
    /// (`<` written `&lt;` outside code), and headings made subheadings of the report's section (`#` and `##`
    /// become `###`, each level below it one further down; an underlined heading becomes a plain paragraph).
    func commentary(_ markdown: String) -> String {
        let lines = text(markdown).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        var out: [String] = []
        var fence: Character?
        for raw in lines {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if indent <= 3, let mark = trimmed.first, mark == "`" || mark == "~", trimmed.hasPrefix(String(repeating: mark, count: 3)) {
                if fence == nil { fence = mark } else if fence == mark { fence = nil }
                out.append(line)
                continue
            }
            if fence != nil {
                out.append(line)
                continue
            }
            var safe = line.replacingOccurrences(of: "<", with: "&lt;")
            if indent <= 3 {
                let hashes = trimmed.prefix { $0 == "#" }.count
                let rest = trimmed.dropFirst(hashes)
                if (1...6).contains(hashes) && (rest.isEmpty || rest.first == " " || rest.first == "\t") {
                    let level = min(6, max(3, hashes + 2))
                    safe = String(repeating: "#", count: level) + String(rest).replacingOccurrences(of: "<", with: "&lt;")
                } else if !trimmed.isEmpty && trimmed.allSatisfy({ $0 == "=" || $0 == " " }) && trimmed.first == "=" {
                    safe = "\\" + String(trimmed)
                } else if !trimmed.isEmpty && trimmed.allSatisfy({ $0 == "-" || $0 == " " }) && trimmed.first == "-",
                    let previous = out.last, !previous.trimmingCharacters(in: .whitespaces).isEmpty
                {
                    out.append("")
                }
            }
            out.append(safe)
        }
        while let last = out.last, last.trimmingCharacters(in: .whitespaces).isEmpty { out.removeLast() }
        while let first = out.first, first.trimmingCharacters(in: .whitespaces).isEmpty { out.removeFirst() }
        return out.joined(separator: "\n")
    }

    /// A workspace-relative path, with person references removed.
    func path(_ value: String) -> String { text(value) }

    /// Where a finding is: file, row and column, or the form's pointer and line.
    func location(_ item: FileFinding) -> String {
        var parts = [path(item.file)]
        let finding = item.finding
        if let row = finding.rowNumber { parts.append("row \(row)") }
        if let name = finding.fieldName {
            parts.append("column \(name)" + (finding.fieldNumber.map { " (\($0))" } ?? ""))
        } else if let number = finding.fieldNumber {
            parts.append("column \(number)")
        }
        if let pointer = finding.pointer, finding.fieldName == nil || finding.rowNumber == nil {
            parts.append("at \(pointer)")
        }
        if let line = finding.line { parts.append("line \(line)") }
        return text(parts.joined(separator: ", "))
    }

    /// A finding's message, without the values of withheld fields and without person references.
    func message(_ item: FileFinding) -> String {
        let finding = item.finding
        var message = finding.message
        if isWithheld(finding) {
            message = Self.withholdingKeyValues(message)
            if let cell = finding.cell, !cell.isEmpty {
                message = message.replacingOccurrences(of: cell, with: Self.withheldValue)
            }
            message = Self.withholdingQuotedValues(message)
        }
        return text(message)
    }

    /// Whether a finding is about a field whose values are never shown, or names one (a key of several
    /// fields that includes `person_ref`).
    func isWithheld(_ finding: Finding) -> Bool {
        if let name = finding.fieldName, Self.withheldFields.contains(name) { return true }
        if let pointer = finding.pointer, let last = pointer.split(separator: "/").last,
            Self.withheldFields.contains(String(last))
        {
            return true
        }
        let words = finding.message.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.contains { Self.withheldFields.contains(String($0)) }
    }

    /// The text with the values of a key (`(a, b) = (1, 2)`) replaced.
    static func withholdingKeyValues(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: " = (") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: ")") else {
                rest = ""
                break
            }
            out += withheldValue.dropFirst().dropLast()
            rest = rest[close...]
        }
        return out + rest
    }

    /// The text with every double-quoted value replaced.
    static func withholdingQuotedValues(_ text: String) -> String {
        var out = ""
        var inQuote = false
        for character in text {
            if character == "\"" {
                if inQuote { out += withheldValue }
                inQuote.toggle()
            } else if !inQuote {
                out.append(character)
            }
        }
        return out
    }
}
