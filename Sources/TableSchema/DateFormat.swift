import Dates

/// A compiled strptime-style date format such as `%d/%m/%Y`.
///
/// Supported directives: `%Y` (4-digit year), `%y` (2-digit year, 2000–2099), `%m` and `%d` (1 or 2
/// digits), `%b`/`%B` (English month name or abbreviation, any case), `%H`, `%M`, `%S`, and `%%`.
/// Every other character must appear literally.
public struct DateFormat: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal(UInt8)
        case year4, year2, month, monthName, day, hour, minute, second
    }

    /// The format as written.
    public let spec: String
    let pieces: [Piece]

    /// Compiles a format; nil when it uses an unsupported directive or lacks a year, month or day.
    public init?(_ spec: String) {
        var pieces: [Piece] = []
        var bytes = Array(spec.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == 0x25 else {
                pieces.append(.literal(byte))
                continue
            }
            guard let directive = bytes.popFirst() else { return nil }
            switch directive {
            case UInt8(ascii: "Y"): pieces.append(.year4)
            case UInt8(ascii: "y"): pieces.append(.year2)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pieces.append(.monthName)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "H"): pieces.append(.hour)
            case UInt8(ascii: "M"): pieces.append(.minute)
            case UInt8(ascii: "S"): pieces.append(.second)
            case 0x25: pieces.append(.literal(0x25))
            default: return nil
            }
        }
        let hasYear = pieces.contains(.year4) || pieces.contains(.year2)
        let hasMonth = pieces.contains(.month) || pieces.contains(.monthName)
        guard hasYear, hasMonth, pieces.contains(.day) else { return nil }
        self.spec = spec
        self.pieces = pieces
    }

    /// The outcome of reading a date.
    public enum Outcome: Equatable, Sendable {
        /// The text matches the format and names a real date.
        case date(CivilDate)
        /// The text matches the format's shape but the date does not exist (31/02/2026).
        case impossible
        /// The text does not match the format.
        case mismatch
    }

    /// Reads a date from trimmed bytes.
    public func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Outcome where Bytes.Index == Int {
        var index = bytes.startIndex
        var year = -1
        var month = -1
        var day = -1
        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maxCount, index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            return count >= minCount ? value : nil
        }
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard index < bytes.endIndex, bytes[index] == byte else { return .mismatch }
                index += 1
            case .year4:
                guard let value = digits(4, 4) else { return .mismatch }
                year = value
            case .year2:
                guard let value = digits(2, 2) else { return .mismatch }
                year = 2000 + value
            case .month:
                guard let value = digits(1, 2) else { return .mismatch }
                month = value
            case .day:
                guard let value = digits(1, 2) else { return .mismatch }
                day = value
            case .hour, .minute, .second:
                guard digits(1, 2) != nil else { return .mismatch }
            case .monthName:
                var letters: [UInt8] = []
                while index < bytes.endIndex, let lower = asciiLower(bytes[index]), lower >= 0x61, lower <= 0x7A {
                    letters.append(lower)
                    index += 1
                }
                guard let value = monthNumber(letters) else { return .mismatch }
                month = value
            }
        }
        guard index == bytes.endIndex else { return .mismatch }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .impossible }
        return .date(date)
    }

    /// ISO 8601 calendar dates `YYYY-MM-DD`, the Table Schema default.
    public static let iso = DateFormat("%Y-%m-%d")!
}

private func asciiLower(_ byte: UInt8) -> UInt8? {
    if byte >= 0x41 && byte <= 0x5A { return byte + 32 }
    return byte
}

private let monthNames: [[UInt8]] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
].map { Array($0.utf8) }

private func monthNumber(_ letters: [UInt8]) -> Int? {
    guard letters.count >= 3 else { return nil }
    for (index, name) in monthNames.enumerated() {
        if letters == name || (letters.count == 3 && Array(name.prefix(3)) == letters)
            || (letters == Array("sept".utf8) && index == 8)
        {
            return index + 1
        }
    }
    return nil
}
