// Fuzz target: the runtime-expression parser (1.0 and 1.1 grammars), the static scope check and evaluation against a small
// fixed context. Any input must parse or throw an ExpressionError; evaluation must end in a value or
// an UnresolvedExpression.
import ArazzoExpressions
import ArazzoJSON

let context = ExpressionValues(
    url: "https://api.example.com/pets/7", method: "POST", statusCode: 201,
    requestHeaders: [(name: "Content-Type", value: "application/json")],
    requestQuery: ["limit": 10], requestPath: ["petId": "7"],
    requestBody: ["name": "Rex", "tags": ["a", "b"], "nested": ["x": [1, 2, ["y": nil]]]],
    responseHeaders: [(name: "Location", value: "/pets/7"), (name: "Retry-After", value: "5")],
    responseBody: ["id": 7, "items": [["name": "a"], ["name": "b"]], "~/": "escaped"],
    inputs: ["username": "alice", "n": 3.5], outputs: ["token": "t"],
    steps: ["login": ["token": "abc", "user.id": 1]],
    workflowInputs: ["wf": ["a": 1]], workflowOutputs: ["wf": ["b": 2]],
    sourceDescriptions: ["petStore": ["url": "https://x.example/openapi.yaml"]],
    components: [.inputs: ["pet": ["type": "object"]]],
    selfURI: "https://x.example/flows.arazzo.yaml", messageHeaders: [(name: "Correlation-Id", value: "c1")],
    messagePayload: ["status": "ok", "items": [1, 2]])

let scope = ExpressionScope(
    steps: [.init(id: "login", outputs: ["token", "user.id"]), .init(id: "next", outputs: ["a"])],
    currentStepIndex: 1, inputNames: ["username", "n"], workflowOutputNames: ["result"],
    workflows: [.init(id: "wf", inputs: ["a"], outputs: ["b"])], sourceDescriptionNames: ["petStore"],
    componentNames: [.inputs: ["pet"], .parameters: ["page"]])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = RuntimeExpression.looksLikeExpression(text)
    _ = RuntimeExpression.looksLikeKnownExpression(text)
    _ = scope.check(text, as: .expression)
    for version in ExpressionVersion.allCases {
        if let expression = try? RuntimeExpression(parsing: text, version: version) {
            _ = expression.name
            _ = expression.readsHTTPExchange
            _ = expression.readsMessage
            if case .success(let value) = expression.evaluate(in: context) {
                _ = value.jsonText()
            }
        }
    }
    return 0
}
