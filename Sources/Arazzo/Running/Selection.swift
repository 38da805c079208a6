import ArazzoJSON
import ArazzoModel
import ArazzoExpressions

/// A Selector Object (Arazzo 1.1), compiled once: its `context` runtime expression and its
/// selector (decisions S1–S4). Used for parameter values, payload replacement values and
/// outputs.
///
/// A class: the plan's parameters, outputs and replacements hold it as an optional that is tested
/// at every step, and testing an optional struct copied it (its selector and expression) each time.
final class CompiledSelection: Sendable {
    /// The `context` text, for messages.
    let contextText: String
    let context: Result<RuntimeExpression, ExpressionError>
    let selector: CompiledSelector

    init(_ selector: Selector, version: ExpressionVersion) {
        contextText = selector.context.text
        let text = selector.context.text
        context = Result { () throws(ExpressionError) -> RuntimeExpression in try RuntimeExpression(parsing: text, version: version) }
        self.selector = CompiledSelector(selector: selector.selector.text, type: selector.type.kind.rawValue, version: selector.type.version)
    }

    /// The selected value, or one line saying why there is none (the context did not resolve,
    /// the selector selected nothing, the context is of the wrong kind). Never throws: the caller
    /// decides what a missing value means where it is used.
    func evaluate(in context: some ExpressionContext) -> Result<JSONValue, SelectionFailure> {
        let contextValue: JSONValue
        switch self.context {
        case .failure(let error):
            return .failure(SelectionFailure(message: "context `\(contextText)` is not a runtime expression (\(error.message))"))
        case .success(let expression):
            switch expression.evaluate(in: context) {
            case .success(let value): contextValue = value
            case .failure(let unresolved):
                return .failure(SelectionFailure(message: "context `\(contextText)` did not resolve: \(unresolved.reason)"))
            }
        }
        return selector.select(from: contextValue).mapError { SelectionFailure(message: $0.description) }
    }
}

/// Why a Selector Object produced no value.
struct SelectionFailure: Error, Sendable {
    let message: String
}

extension SelectorType {
    /// The Expression Type Object's `version`, nil for a plain type (the kind's default).
    var version: String? {
        if case .expressionType(let t) = self { return t.version }
        return nil
    }
}
