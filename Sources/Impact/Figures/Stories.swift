import Foundation

// MARK: - Stories (case studies)

/// Who may read a story, as the person agreed.
enum StoryConsent: String, Sendable, Hashable, CaseIterable {
    /// May be published with the partner's name.
    case quote
    /// May be published without the partner's name or place.
    case anonymised
    /// For the impact lead only: never published.
    case `internal`

    /// The consent in words.
    var words: String {
        switch self {
        case .quote: "may be quoted with the partner's name"
        case .anonymised: "may be published without the partner's name or place"
        case .internal: "internal: the impact lead only"
        }
    }
}

/// A story from the `stories` table of an accepted return.
struct StoryRecord: Sendable, Hashable {
    var partnerID: String
    var quarter: String
    var storyID: String
    var title: String
    var text: String
    /// The outcome goals it speaks to, in the order given.
    var outcomeIDs: [String]
    var consent: StoryConsent
}

extension AcceptedReturn {
    /// The return's stories, in the order sent (kept as the `stories` table's rows).
    var stories: [StoryRecord] {
        guard let records = tables.first(where: { $0.table == "stories" }) else { return [] }
        return records.rows.compactMap { row in
            guard let consent = records.value("consent", in: row).flatMap(StoryConsent.init(rawValue:)) else { return nil }
            return StoryRecord(
                partnerID: records.value("partner_id", in: row) ?? partnerID,
                quarter: records.value("quarter", in: row) ?? quarter.description,
                storyID: records.value("story_id", in: row) ?? "", title: records.value("title", in: row) ?? "",
                text: records.value("text", in: row) ?? "",
                outcomeIDs: (records.value("outcome_ids", in: row) ?? "").split(separator: ";").map(String.init), consent: consent)
        }
    }
}

/// A story of the quarter with what the outputs need to know of it.
struct PartnerStory: Sendable, Hashable {
    var story: StoryRecord
    var partnerName: String
    /// When the partner's return was received (days since 1970): newer stories are preferred.
    var receivedOn: Int32
    /// True when its title or text looks like it holds personal data (``PersonalDataScan/textProblem(_:)``):
    /// then it is never shown outside the partner's own feedback, whatever its consent.
    var holdsPersonalData: Bool

    /// Whether it may be published: its consent allows it and it holds nothing that looks like personal data.
    var publishable: Bool { story.consent != .internal && !holdsPersonalData }
    /// `P003/S1`: how `Reports/featured.yaml` names it.
    var reference: String { "\(story.partnerID)/\(story.storyID)" }
}

// MARK: - Featured stories and notes

/// The stories and notes a report features: chosen by the impact lead, or by the default rule.
struct Featured: Sendable, Hashable {
    var stories: [PartnerStory] = []
    var notes: [Quote] = []
    /// Whether the impact lead chose them (`Reports/featured.yaml`) rather than the default rule.
    var chosen = false
    /// What could not be featured as chosen, in words for the run summary and the report.
    var problems: [String] = []

    /// Nothing featured.
    init() {}

    /// The default rule: at most one story per outcome goal (its first) and one note per theme, preferring
    /// partners featured least often before, then the newest return, then partner and ID order; an item
    /// that repeats a sentence of one already featured (a duplicate or near-duplicate) is never featured.
    /// With a choice, the items it names in its order, each checked the same way.
    init(
        stories: [PartnerStory], quotes: [Quote], receivedOn: [String: Int32], featuredBefore: [String: Int],
        choice: FeaturedChoice?
    ) {
        var seen = Set<String>()
        func fresh(_ texts: [String]) -> Bool {
            let sentences = texts.flatMap(Self.sentenceKeys)
            guard seen.isDisjoint(with: sentences) else { return false }
            seen.formUnion(sentences)
            return true
        }
        let publishable = stories.filter(\.publishable)
        if let choice {
            chosen = true
            for reference in choice.stories {
                guard let story = stories.first(where: { $0.reference == reference }) else {
                    problems.append("\(reference) is not a story of this quarter's accepted returns")
                    continue
                }
                guard story.publishable else {
                    problems.append(
                        "\(reference) cannot be featured: "
                            + (story.holdsPersonalData
                                ? "it looks like it holds personal data" : "its consent is internal (the impact lead only)"))
                    continue
                }
                if fresh([story.story.title, story.story.text]) {
                    self.stories.append(story)
                } else {
                    problems.append("\(reference) repeats a sentence of a story or note already featured")
                }
            }
            for reference in choice.notes {
                guard let quote = quotes.first(where: { "\($0.partnerID)/\($0.noteID)" == reference }) else {
                    problems.append("\(reference) is not a note of this quarter that may be quoted")
                    continue
                }
                if fresh([quote.text]) {
                    notes.append(quote)
                } else {
                    problems.append("\(reference) repeats a sentence of a story or note already featured")
                }
            }
            return
        }
        func rank(_ partnerID: String, _ id: String) -> (Int, Int32, String, String) {
            (featuredBefore[partnerID] ?? 0, -(receivedOn[partnerID] ?? 0), partnerID, id)
        }
        var goalsTaken = Set<String>()
        for story in publishable.sorted(by: { rank($0.story.partnerID, $0.story.storyID) < rank($1.story.partnerID, $1.story.storyID) }) {
            let goal = story.story.outcomeIDs.first ?? ""
            guard !goalsTaken.contains(goal), fresh([story.story.title, story.story.text]) else { continue }
            goalsTaken.insert(goal)
            self.stories.append(story)
        }
        var themesTaken = Set<String>()
        for quote in quotes.sorted(by: { rank($0.partnerID, $0.noteID) < rank($1.partnerID, $1.noteID) }) {
            guard !themesTaken.contains(quote.theme), fresh([quote.text]) else { continue }
            themesTaken.insert(quote.theme)
            notes.append(quote)
        }
        self.stories.sort { ($0.story.outcomeIDs.first ?? "", $0.reference) < ($1.story.outcomeIDs.first ?? "", $1.reference) }
        let order = Dictionary(uniqueKeysWithValues: RippleThemes.known.enumerated().map { ($1.theme, $0) })
        notes.sort { (order[$0.theme] ?? 99, $0.theme) < (order[$1.theme] ?? 99, $1.theme) }
    }

    /// The sentences of a text as compared for repeats: folded, letters and digits only, the short ones left out.
    static func sentenceKeys(_ text: String) -> [String] {
        LearningGroups.sentences(text).map { sentence in
            String(LearningGroups.folded(sentence).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        }.filter { $0.count >= 12 }
    }

    /// The references of what is featured, for the store: stories then notes.
    var references: [(kind: String, partnerID: String, id: String)] {
        stories.map { ("story", $0.story.partnerID, $0.story.storyID) } + notes.map { ("note", $0.partnerID, $0.noteID) }
    }
}
