import ArazzoExpressions
import Testing

@Suite("Benchmark workload")
struct BenchmarkWorkloadTests {
    @Test("every benchmark condition parses and the pass count is known")
    func workload() {
        let bench = ConditionBenchmark()
        #expect(bench.conditionCount == bench.texts.count)
        #expect(bench.evaluate(rounds: 1) == 7)
        #expect(bench.evaluate(rounds: 3) == 21)
        #expect(bench.parse(rounds: 2) == 2 * bench.texts.count)
    }

    @Test("1.1.0's regex example context `$response.body.status` is read as `$response.body#/status` with a warning")
    func dottedContextNeedsPointer() {
        let c = CompiledCriterion(condition: "^({$inputs.statusPattern})$", context: "$response.body.status", type: "regex")
        #expect(c.issues.isEmpty)
        let scope = ExpressionScope(steps: [.init(id: "s")], currentStepIndex: 0, phase: .response, inputNames: ["statusPattern"])
        let issues = scope.check(c)
        #expect(issues.map(\.code) == ["dotted-navigation"])
        #expect(issues.map(\.offset) == [14])
        #expect(issues.map(\.field) == [.context])
        #expect(issues.map(\.fix?.text) == ["$response.body#/status"])
    }
}
