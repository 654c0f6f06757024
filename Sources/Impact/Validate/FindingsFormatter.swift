import JSONSchema
import TableSchema

/// Turns a validation report into the text people read or the JSON programs read.
public enum FindingsFormatter {
    // MARK: - JSON

    /// The report as JSON in the documented, stable shape (docs/findings.md):
    /// `{"valid", "files": [{"path", "kind", "valid", "rows", "encoding", "notes", "findings": [{"severity",
    /// "code", "rowNumber", "fieldName", "fieldNumber", "cell", "message"}, ...]}]}`. Keys always appear in
    /// this order; `byteOffset`, `pointer`, `line`, `column`, `rule`, `sheet` and `cellReference` follow `message` when
    /// known.
    public static func json(_ report: ValidationReport) -> String {
        var out = ""
        json(report) { out += $0 }
        return out
    }

    /// The same JSON, handed to `write` piece by piece (a file's header, then its findings a few thousand at a
    /// time), so that a report of a hundred thousand findings is never held as one string. A file's findings
    /// are formatted on up to `jobs` cores, and written in order: the text is the same for any `jobs`.
    public static func json(_ report: ValidationReport, jobs: Int = 1, write: (String) -> Void) {
        write("{\n  \"valid\": \(report.valid),\n  \"files\": [")
        for (fileIndex, file) in report.files.enumerated() {
            var out = fileIndex == 0 ? "\n" : ",\n"
            out += "    {\n"
            out += "      \"path\": \(string(file.path)),\n"
            out += "      \"kind\": \(file.kind.map(string) ?? "null"),\n"
            out += "      \"valid\": \(file.valid),\n"
            out += "      \"rows\": \(file.rows),\n"
            out += "      \"encoding\": \(file.encoding.map(string) ?? "null"),\n"
            out += "      \"notes\": [\(file.notes.map(string).joined(separator: ", "))],\n"
            out += "      \"findings\": ["
            write(out)
            let findings = file.findings
            let chunk = 4096
            // Two chunks per job at a time, so that memory stays bounded.
            let starts = Array(stride(from: 0, to: findings.count, by: chunk))
            let window = max(1, jobs) * 2
            for group in stride(from: 0, to: starts.count, by: window) {
                let texts = Array(starts[group..<min(starts.count, group + window)]).parallelMap(jobs: jobs) {
                    start in
                    var text = ""
                    for index in start..<min(findings.count, start + chunk) {
                        text += (index == 0 ? "\n" : ",\n") + "        " + findingJSON(findings[index])
                    }
                    return text
                }
                texts.forEach(write)
            }
            write((file.findings.isEmpty ? "]\n" : "\n      ]\n") + "    }")
        }
        write(report.files.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    }

    /// One finding as a single-line JSON object.
    public static func findingJSON(_ finding: Finding) -> String {
        var out = String()
        out.reserveCapacity(finding.message.utf8.count + 160)
        out += "{\"severity\": " + string(finding.severity.rawValue)
        out += ", \"code\": " + string(finding.code.rawValue)
        out += ", \"rowNumber\": " + (finding.rowNumber.map(String.init) ?? "null")
        out += ", \"fieldName\": " + (finding.fieldName.map(string) ?? "null")
        out += ", \"fieldNumber\": " + (finding.fieldNumber.map(String.init) ?? "null")
        out += ", \"cell\": " + (finding.cell.map(string) ?? "null")
        out += ", \"message\": " + string(finding.message)
        if let value = finding.byteOffset { out += ", \"byteOffset\": " + String(value) }
        if let value = finding.pointer { out += ", \"pointer\": " + string(value) }
        if let value = finding.line { out += ", \"line\": " + String(value) }
        if let value = finding.column { out += ", \"column\": " + String(value) }
        if let value = finding.rule { out += ", \"rule\": " + string(value) }
        if let value = finding.sheet { out += ", \"sheet\": " + string(value) }
        if let value = finding.cellReference, finding.sheet != nil { out += ", \"cellReference\": " + string(value) }
        return out + "}"
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String {
        JSONString.literal(text)
    }

    // MARK: - Text

    /// The report as text: per file, findings grouped by problem and column with a count and the first
    /// three examples (every finding with `all`), then a summary line.
    public static func text(_ report: ValidationReport, all: Bool = false, examples: Int = 3) -> String {
        var out = ""
        for file in report.files {
            let kind = file.kind ?? "unrecognised"
            let rows = file.rows == 1 ? "1 row" : "\(file.rows) rows"
            let verdict: String
            if file.findings.isEmpty {
                verdict = "valid"
            } else if file.valid {
                verdict = "valid, \(plural(file.warningCount, "warning"))"
            } else {
                verdict = "\(plural(file.errorCount, "error")), \(plural(file.warningCount, "warning"))"
            }
            out += "\(file.valid ? "✓" : "✗") \(file.path) — \(kind), \(rows): \(verdict)\n"
            if let encoding = file.encoding, encoding != "utf-8" { out += "    read as \(encoding)\n" }
            for note in file.notes { out += "    note: \(note)\n" }
            if all {
                for finding in file.findings {
                    out += "    \(finding.severity == .error ? "error" : "warning") [\(finding.code.rawValue)] \(finding.message)\n"
                }
                continue
            }
            for group in groups(file.findings) {
                let column = (group.fieldName.map { " in \($0)" } ?? "") + (group.sheet.map { " on sheet \($0)" } ?? "")
                out += "  \(group.severity == .error ? "error" : "warning") \(group.code.rawValue)\(column) (\(group.findings.count)):\n"
                for finding in group.findings.prefix(examples) { out += "    \(finding.message)\n" }
                if group.findings.count > examples {
                    out += "    … and \(group.findings.count - examples) more like this (use --all to list every one)\n"
                }
            }
        }
        let errors = report.files.reduce(0) { $0 + $1.errorCount }
        let warnings = report.files.reduce(0) { $0 + $1.warningCount }
        let valid = report.files.filter(\.valid).count
        out +=
            "\n\(plural(report.files.count, "file")) checked: \(valid) valid, \(report.files.count - valid) with errors; \(plural(errors, "error")), \(plural(warnings, "warning")).\n"
        return out
    }

    /// Findings grouped by severity, code and column, in order of first appearance.
    public struct Group: Sendable {
        /// Error or warning.
        public var severity: Severity
        /// The finding code.
        public var code: FindingCode
        /// The column, when the findings are about one.
        public var fieldName: String?
        /// The workbook sheet, when the findings are on one.
        public var sheet: String?
        /// The findings in the group, in file order.
        public var findings: [Finding]
    }

    /// Groups findings by severity, code and column (errors first, then in order of first appearance).
    public static func groups(_ findings: [Finding]) -> [Group] {
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for finding in findings {
            let key = "\(finding.severity.rawValue)|\(finding.code.rawValue)|\(finding.fieldName ?? "")|\(finding.sheet ?? "")"
            if let position = index[key] {
                groups[position].findings.append(finding)
            } else {
                index[key] = groups.count
                groups.append(
                    Group(
                        severity: finding.severity, code: finding.code, fieldName: finding.fieldName, sheet: finding.sheet,
                        findings: [finding]))
            }
        }
        return groups.enumerated().sorted { left, right in
            left.element.severity != right.element.severity ? left.element.severity < right.element.severity : left.offset < right.offset
        }.map(\.element)
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
