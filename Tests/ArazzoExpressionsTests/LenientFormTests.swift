import ArazzoExpressions
import ArazzoJSON
import Testing
import ArazzoDiagnostics
import OrderedCollections

/// Issue 11: forms that break the letter of the spec but have one evident meaning are read with
/// that meaning and reported as warnings carrying the canonical text (the fix-it).
@Suite("Lenient forms: warning, fix-it, evident meaning")
struct LenientFormTests {
    let context = ExpressionValues(
        statusCode: 200,
        responseBody: ["status": "done", "items": [["id": 7], ["id": 8]]],
        inputs: ["user": ["name": "ada"], "extra": 1],
        steps: ["s": ["user": ["id": 42], "user.name": "dotted"]])

    let scope = ExpressionScope(
        steps: [.init(id: "s", outputs: ["user", "user.name"]), .init(id: "t")], currentStepIndex: 1, phase: .response,
        inputNames: ["user"])

    @Test("dotted navigation into outputs, inputs and bodies evaluates as the JSON pointer")
    func dottedEvaluation() throws {
        let cases: [(String, JSONValue)] = [
            ("$steps.s.outputs.user.id", 42),
            ("$steps.s.outputs.user.name", "dotted"),  // the declared dotted name wins
            ("$inputs.user.name", "ada"),
            ("$response.body.items[1].id", 8),
            ("$response.body.status", "done"),
            ("$response.body#status", "done"),
        ]
        for (text, expected) in cases {
            let e = try RuntimeExpression(parsing: text)
            #expect(try e.evaluate(in: context).get() == expected, "\(text)")
        }
    }

    @Test("warnings carry the canonical text as the fix", arguments: [
        ("$steps.s.outputs.user.id", "dotted-navigation", "$steps.s.outputs.user#/id"),
        ("$inputs.user.name", "dotted-navigation", "$inputs.user#/name"),
        ("$response.body.items[0].id", "dotted-navigation", "$response.body#/items/0/id"),
        ("$response.body.status", "dotted-navigation", "$response.body#/status"),
        ("$response.body#id", "pointer-missing-slash", "$response.body#/id"),
        ("$steps.s.outputs.user#id", "pointer-missing-slash", "$steps.s.outputs.user#/id"),
    ])
    func fixes(_ c: (String, String, String)) {
        let issues = scope.check(c.0, as: .expression)
        #expect(issues.map(\.code) == [c.1])
        #expect(issues.allSatisfy { $0.severity == .warning })
        #expect(issues.map(\.fix?.text) == [c.2])
    }

    @Test("a declared dotted name is the name: no warning; a template gets the whole string rewritten")
    func declaredAndTemplate() {
        #expect(scope.check("$steps.s.outputs.user.name", as: .expression).isEmpty)
        let issues = scope.check("id={$steps.s.outputs.user.id}&s={$response.body.status}", as: .template)
        #expect(issues.map(\.code) == ["dotted-navigation", "dotted-navigation"])
        #expect(issues.map(\.fix?.text) == Array(repeating: "id={$steps.s.outputs.user#/id}&s={$response.body#/status}", count: 2))
    }

    @Test("navigation in a simple condition is the spec's `.` and `[]` operators: no warning")
    func conditionNavigation() {
        #expect(scope.check("$response.body.items[0].id == 7 && $inputs.user.name == 'ada'", as: .condition).isEmpty)
    }

    @Test("double-quoted and bare-word literals compare as the single-quoted string")
    func literalQuotes() throws {
        let cases: [(String, String, Bool)] = [
            ("$response.body#/status == \"done\"", "$response.body#/status == 'done'", true),
            ("$response.body#/status == done", "$response.body#/status == 'done'", true),
            ("$response.body#/status != \"it's\"", "$response.body#/status != 'it''s'", true),
            ("$statusCode == 200 && $response.body#/status == in-progress", "$statusCode == 200 && $response.body#/status == 'in-progress'", false),
        ]
        for (text, canonical, passes) in cases {
            let condition = try SimpleCondition(parsing: text)
            #expect(condition.test(in: context) == passes, "\(text)")
            #expect(condition.warnings.map(\.code) == ["condition-literal-quotes"], "\(text)")
            #expect(condition.warnings.map(\.fix?.text) == [canonical], "\(text)")
        }
        // A bare word with nothing to compare stays an error.
        #expect(throws: ExpressionError.self) { try SimpleCondition(parsing: "done") }
    }

    @Test("inline regex flags are applied as ECMA flags, with a warning and no fix-it")
    func regexInlineFlags() {
        let c = CompiledCriterion(condition: "(?i)^DONE$", context: "$response.body#/status", type: "regex")
        #expect(c.issues.map(\.code) == ["regex-inline-flags"])
        #expect(c.issues.allSatisfy { $0.severity == .warning && $0.fix == nil })
        #expect(c.evaluate(in: context).passed)
        let s = CompiledCriterion(condition: "(?is)^d.ne$", context: "$response.body#/status", type: "regex")
        #expect(s.evaluate(in: context).passed)
    }

    @Test("an open inputs schema allows undeclared inputs; a closed one does not")
    func openInputs() {
        var open = scope
        open.inputsAreClosed = false
        #expect(open.check("$inputs.extra", as: .expression).isEmpty)
        #expect(open.check("$inputs.user.name", as: .expression).map(\.code) == ["dotted-navigation"])
        #expect(scope.check("$inputs.extra", as: .expression).map(\.code) == ["undeclared-input"])
    }

    @Test("an unknown `$name` root in a value is sent as text, with a warning")
    func unknownRoot() throws {
        for text in ["$datetime.iso8601", "id-{$uuid}", "{$uuid} for {$inputs.extra}"] {
            let value = ValueTemplate(.string(text))
            #expect(value.issues.map(\.issue.code) == ["unknown-expression-root"], "\(text)")
            #expect(value.issues.allSatisfy { $0.issue.severity == .warning })
        }
        let mixed = ValueTemplate(.string("{$uuid} for {$inputs.extra}"))
        #expect(mixed.evaluate(in: context).value == "{$uuid} for 1")
        #expect(ValueTemplate(.string("$datetime.iso8601")).evaluate(in: context).value == "$datetime.iso8601")
    }
}
