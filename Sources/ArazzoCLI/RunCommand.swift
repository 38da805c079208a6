#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArazzoWebSocket
import ArgumentParser
import Foundation
import ArazzoExecutor
import ArazzoModel
import ArazzoOpenAPI
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

    @Argument(help: "The Arazzo document (YAML or JSON).")
    var file: String

    @Option(name: .customLong("workflow"), help: "A workflow to run (repeatable; default: every workflow, in dependency order).")
    var workflows: [String] = []

    @Option(name: .customLong("input"), help: "An input, NAME=VALUE (repeatable).")
    var inputs: [String] = []

    @Option(name: .customLong("inputs"), help: "A JSON or YAML file with an object of inputs.")
    var inputsFile: String?

    @Option(name: .customLong("server"), help: "Base URL for an openapi source description, SOURCE=URL with an http(s) URL (repeatable).")
    var servers: [String] = []

    @Option(name: .customLong("auth"), help: "A credential, TARGET=KIND:VALUE (repeatable).")
    var auth: [String] = []

    @Option(help: "Per-request timeout in seconds.")
    var timeout: Double?

    @Option(name: .customLong("max-steps"), help: "Most step executions per workflow run (loop guard).")
    var maxSteps: Int?

    @Option(name: .customLong("max-depth"), help: "Deepest nesting of workflow steps, goto workflows and dependencies (default 16).")
    var maxDepth: Int?

    @Flag(name: .customLong("dry-run"), help: "Resolve and print each request; send nothing.")
    var dryRun = false

    @Flag(help: "Answer every operation from its OpenAPI description (examples or schemas) and every AsyncAPI receive from its message schema; no network.")
    var mock = false

    @Flag(
        name: .customLong("ws-envelope"),
        help: "Carry AsyncAPI message headers over WebSocket as {\"headers\": …, \"payload\": …} JSON frames (for peers that agree on it; docs/asyncapi.md).")
    var wsEnvelope = false

    @Flag(name: .shortAndLong, help: "Print requests and responses (secrets redacted).")
    var verbose = false

    @Option(
        name: .customLong("contract"),
        help: ArgumentHelp(
            "Hold each request and response to its OpenAPI description: off, warn (report findings) or error (a finding fails the step; docs/contracts.md). Per check: --severity contract-status=error.",
            valueName: "off|warn|error"))
    var contract: ContractModeArgument = .warn

    @Option(name: .customLong("json"), help: "Write the run result as JSON to this file.")
    var jsonFile: String?

    @Option(name: .customLong("junit"), help: "Write a JUnit XML report (one testcase per workflow) to this file.")
    var junitFile: String?

    @Option(name: .customLong("har"), help: "Write every HTTP exchange as an HTTP Archive (HAR 1.2) to this file.")
    var harFile: String?

    @Option(
        name: .customLong("allow-host"),
        help: "Send requests only to hosts matching PATTERN (repeatable): HOST, *.DOMAIN, HOST:PORT, [IPv6]:PORT, https://HOST (docs/security.md).")
    var allowHosts: [String] = []

    @OptionGroup var fileAccess: FileAccessOptions

    @OptionGroup var severity: SeverityOptions

    @Flag(help: "Accept any TLS certificate (only for test servers with self-signed certificates).")
    var insecure = false

    @Option(
        name: .customLong("secret-output"),
        help: ArgumentHelp(
            "Treat a step output as a secret, STEP.OUTPUT or WORKFLOW.STEP.OUTPUT (repeatable): once it has a value, the value is redacted everywhere.",
            valueName: "STEP.OUTPUT"))
    var secretOutputs: [String] = []

    func run() async throws { try await runInProcess() }

    func execute(_ context: CLIContext) async -> Int32 {
        // One HTTP client for fetching remote sources (also under --mock) and for the run, shut
        // down before returning. An injected executor replaces it for both.
        let http: AsyncHTTPExecutor? = context.settings.executor == nil
            ? AsyncHTTPExecutor(configuration: .init(insecureSkipTLSVerification: insecure)) : nil
        let code = await execute(context, http: http)
        await http?.shutdown()
        return code
    }

    private func execute(_ context: CLIContext, http: AsyncHTTPExecutor?) async -> Int32 {
        let out = context.stdout
        let err = context.stderr
        let style = context.stdoutStyle
        let path = context.absolutePath(file)

        if let timeout, !(timeout > 0 && timeout.isFinite) {
            err.line("error: --timeout must be a positive number of seconds")
            return CLIExitCode.usage
        }
        let severityPolicy: SeverityPolicy
        switch severity.policy() {
        case .success(let p): severityPolicy = p
        case .failure(let error):
            err.line("error: \(error.message)")
            return CLIExitCode.usage
        }
        if let maxSteps, maxSteps < 1 {
            err.line("error: --max-steps must be at least 1")
            return CLIExitCode.usage
        }
        if let maxDepth, maxDepth < 0 {
            err.line("error: --max-depth must be 0 or more")
            return CLIExitCode.usage
        }
        // --allow-host guards every request: source fetches, operations, OAuth token requests.
        let policy: HostPolicy?
        do {
            policy = allowHosts.isEmpty ? nil : try HostPolicy(allowHostOption: allowHosts)
        } catch {
            err.line("error: \(error.description)")
            return CLIExitCode.usage
        }
        func guarded(_ executor: any StepExecutor) -> any StepExecutor {
            policy.map { PolicyEnforcingExecutor(executor, policy: $0) } ?? executor
        }
        var overrides: [String: String] = [:]
        for server in servers {
            guard let eq = server.firstIndex(of: "="), eq != server.startIndex, server.index(after: eq) != server.endIndex else {
                err.line("error: --server \(server): expected SOURCE=URL")
                return CLIExitCode.usage
            }
            let url = String(server[server.index(after: eq)...])
            guard ServerOverrideCheck.isURLWithHost(url) else {
                err.line("error: --server \(server): the URL must name a scheme and a host (http:// or https://; ws://, wss:// or another protocol for an AsyncAPI source)")
                return CLIExitCode.usage
            }
            overrides[String(server[..<eq])] = url
        }

        // Load and validate.
        let loaded: LoadedDocument
        do {
            let fetcher: (any StepExecutor)? = http ?? context.settings.executor
            let limits: LoadLimits
            switch fileAccess.limits(context) {
            case .success(let l): limits = l
            case .failure(let error):
                err.line("error: \(error.message)")
                return CLIExitCode.usage
            }
            loaded = try await ArazzoLoader(fetcher: fetcher.map(guarded), limits: limits).loadForCLI(path: path)
        } catch {
            render(severityPolicy.apply(to: error.diagnostics).deduplicated, sources: error.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
            if error.diagnostics.contains(where: { $0.code == "source-unavailable" }) { return CLIExitCode.couldNotRun }
            return CLIExitCode.usage
        }
        let diagnostics = loaded.validate(policy: severityPolicy)
        let document = loaded.document
        // Errors refuse only the selected workflows they reach (its steps, the workflows it
        // calls or depends on, the components they use); the others run, so a clean workflow of a
        // half-finished document can still be tried. Errors that reach no selected workflow are
        // reported as ignored.
        var ignoredErrors = diagnostics.errors
        var refused: [String: [Diagnostic]] = [:]
        if diagnostics.hasErrors {
            let candidates = workflows.isEmpty ? document.workflows.map(\.workflowId) : workflows.filter { document.workflow($0) != nil }
            for id in candidates {
                let blocking = loaded.errors(blocking: id, in: diagnostics)
                if !blocking.isEmpty { refused[id] = blocking }
            }
            if candidates.isEmpty || candidates.allSatisfy({ refused[$0] != nil }) {
                render(diagnostics, sources: loaded.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
                // A source that could not be fetched or read is the environment's problem (exit 3),
                // not the document's.
                if refused.values.joined().contains(where: { $0.code == "source-unavailable" }) { return CLIExitCode.couldNotRun }
                return CLIExitCode.usage
            }
            if !refused.isEmpty {
                // Some selected workflows run and some are refused: every problem, once, first.
                render(diagnostics, sources: loaded.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
                ignoredErrors = []
            }
        } else {
            ignoredErrors = []
        }
        if refused.isEmpty, !diagnostics.warnings.isEmpty {
            render(Diagnostics(diagnostics.warnings), sources: loaded.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
        }
        if !ignoredErrors.isEmpty {
            let places = ignoredErrors.map { d in
                (d.location.map { "\($0.file.hasPrefix(context.baseDirectory + "/") ? String($0.file.dropFirst(context.baseDirectory.count + 1)) : $0.file):\($0.line)" } ?? "?")
                    + (d.code.map { " [\($0)]" } ?? "")
            }
            err.line(context.stderrStyle.yellow("warning: ") + "ignoring \(plural(ignoredErrors.count, "error")) outside the selected workflows: " + places.joined(separator: ", "))
        }
        // A --server for a name the run never uses would silently send traffic to the real server.
        for server in servers {
            let name = String(server.prefix { $0 != "=" })
            if let problem = ServerOverrideCheck.problem(source: name, url: String(server.drop { $0 != "=" }.dropFirst()), types: loaded.sourceDescriptionTypes) {
                err.line("error: --server \(server): \(problem)")
                return CLIExitCode.usage
            }
        }
        let secretOutputs: SecretOutputs
        do {
            secretOutputs = try SecretOutputs(resolving: self.secretOutputs, in: loaded)
        } catch {
            err.line("error: --secret-output \(error.description)")
            return CLIExitCode.usage
        }

        // Workflows.
        let selected: [Workflow]
        if workflows.isEmpty {
            selected = loaded.runOrder.compactMap { document.workflow($0) }
        } else {
            var list: [Workflow] = []
            for id in workflows {
                guard let workflow = document.workflow(id) else {
                    err.line("error: no workflow '\(id)' in \(file); workflows: \(document.workflows.map(\.workflowId).joined(separator: ", "))")
                    return CLIExitCode.usage
                }
                list.append(workflow)
            }
            selected = list
        }

        // Credentials.
        let schemeNames = loaded.openAPIDocuments.values.flatMap { Array($0.securitySchemes.keys) }
        let parser = CredentialParser(sourceNames: document.sourceDescriptions.map(\.name), schemeNames: schemeNames)
        let credentials: Credentials
        do {
            credentials = try parser.parse(flags: auth, environment: context.environment)
        } catch {
            err.line("error: \(error.message)")
            return CLIExitCode.couldNotRun
        }

        // Inputs.
        let declared = selected.flatMap { InputSchemaInspector.properties(of: $0, in: document).map(\.name) }
        let inputValues: InputCollector.Collected
        do {
            inputValues = try InputCollector(declaredNames: declared).collect(
                flags: inputs, file: inputsFile.map(context.absolutePath), environment: context.environment)
        } catch {
            err.line("error: \(error.message)")
            return CLIExitCode.usage
        }
        var missingReport: [String] = []
        for workflow in selected where refused[workflow.workflowId] == nil {
            let missing = InputSchemaInspector.required(of: workflow, in: document).filter { !inputValues.contains($0) }
            if !missing.isEmpty {
                missingReport.append("workflow '\(workflow.workflowId)' is missing required inputs: \(missing.joined(separator: ", "))")
            }
        }
        if !missingReport.isEmpty {
            for line in missingReport { err.line("error: \(line)") }
            err.line("note: supply inputs with --input NAME=VALUE, --inputs FILE or ARAZZO_INPUT_<NAME>")
            return CLIExitCode.usage
        }
        // Each workflow types the same text by its own schema (decision I1).
        var typedInputs: [String: JSONObject] = [:]
        let conversions = WarningsOnce()
        for workflow in selected {
            var converted: [String] = []
            typedInputs[workflow.workflowId] = inputValues.values(
                typing: InputTyping(workflowId: workflow.workflowId, in: loaded), converted: &converted)
            for line in converted where conversions.isFirst(line) {
                err.line(context.stderrStyle.yellow("warning: ") + "--inputs \(inputsFile ?? ""): \(line) (write it without quotes in the file)")
            }
        }

        // Engine.
        let executor: any StepExecutor
        if let injected = context.settings.executor {
            executor = guarded(injected)
        } else if let http, !mock {
            executor = guarded(http)
        } else {
            executor = OpenAPIMockExecutor(document: loaded)
        }
        var options = RunOptions(executor: executor)
        options.credentials = credentials
        options.serverOverrides = overrides
        if let maxSteps { options.limits.maxSteps = maxSteps }
        if let maxDepth { options.limits.maxDepth = maxDepth }
        if let timeout { options.limits.requestTimeout = .milliseconds(Int64((timeout * 1000).rounded())) }
        if let clock = context.settings.clock { options.clock = clock }
        options.dryRun = dryRun
        options.secretOutputs = secretOutputs
        options.contract = ContractPolicy(mode: contract.level, overrides: Self.contractOverrides(severityPolicy))
        // AsyncAPI steps: WebSocket servers for real, or the in-memory mock for every protocol.
        // Other protocols (Kafka, MQTT, AMQP) have no transport here and fail at their step.
        let messageTransport: any MessageTransport
        if mock {
            messageTransport = AsyncAPIMockTransport()
            options.messageTransports = MessageTransports(fallback: messageTransport)
        } else {
            messageTransport = WebSocketTransport(headerMode: wsEnvelope ? .envelope : .payloadOnly)
            // --allow-host bounds WebSocket servers as it bounds HTTP ones.
            var wsPolicy = policy
            wsPolicy?.schemes = ["ws", "wss"]
            options.messageTransports.register(
                wsPolicy.map { PolicyEnforcingTransport(messageTransport, policy: $0) } ?? messageTransport, for: ["ws", "wss"])
        }
        let engine = WorkflowEngine(document: loaded, options: options)
        let printer = StepPrinter(output: out, style: style, verbose: verbose || dryRun, dryRun: dryRun)
        let recorder = ExchangeRecorder()
        let clearText = WarningsOnce()

        let started = Date()
        var results: [RunResult] = []
        var runFailures: [(String, Diagnostics)] = []
        if mock { out.line(style.dim("(mock: responses come from the OpenAPI descriptions, messages from the AsyncAPI ones; nothing is sent)")) }
        // One run (A18): each workflow at most once, later ones read the values of earlier ones.
        let run = engine.startRun(diagnostics: diagnostics)
        for workflow in selected {
            if let blocking = refused[workflow.workflowId] {
                err.line(context.stderrStyle.red("error: ") + "\(workflow.workflowId) not run: "
                    + (blocking.count == 1 ? "1 error reaches it" : "\(blocking.count) errors reach it") + " (shown above)")
                runFailures.append((workflow.workflowId, Diagnostics(blocking)))
                continue
            }
            if let earlier = run.earlierRun(of: workflow.workflowId) {
                out.line(style.dim("↺ \(workflow.workflowId) already ran in this run" + (earlier.dependencyOf.map { " (a dependency of \($0))" } ?? "")))
                continue
            }
            out.line(style.bold("▶ \(workflow.workflowId)") + (workflow.summary.map { style.dim("  \($0)") } ?? ""))
            do {
                let given = InputSchemaInspector.inputs(typedInputs[workflow.workflowId] ?? [:], for: workflow, in: document)
                let result = try await run.run(workflowId: workflow.workflowId, inputs: .object(given)) { event in
                    if case .stepFinished(let trace) = event {
                        recorder.record(trace)
                        printer.step(trace)
                        // Traces are redacted, but the mask and the credential headers remain.
                        if let request = trace.request, !mock,
                           let warning = CredentialTransportCheck.warning(for: request),
                           clearText.isFirst(warning) {
                            // The library says "an https server URL"; here the option that sets one is --server.
                            err.line(context.stderrStyle.yellow("warning: ") + warning + "; --server sets the server URL")
                        }
                    }
                }
                results.append(result)
                printer.workflowSummary(result)
            } catch {
                runFailures.append((workflow.workflowId, error.diagnostics))
                render(error.diagnostics, sources: loaded.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
            }
        }
        let finished = Date()
        await messageTransport.close()

        // Reports.
        let report = RunReport(
            document: file, documentURL: loaded.url, title: document.info.title, results: results,
            invalidRuns: runFailures.map { ($0.0, $0.1.map(\.description)) },
            started: started, finished: finished, dryRun: dryRun, mock: mock)
        var writeFailed = false
        for (option, name, text) in [
            (jsonFile, "--json", { report.jsonText() }),
            (junitFile, "--junit", { report.junitText() }),
            (harFile, "--har", { report.harText(exchanges: recorder.exchanges) }),
        ] as [(String?, String, () -> String)] {
            guard let option else { continue }
            let target = context.absolutePath(option)
            do {
                try text().write(toFile: target, atomically: true, encoding: .utf8)
            } catch {
                err.line("error: \(name) \(option): cannot write: \(error.localizedDescription)")
                writeFailed = true
            }
        }

        let failed = results.filter { !$0.succeeded }.count
        let succeeded = results.count - failed
        // A dry run judges no criterion, so nothing "succeeded": its workflows are planned.
        var summary = "\(succeeded) workflow\(succeeded == 1 ? "" : "s") \(dryRun ? "planned" : "succeeded"), \(failed) failed"
        if !runFailures.isEmpty { summary += ", \(runFailures.count) not run (invalid)" }
        out.line(failed == 0 && runFailures.isEmpty ? style.green(summary) : style.red(summary))

        if !runFailures.isEmpty { return CLIExitCode.usage }
        // In a dry run a failed workflow is one whose request could not be built (docs/cli.md).
        if failed > 0 { return CLIExitCode.failure }
        return writeFailed ? CLIExitCode.couldNotRun : CLIExitCode.success
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
#endif
