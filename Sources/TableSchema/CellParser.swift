import Foundation

/// Why a cell did not parse as its field's type.
public enum TypeProblem: Sendable, Equatable {
    /// The text is not of the type at all.
    case wrongType
    /// The text has the shape of a date but names no real day (2026-02-30).
    case impossibleDate
    /// The number is too large (or too small) to hold.
    case outOfRange
    /// A list item is not of the item type.
    case badItem(String)
}

/// The result of parsing one cell.
public enum ParseOutcome: Sendable, Equatable {
    /// The typed value.
    case value(CellValue)
    /// The cell is not of the field's type.
    case invalid(TypeProblem)
}

/// Parses cell bytes by field type, straight from the bytes (no `String` per cell).
public enum CellParser {
    /// The bytes the validator reads: a range of a row's bytes, which nothing retains.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// Parses trimmed, non-missing bytes as the field's type.
    public static func parse(_ bytes: ArraySlice<UInt8>, as field: Field) -> ParseOutcome {
        let plan = FieldPlan(field: field)
        var problem = TypeProblem.wrongType
        if plan.type == .list {
            let list = bytes.withUnsafeBufferPointer { parseList($0[...], field: plan, problem: &problem) }
            return list.map { .value($0) } ?? .invalid(problem)
        }
        let slot = bytes.withUnsafeBufferPointer { parse($0[...], type: plan.type, field: plan, problem: &problem) }
        guard let slot else { return .invalid(problem) }
        return .value(slot.kind == .text ? .text(bytes) : slot.value(list: .null))
    }

