import ArazzoJSON
import ArazzoExpressions
import Testing
import OrderedCollections

/// The expression-level halves of the conformance cases in `Fixtures/conformance` (the engine
/// runs the whole cases; these pin the rules where they are implemented).
@Suite("Decision cases at the expression level")
struct DecisionCaseTests {
    @Test("A1: `$statusCode==200&&$response.body#/ok==true` is a comparison chain without spaces")
    func boundaryWithoutSpaces() throws {
        let c = try SimpleCondition(parsing: "$statusCode==200&&$response.body#/ok==true")
        #expect(c.operands.map(\.expression.text) == ["$statusCode", "$response.body#/ok"])
        #expect(c.test(in: ExpressionValues(statusCode: 200, responseBody: ["ok": true])))
        #expect(!c.test(in: ExpressionValues(statusCode: 200, responseBody: ["ok": false])))
    }

    @Test("A2: `$steps.get.outputs.user.name` reads the dotted output `user.name`")
    func dottedOutputNames() throws {
        let context = ExpressionValues(steps: ["get": ["user.name": "ada", "userId": 1]])
        let condition = try SimpleCondition(parsing: "$steps.get.outputs.user.name == 'ada'")
        #expect(condition.test(in: context))
        #expect(try RuntimeExpression(parsing: "$steps.get.outputs.user.name").evaluate(in: context).get() == "ada")
        let scope = ExpressionScope(
            steps: [.init(id: "get", outputs: ["user.name", "userId"]), .init(id: "check")], currentStepIndex: nil,
            phase: .workflowOutputs)
        #expect(scope.check("$steps.get.outputs.user.name", as: .expression).isEmpty)
    }

    @Test("A3: `$steps.X.Y` without `.outputs.` is an error naming the fix")
    func missingOutputsSegment() {
        #expect(throws: ExpressionError("`.outputs.` is missing: step outputs are read as `$steps.retrieve.outputs.plan`", offset: 16)) {
            try RuntimeExpression(parsing: "$steps.retrieve.plan")
        }
    }

    @Test("A13: `$outputs` in a workflowId step reads the called workflow's outputs")
    func outputsInWorkflowStep() throws {
        let context = ExpressionValues(outputs: ["workflow_order_id": "o-1"])
        #expect(try RuntimeExpression(parsing: "$outputs.workflow_order_id").evaluate(in: context).get() == "o-1")
        let scope = ExpressionScope(
            steps: [.init(id: "order", outputs: ["my_order_id"], isWorkflowStep: true)], currentStepIndex: 0,
            calledWorkflowOutputs: ["workflow_order_id"])
        #expect(scope.check("$outputs.workflow_order_id", as: .expression).isEmpty)
        #expect(scope.check("$statusCode == 200", as: .condition).map(\.code) == ["exchange-on-workflow-step"])
    }

    @Test("A5: `type: simple` without `context` is valid")
    func simpleWithoutContext() {
        #expect(CompiledCriterion(condition: "$statusCode == 200", type: "simple").isValid)
    }

    @Test("A12: after a transport error `$statusCode` is null in conditions")
    func statusCodeNullAfterTransportError() throws {
        let verdict = try SimpleCondition(parsing: "$statusCode == null").evaluate(in: ExpressionValues())
        #expect(verdict.passed)
        #expect(verdict.unresolved.map(\.reason) == ["no response was received here"])
    }

    @Test("A6: `\\d` is ASCII-only, as in ECMA-262")
    func regexDigitASCII() {
        let c = CompiledCriterion(condition: "^\\d+$", context: "$response.body#/n", type: "regex")
        #expect(c.evaluate(in: ExpressionValues(responseBody: ["n": "123"])).passed)
        #expect(!c.evaluate(in: ExpressionValues(responseBody: ["n": "١٢٣"])).passed)
    }

    @Test("A7: XPath sees the namespace prefixes declared on the document element")
    func xpathDocumentNamespaces() {
        let c = CompiledCriterion(condition: "count(/a:root/a:item) = 2", context: "$response.body", type: "xpath", version: "xpath-10")
        #expect(c.evaluate(in: ExpressionValues(responseBody: "<a:root xmlns:a=\"urn:a\"><a:item/><a:item/></a:root>")).passed)
    }
}
