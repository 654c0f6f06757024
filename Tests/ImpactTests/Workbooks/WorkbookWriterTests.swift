import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The funder and programme workbooks, read back from the .xlsx files: sheets, cells, tables, charts,
/// scoping, suppression, no leaks and reproducible bytes.
@Suite struct WorkbookWriterTests {
    // MARK: - Fixture

    static let quarter = Quarter(year: 2026, number: 2)
    static let previous = Quarter(year: 2026, number: 1)
    static let secretPhrase = "PURPLE OTTER WHISPERED"
    static let narrativePhrase = "NARRATIVE NOT FOR FUNDERS"
    static let formulaName = "=HYPERLINK(\"x\",\"y\")"
    static let created = Date(timeIntervalSince1970: 1_782_000_000)

    /// A return with `people` people, each working on `goal`, `improved` of them improving by 3 points.
    static func accepted(
        _ partnerID: String, _ quarter: Quarter, people: Int, improved: Int, goal: String, ended: Int = 0,
        ripple: [RippleRecord] = [],
        narrative: Narrative? = nil
    ) -> AcceptedReturn {
        let q = quarter.description
        let support = (0..<people).map { i in
            SupportRecord(
                partnerID: partnerID, quarter: q, personRef: String(format: "ZZREF-%@-%04d", partnerID, i + 1),
                supportType: "counselling",
                status: i < ended ? "ended" : "active", startDate: Int32(quarter.firstDay + i),
                endDate: i < ended ? Int32(quarter.lastDay) : nil,
                endingType: i < ended ? (i % 2 == 0 ? "planned" : "unplanned") : nil, sessionsOffered: 6, sessionsAttended: 5,
                discretionarySpend: 25.5, panelApprovalRef: nil)
        }
        let outcomes = (0..<people).map { i in
            OutcomeRecord(
                partnerID: partnerID, quarter: q, personRef: String(format: "ZZREF-%@-%04d", partnerID, i + 1), outcomeID: goal,
                baselineScore: 3, currentScore: i < improved ? 6 : 4)
        }
        return AcceptedReturn(
            partnerID: partnerID, quarter: quarter, receivedOn: Int32(quarter.lastDay + 10), onTime: true, isResubmission: false,
            support: support, outcomes: outcomes, ripple: ripple, narrative: narrative)
    }

    static func input(funders: [Funder]? = nil) -> ReportInput {
        var settings = Settings()
        settings.programme = "Test Alliance"
        settings.contact = "impact@example.org"
        settings.disclosureThreshold = 5
        let start = Int32(Quarter(year: 2025, number: 1).firstDay)
        let reference = ReferenceData(
            partners: [
                Partner(id: "P001", name: "North Haven", region: "North", funderIDs: ["F1"], activeFrom: start, activeTo: nil),
                Partner(
                    id: "P002", name: "Shared Harbour", region: "East", funderIDs: ["F1", "F2"], activeFrom: start, activeTo: nil),
                Partner(id: "P003", name: formulaName, region: "South", funderIDs: ["F2"], activeFrom: start, activeTo: nil),
            ],
            funders: funders ?? [Funder(id: "F1", name: "First Trust"), Funder(id: "F2", name: "Second Fund")],
            goals: [
                OutcomeGoal(id: "OG01", title: "Feeling safer", pathway: "Safety", indicator: "score", targetImprovedShare: 0.5),
                OutcomeGoal(
                    id: "OG02", title: "Stronger connections", pathway: "Connection", indicator: "score", targetImprovedShare: 0.6
                ),
            ])
        let ripple = [
            RippleRecord(
                partnerID: "P001", quarter: quarter.description, noteID: "N1", theme: "confidence_skills", outcomeID: "OG01",
                note: "She now leads the group's weekly walk.", consentToQuote: true),
            RippleRecord(
                partnerID: "P001", quarter: quarter.description, noteID: "N2", theme: "family_relationships", outcomeID: nil,
                note: "Private: \(secretPhrase) about her brother.", consentToQuote: false),
        ]
        let history: [Quarter: [AcceptedReturn]] = [
            previous: [
                accepted("P001", previous, people: 10, improved: 4, goal: "OG01"),
                accepted("P002", previous, people: 6, improved: 2, goal: "OG01"),
                accepted("P003", previous, people: 8, improved: 5, goal: "OG02"),
            ],
            quarter: [
                accepted(
                    "P001", quarter, people: 12, improved: 8, goal: "OG01", ended: 3, ripple: ripple,
                    narrative: Narrative(
                        highlights: narrativePhrase, challenges: "ZZREF-P001-0001 moved away", whatWouldHelp: nil)),
                accepted("P002", quarter, people: 3, improved: 2, goal: "OG01", ended: 1),
                accepted("P003", quarter, people: 7, improved: 6, goal: "OG02"),
            ],
        ]
        let submissions = ["P001", "P002", "P003"].map { id in
            SubmissionSummary(
                partnerID: id, quarter: quarter, verdict: .accepted, receivedOn: Int32(quarter.lastDay + 10), onTime: true,
                isResubmission: false, files: ["returns/2026-Q2/\(id)-support.csv", "returns/2026-Q2/\(id)-outcomes.csv"],
                findings: [])
        }
        return ReportInput(
            settings: settings, reference: reference, quarter: quarter, history: history, submissions: submissions,
            generatedOn: "2026-07-20")
    }

