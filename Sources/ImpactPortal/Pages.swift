import Foundation
import Impact
import TableSchema

/// The portal's pages, as HTML strings. Everything that came from a partner is escaped here.
public struct Pages: Sendable {
    /// The programme's name, shown in every page's header.
    public var programme: String
    /// The schemas, for the field guide and the templates.
    public var schemas: SchemaSet
    /// The largest upload accepted, for the form's hint.
    public var maxUploadBytes: Int
    /// The most files in one check.
    public var maxFiles: Int
    /// Days after a quarter's end by which its return is due (for the receipt's next steps).
    public var dueDays = 30
    /// Where partners send questions (for the receipt), if the programme gives an address.
    public var contact = ""
    /// The time zone the receipt's times are shown in (an IANA name; UTC when unknown).
    public var timeZone = "Europe/London"

    /// The file name of the Excel template.
    public static let excelTemplateName = "return.xlsx"

    /// The tables a partner sends (the programme's declared ones too), in the order they are explained.
    var returnTables: [String] { schemas.returnTables }

    // MARK: - Home

    /// The upload form: files, or CSV pasted into a box.
    public func home(problem: String? = nil) -> String {
        let error =
            problem.map {
                """
                <div class="summary" role="alert" tabindex="-1"><h2>There is a problem</h2><p>\(HTML.escape($0))</p></div>
                """
            } ?? ""
        return HTML.page(
            title: "Check a return", programme: programme,
            body: """
                <h1>Check your quarterly return</h1>
                \(error)
                <p>Choose your return's files (CSV, the Excel workbook, or the JSON or YAML form) and check them. Every problem is shown on \
                your own rows, with how to fix it. Nothing is sent to the alliance until you send it.</p>
                <form method="post" action="/check" enctype="multipart/form-data">
                <label for="files">Your return's files</label>
                <p class="hint" id="files-hint">Up to \(maxFiles) files, \(maxUploadBytes / (1024 * 1024)) MB in all: \
                the support, outcomes and ripple tables, or one form.</p>
                <input type="file" id="files" name="files" multiple accept=".csv,.tsv,.txt,.json,.yaml,.yml,.xlsx" aria-describedby="files-hint">
                <label for="pasted">Or paste one table (CSV)</label>
                <p class="hint" id="pasted-hint">Copy the rows from your spreadsheet, header row included.</p>
                <textarea id="pasted" name="pasted" aria-describedby="pasted-hint" spellcheck="false"></textarea>
                \(narrativeBoxes())
                <button type="submit">Check</button>
                </form>
                """, footer: HTML.checkedNotKept)
    }

    // MARK: - Result

