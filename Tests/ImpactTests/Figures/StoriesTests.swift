import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Stories (case studies): what may be published, what the report features, and the impact lead's choice.
@Suite struct StoriesTests {
    private func story(
        _ partner: String, _ id: String, goals: [String], consent: StoryConsent = .anonymised, text: String? = nil,
        received: Int32 = 100, personal: Bool = false
    ) -> PartnerStory {
        PartnerStory(
            story: StoryRecord(
                partnerID: partner, quarter: "2026-Q2", storyID: id, title: "Story \(partner) \(id)",
                text: text ?? "The journey of a person supported by \(partner), story \(id).", outcomeIDs: goals, consent: consent),
            partnerName: "Partner \(partner)", receivedOn: received, holdsPersonalData: personal)
    }

    private func quote(_ partner: String, _ id: String, theme: String, text: String) -> Quote {
        Quote(
            partnerID: partner, partnerName: "Partner \(partner)", noteID: id, theme: theme, themeLabel: RippleThemes.label(theme),
            goalID: nil, text: text)
    }

    @Test("The default rule: one story per goal, partners featured least often first, then the newest; never internal or personal")
    func defaultRule() {
        let stories = [
            story("P001", "S1", goals: ["OG01"], received: 200),
            story("P002", "S1", goals: ["OG01"], received: 100),
            story("P003", "S1", goals: ["OG01"], received: 300, personal: true),
            story("P004", "S1", goals: ["OG02", "OG01"], consent: .internal),
            story("P004", "S2", goals: ["OG02"], consent: .quote),
        ]
        let received: [String: Int32] = ["P001": 200, "P002": 100, "P003": 300, "P004": 50]
        // P001's return is newer: it is featured for OG01.
        var featured = Featured(stories: stories, quotes: [], receivedOn: received, featuredBefore: [:], choice: nil)
        #expect(featured.stories.map(\.reference) == ["P001/S1", "P004/S2"])
        #expect(!featured.chosen && featured.problems.isEmpty)
        // P001 was featured more often before: P002 takes OG01.
        featured = Featured(stories: stories, quotes: [], receivedOn: received, featuredBefore: ["P001": 2], choice: nil)
        #expect(featured.stories.map(\.reference) == ["P002/S1", "P004/S2"])
    }

    @Test("A story or note that repeats a sentence already featured is never featured, even under another goal or theme")
    func noRepeats() {
        let shared = "Being listened to made all the difference to her."
        let stories = [
            story("P001", "S1", goals: ["OG01"], text: "She came back after a pause. \(shared)"),
            story("P002", "S1", goals: ["OG02"], text: "BEING listened to made ALL the difference to her! He returned."),
            story("P003", "S1", goals: ["OG03"], text: "Short. Short."),
        ]
        let quotes = [
            quote("P001", "R1", theme: "housing", text: "A tenancy was kept."),
            quote("P002", "R1", theme: "health_wellbeing", text: "A tenancy was kept."),
            quote("P003", "R1", theme: "health_wellbeing", text: "A GP review was asked for."),
            quote("P004", "R1", theme: "other", text: shared),
        ]
        let featured = Featured(stories: stories, quotes: quotes, receivedOn: [:], featuredBefore: [:], choice: nil)
        #expect(featured.stories.map(\.reference) == ["P001/S1", "P003/S1"])
        #expect(featured.notes.map { "\($0.partnerID)/\($0.noteID)" } == ["P003/R1", "P001/R1"])
        // Every sentence featured appears once.
        let sentences = (featured.stories.map(\.story.text) + featured.notes.map(\.text)).flatMap(Featured.sentenceKeys)
        #expect(Set(sentences).count == sentences.count)
    }

    @Test("The impact lead's choice is featured in its order; what cannot be featured is said, not featured")
    func choice() {
        let stories = [
            story("P001", "S1", goals: ["OG01"]), story("P002", "S1", goals: ["OG01"]),
            story("P003", "S1", goals: ["OG02"], consent: .internal), story("P004", "S1", goals: ["OG02"], personal: true),
        ]
        let quotes = [quote("P001", "R1", theme: "housing", text: "A tenancy was kept for a year.")]
        let featured = Featured(
            stories: stories, quotes: quotes, receivedOn: [:], featuredBefore: [:],
            choice: FeaturedChoice(stories: ["P002/S1", "P001/S1", "P003/S1", "P004/S1", "P009/S1"], notes: ["P001/R1", "P001/R9"]))
        #expect(featured.chosen)
        #expect(featured.stories.map(\.reference) == ["P002/S1", "P001/S1"])
        #expect(featured.notes.map(\.noteID) == ["R1"])
        #expect(featured.problems.count == 4)
        #expect(featured.problems.contains { $0.hasPrefix("P003/S1") && $0.contains("internal") })
        #expect(featured.problems.contains { $0.hasPrefix("P004/S1") && $0.contains("personal data") })
        #expect(featured.problems.contains { $0.hasPrefix("P009/S1") })
        #expect(featured.problems.contains { $0.hasPrefix("P001/R9") })
    }

