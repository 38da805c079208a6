import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import ArazzoTestSupport
import Foundation
import Testing
import Tracing

/// Plain `http` through a proxy in absolute form (decision NET1): the wire format against the real
/// peer tinyproxy, the connection pool against a loopback server of ours standing in for the
/// proxy (tinyproxy closes every client connection after one request, so reuse cannot be seen there).
@Suite("Absolute-form http through a proxy", .enabled(if: NetworkPeers.haveTinyproxy), .timeLimit(.minutes(1)))
struct ForwardProxyTests {
    static func through(_ proxy: TinyProxy) -> AsyncHTTPExecutor.Configuration {
        .init(proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxy.port)))
    }

    @Test("A POST with a JSON body arrives intact at the server behind tinyproxy; HEAD gets the head only")
    func postThroughTinyproxy() async throws {
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let server = FaultServer(fault: .ok)
        try await withServer(server) { server in
            let json = Array(#"{"name":"Ünïcode pet","tags":["a","b"],"n":42}"#.utf8)
            let request = HTTPRequest(
                method: "POST", url: server.baseURL + "/pets?x=1",
                headers: ["Content-Type": "application/json", "X-Trace": "t-1"], body: json)
            try await withTestExecutor(Self.through(proxy)) { executor in
                let response = try await executor.execute(request)
                #expect(response.status == 200)
                #expect(response.body == Array(#"{"ok":true}"#.utf8))
            }
            let received = try #require(server.receivedRequests.first)
            #expect(received.method == "POST")
            #expect(received.target == "/pets?x=1")
            #expect(received.body == json)
            #expect(received.headers.first { HeaderFields.namesMatch($0.name, "content-type") }?.value == "application/json")
            #expect(received.headers.first { HeaderFields.namesMatch($0.name, "x-trace") }?.value == "t-1")
            #expect(received.headers.first { HeaderFields.namesMatch($0.name, "content-length") }?.value == String(json.count))
            #expect(proxy.requests == ["POST http://127.0.0.1:\(server.port ?? 0)/pets?x=1 HTTP/1.1"], "\(proxy.log)")
        }
        let counting = CountingServer()
        try await withServer(counting) { counting in
            try await withTestExecutor(Self.through(proxy)) { executor in
                let response = try await executor.execute(HTTPRequest(method: "HEAD", url: counting.baseURL + "/head"))
                #expect(response.status == 200)
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test("A body over the cap fails as on the direct path, announced or streamed until the connection closes")
    func bodyCap() async throws {
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        for announced in [true, false] {
            let server = FaultServer(fault: .hugeBody(bytes: 200_000, announced: announced))
            try await withServer(server) { server in
                let request = HTTPRequest(method: "GET", url: server.baseURL + "/huge", maxResponseBytes: 50_000)
                let direct = try await withTestExecutor { executor in await expectFailure(executor, request) }
                let proxied = try await withTestExecutor(Self.through(proxy)) { executor in await expectFailure(executor, request) }
                #expect(direct?.kind == .bodyTooLarge)
                #expect(proxied == direct, "announced: \(announced)")
                #expect(proxied?.message == (announced
                    ? "the response announces 200000 bytes; the limit is 50000"
                    : "the response body exceeds the limit of 50000 bytes"))
            }
        }
    }

    @Test("A proxy nothing listens on: one line naming it, never its password")
    func unreachableProxy() async throws {
        let port = try await FaultServer.closedPort()
        let password = "canary-unreachable-pw-51c0"
        let configuration = AsyncHTTPExecutor.Configuration(
            proxy: ProxyConfiguration(proxy: try ProxyServer(url: "http://bob:\(password)@127.0.0.1:\(port)")))
        try await withTestExecutor(configuration) { executor in
            let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "http://example.invalid:8080/x"))
            #expect(error?.kind == .connectionRefused)
            #expect(error?.message == "the proxy cannot be reached: connection refused (http://example.invalid:8080 via proxy 127.0.0.1:\(port))")
            #expect(error.map { !"\($0)".contains(password) && !"\($0)".contains("bob") } == true)
        }
    }

    @Test("Keep-alive: requests reuse one idle connection per proxy; Connection: close is honoured; shutdown closes what is left")
    func keepAlive() async throws {
        // The counting server plays the proxy: it answers the absolute-form requests itself.
        let fakeProxy = CountingServer()
        try await withServer(fakeProxy) { fakeProxy in
            let proxyPort = try #require(fakeProxy.port)
            let configuration = AsyncHTTPExecutor.Configuration(
                proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxyPort, username: "u", password: "p")))
            let executor = AsyncHTTPExecutor(configuration: configuration)
            for path in ["/one", "/two"] {
                let response = try await executor.execute(HTTPRequest(method: "GET", url: "http://origin.test:8080\(path)"))
                #expect(response.status == 200)
            }
            #expect(fakeProxy.targets == ["http://origin.test:8080/one", "http://origin.test:8080/two"])
            #expect(fakeProxy.connectionsAccepted == 1)
            // A request that asks to close: answered, then the connection goes; the next one opens another.
            _ = try await executor.execute(HTTPRequest(method: "GET", url: "http://origin.test/three", headers: ["Connection": "close"]))
            _ = try await executor.execute(HTTPRequest(method: "GET", url: "http://origin.test/four"))
            #expect(fakeProxy.targets.suffix(2) == ["http://origin.test/three", "http://origin.test/four"])
            #expect(fakeProxy.connectionsAccepted == 2)
            await executor.shutdown()
            await waitUntil { fakeProxy.openConnections == 0 }
            #expect(fakeProxy.openConnections == 0)
            let after = await expectFailure(executor, HTTPRequest(method: "GET", url: "http://origin.test/five"))
            #expect(after?.message == "the executor was shut down")
        }
    }

    @Test("The idle pool is bounded by maxConnectionsPerHost: concurrent requests open more, only that many stay")
    func boundedPool() async throws {
        let fakeProxy = CountingServer(delay: .milliseconds(200))
        try await withServer(fakeProxy) { fakeProxy in
            let proxyPort = try #require(fakeProxy.port)
            let configuration = AsyncHTTPExecutor.Configuration(
                maxConnectionsPerHost: 1, proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxyPort)))
            try await withTestExecutor(configuration) { executor in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<3 {
                        group.addTask { try await executor.execute(HTTPRequest(method: "GET", url: "http://origin.test/\(index)")).status }
                    }
                    for try await status in group { #expect(status == 200) }
                }
                #expect(fakeProxy.connectionsAccepted == 3)
                await waitUntil { fakeProxy.openConnections == 1 }
                #expect(fakeProxy.openConnections == 1)
            }
        }
    }
}

