public import ArazzoDiagnostics

/// The expression language of a Selector Object or of a payload replacement `target`
/// (schema: `selector-type`): a plain name or an Expression Type Object. Arazzo 1.1.
public enum SelectorType: Sendable, Hashable {
    /// `type: jsonpointer|jsonpath|xpath`, with the version's default.
    case kind(CriterionExpressionType.ExpressionKind)
    /// `type: {type: …, version: …}`.
    case expressionType(CriterionExpressionType)

    /// The expression language.
    public var kind: CriterionExpressionType.ExpressionKind {
        switch self {
        case .kind(let k): return k
        case .expressionType(let t): return t.type
        }
    }
}

/// A value picked out of a larger one by a JSON Pointer, JSONPath or XPath expression (spec 1.1:
/// "Selector Object"). Used in outputs, parameter values and payload replacement values.
public struct Selector: Sendable, Hashable {
    /// `context` (required): the runtime expression whose value the selector applies to.
    public let context: ExpressionString
    /// `selector` (required): the JSON Pointer, JSONPath or XPath expression.
    public let selector: ExpressionString
    /// `type` (required): the selector's language.
    public let type: SelectorType
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]

    /// A Selector Object built in code.
    public init(
        context: ExpressionString, selector: ExpressionString, type: SelectorType, extensions: Extensions = Extensions(),
        location: SourceLocation = .memory, locations: [String: SourceLocation] = [:]
    ) {
        self.context = context
        self.selector = selector
        self.type = type
        self.extensions = extensions
        self.location = location
        self.locations = locations
    }
}

extension Step {
    /// What an AsyncAPI step does on its channel (`action`, Arazzo 1.1).
    public enum AsyncAction: String, Sendable, Hashable, CaseIterable {
        /// Publish a message to the channel.
        case send
        /// Wait for a message on the channel.
        case receive
    }
}
