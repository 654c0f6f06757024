import Foundation

/// Finds text that looks like a way to reach a person: an email address, a UK phone number or a UK postcode.
///
/// A quote holding one is never published, whatever the consent says: such details should not be in a
/// return at all, and a funder-facing output must not carry them.
struct ContactDetails {
    private let patterns: [NSRegularExpression]

    /// The programme's own contact address may be printed; it is not a person's.
    private let allowed: Set<String>

    /// The detector every stage uses: its patterns are compiled once, not for each note or file.
    static let standard = ContactDetails()

    /// Creates a detector; `allowed` are addresses that may appear (the programme's contact).
    init(allowed: Set<String> = []) {
        // Fixed, valid patterns: compiling them cannot fail.
        patterns = [
            #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#,
            #"(?<![0-9])(?:\+44 ?|0)[1-9][0-9]{2,3}[ -]?[0-9]{3}[ -]?[0-9]{3,4}(?![0-9])"#,
            #"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"#,
        ].compactMap { try? NSRegularExpression(pattern: $0) }
        self.allowed = allowed
    }

    /// Whether the text holds anything that looks like a contact detail.
    func appear(in text: String) -> Bool {
        let whole = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            for match in pattern.matches(in: text, range: whole) {
                guard let range = Range(match.range, in: text) else { continue }
                if !allowed.contains(String(text[range])) { return true }
            }
        }
        return false
    }
}