    /// The result of a check: a summary linking to every problem, then each problem on a grid.
    public func result(_ files: [CheckedFile]) -> String {
        let errors = files.reduce(0) { $0 + $1.errors }
        let warnings = files.reduce(0) { $0 + $1.warnings }
        var body = "<h1>Your return: \(errors == 0 ? "no errors" : "\(errors) error\(errors == 1 ? "" : "s") to fix")</h1>\n"
        // The summary comes first and links to each problem (WCAG: error summary at the top).
        var summary = ""
        if errors == 0 && warnings == 0 {
            summary =
                "<div class=\"summary ok\" role=\"status\"><h2>Everything checked</h2><p>No problems found in \(Self.count(files.count, "file")).</p></div>\n"
        } else {
            summary += "<div class=\"summary\" role=\"alert\" tabindex=\"-1\" aria-labelledby=\"summary-title\">\n"
            summary +=
                "<h2 id=\"summary-title\">There \(errors + warnings == 1 ? "is" : "are") \(Self.count(errors, "error")) and \(Self.count(warnings, "warning"))</h2>\n"
            summary += "<p>Errors stop the return being accepted; warnings do not, but please read them.</p>\n<ul>\n"
            // Each problem shown links to its place; a group with more says how many more.
            for file in files {
                for group in file.groups {
                    let title = FindingHelp.title(group.code)
                    for problem in group.shown {
                        let place = self.place(problem.finding).dropLast(2)
                        let severity = problem.finding.severity == .warning ? "Warning" : "Error"
                        summary +=
                            "<li><a href=\"#\(problem.anchor)\">\(HTML.escape(file.name))\(place.isEmpty ? "" : ", " + HTML.escape(String(place))): \(severity), \(HTML.escape(title.prefix(1).lowercased() + title.dropFirst()))</a></li>\n"
                    }
                    if group.count > group.shown.count {
                        summary +=
                            "<li>\(HTML.escape(file.name)): \(group.count - group.shown.count) more like these (\(HTML.escape(title.prefix(1).lowercased() + title.dropFirst())))</li>\n"
                    }
                }
            }
            summary += "</ul></div>\n"
        }
        body += summary
        for file in files {
            body += "<h2>\(HTML.escape(file.name))</h2>\n"
            body +=
                "<p class=\"counts\">Read as \(HTML.escape(file.table ?? "an unrecognised file")), \(Self.count(file.rows, "row")): \(Self.count(file.errors, "error")), \(Self.count(file.warnings, "warning")).</p>\n"
            for group in file.groups { body += self.group(group) }
        }
        if errors == 0 {
            body += "<p><a href=\"/send\">Send this return</a> (you will need your partner token).</p>\n"
        }
        body += "<p><a href=\"/\">Check another file</a></p>\n"
        // The title says there is a problem first, as the tab and a screen reader announce it.
        return HTML.page(
            title: errors == 0 ? "No errors" : "Error: \(Self.count(errors, "error")) to fix", programme: programme, body: body,
            footer: HTML.checkedNotKept)
    }

    func group(_ group: ProblemGroup) -> String {
        var out = "<section aria-labelledby=\"g-\(group.shown.first?.anchor ?? "")\">\n"
        out +=
            "<h3 id=\"g-\(group.shown.first?.anchor ?? "")\">\(HTML.escape(FindingHelp.title(group.code))): \(Self.counted(group))</h3>\n"
        out += "<p class=\"fix\"><strong>How to fix:</strong> \(HTML.escape(FindingHelp.howToFix(group.code))) "
        out += "<a href=\"/guide#code-\(group.code.rawValue)\">More about this kind of problem</a></p>\n"
        for problem in group.shown {
            let finding = problem.finding
            out += "<div class=\"problem\(finding.severity == .warning ? " warning" : "")\" id=\"\(problem.anchor)\">\n"
            // Said in words, not only by the border's colour.
            out += "<p><strong class=\"severity\">\(finding.severity == .warning ? "Warning" : "Error"):</strong> "
            out += "\(HTML.escape(place(finding)))\(HTML.escape(Self.withoutPlace(finding)))"
            if let field = finding.fieldName {
                out += " <a href=\"/guide#field-\(HTML.escape(field))\">What goes in <code>\(HTML.escape(field))</code></a>"
            }
            out += "</p>\n"
            if let grid = problem.grid { out += self.grid(grid) }
            out += "</div>\n"
        }
        if group.count > group.shown.count {
            out += "<p>…and \(group.count - group.shown.count) more like these.</p>\n"
        }
        return out + "</section>\n"
    }

    /// A group's errors and warnings, counted apart: "6 errors and 1 warning", "7 errors", "1 warning".
    static func counted(_ group: ProblemGroup) -> String {
        switch (group.errors, group.warnings) {
        case (_, 0): count(group.errors, "error")
        case (0, _): count(group.warnings, "warning")
        default: "\(count(group.errors, "error")) and \(count(group.warnings, "warning"))"
        }
    }

