// MARK: - Formats

/// The `format` values this module can check when format assertion is on.
///
/// Unknown formats are never errors (they are annotations only, as the specification requires).
enum FormatKind: String, Sendable, CaseIterable {
    case date
    case dateTime = "date-time"
    case time
    case email
    case hostname
    case uri
    case uriReference = "uri-reference"
    case ipv4
    case ipv6
    case uuid
    case jsonPointer = "json-pointer"

    /// Whether `value` is valid for this format.
    func isValid(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        switch self {
        case .date: return Formats.isDate(bytes[...])
        case .dateTime: return Formats.isDateTime(bytes)
        case .time: return Formats.isTime(bytes[...])
        case .email: return Formats.isEmail(bytes)
        case .hostname: return Formats.isHostname(bytes[...])
        case .uri: return Formats.isURI(bytes[...], allowRelative: false)
        case .uriReference: return Formats.isURI(bytes[...], allowRelative: true)
        case .ipv4: return Formats.isIPv4(bytes[...])
        case .ipv6: return Formats.isIPv6(bytes[...])
        case .uuid: return Formats.isUUID(bytes)
        case .jsonPointer: return (try? JSONPointer(value)) != nil
        }
    }

    /// What a valid value looks like, in plain words with an example.
    var expectation: String {
        switch self {
        case .date: return "a date like 2026-07-15"
        case .dateTime: return "a date and time like 2026-07-15T09:30:00Z"
        case .time: return "a time like 09:30:00Z"
        case .email: return "an email address like name@example.org"
        case .hostname: return "a host name like www.example.org"
        case .uri: return "a full web address (URI) like https://example.org/page"
        case .uriReference: return "a web address or a relative link like /page"
        case .ipv4: return "an IPv4 address like 192.168.0.1"
        case .ipv6: return "an IPv6 address like 2001:db8::1"
        case .uuid: return "a UUID like 123e4567-e89b-12d3-a456-426614174000"
        case .jsonPointer: return "a JSON pointer like /items/0"
        }
    }
}

/// Format checkers working on UTF-8 bytes (anything outside ASCII is rejected where the RFCs require ASCII).
enum Formats {
    typealias Bytes = ArraySlice<UInt8>

