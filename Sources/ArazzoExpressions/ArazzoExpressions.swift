// ArazzoExpressions: runtime expressions, `{$…}` templates, `simple` conditions and Criterion
// Objects for Arazzo 1.0.1 (docs/expressions.md; decisions A1–A10 and A26 in docs/decisions.md).
//
// Everything is parsed once (at validation time) and evaluated many times; nothing is ever run
// as code, and evaluation never throws: problems come back as values.
//
// Parse (errors are `ExpressionError { message, offset, code }`, offset in Unicode scalars, the
// unit of `SourceLocation.column`, so `location.advanced(byColumns: error.offset)` is exact):
//   RuntimeExpression(parsing: "$steps.login.outputs.token")   .source / .pointer / .text
//   ExpressionTemplate(parsing: "Bearer {$steps.login.outputs.token}")   .parts / .expressions
//   SimpleCondition(parsing: "$statusCode == 200")             .warnings / .operands
//   ValueTemplate(jsonValue)            payloads and `value`s: never fails, `.issues`
//   CompiledCriterion(condition:context:type:version:)          never fails, `.issues`, `.isValid`
//
// Evaluate against the engine's `ExpressionContext` (a protocol with nil defaults; the plain
// `ExpressionValues` struct implements it):
//   expression.evaluate(in: ctx) -> Result<JSONValue, UnresolvedExpression>   (type preserved)
//   template.render(in: ctx) -> Result<String, UnresolvedExpression>
//   valueTemplate.evaluate(in: ctx) -> ValueTemplate.Evaluation { value?, omitted }
//       (members whose whole-value expression or template is unresolved are omitted + listed)
//   condition.test(in: ctx) -> Bool                       (fast path, no explanation)
//   condition.evaluate(in: ctx) -> ConditionVerdict       (passed, explanation, unresolved, error)
//   criterion.evaluate(in: ctx) -> CriterionVerdict       (Codable; adds kind and condition)
//
// Static checks (validator): fill an `ExpressionScope` (steps with outputs, current step index,
// phase, input names, workflows, sources, components) and call
//   scope.check(text, as: .expression | .template | .condition | .value) -> [ExpressionIssue]
//   scope.check(criterion) / scope.check(valueTemplate) / scope.check(expression, at:, inCondition:)
// `ExpressionIssue { severity, message, offset, code, field, notes }` becomes a located
// `Diagnostic` with `issue.diagnostic(at: locationOfFirstCharacter, path:)` (single-line
// scalars) or `issue.diagnostic(in: text, startingAt:, continuationColumn:)` (block scalars).
// `field` says whether the offset is in a criterion's condition (`.checked`), `context`, `type`
// or `version`.
//
// Benchmarks: `ConditionBenchmark` (below) parses and evaluates a fixed set of conditions.

import ArazzoJSON
import OrderedCollections

/// A fixed `simple`-condition workload for the benchmark executable: representative conditions
/// (comparisons, logic, navigation, pointers, case-insensitive strings) over a small context.
///
/// ```swift
/// let bench = ConditionBenchmark()
/// let passed = bench.evaluate(rounds: 100_000)   // rounds × bench.conditionCount evaluations
/// let parsed = bench.parse(rounds: 10_000)       // rounds × bench.conditionCount parses
/// ```
package struct ConditionBenchmark: Sendable {
    /// The condition texts.
    package let texts: [String]
    /// The parsed conditions (parsed once in `init`).
    package let conditions: [SimpleCondition]
    /// The context they are evaluated against.
    package let context: ExpressionValues
    /// The same context boxed once, as the engine hands it over (an existential).
    let boxed: any ExpressionContext & Sendable

    /// Builds the workload.
    package init() {
        texts = [
            "$statusCode == 200",
            "$statusCode >= 200 && $statusCode < 300",
            "$response.body#/status == 'AVAILABLE'",
            "$response.body.items[1].name == 'tom' || $statusCode == 201",
            "!($response.header.Retry-After == null) && $statusCode >= 500",
            "$steps.login.outputs.token != null && $inputs.username == 'alice'",
            "$response.body#/count > 10",
            "$inputs.name == 'O''Brien'",
        ]
        var parsed: [SimpleCondition] = []
        for text in texts {
            if let c = try? SimpleCondition(parsing: text) { parsed.append(c) }
        }
        conditions = parsed
        context = ExpressionValues(
            url: "https://api.example.com/pets", method: "GET", statusCode: 200,
            responseHeaders: [(name: "Content-Type", value: "application/json"), (name: "Retry-After", value: "5")],
            responseBody: [
                "status": "available", "count": "12",
                "items": [["id": 1, "name": "Rex"], ["id": 2, "name": "Tom"]],
            ],
            inputs: ["username": "alice", "name": "O'Brien"],
            steps: ["login": ["token": "abc"]])
        boxed = context
    }

    /// How many conditions one round evaluates.
    package var conditionCount: Int { conditions.count }

    /// Evaluates every condition `rounds` times (fast path); returns how many passed, so the work
    /// cannot be optimised away.
    package func evaluate(rounds: Int) -> Int {
        var passed = 0
        let context = boxed
        for _ in 0..<rounds {
            for condition in conditions where condition.test(in: context) { passed += 1 }
        }
        return passed
    }

    /// Parses every condition text `rounds` times; returns the number parsed.
    package func parse(rounds: Int) -> Int {
        var parsed = 0
        for _ in 0..<rounds {
            for text in texts where (try? SimpleCondition(parsing: text)) != nil { parsed += 1 }
        }
        return parsed
    }
}
