// MARK: - JSONNumber

/// An exact JSON number, kept as a decimal significand and a power-of-ten exponent.
///
/// JSON numbers are decimal literals, so `0.1`, `19.99` and `12345678901234567890` are stored
/// exactly instead of being rounded to a binary `Double`. The value is
/// `(isNegative ? -1 : 1) × significand × 10^exponent`, normalised so that equal values have
/// equal representations: the significand has no trailing zeros and zero is always `+0 × 10^0`.
/// This makes `1.0 == 1`, `1e2 == 100`, equality, hashing and ordering exact.
public struct JSONNumber: Sendable, Hashable {
    /// The significand when it fits in 64 bits (only meaningful when `bigDigits` is nil).
    let small: UInt64
    /// The decimal digits (values 0...9, most significant first) of a significand above `UInt64.max`.
    let bigDigits: [UInt8]?
    /// The power of ten the significand is multiplied by.
    public let exponent: Int
    /// Whether the number is below zero (declared last so the struct packs tightly).
    public let isNegative: Bool

    /// Creates a number from already-normalised parts (internal: callers must normalise).
    init(normalizedNegative: Bool, small: UInt64, bigDigits: [UInt8]?, exponent: Int) {
        self.isNegative = normalizedNegative
        self.small = small
        self.bigDigits = bigDigits
        self.exponent = exponent
    }

    /// Creates a number from a significand and exponent, normalising trailing zeros and the sign of zero.
    init(negative: Bool, significand: UInt64, exponent: Int) {
        var sig = significand
        var exp = exponent
        if sig == 0 {
            self.init(normalizedNegative: false, small: 0, bigDigits: nil, exponent: 0)
            return
        }
        while sig % 10 == 0 {
            sig /= 10
            exp += 1
        }
        self.init(normalizedNegative: negative, small: sig, bigDigits: nil, exponent: exp)
    }

    /// Creates a number from decimal digit values (0...9, most significant first) and an exponent.
    ///
    /// Leading and trailing zeros are removed; a significand that fits in 64 bits is stored compactly.
    init<C: BidirectionalCollection>(negative: Bool, digits: C, exponent: Int) where C.Element == UInt8 {
        guard let first = digits.firstIndex(where: { $0 != 0 }),
            let last = digits.lastIndex(where: { $0 != 0 })
        else {
            self.init(normalizedNegative: false, small: 0, bigDigits: nil, exponent: 0)
            return
        }
        let trailing = digits.distance(from: last, to: digits.endIndex) - 1
        let significant = digits[first...last]
        let exp = exponent + trailing
        if significant.count <= 19 {
            var value: UInt64 = 0
            for d in significant { value = value &* 10 &+ UInt64(d) }
            self.init(normalizedNegative: negative, small: value, bigDigits: nil, exponent: exp)
        } else if significant.count == 20, let value = JSONNumber.uint64(fromDigits: significant) {
            self.init(normalizedNegative: negative, small: value, bigDigits: nil, exponent: exp)
        } else {
            self.init(normalizedNegative: negative, small: 0, bigDigits: Array(significant), exponent: exp)
        }
    }

    /// Converts up to 20 digits to a `UInt64`, or nil when the value overflows.
    private static func uint64<C: Collection>(fromDigits digits: C) -> UInt64? where C.Element == UInt8 {
        var value: UInt64 = 0
        for d in digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// Creates a number from a Swift integer.
    public init(_ value: Int) {
        self.init(negative: value < 0, significand: value.magnitude.toUInt64, exponent: 0)
    }

    /// Creates a number from a `Double` using its shortest round-tripping decimal form, or nil for NaN and infinity.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(decimalLiteral: "\(value)")
    }

