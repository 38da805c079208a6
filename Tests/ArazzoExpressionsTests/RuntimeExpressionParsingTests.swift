import ArazzoJSON
import ArazzoExpressions
import Testing

@Suite("Runtime expression parsing")
struct RuntimeExpressionParsingTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let source: RuntimeExpression.Source
        let pointer: [String]?
        var testDescription: String { text }
        init(_ text: String, _ source: RuntimeExpression.Source, _ pointer: [String]? = nil) {
            self.text = text
            self.source = source
            self.pointer = pointer
        }
    }

    /// Every example of the 1.0.1 and 1.1.0 Runtime Expressions tables (the 1.0.1 forms), plus
    /// the forms named elsewhere in the text.
    static let specExamples: [Valid] = [
        Valid("$method", .method),
        Valid("$request.header.accept", .requestHeader("accept")),
        Valid("$request.path.id", .requestPath("id")),
        Valid("$request.body#/user/uuid", .requestBody, ["user", "uuid"]),
        Valid("$url", .url),
        Valid("$response.body#/status", .responseBody, ["status"]),
        Valid("$response.body#/items/0/id", .responseBody, ["items", "0", "id"]),
        Valid("$response.header.Server", .responseHeader("Server")),
        Valid("$inputs.username", .inputs("username")),
        Valid("$workflows.foo.inputs.username", .workflowInput(workflowId: "foo", name: "username")),
        Valid("$steps.someStepId.outputs.pets", .stepOutput(stepId: "someStepId", name: "pets")),
        Valid("$steps.someStepId.outputs.pets#/0/id", .stepOutput(stepId: "someStepId", name: "pets"), ["0", "id"]),
        Valid("$outputs.bar", .outputs("bar")),
        Valid("$workflows.foo.outputs.bar", .workflowOutput(workflowId: "foo", name: "bar")),
        Valid("$workflows.foo.outputs.mappedResponse#/name", .workflowOutput(workflowId: "foo", name: "mappedResponse"), ["name"]),
        Valid("$components.parameters.foo", .component(.parameters, name: "foo")),
        Valid("$components.successActions.bar", .component(.successActions, name: "bar")),
        Valid("$components.failureActions.baz", .component(.failureActions, name: "baz")),
        Valid("$components.inputs.pet", .component(.inputs, name: "pet")),
        Valid("$sourceDescriptions.petstore.getPetById", .sourceDescription(name: "petstore", reference: "getPetById")),
        Valid("$sourceDescriptions.petstore.url", .sourceDescription(name: "petstore", reference: "url")),
        Valid("$sourceDescriptions.petStoreDescription.loginUser", .sourceDescription(name: "petStoreDescription", reference: "loginUser")),
        Valid("$statusCode", .statusCode),
        Valid("$request.query.status", .requestQuery("status")),
        Valid("$request.body", .requestBody),
        Valid("$response.body", .responseBody),
        Valid("$inputs.customer#/firstName", .inputs("customer"), ["firstName"]),
    ]

    @Test("spec examples parse", arguments: specExamples)
    func specExample(_ c: Valid) throws {
        let e = try RuntimeExpression(parsing: c.text)
        #expect(e.source == c.source)
        #expect(e.pointer?.tokens == c.pointer)
        #expect(e.text == c.text)
    }

    static let tricky: [Valid] = [
        Valid("$steps.s.outputs.a.b", .stepOutput(stepId: "s", name: "a.b")),
        Valid("$inputs.pet.name", .inputs("pet.name")),
        Valid("$components.parameters.page.size", .component(.parameters, name: "page.size")),
        Valid("$sourceDescriptions.api.users.get", .sourceDescription(name: "api", reference: "users.get")),
        Valid("$response.header.X-Rate-Limit", .responseHeader("X-Rate-Limit")),
        Valid("$response.header.x.custom", .responseHeader("x.custom")),
        Valid("$response.body#/a~1b/c~0d", .responseBody, ["a/b", "c~d"]),
        Valid("$response.body#/items/-", .responseBody, ["items", "-"]),
        Valid("$response.body#", .responseBody, []),
        Valid("$response.body#/", .responseBody, [""]),
        Valid("$steps.get-pet_1.outputs.pet-id_2", .stepOutput(stepId: "get-pet_1", name: "pet-id_2")),
    ]

    @Test("A1/A2: tricky names and pointers", arguments: tricky)
    func trickyNames(_ c: Valid) throws {
        let e = try RuntimeExpression(parsing: c.text)
        #expect(e.source == c.source)
        #expect(e.pointer?.tokens == c.pointer)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let text: String
        let message: String
        let offset: Int
        var testDescription: String { text }
        init(_ text: String, _ message: String, _ offset: Int) {
            self.text = text
            self.message = message
            self.offset = offset
        }
    }

    static let invalid: [Invalid] = [
        Invalid("$steps.createTotp.output.secret", "unknown field `output`; did you mean `outputs`?", 18),
        Invalid("$steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan",
                "`.outputs.` is missing: step outputs are read as `$steps.retrieveFinalizedPaymentPlan.outputs.finalizedPaymentPlan`", 36),
        Invalid("$steps.login", "expected `.outputs.<name>` after `$steps.login`", 12),
        Invalid("$steps.login.outputs", "expected `.` and an output name after `$steps.login.outputs`", 20),
        Invalid("$steps.login.outputs.", "expected an output name after `$steps.login.outputs.`", 21),
        Invalid("$statuscode", "unknown runtime expression `$statuscode`; did you mean `$statusCode`?", 1),
        Invalid("$input.name", "unknown runtime expression `$input`; did you mean `$inputs`?", 1),
        Invalid("$inputs.", "expected an input name after `$inputs.`", 8),
        Invalid("$inputs", "expected `.` and an input name after `$inputs`", 7),
        Invalid("inputs.name", "a runtime expression starts with `$`", 0),
        Invalid("$", "expected an expression name after `$` (one of `$url`, `$method`, `$statusCode`, `$request`, `$response`, `$inputs`, `$outputs`, `$steps`, `$workflows`, `$sourceDescriptions`, `$components`)", 1),
        Invalid("$response.headers.Server", "unknown field `headers` in `$response.headers`; did you mean `header`?", 10),
        Invalid("$response.query.x", "`$response.query` does not exist: responses have only `header` and `body`", 10),
        Invalid("$response.body.", "expected a member name after `.`; to reach into the body write a JSON pointer, e.g. `$response.body#/status`", 15),
        Invalid("$response.body#/a~2", "invalid JSON pointer: invalid escape '~2' in token 0; write ~0 for '~' and ~1 for '/'", 17),
        Invalid("$response.header.", "expected a header name after `$response.header.`", 17),
        Invalid("$response.header.X(1)", "`(` is not allowed in a header name", 18),
        Invalid("$workflows.foo.input.x", "unknown field `input`; did you mean `inputs`?", 15),
        Invalid("$workflows.foo", "expected `.inputs.<name>` or `.outputs.<name>` after `$workflows.foo`", 14),
        Invalid("$components.parameter.foo", "unknown component kind `parameter`; did you mean `parameters`?", 12),
        Invalid("$components.parameters.foo#/x", "`$components.parameters.foo` names a component; it takes no JSON pointer", 26),
        Invalid("$sourceDescriptions.petstore", "expected `.` and an operationId, workflowId or field after `$sourceDescriptions.petstore`", 28),
        Invalid("$url/x", "unexpected `/` after `$url`", 4),
        Invalid("$statusCode == 200", "unexpected a space after `$statusCode`; a runtime expression ends at whitespace (use `{$statusCode}` to embed it in text)", 11),
        Invalid("$self", "`$self` is an Arazzo 1.1 runtime expression; this document is Arazzo 1.0.1 (declare `arazzo: 1.1.0` to use it)", 0),
        Invalid("$message.payload", "`$message` is an Arazzo 1.1 runtime expression; this document is Arazzo 1.0.1 (declare `arazzo: 1.1.0` to use it)", 0),
        Invalid("$inputs.a}", "unexpected `}` after `$inputs.a`", 9),
        Invalid("$steps.x.Outputs.y", "unknown field `Outputs`; did you mean `outputs`?", 9),
        Invalid("$request.path.pet id", "unexpected a space after `$request.path.pet`; a runtime expression ends at whitespace (use `{$request.path.pet}` to embed it in text)", 17),
    ]

    @Test("invalid expressions report message and offset", arguments: invalid)
    func invalidExpression(_ c: Invalid) {
        #expect(throws: ExpressionError(c.message, offset: c.offset)) {
            try RuntimeExpression(parsing: c.text)
        }
    }

    @Test("offsets count Unicode scalars, not bytes")
    func unicodeOffsets() {
        #expect(throws: ExpressionError("unexpected a space after `$inputs.prénom`; a runtime expression ends at whitespace (use `{$inputs.prénom}` to embed it in text)", offset: 14)) {
            try RuntimeExpression(parsing: "$inputs.prénom x")
        }
    }

    @Test("id and name offsets point inside the expression")
    func idAndNameOffsets() throws {
        let e = try RuntimeExpression(parsing: "$steps.login.outputs.token")
        #expect(e.idOffset == 7)
        #expect(e.nameOffset == 21)
        #expect(e.name == "token")
        #expect(e.readsHTTPExchange == false)
        #expect(try RuntimeExpression(parsing: "$response.header.A").readsHTTPExchange)
    }

    @Test("looksLikeExpression / looksLikeKnownExpression")
    func looksLike() {
        #expect(RuntimeExpression.looksLikeExpression("$inputs.x"))
        #expect(!RuntimeExpression.looksLikeExpression("$5.00"))
        #expect(!RuntimeExpression.looksLikeExpression("price"))
        #expect(RuntimeExpression.looksLikeKnownExpression("$step.x"))
        #expect(!RuntimeExpression.looksLikeKnownExpression("$USD"))
    }
}
