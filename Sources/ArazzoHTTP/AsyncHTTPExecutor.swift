#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import ArazzoExecutor
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import NIOSSL
import Tracing

/// The default ``StepExecutor``: sends requests over AsyncHTTPClient.
///
/// - Redirects are never followed: the engine sees every 3xx and decides.
/// - Each request has a deadline (``HTTPRequest/timeout``) covering connect, send and the whole body.
/// - The response body is capped at ``HTTPRequest/maxResponseBytes`` while it streams in; a larger
///   body fails with `.bodyTooLarge` without ever holding more than the cap.
/// - Connections are pooled per host; TLS certificates are verified unless
///   ``Configuration/insecureSkipTLSVerification`` is set (or the host is one of
///   ``TLS/insecureHosts``), against the system roots and ``TLS/certificateAuthorities``.
/// - Requests go through ``Configuration/proxy`` unless its bypass list matches the host
///   (docs/networking.md): `https` in `CONNECT` tunnels, one pool per proxy beside the direct one;
///   plain `http` in absolute form (`GET http://host/path`), as curl sends it, on connections
///   kept alive per proxy.
/// - Every failure is a ``TransportError`` whose message never repeats request headers or URL
///   credentials.
///
/// The executor owns an `HTTPClient`; call ``shutdown()`` when done (or use
/// ``withExecutor(configuration:isolation:_:)``, which does it for you):
///
/// ```swift
/// let response = try await AsyncHTTPExecutor.withExecutor { executor in
///     try await executor.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:8080/pets"))
/// }
/// ```
public final class AsyncHTTPExecutor: StepExecutor {
    /// Client-wide settings; per-request limits come from ``HTTPRequest``.
    public struct Configuration: Sendable, Hashable {
        /// Accept any TLS certificate. Only for test servers with self-signed certificates.
        public var insecureSkipTLSVerification: Bool
        /// The most time a TCP (and TLS) connection may take to establish.
        public var connectTimeout: Duration
        /// The soft limit of concurrent HTTP/1.1 connections per host.
        public var maxConnectionsPerHost: Int
        /// How long an idle pooled connection is kept.
        public var idleConnectionTimeout: Duration
        /// Whether a failed connection attempt is retried (with backoff, until the deadline). Off by
        /// default: a refused connection should fail the step now, and retrying is the workflow's call.
        public var retryConnectionEstablishment: Bool
        /// The HTTP proxies requests go through; nil sends every request direct. The executor
        /// never reads the environment itself: ``ProxyConfiguration/fromEnvironment(_:)`` does.
        public var proxy: ProxyConfiguration?
        /// Trusted certificate authorities, client certificates, hosts not verified.
        public var tls: TLS
        /// Whether a workflow run that starts while nothing else is in flight executes on one of
        /// the clients' event loops (the default; decision EL1, ``preferredTaskExecutor()``). Turn
        /// it off when run events are handled with blocking work, which would hold up the other
        /// connections of that loop.
        public var runsOnEventLoops: Bool

        /// Creates a configuration.
        public init(
            insecureSkipTLSVerification: Bool = false,
            connectTimeout: Duration = .seconds(10),
            maxConnectionsPerHost: Int = 8,
            idleConnectionTimeout: Duration = .seconds(60),
            retryConnectionEstablishment: Bool = false,
            proxy: ProxyConfiguration? = nil,
            tls: TLS = TLS(),
            runsOnEventLoops: Bool = true
        ) {
            self.runsOnEventLoops = runsOnEventLoops
            self.proxy = proxy
            self.tls = tls
            self.insecureSkipTLSVerification = insecureSkipTLSVerification
            self.connectTimeout = connectTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.idleConnectionTimeout = idleConnectionTimeout
            self.retryConnectionEstablishment = retryConnectionEstablishment
        }
    }