    /// Parses a decimal literal such as `-12.5`, `1e308`, `0.0001` or `19.99`.
    ///
    /// Accepts the JSON number grammar, and also leading `+`, leading zeros and a missing integer
    /// or fraction part (as Swift's `Double.description` may print). Returns nil for anything else.
    public init?(decimalLiteral text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let b = bytes[index]
            if b >= 0x30 && b <= 0x39 {
                digits.append(b - 0x30)
                if sawPoint { fractionDigits += 1 }
                sawDigit = true
            } else if b == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var expNegative = false
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.endIndex else { return nil }
            var e = 0
            while index < bytes.endIndex {
                let b = bytes[index]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                if e < 1_000_000_000 { e = e * 10 + Int(b - 0x30) } else { return nil }
                index += 1
            }
            exponent = expNegative ? -e : e
        }
        self.init(negative: negative, digits: digits, exponent: exponent - fractionDigits)
    }

    // MARK: Properties

    /// Whether the value is zero.
    public var isZero: Bool { bigDigits == nil && small == 0 }

    /// Whether the value is a whole number (`1.0` and `1e308` are; `1.5` is not).
    public var isInteger: Bool { exponent >= 0 }

    /// Number of decimal digits in the significand.
    var digitCount: Int {
        if let big = bigDigits { return big.count }
        var n = small
        var count = 1
        while n >= 10 {
            n /= 10
            count += 1
        }
        return count
    }

    /// The significand's decimal digit values, most significant first.
    var significandDigits: [UInt8] {
        if let big = bigDigits { return big }
        var result: [UInt8] = []
        var n = small
        repeat {
            result.append(UInt8(n % 10))
            n /= 10
        } while n > 0
        return result.reversed()
    }

    /// The value as an `Int` when it is a whole number in range, otherwise nil.
    public var intValue: Int? {
        guard isInteger, bigDigits == nil, exponent < 19 else { return nil }
        var value = small
        for _ in 0..<exponent {
            let (m, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = m
        }
        if isNegative {
            guard value <= UInt64(Int.max) + 1 else { return nil }
            return value == UInt64(Int.max) + 1 ? Int.min : -Int(value)
        }
        guard value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    /// The nearest `Double` (may be infinite for huge exponents).
    public var doubleValue: Double {
        Double(scientificText) ?? (isNegative ? -Double.infinity : Double.infinity)
    }

    /// A plain `d...de±n` rendering used for conversions.
    private var scientificText: String {
        var text = isNegative ? "-" : ""
        text += significandDigits.map { String($0) }.joined()
        text += "e\(exponent)"
        return text
    }

    /// Clamps a non-negative whole number to `Int` (huge values become `Int.max`); nil if negative or fractional.
    var clampedNonNegativeInt: Int? {
        guard isInteger, !isNegative else { return nil }
        return intValue ?? Int.max
    }
}

// MARK: - Ordering

extension JSONNumber: Comparable {
    /// Orders numbers by exact value.
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Compares two numbers exactly: -1, 0 or 1.
    static func compare(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if a.isZero && b.isZero { return 0 }
        if a.isNegative != b.isNegative { return a.isNegative ? -1 : 1 }
        if a.isZero { return b.isNegative ? 1 : -1 }
        if b.isZero { return a.isNegative ? -1 : 1 }
        let magnitude = compareMagnitude(a, b)
        return a.isNegative ? -magnitude : magnitude
    }

    /// Compares absolute values of two non-zero numbers.
    private static func compareMagnitude(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if a.bigDigits == nil && b.bigDigits == nil && a.exponent == b.exponent {
            return a.small < b.small ? -1 : (a.small == b.small ? 0 : 1)
        }
        let orderA = a.digitCount + a.exponent
        let orderB = b.digitCount + b.exponent
        if orderA != orderB { return orderA < orderB ? -1 : 1 }
        // Same position of the leading digit: compare digit by digit (missing digits are zeros).
        let da = a.significandDigits
        let db = b.significandDigits
        let n = max(da.count, db.count)
        for i in 0..<n {
            let x = i < da.count ? da[i] : 0
            let y = i < db.count ? db[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}

// MARK: - Divisibility

extension JSONNumber {
    /// Whether `self` is an exact whole-number multiple of `divisor` (which must be non-zero).
    ///
    /// Uses exact integer arithmetic on the decimal significands, so `19.99` is a multiple of `0.01`
    /// and `0.0075` of `0.0001`, with no binary rounding.
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        if isZero { return true }
        if divisor.isZero { return false }
        // self = a × 10^ea, divisor = b × 10^eb. self/divisor = (a/b) × 10^(ea−eb).
        let k = exponent - divisor.exponent
        // a has no trailing zeros, so b × 10^(−k) cannot divide it when k < 0.
        if k < 0 { return false }
        if divisor.bigDigits == nil {
            let m = divisor.small
            if m == 1 { return true }
            let r = JSONNumber.residue(of: significandDigitsOrSmall, modulo: m)
            let p = JSONNumber.powMod(10, k, m)
            return JSONNumber.mulMod(r, p, m) == 0
        }
        let m = BigUInt(decimalDigits: divisor.significandDigits)
        let a = BigUInt(decimalDigits: significandDigits)
        let r = a.remainder(dividingBy: m)
        let p = BigUInt.powMod(base: BigUInt(10), exponent: k, modulus: m)
        return (r.multiplied(by: p)).remainder(dividingBy: m).isZero
    }

    /// The significand as either a small value or its digits.
    private var significandDigitsOrSmall: Either {
        if let big = bigDigits { return .digits(big) }
        return .small(small)
    }

    /// A small or digit-string significand.
    private enum Either {
        case small(UInt64)
        case digits([UInt8])
    }

    /// `value mod m` for a 64-bit modulus.
    private static func residue(of value: Either, modulo m: UInt64) -> UInt64 {
        switch value {
        case .small(let v):
            return v % m
        case .digits(let digits):
            var r: UInt64 = 0
            for d in digits {
                r = mulMod(r, 10, m)
                r = addMod(r, UInt64(d) % m, m)
            }
            return r
        }
    }

    /// `(a × b) mod m` without overflow, for `a, b < m`.
    private static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high: product.high % m, low: product.low)).remainder
    }

    /// `(a + b) mod m` without overflow, for `a, b < m`.
    private static func addMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (s, overflow) = a.addingReportingOverflow(b)
        if overflow || s >= m { return s &- m }
        return s
    }

    /// `base^exponent mod m` by square-and-multiply.
    private static func powMod(_ base: UInt64, _ exponent: Int, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1 % m
        var b = base % m
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = mulMod(result, b, m) }
            b = mulMod(b, b, m)
            e >>= 1
        }
        return result
    }
}

