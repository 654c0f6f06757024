import Dates
import Foundation
import Impact
import JSONSchema
import TableSchema

/// One partner's people, simulated quarter by quarter, written as that partner's returns.
///
/// The partner draws from its own random stream (the workspace seed and the partner's number), and planted
/// problems from a second stream, so the same seed gives the same people whether or not problems are planted.
struct PartnerSimulation {
    /// What the simulation wrote.
    struct Output: Sendable {
        /// The return files, oldest quarter first.
        var files: [GeneratedManifest.File] = []
        /// The planted problems, in file and row order.
        var planted: [PlantedProblem] = []
    }

    let generator: WorkspaceGenerator
    let partner: Int
    let quarters: [Quarter]

    private var options: GeneratorOptions { generator.options }

    init(generator: WorkspaceGenerator, partner: Int, quarters: [Quarter]) {
        self.generator = generator
        self.partner = partner
        self.quarters = quarters
    }

    // MARK: - People

    /// One person's support, as the partner's case system would hold it.
    private struct Person {
        var ref: String
        var type: Int
        var start: Int
        var attendance: Double
        var goals: [Int]
        var baselines: [Int]
        var scores: [Double]
        var firstQuarter: Int
    }

    /// The format of this partner's returns.
    var format: GeneratorOptions.ReturnFormat {
        switch options.format {
        case .mixed: partner % 7 == 0 ? .yaml : partner % 4 == 0 ? .json : .csv
        case let format: format
        }
    }

