import Foundation
import Testing
import Arazzo

/// How text inputs (`--input`, `ARAZZO_INPUT_*`) and typed ones (`--inputs FILE`) get the types
/// a workflow's `inputs` schema declares (docs/decisions.md I1).
@Suite("Input typing by the workflow's inputs schema")
struct InputTypingTests {
    static func typing() async throws -> InputTyping {
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                inputs:
                  $ref: '#/components/inputs/all'
                steps: [{stepId: s, operationId: ping}]
              - workflowId: bare
                steps: [{stepId: s, operationId: ping}]
            components:
              inputs:
                all:
                  type: object
                  properties:
                    code: {type: string}
                    count: {type: integer}
                    ratio: {type: number}
                    flag: {type: boolean}
                    either: {type: [integer, string]}
                    mode: {enum: ['1', '2']}
                    pin: {type: integer, format: password}
                    tags: {type: array}
                    free: {}
            """, sources: ["api.yaml": """
            openapi: 3.0.3
            info: {title: a, version: '1'}
            paths:
              /ping:
                get: {operationId: ping, responses: {'200': {description: ok}}}
            """])
        return InputTyping(workflowId: "wf", in: document)
    }

    @Test("Text takes the declared type; a union or no type keeps the JSON reading", arguments: [
        ("code", "123456", JSONValue.string("123456")),
        ("code", "true", .string("true")),
        ("code", "null", .string("null")),
        ("code", "{\"a\":1}", .string("{\"a\":1}")),
        ("code", "\"quoted\"", .string("quoted")),
        ("count", "12", .int(12)),
        ("count", "twelve", .string("twelve")),
        ("ratio", "2.5", .double(2.5)),
        ("flag", "false", .bool(false)),
        ("either", "12", .int(12)),
        ("either", "x", .string("x")),
        ("mode", "1", .string("1")),
        ("tags", "[\"a\"]", .array(["a"])),
        ("free", "42", .int(42)),
        ("undeclared", "42", .int(42)),
    ])
    func text(name: String, text: String, expected: JSONValue) async throws {
        #expect(try await Self.typing().value(fromText: text, for: name) == expected)
    }

    @Test("A typed value keeps its type, except a quoted number or boolean where only that type is allowed")
    func typed() async throws {
        let typing = try await Self.typing()
        let count = typing.value(fromTyped: "12", for: "count")
        #expect(count.value == 12)
        #expect(count.converted == "input 'count' is the string \"12\" where the schema asks for integer; using 12")
        #expect(typing.value(fromTyped: "true", for: "flag").value == true)
        #expect(typing.value(fromTyped: 123456, for: "code").value == 123456)
        #expect(typing.value(fromTyped: "12", for: "either").converted == nil)
        #expect(typing.value(fromTyped: " 12", for: "count").value == " 12")
        #expect(typing.value(fromTyped: "twelve", for: "count").value == "twelve")
    }

    @Test("The conversion line of a secret input does not show its value")
    func secretConversion() async throws {
        let pin = try await Self.typing().value(fromTyped: "4321", for: "pin")
        #expect(pin.value == 4321)
        #expect(pin.converted == "input 'pin' is a string where the schema asks for integer; it is used as a number")
    }
}
