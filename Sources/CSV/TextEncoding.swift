/// The character encodings a CSV file can arrive in, and how each is recognised.
///
/// Partners export returns from Excel and online-form tools: UTF-8 with or without a byte-order mark,
/// Windows-1252 (Excel's "CSV" on Windows, where `£` is the single byte 0xA3), and UTF-16 from
/// "Unicode text" exports. Detection looks at the byte-order mark first, then at a sample of the bytes.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8 without a byte-order mark.
    case utf8 = "utf-8"
    /// UTF-8 that starts with the byte-order mark EF BB BF.
    case utf8WithBOM = "utf-8-bom"
    /// Windows code page 1252 (a superset of ISO-8859-1 for printable characters).
    case windows1252 = "windows-1252"
    /// UTF-16 little-endian (FF FE byte-order mark, or detected from the bytes).
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian (FE FF byte-order mark, or detected from the bytes).
    case utf16BE = "utf-16be"

    /// A short human name for messages.
    public var description: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf8WithBOM: return "UTF-8 with byte-order mark"
        case .windows1252: return "Windows-1252"
        case .utf16LE: return "UTF-16 little-endian"
        case .utf16BE: return "UTF-16 big-endian"
        }
    }

    /// Parses a user-supplied encoding name such as `utf-8`, `cp1252`, `latin1` or `utf-16le`.
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "utf-8-bom", "utf-8-sig", "utf8-sig": self = .utf8WithBOM
        case "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .windows1252
        case "utf-16le", "utf16le", "utf-16": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        default: return nil
        }
    }

    /// The length of the byte-order mark this encoding's files start with when detected from one.
    var byteOrderMarkLength: Int {
        switch self {
        case .utf8WithBOM: return 3
        case .utf16LE, .utf16BE: return 2
        case .utf8, .windows1252: return 0
        }
    }

    /// Recognises the encoding of a file from its first bytes.
    ///
    /// A byte-order mark decides at once. Without one, a sample in which most odd (or even) bytes are
    /// zero is UTF-16; a sample with invalid UTF-8 and no valid multi-byte sequence is Windows-1252;
    /// anything else is UTF-8 (invalid bytes in it are reported later, where they occur).
    /// - Returns: the encoding and the number of byte-order-mark bytes to skip.
    public static func detect<C: Collection<UInt8>>(sample: C) -> (encoding: TextEncoding, bomLength: Int) {
        let bytes = Array(sample.prefix(65_536))
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8WithBOM, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        if bytes.count >= 4 {
            var zeroEven = 0
            var zeroOdd = 0
            for (index, byte) in bytes.enumerated() where byte == 0 {
                if index & 1 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
            }
            let half = bytes.count / 2
            if zeroOdd * 10 >= half * 4 && zeroEven * 10 < half { return (.utf16LE, 0) }
            if zeroEven * 10 >= half * 4 && zeroOdd * 10 < half { return (.utf16BE, 0) }
        }
        var scanner = UTF8Scanner()
        var invalid = 0
        var multiByte = 0
        for byte in bytes {
            switch scanner.feed(byte) {
            case .ascii, .pending: break
            case .scalarEnd: multiByte += 1
            case .invalid: invalid += 1
            case .invalidThenReprocess:
                invalid += 1
                if case .scalarEnd = scanner.feed(byte) { multiByte += 1 }
            }
        }
        // An incomplete sequence cut off by the end of the sample is not evidence of anything.
        if invalid > 0 && multiByte == 0 { return (.windows1252, 0) }
        return (.utf8, 0)
    }
}
