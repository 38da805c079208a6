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

    @Test("1.1.0's regex example context `$response.body.status` needs a pointer in a context field (A2)")
    func dottedContextNeedsPointer() {
        let c = CompiledCriterion(condition: "^({$inputs.statusPattern})$", context: "$response.body.status", type: "regex")
        #expect(c.issues.map(\.message) == ["to reach a member of the body write a JSON pointer: `$response.body#/member`"])
        #expect(c.issues.map(\.offset) == [14])
        #expect(c.issues.map(\.field) == [.context])
    }
}
