/// The keys a table has used, each with the row it was first seen at: an open-addressing hash table over
/// ``KeyHash`` fingerprints.
///
/// A fingerprint is already well mixed, so its low lane picks the slot directly: no `Hasher` (SipHash) per
/// lookup and none when the table grows, which a `Dictionary` spent 10% of a large file's validation on.
/// A slot is 16 bytes: the fingerprint's 96 bits and the row (a million keys in 32 MB, four slots to a
/// cache line).
struct KeyTable {
    private struct Slot {
        var low: UInt64
        var high: UInt32
        /// The row plus one; 0 marks an empty slot.
        var rowPlusOne: UInt32
    }

    private var slots: [Slot]
    private var mask: Int
    /// How many keys it holds.
    private(set) var count = 0

    /// An empty table.
    init() {
        slots = Array(repeating: Slot(low: 0, high: 0, rowPlusOne: 0), count: 64)
        mask = 63
    }

    /// The row a key was first seen at; or, when it is new, records it at `row` and returns nil.
    mutating func firstRow(of key: KeyHash, insertingAt row: Int) -> Int? {
        if count * 4 >= slots.count * 3 { grow() }
        let high = UInt32(truncatingIfNeeded: key.high)
        var index = Int(truncatingIfNeeded: key.low) & mask
        while true {
            let slot = slots[index]
            if slot.rowPlusOne == 0 {
                slots[index] = Slot(low: key.low, high: high, rowPlusOne: UInt32(clamping: row + 1))
                count += 1
                return nil
            }
            if slot.low == key.low && slot.high == high { return Int(slot.rowPlusOne) - 1 }
            index = (index + 1) & mask
        }
    }

    /// Every key with its row, in no particular order.
    var entries: [(key: KeyHash, row: Int)] {
        slots.compactMap { $0.rowPlusOne == 0 ? nil : (KeyHash(low: $0.low, high: UInt64($0.high)), Int($0.rowPlusOne) - 1) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(low: 0, high: 0, rowPlusOne: 0), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.rowPlusOne != 0 {
            var index = Int(truncatingIfNeeded: slot.low) & mask
            while slots[index].rowPlusOne != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