    /// Simulates every quarter and writes the partner's return files under `folder`.
    func run(folder: String) throws(GeneratorError) -> Output {
        var random = SeededRandom(seed: options.seed, stream: UInt64(partner))
        var planting = Planting(
            random: SeededRandom(seed: options.seed, stream: UInt64(partner) &+ 1_000_000), share: options.errorShare,
            codes: options.errorCodes)
        let caseload =
            options.partners == 1
            ? options.peoplePerPartner : max(1, Int(Double(options.peoplePerPartner) * (0.75 + 0.5 * random.unit())))
        var nextIndex = 0
        func newPerson(startingIn range: ClosedRange<Int>, quarter: Int, random: inout SeededRandom) -> Person {
            nextIndex += 1
            let type = random.weighted(WorkspaceGenerator.supportTypes.indices.map { ($0, WorkspaceGenerator.supportTypes[$0].weight) })
            var goalIndexes = Array(WorkspaceGenerator.goals.indices)
            for position in 0..<options.goalsPerPerson {
                goalIndexes.swapAt(position, random.int(position...goalIndexes.count - 1))
            }
            let goals = goalIndexes.prefix(options.goalsPerPerson).sorted()
            let baselines = goals.map { _ in random.weighted([(1, 8.0), (2, 16), (3, 22), (4, 22), (5, 18), (6, 14)]) }
            return Person(
                ref: PseudonymousRef.make(partner: partner, index: nextIndex, seed: options.seed), type: type,
                start: random.int(range), attendance: 0.55 + 0.4 * random.unit(), goals: goals, baselines: baselines,
                scores: baselines.map(Double.init), firstQuarter: quarter)
        }

        let first = quarters[0]
        var people: [Person] = []
        people.reserveCapacity(caseload)
        let earliest = CivilDate(year: 2000, month: 1, day: 1)!.daysSinceEpoch
        for _ in 0..<caseload {
            var person = newPerson(startingIn: first.firstDay...first.lastDay, quarter: 0, random: &random)
            person.start = max(earliest, first.lastDay - Int(random.exponential(mean: 270)))
            people.append(person)
        }

        var output = Output()
        for (quarterIndex, quarter) in quarters.enumerated() {
            var file = ReturnFile(
                partner: WorkspaceGenerator.partnerID(partner), quarter: quarter, format: format, tables: options.tables)
            var ended: [Int] = []
            var awardsWritten = 1
            for (index, person) in people.enumerated() {
                var person = person
                let status: String
                if random.chance(0.1) {
                    status = "ended"
                    ended.append(index)
                } else {
                    status = random.chance(0.07) ? "paused" : "active"
                }
                if quarterIndex > person.firstQuarter {
                    for goal in person.scores.indices {
                        let drift =
                            status == "paused"
                            ? random.normal(mean: 0.1, deviation: 0.5) : random.normal(mean: 0.5, deviation: 0.9)
                        person.scores[goal] = min(10, max(1, person.scores[goal] + drift))
                    }
                }
                people[index] = person
                if file.has("support") {
                    let row = supportRow(person, status: status, quarter: quarter, random: &random)
                    let sound = file.support(row, planting: &planting)
                    if sound, file.has("awards") {
                        for award in awardRows(row, quarter: quarter, firstID: awardsWritten) { file.award(award) }
                        awardsWritten += 2
                    }
                }
                if file.has("outcomes") {
                    for goal in person.goals.indices {
                        file.outcome(
                            outcomeRow(person, goal: goal, quarter: quarter), firstOfPerson: goal == 0, planting: &planting)
                    }
                }
            }
            if file.has("ripple") {
                for note in 0..<options.ripplePerPartner {
                    file.ripple(rippleRow(note: note + 1, quarter: quarter, random: &random), planting: &planting)
                }
            }
            if file.has("stories") {
                // Chosen by the partner and quarter, not drawn: the other tables' random stream is unchanged.
                let pool = WorkspaceGenerator.stories
                let story = pool[(partner + quarterIndex) % pool.count]
                let consent = StoryConsentCycle.all[(partner * 2 + quarterIndex) % StoryConsentCycle.all.count]
                file.story(
                    [
                        .text(WorkspaceGenerator.partnerID(partner)), .text(quarter.description), .text("S1"), .text(story.title),
                        .text(story.text), .text(story.goals), .text(consent),
                    ])
            }
            let submitted = CivilDate(daysSinceEpoch: quarter.lastDay + random.int(5...40)).iso
            let narrative = WorkspaceGenerator.narrative
            let envelope = [
                narrative.highlights[random.int(0...narrative.highlights.count - 1)],
                narrative.challenges[random.int(0...narrative.challenges.count - 1)],
                narrative.helps[random.int(0...narrative.helps.count - 1)],
            ]
            for (path, bytes) in file.finish(submittedOn: submitted, narrative: envelope) {
                try generator.save(bytes, folder, path)
            }
            output.files += file.manifestFiles
            output.planted += file.planted

            // Endings make room: the same number of new people start during the next quarter.
            if quarterIndex + 1 < quarters.count {
                let next = quarter.next
                for index in ended {
                    people[index] = newPerson(startingIn: next.firstDay...next.lastDay, quarter: quarterIndex + 1, random: &random)
                }
            }
        }
        return output
    }

    // MARK: - Rows

    private func supportRow(_ person: Person, status: String, quarter: Quarter, random: inout SeededRandom) -> [Cell] {
        let base = WorkspaceGenerator.supportTypes[person.type].sessions
        let offered: Int
        switch status {
        case "paused": offered = random.int(0...2)
        case "ended": offered = max(0, base / 2 + random.int(-1...1))
        default: offered = max(1, base + random.int(-2...2))
        }
        var attended = 0
        for _ in 0..<offered where random.chance(person.attendance) { attended += 1 }
        var endDate = Cell.null
        var endingType = Cell.null
        if status == "ended" {
            let from = max(person.start, quarter.firstDay)
            endDate = .text(CivilDate(daysSinceEpoch: random.int(from...quarter.lastDay)).iso)
            endingType = .text(random.weighted([("planned", 0.6), ("unplanned", 0.28), ("transition", 0.12)]))
        }
        var spend = Cell.null
        var approval = Cell.null
        if status != "paused", random.chance(0.2) {
            let cents: Int
            if random.chance(0.015) {
                cents = random.int(100_001...350_000)
                approval = .text("PA-\(random.int(1000...9999))")
            } else {
                cents = min(100_000, max(100, Int(exp(random.normal(mean: 4.4, deviation: 0.8)) * 100)))
            }
            spend = .number(cents / 100, cents % 100)
        }
        // The journey's extra fields are chosen by the person and quarter, not drawn: the random stream of every
        // other cell is unchanged.
        let mix = Self.mix(person.ref, quarter.description)
        var transitionTo = Cell.null
        if endingType == .text("transition") {
            transitionTo = .text(WorkspaceGenerator.destinations[mix % WorkspaceGenerator.destinations.count])
        }
        let groups = WorkspaceGenerator.priorityGroups.enumerated().filter { index, group in
            Self.mix(person.ref, group.id) % 1000 < Int(group.share * 1000)
        }.map(\.element.id)
        return [
            .text(WorkspaceGenerator.partnerID(partner)), .text(quarter.description), .text(person.ref),
            .text(WorkspaceGenerator.supportTypes[person.type].name), .text(status),
            .text(CivilDate(daysSinceEpoch: person.start).iso), endDate, endingType, .integer(offered), .integer(attended),
            spend, approval, groups.isEmpty ? .null : .text(groups.joined(separator: ";")),
            .integer(mix % 9 == 0 ? 1 + mix % 2 : 0), transitionTo,
        ]
    }