    /// The configuration the client was made with.
    public let configuration: Configuration
    /// The TLS material, read once; a failure fails every request (``init(validating:)`` reports it up front).
    private let tlsMaterial: Result<LoadedTLS, TLSSetupError>
    /// One client per pool: direct or through one proxy, with one client identity, verifying or
    /// not. Created on first use, shut down together.
    private let pools = Mutex(Pools())
    /// Exchanges under way, for ``preferredTaskExecutor()``.
    private let requestsInFlight = Atomic<Int>(0)
    /// The runs this executor placed on its clients' loops (one per loop).
    private let places = EventLoopPlaces(HTTPClient.defaultEventLoopGroup)
    /// Plain-`http` requests through a proxy, in absolute form (decision NET1).
    let forwarder: ForwardProxyClient
    /// Requests already parsed, by method and URL, without headers or body (decision EL2).
    private let parsedRequests = Mutex(ParsedRequests())

    /// AsyncHTTPClient's request for a method and URL, parsed once: parsing the URL (Foundation's
    /// `URL`, then AsyncHTTPClient's deconstruction of it) was about 15,000 instructions a request,
    /// and a workflow sends the same few URLs run after run. A request holds its headers and body
    /// as given, so a parsed one with others set is the request parsing would have made.
    private struct ParsedRequests {
        struct Key: Hashable {
            var method: String
            var url: String
        }

        /// At most this many: URLs with path or query values differ per request, so the table is
        /// emptied when full rather than grown without bound.
        static let capacity = 256
        var byKey: [Key: HTTPClient.Request] = [:]
    }

