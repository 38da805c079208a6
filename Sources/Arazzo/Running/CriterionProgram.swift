import ArazzoJSON
import ArazzoModel
import ArazzoExpressions

/// A criterion compiled once per document; evaluating it never parses.
struct CriterionProgram: Sendable {
    enum Program: Sendable {
        case simple(SimpleCondition)
        case invalid(String)
        case unsupported(String)
    }

    let text: String
    let typeName: String
    let program: Program

    init(_ criterion: Criterion) {
        text = criterion.condition.text
        typeName = criterion.kind.rawValue
        switch criterion.kind {
        case .simple:
            do {
                program = .simple(try SimpleCondition(parsing: criterion.condition.text))
            } catch {
                program = .invalid("the condition does not parse: \(error.message)")
            }
        case .regex, .jsonpath, .xpath:
            program = .unsupported("\(criterion.kind.rawValue) criteria are not available in this build")
        }
    }

    /// Evaluates with an explanation.
    func evaluate(in context: any ExpressionContext) -> CriterionVerdict {
        switch program {
        case .simple(let condition):
            let verdict = condition.evaluate(in: context)
            return CriterionVerdict(condition: text, type: typeName, passed: verdict.passed, explanation: verdict.explanation)
        case .invalid(let message), .unsupported(let message):
            return CriterionVerdict(condition: text, type: typeName, passed: false, explanation: message)
        }
    }

    /// Evaluates without building an explanation (action criteria).
    func test(in context: any ExpressionContext) -> Bool {
        switch program {
        case .simple(let condition): return condition.test(in: context)
        case .invalid, .unsupported: return false
        }
    }
}
