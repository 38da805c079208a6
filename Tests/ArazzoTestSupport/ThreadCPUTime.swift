#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time used by the calling thread, for the "ends in time" caps of the hostile-input tests.
///
/// Those caps guard against hangs and blow-ups (exponential backtracking, quadratic builds), not
/// against slowness: wall time cannot tell a blow-up from a test process whose two cores are busy
/// with the other suites, and on CI it could not (a millisecond call measured 13 s of wall time
/// while synchronous suites held the cooperative pool). The thread's own CPU time counts only the
/// work done, so the caps hold on a loaded machine and still catch a runaway.
public enum ThreadCPUTime {
    /// The calling thread's CPU time so far.
    public static var now: Duration {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return .zero }
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }

    /// Runs `body` on this thread and returns the CPU time it used. `body` must not suspend (it is
    /// synchronous), so all of its work is done on this thread and counted.
    public static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let start = now
        try body()
        return now - start
    }
}