    /// `request` for AsyncHTTPClient: parsed (or the parse that failed, thrown) as the client
    /// would parse it.
    private func clientRequest(for request: HTTPRequest, headers: HTTPHeaders) throws -> HTTPClient.Request {
        let key = ParsedRequests.Key(method: request.method, url: request.url)
        var parsed: HTTPClient.Request
        if let known = parsedRequests.withLock({ $0.byKey[key] }) {
            parsed = known
        } else {
            parsed = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method))
            parsedRequests.withLock { table in
                if table.byKey.count >= ParsedRequests.capacity { table.byKey.removeAll(keepingCapacity: true) }
                table.byKey[key] = parsed
            }
        }
        parsed.headers = headers
        parsed.body = request.body.map { .bytes($0) }
        return parsed
    }

    private struct Pools {
        var clients: [PoolKey: HTTPClient] = [:]
        var isShutDown = false
    }

    /// What tells pools apart: a client's proxy, certificate and verification are client-wide.
    struct PoolKey: Hashable {
        var proxy: ProxyServer?
        /// The source whose client certificate is presented; nil for the global one.
        var identitySource: String?
        var verify: Bool
    }

    /// Creates an executor with its own connection pools on NIO's shared event loop group (no
    /// threads of its own to leak). TLS material that cannot be read fails each request with a
    /// `.tls` error; ``init(validating:)`` throws it instead.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        tlsMaterial = Result { () throws(TLSSetupError) in try LoadedTLS(configuration.tls) }
        forwarder = ForwardProxyClient(configuration)
    }

    /// Creates an executor after reading its TLS material (CA bundles, client certificates and
    /// keys), throwing when any of it cannot be used.
    public init(validating configuration: Configuration) throws(TLSSetupError) {
        self.configuration = configuration
        tlsMaterial = .success(try LoadedTLS(configuration.tls))
        forwarder = ForwardProxyClient(configuration)
    }

    /// Whether the system trust store is among the roots server certificates are verified
    /// against (false with ``TLS/replacesSystemRoots``); nil when the TLS settings cannot be used.
    /// For tests: the system roots cannot be shown missing by a loopback peer.
    package var trustsSystemRoots: Bool? {
        guard case .success(let material) = tlsMaterial else { return nil }
        let roots = material.configuration(identity: nil, verify: true).trustRoots
        return roots == nil || roots == .default
    }

    /// The client for `key`, made on first use; nil once shut down.
    private func client(for key: PoolKey, material: LoadedTLS) -> HTTPClient? {
        pools.withLock { pools -> HTTPClient? in
            if pools.isShutDown { return nil }
            if let client = pools.clients[key] { return client }
            let client = makeClient(key, material: material)
            pools.clients[key] = client
            return client
        }
    }

    private func makeClient(_ key: PoolKey, material: LoadedTLS) -> HTTPClient {
        let identity = key.identitySource.flatMap { material.identities[$0] } ?? material.identity
        var settings = HTTPClient.Configuration(
            tlsConfiguration: material.configuration(identity: identity, verify: key.verify),
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(configuration.connectTimeout), read: nil),
            proxy: key.proxy.map { proxy in
                .server(
                    host: proxy.host, port: proxy.port,
                    authorization: proxy.username.map { .basic(username: $0, password: proxy.password ?? "") })
            },
            decompression: .disabled)
        settings.connectionPool = .init(
            idleTimeout: TimeAmount(configuration.idleConnectionTimeout),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConnectionsPerHost))
        settings.connectionPool.retryConnectionEstablishment = configuration.retryConnectionEstablishment
        // The client span is ours (HTTPClientSpan.swift). AsyncHTTPClient's own, on the delegate
        // API used here, starts on an event loop outside the step's task: it would be a root span
        // of a trace of its own, carry the raw query, and inject nothing.
        settings.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }

    /// The pool a request to `scheme://host:port` built for `operation` uses.
    func poolKey(scheme: String, host: String, port: Int, operation: OperationReference?) -> PoolKey {
        let source = operation?.sourceName.flatMap { configuration.tls.clientCertificatesBySource[$0] == nil ? nil : $0 }
        let verify = !(configuration.insecureSkipTLSVerification || configuration.tls.skipsVerification(of: host))
        return PoolKey(
            proxy: configuration.proxy?.proxy(scheme: scheme, host: host, port: port), identitySource: source,
            verify: verify)
    }

    /// Takes every client out, marking the executor shut down.
    private func takeClients() -> [HTTPClient] {
        pools.withLock { pools -> [HTTPClient] in
            pools.isShutDown = true
            defer { pools.clients = [:] }
            return Array(pools.clients.values)
        }
    }

    deinit {
        // HTTPClient insists on an explicit shutdown. If the owner forgot, start one that keeps the
        // client alive until its connections are closed rather than leaking them.
        for client in takeClients() {
            client.shutdown { _ in }
        }
    }

    /// Closes every pooled connection. Requests after this fail with `.other`.
    public func shutdown() async {
        let clients = takeClients()
        if !clients.isEmpty { await Self.settleEventLoops() }
        for client in clients {
            try? await client.shutdown()
        }
        await forwarder.shutdown()
    }

    /// Waits until every event loop of AsyncHTTPClient's default group has run the work already
    /// queued on it. Call it before `HTTPClient.shutdown()`: AsyncHTTPClient 1.37.0 hands a
    /// response to its caller before its connection pool has taken the connection back, and a
    /// shutdown that lands in between makes the pool meet the release of a connection it has
    /// already dropped, which stops the process on a precondition ("A connection that we don't
    /// know was released?"). Seen with the release `arazzo-bench workflow --mode fresh --runs 300`
    /// (a new executor per run) on a loaded machine: 4 of 6 runs trapped without this wait, 0 of
    /// 22 with it. A debug-build test of the same loop did not reproduce the trap even without
    /// the wait, so no test pins it; the benchmark loop is the reproduction.
    package static func settleEventLoops() async {
        for loop in HTTPClient.defaultEventLoopGroup.makeIterator() {
            try? await loop.submit {}.get()
        }
    }

    /// Creates an executor, runs `body` with it, and shuts it down whether `body` returns or throws.
    public static func withExecutor<Result, Failure: Error>(
        configuration: Configuration = Configuration(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AsyncHTTPExecutor) async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let executor = AsyncHTTPExecutor(configuration: configuration)
        let result: Result
        do {
            result = try await body(executor)
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        return result
    }

    /// Sends `request` and returns the whole response, or the typed reason there is none. While
    /// a tracer records, the exchange is an HTTP client span under the current one, and that
    /// span's context is what the request carries (HTTPClientSpan.swift).
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        // The default instrument first: `InstrumentationSystem.tracer` casts to `any Tracer`.
        if ActiveInstrument.isNone { return try await send(request) }
        let tracer = InstrumentationSystem.tracer
        if tracer is NoOpTracer { return try await send(request) }
        return try await send(request, in: tracer)
    }

    /// Sends `request` as it is.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        requestsInFlight.add(1, ordering: .relaxed)
        defer { requestsInFlight.subtract(1, ordering: .relaxed) }
        let started = ContinuousClock.now
        let clientRequest: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.reserveCapacity(request.headers.fields.count)
            for field in request.headers.fields where !Self.isFramingHeader(field.name) {
                headers.add(name: field.name, value: field.value)
            }
            clientRequest = try self.clientRequest(for: request, headers: headers)
        } catch {
            throw Self.classify(error, target: nil, request: request)
        }
        if Task.isCancelled {
            throw TransportError(.cancelled, "the request was cancelled before it was sent")
        }
        let material: LoadedTLS
        switch tlsMaterial {
        case .success(let loaded): material = loaded
        case .failure(let error): throw TransportError(.tls, "the TLS settings cannot be used: \(error)")
        }
        let key = poolKey(
            scheme: clientRequest.scheme, host: clientRequest.host, port: clientRequest.port, operation: request.operation)
        if let proxy = key.proxy, clientRequest.scheme == "http" {
            // Plain http through a proxy goes in absolute form, on our own client (decision NET1).
            return try await forwarder.send(request, clientRequest, proxy: proxy, started: started)
        }
        guard let client = client(for: key, material: material) else {
            throw TransportError(.other, "the executor was shut down")
        }
        let collector = ResponseCollector(
            maxBytes: max(0, request.maxResponseBytes), expectsBody: request.method != "HEAD")
        let task = client.execute(
            request: clientRequest, delegate: collector,
            deadline: .now() + TimeAmount(request.timeout))
        let collected: CollectedResponse
        do {
            collected = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            // The target's text is only for messages: written when a request fails.
            throw Self.classify(error, target: Target(clientRequest, proxy: key.proxy), request: request)
        }
        return collected.response(since: started)
    }

    /// One of the clients' event loops, for a run that starts while this executor has no request
    /// in flight and some loop is held by no other run, unless ``Configuration/runsOnEventLoops``
    /// is off: the engine runs the workflow run on it, so the run's requests are written and its
    /// responses resumed on the thread their connection lives on (decision EL1). The run holds
    /// that loop until it ends. Runs that start beside others get nil and execute on Swift's
    /// global pool, where their work does not delay the other runs' exchanges.
    public func preferredTaskExecutor() -> (any TaskExecutor)? {
        // A run placed beside other runs' exchanges delays them: only a run that starts while
        // nothing is in flight takes a loop.
        guard configuration.runsOnEventLoops, requestsInFlight.load(ordering: .relaxed) == 0 else { return nil }
        return places.place()
    }

    /// An executor on the next of the clients' event loops, held by nothing: for the benchmark's
    /// bare loop with every worker on the loops (`arazzo-bench throughput --bare-on-loops`).
    package static func unplacedLoopExecutor() -> any TaskExecutor {
        EventLoopTaskExecutor(eventLoop: HTTPClient.defaultEventLoopGroup.next())
    }

    /// Framing is the client's job: it sets `Content-Length` from the body it actually sends.
    private static func isFramingHeader(_ name: String) -> Bool {
        HeaderFields.namesMatch(name, "content-length") || HeaderFields.namesMatch(name, "transfer-encoding")
    }

    // MARK: Errors

    /// `scheme://host:port` of a request, for messages (never user info, path or query), and
    /// the proxy's `host:port` when it goes through one (never the proxy's credentials).
    struct Target {
        let text: String

        init(_ request: HTTPClient.Request, proxy: ProxyServer? = nil) {
            let via = proxy.map { " via proxy \($0.host.contains(":") ? "[\($0.host)]" : $0.host):\($0.port)" } ?? ""
            text = "\(request.scheme)://\(request.host):\(request.port)\(via)"
        }

        /// ` (TEXT)`, as messages end.
        var parenthesised: String { " (\(text))" }
    }

    /// What a 407 from a proxy says, on the absolute-form and the `CONNECT` path alike (decision NET1).
    package static let proxyCredentialsRemedy = "give the user name and password in the proxy URL, http://USER:PASSWORD@HOST:PORT"


    /// Maps whatever AsyncHTTPClient, NIO or the collector threw to a typed, credential-free error.
    static func classify(_ error: any Error, target: Target?, request: HTTPRequest) -> TransportError {
        let at = target.map { " (\($0.text))" } ?? ""
        if let error = error as? TransportError { return error }
        if error is CancellationError {
            return TransportError(.cancelled, "the request was cancelled\(at)")
        }
        if let error = error as? HTTPClientError {
            return classify(error, at: at, request: request)
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return TransportError(.dns, "the host name could not be resolved\(at)")
            }
            for failure in error.connectionErrors {
                let inner = classify(failure.error, target: target, request: request)
                if inner.kind != .other { return inner }
            }
            return TransportError(.other, "could not connect\(at)")
        }
        if let error = error as? IOError {
            return classify(errno: error.errnoCode, at: at)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return TransportError(.timeout, "connecting took longer than allowed\(at)")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return TransportError(.connectionReset, "the connection closed before the response was complete\(at)")
            default:
                return TransportError(.other, "channel error\(at)")
            }
        }
        if let error = error as? HTTPParserError {
            if error == .invalidEOFState {
                return TransportError(.connectionReset, "the connection closed in the middle of the response\(at)")
            }
            return TransportError(.invalidResponse, "the server's response is not valid HTTP (\(error))\(at)")
        }
        let typeName = String(reflecting: type(of: error))
        if typeName.hasPrefix("NIOSSL.") {
            return classifyTLS(error, typeName: typeName, at: at)
        }
        return TransportError(.other, "\(typeName)\(at)")
    }

    private static func classify(_ error: HTTPClientError, at: String, request: HTTPRequest) -> TransportError {
        switch error {
        case .deadlineExceeded:
            return TransportError(.timeout, "no complete response within \(describe(request.timeout))\(at)")
        case .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
            return TransportError(.timeout, "timed out (\(error.shortDescription))\(at)")
        case .tlsHandshakeTimeout:
            return TransportError(.tls, "the TLS handshake timed out\(at)")
        case .cancelled, .requestStreamCancelled:
            return TransportError(.cancelled, "the request was cancelled\(at)")
        case .remoteConnectionClosed:
            return TransportError(.connectionReset, "the server closed the connection before the response was complete\(at)")
        case .proxyAuthenticationRequired:
            return TransportError(.other, "the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given\(at); \(proxyCredentialsRemedy)")
        case .invalidProxyResponse:
            return TransportError(.other, "the proxy refused to open a tunnel to the server\(at)")
        case .httpProxyHandshakeTimeout:
            return TransportError(.timeout, "the proxy did not open a tunnel in time\(at)")
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
            return TransportError(.invalidURL, "the URL cannot be used (\(error.shortDescription))")
        case .alreadyShutdown:
            return TransportError(.other, "the executor was shut down")
        default:
            // `shortDescription` never carries associated values (which may quote header values).
            let summary = error.shortDescription
            if summary.hasPrefix("Unsupported scheme") {
                return TransportError(.invalidURL, "the URL's scheme is not http or https")
            }
            if summary.hasPrefix("Server offered unsupported application protocol") {
                return TransportError(.tls, "the server offered an unsupported application protocol\(at)")
            }
            return TransportError(.other, "HTTP client error: \(summary)\(at)")
        }
    }

    /// The library's remedy for an untrusted server certificate; the command line words it as its flag.
    package static let untrustedCertificateRemedy = "add the CA that signed it to AsyncHTTPExecutor.TLS.certificateAuthorities"
    /// The library's remedy for a refused client certificate; the command line words it as its flags.
    package static let clientCertificateRemedy = "set AsyncHTTPExecutor.TLS.clientCertificate"

    /// TLS failures by what the user can do about them. The TLS library's error text names a
    /// reason code (`CERTIFICATE_VERIFY_FAILED`, an alert) and never key material or headers.
    package static func classifyTLS(_ error: any Error, typeName: String, at: String) -> TransportError {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return TransportError(
                .tls,
                "the server's TLS certificate is not trusted: no trusted certificate authority signed it\(at); \(untrustedCertificateRemedy)")
        }
        if text.contains("failedToValidateHostname") || text.contains("HOSTNAME_MISMATCH") {
            return TransportError(.tls, "the server's TLS certificate is not valid for this host name\(at)")
        }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") || text.contains("BAD_CERTIFICATE")
            || text.contains("UNKNOWN_CA") || text.contains("CERTIFICATE_UNKNOWN") {
            return TransportError(
                .tls,
                "the server refused the TLS handshake: it wants a client certificate, or did not accept the one presented\(at); \(clientCertificateRemedy)")
        }
        if let reason = text.firstRange(of: "SSLV3_ALERT_").map({ text[$0.lowerBound...].prefix { $0.isLetter || $0 == "_" || $0.isNumber } })
            ?? text.firstRange(of: "TLSV1_ALERT_").map({ text[$0.lowerBound...].prefix { $0.isLetter || $0 == "_" || $0.isNumber } }) {
            return TransportError(.tls, "TLS failed: the server sent the alert \(reason)\(at)")
        }
        return TransportError(.tls, "TLS failed: \(typeName.dropFirst(7))\(at)")
    }

    private static func classify(errno code: CInt, at: String) -> TransportError {
        switch code {
        case 111, 61:  // ECONNREFUSED on Linux, Darwin
            return TransportError(.connectionRefused, "connection refused\(at)")
        case 104, 54, 32:  // ECONNRESET (Linux, Darwin), EPIPE
            return TransportError(.connectionReset, "the connection was reset\(at)")
        case 110, 60:  // ETIMEDOUT
            return TransportError(.timeout, "the connection timed out\(at)")
        case 113, 101, 65, 51:  // EHOSTUNREACH, ENETUNREACH
            return TransportError(.other, "the host is unreachable\(at)")
        default:
            return TransportError(.other, "I/O error \(code)\(at)")
        }
    }

    private static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// What the collector hands back: the head and the body bytes.