    static let hashes: [String: String] = Dictionary(
        uniqueKeysWithValues: ["P001", "P002", "P003"].flatMap { id in
            ["support", "outcomes"].map {
                ("returns/2026-Q2/\(id)-\($0).csv", String(repeating: id == "P001" ? "a" : "b", count: 64))
            }
        })

    /// Writes the fixture's workbooks into a fresh folder.
    final class Written {
        let folder = TemporaryFolder(prefix: "impact-workbooks")
        let paths: [String]
        init() throws {
            paths = try WorkbookWriter(provenance: WorkbookProvenance(fileHashes: hashes)).write(
                input: WorkbookWriterTests.input(), to: folder.path, created: WorkbookWriterTests.created)
        }
        func book(_ name: String) -> XLSXFile {
            XLSXFile(path: (folder.path as NSString).appendingPathComponent("workbooks/\(name).xlsx"))
        }
    }

    // MARK: - Files and sheets

    @Test func writesOneWorkbookPerFunderAndTheProgrammes() throws {
        let written = try Written()
        #expect(written.paths.map { ($0 as NSString).lastPathComponent } == ["F1.xlsx", "F2.xlsx", "programme.xlsx"])
        for path in written.paths { #expect(FileManager.default.fileExists(atPath: path)) }
    }

    @Test func sheetNamesTablesAndCharts() throws {
        let written = try Written()
        for name in ["F1", "F2", "programme"] {
            let book = written.book(name)
            // One more sheet: the programme's journeys and reach with exact counts, a funder's support by type.
            var names = WorkbookContent.sheetNames
            names.insert(name == "programme" ? "Journeys and reach" : "Support by type", at: names.firstIndex(of: "Data quality")!)
            #expect(try book.sheetNames() == names)
            #expect(try book.parts().filter { $0.hasPrefix("xl/charts/chart") }.count == 3)
            let tables = try book.tables()
            #expect(
                Set(tables.keys).isSuperset(of: ["Partners", "GoalProgress", "GoalsByPartner", "Trends", "Contents", "Headline"]))
            let partners = name == "programme" ? 3 : 2
            // Title, note, blank line, then the header; one row per partner and a total row.
            #expect(tables["Partners"] == "A4:M\(4 + partners + 1)")
            #expect(tables["Trends"] == "A4:G6")
        }
        let core = try written.book("F1").part("docProps/core.xml")
        #expect(core.contains("<dc:title>Test Alliance: impact workbook, 2026-Q2</dc:title>"))
        #expect(core.contains("<dc:creator>Test Alliance</dc:creator>"))
        #expect(core.contains("2026-06-2"))  // the fixed creation time, 2026-06-2x
    }

    @Test func keyCells() throws {
        let written = try Written()
        let cover = try written.book("F1").sheet("Cover")
        #expect(cover["A1"] == .string("Test Alliance: impact workbook, 2026-Q2"))
        #expect(cover.values.contains(.string("First Trust (F1)")))
        #expect(cover.values.contains(.string("impact@example.org")))
        let partners = try written.book("programme").sheet("Partners")
        #expect(partners["A5"] == .string("P001"))
        #expect(partners["G5"] == .number(12))
        #expect(partners["G6"] == .number(3))
        #expect(partners["G8"] == .number(22))
        #expect(partners["M5"] == .number(12 * 25.5))
        // Received on is a real date: a serial number with a date format.
        if case .number(let serial)? = partners["E5"] {
            #expect(serial == Double(Self.quarter.lastDay + 10 + 25_569))
        } else {
            Issue.record("E5 is not a date serial")
        }
    }

