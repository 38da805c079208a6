import ArazzoJSON
import ArazzoExpressions
import Testing

@Suite("Templates and payload values")
struct TemplateTests {
    static let rendering: [(String, String)] = [
        ("Bearer {$steps.loginStep.outputs.token}", "Bearer T0K"),
        ("{$inputs.qty}", "3"),
        ("id={$request.path.id}&q={$request.query.status}", "id=42&q=available"),
        ("{$sourceDescriptions.petstore.url}#/paths/~1pet~1findByStatus/get", "https://example.com/petstore.yaml#/paths/~1pet~1findByStatus/get"),
        ("{\"petId\": \"{$inputs.qty}\"}", "{\"petId\": \"3\"}"),
        ("{\"customer\": {$inputs.customer}}", "{\"customer\": {\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}}"),
        ("ok={$response.body#/ok} none={$response.body#/nothing}", "ok=true none=null"),
        ("no expressions { here }", "no expressions { here }"),
        ("$inputs.qty stays literal", "$inputs.qty stays literal"),
        ("", ""),
        ("https://{$response.header.server}/api/{$steps.someStepId.outputs.pets#/1/id}/status", "https://nginx/api/10/status"),
    ]

    @Test("templates render embedded values as text (1.1.0 conversion rules)", arguments: rendering)
    func renders(_ c: (String, String)) throws {
        let t = try ExpressionTemplate(parsing: c.0)
        #expect(try t.render(in: sampleContext).get() == c.1)
    }

    static let malformed: [(String, String, Int)] = [
        ("Bearer {$steps.login.outputs.token", "`{` at offset 7 is never closed: expected `}` after `$steps.login.outputs.token`", 34),
        ("{$inputs.a b}", "unexpected a space in an embedded expression; expected `}` after `$inputs.a`", 10),
        ("x{$steps.a.output.b}", "unknown field `output`; did you mean `outputs`?", 11),
        ("{$inputs.{x}}", "expected an input name after `$inputs.`", 9),
    ]

    @Test("malformed templates point at the bad character", arguments: malformed)
    func malformedTemplate(_ c: (String, String, Int)) {
        #expect(throws: ExpressionError(c.1, offset: c.2)) { try ExpressionTemplate(parsing: c.0) }
    }

    @Test("a template reports the first unresolved expression")
    func unresolvedTemplate() throws {
        let t = try ExpressionTemplate(parsing: "a{$inputs.nope}b")
        #expect(t.render(in: sampleContext) == .failure(UnresolvedExpression(expression: "$inputs.nope", reason: "no input `nope` was supplied")))
        #expect(t.expressions.map(\.offset) == [2])
    }

    @Test("the spec's malformed form-data string has an unbalanced brace")
    func unbalancedBraces() throws {
        let t = try ExpressionTemplate(parsing: "client_id={$inputs.clientId}&grant_type=authorization_code&code{$steps.browser-authorize.outputs.code}&scope=$inputs.scope}")
        #expect(t.unbalancedBraceOffset == 122)
        #expect(try ExpressionTemplate(parsing: "{\"a\": {\"b\": {$inputs.x}}}").unbalancedBraceOffset == nil)
        #expect(try ExpressionTemplate(parsing: "{ open").unbalancedBraceOffset == 0)
    }

    @Test("A20: payload leaves: expression keeps type, template gives string, literal stays")
    func payload() {
        let payload: JSONValue = [
            "petId": "$inputs.qty",
            "label": "qty={$inputs.qty}",
            "customer": "$inputs.customer",
            "price": "$5.00",
            "nested": ["list": ["$steps.loginStep.outputs.token", "plain", 1]],
            "missing": "$inputs.notSupplied",
            "missingInTemplate": "x{$inputs.notSupplied}",
        ]
        let compiled = ValueTemplate(payload)
        #expect(compiled.issues.isEmpty)
        #expect(!compiled.isConstant)
        let result = compiled.evaluate(in: sampleContext)
        #expect(result.value == [
            "petId": 3,
            "label": "qty=3",
            "customer": ["firstName": "Ada", "lastName": "Lovelace"],
            "price": "$5.00",
            "nested": ["list": ["T0K", "plain", 1]],
        ])
        #expect(result.omitted.map(\.path) == ["/missing", "/missingInTemplate"])
        #expect(result.omitted.first?.unresolved.reason == "no input `notSupplied` was supplied")
    }

    @Test("omitted members deep in a payload are named by their RFC 6901 pointer, escapes and indexes included")
    func omittedPointers() {
        let result = ValueTemplate([
            "a/b": [1, "$inputs.nope", ["c~d": "$inputs.nope"]],
            "kept": ["x": "$inputs.nope", "y": 2],
        ]).evaluate(in: sampleContext)
        #expect(result.value == ["a/b": [1, [:]], "kept": ["y": 2]])
        #expect(result.omitted.map(\.path) == ["/a~1b/1", "/a~1b/2/c~0d", "/kept/x"])
    }

    @Test("issue 4: a whole-value payload expression that does not resolve yields no value")
    func wholeValueUnresolved() {
        let result = ValueTemplate("$inputs.petOrderRequest").evaluate(in: sampleContext)
        #expect(result.value == nil)
        #expect(result.omitted.map(\.path) == [""])
    }

    @Test("A20: a literal that looks like a broken expression is kept and warned about")
    func brokenLookingLiteral() {
        let compiled = ValueTemplate(["a": "$step.login.outputs.x"])
        #expect(compiled.issues.map(\.path) == ["/a"])
        #expect(compiled.issues.first?.issue.message == "this string looks like a runtime expression but is used as literal text: unknown runtime expression `$step`; did you mean `$steps`?")
        #expect(compiled.isConstant)
        #expect(compiled.evaluate(in: sampleContext).value == ["a": "$step.login.outputs.x"])
    }

    @Test("constant payloads are returned unchanged; expressions are listed with paths")
    func constantAndExpressions() {
        #expect(ValueTemplate(["a": 1, "b": ["c"]]).isConstant)
        let compiled = ValueTemplate(["a~b": ["x/y": "{$inputs.qty}-{$inputs.username}"]])
        #expect(compiled.expressions.map(\.path) == ["/a~0b/x~1y", "/a~0b/x~1y"])
        #expect(compiled.expressions.map(\.offset) == [1, 15])
    }

    @Test("embeddedText conversion table")
    func embeddedText() {
        #expect(ExpressionTemplate.embeddedText("s") == "s")
        #expect(ExpressionTemplate.embeddedText(1.5) == "1.5")
        #expect(ExpressionTemplate.embeddedText(false) == "false")
        #expect(ExpressionTemplate.embeddedText(nil) == "null")
        #expect(ExpressionTemplate.embeddedText([1, "a"]) == "[1,\"a\"]")
    }
}
