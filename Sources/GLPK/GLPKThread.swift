import CGLPK
import Foundation

// MARK: - The GLPK thread

/// The one thread on which this module calls into GLPK.
///
/// GLPK keeps its whole environment in thread-local storage (Debian's build reports
/// `glp_config("TLS") == "_Thread_local"`): the terminal-output switch, and the accounting of every memory
/// block it allocates. A problem object therefore belongs to the thread that created it. Growing or deleting
/// it from another thread unlinks its blocks from the wrong thread's list, and GLPK stops the process with
/// "glp_free: memory allocation error". A process-wide lock alone would not prevent that, because a Swift
/// task may resume on a different thread after every suspension point. So every call into GLPK, from
/// `glp_create_prob` to `glp_delete_prob`, runs here, one job at a time. That also serialises GLPK across
/// the process, which Debian's build needs: it is not safe to call from several threads at once.
///
/// ``perform(_:)`` blocks the calling thread until its job is done, like a lock would. Jobs never wait
/// for anything but GLPK, so this cannot deadlock as long as no job calls ``perform(_:)`` itself.
final class GLPKThread: @unchecked Sendable {
    /// The thread every ``IntegerProgram`` in the process uses.
    static let shared = GLPKThread()

    /// Guards ``jobs`` and ``worker``, and wakes the thread when a job arrives.
    private let condition = NSCondition()
    /// Jobs waiting to run, oldest first.
    private var jobs: [@Sendable () -> Void] = []
    /// The thread's id, once it has started; used only to catch a job that calls ``perform(_:)``.
    private var worker: pthread_t?

    private init() {
        let thread = Thread { [self] in run() }
        thread.name = "GLPK"
        thread.stackSize = 8 << 20
        thread.start()
    }

    // MARK: - Running jobs

    /// Runs `body` on the GLPK thread and returns its result, blocking the caller until then.
    ///
    /// `body` may capture values that are not `Sendable` (the program being solved): the caller waits,
    /// so the GLPK thread has them to itself while the job runs, as with `DispatchQueue.sync`.
    func perform<T>(_ body: @escaping () -> T) -> T {
        let job = SynchronousJob(body)
        condition.lock()
        if let worker {
            precondition(pthread_equal(worker, pthread_self()) == 0, "GLPKThread.perform called from a GLPK job")
        }
        jobs.append { job.run() }
        condition.signal()
        condition.unlock()
        return job.wait()
    }

    /// Schedules `body` to run on the GLPK thread and returns at once (used to delete problems in `deinit`).
    func async(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(body)
        condition.signal()
        condition.unlock()
    }

    /// The thread's loop: switches GLPK's terminal output off for this thread's environment, then runs
    /// jobs for ever.
    private func run() {
        _ = glp_term_out(GLP_OFF)
        condition.lock()
        worker = pthread_self()
        condition.unlock()
        while true {
            condition.lock()
            while jobs.isEmpty {
                condition.wait()
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch {
                job()
            }
        }
    }
}

// MARK: - Synchronous jobs

/// A job whose caller waits for its result.
///
/// `@unchecked Sendable`: `body` and `result` are touched by the GLPK thread only between the caller
/// enqueuing the job and the semaphore's signal, and by the caller only before and after.
private final class SynchronousJob<T>: @unchecked Sendable {
    private var body: (() -> T)?
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () -> T) {
        self.body = body
    }

    /// Runs the body on the GLPK thread, drops it (and whatever it captured) there, and wakes the caller.
    func run() {
        result = body?()
        body = nil
        done.signal()
    }

    /// Waits for ``run()`` and hands over the result.
    func wait() -> T {
        done.wait()
        guard let result else { preconditionFailure("GLPK job finished without a result") }
        self.result = nil
        return result
    }
}
