import ArazzoDiagnostics
import ArazzoJSON
import ArazzoModel
import ArazzoYAML
import Testing

/// The YAML layer as the model depends on it: YAML 1.2 typing of the values Arazzo documents
/// contain, and line:column of nested nodes in block, flow and JSON style.
@Suite("YAML layer (as used by the model)")
struct YAMLLayerTests {
    typealias Loc = ArazzoDiagnostics.SourceLocation

    @Test(
        "YAML 1.2 typing of values found in Arazzo documents",
        arguments: [
            ("value: on", JSONValue.string("on")),
            ("value: yes", .string("yes")),
            ("value: No", .string("No")),
            ("value: 1.0", .double(1.0)),
            ("value: 010", .int(10)),
            ("value: 0o10", .int(8)),
            ("value: 0x10", .int(16)),
            ("value: 1_000", .string("1_000")),
            ("value: 2024-05-29", .string("2024-05-29")),
            ("value: 12:30", .string("12:30")),
            ("value: ~", .null),
            ("value:", .null),
            ("value: '200'", .string("200")),
            ("value: \"null\"", .string("null")),
            ("value: $statusCode == 200", .string("$statusCode == 200")),
            ("value: $response.body#/a/0", .string("$response.body#/a/0")),
            ("value: -.inf", .double(-.infinity)),
            ("value: 9223372036854775807", .int(Int.max)),
        ])
    func typing(_ text: String, _ expected: JSONValue) throws {
        let root = try YAMLParser.parse(text, file: "t.yaml")
        #expect(root["value"]?.scalar?.value == expected)
    }

    @Test("scalar text is kept as written for numbers, so `version: 1.10` is not 1.1")
    func scalarText() throws {
        let root = try YAMLParser.parse("version: 1.10\nretryAfter: 2.50\n", file: "t.yaml")
        #expect(root["version"]?.scalar?.text == "1.10")
        #expect(root["retryAfter"]?.scalar?.text == "2.50")
        #expect(root["retryAfter"]?.scalar?.value == .double(2.5))
    }

    @Test("block style: nested mapping, sequence and scalar locations")
    func blockLocations() throws {
        let text = """
            workflows:
              - workflowId: w
                steps:
                  - stepId: s
                    requestBody:
                      payload:
                        items:
                          - id: 1
                            name: "two"
            """
        let root = try YAMLParser.parse(text, file: "b.yaml")
        let step = try #require(root["workflows"]?.sequence?[0]["steps"]?.sequence?[0])
        #expect(step.location == Loc(file: "b.yaml", line: 4, column: 9))
        #expect(step.pair("requestBody")?.keyLocation == Loc(file: "b.yaml", line: 5, column: 9))
        let item = try #require(step["requestBody"]?["payload"]?["items"]?.sequence?[0])
        #expect(item.location == Loc(file: "b.yaml", line: 8, column: 17))
        #expect(item["name"]?.location == Loc(file: "b.yaml", line: 9, column: 23), "a quoted scalar starts at its quote")
        #expect(item.pair("name")?.keyLocation == Loc(file: "b.yaml", line: 9, column: 17))
    }

    @Test("flow style spread over lines: locations of nested nodes")
    func flowLocations() throws {
        let text = """
            steps: [
              {stepId: a, outputs: {x: $response.body}},
              {stepId: b,
               parameters: [{name: p, in: query, value: [1, {deep: 'yes'}]}]}
            ]
            """
        let root = try YAMLParser.parse(text, file: "f.yaml")
        let steps = try #require(root["steps"]?.sequence)
        #expect(steps[0].location == Loc(file: "f.yaml", line: 2, column: 3))
        #expect(steps[0]["outputs"]?["x"]?.location == Loc(file: "f.yaml", line: 2, column: 28))
        #expect(steps[1].pair("parameters")?.keyLocation == Loc(file: "f.yaml", line: 4, column: 4))
        let value = try #require(steps[1]["parameters"]?.sequence?[0]["value"]?.sequence)
        #expect(value[0].location == Loc(file: "f.yaml", line: 4, column: 46))
        #expect(value[1]["deep"]?.location == Loc(file: "f.yaml", line: 4, column: 56))
        #expect(value[1]["deep"]?.scalar?.style == .singleQuoted)
    }

    @Test("block scalars start at their indicator; their text excludes it")
    func blockScalarLocation() throws {
        let root = try YAMLParser.parse("payload: |\n  {\"a\": \"{$inputs.a}\"}\nnext: x\n", file: "s.yaml")
        #expect(root["payload"]?.location == Loc(file: "s.yaml", line: 1, column: 10))
        #expect(root["payload"]?.scalar?.text == "{\"a\": \"{$inputs.a}\"}\n")
        #expect(root["next"]?.location == Loc(file: "s.yaml", line: 3, column: 7))
    }

    @Test("JSON input: same tree, locations per line and column")
    func jsonLocations() throws {
        let text = "{\n  \"workflows\": [\n    {\"workflowId\": \"w\", \"steps\": []}\n  ]\n}\n"
        let root = try YAMLParser.parse(text, file: "j.json")
        let workflow = try #require(root["workflows"]?.sequence?[0])
        #expect(workflow.location == Loc(file: "j.json", line: 3, column: 5))
        #expect(workflow["workflowId"]?.location == Loc(file: "j.json", line: 3, column: 20))
        #expect(workflow.pair("steps")?.keyLocation == Loc(file: "j.json", line: 3, column: 25))
        #expect(workflow["steps"]?.sequence == [])
    }

    @Test("CRLF line endings and comments do not shift lines or columns")
    func crlf() throws {
        let text = "# comment\r\narazzo: 1.0.1\r\ninfo:\r\n  title: t # trailing\r\n  version: v\r\n"
        let root = try YAMLParser.parse(text, file: "c.yaml")
        #expect(root["info"]?["title"]?.location == Loc(file: "c.yaml", line: 4, column: 10))
        #expect(root["info"]?["title"]?.scalar?.text == "t")
        #expect(root["info"]?["version"]?.location == Loc(file: "c.yaml", line: 5, column: 12))
    }

    @Test("anchors and aliases expand to equal subtrees (shared parameters)")
    func aliases() throws {
        let text = """
            a: &p {name: id, in: path, value: 1}
            b: *p
            """
        let root = try YAMLParser.parse(text, file: "a.yaml")
        #expect(root["a"]?.jsonValue == root["b"]?.jsonValue)
        #expect(root["b"]?["name"]?.scalar?.text == "id")
    }

    @Test("the model reports a located error for a value inside a flow collection")
    func modelUsesNestedLocation() {
        let doc = """
            arazzo: 1.0.1
            info: {title: t, version: v}
            sourceDescriptions: [{name: a, url: u}]
            workflows: [{workflowId: w, steps: [{stepId: s, operationId: op, onFailure: [{name: r, type: retry, retryLimit: -3}]}]}]
            """
        let result = ArazzoDocumentReader.read(text: doc, file: "m.yaml")
        let diagnostic = result.diagnostics.all.first
        #expect(diagnostic?.code == "retry-value")
        #expect(diagnostic?.location == Loc(file: "m.yaml", line: 4, column: 113))
    }
}
