import ArazzoDiagnostics
import ArazzoExpressions
import Testing
import ArazzoJSON

/// A workflow like the Stytch TOTP one: login, createTotp (outputs secret, recovery.codes),
/// verify; a sub-workflow step; inputs email/password.
func scope(at step: Int?, _ phase: ExpressionScope.Phase = .response) -> ExpressionScope {
    ExpressionScope(
        steps: [
            .init(id: "login", outputs: ["token", "user.id"]),
            .init(id: "createTotp", outputs: ["secret", "recovery.codes"]),
            .init(id: "verify", outputs: []),
            .init(id: "placeOrder", outputs: ["orderId"], isWorkflowStep: true),
        ],
        currentStepIndex: step, phase: phase, inputNames: ["email", "password", "pet.name", "customer"],
        workflowOutputNames: ["secret"], calledWorkflowOutputs: step == 3 ? ["workflow_order_id"] : nil,
        workflows: [.init(id: "place-order", inputs: ["quantity"], outputs: ["workflow_order_id"])],
        sourceDescriptionNames: ["stytch", "petstore"],
        componentNames: [.parameters: ["page", "page.size"], .successActions: ["done"]])
}

@Suite("Static checks against a scope")
struct ExpressionScopeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let kind: ExpressionTextKind
        let step: Int?
        let phase: ExpressionScope.Phase
        let expected: [String]  // "code@offset"
        var testDescription: String { "\(kind.rawValue): \(text)" }
        init(_ text: String, _ kind: ExpressionTextKind, step: Int? = 2, phase: ExpressionScope.Phase = .response, _ expected: [String]) {
            self.text = text
            self.kind = kind
            self.step = step
            self.phase = phase
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("$steps.createTotp.outputs.secret", .expression, []),
        Case("$steps.createTotp.output.secret", .expression, ["expression-syntax@18"]),
        Case("$steps.createTOTP.outputs.secret", .expression, ["unknown-step@7"]),
        Case("$steps.createTotp.outputs.secrets", .expression, ["undeclared-output@26"]),
        Case("$steps.verify.outputs.x", .expression, step: 1, ["forward-step-reference@7", "undeclared-output@22"]),
        Case("$steps.createTotp.outputs.secret", .expression, step: 1, ["own-output-reference@7"]),
        Case("$steps.createTotp.outputs.secret", .condition, step: 1, phase: .actions, []),
        Case("$steps.createTotp.outputs.recovery.codes", .expression, []),
        Case("$steps.createTotp.outputs.recovery.codes#/0", .expression, []),
        Case("$steps.login.outputs.token.value", .expression, ["dotted-navigation@21"]),
        Case("$steps.login.outputs.token.value == 'x'", .condition, []),
        Case("$inputs.email", .expression, []),
        Case("$inputs.emial", .expression, ["undeclared-input@8"]),
        Case("$inputs.pet.name", .expression, []),
        Case("$inputs.customer.firstName", .expression, ["dotted-navigation@8"]),
        Case("$inputs.customer#/firstName", .expression, []),
        Case("$inputs.customer.firstName != null", .condition, []),
        Case("$statusCode == 200", .condition, step: 3, ["exchange-on-workflow-step@0"]),
        Case("$response.body#/id", .expression, step: 3, ["exchange-on-workflow-step@0"]),
        Case("$outputs.workflow_order_id", .expression, step: 3, []),
        Case("$outputs.order_id", .expression, step: 3, ["undeclared-output@9"]),
        Case("$outputs.secret", .expression, step: 2, ["outputs-unavailable@0"]),
        Case("$outputs.secret", .expression, step: nil, phase: .workflowOutputs, []),
        Case("$statusCode", .expression, step: nil, phase: .workflowOutputs, ["exchange-unavailable@0"]),
        Case("$response.body#/token", .value, step: 2, phase: .request, ["exchange-unavailable@0"]),
        Case("$workflows.place-order.outputs.workflow_order_id", .expression, []),
        Case("$workflows.place-order.inputs.qty", .expression, ["undeclared-input@30"]),
        Case("$workflows.placeOrder.outputs.x", .expression, ["unknown-workflow@11"]),
        Case("$sourceDescriptions.stytch.authenticate", .expression, []),
        Case("$sourceDescriptions.stych.authenticate", .expression, ["unknown-source@20"]),
        Case("$components.parameters.page.size", .expression, []),
        Case("$components.parameters.pages", .expression, ["unknown-component@23"]),
        Case("$components.failureActions.anything", .expression, []),
        Case("Bearer {$steps.login.outputs.token}", .template, []),
        Case("Bearer {$steps.login.outputs.tokn}", .template, ["undeclared-output@29"]),
        Case("code{$steps.login.outputs.token}&scope=$inputs.scope}", .template, ["template-unbalanced-brace@52"]),
        Case("{$sourceDescriptions.petstore.url}#/paths/~1pet/get", .template, []),
        Case("$inputs.email", .value, []),
        Case("mail: {$inputs.mail}", .value, ["undeclared-input@15"]),
        Case("$inputs.email is literal text", .value, ["literal-looks-like-expression@13"]),
        Case("$input.email", .value, ["literal-looks-like-expression@1"]),
        Case("{$statusCode == 200}", .condition, ["condition-braces@0"]),
        Case("$statusCode == 200 && $steps.nope.outputs.x == 1", .condition, ["unknown-step@29"]),
        Case("!$inputs.email == 'x'", .condition, ["condition-syntax@0"]),
        Case("$inputs.pet.name == 'x'", .condition, []),
        Case("$steps.login.outputs.user.id == 1", .condition, []),
    ]

    @Test("checks report codes at exact offsets", arguments: cases)
    func check(_ c: Case) {
        let issues = scope(at: c.step, c.phase).check(c.text, as: c.kind)
        #expect(issues.map { "\($0.code)@\($0.offset)" } == c.expected, "\(issues.map(\.message))")
    }

    @Test("messages name the fix")
    func messages() {
        let s = scope(at: 2)
        #expect(s.check("$steps.createTOTP.outputs.secret", as: .expression).map(\.message) == ["unknown step `createTOTP`; did you mean `createTotp`?"])
        #expect(s.check("$steps.login.outputs.token.value", as: .expression).map(\.fix?.text)
            == ["$steps.login.outputs.token#/value"])
        #expect(s.check("$steps.verify.outputs.x", as: .expression).last?.message == "step `verify` declares no output `x` (it declares none)")
        #expect(s.check("$inputs.emial", as: .expression).map(\.message) == ["the workflow's `inputs` declares no input `emial`; did you mean `email`?"])
        #expect(s.check("$steps.createTotp.outputs.zzz", as: .expression).map(\.message)
            == ["step `createTotp` declares no output `zzz` (declared: `secret`, `recovery.codes`)"])
        #expect(scope(at: 3).check("$statusCode == 200", as: .condition).map(\.message)
            == ["`$statusCode` is undefined in a `workflowId` step: it has no HTTP request or response (A13); read the called workflow's results with `$outputs.<name>`"])
    }

    @Test("A2: a dotted name that is declared along with its prefix is ambiguous in a condition")
    func ambiguousDottedName() {
        var s = scope(at: 2)
        s.inputNames = ["pet", "pet.name"]
        let issues = s.check("$inputs.pet.name == 'Rex'", as: .condition)
        #expect(issues.map { "\($0.severity):\($0.code)@\($0.offset)" } == ["warning:ambiguous-dotted-name@8"])
        #expect(issues.first?.message == "`pet.name` is ambiguous: the workflow declares both inputs `pet.name` and `pet`; the longest name `pet.name` is used (A2)")
        // Outside conditions `.` is never navigation, so there is no ambiguity.
        #expect(s.check("$inputs.pet.name", as: .expression).isEmpty)
    }

    @Test("unknown input schema skips the input check")
    func unknownInputs() {
        var s = scope(at: 1)
        s.inputNames = nil
        #expect(s.check("$inputs.anything", as: .expression).isEmpty)
    }

    @Test("criteria: compile issues plus context and condition references")
    func criterion() {
        let s = scope(at: 2)
        let c = CompiledCriterion(condition: "$steps.login.outputs.tokn == 'x'", context: "$steps.nope.outputs.a", type: "simple")
        let issues = s.check(c)
        #expect(issues.map { "\($0.field.rawValue):\($0.code)@\($0.offset)" } == ["context:unknown-step@7", "checked:undeclared-output@21"])
        let templated = CompiledCriterion(condition: "^{$inputs.nope}$", context: "$response.body", type: "regex")
        #expect(s.check(templated).map(\.code) == ["undeclared-input"])
    }

    @Test("payload values: issues carry the JSON pointer of their string")
    func payload() {
        let value = ValueTemplate(["user": ["email": "$inputs.email", "name": "$inputs.nam"], "note": "hi {$steps.x.outputs.y}"])
        let issues = scope(at: 2).check(value)
        #expect(issues.map { "\($0.path) \($0.issue.code)@\($0.issue.offset)" } == ["/user/name undeclared-input@8", "/note unknown-step@11"])
    }

    @Test("issues become located diagnostics at the exact column")
    func diagnostics() {
        let issue = scope(at: 2).check("$steps.createTotp.output.secret", as: .expression)[0]
        let d = issue.diagnostic(at: SourceLocation(file: "totp.arazzo.yaml", line: 40, column: 22), path: "/workflows/0/outputs/secret")
        #expect(d.description == "totp.arazzo.yaml:40:40: error: unknown field `output`; did you mean `outputs`?")
        #expect(d.code == "expression-syntax")
        let block = "first line\n  $statusCode = 200"
        let e = ExpressionIssue(.error, "use `==` to compare", offset: 25, code: "condition-syntax")
        #expect(e.diagnostic(in: block, startingAt: SourceLocation(file: "f", line: 10, column: 7), continuationColumn: 5).location
            == SourceLocation(file: "f", line: 11, column: 19))
    }
}
