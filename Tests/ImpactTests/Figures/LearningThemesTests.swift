import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Challenges and what would help, grouped by the workspace's learning themes across partners.
@Suite struct LearningThemesTests {
    private let themes = [
        LearningTheme(id: "travel", label: "Travel and access", keywords: ["travel", "bus fare", "rural"]),
        LearningTheme(id: "waiting", label: "Waiting times", keywords: ["wait"]),
        LearningTheme(id: "housing", label: "Housing", keywords: ["housing"]),
    ]

    private func narrative(_ id: String, challenges: String?, help: String? = nil) -> PartnerNarrative {
        PartnerNarrative(
            partnerID: id, partnerName: "Partner \(id)",
            narrative: Narrative(highlights: "Travel went well.", challenges: challenges, whatWouldHelp: help))
    }

    @Test(
        "Sentences split after full stops, question and exclamation marks, and at line breaks",
        arguments: [
            ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
            ("Costs rose 2.5 percent.\nStaff left.", ["Costs rose 2.5 percent.", "Staff left."]),
            ("  \n\n  ", []),
            ("No stop at the end", ["No stop at the end"]),
        ])
    func sentences(text: String, expected: [String]) {
        #expect(LearningGroups.sentences(text) == expected)
    }

    @Test(
        "A keyword matches where a word starts, whatever the case or accents",
        arguments: [
            ("travel", "Travelling is hard", true), ("travel", "untravelled roads", false),
            ("wait", "the (waiting) list", true), ("bus fare", "the  Bus   fares rose", true),
            ("rural", "rurál areas", true), ("housing", "house prices", false),
        ])
    func keywordMatching(keyword: String, text: String, matches: Bool) {
        #expect(LearningGroups.startsAWord(LearningGroups.folded(keyword), in: LearningGroups.folded(text)) == matches)
    }

    @Test("Each sentence goes under every theme it matches, across partners; a sentence that matches none is kept under Other")
    func grouping() {
        let grouped = LearningGroups(
            narratives: [
                narrative("P002", challenges: "Waiting lists grew. Travel costs and waits in rural areas.", help: "A bus fare fund."),
                narrative("P001", challenges: "Staff sickness.", help: nil),
                narrative("P003", challenges: nil, help: nil),
            ], themes: themes)
        #expect(grouped.partnersWriting == 2)
        #expect(grouped.groups.map(\.theme.id) == ["travel", "waiting"])
        let travel = grouped.groups[0]
        #expect(travel.mentions.map(\.sentence) == ["Travel costs and waits in rural areas.", "A bus fare fund."])
        #expect(travel.count(.challenges) == 1 && travel.count(.whatWouldHelp) == 1)
        #expect(grouped.groups[1].mentions.map(\.sentence) == ["Waiting lists grew.", "Travel costs and waits in rural areas."])
        #expect(grouped.groups[1].partnerIDs == ["P002"])
        #expect(grouped.other.map(\.sentence) == ["Staff sickness."])
        #expect(grouped.other.map(\.partnerID) == ["P001"])
        // Highlights are not grouped: "Travel went well." appears nowhere.
        #expect(!grouped.groups.flatMap(\.mentions).contains { $0.sentence.hasPrefix("Travel went") })
        // Without themes, nothing is lost: every sentence is under Other.
        let unthemed = LearningGroups(narratives: [narrative("P002", challenges: "A. B.", help: "C.")], themes: [])
        #expect(unthemed.groups.isEmpty && unthemed.other.map(\.sentence) == ["A.", "B.", "C."])
    }

    @Test("The sample report groups its partners' challenges by the themes in reference/themes.csv")
    func sampleReport() throws {
        let sample = try SampleWorkspace()
        try sample.run("2026-Q2")
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        let section = try #require(report.range(of: "## Learning across the network"))
        let body = String(report[section.upperBound...].prefix { $0 != "\u{0}" })
        let next = body.range(of: "\n## ").map { String(body[..<$0.lowerBound]) } ?? body
        #expect(next.contains("| Travel and access |"))
        #expect(next.contains("### Waiting times and referrals"))
        #expect(next.contains("- Challenge, "))
        // Every sentence of every challenge in the quarter's forms is in the section.
        let forms = try FileManager.default.contentsOfDirectory(atPath: sample.path + "/returns/2026-Q2")
            .filter { $0.hasSuffix(".json") }
        #expect(!forms.isEmpty)
        for form in forms {
            let data = try #require(FileManager.default.contents(atPath: sample.path + "/returns/2026-Q2/" + form))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for sentence in LearningGroups.sentences(json["challenges"] as? String ?? "") {
                #expect(next.contains(MarkdownEscaper.escape(sentence)), "\(form): \(sentence)")
            }
        }
    }

    @Test("A themes file with errors is reported like any reference table, and its sound rows are used")
    func brokenThemesFile() throws {
        let sample = try SampleWorkspace()
        try "theme_id,label,keywords\nTravel Access,Travel,travel\nwaiting,Waiting times,wait\n"
            .write(toFile: sample.path + "/reference/themes.csv", atomically: true, encoding: .utf8)
        let summary = try sample.run("2026-Q2")
        #expect(summary.referenceProblems.contains { $0.file == "reference/themes.csv" && $0.finding.rowNumber == 2 })
        let report = try #require(sample.read("2026-Q2/impact-report.md"))
        #expect(report.contains("### Waiting times\n"))
        let learning = try #require(report.components(separatedBy: "## Learning across the network").dropFirst().first)
        let section = learning.components(separatedBy: "\n## ").first ?? ""
        #expect(!section.contains("| Travel |"))
    }
}
