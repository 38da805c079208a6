import Foundation
import Testing
import Arazzo
import ArazzoJSON
import ArazzoExecutor

/// Decision RB1: `StepTrace` and `HTTPRequest` keep their fields behind one shared reference,
/// copied before a write when shared. They must behave as the plain structs did: a copy changed
/// leaves the original alone, equality and hashing read the fields, and the encoded form is the
/// same keys and values.
@Suite("Copy-on-write storage keeps value semantics (RB1)")
struct ValueStorageTests {
    private static let request = HTTPRequest(
        method: "POST", url: "https://api.example.com/v1/x?a=1", headers: ["Content-Type": "application/json"],
        body: Array("{}".utf8), timeout: .seconds(30), maxResponseBytes: 1024,
        operation: OperationReference(document: "/d/api.yaml", pointer: "/paths/~1x/post", sourceName: "api"))

    @Test("A changed copy of a request leaves the original as it was")
    func requestCopiesAreIndependent() {
        let original = Self.request
        var copy = original
        #expect(copy == original)
        copy.headers.append(name: "X-Extra", value: "1")
        copy.body?.append(0x20)
        copy.method = "PUT"
        copy.redactedURL = "https://api.example.com/v1/x?a=***"
        #expect(original.method == "POST")
        #expect(original.headers != copy.headers)
        #expect(original.body == Array("{}".utf8))
        #expect(original.redactedURL == nil)
        #expect(copy != original)
        copy.method = "POST"
        copy.headers.remove(name: "X-Extra")
        copy.body?.removeLast()
        copy.redactedURL = nil
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        #expect(Set([copy, original]).count == 1)
    }

    @Test("A request encodes as the fields under their names and decodes back equal")
    func requestEncodingIsTheFields() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(Self.request), as: UTF8.self)
        #expect(text == """
            {"body":[123,125],"headers":{"fields":[{"name":"Content-Type","value":"application\\/json"}]},"maxResponseBytes":1024,\
            "method":"POST","operation":{"document":"\\/d\\/api.yaml","pointer":"\\/paths\\/~1x\\/post",\
            "sourceName":"api"},"timeout":[1,11553255926290448384],"url":"https:\\/\\/api.example.com\\/v1\\/x?a=1"}
            """)
        let back = try JSONDecoder().decode(HTTPRequest.self, from: Data(text.utf8))
        #expect(back == Self.request)
    }

    @Test("A changed copy of a trace leaves the original as it was")
    func traceCopiesAreIndependent() {
        let original = StepTrace(
            stepId: "s", operation: "op", attempt: 1, request: Self.request, outputs: ["a": .int(1)],
            action: .next, notes: ["n"], succeeded: true)
        var copy = original
        copy.notes.append("m")
        copy.outputs["b"] = JSONValue.string("x")
        copy.request?.method = "PUT"
        copy.attempt = 2
        copy.contract = []
        copy.action = StepAction.fail
        #expect(original.notes == ["n"])
        #expect(original.outputs == ["a": .int(1)])
        #expect(original.request?.method == "POST")
        #expect(original.attempt == 1)
        #expect(original.action == StepAction.next)
        #expect(copy.notes == ["n", "m"])
        #expect(copy.request?.method == "PUT")
        #expect(copy.attempt == 2)
    }
}
