import ArazzoExpressions
import ArazzoJSON
import Testing

@Suite("Arazzo 1.1 runtime expressions")
struct Version11ExpressionTests {
    @Test("the document's arazzo field picks the grammar")
    func versionFromDocument() {
        #expect(ExpressionVersion(arazzo: "1.1.0") == .v1_1)
        #expect(ExpressionVersion(arazzo: "1.1.1") == .v1_1)
        #expect(ExpressionVersion(arazzo: "1.1") == .v1_1)
        #expect(ExpressionVersion(arazzo: "1.0.1") == .v1_0)
        #expect(ExpressionVersion(arazzo: "1.10.0") == .v1_0)
        #expect(ExpressionVersion(arazzo: "") == .v1_0)
    }

    @Test("1.1 forms parse under 1.1", arguments: [
        ("$self", RuntimeExpression.Source.selfURI, nil),
        ("$message.header.Server", .messageHeader("Server"), nil),
        ("$message.header.X-Correlation-Id", .messageHeader("X-Correlation-Id"), nil),
        ("$message.payload", .messagePayload, nil),
        ("$message.payload#/status", .messagePayload, ["status"]),
        ("$message.payload#/items/0/id", .messagePayload, ["items", "0", "id"]),
        ("$response.payload#/id", .responseBody, ["id"]),
        ("$request.payload", .requestBody, nil),
    ] as [(String, RuntimeExpression.Source, [String]?)])
    func parses(_ text: String, _ source: RuntimeExpression.Source, _ pointer: [String]?) throws {
        let e = try RuntimeExpression(parsing: text, version: .v1_1)
        #expect(e.source == source)
        #expect(e.pointer?.tokens == pointer)
        #expect(e.text == text)
    }

    @Test("every 1.0 form still parses under 1.1", arguments: [
        "$url", "$method", "$statusCode", "$request.header.accept", "$request.path.id", "$request.body#/user/uuid",
        "$response.body#/status", "$response.header.Server", "$inputs.username", "$workflows.foo.inputs.username",
        "$steps.someStepId.outputs.pets", "$outputs.bar", "$workflows.foo.outputs.mappedResponse#/name",
        "$sourceDescriptions.petstore.getPetById", "$components.parameters.foo", "$components.successActions.bar",
    ])
    func oldFormsUnder11(_ text: String) throws {
        let old = try RuntimeExpression(parsing: text)
        let new = try RuntimeExpression(parsing: text, version: .v1_1)
        #expect(old == new)
    }

    @Test("1.1 roots in a 1.0 document are located errors naming the version", arguments: [
        ("$self", 0), ("$message.payload", 0), ("$message.header.x", 0),
    ])
    func rootsIn10(_ text: String, _ offset: Int) {
        #expect(throws: ExpressionError.self) { try RuntimeExpression(parsing: text) }
        do {
            _ = try RuntimeExpression(parsing: text)
        } catch {
            #expect(error.offset == offset)
            #expect(error.message.contains("is an Arazzo 1.1 runtime expression; this document is Arazzo 1.0.1"))
            #expect(error.fix == nil)
        }
    }