    /// Parses trimmed, non-missing bytes as `type` (not a list): the typed value (text is `bytes` itself), or
    /// nil with the reason in `problem`.
    static func parse(_ bytes: Bytes, type: FieldType, field: FieldPlan, problem: inout TypeProblem) -> CellSlot? {
        switch type {
        case .string:
            if let format = field.format, format != "default", !checkStringFormat(bytes, format) { return nil }
            return .text(UnsafeBufferPointer(rebasing: bytes))
        case .any:
            return .text(UnsafeBufferPointer(rebasing: bytes))
        case .integer:
            return parseInteger(bytes, field: field, problem: &problem)
        case .number:
            return parseNumber(bytes, field: field, problem: &problem)
        case .boolean:
            for value in field.trueValues where bytes.elementsEqual(value) { return .scalar(.boolean, 1) }
            for value in field.falseValues where bytes.elementsEqual(value) { return .scalar(.boolean, 0) }
            problem = .wrongType
            return nil
        case .date:
            var impossible = false
            for format in field.dateFormats {
                switch format.parse(bytes) {
                case .date(let date): return .scalar(.date, Int64(Int32(date.daysSinceEpoch)))
                case .impossible: impossible = true
                case .mismatch: continue
                }
            }
            problem = impossible ? .impossibleDate : .wrongType
            return nil
        case .datetime:
            return parseDatetime(bytes, problem: &problem)
        case .year:
            guard bytes.count == 4, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                problem = .wrongType
                return nil
            }
            return .scalar(.year, Int64(bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }))
        case .list:
            // Lists are parsed by parseList; a list's items are never lists (the schema refuses it).
            problem = .wrongType
            return nil
        }
    }

    /// Parses trimmed, non-missing bytes as a list of the field's item type; nil with the reason in `problem`.
    static func parseList(_ bytes: Bytes, field: FieldPlan, problem: inout TypeProblem) -> CellValue? {
        var items: [CellValue] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while true {
            if index == bytes.endIndex || bytes[index] == field.delimiter {
                let item = trim(bytes[start..<index])
                if !item.isEmpty {
                    guard let slot = parse(item, type: field.itemType, field: field, problem: &problem) else {
                        problem = .badItem(String(decoding: item, as: UTF8.self))
                        return nil
                    }
                    items.append(slot.value(list: .null))
                }
                if index == bytes.endIndex { break }
                start = index + 1
            }
            index += 1
        }
        return .list(items)
    }

    // MARK: - Numbers

    /// Strips a currency prefix (£ $ € ¥ or a three-letter code) and a `%` or code suffix, for
    /// fields with `bareNumber: false`.
    static func stripNonBare(_ bytes: Bytes) -> (Bytes, negative: Bool) {
        var body = bytes
        var negative = false
        if body.first == 0x2D {
            negative = true
            body = body.dropFirst()
        }
        for symbol in currencySymbols where body.starts(with: symbol) {
            body = body.dropFirst(symbol.count)
            break
        }
        if body.count > 3, body.prefix(3).allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
            body = trim(body.dropFirst(3))
        }
        if body.last == 0x25 {
            body = body.dropLast()
        } else if body.count > 3, body.suffix(3).allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
            body = trim(body.dropLast(3))
        }
        if !negative, body.first == 0x2D, body.count < bytes.count {
            negative = true
            body = body.dropFirst()
        }
        return (body, negative)
    }

    /// The digits of a number with its sign: non-bare decoration stripped (`stripNonBare`), then one
    /// leading `+` or `-`; nil when the text has two signs.
    @inline(__always)
    static func signedBody(_ bytes: Bytes, field: FieldPlan) -> (body: Bytes, negative: Bool)? {
        var body = bytes
        var negative = false
        if !field.bareNumber {
            (body, negative) = stripNonBare(bytes)
        }
        if let sign = body.first, sign == 0x2B || sign == 0x2D {
            if negative { return nil }
            negative = sign == 0x2D
            body = body.dropFirst()
        }
        return (body, negative)
    }

    static func parseInteger(_ bytes: Bytes, field: FieldPlan, problem: inout TypeProblem) -> CellSlot? {
        problem = .wrongType
        guard case (let body, let negative)? = signedBody(bytes, field: field), !body.isEmpty else { return nil }
        var value: Int64 = 0
        var digits = 0
        var previousWasGroup = false
        for byte in body {
            if byte >= 0x30 && byte <= 0x39 {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
                if overflow1 || overflow2 {
                    problem = .outOfRange
                    return nil
                }
                value = sum
                digits += 1
                previousWasGroup = false
            } else if let group = field.groupChar, byte == group, digits > 0, !previousWasGroup {
                previousWasGroup = true
            } else {
                return nil
            }
        }
        guard digits > 0, !previousWasGroup else { return nil }
        return .scalar(.integer, negative ? -value : value)
    }

    static func parseNumber(_ bytes: Bytes, field: FieldPlan, problem: inout TypeProblem) -> CellSlot? {
        problem = .wrongType
        guard case (let body, let negative)? = signedBody(bytes, field: field) else { return nil }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var seenDecimal = false
        var index = body.startIndex
        var previousWasGroup = false
        while index < body.endIndex {
            let byte = body[index]
            if byte >= 0x30 && byte <= 0x39 {
                if significant < 19 {
                    if mantissa != 0 || byte != 0x30 { significant += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(byte - 0x30)
                    if seenDecimal { exponent -= 1 }
                } else if !seenDecimal {
                    exponent += 1
                }
                digits += 1
                previousWasGroup = false
            } else if byte == field.decimalChar && !seenDecimal {
                if previousWasGroup { return nil }
                seenDecimal = true
            } else if let group = field.groupChar, byte == group, !seenDecimal, digits > 0, !previousWasGroup {
                previousWasGroup = true
            } else {
                break
            }
            index += 1
        }
        guard digits > 0, !previousWasGroup else { return nil }
        if index < body.endIndex {
            // An exponent: e or E, an optional sign, digits.
            guard body[index] == 0x65 || body[index] == 0x45 else { return nil }
            index += 1
            var exponentNegative = false
            if index < body.endIndex, body[index] == 0x2B || body[index] == 0x2D {
                exponentNegative = body[index] == 0x2D
                index += 1
            }
            var value = 0
            var exponentDigits = 0
            while index < body.endIndex, body[index] >= 0x30, body[index] <= 0x39 {
                value = min(value * 10 + Int(body[index] - 0x30), 100_000)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0, index == body.endIndex else { return nil }
            exponent += exponentNegative ? -value : value
        }
        let result: Double
        if significant <= 15 && abs(exponent) <= 22 {
            let base = Double(mantissa)
            result = exponent < 0 ? base / powersOfTen[-exponent] : base * powersOfTen[exponent]
        } else {
            // Long or extreme numbers: let the standard library round correctly.
            guard let parsed = Double("\(mantissa)e\(exponent)") else { return nil }
            result = parsed
        }
        guard result.isFinite else {
            problem = .outOfRange
            return nil
        }
        return .number(negative ? -result : result)
    }

    // MARK: - Date and time

    static func parseDatetime(_ bytes: Bytes, problem: inout TypeProblem) -> CellSlot? {
        // YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]
        problem = .wrongType
        let array = UnsafeBufferPointer(rebasing: bytes)
        guard array.count >= 19, array[10] == 0x54 || array[10] == 0x20 else { return nil }
        guard case .date(let date) = DateFormat.iso.parse(bytes.prefix(10)) else {
            if DateFormat.iso.parse(bytes.prefix(10)) == .impossible { problem = .impossibleDate }
            return nil
        }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for offset in 0..<count {
                let byte = array[from + offset]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard array[13] == 0x3A, array[16] == 0x3A, let hour = number(11, 2), let minute = number(14, 2),
            let second = number(17, 2), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if index < array.count, array[index] == 0x2E {
            index += 1
            while index < array.count, array[index] >= 0x30, array[index] <= 0x39 { index += 1 }
        }
        var offsetSeconds = 0
        if index < array.count {
            if array[index] == 0x5A {
                index += 1
            } else if array[index] == 0x2B || array[index] == 0x2D, index + 6 == array.count, array[index + 3] == 0x3A,
                let hours = number(index + 1, 2), let minutes = number(index + 4, 2)
            {
                offsetSeconds = (hours * 3600 + minutes * 60) * (array[index] == 0x2D ? -1 : 1)
                index += 6
            }
        }
        guard index == array.count else { return nil }
        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return .scalar(.datetime, seconds)
    }

    // MARK: - String formats

    static func checkStringFormat(_ bytes: Bytes, _ format: String) -> Bool {
        switch format {
        case "email":
            guard let at = bytes.firstIndex(of: 0x40), at > bytes.startIndex, at < bytes.endIndex - 1 else { return false }
            let domain = bytes[(at + 1)...]
            return !domain.contains(0x40) && domain.contains(0x2E) && !bytes.contains(0x20)
        case "uri":
            guard let colon = bytes.firstIndex(of: 0x3A), colon > bytes.startIndex else { return false }
            let scheme = bytes[..<colon]
            return scheme.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D
                    || $0 == 0x2E
            }
                && !bytes.contains(0x20)
        case "uuid":
            let hex = UnsafeBufferPointer(rebasing: bytes)
            guard hex.count == 36 else { return false }
            for (index, byte) in hex.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    if byte != 0x2D { return false }
                } else if !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)) {
                    return false
                }
            }
            return true
        default:
            return true
        }
    }

    // MARK: - Helpers

    /// Removes leading and trailing spaces, tabs, line ends and no-break spaces.
    @inlinable
    public static func trim<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence where Bytes.Index == Int {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end {
            let byte = bytes[start]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                start += 1
            } else if byte == 0xC2, start + 1 < end, bytes[start + 1] == 0xA0 {
                start += 2
            } else if byte == 0xEF, start + 2 < end, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
                start += 3
            } else {
                break
            }
        }
        while end > start {
            let byte = bytes[end - 1]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                end -= 1
            } else if byte == 0xA0, end - 2 >= start, bytes[end - 2] == 0xC2 {
                end -= 2
            } else {
                break
            }
        }
        return bytes[start..<end]
    }
}

private let currencySymbols: [[UInt8]] = ["£", "$", "€", "¥"].map { Array($0.utf8) }
private let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }
