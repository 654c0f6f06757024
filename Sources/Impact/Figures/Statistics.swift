// MARK: - Statistics without NaN

/// The few statistics the figures use. Every function returns `nil` ("no data") where a division by
/// zero or an empty input would otherwise give NaN or infinity.
enum Statistics {
    /// The median: the middle value, or the mean of the middle two; nil for no values.
    static func median(_ values: [Double]) -> Double? {
        median(sorted: values.sorted()[...])
    }

    /// The median of values already in ascending order; nil for none.
    static func median(sorted: ArraySlice<Double>) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.startIndex + sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The arithmetic mean; nil for no values.
    static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// `numerator / denominator`; nil when the denominator is zero.
    static func ratio(_ numerator: Double, _ denominator: Double) -> Double? {
        denominator == 0 ? nil : numerator / denominator
    }

    /// `numerator / denominator` for counts; nil when the denominator is zero.
    static func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
        ratio(Double(numerator), Double(denominator))
    }

    /// The smallest number of previous values a robust z-score needs.
    static let robustMinimumHistory = 3
    /// The size of robust z-score above which a value is flagged.
    static let robustThreshold = 3.5

    /// The robust (modified) z-score of a value against earlier values (Iglewicz and Hoaglin):
    /// `0.6745 × (value − median) ÷ MAD`. When the MAD is 0, the mean absolute deviation from the median
    /// × 1.2533 takes its place; when every earlier value is the same, the score is unbounded (`z` nil)
    /// and any difference is flagged. Nil with fewer than ``robustMinimumHistory`` earlier values.
    static func robustScore(_ value: Double, history: [Double]) -> RobustScore? {
        guard history.count >= robustMinimumHistory, let median = median(history) else { return nil }
        let deviations = history.map { abs($0 - median) }
        let mad = Self.median(deviations) ?? 0
        let meanDeviation = mean(deviations) ?? 0
        let z: Double?
        if mad > 0 {
            z = 0.6745 * (value - median) / mad
        } else if meanDeviation > 0 {
            z = (value - median) / (1.253314 * meanDeviation)
        } else {
            z = value == median ? 0 : nil
        }
        let flagged = z.map { abs($0) > robustThreshold } ?? true
        return RobustScore(value: value, median: median, mad: mad, history: history.count, z: z, isFlagged: flagged)
    }
}

/// A robust z-score and what it was computed from.
struct RobustScore: Sendable, Hashable {
    /// The value scored.
    var value: Double
    /// The median of the earlier values.
    var median: Double
    /// The median absolute deviation of the earlier values from their median.
    var mad: Double
    /// How many earlier values there were.
    var history: Int
    /// The score; nil when every earlier value was the same and the value differs (unbounded).
    var z: Double?
    /// Whether the score is above ``Statistics/robustThreshold`` in size (or unbounded).
    var isFlagged: Bool
}

// MARK: - Money

/// An amount of money in minor units (pence), so that totals are exact and identical on every machine.
struct Money: Sendable, Hashable, Comparable {
    /// The amount in hundredths of the currency unit.
    var minorUnits: Int

    /// Creates an amount from minor units.
    init(minorUnits: Int) {
        self.minorUnits = minorUnits
    }

    /// Creates an amount from a decimal amount, rounded to the nearest minor unit (halves away from zero).
    init(amount: Double) {
        let scaled = (amount * 100).rounded(.toNearestOrAwayFromZero)
        minorUnits = scaled.isFinite && abs(scaled) < 9e15 ? Int(scaled) : 0
    }

    /// Nothing.
    static let zero = Money(minorUnits: 0)

    /// The amount as a decimal number.
    var amount: Double { Double(minorUnits) / 100 }

    /// The sum of two amounts.
    static func + (left: Money, right: Money) -> Money {
        Money(minorUnits: left.minorUnits &+ right.minorUnits)
    }

    /// Orders amounts.
    static func < (left: Money, right: Money) -> Bool { left.minorUnits < right.minorUnits }
}

// MARK: - Change on the previous quarter

/// Change on the previous quarter.
///
/// A figure this quarter minus the same figure in the previous calendar quarter: a difference in people
/// for counts, in percentage points for rates and shares; no data when either quarter has no data. Network
/// figures include only the partners with an accepted return in each quarter.
enum Change {
    /// The difference of two counts; nil when either is missing.
    static func count(_ current: Int?, previous: Int?) -> Int? {
        guard let current, let previous else { return nil }
        return current - previous
    }

    /// The difference of two rates or shares (0–1), in percentage points; nil when either is missing.
    static func points(_ current: Double?, previous: Double?) -> Double? {
        guard let current, let previous else { return nil }
        return (current - previous) * 100
    }

    /// The difference of two amounts; nil when either is missing.
    static func money(_ current: Money?, previous: Money?) -> Money? {
        guard let current, let previous else { return nil }
        return Money(minorUnits: current.minorUnits - previous.minorUnits)
    }

    /// The difference of two measures in their own unit (days, score points); nil when either is missing.
    static func value(_ current: Double?, previous: Double?) -> Double? {
        guard let current, let previous else { return nil }
        return current - previous
    }
}
