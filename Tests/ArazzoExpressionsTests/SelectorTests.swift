import ArazzoExpressions
import ArazzoJSON
import Testing

@Suite("Arazzo 1.1 selectors")
struct SelectorTests {
    let body: JSONValue = [
        "user": ["profile": ["email": "a@example.com"]],
        "items": [["id": 1, "tag": "x"], ["id": 2, "tag": "y"]],
        "empty": [],
    ]

    @Test("the spec's output example: a singular JSONPath query yields the value")
    func specExample() {
        let s = CompiledSelector(selector: "$.user.profile.email", type: "jsonpath")
        #expect(s.isValid)
        #expect(s.select(from: body) == .success("a@example.com"))
    }

    @Test("V8: a replacement target names every node a JSONPath selects, one place for a pointer, none is a failure")
    func targetPointers() {
        let many = CompiledSelector(selector: "$.items[*].tag", type: "jsonpath").targetPointers(in: body)
        #expect((try? many.get())?.map(\.description) == ["/items/0/tag", "/items/1/tag"])
        let escaped = CompiledSelector(selector: "$['a/b']", type: "jsonpath").targetPointers(in: ["a/b": 1])
        #expect((try? escaped.get())?.map(\.description) == ["/a~1b"])
        // A pointer may name a place that does not exist yet (it is added, A21).
        let pointer = CompiledSelector(selector: "/user/phone", type: "jsonpointer").targetPointers(in: body)
        #expect((try? pointer.get())?.map(\.description) == ["/user/phone"])
        let none = CompiledSelector(selector: "$.nothing[*]", type: "jsonpath").targetPointers(in: body)
        #expect(none == .failure(SelectorFailure(selector: "$.nothing[*]", reason: "the JSONPath target selects no node of the payload")))
        #expect(CompiledSelector(selector: "/a", type: "xpath").targetPointers(in: body).isFailure)
    }

    @Test("S1: a singular query that selects nothing is unresolved")
    func singularNothing() {
        let s = CompiledSelector(selector: "$.user.phone", type: "jsonpath")
        #expect(s.select(from: body) == .failure(SelectorFailure(selector: "$.user.phone", reason: "the JSONPath query selected nothing")))
        let onString = CompiledSelector(selector: "$.a", type: "jsonpath").select(from: "{\"a\":1}")
        #expect(onString == .failure(SelectorFailure(selector: "$.a", reason: "the JSONPath query selected nothing (the context is a string, not parsed JSON)")))
    }

    @Test("S1: a non-singular query always yields an array, whatever the number of nodes")
    func nonSingular() {
        #expect(CompiledSelector(selector: "$.items[*].id", type: "jsonpath").select(from: body) == .success([1, 2]))
        #expect(CompiledSelector(selector: "$.items[?@.tag == 'y'].id", type: "jsonpath").select(from: body) == .success([2]))
        #expect(CompiledSelector(selector: "$.items[?@.tag == 'z'].id", type: "jsonpath").select(from: body) == .success([]))
        #expect(CompiledSelector(selector: "$..email", type: "jsonpath").select(from: body) == .success(["a@example.com"]))
        #expect(CompiledSelector(selector: "$.items[0].id", type: "jsonpath").select(from: body) == .success(1))
    }

    @Test("S2: JSON Pointer selects one value or is unresolved")
    func jsonPointer() {
        #expect(CompiledSelector(selector: "/items/1/tag", type: "jsonpointer").select(from: body) == .success("y"))
        #expect(CompiledSelector(selector: "", type: "jsonpointer", version: "rfc6901").select(from: body) == .success(body))
        if case .failure(let f) = CompiledSelector(selector: "/items/5", type: "jsonpointer").select(from: body) {
            #expect(f.reason.hasPrefix("JSON Pointer: "))
        } else {
            Issue.record("selected something")
        }
        let bad = CompiledSelector(selector: "items/0", type: "jsonpointer")
        #expect(!bad.isValid)
        #expect(bad.issues.first?.message.hasSuffix("(a JSON Pointer starts with `/`, e.g. `/items/0`)") == true)
    }

