/// Turns chunks of a file in its own encoding into UTF-8 for the parser, remembering where each
/// problem byte was in the original file.
///
/// UTF-8 input passes through unchanged (only checked); Windows-1252 and UTF-16 are converted.
/// Problems (invalid sequences, unpaired surrogates, NUL bytes) are recorded as byte offsets in the
/// source, in order, so that the reader can attach an offset to each problem it later finds in a field.
struct Transcoder {
    let encoding: TextEncoding
    /// Source byte offsets of problems, oldest first.
    private(set) var problemOffsets: [Int] = []
    private var problemCursor = 0

    private var scanner = UTF8Scanner()
    private var sequenceStart = 0
    /// UTF-16: a byte left over from the previous chunk (odd length).
    private var carryByte: UInt8?
    /// UTF-16: a high surrogate waiting for its low half, and where it was.
    private var highSurrogate: UInt16?
    private var highSurrogateOffset = 0

    init(encoding: TextEncoding) {
        self.encoding = encoding
    }

    /// The next recorded problem offset, if any.
    mutating func nextProblemOffset() -> Int? {
        guard problemCursor < problemOffsets.count else { return nil }
        defer { problemCursor += 1 }
        return problemOffsets[problemCursor]
    }

    /// Drops offsets already handed out, keeping memory flat on long files.
    mutating func compact() {
        if problemCursor > 0 && problemCursor == problemOffsets.count {
            problemOffsets.removeAll(keepingCapacity: true)
            problemCursor = 0
        }
    }

    /// Converts one chunk. `baseOffset` is the chunk's offset in the source file.
    /// - Returns: UTF-8 bytes for the parser; for UTF-8 input, `nil` means "use the chunk as it is".
    mutating func convert(_ chunk: UnsafeRawBufferPointer, baseOffset: Int, into output: inout [UInt8]) -> Bool {
        switch encoding {
        case .utf8, .utf8WithBOM:
            checkUTF8(chunk, baseOffset: baseOffset)
            return false
        case .windows1252:
            output.removeAll(keepingCapacity: true)
            for index in 0..<chunk.count {
                let byte = chunk[index]
                if byte < 0x80 {
                    if byte == 0 { problemOffsets.append(baseOffset + index) }
                    output.append(byte)
                } else {
                    appendScalar(windows1252ToScalar[Int(byte) - 0x80], to: &output)
                }
            }
            return true
        case .utf16LE, .utf16BE:
            output.removeAll(keepingCapacity: true)
            var index = 0
            var unitOffset = baseOffset
            if let carry = carryByte, chunk.count > 0 {
                carryByte = nil
                let unit = makeUnit(carry, chunk[0])
                handleUnit(unit, offset: baseOffset - 1, into: &output)
                index = 1
            }
            while index + 1 < chunk.count {
                unitOffset = baseOffset + index
                handleUnit(makeUnit(chunk[index], chunk[index + 1]), offset: unitOffset, into: &output)
                index += 2
            }
            if index < chunk.count { carryByte = chunk[index] }
            return true
        }
    }

    /// Ends the stream: an incomplete sequence at the very end is a problem.
    mutating func finish(endOffset: Int, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        switch encoding {
        case .utf8, .utf8WithBOM:
            if scanner.isInsideSequence {
                problemOffsets.append(sequenceStart)
                scanner.reset()
            }
            return false
        case .windows1252:
            return false
        case .utf16LE, .utf16BE:
            if highSurrogate != nil {
                problemOffsets.append(highSurrogateOffset)
                output.append(0xFF)
                highSurrogate = nil
            }
            if carryByte != nil {
                problemOffsets.append(endOffset - 1)
                output.append(0xFF)
                carryByte = nil
            }
            return true
        }
    }

    // MARK: - UTF-8

    private mutating func checkUTF8(_ chunk: UnsafeRawBufferPointer, baseOffset: Int) {
        if !scanner.isInsideSequence && UTF8Repair.isPlainASCII(chunk) { return }
        for index in 0..<chunk.count {
            let byte = chunk[index]
            var again = true
            while again {
                again = false
                switch scanner.feed(byte) {
                case .ascii:
                    if byte == 0 { problemOffsets.append(baseOffset + index) }
                case .pending:
                    if scanner.pendingCount == 1 { sequenceStart = baseOffset + index }
                case .scalarEnd:
                    break
                case .invalid:
                    problemOffsets.append(baseOffset + index)
                case .invalidThenReprocess:
                    problemOffsets.append(sequenceStart)
                    again = true
                }
            }
        }
    }

    // MARK: - UTF-16

    private func makeUnit(_ first: UInt8, _ second: UInt8) -> UInt16 {
        encoding == .utf16LE ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
    }

    private mutating func handleUnit(_ unit: UInt16, offset: Int, into output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                appendScalar(scalar, to: &output)
                return
            }
            // The high surrogate had no low half: a problem, marked with a byte that is never valid UTF-8.
            problemOffsets.append(highSurrogateOffset)
            output.append(0xFF)
        }
        switch unit {
        case 0xD800...0xDBFF:
            highSurrogate = unit
            highSurrogateOffset = offset
        case 0xDC00...0xDFFF:
            problemOffsets.append(offset)
            output.append(0xFF)
        case 0:
            problemOffsets.append(offset)
            output.append(0)
        default:
            appendScalar(UInt32(unit), to: &output)
        }
    }

    private func appendScalar(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// Windows-1252 bytes 0x80–0xFF as Unicode scalars. The five bytes Windows leaves undefined
/// (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the same value, as Windows itself does.
private let windows1252ToScalar: [UInt32] =
    [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ] + (0xA0...0xFF).map { UInt32($0) }