    func place(_ finding: Finding) -> String {
        var parts: [String] = []
        if let sheet = finding.sheet {
            // A workbook: the sheet and cell as Excel shows them.
            parts.append("Sheet \(sheet)")
            if let row = finding.rowNumber, let column = finding.fieldNumber {
                parts.append("cell \(CellGrid.letters(column))\(row)" + (finding.fieldName.map { " (\($0))" } ?? ""))
            } else if let row = finding.rowNumber {
                parts.append("row \(row)")
            }
            return parts.joined(separator: ", ") + ": "
        }
        if let row = finding.rowNumber { parts.append("Row \(row)") }
        if let column = finding.fieldNumber {
            parts.append("column \(CellGrid.letters(column))" + (finding.fieldName.map { " (\($0))" } ?? ""))
        }
        if let pointer = finding.pointer, finding.rowNumber == nil { parts.append(pointer) }
        if let line = finding.line { parts.append("line \(line)") }
        return parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
    }

    /// The message without the validator's own "Row 3, column x: " opening, which ``place(_:)`` says
    /// again with the column's letter.
    static func withoutPlace(_ finding: Finding) -> String {
        let message = finding.message
        if finding.sheet != nil {
            // The workbook reader opens each message with the cell (support!I3), the row or the sheet.
            let opening = [finding.cellReference, finding.sheet.map { "Sheet \"\($0)\"" }].compactMap { $0 }
            guard let start = opening.first(where: { message.hasPrefix($0 + ": ") || message.hasPrefix($0 + " (") }),
                let colon = message[message.index(message.startIndex, offsetBy: start.count)...].range(of: ": ")
            else { return message }
            let rest = message[colon.upperBound...]
            return rest.isEmpty ? message : sentence(rest)
        }
        guard let row = finding.rowNumber, message.hasPrefix("Row \(row)"), let colon = message.range(of: ": ") else {
            return message
        }
        let rest = message[colon.upperBound...]
        return rest.isEmpty ? message : sentence(rest)
    }

    /// The rest of a message as a sentence: its first letter capitalised, unless it opens with a field name
    /// (`sessions_attended`), which is kept as the partner typed it.
    static func sentence(_ rest: Substring) -> String {
        let firstWord = rest.prefix { $0 != " " && $0 != "(" && $0 != ":" }
        if firstWord.contains("_") { return String(rest) }
        return rest.prefix(1).uppercased() + rest.dropFirst()
    }

