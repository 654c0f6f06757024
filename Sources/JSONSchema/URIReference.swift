// MARK: - URIReference

/// An RFC 3986 URI reference split into its five components, with reference resolution.
///
/// Used for `$id` and `$ref` handling; kept independent of Foundation's `URL` so that URNs and
/// relative references resolve the same way on every platform.
struct URIReference: Sendable, Hashable {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    /// Splits a reference using the regular expression of RFC 3986 appendix B.
    init(_ text: String) {
        var rest = Substring(text)
        fragment = nil
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        query = nil
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        scheme = nil
        if let colon = rest.firstIndex(of: ":") {
            let candidate = rest[..<colon]
            if !candidate.isEmpty, !candidate.contains(where: { $0 == "/" }) {
                scheme = String(candidate)
                rest = rest[rest.index(after: colon)...]
            }
        }
        authority = nil
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = String(afterSlashes[..<end])
            rest = afterSlashes[end...]
        }
        path = String(rest)
    }

    /// The reference as text.
    var text: String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    /// The same reference without its fragment.
    var withoutFragment: URIReference {
        var copy = self
        copy.fragment = nil
        return copy
    }

    /// Resolves `reference` against this (absolute) base, per RFC 3986 section 5.2.2.
    func resolving(_ reference: URIReference) -> URIReference {
        var target = URIReference("")
        if let refScheme = reference.scheme {
            target.scheme = refScheme
            target.authority = reference.authority
            target.path = URIReference.removeDotSegments(reference.path)
            target.query = reference.query
        } else {
            if reference.authority != nil {
                target.authority = reference.authority
                target.path = URIReference.removeDotSegments(reference.path)
                target.query = reference.query
            } else {
                if reference.path.isEmpty {
                    target.path = path
                    target.query = reference.query ?? query
                } else {
                    if reference.path.hasPrefix("/") {
                        target.path = URIReference.removeDotSegments(reference.path)
                    } else {
                        target.path = URIReference.removeDotSegments(merge(reference.path))
                    }
                    target.query = reference.query
                }
                target.authority = authority
            }
            target.scheme = scheme
        }
        target.fragment = reference.fragment
        return target
    }

    /// Merges a relative path with this base's path (RFC 3986 section 5.2.3).
    private func merge(_ relative: String) -> String {
        if authority != nil && path.isEmpty { return "/" + relative }
        guard let slash = path.lastIndex(of: "/") else { return relative }
        return String(path[...slash]) + relative
    }

    /// Removes `.` and `..` segments (RFC 3986 section 5.2.4).
    static func removeDotSegments(_ input: String) -> String {
        guard input.contains(".") else { return input }
        var inputPath = Substring(input)
        var output: [Substring] = []
        while !inputPath.isEmpty {
            if inputPath.hasPrefix("../") {
                inputPath = inputPath.dropFirst(3)
            } else if inputPath.hasPrefix("./") {
                inputPath = inputPath.dropFirst(2)
            } else if inputPath.hasPrefix("/./") {
                inputPath = inputPath.dropFirst(2)
            } else if inputPath == "/." {
                inputPath = "/"
            } else if inputPath.hasPrefix("/../") {
                inputPath = inputPath.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if inputPath == "/.." {
                inputPath = "/"
                if !output.isEmpty { output.removeLast() }
            } else if inputPath == "." || inputPath == ".." {
                inputPath = ""
            } else {
                var end = inputPath.index(after: inputPath.startIndex)
                if inputPath.first != "/" { end = inputPath.startIndex }
                let next = inputPath[end...].firstIndex(of: "/") ?? inputPath.endIndex
                output.append(inputPath[..<next])
                inputPath = inputPath[next...]
            }
        }
        return output.joined()
    }

    /// Decodes `%XX` escapes (as UTF-8), or nil when an escape is malformed or not UTF-8.
    static func percentDecode(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.first {
            utf8 = utf8.dropFirst()
            if b == UInt8(ascii: "%") {
                guard utf8.count >= 2, let hi = hexValue(utf8[utf8.startIndex]),
                    let lo = hexValue(utf8[utf8.startIndex + 1])
                else { return nil }
                bytes.append(hi << 4 | lo)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.utf8.elementsEqual(bytes) ? decoded : nil
    }

    /// The value of one hex digit.
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