    /// ASCII digit.
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// ASCII letter.
    static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    /// ASCII hex digit.
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }

    /// The value of exactly `count` ASCII digits starting at `index`, or nil.
    static func number(_ s: Bytes, _ index: Int, _ count: Int) -> Int? {
        guard index >= s.startIndex, index + count <= s.endIndex else { return nil }
        var value = 0
        for i in index..<(index + count) {
            guard isDigit(s[i]) else { return nil }
            value = value * 10 + Int(s[i] - 0x30)
        }
        return value
    }

    // MARK: Dates and times (RFC 3339)

    /// `full-date`: YYYY-MM-DD with a real calendar day.
    static func isDate(_ s: Bytes) -> Bool {
        let b = s.startIndex
        guard s.count == 10, s[b + 4] == UInt8(ascii: "-"), s[b + 7] == UInt8(ascii: "-"),
            let year = number(s, b, 4), let month = number(s, b + 5, 2), let day = number(s, b + 8, 2),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `full-time`: HH:MM:SS[.frac](Z|±HH:MM), allowing a leap second only at 23:59 UTC.
    static func isTime(_ s: Bytes) -> Bool {
        let b = s.startIndex
        guard s.count >= 9, s[b + 2] == UInt8(ascii: ":"), s[b + 5] == UInt8(ascii: ":"),
            let hour = number(s, b, 2), let minute = number(s, b + 3, 2), let second = number(s, b + 6, 2),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var i = b + 8
        if i < s.endIndex && s[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < s.endIndex && isDigit(s[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < s.endIndex else { return false }
        var offsetMinutes = 0
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == s.endIndex else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard s.endIndex - i == 6, s[i + 3] == UInt8(ascii: ":"),
                let oh = number(s, i + 1, 2), let om = number(s, i + 4, 2), oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (s[i] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// `date-time`: full-date, `T` (or `t`), full-time.
    static func isDateTime(_ s: [UInt8]) -> Bool {
        guard s.count > 11, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t") else { return false }
        return isDate(s[0..<10]) && isTime(s[11...])
    }

    // MARK: Internet addresses

    /// Dotted-quad IPv4 with decimal octets 0–255 and no leading zeros.
    static func isIPv4(_ s: Bytes) -> Bool {
        let parts = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(isDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            guard let value = number(part, part.startIndex, part.count), value <= 255 else { return false }
        }
        return true
    }

    /// RFC 4291 text form: up to eight hex groups, at most one `::`, optional trailing IPv4.
    static func isIPv6(_ s: Bytes) -> Bool {
        guard !s.isEmpty, s.count <= 45 else { return false }
        var doubleColon: Int?
        var i = s.startIndex
        while i + 1 < s.endIndex {
            if s[i] == UInt8(ascii: ":") && s[i + 1] == UInt8(ascii: ":") {
                guard doubleColon == nil else { return false }
                doubleColon = i
            }
            i += 1
        }
        if let dc = doubleColon {
            guard let head = ipv6Groups(s[..<dc], allowIPv4: false),
                let tail = ipv6Groups(s[(dc + 2)...], allowIPv4: true)
            else { return false }
            return head + tail <= 7
        }
        return ipv6Groups(s, allowIPv4: true) == 8
    }

    /// How many 16-bit groups a colon-separated run holds (an IPv4 tail counts as two), or nil if malformed.
    private static func ipv6Groups(_ s: Bytes, allowIPv4: Bool) -> Int? {
        if s.isEmpty { return 0 }
        let groups = s.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var count = 0
        for (index, group) in groups.enumerated() {
            if allowIPv4 && index == groups.count - 1 && group.contains(UInt8(ascii: ".")) {
                guard isIPv4(group) else { return nil }
                count += 2
            } else {
                guard !group.isEmpty, group.count <= 4, group.allSatisfy(isHex) else { return nil }
                count += 1
            }
        }
        return count
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and hyphens (A-labels are not decoded).
    static func isHostname(_ s: Bytes) -> Bool {
        let host = s
        guard !host.isEmpty, host.count <= 253 else { return false }
        for label in host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63,
                label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "-") })
            else { return false }
            if label.count >= 4 && label[label.startIndex + 2] == UInt8(ascii: "-")
                && label[label.startIndex + 3] == UInt8(ascii: "-")
            {
                // "--" in positions 3–4 is reserved for A-labels ("xn--").
                let prefix = label.prefix(2).map { $0 | 0x20 }
                guard prefix == [UInt8(ascii: "x"), UInt8(ascii: "n")] else { return false }
            }
        }
        return true
    }

    /// An email address: dot-atom or quoted local part, `@`, host name or address literal.
    static func isEmail(_ s: [UInt8]) -> Bool {
        guard let at = s.lastIndex(of: UInt8(ascii: "@")), at > 0, at < s.count - 1 else { return false }
        let local = s[0..<at]
        let domain = s[(at + 1)...]
        if local.first == UInt8(ascii: "\"") {
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return false }
            var i = local.startIndex + 1
            while i < local.endIndex - 1 {
                let c = local[i]
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < local.endIndex - 1 else { return false }
                    i += 2
                    continue
                }
                guard c >= 0x20 && c < 0x7F && c != UInt8(ascii: "\"") else { return false }
                i += 1
            }
        } else {
            let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
            let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            for atom in atoms {
                guard !atom.isEmpty, atom.allSatisfy({ isAlpha($0) || isDigit($0) || atext.contains($0) }) else { return false }
            }
        }
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]") else { return false }
            let literal = domain.dropFirst().dropLast()
            let ipv6Prefix = Array("IPv6:".utf8)
            if literal.starts(with: ipv6Prefix) { return isIPv6(literal.dropFirst(ipv6Prefix.count)) }
            return isIPv4(literal)
        }
        return isHostname(domain)
    }

    /// `YYYYYYYY-XXXX-XXXX-XXXX-XXXXXXXXXXXX` in hex digits of either case.
    static func isUUID(_ s: [UInt8]) -> Bool {
        guard s.count == 36 else { return false }
        for (i, c) in s.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard c == UInt8(ascii: "-") else { return false }
            } else {
                guard isHex(c) else { return false }
            }
        }
        return true
    }

    // MARK: URIs (RFC 3986)

    static let subDelims = Set("!$&'()*+,;=".utf8)

    /// RFC 3986 `unreserved`.
    static func isUnreserved(_ c: UInt8) -> Bool {
        isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
    }

    /// Whether every byte is in `allowed` or part of a well-formed `%XX` escape.
    static func allValid(_ s: Bytes, _ allowed: (UInt8) -> Bool) -> Bool {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.endIndex, isHex(s[i + 1]), isHex(s[i + 2]) else { return false }
                i += 3
                continue
            }
            guard allowed(c) else { return false }
            i += 1
        }
        return true
    }

    /// RFC 3986 `pchar` (without the `%XX` form, handled by `allValid`).
    static func isPChar(_ c: UInt8) -> Bool {
        isUnreserved(c) || subDelims.contains(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "@")
    }

    /// An absolute URI, or (when `allowRelative`) any URI reference.
    static func isURI(_ s: Bytes, allowRelative: Bool) -> Bool {
        var rest = s
        // Fragment and query.
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            guard allValid(rest[(hash + 1)...], { isPChar($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            guard allValid(rest[(question + 1)...], { isPChar($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else {
                return false
            }
            rest = rest[..<question]
        }
        // Scheme.
        var hasScheme = false
        if let colon = rest.firstIndex(of: UInt8(ascii: ":")),
            !rest[..<colon].contains(UInt8(ascii: "/"))
        {
            let scheme = rest[..<colon]
            guard let first = scheme.first, isAlpha(first),
                scheme.allSatisfy({
                    isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                })
            else { return false }
            hasScheme = true
            rest = rest[(colon + 1)...]
        }
        guard hasScheme || allowRelative else { return false }
        // Authority.
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: UInt8(ascii: "/")) ?? afterSlashes.endIndex
            guard isAuthority(afterSlashes[..<end]) else { return false }
            rest = afterSlashes[end...]
        }
        // Path.
        return allValid(rest, { isPChar($0) || $0 == UInt8(ascii: "/") })
    }

    /// `[userinfo "@"] host [":" port]`.
    static func isAuthority(_ s: Bytes) -> Bool {
        var hostPort = s
        if let at = s.lastIndex(of: UInt8(ascii: "@")) {
            guard allValid(s[..<at], { isUnreserved($0) || subDelims.contains($0) || $0 == UInt8(ascii: ":") }) else { return false }
            hostPort = s[(at + 1)...]
        }
        var port: Bytes = []
        var host = hostPort
        if hostPort.first == UInt8(ascii: "[") {
            guard let close = hostPort.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = hostPort[(hostPort.startIndex + 1)..<close]
            let after = hostPort[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return false }
                port = after.dropFirst()
            }
            guard isIPv6(literal) || isIPvFuture(literal) else { return false }
        } else {
            if let colon = hostPort.lastIndex(of: UInt8(ascii: ":")) {
                port = hostPort[(colon + 1)...]
                host = hostPort[..<colon]
            }
            guard allValid(host, { isUnreserved($0) || subDelims.contains($0) }) else { return false }
        }
        return port.allSatisfy(isDigit)
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
    static func isIPvFuture(_ s: Bytes) -> Bool {
        guard s.first == UInt8(ascii: "v") || s.first == UInt8(ascii: "V"),
            let dot = s.firstIndex(of: UInt8(ascii: "."))
        else { return false }
        let version = s[(s.startIndex + 1)..<dot]
        let rest = s[(dot + 1)...]
        return !version.isEmpty && version.allSatisfy(isHex) && !rest.isEmpty
            && rest.allSatisfy({ isUnreserved($0) || subDelims.contains($0) || $0 == UInt8(ascii: ":") })
    }
}
