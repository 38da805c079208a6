#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExpressions

/// `conditions`: `simple` condition rates through ArazzoExpressions' public API — evaluation of
/// pre-parsed conditions (what the engine does per step) and parsing (what compiling a document
/// does once) — over `ConditionBenchmark`'s fixed workload of eight representative conditions.
/// The baseline is a hand-written Swift comparison reading the same context, the floor for one
/// condition evaluation behind the `ExpressionContext` protocol.
enum ConditionsBenchmark {
    static func run(arguments: [String]) throws {
        let iterations = option("--iterations", in: arguments) ?? 15
        let rounds = option("--rounds", in: arguments) ?? 20_000
        let workload = ConditionBenchmark()
        let count = workload.conditionCount
        guard count == workload.texts.count else {
            throw BenchError.usage("only \(count) of \(workload.texts.count) benchmark conditions parse")
        }

        let context: any ExpressionContext = workload.context
        var sink = 0
        let baseline = Measure.samples(iterations: iterations) {
            for _ in 0..<(rounds * count) where context.statusCode == 200 { sink &+= 1 }
        }
        var passed = 0
        let evaluate = Measure.samples(iterations: iterations) { passed = workload.evaluate(rounds: rounds) }
        let parseRounds = max(1, rounds / 10)
        var parsed = 0
        let parse = Measure.samples(iterations: iterations) { parsed = workload.parse(rounds: parseRounds) }
        guard sink > 0, passed > 0, parsed == parseRounds * count else {
            throw BenchError.usage("the condition workload produced no results")
        }

        let baselineRate = Double(rounds * count) / Measure.median(baseline)
        let evaluateRate = Double(rounds * count) / Measure.median(evaluate)
        let parseRate = Double(parseRounds * count) / Measure.median(parse)
        print("conditions: \(count) simple conditions, \(iterations) iterations, medians")
        Measure.table(
            ["stage", "conditions/s", "vs baseline"],
            [
                ["hand-written `statusCode == 200` (baseline)", Measure.format(baselineRate, 0), "1.000"],
                ["evaluate parsed conditions", Measure.format(evaluateRate, 0), Measure.format(evaluateRate / baselineRate, 3)],
                ["parse condition text", Measure.format(parseRate, 0), Measure.format(parseRate / baselineRate, 3)],
            ])
        print("result evaluate_per_s=\(Measure.format(evaluateRate, 0)) parse_per_s=\(Measure.format(parseRate, 0))")
    }
}
#endif
