import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML
import Testing
import OrderedCollections

@Suite("Node locations")
struct LocationTests {
    let text = """
        arazzo: 1.0.1
        workflows:
          - workflowId: w1
            steps:
              - {stepId: s1, operationId: "op"}
              - stepId: s2
                parameters: [ {name: a, in: query, value: 1} ]
        """

    @Test("block mappings and sequences carry 1-based line and column")
    func blockLocations() throws {
        let root = try YAMLParser.parse(text, file: "doc.yaml")
        #expect(root.location == SourceLocation(file: "doc.yaml", line: 1, column: 1))
        #expect(root.pair("workflows")?.keyLocation == SourceLocation(file: "doc.yaml", line: 2, column: 1))
        let workflow = try #require(root["workflows"]?.sequence?.first)
        #expect(workflow.location.line == 3)
        #expect(workflow.location.column == 5)
        #expect(workflow["workflowId"]?.location == SourceLocation(file: "doc.yaml", line: 3, column: 17))
    }

    @Test("flow collections inside block ones")
    func flowLocations() throws {
        let root = try YAMLParser.parse(text, file: "doc.yaml")
        let steps = try #require(root["workflows"]?.sequence?.first?["steps"]?.sequence)
        #expect(steps[0].location == SourceLocation(file: "doc.yaml", line: 5, column: 9))
        #expect(steps[0]["operationId"]?.location == SourceLocation(file: "doc.yaml", line: 5, column: 35))
        let parameter = try #require(steps[1]["parameters"]?.sequence?.first)
        #expect(parameter.location == SourceLocation(file: "doc.yaml", line: 7, column: 23))
        #expect(parameter["value"]?.location == SourceLocation(file: "doc.yaml", line: 7, column: 51))
        #expect(parameter.pair("in")?.keyLocation.column == 33)
    }

    @Test("columns count Unicode scalars, not bytes")
    func unicodeColumns() throws {
        let root = try YAMLParser.parse("title: \"é€😀\"\nnext: x\nwide: [é, ü, x]\n", file: "u.yaml")
        let wide = try #require(root["wide"]?.sequence)
        #expect(wide[2].location.column == 14, "bytes would give 16")
    }

    @Test("mapping order is kept")
    func order() throws {
        let root = try YAMLParser.parse("z: 1\na: 2\nm: 3\n", file: "o.yaml")
        #expect(root.mapping?.map(\.key) == ["z", "a", "m"])
        guard case .object(let object) = root.jsonValue else {
            Issue.record("expected an object")
            return
        }
        #expect(Array(object.keys) == ["z", "a", "m"])
    }

    @Test("JSON documents produce the same tree, with locations")
    func json() throws {
        let root = try YAMLParser.parse("{\n  \"a\": [1, 2.5, \"x\", true, null],\n  \"b\": {\"c\": \"d\"}\n}\n", file: "d.json")
        #expect(root.jsonValue == ["a": [1, 2.5, "x", true, nil], "b": ["c": "d"]])
        #expect(root["b"]?["c"]?.location == SourceLocation(file: "d.json", line: 3, column: 14))
        #expect(root["a"]?.sequence?[1].scalar?.value == .double(2.5))
    }

    @Test("anchors and aliases share the anchored node")
    func aliases() throws {
        let root = try YAMLParser.parse("base: &b {x: 1}\ncopy: *b\nlist: [*b, *b]\n", file: "a.yaml")
        #expect(root["copy"]?.jsonValue == ["x": 1])
        #expect(root["list"]?.jsonValue == [["x": 1], ["x": 1]])
    }
}
