#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import AsyncHTTPClient
import NIOCore
import NIOPosix

/// A Swift `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its own code on the same thread as
/// its connections: when a response arrives, the task resumes on that loop without a thread
/// switch, and its next request is written from the loop without waking it. Each switch between
/// Swift's cooperative pool and an event loop costs a wake-up of a sleeping thread, which is most
/// of what a workflow run adds to its round trips at low concurrency (docs/performance.md).
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    let eventLoop: any EventLoop

    /// An executor over `eventLoop`.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `job` on the loop, in order with the loop's other work.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
#endif
