import Foundation

/// Removes person references from text that partners wrote (narrative, quotes, findings, file names), so
/// that no report or feedback shows one even when a partner typed it into free text.
///
/// A reference matches case-insensitively as a whole: not preceded or followed by a letter or digit.
struct PersonRefRedactor: Sendable {
    /// What a removed reference reads.
    static let replacement = "(person reference withheld)"
    private let refs: Set<String>
    private let longest: Int

    /// Creates a redactor for some references.
    init(refs: Set<String>) {
        self.refs = Set(refs.map { $0.uppercased() }.filter { !$0.isEmpty })
        longest = self.refs.map(\.count).max() ?? 0
    }

    /// The text with every reference replaced.
    func redact(_ text: String) -> String {
        guard !refs.isEmpty else { return text }
        let characters = Array(text)
        var out = ""
        var index = 0
        while index < characters.count {
            if isWordCharacter(characters[index]) && (index == 0 || !isWordCharacter(characters[index - 1])),
                let length = match(characters, at: index)
            {
                out += Self.replacement
                index += length
                continue
            }
            out.append(characters[index])
            index += 1
        }
        return out
    }

    /// The length of the longest reference starting at `start` and ending at a word boundary.
    private func match(_ characters: [Character], at start: Int) -> Int? {
        var end = min(characters.count, start + longest)
        while end > start {
            let boundary = end == characters.count || !isWordCharacter(characters[end])
            if boundary && isWordCharacter(characters[end - 1]) && refs.contains(String(characters[start..<end]).uppercased()) {
                return end - start
            }
            end -= 1
        }
        return nil
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
