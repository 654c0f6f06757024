/// A byte-at-a-time UTF-8 well-formedness checker following Unicode Table 3-7.
///
/// Invalid input is reported per *maximal subpart* (Unicode's recommended practice), so a checker
/// run over a whole file and one run over each field of it count the same number of errors.
struct UTF8Scanner {
    /// What one byte did to the scanner.
    enum Step {
        /// A one-byte scalar (ASCII).
        case ascii
        /// A byte inside a multi-byte sequence that is still incomplete.
        case pending
        /// The last byte of a valid multi-byte scalar.
        case scalarEnd
        /// The byte is invalid on its own (and starts nothing).
        case invalid
        /// The sequence in progress was broken by this byte: one error, then feed the byte again.
        case invalidThenReprocess
    }

    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Bytes of the current incomplete sequence.
    private(set) var pendingCount = 0

    /// True when a multi-byte sequence has begun and not yet ended.
    var isInsideSequence: Bool { needed > 0 }

    /// Feeds one byte.
    mutating func feed(_ byte: UInt8) -> Step {
        if needed == 0 {
            switch byte {
            case 0x00...0x7F:
                return .ascii
            case 0xC2...0xDF:
                needed = 1
                lower = 0x80
                upper = 0xBF
            case 0xE0:
                needed = 2
                lower = 0xA0
                upper = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF:
                needed = 2
                lower = 0x80
                upper = 0xBF
            case 0xED:
                needed = 2
                lower = 0x80
                upper = 0x9F
            case 0xF0:
                needed = 3
                lower = 0x90
                upper = 0xBF
            case 0xF1...0xF3:
                needed = 3
                lower = 0x80
                upper = 0xBF
            case 0xF4:
                needed = 3
                lower = 0x80
                upper = 0x8F
            default:
                return .invalid
            }
            pendingCount = 1
            return .pending
        }
        guard byte >= lower && byte <= upper else {
            reset()
            return .invalidThenReprocess
        }
        lower = 0x80
        upper = 0xBF
        needed -= 1
        pendingCount += 1
        if needed == 0 {
            pendingCount = 0
            return .scalarEnd
        }
        return .pending
    }

    /// Forgets an incomplete sequence (after reporting it).
    mutating func reset() {
        needed = 0
        pendingCount = 0
        lower = 0x80
        upper = 0xBF
    }
}

// MARK: - Whole-buffer checks

/// Checks and repairs the UTF-8 of one field.
enum UTF8Repair {
    /// Returns true when every byte is ASCII and none is NUL (the common, fast case).
    static func isPlainASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            isPlainASCII(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Returns true when every byte is ASCII and none is NUL, eight bytes at a time.
    static func isPlainASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
        let count = raw.count
        var index = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Any high bit set, or any zero byte (classic SWAR zero-byte test).
            if word & high != 0 || (word &- ones) & ~word & high != 0 { return false }
            index += 8
        }
        while index < count {
            let byte = raw[index]
            if byte >= 0x80 || byte == 0 { return false }
            index += 1
        }
        return true
    }

    /// Repairs a field: invalid sequences become U+FFFD and NUL bytes are removed.
    /// - Returns: the repaired bytes and the number of problems found (invalid sequences and NULs).
    static func repair(_ bytes: ArraySlice<UInt8>) -> (bytes: [UInt8], problems: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var scanner = UTF8Scanner()
        var pending: [UInt8] = []
        var problems = 0
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        for byte in bytes {
            var again = true
            while again {
                again = false
                switch scanner.feed(byte) {
                case .ascii:
                    if byte == 0 {
                        problems += 1
                    } else {
                        output.append(byte)
                    }
                case .pending:
                    pending.append(byte)
                case .scalarEnd:
                    output.append(contentsOf: pending)
                    output.append(byte)
                    pending.removeAll(keepingCapacity: true)
                case .invalid:
                    problems += 1
                    output.append(contentsOf: replacement)
                case .invalidThenReprocess:
                    problems += 1
                    output.append(contentsOf: replacement)
                    pending.removeAll(keepingCapacity: true)
                    again = true
                }
            }
        }
        if scanner.isInsideSequence {
            problems += 1
            output.append(contentsOf: replacement)
        }
        return (output, problems)
    }
}
