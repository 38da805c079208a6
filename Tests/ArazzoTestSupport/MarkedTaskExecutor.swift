import Dispatch

/// A task executor on a serial queue of its own that can tell whether the calling code runs on
/// it: for tests of where a workflow run's code executes (decision EL1).
public final class MarkedTaskExecutor: TaskExecutor, @unchecked Sendable {
    // Unchecked: `key` is set once in `init` and only read afterwards; the queue is Sendable.
    private let queue: DispatchQueue
    private let key = DispatchSpecificKey<Bool>()

    /// A new executor with its own queue.
    public init(label: String = "marked-task-executor") {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: key, value: true)
    }

    /// Runs `job` on the queue.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Whether the caller runs on this executor's queue.
    public var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }
}
