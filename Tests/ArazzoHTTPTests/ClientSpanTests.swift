import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import ArazzoTestSupport
import Testing
import Tracing

/// The HTTP client span of `AsyncHTTPExecutor` (docs/observability.md, "Tracing"), with an
/// in-memory tracer scoped to each test.
@Suite("AsyncHTTPExecutor client spans", .timeLimit(.minutes(1)))
struct ClientSpanTests {
    @Test("the client span hangs under the current span, and its context is the traceparent the server receives")
    func parentAndTraceparent() async throws {
        let tracer = RecordingTracer()
        let script = ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "POST", path: "/items"), response: ScriptedResponse(status: 201, body: "{}"))
        ])
        try await withServer(ScriptedServer(script: script)) { server in
            try await withTestExecutor { executor in
                try await withTracer(tracer) {
                    try await tracer.withSpan("step") { _ in
                        // A stale traceparent (the engine's, or the document's own) is replaced.
                        let request = HTTPRequest(
                            method: "POST", url: server.baseURL + "/items?token=t0ken-value", headers: ["traceparent": "00-stale-stale-01"],
                            body: Array("{}".utf8), redactedURL: server.baseURL + "/items?token=[REDACTED]")
                        _ = try await executor.execute(request)
                    }
                }
            }
            let step = try #require(tracer.span(named: "step"))
            let client = try #require(tracer.span(named: "POST"))
            #expect(client.parentSpanID == step.spanID)
            #expect(client.kind == "client")
            #expect(client.ended)
            #expect(client.attributes["http.request.method"] == "POST")
            #expect(client.attributes["http.response.status_code"] == "201")
            #expect(client.attributes["server.address"] == "127.0.0.1")
            #expect(client.attributes["url.scheme"] == "http")
            #expect(client.attributes["url.full"] == server.baseURL + "/items?token=[REDACTED]")
            #expect(client.status == nil)
            let received = server.receivedRequests.first?.headers.filter { HeaderFields.namesMatch($0.name, "traceparent") }
            #expect(received?.map(\.value) == ["00-\(client.traceID)-\(client.spanID)-01"])
        }
    }

    @Test("without a redacted URL the span shows the URL with every query value masked")
    func sanitisedURL() async throws {
        // A request the engine did not build (an OAuth token request): only the run knows which
        // values are secret, so every query value is hidden.
        let tracer = RecordingTracer()
        let script = ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/a/b"), response: ScriptedResponse(status: 200))
        ])
        try await withServer(ScriptedServer(script: script)) { server in
            try await withTestExecutor { executor in
                _ = try await withTracer(tracer) {
                    try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/a/b?key=s3cret&flag#frag"))
                }
            }
            let client = try #require(tracer.span(named: "GET"))
            #expect(client.attributes["url.full"] == server.baseURL + "/a/b?key=REDACTED&flag")
            #expect(client.attributes["server.port"] == String(server.port ?? 0))
        }
    }

    @Test("a 5xx and a transport error are errors of the client span")
    func errors() async throws {
        let tracer = RecordingTracer()
        let script = ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/"), response: ScriptedResponse(status: 503))
        ])
        try await withServer(ScriptedServer(script: script)) { server in
            try await withTestExecutor { executor in
                _ = try await withTracer(tracer) { try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/")) }
            }
        }
        let port = try await FaultServer.closedPort()
        try await withTestExecutor { executor in
            _ = await withTracer(tracer) { await expectFailure(executor, HTTPRequest(method: "HEAD", url: "http://127.0.0.1:\(port)/")) }
        }
        let unavailable = try #require(tracer.span(named: "GET"))
        #expect(unavailable.status == "error")
        #expect(unavailable.attributes["error.type"] == "503")
        #expect(unavailable.parentSpanID == nil)
        let refused = try #require(tracer.span(named: "HEAD"))
        #expect(refused.status == "error")
        #expect(refused.attributes["error.type"] == "connectionRefused")
        #expect(refused.statusMessage?.hasPrefix("connectionRefused: connection refused") == true)
        #expect(refused.errors.count == 1)
    }
}
