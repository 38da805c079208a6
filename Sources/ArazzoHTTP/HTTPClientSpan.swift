#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import Tracing

/// The HTTP client span of one exchange, named for its method, with the OpenTelemetry HTTP
/// client semantic-convention attributes (docs/observability.md, "Tracing"). Its parent is the
/// current context (the engine's step span); its own context replaces any trace context in the
/// request's headers, so the server's spans hang under this exchange.
extension AsyncHTTPExecutor {
    func send(_ request: HTTPRequest, in tracer: any Tracer) async throws(TransportError) -> HTTPResponse {
        let span = tracer.startSpan(request.method, ofKind: .client)
        if span.isRecording {
            let parts = URLParts(request.url)
            span.attributes["http.request.method"] = request.method
            span.attributes["url.full"] = request.redactedURL ?? parts.sanitised
            span.attributes["url.scheme"] = parts.scheme
            span.attributes["server.address"] = parts.host
            span.attributes["server.port"] = parts.port
            // Through a proxy the request is still the server's; the proxy is the peer the
            // connection goes to (OpenTelemetry's network.peer.*; decision NET1).
            if let scheme = parts.scheme, let host = parts.host, let port = parts.port,
                let proxy = configuration.proxy?.proxy(scheme: scheme, host: host, port: port) {
                span.attributes["network.peer.address"] = proxy.host
                span.attributes["network.peer.port"] = proxy.port
            }
            if let body = request.body { span.attributes["http.request.body.size"] = body.count }
        }
        let traced = request.injecting(span.context, through: tracer)
        do {
            let response = try await send(traced)
            span.attributes["http.response.status_code"] = response.status
            span.attributes["http.response.body.size"] = response.body.count
            if response.status >= 400 {
                // A 4xx or 5xx is an error of the client span (semantic conventions), with the
                // status code as its type.
                span.attributes["error.type"] = String(response.status)
                span.setStatus(SpanStatus(code: .error))
            }
            span.end()
            return response
        } catch {
            span.attributes["error.type"] = error.kind.rawValue
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error, message: error.description))
            span.end()
            throw error
        }
    }
}

/// Scheme, host and port of a URL, and the URL with its user info dropped and every query value
/// masked: what a span may show when the engine gave no redacted URL (a token request), since
/// only the run knows which values are secret.
struct URLParts {
    var scheme: String?
    var host: String?
    var port: Int?
    var sanitised: String

    init(_ url: String) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            sanitised = "[REDACTED]"
            return
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        self.scheme = scheme
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var hostPart = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            port = Int(authority[authority.index(after: colon)...])
            hostPart = authority[..<colon]
        }
        host = hostPart.hasPrefix("[") && hostPart.hasSuffix("]") ? String(hostPart.dropFirst().dropLast()) : String(hostPart)
        self.port = port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
        var tail = rest[authorityEnd...]
        if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
        var text = "\(scheme)://\(authority)"
        if let q = tail.firstIndex(of: "?") {
            let pairs = tail[tail.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.firstIndex(of: "=").map { pair[..<$0] + "=REDACTED" } ?? pair
            }
            text += tail[..<q] + "?" + pairs.joined(separator: "&")
        } else {
            text += tail
        }
        sanitised = text
    }
}
#endif
