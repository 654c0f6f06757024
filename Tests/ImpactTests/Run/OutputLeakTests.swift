import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Every byte of every funder-facing output of a run (the impact report, and every XML part of every
/// workbook) is scanned for every person reference in the inputs, for the text of every note the person did
/// not agree to share, and for things that look like an email address, a phone number or a postcode.
@Suite struct OutputLeakTests {
    /// Hazards planted in an otherwise generated workspace: unique text in every non-consented note, and
    /// person references, an email address, a phone number and a postcode inside consented notes.
    struct Hazards {
        var personRefs: Set<String> = []
        var secretTexts: [String] = []
        /// Partners' narrative: in the internal report, never in a workbook.
        var narrativeTexts: [String] = []
        /// Stories told anonymously, each with the name of its partner, which no workbook may print beside it.
        var anonymousStories: [(marker: String, partnerName: String)] = []
    }

    static let contact = ["someone@example.net", "07700 900123", "EH1 1YZ"]

    /// Rewrites each ripple file: non-consented notes get a unique secret; some consented notes mention a
    /// person of the same partner or contact details.
    static func plant(_ workspace: String, manifest: GeneratedManifest) throws -> Hazards {
        var hazards = Hazards()
        for file in manifest.files {
            let path = workspace + "/" + file.path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if file.path.hasSuffix("-support.csv") || file.path.hasSuffix("-outcomes.csv") {
                for line in lines.dropFirst() where !line.isEmpty {
                    hazards.personRefs.insert(String(line.split(separator: ",", omittingEmptySubsequences: false)[2]))
                }
                continue
            }
            if file.path.hasSuffix("-narrative.csv") {
                // A narrative that names a person (by reference) and one that gives a way to reach someone.
                let refs = try String(
                    contentsOfFile: path.replacingOccurrences(of: "-narrative.csv", with: "-support.csv"), encoding: .utf8
                ).split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
                let partner = file.partner
                let highlights = "NARRATIVE \(partner) \(file.quarter): \(refs[0]) now leads the walking group."
                hazards.narrativeTexts.append("NARRATIVE \(partner) \(file.quarter)")
                let challenges = "Ring \(contact[1]) about the rooms."
                try "\(lines[0])\n\(partner),\(file.quarter),\"\(highlights)\",\"\(challenges)\",More rooms.\n"
                    .write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            if file.path.hasSuffix("-stories.csv") {
                // partner_id,quarter,story_id,title,text,outcome_ids,consent: an internal story's words are a
                // secret; an anonymised one names its partner and a person; a quoted one names a person.
                let cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard let consent = cells.last, cells.count >= 7 else { continue }
                let partner = cells[0]
                let support = try String(
                    contentsOfFile: path.replacingOccurrences(of: "-stories.csv", with: "-support.csv"), encoding: .utf8)
                let ref = String(support.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)[2])
                let partners = try String(contentsOfFile: workspace + "/reference/partners.csv", encoding: .utf8)
                let name = try #require(
                    partners.split(separator: "\n").first { $0.hasPrefix(partner + ",") }.map {
                        String($0.split(separator: ",")[1])
                    })
                let text: String
                switch consent {
                case "internal":
                    text = "SECRET STORY \(partner) \(file.quarter): she told us everything."
                    hazards.secretTexts.append(text)
                case "anonymised":
                    let marker = "ANONYMOUS STORY \(partner) \(file.quarter) told at"
                    hazards.anonymousStories.append((marker, name))
                    text = "\(marker) \(name): \(ref) joined the group."
                default:
                    text = "A quoted story: \(ref) joined the group."
                }
                let row = [partner, file.quarter, "S1", "A story", "\"\(text)\"", "OG01", consent]
                try "\(lines[0])\n\(row.joined(separator: ","))\n".write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            guard file.path.hasSuffix("-ripple.csv") else { continue }
            let refs = try String(contentsOfFile: path.replacingOccurrences(of: "-ripple.csv", with: "-support.csv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
            var consented = 0
            for index in lines.indices.dropFirst() where !lines[index].isEmpty {
                // partner_id,quarter,note_id,theme,outcome_id,note,consent_to_quote: only the note may be quoted.
                let line = lines[index]
                let cells = line.split(separator: ",", maxSplits: 5, omittingEmptySubsequences: false)
                guard cells.count == 6, let lastComma = line.lastIndex(of: ",") else { continue }
                let prefix = cells[0..<5].joined(separator: ",") + ","
                let consent = line[lastComma...]
                let noteID = cells[2]
                let partner = cells[0]
                let note: String
                if consent.hasSuffix("false") {
                    let secret = "SECRET \(partner) \(file.quarter) \(noteID) told us about her brother"
                    hazards.secretTexts.append(secret)
                    note = secret
                } else {
                    // Consented notes take turns: a person's reference, a contact detail, left as written.
                    consented += 1
                    switch consented % 3 {
                    case 1: note = "\(refs[index % refs.count]) has started volunteering at the larder."
                    case 2: note = "Contact them on \(contact[consented % contact.count]) if you want to hear more."
                    default: continue
                    }
                }
                lines[index] = prefix + "\"" + note + "\"" + consent
            }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return hazards
    }

    /// The texts a reader of an output sees: a Markdown file, or every XML part of a workbook.
    static func texts(of path: String) throws -> [(name: String, text: String)] {
        guard path.hasSuffix(".xlsx") else { return [(path, try String(contentsOfFile: path, encoding: .utf8))] }
        let book = XLSXFile(path: path)
        return try book.parts().map { ("\(path)!\($0)", XLSXFile.unescape(try book.part($0))) }
    }

    static let patterns: [(name: String, regex: NSRegularExpression)] = [
        ("an email address", try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)),
        ("a UK phone number", try! NSRegularExpression(pattern: #"\b0[1-9][0-9]{2,3} ?[0-9]{3} ?[0-9]{3,4}\b"#)),
        ("a UK postcode", try! NSRegularExpression(pattern: #"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"#)),
    ]

    static func leaks(in texts: [(name: String, text: String)], hazards: Hazards) -> [String] {
        let matcher = PersonRefMatcher(refs: hazards.personRefs)
        var leaks: [String] = []
        for (name, text) in texts {
            if matcher.occurs(in: text) { leaks.append("\(name): a person reference") }
            for secret in hazards.secretTexts where text.contains(secret) { leaks.append("\(name): \(secret)") }
            for (what, regex) in patterns {
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    // The programme's own contact address is printed on purpose.
                    guard let range = Range(match.range, in: text), text[range] != "impact@example.org" else { continue }
                    leaks.append("\(name): \(what), \"\(text[range])\"")
                }
            }
        }
        return leaks
    }

    @Test("No person reference, unconsented note or contact detail reaches the report or any workbook")
    func noLeaks() throws {
        let folder = TemporaryFolder(prefix: "impact-leaks")
        let workspace = folder.path + "/ws"
        var options = GeneratorOptions()
        options.partners = 12
        options.peoplePerPartner = 30
        options.quarters = 2
        options.ripplePerPartner = 8
        let manifest = try WorkspaceGenerator(options: options).write(to: workspace)
        let hazards = try Self.plant(workspace, manifest: manifest)
        #expect(hazards.personRefs.count > 300)
        #expect(hazards.secretTexts.count > 10)

        var outputs: [String] = []
        for quarter in manifest.quarters {
            let parsed = try #require(Quarter(quarter))
            let summary = try RunStage(
                options: RunOptions(
                    workspace: workspace, quarter: parsed, out: folder.path + "/out", receivedOn: Int32(parsed.lastDay + 10),
                    now: 1_795_392_000)
            ).run()
            #expect(summary.rejected == 0, "the planted notes are valid: \(summary.returns.filter { $0.verdict == .rejected })")
            outputs += summary.outputs.filter { $0.hasSuffix(".xlsx") || $0.hasSuffix("impact-report.md") }
        }
        #expect(outputs.count == 2 * 5)  // a report and four workbooks (three funders and the programme) a quarter

        // The scan can fail: it finds every kind of hazard in a partner's ripple file.
        let inputLeaks = Self.leaks(in: try Self.texts(of: workspace + "/returns/2026-Q2/P001-ripple.csv"), hazards: hazards)
        #expect(inputLeaks.contains { $0.hasSuffix("a person reference") })
        #expect(inputLeaks.contains { $0.contains("SECRET") })
        #expect(inputLeaks.contains { $0.contains("an email address") || $0.contains("a UK phone") || $0.contains("postcode") })

        var leaks: [String] = []
        for output in outputs { leaks += Self.leaks(in: try Self.texts(of: output), hazards: hazards) }
        #expect(leaks.isEmpty, "\(leaks.count) leaks, e.g. \(leaks.prefix(5))")

        // Partners' narrative is in the internal report, with the person reference withheld and the answer
        // holding a phone number left out, and in no workbook.
        #expect(hazards.narrativeTexts.count == 2 * 12)
        let report = try String(contentsOfFile: folder.path + "/out/2026-Q2/impact-report.md", encoding: .utf8)
        #expect(report.contains("now leads the walking group") && report.contains("(person reference withheld)"))
        #expect(!report.contains("about the rooms"))
        #expect(hazards.anonymousStories.count >= 3)
        var anonymousShown = 0
        for output in outputs where output.hasSuffix(".xlsx") {
            for (name, text) in try Self.texts(of: output) {
                for narrative in hazards.narrativeTexts { #expect(!text.contains(narrative), "\(name) holds \(narrative)") }
                // An anonymised story is shown without its partner's name.
                for story in hazards.anonymousStories where text.contains(story.marker) {
                    anonymousShown += 1
                    #expect(!text.contains("\(story.marker) \(story.partnerName)"), "\(name) names the partner of \(story.marker)")
                    #expect(text.contains("\(story.marker) [the partner]"))
                }
            }
        }
        #expect(anonymousShown > 0, "the anonymised stories are in the workbooks, without their partners' names")
    }

    @Test("A malformed person reference, quoted by its finding, stays out of the report, the workbooks and the feedback")
    func malformedPersonRefs() throws {
        let folder = TemporaryFolder(prefix: "impact-leaks")
        let workspace = folder.path + "/ws"
        var options = GeneratorOptions()
        options.partners = 4
        options.peoplePerPartner = 10
        options.quarters = 1
        let manifest = try WorkspaceGenerator(options: options).write(to: workspace)
        let quarter = try #require(manifest.quarters.last.flatMap { Quarter($0) })
        let returns = workspace + "/returns/\(quarter)/"
        // A name where a reference belongs, in a partner's return (rejected: it fails the pattern) and in a
        // file with no partner_id (a stray file, listed in the report's data quality section).
        let support = try String(contentsOfFile: returns + "P003-support.csv", encoding: .utf8)
        var lines = support.split(separator: "\n").map(String.init)
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[2] = "Jane Smith 1990"
        lines[1] = cells.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(toFile: returns + "P003-support.csv", atomically: true, encoding: .utf8)
        cells[0] = ""
        cells[2] = "Mary OBrien 1985"
        try ([lines[0], cells.joined(separator: ",")].joined(separator: "\n") + "\n").write(
            toFile: returns + "unsigned-support.csv", atomically: true, encoding: .utf8)

        let summary = try RunStage(
            options: RunOptions(
                workspace: workspace, quarter: quarter, out: folder.path + "/out", receivedOn: Int32(quarter.lastDay + 10),
                now: 1_795_392_000)
        ).run()
        #expect(summary.returns.first { $0.partnerID == "P003" }?.verdict == .rejected)
        #expect(summary.strayFiles.contains { $0.hasSuffix("unsigned-support.csv") })
        let report = try String(contentsOfFile: folder.path + "/out/\(quarter)/impact-report.md", encoding: .utf8)
        #expect(report.contains("unsigned-support.csv"), "the stray file is listed")
        // The findings as recorded quote the value (so the checks below can fail)...
        let store = try Store(path: workspace + "/" + Store.defaultRelativePath)
        let recorded =
            try store.submissions(in: quarter).flatMap(\.findings).map(\.finding.message)
            + store.strayFiles(in: quarter).flatMap(\.findings).map(\.finding.message)
        #expect(recorded.contains { $0.contains("Jane Smith") } && recorded.contains { $0.contains("Mary OBrien") })
        // ...but no output does: not the report, not a workbook, not the partner's feedback.
        for output in summary.outputs {
            for (name, text) in try Self.texts(of: output) {
                #expect(!text.contains("Jane Smith") && !text.contains("Mary OBrien"), "\(name) quotes the malformed reference")
            }
        }
    }
}
