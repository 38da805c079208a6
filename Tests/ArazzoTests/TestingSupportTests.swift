import Arazzo
import ArazzoTestSupport
import ArazzoTesting
import Foundation
import Testing

/// The ArazzoTesting product itself: the in-memory executor, the case reader's located errors,
/// goldens, and the guide's example staying in step with the page.
@Suite("ArazzoTesting")
struct TestingSupportTests {
    static func request(_ method: String, _ url: String, timeout: Duration = .seconds(30)) -> HTTPRequest {
        HTTPRequest(method: method, url: url, timeout: timeout)
    }

    @Test("the scripted executor answers in order and reports differences and unused exchanges")
    func scriptedExecutor() async throws {
        let executor = ScriptedExecutor(script: ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(method: "GET", path: "/pets", query: [HTTPHeaderField(name: "tag", value: "a b")]),
                response: ScriptedResponse(json: ["ok": true])),
            Exchange(request: ExpectedRequest(method: "DELETE", path: "/pets/1"), response: ScriptedResponse(status: 204)),
        ]))
        let first = try await executor.execute(Self.request("GET", "http://api.test/pets?tag=a%20b"))
        #expect(first.status == 200)
        #expect(first.headers["content-type"] == "application/json")
        let second = try await executor.execute(Self.request("GET", "http://api.test/pets/2"))
        #expect(second.status == 599)
        #expect(executor.problems == [
            "request #1 GET /pets/2 (exchange #1): method: expected DELETE, got GET",
            "exchange #1 DELETE /pets/1 was expected 1× but received 0×",
        ])
    }

    @Test("a delay longer than the request's timeout is a timeout; a refused host is refused")
    func transportFailures() async throws {
        let executor = ScriptedExecutor(
            script: ExchangeScript(exchanges: [
                Exchange(request: ExpectedRequest(method: "GET", path: "/slow"), response: ScriptedResponse(delayMilliseconds: 3000))
            ]),
            refusing: ["refused.test"])
        await #expect(throws: TransportError(.connectionRefused, "connection refused by refused.test:8080")) {
            try await executor.execute(Self.request("GET", "http://refused.test:8080/x"))
        }
        do {
            _ = try await executor.execute(Self.request("GET", "http://api.test/slow", timeout: .seconds(1)))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout)
        }
        #expect(executor.problems.isEmpty)
    }

    @Test("a malformed case.yaml is a located error saying what to fix", arguments: [
        ("title: t\nspec: s\nexpect: {exit: 0}\nexchanges:\n  - request: {method: GET, path: /x, bdy: {}}\n",
         "case.yaml:5:38: unknown key 'bdy' in request; expected one of method, path, query, rawQuery, headers, absentHeaders, body"),
        ("title: t\nspec: s\nexpect:\n  exit: zero\n", "case.yaml:4:9: exit must be an integer"),
        ("title: t\nspec: s\n", "case.yaml:1:1: the case has no 'expect' block"),
        ("title: t\nspec: s\nexpect:\n  stderr:\n  - in: body\n", "case.yaml:5:5: an item of stderr must be a string, not a mapping"),
    ])
    func malformedCase(text: String, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write(["bad/case.yaml": text])
        #expect(throws: ConformanceCaseError.self) { try ConformanceCase(folder: directory.file("bad")) }
        do {
            _ = try ConformanceCase(folder: directory.file("bad"))
        } catch {
            #expect(error.description == directory.file("bad/") + message)
        }
    }

    @Test("a case's exchanges become the script both runners replay")
    func caseScript() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write(["c/case.yaml": """
            title: t
            spec: s
            exchanges:
              - request: {method: POST, path: /p, headers: {X-A: '1'}, body: {contains: abc}}
                response: {status: 201, headers: [[Retry-After, '2']], text: '<a/>', contentType: application/xml, delay: 0.5}
            expect:
              exit: [0, 1]
              diagnostics: [{contains: OUTPUTS}]
            """])
        let testCase = try ConformanceCase(folder: directory.file("c"), placeholders: .init(baseURL: "http://h:1", refusedURL: "http://r"))
        let exchange = try #require(testCase.script.exchanges.first)
        #expect(exchange.request == ExpectedRequest(method: "POST", path: "/p", headers: [HTTPHeaderField(name: "X-A", value: "1")]))
        #expect(exchange.response.headers == [
            HTTPHeaderField(name: "Retry-After", value: "2"), HTTPHeaderField(name: "Content-Type", value: "application/xml"),
        ])
        #expect(exchange.response.delayMilliseconds == 500)
        #expect(testCase.expect.exit == [0, 1])
        // `contains` is case-insensitive, on the message or a note (docs/conformance.md).
        let observed = ConformanceCase.ObservedDiagnostic(severity: "error", line: 3, message: "m", notes: ["the outputs"])
        #expect(testCase.expect.problems(.init(exit: .code(1), diagnostics: [observed])).isEmpty)
        #expect(testCase.expect.problems(.init(exit: .code(2))).count == 2)
        #expect(testCase.bodyProblems(received: [ReceivedRequest(method: "POST", target: "/p", body: Array("xabcx".utf8))]).isEmpty)
    }

    // (A missing or different golden records an issue; checking that here would need
    // `withKnownIssue`, which marks every run of the suite with a known issue, so the failing
    // path is left to the goldens themselves.)
    @Test("a golden that matches passes")
    func goldens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write(["g.txt": "same\n"])
        try GoldenFile.check(directory.file("g.txt"), "same\n")
    }

    @Test("docs/testing.md shows the example test exactly as Tests/ArazzoTests/TestingGuideTests.swift holds it")
    func guideInStep() throws {
        let page = try Repository.text("docs/testing.md")
        let source = try Repository.text("Tests/ArazzoTests/TestingGuideTests.swift")
        let code = source.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("//") }.joined(separator: "\n")
        #expect(page.contains("```swift\n" + code + "```\n"))
    }
}
