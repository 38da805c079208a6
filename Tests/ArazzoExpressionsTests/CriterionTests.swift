import ArazzoJSON
import ArazzoExpressions
import Foundation
import Testing

@Suite("Criterion evaluation")
struct CriterionTests {
    @Test("the spec's simple example")
    func simpleExample() {
        let c = CompiledCriterion(condition: "$statusCode == 200")
        #expect(c.isValid)
        #expect(c.kind == .simple)
        #expect(c.evaluate(in: sampleContext).passed)
        #expect(c.test(in: sampleContext))
    }

    @Test("A6: the spec's regex example ^200$ on $statusCode (numbers in JSON form)")
    func regexExample() {
        let c = CompiledCriterion(condition: "^200$", context: "$statusCode", type: "regex")
        #expect(c.isValid)
        let v = c.evaluate(in: sampleContext)
        #expect(v.passed)
        #expect(v.explanation == "`$statusCode` (200) matches /^200$/")
        var other = sampleContext
        other.statusCode = 404
        #expect(c.evaluate(in: other).explanation == "`$statusCode` (404) does not match /^200$/")
    }

    static let regexCases: [(String, String, Bool)] = [
        ("^2\\d{2}$", "$statusCode", true),          // 1.1.0 example
        ("avail", "$response.body#/status", true),     // search, not full match
        ("^avail$", "$response.body#/status", false),
        ("^true$", "$response.body#/ok", true),        // booleans in JSON form
        ("\"id\":1", "$response.body#/items/0", true), // objects as compact JSON
        ("^nginx$", "$response.header.server", true),
        ("^[0-9]+$", "$request.path.id", true),
    ]

    @Test("A6: regex search semantics and context conversion", arguments: regexCases)
    func regexCase(_ c: (String, String, Bool)) {
        let criterion = CompiledCriterion(condition: c.0, context: c.1, type: "regex")
        #expect(criterion.isValid)
        #expect(criterion.evaluate(in: sampleContext).passed == c.2)
    }

    @Test("A6: a null or unresolved regex context fails with a reason")
    func regexNullContext() {
        let null = CompiledCriterion(condition: ".*", context: "$response.body#/nothing", type: "regex").evaluate(in: sampleContext)
        #expect(!null.passed)
        #expect(null.error == "the context `$response.body#/nothing` is null")
        let missing = CompiledCriterion(condition: ".*", context: "$inputs.nope", type: "regex").evaluate(in: sampleContext)
        #expect(!missing.passed)
        #expect(missing.explanation == "the context `$inputs.nope` is unresolved (no input `nope` was supplied)")
        #expect(missing.unresolved.map(\.expression) == ["$inputs.nope"])
    }

    @Test("an invalid regex is a compile issue and the criterion fails")
    func invalidRegex() {
        let c = CompiledCriterion(condition: "^(200$", context: "$statusCode", type: "regex")
        #expect(!c.isValid)
        #expect(c.issues.first?.code == "regex-syntax")
        #expect(c.issues.first?.message.hasPrefix("invalid regular expression: ") == true)
        let v = c.evaluate(in: sampleContext)
        #expect(!v.passed)
        #expect(v.explanation.hasPrefix("the criterion is invalid: invalid regular expression: "))
    }