    // MARK: - Scoping

    @Test func eachFunderHoldsExactlyItsPartners() throws {
        let written = try Written()
        let expected = ["F1": ["P001", "P002"], "F2": ["P002", "P003"], "programme": ["P001", "P002", "P003"]]
        for (name, ids) in expected {
            let book = written.book(name)
            let sheet = try book.sheet("Partners")
            let listed = (5..<(5 + ids.count)).compactMap { sheet["A\($0)"]?.text }
            #expect(listed == ids, "\(name)")
            let strings = try book.sharedStrings()
            for other in Set(["P001", "P002", "P003"]).subtracting(ids) {
                #expect(!strings.contains(other), "\(name) mentions \(other)")
            }
        }
        #expect(try !written.book("F1").sharedStrings().contains(Self.formulaName))
        #expect(try written.book("F2").sharedStrings().contains(Self.formulaName))
        #expect(try written.book("F1").sharedStrings().contains("North Haven"))
        #expect(try !written.book("F2").sharedStrings().contains("North Haven"))
    }

    // MARK: - Disclosure control

    @Test func smallCountsAreSuppressedWithASecondCell() throws {
        let written = try Written()
        let f1 = try written.book("F1").sheet("Partners")
        #expect(f1["A6"] == .string("P002"))
        #expect(f1["G6"] == .string("[c]"))  // 3 people
        // A second value of the column, or its total 15, is hidden too: one marker for both.
        #expect(f1["G5"] == .string("[c]") || f1["G7"] == .string("[c]"))
        // Sessions, attendance and spend of hidden rows are hidden too.
        #expect(f1["J6"] == .string("[c]"))
        #expect(f1["L6"] == .string("[c]"))
        #expect(f1["M6"] == .string("[c]"))
        let f2 = try written.book("F2").sheet("Partners")
        #expect(f2["G5"] == .string("[c]"))
        #expect(f2["G6"] == .string("[c]") || f2["G7"] == .string("[c]"))
        // No `<5` any more: primary and complementary suppressions look alike.
        for name in ["F1", "F2"] {
            #expect(try !written.book(name).sharedStrings().contains("<5"))
        }
        // And the two workbooks pass the attack together.
        let audit = try WorkbookDisclosureAudit.audit(paths: ["F1", "F2"].map { written.folder.path + "/workbooks/\($0).xlsx" })
        #expect(audit.exitCode == 0, "\(audit.exposed)")
    }

    @Test func noSmallCountOfPeopleSurvivesInAFunderWorkbook() throws {
        let written = try Written()
        for name in ["F1", "F2"] {
            let shown = try Self.smallCountsShown(in: written.book(name), threshold: 5)
            #expect(shown.isEmpty, "\(name): \(shown)")
        }
        // The programme workbook shows exact counts, and the check sees them there: it can fail.
        #expect(try written.book("programme").sheet("Partners")["G6"] == .number(3))
        let inProgramme = try Self.smallCountsShown(in: written.book("programme"), threshold: 5)
        #expect(inProgramme.contains("Partners!G6 shows 3.0"), "\(inProgramme)")
        #expect(inProgramme.contains { $0.hasPrefix("Outcomes!") }, "\(inProgramme)")
    }

    /// The column headers of counts of people in the workbooks' tables.
    static let peopleHeaders: Set<String> = [
        "People supported", "People working towards it", "People improved", "New starts", "Support endings",
    ]

