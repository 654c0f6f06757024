import Foundation
import ImpactGenerator
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Partners' returns are checked on every core; the outputs and the history must not depend on it.
@Suite struct ParallelRunTests {
    @Test("parallelMap keeps the order and transforms each element once, for any number of jobs", arguments: [1, 2, 3, 8, 100])
    func parallelMapOrder(jobs: Int) {
        let items = Array(0..<1_000)
        let counter = Counter()
        let results = items.parallelMap(jobs: jobs) { item -> Int in
            counter.increment()
            // Uneven work, so workers finish out of order.
            var sum = 0
            for step in 0..<(item % 7) * 200 { sum &+= step }
            return item * 2 + (sum == -1 ? 1 : 0)
        }
        #expect(results == items.map { $0 * 2 })
        #expect(counter.value == items.count)
    }

    @Test("parallelMap consuming in order: each result taken once, in order, on the calling thread", arguments: [1, 2, 3, 8])
    func consumingInOrder(jobs: Int) throws {
        let items = Array(0..<500)
        let counter = Counter()
        var consumed: [Int] = []
        let caller = Thread.current
        let results = items.parallelMap(
            jobs: jobs,
            { item -> Int in
                counter.increment()
                var sum = 0
                for step in 0..<(item % 5) * 300 { sum &+= step }
                return item * 3 + (sum == -1 ? 1 : 0)
            },
            consumingInOrder: { (index: Int, result: Int) throws(Never) in
                #expect(Thread.current == caller)
                #expect(result == index * 3)
                consumed.append(index)
            })
        #expect(results == items.map { $0 * 3 })
        #expect(consumed == Array(items.indices))
        #expect(counter.value == items.count)

        /// The consumer's failure.
        struct Stop: Error, Equatable {}
        var taken: [Int] = []
        #expect(throws: Stop()) {
            _ = try items.parallelMap(
                jobs: jobs, { $0 },
                consumingInOrder: { (index: Int, _: Int) throws(Stop) in
                    if index == 7 { throw Stop() }
                    taken.append(index)
                })
        }
        #expect(taken == Array(0..<7))
    }

    @Test("A quarter run with one job and with four gives byte-identical outputs and the same history")
    func sameOutputsForAnyJobs() throws {
        let folder = TemporaryFolder(prefix: "impact-parallel")
        var generator = GeneratorOptions()
        generator.partners = 9
        generator.peoplePerPartner = 25
        generator.quarters = 2
        generator.format = .mixed
        generator.errorShare = 0.01
        for name in ["one", "four"] {
            _ = try WorkspaceGenerator(options: generator).write(to: folder.path + "/" + name)
        }
        var summaries: [String: [RunSummary]] = [:]
        for (name, jobs) in [("one", 1), ("four", 4)] {
            for quarter in ["2026-Q1", "2026-Q2"] {
                let parsed = try #require(Quarter(quarter))
                var options = RunOptions(
                    workspace: folder.path + "/" + name, quarter: parsed, out: folder.path + "/" + name + "/out",
                    receivedOn: Int32(parsed.lastDay + 20), now: 1_795_392_000)
                options.jobs = jobs
                summaries[name, default: []].append(try RunStage(options: options).run())
            }
        }
        #expect(summaries["one"]!.map(\.returns) == summaries["four"]!.map(\.returns))
        #expect(summaries["one"]!.last!.rejected > 0, "the planted problems should reject some returns")
        let one = try folderSnapshot(folder.path + "/one/out")
        let four = try folderSnapshot(folder.path + "/four/out")
        #expect(one.count > 20)
        #expect(one == four)
        let ledgerOne = try Store(path: folder.path + "/one/" + Store.defaultRelativePath).ledger(in: Quarter("2026-Q2")!)
        let ledgerFour = try Store(path: folder.path + "/four/" + Store.defaultRelativePath).ledger(in: Quarter("2026-Q2")!)
        let describe: (LedgerEntry) -> String = { "\($0.file.path) \(String(describing: $0.verdict)) \($0.findings.count)" }
        #expect(ledgerOne.count > 20)
        #expect(ledgerOne.map(describe) == ledgerFour.map(describe))
    }
}

private final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
