#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArazzoLoad
import Foundation
import Synchronization

/// `load`: the load generator (`arazzo-run load`'s `LoadGenerator` over `WorkflowRunner`) against
/// the bare AsyncHTTPClient loop of `throughput`, in requests per second at `--vus` (64), cells
/// interleaved, medians; then the process's peak resident memory after a load at `--rss-vus` (1,000).
///
///     arazzo-bench load ARAZZO --server URL [--vus 64] [--seconds S] [--repeats N] [--rss-vus 1000]
///                          [--workflows N --side load|bare]
///
/// The memory load runs first, so the peak it reports is the 1,000-VU load's (plus the process's
/// baseline), not a later cell's.
///
/// `--workflows N` with `--side` runs one side only, exactly N workflows (a load of N iterations,
/// or the bare loop's N workflows), once, with no memory load: a fixed amount of work whose
/// instruction count (callgrind) two runs of different N difference into a cost per workflow,
/// as `throughput --workflows` does for the engine (docs/performance.md, figure 7).
enum LoadBenchmark {
    static func run(arguments: [String]) async throws {
        guard let path = arguments.first, !path.hasPrefix("--") else {
            throw BenchError.usage("load needs an ARAZZO document")
        }
        let server = stringOption("--server", in: arguments)
        let vus = max(1, option("--vus", in: arguments) ?? 64)
        let rssVUs = max(1, option("--rss-vus", in: arguments) ?? 1000)
        let seconds = Double(stringOption("--seconds", in: arguments) ?? "2") ?? 2
        let repeats = max(1, option("--repeats", in: arguments) ?? 3)
        let workflows = option("--workflows", in: arguments).map { max(1, $0) }
        let side = stringOption("--side", in: arguments)
        guard (workflows == nil) == (side == nil), side == nil || side == "load" || side == "bare" else {
            throw BenchError.usage("--workflows and --side (load or bare) go together")
        }
        let document = try await WorkflowBenchmark.load(path)
        let template = try await ThroughputBenchmark.captureRequests(document: document, server: server)

        if let workflows, let side {
            let rate = side == "load"
                ? try await loadRate(document: document, server: server, vus: vus, seconds: seconds, iterations: workflows)
                : try await ThroughputBenchmark.bareRate(template: template, concurrency: vus, seconds: seconds, workflows: workflows)
                    * Double(template.count)
            print("result \(side)_rps=\(Measure.format(rate, 1)) workflows=\(workflows)")
            return
        }

        _ = try await loadRate(document: document, server: server, vus: rssVUs, seconds: seconds)
        let peakKB = peakResidentKilobytes()

        var ours: [Double] = []
        var bare: [Double] = []
        for _ in 0..<repeats {
            ours.append(try await loadRate(document: document, server: server, vus: vus, seconds: seconds))
            // The bare loop's rate is workflows/s; each workflow is the template's requests.
            bare.append(try await ThroughputBenchmark.bareRate(template: template, concurrency: vus, seconds: seconds) * Double(template.count))
        }
        let o = Measure.median(ours)
        let b = Measure.median(bare)
        print("load: requests/s at \(vus) VUs, \(repeats) × \(Measure.format(seconds, 1)) s per cell, medians; peak RSS after \(rssVUs) VUs")
        Measure.table(
            ["vus", "load generator", "bare AHC", "load/bare", "peak RSS at \(rssVUs) VUs"],
            [[String(vus), Measure.format(o, 0), Measure.format(b, 0), Measure.format(o / b * 100, 1) + "%", "\(peakKB / 1024) MB"]])
        print("result load_rps=\(Measure.format(o, 1)) bare_rps=\(Measure.format(b, 1)) rss_kb=\(peakKB)")
    }

    /// Requests per second of one load of `seconds` (or of `iterations` runs) at `vus`; any failed
    /// run fails the benchmark.
    static func loadRate(
        document: LoadedDocument, server: String?, vus: Int, seconds: Double, iterations: Int? = nil
    ) async throws -> Double {
        let executor = AsyncHTTPExecutor(configuration: .init(maxConnectionsPerHost: vus))
        let runner = WorkflowRunner(document: document, options: WorkflowBenchmark.options(executor: executor, server: server))
        // One TOTP computation per 30 s window for all VUs, as the bare loop's workers cache theirs.
        let inputs = Mutex(InputsCache())
        let summary = await LoadGenerator(plan: LoadPlan(
            virtualUsers: vus, duration: iterations == nil ? .milliseconds(Int64(seconds * 1000)) : nil, iterations: iterations),
            taskExecutor: { executor.preferredTaskExecutor() }).run { _ in
            try? await runner.run(workflowId: StytchFixture.workflowId, inputs: inputs.withLock { $0.current() })
        }
        await executor.shutdown()
        if let failure = summary.failures.first {
            throw BenchError.usage("load: \(summary.failed) runs failed, e.g. \(failure.kind) at step \(failure.step ?? "-")")
        }
        return summary.requestsPerSecond
    }

    /// `VmHWM` of /proc/self/status: the process's peak resident set, in KiB (0 where unreadable).
    static func peakResidentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
#endif