    @Test(
        "Free text that looks like it names, dates or places a person is found; ordinary text is not",
        arguments: [
            ("She met Mrs Brown at the group.", PersonalDataScan.TextProblem.name),
            ("Dr. Patel referred him.", .name),
            ("Born on a Tuesday in spring.", .fullDate),
            ("Her birthday is 12/03/1985.", .fullDate),
            ("On 3rd March 2026 she moved.", .fullDate),
            ("He lives at 14 Rowan Street now.", .streetAddress),
            ("Call 07700 900123.", .contact),
        ])
    func personalData(text: String, expected: PersonalDataScan.TextProblem) {
        #expect(PersonalDataScan.textProblem(text) == expected)
    }

    @Test(
        "Ordinary story text raises nothing",
        arguments: [
            "In March 2026 she enrolled on a college course.", "The Tuesday group meets in the library.",
            "Mrs, Mr and Dr are titles.", "She has kept 12 sessions since the spring.", "Back in the classroom",
        ])
    func ordinary(text: String) {
        #expect(PersonalDataScan.textProblem(text) == nil)
    }

    @Test("The sample's stories: in the report, the store records what was featured, a funder sees only what consent allows")
    func sampleRun() throws {
        let sample = try SampleWorkspace()
        try sample.runAll()
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        #expect(report.contains("## Stories\n\nStories this quarter: "))
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        let featured = try store.featured(in: Quarter("2026-Q2")!)
        #expect(featured.contains { $0.kind == "story" } && featured.contains { $0.kind == "note" })
        // Each featured story's title heads a section of the report.
        let stories = try store.acceptedReturns(in: Quarter("2026-Q2")!).flatMap(\.stories)
        for item in featured where item.kind == "story" {
            let story = try #require(stories.first { $0.partnerID == item.partnerID && $0.storyID == item.id })
            #expect(story.consent != .internal)
            #expect(report.contains("### \(MarkdownEscaper.escape(story.title))\n"))
        }
        // No sentence of the featured stories and notes appears twice in the report's quotations.
        let quoted = report.split(separator: "\n").filter { $0.hasPrefix("> ") && !$0.hasPrefix("> —") }
        let keys = quoted.flatMap { Featured.sentenceKeys(String($0.dropFirst(2))) }
        let ripple = try #require(report.range(of: "## Ripple effects"))
        let learning = try #require(report.range(of: "## Support endings"))
        let featuredPart = report[ripple.lowerBound..<learning.lowerBound]
        let featuredKeys = featuredPart.split(separator: "\n").filter { $0.hasPrefix("> ") && !$0.hasPrefix("> —") }
            .flatMap { Featured.sentenceKeys(String($0.dropFirst(2))) }
        #expect(Set(featuredKeys).count == featuredKeys.count, "a sentence is featured twice")
        #expect(!keys.isEmpty)

        // A funder's workbook: no internal story, no partner name on an anonymised one.
        let keptInside = stories.filter { $0.consent == .internal }
        #expect(!keptInside.isEmpty)
        let workbooks = try FileManager.default.contentsOfDirectory(atPath: sample.out + "/2026-Q2/workbooks")
            .filter { $0.hasSuffix(".xlsx") && $0 != "programme.xlsx" }
        #expect(!workbooks.isEmpty)
        var shown = 0
        for workbook in workbooks {
            let strings = try XLSXFile(path: sample.out + "/2026-Q2/workbooks/" + workbook).sharedStrings()
            for story in keptInside where !stories.contains(where: { $0.text == story.text && $0.consent != .internal }) {
                #expect(!strings.contains(story.text), "\(workbook) holds an internal story")
            }
            for story in stories where story.consent != .internal && strings.contains(story.text) { shown += 1 }
            #expect(!strings.contains("internal"))
        }
        #expect(shown > 0)
    }

    @Test("Reports/featured.yaml chooses the quarter's featured stories; a wrong one is a warning, a broken file an error")
    func featuredFile() throws {
        let sample = try SampleWorkspace()
        try sample.run("2026-Q1")
        let folder = sample.path + "/Reports"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "2026-Q2:\n  stories: [P006/S2, P002/S2, P099/S1]\n  notes: []\n"
            .write(toFile: folder + "/featured.yaml", atomically: true, encoding: .utf8)
        let summary = try sample.run("2026-Q2")
        let store = try Store(path: sample.path + "/" + Store.defaultRelativePath)
        #expect(try store.featured(in: Quarter("2026-Q2")!).map { "\($0.partnerID)/\($0.id)" } == ["P006/S2"])
        let text = RunSummaryFormatter.text(summary)
        #expect(text.contains("Warning: Reports/featured.yaml: P002/S2 cannot be featured: its consent is internal"))
        #expect(text.contains("Warning: Reports/featured.yaml: P099/S1 is not a story"))
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        #expect(report.contains("chosen by the impact lead in Reports/featured.yaml"))

        try "2026-Q9:\n  stories: [P006/S2]\n".write(toFile: folder + "/featured.yaml", atomically: true, encoding: .utf8)
        #expect(throws: ImpactError.self) { try sample.run("2026-Q2") }
        try "2026-Q2:\n  stories: [P006-S2]\n".write(toFile: folder + "/featured.yaml", atomically: true, encoding: .utf8)
        #expect(throws: ImpactError.self) { try sample.run("2026-Q2") }
    }
}
