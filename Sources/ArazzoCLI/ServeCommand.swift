#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArgumentParser
import ArazzoExecutor
import Foundation

/// `arazzo-run serve --mcp FILE…`: every workflow of the documents as an MCP tool, over stdio
/// or, with `--http HOST:PORT`, the streamable HTTP transport (docs/mcp.md).
struct ServeCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the workflows of Arazzo documents as MCP tools.",
        discussion: """
            With --mcp, speaks the Model Context Protocol on standard input and output (JSON-RPC; \
            everything for people goes to standard error), or with --http HOST:PORT the streamable \
            HTTP transport at http://HOST:PORT/mcp. Each workflow is a tool named after its \
            workflowId; a call runs it as `arazzo-run run` would, with the credentials of this \
            process (--auth, ARAZZO_AUTH_<TARGET>), never the client's. docs/mcp.md.
            """)

    @Argument(help: "The Arazzo documents whose workflows become tools.")
    var files: [String] = []

    @Flag(name: .customLong("mcp"), help: "Speak the Model Context Protocol (the one protocol served).")
    var mcp = false

    @Option(
        name: .customLong("http"),
        help: ArgumentHelp("Serve the streamable HTTP transport at http://HOST:PORT/mcp instead of stdio (port 0 picks a free one).", valueName: "HOST:PORT"))
    var http: String?

    @OptionGroup var setup: RunSetupOptions

    @OptionGroup var fileAccess: FileAccessOptions

    @OptionGroup var severity: SeverityOptions

    func execute(_ context: CLIContext) async -> Int32 {
        // `arazzo-run` does not link the MCP server (decision MCP9): the helper takes over the
        // whole command, checks included, so its messages are the ones documented here.
        if case .handOff(let arguments) = context.settings.serving {
            return ServeHandOff.execute(arguments: arguments, context: context)
        }
        let client: AsyncHTTPExecutor?
        do throws(Exit) {
            client = try setup.httpClient(context)
        } catch {
            return error.code
        }
        let code: Int32
        do throws(Exit) {
            code = try await serve(context, http: client)
        } catch {
            code = error.code
        }
        await client?.shutdown()
        return code
    }

    private func serve(_ context: CLIContext, http client: AsyncHTTPExecutor?) async throws(Exit) -> Int32 {
        let err = context.stderr
        guard mcp else {
            err.line("error: serve needs --mcp (the Model Context Protocol is the one protocol served)")
            return CLIExitCode.usage
        }
        guard !files.isEmpty else {
            err.line("error: serve --mcp needs at least one Arazzo document")
            return CLIExitCode.usage
        }
        let endpoint = try Exit.usage(Self.endpoint(http), context)
        let (severityPolicy, policy, overrides) = try Exit.usage(setup.parse(severity), context)
        let fetcher = (client ?? context.settings.executor).map { executor -> any StepExecutor in
            policy.map { PolicyEnforcingExecutor(executor, policy: $0) } ?? executor
        }
        var loaded: [LoadedDocument] = []
        for file in files {
            loaded.append(try await fileAccess.load(file, context, fetcher: fetcher, severity: severityPolicy))
        }
        let secretOutputs = try setup.checkNames(loaded, context)
        var documents: [(label: String, runner: WorkflowRunner)] = []
        var transports: [any MessageTransport] = []
        for (index, document) in loaded.enumerated() {
            var runner = WorkflowRunner(
                document: document, options: RunOptions(executor: setup.executor(for: document, http: client, policy: policy, context)),
                policy: severityPolicy)
            if !runner.diagnostics.all.isEmpty {
                render(runner.diagnostics, sources: document.sourceTexts, to: err, style: context.stderrStyle, relativeTo: context.baseDirectory)
            }
            try setup.useCredentials(&runner, context)
            var options = runner.options
            setup.configure(&options, secretOutputs: secretOutputs[index], overrides: overrides, severity: severityPolicy, context: context)
            transports.append(setup.registerMessageTransport(in: &options, policy: policy, context: context))
            runner.options = options
            documents.append((files[index], runner))
        }
        let code: Int32
        if case .inProcess(let server) = context.settings.serving {
            code = await server.serve(documents, endpoint: endpoint, mock: setup.mock, stderr: err)
        } else {
            err.line("error: this build serves no MCP: the server is in the \(ServeHandOff.executableName) executable (`arazzo-run serve` hands over to it)")
            code = CLIExitCode.couldNotRun
        }
        for transport in transports { await transport.close() }
        return code
    }

    /// `HOST:PORT` (`[IPv6]:PORT` for an IPv6 address) split, or nil without `--http`.
    static func endpoint(_ text: String?) -> Result<ServeEndpoint?, CLIUsageError> {
        guard let text else { return .success(nil) }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return .failure(CLIUsageError("--http \(text): expected HOST:PORT, e.g. 127.0.0.1:8080"))
        }
        let display = String(text[..<colon])
        var host = display
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            return .failure(CLIUsageError("--http \(text): expected HOST:PORT, e.g. 127.0.0.1:8080"))
        }
        return .success(ServeEndpoint(host: host, port: port, display: display))
    }
}
#endif
