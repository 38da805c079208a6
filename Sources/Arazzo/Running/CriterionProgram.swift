import ArazzoJSON
import ArazzoModel
import ArazzoExpressions

extension CompiledCriterion {
    /// Compiles a model Criterion once per document (evaluation never parses again).
    init(_ criterion: Criterion) {
        switch criterion.type {
        case .expressionType(let t)?:
            self.init(condition: criterion.condition.text, context: criterion.context?.text, type: t.type.rawValue, version: t.version)
        case .kind(let k)?:
            self.init(condition: criterion.condition.text, context: criterion.context?.text, type: k.rawValue)
        case nil:
            self.init(condition: criterion.condition.text, context: criterion.context?.text)
        }
    }
}

/// The criteria of a step or action, compiled.
typealias CriterionProgram = CompiledCriterion
