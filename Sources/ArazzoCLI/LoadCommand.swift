#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArazzoJSON
package import ArazzoLoad
import ArazzoYAML
import ArgumentParser
import Foundation
import ArazzoExecutor

/// `arazzo-run load FILE --workflow W`: one workflow run over and over by virtual users; prints
/// a latency and failure summary and checks thresholds (docs/load.md).
struct LoadCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run one workflow repeatedly under load and summarise latency and failures.",
        discussion: """
            Closed model: --vus users run back to back. Open model (--rate): runs start at a fixed \
            rate, up to --vus in flight; a start due while all are busy is dropped. Give --duration \
            and/or --iterations. --inputs FILE may hold a list: run i takes item i mod count. Exit \
            codes: 0 every threshold held, 1 a threshold broke, 2 usage, 3 could not run.
            """)

    @Argument(help: "The Arazzo document (YAML or JSON).")
    var file: String

    @Option(name: .customLong("workflow"), help: "The workflow to run.")
    var workflow: String

    @Option(help: "Virtual users: runs in flight at most at once (default 1).")
    var vus: Int = 1

    @Option(help: "How long to run, e.g. 30s, 2m, 500ms; runs in flight at the end are cancelled.")
    var duration: String?

    @Option(help: "How many runs to start (with --rate: how many starts are due, dropped ones included).")
    var iterations: Int?

    @Option(help: "Closed model: start the VUs evenly over this time. Open model: raise the in-flight cap evenly over it.")
    var ramp: String?

    @Option(help: "Open model: start runs at this rate, e.g. 50/s (or 50).")
    var rate: String?

    @Option(name: .customLong("input"), help: "An input, NAME=VALUE (repeatable).")
    var inputs: [String] = []

    @Option(name: .customLong("inputs"), help: "A JSON or YAML file with an object of inputs, or a list of them (run i takes item i mod count).")
    var inputsFile: String?

    @Option(name: .customLong("threshold"), help: "A bound the load must keep: p50|p90|p99|p99.9|max<DURATION, failures<N% or failures<=N, rps>N (repeatable).")
    var thresholds: [String] = []

    @Option(name: .customLong("json"), help: "Write the summary (with encoded histograms) as JSON to this file.")
    var jsonFile: String?

    @Flag(help: "Print no progress while the load runs.")
    var quiet = false

    @OptionGroup var setup: RunSetupOptions

    @OptionGroup var fileAccess: FileAccessOptions

    @OptionGroup var severity: SeverityOptions

    func execute(_ context: CLIContext) async -> Int32 {
        // One client for every run, its pool as large as the VUs so none waits for a connection.
        let http: AsyncHTTPExecutor?
        do throws(Exit) {
            http = try setup.httpClient(context, maxConnectionsPerHost: max(vus, 1))
        } catch {
            return error.code
        }
        let code: Int32
        do throws(Exit) {
            code = try await load(context, http: http)
        } catch {
            code = error.code
        }
        await http?.shutdown()
        return code
    }

    private func load(_ context: CLIContext, http: AsyncHTTPExecutor?) async throws(Exit) -> Int32 {
        let plan = try Exit.usage(parsePlan(), context)
        let parsedThresholds = try Exit.usage(parseThresholds(), context)
        let (severityPolicy, policy, overrides) = try Exit.usage(setup.parse(severity), context)
        let fetcher = (http ?? context.settings.executor).map { executor -> any StepExecutor in
            policy.map { PolicyEnforcingExecutor(executor, policy: $0) } ?? executor
        }
        let loaded = try await fileAccess.load(file, context, fetcher: fetcher, severity: severityPolicy)
        let executor = setup.executor(for: loaded, http: http, policy: policy, context)
        var runner = WorkflowRunner(document: loaded, options: RunOptions(executor: executor), policy: severityPolicy)
        guard loaded.document.workflow(workflow) != nil else {
            context.stderr.line("error: no workflow '\(workflow)' in \(file); workflows: \(loaded.workflowIds.joined(separator: ", "))")
            throw Exit(code: CLIExitCode.usage)
        }
        if let blocking = runner.refusals(among: [workflow])[workflow] {
            render(Diagnostics(blocking), sources: runner.document.sourceTexts, to: context.stderr, style: context.stderrStyle, relativeTo: context.baseDirectory)
            throw Exit(code: CLIExitCode.usage)
        }
        let secretOutputs = try setup.checkNames([loaded], context)[0]
        try setup.useCredentials(&runner, context)
        let inputSets = try inputSets(runner, context)

        var options = runner.options
        setup.configure(&options, secretOutputs: secretOutputs, overrides: overrides, severity: severityPolicy, context: context)
        let messageTransport = setup.registerMessageTransport(in: &options, policy: policy, context: context)
        runner.options = options

        let out = context.stdout
        if setup.mock { out.line(context.stdoutStyle.dim("(mock: responses come from the OpenAPI descriptions; nothing is sent)")) }
        let reporter = LoadProgressPrinter(output: out, quiet: quiet)
        let workflowId = workflow
        let finalRunner = runner
        // Each VU starts on the thread its runs prefer, so no run hops there and back (EL1).
        let runExecutor = options.executor
        let summary = await LoadGenerator(plan: plan, taskExecutor: { runExecutor.preferredTaskExecutor() }).run(
            progressInterval: reporter.interval, progress: reporter.progress
        ) { iteration in
            try? await finalRunner.run(workflowId: workflowId, inputs: inputSets[iteration % inputSets.count])
        }
        reporter.finish()
        await messageTransport.close()

        LoadSummaryPrinter(output: out, style: context.stdoutStyle).print(summary)
        var code = CLIExitCode.success
        if !parsedThresholds.isEmpty {
            out.line()
            for threshold in parsedThresholds {
                let held = threshold.holds(for: summary)
                let shown = LoadSummaryPrinter.format(threshold.value(in: summary), for: threshold.metric)
                out.line((held ? context.stdoutStyle.green("✓ passed") : context.stdoutStyle.red("✗ broken")) + "  \(threshold)  (\(shown))")
                if !held { code = CLIExitCode.failure }
            }
        }
        guard context.writeReportFiles([(jsonFile, "--json", { summary.jsonText() })]) else { return CLIExitCode.couldNotRun }
        return code
    }

    /// `--vus`, `--duration`, `--iterations`, `--ramp`, `--rate` checked and combined.
    private func parsePlan() -> Result<LoadPlan, CLIUsageError> {
        guard vus >= 1 else { return .failure(CLIUsageError("--vus must be at least 1")) }
        if let iterations, iterations < 1 { return .failure(CLIUsageError("--iterations must be at least 1")) }
        guard duration != nil || iterations != nil else {
            return .failure(CLIUsageError("give --duration (e.g. 30s) and/or --iterations N: a load needs an end"))
        }
        var plan = LoadPlan(virtualUsers: vus, iterations: iterations)
        if let duration {
            guard let parsed = Self.duration(duration), parsed > .zero else {
                return .failure(CLIUsageError("--duration \(duration): expected a positive duration like 30s, 2m or 500ms"))
            }
            plan.duration = parsed
        }
        if let ramp {
            guard let parsed = Self.duration(ramp) else {
                return .failure(CLIUsageError("--ramp \(ramp): expected a duration like 10s"))
            }
            plan.ramp = parsed
        }
        if let rate {
            let number = rate.hasSuffix("/s") ? String(rate.dropLast(2)) : rate
            guard let value = Double(number), value > 0, value.isFinite else {
                return .failure(CLIUsageError("--rate \(rate): expected runs per second like 50/s"))
            }
            plan.rate = value
        }
        return .success(plan)
    }

    private func parseThresholds() -> Result<[LoadThreshold], CLIUsageError> {
        var parsed: [LoadThreshold] = []
        for text in thresholds {
            do throws(LoadThresholdError) {
                parsed.append(try LoadThreshold(parsing: text))
            } catch {
                return .failure(CLIUsageError("--threshold \(error.description)"))
            }
        }
        return .success(parsed)
    }

    /// `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds.
    static func duration(_ text: String) -> Duration? {
        for (suffix, scale) in [("ms", 0.001), ("us", 0.000_001), ("s", 1.0), ("m", 60.0), ("h", 3600.0), ("", 1.0)] where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        return nil
    }

    /// The inputs of each run: one set, or one per item of an `--inputs` list (decision LD3).
    /// Every set is checked for missing required inputs before the load starts.
    private func inputSets(_ runner: WorkflowRunner, _ context: CLIContext) throws(Exit) -> [JSONValue] {
        let declared = runner.inputDescriptions(of: workflow).map(\.name)
        var sets: [InputValues] = []
        let listItems = try inputsFile.flatMap { (file) throws(Exit) in try Self.listItems(context.absolutePath(file), context) }
        do throws(InputValuesError) {
            if let items = listItems {
                for item in items {
                    var given = InputValues()
                    given.add(environment: context.environment, declaredNames: declared)
                    for (name, value) in item { given.set(name, value: value) }
                    try given.add(pairs: inputs)
                    sets.append(given)
                }
            } else {
                sets = [try InputValues(environment: context.environment, declaredNames: declared, file: inputsFile.map(context.absolutePath), pairs: inputs)]
            }
        } catch {
            context.stderr.line("error: \(InputWording.message(error))")
            throw Exit(code: CLIExitCode.usage)
        }
        for (index, given) in sets.enumerated() {
            let missing = runner.missingInputs(given, for: workflow)
            if !missing.isEmpty {
                let which = sets.count > 1 ? " (--inputs item \(index))" : ""
                context.stderr.line("error: workflow '\(workflow)' is missing required inputs\(which): \(missing.joined(separator: ", "))")
                context.stderr.line("note: supply inputs with --input NAME=VALUE, --inputs FILE or ARAZZO_INPUT_<NAME>")
                throw Exit(code: CLIExitCode.usage)
            }
        }
        return sets.map { .object(runner.inputs($0, for: workflow).inputs) }
    }

    /// The objects of an inputs file that holds a list, or nil when it holds something else (the
    /// library reads it then, and words its problems).
    private static func listItems(_ path: String, _ context: CLIContext) throws(Exit) -> [JSONObject]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let node = try? YAMLParser.parse(text, file: path),
              case .array(let items) = node.jsonValue
        else { return nil }
        guard !items.isEmpty else {
            context.stderr.line("error: \(path): the inputs list is empty; give at least one object of inputs")
            throw Exit(code: CLIExitCode.usage)
        }
        var objects: [JSONObject] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                let at = node.sequence.map { ":\($0[index].location.line):\($0[index].location.column)" } ?? ""
                context.stderr.line("error: \(path)\(at): inputs list item \(index) must be an object (name: value pairs), found \(item.typeName)")
                throw Exit(code: CLIExitCode.usage)
            }
            objects.append(object)
        }
        return objects
    }
}

