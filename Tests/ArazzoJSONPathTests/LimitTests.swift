import ArazzoDiagnostics
import ArazzoJSON
import ArazzoJSONPath
import Testing

/// Hostile inputs: deep nesting, huge slice bounds, deep documents.
@Suite("JSONPath limits")
struct LimitTests {
    @Test("128 nesting levels (a filter and 127 parentheses) compile and evaluate; 129 are rejected")
    func parenthesesDepth() throws {
        let ok = "$[?" + String(repeating: "(", count: 127) + "@.a" + String(repeating: ")", count: 127) + "]"
        let query = try JSONPathQuery(ok)
        #expect(query.values([["a": 1], ["b": 2]]) == [["a": 1]])
        let tooDeep = "$[?" + String(repeating: "(", count: 128) + "@.a" + String(repeating: ")", count: 128) + "]"
        #expect(throws: JSONPathError(message: "the query nests more than 128 levels deep", offset: 130)) {
            _ = try JSONPathQuery(tooDeep)
        }
    }

    @Test("100k opening parentheses or filters fail fast without exhausting the stack")
    func hostileNesting() {
        for text in [
            "$[?" + String(repeating: "(", count: 100_000),
            String(repeating: "$[?@", count: 100_000),
            "$[?" + String(repeating: "!(", count: 100_000),
            "$[?" + String(repeating: "length(", count: 100_000),
        ] {
            #expect(throws: JSONPathError.self) { _ = try JSONPathQuery(text) }
        }
    }

    @Test("nested filters evaluate down to the depth limit")
    func nestedFilters() throws {
        var document: JSONValue = [1]
        for _ in 0..<126 { document = [document] }
        var text = "@"
        for _ in 0..<126 { text = "@[?\(text)]" }
        // 127 filters: the document is deep enough for the innermost test to find a node.
        #expect(try JSONPathQuery("$[?\(text)]").values([document]) == [document])
        // One more element level than the document has: nothing is selected.
        #expect(try JSONPathQuery("$[?\(text)]").values([[[1]]]) == [])
    }

    @Test("huge slice bounds and steps visit only existing indices", arguments: [
        ("$[0:9007199254740991]", [0, 1, 2, 3, 4]),
        ("$[-9007199254740991:9007199254740991:2]", [0, 2, 4]),
        ("$[::9007199254740991]", [0]),
        ("$[::-9007199254740991]", [4]),
        ("$[9007199254740991:-9007199254740991:-1]", [4, 3, 2, 1, 0]),
        ("$[::-2]", [4, 2, 0]),
        ("$[1:4:0]", []),
        ("$[3:1]", []),
    ])
    func hugeSlices(_ text: String, _ expected: [Int]) throws {
        let document: JSONValue = [0, 1, 2, 3, 4]
        #expect(try JSONPathQuery(text).values(document) == expected.map { JSONValue.int($0) })
    }

    @Test("descendant segments walk a 5,000-level document without recursion")
    func deepDocument() throws {
        var document: JSONValue = ["leaf": true]
        for _ in 0..<5_000 { document = ["x": [document]] }
        #expect(try JSONPathQuery("$..leaf").values(document) == [true])
        let paths = try JSONPathQuery("$..leaf").select(document).map(\.path)
        #expect(paths.first?.hasSuffix("['x'][0]['leaf']") == true)
        #expect(try JSONPathQuery("$..*").values(document).count == 10_001)
    }
}