    /// The awards behind a support row's discretionary spend: a panel award above the coordinator's limit, else one
    /// coordinator award, or two on different days, adding up to the spend.
    private func awardRows(_ row: [Cell], quarter: Quarter, firstID: Int) -> [[Cell]] {
        guard case .number(let pounds, let pence) = row[10] else { return [] }
        let cents = pounds * 100 + pence
        let ref: String
        if case .text(let text) = row[2] { ref = text } else { return [] }
        let mix = Self.mix(ref, quarter.description)
        let purposes = WorkspaceGenerator.awardPurposes
        func day(_ offset: Int) -> String {
            CivilDate(daysSinceEpoch: quarter.firstDay + (mix / 7 + offset) % (quarter.lastDay - quarter.firstDay + 1)).iso
        }
        func award(_ number: Int, _ amount: Int, _ date: String, _ purpose: String, _ panel: Cell) -> [Cell] {
            [
                row[0], row[1], .text("A-\(firstID + number)"), row[2], .text(date), .number(amount / 100, amount % 100),
                .text(purpose), .text(panel == .null ? "coordinator" : "panel"), panel,
            ]
        }
        if row[11] != .null { return [award(0, cents, day(0), purposes[mix % 2], row[11])] }
        if cents >= 20_000 && mix % 3 == 0 {
            let first = cents / 2
            return [
                award(0, first, day(0), purposes[mix % purposes.count], .null),
                award(1, cents - first, day(17), purposes[(mix / 5) % purposes.count], .null),
            ]
        }
        return [award(0, cents, day(0), purposes[mix % purposes.count], .null)]
    }

    /// A number from some texts (FNV-1a), for choices that must not draw from the random stream.
    static func mix(_ texts: String...) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for text in texts {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
        }
        return Int(hash >> 33)
    }

    private func outcomeRow(_ person: Person, goal: Int, quarter: Quarter) -> [Cell] {
        [
            .text(WorkspaceGenerator.partnerID(partner)), .text(quarter.description), .text(person.ref),
            .text(WorkspaceGenerator.goals[person.goals[goal]].id), .integer(person.baselines[goal]),
            .integer(Int(person.scores[goal].rounded())),
        ]
    }

    private func rippleRow(note: Int, quarter: Quarter, random: inout SeededRandom) -> [Cell] {
        let parts = WorkspaceGenerator.noteParts
        let opening = parts.openings[random.int(0...parts.openings.count - 1)]
        let action = parts.actions[random.int(0...parts.actions.count - 1)]
        let effect = parts.effects[random.int(0...parts.effects.count - 1)]
        let joiner = effect.first?.isUppercase == true ? ". " : ", "
        let outcome: Cell = random.chance(0.7) ? .text(WorkspaceGenerator.goals[random.int(0...5)].id) : .null
        return [
            .text(WorkspaceGenerator.partnerID(partner)), .text(quarter.description), .text("R\(note)"),
            .text(WorkspaceGenerator.themes[random.int(0...WorkspaceGenerator.themes.count - 1)]), outcome,
            .text(opening + " " + action + joiner + effect), .boolean(random.chance(0.5)),
        ]
    }
}