/// Live progress: one line rewritten in place on a terminal, a plain line every 5 s otherwise,
/// nothing under `--quiet`.
package struct LoadProgressPrinter: Sendable {
    let output: CLIOutput
    let quiet: Bool

    /// A printer on `output`; `quiet` for none.
    package init(output: CLIOutput, quiet: Bool) {
        self.output = output
        self.quiet = quiet
    }

    /// How often progress is printed.
    package var interval: Duration { output.isTerminal ? .milliseconds(500) : .seconds(5) }

    /// The callback the generator calls, or nil for none.
    package var progress: (@Sendable (LoadProgress) -> Void)? {
        guard !quiet else { return nil }
        let output = output
        return { progress in
            let text = String(
                format: "%5.1fs  %d runs  %.1f runs/s  %d failed  p50 %@  p99 %@", progress.elapsed.loadSeconds, progress.runs,
                progress.runsPerSecond, progress.failed, LoadSummaryPrinter.micros(progress.p50Microseconds),
                LoadSummaryPrinter.micros(progress.p99Microseconds))
            if output.isTerminal {
                // \u{1B}[K clears what a longer earlier line left.
                output.write("\r" + text + "\u{1B}[K")
            } else {
                output.line(text)
            }
        }
    }

    /// Ends the rewritten line so the summary starts on its own.
    package func finish() {
        if output.isTerminal, !quiet { output.write("\r\u{1B}[K") }
    }
}

