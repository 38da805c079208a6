#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import Arazzo
import ArazzoHTTP
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import OrderedCollections

/// `throughput`: completed workflows per second at several concurrencies, the engine against the
/// physical limit for its design — a bare AsyncHTTPClient loop that sends the same two requests
/// (same URLs, headers and bodies, captured from one engine run) and only checks the status.
///
///     arazzo-bench throughput ARAZZO --server URL [--concurrency 1,8,64] [--seconds S] [--repeats N]
///                             [--workflows N] [--side engine|bare] [--bare-on-loops]
///
/// `--workflows N` runs exactly N workflows per cell (split among the workers) instead of for a
/// time, and `--side` runs one side only: together they make a run whose instruction count
/// (callgrind) is a fixed amount of work, so two counts differ by exactly the work of the
/// workflows between them (docs/performance.md, "Engine CPU per step").
///
/// Both sides use one connection pool sized to the concurrency, on AsyncHTTPClient's default
/// event loop group; cells are interleaved (ours, bare, ours, bare, …) and the table shows medians.
enum ThroughputBenchmark {
    static func run(arguments: [String]) async throws {
        guard let path = arguments.first, !path.hasPrefix("--") else {
            throw BenchError.usage("throughput needs an ARAZZO document")
        }
        let server = stringOption("--server", in: arguments)
        let levels = (stringOption("--concurrency", in: arguments) ?? "1,8,64")
            .split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        let seconds = Double(stringOption("--seconds", in: arguments) ?? "2") ?? 2
        let repeats = max(1, option("--repeats", in: arguments) ?? 5)
        let workflows = option("--workflows", in: arguments).map { max(1, $0) }
        let side = stringOption("--side", in: arguments)
        guard side == nil || side == "engine" || side == "bare" else {
            throw BenchError.usage("--side is engine or bare")
        }
        // The bare loop's workers on the client's event loops, as the engine's runs are
        // (decision EL1): the ceiling for that design, shown beside the usual baseline.
        let bareOnLoops = arguments.contains("--bare-on-loops")
        let document = try await WorkflowBenchmark.load(path)
        let template = try await captureRequests(document: document, server: server)

        var ours: [Int: [Double]] = [:]
        var bare: [Int: [Double]] = [:]
        for _ in 0..<repeats {
            for level in levels {
                if side != "bare" {
                    ours[level, default: []].append(
                        try await engineRate(document: document, server: server, concurrency: level, seconds: seconds, workflows: workflows))
                }
                if side != "engine" {
                    bare[level, default: []].append(
                        try await bareRate(
                            template: template, concurrency: level, seconds: seconds, workflows: workflows, onLoops: bareOnLoops))
                }
            }
        }
        print("throughput: workflows/s, \(repeats) × \(Measure.format(seconds, 1)) s per cell, medians")
        var rows: [[String]] = []
        var machine: [String] = []
        for level in levels {
            let o = Measure.median(ours[level] ?? [])
            let b = Measure.median(bare[level] ?? [])
            rows.append([String(level), Measure.format(o, 0), Measure.format(b, 0), Measure.format(o / b * 100, 1) + "%"])
            machine.append("c\(level)_ours=\(Measure.format(o, 1)) c\(level)_bare=\(Measure.format(b, 1))")
        }
        Measure.table(["concurrency", "engine", "bare AHC", "engine/bare"], rows)
        print("result " + machine.joined(separator: " "))
    }

    /// The two requests one engine run sends (as built by the engine), to replay byte for byte.
    static func captureRequests(document: LoadedDocument, server: String?) async throws -> [HTTPRequest] {
        let executor = AsyncHTTPExecutor()
        let recorder = RecordingExecutor(inner: executor)
        let inputs = StytchFixture.inputs()
        do {
            let engine = WorkflowEngine(
                document: document, options: WorkflowBenchmark.options(executor: recorder, server: server))
            try WorkflowBenchmark.check(await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs))
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        let requests = recorder.requests
        guard requests.count == 2 else { throw BenchError.usage("expected 2 requests per run, saw \(requests.count)") }
        for (index, request) in requests.enumerated() where request.body != bareBody(index: index, inputs: inputs) {
            // The bare loop must send what the engine sends, or the comparison is not like for like.
            let sent = String(decoding: request.body ?? [], as: UTF8.self)
            let rebuilt = String(decoding: bareBody(index: index, inputs: inputs), as: UTF8.self)
            throw BenchError.usage("request \(index + 1): engine body \(sent) differs from the bare body \(rebuilt)")
        }
        return requests
    }

