// Fuzz target: `{$…}` templates (parser, brace check, scope check, rendering) and `Any | {expression}`
// values compiled from the text and from a JSON document holding it.
import ArazzoExpressions
import ArazzoJSON

let context = ExpressionValues(
    url: "https://api.example.com/pets/7", method: "GET", statusCode: 200,
    responseHeaders: [(name: "Location", value: "/pets/7")],
    responseBody: ["id": 7, "name": "Rex", "tags": ["a", "b"], "obj": ["k": [1, 2]]],
    inputs: ["username": "alice", "token": "s3cr3t"],
    steps: ["login": ["token": "abc"]],
    sourceDescriptions: ["petStore": ["url": "https://x.example/openapi.yaml"]])

let scope = ExpressionScope(
    steps: [.init(id: "login", outputs: ["token"]), .init(id: "now")], currentStepIndex: 1,
    inputNames: ["username", "token"], sourceDescriptionNames: ["petStore"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = ExpressionTemplate.containsEmbeddedExpression(text)
    _ = scope.check(text, as: .template)
    _ = scope.check(text, as: .value)
    if let template = try? ExpressionTemplate(parsing: text) {
        _ = template.unbalancedBraceOffset
        _ = template.render(in: context)
    }
    let value = ValueTemplate(.string(text))
    _ = value.evaluate(in: context).value?.jsonText()
    // The same bytes as a JSON payload: every string leaf is a template.
    if let json = try? JSONValue(parsing: Array(bytes), maxDepth: 64) {
        let payload = ValueTemplate(json)
        _ = scope.check(payload)
        _ = payload.evaluate(in: context).value?.jsonText()
    }
    return 0
}