    func grid(_ grid: CellGrid) -> String {
        // On a narrow screen the grid scrolls sideways in its own region (a keyboard can scroll it too)
        // instead of breaking its cells letter by letter.
        var out =
            "<div class=\"grid\" role=\"region\" tabindex=\"0\" aria-label=\"Your rows around row \(grid.markedRow)\"><table>\n<caption class=\"hint\">Your rows around row \(grid.markedRow)"
        if let sheet = grid.sheet { out += " of sheet \(HTML.escape(sheet))" }
        if let column = grid.markedColumn { out += ", the problem cell (column \(CellGrid.letters(column))) marked ▶" }
        out += "</caption>\n<thead><tr><th scope=\"col\"><span class=\"hint\">row</span></th>"
        for column in grid.columns { out += "<th scope=\"col\">\(CellGrid.letters(column))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in grid.rows {
            let isBad = row.number == grid.markedRow
            out += "<tr\(isBad ? " class=\"bad\"" : "")><th scope=\"row\">\(row.number)</th>"
            for (column, cell) in zip(grid.columns, row.cells) {
                let bad = isBad && column == grid.markedColumn
                let text =
                    cell.map { $0.isEmpty ? "<span class=\"empty\">(empty)</span>" : HTML.escape($0) }
                    ?? "<span class=\"empty\">(no cell)</span>"
                out += bad ? "<td class=\"bad\"><span class=\"hint\">problem: </span>\(text)</td>" : "<td>\(text)</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    // MARK: - Field guide and templates

    /// What each column of each table means, from the schemas.
    public func guide() -> String {
        var body =
            "<h1>Field guide</h1>\n<p>What each column of the return means and what it accepts. It is made from the alliance's schemas, so it is always up to date.</p>\n"
        body +=
            "<ul>" + returnTables.map { "<li><a href=\"#table-\($0)\">\($0)</a></li>" }.joined()
            + "<li><a href=\"#codes\">Kinds of problem</a></li></ul>\n"
        for name in returnTables {
            guard let schema = schemas[name] else { continue }
            body += "<h2 id=\"table-\(name)\">\(HTML.escape(schema.title ?? name)) (<code>\(name)</code>)</h2>\n"
            if let description = schema.description { body += "<p>\(HTML.escape(description))</p>\n" }
            body += "<p><a href=\"/templates/\(name).csv\">Download the blank \(name) template</a></p>\n"
            body +=
                "<div class=\"grid\"><table><thead><tr><th scope=\"col\">Column</th><th scope=\"col\">What it means</th><th scope=\"col\">What it accepts</th><th scope=\"col\">Example</th></tr></thead><tbody>\n"
            for field in schema.fields {
                body += "<tr id=\"field-\(HTML.escape(field.name))\"><th scope=\"row\"><code>\(HTML.escape(field.name))</code>"
                if field.constraints.required { body += "<br><span class=\"hint\">required</span>" }
                body += "</th><td>\(HTML.escape(field.description ?? field.title ?? ""))</td><td>\(HTML.escape(Self.accepts(field)))</td>"
                body += "<td>\(field.example.map { "<code>\(HTML.escape($0))</code>" } ?? "")</td></tr>\n"
            }
            body += "</tbody></table></div>\n"
        }
        body += "<h2 id=\"codes\">Kinds of problem</h2>\n<dl>\n"
        for code in FindingCode.allCases {
            body +=
                "<dt id=\"code-\(code.rawValue)\"><code>\(code.rawValue)</code>: \(HTML.escape(FindingHelp.title(code)))</dt><dd>\(HTML.escape(FindingHelp.howToFix(code)))</dd>\n"
        }
        body += "</dl>\n"
        return HTML.page(title: "Field guide", programme: programme, body: body)
    }

    /// The list of blank templates.
    public func templates() -> String {
        var body =
            "<h1>Blank templates</h1>\n<p><a href=\"/templates/\(Self.excelTemplateName)\">Download the Excel workbook</a>: a sheet for each table, with dropdowns, Excel's own checks and the field guide. Fill it in and check it here as it is.</p>\n<p>Or use one CSV file per table, with the header row only. Fill in one row per person (or per note), then check it here.</p>\n<ul>\n"
        for name in returnTables where schemas[name] != nil {
            body += "<li><a href=\"/templates/\(name).csv\">\(name).csv</a>: \(HTML.escape(schemas[name]?.description ?? ""))</li>\n"
        }
        return HTML.page(title: "Blank templates", programme: programme, body: body + "</ul>\n")
    }

    /// A blank CSV template: the header row of a return table, or nil for an unknown table.
    public func template(_ table: String) -> String? {
        guard returnTables.contains(table), let schema = schemas[table] else { return nil }
        return schema.fields.map(\.name).joined(separator: ",") + "\r\n"
    }

    /// What a field accepts, in words.
    static func accepts(_ field: Field) -> String {
        var parts: [String] = []
        switch field.type {
        case .integer: parts.append("a whole number")
        case .number: parts.append("a number")
        case .boolean: parts.append("true or false")
        case .date: parts.append("a date, like 2026-04-01")
        case .datetime: parts.append("a date and time")
        case .year: parts.append("a year")
        case .list: parts.append("a list separated by \"\(String(UnicodeScalar(field.delimiter)))\"")
        case .string, .any: break
        }
        let constraints = field.constraints
        if let values = constraints.enumValues { parts.append("one of: " + values.joined(separator: ", ")) }
        if let minimum = constraints.minimum { parts.append("at least \(minimum.canonicalText)") }
        if let maximum = constraints.maximum { parts.append("at most \(maximum.canonicalText)") }
        if let length = constraints.minLength { parts.append("at least \(length) characters") }
        if let length = constraints.maxLength { parts.append("at most \(length) characters") }
        if let pattern = constraints.pattern {
            parts.append(field.example.map { "written like \($0)" } ?? "in the form \(pattern.source)")
        }
        if !constraints.required { parts.append("may be left empty") }
        return parts.isEmpty ? "text" : parts.joined(separator: "; ")
    }

    // MARK: - Narrative

    /// The three narrative boxes, filled with what was typed before (a refused send keeps it).
    func narrativeBoxes(_ values: [String: String] = [:]) -> String {
        var html = """
            <fieldset class="narrative"><legend>Your narrative (optional)</legend>
            <p class="hint">Tell the alliance about your quarter in your own words; it is sent with your files as their \
            narrative. Leave out names and anything that could identify a person. Leave the boxes empty if your files \
            already hold a narrative.</p>

            """
        for box in CheckRequest.narrativeBoxes {
            html += """
                <label for="\(box.field)">\(box.label)</label>
                <p class="hint" id="\(box.field)-hint">\(box.hint) Up to 4,000 characters; a blank line starts a new paragraph.</p>
                <textarea id="\(box.field)" name="\(box.field)" rows="5" maxlength="4000" aria-describedby="\(box.field)-hint">\
                \(HTML.escape(values[box.field] ?? ""))</textarea>

                """
        }
        return html + "</fieldset>"
    }

    // MARK: - Sending

    /// What a refused send kept for the next form.
    public struct Kept: Sendable, Equatable {
        /// The ID the form carries.
        public var id: String
        /// The names of the files kept (none when the files were what was wrong).
        public var files: [String]
        /// Whether the partner's token is kept (it was right; the files were not).
        public var token: Bool
    }

    /// The send form: the partner's token, the files, the narrative boxes, and the form's CSRF token in a hidden
    /// field. After a refused send it says why, shows the problems of the files that have any, and keeps what the
    /// partner need not give again (`kept`).
    public func sendForm(
        csrf: String, problem: String? = nil, checked: [CheckedFile] = [], narrative: [String: String] = [:], kept: Kept? = nil
    ) -> String {
        let withProblems = checked.filter { !$0.groups.isEmpty }
        let error =
            problem.map {
                """
                <div class="summary" role="alert" tabindex="-1"><h2>Your return was not sent</h2><p>\(HTML.escape($0))</p>\
                \(withProblems.isEmpty ? "" : "<p><a href=\"#problems\">See the problems below</a></p>")</div>
                """
            } ?? ""
        let keptFiles = kept.map { !$0.files.isEmpty } ?? false
        let keptToken = kept?.token ?? false
        let tokenHint =
            keptToken
            ? "Your token was right and is kept for 15 minutes: leave this empty, or enter it again."
            : "The secret the impact lead gave your organisation."
        let filesHint =
            keptFiles
            ? "Kept for 15 minutes: \(kept!.files.map(HTML.escape).joined(separator: ", ")). Choose files only to send others instead."
            : "The support, outcomes and ripple tables, or one form."
        var body = """
            <h1>Send your quarterly return</h1>
            \(error)
            <p>The return is checked again as it is sent. It is sent only if it has no errors and holds only your own rows. \
            Sending again replaces the return you sent before for the same quarter.</p>
            <form method="post" action="/send" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            \(kept.map { "<input type=\"hidden\" name=\"held\" value=\"\(HTML.escape($0.id))\">" } ?? "")
            <label for="token">Your partner token</label>
            <p class="hint" id="token-hint">\(tokenHint)</p>
            <input type="password" id="token" name="token" autocomplete="current-password"\(keptToken ? "" : " required") aria-describedby="token-hint">
            <label for="files">Your return's files</label>
            <p class="hint" id="files-hint">\(filesHint)</p>
            <input type="file" id="files" name="files" multiple\(keptFiles ? "" : " required") accept=".csv,.tsv,.txt,.json,.yaml,.yml,.xlsx" aria-describedby="files-hint">
            \(narrativeBoxes(narrative))
            <button type="submit">Send</button>
            </form>

            """
        if !withProblems.isEmpty {
            body += "<div id=\"problems\">\n"
            for file in withProblems {
                body += "<h2>\(HTML.escape(file.name))</h2>\n"
                for group in file.groups { body += self.group(group) }
            }
            body += "</div>\n"
        }
        return HTML.page(title: problem == nil ? "Send a return" : "Error: not sent", programme: programme, body: body)
    }

    /// The receipt: the reference, the time, what happens next, and each file's SHA-256.
    public func receipt(_ receipt: SendReceipt) -> String {
        let due = Quarter(receipt.quarter).map { "due by " + CellValue.date(Int32($0.lastDay + dueDays)).canonicalText }
        var next = [
            "The impact lead runs the quarter after returns are due\(due.map { " (\($0))" } ?? ""); your return is read then, with the same checks it has just passed.",
            "If you send again before then, the newer return replaces this one; nothing you sent is deleted.",
            "After the quarter is run, your feedback appears under <a href=\"/feedback\">Your feedback</a>: sign in with the same token to read it and reply.",
        ]
        if !contact.isEmpty { next.append("Questions about your return: \(HTML.escape(contact)).") }
        var body = """
            <div class="summary ok" role="status"><h1>Your return has been sent</h1>
            <p>Reference <strong>\(HTML.escape(receipt.reference))</strong>, \(HTML.escape(receipt.partnerID)), \(HTML.escape(receipt.quarter)), \
            received \(HTML.escape(localTime(receipt.receivedAt))).</p></div>
            <h2>What happens next</h2>
            <ul>\(next.map { "<li>\($0)</li>" }.joined())</ul>
            <h2>What you sent</h2>
            <p>Keep this page, or note the reference. Each file's SHA-256 lets you prove exactly what you sent.</p>
            <div class="grid" role="region" tabindex="0" aria-label="Files sent"><table><thead><tr><th scope="col">File</th><th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>

            """
        for file in receipt.files {
            body +=
                "<tr><td>\(HTML.escape((file.path as NSString).lastPathComponent))</td><td>\(file.size)</td><td><code>\(file.sha256)</code></td></tr>\n"
        }
        body += "</tbody></table></div>\n<p><a href=\"/\">Check another return</a></p>\n"
        return HTML.page(title: "Sent", programme: programme, body: body)
    }

    /// `25 July 2026 at 18:20 (UK time)`: a moment in the programme's time zone, or in UTC when the zone is unknown.
    func localTime(_ seconds: Int64) -> String {
        guard let zone = TimeZone(identifier: timeZone) else { return Self.utc(seconds) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        let month = months[max(0, min(11, (parts.month ?? 1) - 1))]
        let label = timeZone == "Europe/London" ? "UK time" : timeZone
        return
            "\(parts.day ?? 1) \(month) \(parts.year ?? 1970) at \(String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)) (\(label))"
    }

    /// `2026-12-02 at 14:22 UTC`, from the canonical `2026-12-02T14:22:33Z`.
    static func utc(_ seconds: Int64) -> String {
        let text = CellValue.datetime(seconds).canonicalText
        return "\(text.prefix(10)) at \(text.dropFirst(11).prefix(5)) UTC"
    }

    // MARK: - Errors

    /// A page for a refused request (too large, too many files, not found).
    public func problem(title: String, message: String) -> String {
        HTML.page(
            title: title, programme: programme,
            body: "<h1>\(HTML.escape(title))</h1>\n<p>\(HTML.escape(message))</p>\n<p><a href=\"/\">Back to the check</a></p>\n")
    }

    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
