import Foundation
import Testing
import Arazzo
import OrderedCollections

@Suite("Security schemes, credentials and redaction")
struct SecurityTests {
    static func document() async throws -> LoadedDocument {
        try await petsDocument("""
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    password: {type: string, format: password}
                    id: {type: integer}
                steps:
                  - stepId: pet
                    operationId: getPet
                    parameters: [{name: petId, in: path, value: $inputs.id}]
                  - stepId: secure
                    operationId: getSecure
                  - stepId: open
                    operationId: getOpen
                  - stepId: status
                    operationId: getStatus
                    parameters: [{name: pw, in: query, value: $inputs.password}]
                    requestBody:
                      contentType: application/json
                      payload: {password: $inputs.password, note: "pw={$inputs.password}"}
                    outputs: {echo: $response.body#/echo}
                outputs: {echo: $steps.status.outputs.echo}
            """)
    }

    static func executor() -> InMemoryExecutor {
        InMemoryExecutor(routes: [
            .init("POST", "/token", .json(["access_token": "tok-canary-7777", "token_type": "Bearer"])),
            .init("GET", "/v1/pets/1", .json(["id": 1])),
            .init("GET", "/v1/secure", .status(200)),
            .init("GET", "/v1/open", .status(200)),
            .init("GET", "/v1/status", .json(["echo": "you sent hunter2-canary"])),
        ])
    }

    static let inputs: JSONValue = ["password": "hunter2-canary", "id": 1]