// MARK: - Cells

/// One value of a generated row, typed so that a form writes numbers as numbers and blanks as null.
enum Cell: Equatable {
    case null
    case text(String)
    case integer(Int)
    /// A decimal amount: whole part and hundredths.
    case number(Int, Int)
    case boolean(Bool)

    var csv: String {
        switch self {
        case .null: ""
        case .text(let text): csvField(text)
        case .integer(let value): String(value)
        case .number(let whole, let hundredths): hundredths == 0 ? String(whole) : "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)"
        case .boolean(let value): value ? "true" : "false"
        }
    }

    /// The value as JSON, which is also a valid YAML flow scalar.
    var json: String {
        switch self {
        case .null: "null"
        case .text(let text): JSONString.literal(text)
        case .integer, .number, .boolean: csv
        }
    }
}

// MARK: - Planting

/// Decides which rows get a planted problem, from its own random stream.
private struct Planting {
    var random: SeededRandom
    let share: Double
    let codes: [String]

    /// The code to plant in this row, chosen among those that fit, or nil.
    mutating func code(fitting allowed: Set<String>) -> String? {
        guard share > 0, random.chance(share) else { return nil }
        let fitting = codes.filter(allowed.contains)
        guard !fitting.isEmpty else { return nil }
        return fitting[random.int(0...fitting.count - 1)]
    }
}

// MARK: - Writing a return

/// One quarter's return of one partner, written as it is generated: three CSV files or one form.
private struct ReturnFile {
    let partner: String
    let quarter: Quarter
    let format: GeneratorOptions.ReturnFormat
    let tables: [String]
    private(set) var planted: [PlantedProblem] = []
    private var bodies: [String: String] = [:]
    private var counts: [String: Int] = [:]
    private var lastRow: [String: String] = [:]

    private static let fields: [String: [String]] = [
        "support": [
            "partner_id", "quarter", "person_ref", "support_type", "support_status", "start_date", "end_date",
            "ending_type", "sessions_offered", "sessions_attended", "discretionary_spend", "panel_approval_ref",
            "priority_groups", "worker_changes", "transition_to",
        ],
        "awards": [
            "partner_id", "quarter", "award_id", "person_ref", "date", "amount", "purpose", "decided_by", "panel_approval_ref",
        ],
        "outcomes": ["partner_id", "quarter", "person_ref", "outcome_id", "baseline_score", "current_score"],
        "ripple": ["partner_id", "quarter", "note_id", "theme", "outcome_id", "note", "consent_to_quote"],
        "narrative": ["partner_id", "quarter", "highlights", "challenges", "what_would_help"],
        "stories": ["partner_id", "quarter", "story_id", "title", "text", "outcome_ids", "consent"],
    ]
    private static let primaryKeyField = ["support": "person_ref", "outcomes": "outcome_id", "ripple": "note_id"]

    init(partner: String, quarter: Quarter, format: GeneratorOptions.ReturnFormat, tables: [String]) {
        self.partner = partner
        self.quarter = quarter
        self.format = format
        self.tables = tables
        for table in tables {
            bodies[table] = isCSV ? Self.fields[table]!.joined(separator: ",") + "\n" : ""
            counts[table] = 0
        }
    }

    private var isCSV: Bool { format == .csv }

    func has(_ table: String) -> Bool { bodies[table] != nil }

    private func path(_ table: String) -> String {
        switch format {
        case .csv, .mixed: "returns/\(quarter)/\(partner)-\(table).csv"
        case .json: "returns/\(quarter)/\(partner).json"
        case .yaml: "returns/\(quarter)/\(partner).yaml"
        }
    }

    // MARK: Tables

