#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import Arazzo
public import Foundation

/// The percentiles a summary prints and writes for one histogram, in microseconds.
public struct LatencyPercentiles: Sendable, Codable, Equatable {
    /// Latencies recorded.
    public var count: UInt64
    /// The 50th percentile.
    public var p50: UInt64
    /// The 90th percentile.
    public var p90: UInt64
    /// The 99th percentile.
    public var p99: UInt64
    /// The 99.9th percentile.
    public var p99_9: UInt64
    /// The largest.
    public var max: UInt64

    /// The percentiles of `histogram`.
    public init(_ histogram: LatencyHistogram) {
        count = histogram.count
        p50 = histogram.microseconds(atPercentile: 50)
        p90 = histogram.microseconds(atPercentile: 90)
        p99 = histogram.microseconds(atPercentile: 99)
        p99_9 = histogram.microseconds(atPercentile: 99.9)
        max = histogram.maxMicroseconds
    }

    private enum CodingKeys: String, CodingKey {
        case count, p50, p90, p99, p99_9 = "p99.9", max
    }
}

/// What a load run did: counts, failures by kind and step, and latency histograms per workflow
/// and per step. Encodes to the JSON `arazzo-run load --json` writes (docs/load.md) and decodes
/// from it; ``merged(with:)`` combines two summaries exactly, so shards of one load merge into
/// the summary one machine would have written over all their runs.
public struct LoadSummary: Sendable, Codable, Equatable {
    /// The format of the JSON, for readers to check.
    public var format = "arazzo-load-summary/1"
    /// Runs that ended (succeeded or failed); runs cancelled at the deadline are not in it.
    public var runs: Int = 0
    /// Runs that succeeded.
    public var succeeded: Int = 0
    /// Failed runs by failure kind and step, most frequent first.
    public var failures: [FailureCount] = []
    /// Open model only: starts that were due while every VU was busy (decision LD1).
    public var dropped: Int = 0
    /// Runs cancelled because the duration ended while they ran (decision LD2).
    public var inFlightAtDeadline: Int = 0
    /// HTTP requests and messages sent by every run, including runs cancelled at the deadline.
    public var requests: Int = 0
    /// Wall time of the load in seconds (the longest of the merged loads).
    public var elapsedSeconds: Double = 0
    /// Latency of whole runs, per workflow id.
    public var workflows: [String: LatencyHistogram] = [:]
    /// Latency of step attempts, per `WORKFLOW.STEP`.
    public var steps: [String: LatencyHistogram] = [:]

    /// Failed runs of one kind at one step.
    public struct FailureCount: Sendable, Codable, Equatable {
        /// The failure kind, as run reports write it (`criteria`, `transport`, …).
        public var kind: String
        /// The step at fault, when one is.
        public var step: String?
        /// How many runs failed so.
        public var count: Int

        /// Creates a count.
        public init(kind: String, step: String?, count: Int) {
            self.kind = kind
            self.step = step
            self.count = count
        }
    }

    /// An empty summary.
    public init() {}

    /// Runs that failed.
    public var failed: Int { failures.reduce(0) { $0 + $1.count } }

    /// Runs that ended per second of elapsed time (0 for no time).
    public var runsPerSecond: Double { elapsedSeconds > 0 ? Double(runs) / elapsedSeconds : 0 }

    /// Requests per second of elapsed time (0 for no time).
    public var requestsPerSecond: Double { elapsedSeconds > 0 ? Double(requests) / elapsedSeconds : 0 }

    /// The share of ended runs that failed, 0…1 (0 when none ended).
    public var failureShare: Double { runs > 0 ? Double(failed) / Double(runs) : 0 }

    /// Every workflow's run latencies in one histogram (what thresholds and progress read).
    public var allRuns: LatencyHistogram {
        workflows.values.reduce(into: LatencyHistogram()) { $0.add($1) }
    }

    /// Records one ended run: its outcome, latency, its steps' latencies and requests sent.
    public mutating func record(_ result: RunResult) {
        record(RunDigest(result))
    }

    /// Records a run cancelled at the deadline: only the requests it sent count.
    public mutating func recordInFlight(_ result: RunResult?) {
        inFlightAtDeadline += 1
        if let result { requests += Self.requestCount(result) }
    }

    /// Records one ended run already digested (``RunDigest``): counters and histogram buckets only.
    mutating func record(_ digest: RunDigest) {
        runs += 1
        if let failure = digest.failure {
            addFailure(kind: failure.kind, step: failure.step, count: 1)
        } else {
            succeeded += 1
        }
        workflows[digest.workflowId, default: LatencyHistogram()].record(microseconds: digest.microseconds)
        for step in digest.steps {
            steps[step.key, default: LatencyHistogram()].record(microseconds: step.microseconds)
        }
        requests += digest.requests
    }

    /// Requests and messages a run sent, its nested workflows' included.
    static func requestCount(_ result: RunResult) -> Int {
        result.steps.reduce(0) { $0 + ($1.sentRequest || $1.message != nil ? 1 : 0) }
            + result.workflows.reduce(0) { $0 + requestCount($1) }
    }

