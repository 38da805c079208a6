// Fuzz target: `simple` conditions (parser, scope check, evaluation) and the same text compiled as a
// Criterion Object of each kind against a fixed context. Any input must end in a verdict.
import ArazzoExpressions
import ArazzoJSON

let context = ExpressionValues(
    url: "https://api.example.com/pets/7", method: "GET", statusCode: 200,
    responseHeaders: [(name: "Content-Type", value: "application/json"), (name: "Retry-After", value: "5")],
    responseBody: [
        "status": "available", "count": "12", "n": 12, "f": 1.5, "ok": true, "none": nil,
        "items": [["id": 1, "name": "Rex"], ["id": 2, "name": "Tom"]],
        "xml": "<a><b id='1'>x</b><b>y</b></a>",
    ],
    inputs: ["username": "alice", "name": "O'Brien"],
    steps: ["login": ["token": "abc"]])

let scope = ExpressionScope(
    steps: [.init(id: "login", outputs: ["token"]), .init(id: "now")], currentStepIndex: 1,
    inputNames: ["username", "name"])

let kinds: [(type: String?, context: String?)] = [
    (nil, nil), ("simple", "$response.body"), ("regex", "$response.body#/status"),
    ("jsonpath", "$response.body"), ("xpath", "$response.body#/xml"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    // The first byte picks the criterion kind; the rest is the condition text.
    let kind = kinds[Int(data[0]) % kinds.count]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    _ = scope.check(text, as: .condition)
    if let condition = try? SimpleCondition(parsing: text) {
        _ = condition.test(in: context)
        _ = condition.evaluate(in: context).explanation
    }
    let criterion = CompiledCriterion(condition: text, context: kind.context, type: kind.type)
    _ = scope.check(criterion)
    _ = criterion.evaluate(in: context).explanation
    return 0
}
