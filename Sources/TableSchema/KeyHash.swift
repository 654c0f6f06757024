/// A 96-bit fingerprint of a key's values, so key sets stay small whatever the keys' length.
///
/// Two independent lanes (FNV-1a and a multiply-rotate lane), each finished with MurmurHash3's avalanche
/// step; the first is kept whole (64 bits), the second to 32 bits, so that a key table's slot with its row
/// is 16 bytes (``KeyTable``). Parts are separated by 0xFF, which never occurs in UTF-8, so (`ab`, `c`) and
/// (`a`, `bc`) differ. With 96 bits a false match among a million keys has a chance of about 10⁻¹⁷ (n²/2⁹⁷).
public struct KeyHash: Hashable, Sendable {
    var low: UInt64
    var high: UInt64

    /// Fingerprints the parts of a key, in order.
    public init(parts: [ArraySlice<UInt8>]) {
        var builder = Builder()
        for part in parts { builder.add(part) }
        self = builder.finish()
    }

    /// Fingerprints a single-part key.
    public init(_ part: ArraySlice<UInt8>) {
        var builder = Builder()
        builder.add(part)
        self = builder.finish()
    }

    /// Fingerprints a single-part key given as text.
    public init(_ text: String) {
        self.init(Array(text.utf8)[...])
    }

    /// Builds a fingerprint part by part.
    public struct Builder {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x9E37_79B9_7F4A_7C15

        /// Starts an empty fingerprint.
        public init() {}

        /// Adds one part.
        public mutating func add<Part: Sequence<UInt8>>(_ part: Part) {
            for byte in part { mix(byte) }
            mix(0xFF)
        }

        @inline(__always)
        mutating func mix(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = ((b ^ UInt64(byte)) &* 0xFF51_AFD7_ED55_8CCD)
            b = (b << 31) | (b >> 33)
        }

        /// The fingerprint.
        public func finish() -> KeyHash {
            KeyHash(low: avalanche(a), high: avalanche(b ^ a) & 0xFFFF_FFFF)
        }
    }

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// Feeds only the low lane to Swift's hashing (the value is already well mixed).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(low)
    }
}

@inline(__always)
private func avalanche(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 33
    x = x &* 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    x = x &* 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    return x
}
