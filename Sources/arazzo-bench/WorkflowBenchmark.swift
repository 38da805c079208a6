#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import Foundation
import OrderedCollections

/// `workflow`: the reference workflow run in process against the loopback Stytch server, many
/// times, with the AsyncHTTPClient executor — the figure the Python library's `execute_workflow`
/// loop in `bench/peer.py` is compared with.
///
///     arazzo-bench workflow ARAZZO [--runs N] [--mode reused|fresh] [--server URL] [--contract off|warn|error]
///
/// - `reused`: one loader, one document, one engine and one executor (one connection pool) for
///   every run, after one untimed warm-up run.
/// - `fresh`: every run loads and indexes the documents, compiles a new engine and creates (and
///   shuts down) a new executor, so a new connection pool and TCP connection, like constructing a
///   new Python `ArazzoRunner` (with its new `requests.Session`) per run.
///
/// `--contract` sets the contract checks (default `warn`, the library's and CLI's default), so the
/// cost of holding each request and response to the description can be measured (docs/performance.md).
///
/// Every run must succeed and produce the session token; otherwise the command fails. Prints
/// `result per_run_us=… runs=…`.
enum WorkflowBenchmark {
    static func run(arguments: [String]) async throws {
        guard let path = arguments.first, !path.hasPrefix("--") else {
            throw BenchError.usage("workflow needs an ARAZZO document")
        }
        let runs = max(1, option("--runs", in: arguments) ?? 1_000)
        let mode = stringOption("--mode", in: arguments) ?? "reused"
        let server = stringOption("--server", in: arguments)
        guard mode == "reused" || mode == "fresh" else { throw BenchError.usage("--mode is reused or fresh") }
        guard let contract = ContractLevel(rawValue: stringOption("--contract", in: arguments) ?? "warn") else {
            throw BenchError.usage("--contract is off, warn or error")
        }
        Self.contract = contract

        var inputs = InputsCache()
        let clock = ContinuousClock()
        let elapsed: Duration
        if mode == "reused" {
            let executor = AsyncHTTPExecutor()
            let document = try await load(path)
            let engine = WorkflowEngine(document: document, options: options(executor: executor, server: server))
            try check(await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs.current()))
            let started = clock.now
            for _ in 0..<runs {
                try check(await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs.current()))
            }
            elapsed = clock.now - started
            await executor.shutdown()
        } else {
            try await freshRun(path, server: server, inputs: inputs.current())
            let started = clock.now
            for _ in 0..<runs {
                try await freshRun(path, server: server, inputs: inputs.current())
            }
            elapsed = clock.now - started
        }
        let perRun = seconds(elapsed) / Double(runs)
        print("workflow \(mode): \(runs) runs of \(StytchFixture.workflowId), \(Measure.format(perRun * 1e6)) µs per run")
        print("result per_run_us=\(Measure.format(perRun * 1e6, 2)) runs=\(runs)")
    }

    /// Everything a new runner does: load, index, compile, open a connection pool, run, close it.
    static func freshRun(_ path: String, server: String?, inputs: JSONValue) async throws {
        let document = try await load(path)
        try await AsyncHTTPExecutor.withExecutor { executor in
            let engine = WorkflowEngine(document: document, options: options(executor: executor, server: server))
            try check(await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs))
        }
    }

    static func load(_ path: String) async throws -> LoadedDocument {
        do {
            // The benchmark's own fixtures (the Stytch layout names ../openapi/…): every file is trusted.
            return try await ArazzoLoader(limits: LoadLimits(files: .anyFile)).load(path: path)
        } catch {
            throw BenchError.usage("cannot load \(path): \(error)")
        }
    }

    /// The contract checks' level for every run (`--contract`).
    nonisolated(unsafe) static var contract: ContractLevel = .warn

    /// The benchmark's credentials bound to the source description; `server` replaces its URL.
    static func options(executor: any StepExecutor, server: String?) -> RunOptions {
        var options = RunOptions(executor: executor)
        var credentials = Credentials()
        credentials.bind(
            .basic(username: StytchFixture.projectID, password: StytchFixture.secret), toSource: StytchFixture.sourceName)
        options.credentials = credentials
        if let server { options.serverOverrides = [StytchFixture.sourceName: server] }
        options.contract = ContractPolicy(mode: contract)
        return options
    }

    /// Throws unless the run succeeded and produced a session token.
    static func check(_ result: RunResult) throws {
        guard result.succeeded, case .string(let token)? = result.outputs["sessionToken"],
            token.hasPrefix(StytchFixture.sessionTokenPrefix)
        else {
            var reason = "no session token in the outputs"
            if case .failed(let failure) = result.outcome {
                reason = "step \(failure.stepId ?? "-"): \(failure.message)"
            }
            throw BenchError.usage("a run of \(result.workflowId) failed: \(reason)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.seconds
    }
}
#endif
