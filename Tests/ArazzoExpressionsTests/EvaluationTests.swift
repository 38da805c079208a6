import ArazzoJSON
import ArazzoExpressions
import ArazzoExecutor
import Testing
import OrderedCollections

/// A context shaped like a step that logged in and then fetched pets.
let sampleContext = ExpressionValues(
    url: "https://api.example.com/v1/pets?status=available",
    method: "GET",
    statusCode: 200,
    requestHeaders: [(name: "Accept", value: "application/json"), (name: "X-Trace", value: "a"), (name: "x-trace", value: "b")],
    requestQuery: ["status": "available", "limit": 10],
    requestPath: ["id": 42],
    requestBody: ["user": ["uuid": "u-1"]],
    responseHeaders: [(name: "Server", value: "nginx"), (name: "Content-Type", value: "application/json"), (name: "Retry-After", value: "5")],
    responseBody: [
        "status": "available",
        "items": [["id": 1, "name": "Rex"], ["id": 2, "name": "Tom"]],
        "a/b": ["c~d": "escaped"],
        "": "empty key",
        "data": [["id": 11]],
        "ok": true,
        "count": "12",
        "nothing": nil,
    ],
    inputs: ["username": "alice", "customer": ["firstName": "Ada", "lastName": "Lovelace"], "pet.name": "dotted", "pet": ["name": "nested"], "qty": 3],
    outputs: ["bar": "baz", "mappedResponse": ["name": "m"]],
    steps: [
        "loginStep": ["token": "T0K", "user.id": 7, "pets": [["id": 5]]],
        "someStepId": ["pets": [["id": 9], ["id": 10]]],
    ],
    workflowInputs: ["foo": ["username": "bob"]],
    workflowOutputs: ["foo": ["bar": 1, "mappedResponse": ["name": "wf"]]],
    sourceDescriptions: ["petstore": ["url": "https://example.com/petstore.yaml", "getPetById": ["operationId": "getPetById"]]],
    components: [.parameters: ["foo": ["name": "page", "in": "query", "value": 1]]]
)