    static func engineRate(
        document: LoadedDocument, server: String?, concurrency: Int, seconds: Double, workflows: Int? = nil
    ) async throws -> Double {
        let executor = AsyncHTTPExecutor(configuration: .init(maxConnectionsPerHost: concurrency))
        let engine = WorkflowEngine(
            document: document, options: WorkflowBenchmark.options(executor: executor, server: server))
        let rate: Double
        do {
            // A single worker starts on the loop its runs prefer, as `arazzo-run load` starts a
            // single virtual user (decision EL1): a run then has no loop to hop onto and back from.
            rate = try await measureRate(
                concurrency: concurrency, seconds: seconds, workflows: workflows,
                executor: concurrency == 1 ? { executor.preferredTaskExecutor() } : { nil }
            ) { inputs in
                let result = try await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs)
                try WorkflowBenchmark.check(result)
            }
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        return rate
    }

    static func bareRate(
        template: [HTTPRequest], concurrency: Int, seconds: Double, workflows: Int? = nil, onLoops: Bool = false
    ) async throws -> Double {
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: nil), decompression: .disabled)
        settings.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
        let rate: Double
        do {
            rate = try await measureRate(
                concurrency: concurrency, seconds: seconds, workflows: workflows,
                executor: onLoops ? { AsyncHTTPExecutor.unplacedLoopExecutor() } : { nil }
            ) { inputs in
                for (index, original) in template.enumerated() {
                    var headers = HTTPHeaders()
                    for field in original.headers.fields
                    where !HeaderFields.namesMatch(field.name, "content-length") {
                        headers.add(name: field.name, value: field.value)
                    }
                    let body = bareBody(index: index, inputs: inputs)
                    let request = try HTTPClient.Request(
                        url: original.url, method: .POST, headers: headers, body: .bytes(body))
                    let response = try await client.execute(request: request, deadline: .now() + .seconds(30)).get()
                    guard response.status == .ok else {
                        throw BenchError.usage("bare request \(index + 1) answered \(response.status.code)")
                    }
                }
            }
        } catch {
            await AsyncHTTPExecutor.settleEventLoops()
            try? await client.shutdown()
            throw error
        }
        // As AsyncHTTPExecutor.shutdown does: AsyncHTTPClient 1.37.0 can trap on a shutdown that
        // lands before its pool has taken the last connections back.
        await AsyncHTTPExecutor.settleEventLoops()
        try await client.shutdown()
        return rate
    }

    /// The bodies the engine sends (members in the workflow's payload order), with the current code.
    static func bareBody(index: Int, inputs: JSONValue) -> [UInt8] {
        var body: JSONObject = [
            "organization_id": inputs["organization_id"] ?? .null,
            "member_id": inputs["member_id"] ?? .null,
        ]
        if index == 1 {
            body["code"] = inputs["code"] ?? .null
            body["session_duration_minutes"] = inputs["session_duration_minutes"] ?? .null
        }
        return JSONValue.object(body).jsonBytes()
    }

    /// Runs `concurrency` workers for `seconds` (or until they have run `workflows` between them),
    /// each repeating `body`; returns completions per second.
    static func measureRate(
        concurrency: Int, seconds: Double, workflows: Int? = nil, executor: () -> (any TaskExecutor)? = { nil },
        _ body: @escaping @Sendable (JSONValue) async throws -> Void
    ) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .milliseconds(Int(seconds * 1000))
        let completed = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                // With a workflow count, worker k runs its share of it (the first ones one more).
                let share = workflows.map { $0 / concurrency + (worker < $0 % concurrency ? 1 : 0) }
                group.addTask(executorPreference: executor()) {
                    var inputs = InputsCache()
                    var count = 0
                    while share.map({ count < $0 }) ?? (clock.now < deadline) {
                        try await body(inputs.current())
                        count += 1
                    }
                    return count
                }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
        return Double(completed) / WorkflowBenchmark.seconds(clock.now - started)
    }
}

/// Passes requests through and keeps a copy of each.
final class RecordingExecutor: StepExecutor, Sendable {
    private let inner: any StepExecutor
    private let recorded = Mutex<[HTTPRequest]>([])

    init(inner: any StepExecutor) { self.inner = inner }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try await inner.execute(request)
    }
}
#endif
