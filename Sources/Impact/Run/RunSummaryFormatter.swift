import Foundation

/// The closing summary of `impact run`, as text for the terminal.
public enum RunSummaryFormatter {
    /// A few lines: what was accepted, rejected, superseded, missing and late, and where the outputs are.
    public static func text(_ summary: RunSummary) -> String {
        var out = "\nQuarter \(summary.quarter): \(summary.returns.count) return\(summary.returns.count == 1 ? "" : "s") read.\n"
        out += "  accepted:   \(summary.accepted)\n"
        out += "  rejected:   \(summary.rejected)"
        let rejected = summary.returns.filter { $0.verdict == .rejected }
        if !rejected.isEmpty {
            out += " (" + rejected.map { "\($0.partnerID): \($0.errors) error\($0.errors == 1 ? "" : "s")" }.joined(separator: ", ") + ")"
        }
        out += "\n"
        out += "  superseded: \(summary.superseded)\n"
        out += "  unchanged:  \(summary.returns.filter(\.unchanged).count) (already in the history)\n"
        out +=
            "  missing:    \(summary.missing.count)\(summary.missing.isEmpty ? "" : " (" + summary.missing.joined(separator: ", ") + ")")\n"
        let late = summary.late
        out += "  late:       \(late.count)\(late.isEmpty ? "" : " (" + late.joined(separator: ", ") + ")")\n"
        if !summary.strayFiles.isEmpty {
            out += "  not tied to a partner: \(summary.strayFiles.joined(separator: ", "))\n"
        }
        if !summary.referenceProblems.isEmpty {
            out +=
                "  reference tables: \(summary.referenceProblems.count) error(s), e.g. \(summary.referenceProblems[0].file): \(summary.referenceProblems[0].finding.message)\n"
        }
        out += "Rejected returns stay where they are; their findings are in the report and the history.\n"
        if let report = summary.outputs.first(where: { $0.hasSuffix("impact-report.md") }) {
            out += "Report: \(report)\n"
            for problem in summary.featuredProblems {
                out += "  Warning: \(FeaturedChoice.relativePath): \(problem); it is not featured.\n"
            }
            if summary.commentary == nil {
                out +=
                    "  Warning: the report has no commentary for \(summary.quarter); write your summary and interpretation in \(Commentary.relativePath(summary.quarter)) and run the quarter again to open the report with it.\n"
            }
        }
        let feedback = summary.outputs.filter { $0.contains("/feedback/") }
        if let first = feedback.first {
            out += "Feedback: \(feedback.count) file\(feedback.count == 1 ? "" : "s") in \((first as NSString).deletingLastPathComponent)\n"
        }
        let workbooks = summary.outputs.filter { $0.hasSuffix(".xlsx") }
        if let first = workbooks.first {
            out +=
                "Workbooks: \(workbooks.count) (one per funder and the programme's) in \((first as NSString).deletingLastPathComponent)\n"
        }
        if let disclosure = summary.disclosure {
            out +=
                "Disclosure control: \(disclosure.primary + disclosure.complementary) counts of people hidden in funder workbooks (\(disclosure.primary) small, \(disclosure.complementary) to protect them); every hidden count passed the audit (\(disclosure.rounds) rounds, \(disclosure.solves) integer programs, \(String(format: "%.2f", disclosure.seconds)) s)\n"
            for withheld in disclosure.withheld {
                out += "  Withheld: \(withheld.funderID).xlsx was not written: \(withheld.reason)\n"
            }
            for exposure in disclosure.earlierExposures {
                out += "  Already exposed by workbooks published before: \(exposure)\n"
            }
        }
        return out
    }
}
