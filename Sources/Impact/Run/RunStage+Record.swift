import Foundation
import TableSchema

#if os(Linux)
    import CMalloc
#endif

// MARK: - Store: the quarter recorded, and the history read back

/// What the store holds once the quarter is recorded (the record step's result): the outcome of each
/// return, and everything the figures are computed from.
struct RecordedQuarter {
    /// What became of each checked return, in the same order.
    var outcomes: [SubmissionOutcome]
    /// Every accepted return up to this quarter, by quarter.
    var history: [Quarter: [AcceptedReturn]]
    /// This quarter's returns, whatever their verdict.
    var submissions: [SubmissionSummary]
    /// This quarter's files that belong to no return.
    var strayFiles: [(path: String, findings: [FileFinding])]
    /// Every file of this quarter the store has seen.
    var ledger: [LedgerEntry]
    /// What earlier quarters' funder workbooks published, for disclosure control.
    var earlierPublications: [Publication]
}

extension RunStage {
    /// Records the checked returns in one transaction, lets their rows go, and reads the history back.
    func record(_ checked: inout CheckedReturns, in store: Store, clock: inout StepClock) throws(ImpactError) -> RecordedQuarter {
        let outcomes: [SubmissionOutcome]
        do {
            outcomes = try store.apply(
                RunInput(
                    quarter: options.quarter, startedAt: options.now, programVersion: impactVersion,
                    submissions: checked.submissions, strayFiles: checked.stray + checked.replaced))
        } catch {
            throw .store(error)
        }
        // The rows recorded now stay in memory for the quarter's history; the rest (returns the store already
        // held, whose stored rows are the record) are let go before the history is read back.
        var known: [String: RecordedRows] = [:]
        for (index, outcome) in outcomes.enumerated() {
            let submission = checked.submissions[index]
            if outcome.storedRows, let rows = submission.accepted {
                known[submission.partnerID] = RecordedRows(fingerprint: submission.fingerprint, rows: rows)
            }
            checked.submissions[index].accepted = nil
        }
        #if os(Linux)
            // Rows let go were allocated on the worker threads' malloc arenas, which the main thread's reading
            // of the history would not reuse: give the freed pages back.
            malloc_trim(0)
        #endif
        clock.lap("record")
        do {
            let recorded = RecordedQuarter(
                outcomes: outcomes, history: try store.history(through: options.quarter, known: known, jobs: options.jobs),
                submissions: try store.submissions(in: options.quarter), strayFiles: try store.strayFiles(in: options.quarter),
                ledger: try store.ledger(in: options.quarter), earlierPublications: try store.publications(except: options.quarter))
            clock.lap("history")
            return recorded
        } catch {
            throw .store(error)
        }
    }
}
