// Fuzz target: the inputs JSON Schema validator. The first line is the schema (JSON); the rest the
// instance (JSON, otherwise a fixed one). Compilation must succeed or throw a SchemaError;
// validation must end within its step budget, and its verdict pass must agree with the evaluator.
import ArazzoJSON
import ArazzoJSONSchema

let fixed: JSONValue = ["name": "Rex", "age": 3, "tags": ["a", "b", "a"], "nested": ["x": [1, 2.5, nil, true]]]
let options = JSONSchema.Options(maxSchemaDepth: 64, maxSchemaNodes: 5_000, maxEvaluationDepth: 128, maxEvaluationSteps: 100_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0x0A) ?? bytes.count
    guard let schemaValue = try? JSONValue(parsing: Array(bytes[..<split]), maxDepth: 64) else { return 0 }
    var instance = fixed
    if split < bytes.count, let parsed = try? JSONValue(parsing: Array(bytes[(split + 1)...]), maxDepth: 64) {
        instance = parsed
    }
    let resolver = JSONSchema.fragmentResolver(in: ["components": ["inputs": ["pet": ["type": "object"]]], "s": schemaValue])
    guard let schema = try? JSONSchema(schemaValue, options: options, resolveRef: resolver) else { return 0 }
    // The verdict-only pass must agree with the full evaluator (docs/decisions.md PA1): the same
    // violations from validate, the same verdict from isValid.
    let full = schema.violations(instance)
    if schema.validate(instance) != full || schema.isValid(instance) != full.isEmpty {
        fatalError("the verdict pass and the evaluator disagree")
    }
    _ = schema.isValid(fixed)
    return 0
}
