import Foundation
import Testing
import Arazzo
import ArazzoExpressions
import OrderedCollections

/// Decision PB1: a recorded trace keeps its request, response, outputs and criterion
/// explanations as they were and redacts them when they are read. These tests hold the reads to
/// what eager redaction gave: every read is redacted, a value set after recording is kept as set,
/// and an explanation written on read is the text the condition always wrote.
@Suite("Recorded traces: redacted when read (PB1)")
struct RecordedTraceTests {
    static let canary = "canary-PB1-7f3e9a51c2d84b60"

    /// Keys sorted, so two encodings compare byte for byte.
    static var sortedEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    static let api = """
        openapi: 3.0.3
        info: {title: a, version: '1'}
        servers: [{url: 'https://api.example'}]
        paths:
          /echo:
            post:
              operationId: echo
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {'200': {description: ok}}
        """

    /// A run whose request body, response body, response header, outputs and criterion all carry
    /// the password input.
    static func run() async throws -> RunResult {
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    password: {type: string, format: password}
                steps:
                  - stepId: call
                    operationId: echo
                    requestBody:
                      contentType: application/json
                      payload: {password: $inputs.password}
                    successCriteria:
                      - condition: $response.body#/echoed == $inputs.password
                    outputs:
                      echoed: $response.body#/echoed
                      whole: $response.body
            """, sources: ["api.yaml": api])
        let executor = InMemoryExecutor(routes: [
            .init("POST", "/echo", .json(["echoed": .string(canary)], headers: HeaderFields([HeaderFields.Field(name: "X-Echo", value: canary)]))),
        ])
        return try await engine(document, executor).run(workflowId: "wf", inputs: ["password": .string(canary)])
    }

    @Test("Every read of a recorded trace is redacted: request, response, outputs, explanations, and the trace's JSON")
    func readsAreRedacted() async throws {
        let result = try await Self.run()
        #expect(result.succeeded)
        let trace = try #require(result.steps.first)
        let request = try #require(trace.request)
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"password":"[REDACTED]"}"#)
        let response = try #require(trace.response)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"echoed":"[REDACTED]"}"#)
        #expect(response.headers["X-Echo"] == "[REDACTED]")
        #expect(trace.outputs["echoed"] == "[REDACTED]")
        #expect(trace.outputs["whole"] == ["echoed": "[REDACTED]"])
        #expect(
            trace.criteria.first?.explanation
                == "`$response.body#/echoed == $inputs.password` is true: `$response.body#/echoed` was '[REDACTED]', `$inputs.password` was '[REDACTED]'")
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(!json.contains(Self.canary))
        #expect(json.contains("[REDACTED]"))
        // Read twice, the same text (nothing is consumed by a read).
        #expect(trace.response?.body == response.body)
    }

    @Test("A value set on a recorded trace is kept as set, as a stored value was")
    func setAfterRecordingIsKept() async throws {
        var trace = try #require(try await Self.run().steps.first)
        trace.outputs = ["mine": .string(Self.canary)]
        #expect(trace.outputs == ["mine": .string(Self.canary)])
        trace.response = HTTPResponse(status: 201, body: Array(Self.canary.utf8))
        #expect(trace.response?.body == Array(Self.canary.utf8))
        // The request was not set again: it still reads redacted.
        #expect(String(decoding: trace.request?.body ?? [], as: UTF8.self) == #"{"password":"[REDACTED]"}"#)
        trace.criteria[0].explanation = "set by hand \(Self.canary)"
        #expect(trace.criteria[0].explanation == "set by hand \(Self.canary)")
    }

    @Test("Changing another field of a recorded verdict keeps its explanation redacted")
    func verdictWriteKeepsRedaction() async throws {
        var trace = try #require(try await Self.run().steps.first)
        trace.criteria[0].condition = "edited"
        #expect(trace.criteria[0].condition == "edited")
        #expect(trace.criteria[0].explanation.contains("[REDACTED]"))
        #expect(!trace.criteria[0].explanation.contains(Self.canary))
        trace.criteria.append(trace.criteria[0])
        #expect(trace.criteria.allSatisfy { !$0.explanation.contains(Self.canary) })
    }

    @Test("A recorded trace decodes from its JSON to the same reads")
    func codingRoundTrip() async throws {
        let trace = try #require(try await Self.run().steps.first)
        let data = try Self.sortedEncoder.encode(trace)
        let decoded = try JSONDecoder().decode(StepTrace.self, from: data)
        #expect(decoded.request == trace.request)
        #expect(decoded.response == trace.response)
        #expect(decoded.outputs == trace.outputs)
        #expect(decoded.criteria == trace.criteria)
        #expect(try Self.sortedEncoder.encode(decoded) == data)
    }

    @Test("A criterion's explanation written on read is the condition's own text; verdicts compare and hash by it")
    func explanationIsTheConditionText() throws {
        struct Context: ExpressionContext {
            var statusCode: Int? { 401 }
        }
        let criterion = CompiledCriterion(condition: "$statusCode == 200 && $statusCode != 404")
        let verdict = criterion.evaluate(in: Context())
        let condition = try #require(criterion.simpleCondition).evaluate(in: Context())
        #expect(verdict.explanation == "`$statusCode == 200 && $statusCode != 404` is false: `$statusCode` was 401")
        #expect(verdict.explanation == condition.explanation)
        let written = CriterionVerdict(
            passed: verdict.passed, explanation: verdict.explanation, unresolved: verdict.unresolved, error: verdict.error,
            kind: verdict.kind, condition: verdict.condition)
        #expect(verdict == written)
        #expect(Set([verdict, written]).count == 1)
        #expect(try Self.sortedEncoder.encode(verdict) == Self.sortedEncoder.encode(written))
    }
}
