#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import Arazzo
import Foundation
import Synchronization

/// How a load runs: how many virtual users, for how long, at what rate (docs/load.md).
public struct LoadPlan: Sendable, Equatable {
    /// Virtual users: runs in flight at most at once.
    public var virtualUsers: Int
    /// Stop starting runs after this long, and cancel the ones in flight (nil: no time limit).
    public var duration: Duration?
    /// Start at most this many runs (open model: this many arrivals, dropped ones included);
    /// nil: no count limit. At least one of `duration` and `iterations` is set.
    public var iterations: Int?
    /// Closed model: VUs start evenly over this time. Open model: the cap on runs in flight
    /// grows evenly from 1 to `virtualUsers` over it.
    public var ramp: Duration
    /// Open model: runs started per second; nil for the closed model (each VU runs back to back).
    public var rate: Double?

    /// Creates a plan.
    public init(virtualUsers: Int, duration: Duration? = nil, iterations: Int? = nil, ramp: Duration = .zero, rate: Double? = nil) {
        self.virtualUsers = virtualUsers
        self.duration = duration
        self.iterations = iterations
        self.ramp = ramp
        self.rate = rate
    }
}

/// A live view of a load, as progress lines show it.
public struct LoadProgress: Sendable {
    /// Time since the load started.
    public var elapsed: Duration
    /// Runs ended so far.
    public var runs: Int
    /// Runs failed so far.
    public var failed: Int
    /// Median run latency so far, in microseconds.
    public var p50Microseconds: UInt64
    /// 99th percentile run latency so far, in microseconds.
    public var p99Microseconds: UInt64

    /// Creates a progress value.
    public init(elapsed: Duration, runs: Int, failed: Int, p50Microseconds: UInt64, p99Microseconds: UInt64) {
        self.elapsed = elapsed
        self.runs = runs
        self.failed = failed
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
    }

    /// Runs ended per second so far.
    public var runsPerSecond: Double {
        let seconds = elapsed.seconds
        return seconds > 0 ? Double(runs) / seconds : 0
    }
}

/// Runs one workflow run after another under a ``LoadPlan`` and gathers a ``LoadSummary``.
///
/// The generator knows nothing of documents: `run(iteration)` is one full run (the CLI's calls
/// ``WorkflowRunner``), and returns its result, or nil when the workflow refused to start (counted
/// as a failure of kind `inputs`). Iterations are numbered from 0 in start order.
public struct LoadGenerator: Sendable {
    /// The plan.
    public let plan: LoadPlan
    /// Where the virtual user's task runs when the plan has one VU (each run's task in the open
    /// model): pass the run executor's ``StepExecutor/preferredTaskExecutor()`` so that the VU
    /// starts where its runs execute and does not hop onto and off that thread around every run
    /// (decision EL1). With more VUs it is not asked: the executor places each run as it starts.
    public let taskExecutor: @Sendable () -> (any TaskExecutor)?

    /// A generator for `plan`; `taskExecutor` places the VUs (default: Swift's global executor).
    public init(plan: LoadPlan, taskExecutor: @escaping @Sendable () -> (any TaskExecutor)? = { nil }) {
        self.plan = plan
        self.taskExecutor = taskExecutor
    }

