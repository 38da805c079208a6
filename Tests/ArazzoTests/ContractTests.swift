import Foundation
import Testing
import Arazzo

/// Contract checks through the engine's public API: a one-operation description, an in-memory
/// response, and the findings on the step's trace (docs/contracts.md).
@Suite("Contract checks")
struct ContractTests {
    /// A description with `GET /thing` answering `responses` and `POST /thing` taking `requestSchema`.
    static func description(
        version: String = "3.0.3", responses: String, requestSchema: String = "{type: object}", parameters: String = "[]",
        components: String = "{}"
    ) -> String {
        """
        openapi: \(version)
        info: {title: Things, version: 1.0.0}
        servers: [{url: 'https://things.example'}]
        paths:
          /thing:
            get:
              operationId: getThing
              parameters: \(parameters)
              responses: \(responses)
            post:
              operationId: addThing
              requestBody:
                required: true
                content:
                  application/json:
                    schema: \(requestSchema)
              responses:
                '201': {description: created}
        components: \(components)
        """
    }

    static let arazzo = """
        arazzo: 1.0.1
        info: {title: t, version: 1.0.0}
        sourceDescriptions:
          - {name: things, url: ./things.yaml, type: openapi}
        workflows:
          - workflowId: get
            steps:
              - stepId: get
                operationId: getThing
          - workflowId: getWithParameters
            inputs: {type: object}
            steps:
              - stepId: get
                operationId: getThing
                parameters:
                  - {name: limit, in: query, value: $inputs.limit}
          - workflowId: add
            inputs: {type: object}
            steps:
              - stepId: add
                operationId: addThing
                requestBody:
                  contentType: application/json
                  payload: $inputs.body
        """

    /// Runs `workflow` against `description`, answering every request with `reply`; the result.
    static func run(
        _ description: String, workflow: String = "get", inputs: JSONValue = [:], reply: InMemoryExecutor.Reply,
        policy: ContractPolicy = ContractPolicy()
    ) async throws -> RunResult {
        let document = try await load(arazzo, sources: ["things.yaml": description])
        let executor = InMemoryExecutor(routes: [InMemoryExecutor.Route("*", "/thing", replies: Array(repeating: reply, count: 4))])
        return try await engine(document, executor) { $0.contract = policy }.run(workflowId: workflow, inputs: inputs)
    }

    static func findings(_ description: String, body: JSONValue, headers: HeaderFields = [:], status: Int = 200) async throws -> [ContractFinding] {
        try await run(description, reply: .json(body, status: status, headers: headers)).steps.flatMap(\.contract)
    }

    static func jsonResponse(_ schema: String) -> String {
        "{'200': {description: ok, content: {application/json: {schema: \(schema)}}}}"
    }

    @Test("3.0: null is valid under nullable: true (and in its enum), a finding without it")
    func nullable30() async throws {
        let nullable = Self.description(responses: Self.jsonResponse("{type: object, properties: {tag: {type: string, nullable: true, enum: [a, b]}}}"))
        #expect(try await Self.findings(nullable, body: ["tag": .null]).isEmpty)
        let plain = Self.description(responses: Self.jsonResponse("{type: object, properties: {tag: {type: string}}}"))
        let found = try await Self.findings(plain, body: ["tag": .null])
        #expect(found.map(\.pointer) == ["/tag"])
        #expect(found.first?.keyword == "type")
    }

    @Test("3.1: nullable is no keyword, null must be declared in the type")
    func null31() async throws {
        let ignored = Self.description(version: "3.1.0", responses: Self.jsonResponse("{type: object, properties: {tag: {type: string, nullable: true}}}"))
        #expect(try await Self.findings(ignored, body: ["tag": .null]).map(\.pointer) == ["/tag"])
        let declared = Self.description(version: "3.1.0", responses: Self.jsonResponse("{type: object, properties: {tag: {type: [string, 'null']}}}"))
        #expect(try await Self.findings(declared, body: ["tag": .null]).isEmpty)
    }

    @Test("3.0: a boolean exclusiveMinimum makes minimum exclusive")
    func booleanExclusive() async throws {
        let description = Self.description(responses: Self.jsonResponse("{type: object, properties: {price: {type: number, minimum: 0, exclusiveMinimum: true}}}"))
        #expect(try await Self.findings(description, body: ["price": 0]).map(\.keyword) == ["exclusiveMinimum"])
        #expect(try await Self.findings(description, body: ["price": 0.5]).isEmpty)
    }

