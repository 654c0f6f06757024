import Foundation

/// How many independent pieces of work (partners' returns, partners' simulations) run at once by default:
/// one per core.
public var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

extension Array {
    /// Maps every element on up to `jobs` threads and returns the results in the original order.
    ///
    /// Each element is transformed exactly once, by whichever worker takes it next, so uneven work
    /// (one large partner among small ones) still keeps every core busy. The result is the same as
    /// `map(transform)` whatever `jobs` is; with `jobs` 1 it is `map(transform)`, on the calling thread.
    public func parallelMap<Result>(jobs: Int, _ transform: (Element) -> Result) -> [Result] {
        let workers = Swift.min(jobs, count)
        guard workers > 1 else { return map(transform) }
        let slots = ResultSlots<Result>(count: count)
        withoutActuallyEscaping(transform) { transform in
            let work = UncheckedBox(value: (self, transform))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let (elements, transform) = work.value
                while let index = slots.claim() {
                    slots.set(index, transform(elements[index]))
                }
            }
        }
        return slots.results()
    }
}

/// Wraps a value handed to worker threads that only read it.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}

/// The results of a parallel map: each index claimed by one worker, written once, read after all finish.
private final class ResultSlots<Result>: @unchecked Sendable {
    private var slots: [Result?]
    private var next = 0
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func set(_ index: Int, _ result: Result) {
        lock.withLock { slots[index] = result }
    }

    func results() -> [Result] {
        lock.withLock { slots.map { $0! } }
    }
}