    /// Writes a support row; false when a problem was planted in it (a blank row before it leaves it sound).
    @discardableResult
    mutating func support(_ row: [Cell], planting: inout Planting) -> Bool {
        var allowed: Set<String> = ["type-error", "constraint-error", "rule-violation", "primary-key"]
        if isCSV {
            allowed.formUnion(["extra-cell", "blank-row"])
            if row.last == .null { allowed.insert("missing-cell") }
        }
        let code = add("support", row, allowed: allowed, planting: &planting)
        return code == nil || code == "blank-row"
    }

    mutating func outcome(_ row: [Cell], firstOfPerson: Bool, planting: inout Planting) {
        var allowed: Set<String> = ["type-error", "constraint-error", "primary-key"]
        if firstOfPerson { allowed.insert("foreign-key") }
        if isCSV { allowed.formUnion(["extra-cell", "blank-row"]) }
        add("outcomes", row, allowed: allowed, planting: &planting)
    }

    /// An award is written as it is: no problem is planted in one.
    mutating func award(_ row: [Cell]) {
        write("awards", row, code: nil)
    }

    /// A story is written as it is: no problem is planted in one.
    mutating func story(_ row: [Cell]) {
        write("stories", row, code: nil)
    }

    mutating func ripple(_ row: [Cell], planting: inout Planting) {
        var allowed: Set<String> = ["type-error", "constraint-error", "foreign-key", "primary-key"]
        if isCSV { allowed.formUnion(["extra-cell", "blank-row"]) }
        add("ripple", row, allowed: allowed, planting: &planting)
    }

    /// A change that plants a problem in one cell: which column, the value it gets, and the field and rule
    /// the finding will name.
    struct CellChange: Sendable {
        var column: Int
        var field: String
        var rule: String? = nil
        var value: @Sendable ([Cell]) -> Cell
    }

    /// The one-cell problems each table can be given, by finding code. Whole-row problems (primary-key,
    /// extra-cell, blank-row, missing-cell) are made when the row is written.
    static let cellChanges: [String: [String: CellChange]] = [
        "support": [
            "type-error": CellChange(column: 9, field: "sessions_attended") { _ in .text("three") },
            "constraint-error": CellChange(column: 3, field: "support_type") { _ in .text("therapy") },
            "rule-violation": CellChange(column: 9, field: "sessions_attended", rule: "attended-within-offered") { row in
                guard case .integer(let offered) = row[8] else { return row[9] }
                return .integer(offered + 1 + (offered % 3))
            },
        ],
        "outcomes": [
            "type-error": CellChange(column: 5, field: "current_score") { _ in .text("seven") },
            "constraint-error": CellChange(column: 5, field: "current_score") { _ in .integer(11) },
            "foreign-key": CellChange(column: 3, field: "outcome_id") { _ in .text("OG99") },
        ],
        "ripple": [
            "type-error": CellChange(column: 6, field: "consent_to_quote") { _ in .text("maybe") },
            "constraint-error": CellChange(column: 3, field: "theme") { _ in .text("sport") },
            "foreign-key": CellChange(column: 4, field: "outcome_id") { _ in .text("OG99") },
        ],
    ]

    /// Writes a row, with the problem (if any) the planting stream picks among `allowed`.
    @discardableResult
    private mutating func add(_ table: String, _ row: [Cell], allowed: Set<String>, planting: inout Planting) -> String? {
        var row = row
        let code = planting.code(fitting: allowed)
        if let code, let change = Self.cellChanges[table]?[code] {
            row[change.column] = change.value(row)
            plant(table, code: code, field: change.field, rule: change.rule)
        }
        write(table, row, code: code)
        return code
    }

    // MARK: Rows and problems

    /// The number the next row will have: its spreadsheet row for CSV (the header is row 1), its array index
    /// for a form.
    private func nextRow(_ table: String) -> Int {
        isCSV ? counts[table]! + 2 : counts[table]!
    }

    private mutating func plant(_ table: String, code: String, field: String?, rule: String? = nil) {
        let row = nextRow(table)
        planted.append(
            PlantedProblem(
                file: path(table), table: table, row: row, field: field, code: code, rule: rule,
                pointer: isCSV ? nil : "/\(table)/\(row)" + (field.map { "/" + $0 } ?? "")))
    }

