import ArazzoExecutor
import ArazzoHTTP
import ArazzoJSON
import ArazzoTestServer
import Foundation
import Testing

@Suite("Scripted replay server")
struct ScriptedServerTests {
    static let scriptJSON = #"""
        {
          "exchanges": [
            {
              "request": {
                "method": "POST", "path": "/pets",
                "query": {"tag": ["a", "b"], "limit": 10},
                "headers": {"Content-Type": "application/json", "Authorization": "Basic c2VjcmV0"},
                "absentHeaders": ["Cookie"],
                "json": {"name": "Rex", "age": 3}
              },
              "response": {"status": 201, "headers": [{"name": "Location", "value": "/pets/1"}], "json": {"id": 1}}
            },
            {
              "request": {"method": "GET", "path": "/pets/1"},
              "response": {"status": 503, "headers": {"Retry-After": "0"}, "body": "busy"},
              "times": 2
            }
          ]
        }
        """#

    static func send(
        _ executor: AsyncHTTPExecutor, _ method: String, _ url: String, headers: HeaderFields = [:], body: String? = nil
    ) async throws -> HTTPResponse {
        try await executor.execute(
            HTTPRequest(method: method, url: url, headers: headers, body: body.map { Array($0.utf8) }, timeout: .seconds(5)))
    }

    @Test("A script decoded from JSON replays exactly, with defaults and repeated exchanges")
    func replay() async throws {
        let script = try ExchangeScript(jsonBytes: Array(Self.scriptJSON.utf8))
        #expect(script.ordered)
        #expect(script.exchanges[1].times == 2)
        let server = ScriptedServer(script: script)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let created = try await Self.send(
                    executor, "POST", server.baseURL + "/pets?limit=10&tag=a&tag=b",
                    headers: ["Content-Type": "application/json", "Authorization": "Basic c2VjcmV0"],
                    body: #"{"age":3.0,"name":"Rex"}"#)
                #expect(created.status == 201)
                #expect(created.headers["Location"] == "/pets/1")
                #expect(created.body == Array(#"{"id":1}"#.utf8))
                for _ in 0..<2 {
                    let busy = try await Self.send(executor, "GET", server.baseURL + "/pets/1")
                    #expect(busy.status == 503)
                    #expect(busy.body == Array("busy".utf8))
                }
            }
        }
        #expect(server.problems == [])
        #expect(server.receivedRequests.map(\.target) == ["/pets?limit=10&tag=a&tag=b", "/pets/1", "/pets/1"])
    }

    @Test(
        "A request that differs gets 599 and a one-line explanation of the first difference",
        arguments: [
            ("GET", "/pets?limit=10&tag=a&tag=b", "application/json", "Basic c2VjcmV0", #"{"name":"Rex","age":3}"#,
             "method: expected POST, got GET"),
            ("POST", "/cats?limit=10&tag=a&tag=b", "application/json", "Basic c2VjcmV0", #"{"name":"Rex","age":3}"#,
             "path: expected /pets, got /cats"),
            ("POST", "/pets?limit=10&tag=b&tag=a", "application/json", "Basic c2VjcmV0", #"{"name":"Rex","age":3}"#,
             #"query item 'tag': expected "a", "b", got "b", "a""#),
            ("POST", "/pets?tag=a&tag=b", "application/json", "Basic c2VjcmV0", #"{"name":"Rex","age":3}"#,
             "query item 'limit' is missing"),
            ("POST", "/pets?limit=10&tag=a&tag=b", "text/plain", "Basic c2VjcmV0", #"{"name":"Rex","age":3}"#,
             #"header 'content-type': expected "application/json", got "text/plain""#),
            ("POST", "/pets?limit=10&tag=a&tag=b", "application/json", "Basic d3Jvbmc=", #"{"name":"Rex","age":3}"#,
             "header 'authorization': value differs from the expected one (not shown: credential)"),
            ("POST", "/pets?limit=10&tag=a&tag=b", "application/json", "Basic c2VjcmV0", #"{"name":"Max","age":3}"#,
             #"json body at /name: expected "Rex", got "Max""#),
            ("POST", "/pets?limit=10&tag=a&tag=b", "application/json", "Basic c2VjcmV0", #"{"name":"Rex"}"#,
             "json body at /age: member is missing"),
            ("POST", "/pets?limit=10&tag=a&tag=b", "application/json", "Basic c2VjcmV0", "name=Rex",
             #"json body: expected JSON, got "name=Rex""#),
        ])
    func mismatch(
        method: String, target: String, contentType: String, authorization: String, body: String, explanation: String
    ) async throws {
        let server = ScriptedServer(script: try ExchangeScript(jsonBytes: Array(Self.scriptJSON.utf8)))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let response = try await Self.send(
                    executor, method, server.baseURL + target,
                    headers: ["Content-Type": contentType, "Authorization": authorization], body: body)
                #expect(response.status == 599)
                let json = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
                #expect(json["error"] == "unexpected request")
            }
        }
        #expect(server.mismatches.map(\.explanation) == [explanation])
        #expect(server.mismatches.first?.exchangeIndex == 0)
        #expect(server.unusedExchanges == [0, 1])
        #expect(server.problems.last == "exchange #1 GET /pets/1 was expected 2× but received 0×")
    }

    @Test("An absent-header rule and an exhausted script are reported")
    func absentAndExhausted() async throws {
        let script = ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(method: "GET", path: "/a", absentHeaders: ["Cookie"]),
                response: ScriptedResponse(status: 204))
        ])
        let server = ScriptedServer(script: script)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let withCookie = try await Self.send(executor, "GET", server.baseURL + "/a", headers: ["Cookie": "s=1"])
                #expect(withCookie.status == 599)
                let ok = try await Self.send(executor, "GET", server.baseURL + "/a")
                #expect(ok.status == 204)
                let extra = try await Self.send(executor, "GET", server.baseURL + "/a")
                #expect(extra.status == 599)
            }
        }
        #expect(
            server.problems == [
                "request #0 GET /a (exchange #0): header 'cookie' must be absent but was sent",
                "request #2 GET /a: no exchange left: the script's 1 exchange(s) are all used",
            ])
    }

    @Test("Unordered scripts match any unused exchange; load() replaces the script")
    func unorderedAndReload() async throws {
        let script = ExchangeScript(
            ordered: false,
            exchanges: [
                Exchange(request: ExpectedRequest(method: "GET", path: "/one"), response: ScriptedResponse(body: "1")),
                Exchange(request: ExpectedRequest(method: "GET", path: "/two"), response: ScriptedResponse(body: "2")),
            ])
        let server = ScriptedServer(script: script)
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let two = try await Self.send(executor, "GET", server.baseURL + "/two")
                let one = try await Self.send(executor, "GET", server.baseURL + "/one")
                #expect(two.body == Array("2".utf8))
                #expect(one.body == Array("1".utf8))
                #expect(server.problems == [])
                server.load(
                    ExchangeScript(exchanges: [
                        Exchange(
                            request: ExpectedRequest(method: "GET", path: "/q", rawQuery: "x=%2F"),
                            response: ScriptedResponse(delayMilliseconds: 20))
                    ]))
                #expect(server.receivedRequests.isEmpty)
                let delayed = try await Self.send(executor, "GET", server.baseURL + "/q?x=%2F")
                #expect(delayed.status == 200)
            }
        }
        #expect(server.problems == [])
    }

    @Test("Scripts round-trip through Codable and load from a JSON value")
    func codableRoundTrip() throws {
        let script = try ExchangeScript(jsonBytes: Array(Self.scriptJSON.utf8))
        let encoded = try JSONEncoder().encode(script)
        #expect(try JSONDecoder().decode(ExchangeScript.self, from: encoded) == script)
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(Self.scriptJSON.utf8))
        #expect(try ExchangeScript(jsonValue: value) == script)
    }

    @Test("Scripted transport faults: close, reset mid-body, no response")
    func scriptedFaults() async throws {
        let json = #"""
            {"exchanges": [
              {"request": {"method": "GET", "path": "/close"}, "response": {"fault": "closeConnection"}},
              {"request": {"method": "GET", "path": "/reset"}, "response": {"body": "0123456789", "fault": "resetMidBody"}},
              {"request": {"method": "GET", "path": "/hang"}, "response": {"fault": "noResponse"}},
              {"request": {"method": "GET", "path": "/ok"}, "response": {"status": 204}}
            ]}
            """#
        let server = ScriptedServer(script: try ExchangeScript(jsonBytes: Array(json.utf8)))
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                var kinds: [TransportError.Kind?] = []
                // Only the hanging exchange needs a short deadline; the others must fail on their own.
                for (path, timeout) in [("/close", Duration.seconds(10)), ("/reset", .seconds(10)), ("/hang", .milliseconds(300))] {
                    let request = HTTPRequest(method: "GET", url: server.baseURL + path, timeout: timeout)
                    kinds.append(await expectFailure(executor, request)?.kind)
                }
                #expect(kinds == [.connectionReset, .connectionReset, .timeout])
                let ok = try await Self.send(executor, "GET", server.baseURL + "/ok")
                #expect(ok.status == 204)
            }
        }
        #expect(server.problems == [])
    }
}