struct CollectedResponse: Sendable {
    var head: HTTPResponseHead
    var body: [UInt8]

    /// The engine's response, for both the direct and the absolute-form proxy path.
    func response(since started: ContinuousClock.Instant) -> HTTPResponse {
        var headers: [HeaderFields.Field] = []
        headers.reserveCapacity(head.headers.count)
        for (name, value) in head.headers {
            headers.append(HeaderFields.Field(name: name, value: value))
        }
        return HTTPResponse(
            status: Int(head.status.code), headers: HeaderFields(headers), body: body,
            duration: ContinuousClock.now - started)
    }
}

/// Collects a response straight into `[UInt8]` (one copy from NIO's buffers) and aborts as soon as
/// the announced or received size passes the cap.
///
/// AsyncHTTPClient calls every delegate method on the task's event loop, one at a time, so the
/// mutable state needs no lock; `@unchecked Sendable` records that reasoning.
final class ResponseCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = CollectedResponse

    private let maxBytes: Int
    private let expectsBody: Bool
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(maxBytes: Int, expectsBody: Bool) {
        self.maxBytes = maxBytes
        self.expectsBody = expectsBody
    }

    func didReceiveHead(task: HTTPClient.Task<CollectedResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        // 204, 304 and 1xx never carry a body, whatever Content-Length says (a 304 may announce
        // the size of the representation it refers to).
        let status = head.status.code
        let hasBody = expectsBody && status != 204 && status != 304 && status >= 200
        if hasBody, let announced = head.headers.first(name: "content-length").flatMap({ Int($0) }) {
            if announced > maxBytes {
                return task.eventLoop.makeFailedFuture(Self.tooLarge(maxBytes, announced: announced))
            }
            // Reserve what was announced, up to 1 MiB: a lying server must not make us allocate.
            body.reserveCapacity(min(announced, 1 << 20))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<CollectedResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard body.count + buffer.readableBytes <= maxBytes else {
            return task.eventLoop.makeFailedFuture(Self.tooLarge(maxBytes, announced: nil))
        }
        buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<CollectedResponse>) throws -> CollectedResponse {
        guard let head else {
            throw TransportError(.invalidResponse, "the response ended without a status line")
        }
        return CollectedResponse(head: head, body: body)
    }

    static func tooLarge(_ cap: Int, announced: Int?) -> TransportError {
        if let announced {
            return TransportError(.bodyTooLarge, "the response announces \(announced) bytes; the limit is \(cap)")
        }
        return TransportError(.bodyTooLarge, "the response body exceeds the limit of \(cap) bytes")
    }
}
#endif