    mutating func addFailure(kind: String, step: String?, count: Int) {
        if let index = failures.firstIndex(where: { $0.kind == kind && $0.step == step }) {
            failures[index].count += count
        } else {
            failures.append(FailureCount(kind: kind, step: step, count: count))
        }
        failures.sort { ($0.count, $1.kind, $1.step ?? "") > ($1.count, $0.kind, $0.step ?? "") }
    }

    /// This summary and `other` as one: counts and histogram buckets added (never percentiles
    /// averaged), elapsed time the longer of the two (shards run side by side).
    public func merged(with other: LoadSummary) -> LoadSummary {
        var merged = self
        merged.runs += other.runs
        merged.succeeded += other.succeeded
        for failure in other.failures { merged.addFailure(kind: failure.kind, step: failure.step, count: failure.count) }
        merged.dropped += other.dropped
        merged.inFlightAtDeadline += other.inFlightAtDeadline
        merged.requests += other.requests
        merged.elapsedSeconds = max(elapsedSeconds, other.elapsedSeconds)
        for (id, histogram) in other.workflows { merged.workflows[id, default: LatencyHistogram()].add(histogram) }
        for (id, histogram) in other.steps { merged.steps[id, default: LatencyHistogram()].add(histogram) }
        return merged
    }

    private enum CodingKeys: String, CodingKey {
        case format, runs, succeeded, failed, failures, dropped, inFlightAtDeadline, requests, elapsedSeconds
        case runsPerSecond, requestsPerSecond, workflows, steps, histograms
    }

    /// Reads the stored fields; the derived ones (rates, percentiles) are recomputed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == "arazzo-load-summary/1" else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "unknown load summary format '\(format)'")
        }
        runs = try c.decode(Int.self, forKey: .runs)
        succeeded = try c.decode(Int.self, forKey: .succeeded)
        failures = try c.decode([FailureCount].self, forKey: .failures)
        dropped = try c.decode(Int.self, forKey: .dropped)
        inFlightAtDeadline = try c.decode(Int.self, forKey: .inFlightAtDeadline)
        requests = try c.decode(Int.self, forKey: .requests)
        elapsedSeconds = try c.decode(Double.self, forKey: .elapsedSeconds)
        let histograms = try c.nestedContainer(keyedBy: HistogramKeys.self, forKey: .histograms)
        workflows = try histograms.decode([String: LatencyHistogram].self, forKey: .workflows)
        steps = try histograms.decode([String: LatencyHistogram].self, forKey: .steps)
    }

    private enum HistogramKeys: String, CodingKey { case workflows, steps }

    /// Writes the stored fields, the rates and percentiles read from them, and the histograms.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(runs, forKey: .runs)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(failed, forKey: .failed)
        try c.encode(failures, forKey: .failures)
        try c.encode(dropped, forKey: .dropped)
        try c.encode(inFlightAtDeadline, forKey: .inFlightAtDeadline)
        try c.encode(requests, forKey: .requests)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encode(runsPerSecond, forKey: .runsPerSecond)
        try c.encode(requestsPerSecond, forKey: .requestsPerSecond)
        try c.encode(workflows.mapValues(LatencyPercentiles.init), forKey: .workflows)
        try c.encode(steps.mapValues(LatencyPercentiles.init), forKey: .steps)
        var histograms = c.nestedContainer(keyedBy: HistogramKeys.self, forKey: .histograms)
        try histograms.encode(workflows, forKey: .workflows)
        try histograms.encode(steps, forKey: .steps)
    }

    /// The JSON `--json` writes: sorted keys, pretty-printed, histograms as base64 text.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every member encodes to JSON (strings, numbers, histograms as strings): cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A summary read from the JSON ``jsonText()`` writes.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(LoadSummary.self, from: json)
    }
}

/// What a summary keeps of one ended run: its latency, failure, step latencies under their
/// `WORKFLOW.STEP` keys and requests sent. A load generator's VUs digest their runs in parallel
/// and take the summary's lock only to add the numbers, so the lock is held for a few bucket
/// increments rather than for walking a run's traces (docs/performance.md, figure 7).
struct RunDigest: Sendable {
    /// One step attempt's latency under its histogram key.
    struct Step: Sendable {
        var key: String
        var microseconds: UInt64
    }

    var workflowId: String
    var microseconds: UInt64
    /// The failure kind and step; nil when the run succeeded.
    var failure: (kind: String, step: String?)?
    var steps: [Step] = []
    var requests = 0

    init(_ result: RunResult) {
        workflowId = result.workflowId
        microseconds = LatencyHistogram.microseconds(result.duration)
        if case .failed(let reason) = result.outcome {
            failure = (reason.kind.rawValue, reason.stepId)
        }
        add(stepsOf: result)
    }

    /// The steps of `result` and of its nested workflows, each under its own workflow's id.
    private mutating func add(stepsOf result: RunResult) {
        let prefix = result.workflowId + "."
        // Indices, not `for step in`: a step trace is large, and copying each one costs more than
        // reading the three fields needed.
        for index in result.steps.indices {
            steps.append(Step(
                key: prefix + result.steps[index].stepId,
                microseconds: LatencyHistogram.microseconds(result.steps[index].duration)))
            if result.steps[index].sentRequest || result.steps[index].message != nil { requests += 1 }
        }
        for nested in result.workflows { add(stepsOf: nested) }
    }
}
#endif
