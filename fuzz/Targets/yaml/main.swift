// Fuzz target: arbitrary bytes through the YAML layer and the JSON conversion. Any input must end
// in a tree or a located Diagnostic; a crash, hang or leak is a bug.
import ArazzoYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let node = try? YAMLParser.parse(bytes: bytes, file: "fuzz.yaml", limits: YAMLLimits(maxDepth: 256, maxNodes: 100_000)) {
        _ = node.jsonValue.jsonText()
    }
    return 0
}
