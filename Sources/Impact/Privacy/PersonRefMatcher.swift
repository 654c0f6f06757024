/// Finds whether free text contains any person reference, as a substring, without trying every reference.
///
/// References are letters, digits and dashes, so any occurrence lies inside one run of such characters in the
/// text; only the substrings of those runs with a length some reference has are looked up. The cost grows with
/// the text, not with the number of references (a 1,000-partner programme has half a million).
struct PersonRefMatcher {
    private let refs: Set<String>
    private let lengths: [Int]
    /// References with characters outside [A-Za-z0-9-], searched for the slow way.
    private let irregular: [String]

    /// Creates a matcher for the references (empty ones are ignored).
    init(refs: Set<String>) {
        self.refs = refs
        var lengths: Set<Int> = []
        for ref in refs where !ref.isEmpty { lengths.insert(ref.utf8.count) }
        self.lengths = lengths.sorted()
        irregular = refs.filter { !$0.isEmpty && !$0.utf8.allSatisfy(Self.isRefByte) }.sorted()
    }

    /// Whether any reference occurs in `text`, exactly as written (as `text.contains(ref)` would find it).
    func occurs(in text: String) -> Bool {
        guard let shortest = lengths.first else { return false }
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            // A run of reference characters [A-Za-z0-9-]; a reference with other characters is looked for in
            // the whole text instead (references that passed the schema never have them).
            guard Self.isRefByte(bytes[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < bytes.count && Self.isRefByte(bytes[end]) { end += 1 }
            if end - start >= shortest && runContainsRef(bytes[start..<end]) { return true }
            start = end
        }
        return !irregular.isEmpty && irregular.contains { text.contains($0) }
    }

    private func runContainsRef(_ run: ArraySlice<UInt8>) -> Bool {
        for offset in run.indices {
            for length in lengths {
                guard offset + length <= run.endIndex else { break }
                if refs.contains(String(decoding: run[offset..<offset + length], as: UTF8.self)) { return true }
            }
        }
        return false
    }

    private static func isRefByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
    }
}