    @Test("S3: XPath over XML text: one node is its string-value, several an array, scalars as JSON")
    func xpath() {
        let xml: JSONValue = "<Invoice><Header><InvoiceNumber>INV-7</InvoiceNumber></Header><Line>a</Line><Line>b</Line></Invoice>"
        #expect(CompiledSelector(selector: "/Invoice/Header/InvoiceNumber", type: "xpath", version: "xpath-30").select(from: xml) == .success("INV-7"))
        #expect(CompiledSelector(selector: "/Invoice/Line", type: "xpath").select(from: xml) == .success(["a", "b"]))
        #expect(CompiledSelector(selector: "count(/Invoice/Line)", type: "xpath").select(from: xml) == .success(2))
        #expect(CompiledSelector(selector: "count(/Invoice/Line) div 4", type: "xpath").select(from: xml) == .success(0.5))
        #expect(CompiledSelector(selector: "boolean(/Invoice/Line)", type: "xpath").select(from: xml) == .success(true))
        #expect(CompiledSelector(selector: "/Invoice/Missing", type: "xpath").select(from: xml)
            == .failure(SelectorFailure(selector: "/Invoice/Missing", reason: "the XPath expression selected no node")))
        if case .failure(let f) = CompiledSelector(selector: "/a", type: "xpath").select(from: ["a": 1]) {
            #expect(f.reason == "an xpath selector needs XML text as its context, but the context is parsed JSON (object)")
        } else {
            Issue.record("selected something from JSON")
        }
    }

    @Test("S3: XPath 2.0+ constructs are located compile errors, never evaluated")
    func xpathLater() {
        let s = CompiledSelector(selector: "/Invoice/Line ! string()", type: "xpath")
        #expect(!s.isValid)
        #expect(s.issues.first?.offset == 14)
        #expect(s.issues.first?.message.contains("the simple map operator `!`") == true)
        #expect(s.select(from: "<Invoice/>").isFailure)
    }

    @Test("S4: unknown types and versions are errors on their field, with suggestions")
    func typesAndVersions() {
        let type = CompiledSelector(selector: "$.a", type: "jsonpth")
        #expect(type.issues.map(\.field) == [.type])
        #expect(type.issues.first?.message == "unknown selector type `jsonpth`; did you mean `jsonpath`?")
        let version = CompiledSelector(selector: "/a", type: "xpath", version: "xpath-3")
        #expect(version.issues.map(\.field) == [.version])
        #expect(version.issues.first?.message.hasPrefix("unknown xpath version `xpath-3`") == true)
        #expect(CompiledSelector(selector: "$.a", type: "jsonpath", version: "draft-goessner-dispatch-jsonpath-00").isValid)
        let syntax = CompiledSelector(selector: "$.a[", type: "jsonpath")
        #expect(syntax.issues.first?.code == "jsonpath-syntax")
    }

    @Test("S5: criteria parse 1.1 expressions when the document is 1.1; a jsonpointer criterion is refused")
    func criteria11() {
        let c = CompiledCriterion(condition: "$message.payload.status == 'OK'", arazzoVersion: .v1_1)
        #expect(c.isValid)
        #expect(c.test(in: ExpressionValues(messagePayload: ["status": "ok"])))
        #expect(!CompiledCriterion(condition: "$message.payload.status == 'OK'").isValid)
        let context = CompiledCriterion(condition: "$.status", context: "$message.payload", type: "jsonpath", arazzoVersion: .v1_1)
        #expect(context.test(in: ExpressionValues(messagePayload: ["status": "ok"])))
        let pointer = CompiledCriterion(condition: "/a", context: "$response.body", type: "jsonpointer", arazzoVersion: .v1_1)
        #expect(pointer.issues.map(\.field) == [.type])
        #expect(pointer.issues.first?.message.hasPrefix("a criterion cannot be a `jsonpointer`") == true)
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