// MARK: - Text

extension JSONNumber: CustomStringConvertible {
    /// The number as short decimal text: `19.99`, `-3`, `0.0001`, `12345678901234567890`, `1e308`.
    public var description: String {
        let digits = significandDigits.map { Character(Unicode.Scalar($0 + 0x30)) }
        let count = digits.count
        let sign = isNegative ? "-" : ""
        let point = count + exponent  // position of the decimal point from the left of the digits
        if exponent >= 0 && point <= 21 {
            return sign + String(digits) + String(repeating: "0", count: exponent)
        }
        if exponent < 0 && point > 0 {
            return sign + String(digits[0..<point]) + "." + String(digits[point...])
        }
        if exponent < 0 && point > -6 {
            return sign + "0." + String(repeating: "0", count: -point) + String(digits)
        }
        let mantissa = count == 1 ? String(digits) : String(digits[0..<1]) + "." + String(digits[1...])
        return sign + mantissa + "e\(point - 1)"
    }
}

// MARK: - Literals

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Creates a number from an integer literal.
    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// Creates a number from a float literal via its shortest decimal form (non-finite becomes 0).
    public init(floatLiteral value: Double) {
        self = JSONNumber(value) ?? JSONNumber(0)
    }
}

extension UInt {
    /// The value widened to `UInt64`.
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}

// MARK: - BigUInt

/// A minimal arbitrary-precision unsigned integer used only for `multipleOf` with huge divisors.
struct BigUInt: Sendable {
    /// Little-endian 32-bit limbs without trailing zero limbs (zero is empty).
    var limbs: [UInt32]

