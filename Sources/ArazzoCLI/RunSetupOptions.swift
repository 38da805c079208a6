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

/// The flags that say how workflows run and what they may reach, shared by `run` and `serve`:
/// `--server`, `--auth`, `--timeout`, `--max-steps`, `--max-depth`, `--mock`, `--ws-envelope`,
/// `--contract`, `--allow-host`, `--insecure`, `--secret-output`, `--cookies`, `--no-browser`.
struct RunSetupOptions: ParsableArguments {
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

    @Flag(help: "Answer every operation from its OpenAPI description (examples or schemas) and every AsyncAPI receive from its message schema; no network.")
    var mock = false

    @Flag(
        name: .customLong("ws-envelope"),
        help: "Carry AsyncAPI message headers over WebSocket as {\"headers\": …, \"payload\": …} JSON frames (for peers that agree on it; docs/asyncapi.md).")
    var wsEnvelope = false

    @Option(
        name: .customLong("contract"),
        help: ArgumentHelp(
            "Hold each request and response to its OpenAPI description: off, warn (report findings) or error (a finding fails the step; docs/contracts.md). Per check: --severity contract-status=error.",
            valueName: "off|warn|error"))
    var contract: ContractModeArgument = .warn

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "Log the run to stderr at this level and above: info workflow starts and ends, debug requests, criteria and actions (secrets redacted; docs/observability.md). Default: no log.",
            valueName: "trace|debug|info|notice|warning|error|critical"))
    var logLevel: LogLevelArgument?

    @Option(
        name: .customLong("allow-host"),
        help: "Send requests only to hosts matching PATTERN (repeatable): HOST, *.DOMAIN, HOST:PORT, [IPv6]:PORT, https://HOST (docs/security.md).")
    var allowHosts: [String] = []

    @Flag(help: "Accept any TLS certificate (only for test servers with self-signed certificates); --insecure=HOST (repeatable) only that host's.")
    var insecure = false

    /// `--insecure=HOST`, rewritten to this before parsing (``ArazzoRunCommand/rewritingInsecureHosts(_:)``).
    @Option(name: .customLong("insecure-host"), help: .hidden)
    var insecureHosts: [String] = []

    @Option(
        name: .customLong("proxy"),
        help: ArgumentHelp(
            "Send http and https requests and WebSocket connections through this HTTP proxy, http://[USER:PASSWORD@]HOST[:PORT] (http in absolute form, https and ws/wss through CONNECT); overrides HTTP_PROXY and HTTPS_PROXY (docs/networking.md).",
            valueName: "URL"))
    var proxy: String?

    @Option(
        name: .customLong("no-proxy"),
        help: ArgumentHelp(
            "Hosts that bypass the proxy, as NO_PROXY: comma-separated HOST, .DOMAIN, IP, IP/BITS, HOST:PORT, or * for all; overrides NO_PROXY.",
            valueName: "LIST"))
    var noProxy: String?

    @Option(name: .customLong("cacert"), help: ArgumentHelp("Also trust the certificate authorities in this PEM bundle (repeatable).", valueName: "FILE"))
    var caBundles: [String] = []

    @Flag(name: .customLong("cacert-only"), help: "Trust only the --cacert bundles, not the system roots.")
    var caBundlesOnly = false

    @Option(
        name: .customLong("cert"),
        help: ArgumentHelp(
            "Present this PEM client certificate to servers that ask for one; SOURCE=FILE for one source's operations only (repeatable). Needs --key.",
            valueName: "[SOURCE=]FILE"))
    var certificates: [String] = []

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "The PEM private key of --cert; SOURCE=FILE for that source's. An encrypted key's password is read from ARAZZO_KEY_PASSWORD (or ARAZZO_KEY_PASSWORD_<SOURCE>).",
            valueName: "[SOURCE=]FILE"))
    var keys: [String] = []

    @Option(
        name: .customLong("secret-output"),
        help: ArgumentHelp(
            "Treat a step output as a secret, STEP.OUTPUT or WORKFLOW.STEP.OUTPUT (repeatable): once it has a value, the value is redacted everywhere.",
            valueName: "STEP.OUTPUT"))
    var secretOutputs: [String] = []

    @Flag(help: "Keep cookies across the run's requests: RFC 6265 jar, one per run, in memory only; cookie values are redacted from every output (docs/networking.md).")
    var cookies = false

    @Flag(
        name: .customLong("no-browser"),
        help: "For an OAuth authorization code flow, only print the authorization URL (on stderr); do not open a browser.")
    var noBrowser = false

    /// The options that need no document: their values checked, `--server` pairs split.
    func parse(_ severity: SeverityOptions) -> Result<(SeverityPolicy, HostPolicy?, [String: String]), CLIUsageError> {
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            return .failure(CLIUsageError("--timeout must be a positive number of seconds"))
        }
        let severityPolicy: SeverityPolicy
        switch severity.policy() {
        case .success(let p): severityPolicy = p
        case .failure(let error): return .failure(CLIUsageError(error.message))
        }
        if let maxSteps, maxSteps < 1 { return .failure(CLIUsageError("--max-steps must be at least 1")) }
        if let maxDepth, maxDepth < 0 { return .failure(CLIUsageError("--max-depth must be 0 or more")) }
        // --allow-host guards every request: source fetches, operations, OAuth token requests.
        let policy: HostPolicy?
        do {
            policy = allowHosts.isEmpty ? nil : try HostPolicy(allowHostOption: allowHosts)
        } catch {
            return .failure(CLIUsageError(error.description))
        }
        var overrides: [String: String] = [:]
        for server in servers {
            guard let eq = server.firstIndex(of: "="), eq != server.startIndex, server.index(after: eq) != server.endIndex else {
                return .failure(CLIUsageError("--server \(server): expected SOURCE=URL"))
            }
            let url = String(server[server.index(after: eq)...])
            guard ServerOverrideCheck.isURLWithHost(url) else {
                return .failure(CLIUsageError("--server \(server): the URL must name a scheme and a host (http:// or https://; ws://, wss:// or another protocol for an AsyncAPI source)"))
            }
            overrides[String(server[..<eq])] = url
        }
        return .success((severityPolicy, policy, overrides))
    }

    /// The HTTP client the flags ask for (nil when the context injects an executor); the
    /// caller shuts it down. Flags that cannot be used (a proxy URL, a CA bundle, a key) end
    /// the command with a one-line message.
    func httpClient(_ context: CLIContext, maxConnectionsPerHost: Int? = nil) throws(Exit) -> AsyncHTTPExecutor? {
        guard context.settings.executor == nil else { return nil }
        var configuration: AsyncHTTPExecutor.Configuration
        switch executorConfiguration(environment: context.environment) {
        case .success(let c): configuration = c
        case .failure(let error):
            context.stderr.line("error: \(error.message)")
            throw Exit(code: CLIExitCode.usage)
        }
        if let maxConnectionsPerHost { configuration.maxConnectionsPerHost = maxConnectionsPerHost }
        do {
            return try AsyncHTTPExecutor(validating: configuration)
        } catch {
            context.stderr.line("error: \(NetworkWording.flagged(error))")
            throw Exit(code: CLIExitCode.usage)
        }
    }

    /// The executor configuration of the network flags and the environment (decisions NET2–NET7).
    func executorConfiguration(environment: [String: String]) -> Result<AsyncHTTPExecutor.Configuration, CLIUsageError> {
        var configuration = AsyncHTTPExecutor.Configuration(insecureSkipTLSVerification: insecure)
        // Proxies: --proxy replaces the environment's, --no-proxy replaces NO_PROXY (NET4).
        do {
            var proxies = try ProxyConfiguration.fromEnvironment(environment)
            if let proxy {
                do {
                    let server = try ProxyServer(url: proxy)
                    proxies = ProxyConfiguration(proxy: server, noProxy: proxies?.noProxy ?? NoProxyList(
                        environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""))
                } catch {
                    return .failure(CLIUsageError("--proxy: \(error.reason)"))
                }
            }
            if let noProxy { proxies?.noProxy = NoProxyList(noProxy) }
            configuration.proxy = proxies
        } catch {
            return .failure(CLIUsageError("the \(error.setting) environment variable: \(error.reason)"))
        }
        var tls = AsyncHTTPExecutor.TLS(
            certificateAuthorities: caBundles.map { .file($0) }, replacesSystemRoots: caBundlesOnly,
            insecureHosts: Set(insecureHosts))
        if caBundlesOnly, caBundles.isEmpty {
            return .failure(CLIUsageError("--cacert-only needs at least one --cacert FILE"))
        }
        for host in insecureHosts where host.isEmpty || host.contains("/") {
            return .failure(CLIUsageError("--insecure=\(host): expected a host name or IP address"))
        }
        switch clientCertificates(environment: environment) {
        case .success(let (global, bySource)):
            tls.clientCertificate = global
            tls.clientCertificatesBySource = bySource
        case .failure(let error):
            return .failure(error)
        }
        configuration.tls = tls
        return .success(configuration)
    }

    /// `--cert`/`--key` pairs, global and per source (decision NET5), with their passwords
    /// from the environment (decision NET7).
    func clientCertificates(
        environment: [String: String]
    ) -> Result<(AsyncHTTPExecutor.ClientCertificate?, [String: AsyncHTTPExecutor.ClientCertificate]), CLIUsageError> {
        func split(_ text: String) -> (source: String?, file: String) {
            // SOURCE=FILE when the part before the first `=` is a plain name (no path separator).
            if let eq = text.firstIndex(of: "="), eq != text.startIndex, !text[..<eq].contains("/") {
                return (String(text[..<eq]), String(text[text.index(after: eq)...]))
            }
            return (nil, text)
        }
        var certs: [String?: String] = [:]
        var keys: [String?: String] = [:]
        for (flag, values) in [("--cert", certificates), ("--key", self.keys)] {
            for value in values {
                let (source, file) = split(value)
                guard !file.isEmpty else { return .failure(CLIUsageError("\(flag) \(value): expected [SOURCE=]FILE")) }
                if flag == "--cert" {
                    if certs[source] != nil { return .failure(CLIUsageError("\(flag) is given twice for \(source.map { "source '\($0)'" } ?? "all sources")")) }
                    certs[source] = file
                } else {
                    if keys[source] != nil { return .failure(CLIUsageError("\(flag) is given twice for \(source.map { "source '\($0)'" } ?? "all sources")")) }
                    keys[source] = file
                }
            }
        }
        var global: AsyncHTTPExecutor.ClientCertificate?
        var bySource: [String: AsyncHTTPExecutor.ClientCertificate] = [:]
        for source in Set(certs.keys).union(keys.keys) {
            let label = source.map { "\($0)=" } ?? ""
            guard let cert = certs[source] else { return .failure(CLIUsageError("--key \(label)\(keys[source] ?? ""): needs --cert \(label)FILE too")) }
            guard let key = keys[source] else { return .failure(CLIUsageError("--cert \(label)\(cert): needs --key \(label)FILE too")) }
            let password = source.flatMap { environment[Self.keyPasswordVariable(source: $0)] } ?? environment[Self.keyPasswordVariable]
            let certificate = AsyncHTTPExecutor.ClientCertificate(certificate: .file(cert), privateKey: .file(key), keyPassword: password)
            if let source { bySource[source] = certificate } else { global = certificate }
        }
        return .success((global, bySource))
    }

    /// The variable an encrypted `--key`'s password is read from (decision NET7).
    static let keyPasswordVariable = "ARAZZO_KEY_PASSWORD"

    /// The variable of one source's key password: `ARAZZO_KEY_PASSWORD_` and the source name,
    /// upper-cased, every character but letters and digits made `_`.
    static func keyPasswordVariable(source: String) -> String {
        keyPasswordVariable + "_" + String(source.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The sources `--cert SOURCE=` and `--key SOURCE=` name.
    var certificateSources: [String] {
        switch clientCertificates(environment: [:]) {
        case .success(let (_, bySource)): return bySource.keys.sorted()
        case .failure: return []
        }
    }

    /// The executor workflows run on: the injected one, HTTP, or the OpenAPI mock (`--mock`),
    /// each behind `--allow-host`.
    func executor(for loaded: LoadedDocument, http: AsyncHTTPExecutor?, policy: HostPolicy?, _ context: CLIContext) -> any StepExecutor {
        func guarded(_ executor: any StepExecutor) -> any StepExecutor {
            policy.map { PolicyEnforcingExecutor(executor, policy: $0) } ?? executor
        }
        return context.settings.executor.map(guarded) ?? http.flatMap { mock ? nil : guarded($0) } ?? OpenAPIMockExecutor(document: loaded)
    }

    /// Checks `--server` sources (one the run never uses would silently send traffic to the
    /// real server) and `--secret-output` outputs against the documents: each must name
    /// something in at least one of them. Returns each document's secret outputs (those that
    /// name something in it).
    func checkNames(_ documents: [LoadedDocument], _ context: CLIContext) throws(Exit) -> [SecretOutputs] {
        let err = context.stderr
        let types = documents.reduce(into: [String: SourceDescription.SourceType]()) { types, loaded in
            types.merge(loaded.sourceDescriptionTypes) { first, _ in first }
        }
        for server in servers {
            let name = String(server.prefix { $0 != "=" })
            if let problem = ServerOverrideCheck.problem(source: name, url: String(server.drop { $0 != "=" }.dropFirst()), types: types) {
                err.line("error: --server \(server): \(problem)")
                throw Exit(code: CLIExitCode.usage)
            }
        }
        // A per-source client certificate for a source no document has would never be presented.
        for source in certificateSources where types[source] != .openapi {
            let problem = types[source] == nil
                ? "no source description is named '\(source)'"
                : "source '\(source)' is not an openapi source (client certificates apply to operation requests)"
            err.line("error: --cert \(source)=…: \(problem)")
            throw Exit(code: CLIExitCode.usage)
        }
        var named = Array(repeating: [String](), count: documents.count)
        for text in secretOutputs {
            var firstProblem: SecretOutputs.Problem?
            for (index, loaded) in documents.enumerated() {
                do {
                    _ = try SecretOutputs(resolving: [text], in: loaded)
                    named[index].append(text)
                } catch {
                    firstProblem = firstProblem ?? error
                }
            }
            if let firstProblem, !named.contains(where: { $0.contains(text) }) {
                err.line("error: --secret-output \(firstProblem.description)")
                throw Exit(code: CLIExitCode.usage)
            }
        }
        var resolved: [SecretOutputs] = []
        for (index, loaded) in documents.enumerated() {
            do {
                resolved.append(try SecretOutputs(resolving: named[index], in: loaded))
            } catch {
                err.line("error: --secret-output \(error.description)")
                throw Exit(code: CLIExitCode.usage)
            }
        }
        return resolved
    }

    /// Binds `--auth` and the `ARAZZO_AUTH_*` variables; a malformed one ends the command.
    func useCredentials(_ runner: inout WorkflowRunner, _ context: CLIContext) throws(Exit) {
        do throws(CredentialSpecError) {
            try runner.useCredentials(auth, environment: context.environment)
        } catch {
            context.stderr.line("error: \(CredentialWording.message(error))")
            throw Exit(code: CLIExitCode.couldNotRun)
        }
    }

    /// The run options the flags set.
    func configure(
        _ options: inout RunOptions, secretOutputs: SecretOutputs, overrides: [String: String], severity: SeverityPolicy,
        context: CLIContext
    ) {
        options.serverOverrides = overrides
        if let maxSteps { options.limits.maxSteps = maxSteps }
        if let maxDepth { options.limits.maxDepth = maxDepth }
        if let timeout { options.limits.requestTimeout = .milliseconds(Int64((timeout * 1000).rounded())) }
        if let clock = context.settings.clock { options.clock = clock }
        options.secretOutputs = secretOutputs
        if cookies { options.cookies = CookieJar() }
        options.oauth.userAgent = Self.userAgent(stderr: context.stderr, openBrowser: !noBrowser)
        options.contract = ContractPolicy(mode: contract.level, overrides: RunCommand.contractOverrides(severity))
        if let logLevel {
            // swift-log's stream handler on stderr, made here rather than bootstrapped globally, so
            // an in-process caller's own logging setup is left alone.
            let makeHandler = context.settings.logHandler ?? { label in StreamLogHandler.standardError(label: label) }
            var logger = Logger(label: "arazzo-run", factory: makeHandler)
            logger.logLevel = logLevel.level
            options.logger = logger
        }
    }

    /// The CLI's OAuth user agent: prints the authorization URL on stderr and, unless
    /// `--no-browser`, hands it to the desktop's opener (`xdg-open`, `open` on macOS). A failed
    /// opener is not an error: the printed URL still works.
    static func userAgent(stderr: CLIOutput, openBrowser: Bool) -> OAuthOptions.UserAgent {
        { request in
            stderr.line("oauth2: to authorize security scheme '\(request.schemeName)', open this URL in a browser (the redirect comes back to \(request.redirectURI)):")
            stderr.line("  \(request.url)")
            guard openBrowser else { return }
            #if os(macOS)
            let opener = "/usr/bin/open"
            #else
            let opener = "/usr/bin/xdg-open"
            #endif
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [request.url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                stderr.line("oauth2: could not start \(opener) (\(error.localizedDescription)); open the URL yourself")
            }
        }
    }

    /// AsyncAPI steps: WebSocket servers for real, or the in-memory mock for every protocol.
    /// Other protocols (Kafka, MQTT, AMQP) have no transport here and fail at their step. The
    /// caller closes the transport returned.
    func registerMessageTransport(in options: inout RunOptions, policy: HostPolicy?, context: CLIContext) -> any MessageTransport {
        if mock {
            let transport = AsyncAPIMockTransport()
            options.messageTransports = MessageTransports(fallback: transport)
            return transport
        }
        // WebSocket connections take the proxy and TLS flags as HTTP requests do (decision NET9).
        // The flags were checked when the HTTP client was made; an injected executor skips that.
        let network = (try? executorConfiguration(environment: context.environment).get())
            .map(WebSocketTransport.NetworkSettings.init) ?? WebSocketTransport.NetworkSettings()
        let transport = WebSocketTransport(headerMode: wsEnvelope ? .envelope : .payloadOnly, network: network)
        // --allow-host bounds WebSocket servers as it bounds HTTP ones.
        var wsPolicy = policy
        wsPolicy?.schemes = ["ws", "wss"]
        options.messageTransports.register(wsPolicy.map { PolicyEnforcingTransport(transport, policy: $0) } ?? transport, for: ["ws", "wss"])
        return transport
    }
}

extension FileAccessOptions {
    /// Loads the document at `file` (with these flags' hints on its problems); a document that
    /// cannot be read or parsed ends the command.
    func load(
        _ file: String, _ context: CLIContext, fetcher: (any StepExecutor)?, severity: SeverityPolicy
    ) async throws(Exit) -> LoadedDocument {
        let limits = try Exit.usage(limits(context), context)
        do {
            return try await ArazzoLoader(fetcher: fetcher, limits: limits).loadForCLI(path: context.absolutePath(file))
        } catch {
            render(severity.apply(to: error.diagnostics).deduplicated, sources: error.sourceTexts, to: context.stderr, style: context.stderrStyle, relativeTo: context.baseDirectory)
            // A source that could not be fetched or read is the environment's problem (exit 3).
            let unavailable = error.diagnostics.contains { $0.code == "source-unavailable" }
            throw Exit(code: unavailable ? CLIExitCode.couldNotRun : CLIExitCode.usage)
        }
    }
}
#endif
