import ArazzoExecutor
import ArazzoHTTP
import ArazzoJSON
import ArazzoTestServer
import Foundation
import Testing

/// Wall time is never asserted from above here: the tests share two cores with the other suites,
/// and a continuation can wait seconds for the cooperative pool. Each fault test instead proves by
/// its error kind which way the request ended (a hang would end in `.timeout`, a missed timeout in
/// success, a retried connection at a deadline minutes away), and the suite's time limit catches
/// anything that never ends.
@Suite("AsyncHTTPExecutor against loopback servers", .timeLimit(.minutes(1)))
struct ExecutorTests {
    @Test("200 JSON round trip keeps request and response headers and body")
    func jsonRoundTrip() async throws {
        let script = ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(
                    method: "POST", path: "/v1/items", query: [HTTPHeaderField(name: "q", value: "a b")],
                    headers: [
                        HTTPHeaderField(name: "content-type", value: "application/json"),
                        HTTPHeaderField(name: "X-Trace", value: "t-1"),
                    ],
                    json: ["name": "widget", "count": 2]),
                response: ScriptedResponse(
                    status: 201,
                    headers: [
                        HTTPHeaderField(name: "X-Zeta", value: "1"), HTTPHeaderField(name: "X-Alpha", value: "2"),
                        HTTPHeaderField(name: "X-Zeta", value: "3"),
                    ],
                    json: ["id": 7, "name": "widget"]))
        ])
        let server = ScriptedServer(script: script)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let request = HTTPRequest(
                    method: "POST", url: server.baseURL + "/v1/items?q=a%20b",
                    headers: ["Content-Type": "application/json", "X-Trace": "t-1"],
                    body: Array(#"{"count":2,"name":"widget"}"#.utf8), timeout: .seconds(5))
                let response = try await executor.execute(request)
                #expect(response.status == 201)
                let names = response.headers.fields.map(\.name).filter { $0.hasPrefix("X-") }
                #expect(names == ["X-Zeta", "X-Alpha", "X-Zeta"])
                #expect(response.headers.values(for: "x-zeta") == ["1", "3"])
                #expect(response.headers["content-type"] == "application/json")
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
                #expect(body == ["id": 7, "name": "widget"])
                #expect(response.duration > .zero)
            }
        }
        #expect(server.problems == [])
        #expect(server.receivedRequests.first?.header("content-length") == "27")
    }

    @Test("Pooled connection serves sequential requests")
    func keepAlive() async throws {
        let exchange = Exchange(
            request: ExpectedRequest(method: "GET", path: "/ping"), response: ScriptedResponse(body: "pong"), times: 20)
        let server = ScriptedServer(script: ExchangeScript(exchanges: [exchange]))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                for _ in 0..<20 {
                    let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/ping"))
                    #expect(response.body == Array("pong".utf8))
                }
            }
        }
        #expect(server.problems == [])
    }

    @Test("Requests to one URL carry their own method, headers and body (EL2: the URL is parsed once)")
    func sameURLOwnHeadersAndBodies() async throws {
        let exchanges = (1...3).map { i in
            Exchange(
                request: ExpectedRequest(
                    method: "POST", path: "/v1/items", headers: [HTTPHeaderField(name: "X-Run", value: "run-\(i)")],
                    json: ["n": .int(i)]),
                response: ScriptedResponse(status: 200 + i))
        } + [Exchange(request: ExpectedRequest(method: "GET", path: "/v1/items"), response: ScriptedResponse(status: 204))]
        let server = ScriptedServer(script: ExchangeScript(exchanges: exchanges))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                for i in 1...3 {
                    let response = try await executor.execute(HTTPRequest(
                        method: "POST", url: server.baseURL + "/v1/items",
                        headers: ["Content-Type": "application/json", "X-Run": "run-\(i)"], body: Array(#"{"n":\#(i)}"#.utf8)))
                    #expect(response.status == 200 + i)
                }
                let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/v1/items"))
                #expect(response.status == 204)
            }
        }
        #expect(server.problems == [])
        #expect(server.receivedRequests.map { $0.header("x-run") } == ["run-1", "run-2", "run-3", nil])
        #expect(server.receivedRequests.last?.header("content-length") == nil)
    }

    @Test("A redirect is returned to the caller, not followed")
    func redirectNotFollowed() async throws {
        let server = FaultServer(fault: .redirectLoop)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/start"))
                #expect(response.status == 302)
                #expect(response.headers["Location"] == "/start")
            }
        }
        #expect(server.receivedRequests.count == 1)
    }

    @Test("A server that never answers ends with .timeout within the request timeout")
    func neverAnswers() async throws {
        try await withServer(FaultServer(fault: .neverRespond)) { server in
            try await withTestExecutor { executor in
                let started = ContinuousClock.now
                let error = await expectFailure(
                    executor, HTTPRequest(method: "GET", url: server.baseURL + "/", timeout: .milliseconds(300)))
                let elapsed = ContinuousClock.now - started
                #expect(error?.kind == .timeout)
                #expect(error?.message.contains("300 ms") == true)
                #expect(elapsed >= .milliseconds(250))
            }
        }
    }

    @Test("The deadline covers the body: one byte per interval ends with .timeout")
    func slowBody() async throws {
        let fault = Fault.slowBody(totalBytes: 1000, interval: .milliseconds(50))
        try await withServer(FaultServer(fault: fault)) { server in
            try await withTestExecutor { executor in
                // The body takes 50 s; a deadline that stopped at the headers would let it finish.
                let error = await expectFailure(
                    executor, HTTPRequest(method: "GET", url: server.baseURL + "/", timeout: .milliseconds(400)))
                #expect(error?.kind == .timeout)
            }
        }
    }

    @Test("An announced 2 GB body fails with .bodyTooLarge before any of it is read")
    func hugeAnnouncedBody() async throws {
        try await withServer(FaultServer(fault: .hugeBody())) { server in
            try await withTestExecutor { executor in
                let request = HTTPRequest(
                    method: "GET", url: server.baseURL + "/", timeout: .seconds(10), maxResponseBytes: 1 << 20)
                let error = await expectFailure(executor, request)
                #expect(error?.kind == .bodyTooLarge)
                #expect(error?.message == "the response announces 2147483648 bytes; the limit is 1048576")
            }
        }
    }

    @Test("An unannounced 2 GB body is cut off at the cap while streaming, memory stays bounded")
    func hugeStreamedBody() async throws {
        let before = residentBytes()
        try await withServer(FaultServer(fault: .hugeBody(announced: false))) { server in
            try await withTestExecutor { executor in
                let request = HTTPRequest(
                    method: "GET", url: server.baseURL + "/", timeout: .seconds(20), maxResponseBytes: 4 << 20)
                let error = await expectFailure(executor, request)
                #expect(error?.kind == .bodyTooLarge)
                #expect(error?.message == "the response body exceeds the limit of 4194304 bytes")
            }
        }
        // Buffering the body would add 2 GB; the margin (half of that) absorbs other suites running
        // in parallel, which were seen to add up to 735 MB of resident memory on a loaded machine.
        if let before, let after = residentBytes() {
            #expect(after - before < 1 << 30, "resident memory grew by \(after - before) bytes")
        }
    }

    @Test("A body of exactly the cap is accepted")
    func bodyAtCap() async throws {
        let script = ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/"), response: ScriptedResponse(body: "12345"))
        ])
        try await withServer(ScriptedServer(script: script)) { server in
            try await withTestExecutor { executor in
                let response = try await executor.execute(
                    HTTPRequest(method: "GET", url: server.baseURL + "/", maxResponseBytes: 5))
                #expect(response.body.count == 5)
            }
        }
    }

    @Test("A reset in the middle of the body is .connectionReset")
    func resetMidBody() async throws {
        try await withServer(FaultServer(fault: .resetMidBody())) { server in
            try await withTestExecutor { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: server.baseURL + "/"))
                #expect(error?.kind == .connectionReset)
            }
        }
    }

    @Test("A connection closed without a response is .connectionReset")
    func closedWithoutResponse() async throws {
        try await withServer(FaultServer(fault: .closeWithoutResponse)) { server in
            try await withTestExecutor { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: server.baseURL + "/"))
                #expect(error?.kind == .connectionReset)
            }
        }
    }

    @Test("Nothing listening is .connectionRefused, at once and without credentials in the message")
    func refused() async throws {
        let port = try await FaultServer.closedPort()
        // "At once": the connect timeout and the deadline are ten minutes away. A pool that
        // retried the connection until either would run into the suite's one-minute limit instead.
        try await withTestExecutor(.init(connectTimeout: .seconds(600))) { executor in
            let request = HTTPRequest(
                method: "GET", url: "http://user:canary-pass@127.0.0.1:\(port)/x?api_key=canary-key",
                headers: ["Authorization": "Bearer canary-token"], timeout: .seconds(600))
            let error = await expectFailure(executor, request)
            #expect(error?.kind == .connectionRefused)
            #expect(error?.message == "connection refused (http://127.0.0.1:\(port))")
        }
    }

    @Test("Bytes that are not HTTP are .invalidResponse")
    func invalidHTTP() async throws {
        try await withServer(FaultServer(fault: .invalidHTTP)) { server in
            try await withTestExecutor { executor in
                let error = await expectFailure(
                    executor, HTTPRequest(method: "GET", url: server.baseURL + "/", timeout: .seconds(5)))
                #expect(error?.kind == .invalidResponse)
            }
        }
    }

    @Test("TLS to a plain HTTP port is .tls")
    func tlsToPlainPort() async throws {
        let server = ScriptedServer(script: ExchangeScript(exchanges: []))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let url = "https://127.0.0.1:\(server.port ?? 0)/"
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: url, timeout: .seconds(5)))
                #expect(error?.kind == .tls)
            }
        }
    }

    @Test("A 5xx storm comes back as responses with Retry-After, then recovers")
    func unavailableStorm() async throws {
        let server = FaultServer(fault: .unavailableStorm(failures: 2, retryAfterSeconds: 3))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                var statuses: [Int] = []
                for _ in 0..<3 {
                    let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/"))
                    statuses.append(response.status)
                    if response.status == 503 { #expect(response.headers["Retry-After"] == "3") }
                }
                #expect(statuses == [503, 503, 200])
            }
        }
        #expect(server.receivedRequests.count == 3)
    }

    @Test("Unusable URLs are .invalidURL", arguments: ["not a url", "ftp://127.0.0.1/file", "http:///nohost"])
    func invalidURL(url: String) async throws {
        try await withTestExecutor { executor in
            let error = await expectFailure(executor, HTTPRequest(method: "GET", url: url))
            #expect(error?.kind == .invalidURL)
            // A URL that failed to parse is not remembered: it fails the same way again.
            #expect(await expectFailure(executor, HTTPRequest(method: "GET", url: url))?.kind == .invalidURL)
        }
    }

    @Test("Cancelling the task ends a hanging request promptly with .cancelled")
    func cancellation() async throws {
        let server = FaultServer(fault: .neverRespond)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let url = server.baseURL + "/"
                let task = Task { () async -> TransportError? in
                    do throws(TransportError) {
                        _ = try await executor.execute(HTTPRequest(method: "GET", url: url, timeout: .seconds(30)))
                        return nil
                    } catch {
                        return error
                    }
                }
                await waitUntil { server.receivedRequests.count == 1 }
                task.cancel()
                // The 30 s deadline would end it as .timeout; only the cancellation gives .cancelled.
                let error = await task.value
                #expect(error?.kind == .cancelled)
            }
        }
    }

    @Test("An already-cancelled task sends nothing")
    func cancelledBeforeSending() async throws {
        let server = ScriptedServer(script: ExchangeScript(exchanges: []))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let url = server.baseURL + "/"
                let task = Task { () async -> TransportError? in
                    withUnsafeCurrentTask { $0?.cancel() }
                    do throws(TransportError) {
                        _ = try await executor.execute(HTTPRequest(method: "GET", url: url))
                        return nil
                    } catch {
                        return error
                    }
                }
                #expect(await task.value?.kind == .cancelled)
            }
        }
        #expect(server.receivedRequests.isEmpty)
    }

    @Test("After shutdown, requests fail instead of hanging")
    func afterShutdown() async throws {
        let executor = AsyncHTTPExecutor()
        await executor.shutdown()
        await executor.shutdown()
        let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "http://127.0.0.1:1/"))
        #expect(error?.kind == .other)
        #expect(error?.message == "the executor was shut down")
    }

    @Test("A header value with a line break is refused without echoing the value")
    func headerInjection() async throws {
        let server = ScriptedServer(script: ExchangeScript(exchanges: []))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let request = HTTPRequest(
                    method: "GET", url: server.baseURL + "/", headers: ["X-Api-Key": "canary\r\nInjected: yes"])
                let error = await expectFailure(executor, request)
                #expect(error?.kind == .other)
                #expect(error?.message.contains("canary") == false)
            }
        }
        #expect(server.receivedRequests.isEmpty)
    }

    @Test("A 304 announcing a large representation is not mistaken for a too-large body")
    func notModifiedWithLength() async throws {
        let script = ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(method: "GET", path: "/file"),
                response: ScriptedResponse(
                    status: 304, headers: [HTTPHeaderField(name: "Content-Length", value: "2147483648")]))
        ])
        try await withServer(ScriptedServer(script: script)) { server in
            try await withTestExecutor { executor in
                let response = try await executor.execute(
                    HTTPRequest(method: "GET", url: server.baseURL + "/file", timeout: .seconds(5), maxResponseBytes: 1024))
                #expect(response.status == 304)
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test("A routing fault server picks the fault from the path")
    func faultRoutes() async throws {
        let server = FaultServer()
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let ok = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/ok"))
                #expect(ok.status == 200)
                #expect(ok.body == Array(#"{"ok":true}"#.utf8))
                let storm = try await executor.execute(HTTPRequest(method: "POST", url: server.baseURL + "/storm", body: [1, 2]))
                #expect(storm.status == 503)
                #expect(storm.headers["Retry-After"] == "1")
                let unknown = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/nope"))
                #expect(unknown.status == 404)
                let garbage = await expectFailure(executor, HTTPRequest(method: "GET", url: server.baseURL + "/garbage"))
                #expect(garbage?.kind == .invalidResponse)
            }
        }
        #expect(server.receivedRequests.map(\.target) == ["/ok", "/storm", "/nope", "/garbage"])
        #expect(server.receivedRequests[1].body == [1, 2])
    }
}
