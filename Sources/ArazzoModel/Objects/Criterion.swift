public import ArazzoDiagnostics

/// An assertion used by `successCriteria` and action `criteria` (spec: "Criterion Object").
public struct Criterion: Sendable, Hashable {
    /// The plain string forms of `type`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Literals, operators and runtime expressions (the default).
        case simple
        /// A regular expression applied to `context`.
        case regex
        /// An RFC 9535 JSONPath query applied to `context`.
        case jsonpath
        /// An XPath expression applied to `context`.
        case xpath
    }

    /// The `type` field: a plain string or a Criterion Expression Type Object.
    public enum TypeValue: Sendable, Hashable {
        /// `type: simple|regex|jsonpath|xpath`.
        case kind(Kind)
        /// `type: {type: jsonpath|xpath, version: …}`.
        case expressionType(CriterionExpressionType)

        /// The condition language.
        public var kind: Kind {
            switch self {
            case .kind(let k): return k
            case .expressionType(let t): return t.type == .xpath ? .xpath : .jsonpath
            }
        }
    }

    /// `context`: the runtime expression the condition applies to (required for regex, jsonpath
    /// and xpath; optional for simple, decision A5).
    public let context: ExpressionString?
    /// `condition` (required): its language depends on ``kind``.
    public let condition: ExpressionString
    /// `type` as written; nil when omitted (then ``kind`` is `simple`).
    public let type: TypeValue?
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]

    /// The condition language (`simple` when `type` is omitted).
    public var kind: Kind { type?.kind ?? .simple }
}
