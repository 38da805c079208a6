import Arazzo
import ArazzoCLI
import ArazzoLoad
import ArazzoTestServer
import ArazzoTesting
import ArazzoTestSupport
import Foundation
import Synchronization
import Testing

/// `arazzo-run load` in process against a loopback ``CountingServer``. Assertions are on counts
/// and exact values, never on speed: the machine may be loaded.
@Suite("arazzo-run load")
struct LoadCommandTests {
    /// A temporary directory with a document whose workflow `ping` sends one GET /ping?user=…
    /// (criteria: status 200), and its OpenAPI description.
    static func document() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arazzo-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            openapi: 3.1.0
            info: {title: Counter, version: 1.0.0}
            servers: [{url: "http://127.0.0.1:1"}]
            paths:
              /ping:
                get:
                  operationId: ping
                  parameters: [{name: user, in: query, schema: {type: string}}]
                  responses: {"200": {description: ok}, "500": {description: injected}}
            """.write(to: dir.appendingPathComponent("counter.openapi.yaml"), atomically: true, encoding: .utf8)
        try """
            arazzo: 1.0.1
            info: {title: Load, version: 1.0.0}
            sourceDescriptions: [{name: counter, url: ./counter.openapi.yaml, type: openapi}]
            workflows:
              - workflowId: ping
                inputs: {type: object, properties: {user: {type: string}}}
                steps:
                  - stepId: ping
                    operationId: ping
                    parameters: [{name: user, in: query, value: $inputs.user}]
                    successCriteria: [{condition: $statusCode == 200}]
            """.write(to: dir.appendingPathComponent("load.arazzo.yaml"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static func load(_ server: CountingServer, _ dir: String, _ extra: [String]) async -> (Invocation, LoadSummary?) {
        let json = dir + "/summary-\(UUID().uuidString).json"
        let invocation = await Invocation.run(
            ["load", dir + "/load.arazzo.yaml", "--workflow", "ping", "--server", "counter=\(server.baseURL)", "--json", json, "--quiet"]
                + extra)
        let summary = FileManager.default.contents(atPath: json).flatMap { try? LoadSummary(json: $0) }
        return (invocation, summary)
    }

    @Test("every request the summary counts reached the server, exactly")
    func requestCountMatchesServer() async throws {
        let dir = try Self.document()
        let server = CountingServer()
        let (invocation, summary) = try await withServer(server) { server in
            await Self.load(server, dir, ["--vus", "8", "--iterations", "200", "--input", "user=a"])
        }
        #expect(invocation.code == 0, "\(invocation.stderr)")
        let s = try #require(summary)
        #expect(s.runs == 200)
        #expect(s.succeeded == 200)
        #expect(s.requests == 200)
        #expect(server.requestCount == 200)
        #expect(s.workflows["ping"]?.count == 200)
        #expect(s.steps["ping.ping"]?.count == 200)
        #expect(invocation.stdout.contains("200 runs: 200 succeeded, 0 failed"))
    }

    @Test("at the deadline, runs in flight are cancelled and reported, and the counts still add up")
    func deadlineInFlight() async throws {
        let dir = try Self.document()
        // Each answer waits 50 ms, so runs are in flight when the 1 s duration ends.
        let server = CountingServer(delay: .milliseconds(50))
        let (invocation, summary) = try await withServer(server) { server in
            await Self.load(server, dir, ["--vus", "4", "--duration", "1s", "--input", "user=a"])
        }
        #expect(invocation.code == 0, "\(invocation.stderr)")
        let s = try #require(summary)
        #expect(s.failed == 0)
        #expect(s.runs == s.succeeded)
        // Each ended run sent one request. A run cancelled at the deadline may or may not have sent
        // its request before the cancellation, so the server's count is the ended runs plus at most
        // one per run in flight.
        #expect(s.inFlightAtDeadline <= 4)
        #expect(server.requestCount >= s.runs)
        #expect(server.requestCount <= s.runs + s.inFlightAtDeadline)
    }

    @Test("an injected error rate shows as that share of criteria failures at the step")
    func injectedErrorRate() async throws {
        let dir = try Self.document()
        // Every 5th request fails. With a fixed iteration count (no deadline) every request belongs
        // to one ended run, so exactly 1 in 5 runs fails: the share is exact, no tolerance needed.
        let server = CountingServer(failEvery: 5)
        let (invocation, summary) = try await withServer(server) { server in
            await Self.load(server, dir, ["--vus", "6", "--iterations", "300", "--input", "user=a", "--threshold", "failures<25%"])
        }
        #expect(invocation.code == 0, "\(invocation.stderr)")
        let s = try #require(summary)
        #expect(s.runs == 300)
        #expect(s.failures == [LoadSummary.FailureCount(kind: "criteria", step: "ping", count: 60)])
        #expect(s.failureShare == 0.2)
        #expect(invocation.stdout.contains("60 × criteria at step ping"))
        #expect(invocation.stdout.contains("✓ passed  failures<25%"))
    }

    @Test("a broken threshold makes the exit code 1 and says which")
    func brokenThreshold() async throws {
        let dir = try Self.document()
        let server = CountingServer(failEvery: 2)
        let (invocation, _) = try await withServer(server) { server in
            await Self.load(server, dir, ["--iterations", "10", "--input", "user=a", "--threshold", "failures<=3", "--threshold", "p99<3600s"])
        }
        #expect(invocation.code == 1)
        #expect(invocation.stdout.contains("✗ broken  failures<=3  (5)"))
        #expect(invocation.stdout.contains("✓ passed  p99<3600s"))
    }

    @Test("a bad threshold is a usage error naming the column")
    func badThreshold() async throws {
        let dir = try Self.document()
        let invocation = await Invocation.run(["load", dir + "/load.arazzo.yaml", "--workflow", "ping", "--iterations", "1", "--threshold", "p99<25x"])
        #expect(invocation.code == 2)
        #expect(invocation.stderr == "error: --threshold 'p99<25x':7: unknown unit 'x'; use us, ms or s\n")
        let noEnd = await Invocation.run(["load", dir + "/load.arazzo.yaml", "--workflow", "ping"])
        #expect(noEnd.code == 2)
        #expect(noEnd.stderr == "error: give --duration (e.g. 30s) and/or --iterations N: a load needs an end\n")
    }

    @Test("an --inputs list: run i takes item i mod count")
    func inputsRotation() async throws {
        let dir = try Self.document()
        try "[{user: ann}, {user: bob}, {user: cy}]".write(toFile: dir + "/users.yaml", atomically: true, encoding: .utf8)
        let server = CountingServer()
        let (invocation, _) = try await withServer(server) { server in
            // One VU, so runs (and requests) happen in iteration order.
            await Self.load(server, dir, ["--iterations", "7", "--inputs", dir + "/users.yaml"])
        }
        #expect(invocation.code == 0, "\(invocation.stderr)")
        #expect(server.targets == ["ann", "bob", "cy", "ann", "bob", "cy", "ann"].map { "/ping?user=\($0)" })
    }
}

/// The summary as a library: histogram encoding and exact merge.
@Suite("LoadSummary")
struct LoadSummaryTests {
    static func result(_ micros: Int64, failed: Bool = false) -> RunResult {
        RunResult(
            workflowId: "w",
            outcome: failed ? .failed(FailureReason(stepId: "s", message: "no", kind: .criteria)) : .succeeded,
            duration: .microseconds(micros))
    }

    @Test("histograms round-trip exactly through the JSON")
    func roundTrip() throws {
        var summary = LoadSummary()
        for micros in [1, 7, 999, 1_000, 1_234_567, 3_600_000_000, 9_000_000_000] as [Int64] { summary.record(Self.result(micros)) }
        summary.elapsedSeconds = 2
        let decoded = try LoadSummary(json: Data(summary.jsonText().utf8))
        #expect(decoded == summary)
        #expect(decoded.jsonText() == summary.jsonText())
        let histogram = try #require(summary.workflows["w"])
        #expect(try LatencyHistogram(encoded: histogram.encoded) == histogram)
    }

    @Test("a run's steps, its nested workflows' included, are recorded under WORKFLOW.STEP; requests are the steps that sent one")
    func stepsAndRequests() throws {
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1/ping")
        let nested = RunResult(
            workflowId: "inner", outcome: .succeeded,
            steps: [StepTrace(stepId: "get", operation: "ping", attempt: 1, request: request, duration: .microseconds(300))])
        let run = RunResult(
            workflowId: "outer", outcome: .failed(FailureReason(stepId: "call", message: "no", kind: .criteria)),
            steps: [
                StepTrace(stepId: "first", operation: "ping", attempt: 1, request: request, duration: .microseconds(100)),
                StepTrace(stepId: "first", operation: "ping", attempt: 2, request: request, duration: .microseconds(120)),
                StepTrace(stepId: "call", operation: "inner", attempt: 1, duration: .microseconds(400)),
            ],
            workflows: [nested], duration: .microseconds(1_000))
        var summary = LoadSummary()
        summary.record(run)
        summary.recordInFlight(run)
        #expect(summary.runs == 1 && summary.succeeded == 0 && summary.inFlightAtDeadline == 1)
        #expect(summary.failures == [LoadSummary.FailureCount(kind: "criteria", step: "call", count: 1)])
        // 3 requests (two attempts of `first`, `inner.get`) for the ended run, 3 for the one in flight.
        #expect(summary.requests == 6)
        #expect(summary.workflows.mapValues(\.count) == ["outer": 1])
        #expect(summary.steps.mapValues(\.count) == ["outer.first": 2, "outer.call": 1, "inner.get": 1])
        #expect(summary.steps["outer.first"]?.maxMicroseconds == 120)
        #expect(summary.workflows["outer"]?.maxMicroseconds == 1_000)
    }

    @Test("merging two summaries equals one summary over the union of their runs")
    func exactMerge() {
        var a = LoadSummary(), b = LoadSummary(), union = LoadSummary()
        for i in 0..<500 {
            let r = Self.result(Int64(i * i % 97_003 + 13), failed: i % 7 == 0)
            if i % 3 == 0 { a.record(r) } else { b.record(r) }
            union.record(r)
        }
        a.elapsedSeconds = 1
        b.elapsedSeconds = 1
        union.elapsedSeconds = 1
        #expect(a.merged(with: b) == union)
        #expect(b.merged(with: a) == union)
        #expect(LatencyPercentiles(a.merged(with: b).workflows["w"] ?? LatencyHistogram()) == LatencyPercentiles(union.workflows["w"] ?? LatencyHistogram()))
    }

    @Test("report merge: load summaries from several files merge exactly; mixed kinds and --junit are refused")
    func reportMergeLoadSummaries() async throws {
        var a = LoadSummary(), b = LoadSummary(), union = LoadSummary()
        for i in 0..<300 {
            let r = Self.result(Int64(i * 37 % 50_021 + 5), failed: i % 10 == 0)
            if i % 2 == 0 { a.record(r) } else { b.record(r) }
            union.record(r)
        }
        (a.elapsedSeconds, b.elapsedSeconds, union.elapsedSeconds) = (3, 3, 3)
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (fileA, fileB, out) = (dir.path + "/a.json", dir.path + "/b.json", dir.path + "/merged.json")
        try a.jsonText().write(toFile: fileA, atomically: true, encoding: .utf8)
        try b.jsonText().write(toFile: fileB, atomically: true, encoding: .utf8)

        let merged = await Invocation.run(["report", "merge", fileA, fileB, "--json", out])
        #expect(merged.code == 1, "30 failed runs make the merge exit 1: \(merged.stderr)")
        #expect(merged.stdout.contains("300 runs: 270 succeeded, 30 failed"), "\(merged.stdout)")
        #expect(merged.stdout.contains("(merged 2 load summaries)"))
        let written = try LoadSummary(json: try #require(FileManager.default.contents(atPath: out)))
        #expect(written == union)

        let runResult = dir.path + "/run.json"
        try #"{"document": "x.arazzo.yaml", "workflows": []}"#.write(toFile: runResult, atomically: true, encoding: .utf8)
        let mixed = await Invocation.run(["report", "merge", fileA, runResult])
        #expect(mixed.code == 2)
        #expect(mixed.stderr.contains("run.json:1:1: error: a run result cannot be merged with load summaries"), "\(mixed.stderr)")
        let junit = await Invocation.run(["report", "merge", fileA, fileB, "--junit", dir.path + "/j.xml"])
        #expect(junit.code == 2)
        #expect(junit.stderr.contains("load summaries have no JUnit form"), "\(junit.stderr)")
    }

    @Test("a bad encoded histogram is an error saying why")
    func badEncoding() {
        #expect(throws: LatencyHistogramDecodingError.self) { try LatencyHistogram(encoded: "%%%") }
        do {
            _ = try LatencyHistogram(encoded: "QVpIAQ==")
        } catch {
            #expect(error.description == "the encoded histogram ends in the middle of a number")
        }
    }

    @Test("threshold expressions parse to typed values")
    func thresholds() throws {
        #expect(try LoadThreshold(parsing: "p99<250ms").metric == .percentile(99))
        #expect(try LoadThreshold(parsing: "p99<250ms").bound == 250_000)
        #expect(try LoadThreshold(parsing: "p99.9<=2s").bound == 2_000_000)
        #expect(try LoadThreshold(parsing: "failures<1%").metric == .failureShare)
        #expect(try LoadThreshold(parsing: "failures<=3").metric == .failureCount)
        #expect(try LoadThreshold(parsing: "rps>100").comparison == .greater)
        for (text, expected) in [
            ("p95<1s", "'p95<1s':1: unknown measure 'p95'; use p50, p90, p99, p99.9, max, failures or rps"),
            ("max=1s", "'max=1s':4: expected <, <=, > or >= after 'max'"),
            ("p50<", "'p50<':5: expected a number after '<'"),
            ("failures<3ms", "'failures<3ms':11: failures takes a count (3) or a share (1%), not 'ms'"),
        ] {
            do {
                _ = try LoadThreshold(parsing: text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.description == expected)
            }
        }
    }
}

/// The generator as a library, with a run function of our own.
@Suite("LoadGenerator")
struct LoadGeneratorTests {
    @Test("closed model: every iteration runs exactly once, spread over the VUs")
    func iterationsOnce() async {
        let seen = Seen()
        let summary = await LoadGenerator(plan: LoadPlan(virtualUsers: 5, iterations: 103)).run { iteration in
            seen.add(iteration)
            return RunResult(workflowId: "w", outcome: .succeeded, duration: .microseconds(10))
        }
        #expect(summary.runs == 103)
        #expect(seen.all.sorted() == Array(0..<103))
        #expect(summary.dropped == 0 && summary.inFlightAtDeadline == 0)
    }

    @Test("a single VU runs on the task executor the generator is given, in both models; several VUs do not (decision EL1)")
    func virtualUsersRunWhereTheyArePlaced() async {
        let marked = MarkedTaskExecutor()
        for plan in [LoadPlan(virtualUsers: 1, iterations: 12), LoadPlan(virtualUsers: 1, iterations: 12, rate: 2_000)] {
            let placed = Seen()
            let summary = await LoadGenerator(plan: plan, taskExecutor: { marked }).run { _ in
                placed.add(marked.isCurrent ? 1 : 0)
                return RunResult(workflowId: "w", outcome: .succeeded)
            }
            #expect(summary.runs >= 1)
            #expect(placed.all == Array(repeating: 1, count: summary.runs), "rate: \(plan.rate.map(String.init(describing:)) ?? "none")")
        }
        // With several VUs the executor places each run as it starts (the engine asks it), so
        // the generator does not place the VUs.
        let unplaced = Seen()
        _ = await LoadGenerator(plan: LoadPlan(virtualUsers: 2, iterations: 4), taskExecutor: { marked }).run { _ in
            unplaced.add(marked.isCurrent ? 1 : 0)
            return RunResult(workflowId: "w", outcome: .succeeded)
        }
        #expect(unplaced.all == [0, 0, 0, 0])
    }

    @Test("open model: every due start either ran or was dropped")
    func openModelAccounts() async {
        // How many are dropped depends on timing; that started + dropped = arrivals does not.
        let summary = await LoadGenerator(plan: LoadPlan(virtualUsers: 1, iterations: 20, rate: 500)).run { _ in
            try? await Task.sleep(for: .milliseconds(10))
            return RunResult(workflowId: "w", outcome: .succeeded)
        }
        #expect(summary.runs + summary.dropped == 20)
        #expect(summary.runs >= 1)
    }
}

final class Seen: Sendable {
    private let values = Mutex<[Int]>([])
    func add(_ value: Int) { values.withLock { $0.append(value) } }
    var all: [Int] { values.withLock { $0 } }
}

@Suite("load progress")
struct LoadProgressTests {
    static let sample = LoadProgress(elapsed: .seconds(2), runs: 40, failed: 1, p50Microseconds: 1_500, p99Microseconds: 980)

    @Test("on a terminal: one line rewritten in place, cleared at the end")
    func terminal() throws {
        let captured = CapturedOutput()
        let out = captured.output
        let tty = CLIOutput(isTerminal: true) { out.write($0) }
        let printer = LoadProgressPrinter(output: tty, quiet: false)
        #expect(printer.interval == .milliseconds(500))
        let progress = try #require(printer.progress)
        progress(Self.sample)
        progress(Self.sample)
        printer.finish()
        let line = "  2.0s  40 runs  20.0 runs/s  1 failed  p50 1.5ms  p99 980µs"
        #expect(captured.text == "\r\(line)\u{1B}[K\r\(line)\u{1B}[K\r\u{1B}[K")
    }

    @Test("piped: a plain line each time (every 5 s); --quiet: none")
    func piped() throws {
        let captured = CapturedOutput()
        let printer = LoadProgressPrinter(output: captured.output, quiet: false)
        #expect(printer.interval == .seconds(5))
        let progress = try #require(printer.progress)
        progress(Self.sample)
        printer.finish()
        #expect(captured.text == "  2.0s  40 runs  20.0 runs/s  1 failed  p50 1.5ms  p99 980µs\n")
        #expect(LoadProgressPrinter(output: captured.output, quiet: true).progress == nil)
    }
}