    /// Where a funder workbook shows a count of people from 1 to `threshold − 1`, or hides exactly one cell of
    /// a Partners column under a published total (which would give it away): empty when it is safe.
    ///
    /// Count columns are found by their headers in every sheet, so a new table of people is checked too.
    static func smallCountsShown(in book: XLSXFile, threshold: Int) throws -> [String] {
        var found: [String] = []
        let small = 1...Double(threshold - 1)
        for sheetName in ["Summary", "Partners", "Outcomes", "Trends", "Ripple", "Data quality"] {
            let sheet = try book.sheet(sheetName)
            for (reference, value) in sheet {
                guard case .string(let header) = value, peopleHeaders.contains(header) else { continue }
                let column = XLSXFile.column(reference)
                var row = XLSXFile.row(reference) + 1
                var cells: [(Int, StoredCell)] = []
                while let cell = sheet["\(column)\(row)"] {
                    cells.append((row, cell))
                    row += 1
                }
                for (row, cell) in cells {
                    if case .number(let n) = cell, small.contains(n) { found.append("\(sheetName)!\(column)\(row) shows \(n)") }
                }
                // In the Partners table the last row is the total: it must not give away a lone hidden small
                // count (a hidden count worked out as 0 or at least the threshold discloses nothing).
                if sheetName == "Partners", let total = cells.last, case .number(let sum) = total.1 {
                    let hidden = cells.dropLast().filter { $0.1.isMarker && $0.1 != .string("[x]") }.count
                    let shown = cells.dropLast().reduce(0.0) { if case .number(let n) = $1.1 { $0 + n } else { $0 } }
                    if hidden == 1 && small.contains(sum - shown) {
                        found.append("Partners column \(column): one hidden cell under a published total gives \(sum - shown)")
                    }
                }
            }
        }
        // Headline people figures.
        let summary = try book.sheet("Summary")
        for (reference, value) in summary where XLSXFile.column(reference) == "B" {
            guard case .string(let label)? = summary["A\(XLSXFile.row(reference))"] else { continue }
            let isPeople = ["People supported", "New starts", "Support endings", "Planned endings", "Unplanned endings"]
                .contains(label)
            if isPeople, case .number(let n) = value, small.contains(n) { found.append("Summary \(label) = \(n)") }
        }
        return found
    }

    @Test func outcomeSharesFromHiddenCountsAreHidden() throws {
        let written = try Written()
        let outcomes = try written.book("F1").sheet("Outcomes")
        // GoalsByPartner: P002's OG01 row has 3 people, 2 improved.
        let rows = outcomes.filter { $0.value == .string("P002") }.map { XLSXFile.row($0.key) }
        #expect(!rows.isEmpty)
        for row in rows where outcomes["C\(row)"] == .string("OG01") {
            #expect(outcomes["D\(row)"] == .string("[c]"))
            #expect(outcomes["F\(row)"] == .string("[c]"))
            #expect(outcomes["G\(row)"] == .string("[c]"))
        }
    }

    @Test func noPersonReferenceNarrativeOrUnconsentedNoteInAnyPart() throws {
        let written = try Written()
        for name in ["F1", "F2", "programme"] {
            let book = written.book(name)
            for part in try book.parts() {
                let text = try book.part(part)
                #expect(!text.contains("ZZREF"), "\(name) \(part) holds a person reference")
                #expect(!text.contains(Self.secretPhrase), "\(name) \(part) holds a note without consent")
                #expect(!text.contains(Self.narrativePhrase), "\(name) \(part) holds a partner narrative")
            }
        }
        #expect(try written.book("F1").sharedStrings().contains("She now leads the group's weekly walk."))
    }

    @Test func formulaLikeTextIsStoredAsAString() throws {
        let written = try Written()
        let book = written.book("F2")
        #expect(try book.sharedStrings().contains(Self.formulaName))
        for part in try book.parts() where part.hasPrefix("xl/worksheets/sheet") {
            #expect(try !book.part(part).contains("<f>"), "\(part) holds a formula")
        }
    }

    @Test func provenanceListsInputFilesWithHashes() throws {
        let written = try Written()
        let strings = try written.book("F1").sharedStrings()
        #expect(strings.contains("returns/2026-Q2/P001-support.csv"))
        #expect(strings.contains(String(repeating: "a", count: 64)))
        #expect(!strings.contains("returns/2026-Q2/P003-support.csv"))
        #expect(strings.contains("impact \(impactVersion)"))
    }

    // MARK: - Reproducibility and refusals

    @Test func twoWritesAreByteIdentical() throws {
        let first = try Written()
        let second = try Written()
        for (a, b) in zip(first.paths, second.paths) {
            let left = try Data(contentsOf: URL(fileURLWithPath: a))
            let right = try Data(contentsOf: URL(fileURLWithPath: b))
            #expect(left == right, "\((a as NSString).lastPathComponent) differs")
        }
    }

