import Crypto
import Foundation
import TableSchema

// MARK: - Validate: each candidate return checked as one return

/// The quarter's returns after checking, each with its verdict and findings (the check step's result).
struct CheckedReturns {
    /// One per candidate, in the candidates' order; an accepted one carries its typed rows until recorded.
    var submissions: [SubmissionInput]
    /// Files that belong to no partner.
    var stray: [(file: LedgerFile, findings: [FileFinding])]
    /// CSV files replaced by a later file of the same table.
    var replaced: [(file: LedgerFile, findings: [FileFinding])]
}

extension RunStage {
    /// Checks one candidate return and turns it into what the store records.
    func checkReturn(_ candidate: CandidateReturns.Candidate, stage: ValidationStage, settings: Settings) -> SubmissionInput {
        let reports = stage.run(files: candidate.files.map(\.input))
        var findings: [FileFinding] = []
        for (file, report) in zip(candidate.files, reports) {
            findings += report.findings.map { FileFinding(file: file.relative, finding: $0) }
            let others = report.partnerIDs.filter { $0 != candidate.partnerID }
            if !others.isEmpty {
                findings.append(
                    FileFinding(
                        file: file.relative,
                        finding: Finding(
                            .error, .sourceError,
                            message:
                                "\(file.relative) holds rows for \(([candidate.partnerID] + others).joined(separator: " and ")): a return holds one partner's rows. Split the file."
                        )))
            }
        }
        // The tables the return holds: its CSV files', or a readable workbook's sheets. A form is checked by its
        // own schema, and an unreadable workbook already has its error.
        let tables: Set<String>? =
            candidate.isForm
            ? reports.first { $0.format == .xlsx && !$0.unreadable }.map { Set($0.sheets.keys) }
            : Set(candidate.files.compactMap(\.table))
        // A problem of the return as a whole, placed on its first file.
        func wholeReturn(_ message: String) {
            findings.append(
                FileFinding(file: candidate.files.first?.relative ?? "", finding: Finding(.error, .sourceError, message: message)))
        }
        if let tables {
            for required in stage.options.schemas.tables.filter(\.required).map(\.name) where !tables.contains(required) {
                wholeReturn("The return of \(candidate.partnerID) has no \(required) table. Send the \(required) file with the others.")
            }
        }
        if settings.narrativeRequired && Self.narrative(in: reports) == nil && !reports.contains(where: \.unreadable) {
            wholeReturn(
                "The return of \(candidate.partnerID) has no narrative, and the programme asks for one every quarter. Add your highlights, challenges and what would help: the narrative file or sheet, the form's fields, or the portal's boxes."
            )
        }
        let verdict: Verdict = findings.contains { $0.finding.severity == .error } ? .rejected : .accepted
        let dueBy = Int32(options.quarter.lastDay + settings.dueDays)
        let onTime = candidate.receivedOn <= dueBy
        var accepted: AcceptedReturn?
        if verdict == .accepted {
            accepted = Self.acceptedReturn(
                partnerID: candidate.partnerID, quarter: options.quarter, reports: reports, receivedOn: candidate.receivedOn, onTime: onTime
            )
        }
        let hashes = candidate.files.map(\.ledger.sha256).sorted().joined(separator: "\n")
        return SubmissionInput(
            partnerID: candidate.partnerID, quarter: options.quarter,
            fingerprint: Secrets.hex(SHA256.hash(data: Data(hashes.utf8))),
            files: candidate.files.map(\.ledger), findings: findings, verdict: verdict, receivedOn: candidate.receivedOn,
            onTime: onTime, accepted: accepted)
    }

    /// What the partner said in words: the narrative table's row (one per partner and quarter, by its key), else
    /// a form's envelope fields (a form may not give both); nil when nothing was said.
    static func narrative(in reports: [FileReport]) -> Narrative? {
        for report in reports {
            for table in report.tables where table.table == "narrative" {
                for row in table.rows {
                    func text(_ name: String) -> String? { table.value(name, in: row).text }
                    let narrative = Narrative(
                        highlights: text("highlights"), challenges: text("challenges"), whatWouldHelp: text("what_would_help"))
                    if !narrative.isEmpty { return narrative }
                }
            }
        }
        for report in reports {
            guard let envelope = report.envelope else { continue }
            let narrative = Narrative(
                highlights: envelope.highlights, challenges: envelope.challenges, whatWouldHelp: envelope.whatWouldHelp)
            if !narrative.isEmpty { return narrative }
        }
        return nil
    }

    /// Builds the typed return from validated rows.
    static func acceptedReturn(
        partnerID: String, quarter: Quarter, reports: [FileReport], receivedOn: Int32, onTime: Bool
    ) -> AcceptedReturn {
        var result = AcceptedReturn(
            partnerID: partnerID, quarter: quarter, receivedOn: receivedOn, onTime: onTime, isResubmission: false, support: [],
            outcomes: [], ripple: [], narrative: nil)
        result.narrative = narrative(in: reports)
        for report in reports {
            for table in report.tables where table.table != "narrative" {
                for row in table.rows {
                    func text(_ name: String) -> String? { table.value(name, in: row).text }
                    func integer(_ name: String) -> Int? {
                        if case .integer(let value) = table.value(name, in: row) { return Int(value) }
                        return nil
                    }
                    func list(_ name: String) -> [String] {
                        if case .list(let items) = table.value(name, in: row) { return items.compactMap(\.text) }
                        return []
                    }
                    func date(_ name: String) -> Int32? {
                        if case .date(let value) = table.value(name, in: row) { return value }
                        return nil
                    }
                    switch table.table {
                    case "support":
                        var spend: Double?
                        if case .number(let value) = table.value("discretionary_spend", in: row) { spend = value }
                        if case .integer(let value) = table.value("discretionary_spend", in: row) { spend = Double(value) }
                        result.support.append(
                            SupportRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                personRef: text("person_ref") ?? "", supportType: text("support_type") ?? "",
                                status: text("support_status") ?? "", startDate: date("start_date"), endDate: date("end_date"),
                                endingType: text("ending_type"), sessionsOffered: integer("sessions_offered"),
                                sessionsAttended: integer("sessions_attended"), discretionarySpend: spend,
                                panelApprovalRef: text("panel_approval_ref"), transitionTo: text("transition_to"),
                                workerChanges: integer("worker_changes"), priorityGroups: list("priority_groups")))
                    case "outcomes":
                        result.outcomes.append(
                            OutcomeRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                personRef: text("person_ref") ?? "", outcomeID: text("outcome_id") ?? "",
                                baselineScore: integer("baseline_score") ?? 0, currentScore: integer("current_score") ?? 0))
                    case "ripple":
                        var consent = false
                        if case .boolean(let value) = table.value("consent_to_quote", in: row) { consent = value }
                        result.ripple.append(
                            RippleRecord(
                                partnerID: text("partner_id") ?? partnerID, quarter: text("quarter") ?? quarter.description,
                                noteID: text("note_id") ?? "", theme: text("theme") ?? "", outcomeID: text("outcome_id"),
                                note: text("note") ?? "", consentToQuote: consent))
                    default:
                        var cells: [String?] = []
                        for value in row.values {
                            if case .null = value { cells.append(nil) } else { cells.append(value.canonicalText) }
                        }
                        if let index = result.tables.firstIndex(where: { $0.table == table.table }) {
                            result.tables[index].rows.append(cells)
                        } else {
                            result.tables.append(TableRecords(table: table.table, fields: table.fields, rows: [cells]))
                        }
                    }
                }
            }
        }
        return result
    }
}