@Suite("Runtime expression evaluation")
struct EvaluationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: JSONValue
        var testDescription: String { text }
        init(_ text: String, _ expected: JSONValue) {
            self.text = text
            self.expected = expected
        }
    }

    static let resolving: [Case] = [
        Case("$url", "https://api.example.com/v1/pets?status=available"),
        Case("$method", "GET"),
        Case("$statusCode", 200),
        Case("$request.header.accept", "application/json"),
        Case("$request.header.ACCEPT", "application/json"),
        Case("$request.header.x-trace", "a"),
        Case("$request.query.limit", 10),
        Case("$request.path.id", 42),
        Case("$request.body#/user/uuid", "u-1"),
        Case("$response.body#/status", "available"),
        Case("$response.body#/items/0/id", 1),
        Case("$response.body#/items/1", ["id": 2, "name": "Tom"]),
        Case("$response.body#/a~1b/c~0d", "escaped"),
        Case("$response.body#/", "empty key"),
        Case("$response.body#/nothing", nil),
        Case("$response.header.Server", "nginx"),
        Case("$response.header.server", "nginx"),
        Case("$response.header.CONTENT-TYPE", "application/json"),
        Case("$inputs.username", "alice"),
        Case("$inputs.customer", ["firstName": "Ada", "lastName": "Lovelace"]),
        Case("$inputs.customer#/firstName", "Ada"),
        Case("$inputs.pet.name", "dotted"),
        Case("$inputs.qty", 3),
        Case("$outputs.bar", "baz"),
        Case("$steps.loginStep.outputs.token", "T0K"),
        Case("$steps.loginStep.outputs.user.id", 7),
        Case("$steps.someStepId.outputs.pets#/0/id", 9),
        Case("$steps.someStepId.outputs.pets", [["id": 9], ["id": 10]]),
        Case("$workflows.foo.inputs.username", "bob"),
        Case("$workflows.foo.outputs.bar", 1),
        Case("$workflows.foo.outputs.mappedResponse#/name", "wf"),
        Case("$sourceDescriptions.petstore.url", "https://example.com/petstore.yaml"),
        Case("$components.parameters.foo", ["name": "page", "in": "query", "value": 1]),
    ]

    @Test("expressions resolve with their JSON type preserved", arguments: resolving)
    func resolves(_ c: Case) throws {
        let e = try RuntimeExpression(parsing: c.text)
        let value = try e.evaluate(in: sampleContext).get()
        #expect(value == c.expected)
        #expect(value.typeName == c.expected.typeName)
    }

    static let unresolved: [(String, String)] = [
        ("$inputs.orderNumber", "no input `orderNumber` was supplied"),
        ("$inputs.usernam", "no input `usernam` was supplied; did you mean `username`?"),
        ("$inputs.customer.middleName", "no input `customer.middleName` was supplied; `$inputs.customer` has no `middleName` (written `$inputs.customer#/middleName`)"),
        ("$steps.missing.outputs.x", "step `missing` has not run"),
        ("$steps.loginStep.outputs.tokn", "no output `tokn` was produced by step `loginStep`; did you mean `token`?"),
        ("$response.body#/items/5", "JSON pointer `#/items/5`: index 5 at '/items' is out of range (the array has 2 elements)"),
        ("$response.body#/items/-", "JSON pointer `#/items/-`: '-' at '/items' names the element after the last one, which does not exist"),
        ("$response.body#/items/01", "JSON pointer `#/items/01`: '01' at '/items' is not an array index"),
        ("$response.body#/status/x", "JSON pointer `#/status/x`: cannot take 'x' of a string at '/status'"),
        ("$response.body#/missing", "JSON pointer `#/missing`: no member 'missing' at the root"),
        ("$response.header.X-Missing", "the response has no header `X-Missing`"),
        ("$request.header.Authorization", "the request has no header `Authorization`"),
        ("$workflows.bar.outputs.x", "workflow `bar` has not completed in this run; list it in `dependsOn` so it runs first"),
        ("$workflows.bar.inputs.x", "workflow `bar` has not run"),
        ("$components.parameters.nope", "there is no component `parameters.nope`"),
        ("$sourceDescriptions.petstore.nope", "source description `petstore` has no operation, workflow or field `nope`"),
    ]

    @Test("unresolved expressions say why", arguments: unresolved)
    func unresolvedReason(_ c: (String, String)) throws {
        let e = try RuntimeExpression(parsing: c.0)
        #expect(e.evaluate(in: sampleContext) == .failure(UnresolvedExpression(expression: c.0, reason: c.1)))
    }

    @Test("A12: without a response, exchange expressions are unresolved")
    func noResponse() throws {
        let empty = ExpressionValues()
        for text in ["$statusCode", "$response.body", "$response.header.Server"] {
            let e = try RuntimeExpression(parsing: text)
            #expect(e.evaluate(in: empty) == .failure(UnresolvedExpression(expression: text, reason: "no response was received here")))
        }
        #expect(try RuntimeExpression(parsing: "$url").evaluate(in: empty) == .failure(UnresolvedExpression(expression: "$url", reason: "no request was sent here")))
        #expect(try RuntimeExpression(parsing: "$inputs.x").evaluate(in: empty) == .failure(UnresolvedExpression(expression: "$inputs.x", reason: "no workflow inputs are available here")))
    }

    @Test("navigation helper: members, indices and their failures")
    func navigation() throws {
        let e = try RuntimeExpression(parsing: "$response.body")
        #expect(try e.evaluate(in: sampleContext, navigation: [.member("items"), .index(1), .member("name")]).get() == "Tom")
        #expect(e.evaluate(in: sampleContext, navigation: [.member("items"), .index(7)])
            == .failure(UnresolvedExpression(expression: "$response.body", reason: "index 7 is out of range (the array has 2 elements) (after `$response.body`)")))
        #expect(e.evaluate(in: sampleContext, navigation: [.member("status"), .member("x")])
            == .failure(UnresolvedExpression(expression: "$response.body", reason: "cannot take `.x` of a string (after `$response.body`)")))
    }

    @Test("A2: in condition navigation a dotted name falls back to the longest existing name")
    func dottedFallback() throws {
        let e = try RuntimeExpression(parsing: "$inputs.customer.firstName")
        #expect(try e.evaluate(in: sampleContext, navigation: []).get() == "Ada")
        // The exact (dotted) name wins over navigation.
        let d = try RuntimeExpression(parsing: "$inputs.pet.name")
        #expect(try d.evaluate(in: sampleContext, navigation: []).get() == "dotted")
    }

    @Test("HeaderLookup is ASCII case-insensitive and returns the first value")
    func headerLookup() {
        let fields: [(name: String, value: String)] = [("Set-Cookie", "a=1"), ("set-cookie", "b=2")]
        #expect(HeaderLookup.first(named: "SET-COOKIE", in: fields) == "a=1")
        #expect(HeaderLookup.first(named: "Cookie", in: fields) == nil)
        // The comparison is the package's one header-name rule.
        #expect(HeaderFields.namesMatch("Content-Type", "content-type"))
        #expect(!HeaderFields.namesMatch("Content-Type", "content-typ"))
    }
}

/// A context that only knows the status code: every other requirement uses the protocol's
/// "not available" default.
struct StatusOnlyContext: ExpressionContext {
    var statusCode: Int? { 503 }
}

@Suite("ExpressionContext defaults")
struct ExpressionContextDefaultTests {
    @Test("unimplemented requirements make expressions unresolved, not crash")
    func defaults() throws {
        let context = StatusOnlyContext()
        #expect(try RuntimeExpression(parsing: "$statusCode").evaluate(in: context).get() == 503)
        #expect(try SimpleCondition(parsing: "$statusCode >= 500 && $response.header.Retry-After == null").test(in: context))
        let verdict = CompiledCriterion(condition: "$steps.a.outputs.b == 1").evaluate(in: context)
        #expect(!verdict.passed)
        #expect(verdict.unresolved == [UnresolvedExpression(expression: "$steps.a.outputs.b", reason: "step `a` has not run")])
        #expect(try RuntimeExpression(parsing: "$response.header.X").evaluate(in: context)
            == .failure(UnresolvedExpression(expression: "$response.header.X", reason: "the response has no header `X`")))
    }
}
