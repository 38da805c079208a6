#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import NIOCore
import Synchronization

/// A Swift `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its own code on the same thread as
/// its connections: when a response arrives, the task resumes on that loop without a thread
/// switch, and its next request is written from the loop without waking it. Each switch between
/// Swift's cooperative pool and an event loop costs a wake-up of a sleeping thread, which is most
/// of what a workflow run adds to its round trips at low concurrency (docs/performance.md).
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    let eventLoop: any EventLoop
    /// Called once nothing holds the executor any more: the run it placed has ended.
    private let onRelease: (@Sendable () -> Void)?

    /// An executor over `eventLoop`.
    init(eventLoop: any EventLoop, onRelease: (@Sendable () -> Void)? = nil) {
        self.eventLoop = eventLoop
        self.onRelease = onRelease
    }

    deinit { onRelease?() }

    /// Runs `job` on the loop, in order with the loop's other work.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

/// One place per event loop of an executor's clients (decision EL1): a run placed on a loop holds
/// that loop's place until its executor is released, so at most one placed run executes on each
/// loop. A run's own work on a loop delays the reads and writes of every other connection there:
/// with every run on the loops, 8 and 64 concurrent runs lost 8–19% of their throughput against
/// the global pool, and with one run per loop beside the others on the pool they lost as much.
final class EventLoopPlaces: Sendable {
    private let loops: [any EventLoop]
    private let taken: Mutex<[Bool]>

    init(_ group: any EventLoopGroup) {
        loops = Array(group.makeIterator())
        taken = Mutex(Array(repeating: false, count: loops.count))
    }

    /// An executor on a loop no placed run holds, or nil when every loop has one.
    func place() -> EventLoopTaskExecutor? {
        let index = taken.withLock { taken -> Int? in
            guard let free = taken.firstIndex(of: false) else { return nil }
            taken[free] = true
            return free
        }
        guard let index else { return nil }
        return EventLoopTaskExecutor(eventLoop: loops[index], onRelease: { [self] in
            taken.withLock { $0[index] = false }
        })
    }
}
#endif
