import Foundation
import Impact

/// A small, fast, seeded random number generator (SplitMix64), so that a seed always gives the same workspace.
///
/// Each partner draws from its own generator, derived from the workspace seed and the partner's number, so a
/// partner's files do not depend on how many other partners there are or in which order they are written.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed and a stream number (for example a partner's number).
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 1) &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in `0..<1`.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with the given probability.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform integer in the range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// An exponentially distributed number with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// A normally distributed number (Box–Muller).
    public mutating func normal(mean: Double, deviation: Double) -> Double {
        let u = max(unit(), 1e-12)
        let v = unit()
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// One element, chosen with the given weights.
    public mutating func weighted<T>(_ choices: [(T, Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var pick = unit() * total
        for (value, weight) in choices {
            if pick < weight { return value }
            pick -= weight
        }
        return choices[choices.count - 1].0
    }
}

/// Pseudonymous person references: a bijection of a counter, so references never repeat within a partner,
/// written in an unambiguous alphabet (`K7QM-3XD9`). They look like the references partners' case systems make
/// and carry nothing about a person.
enum PseudonymousRef {
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)

    /// The reference for a partner's n-th person.
    static func make(partner: Int, index: Int, seed: UInt64) -> String {
        // An invertible mix of 40 bits: distinct indexes give distinct references.
        let mask: UInt64 = (1 << 40) - 1
        var x = UInt64(index) & mask
        let key = (seed &* 0x2545_F491_4F6C_DD1D ^ UInt64(partner) &* 0x9E37_79B9) & mask
        for _ in 0..<3 {
            x = (x &* 0x5_DEEC_E66D) & mask  // odd multiplier: invertible mod 2^40
            x ^= x >> 17
            x = (x ^ key) & mask
        }
        var bytes = [UInt8](repeating: 0, count: 9)
        var value = x
        for position in [8, 7, 6, 5, 3, 2, 1, 0] {
            bytes[position] = alphabet[Int(value & 31)]
            value >>= 5
        }
        bytes[4] = UInt8(ascii: "-")
        return String(decoding: bytes, as: UTF8.self)
    }
}
