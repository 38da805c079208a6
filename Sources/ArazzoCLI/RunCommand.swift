#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArazzoWebSocket
import ArgumentParser
import Foundation
import ArazzoExecutor
import ArazzoModel
import ArazzoOpenAPI
import Logging
import OrderedCollections

/// `arazzo-run run FILE` (also plain `arazzo-run FILE`): runs workflows and reports.
struct RunCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the workflows of an Arazzo document.",
        discussion: """
            Credentials: --auth TARGET=basic:USER:PASS | bearer:TOKEN | apikey:VALUE | \
            oauth2:ID:SECRET[:SCOPES], where TARGET is a source description or security scheme name; \
            or the environment variable ARAZZO_AUTH_<TARGET> with the same value. Inputs: --input \
            NAME=VALUE (typed as the workflow's inputs schema declares; without a type, JSON when it \
            parses, else a string), --inputs FILE (JSON or YAML object), ARAZZO_INPUT_<NAME>.
            """)

    @Argument(help: "The Arazzo documents (YAML or JSON), directories (searched recursively) or globs.")
    var files: [String]

    @Option(name: .customLong("shard"), help: ArgumentHelp("Run this share of the selected workflows (1-based K of N; docs/scale-out.md).", valueName: "K/N"))
    var shard: String?

    @Option(name: .customLong("workflow"), help: "A workflow to run, ID or FILE#ID with several documents (repeatable; default: every workflow, in dependency order).")
    var workflows: [String] = []

    @Option(name: .customLong("input"), help: "An input, NAME=VALUE (repeatable).")
    var inputs: [String] = []

    @Option(name: .customLong("inputs"), help: "A JSON or YAML file with an object of inputs.")
    var inputsFile: String?

    @OptionGroup var setup: RunSetupOptions

    @Flag(name: .customLong("dry-run"), help: "Resolve and print each request; send nothing.")
    var dryRun = false

    @Flag(name: .shortAndLong, help: "Print requests and responses (secrets redacted).")
    var verbose = false

    @Option(name: .customLong("json"), help: "Write the run result as JSON to this file.")
    var jsonFile: String?

    @Option(name: .customLong("junit"), help: "Write a JUnit XML report (one testcase per workflow) to this file.")
    var junitFile: String?

    @Option(name: .customLong("har"), help: "Write every HTTP exchange as an HTTP Archive (HAR 1.2) to this file.")
    var harFile: String?

    @Option(name: .customLong("html"), help: "Write a self-contained HTML report (summary, timelines, every exchange, workflow graphs with the run's path) to this file.")
    var htmlFile: String?

    @OptionGroup var fileAccess: FileAccessOptions

    @OptionGroup var severity: SeverityOptions

    @Option(
        name: .customLong("otlp-endpoint"),
        help: ArgumentHelp(
            "Send a trace of the run (a span per workflow, step attempt and request) to this OpenTelemetry collector over OTLP/HTTP, e.g. http://localhost:4318; OTEL_EXPORTER_OTLP_ENDPOINT does the same (docs/observability.md).",
            valueName: "URL"))
    var otlpEndpoint: String?

    func execute(_ context: CLIContext) async -> Int32 {
        await exportingTraces(context) { await executeRun(context) }
    }

    private func executeRun(_ context: CLIContext) async -> Int32 {
        // One HTTP client for fetching remote sources (also under --mock) and for the run, shut
        // down before returning. An injected executor replaces it for both.
        let http: AsyncHTTPExecutor?
        do throws(Exit) {
            http = try setup.httpClient(context)
        } catch {
            return error.code
        }
        let code = await execute(context, http: http)
        await http?.shutdown()
        return code
    }

    private func execute(_ context: CLIContext, http: AsyncHTTPExecutor?) async -> Int32 {
        do throws(Exit) {
            return try await runWorkflows(context, http: http)
        } catch {
            return error.code
        }
    }

    /// Option parsing → run setup (``WorkflowRunner``) → printing. Each problem is printed
    /// where it is found and ends the command with its exit code (``Exit``).
    private func runWorkflows(_ context: CLIContext, http: AsyncHTTPExecutor?) async throws(Exit) -> Int32 {
        let selection = try Exit.usage(DocumentSelection.expand(files, context), context)
        let shard = try shard.map { text throws(Exit) in try Exit.usage(Shard.parse(text), context) }
        let setting = try RunSetting(setup: setup, severity: severity, context: context, http: http)
        // Several documents, a directory, a glob or a shard: the multi-document run (decision SH1).
        guard selection.isSingleFile, shard == nil else {
            return await runDocuments(selection, shard: shard, setting, context)
        }
        let loaded = try await fileAccess.load(file, context, fetcher: setting.fetcher, severity: setting.severity)
        let candidates = workflows.isEmpty ? loaded.workflowIds : workflows.filter { loaded.document.workflow($0) != nil }
        let selected = workflows.isEmpty ? loaded.runOrder : workflows
        let run = try await runDocument(loaded, candidates: candidates, selected: selected, secretOutputs: nil, setting, context)
        return report(run.entries, loaded: loaded, started: run.started, finished: run.finished, exchanges: run.exchanges, context)
    }

    /// The one FILE of a single-document run.
    var file: String { files.first ?? "" }

    /// One document's run: problems reported, inputs checked, `selected` run in order. Throws
    /// when the document cannot run (the problem is printed).
    func runDocument(
        _ loaded: LoadedDocument, candidates: [String], selected: [String], secretOutputs known: SecretOutputs?,
        _ setting: RunSetting, _ context: CLIContext
    ) async throws(Exit) -> DocumentRun {
        let (severityPolicy, policy, overrides, http) = (setting.severity, setting.policy, setting.overrides, setting.http)
        let executor = setup.executor(for: loaded, http: http, policy: policy, context)
        var runner = WorkflowRunner(document: loaded, options: RunOptions(executor: executor), policy: severityPolicy)
        let refused = runner.refusals(among: candidates)
        try reportProblems(runner, candidates: candidates, refused: refused, context)
        let secretOutputs: SecretOutputs
        if let known { secretOutputs = known } else { secretOutputs = try checkNames(loaded, context) }
        try setup.useCredentials(&runner, context)
        let given: InputValues
        do throws(InputValuesError) {
            given = try InputValues(
                environment: context.environment, declaredNames: selected.flatMap { runner.inputDescriptions(of: $0).map(\.name) },
                file: inputsFile.map(context.absolutePath), pairs: inputs)
        } catch {
            context.stderr.line("error: \(InputWording.message(error))")
            throw Exit(code: CLIExitCode.usage)
        }
        try reportInputProblems(runner, given: given, selected: selected, refused: refused, context)

        var options = runner.options
        setup.configure(&options, secretOutputs: secretOutputs, overrides: overrides, severity: severityPolicy, context: context)
        options.dryRun = dryRun
        let messageTransport = setup.registerMessageTransport(in: &options, policy: policy, context: context)
        runner.options = options

        // One run (A18): each workflow at most once, later ones read the values of earlier ones.
        let recorder = ExchangeRecorder()
        let started = Date()
        if setup.mock, known == nil { context.stdout.line(Self.mockNote(context)) }
        let entries = await runner.runAll(selected, given: given, progress: progressPrinter(loaded, refused: refused, recorder: recorder, context))
        let finished = Date()
        await messageTransport.close()
        return DocumentRun(entries: entries, started: started, finished: finished, exchanges: recorder.exchanges)
    }

    /// The line `--mock` prints before the first workflow.
    static func mockNote(_ context: CLIContext) -> String {
        context.stdoutStyle.dim("(mock: responses come from the OpenAPI descriptions, messages from the AsyncAPI ones; nothing is sent)")
    }

    /// Checks the names flags give against the document: `--server` sources and `--secret-output`
    /// outputs (``RunSetupOptions/checkNames(_:_:)``) and `--workflow` ids. Returns the resolved
    /// secret outputs.
    private func checkNames(_ loaded: LoadedDocument, _ context: CLIContext) throws(Exit) -> SecretOutputs {
        let secretOutputs = try setup.checkNames([loaded], context)[0]
        if let unknown = workflows.first(where: { loaded.document.workflow($0) == nil }) {
            context.stderr.line("error: no workflow '\(unknown)' in \(file); workflows: \(loaded.workflowIds.joined(separator: ", "))")
            throw Exit(code: CLIExitCode.usage)
        }
        return secretOutputs
    }

    /// Writes the report files and prints the summary; returns the exit code.
    func report(
        _ entries: [RunEntry], loaded: LoadedDocument, started: Date, finished: Date, exchanges: [ExchangeRecorder.Exchange],
        _ context: CLIContext
    ) -> Int32 {
        var results: [RunResult] = []
        var runFailures: [(String, Diagnostics)] = []
        for entry in entries {
            switch entry {
            case .ran(let result): results.append(result)
            case .refused(let id, let failure): runFailures.append((id, failure.diagnostics))
            case .alreadyRan: break
            }
        }
        let report = RunReport(
            document: file, documentURL: loaded.url, title: loaded.document.info.title, results: results,
            invalidRuns: runFailures.map { ($0.0, $0.1.map(\.description)) },
            started: started, finished: finished, dryRun: dryRun, mock: setup.mock)
        let writeFailed = !writeReports(report, loaded: loaded, exchanges: exchanges, context)
        return summarize(results: results, notRun: runFailures.count, writeFailed: writeFailed, context)
    }

    /// Prints the document's problems. Errors refuse only the selected workflows they reach;
    /// the others run, so a clean workflow of a half-finished document can still be tried.
    /// Errors that reach no selected workflow are reported as ignored. Ends the command when
    /// nothing can run.
    private func reportProblems(
        _ runner: WorkflowRunner, candidates: [String], refused: [String: [Diagnostic]], _ context: CLIContext
    ) throws(Exit) {
        let diagnostics = runner.diagnostics
        let sources = runner.document.sourceTexts
        let err = context.stderr
        var ignoredErrors: [Diagnostic] = []
        if diagnostics.hasErrors {
            ignoredErrors = diagnostics.errors
            if candidates.isEmpty || candidates.allSatisfy({ refused[$0] != nil }) {
                render(diagnostics, sources: sources, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
                // A source that could not be fetched or read is the environment's problem (exit 3),
                // not the document's.
                let unavailable = refused.values.joined().contains { $0.code == "source-unavailable" }
                throw Exit(code: unavailable ? CLIExitCode.couldNotRun : CLIExitCode.usage)
            }
            if !refused.isEmpty {
                // Some selected workflows run and some are refused: every problem, once, first.
                render(diagnostics, sources: sources, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
                ignoredErrors = []
            }
        }
        if refused.isEmpty, !diagnostics.warnings.isEmpty {
            render(Diagnostics(diagnostics.warnings), sources: sources, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
        }
        if !ignoredErrors.isEmpty {
            let places = ignoredErrors.map { d in
                (d.location.map { "\($0.file.hasPrefix(context.baseDirectory + "/") ? String($0.file.dropFirst(context.baseDirectory.count + 1)) : $0.file):\($0.line)" } ?? "?")
                    + (d.code.map { " [\($0)]" } ?? "")
            }
            err.line(context.stderrStyle.yellow("warning: ") + "ignoring \(plural(ignoredErrors.count, "error")) outside the selected workflows: " + places.joined(separator: ", "))
        }
    }

    /// Prints missing required inputs (an error, which ends the command) and the typed file
    /// values whose type changed to fit a schema (a warning, once each).
    private func reportInputProblems(
        _ runner: WorkflowRunner, given: InputValues, selected: [String], refused: [String: [Diagnostic]], _ context: CLIContext
    ) throws(Exit) {
        let err = context.stderr
        let missing = selected.filter { refused[$0] == nil }.compactMap { id in
            let names = runner.missingInputs(given, for: id)
            return names.isEmpty ? nil : "workflow '\(id)' is missing required inputs: \(names.joined(separator: ", "))"
        }
        if !missing.isEmpty {
            for line in missing { err.line("error: \(line)") }
            err.line("note: supply inputs with --input NAME=VALUE, --inputs FILE or ARAZZO_INPUT_<NAME>")
            throw Exit(code: CLIExitCode.usage)
        }
        // Each workflow types the same text by its own schema (decision I1).
        let conversions = WarningsOnce()
        for id in selected {
            for line in runner.inputs(given, for: id).converted where conversions.isFirst(line) {
                err.line(context.stderrStyle.yellow("warning: ") + "--inputs \(inputsFile ?? ""): \(line) (write it without quotes in the file)")
            }
        }
    }

    /// Prints each entry as it starts and ends and each step as it finishes; records exchanges
    /// for `--har`.
    private func progressPrinter(
        _ loaded: LoadedDocument, refused: [String: [Diagnostic]], recorder: ExchangeRecorder, _ context: CLIContext
    ) -> @Sendable (RunProgress) -> Void {
        let out = context.stdout
        let err = context.stderr
        let style = context.stdoutStyle
        let errStyle = context.stderrStyle
        let base = context.baseDirectory
        let printer = StepPrinter(output: out, style: style, verbose: verbose || dryRun, dryRun: dryRun)
        let clearText = WarningsOnce()
        let mock = setup.mock
        return { progress in
            switch progress {
            case .starting(let id):
                out.line(style.bold("▶ \(id)") + (loaded.document.workflow(id)?.summary.map { style.dim("  \($0)") } ?? ""))
            case .event(let event):
                guard case .stepFinished(let trace) = event.kind else { break }
                recorder.record(trace)
                printer.step(trace)
                // Traces are redacted, but the mask and the credential headers remain.
                if let request = trace.request, !mock,
                   let warning = CredentialTransportCheck.warning(for: request), clearText.isFirst(warning) {
                    // The library says "an https server URL"; here the option that sets one is --server.
                    err.line(errStyle.yellow("warning: ") + warning + "; --server sets the server URL")
                }
            case .finished(.ran(let result)):
                printer.workflowSummary(result)
            case .finished(.alreadyRan(let earlier)):
                out.line(style.dim("↺ \(earlier.result.workflowId) already ran in this run" + (earlier.dependencyOf.map { " (a dependency of \($0))" } ?? "")))
            case .finished(.refused(let id, let failure)):
                if let blocking = refused[id] {
                    err.line(errStyle.red("error: ") + "\(id) not run: "
                        + (blocking.count == 1 ? "1 error reaches it" : "\(blocking.count) errors reach it") + " (shown above)")
                } else {
                    render(failure.diagnostics, sources: loaded.sourceTexts, to: err, style: errStyle, relativeTo: base)
                }
            }
        }
    }

    /// Writes `--json`, `--junit`, `--har` and `--html`; false when one could not be written.
    func writeReports(_ report: RunReport, loaded: LoadedDocument, exchanges: [ExchangeRecorder.Exchange], _ context: CLIContext) -> Bool {
        context.writeReportFiles([
            (jsonFile, "--json", { report.jsonText() }),
            (junitFile, "--junit", { report.junitText() }),
            (harFile, "--har", { report.harText(exchanges: exchanges) }),
            (htmlFile, "--html", { HTMLReport(root: .object(report.jsonObject()), graphs: Self.graphs([loaded])).text() }),
        ])
    }

    /// The workflow graph of each loaded document, by URL, for the HTML report.
    static func graphs(_ documents: [LoadedDocument]) -> [String: WorkflowGraph] {
        var graphs: [String: WorkflowGraph] = [:]
        for loaded in documents { graphs[loaded.url] = try? WorkflowGraph(loaded) }
        return graphs
    }

    /// Prints the summary line and returns the exit code.
    func summarize(results: [RunResult], notRun: Int, documentsNotRun: Int = 0, writeFailed: Bool, _ context: CLIContext) -> Int32 {
        let style = context.stdoutStyle
        let failed = results.filter { !$0.succeeded }.count
        let succeeded = results.count - failed
        // A dry run judges no criterion, so nothing "succeeded": its workflows are planned.
        var summary = "\(succeeded) workflow\(succeeded == 1 ? "" : "s") \(dryRun ? "planned" : "succeeded"), \(failed) failed"
        if notRun > 0 { summary += ", \(notRun) not run (invalid)" }
        // Several documents: one that could not run at all has no workflows to count.
        if documentsNotRun > 0 { summary += ", \(documentsNotRun) document\(documentsNotRun == 1 ? "" : "s") not run" }
        context.stdout.line(failed == 0 && notRun == 0 && documentsNotRun == 0 ? style.green(summary) : style.red(summary))
        if notRun > 0 { return CLIExitCode.usage }
        // In a dry run a failed workflow is one whose request could not be built (docs/cli.md).
        if failed > 0 { return CLIExitCode.failure }
        return writeFailed ? CLIExitCode.couldNotRun : CLIExitCode.success
    }
}

/// Ends `arazzo-run run` early with an exit code, once the problem is printed.
struct Exit: Error {
    let code: Int32

    /// The value, or `error: MESSAGE` printed and a usage exit.
    static func usage<T>(_ result: Result<T, CLIUsageError>, _ context: CLIContext) throws(Exit) -> T {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            context.stderr.line("error: \(error.message)")
            throw Exit(code: CLIExitCode.usage)
        }
    }
}

/// Renders diagnostics compiler-style. Files under `relativeTo` are shown relative to it, the
/// way the user typed them.
func render(
    _ diagnostics: Diagnostics, sources: [String: String], to output: CLIOutput, style: Style, relativeTo base: String? = nil
) {
    guard !diagnostics.all.isEmpty else { return }
    var shown = diagnostics.sorted
    var texts = sources
    if let base {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        func relative(_ file: String) -> String {
            file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
        }
        shown = shown.map { diagnostic in
            var copy = diagnostic
            if let location = diagnostic.location {
                copy.location = SourceLocation(file: relative(location.file), line: location.line, column: location.column)
            }
            return copy
        }
        texts = Dictionary(sources.map { (relative($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
    let renderer = DiagnosticRenderer(colored: style.enabled, sources: texts)
    output.write(renderer.render(shown))
    output.line()
}

/// `--contract off|warn|error`.
enum ContractModeArgument: String, ExpressibleByArgument, CaseIterable {
    case off, warn, error

    /// The engine's level.
    var level: ContractLevel {
        switch self {
        case .off: .off
        case .warn: .warn
        case .error: .error
        }
    }
}

extension RunCommand {
    /// The `--severity contract-…=LEVEL` settings, as per-check contract levels.
    static func contractOverrides(_ policy: SeverityPolicy) -> [ContractCheck: ContractLevel] {
        var overrides: [ContractCheck: ContractLevel] = [:]
        for (code, level) in policy.levels {
            guard let check = ContractCheck(rawValue: code) else { continue }
            switch level {
            case .error: overrides[check] = .error
            case .warn: overrides[check] = .warn
            case .off: overrides[check] = .off
            }
        }
        return overrides
    }
}
/// `--log-level`: swift-log's level names.
enum LogLevelArgument: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    /// swift-log's level of the same name.
    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

#endif
