public import ArazzoDiagnostics

/// The type and version of a JSONPath or XPath condition (spec: "Criterion Expression Type
/// Object"), written as the value of a criterion's `type`.
public struct CriterionExpressionType: Sendable, Hashable {
    /// `type`.
    public enum ExpressionKind: String, Sendable, Hashable, CaseIterable {
        /// JSONPath.
        case jsonpath
        /// XPath.
        case xpath

        /// The `version` values Arazzo 1.0.1 allows for this kind.
        public var allowedVersions: [String] {
            switch self {
            case .jsonpath: return ["draft-goessner-dispatch-jsonpath-00"]
            case .xpath: return ["xpath-30", "xpath-20", "xpath-10"]
            }
        }
    }

    /// `type` (required).
    public let type: ExpressionKind
    /// `version` (required): one of ``ExpressionKind/allowedVersions``.
    public let version: String
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