    @Test("A7/A8: JSONPath passes iff the node list is non-empty (RFC 9535, the spec example as is)")
    func jsonPath() {
        // The spec example on an object body: the filter looks at the root's children, so it fails.
        let example = CompiledCriterion(condition: "$[?count(@.pets) > 0]", context: "$response.body", type: "jsonpath")
        #expect(example.isValid)
        let objectBody = ExpressionValues(statusCode: 200, responseBody: ["pets": [["id": 1]]])
        #expect(!example.evaluate(in: objectBody).passed)
        // On an array body it tests that the member exists.
        let arrayBody = ExpressionValues(statusCode: 200, responseBody: [["pets": [["id": 1]]]])
        #expect(example.evaluate(in: arrayBody).passed)
        // The suggested idiom.
        let idiom = CompiledCriterion(condition: "$.pets[0]", context: "$response.body", type: "jsonpath")
        #expect(idiom.evaluate(in: objectBody).passed)
        #expect(idiom.evaluate(in: objectBody).explanation == "`$.pets[0]` selected 1 node from `$response.body`")
        #expect(!idiom.evaluate(in: ExpressionValues(statusCode: 200, responseBody: ["pets": []])).passed)
        // 1.1.0 examples.
        #expect(CompiledCriterion(condition: "$.items[*]", context: "$response.body", type: "jsonpath").evaluate(in: sampleContext).passed)
        #expect(CompiledCriterion(condition: "$[?@.access_token != null]", context: "$response.body", type: "jsonpath")
            .evaluate(in: ExpressionValues(statusCode: 200, responseBody: ["token_type": "bearer"])).passed)
    }

    @Test("A7: a null context fails a JSONPath criterion")
    func jsonPathNull() {
        let v = CompiledCriterion(condition: "$", context: "$response.body#/nothing", type: "jsonpath").evaluate(in: sampleContext)
        #expect(!v.passed)
        #expect(v.error == "the context `$response.body#/nothing` is null")
    }

    @Test("an invalid JSONPath query is a compile issue with an offset")
    func invalidJSONPath() {
        let c = CompiledCriterion(condition: "$.items[?@.id ==]", context: "$response.body", type: "jsonpath")
        #expect(!c.isValid)
        #expect(c.issues.map(\.code) == ["jsonpath-syntax"])
        #expect(c.issues.first?.field == .checked)
        #expect(!c.evaluate(in: sampleContext).passed)
    }

    @Test("A9: draft-goessner-dispatch-jsonpath-00 runs as RFC 9535, silently when the dialects agree")
    func goessner() {
        let c = CompiledCriterion(condition: "$.pets[0]", context: "$response.body", type: "jsonpath", version: "draft-goessner-dispatch-jsonpath-00")
        #expect(c.isValid)
        #expect(c.issues.isEmpty)
        #expect(c.evaluate(in: ExpressionValues(responseBody: ["pets": [1]])).passed)
        #expect(!c.evaluate(in: ExpressionValues(responseBody: ["pets": []])).passed)
    }

    static let xml = "<root xmlns:p=\"urn:p\"><pets><pet>Rex</pet><pet>Tom</pet></pets><p:flag>yes</p:flag></root>"

    static let xpathCases: [(String, String?, Bool)] = [
        ("count(/root/pets/*) > 0", nil, true),   // 1.1.0 examples
        ("/root/pets", nil, true),
        ("/root/cats", nil, false),
        ("count(/root/pets/pet)", "xpath-10", true),
        ("string(/root/cats)", "xpath-30", false),
        ("/root/p:flag = 'yes'", "xpath-20", true),
        ("0", "xpath-10", false),
    ]

    @Test("A7: XPath uses the XPath 1.0 effective boolean value", arguments: xpathCases)
    func xpath(_ c: (String, String?, Bool)) {
        let criterion = CompiledCriterion(condition: c.0, context: "$response.body", type: "xpath", version: c.1)
        #expect(criterion.isValid, "\(criterion.issues)")
        let context = ExpressionValues(statusCode: 200, responseBody: .string(Self.xml))
        #expect(criterion.evaluate(in: context).passed == c.2)
    }

    @Test("A7: XPath failures fail the criterion (malformed XML, JSON context, unknown prefix, empty body)")
    func xpathFailures() {
        let c = CompiledCriterion(condition: "/root", context: "$response.body", type: "xpath")
        let malformed = c.evaluate(in: ExpressionValues(responseBody: "<root><unclosed></root>"))
        #expect(!malformed.passed)
        #expect(malformed.error != nil)
        let json = c.evaluate(in: ExpressionValues(responseBody: ["a": 1]))
        #expect(json.error == "an xpath criterion needs XML text as its context, but `$response.body` is parsed JSON (object)")
        let empty = c.evaluate(in: ExpressionValues(responseBody: ""))
        #expect(!empty.passed)
        let prefix = CompiledCriterion(condition: "/q:root", context: "$response.body", type: "xpath")
        #expect(!prefix.evaluate(in: ExpressionValues(responseBody: "<root/>")).passed)
    }

    @Test("A7: XPath 2.0+ syntax is reported as unsupported; invalid 1.0 as invalid")
    func xpathVersions() {
        let modern = CompiledCriterion(condition: "for $x in /a return $x", context: "$response.body", type: "xpath")
        #expect(!modern.isValid)
        #expect(modern.issues.first?.message.hasPrefix("a `for` expression (offset 0) needs XPath 2.0; this engine evaluates only the XPath 1.0 subset of `xpath-31` (libxml2)") == true)
        let located = CompiledCriterion(condition: "count(//pet) gt 1", context: "$response.body", type: "xpath")
        #expect(located.issues.map(\.offset) == [13])
        let old = CompiledCriterion(condition: "/a[", context: "$response.body", type: "xpath", version: "xpath-10")
        #expect(old.issues.first?.message.hasPrefix("invalid XPath 1.0 expression: ") == true)
        let unknown = CompiledCriterion(condition: "/a", context: "$response.body", type: "xpath", version: "xpath-3")
        #expect(unknown.issues.map(\.field) == [.version])
        #expect(unknown.issues.first?.message == "unknown XPath version `xpath-3`; did you mean `xpath-30`?")
    }

    @Test("A5/A10: type, context and version validation")
    func compileIssues() {
        #expect(CompiledCriterion(condition: "x", context: "$statusCode", type: "regexp").issues.map(\.message)
            == ["unknown criterion type `regexp`; did you mean `regex`?"])
        #expect(CompiledCriterion(condition: "^2", type: "regex").issues.map(\.message)
            == ["a `regex` criterion needs a `context` (e.g. `context: $response.body`)"])
        #expect(CompiledCriterion(condition: "$statusCode == 200", context: "$response.body", type: "simple").isValid)
        #expect(CompiledCriterion(condition: "^2", context: "$statusCode", type: "regex", version: "xpath-10").issues.map(\.field) == [.version])
        let badContext = CompiledCriterion(condition: "$", context: "$response.bdy", type: "jsonpath")
        #expect(badContext.issues.map(\.field) == [.context])
        #expect(badContext.issues.first?.offset == 10)
        #expect(CompiledCriterion(condition: "$.a", context: "$response.body", type: "jsonpath", version: "rfc9535").isValid)
    }

    @Test("A26: braces around a simple condition are a warning, not an error")
    func bracedCriterion() {
        let c = CompiledCriterion(condition: "{$statusCode == 401}")
        #expect(c.isValid)
        #expect(c.issues.map(\.code) == ["condition-braces"])
    }

    @Test("1.1.0: {$…} in regex and JSONPath conditions is substituted before evaluation")
    func embeddedInCondition() {
        let context = ExpressionValues(responseBody: [["status": "sold"], ["status": "available"]], inputs: ["expectedStatus": "sold", "statusPattern": "sold|pending"])
        let path = CompiledCriterion(condition: "$[?(@.status == \"{$inputs.expectedStatus}\")]", context: "$response.body", type: "jsonpath")
        #expect(path.isValid)
        #expect(path.evaluate(in: context).passed)
        let regex = CompiledCriterion(condition: "^({$inputs.statusPattern})$", context: "$response.body#/0/status", type: "regex")
        #expect(regex.evaluate(in: context).passed)
        let missing = CompiledCriterion(condition: "^{$inputs.nope}$", context: "$response.body#/0/status", type: "regex").evaluate(in: context)
        #expect(!missing.passed)
        #expect(missing.unresolved.map(\.expression) == ["$inputs.nope"])
        // `\{$` in a regex is an escaped brace before an anchor, not an expression.
        #expect(CompiledCriterion(condition: "^\\{$", context: "$response.body#/0/status", type: "regex").isValid)
    }

    @Test("verdicts are Codable")
    func codable() throws {
        let v = CompiledCriterion(condition: "$statusCode == 201").evaluate(in: sampleContext)
        let decoded = try JSONDecoder().decode(CriterionVerdict.self, from: JSONEncoder().encode(v))
        #expect(decoded == v)
        #expect(v.explanation == "`$statusCode == 201` is false: `$statusCode` was 200")
        #expect(v.kind == .simple)
        #expect(v.condition == "$statusCode == 201")
    }
}
