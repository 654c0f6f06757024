import TableSchema

// MARK: - Tallies: what a partner's figures and the network's are both made from

/// Support rows tallied, person by person: the sums behind `SupportFigures`, with the lengths of support
/// kept for the median. Tallies of different partners merge into the network's exactly (sums of integers,
/// and a median of all the lengths), so the network is never counted row by row a second time.
struct SupportTally: Sendable, Hashable {
    var figures = SupportFigures()
    var lengths: [Double] = []
    var offeredWithAttended = 0
    var attendedWithOffered = 0
    /// People, sessions and attendance by `support_type`.
    var byType: [String: TypeTally] = [:]
    /// Transition endings by `transition_to` (`not_recorded` when blank).
    var destinations: [String: Int] = [:]
    /// People whose `worker_changes` is given, and of them those with none.
    var continuity = ContinuityFigures()
    /// People per priority group, and the base of the shares (set by ``closePartner()`` and summed by merging).
    var reach = ReachFigures()

    /// Counts one person's row.
    mutating func add(_ row: SupportRecord, quarter: Quarter, limit: Money) {
        figures.peopleSupported += 1
        if let start = row.startDate {
            let start = Int(start)
            if start >= quarter.firstDay && start <= quarter.lastDay { figures.newStarts += 1 }
            let end = row.endDate.map(Int.init) ?? quarter.lastDay
            lengths.append(Double(end - start))
        }
        switch row.status {
        case "active": figures.status.active += 1
        case "paused": figures.status.paused += 1
        case "ended":
            figures.status.ended += 1
            switch row.endingType {
            case "planned": figures.endings.planned += 1
            case "unplanned": figures.endings.unplanned += 1
            case "transition": figures.endings.transition += 1
            default: break
            }
        default: break
        }
        if let offered = row.sessionsOffered { figures.sessionsOffered += offered }
        if let attended = row.sessionsAttended { figures.sessionsAttended += attended }
        if let offered = row.sessionsOffered, let attended = row.sessionsAttended {
            offeredWithAttended += offered
            attendedWithOffered += attended
        }
        var type = byType[row.supportType] ?? TypeTally()
        type.people += 1
        type.offered += row.sessionsOffered ?? 0
        type.attended += row.sessionsAttended ?? 0
        if let offered = row.sessionsOffered, let attended = row.sessionsAttended {
            type.offeredWithAttended += offered
            type.attendedWithOffered += attended
        }
        byType[row.supportType] = type
        if row.status == "ended" && row.endingType == "transition" {
            destinations[hasText(row.transitionTo) ? row.transitionTo! : "not_recorded", default: 0] += 1
        }
        if let changes = row.workerChanges {
            continuity.recorded += 1
            if changes == 0 { continuity.noChange += 1 }
        }
        for group in Set(row.priorityGroups) { reach.people[group, default: 0] += 1 }
        if let spend = row.discretionarySpend {
            let amount = Money(amount: spend)
            figures.discretionary.total = figures.discretionary.total + amount
            if amount > .zero { figures.discretionary.spends += 1 }
            if amount > limit {
                figures.discretionary.aboveLimitCount += 1
                figures.discretionary.aboveLimitTotal = figures.discretionary.aboveLimitTotal + amount
                if hasText(row.panelApprovalRef) { figures.discretionary.aboveLimitApproved += 1 }
            }
        }
    }

    /// Ends the tally of one partner's people: the base of its reach is its people when it names a priority group
    /// for anyone, else none.
    mutating func closePartner() {
        reach.base = reach.people.isEmpty ? 0 : figures.peopleSupported
    }

    /// Adds another tally of different people.
    mutating func merge(_ other: SupportTally) {
        for (type, tally) in other.byType { byType[type, default: TypeTally()].merge(tally) }
        for (destination, count) in other.destinations { destinations[destination, default: 0] += count }
        continuity.recorded += other.continuity.recorded
        continuity.noChange += other.continuity.noChange
        reach.base += other.reach.base
        for (group, count) in other.reach.people { reach.people[group, default: 0] += count }
        figures.peopleSupported += other.figures.peopleSupported
        figures.newStarts += other.figures.newStarts
        figures.status.active += other.figures.status.active
        figures.status.paused += other.figures.status.paused
        figures.status.ended += other.figures.status.ended
        figures.endings.planned += other.figures.endings.planned
        figures.endings.unplanned += other.figures.endings.unplanned
        figures.endings.transition += other.figures.endings.transition
        figures.sessionsOffered += other.figures.sessionsOffered
        figures.sessionsAttended += other.figures.sessionsAttended
        let theirs = other.figures.discretionary
        figures.discretionary.total = figures.discretionary.total + theirs.total
        figures.discretionary.spends += theirs.spends
        figures.discretionary.aboveLimitCount += theirs.aboveLimitCount
        figures.discretionary.aboveLimitTotal = figures.discretionary.aboveLimitTotal + theirs.aboveLimitTotal
        figures.discretionary.aboveLimitApproved += theirs.aboveLimitApproved
        lengths += other.lengths
        offeredWithAttended += other.offeredWithAttended
        attendedWithOffered += other.attendedWithOffered
    }

    /// The figures, with the median length, the attendance rates and the shape of support worked out (the people
    /// past the agreed maximum are left to the calculator, which knows the maximum).
    var finished: SupportFigures {
        var result = figures
        result.lengths = LengthDistribution(lengths: lengths, maxDays: nil)
        result.medianLengthDays = result.lengths.quartiles?.median
        result.attendanceRate = Statistics.ratio(attendedWithOffered, offeredWithAttended)
        result.byType = SupportTypes.ordered(byType.keys).map { type in
            let tally = byType[type] ?? TypeTally()
            return SupportTypeFigures(
                type: type, people: tally.people, sessionsOffered: tally.offered, sessionsAttended: tally.attended,
                attendanceRate: Statistics.ratio(tally.attendedWithOffered, tally.offeredWithAttended))
        }
        result.destinations = Destinations.ordered(destinations.keys).map {
            DestinationCount(destination: $0, endings: destinations[$0] ?? 0)
        }
        result.continuity = continuity
        result.reach = reach
        return result
    }
}

/// One partner's return in one quarter, tallied once: its figures, and the support tally and goal changes
/// the network's figures are merged from. A funder's workbook covers some of the partners, so it reuses the
/// programme's tallies instead of counting the rows again.
struct PartnerTally: Sendable {
    var figures: PartnerFigures
    var support: SupportTally
    /// Each distinct person's change from baseline, by goal, in row order.
    var changes: [String: [Int]]
}

/// What the programme's figures counted partner by partner, for a funder's workbook to reuse: each quarter's
/// tallies, and each partner's person references.
struct PartnerTallies: Sendable {
    /// The partners' tallies of each quarter, by partner ID: only for returns that hold their own partner's
    /// rows alone (as accepted returns do), since only those merge exactly.
    var quarters: [Quarter: [String: PartnerTally]] = [:]
    /// The distinct person references in each partner's returns of every quarter of the history, by the
    /// returns' partner ID.
    var personRefs: [String: [String]] = [:]

    /// A quarter's tallies.
    subscript(quarter: Quarter) -> [String: PartnerTally]? { quarters[quarter] }
}

/// Whether an optional text has something other than spaces in it.
private func hasText(_ text: String?) -> Bool {
    (text ?? "").contains { !($0 == " " || $0 == "\t" || $0.isNewline) }
}
