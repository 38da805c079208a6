import ArazzoJSON
import ArazzoModel
import ArazzoExpressions

extension CompiledCriterion {
    /// Compiles a model Criterion once per document (evaluation never parses again), with the
    /// runtime-expression grammar of the document's edition (decision E1).
    init(_ criterion: Criterion, version: ExpressionVersion) {
        switch criterion.type {
        case .expressionType(let t)?:
            self.init(
                condition: criterion.condition.text, context: criterion.context?.text, type: t.type.rawValue, version: t.version,
                arazzoVersion: version)
        case .kind(let k)?:
            self.init(condition: criterion.condition.text, context: criterion.context?.text, type: k.rawValue, arazzoVersion: version)
        case nil:
            self.init(condition: criterion.condition.text, context: criterion.context?.text, arazzoVersion: version)
        }
    }
}

extension ArazzoSpecification {
    /// The runtime-expression grammar the document's `arazzo` version selects: 1.1.x reads the
    /// 1.1 grammar (`$self`, `$message`), anything else 1.0.1 (decision E1).
    var expressionVersion: ExpressionVersion { ExpressionVersion(arazzo: arazzo.text) }
}

/// The criteria of a step or action, compiled.
typealias CriterionProgram = CompiledCriterion