    /// Creates a value from limbs, trimming high zero limbs.
    init(limbs: [UInt32]) {
        var l = limbs
        while let last = l.last, last == 0 { l.removeLast() }
        self.limbs = l
    }

    /// Creates a value from a small integer.
    init(_ value: UInt64) {
        self.init(limbs: [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)])
    }

    /// Creates a value from decimal digit values, most significant first.
    init(decimalDigits: [UInt8]) {
        var result: [UInt32] = []
        for d in decimalDigits {
            var carry = UInt64(d)
            for i in result.indices {
                let v = UInt64(result[i]) * 10 + carry
                result[i] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            if carry > 0 { result.append(UInt32(carry)) }
        }
        self.init(limbs: result)
    }

    /// Whether the value is zero.
    var isZero: Bool { limbs.isEmpty }

    /// Number of significant bits.
    var bitWidth: Int {
        guard let last = limbs.last else { return 0 }
        return limbs.count * 32 - last.leadingZeroBitCount
    }

    /// The bit at `index` (0 is least significant).
    func bit(_ index: Int) -> Bool {
        let limb = index / 32
        guard limb < limbs.count else { return false }
        return (limbs[limb] >> UInt32(index % 32)) & 1 == 1
    }

    /// The product of two values (schoolbook multiplication).
    func multiplied(by other: BigUInt) -> BigUInt {
        if isZero || other.isZero { return BigUInt(limbs: []) }
        var result = [UInt32](repeating: 0, count: limbs.count + other.limbs.count)
        for i in limbs.indices {
            var carry: UInt64 = 0
            let a = UInt64(limbs[i])
            for j in other.limbs.indices {
                let v = a * UInt64(other.limbs[j]) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            var k = i + other.limbs.count
            while carry > 0 {
                let v = UInt64(result[k]) + carry
                result[k] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
                k += 1
            }
        }
        return BigUInt(limbs: result)
    }

    /// Compares two values: -1, 0 or 1.
    static func compare(_ a: BigUInt, _ b: BigUInt) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        var i = a.limbs.count - 1
        while i >= 0 {
            if a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    /// `self − other`, requiring `self ≥ other`.
    func subtracting(_ other: BigUInt) -> BigUInt {
        var result = limbs
        var borrow: Int64 = 0
        for i in result.indices {
            var v = Int64(result[i]) - borrow - (i < other.limbs.count ? Int64(other.limbs[i]) : 0)
            if v < 0 {
                v += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            result[i] = UInt32(v)
        }
        return BigUInt(limbs: result)
    }

    /// `self × 2 + bit`.
    func shiftedLeftOne(addingBit bit: Bool) -> BigUInt {
        var result = limbs
        var carry: UInt32 = bit ? 1 : 0
        for i in result.indices {
            let next = result[i] >> 31
            result[i] = (result[i] << 1) | carry
            carry = next
        }
        if carry > 0 { result.append(carry) }
        return BigUInt(limbs: result)
    }

    /// `self mod divisor` by binary long division (divisor must be non-zero).
    func remainder(dividingBy divisor: BigUInt) -> BigUInt {
        if BigUInt.compare(self, divisor) < 0 { return self }
        var r = BigUInt(limbs: [])
        var i = bitWidth - 1
        while i >= 0 {
            r = r.shiftedLeftOne(addingBit: bit(i))
            if BigUInt.compare(r, divisor) >= 0 { r = r.subtracting(divisor) }
            i -= 1
        }
        return r
    }

    /// `base^exponent mod modulus` by square-and-multiply.
    static func powMod(base: BigUInt, exponent: Int, modulus: BigUInt) -> BigUInt {
        var result = BigUInt(1).remainder(dividingBy: modulus)
        var b = base.remainder(dividingBy: modulus)
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result.multiplied(by: b).remainder(dividingBy: modulus) }
            b = b.multiplied(by: b).remainder(dividingBy: modulus)
            e >>= 1
        }
        return result
    }
}