    @Test("bearer from a scheme binding; apiKey header for the first satisfiable alternative; security: [] sends nothing")
    func schemes() async throws {
        let executor = Self.executor()
        let result = try await engine(try await Self.document(), executor) {
            $0.credentials.bind(.bearer(token: "bearer-canary-1"), toScheme: "token")
            $0.credentials.bind(.apiKey(value: "key-canary-2"), toScheme: "key")
        }.run(workflowId: "wf", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        let requests = await executor.requests
        #expect(requests[0].headers["Authorization"] == "Bearer bearer-canary-1")
        #expect(requests[1].headers["X-API-Key"] == "key-canary-2")
        #expect(requests[1].headers["Authorization"] == nil)
        #expect(requests[2].headers["Authorization"] == nil && requests[2].headers["X-API-Key"] == nil)
    }

    @Test("oauth2 client credentials: the token is fetched through the executor once per run and sent as a bearer")
    func oauth2() async throws {
        let executor = Self.executor()
        let result = try await engine(try await Self.document(), executor) {
            $0.credentials.bind(.oauth2ClientCredentials(clientId: "client", clientSecret: "client-secret-canary", scopes: []), toScheme: "oauth")
        }.run(workflowId: "wf", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        let requests = await executor.requests
        let token = try #require(requests.first { $0.url.hasSuffix("/token") })
        #expect(token.url == "https://auth.example/token")
        #expect(requests.map(\.url).firstIndex(of: token.url) == 1, "fetched when the oauth step needs it")
        #expect(token.method == "POST")
        #expect(token.body.map { String(decoding: $0, as: UTF8.self) } == "grant_type=client_credentials&scope=read")
        #expect(token.headers["Authorization"] == "Basic " + Data("client:client-secret-canary".utf8).base64EncodedString())
        #expect(requests.filter { $0.url.hasSuffix("/token") }.count == 1)
        #expect(requests.first { $0.url.hasSuffix("/secure") }?.headers["Authorization"] == "Bearer tok-canary-7777")
        // The fetched token is a secret too.
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(!report.contains("tok-canary-7777"))
        #expect(!report.contains("client-secret-canary"))
    }

    @Test("an unsatisfiable requirement is noted and the request goes out without credentials")
    func unsatisfied() async throws {
        let result = try await engine(try await Self.document(), Self.executor()).run(workflowId: "wf", inputs: Self.inputs)
        #expect(result.steps[0].notes.contains("no credentials supplied for security requirement 'token'; sending without"))
        #expect(result.steps[1].notes.contains("no credentials supplied for security requirement 'key' or 'oauth'; sending without"))
    }

    @Test("apiKey in query and cookie, bound to the source with no requirement declared")
    func apiKeyPlacement() async throws {
        for (location, check) in [("query", { (r: HTTPRequest) in r.url.hasSuffix("?k=v%20canary") }), ("cookie", { (r: HTTPRequest) in r.headers["Cookie"] == "k=v%20canary" })] {
            let document = try await load("""
                arazzo: 1.0.1
                info: {title: t, version: 1.0.0}
                sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
                workflows:
                  - workflowId: wf
                    steps: [{stepId: s, operationId: ping}]
                """, sources: ["api.yaml": """
                openapi: 3.0.3
                info: {title: a, version: '1'}
                servers: [{url: 'https://api.example'}]
                components:
                  securitySchemes:
                    k: {type: apiKey, in: \(location), name: k}
                paths:
                  /ping:
                    get: {operationId: ping, responses: {'200': {description: ok}}}
                """])
            let executor = InMemoryExecutor(routes: [.init("GET", "/ping", .status(200))])
            let result = try await engine(document, executor) { $0.credentials.bind(.apiKey(value: "v canary"), toSource: "api") }
                .run(workflowId: "wf")
            #expect(result.succeeded)
            let request = try #require(await executor.requests.first)
            #expect(check(request), "\(location): \(request)")
            let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            #expect(!report.contains("v canary") && !report.contains("v%20canary"), "\(location): \(report)")
        }
    }

    @Test("format: password inputs and credentials are redacted everywhere in the result, base64 forms included")
    func redaction() async throws {
        let executor = Self.executor()
        let result = try await engine(try await Self.document(), executor) {
            $0.credentials.bind(.basic(username: "user", password: "basic-canary-3"), toSource: "pets")
            $0.credentials.bind(.bearer(token: "bearer-canary-1"), toScheme: "token")
        }.run(workflowId: "wf", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        // What was sent is real.
        let sent = await executor.requests.last
        #expect(sent?.url.hasSuffix("?pw=hunter2-canary") == true)
        // What was recorded is not.
        let status = try #require(result.steps.last)
        #expect(status.request?.url.hasSuffix("?pw=[REDACTED]") == true)
        #expect(jsonBody(status.request) == ["password": "[REDACTED]", "note": "pw=[REDACTED]"])
        #expect(status.outputs["echo"] == "you sent [REDACTED]")
        #expect(result.outputs["echo"] == "you sent [REDACTED]")
        #expect(result.steps[0].request?.headers["Authorization"] == "[REDACTED]")
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        for canary in ["hunter2-canary", "basic-canary-3", "bearer-canary-1",
                       Data("hunter2-canary".utf8).base64EncodedString(), Data("user:basic-canary-3".utf8).base64EncodedString()] {
            #expect(!report.contains(canary), "\(canary) leaked")
        }
    }
}

@Suite("Credentials and explicit headers")
struct ExplicitHeaderTests {
    @Test("an Authorization header parameter from an earlier step wins over a credential bound to the source, and is redacted")
    func explicitAuthorizationWins() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: login, operationId: getStatus, outputs: {token: $response.body#/token}}
                  - stepId: use
                    operationId: getStatus
                    parameters: [{name: Authorization, in: header, value: "Bearer {$steps.login.outputs.token}"}]
            """)
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", .json(["token": "step-token-canary"])),
            .init("GET", "/v1/open", .status(200)),
        ])
        let result = try await engine(document, executor) {
            $0.credentials.bind(.basic(username: "u", password: "source-pass-canary"), toSource: "pets")
        }.run(workflowId: "wf")
        #expect(result.succeeded)
        let requests = await executor.requests
        #expect(requests[0].headers["Authorization"]?.hasPrefix("Basic ") == true)
        #expect(requests[1].headers["Authorization"] == "Bearer step-token-canary")
        #expect(result.steps[1].request?.headers["Authorization"] == "[REDACTED]")
        #expect(result.steps[1].notes.contains { $0.hasPrefix("header Authorization comes from the step's parameters") })
    }

    /// The redaction scan skips ahead by the shortest secret form when the byte at the end of the
    /// window cannot belong to any secret's prefix; these bodies put the secret at the edges,
    /// back to back, and almost-but-not-quite, where a wrong skip would show.
    @Test("Response bodies are redacted wherever the secret sits, and only where it sits", arguments: [
        ("hunter2-canary", "[REDACTED]"),
        ("hunter2-canaryx", "[REDACTED]x"),
        ("xhunter2-canary", "x[REDACTED]"),
        ("hunter2-canaryhunter2-canary", "[REDACTED][REDACTED]"),
        ("a hunter2-canary b hunter2-canary", "a [REDACTED] b [REDACTED]"),
        ("hunter2-canar", "hunter2-canar"),
        ("hunter2-canarY and unter2-canary", "hunter2-canarY and unter2-canary"),
        ("{\"k\":\"aHVudGVyMi1jYW5hcnk=\"}", "{\"k\":\"[REDACTED]\"}"),
        ("hunter2%2Dcanary", "hunter2%2Dcanary"),
        ("", ""),
    ])
    func redactionPositions(body: String, expected: String) async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    password: {type: string, format: password}
                steps:
                  - stepId: open
                    operationId: getOpen
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/open", .status(200, body: body))])
        let result = try await engine(document, executor).run(workflowId: "wf", inputs: ["password": "hunter2-canary"])
        let traced = try #require(result.steps.first?.response?.body)
        #expect(String(decoding: traced, as: UTF8.self) == expected)
    }
}
