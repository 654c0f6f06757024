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

extension Array {
    /// Maps every element on up to `jobs` worker threads while the calling thread takes the results in order,
    /// each as soon as it and every one before it are ready (a run records one partner's return while the
    /// next are still being checked), and returns them in order.
    ///
    /// With `jobs` 1 each element is transformed and consumed in turn on the calling thread. When `consume`
    /// throws, the workers take no further element and the error is thrown once they have stopped.
    func parallelMap<Result, Failure: Error>(
        jobs: Int, _ transform: (Element) -> Result, consumingInOrder consume: (Int, Result) throws(Failure) -> Void
    ) throws(Failure) -> [Result] {
        let workers = Swift.min(jobs, count)
        guard workers > 1 else {
            var results: [Result] = []
            results.reserveCapacity(count)
            for (index, element) in enumerated() {
                let result = transform(element)
                try consume(index, result)
                results.append(result)
            }
            return results
        }
        let slots = OrderedSlots<Result>(count: count)
        var failure: Failure?
        var results: [Result] = []
        results.reserveCapacity(count)
        withoutActuallyEscaping(transform) { transform in
            let work = UncheckedBox(value: (self, transform))
            let group = DispatchGroup()
            for _ in 0..<workers {
                DispatchQueue.global().async(group: group) {
                    let (elements, transform) = work.value
                    while let index = slots.claim() {
                        slots.set(index, transform(elements[index]))
                    }
                }
            }
            for index in 0..<count {
                guard let result = slots.take(index) else { break }
                do throws(Failure) {
                    try consume(index, result)
                } catch {
                    failure = error
                    slots.stop()
                    break
                }
                results.append(result)
            }
            group.wait()
        }
        if let failure { throw failure }
        return results
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

/// The results of an in-order parallel map: each index claimed by one worker, and taken by the consumer in
/// order as soon as it is set.
private final class OrderedSlots<Result>: @unchecked Sendable {
    private var slots: [Result?]
    private var next = 0
    private var stopped = false
    private let condition = NSCondition()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// The next index to transform, or nil when all are taken or the consumer stopped.
    func claim() -> Int? {
        condition.withLock {
            guard next < slots.count && !stopped else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func set(_ index: Int, _ result: Result) {
        condition.withLock {
            slots[index] = result
            condition.broadcast()
        }
    }

    /// Waits for the result of `index` and takes it out of its slot.
    func take(_ index: Int) -> Result? {
        condition.withLock {
            while slots[index] == nil { condition.wait() }
            defer { slots[index] = nil }
            return slots[index]
        }
    }

    /// Lets the workers finish the elements they hold and take no more.
    func stop() {
        condition.withLock { stopped = true }
    }
}
