import TableSchema

// MARK: - Journeys: a person's support across quarters, at one partner

/// Where one person's support stood in one quarter's return of a partner: what journeys across quarters are
/// followed from. Person references are a partner's own pseudonyms, so a journey is a person at one partner.
struct JourneyStep: Sendable, Hashable {
    var personRef: String
    /// `active`, `paused` or `ended`.
    var status: String
    /// Days since 1970-01-01.
    var startDate: Int32?
    /// The largest change from baseline over the person's goals in the return; nil when the return has no
    /// outcomes row for them.
    var bestChange: Int?

    /// The steps of a return: one per person (their first support row), with their best change from the
    /// outcomes rows. A return read from its digest gives the digest's.
    static func steps(of value: AcceptedReturn) -> [JourneyStep] {
        if let digest = value.digest { return digest.steps }
        var best: [String: Int] = [:]
        for row in value.outcomes where row.partnerID == value.partnerID {
            let change = row.currentScore - row.baselineScore
            if let current = best[row.personRef], current >= change { continue }
            best[row.personRef] = change
        }
        var seen: Set<String> = []
        return value.support.compactMap { row in
            guard row.partnerID == value.partnerID, seen.insert(row.personRef).inserted else { return nil }
            return JourneyStep(personRef: row.personRef, status: row.status, startDate: row.startDate, bestChange: best[row.personRef])
        }
    }
}

/// How many pauses lasted one, two, or three or more quarters.
struct PauseLengths: Sendable, Hashable {
    var oneQuarter = 0
    var twoQuarters = 0
    var threeOrMore = 0

    /// All of them.
    var total: Int { oneQuarter + twoQuarters + threeOrMore }

    mutating func add(quarters: Int) {
        switch quarters {
        case ...1: oneQuarter += 1
        case 2: twoQuarters += 1
        default: threeOrMore += 1
        }
    }

    mutating func merge(_ other: PauseLengths) {
        oneQuarter += other.oneQuarter
        twoQuarters += other.twoQuarters
        threeOrMore += other.threeOrMore
    }
}

/// Journeys of a partner's people, or of the network's, as they stand at the end of a quarter.
struct JourneyFigures: Sendable, Hashable {
    /// People whose support was `paused` in the previous quarter's return of their partner, at partners with an
    /// accepted return in both quarters.
    var pausedLastQuarter = 0
    /// Of them, people whose support is `active` again this quarter.
    var reengaged = 0
    /// Of them, people still `paused`.
    var stillPaused = 0
    /// Of them, people whose support `ended` this quarter.
    var endedAfterPause = 0
    /// Of them, people not in this quarter's return.
    var notInReturn = 0
    /// How long the pauses that ended in a return to support this quarter lasted, in consecutive quarters paused.
    var pausesEnded = PauseLengths()
    /// People paused at the end of this quarter, by how many consecutive quarters they have been paused.
    var pausedNow = PauseLengths()
    /// People in this quarter's return who were in an earlier return of the same partner and had left: their
    /// support had ended, or they were missing from the partner's return of the quarter before.
    var cameBack = 0
    /// People whose outcomes first showed an improvement (a change of at least `improvement_points` on any goal)
    /// in this quarter or earlier, among people who started on or after the first day of the history.
    var improvedPeople = 0
    /// Of them, people whose first improvement is in this quarter.
    var firstImprovedThisQuarter = 0
    /// The days behind ``daysToFirstImprovement``, kept for the network's quartiles.
    var improvementDays: [Double] = []

    /// Days from `start_date` to the last day of the quarter of the first improvement, as quartiles.
    /// Worked out when read: merging a thousand partners must not sort the days a thousand times.
    var daysToFirstImprovement: Quartiles? { Quartiles(improvementDays) }

    /// People re-engaged divided by people paused last quarter; no data when nobody was paused.
    var reengagementRate: Double? { Statistics.ratio(reengaged, pausedLastQuarter) }