/// The human summary on stdout.
struct LoadSummaryPrinter {
    let output: CLIOutput
    let style: Style

    func print(_ summary: LoadSummary) {
        let ended = "\(summary.runs) runs: \(summary.succeeded) succeeded, \(summary.failed) failed"
        output.line(summary.failed == 0 ? style.green(ended) : style.red(ended))
        for failure in summary.failures {
            output.line("  \(failure.count) × \(failure.kind)" + (failure.step.map { " at step \($0)" } ?? ""))
        }
        if summary.dropped > 0 { output.line("dropped: \(summary.dropped) (every VU busy when due)") }
        if summary.inFlightAtDeadline > 0 { output.line("in flight at the deadline: \(summary.inFlightAtDeadline) (cancelled, not counted as runs)") }
        output.line(String(
            format: "requests: %d in %.2fs (%.1f runs/s, %.1f requests/s)", summary.requests, summary.elapsedSeconds,
            summary.runsPerSecond, summary.requestsPerSecond))
        output.line()
        let header = "latency".padding(toLength: 32, withPad: " ", startingAt: 0) + ["count", "p50", "p90", "p99", "p99.9", "max"].map { pad($0) }.joined()
        output.line(style.bold(header))
        for (id, histogram) in summary.workflows.sorted(by: { $0.key < $1.key }) { row("workflow " + id, histogram) }
        for (id, histogram) in summary.steps.sorted(by: { $0.key < $1.key }) { row("  step " + id, histogram) }
    }

    private func row(_ label: String, _ histogram: LatencyHistogram) {
        let p = LatencyPercentiles(histogram)
        let cells = [String(p.count), Self.micros(p.p50), Self.micros(p.p90), Self.micros(p.p99), Self.micros(p.p99_9), Self.micros(p.max)]
        output.line(label.padding(toLength: 32, withPad: " ", startingAt: 0) + cells.map { pad($0) }.joined())
    }

    private func pad(_ text: String) -> String {
        String(repeating: " ", count: max(1, 10 - text.count)) + text
    }

    /// `850µs`, `12.3ms`, `1.25s`.
    static func micros(_ value: UInt64) -> String {
        if value < 1_000 { return "\(value)µs" }
        if value < 1_000_000 { return String(format: "%.1fms", Double(value) / 1_000) }
        return String(format: "%.2fs", Double(value) / 1_000_000)
    }

    /// A threshold measure as people read it.
    static func format(_ value: Double, for metric: LoadThreshold.Metric) -> String {
        switch metric {
        case .percentile, .max: micros(UInt64(max(0, value)))
        case .failureShare: String(format: "%.2f%%", value * 100)
        case .failureCount: String(Int(value))
        case .requestsPerSecond: String(format: "%.1f/s", value)
        }
    }
}

extension Duration {
    /// The duration in seconds, for progress lines.
    var loadSeconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
#endif