    @Test("`payload` on an HTTP message in 1.0 has a fix-it to `body`")
    func payloadIn10() {
        do {
            _ = try ExpressionTemplate(parsing: "id={$response.payload#/id}")
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 14)
            #expect(error.message == "`$response.payload` is Arazzo 1.1; in Arazzo 1.0.1 an HTTP body is read with `$response.body`")
            #expect(error.issue.fix?.text == "id={$response.body#/id}")
        }
    }

    @Test("a message has only header and payload", arguments: [
        ("$message.body#/a", "a message has no `body`: its content is read with `$message.payload`", 9, "$message.payload#/a"),
        ("$message.headers.x", "unknown field `headers` in `$message.headers`; did you mean `header`?", 9, nil),
        ("$message.query.x", "unknown field `query` in `$message.query` (a message has `header` and `payload`)", 9, nil),
        ("$message", "expected `.` and `header` or `payload` after `$message`", 8, nil),
    ] as [(String, String, Int, String?)])
    func messageFields(_ text: String, _ message: String, _ offset: Int, _ fix: String?) {
        do {
            _ = try RuntimeExpression(parsing: text, version: .v1_1)
            Issue.record("parsed")
        } catch {
            #expect(error.message == message)
            #expect(error.offset == offset)
            #expect(error.fix?.text == fix)
        }
    }

    @Test("1.1 suggestions include the new roots")
    func suggestions() {
        #expect(throws: ExpressionError.self) { try RuntimeExpression(parsing: "$mesage.payload", version: .v1_1) }
        do {
            _ = try RuntimeExpression(parsing: "$mesage.payload", version: .v1_1)
        } catch {
            #expect(error.message == "unknown runtime expression `$mesage`; did you mean `$message`?")
        }
    }

    @Test("templates and conditions take the version too")
    func templatesAndConditions() throws {
        let template = try ExpressionTemplate(parsing: "{$self}#/workflows/0", version: .v1_1)
        #expect(template.expressions.first?.expression.source == .selfURI)
        #expect(throws: ExpressionError.self) { try ExpressionTemplate(parsing: "{$self}#/workflows/0") }

        let condition = try SimpleCondition(parsing: "$message.payload.status == 'ok'", version: .v1_1)
        let values = ExpressionValues(messagePayload: ["status": "ok"])
        #expect(condition.test(in: values))
        #expect(throws: ExpressionError.self) { try SimpleCondition(parsing: "$message.payload.status == 'ok'") }

        let value = ValueTemplate(["id": "$message.payload#/id", "self": "{$self}"], version: .v1_1)
        #expect(value.issues.isEmpty)
        var scope = ExpressionScope()
        scope.version = .v1_1
        #expect(scope.check("$self", as: .expression).isEmpty)
        #expect(ExpressionScope().check("$self", as: .expression).map(\.code) == ["expression-syntax"])
    }

    @Test("$self and $message resolve from the context")
    func evaluation() throws {
        let context = ExpressionValues(
            selfURI: "https://example.com/flows/pets.arazzo.yaml",
            messageHeaders: [("Correlation-ID", "c-1"), ("correlation-id", "c-2")],
            messagePayload: ["order": ["id": 7]])
        #expect(try RuntimeExpression(parsing: "$self", version: .v1_1).evaluate(in: context)
            == .success("https://example.com/flows/pets.arazzo.yaml"))
        #expect(try RuntimeExpression(parsing: "$message.header.correlation-id", version: .v1_1).evaluate(in: context)
            == .success("c-1"))
        #expect(try RuntimeExpression(parsing: "$message.payload#/order/id", version: .v1_1).evaluate(in: context)
            == .success(7))
        let rendered = try ExpressionTemplate(parsing: "order {$message.payload#/order}", version: .v1_1).render(in: context)
        #expect(rendered == .success("order {\"id\":7}"))

        let empty = ExpressionValues()
        #expect(try RuntimeExpression(parsing: "$self", version: .v1_1).evaluate(in: empty)
            == .failure(UnresolvedExpression(expression: "$self", reason: "the document's own URI is not known here")))
        #expect(try RuntimeExpression(parsing: "$message.payload", version: .v1_1).evaluate(in: empty)
            == .failure(UnresolvedExpression(expression: "$message.payload", reason: "no message was sent or received here")))
        #expect(try RuntimeExpression(parsing: "$message.header.x", version: .v1_1).evaluate(in: ExpressionValues(messagePayload: "hi"))
            == .failure(UnresolvedExpression(expression: "$message.header.x", reason: "the message has no header `x`")))
    }

    @Test("1.1 names keep to the ABNF's identifier characters", arguments: [
        ("$inputs.user:name", "`:` is not allowed in an input name: Arazzo 1.1 names here have only letters, digits, `.`, `-` and `_`", 12),
        ("$steps.get@pet.outputs.id", "`@` is not allowed in a step id: Arazzo 1.1 names here have only letters, digits, `-` and `_`", 10),
        ("$steps.s.outputs.caf\u{E9}", "`\u{E9}` is not allowed in an output name: Arazzo 1.1 names here have only letters, digits, `.`, `-` and `_`", 20),
        ("$components.parameters.a+b", "`+` is not allowed in a component name: Arazzo 1.1 names here have only letters, digits, `.`, `-` and `_`", 24),
    ] as [(String, String, Int)])
    func identifiers(_ text: String, _ message: String, _ offset: Int) throws {
        #expect(throws: Never.self) { try RuntimeExpression(parsing: text) }
        do {
            _ = try RuntimeExpression(parsing: text, version: .v1_1)
            Issue.record("parsed")
        } catch {
            #expect(error.message == message)
            #expect(error.offset == offset)
        }
    }

    @Test("1.1 identifiers still allow dots, dashes and the evident navigation")
    func identifiersAllowed() throws {
        for text in ["$inputs.user.name", "$steps.get-pet_2.outputs.pet.id", "$steps.s.outputs.items[0].id", "$workflows.w-1.outputs.a.b#/c"] {
            #expect(throws: Never.self) { try RuntimeExpression(parsing: text, version: .v1_1) }
        }
    }

    @Test("a misspelt 1.1 root in a value is a broken expression under 1.1, literal text under 1.0")
    func misspeltRootInValue() {
        let v11 = ValueTemplate(["id": "$mesage.payload#/id"], version: .v1_1)
        #expect(v11.issues.map(\.issue.code) == ["literal-looks-like-expression"])
        #expect(v11.issues.first?.issue.message.contains("did you mean `$message`?") == true)
        let v10 = ValueTemplate(["id": "$mesage.payload#/id"])
        #expect(v10.issues.map(\.issue.code) == ["unknown-expression-root"])
        let literal = ValueTemplate(["id": "$uuid"], version: .v1_1)
        #expect(literal.issues.first?.issue.message.contains("`$message.`, `$self`") == true)
    }
}