    /// Adds another partner's journeys.
    mutating func merge(_ other: JourneyFigures) {
        pausedLastQuarter += other.pausedLastQuarter
        reengaged += other.reengaged
        stillPaused += other.stillPaused
        endedAfterPause += other.endedAfterPause
        notInReturn += other.notInReturn
        pausesEnded.merge(other.pausesEnded)
        pausedNow.merge(other.pausedNow)
        cameBack += other.cameBack
        improvedPeople += other.improvedPeople
        firstImprovedThisQuarter += other.firstImprovedThisQuarter
        improvementDays += other.improvementDays
    }

    /// The journeys of one partner's people at the end of `quarter`, from its returns by quarter (the quarters of
    /// the history up to `quarter`; a quarter without an accepted return is missing).
    static func of(
        partnerSteps byQuarter: [Quarter: [JourneyStep]], quarter: Quarter, historyStart: Quarter, improvementPoints: Int
    ) -> JourneyFigures {
        var result = JourneyFigures()
        guard byQuarter[quarter] != nil else { return result }
        var index: [Quarter: [String: JourneyStep]] = [:]
        for (q, steps) in byQuarter where q <= quarter {
            var people: [String: JourneyStep] = [:]
            for step in steps where people[step.personRef] == nil { people[step.personRef] = step }
            index[q] = people
        }
        let now = index[quarter] ?? [:]
        /// Consecutive quarters paused, counting back from `from`.
        func pausedRun(_ ref: String, from: Quarter) -> Int {
            var count = 0
            var q = from
            while q >= historyStart, index[q]?[ref]?.status == "paused" {
                count += 1
                q = q.previous
            }
            return count
        }
        if let before = index[quarter.previous] {
            for step in before.values where step.status == "paused" {
                result.pausedLastQuarter += 1
                switch now[step.personRef]?.status {
                case "active":
                    result.reengaged += 1
                    result.pausesEnded.add(quarters: pausedRun(step.personRef, from: quarter.previous))
                case "paused": result.stillPaused += 1
                case "ended": result.endedAfterPause += 1
                default: result.notInReturn += 1
                }
            }
        }
        let earlier = index.keys.filter { $0 < quarter }.sorted(by: >)
        for step in now.values where step.status == "paused" {
            result.pausedNow.add(quarters: pausedRun(step.personRef, from: quarter))
        }
        for (ref, _) in now {
            guard let latest = earlier.first(where: { index[$0]?[ref] != nil }), let last = index[latest]?[ref] else { continue }
            let missedLastQuarter = index[quarter.previous] != nil && index[quarter.previous]?[ref] == nil
            if last.status == "ended" || missedLastQuarter { result.cameBack += 1 }
        }
        // First improvements, over everyone the partner's returns name who started within the history.
        var firstImproved: [String: (quarter: Quarter, start: Int32)] = [:]
        var starts: [String: Int32] = [:]
        for q in index.keys.sorted() {
            for (ref, step) in index[q] ?? [:] {
                if let start = step.startDate { starts[ref] = start }
                guard firstImproved[ref] == nil, let change = step.bestChange, change >= improvementPoints,
                    let start = starts[ref], Int(start) >= historyStart.firstDay
                else { continue }
                firstImproved[ref] = (q, start)
            }
        }
        for (_, first) in firstImproved {
            result.improvedPeople += 1
            if first.quarter == quarter { result.firstImprovedThisQuarter += 1 }
            result.improvementDays.append(Double(max(0, first.quarter.lastDay - Int(first.start))))
        }
        result.improvementDays.sort()
        return result
    }
}

/// The journeys of every partner with an accepted return in the report's quarter, and of the network.
struct JourneyReport: Sendable, Hashable {
    /// The network: the partners' journeys added up.
    var network = JourneyFigures()
    /// Each partner's, by ID.
    var partners: [String: JourneyFigures] = [:]
}
