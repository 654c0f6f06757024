import Foundation

// MARK: - Learning across the network

/// What partners said was hard and what would help, sentence by sentence, grouped under the workspace's
/// learning themes (`reference/themes.csv`) so that coordinators can plan the network's learning sessions.
///
/// A sentence belongs to every theme one of whose keywords starts a word in it (case and accents ignored); a
/// sentence that matches no theme is kept under ``other``, never dropped.
struct LearningGroups: Sendable, Hashable {
    /// Which narrative answer a sentence comes from.
    enum Source: String, Sendable, Hashable {
        case challenges
        case whatWouldHelp
    }

    /// One sentence of a partner's answer.
    struct Mention: Sendable, Hashable {
        var partnerID: String
        var partnerName: String
        var source: Source
        var sentence: String
    }

    /// A theme with what was said under it.
    struct Group: Sendable, Hashable {
        var theme: LearningTheme
        var mentions: [Mention]

        /// The partners that raised it, in ID order.
        var partnerIDs: [String] { Array(Set(mentions.map(\.partnerID))).sorted() }
        /// How many sentences of each answer.
        func count(_ source: Source) -> Int { mentions.filter { $0.source == source }.count }
    }

    /// The themes that something was said under, in the order of the themes file.
    var groups: [Group]
    /// Sentences that match no theme.
    var other: [Mention]
    /// Partners whose narrative had challenges or what would help.
    var partnersWriting: Int

    /// Groups the narratives' challenges and what would help under the themes.
    init(narratives: [PartnerNarrative], themes: [LearningTheme]) {
        var mentions: [[Mention]] = Array(repeating: [], count: themes.count)
        var other: [Mention] = []
        var writing = Set<String>()
        let matchers = themes.map { theme in theme.keywords.map(Self.folded).filter { !$0.isEmpty } }
        for item in narratives.sorted(by: { $0.partnerID < $1.partnerID }) {
            let answers: [(Source, String?)] = [
                (.challenges, item.narrative.challenges), (.whatWouldHelp, item.narrative.whatWouldHelp),
            ]
            for (source, answer) in answers {
                for sentence in Self.sentences(answer ?? "") {
                    writing.insert(item.partnerID)
                    let mention = Mention(
                        partnerID: item.partnerID, partnerName: item.partnerName, source: source, sentence: sentence)
                    let text = Self.folded(sentence)
                    var matched = false
                    for (index, keywords) in matchers.enumerated() where keywords.contains(where: { Self.startsAWord($0, in: text) }) {
                        mentions[index].append(mention)
                        matched = true
                    }
                    if !matched { other.append(mention) }
                }
            }
        }
        groups = zip(themes, mentions).filter { !$0.1.isEmpty }.map { Group(theme: $0.0, mentions: $0.1) }
        self.other = other
        partnersWriting = writing.count
    }

    // MARK: - Text

    /// The sentences of an answer: split after `.`, `!` or `?` followed by a space, and at line breaks;
    /// trimmed, empty ones dropped.
    static func sentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character.isNewline {
                sentences.append(current)
                current = ""
            } else if character.isWhitespace, let previous, previous == "." || previous == "!" || previous == "?" {
                sentences.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        sentences.append(current)
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Lower case, without accents, with runs of spaces as one.
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether a (folded) keyword occurs in a (folded) text where a word starts.
    static func startsAWord(_ keyword: String, in text: String) -> Bool {
        var searchFrom = text.startIndex
        while let found = text.range(of: keyword, range: searchFrom..<text.endIndex) {
            if found.lowerBound == text.startIndex { return true }
            let before = text[text.index(before: found.lowerBound)]
            if !(before.isLetter || before.isNumber) { return true }
            searchFrom = text.index(after: found.lowerBound)
        }
        return false
    }
}