    @Test("readOnly: not required in a request and a finding when sent; required and allowed in a response")
    func readOnlyByDirection() async throws {
        let schema = "{type: object, required: [id, name], properties: {id: {type: integer, readOnly: true}, name: {type: string}}}"
        let description = Self.description(responses: Self.jsonResponse(schema), requestSchema: schema)
        let clean = try await Self.run(description, workflow: "add", inputs: ["body": ["name": "a"]], reply: .status(201))
        #expect(clean.steps.flatMap(\.contract).isEmpty)
        let sent = try await Self.run(description, workflow: "add", inputs: ["body": ["id": 1, "name": "a"]], reply: .status(201))
        let finding = try #require(sent.steps.flatMap(\.contract).first)
        #expect(finding.check == .requestBody)
        #expect(finding.pointer == "/id")
        #expect(finding.message.contains("readOnly"))
        #expect(try await Self.findings(description, body: ["name": "a"]).map(\.pointer) == ["/id"])
        #expect(try await Self.findings(description, body: ["id": 1, "name": "a"]).isEmpty)
    }

    @Test("writeOnly: a finding in a response, not required there")
    func writeOnlyInResponse() async throws {
        let schema = "{type: object, required: [name, password], properties: {name: {type: string}, password: {type: string, writeOnly: true}}}"
        let description = Self.description(responses: Self.jsonResponse(schema))
        #expect(try await Self.findings(description, body: ["name": "a"]).isEmpty)
        let found = try await Self.findings(description, body: ["name": "a", "password": "p"])
        #expect(found.map(\.pointer) == ["/password"])
        #expect(found.first?.message.contains("writeOnly") == true)
    }

    @Test("a discriminator picks the branch: its own findings, not 'matches none of oneOf'")
    func discriminator() async throws {
        let components = """
            {schemas: {
              Cat: {type: object, required: [kind, meows], properties: {kind: {type: string}, meows: {type: boolean}}},
              Dog: {type: object, required: [kind, barks], properties: {kind: {type: string}, barks: {type: boolean}}}}}
            """
        let schema = "{oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}], discriminator: {propertyName: kind}}"
        let description = Self.description(responses: Self.jsonResponse(schema), components: components)
        let found = try await Self.findings(description, body: ["kind": "Dog", "barks": "loud"])
        #expect(found.map(\.pointer) == ["/barks"])
        #expect(found.first?.keyword == "type")
        #expect(try await Self.findings(description, body: ["kind": "Dog", "barks": true]).isEmpty)
        // Without the property the alternatives apply as written.
        #expect(try await Self.findings(description, body: ["barks": true]).first?.keyword == "oneOf")
    }

    @Test("recursive $ref: a wrong type two levels down is found at its pointer; member names are escaped")
    func recursiveReference() async throws {
        let components = "{schemas: {Person: {type: object, properties: {name: {type: string}, friends: {type: array, items: {$ref: '#/components/schemas/Person'}}, 'a/b': {type: integer}}}}}"
        let description = Self.description(responses: Self.jsonResponse("{$ref: '#/components/schemas/Person'}"), components: components)
        let body: JSONValue = ["name": "a", "friends": [["name": "b", "friends": [["name": 3]]]], "a/b": "x"]
        let found = try await Self.findings(description, body: body)
        #expect(Set(found.map(\.pointer)) == ["/friends/0/friends/0/name", "/a~1b"])
    }

    @Test("status: exact code, then a 2XX range, then default; an undeclared one is a finding")
    func status() async throws {
        let ranged = Self.description(responses: "{'200': {description: ok}, '4XX': {description: client error}}")
        #expect(try await Self.findings(ranged, body: [:], status: 404).isEmpty)
        let found = try await Self.findings(ranged, body: [:], status: 500)
        #expect(found.map(\.check) == [.status])
        #expect(found.first?.expected == "200, 4XX")
        let withDefault = Self.description(responses: "{'200': {description: ok}, default: {description: anything}}")
        #expect(try await Self.findings(withDefault, body: [:], status: 503).isEmpty)
    }

    @Test("content type: parameters ignored, wildcards honoured, +json only when declared")
    func contentType() async throws {
        func check(_ declared: String, _ actual: String) async throws -> [ContractCheck] {
            let description = Self.description(responses: "{'200': {description: ok, content: {'\(declared)': {schema: {type: object}}}}}")
            let result = try await Self.run(description, reply: .status(200, body: "{}", headers: ["Content-Type": actual]))
            return result.steps.flatMap(\.contract).map(\.check)
        }
        #expect(try await check("application/json", "application/json; charset=utf-8").isEmpty)
        #expect(try await check("application/*", "application/json").isEmpty)
        #expect(try await check("*/*", "application/json").isEmpty)
        #expect(try await check("application/*+json", "application/problem+json").isEmpty)
        #expect(try await check("application/json", "application/problem+json") == [.contentType])
        #expect(try await check("application/json", "text/html") == [.contentType])
    }