    /// Runs the load to its end; `progress` is called every `progressInterval` while it runs.
    public func run(
        progressInterval: Duration = .seconds(1),
        progress: (@Sendable (LoadProgress) -> Void)? = nil,
        _ run: @escaping @Sendable (_ iteration: Int) async -> RunResult?
    ) async -> LoadSummary {
        let state = LoadState()
        let clock = ContinuousClock()
        let start = clock.now
        let plan = self.plan
        let unplaced: @Sendable () -> (any TaskExecutor)? = { nil }
        let placement = plan.virtualUsers == 1 ? taskExecutor : unplaced
        await withTaskGroup(of: Bool.self) { group in
            // Child 1: the load itself (true when it ended by itself).
            group.addTask {
                if let rate = plan.rate {
                    await Self.openModel(plan, rate: rate, start: start, state: state, placement: placement, run)
                } else {
                    await Self.closedModel(plan, start: start, state: state, placement: placement, run)
                }
                return true
            }
            // Child 2: the deadline.
            if let duration = plan.duration {
                group.addTask {
                    try? await clock.sleep(until: start.advanced(by: duration))
                    return false
                }
            }
            // Child 3: progress, until cancelled.
            if let progress {
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(for: progressInterval) } catch { break }
                        progress(state.progress(elapsed: clock.now - start))
                    }
                    return false
                }
            }
            // Whichever of the load and the deadline ends first ends it all: the load's runs in
            // flight see the cancellation and are counted as in flight at the deadline.
            while let ended = await group.next() {
                if ended || plan.duration != nil { break }
            }
            group.cancelAll()
        }
        return state.summary(elapsed: clock.now - start)
    }

    /// Each VU claims the next iteration and runs it, back to back, until none is left or the
    /// deadline cancels it. VU `i` starts at `ramp × i / vus`.
    private static func closedModel(
        _ plan: LoadPlan, start: ContinuousClock.Instant, state: LoadState,
        placement: @Sendable () -> (any TaskExecutor)?, _ run: @escaping @Sendable (Int) async -> RunResult?
    ) async {
        let vus = plan.virtualUsers
        await withTaskGroup(of: Void.self) { group in
            for vu in 0..<vus {
                group.addTask(executorPreference: placement()) {
                    if plan.ramp > .zero, vu > 0 {
                        do { try await ContinuousClock().sleep(until: start.advanced(by: plan.ramp * (Double(vu) / Double(vus)))) } catch { return }
                    }
                    while !Task.isCancelled, let iteration = state.claim(limit: plan.iterations) {
                        await perform(iteration, state: state, run)
                    }
                }
            }
        }
    }

    /// Starts a run every `1 / rate` seconds when a VU is free, else counts it dropped.
    private static func openModel(
        _ plan: LoadPlan, rate: Double, start: ContinuousClock.Instant, state: LoadState,
        placement: @Sendable () -> (any TaskExecutor)?, _ run: @escaping @Sendable (Int) async -> RunResult?
    ) async {
        let clock = ContinuousClock()
        let interval = Duration.seconds(1 / rate)
        await withTaskGroup(of: Void.self) { group in
            var arrival = 0
            while !Task.isCancelled {
                if let iterations = plan.iterations, arrival >= iterations { break }
                do { try await clock.sleep(until: start.advanced(by: interval * arrival)) } catch { break }
                arrival += 1
                let elapsed = clock.now - start
                let cap = plan.ramp > .zero && elapsed < plan.ramp
                    ? max(1, Int((Double(plan.virtualUsers) * (elapsed / plan.ramp)).rounded(.up)))
                    : plan.virtualUsers
                guard let iteration = state.start(cap: cap) else { continue }
                group.addTask(executorPreference: placement()) {
                    await perform(iteration, state: state, run)
                    state.release()
                }
            }
        }
    }

    /// One run, recorded as ended or, when the deadline cancelled it, as in flight.
    private static func perform(_ iteration: Int, state: LoadState, _ run: @Sendable (Int) async -> RunResult?) async {
        let result = await run(iteration)
        state.record(result, cancelled: Task.isCancelled)
    }
}

/// The counters and histograms every VU records into, behind one lock.
final class LoadState: Sendable {
    private struct Counters {
        var summary = LoadSummary()
        var nextIteration = 0
        var running = 0
    }

    private let counters = Mutex(Counters())

    /// The next iteration number, or nil when `limit` are claimed.
    func claim(limit: Int?) -> Int? {
        counters.withLock { c in
            if let limit, c.nextIteration >= limit { return nil }
            defer { c.nextIteration += 1 }
            return c.nextIteration
        }
    }

    /// Open model: the next iteration when fewer than `cap` run, else nil and one more dropped.
    func start(cap: Int) -> Int? {
        counters.withLock { c in
            defer { c.nextIteration += 1 }
            guard c.running < cap else {
                c.summary.dropped += 1
                return nil
            }
            c.running += 1
            return c.nextIteration
        }
    }

    /// Open model: a run ended.
    func release() {
        counters.withLock { $0.running -= 1 }
    }

    /// Records a run's end; `cancelled` when the deadline cancelled it.
    func record(_ result: RunResult?, cancelled: Bool) {
        // Digested before taking the lock: every VU contends for it, and with more VUs than
        // threads a VU that finds it held parks its thread (docs/performance.md, figure 7).
        let digest = cancelled ? nil : result.map(RunDigest.init)
        counters.withLock { c in
            if cancelled {
                c.summary.recordInFlight(result)
            } else if let digest {
                c.summary.record(digest)
            } else {
                // Only inputs the workflow refuses get here (the CLI checks the rest before the load).
                c.summary.runs += 1
                c.summary.addFailure(kind: FailureReason.Kind.inputs.rawValue, step: nil, count: 1)
            }
        }
    }

    /// The progress so far.
    func progress(elapsed: Duration) -> LoadProgress {
        counters.withLock { c in
            let all = c.summary.allRuns
            return LoadProgress(
                elapsed: elapsed, runs: c.summary.runs, failed: c.summary.failed,
                p50Microseconds: all.microseconds(atPercentile: 50), p99Microseconds: all.microseconds(atPercentile: 99))
        }
    }

    /// The summary, with its elapsed time.
    func summary(elapsed: Duration) -> LoadSummary {
        counters.withLock { c in
            var summary = c.summary
            summary.elapsedSeconds = elapsed.seconds
            return summary
        }
    }
}

#endif
