// Fuzz target: RFC 9535 JSONPath. The first line is the query; the rest, when it is JSON, the
// document (otherwise a fixed one). Any query must compile or throw a JSONPathError, and selection
// must end.
import ArazzoJSON
import ArazzoJSONPath

let fixed: JSONValue = [
    "store": [
        "book": [
            ["category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95],
            ["category": "fiction", "author": "Evelyn Waugh", "price": 12.99, "isbn": "0-553-21311-3"],
        ],
        "bicycle": ["color": "red", "price": 19.95],
    ],
    "a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "o": ["": nil, "k": true, "n": -0.0],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0x0A) ?? bytes.count
    let query = String(decoding: bytes[..<split], as: UTF8.self)
    var document = fixed
    if split < bytes.count, let parsed = try? JSONValue(parsing: Array(bytes[(split + 1)...]), maxDepth: 64) {
        document = parsed
    }
    if let compiled = try? JSONPathQuery(query) {
        _ = compiled.isSingular
        for node in compiled.select(document).prefix(1000) { _ = node.path }
    }
    return 0
}
