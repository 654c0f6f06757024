import ArgumentParser
import Foundation
import Impact

/// `impact disclosure-audit FILE.xlsx...`: the attack of docs/disclosure.md on funder workbooks.
struct DisclosureAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure-audit",
        abstract: "Check that no hidden count of people in funder workbooks can be worked out from them.",
        discussion: """
            Give every funder workbook together (all funders, all quarters): an attacker is assumed to \
            hold them all. Each hidden count ([c], or <5 in older workbooks) is attacked by integer \
            programming with everything the files print and every relation between the figures; a count \
            is protected when the attacker cannot tell which of 1 to N-1 it is, or that it is one of \
            them at all. Run it before sending a workbook someone has edited by hand. Tables are found \
            by their Excel table names, so moved tables are read as they now are.

            Exit status: 0 when every hidden count is protected, 1 when any is exposed (or the files \
            contradict each other), 2 when a file is not a workbook written by impact.
            """
    )

    @Argument(help: "The funder workbooks (.xlsx) to audit together.")
    var files: [String]

    @Option(help: "The disclosure threshold N (default: the largest the workbooks state).")
    var threshold: Int?

    func validate() throws {
        if let threshold, threshold < 1 {
            throw ValidationError("--threshold must be a whole number of at least 1, not \(threshold).")
        }
        if files.isEmpty { throw ValidationError("give the workbooks to audit.") }
    }

    func run() throws {
        let audit: WorkbookDisclosureAudit
        do {
            audit = try WorkbookDisclosureAudit.audit(paths: files, threshold: threshold)
        } catch {
            printError("impact: the audit could not be run: \(error)")
            throw ExitCode(2)
        }
        var out = ""
        for (path, verdict) in audit.files {
            switch verdict {
            case .funder(let funder, let quarter, let counts):
                out += "\(path): funder \(funder), \(quarter), \(counts) counts of people read\n"
            case .programme:
                out += "\(path): the programme's internal workbook (exact counts): not audited; never send it to a funder\n"
            case .notImpact(let reason):
                out += "\(path): \(reason)\n"
            }
        }
        for contradiction in audit.contradictions {
            out += "Contradiction: \(contradiction)\n"
        }
        for count in audit.exposed {
            out +=
                "EXPOSED \(count.cells.joined(separator: ", ")): \(count.what): the attacker gets \(count.attackerGets); it should be \(count.shouldHave)\n"
        }
        if audit.exitCode == 0 {
            out +=
                "Protected: all \(audit.checked) protected counts (hidden counts and the parts of shares) keep their whole range (threshold \(audit.threshold)) against an attacker holding these \(audit.files.count) workbooks.\n"
        } else if !audit.exposed.isEmpty {
            out +=
                "\(audit.exposed.count) of \(audit.checked) hidden counts can be narrowed: hide more cells (or re-run the quarter) before sending these workbooks.\n"
        }
        print(out, terminator: "")
        if audit.exitCode != 0 { throw ExitCode(audit.exitCode) }
    }
}