@Suite("Absolute-form http through a proxy: what the proxy receives and what the span says", .timeLimit(.minutes(1)))
struct ForwardProxyWireTests {
    @Test("The proxy gets the absolute URL, the target's Host, Proxy-Authorization and the span's traceparent; the span names the server, the proxy as its peer")
    func wire() async throws {
        // A loopback server of ours plays the proxy and records the raw request.
        let fakeProxy = FaultServer(fault: .ok)
        try await withServer(fakeProxy) { fakeProxy in
            let proxyPort = try #require(fakeProxy.port)
            let proxy = ProxyServer(host: "127.0.0.1", port: proxyPort, username: "Aladdin", password: "open sesame")
            let tracer = RecordingTracer()
            try await withTestExecutor(.init(proxy: ProxyConfiguration(proxy: proxy))) { executor in
                try await withTracer(tracer) {
                    _ = try await executor.execute(HTTPRequest(
                        method: "DELETE", url: "http://user:pw@origin.test:8080/pets/1?x=%2F#top",
                        redactedURL: "http://origin.test:8080/pets/1?x=%2F"))
                }
                _ = try await executor.execute(HTTPRequest(method: "GET", url: "http://origin.test"))
            }
            let received = fakeProxy.receivedRequests
            try #require(received.count == 2)
            #expect(received[0].method == "DELETE")
            #expect(received[0].target == "http://origin.test:8080/pets/1?x=%2F")
            #expect(received[1].target == "http://origin.test/")
            func header(_ index: Int, _ name: String) -> [String] {
                received[index].headers.filter { HeaderFields.namesMatch($0.name, name) }.map(\.value)
            }
            #expect(header(0, "host") == ["origin.test:8080"])
            #expect(header(1, "host") == ["origin.test"])
            // RFC 7617's example credentials.
            #expect(header(0, "proxy-authorization") == ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="])
            let span = try #require(tracer.span(named: "DELETE"))
            #expect(header(0, "traceparent") == ["00-\(span.traceID)-\(span.spanID)-01"])
            #expect(span.attributes["url.full"] == "http://origin.test:8080/pets/1?x=%2F")
            #expect(span.attributes["server.address"] == "origin.test")
            #expect(span.attributes["server.port"] == "8080")
            #expect(span.attributes["network.peer.address"] == "127.0.0.1")
            #expect(span.attributes["network.peer.port"] == String(proxyPort))
            #expect(!span.attributes.values.contains { $0.contains("sesame") })
        }
    }

    @Test("The request's deadline covers the proxy path: a proxy that never answers ends as .timeout, naming target and proxy; a garbled answer is invalidResponse")
    func deadlineAndGarbage() async throws {
        let silent = FaultServer(fault: .neverRespond)
        try await withServer(silent) { silent in
            let port = try #require(silent.port)
            try await withTestExecutor(.init(proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: port)))) { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "http://origin.test/x", timeout: .milliseconds(300)))
                #expect(error?.kind == .timeout)
                #expect(error?.message == "no complete response within 300 ms (http://origin.test:80 via proxy 127.0.0.1:\(port))")
            }
        }
        let garbage = FaultServer(fault: .invalidHTTP)
        try await withServer(garbage) { garbage in
            let port = try #require(garbage.port)
            try await withTestExecutor(.init(proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: port)))) { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "http://origin.test/x", timeout: .seconds(10)))
                #expect(error?.kind == .invalidResponse, "\(String(describing: error))")
            }
        }
    }
}