    @Test("headers: a required one missing, and values read in simple style before their schema")
    func headers() async throws {
        let responses = """
            {'200': {description: ok, headers: {
              X-Rate: {required: true, schema: {type: integer}},
              X-Tags: {schema: {type: array, items: {type: integer}}}}}}
            """
        let description = Self.description(responses: responses)
        #expect(try await Self.findings(description, body: [:], headers: ["X-Rate": "10", "X-Tags": "1,2,3"]).isEmpty)
        let missing = try await Self.findings(description, body: [:])
        #expect(missing.map(\.pointer) == ["X-Rate"])
        let wrong = try await Self.findings(description, body: [:], headers: ["X-Rate": "ten", "X-Tags": "1,x"])
        #expect(wrong.map(\.pointer) == ["X-Rate", "X-Tags/1"])
        #expect(wrong.allSatisfy { $0.check == .header })
    }

    @Test("request parameters are checked as they read on the wire; a required one missing is a finding")
    func requestParameters() async throws {
        let parameters = "[{name: limit, in: query, schema: {type: integer, maximum: 10}}, {name: X-Key, in: header, required: true, schema: {type: string}}]"
        let description = Self.description(responses: "{'200': {description: ok}}", parameters: parameters)
        let result = try await Self.run(description, workflow: "getWithParameters", inputs: ["limit": "50"], reply: .status(200))
        let found = result.steps.flatMap(\.contract)
        #expect(found.map(\.check) == [.requestParameter, .requestParameter])
        #expect(found.map(\.pointer) == ["limit", "X-Key"])
        #expect(found.first?.keyword == "maximum")
    }

    @Test("error mode: a response finding fails the step, naming the check; warn leaves the outcome alone")
    func errorModeResponse() async throws {
        let description = Self.description(responses: Self.jsonResponse("{type: object, required: [id]}"))
        let warned = try await Self.run(description, reply: .json([:]))
        #expect(warned.succeeded)
        #expect(warned.steps.first?.contract.first?.severity == .warning)
        let failed = try await Self.run(description, reply: .json([:]), policy: ContractPolicy(mode: .error))
        let reason = try #require(failure(failed))
        #expect(reason.kind == .contract)
        #expect(reason.message.contains("contract-body at /id"))
        #expect(failed.steps.first?.contract.first?.severity == .error)
    }

    @Test("error mode: a request finding stops the request; nothing is sent")
    func errorModeRequest() async throws {
        let description = Self.description(responses: "{'200': {description: ok}}", requestSchema: "{type: object, required: [name]}")
        let document = try await load(Self.arazzo, sources: ["things.yaml": description])
        let executor = InMemoryExecutor(routes: [InMemoryExecutor.Route("POST", "/thing", .status(201))])
        let result = try await engine(document, executor) { $0.contract = ContractPolicy(mode: .error) }
            .run(workflowId: "add", inputs: ["body": [:]])
        #expect(failure(result)?.kind == .contract)
        #expect(result.steps.first?.response == nil)
        #expect(result.steps.first?.contract.map(\.check) == [.requestBody])
    }

    @Test("per-check levels: off everywhere but one check at error")
    func overrides() async throws {
        let description = Self.description(responses: "{'200': {description: ok, content: {application/json: {schema: {type: object, required: [id]}}}}}")
        let policy = ContractPolicy(mode: .off, overrides: [.status: .error])
        let bodyOnly = try await Self.run(description, reply: .json([:]), policy: policy)
        #expect(bodyOnly.succeeded)
        #expect(bodyOnly.steps.flatMap(\.contract).isEmpty)
        let status = try await Self.run(description, reply: .json([:], status: 500), policy: policy)
        #expect(failure(status)?.message.contains("contract-status") == true)
    }

    @Test("found values are bounded with …")
    func bounded() async throws {
        let description = Self.description(responses: Self.jsonResponse("{type: object, properties: {a: {type: integer}}}"))
        let found = try await Self.findings(description, body: ["a": .string(String(repeating: "x", count: 1000))])
        let text = try #require(found.first?.found)
        #expect(text.count <= 120)
        #expect(text.hasSuffix("…"))
    }

