import Arazzo
import ArazzoJSON
import ArazzoTesting
import Testing

/// The engine reads JSON response bodies through their `JSONTape` (decision TP4): pointers,
/// the whole body, and the bodies that are not indexed must give what the tree path gave.
@Suite struct ResponseBodyTapeTests {
    static let openAPI = """
        openapi: 3.0.3
        info: {title: T, version: 1.0.0}
        servers: [{url: 'https://t.example'}]
        paths:
          /t:
            get:
              operationId: getT
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [id]
                        properties:
                          id: {type: string}
                          n: {type: integer}
                    text/plain:
                      schema: {type: string}
        """

    /// Runs one step that answers `response` and reads `outputs`; the step's trace and outputs.
    static func run(_ response: ScriptedResponse, outputs: [String: String]) async throws -> StepTrace {
        let files = try TemporaryDirectory()
        defer { files.cleanup() }
        let outputLines = outputs.sorted { $0.key < $1.key }.map { "          \($0.key): \($0.value)" }.joined(separator: "\n")
        try files.write([
            "arazzo.yaml": """
                arazzo: 1.0.1
                info: {title: T, version: 1.0.0}
                sourceDescriptions:
                  - {name: t, url: openapi.yaml, type: openapi}
                workflows:
                  - workflowId: w
                    steps:
                      - stepId: s
                        operationId: getT
                        outputs:
                \(outputLines)
                """,
            "openapi.yaml": openAPI,
        ])
        let executor = ScriptedExecutor(script: ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/t"), response: response),
        ]))
        let document = try await ArazzoLoader().load(path: files.file("arazzo.yaml"))
        let result = try await WorkflowEngine(document: document, options: RunOptions(executor: executor)).run(workflowId: "w")
        return try #require(result.steps.first)
    }

    static func text(_ body: String, type: String?) -> ScriptedResponse {
        ScriptedResponse(headers: type.map { [HTTPHeaderField(name: "Content-Type", value: $0)] } ?? [], body: body)
    }

    @Test func pointersReadTheLastOfRepeatedNamesAndWholeBodiesAreTheTree() async throws {
        let body = #"{"id":"m-1","n":1,"user":{"name":"Ann","K":1,"\u212A":2},"list":[1,2.0,"x"],"n":7}"#
        let trace = try await Self.run(Self.text(body, type: "application/json"), outputs: [
            "id": "$response.body#/id", "n": "$response.body#/n", "kelvin": "$response.body#/user/K",
            "second": "$response.body#/list/1", "whole": "$response.body", "user": "$response.body#/user",
        ])
        let tree = try JSONValue(parsing: body)
        #expect(trace.outputs["id"] == "m-1")
        #expect(trace.outputs["n"] == .int(7))
        #expect(trace.outputs["kelvin"] == .int(2))
        #expect(trace.outputs["second"].map { if case .double(2.0) = $0 { true } else { false } } == true)
        #expect(trace.outputs["whole"].map { $0.jsonText() } == tree.jsonText())
        #expect(trace.outputs["user"].map { $0.jsonText() } == tree["user"]?.jsonText())
        #expect(trace.contract.isEmpty, "\(trace.contract)")
    }

    @Test func aMissingMemberIsUnresolvedWithTheTreesReason() async throws {
        let trace = try await Self.run(Self.text(#"{"id":"a","list":[]}"#, type: "application/json"), outputs: [
            "missing": "$response.body#/nope", "past": "$response.body#/list/0", "into": "$response.body#/id/x",
        ])
        let notes = trace.notes.joined(separator: "\n")
        #expect(notes.contains("JSON pointer `#/nope`: no member 'nope' at the root"), "\(notes)")
        #expect(notes.contains("JSON pointer `#/list/0`: index 0 at '/list' is out of range (the array has 0 elements)"), "\(notes)")
        #expect(notes.contains("JSON pointer `#/id/x`: cannot take 'x' of a string at '/id'"), "\(notes)")
    }

    @Test func bodiesThatAreNotIndexedKeepTheirValues() async throws {
        // Invalid JSON under a JSON media type: the text, and the contract says why.
        let invalid = try await Self.run(Self.text("{oops", type: "application/json"), outputs: ["whole": "$response.body"])
        #expect(invalid.outputs["whole"] == "{oops")
        #expect(invalid.contract.map(\.message) == ["the body is not valid JSON: unexpected character `o`; expected a member name in double quotes"])
        // Text: a string, and a pointer into it is unresolved.
        let text = try await Self.run(Self.text("hello", type: "text/plain"), outputs: ["whole": "$response.body", "p": "$response.body#/a"])
        #expect(text.outputs["whole"] == "hello")
        #expect(text.notes.joined().contains("JSON pointer `#/a`: cannot take 'a' of a string at the root"), "\(text.notes)")
        // No content type: JSON when it parses.
        let untyped = try await Self.run(Self.text(#"{"id":"z"}"#, type: nil), outputs: ["id": "$response.body#/id"])
        #expect(untyped.outputs["id"] == "z")
    }

    @Test func theContractCheckReadsTheIndexAndReportsAsTheTreeDid() async throws {
        let valid = try await Self.run(Self.text(#"{"id":"a","n":3}"#, type: "application/json"), outputs: ["id": "$response.body#/id"])
        #expect(valid.contract.isEmpty, "\(valid.contract)")
        let invalid = try await Self.run(Self.text(#"{"n":"three"}"#, type: "application/json"), outputs: ["n": "$response.body#/n"])
        #expect(invalid.contract.map(\.description).sorted() == [
            "contract-body at /id: required property 'id' is missing",
            #"contract-body at /n: expected integer, found string "three""#,
        ].sorted(), "\(invalid.contract.map(\.description))")
    }
}