    private mutating func write(_ table: String, _ row: [Cell], code: String?) {
        if code == "blank-row" {
            plant(table, code: "blank-row", field: nil)
            append(table, String(repeating: ",", count: row.count - 1))
        }
        var text = render(table, row)
        switch code {
        case "extra-cell":
            plant(table, code: "extra-cell", field: nil)
            text += ",see email"
        case "missing-cell":
            plant(table, code: "missing-cell", field: Self.fields[table]!.last)
            text = String(text.dropLast())
        default: break
        }
        append(table, text)
        if code == "primary-key" {
            plant(table, code: "primary-key", field: Self.primaryKeyField[table])
            append(table, text)
        }
    }

    private func render(_ table: String, _ row: [Cell]) -> String {
        let names = Self.fields[table]!
        switch format {
        case .csv, .mixed:
            return row.map(\.csv).joined(separator: ",")
        case .json:
            let members = zip(names, row).map { "      \"\($0)\": \($1.json)" }
            return "    {\n" + members.joined(separator: ",\n") + "\n    }"
        case .yaml:
            var text = ""
            for (index, (name, cell)) in zip(names, row).enumerated() {
                text += (index == 0 ? "  - " : "    ") + name + ": " + cell.json + "\n"
            }
            return String(text.dropLast())
        }
    }

    private mutating func append(_ table: String, _ text: String) {
        if format == .json, counts[table]! > 0 {
            bodies[table]! += ",\n"
        }
        bodies[table]! += text
        if format != .json { bodies[table]! += "\n" }
        counts[table]! += 1
    }

    // MARK: Files

    /// The files of the return: their paths and bytes.
    /// A CSV return's narrative is its own file, one row; a form's is its envelope fields.
    func finish(submittedOn: String, narrative: [String]) -> [(String, [UInt8])] {
        if isCSV {
            return tables.map { table in
                var body = bodies[table]!
                if table == "narrative" {
                    body += ([partner, quarter.description] + narrative).map(csvField).joined(separator: ",") + "\n"
                }
                return (path(table), Array(body.utf8))
            }
        }
        var header: [(String, String)] = [
            ("partner_id", JSONString.literal(partner)), ("quarter", JSONString.literal(quarter.description)),
            ("submitted_on", JSONString.literal(submittedOn)),
        ]
        if has("narrative") {
            header += [
                ("highlights", JSONString.literal(narrative[0])), ("challenges", JSONString.literal(narrative[1])),
                ("what_would_help", JSONString.literal(narrative[2])),
            ]
        }
        let arrays = ["support", "outcomes", "ripple", "stories", "awards"].filter {
            has($0) || !["ripple", "stories", "awards"].contains($0)
        }
        var text: String
        if format == .json {
            text = "{\n" + header.map { "  \"\($0)\": \($1),\n" }.joined()
            text += arrays.map { table in
                let body = bodies[table] ?? ""
                return "  \"\(table)\": " + (body.isEmpty ? "[]" : "[\n" + body + "\n  ]")
            }.joined(separator: ",\n")
            text += "\n}\n"
        } else {
            text = "# Quarterly return of \(partner) for \(quarter), written by impact generate.\n"
            text += header.map { "\($0): \($1)\n" }.joined()
            for table in arrays {
                let body = bodies[table] ?? ""
                text += body.isEmpty ? "\(table): []\n" : "\(table):\n" + body
            }
        }
        return [(path("support"), Array(text.utf8))]
    }

    /// The manifest entries of the return's files.
    var manifestFiles: [GeneratedManifest.File] {
        if isCSV {
            return tables.map {
                GeneratedManifest.File(
                    path: path($0), partner: partner, quarter: quarter.description, rows: [$0: $0 == "narrative" ? 1 : counts[$0]!])
            }
        }
        return [
            GeneratedManifest.File(
                path: path("support"), partner: partner, quarter: quarter.description,
                rows: counts.filter { $0.key != "narrative" })
        ]
    }
}

/// The consents of generated stories, in turn.
enum StoryConsentCycle {
    static let all = ["quote", "anonymised", "internal"]
}