    @Test("decision CT2: 204 and 304 carry no body to check; an empty 200 where content is declared is a finding; a body without Content-Type is held to the one declared media type")
    func bodiesNotSent() async throws {
        let description = Self.description(responses: """
            {'200': {description: ok, content: {application/json: {schema: {type: object, required: [id]}}}},
             '204': {description: none, content: {application/json: {schema: {type: object, required: [id]}}}}}
            """)
        #expect(try await Self.run(description, reply: .status(204)).steps.flatMap(\.contract).isEmpty)
        let empty = try await Self.run(description, reply: .status(200)).steps.flatMap(\.contract)
        #expect(empty.map(\.check) == [.body])
        #expect(empty.first?.found == "no body")
        let untyped = try await Self.run(description, reply: .status(200, body: "{}")).steps.flatMap(\.contract)
        #expect(untyped.map(\.check) == [.contentType, .body])
    }

    @Test("decision CT1: a response without content, or an operation without responses, says nothing about the body")
    func silentDescriptions() async throws {
        let bare = Self.description(responses: "{'200': {description: ok}}")
        #expect(try await Self.run(bare, reply: .status(200, body: "<p>hi</p>", headers: ["Content-Type": "text/html"])).steps.flatMap(\.contract).isEmpty)
        let none = Self.description(responses: "{}")
        #expect(try await Self.run(none, reply: .status(500)).steps.flatMap(\.contract).isEmpty)
    }

    @Test("decision CT6: a schema the engine cannot compile is reported once per response, not a crash")
    func uncompilableSchema() async throws {
        let description = Self.description(responses: Self.jsonResponse("{type: object, properties: {a: {$ref: '#/components/schemas/Missing'}}}"))
        let found = try await Self.findings(description, body: ["a": 1])
        #expect(found.map(\.keyword) == ["schema"])
        #expect(found.first?.message.contains("not checked") == true)
    }

    @Test("a secret the run knows is redacted from findings")
    func redacted() async throws {
        let description = Self.description(responses: Self.jsonResponse("{type: object, properties: {echo: {type: integer}}}"))
        let document = try await load(Self.arazzo, sources: ["things.yaml": description])
        let executor = InMemoryExecutor(routes: [InMemoryExecutor.Route("GET", "/thing", .json(["echo": "tok-s3cret-value"]))])
        let result = try await engine(document, executor) {
            $0.credentials.bind(.bearer(token: "tok-s3cret-value"), toSource: "things")
        }.run(workflowId: "get")
        let finding = try #require(result.steps.first?.contract.first)
        #expect(finding.pointer == "/echo")
        #expect(!(finding.found ?? "").contains("s3cret"))
        #expect(!finding.message.contains("s3cret"))
    }

    @Test("Swagger 2.0: x-nullable widens the type like nullable; the rest converts as for 3.0")
    func swaggerNullable() async throws {
        let swagger = """
            swagger: '2.0'
            info: {title: Things, version: 1.0.0}
            host: things.example
            schemes: [https]
            produces: [application/json]
            paths:
              /thing:
                get:
                  operationId: getThing
                  responses:
                    '200':
                      description: ok
                      schema:
                        type: object
                        properties:
                          tag: {type: string, x-nullable: true}
                          size: {type: integer, minimum: 1, exclusiveMinimum: true}
            """
        #expect(try await Self.findings(swagger, body: ["tag": .null, "size": 2]).isEmpty)
        let found = try await Self.findings(swagger, body: ["tag": 3, "size": 1])
        #expect(found.map(\.pointer) == ["/tag", "/size"])
    }

    @Test("a new engine over the same description reuses compiled schemas only while every schema read is unchanged")
    func sharedCompilationFollowsChanges() async throws {
        func described(_ idType: String) -> String {
            Self.description(
                responses: Self.jsonResponse("{$ref: '#/components/schemas/Thing'}"),
                components: "{schemas: {Thing: {type: object, properties: {id: {$ref: '#/components/schemas/Id'}}}, Id: {type: \(idType)}}}")
        }
        let root = try writeFiles(["arazzo.yaml": Self.arazzo, "things.yaml": described("integer")])
        func findings() async throws -> [ContractFinding] {
            let document = try await ArazzoLoader().loadRejectingErrors(path: root + "/arazzo.yaml")
            let executor = InMemoryExecutor(routes: [InMemoryExecutor.Route("GET", "/thing", .json(["id": "x"]))])
            return try await engine(document, executor).run(workflowId: "get").steps.flatMap(\.contract)
        }
        #expect(try await findings().map(\.pointer) == ["/id"])
        #expect(try await findings().map(\.pointer) == ["/id"])
        try described("string").write(toFile: root + "/things.yaml", atomically: true, encoding: .utf8)
        #expect(try await findings().isEmpty)
    }
}
