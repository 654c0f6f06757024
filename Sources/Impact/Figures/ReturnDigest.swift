import TableSchema

// MARK: - Digest: what an earlier quarter's figures need of a return

/// Everything the figures of a later quarter need of an accepted return, worked out once and kept in the
/// store, so that a run reads a small digest per earlier return instead of all its rows:
///
/// - the support tally (the quarter's sums and each person's length of support) and each person's change
///   by goal, from which the return's figures and its share of the network's are made;
/// - the person references it names (support, outcomes, and declared tables with a `person_ref`), which
///   no output may show;
/// - each person's first baseline per goal, against which a later quarter's baselines are checked.
///
/// A digest is made only of a return whose rows all name its own partner (as accepted returns do), and
/// holds only what its rows and the coordinator limit decide: names and goal titles come from the
/// reference data when the figures are made. Its key (``key(settings:)``) says which limit it was made
/// with; a digest made under another limit or format is not used.
struct ReturnDigest: Sendable, Hashable {
    /// The return's support rows tallied, person by person (the first row of a person counts).
    var support: SupportTally
    /// Each distinct person's change from baseline, by goal, in row order.
    var changes: [String: [Int]]
    /// The distinct person references the return names, in first-seen order.
    var personRefs: [String]
    /// Each (person, goal)'s baseline in the first outcomes row that names them, in row order.
    var baselines: [Baseline]
    /// Where each person's support stood, for journeys across quarters (``JourneyStep``).
    var steps: [JourneyStep] = []

    /// A person's baseline for a goal.
    struct Baseline: Sendable, Hashable {
        var personRef: String
        var goalID: String
        var score: Int
    }

    /// The format written by ``encoded()``; a stored digest of another format is made again.
    static let format = 2

    /// The key a digest is stored under for these settings: the format and the coordinator limit (the
    /// only setting a digest depends on).
    static func key(settings: Settings) -> String {
        "digest \(format); coordinator limit \(Money(amount: settings.coordinatorLimit).minorUnits)"
    }

    /// The digest of a return, or nil when one of its support or outcomes rows names another partner.
    init?(of value: AcceptedReturn, limit: Money) {
        let partner = value.partnerID
        guard value.support.allSatisfy({ $0.partnerID == partner }), value.outcomes.allSatisfy({ $0.partnerID == partner })
        else { return nil }
        var supported: Set<String> = []
        var support = SupportTally()
        for row in value.support where supported.insert(row.personRef).inserted {
            support.add(row, quarter: value.quarter, limit: limit)
        }
        support.closePartner()
        /// A person and goal seen so far.
        struct GoalPerson: Hashable {
            var personRef: String
            var goalID: String
        }
        var byGoal: [String: [Int]] = [:]
        var baselines: [Baseline] = []
        var counted: Set<GoalPerson> = []
        for row in value.outcomes {
            if counted.insert(GoalPerson(personRef: row.personRef, goalID: row.outcomeID)).inserted {
                byGoal[row.outcomeID, default: []].append(row.currentScore - row.baselineScore)
                baselines.append(Baseline(personRef: row.personRef, goalID: row.outcomeID, score: row.baselineScore))
            }
        }
        var refs: [String] = []
        Self.forEachPersonRef(in: [value]) { refs.append($0) }
        self.init(support: support, changes: byGoal, personRefs: refs, baselines: baselines)
        steps = JourneyStep.steps(of: value)
    }

    /// Calls `body` once for each distinct person reference the returns name, in first-seen order: a digest's
    /// refs, or those of the support, outcomes and declared tables' rows (a table's `person_ref` field).
    static func forEachPersonRef(in returns: [AcceptedReturn], _ body: (String) -> Void) {
        var seen: Set<String> = []
        func note(_ ref: String) { if seen.insert(ref).inserted { body(ref) } }
        for value in returns {
            if let digest = value.digest {
                for ref in digest.personRefs { note(ref) }
                continue
            }
            for row in value.support { note(row.personRef) }
            for row in value.outcomes { note(row.personRef) }
            for records in value.tables where records.fields.contains("person_ref") {
                for row in records.rows { if let ref = records.value("person_ref", in: row) { note(ref) } }
            }
        }
    }

    /// Creates a digest from its parts.
    init(support: SupportTally, changes: [String: [Int]], personRefs: [String], baselines: [Baseline]) {
        self.support = support
        self.changes = changes
        self.personRefs = personRefs
        self.baselines = baselines
    }
}

