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
    /// The returns of the history with no digest stored under the run's key, by submission ID: their digests
    /// are stored once the outputs are written.
    var undigested: [(submissionID: Int64, value: AcceptedReturn)]
    /// How many stories and notes of each partner earlier quarters' reports featured.
    var featuredBefore: [String: Int] = [:]
    /// Every action partners and the impact lead agreed, for the feedback.
    var actions: [FeedbackAction] = []
}

extension RunStage {
    /// Checks the candidates on every core while this thread records each checked return in turn, in
    /// candidate order, in one transaction with the stray files: the check and record steps as one pipeline,
    /// which leaves the store as recording the checked returns in one ``Store/apply(_:)`` would.
    func checkAndRecord(
        _ returns: CandidateReturns, stage: ValidationStage, settings: Settings, in store: Store,
        progress: (RunProgress) -> Void
    ) throws(ImpactError) -> (checked: CheckedReturns, outcomes: [SubmissionOutcome]) {
        var submissions: [SubmissionInput] = []
        let outcomes: [SubmissionOutcome]
        let run = RunInput(
            quarter: options.quarter, startedAt: options.now, programVersion: impactVersion, submissions: [],
            strayFiles: returns.stray + returns.replaced)
        do {
            outcomes = try store.apply(run) { record in
                submissions = try returns.candidates.parallelMap(
                    jobs: options.jobs, { checkReturn($0, stage: stage, settings: settings) },
                    consumingInOrder: { index, submission in
                        progress(
                            .checked(
                                partnerID: submission.partnerID, index: index + 1, of: returns.candidates.count,
                                verdict: submission.verdict))
                        _ = try record(submission)
                    })
            }
        } catch {
            throw .store(error)
        }
        return (CheckedReturns(submissions: submissions, stray: returns.stray, replaced: returns.replaced), outcomes)
    }

    /// Lets the rows of returns the store already held go, and reads the history back (this quarter's newly
    /// recorded rows from memory).
    func readBack(
        _ checked: inout CheckedReturns, outcomes: [SubmissionOutcome], from store: Store, settings: Settings,
        clock: inout StepClock
    ) throws(ImpactError) -> RecordedQuarter {
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
        do {
            let history = try readHistory(from: store, known: known, settings: settings)
            let recorded = RecordedQuarter(
                outcomes: outcomes, history: history.returns, submissions: try store.submissions(in: options.quarter),
                strayFiles: try store.strayFiles(in: options.quarter), ledger: try store.ledger(in: options.quarter),
                earlierPublications: try store.publications(except: options.quarter), undigested: history.undigested,
                featuredBefore: try store.featuredCounts(before: options.quarter), actions: try store.feedbackActions())
            clock.lap("history")
            return recorded
        } catch {
            throw .store(error)
        }
    }

    /// Reads the history: earlier quarters from their stored digests where every return of the quarter has
    /// one (a damaged digest makes the whole history be read from rows again), the rest from their rows.
    func readHistory(
        from store: Store, known: [String: RecordedRows], settings: Settings
    ) throws(StoreError) -> (returns: [Quarter: [AcceptedReturn]], undigested: [(submissionID: Int64, value: AcceptedReturn)]) {
        let key = ReturnDigest.key(settings: settings)
        var stored = try store.storedHistory(through: options.quarter, known: known, jobs: options.jobs, digestKey: key)
        var decoded: [Quarter: [ReturnDigest?]]? = [:]
        for (quarter, entries) in stored.entries {
            let digests = entries.parallelMap(jobs: options.jobs) { entry in
                Result { () throws(ReturnDigest.DecodingError) -> ReturnDigest? in
                    try entry.digest.map { bytes throws(ReturnDigest.DecodingError) in try ReturnDigest(decoding: bytes) }
                }
            }
            guard let all = try? digests.map({ try $0.get() }) else {
                decoded = nil
                break
            }
            decoded?[quarter] = all
        }
        if decoded == nil {
            stored = try store.storedHistory(through: options.quarter, known: known, jobs: options.jobs, digestKey: nil)
        }
        var returns: [Quarter: [AcceptedReturn]] = [:]
        var undigested: [(submissionID: Int64, value: AcceptedReturn)] = []
        for (quarter, entries) in stored.entries {
            returns[quarter] = entries.enumerated().map { index, entry in
                var value = entry.value
                value.digest = decoded?[quarter]?[index]
                // After a damaged digest the history was read again with no key: nothing is digested then.
                if !entry.isDigested { undigested.append((entry.submissionID, value)) }
                return value
            }
        }
        undigested.sort { $0.submissionID < $1.submissionID }
        return (returns, undigested)
    }

    /// Works out and stores the digests of the history's returns that had none, for the next runs.
    func storeDigests(_ recorded: RecordedQuarter, in store: Store, settings: Settings) throws(StoreError) {
        let limit = Money(amount: settings.coordinatorLimit)
        let made = recorded.undigested.parallelMap(jobs: options.jobs) { item in
            ReturnDigest(of: item.value, limit: limit).map { (submissionID: item.submissionID, data: $0.encoded()) }
        }
        try store.record(digests: made.compactMap { $0 }, key: ReturnDigest.key(settings: settings))
    }
}
