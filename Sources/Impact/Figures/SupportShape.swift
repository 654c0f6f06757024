import TableSchema

// MARK: - The shape of support: types, lengths, endings' destinations, continuity and reach

/// People, sessions and attendance of one type of support (`support_type`).
struct SupportTypeFigures: Sendable, Hashable {
    /// The type as returns write it (`counselling`).
    var type: String
    /// People whose main type of support it was.
    var people: Int
    /// The sum of `sessions_offered` over them.
    var sessionsOffered: Int
    /// The sum of `sessions_attended` over them.
    var sessionsAttended: Int
    /// Attended divided by offered, over the people whose row gives both; no data when none were offered.
    var attendanceRate: Double?
}

/// How long people have been supported: quartiles, a histogram and the people past the agreed maximum.
struct LengthDistribution: Sendable, Hashable {
    /// The lower quartile, median and upper quartile of the lengths in days; nil when there are none.
    var quartiles: Quartiles?
    /// People per band of length, in ``LengthDistribution/bands`` order.
    var histogram: [Int] = Array(repeating: 0, count: LengthDistribution.bands.count)
    /// People supported for longer than `support.max_days` (impact.yaml); nil when the programme sets none.
    var pastMaximum: Int?

    /// The bands of the histogram: a label and the most days in it (nil: no upper end).
    /// The bands are under 3 months (up to 90 days), 3 to 6 months (91 to 182 days), 6 to 12 months (183 to 365 days), 1 to 2 years (366 to 730 days) and over 2 years.
    static let bands: [(label: String, maxDays: Int?)] = [
        ("under 3 months", 90), ("3 to 6 months", 182), ("6 to 12 months", 365), ("1 to 2 years", 730), ("over 2 years", nil),
    ]

    /// The distribution of some lengths in days.
    init(lengths: [Double], maxDays: Int?) {
        quartiles = Quartiles(lengths)
        for length in lengths {
            let band = Self.bands.firstIndex { $0.maxDays.map { length <= Double($0) } ?? true } ?? Self.bands.count - 1
            histogram[band] += 1
        }
        pastMaximum = maxDays.map { max in lengths.filter { $0 > Double(max) }.count }
    }

    /// No lengths.
    init() {}
}

/// A lower quartile, median and upper quartile.
struct Quartiles: Sendable, Hashable {
    var lower: Double
    var median: Double
    var upper: Double

    /// Creates quartiles from their values.
    init(lower: Double, median: Double, upper: Double) {
        self.lower = lower
        self.median = median
        self.upper = upper
    }

    /// The quartiles of some values: the median, and the medians of the values below and above it (the middle
    /// value left out when the count is odd); nil when there are none.
    init?(_ values: [Double]) {
        // Sorted once: the halves of a sorted array are sorted (a network's lengths are every person's).
        let sorted = values.sorted()
        guard let median = Statistics.median(sorted: sorted[...]) else { return nil }
        let half = sorted.count / 2
        let lowerHalf = sorted.count == 1 ? sorted[...] : sorted[..<half]
        let upperHalf = sorted.count == 1 ? sorted[...] : sorted[(sorted.count - half)...]
        self.median = median
        lower = Statistics.median(sorted: lowerHalf) ?? median
        upper = Statistics.median(sorted: upperHalf) ?? median
    }
}

/// Transition endings by where the person moved on to.
struct DestinationCount: Sendable, Hashable {
    /// `transition_to` as returns write it; `not_recorded` when blank.
    var destination: String
    /// How many transition endings.
    var endings: Int
}

/// The same worker through the quarter: the seeds' measure of relationship continuity.
struct ContinuityFigures: Sendable, Hashable {
    /// People whose row gives `worker_changes`.
    var recorded: Int = 0
    /// Of them, people whose worker did not change (`worker_changes` 0).
    var noChange: Int = 0
    /// `noChange` divided by `recorded`; no data when nobody's changes are recorded.
    var shareNoChange: Double? { Statistics.ratio(noChange, recorded) }
}

/// People supported in each of the programme's priority groups.
struct ReachFigures: Sendable, Hashable {
    /// People supported by partners that name a priority group for at least one person in the quarter: the
    /// base of the shares (a partner that records none shows nothing of its reach).
    var base: Int = 0
    /// People per group ID.
    var people: [String: Int] = [:]

    /// People in a group.
    func people(in group: String) -> Int { people[group] ?? 0 }
    /// The share of the base in a group; no data when the base is 0.
    func share(of group: String) -> Double? { Statistics.ratio(people(in: group), base) }
}

/// What the shape of support is tallied from, per type of support.
struct TypeTally: Sendable, Hashable {
    var people = 0
    var offered = 0
    var attended = 0
    var offeredWithAttended = 0
    var attendedWithOffered = 0

    mutating func merge(_ other: TypeTally) {
        people += other.people
        offered += other.offered
        attended += other.attended
        offeredWithAttended += other.offeredWithAttended
        attendedWithOffered += other.attendedWithOffered
    }
}

/// The support types in the schema's order; other types follow in alphabetical order.
enum SupportTypes {
    /// Type and words.
    static let known: [(type: String, label: String)] = [
        ("counselling", "Counselling"), ("group_support", "Group support"), ("practical_support", "Practical support"),
        ("peer_support", "Peer support"), ("education", "Education"), ("advocacy", "Advocacy"),
        ("wellbeing_activity", "Wellbeing activity"), ("other", "Other"),
    ]

    /// A type in words.
    static func label(_ type: String) -> String { known.first { $0.type == type }?.label ?? Words.fromID(type) }

    /// Types in order: known ones first, then the rest alphabetically.
    static func ordered(_ types: some Sequence<String>) -> [String] {
        let present = Set(types)
        let known = known.map(\.type).filter(present.contains)
        return known + present.subtracting(known).sorted()
    }
}

/// Where transitions lead, in words.
enum Destinations {
    static let known: [(destination: String, label: String)] = [
        ("another_partner", "Another partner of the programme"), ("statutory_service", "A statutory service"),
        ("community_group", "A community group"), ("specialist_service", "A specialist service"),
        ("education_or_work", "Education or work"), ("other", "Elsewhere"), ("not_recorded", "Not recorded"),
    ]

    /// A destination in words.
    static func label(_ destination: String) -> String {
        known.first { $0.destination == destination }?.label ?? Words.fromID(destination)
    }

    /// Destinations in order: known ones first, then the rest alphabetically.
    static func ordered(_ values: some Sequence<String>) -> [String] {
        let present = Set(values)
        let known = known.map(\.destination).filter(present.contains)
        return known + present.subtracting(known).sorted()
    }
}

/// Words from IDs.
enum Words {
    /// `statutory_service` → `Statutory service`.
    static func fromID(_ id: String) -> String {
        let spaced = id.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