// MARK: - Bytes

extension ReturnDigest {
    /// Why stored bytes are not a digest.
    struct DecodingError: Error, Sendable, CustomStringConvertible {
        var offset: Int
        var description: String { "a stored return digest is damaged at byte \(offset)" }
    }

    /// The digest as bytes: whole numbers as zigzag LEB128, texts as a length and UTF-8, lists as a count
    /// and their items; goals in ID order, so that the same digest always gives the same bytes.
    func encoded() -> [UInt8] {
        var out = DigestWriter()
        out.integer(Self.format)
        let figures = support.figures
        for value in [
            figures.peopleSupported, figures.newStarts, figures.status.active, figures.status.paused, figures.status.ended,
            figures.endings.planned, figures.endings.unplanned, figures.endings.transition, figures.sessionsOffered,
            figures.sessionsAttended, figures.discretionary.total.minorUnits, figures.discretionary.spends,
            figures.discretionary.aboveLimitCount, figures.discretionary.aboveLimitTotal.minorUnits,
            figures.discretionary.aboveLimitApproved, support.offeredWithAttended, support.attendedWithOffered,
        ] {
            out.integer(value)
        }
        // Lengths of support are whole days, as `Double`s.
        out.integer(support.lengths.count)
        for length in support.lengths { out.integer(Int(length)) }
        out.integer(changes.count)
        for goal in changes.keys.sorted() {
            out.text(goal)
            let values = changes[goal] ?? []
            out.integer(values.count)
            for value in values { out.integer(value) }
        }
        var refIndex: [String: Int] = [:]
        out.integer(personRefs.count)
        for (index, ref) in personRefs.enumerated() {
            out.text(ref)
            refIndex[ref] = index
        }
        out.integer(baselines.count)
        for baseline in baselines {
            out.personRef(baseline.personRef, index: refIndex)
            out.text(baseline.goalID)
            out.integer(baseline.score)
        }
        // The shape of support (format 2).
        out.integer(support.byType.count)
        for type in support.byType.keys.sorted() {
            let tally = support.byType[type] ?? TypeTally()
            out.text(type)
            for value in [tally.people, tally.offered, tally.attended, tally.offeredWithAttended, tally.attendedWithOffered] {
                out.integer(value)
            }
        }
        out.counts(support.destinations)
        out.integer(support.continuity.recorded)
        out.integer(support.continuity.noChange)
        out.integer(support.reach.base)
        out.counts(support.reach.people)
        out.integer(steps.count)
        for step in steps {
            out.personRef(step.personRef, index: refIndex)
            out.text(step.status)
            out.optional(step.startDate.map(Int.init))
            out.optional(step.bestChange)
        }
        return out.bytes
    }