    @Test(arguments: ["bad/id", "../up", "F 1", "programme", "Fé", ""])
    func refusesFunderIDsThatCannotNameAFile(_ id: String) throws {
        let folder = TemporaryFolder(prefix: "impact-workbooks")
        #expect(throws: WorkbookError.self) {
            _ = try WorkbookWriter().write(
                input: Self.input(funders: [Funder(id: id, name: "Odd")]), to: folder.path, created: Self.created)
        }
        #expect(!FileManager.default.fileExists(atPath: (folder.path as NSString).appendingPathComponent("workbooks")))
    }

    /// A new funder with no partners yet still gets its workbook, which passes the audit.
    @Test func aFunderWithNoPartnersGetsAWorkbook() throws {
        let folder = TemporaryFolder(prefix: "impact-workbooks")
        let funders = [Funder(id: "F1", name: "First"), Funder(id: "F2", name: "Second"), Funder(id: "F9", name: "New Fund")]
        let paths = try WorkbookWriter().write(input: Self.input(funders: funders), to: folder.path, created: Self.created)
        let f9 = folder.path + "/workbooks/F9.xlsx"
        #expect(paths.contains(f9))
        let audit = try WorkbookDisclosureAudit.audit(paths: [f9])
        #expect(audit.exitCode == 0, "\(audit.files.map(\.verdict)) \(audit.exposed)")
    }

    @Test func acceptsLettersDigitsDashAndUnderscore() throws {
        try WorkbookWriter.checkFunderIDs(["F1", "big-trust_2", "ABC"])
        #expect(throws: WorkbookError.self) { try WorkbookWriter.checkFunderIDs(["abc", "ABC"]) }
    }
}

// MARK: - Reading an .xlsx back

/// A cell's value as stored.
enum StoredCell: Equatable {
    case string(String)
    case number(Double)

    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// `<5`, `[c]` or `[x]`.
    var isMarker: Bool {
        guard let text else { return false }
        return text.hasPrefix("<") || text == "[c]" || text == "[x]"
    }
}

/// Reads parts of an .xlsx (through TestSupport's `XLSXPackage`) and the cells of its sheets.
struct XLSXFile {
    let path: String

    func parts() throws -> [String] { try XLSXPackage(path: path).partNames() }

    func part(_ name: String) throws -> String { try XLSXPackage(path: path).xml(name) }

    func sheetNames() throws -> [String] {
        matches(#"<sheet name="([^"]*)""#, in: try part("xl/workbook.xml")).map { XLSXFile.unescape($0[0]) }
    }

    func sharedStrings() throws -> [String] {
        matches(#"<si><t[^>]*>(.*?)</t></si>"#, in: try part("xl/sharedStrings.xml")).map { XLSXFile.unescape($0[0]) }
    }

    /// Table name → range.
    func tables() throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try parts() where name.hasPrefix("xl/tables/") {
            let xml = try part(name)
            if let found = matches(#"<table [^>]*name="([^"]*)"[^>]*ref="([^"]*)""#, in: xml).first {
                result[found[0]] = found[1]
            }
        }
        return result
    }

    /// The cells of a sheet by A1 reference.
    func sheet(_ name: String) throws -> [String: StoredCell] {
        guard let index = try sheetNames().firstIndex(of: name) else { return [:] }
        let xml = try part("xl/worksheets/sheet\(index + 1).xml")
        let strings = try sharedStrings()
        var cells: [String: StoredCell] = [:]
        for found in matches(#"<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)"#, in: xml) {
            let value = matches(#"<v>(.*?)</v>"#, in: found[2]).first?[0]
            guard let value else { continue }
            if found[1].contains(#"t="s""#), let i = Int(value), strings.indices.contains(i) {
                cells[found[0]] = .string(strings[i])
            } else if let number = Double(value) {
                cells[found[0]] = .number(number)
            }
        }
        return cells
    }

    func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (1..<match.numberOfRanges).map { i in
                let range = match.range(at: i)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func column(_ reference: String) -> String { String(reference.prefix { $0.isLetter }) }
    static func row(_ reference: String) -> Int { Int(reference.drop { $0.isLetter }) ?? 0 }
}
