import TestSupport
import Testing

@testable import CSV

/// Converts `bytes` in chunks of `size` through a transcoder; returns the UTF-8 and the problem offsets.
private func transcode(_ bytes: [UInt8], _ encoding: TextEncoding, chunk size: Int) -> (output: [UInt8], problems: [Int]) {
    var transcoder = Transcoder(encoding: encoding)
    var output: [UInt8] = []
    var converted: [UInt8] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + size, bytes.count)
        let chunk = Array(bytes[offset..<end])
        let didConvert = chunk.withUnsafeBytes { transcoder.convert($0, baseOffset: offset, into: &converted) }
        output += didConvert ? converted : chunk
        offset = end
    }
    if transcoder.finish(endOffset: bytes.count, into: &converted) { output += converted }
    var problems: [Int] = []
    while let next = transcoder.nextProblemOffset() { problems.append(next) }
    return (output, problems)
}

/// The transcoder on its own: same output and problem offsets whatever the chunking.
@Suite("Transcoder")
struct TranscoderTests {
    static let sample = "id,note\r\nZoë,😀 £5 日本\r\n"

    @Test(arguments: [1, 2, 3, 5, 16, 17, 1000])
    func utf16LittleEndian(_ size: Int) {
        let result = transcode(utf16LE(Self.sample, bom: false), .utf16LE, chunk: size)
        #expect(result.output == utf8(Self.sample))
        #expect(result.problems.isEmpty)
    }

    @Test(arguments: [1, 2, 3, 5, 16, 17, 1000])
    func utf16BigEndian(_ size: Int) {
        let result = transcode(utf16BE(Self.sample, bom: false), .utf16BE, chunk: size)
        #expect(result.output == utf8(Self.sample))
        #expect(result.problems.isEmpty)
    }

    /// Every byte 0x80-0xFF maps to the Unicode character Windows shows for it.
    @Test func windows1252Table() {
        let bytes = (0x80...0xFF).map { UInt8($0) }
        let result = transcode(bytes, .windows1252, chunk: 7)
        let text = String(decoding: result.output, as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        #expect(scalars.count == 128)
        #expect(scalars[0x00] == "€")
        #expect(scalars[0x0A] == "Š")
        #expect(scalars[0x19] == "™")
        #expect(scalars[0x1F] == "Ÿ")
        #expect(scalars[0x23] == "£")
        #expect(scalars[0x29] == "©")
        #expect(scalars[0x69] == "é")
        #expect(scalars[0x7F] == "ÿ")
        #expect(scalars[0x01].value == 0x81)
        #expect(result.problems.isEmpty)
    }

    /// UTF-8 passes through unchanged; problems are recorded at their offsets, including sequences
    /// split across chunks.
    @Test(arguments: [1, 2, 3, 4, 16, 1000])
    func utf8Problems(_ size: Int) {
        let bytes: [UInt8] = utf8("é") + [0xFF] + utf8("€") + [0xE2, 0x28] + [0x00] + utf8("😀") + [0xF0, 0x9F]
        let result = transcode(bytes, .utf8, chunk: size)
        #expect(result.output == bytes)
        // FF at 2; E2 28 broken at 6 (reported at the sequence start); NUL at 8; cut-off F0 9F at 13.
        #expect(result.problems == [2, 6, 8, 13])
    }

    /// UTF-16 problems: lone low surrogate, high surrogate followed by a non-surrogate, NUL, odd byte.
    @Test(arguments: [1, 2, 3, 16])
    func utf16Problems(_ size: Int) {
        // Units: 'a' DC00 D800 'b' 0000 then a stray byte.
        let bytes: [UInt8] = [0x61, 0x00, 0x00, 0xDC, 0x00, 0xD8, 0x62, 0x00, 0x00, 0x00, 0x63]
        let result = transcode(bytes, .utf16LE, chunk: size)
        #expect(result.output == [0x61, 0xFF, 0xFF, 0x62, 0x00, 0xFF])
        #expect(result.problems == [2, 4, 8, 10])
    }
}

/// The UTF-8 checker and per-field repair agree with Swift's own decoding (maximal subparts).
@Suite("UTF8Repair")
struct UTF8RepairTests {
    @Test(
        arguments: [
            ([0x61, 0x62], [0x61, 0x62], 0),
            ([0xC3, 0xA9], [0xC3, 0xA9], 0),
            ([0xFF], [0xEF, 0xBF, 0xBD], 1),
            ([0xC0, 0xAF], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD], 2),  // overlong: two problems
            ([0xE0, 0x80, 0x80], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD], 3),
            ([0xE2, 0x82], [0xEF, 0xBF, 0xBD], 1),  // truncated: one problem
            ([0xE2, 0x82, 0x41], [0xEF, 0xBF, 0xBD, 0x41], 1),
            ([0x61, 0x00, 0x62], [0x61, 0x62], 1),  // NUL removed
        ] as [([UInt8], [UInt8], Int)])
    func repairs(_ input: [UInt8], _ expected: [UInt8], _ problems: Int) {
        let result = UTF8Repair.repair(input[...])
        #expect(result.bytes == expected)
        #expect(result.problems == problems)
    }

    /// Property: on arbitrary byte strings without NUL, repair equals `String(decoding:as:)`, and the
    /// problem count equals the number of U+FFFD it inserted.
    @Test func matchesStandardLibraryOnRandomBytes() {
        var generator = SplitMix(seed: 0x1234_5678)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x9F, 0xA0, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<3000 {
            let length = Int(generator.next() % 12)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let result = UTF8Repair.repair(bytes[...])
            let expected = Array(String(decoding: bytes, as: UTF8.self).utf8)
            #expect(result.bytes == expected, "\(bytes)")
            let replacements = String(decoding: expected, as: UTF8.self).unicodeScalars.filter { $0 == "\u{FFFD}" }.count
            #expect(result.problems == replacements, "\(bytes)")
            // The streaming scanner used for offsets counts the same problems.
            var scanner = UTF8Scanner()
            var streamed = 0
            for byte in bytes {
                switch scanner.feed(byte) {
                case .invalid: streamed += 1
                case .invalidThenReprocess:
                    streamed += 1
                    if case .invalid = scanner.feed(byte) { streamed += 1 }
                default: break
                }
            }
            if scanner.isInsideSequence { streamed += 1 }
            #expect(streamed == replacements, "\(bytes)")
        }
    }

    @Test func plainASCIICheck() {
        #expect(UTF8Repair.isPlainASCII(Array("hello, world, this is long".utf8)[...]))
        #expect(!UTF8Repair.isPlainASCII(Array("hello, world, this is lonG é".utf8)[...]))
        #expect(!UTF8Repair.isPlainASCII(([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x00, 0x68] as [UInt8])[...]))
        #expect(!UTF8Repair.isPlainASCII(([0x61, 0x00] as [UInt8])[...]))
        #expect(UTF8Repair.isPlainASCII(([] as [UInt8])[...]))
    }
}