    /// Reads a digest written by ``encoded()``.
    ///
    /// - Throws: ``DecodingError`` when the bytes are of another format, cut short or damaged.
    init(decoding bytes: [UInt8]) throws(DecodingError) {
        var input = DigestReader(bytes: bytes)
        guard try input.integer() == Self.format else { throw DecodingError(offset: 0) }
        var counts: [Int] = []
        for _ in 0..<17 { counts.append(try input.integer()) }
        var figures = SupportFigures()
        figures.peopleSupported = counts[0]
        figures.newStarts = counts[1]
        figures.status = StatusCounts(active: counts[2], paused: counts[3], ended: counts[4])
        figures.endings = EndingCounts(planned: counts[5], unplanned: counts[6], transition: counts[7])
        figures.sessionsOffered = counts[8]
        figures.sessionsAttended = counts[9]
        figures.discretionary.total = Money(minorUnits: counts[10])
        figures.discretionary.spends = counts[11]
        figures.discretionary.aboveLimitCount = counts[12]
        figures.discretionary.aboveLimitTotal = Money(minorUnits: counts[13])
        figures.discretionary.aboveLimitApproved = counts[14]
        var support = SupportTally()
        support.figures = figures
        support.offeredWithAttended = counts[15]
        support.attendedWithOffered = counts[16]
        let lengths = try input.count()
        support.lengths.reserveCapacity(lengths)
        for _ in 0..<lengths { support.lengths.append(Double(try input.integer())) }
        var changes: [String: [Int]] = [:]
        for _ in 0..<(try input.count()) {
            let goal = try input.text()
            var values: [Int] = []
            let count = try input.count()
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try input.integer()) }
            changes[goal] = values
        }
        var refs: [String] = []
        let refCount = try input.count()
        refs.reserveCapacity(refCount)
        for _ in 0..<refCount { refs.append(try input.text()) }
        var baselines: [Baseline] = []
        let baselineCount = try input.count()
        baselines.reserveCapacity(baselineCount)
        for _ in 0..<baselineCount {
            let ref = try input.personRef(in: refs)
            baselines.append(Baseline(personRef: ref, goalID: try input.text(), score: try input.integer()))
        }
        for _ in 0..<(try input.count()) {
            let type = try input.text()
            var values: [Int] = []
            for _ in 0..<5 { values.append(try input.integer()) }
            support.byType[type] = TypeTally(
                people: values[0], offered: values[1], attended: values[2], offeredWithAttended: values[3],
                attendedWithOffered: values[4])
        }
        support.destinations = try input.counts()
        support.continuity.recorded = try input.integer()
        support.continuity.noChange = try input.integer()
        support.reach.base = try input.integer()
        support.reach.people = try input.counts()
        var steps: [JourneyStep] = []
        let stepCount = try input.count()
        steps.reserveCapacity(stepCount)
        for _ in 0..<stepCount {
            let ref = try input.personRef(in: refs)
            let status = try input.text()
            let start = try input.optional()
            guard start.map({ $0 >= Int(Int32.min) && $0 <= Int(Int32.max) }) ?? true else {
                throw DecodingError(offset: input.offset)
            }
            steps.append(
                JourneyStep(personRef: ref, status: status, startDate: start.map { Int32($0) }, bestChange: try input.optional()))
        }
        guard input.isAtEnd else { throw DecodingError(offset: input.offset) }
        self.init(support: support, changes: changes, personRefs: refs, baselines: baselines)
        self.steps = steps
    }
}

/// Writes a digest's bytes.
private struct DigestWriter {
    var bytes: [UInt8] = []

    /// A whole number, zigzag then LEB128.
    mutating func integer(_ value: Int) {
        var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A person reference: its index among the digest's references, or -1 then the reference.
    mutating func personRef(_ ref: String, index: [String: Int]) {
        integer(index[ref] ?? -1)
        if index[ref] == nil { text(ref) }
    }

    /// A number that may be missing: 0, or 1 then the number.
    mutating func optional(_ value: Int?) {
        if let value {
            integer(1)
            integer(value)
        } else {
            integer(0)
        }
    }

    /// Counts by name, names in order.
    mutating func counts(_ values: [String: Int]) {
        integer(values.count)
        for name in values.keys.sorted() {
            text(name)
            integer(values[name] ?? 0)
        }
    }

    /// A text: its UTF-8 length, then its bytes.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            integer(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Reads a digest's bytes, throwing at the first byte that does not fit.
private struct DigestReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func integer() throws(ReturnDigest.DecodingError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw ReturnDigest.DecodingError(offset: offset) }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        let zigzag = Int64(bitPattern: result)
        return Int((zigzag >> 1) ^ -(zigzag & 1))
    }

    /// A count of items: never negative, never more than the bytes left could hold.
    mutating func count() throws(ReturnDigest.DecodingError) -> Int {
        let start = offset
        let value = try integer()
        guard value >= 0 && value <= bytes.count - offset else { throw ReturnDigest.DecodingError(offset: start) }
        return value
    }

    /// A person reference written by `DigestWriter.personRef(_:index:)`.
    mutating func personRef(in refs: [String]) throws(ReturnDigest.DecodingError) -> String {
        let index = try integer()
        if index == -1 { return try text() }
        guard index >= 0 && index < refs.count else { throw ReturnDigest.DecodingError(offset: offset) }
        return refs[index]
    }

    mutating func optional() throws(ReturnDigest.DecodingError) -> Int? {
        let start = offset
        switch try integer() {
        case 0: return nil
        case 1: return try integer()
        default: throw ReturnDigest.DecodingError(offset: start)
        }
    }

    mutating func counts() throws(ReturnDigest.DecodingError) -> [String: Int] {
        var result: [String: Int] = [:]
        for _ in 0..<(try count()) {
            let name = try text()
            result[name] = try integer()
        }
        return result
    }

    mutating func text() throws(ReturnDigest.DecodingError) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }
}
