// MARK: - Definitions in a funder's words

/// One figure a funder's workbook shows, defined in plain words for a funder: no field names, no settings
/// files, no statistics jargon.
struct FunderDefinition: Hashable {
    /// The sheet that first shows it.
    var sheet: String
    /// The figure as the workbook names it (without its unit).
    var figure: String
    /// What it is.
    var definition: String
}

extension WorkbookContent {
    /// The funder wording of every figure a funder's workbook can show, by the name its sheets give it
    /// (a header or a Summary measure, without its unit: see ``FunderDefinitions/key(_:)``).
    func funderWording() -> [String: String] {
        let symbol = Units.currencySymbol(settings.currency)
        let limit = WorkbookBuilder.grouped(Int(settings.coordinatorLimit.rounded()))
        var groups: [String: String] = [:]
        for group in input.reference.priorityGroups {
            groups[group.label] =
                "People supported who belong to this priority group of the programme, as their partner recorded it. A person may belong to several groups."
        }
        return groups.merging([
            "Partners covered":
                "The delivery partners in this workbook that were due to send a return for the quarter (those working with the programme on at least one day of it), and any other that sent one.",
            "Returns expected": "Partners due to send their quarterly return for the quarter.",
            "Returns received": "Partners whose return for the quarter arrived, whether or not it passed the programme's checks.",
            "Returns accepted":
                "Returns that passed the programme's checks. Every figure in this workbook comes from accepted returns only.",
            "Returns on time":
                "Returns that arrived by their due date, \(settings.dueDays) days after the end of the quarter.",
            "Returns with errors and no accepted return":
                "Partners whose return had problems that must be put right, and who have not yet sent a corrected one.",
            "Expected returns missing": "Partners due to send a return for the quarter who sent nothing.",
            "Completeness": "Returns received as a share of the returns expected.",
            "Timeliness": "Returns that arrived on time as a share of the returns expected.",
            "People supported":
                "People a partner supported during the quarter. Each partner counts the people it supports, so a person supported by two partners is counted by both, and in a total twice.",
            "New starts": "People whose support began during the quarter.",
            "Support endings": "People whose support ended during the quarter.",
            "Planned endings": "Support that ended as planned, for example at the end of a course of sessions.",
            "Unplanned endings": "Support that ended without being planned, for example when a person stopped coming.",
            "Transitions to other support": "Support that ended because the person moved on to other support.",
            "Sessions offered": "Support sessions the partners offered the people they supported during the quarter.",
            "Sessions attended": "Of those sessions, the ones people came to.",
            "Attendance rate": "Sessions attended as a share of sessions offered.",
            "Discretionary spend":
                "Money from the programme's discretionary fund spent on people's practical needs, such as travel or essentials, in \(symbol).",
            "Discretionary spends above the coordinator limit":
                "Single spends larger than a coordinator may approve alone (\(symbol)\(limit)); each needed the approval of the programme's panel.",
            "Ripple-effect notes":
                "Notes partners made of wider effects of their support, beyond the person supported: on families, friends or the community.",
            "Ripple-effect notes that may be quoted": "Those notes the person agreed may be quoted. Only these are shown in words.",
            "Notes": "Ripple-effect notes on the theme.",
            "Notes that may be quoted": "Of those notes, the ones the person agreed may be quoted.",
            "Return received": "Yes when the partner's return for the quarter arrived.",
            "Received on": "The date the partner's return arrived.",
            "On time": "Yes when the return arrived by its due date.",
            "Expected": "Yes when the partner was due to send a return for the quarter.",
            "Return": "What became of the partner's return: accepted, had errors to put right, or missing.",
            "Resubmission": "Yes when the partner sent its return again, to replace an earlier one.",
            "Errors": "Problems in a return that had to be put right before it could be accepted.",
            "Warnings": "Points worth checking in a return that did not stop it being accepted.",
            "Finding code": "The name of a kind of problem the programme's checks look for.",
            "Returns with it": "Returns in which the checks found this kind of problem.",
            "Target share improved": "The share of people working towards the goal that the programme aims to see improve.",
            "People working towards it":
                "People working towards the goal this quarter who have rated themselves on it at least twice: when they started and since.",
            "People improved":
                "Of those, the people whose latest rating is at least \(settings.improvementPoints) points better than their first.",
            "Share improved": "People improved as a share of the people working towards the goal.",
            "Target met": "Met when the share improved reaches the goal's target; Not met when it does not.",
            "Mean change in score":
                "The average change from people's first rating of themselves to their latest, in \(Units.scalePoints(settings)); above zero means better.",
            "Partners reporting": "Partners in this workbook with an accepted return for that quarter.",
            "Rows": "The rows of the table a partner sent with its accepted return.",
            "Purpose": "What an award from the discretionary fund paid for.",
            "Decided by": "Who approved the award: a coordinator, up to their limit, or the programme's panel.",
            "Awards": "Awards made from the discretionary fund; a person may receive several.",
            "Amount": "The money awarded, in \(symbol).",
            "Main type of support": "The kind of support a person mainly received during the quarter, as their partner recorded it.",
            "People":
                "People supported whose main type of support is the row's, or who belong to the row's priority group, as their partner recorded it.",
            "Priority group": "One of the groups of people the programme aims to reach.",
            "Share of people supported":
                "People in the group as a share of all the people supported by the partners that recorded priority groups this quarter.",
        ]) { _, standard in standard }
    }

    /// The Definitions sheet of a funder's workbook: a definition for each figure its other sheets show, in
    /// the order they first show it, and the symbols; nothing it does not show.
    func funderDefinitions(of sheets: [SheetContent]) -> [FunderDefinition] {
        let wording = funderWording()
        var seen: Set<String> = []
        var result: [FunderDefinition] = []
        for sheet in sheets {
            for table in sheet.tables where !table.rows.isEmpty {
                var names = table.columns.map(\.header)
                // The Summary's and Data quality's measures are rows, named in their first column.
                if table.columns.first?.header == "Measure" { names = table.rows.compactMap { $0.first?.textValue } }
                // A declared table's figures are the columns after its rows.
                let declared = table.name.hasPrefix(WorkbookClaims.tableRowsPrefix)
                let rowsColumn = names.firstIndex(of: WorkbookClaims.rows) ?? names.count
                for (index, name) in names.enumerated() {
                    let key = FunderDefinitions.key(name)
                    guard !seen.contains(key) else { continue }
                    let figure =
                        declared && index > rowsColumn
                        ? "A count the programme keeps for this table: how many of the partner's rows are of the kinds it counts (the table beneath shows which)."
                        : nil
                    guard let definition = wording[key] ?? figure else { continue }
                    seen.insert(key)
                    result.append(FunderDefinition(sheet: sheet.name, figure: key, definition: definition))
                }
            }
        }
        return result
    }
}

/// How a figure's name on a sheet is matched to its definition.
enum FunderDefinitions {
    /// The name without its unit, without what follows a colon, and without the goal of a per-goal column:
    /// `Share improved OG01 (%)` → `Share improved`, `Completeness: returns received of those expected (%)` →
    /// `Completeness`.
    static func key(_ name: String) -> String {
        var key = WorkbookClaims.withoutUnit(name)
        if let colon = key.firstIndex(of: ":") { key = String(key[..<colon]) }
        if key.hasPrefix(WorkbookClaims.shareImproved + " ") { key = WorkbookClaims.shareImproved }
        return key
    }
}

extension Shown {
    /// The text of a text value.
    var textValue: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}
